/*  bench_probe: single requests, one at a time, timed. */

#include "bench_probe.h"
#include "bench_cells.h"
#include "bench_keys.h"
#include "bench_stats.h"

#include <string.h>

#define S_REQUEST_TIMEOUT 120000    //  msecs a single request may take
#define S_LIMITED_PAUSE   10        //  msecs to wait when told RATE_LIMITED

//  The wall is timed in S_WALL_BLOCKS blocks of requests, S_WALL_PAUSE
//  msecs apart, and its figure is the lowest of the blocks' medians. It is
//  answered from memory in well under a millisecond, and a few seconds of
//  a busy host move that: in one run, 2,000 requests of the wall with every
//  indicator read 0.70 ms on the history the run started with and 0.93 ms
//  after its growth, while battlemapd's CPU for each went from 0.475 to
//  0.520 ms, and the plain wall timed just before read 1.03x; in the next
//  run, the same step read 1.00x both ways. With a server beside, its
//  blocks go in turn with this one's, so that both meet the machine as it
//  is at that moment.
#define S_WALL_BLOCKS     5
#define S_WALL_BLOCK_MIN  20        //  requests a block at least (else fewer blocks)
#define S_WALL_PAUSE      1000      //  msecs

static bm_client_t *
s_client (bench_env_t *env, size_t key, char *failure, size_t size)
{
    zcert_t *cert = bench_keys_get (env->keys, key);
    bm_client_t *client = cert? bm_client_new (env->router, cert, env->server_key): NULL;
    if (!client) {
        snprintf (failure, size, cert? "cannot connect to %s": "its key could not be enrolled",
                  env->router);
        return NULL;
    }
    bm_client_set_timeout (client, S_REQUEST_TIMEOUT);
    bm_client_set_attempts (client, 1);
    return client;
}

static bool
s_rate_limited (const Battlemap__Envelope *reply)
{
    return reply && reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR
        && reply->error->code == BATTLEMAP__ERROR_CODE__RATE_LIMITED;
}

//  Describes a reply that is not the one hoped for
static void
s_describe (const Battlemap__Envelope *reply, const char *what, char *failure, size_t size)
{
    if (!reply)
        snprintf (failure, size, "no reply to a %s within %d s", what, S_REQUEST_TIMEOUT / 1000);
    else
    if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR)
        snprintf (failure, size, "%s refused: %s: %s", what,
                  bm_wire_error_name (reply->error->code), reply->error->message);
    else
        snprintf (failure, size, "unexpected reply to a %s (body %d)", what, reply->body_case);
}

