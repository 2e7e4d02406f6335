/*  bm_batch: everything one turn of the server's loop writes, committed in
    one transaction, one statement.

    The engine decides in memory and queues rows here: figures, events,
    alerts, audit rows, deadlines noted, snapshots, exceptions to the
    windows, and the last sequence number of each event family. At the end
    of the turn bm_batch_send sends one statement (prepared once per
    connection and shape): an insert per table that has rows (a few as
    VALUES of plain parameters, more over unnest of array parameters, in
    binary where the element type allows),
    each a data-modifying WITH, and the check that the turn before was
    committed, when it was still in flight (see bm_batch_link_t); a sync
    follows, in libpq's pipeline mode, so the statement is a transaction of
    its own and the server can build the next turn while this one commits. Rows that stand for an object's
    current state (an alert, an exception, a family's sequence) are kept
    once per key, the last one queued winning.
*/
#ifndef BM_BATCH_H_INCLUDED
#define BM_BATCH_H_INCLUDED

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

//  A statement (SQL and its number of parameters) to prepare on a
//  connection. A batch's statement depends on its shape.
typedef struct {
    char name [24];
    const char *sql;            //  the caller frees it, for a batch's statement
    int params;
} bm_batch_statement_t;

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

//  A batch's shape: the tables it has rows for, how many rows as VALUES,
//  and how it is tied to the turn before
typedef uint64_t bm_batch_shape_t;

bm_batch_shape_t
    bm_batch_shape (bm_batch_t *self, const bm_batch_link_t *link);

//  The sequence number of the last event queued, 0 if none: the turn's mark
uint64_t
    bm_batch_witness (bm_batch_t *self);

//  The statement of a shape
void
    bm_batch_statement (bm_batch_shape_t shape, bm_batch_statement_t *statement);

//  Its name alone, for a statement already prepared
void
    bm_batch_statement_name (bm_batch_shape_t shape, char *name, size_t size);

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
//  pipeline mode, with the statement prepared for its shape, and a sync; it
//  is committed when the sync's results come back without an error. 0, or
//  -1 if it could not be sent.
int
    bm_batch_send (bm_batch_t *self, PGconn *conn, const char *statement,
                   const bm_batch_link_t *link);

#endif
