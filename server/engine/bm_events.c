/*  bm_events: the event log's numbering. */

#include "bm_events.h"
#include "bm_cycle.h"
#include "bm_wire.h"

#include <string.h>

#define S_TOPIC_LEVELS 8        //  levels of a topic given a family link

//  Structure of our class

struct _bm_events_t {
    uint64_t seq;               //  last sequence number handed out
    uint64_t committed;         //  last sequence number committed
    zhashx_t *families;         //  prefix -> s_family_t
    zhashx_t *topics;           //  topic -> s_topic_t, its families level by level
    zlist_t *dirty;             //  families moved since they were last written
    int64_t flushed;            //  when they were last written, msecs
};

//  A topic family: one lookup finds its last sequence number and whether
//  it waits to be written
typedef struct {
    uint64_t seq;               //  the last event of the family
    bool dirty;                 //  on the dirty list
    char prefix [];             //  its topic prefix
} s_family_t;

//  A topic's families, one per level: found once, then by one lookup of the
//  topic instead of one per level (families are never freed before the
//  log's numbering is)
typedef struct {
    size_t levels;
    s_family_t *families [S_TOPIC_LEVELS];
} s_topic_t;

//  The family of a prefix, made when it is new
static s_family_t *
s_family (bm_events_t *self, const char *prefix)
{
    s_family_t *family = (s_family_t *) zhashx_lookup (self->families, prefix);
    if (!family) {
        size_t length = strlen (prefix);
        family = (s_family_t *) zmalloc (sizeof (s_family_t) + length + 1);
        memcpy (family->prefix, prefix, length + 1);
        zhashx_insert (self->families, family->prefix, family);
    }
    return family;
}

//  A family moved: it is written at the next flush
static void
s_move (bm_events_t *self, s_family_t *family, uint64_t seq)
{
    family->seq = seq;
    if (!family->dirty) {
        family->dirty = true;
        zlist_append (self->dirty, family);
    }
}

//  A family's or a topic's storage: one block each
static void
s_free (void **item)
{
    free (*item);
    *item = NULL;
}

bm_events_t *
bm_events_new (void)
{
    bm_events_t *self = (bm_events_t *) zmalloc (sizeof (bm_events_t));
    self->families = zhashx_new ();
    zhashx_set_destructor (self->families, s_free);
    zhashx_set_duplicator (self->families, NULL);
    //  The keys are the families' own prefixes
    zhashx_set_key_destructor (self->families, NULL);
    zhashx_set_key_duplicator (self->families, NULL);
    self->topics = zhashx_new ();
    zhashx_set_destructor (self->topics, s_free);
    zhashx_set_duplicator (self->topics, NULL);
    self->dirty = zlist_new ();
    self->flushed = zclock_mono ();
    return self;
}

void
bm_events_destroy (bm_events_t **self_p)
{
    assert (self_p);
    bm_events_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->topics);
    zhashx_destroy (&self->families);
    zlist_destroy (&self->dirty);
    free (self);
    *self_p = NULL;
}

void
bm_events_queue (bm_events_t *self, bm_turn_t *turn, const char *topic, const char *at,
                 Battlemap__Event *event)
{
    event->seq = ++self->seq;
    event->at = (char *) at;
    //  The family links: one per level of the topic
    s_topic_t *families = (s_topic_t *) zhashx_lookup (self->topics, topic);
    if (!families) {
        families = (s_topic_t *) zmalloc (sizeof (s_topic_t));
        char prefix [512];
        size_t length = strlen (topic);
        for (size_t index = 0; index < length && families->levels < S_TOPIC_LEVELS; index++) {
            if (topic [index] != '/' || index + 1 >= sizeof prefix)
                continue;
            memcpy (prefix, topic, index + 1);
            prefix [index + 1] = '\0';
            families->families [families->levels++] = s_family (self, prefix);
        }
        zhashx_insert (self->topics, topic, families);
    }
    uint64_t prevs [S_TOPIC_LEVELS];
    size_t levels = families->levels;
    for (size_t level = 0; level < levels; level++) {
        prevs [level] = families->families [level]->seq;
        s_move (self, families->families [level], event->seq);
    }
    event->n_family_prev = levels;
    event->family_prev = prevs;

    Battlemap__Envelope envelope = BATTLEMAP__ENVELOPE__INIT;
    envelope.version = BM_PROTOCOL_VERSION;
    envelope.body_case = BATTLEMAP__ENVELOPE__BODY_EVENT;
    envelope.event = event;
    size_t size = battlemap__envelope__get_packed_size (&envelope);
    byte *packed = bm_turn_envelope (turn, size);
    battlemap__envelope__pack (&envelope, packed);
    event->n_family_prev = 0;
    event->family_prev = NULL;
    event->at = NULL;
    bm_batch_event (turn->batch, event->seq, at, event->kind, topic, packed, size);
    bm_turn_publish (turn, topic, packed, size);
}

