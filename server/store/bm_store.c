/*  bm_store: the server's connections to PostgreSQL. */

#include "bm_store.h"
#include "bm_db.h"
#include "bm_migrations.h"
#include "bm_store_read.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

//  Any fixed number shared by every battlemapd: one writer a database
#define S_WRITER_LOCK "7273470062"

//  Structure of our class

struct _bm_store_t {
    char *conninfo;             //  to reconnect
    PGconn *reader;             //  one statement at a time
    PGconn *writer;             //  the turns' batches, in pipeline mode
    int64_t sent;               //  the last turn sent
    uint64_t sent_witness;      //  its last event, 0 if it wrote none
    bool broken;                //  a turn could not be sent: none after it is, until resumed
    zlistx_t *flight;           //  turns sent, not yet settled (int64_t, as pointers)
    bool failed;                //  the oldest turn in flight has failed
    zhashx_t *prepared;         //  the batch statements prepared on the writer, by name
};

//  Opens a connection with its settings
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
s_prepare (PGconn *db, const bm_store_statement_t *statement)
{
    PGresult *result = PQprepare (db, statement->name, statement->sql, statement->params, NULL);
    bool ok = PQresultStatus (result) == PGRES_COMMAND_OK;
    if (!ok)
        zsys_error ("database: cannot prepare %s: %s", statement->name,
                    PQresultErrorMessage (result));
    PQclear (result);
    return ok? 0: -1;
}

//  The single-writer lock. A server that has just stopped may still hold
//  it for a moment (its connection's backend ends after the connection
//  closes): the lock is waited for up to S_LOCK_WAIT
#define S_LOCK_WAIT "3s"

static int
s_lock (PGconn *db)
{
    if (bm_db_script (db, "SET lock_timeout = '" S_LOCK_WAIT "'"))
        return -1;
    PGresult *result = PQexec (db, "SELECT pg_advisory_lock (" S_WRITER_LOCK ")");
    bool locked = PQresultStatus (result) == PGRES_TUPLES_OK;
    const char *sqlstate = PQresultErrorField (result, PG_DIAG_SQLSTATE);
    if (!locked && sqlstate && streq (sqlstate, "55P03"))
        zsys_error ("another battlemapd is serving this database: one server a database");
    else
    if (!locked)
        zsys_error ("database: cannot take the single-writer lock: %s",
                    PQresultErrorMessage (result));
    PQclear (result);
    if (locked && bm_db_script (db, "RESET lock_timeout"))
        return -1;
    return locked? 0: -1;
}

static void
s_close (bm_store_t *self)
{
    if (self->reader)
        PQfinish (self->reader);
    if (self->writer)
        PQfinish (self->writer);
    self->reader = self->writer = NULL;
    zlistx_purge (self->flight);
    self->failed = false;
    zhashx_purge (self->prepared);
}

//  Opens both connections: the writer takes the lock and goes into
//  pipeline mode; the schema is brought up to date on the reader
static int
s_connect (bm_store_t *self, bool migrate)
{
    self->writer = s_open (self->conninfo);
    self->reader = self->writer? s_open (self->conninfo): NULL;
    int rc = self->reader && s_lock (self->writer) == 0? 0: -1;
    if (rc == 0 && migrate)
        rc = bm_migrations_apply (self->reader);
    for (const bm_store_statement_t *statement = bm_store_read_statements;
         rc == 0 && statement->name; statement++)
        rc = s_prepare (self->reader, statement);
    if (rc == 0)
        rc = bm_store_resume (self);
    if (rc == 0 && !PQenterPipelineMode (self->writer)) {
        zsys_error ("database: cannot enter pipeline mode: %s", PQerrorMessage (self->writer));
        rc = -1;
    }
    if (rc == 0 && PQsetnonblocking (self->writer, 1)) {
        zsys_error ("database: %s", PQerrorMessage (self->writer));
        rc = -1;
    }
    if (rc)
        s_close (self);
    return rc;
}

bm_store_t *
bm_store_new (const char *conninfo)
{
    bm_store_t *self = (bm_store_t *) zmalloc (sizeof (bm_store_t));
    self->conninfo = strdup (conninfo);
    self->flight = zlistx_new ();
    self->prepared = zhashx_new ();
    if (s_connect (self, true))
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
    s_close (self);
    zlistx_destroy (&self->flight);
    zhashx_destroy (&self->prepared);
    free (self->conninfo);
    free (self);
    *self_p = NULL;
}

PGconn *
bm_store_db (bm_store_t *self)
{
    return self->reader;
}

bool
bm_store_ok (bm_store_t *self)
{
    return self->reader && PQstatus (self->reader) == CONNECTION_OK
        && self->writer && PQstatus (self->writer) == CONNECTION_OK;
}

//  A connection with no statement in flight has nothing to read unless the
//  server is telling us it goes (or went) away: consuming it notices that
static bool
s_alive (PGconn *db)
{
    if (!db || PQstatus (db) != CONNECTION_OK)
        return false;
    zmq_pollitem_t item = { NULL, PQsocket (db), ZMQ_POLLIN, 0 };
    if (zmq_poll (&item, 1, 0) == 1 && (item.revents & ZMQ_POLLIN))
        PQconsumeInput (db);
    return PQstatus (db) == CONNECTION_OK;
}

