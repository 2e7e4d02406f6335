/*  bench_follow: followers receiving completion events under a steady load. */

#include "bench_follow.h"
#include "bench_cells.h"
#include "bench_keys.h"
#include "bench_record.h"
#include "bench_stats.h"
#include "bm_plan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define S_START_TIMEOUT 60      //  seconds for every follower to start
#define S_SETTLE_MSECS  1000    //  for subscriptions to reach the server

//  One follower and what it saw
typedef struct {
    pthread_t thread;
    bool joinable;
    bench_env_t *env;
    const bench_follow_config_t *config;
    bench_trace_t *trace;
    zcert_t *cert;              //  not ours
    atomic_bool *stop;          //  set by the main thread
    atomic_int state;           //  0 starting, 1 following, -1 could not start
    atomic_uint_fast64_t delivered;
    uint64_t duplicates;
    uint64_t unmatched;
    uint64_t catchups;
    uint8_t *seen;              //  per traced figure: delivered already
    bench_samples_t *latency;
} s_follower_t;

//  Parses a whole decimal number; -1 if it is not one
static int
s_integer (const char *text, int64_t *value)
{
    char *end;
    long long parsed = strtoll (text, &end, 10);
    if (end == text || *end)
        return -1;
    *value = parsed;
    return 0;
}

//  Accounts for one event received
static void
s_received (s_follower_t *self, const Battlemap__Event *event, int64_t now)
{
    if (event->payload_case != BATTLEMAP__EVENT__PAYLOAD_COMPLETION)
        return;
    const Battlemap__CompletionEvent *completion = event->completion;
    if (streq (completion->unit, BM_DISTRICT_UNIT))
        return;                 //  the district's roll-up: no figure of its own
    int64_t value;
    size_t index;
    uint32_t which;
    int month;
    int64_t sent_at;
    if (s_integer (completion->actual, &value)
    ||  bench_trace_find (self->trace, value, &index, &which, &month, &sent_at)) {
        self->unmatched++;
        return;
    }
    const bench_cell_t *cell = bench_cells_get (self->env->cells, which);
    char period [16];
    snprintf (period, sizeof period, "%04d-%02d", bench_cells_year (self->env->cells), month);
    if (!streq (cell->unit, completion->unit) || !streq (cell->indicator, completion->indicator)
    ||  !streq (cell->measure, completion->measure) || !streq (period, completion->period)) {
        self->unmatched++;
        return;
    }
    if (self->seen [index]) {
        self->duplicates++;
        return;
    }
    self->seen [index] = 1;
    bench_samples_add (self->latency, now - sent_at);
    atomic_fetch_add (&self->delivered, 1);
}

static void *
s_follow (void *argument)
{
    s_follower_t *self = (s_follower_t *) argument;
    const char *prefixes [] = { self->config->prefix, NULL };
    bm_follow_t *follow = bm_follow_new (self->env->router, self->env->pub, self->cert,
                                         self->env->server_key, prefixes, 0, true, NULL, 0);
    if (!follow) {
        atomic_store (&self->state, -1);
        return NULL;
    }
    atomic_store (&self->state, 1);
    while (!atomic_load (self->stop) && !zsys_interrupted) {
        Battlemap__Envelope *envelope = bm_follow_recv (follow, 100, NULL);
        if (!envelope)
            continue;
        int64_t now = bench_now ();
        s_received (self, envelope->event, now);
        bm_wire_free (&envelope);
    }
    self->catchups = bm_follow_catchups (follow);
    bm_follow_destroy (&follow);
    return NULL;
}

//  Deliveries so far, over every follower
static uint64_t
s_delivered (s_follower_t *followers, int count)
{
    uint64_t delivered = 0;
    for (int index = 0; index < count; index++)
        delivered += atomic_load (&followers [index].delivered);
    return delivered;
}

