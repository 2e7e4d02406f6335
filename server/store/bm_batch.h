/*  bm_batch: everything one turn of the server's loop writes, committed in
    one transaction.

    The engine decides in memory and queues rows here: figures, events,
    alerts, audit rows, deadlines noted, snapshots, exceptions to the
    windows, and the last sequence number of each event family. At the end
    of the turn bm_batch_send sends it in libpq's pipeline mode, followed
    by one sync, so that it commits whole or not at all while the server
    builds the next turn. A small turn (a few rows a table) goes as plain
    statements: the check that the turn before was committed, when it is
    still in flight (see bm_batch_link_t), an insert per table that has
    rows (as VALUES of plain parameters), and the chain's mark. A large
    turn goes as one statement: the inserts, over unnest of array
    parameters (binary where the element type allows), and the mark as
    data-modifying WITHs, then the check. Each statement is prepared once
    per connection; there are at most 41 of them. Rows that stand for an
    object's current state (an alert, an exception, a family's sequence)
    are kept once per key, the last one queued winning.
*/
#ifndef BM_BATCH_H_INCLUDED
#define BM_BATCH_H_INCLUDED

#include <czmq.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _bm_batch_t bm_batch_t;

bm_batch_t *
    bm_batch_new (void);

void
    bm_batch_destroy (bm_batch_t **self_p);

//  Forget every row queued
void
    bm_batch_reset (bm_batch_t *self);

//  True when nothing is queued
bool
    bm_batch_empty (bm_batch_t *self);

//  Rows queued, all tables together
size_t
    bm_batch_rows (bm_batch_t *self);

//  How a turn is tied to the turn sent before it. A turn sent while the
//  one before is still in flight must not commit unless that one did: it
//  checks that one's mark, the last event it wrote (witness) or, if it
//  wrote none, the commit chain at its number (previous). Both 0: the turn
//  before is settled, nothing to check.
typedef struct {
    int64_t turn;               //  this turn's number, its mark if it writes no event
    uint64_t witness;           //  the turn before in flight: its last event's sequence
    int64_t previous;           //  the turn before in flight, which wrote no event
} bm_batch_link_t;

//  The sequence number of the last event queued, 0 if none: the turn's mark
uint64_t
    bm_batch_witness (bm_batch_t *self);

//  Tables with up to this many rows take them as VALUES, more as arrays
#define BM_BATCH_VALUES_ROWS    4

//  The insert into a table (0 to 7: exception, figure, event, family,
//  alert, audit, deadline, snapshot) of `rows` rows as VALUES (1 to
//  BM_BATCH_VALUES_ROWS), or of arrays a column (0), and its number of
//  parameters; the caller frees it. bm_batch_send prepares these itself; a
//  test may prepare one alone.
char *
    bm_batch_table_sql (int table, int rows, int *params);

//  Values are text as PostgreSQL reads them; NULL is SQL NULL. Every
//  string is copied.

//  figure: id, submission_id, content_hash, indicator_id, unit_id, period
//  (YYYY-MM-01), kind, value, status, note, sender, late, exception_id,
//  received_at, sender_key, confirmed
void
    bm_batch_figure (bm_batch_t *self, const char *const values [16]);

//  event: seq, at, kind, topic and the packed envelope
void
    bm_batch_event (bm_batch_t *self, uint64_t seq, const char *at, const char *kind,
                    const char *topic, const void *payload, size_t size);

//  The latest sequence number of an event family (a topic prefix)
void
    bm_batch_family (bm_batch_t *self, const char *prefix, uint64_t seq);

//  alert, whole, by id: id, labels, rule, district, unit, indicator,
//  measure, period, kind, severity, state, value, message, fired_at,
//  updated_at, resolved_at, acked_at, acked_by, ack_reason,
//  silenced_until, silenced_by, silence_reason, resolution
void
    bm_batch_alert (bm_batch_t *self, const char *const values [23]);

//  audit: at, public_key, name, action, outcome, reason, detail
void
    bm_batch_audit (bm_batch_t *self, const char *const values [7]);

//  deadline_passed: plan_id, period, kind, deadline, noted_at
void
    bm_batch_deadline (bm_batch_t *self, const char *const values [5]);

//  snapshot: plan_id, period, taken_at and the packed wall
void
    bm_batch_snapshot (bm_batch_t *self, const char *plan_id, const char *period,
                       const char *taken_at, const void *wall, size_t size);

//  window_exception, whole, by id: id, unit_id, period, kind, indicators
//  (a PostgreSQL text array literal), until, status, reason, requested_by,
//  requested_at, decided_by, decided_at, decision_reason
void
    bm_batch_exception (bm_batch_t *self, const char *const values [13]);

//  Send the batch, tied to the turn before by `link`, on a connection in
//  pipeline mode: the statements it needs that `prepared` (their names)
//  does not hold yet are prepared and added to it, then each is run and a
//  sync follows, so that they are one transaction; it is committed when
//  the sync's results come back without an error. 0, or -1 if it could not
//  be sent.
int
    bm_batch_send (bm_batch_t *self, PGconn *conn, zhashx_t *prepared,
                   const bm_batch_link_t *link);

#endif
