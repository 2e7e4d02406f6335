/*  bm_db: thin helpers over libpq for the server's synchronous connection.

    Every result is checked at once and cleared by the caller. Errors are
    logged with the statement's name and PostgreSQL's SQLSTATE so that a
    failure in production points at its cause.
*/
#ifndef BM_DB_H_INCLUDED
#define BM_DB_H_INCLUDED

#include <libpq-fe.h>
#include <stdbool.h>

//  Run a statement with text parameters (NULL entries are SQL NULL). Returns
//  the result when its status is COMMAND_OK or TUPLES_OK, else logs, clears
//  and returns NULL. The caller PQclear()s a non-NULL result.
PGresult *
    bm_db_exec (PGconn *conn, const char *sql, int count, const char *const *params);

//  Run a statement and discard its result. Returns 0 or -1.
int
    bm_db_command (PGconn *conn, const char *sql, int count, const char *const *params);

//  Run several statements separated by semicolons, no parameters.
int
    bm_db_script (PGconn *conn, const char *sql);

int
    bm_db_begin (PGconn *conn);
int
    bm_db_commit (PGconn *conn);
void
    bm_db_rollback (PGconn *conn);

//  Value of a field, NULL when SQL NULL
const char *
    bm_db_value (const PGresult *result, int row, int column);

//  Value of a field, "" when SQL NULL
const char *
    bm_db_text (const PGresult *result, int row, int column);

//  Connect and check. Returns NULL and logs on failure.
PGconn *
    bm_db_connect (const char *conninfo);

//  True when the last error on the connection means it is gone
bool
    bm_db_broken (PGconn *conn);

#endif
