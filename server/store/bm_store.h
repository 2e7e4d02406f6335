/*  bm_store: the server's connections to PostgreSQL, the system of record.

    Two connections, each opened with a connect timeout, an application
    name and a statement timeout:

    - the writer commits the turns' batches. It stays in libpq's pipeline
      mode: a turn is sent (bm_store_send) and the server goes on with the
      next while the database commits it; bm_store_collect reads what has
      come back, turn by turn, in order. A turn is never stored on top of
      one that was not: one sent while the turn before is still in flight
      fails unless that one's mark is there (its last event, or, if it
      wrote none, the commit chain at its number), and after a failure
      nothing more is sent until bm_store_resume. A turn sent when nothing
      is in flight checks nothing and, if it writes events, writes nothing
      more than its rows. The writer holds the single-writer lock: the engine hands
      out sequence numbers and row ids from memory, which is exact only
      while one server writes (a second battlemapd on the same database
      refuses to start);
    - the reader runs everything else, one statement at a time: the image
      the engine starts from, history, snapshots, the event log for catch-
      up, alerts, keys, plans and migrations. It sees what is committed.

    If either connection is lost, bm_store_reconnect opens both again the
    same way. Every other piece of SQL the server runs lives in this folder
    too: bm_store_load, bm_store_read, bm_store_keys, bm_planload and
    bm_migrations.
*/
#ifndef BM_STORE_H_INCLUDED
#define BM_STORE_H_INCLUDED

#include "bm_batch.h"
#include <libpq-fe.h>
#include <stdbool.h>

#define BM_STORE_CONNECT_TIMEOUT    "5"         //  seconds
#define BM_STORE_STATEMENT_TIMEOUT  "30s"
#define BM_STORE_APPLICATION        "battlemapd"

typedef struct _bm_store_t bm_store_t;

//  Connect, apply the schema migrations and take the single-writer lock.
//  NULL (and logged) on failure.
bm_store_t *
    bm_store_new (const char *conninfo);

void
    bm_store_destroy (bm_store_t **self_p);

//  The reader connection, for the queries of this folder
PGconn *
    bm_store_db (bm_store_t *self);

//  True while both connections are up
bool
    bm_store_ok (bm_store_t *self);

//  Whether both connections are still up, noticing a connection the
//  database has closed while nothing was asked of it (a shutdown, a crash).
//  Reads only what has arrived: never waits.
bool
    bm_store_alive (bm_store_t *self);

//  Open both connections again (after one was lost); nothing may be in
//  flight. 0 or -1.
int
    bm_store_reconnect (bm_store_t *self);

//  Send a batch to be committed after the turns in flight. Returns its
//  turn number (> 0), or -1 if it could not be sent (it is not in flight).
int64_t
    bm_store_send (bm_store_t *self, bm_batch_t *batch);

//  Called for each turn whose commit is settled, in the order they were
//  sent
typedef void (bm_store_settled_fn) (void *arg, int64_t turn, bool committed);

//  Read what the database has answered, without waiting unless `wait`
//  (then until the oldest turn in flight is settled). Returns how many
//  turns are still in flight.
size_t
    bm_store_collect (bm_store_t *self, bool wait, bm_store_settled_fn *settled, void *arg);

//  Turns sent and not yet settled
size_t
    bm_store_in_flight (bm_store_t *self);

//  Batch statements prepared on the writer (a bounded set, see bm_batch)
size_t
    bm_store_prepared (bm_store_t *self);

//  The writer's socket, to poll for answers
int
    bm_store_socket (bm_store_t *self);

//  After a turn failed and nothing is in flight: number the turns on from
//  the chain's mark, and send again. 0 or -1.
int
    bm_store_resume (bm_store_t *self);

#endif