bool
bm_store_alive (bm_store_t *self)
{
    if (zlistx_size (self->flight))
        return bm_store_ok (self);      //  bm_store_collect reads the writer
    return s_alive (self->reader) && s_alive (self->writer);
}

int
bm_store_reconnect (bm_store_t *self)
{
    assert (zlistx_size (self->flight) == 0);
    s_close (self);
    if (s_connect (self, false))
        return -1;
    zsys_info ("database: connected again");
    return 0;
}

int
bm_store_resume (bm_store_t *self)
{
    PGresult *result = bm_db_exec (self->reader, "SELECT turn FROM commit_chain", 0, NULL);
    if (!result)
        return -1;
    int rc = PQntuples (result) == 1? 0: -1;
    if (rc == 0) {
        self->sent = strtoll (PQgetvalue (result, 0, 0), NULL, 10);
        self->sent_witness = 0;
        self->broken = false;
    }
    else
        zsys_error ("database: the commit chain is missing");
    PQclear (result);
    self->failed = false;
    return rc;
}

int64_t
bm_store_send (bm_store_t *self, bm_batch_t *batch)
{
    if (!bm_store_ok (self) || self->broken)
        return -1;
    int64_t turn = self->sent + 1;
    //  Tied to the turn before only while that one is in flight
    bm_batch_link_t link = { turn, 0, 0 };
    if (zlistx_size (self->flight)) {
        link.witness = self->sent_witness;
        link.previous = self->sent_witness? 0: self->sent;
    }
    int rc = bm_batch_send (batch, self->writer, self->prepared, &link);
    if (rc) {
        //  The turns after it cannot commit on top of it: none is sent
        //  until the state is read again (bm_store_resume)
        self->broken = true;
        return -1;
    }
    //  The whole statement goes out now; the answer is read later
    int flushed;
    while ((flushed = PQflush (self->writer)) == 1) {
        zmq_pollitem_t item = { NULL, PQsocket (self->writer), ZMQ_POLLOUT | ZMQ_POLLIN, 0 };
        zmq_poll (&item, 1, 100);
        //  Answers waiting to be read must not block what is written
        if (item.revents & ZMQ_POLLIN)
            PQconsumeInput (self->writer);
    }
    if (flushed < 0)
        zsys_error ("database: cannot send a batch: %s", PQerrorMessage (self->writer));
    self->sent = turn;
    self->sent_witness = bm_batch_witness (batch);
    zlistx_add_end (self->flight, (void *) (intptr_t) turn);
    return turn;
}

size_t
bm_store_prepared (bm_store_t *self)
{
    return zhashx_size (self->prepared);
}

size_t
bm_store_in_flight (bm_store_t *self)
{
    return zlistx_size (self->flight);
}

int
bm_store_socket (bm_store_t *self)
{
    return self->writer? PQsocket (self->writer): -1;
}

//  The oldest turn in flight is settled
static void
s_settle (bm_store_t *self, bool committed, bm_store_settled_fn *settled, void *arg)
{
    int64_t turn = (int64_t) (intptr_t) zlistx_first (self->flight);
    zlistx_delete (self->flight, zlistx_cursor (self->flight));
    self->failed = false;
    settled (arg, turn, committed);
}

size_t
bm_store_collect (bm_store_t *self, bool wait, bm_store_settled_fn *settled, void *arg)
{
    while (zlistx_size (self->flight)) {
        if (PQstatus (self->writer) != CONNECTION_OK || !PQconsumeInput (self->writer)) {
            //  Lost: what was in flight may or may not be stored; the state
            //  is read again from what is
            zsys_error ("database: connection lost with %zu turns in flight",
                        zlistx_size (self->flight));
            while (zlistx_size (self->flight))
                s_settle (self, false, settled, arg);
            break;
        }
        if (PQisBusy (self->writer)) {
            if (!wait)
                break;
            zmq_pollitem_t item = { NULL, PQsocket (self->writer), ZMQ_POLLIN, 0 };
            zmq_poll (&item, 1, 1000);
            continue;
        }
        PGresult *result = PQgetResult (self->writer);
        if (!result)
            continue;           //  the end of one statement's results
        ExecStatusType status = PQresultStatus (result);
        if (status == PGRES_PIPELINE_SYNC)
            s_settle (self, !self->failed, settled, arg);
        else
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            if (status != PGRES_PIPELINE_ABORTED) {
                const char *sqlstate = PQresultErrorField (result, PG_DIAG_SQLSTATE);
                zsys_error ("database: a turn was not stored: %s (SQLSTATE %s)",
                            PQresultErrorMessage (result), sqlstate? sqlstate: "none");
            }
            self->failed = true;
        }
        PQclear (result);
        if (status == PGRES_PIPELINE_SYNC && !wait)
            continue;
        if (status == PGRES_PIPELINE_SYNC)
            wait = false;       //  the oldest is settled: read on only what is there
    }
    return zlistx_size (self->flight);
}
