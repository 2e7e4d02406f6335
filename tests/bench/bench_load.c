/*  bench_load: submitters driving battlemapd. */

#include "bench_load.h"
#include "bench_cells.h"
#include "bench_keys.h"
#include "bench_record.h"
#include "bench_stats.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __linux__
#   include <sys/prctl.h>
#endif

#define S_BACKOFF_USECS 10000   //  a connection told RATE_LIMITED waits this long
#define S_BUILD_AHEAD_USECS 5000    //  open loop: the next request is built by this
                                    //  long before it is due at the latest

//  A request in flight
typedef struct {
    uint64_t correlation;
    int64_t due;                //  when it was sent (closed loop) or due (open loop)
    int figures;
} s_pending_t;

//  One submitting connection
typedef struct {
    zsock_t *dealer;
    uint64_t correlation;       //  of the last request sent
    s_pending_t *pending;       //  requests in flight
    size_t pending_count;
    size_t pending_capacity;
    int64_t resume_at;          //  told RATE_LIMITED: no request before this
} s_connection_t;

//  The state of one run
typedef struct {
    bench_env_t *env;
    const bench_load_config_t *config;
    bench_load_result_t *result;
    s_connection_t *connections;
    zmq_pollitem_t *items;
    struct pollfd *fds;         //  the connections' ZMQ_FD, for a sleep to the microsecond
    int count;                  //  connections
    uint64_t random;            //  for cells and values
    int64_t in_flight;          //  figures
    bool window_open;           //  load still offered, acks still counted
    zframe_t *ready;            //  open loop: the next request, built before it is due
    size_t ready_first;         //  its first figure, for the trace
} s_run_t;

//  ---------------------------------------------------------------------------
//  Connections

//  Sleeps `usecs`, or until a reply arrives, whichever is first. zmq_poll
//  counts in milliseconds; this waits on the sockets' own descriptors with
//  a timeout in nanoseconds (the timer slack is 1 ns, bench_load_run), in
//  one sleep: not in steps of 100 us, which woke the bench ten times a
//  millisecond and took half a core at 1,000 requests a second, a core the
//  server and PostgreSQL then shared. A descriptor only says that the
//  socket's state may have changed, so what each socket already holds is
//  asked first.
static void
s_sleep (s_run_t *run, int64_t usecs)
{
    for (int index = 0; index < run->count; index++)
        if (zsock_events (run->connections [index].dealer) & ZMQ_POLLIN)
            return;
    struct timespec timeout = { (time_t) (usecs / 1000000), (long) (usecs % 1000000) * 1000 };
    if (ppoll (run->fds, (nfds_t) run->count, &timeout, NULL) < 0 && errno != EINTR)
        zsys_warning ("bm_bench: ppoll: %s", strerror (errno));
}

static void
s_set_error (char *buffer, size_t size, const char *text)
{
    if (!*buffer)
        snprintf (buffer, size, "%s", text);
}

zsock_t *
bench_load_connect (bench_env_t *env, zcert_t *cert, int timeout, const char **error)
{
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    if (!dealer) {
        *error = "cannot create a socket (too many open files?)";
        return NULL;
    }
    zcert_apply (cert, dealer);
    zsock_set_curve_serverkey (dealer, env->server_key);
    zsock_set_linger (dealer, 0);
    zsock_set_maxmsgsize (dealer, BM_SOCKET_MAX_MESSAGE);
    zsock_set_sndhwm (dealer, 0);
    zsock_set_rcvhwm (dealer, 0);
    if (zsock_connect (dealer, "%s", env->router)) {
        *error = "cannot connect to the server's endpoint";
        zsock_destroy (&dealer);
        return NULL;
    }
    //  A ClockRequest that reads the clock: cheap, allowed to every key
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.version = BM_PROTOCOL_VERSION;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    request.clock = &clock;
    uint64_t correlation = 0;
    zmsg_t *message = zmsg_new ();
    zmsg_addmem (message, &correlation, sizeof correlation);
    zframe_t *frame = bm_wire_pack (&request);
    zmsg_append (message, &frame);
    zmsg_send (&message, dealer);
    zsock_set_rcvtimeo (dealer, timeout);
    zmsg_t *reply = zmsg_recv (dealer);
    zsock_set_rcvtimeo (dealer, -1);
    if (!reply) {
        *error = zsys_interrupted? "interrupted"
               : "no reply to a first request (is the key enrolled, the server up?)";
        zsock_destroy (&dealer);
        return NULL;
    }
    zframe_t *body = zmsg_last (reply);
    Battlemap__Envelope *envelope = body? bm_wire_unpack (zframe_data (body),
                                                          zframe_size (body)): NULL;
    bool answered = envelope && envelope->body_case == BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY;
    bm_wire_free (&envelope);
    zmsg_destroy (&reply);
    if (!answered) {
        *error = "the server refused a first request";
        zsock_destroy (&dealer);
    }
    return dealer;
}

