/*  bm_engine: everything the server knows, in memory. */

#include "bm_engine.h"
#include "bm_alerting.h"
#include "bm_cycle.h"
#include "bm_exceptions.h"
#include "bm_idset.h"

#include <string.h>

//  Structure of our class

struct _bm_engine_t {
    bm_clock_t *clock;          //  the server's time (not owned)
    bool backfill;              //  windows not enforced
    bool loaded;                //  the image is complete
    bm_book_t *book;
    bm_alerting_t *alerting;
    bm_exceptions_t *exceptions;
    bm_idset_t *ids;
    bm_events_t *events;
    int64_t rows [BM_ROWS];     //  last row id handed out, by table
    int64_t now;                //  the second now_text holds
    char now_text [BM_TIME_STR_MAX];
};

static void
s_clear (bm_engine_t *self)
{
    bm_book_destroy (&self->book);
    bm_alerting_destroy (&self->alerting);
    bm_exceptions_destroy (&self->exceptions);
    bm_idset_destroy (&self->ids);
    bm_events_destroy (&self->events);
    memset (self->rows, 0, sizeof self->rows);
    self->loaded = false;
}

bm_engine_t *
bm_engine_new (bm_clock_t *clock, bool backfill)
{
    bm_engine_t *self = (bm_engine_t *) zmalloc (sizeof (bm_engine_t));
    self->clock = clock;
    self->backfill = backfill;
    bm_engine_reset (self);
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

void
bm_engine_reset (bm_engine_t *self)
{
    s_clear (self);
    self->book = bm_book_new ();
    self->alerting = bm_alerting_new ();
    self->exceptions = bm_exceptions_new ();
    self->ids = bm_idset_new ();
    self->events = bm_events_new ();
}

void
bm_engine_set_loaded (bm_engine_t *self)
{
    self->loaded = true;
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

bm_events_t *
bm_engine_events (bm_engine_t *self)
{
    return self->events;
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

void
bm_engine_event (bm_engine_t *self, bm_turn_t *turn, const char *topic,
                 Battlemap__Event *event)
{
    char at [BM_TIME_STR_MAX];
    bm_events_queue (self->events, turn, topic, bm_engine_now_text (self, at), event);
}

char *
bm_engine_now_text (bm_engine_t *self, char *buf)
{
    //  Formatted once a second: every event of a turn is stamped with it
    int64_t now = bm_clock_now (self->clock);
    if (now != self->now || !*self->now_text) {
        bm_time_format (now, self->now_text);
        self->now = now;
    }
    return strcpy (buf, self->now_text);
}
