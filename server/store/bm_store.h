/*  bm_store: the server's connection to PostgreSQL, the system of record.

    One connection, opened with a connect timeout and an application name,
    with a statement timeout, the batch's statements prepared once, and the
    single-writer lock held: the engine hands out sequence numbers and row
    ids from memory, which is exact only while one server writes (a second
    battlemapd on the same database refuses to start). If the connection is
    lost, bm_store_reconnect opens it again the same way.

    Every other piece of SQL the server runs lives in this folder too:
    bm_store_load (the image of the database the engine starts from),
    bm_store_read (history, snapshots, catch-up, alerts, identities),
    bm_planload (plans) and bm_migrations (the schema).
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

//  The connection, for the queries of this folder
PGconn *
    bm_store_db (bm_store_t *self);

//  True while the connection is up
bool
    bm_store_ok (bm_store_t *self);

//  Open the connection again (after it was lost). 0 or -1.
int
    bm_store_reconnect (bm_store_t *self);

//  Commit a batch in one transaction. 0, or -1 when nothing was stored.
int
    bm_store_commit (bm_store_t *self, bm_batch_t *batch);

#endif
