/*  bench_db: the battlemap database read directly, for what the server
    cannot be asked: how many figure rows there are, how fast PostgreSQL
    itself streams the event log (the catch-up baseline), whether every
    acknowledged figure is stored, and how many requests were refused for
    their rate (from the audit table).
*/
#ifndef BENCH_DB_H_INCLUDED
#define BENCH_DB_H_INCLUDED

#include "bench.h"
#include <libpq-fe.h>

//  Connects; NULL with a message on stderr on failure
PGconn *
    bench_db_connect (const char *conninfo);

//  The number a query returns (one row, one column), -1 on error
int64_t
    bench_db_number (PGconn *db, const char *sql);

//  A checkpoint, so that a phase starts with no dirty buffers and no WAL
//  of the phase before to write out (run.sh does the same before each of
//  pgbench's runs); 0, or -1 after saying why
int
    bench_db_checkpoint (PGconn *db);

//  Before a phase (`before` names it in what is said on stderr): until no
//  autovacuum worker has run for two looks half a second apart, at most
//  BENCH_SETTLE_LIMIT s, then a checkpoint, as before each of the
//  baseline's runs (run.sh calls `bm_bench settle`), so that no phase pays
//  for the vacuum, the dirty buffers and the WAL of what the one before
//  wrote: after the phases at 30,000 figures a second, the vacuum of the
//  event log (158,536 and 185,015 pages in two runs, 42 and 53 s) ran into
//  the phase at the fixed rate, and the slowest requests there came as it
//  ran or ended. The seconds waited, -1 if autovacuum still ran.
#define BENCH_SETTLE_LIMIT  180

double
    bench_db_settle (PGconn *db, const char *before);

typedef struct {
    bool failed;
    char failure [256];
    uint64_t rows;
    uint64_t bytes;
    double seconds;
    double rows_per_second;
} bench_copy_result_t;

//  COPY (SELECT seq, topic, payload FROM event WHERE seq <= through ORDER
//  BY seq) TO STDOUT, rows counted
int
    bench_db_copy_events (PGconn *db, uint64_t through, bench_copy_result_t *result);

typedef struct {
    bool failed;
    char failure [256];
    uint64_t acked;             //  ids acknowledged
    uint64_t acked_distinct;    //  of them different (a figure acknowledged once)
    uint64_t stored;            //  figure rows with one of those ids
    uint64_t rows;              //  figure rows in all
} bench_integrity_t;

//  Loads the acknowledged ids into a temporary table and counts the
//  figures stored under them
int
    bench_db_integrity (PGconn *db, bench_ids_t *ids, bench_integrity_t *result);

//  The highest audit row id now (0 if none, -1 on error)
int64_t
    bench_db_audit_mark (PGconn *db);

//  Requests refused as RATE_LIMITED and audited after the mark. The server
//  audits them as one row a second a key with their count, so the last
//  second of a key's refusals may not be written yet: this is a lower bound.
int64_t
    bench_db_rate_limited (PGconn *db, int64_t mark);

#endif
