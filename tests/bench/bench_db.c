/*  bench_db: the battlemap database read directly. */

#include "bench_db.h"
#include "bench_record.h"

#include <stdlib.h>
#include <string.h>

PGconn *
bench_db_connect (const char *conninfo)
{
    PGconn *db = PQconnectdb (conninfo);
    if (PQstatus (db) != CONNECTION_OK) {
        fprintf (stderr, "bm_bench: cannot connect to the database (%s): %s", conninfo,
                 PQerrorMessage (db));
        PQfinish (db);
        return NULL;
    }
    return db;
}

int
bench_db_checkpoint (PGconn *db)
{
    PGresult *result = PQexec (db, "CHECKPOINT");
    int rc = PQresultStatus (result) == PGRES_COMMAND_OK? 0: -1;
    if (rc)
        fprintf (stderr, "bm_bench: CHECKPOINT failed: %s", PQresultErrorMessage (result));
    PQclear (result);
    return rc;
}

//  Waits until no autovacuum worker is running, seen twice half a second
//  apart, for at most `limit` seconds: the seconds waited, or -1 if the
//  limit came first (or the database could not be asked)
static double
s_quiet (PGconn *db, int limit)
{
    int64_t start = bench_now ();
    int64_t deadline = start + (int64_t) limit * 1000000LL;
    int quiet = 0;
    while (!zsys_interrupted) {
        int64_t workers = bench_db_number (db, "SELECT count (*) FROM pg_stat_activity"
                                               " WHERE backend_type = 'autovacuum worker'");
        if (workers < 0)
            return -1;
        quiet = workers? 0: quiet + 1;
        if (quiet == 2)
            return (double) (bench_now () - start) / 1e6;
        if (bench_now () >= deadline)
            return -1;
        zclock_sleep (500);
    }
    return -1;
}

double
bench_db_settle (PGconn *db, const char *before)
{
    double waited = s_quiet (db, BENCH_SETTLE_LIMIT);
    if (waited < 0)
        fprintf (stderr, "bm_bench: autovacuum still ran after %d s: %s anyway\n",
                 BENCH_SETTLE_LIMIT, before);
    else
    if (waited >= 1)
        fprintf (stderr, "bm_bench: waited %.1f s for autovacuum to end before %s\n", waited,
                 before);
    bench_db_checkpoint (db);
    return waited;
}

int64_t
bench_db_number (PGconn *db, const char *sql)
{
    PGresult *result = PQexec (db, sql);
    int64_t number = -1;
    if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) == 1
    &&  !PQgetisnull (result, 0, 0))
        number = strtoll (PQgetvalue (result, 0, 0), NULL, 10);
    else
    if (PQresultStatus (result) != PGRES_TUPLES_OK)
        fprintf (stderr, "bm_bench: query failed (%s): %s", sql, PQresultErrorMessage (result));
    PQclear (result);
    return number;
}

int
bench_db_copy_events (PGconn *db, uint64_t through, bench_copy_result_t *result)
{
    memset (result, 0, sizeof *result);
    char *sql = zsys_sprintf ("COPY (SELECT seq, topic, payload FROM event WHERE seq <= %llu"
                              " ORDER BY seq) TO STDOUT", (unsigned long long) through);
    int64_t start = bench_now ();
    PGresult *copy = PQexec (db, sql);
    free (sql);
    if (PQresultStatus (copy) != PGRES_COPY_OUT) {
        snprintf (result->failure, sizeof result->failure, "COPY refused: %s",
                  PQresultErrorMessage (copy));
        PQclear (copy);
        result->failed = true;
        return -1;
    }
    PQclear (copy);
    char *row;
    int size;
    while ((size = PQgetCopyData (db, &row, 0)) > 0) {
        result->rows++;
        result->bytes += (uint64_t) size;
        PQfreemem (row);
    }
    result->seconds = (double) (bench_now () - start) / 1e6;
    PGresult *end = PQgetResult (db);
    if (size == -2 || PQresultStatus (end) != PGRES_COMMAND_OK) {
        snprintf (result->failure, sizeof result->failure, "COPY failed: %s",
                  PQerrorMessage (db));
        result->failed = true;
    }
    PQclear (end);
    while ((end = PQgetResult (db)))
        PQclear (end);
    result->rows_per_second = result->seconds > 0? (double) result->rows / result->seconds: 0;
    return result->failed? -1: 0;
}