static int
s_open (s_run_t *run)
{
    const bench_load_config_t *config = run->config;
    run->count = config->connections;
    run->connections = (s_connection_t *) calloc ((size_t) run->count, sizeof (s_connection_t));
    run->items = (zmq_pollitem_t *) calloc ((size_t) run->count, sizeof (zmq_pollitem_t));
    run->fds = (struct pollfd *) calloc ((size_t) run->count, sizeof (struct pollfd));
    for (int index = 0; index < run->count; index++) {
        zcert_t *cert = bench_keys_get (run->env->keys, config->first_key + (size_t) index);
        const char *error = "its key could not be enrolled";
        s_connection_t *connection = run->connections + index;
        connection->dealer = cert? bench_load_connect (run->env, cert, 30000, &error): NULL;
        if (!connection->dealer) {
            snprintf (run->result->failure, sizeof run->result->failure,
                      "connection %d of %d: %s", index + 1, run->count, error);
            return -1;
        }
        connection->correlation = ((uint64_t) randof (0x7fffffff) << 32) | (uint64_t) index;
        run->items [index].socket = zsock_resolve (connection->dealer);
        run->items [index].events = ZMQ_POLLIN;
        run->fds [index].fd = zsock_fd (connection->dealer);
        run->fds [index].events = POLLIN;
    }
    return 0;
}

static void
s_close (s_run_t *run)
{
    for (int index = 0; index < run->count && run->connections; index++) {
        s_connection_t *connection = run->connections + index;
        zsock_destroy (&connection->dealer);
        free (connection->pending);
    }
    free (run->connections);
    free (run->items);
    free (run->fds);
    run->fds = NULL;
    zframe_destroy (&run->ready);
    run->connections = NULL;
    run->items = NULL;
}

//  ---------------------------------------------------------------------------
//  Sending and receiving

//  Sends one request on a connection; -1 if no more can be built (trace full)
static int
s_send (s_run_t *run, s_connection_t *connection, int64_t due)
{
    const bench_load_config_t *config = run->config;
    size_t first = run->ready_first;
    zframe_t *frame = run->ready;
    run->ready = NULL;
    if (!frame)
        frame = bench_cells_request (run->env->cells, &run->random, config->batch,
                                     config->trace, &first);
    if (!frame)
        return -1;
    if (connection->pending_count == connection->pending_capacity) {
        size_t capacity = connection->pending_capacity? connection->pending_capacity * 2: 8;
        s_pending_t *pending = (s_pending_t *) realloc (connection->pending,
                                                        capacity * sizeof (s_pending_t));
        assert (pending);
        connection->pending = pending;
        connection->pending_capacity = capacity;
    }
    uint64_t correlation = ++connection->correlation;
    zmsg_t *message = zmsg_new ();
    zmsg_addmem (message, &correlation, sizeof correlation);
    zmsg_append (message, &frame);
    int64_t now = bench_now ();
    if (config->trace)
        bench_trace_sent (config->trace, first, (size_t) config->batch, now);
    if (zmsg_send (&message, connection->dealer)) {
        zmsg_destroy (&message);
        return -1;
    }
    connection->pending [connection->pending_count++] = (s_pending_t) {
        .correlation = correlation, .due = due? due: now, .figures = config->batch };
    run->in_flight += config->batch;
    run->result->requests++;
    run->result->figures_sent += (uint64_t) config->batch;
    return 0;
}

