/*  bench_probe: single requests, one at a time, timed.

    The wall: a WallRequest repeated, its median time. Catch-up from 0:
    CatchupRequest pages from sequence 0 through the whole event log (or
    until a time limit), each event unpacked as a follower would, and the
    rate at which they came. A year reported: every cell, month and kind.
*/
#ifndef BENCH_PROBE_H_INCLUDED
#define BENCH_PROBE_H_INCLUDED

#include "bench.h"

typedef struct {
    bool failed;
    char failure [256];
    int count;                  //  requests timed
    int blocks;                 //  in blocks a second apart
    double median_ms;           //  the lowest of the blocks' medians
    double all_median_ms;       //  the median of every request
    double max_ms;
    size_t tasks;               //  rows of the wall, as a check it was the real thing
    uint64_t rate_limited;      //  RATE_LIMITED replies (waited and asked again)
    double quiet_s;             //  waited for a quiet database first, -1: gave up
    double cpu_ms;              //  CPU time a request (set by the caller): battlemapd's
    double driver_cpu_ms;       //  and the driver's
} bench_wall_result_t;

//  Times `count` WallRequests for the district's wall of `period` (all:
//  with every indicator), with the key at `key`, in blocks a second apart;
//  with `beside`, the same wall on that server too, block for block in turn
//  (beside_result), so that both are timed on the machine as it is then
int
    bench_probe_wall (bench_env_t *env, bench_env_t *beside, size_t key, const char *district,
                      const char *period, bool all, int count, bench_wall_result_t *result,
                      bench_wall_result_t *beside_result);

typedef struct {
    bool failed;
    char failure [256];
    uint64_t events;            //  received and unpacked
    uint64_t pages;             //  CatchupRequests answered
    uint64_t bytes;             //  of packed events
    uint64_t through;           //  the log was read up to this sequence number
    uint64_t latest;            //  the log's latest sequence number, at the end
    bool complete;              //  the whole log was read within the time limit
    double seconds;
    double events_per_second;
    uint64_t rate_limited;      //  RATE_LIMITED replies (waited and asked again)
    double limited_seconds;     //  spent on them: the refused request and the wait
} bench_catchup_result_t;

//  Reads the event log from sequence 0 with the key at `key`, for at most
//  max_seconds
int
    bench_probe_catchup (bench_env_t *env, size_t key, int max_seconds,
                         bench_catchup_result_t *result);

//  Reports the plan's year in every cell of env->cells: a final and a
//  forecast figure in each month, `batch` a request, one request at a time,
//  with the key at `key`. 0, or -1 with what went wrong in `failure`.
int
    bench_probe_year (bench_env_t *env, size_t key, int batch, char *failure, size_t size);

#endif
