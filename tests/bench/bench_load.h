/*  bench_load: submitters driving battlemapd.

    N connections, each a DEALER under CURVE with its own key, send submit
    requests of `batch` figures. Closed loop: each connection keeps `window`
    requests in flight (pipelined; replies are matched by their correlation
    frame). Open loop: requests go out at a fixed rate whatever the replies,
    round robin over the connections, and latency counts from when each was
    due. Load is offered for a number of seconds, or until a number of
    figures is acknowledged; then the replies still due are awaited for a
    bounded time. Every id acknowledged goes to env->acked.
*/
#ifndef BENCH_LOAD_H_INCLUDED
#define BENCH_LOAD_H_INCLUDED

#include "bench.h"

typedef struct {
    const char *name;           //  for progress messages
    int connections;
    int window;                 //  closed loop: requests in flight per connection
    int batch;                  //  figures per request
    double rate;                //  open loop: figures a second (0: closed loop)
    int max_in_flight;          //  open loop: figures in flight at most; more are skipped
    double seconds;             //  how long load is offered
    uint64_t figures;           //  stop once this many are acknowledged (0: no limit)
    int drain_seconds;          //  how long replies are awaited afterwards
    size_t first_key;           //  connection i speaks with key first_key + i
    bench_trace_t *trace;       //  traced figures (for followers), or NULL
    int progress_seconds;       //  print progress this often (0: never)
} bench_load_config_t;

typedef struct {
    bool failed;                //  the phase could not run
    char failure [256];         //  why
    uint64_t requests;          //  sent
    uint64_t figures_sent;
    uint64_t figures_acked;     //  acknowledged within the measured window
    uint64_t figures_acked_total;   //  and during the drain
    uint64_t rate_limited;      //  RATE_LIMITED replies
    uint64_t same_value;        //  figures whose random value was the cell's
                                //  current one: answered unchanged, not stored
    uint64_t errors;            //  other error replies and refused figures
    char first_error [256];     //  the first of them
    uint64_t abandoned;         //  figures sent whose reply never came
    uint64_t skipped;           //  open loop: figures not sent, too many in flight
    double seconds;             //  the measured window
    double figures_per_second;  //  acknowledged within it
    double offered_per_second;  //  open loop: figures due a second
    double cpu_server;          //  CPU seconds of battlemapd within the window
    double cpu_pg;              //  and of the PostgreSQL cluster
    int64_t turns;              //  turns the server committed meanwhile (transaction
                                //  ids taken), -1 if unknown (set by the phase)
    bench_samples_t *latency;   //  per acknowledged request, usecs
} bench_load_result_t;

//  Runs the load; the result is filled in (free it with bench_load_result_free).
//  0, or -1 if the phase could not run (result->failure says why).
int
    bench_load_run (bench_env_t *env, const bench_load_config_t *config,
                    bench_load_result_t *result);

void
    bench_load_result_free (bench_load_result_t *result);

//  Figures acknowledged a turn the server committed, -1 if not known
double
    bench_load_figures_per_turn (const bench_load_result_t *result);

//  Adds another run's figures to self, as one run of both windows
void
    bench_load_result_merge (bench_load_result_t *self, bench_load_result_t *other);

void
    bench_load_test (bool verbose);

//  One line for the progress log
void
    bench_load_print (const char *name, bench_load_result_t *result);

//  Makes a DEALER to the server under CURVE with cert and waits until it
//  answers a ClockRequest (the connection is then fully set up). NULL and
//  *error if not within timeout msecs.
zsock_t *
    bench_load_connect (bench_env_t *env, zcert_t *cert, int timeout, const char **error);

#endif