//  Accounts for one reply
static void
s_receive (s_run_t *run, s_connection_t *connection)
{
    bench_load_result_t *result = run->result;
    zmsg_t *message = zmsg_recv (connection->dealer);
    if (!message)
        return;
    int64_t now = bench_now ();
    zframe_t *tag = zmsg_first (message);
    zframe_t *body = zmsg_next (message);
    uint64_t correlation = 0;
    if (tag && zframe_size (tag) == sizeof correlation)
        memcpy (&correlation, zframe_data (tag), sizeof correlation);
    size_t slot = connection->pending_count;
    for (size_t index = 0; index < connection->pending_count; index++)
        if (connection->pending [index].correlation == correlation) {
            slot = index;
            break;
        }
    if (slot == connection->pending_count || !body) {
        zmsg_destroy (&message);        //  not ours: ignored
        return;
    }
    s_pending_t pending = connection->pending [slot];
    connection->pending [slot] = connection->pending [--connection->pending_count];
    run->in_flight -= pending.figures;

    Battlemap__Envelope *reply = bm_wire_unpack (zframe_data (body), zframe_size (body));
    zmsg_destroy (&message);
    if (!reply) {
        result->errors++;
        s_set_error (result->first_error, sizeof result->first_error,
                     "a reply that is not an Envelope");
    }
    else
    if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY) {
        Battlemap__SubmitReply *submit = reply->submit_reply;
        for (size_t index = 0; index < submit->n_receipts; index++) {
            Battlemap__FigureReceipt *receipt = submit->receipts [index];
            if (receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__CREATED
            ||  receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__UPDATED) {
                if (strlen (receipt->id) == 36)
                    bench_ids_add (run->env->acked, receipt->id);
                result->figures_acked_total++;
                if (run->window_open)
                    result->figures_acked++;
            }
            else
            if (receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__UNCHANGED
            &&  receipt->equals_current)
                //  Values are random to the cent below a million: about one
                //  figure in 10^8 carries the value its cell already has
                result->same_value++;
            else {
                result->errors++;
                s_set_error (result->first_error, sizeof result->first_error,
                             "a receipt neither created nor updated");
            }
        }
        bench_samples_add (result->latency, now - pending.due);
    }
    else
    if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR
    &&  reply->error->code == BATTLEMAP__ERROR_CODE__RATE_LIMITED) {
        result->rate_limited++;
        connection->resume_at = now + S_BACKOFF_USECS;
    }
    else {
        result->errors++;
        char text [256];
        if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR)
            snprintf (text, sizeof text, "%s: %s", bm_wire_error_name (reply->error->code),
                      reply->error->message);
        else
            snprintf (text, sizeof text, "an unexpected reply (body %d)", reply->body_case);
        s_set_error (result->first_error, sizeof result->first_error, text);
    }
    bm_wire_free (&reply);
}

//  ---------------------------------------------------------------------------
//  The run

//  Closed loop: fills every connection's window. Returns the msecs until a
//  connection that is backing off may send again (or -1: none is waiting).
static int
s_fill_windows (s_run_t *run, int64_t now, bool *exhausted)
{
    const bench_load_config_t *config = run->config;
    int wait = -1;
    for (int index = 0; index < run->count; index++) {
        s_connection_t *connection = run->connections + index;
        if (connection->resume_at > now) {
            int msecs = (int) ((connection->resume_at - now + 999) / 1000);
            wait = wait < 0 || msecs < wait? msecs: wait;
            continue;
        }
        while ((int) connection->pending_count < config->window) {
            //  Toward a number of figures: no more than are still needed
            if (config->figures && run->result->figures_acked_total + (uint64_t) run->in_flight
                                   >= config->figures)
                return wait;
            if (s_send (run, connection, 0)) {
                *exhausted = true;
                return wait;
            }
        }
    }
    return wait;
}

