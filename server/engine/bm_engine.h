/*  bm_engine: everything the server knows, in memory, and how it changes.

    The engine holds the book (districts, plans, targets, the current
    figures), the firing alerts, the exceptions to the reporting windows,
    the submission ids ever stored, the event log's sequence and its
    families, and the next row ids. It is built from the database alone
    (bm_loader) and changed only inside a turn (bm_turn): each change is
    queued in the turn's batch (the rows to write) and its events in the
    turn's list to publish. The server sends the batch to be committed, builds
    the next turn meanwhile, and answers and publishes a turn only once its
    commit is settled. If a commit fails, the turns after it fail too (the
    mark each checks, bm_store) and the engine is built again from the database,
    so that memory never holds what the record does not.

    Sequence numbers and row ids are handed out here, in the order the
    turns are committed, which is exact because only one server writes to a
    database (bm_store holds the single-writer lock) and its turns commit
    one after the other on one connection. Were there ever several writers,
    each would have to take its numbers inside the transaction that commits
    them, under a lock held until that commit (an update of the commit
    chain's row in every turn would be such a lock: a writer that updates
    it first makes the other wait), so
    that `seq > since` still finds every event a catch-up has not seen: a
    number given out by a transaction that commits later than one with a
    higher number would be skipped by a reader that saw the higher one.
*/
#ifndef BM_ENGINE_H_INCLUDED
#define BM_ENGINE_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_book.h"
#include "bm_clock.h"
#include "bm_events.h"
#include "bm_turn.h"

#include <czmq.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _bm_engine_t bm_engine_t;
typedef struct _bm_alerting_t bm_alerting_t;
typedef struct _bm_exceptions_t bm_exceptions_t;
typedef struct _bm_idset_t bm_idset_t;

bm_engine_t *
    bm_engine_new (bm_clock_t *clock, bool backfill);

void
    bm_engine_destroy (bm_engine_t **self_p);

//  Empty everything, to be built again (bm_loader)
void
    bm_engine_reset (bm_engine_t *self);

//  The image is complete (bm_loader)
void
    bm_engine_set_loaded (bm_engine_t *self);

//  True when the engine holds a complete image of the database
bool
    bm_engine_loaded (bm_engine_t *self);

bm_book_t *
    bm_engine_book (bm_engine_t *self);

bm_clock_t *
    bm_engine_clock (bm_engine_t *self);

//  Reporting windows are not enforced (--backfill)
bool
    bm_engine_backfill (bm_engine_t *self);

bm_alerting_t *
    bm_engine_alerting (bm_engine_t *self);

bm_exceptions_t *
    bm_engine_exceptions (bm_engine_t *self);

bm_idset_t *
    bm_engine_ids (bm_engine_t *self);

bm_events_t *
    bm_engine_events (bm_engine_t *self);

//  The next row id of a table the engine writes (alerts number their own)
typedef enum {
    BM_ROW_FIGURE, BM_ROW_EXCEPTION, BM_ROWS
} bm_row_kind_t;

int64_t
    bm_engine_next_row (bm_engine_t *self, bm_row_kind_t kind);

//  Set the last row id of a table (loading)
void
    bm_engine_set_row (bm_engine_t *self, bm_row_kind_t kind, int64_t last);

//  Queue an event in the turn, stamped with the server's time (bm_events)
void
    bm_engine_event (bm_engine_t *self, bm_turn_t *turn, const char *topic,
                     Battlemap__Event *event);

//  The server's time as ISO 8601 text into buf (BM_TIME_STR_MAX)
char *
    bm_engine_now_text (bm_engine_t *self, char *buf);

#endif