void
bm_events_flush (bm_events_t *self, bm_turn_t *turn, int64_t age)
{
    if (zlist_size (self->dirty) == 0 || zclock_mono () - self->flushed < age)
        return;
    s_family_t *family;
    while ((family = (s_family_t *) zlist_pop (self->dirty))) {
        bm_batch_family (turn->batch, family->prefix, family->seq);
        family->dirty = false;
    }
    //  The marker: every family is written up to here
    bm_batch_family (turn->batch, "", self->seq);
    self->flushed = zclock_mono ();
}

int64_t
bm_events_unflushed (bm_events_t *self)
{
    return zlist_size (self->dirty)? zclock_mono () - self->flushed: -1;
}

void
bm_events_follow (bm_events_t *self, uint64_t seq, const char *topic)
{
    char prefix [512];
    size_t length = strlen (topic);
    for (size_t index = 0; index < length && index + 1 < sizeof prefix; index++)
        if (topic [index] == '/') {
            memcpy (prefix, topic, index + 1);
            prefix [index + 1] = '\0';
            //  Not written yet: the next marker must not pass it
            s_move (self, s_family (self, prefix), seq);
        }
}

uint64_t
bm_events_last (bm_events_t *self)
{
    return self->seq;
}

void
bm_events_committed_to (bm_events_t *self, uint64_t seq)
{
    if (seq > self->committed)
        self->committed = seq;
}

uint64_t
bm_events_latest (bm_events_t *self)
{
    return self->committed;
}

void
bm_events_set_latest (bm_events_t *self, uint64_t seq)
{
    self->seq = self->committed = seq;
}

void
bm_events_set_family (bm_events_t *self, const char *prefix, uint64_t seq)
{
    if (*prefix)
        s_family (self, prefix)->seq = seq;
}

zmsg_t *
bm_events_heartbeat (bm_events_t *self, const char *at)
{
    //  The families of the second level: "<kind>/<district>/"
    size_t slots = zhashx_size (self->families) + 1;
    char **families = (char **) zmalloc (slots * sizeof (char *));
    uint64_t *latest = (uint64_t *) zmalloc (slots * sizeof (uint64_t));
    size_t count = 0;
    for (s_family_t *family = (s_family_t *) zhashx_first (self->families); family;
         family = (s_family_t *) zhashx_next (self->families)) {
        const char *prefix = family->prefix;
        const char *slash = strchr (prefix, '/');
        if (family->seq == 0)
            continue;
        if (slash && strchr (slash + 1, '/') && !strchr (strchr (slash + 1, '/') + 1, '/')) {
            families [count] = (char *) prefix;
            latest [count++] = family->seq;
        }
    }
    Battlemap__Heartbeat heartbeat = BATTLEMAP__HEARTBEAT__INIT;
    heartbeat.latest = self->committed;
    heartbeat.n_families = count;
    heartbeat.families = families;
    heartbeat.n_family_latest = count;
    heartbeat.family_latest = latest;
    Battlemap__Event event = BATTLEMAP__EVENT__INIT;
    event.at = (char *) at;
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
