/*  bm_db: thin helpers over libpq for the server's synchronous connection. */

#include "bm_db.h"

#include <czmq.h>
#include <string.h>

PGresult *
bm_db_exec (PGconn *conn, const char *sql, int count, const char *const *params)
{
    PGresult *result = PQexecParams (conn, sql, count, NULL, params, NULL, NULL, 0);
    ExecStatusType status = PQresultStatus (result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return result;
    const char *sqlstate = PQresultErrorField (result, PG_DIAG_SQLSTATE);
    char sample [81];
    snprintf (sample, sizeof sample, "%s", sql);
    for (char *p = sample; *p; p++)
        if (*p == '\n')
            *p = ' ';
    zsys_error ("database: %s (SQLSTATE %s) in: %s",
                PQresultErrorMessage (result), sqlstate? sqlstate: "none", sample);
    PQclear (result);
    return NULL;
}

int
bm_db_command (PGconn *conn, const char *sql, int count, const char *const *params)
{
    PGresult *result = bm_db_exec (conn, sql, count, params);
    if (!result)
        return -1;
    PQclear (result);
    return 0;
}

int
bm_db_script (PGconn *conn, const char *sql)
{
    PGresult *result = PQexec (conn, sql);
    if (PQresultStatus (result) == PGRES_COMMAND_OK
    ||  PQresultStatus (result) == PGRES_TUPLES_OK) {
        PQclear (result);
        return 0;
    }
    const char *sqlstate = PQresultErrorField (result, PG_DIAG_SQLSTATE);
    zsys_error ("database: %s (SQLSTATE %s)", PQresultErrorMessage (result),
                sqlstate? sqlstate: "none");
    PQclear (result);
    return -1;
}

int
bm_db_begin (PGconn *conn)
{
    return bm_db_command (conn, "BEGIN", 0, NULL);
}

int
bm_db_commit (PGconn *conn)
{
    return bm_db_command (conn, "COMMIT", 0, NULL);
}

void
bm_db_rollback (PGconn *conn)
{
    if (PQtransactionStatus (conn) != PQTRANS_IDLE)
        PQclear (PQexec (conn, "ROLLBACK"));
}

const char *
bm_db_value (const PGresult *result, int row, int column)
{
    if (PQgetisnull (result, row, column))
        return NULL;
    return PQgetvalue (result, row, column);
}

const char *
bm_db_text (const PGresult *result, int row, int column)
{
    return PQgetvalue (result, row, column);
}

PGconn *
bm_db_connect (const char *conninfo)
{
    PGconn *conn = PQconnectdb (conninfo);
    if (PQstatus (conn) != CONNECTION_OK) {
        zsys_error ("database: cannot connect: %s", PQerrorMessage (conn));
        PQfinish (conn);
        return NULL;
    }
    PQclear (PQexec (conn, "SET client_encoding = 'UTF8'"));
    PQclear (PQexec (conn, "SET TIME ZONE 'Asia/Shanghai'"));
    PQclear (PQexec (conn, "SET client_min_messages = warning"));
    return conn;
}

bool
bm_db_broken (PGconn *conn)
{
    return PQstatus (conn) != CONNECTION_OK;
}