static int
s_compare (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

//  The median of n times, sorted in place
static double
s_median (double *times, int n)
{
    qsort (times, (size_t) n, sizeof (double), s_compare);
    return n % 2? times [n / 2]: (times [n / 2 - 1] + times [n / 2]) / 2;
}

//  One WallRequest: 0 and its time in msecs, 1 if it was refused for its
//  rate (after a pause), -1 if it failed (result->failure says why)
static int
s_wall_one (bm_client_t *client, const char *district, const char *period, bool all,
            bench_wall_result_t *result, double *took_ms)
{
    int64_t start = bench_now ();
    Battlemap__Envelope *reply = bm_client_wall (client, district, period, NULL, all);
    int64_t took = bench_now () - start;
    if (s_rate_limited (reply)) {
        result->rate_limited++;
        bm_wire_free (&reply);
        zclock_sleep (S_LIMITED_PAUSE);
        return 1;
    }
    if (!reply || reply->body_case != BATTLEMAP__ENVELOPE__BODY_WALL_REPLY) {
        s_describe (reply, "WallRequest", result->failure, sizeof result->failure);
        bm_wire_free (&reply);
        result->failed = true;
        return -1;
    }
    result->tasks = reply->wall_reply->n_tasks;
    bm_wire_free (&reply);
    *took_ms = (double) took / 1000.0;
    return 0;
}

//  One server's part of a timing: its connection and the times it took
typedef struct {
    bm_client_t *client;
    double *times;
    bench_wall_result_t *result;
    int rc;                     //  of its last request
} s_wall_timing_t;

//  Connects and asks once (setting up the connection: not timed); a
//  failure stays in the result, and no block is timed then
static void
s_wall_open (s_wall_timing_t *self, bench_env_t *env, size_t key, const char *district,
             const char *period, bool all, int count, int blocks, bench_wall_result_t *result)
{
    memset (result, 0, sizeof *result);
    self->result = result;
    result->blocks = blocks;
    result->median_ms = -1;
    self->times = (double *) calloc ((size_t) count + 1, sizeof (double));
    self->client = s_client (env, key, result->failure, sizeof result->failure);
    if (!self->client) {
        result->failed = true;
        self->rc = -1;
        return;
    }
    double took;
    while ((self->rc = s_wall_one (self->client, district, period, all, result, &took)) == 1
    &&     !zsys_interrupted)
        ;
}

//  Times one block, up to `end` requests timed in all
static void
s_wall_block (s_wall_timing_t *self, const char *district, const char *period, bool all,
              int end)
{
    bench_wall_result_t *result = self->result;
    int first = result->count;
    double took;
    while (self->rc >= 0 && result->count < end && !zsys_interrupted) {
        self->rc = s_wall_one (self->client, district, period, all, result, &took);
        if (self->rc == 0)
            self->times [result->count++] = took;
    }
    if (result->count > first) {
        double median = s_median (self->times + first, result->count - first);
        if (result->median_ms < 0 || median < result->median_ms)
            result->median_ms = median;
    }
}

static void
s_wall_close (s_wall_timing_t *self)
{
    bench_wall_result_t *result = self->result;
    if (!result->failed && result->count == 0) {
        result->failed = true;
        snprintf (result->failure, sizeof result->failure, "interrupted");
    }
    if (result->count) {
        result->all_median_ms = s_median (self->times, result->count);
        result->max_ms = self->times [result->count - 1];
    }
    free (self->times);
    bm_client_destroy (&self->client);
}

int
bench_probe_wall (bench_env_t *env, bench_env_t *beside, size_t key, const char *district,
                  const char *period, bool all, int count, bench_wall_result_t *result,
                  bench_wall_result_t *beside_result)
{
    int blocks = count / S_WALL_BLOCK_MIN;
    blocks = blocks < 1? 1: blocks > S_WALL_BLOCKS? S_WALL_BLOCKS: blocks;
    s_wall_timing_t timings [2] = { { NULL } };
    int servers = beside? 2: 1;
    s_wall_open (timings, env, key, district, period, all, count, blocks, result);
    if (beside)
        s_wall_open (timings + 1, beside, key, district, period, all, count, blocks,
                     beside_result);
    //  Block by block, each server in turn, the first of them in turn
    for (int block = 0; block < blocks && !zsys_interrupted; block++) {
        if (block)
            zclock_sleep (S_WALL_PAUSE);
        int end = (int) ((int64_t) count * (block + 1) / blocks);
        for (int turn = 0; turn < servers; turn++)
            s_wall_block (timings + (block + turn) % servers, district, period, all, end);
    }
    for (int server = 0; server < servers; server++)
        s_wall_close (timings + server);
    return result->failed || (beside && beside_result->failed)? -1: 0;
}

int
bench_probe_catchup (bench_env_t *env, size_t key, int max_seconds,
                     bench_catchup_result_t *result)
{
    memset (result, 0, sizeof *result);
    bm_client_t *client = s_client (env, key, result->failure, sizeof result->failure);
    if (!client) {
        result->failed = true;
        return -1;
    }
    //  Set up the connection first (a request that reads only the latest)
    Battlemap__CatchupRequest catchup = BATTLEMAP__CATCHUP_REQUEST__INIT;
    catchup.latest_only = true;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CATCHUP;
    request.catchup = &catchup;
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_wire_free (&reply);
    catchup.latest_only = false;

    int64_t start = bench_now ();
    int64_t deadline = start + (int64_t) max_seconds * 1000000;
    uint64_t since = 0;
    while (!zsys_interrupted) {
        if (bench_now () >= deadline)
            break;
        catchup.since = since;
        int64_t asked = bench_now ();
        reply = bm_client_request (client, &request);
        if (s_rate_limited (reply)) {
            result->rate_limited++;
            bm_wire_free (&reply);
            zclock_sleep (S_LIMITED_PAUSE);
            result->limited_seconds += (double) (bench_now () - asked) / 1e6;
            continue;
        }
        if (!reply || reply->body_case != BATTLEMAP__ENVELOPE__BODY_CATCHUP_REPLY) {
            s_describe (reply, "CatchupRequest", result->failure, sizeof result->failure);
            bm_wire_free (&reply);
            result->failed = true;
            break;
        }
        Battlemap__CatchupReply *page = reply->catchup_reply;
        result->pages++;
        for (size_t index = 0; index < page->n_events; index++) {
            //  As a follower would: every event unpacked
            Battlemap__Envelope *event = bm_wire_unpack (page->events [index].data,
                                                         page->events [index].len);
            if (event && event->body_case == BATTLEMAP__ENVELOPE__BODY_EVENT)
                result->events++;
            result->bytes += page->events [index].len;
            bm_wire_free (&event);
        }
        result->latest = page->latest;
        bool more = page->more && page->through > since;
        since = page->through;
        bm_wire_free (&reply);
        if (!more) {
            result->complete = true;
            break;
        }
    }
    result->through = since;
    result->seconds = (double) (bench_now () - start) / 1e6;
    result->events_per_second = result->seconds > 0? (double) result->events / result->seconds: 0;
    bm_client_destroy (&client);
    return result->failed? -1: 0;
}

int
bench_probe_year (bench_env_t *env, size_t key, int batch, char *failure, size_t size)
{
    bm_client_t *client = s_client (env, key, failure, size);
    if (!client)
        return -1;
    uint64_t random = 0x5eed;
    int rc = 0;
    size_t cells = bench_cells_size (env->cells);
    //  Request by request: month, kind, then the cells in turn
    size_t requests = (cells + (size_t) batch - 1) / (size_t) batch;
    for (size_t at = 0; at < 24 * requests && rc == 0 && !zsys_interrupted; ) {
        int month = 1 + (int) (at / requests) / 2;
        Battlemap__FigureKind kind = (at / requests) % 2? BATTLEMAP__FIGURE_KIND__FORECAST
                                                        : BATTLEMAP__FIGURE_KIND__FINAL;
        size_t first = (at % requests) * (size_t) batch;
        size_t count = cells - first < (size_t) batch? cells - first: (size_t) batch;
        zframe_t *frame = bench_cells_request_month (env->cells, &random, first, batch, month,
                                                     kind);
        Battlemap__Envelope *reply = bm_client_request_raw (client, zframe_data (frame),
                                                            zframe_size (frame));
        zframe_destroy (&frame);
        if (s_rate_limited (reply))
            zclock_sleep (S_LIMITED_PAUSE);     //  the same cells again, new ids
        else
        if (reply && reply->body_case == BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY
        &&  reply->submit_reply->n_receipts == count)
            at++;
        else {
            s_describe (reply, "SubmitRequest", failure, size);
            rc = -1;
        }
        bm_wire_free (&reply);
    }
    bm_client_destroy (&client);
    return rc;
}
