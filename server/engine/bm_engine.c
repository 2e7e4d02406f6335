/*  bm_engine: everything the server knows, in memory, and how it changes. */

#include "bm_engine.h"
#include "bm_alerting.h"
#include "bm_cycle.h"
#include "bm_exceptions.h"
#include "bm_idset.h"
#include "bm_loader.h"
#include "bm_wire.h"

#include <string.h>

#define S_TOPIC_LEVELS 8        //  levels of a topic given a family link

//  Structure of our class

struct _bm_engine_t {
    bm_clock_t *clock;          //  the server's time (not owned)
    bool backfill;              //  windows not enforced
    bool loaded;                //  the image is complete
    bm_book_t *book;
    bm_alerting_t *alerting;
    bm_exceptions_t *exceptions;
    bm_idset_t *ids;
    int64_t rows [BM_ROWS];     //  last row id handed out, by table
    uint64_t seq;               //  last sequence number handed out
    uint64_t committed;         //  last sequence number committed
    zhashx_t *families;         //  prefix -> last seq (as a pointer-sized integer)
};

bm_turn_t *
bm_turn_new (void)
{
    bm_turn_t *self = (bm_turn_t *) zmalloc (sizeof (bm_turn_t));
    self->batch = bm_batch_new ();
    self->publish = zlist_new ();
    self->figures = zhashx_new ();
    zhashx_set_destructor (self->figures, (zhashx_destructor_fn *) zstr_free);
    return self;
}

void
bm_turn_destroy (bm_turn_t **self_p)
{
    assert (self_p);
    bm_turn_t *self = *self_p;
    if (!self)
        return;
    bm_turn_reset (self);
    bm_batch_destroy (&self->batch);
    zlist_destroy (&self->publish);
    zhashx_destroy (&self->figures);
    free (self);
    *self_p = NULL;
}

void
bm_turn_reset (bm_turn_t *self)
{
    bm_batch_reset (self->batch);
    zmsg_t *message;
    while ((message = (zmsg_t *) zlist_pop (self->publish)))
        zmsg_destroy (&message);
    zhashx_purge (self->figures);
}

//  ---------------------------------------------------------------------------

static void
s_clear (bm_engine_t *self)
{
    bm_book_destroy (&self->book);
    bm_alerting_destroy (&self->alerting);
    bm_exceptions_destroy (&self->exceptions);
    bm_idset_destroy (&self->ids);
    zhashx_destroy (&self->families);
    memset (self->rows, 0, sizeof self->rows);
    self->seq = self->committed = 0;
    self->loaded = false;
}

static void
s_fresh (bm_engine_t *self)
{
    self->book = bm_book_new ();
    self->alerting = bm_alerting_new ();
    self->exceptions = bm_exceptions_new ();
    self->ids = bm_idset_new ();
    self->families = zhashx_new ();
    zhashx_set_destructor (self->families, NULL);
    zhashx_set_duplicator (self->families, NULL);
}

bm_engine_t *
bm_engine_new (bm_clock_t *clock, bool backfill)
{
    bm_engine_t *self = (bm_engine_t *) zmalloc (sizeof (bm_engine_t));
    self->clock = clock;
    self->backfill = backfill;
    s_fresh (self);
    return self;
}

void
bm_engine_destroy (bm_engine_t **self_p)
{
    assert (self_p);
    bm_engine_t *self = *self_p;
    if (!self)
        return;
    s_clear (self);
    free (self);
    *self_p = NULL;
}

int
bm_engine_load (bm_engine_t *self, PGconn *db)
{
    s_clear (self);
    s_fresh (self);
    int64_t started = zclock_usecs ();
    if (bm_loader_run (self, db)) {
        zsys_error ("could not build the server's state from the database");
        s_clear (self);
        s_fresh (self);
        return -1;
    }
    self->committed = self->seq;
    self->loaded = true;
    zsys_info ("state built from the database in %.1f ms: %zu submission ids, event %llu",
               (zclock_usecs () - started) / 1000.0, bm_idset_size (self->ids),
               (unsigned long long) self->seq);
    return 0;
}

bool
bm_engine_loaded (bm_engine_t *self)
{
    return self->loaded;
}

bm_book_t *
bm_engine_book (bm_engine_t *self)
{
    return self->book;
}

bm_clock_t *
bm_engine_clock (bm_engine_t *self)
{
    return self->clock;
}

bool
bm_engine_backfill (bm_engine_t *self)
{
    return self->backfill;
}

bm_alerting_t *
bm_engine_alerting (bm_engine_t *self)
{
    return self->alerting;
}

bm_exceptions_t *
bm_engine_exceptions (bm_engine_t *self)
{
    return self->exceptions;
}

bm_idset_t *
bm_engine_ids (bm_engine_t *self)
{
    return self->ids;
}

