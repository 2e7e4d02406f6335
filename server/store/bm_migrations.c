/*  bm_migrations: bring the schema up to date at start. */

#include "bm_migrations.h"
#include "bm_db.h"

#include <czmq.h>
#include <stdlib.h>

//  Any fixed number shared by every battlemapd: serialises migrations
#define BM_MIGRATION_LOCK "7273470061"

int
bm_migrations_apply (PGconn *conn)
{
    if (bm_db_command (conn, "SELECT pg_advisory_lock (" BM_MIGRATION_LOCK ")", 0, NULL))
        return -1;
    int rc = bm_db_command (conn,
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version integer PRIMARY KEY, name text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL);
    int current = 0;
    if (rc == 0) {
        PGresult *result = bm_db_exec (conn,
            "SELECT coalesce (max (version), 0) FROM schema_migrations", 0, NULL);
        if (result) {
            current = atoi (PQgetvalue (result, 0, 0));
            PQclear (result);
        }
        else
            rc = -1;
    }
    for (const bm_migration_t *migration = bm_migrations;
         rc == 0 && migration->name; migration++) {
        if (migration->version <= current)
            continue;
        char version [16];
        snprintf (version, sizeof version, "%d", migration->version);
        const char *params [] = { version, migration->name };
        if (bm_db_begin (conn)
        ||  bm_db_script (conn, migration->sql)
        ||  bm_db_command (conn,
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                2, params)
        ||  bm_db_commit (conn)) {
            bm_db_rollback (conn);
            zsys_error ("schema migration %s failed", migration->name);
            rc = -1;
        }
        else
            zsys_info ("schema migration %s applied", migration->name);
    }
    bm_db_command (conn, "SELECT pg_advisory_unlock (" BM_MIGRATION_LOCK ")", 0, NULL);
    return rc;
}