int
bench_load_run (bench_env_t *env, const bench_load_config_t *config,
                bench_load_result_t *result)
{
    memset (result, 0, sizeof *result);
    result->latency = bench_samples_new ();
    s_run_t run = { .env = env, .config = config, .result = result,
                    .random = ((uint64_t) getpid () << 32) ^ (uint64_t) bench_now () ^ 0x9e37 };
    if (s_open (&run)) {
        result->failed = true;
        s_close (&run);
        return -1;
    }
    bool open_loop = config->rate > 0;
#ifdef __linux__
    //  Sleeps end when asked, not up to 50 microseconds later
    if (open_loop)
        prctl (PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
#endif
    int64_t interval = open_loop? (int64_t) (1e6 * config->batch / config->rate): 0;
    result->offered_per_second = config->rate;

    double cpu_server = bench_cpu_process (env->server_pid);
    double cpu_pg = bench_cpu_cluster (env->pg_pid);
    int64_t start = bench_now ();
    int64_t end = start + (int64_t) (config->seconds * 1e6);
    int64_t window_end = 0;
    int64_t next_offer = start;
    int64_t next_progress = start + (int64_t) config->progress_seconds * 1000000;
    int next_connection = 0;
    bool exhausted = false;
    run.window_open = true;

    while (true) {
        int64_t now = bench_now ();
        if (run.window_open
        &&  (now >= end || zsys_interrupted || exhausted
         ||  (config->figures && result->figures_acked_total >= config->figures))) {
            //  The measured window ends: no more load, replies still counted
            run.window_open = false;
            window_end = now;
            result->cpu_server = bench_cpu_process (env->server_pid) - cpu_server;
            result->cpu_pg = bench_cpu_cluster (env->pg_pid) - cpu_pg;
        }
        if (!run.window_open
        &&  (run.in_flight == 0 || zsys_interrupted
         ||  now >= window_end + (int64_t) config->drain_seconds * 1000000))
            break;
        int timeout = 100;
        if (run.window_open && !open_loop) {
            int wait = s_fill_windows (&run, now, &exhausted);
            if (wait >= 0 && wait < timeout)
                timeout = wait;
        }
        else
        if (run.window_open) {
            //  Every offer that is due goes out now, on the next connection
            while (next_offer <= now && !exhausted) {
                if (run.in_flight + config->batch <= config->max_in_flight) {
                    s_connection_t *connection = run.connections + next_connection;
                    next_connection = (next_connection + 1) % run.count;
                    if (s_send (&run, connection, next_offer))
                        exhausted = true;
                }
                else
                    result->skipped += (uint64_t) config->batch;
                next_offer += interval;
            }
            //  The next offer is built before it is due, not when: its latency
            //  counts from then. Not while a request is in flight unless the
            //  offer is near: building 100 figures takes the bench 0.4 ms,
            //  and the kernel, waking ZeroMQ's I/O thread on the bench's
            //  own CPU, made it wait that long to send the request just
            //  offered (perf sched), which counted in that request's latency
            bool near = next_offer - bench_now () < S_BUILD_AHEAD_USECS;
            if (!run.ready && !exhausted && (run.in_flight == 0 || near))
                run.ready = bench_cells_request (env->cells, &run.random, config->batch,
                                                 config->trace, &run.ready_first);
            //  Woken on time, not up to a millisecond late: the poll's
            //  milliseconds are rounded down, and the last one is slept to
            //  the microsecond (or until a reply)
            int64_t early = next_offer - bench_now ();
            int msecs = (int) (early / 1000);
            //  Woken in time to build it, if it waits for a reply
            if (!run.ready && !exhausted && msecs > S_BUILD_AHEAD_USECS / 1000)
                msecs -= S_BUILD_AHEAD_USECS / 1000;
            timeout = msecs < 0? 0: msecs < timeout? msecs: timeout;
            if (timeout == 0 && early > 0)
                s_sleep (&run, early);
        }
        //  Wake up when the window ends
        if (run.window_open && end - now < (int64_t) timeout * 1000)
            timeout = (int) ((end - now + 999) / 1000);
        if (timeout < 0)
            timeout = 0;
        if (zmq_poll (run.items, run.count, timeout) < 0 && !zsys_interrupted)
            continue;
        for (int index = 0; index < run.count; index++) {
            s_connection_t *connection = run.connections + index;
            while (zsock_events (connection->dealer) & ZMQ_POLLIN)
                s_receive (&run, connection);
        }
        if (config->progress_seconds && now >= next_progress) {
            fprintf (stderr, "bm_bench: %s: %llu figures acknowledged%s\n", config->name,
                     (unsigned long long) result->figures_acked_total,
                     run.window_open? "": " (waiting for the last replies)");
            next_progress = now + (int64_t) config->progress_seconds * 1000000;
        }
    }
    result->abandoned = (uint64_t) run.in_flight;
    env->abandoned += (uint64_t) run.in_flight;
    result->seconds = (double) (window_end - start) / 1e6;
    result->figures_per_second = result->seconds > 0
        ? (double) result->figures_acked / result->seconds: 0;
    s_close (&run);
    return 0;
}

void
bench_load_result_free (bench_load_result_t *result)
{
    bench_samples_destroy (&result->latency);
}

void
bench_load_result_merge (bench_load_result_t *self, bench_load_result_t *other)
{
    if (other->failed && !self->failed) {
        self->failed = true;
        snprintf (self->failure, sizeof self->failure, "%s", other->failure);
    }
    if (other->errors && !self->errors)
        snprintf (self->first_error, sizeof self->first_error, "%s", other->first_error);
    self->requests += other->requests;
    self->figures_sent += other->figures_sent;
    self->figures_acked += other->figures_acked;
    self->figures_acked_total += other->figures_acked_total;
    self->rate_limited += other->rate_limited;
    self->same_value += other->same_value;
    self->errors += other->errors;
    self->abandoned += other->abandoned;
    self->skipped += other->skipped;
    self->seconds += other->seconds;
    self->cpu_server += other->cpu_server;
    self->cpu_pg += other->cpu_pg;
    self->turns = self->turns < 0 || other->turns < 0? -1: self->turns + other->turns;
    self->figures_per_second = self->seconds > 0
        ? (double) self->figures_acked / self->seconds: 0;
    self->offered_per_second = self->seconds > 0
        ? (self->offered_per_second * (self->seconds - other->seconds)
           + other->offered_per_second * other->seconds) / self->seconds: 0;
    if (!self->latency)
        self->latency = bench_samples_new ();
    if (other->latency)
        bench_samples_merge (self->latency, other->latency);
}

double
bench_load_figures_per_turn (const bench_load_result_t *result)
{
    return result->turns > 0? (double) result->figures_acked_total / (double) result->turns: -1;
}

void
bench_load_print (const char *name, bench_load_result_t *result)
{
    if (result->failed) {
        fprintf (stderr, "bm_bench: %s: failed: %s\n", name, result->failure);
        return;
    }
    fprintf (stderr, "bm_bench: %s: %.0f figures/s (%llu in %.1f s), ack p50 %.2f ms,"
             " p99 %.2f ms", name, result->figures_per_second,
             (unsigned long long) result->figures_acked, result->seconds,
             bench_samples_percentile (result->latency, 50) / 1000.0,
             bench_samples_percentile (result->latency, 99) / 1000.0);
    if (result->turns > 0)
        fprintf (stderr, ", %lld turns committed (%.1f figures a turn)", (long long) result->turns,
                 bench_load_figures_per_turn (result));
    if (result->rate_limited)
        fprintf (stderr, ", RATE_LIMITED %llu", (unsigned long long) result->rate_limited);
    if (result->errors)
        fprintf (stderr, ", %llu errors (first: %s)", (unsigned long long) result->errors,
                 result->first_error);
    if (result->skipped)
        fprintf (stderr, ", %llu figures not offered (too many in flight)",
                 (unsigned long long) result->skipped);
    if (result->abandoned)
        fprintf (stderr, ", %llu figures never answered", (unsigned long long) result->abandoned);
    fprintf (stderr, "\n");
}

//  ---------------------------------------------------------------------------

void
bench_load_test (bool verbose)
{
    printf (" * bench_load: ");
    //  Two rounds of 5 s, 1,000 and 1,500 figures: 250 a second in all
    bench_load_result_t total = { .figures_acked = 1000, .figures_acked_total = 1001,
                                  .requests = 1001, .errors = 0, .seconds = 5,
                                  .cpu_server = 1, .turns = 400,
                                  .latency = bench_samples_new () };
    bench_load_result_t round = { .figures_acked = 1500, .figures_acked_total = 1500,
                                  .requests = 1500, .errors = 2, .seconds = 5,
                                  .cpu_server = 0.5, .turns = 600,
                                  .latency = bench_samples_new () };
    snprintf (round.first_error, sizeof round.first_error, "VALUE_OUT_OF_RANGE");
    bench_samples_add (total.latency, 900);
    bench_samples_add (round.latency, 700);
    bench_samples_add (round.latency, 800);
    bench_load_result_merge (&total, &round);
    BENCH_CHECK (total.figures_acked == 2500 && total.figures_acked_total == 2501);
    BENCH_CHECK (total.requests == 2501 && total.seconds == 10);
    BENCH_CHECK (total.figures_per_second == 250 && total.cpu_server == 1.5);
    BENCH_CHECK (total.errors == 2 && streq (total.first_error, "VALUE_OUT_OF_RANGE"));
    BENCH_CHECK (bench_samples_count (total.latency) == 3);
    BENCH_CHECK (bench_samples_percentile (total.latency, 50) == 800);
    BENCH_CHECK (!total.failed && total.turns == 1000);
    BENCH_CHECK (bench_load_figures_per_turn (&total) == 2.501);
    round.failed = true;
    round.turns = -1;           //  not known for one round: not known for both
    snprintf (round.failure, sizeof round.failure, "battlemapd is not running");
    bench_load_result_merge (&total, &round);
    BENCH_CHECK (total.failed && streq (total.failure, "battlemapd is not running"));
    BENCH_CHECK (total.turns == -1 && bench_load_figures_per_turn (&total) == -1);
    bench_load_result_free (&round);
    bench_load_result_free (&total);
    if (verbose)
        printf ("(merged) ");
    printf ("OK\n");
}