static int
s_command (PGconn *db, const char *sql, char *failure, size_t size)
{
    PGresult *result = PQexec (db, sql);
    int rc = PQresultStatus (result) == PGRES_COMMAND_OK? 0: -1;
    if (rc)
        snprintf (failure, size, "%s: %s", sql, PQresultErrorMessage (result));
    PQclear (result);
    return rc;
}

int
bench_db_integrity (PGconn *db, bench_ids_t *ids, bench_integrity_t *result)
{
    memset (result, 0, sizeof *result);
    result->acked = bench_ids_count (ids);
    if (s_command (db, "CREATE TEMPORARY TABLE IF NOT EXISTS bench_acked (id uuid NOT NULL)",
                   result->failure, sizeof result->failure)
    ||  s_command (db, "TRUNCATE bench_acked", result->failure, sizeof result->failure)) {
        result->failed = true;
        return -1;
    }
    PGresult *copy = PQexec (db, "COPY bench_acked (id) FROM STDIN");
    bool copying = PQresultStatus (copy) == PGRES_COPY_IN;
    PQclear (copy);
    //  The ids go in chunks of many lines
    char chunk [BENCH_ID_SIZE * 1024 + 1024];
    size_t used = 0;
    for (size_t index = 0; copying && index < result->acked; index++) {
        memcpy (chunk + used, bench_ids_get (ids, index), BENCH_ID_SIZE);
        used += BENCH_ID_SIZE;
        chunk [used++] = '\n';
        if (used + BENCH_ID_SIZE + 1 > sizeof chunk || index + 1 == result->acked) {
            copying = PQputCopyData (db, chunk, (int) used) == 1;
            used = 0;
        }
    }
    if (!copying || PQputCopyEnd (db, NULL) != 1) {
        snprintf (result->failure, sizeof result->failure, "cannot load the acknowledged ids: %s",
                  PQerrorMessage (db));
        result->failed = true;
    }
    PGresult *end;
    while ((end = PQgetResult (db))) {
        if (PQresultStatus (end) != PGRES_COMMAND_OK && !result->failed) {
            snprintf (result->failure, sizeof result->failure,
                      "cannot load the acknowledged ids: %s", PQresultErrorMessage (end));
            result->failed = true;
        }
        PQclear (end);
    }
    if (result->failed)
        return -1;
    PGresult *counts = PQexec (db,
        "SELECT (SELECT count (DISTINCT id) FROM bench_acked),"
        "       (SELECT count (*) FROM figure f"
        "         WHERE f.submission_id IN (SELECT id FROM bench_acked)),"
        "       (SELECT count (*) FROM figure)");
    if (PQresultStatus (counts) != PGRES_TUPLES_OK || PQntuples (counts) != 1) {
        snprintf (result->failure, sizeof result->failure, "cannot count the figures: %s",
                  PQresultErrorMessage (counts));
        result->failed = true;
    }
    else {
        result->acked_distinct = strtoull (PQgetvalue (counts, 0, 0), NULL, 10);
        result->stored = strtoull (PQgetvalue (counts, 0, 1), NULL, 10);
        result->rows = strtoull (PQgetvalue (counts, 0, 2), NULL, 10);
    }
    PQclear (counts);
    return result->failed? -1: 0;
}

int64_t
bench_db_audit_mark (PGconn *db)
{
    return bench_db_number (db, "SELECT coalesce (max (id), 0) FROM audit");
}

int64_t
bench_db_rate_limited (PGconn *db, int64_t mark)
{
    char *sql = zsys_sprintf (
        "SELECT coalesce (sum (coalesce (nullif (split_part (detail, ' ', 1), '')::bigint, 1)), 0)"
        " FROM audit WHERE id > %lld AND reason = 'RATE_LIMITED'", (long long) mark);
    int64_t count = bench_db_number (db, sql);
    free (sql);
    return count;
}