int
bench_follow_run (bench_env_t *env, const bench_follow_config_t *config,
                  bench_follow_result_t *result)
{
    memset (result, 0, sizeof *result);
    result->latency = bench_samples_new ();
    //  Room for every figure the load can send, and a margin
    size_t capacity = (size_t) (config->load.rate * config->load.seconds * 1.2)
                    + (size_t) config->load.max_in_flight + 1000;
    bench_trace_t *trace = bench_trace_new (capacity, config->value_base);
    atomic_bool stop;
    atomic_init (&stop, false);
    int count = config->followers;
    s_follower_t *followers = (s_follower_t *) calloc ((size_t) count, sizeof (s_follower_t));
    assert (followers);
    //  Keys are enrolled here, before the threads start
    int ready = 0;
    for (int index = 0; index < count; index++) {
        s_follower_t *follower = followers + index;
        follower->env = env;
        follower->config = config;
        follower->trace = trace;
        follower->stop = &stop;
        atomic_init (&follower->state, 0);
        atomic_init (&follower->delivered, 0);
        follower->seen = (uint8_t *) calloc (capacity, 1);
        follower->latency = bench_samples_new ();
        follower->cert = bench_keys_get (env->keys, config->first_key + (size_t) index);
        if (!follower->cert) {
            atomic_init (&follower->state, -1);
            continue;
        }
        follower->joinable = pthread_create (&follower->thread, NULL, s_follow, follower) == 0;
        if (!follower->joinable)
            atomic_store (&follower->state, -1);
    }
    //  Wait until every follower has subscribed and caught up, or failed
    int64_t deadline = bench_now () + S_START_TIMEOUT * 1000000LL;
    while (!zsys_interrupted && bench_now () < deadline) {
        int settled = 0;
        ready = 0;
        for (int index = 0; index < count; index++) {
            int state = atomic_load (&followers [index].state);
            settled += state != 0;
            ready += state == 1;
        }
        if (settled == count)
            break;
        zclock_sleep (50);
    }
    result->started = ready;
    if (ready == 0)
        snprintf (result->failure, sizeof result->failure,
                  "no follower could start (its first catch-up request was refused "
                  "or not answered)");
    else {
        zclock_sleep (S_SETTLE_MSECS);
        bench_load_config_t load = config->load;
        load.trace = trace;
        if (bench_load_run (env, &load, &result->load))
            snprintf (result->failure, sizeof result->failure, "the load could not run: %.200s",
                      result->load.failure);
        else {
            //  Deliveries still on their way
            result->expected = (uint64_t) ready * result->load.figures_acked_total;
            int64_t load_end = bench_now ();
            int64_t last = load_end;
            deadline = load_end + (int64_t) config->grace_seconds * 1000000;
            uint64_t delivered = s_delivered (followers, count);
            while (delivered < result->expected && !zsys_interrupted && bench_now () < deadline) {
                zclock_sleep (10);
                uint64_t now_delivered = s_delivered (followers, count);
                if (now_delivered != delivered)
                    last = bench_now ();
                delivered = now_delivered;
            }
            result->wait_seconds = (double) (last - load_end) / 1e6;
        }
    }
    result->failed = *result->failure != '\0';
    atomic_store (&stop, true);
    for (int index = 0; index < count; index++) {
        s_follower_t *follower = followers + index;
        if (follower->joinable)
            pthread_join (follower->thread, NULL);
        result->delivered += atomic_load (&follower->delivered);
        result->duplicates += follower->duplicates;
        result->unmatched += follower->unmatched;
        result->catchups += follower->catchups;
        bench_samples_merge (result->latency, follower->latency);
        bench_samples_destroy (&follower->latency);
        free (follower->seen);
    }
    free (followers);
    bench_trace_destroy (&trace);
    return result->failed? -1: 0;
}

void
bench_follow_result_free (bench_follow_result_t *result)
{
    bench_samples_destroy (&result->latency);
    bench_load_result_free (&result->load);
}
