/*  bench_follow: followers receiving completion events under a steady load.

    F followers (bm_follow, each with its own key, in its own thread) follow
    a topic prefix such as "completion/qingpu/" from now on, while
    submitters offer a steady load of traced figures: finals with values
    unique in the run. When a follower receives the completion event of a
    unit whose actual is one of those values, for that figure's cell and
    period, the figure has been delivered; delivery latency counts from when
    its request was sent. Every delivery is expected once per follower.
*/
#ifndef BENCH_FOLLOW_H_INCLUDED
#define BENCH_FOLLOW_H_INCLUDED

#include "bench.h"
#include "bench_load.h"

typedef struct {
    int followers;
    size_t first_key;           //  follower i follows with key first_key + i
    const char *prefix;         //  the topic prefix followed
    bench_load_config_t load;   //  the steady load (its trace is made here)
    int64_t value_base;         //  traced values count up from here
    int grace_seconds;          //  how long deliveries are awaited after the load
} bench_follow_config_t;

typedef struct {
    bool failed;                //  no follower could start, or the load failed
    char failure [256];
    int started;                //  followers that started
    uint64_t expected;          //  deliveries due: followers started x figures acknowledged
    uint64_t delivered;         //  deliveries received
    uint64_t duplicates;        //  a figure delivered twice to one follower
    uint64_t unmatched;         //  completion events of units that are no traced figure
    uint64_t catchups;          //  catch-up requests made by all followers
    double wait_seconds;        //  from the end of the load to the last delivery
    bench_samples_t *latency;   //  per delivery, usecs from the submit being sent
    bench_load_result_t load;
} bench_follow_result_t;

int
    bench_follow_run (bench_env_t *env, const bench_follow_config_t *config,
                      bench_follow_result_t *result);

void
    bench_follow_result_free (bench_follow_result_t *result);

#endif
