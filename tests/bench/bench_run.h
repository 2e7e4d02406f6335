/*  bench_run: the options of a benchmark run, the phases that run it, and
    what each phase measured; bench_table turns the results into the table.
*/
#ifndef BENCH_RUN_H_INCLUDED
#define BENCH_RUN_H_INCLUDED

#include "bench.h"
#include "bench_db.h"
#include "bench_follow.h"
#include "bench_load.h"
#include "bench_probe.h"
#include "bench_report.h"

#define BENCH_MAX_STEPS 8       //  client counts in one list
#define BENCH_BESIDE_MAX 5      //  runs of the baseline beside the one-client phase

typedef struct {
    double seconds;             //  load per phase
    uint64_t history;           //  figure rows to grow to
    int growth_seconds;         //  at most, for the growth
    int growth_connections;
    int clients [BENCH_MAX_STEPS];          //  pipelined, 1 figure a request
    int client_count;
    int batch_clients [BENCH_MAX_STEPS];    //  100 figures a request
    int batch_client_count;
    int followers [BENCH_MAX_STEPS];
    int follower_count;
    int window;                 //  requests in flight a connection, 1 figure each
    int batch_window;           //  the same with 100 figures each
    int batch;                  //  figures in a batched request (100)
    double rate;                //  the fixed offered rate, figures a second
    double rate_seconds;        //  load at the fixed rate (its p99 wants samples)
    double follow_rate;         //  the load under followers, figures a second
    int drain_seconds;          //  replies awaited after a phase
    int follow_grace;           //  deliveries awaited after a follower phase
    int catchup_seconds;        //  at most, for the catch-up from 0
    int wall_count;             //  WallRequests timed, each way
    const char *wall_period;    //  the wall's period
    int after_clients;          //  connections of the throughput after growth
    const char *beside;         //  a command that runs pgbench sub1cte at 1 client for
                                //  the seconds given after it and prints its tps
                                //  last; NULL: none
} bench_options_t;

typedef struct {
    int64_t rows_at_start;      //  figure rows before the run
    bench_load_result_t single;                     //  1 client, 1 request in flight
    bench_load_result_t pipelined [BENCH_MAX_STEPS];
    bench_load_result_t batched [BENCH_MAX_STEPS];
    double beside_tps [BENCH_BESIDE_MAX];           //  --beside before, between and
    int beside_count;                               //  after the one-client phase's
                                                    //  rounds; -1: failed
    bench_load_result_t rate_batched;               //  fixed rate, 100 a request
    bench_load_result_t rate_single;                //  fixed rate, 1 a request
    bench_follow_result_t follow [BENCH_MAX_STEPS];
    int64_t follow_limited [BENCH_MAX_STEPS];       //  RATE_LIMITED in the audit
    bench_wall_result_t wall [2][2];                //  [before, after growth][plain, all]
    bench_wall_result_t wall_small [2][2];          //  timed beside them on the server with
                                                    //  the year alone (count 0: none)
    int64_t rows_before_growth;
    int64_t rows_after_growth;
    bench_load_result_t growth;
    bench_load_result_t after;                      //  throughput after growth
    long rss_start, rss_before_growth, rss_after_growth, rss_end;   //  KiB
    bench_catchup_result_t catchup;
    bench_copy_result_t copy;                       //  the catch-up's baseline
    bench_integrity_t integrity;
    bool integrity_ok;
    char integrity_text [256];
} bench_results_t;

//  Runs every phase in order; a phase that fails is noted in its result
//  and the next one runs. 0, or -1 if the run could not go on at all.
int
    bench_phases_run (bench_env_t *env, PGconn *db, const bench_options_t *options,
                      bench_results_t *results);

void
    bench_results_free (bench_results_t *results);

//  Fills the report's table from the results
void
    bench_table_build (bench_report_t *report, const bench_options_t *options,
                       bench_results_t *results);

#endif