int64_t
bm_engine_next_row (bm_engine_t *self, bm_row_kind_t kind)
{
    assert (kind < BM_ROWS);
    return ++self->rows [kind];
}

void
bm_engine_set_row (bm_engine_t *self, bm_row_kind_t kind, int64_t last)
{
    assert (kind < BM_ROWS);
    self->rows [kind] = last;
}

//  ---------------------------------------------------------------------------
//  Events

void
bm_engine_event (bm_engine_t *self, bm_turn_t *turn, const char *topic,
                 Battlemap__Event *event)
{
    char at [BM_TIME_STR_MAX];
    event->seq = ++self->seq;
    event->at = bm_engine_now_text (self, at);
    //  The family links: one per level of the topic
    uint64_t prevs [S_TOPIC_LEVELS];
    size_t levels = 0;
    char prefix [512];
    size_t length = strlen (topic);
    for (size_t index = 0; index < length && levels < S_TOPIC_LEVELS; index++) {
        if (topic [index] != '/' || index + 1 >= sizeof prefix)
            continue;
        memcpy (prefix, topic, index + 1);
        prefix [index + 1] = '\0';
        prevs [levels++] = (uint64_t) (uintptr_t) zhashx_lookup (self->families, prefix);
        zhashx_update (self->families, prefix, (void *) (uintptr_t) event->seq);
        bm_batch_family (turn->batch, prefix, event->seq);
    }
    event->n_family_prev = levels;
    event->family_prev = prevs;

    Battlemap__Envelope envelope = BATTLEMAP__ENVELOPE__INIT;
    envelope.version = BM_PROTOCOL_VERSION;
    envelope.body_case = BATTLEMAP__ENVELOPE__BODY_EVENT;
    envelope.event = event;
    zframe_t *frame = bm_wire_pack (&envelope);
    event->n_family_prev = 0;
    event->family_prev = NULL;
    event->at = NULL;
    bm_batch_event (turn->batch, event->seq, at, event->kind, topic, zframe_data (frame),
                    zframe_size (frame));
    zmsg_t *message = zmsg_new ();
    zmsg_addstr (message, topic);
    zmsg_append (message, &frame);
    zlist_append (turn->publish, message);
}

void
bm_engine_committed (bm_engine_t *self)
{
    self->committed = self->seq;
}

uint64_t
bm_engine_latest (bm_engine_t *self)
{
    return self->committed;
}

void
bm_engine_set_family (bm_engine_t *self, const char *prefix, uint64_t seq)
{
    zhashx_update (self->families, prefix, (void *) (uintptr_t) seq);
}

void
bm_engine_set_latest (bm_engine_t *self, uint64_t seq)
{
    self->seq = seq;
}

zmsg_t *
bm_engine_heartbeat (bm_engine_t *self)
{
    //  The families of the second level: "<kind>/<district>/"
    size_t slots = zhashx_size (self->families) + 1;
    char **families = (char **) zmalloc (slots * sizeof (char *));
    uint64_t *latest = (uint64_t *) zmalloc (slots * sizeof (uint64_t));
    size_t count = 0;
    for (void *seq = zhashx_first (self->families); seq; seq = zhashx_next (self->families)) {
        const char *prefix = (const char *) zhashx_cursor (self->families);
        const char *slash = strchr (prefix, '/');
        if (slash && strchr (slash + 1, '/') && !strchr (strchr (slash + 1, '/') + 1, '/')) {
            families [count] = (char *) prefix;
            latest [count++] = (uint64_t) (uintptr_t) seq;
        }
    }
    char at [BM_TIME_STR_MAX];
    Battlemap__Heartbeat heartbeat = BATTLEMAP__HEARTBEAT__INIT;
    heartbeat.latest = self->committed;
    heartbeat.n_families = count;
    heartbeat.families = families;
    heartbeat.n_family_latest = count;
    heartbeat.family_latest = latest;
    Battlemap__Event event = BATTLEMAP__EVENT__INIT;
    event.at = bm_engine_now_text (self, at);
    event.kind = "heartbeat";
    event.payload_case = BATTLEMAP__EVENT__PAYLOAD_HEARTBEAT;
    event.heartbeat = &heartbeat;
    Battlemap__Envelope envelope = BATTLEMAP__ENVELOPE__INIT;
    envelope.version = BM_PROTOCOL_VERSION;
    envelope.body_case = BATTLEMAP__ENVELOPE__BODY_EVENT;
    envelope.event = &event;
    zmsg_t *message = zmsg_new ();
    zmsg_addstr (message, "heartbeat/");
    zframe_t *frame = bm_wire_pack (&envelope);
    zmsg_append (message, &frame);
    free (families);
    free (latest);
    return message;
}

char *
bm_engine_now_text (bm_engine_t *self, char *buf)
{
    return bm_clock_text (self->clock, buf);
}
