/*  bench: what the parts of the battlemapd benchmark (bm_bench) share.

    bm_bench.c       the driver: options, set-up, the table printed
    bench_phases.c   the phases in order (bench_run.h: options and results)
    bench_table.c    the results as one table, beside the baseline and targets
    bench_stats.c    latency samples and percentiles; CPU and memory from /proc
    bench_cells.c    the plan's cells that take a figure, and requests built of them
    bench_record.c   the ids acknowledged; the send times of traced figures
    bench_keys.c     a pool of keys, each enrolled on first use
    bench_load.c     submitters: N connections, pipelined or at a fixed rate
    bench_follow.c   followers (bm_follow) and their event delivery latency
    bench_probe.c    single requests timed: walls, catch-up from 0
    bench_db.c       PostgreSQL directly: counts, the COPY baseline, integrity
    bench_report.c   results by name, the baseline file, the final table

    Not part of the project's API: only the benchmark's sources include it.
*/
#ifndef BENCH_H_INCLUDED
#define BENCH_H_INCLUDED

#include "bm_client.h"
#include "bm_follow.h"
#include "bm_wire.h"

#include <czmq.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <time.h>

typedef struct _bench_samples_t bench_samples_t;
typedef struct _bench_cells_t bench_cells_t;
typedef struct _bench_keys_t bench_keys_t;
typedef struct _bench_ids_t bench_ids_t;
typedef struct _bench_trace_t bench_trace_t;
typedef struct _bench_report_t bench_report_t;

//  What every phase needs to reach the server and account for its work
typedef struct _bench_env_t bench_env_t;
struct _bench_env_t {
    const char *router;         //  the server's request endpoint
    const char *pub;            //  the server's event endpoint
    const char *server_key;     //  its public key, Z85
    const char *conninfo;       //  the battlemap database, for checks
    bench_keys_t *keys;         //  one enrolled key per connection
    bench_cells_t *cells;       //  where figures go
    bench_ids_t *acked;         //  every submission id acknowledged
    pid_t server_pid;           //  battlemapd
    pid_t pg_pid;               //  the PostgreSQL postmaster
    uint64_t abandoned;         //  figures sent whose reply never came
    bool verbose;
    bench_env_t *small;         //  a second server, holding the year reported alone,
                                //  whose wall is timed beside this one's; or NULL
};

//  A check in a self-test: evaluated in every build (assert is not, under
//  NDEBUG), and fatal
#define BENCH_CHECK(condition) \
    do { \
        if (!(condition)) { \
            fprintf (stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            abort (); \
        } \
    } while (0)

//  Microseconds on the monotonic clock
static inline int64_t
bench_now (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

#endif
