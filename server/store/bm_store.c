/*  bm_store: the server's connection to PostgreSQL. */

#include "bm_store.h"
#include "bm_db.h"
#include "bm_migrations.h"
#include "bm_store_read.h"

#include <czmq.h>

//  Any fixed number shared by every battlemapd: one writer a database
#define S_WRITER_LOCK "7273470062"

//  Structure of our class

struct _bm_store_t {
    char *conninfo;             //  to reconnect
    PGconn *db;
};

//  Opens the connection with its settings, prepares the batch's
//  statements and takes the writer's lock
static PGconn *
s_open (const char *conninfo)
{
    //  expand_dbname, and dbname last: the conninfo's own settings win over
    //  these defaults
    const char *keys [] = { "connect_timeout", "application_name", "dbname", NULL };
    const char *values [] = { BM_STORE_CONNECT_TIMEOUT, BM_STORE_APPLICATION, conninfo, NULL };
    PGconn *db = PQconnectdbParams (keys, values, 1);
    if (PQstatus (db) != CONNECTION_OK) {
        zsys_error ("database: cannot connect: %s", PQerrorMessage (db));
        PQfinish (db);
        return NULL;
    }
    if (bm_db_script (db, "SET client_encoding = 'UTF8';"
                          " SET TIME ZONE 'Asia/Shanghai';"
                          " SET client_min_messages = warning;"
                          " SET statement_timeout = '" BM_STORE_STATEMENT_TIMEOUT "'")) {
        PQfinish (db);
        return NULL;
    }
    return db;
}

static int
s_prepare_list (PGconn *db, const bm_batch_statement_t *statements)
{
    for (const bm_batch_statement_t *statement = statements; statement->name; statement++) {
        PGresult *result = PQprepare (db, statement->name, statement->sql,
                                      statement->params, NULL);
        bool ok = PQresultStatus (result) == PGRES_COMMAND_OK;
        if (!ok)
            zsys_error ("database: cannot prepare %s: %s", statement->name,
                        PQresultErrorMessage (result));
        PQclear (result);
        if (!ok)
            return -1;
    }
    return 0;
}

static int
s_prepare (PGconn *db)
{
    return s_prepare_list (db, bm_batch_statements)
        || s_prepare_list (db, bm_store_read_statements)? -1: 0;
}

static int
s_lock (PGconn *db)
{
    PGresult *result = bm_db_exec (db, "SELECT pg_try_advisory_lock (" S_WRITER_LOCK ")",
                                   0, NULL);
    if (!result)
        return -1;
    bool locked = *PQgetvalue (result, 0, 0) == 't';
    PQclear (result);
    if (!locked)
        zsys_error ("another battlemapd is serving this database: one server a database");
    return locked? 0: -1;
}

bm_store_t *
bm_store_new (const char *conninfo)
{
    bm_store_t *self = (bm_store_t *) zmalloc (sizeof (bm_store_t));
    self->conninfo = strdup (conninfo);
    self->db = s_open (conninfo);
    if (!self->db || s_lock (self->db) || bm_migrations_apply (self->db)
    ||  s_prepare (self->db))
        bm_store_destroy (&self);
    return self;
}

void
bm_store_destroy (bm_store_t **self_p)
{
    assert (self_p);
    bm_store_t *self = *self_p;
    if (!self)
        return;
    if (self->db)
        PQfinish (self->db);
    free (self->conninfo);
    free (self);
    *self_p = NULL;
}

PGconn *
bm_store_db (bm_store_t *self)
{
    return self->db;
}

bool
bm_store_ok (bm_store_t *self)
{
    return self->db && PQstatus (self->db) == CONNECTION_OK;
}

int
bm_store_reconnect (bm_store_t *self)
{
    if (self->db)
        PQfinish (self->db);
    self->db = s_open (self->conninfo);
    if (!self->db)
        return -1;
    if (s_lock (self->db) || s_prepare (self->db)) {
        PQfinish (self->db);
        self->db = NULL;
        return -1;
    }
    zsys_info ("database: connected again");
    return 0;
}

int
bm_store_commit (bm_store_t *self, bm_batch_t *batch)
{
    if (!bm_store_ok (self))
        return -1;
    return bm_batch_commit (batch, self->db);
}
