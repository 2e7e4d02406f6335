/*  bm_migrations: the schema, as versioned migrations embedded at build time.

    deploy/migrations/NNN_name.sql is migration NNN. At start the server
    applies, each in its own transaction and in order, every migration newer
    than the schema_migrations table records, under an advisory lock so that
    two servers starting together do not race.
*/
#ifndef BM_MIGRATIONS_H_INCLUDED
#define BM_MIGRATIONS_H_INCLUDED

#include <libpq-fe.h>

typedef struct {
    int version;
    const char *name;
    const char *sql;
} bm_migration_t;

//  Terminated by an entry with a NULL name
extern const bm_migration_t bm_migrations [];

//  Bring the schema up to date. Returns 0, or -1 and logs why.
int
    bm_migrations_apply (PGconn *conn);

#endif
