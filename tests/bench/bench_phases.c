/*  bench_phases: the phases of a run, in order.

    1. submitters: one client with one request in flight; N pipelined
       connections with 1 figure a request; N with 100 a request
    2. a fixed offered rate: 100 figures a request, then 1 a request
    3. followers: 1, 10, 100 under a steady load
    4. the history grown through the server; the wall timed again (it was
       timed first before phase 1, on the history the run started with),
       and the throughput of 16 connections on the grown history
    5. catch-up from sequence 0 and its baseline, COPY of the event log
    6. integrity: every acknowledged figure stored
*/

#include "bench_run.h"
#include "bench_cells.h"
#include "bench_keys.h"
#include "bench_record.h"
#include "bench_stats.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_SETTLE_LIMIT 300      //  seconds to wait for abandoned requests to finish

//  Keys are handed out in order: every phase's connections get fresh ones,
//  so that no phase starts with a bucket another phase emptied
static size_t s_next_key = 0;

static size_t
s_keys (int count)
{
    size_t first = s_next_key;
    s_next_key += (size_t) count;
    return first;
}

//  After a phase that gave up on replies, the server is still working on
//  those requests: wait until the figure table stops growing, so that the
//  next phase measures only itself
static void
s_settle (bench_env_t *env, PGconn *db, uint64_t *abandoned_seen)
{
    if (env->abandoned == *abandoned_seen)
        return;
    *abandoned_seen = env->abandoned;
    fprintf (stderr, "bm_bench: waiting for the server to finish the requests given up on\n");
    int64_t deadline = bench_now () + S_SETTLE_LIMIT * 1000000LL;
    int64_t last = -1;
    int steady = 0;
    while (!zsys_interrupted && bench_now () < deadline && steady < 3) {
        zclock_sleep (1000);
        int64_t rows = bench_db_number (db, "SELECT count (*) FROM figure");
        steady = rows == last? steady + 1: 0;
        last = rows;
    }
}

//  Why no further phase can run: interrupted, or the server is gone.
//  NULL while they can.
static const char *
s_stopped (bench_env_t *env)
{
    if (zsys_interrupted)
        return "not run (interrupted)";
    if (kill (env->server_pid, 0) != 0)
        return "not run (battlemapd is not running)";
    return NULL;
}

//  The transaction id the cluster gives next, without taking one: each
//  transaction that writes takes one, and while a phase runs only the
//  server's turns write (one transaction each, bm_store_send)
#define S_NEXT_XID_SQL  "SELECT pg_snapshot_xmax (pg_current_snapshot ())::text::bigint"

//  One load phase, from a quiet database and a checkpoint; the turns the
//  server committed meanwhile
static void
s_load (bench_env_t *env, PGconn *db, const bench_load_config_t *config,
        bench_load_result_t *result, const char *name)
{
    const char *stopped = s_stopped (env);
    if (stopped) {
        result->failed = true;
        snprintf (result->failure, sizeof result->failure, "%s", stopped);
        return;
    }
    bench_db_settle (db, name);
    fprintf (stderr, "bm_bench: %s ...\n", name);
    int64_t before = bench_db_number (db, S_NEXT_XID_SQL);
    bench_load_run (env, config, result);
    int64_t after = bench_db_number (db, S_NEXT_XID_SQL);
    result->turns = before >= 0 && after >= before? after - before: -1;
    bench_load_print (name, result);
}

//  The baseline's tps run beside a phase by --beside for `seconds`: the
//  last number the command printed, -1 if it printed none or failed. Run
//  beside the phase it is compared with, so that a machine whose disk slows
//  down or speeds up over a run does not move the ratio.
static double
s_beside (const bench_options_t *options, int seconds)
{
    if (!options->beside)
        return -1;
    char *command = zsys_sprintf ("%s %d", options->beside, seconds);
    fprintf (stderr, "bm_bench: the baseline beside: %s\n", command);
    FILE *output = popen (command, "r");
    free (command);
    if (!output) {
        fprintf (stderr, "bm_bench: cannot run the baseline beside\n");
        return -1;
    }
    double tps = -1;
    char line [256];
    while (fgets (line, sizeof line, output)) {
        char *end;
        double value = strtod (line, &end);
        if (end != line)
            tps = value;
    }
    int status = pclose (output);
    if (status != 0 || tps <= 0) {
        fprintf (stderr, "bm_bench: the baseline beside failed (status %d)\n", status);
        return -1;
    }
    fprintf (stderr, "bm_bench: the baseline beside: %.0f tps\n", tps);
    return tps;
}

//  The one-client phase in rounds of about S_SINGLE_SLICE s (at most
//  BENCH_BESIDE_MAX - 1), each between two runs of the baseline beside it:
//  pgbench, battlemapd, pgbench, battlemapd, ..., pgbench. On this kind of
//  machine pgbench's one-client figure moved between 1,570 and 3,475 tps
//  from one run to the next, and with a baseline taken only before and
//  after the phase the ratio read anywhere from 0.44x to 0.76x
#define S_SINGLE_SLICE  5

static void
s_single (bench_env_t *env, PGconn *db, const bench_options_t *options,
          const bench_load_config_t *phase, bench_results_t *results)
{
    int rounds = options->beside? (int) (options->seconds / S_SINGLE_SLICE): 1;
    rounds = rounds < 1? 1: rounds > BENCH_BESIDE_MAX - 1? BENCH_BESIDE_MAX - 1: rounds;
    bench_load_config_t config = *phase;
    config.seconds = options->seconds / rounds;
    int seconds = (int) (config.seconds + 0.5);
    seconds = seconds < 1? 1: seconds;
    results->beside_count = 0;
    if (options->beside)
        results->beside_tps [results->beside_count++] = s_beside (options, seconds);
    char name [128];
    for (int round = 0; round < rounds; round++) {
        bench_load_result_t part;
        snprintf (name, sizeof name, "1 client, 1 request in flight, 1 figure (%d of %d)",
                  round + 1, rounds);
        s_load (env, db, &config, round? &part: &results->single, name);
        if (round) {
            bench_load_result_merge (&results->single, &part);
            bench_load_result_free (&part);
        }
        if (options->beside)
            results->beside_tps [results->beside_count++] = s_beside (options, seconds);
    }
    if (rounds > 1)
        bench_load_print ("1 client, 1 request in flight, 1 figure", &results->single);
}

//  ---------------------------------------------------------------------------

static void
s_submitters (bench_env_t *env, PGconn *db, const bench_options_t *options,
              bench_results_t *results, uint64_t *abandoned)
{
    char name [128];
    bench_load_config_t config = {
        .name = "one client", .connections = 1, .window = 1, .batch = 1,
        .seconds = options->seconds, .drain_seconds = options->drain_seconds
    };
    config.first_key = s_keys (1);
    s_single (env, db, options, &config, results);
    s_settle (env, db, abandoned);

    for (int step = 0; step < options->client_count; step++) {
        config.connections = options->clients [step];
        config.window = options->window;
        config.first_key = s_keys (config.connections);
        snprintf (name, sizeof name, "%d connections, %d in flight each, 1 figure",
                  config.connections, config.window);
        config.name = name;
        s_load (env, db, &config, &results->pipelined [step], name);
        s_settle (env, db, abandoned);
    }
    for (int step = 0; step < options->batch_client_count; step++) {
        config.connections = options->batch_clients [step];
        config.window = options->batch_window;
        config.batch = options->batch;
        config.first_key = s_keys (config.connections);
        snprintf (name, sizeof name, "%d connections, %d in flight each, %d figures",
                  config.connections, config.window, config.batch);
        config.name = name;
        s_load (env, db, &config, &results->batched [step], name);
        s_settle (env, db, abandoned);
    }
}

static void
s_fixed_rate (bench_env_t *env, PGconn *db, const bench_options_t *options,
              bench_results_t *results, uint64_t *abandoned)
{
    char name [128];
    //  At most two seconds of offers in flight: beyond, offers are skipped
    //  (and counted) rather than queued without end
    bench_load_config_t config = {
        .connections = 4, .batch = options->batch, .rate = options->rate,
        .max_in_flight = (int) (options->rate * 2) + options->batch,
        .seconds = options->rate_seconds, .drain_seconds = options->drain_seconds
    };
    config.first_key = s_keys (config.connections);
    snprintf (name, sizeof name, "%.0f figures/s offered as %.0f requests/s of %d",
              options->rate, options->rate / options->batch, options->batch);
    config.name = name;
    s_load (env, db, &config, &results->rate_batched, name);
    s_settle (env, db, abandoned);

    config.connections = 16;
    config.batch = 1;
    config.max_in_flight = (int) (options->rate * 2) + 1;
    config.first_key = s_keys (config.connections);
    snprintf (name, sizeof name, "%.0f figures/s offered as %.0f requests/s of 1 over 16",
              options->rate, options->rate);
    s_load (env, db, &config, &results->rate_single, name);
    s_settle (env, db, abandoned);
}

static void
s_followers (bench_env_t *env, PGconn *db, const bench_options_t *options,
             bench_results_t *results, uint64_t *abandoned)
{
    char prefix [128];
    snprintf (prefix, sizeof prefix, "completion/%s/", bench_cells_district (env->cells));
    for (int step = 0; step < options->follower_count; step++) {
        bench_follow_result_t *result = results->follow + step;
        const char *stopped = s_stopped (env);
        if (stopped) {
            result->failed = true;
            snprintf (result->failure, sizeof result->failure, "%s", stopped);
            continue;
        }
        int count = options->followers [step];
        bench_follow_config_t config = {
            .followers = count, .prefix = prefix, .grace_seconds = options->follow_grace,
            //  Values no other phase sends, different in every step
            .value_base = 7000000000LL + (int64_t) step * 100000000LL,
            .load = {
                .name = "load under followers", .connections = 4, .batch = 1,
                .rate = options->follow_rate,
                .max_in_flight = (int) (options->follow_rate * 2) + 1,
                .seconds = options->seconds, .drain_seconds = options->drain_seconds
            }
        };
        config.first_key = s_keys (count);
        config.load.first_key = s_keys (config.load.connections);
        char name [192];
        snprintf (name, sizeof name, "%d followers of %s under %.0f figures/s", count, prefix,
                  options->follow_rate);
        bench_db_settle (db, name);
        fprintf (stderr, "bm_bench: %s ...\n", name);
        int64_t mark = bench_db_audit_mark (db);
        bench_follow_run (env, &config, result);
        //  The server writes the last second's RATE_LIMITED row with the
        //  next refusal a second later: give it that second
        zclock_sleep (1100);
        results->follow_limited [step] = bench_db_rate_limited (db, mark);
        if (result->failed)
            fprintf (stderr, "bm_bench: %d followers: failed: %s\n", count, result->failure);
        else
            fprintf (stderr, "bm_bench: %d followers: %llu of %llu deliveries, p99 %.2f ms, "
                     "%llu catch-up requests, %llu unmatched events\n", result->started,
                     (unsigned long long) result->delivered,
                     (unsigned long long) result->expected,
                     bench_samples_percentile (result->latency, 99) / 1000.0,
                     (unsigned long long) result->catchups,
                     (unsigned long long) result->unmatched);
        s_settle (env, db, abandoned);
    }
}

//  Times the district's wall, plain and with every indicator, with the CPU
//  it takes, from a quiet database as a phase is. The wall is answered from
//  memory in well under a millisecond, so a vacuum or a checkpoint on the
//  other core can move it by more than the history does (the timing after
//  the growth would otherwise be taken while the database still vacuums
//  what the phases wrote, the one before not). Beside it, block for block,
//  the same wall on the server that holds the year alone, if there is one
static void
s_walls (bench_env_t *env, PGconn *db, const bench_options_t *options,
         bench_wall_result_t wall [2], bench_wall_result_t small [2], size_t key,
         const char *when)
{
    double quiet = -1;
    if (!s_stopped (env)) {
        char before [64];
        snprintf (before, sizeof before, "the wall %s growth", when);
        quiet = bench_db_settle (db, before);
    }
    for (int all = 0; all < 2; all++) {
        const char *stopped = s_stopped (env);
        if (stopped) {
            wall [all].failed = true;
            snprintf (wall [all].failure, sizeof wall [all].failure, "%s", stopped);
            continue;
        }
        double cpu = bench_cpu_process (env->server_pid), own = bench_cpu_process (getpid ());
        double cpu_small = env->small? bench_cpu_process (env->small->server_pid): 0;
        bench_probe_wall (env, env->small, key, bench_cells_district (env->cells),
                          options->wall_period, all == 1, options->wall_count, wall + all,
                          small + all);
        wall [all].quiet_s = quiet;
        wall [all].cpu_ms = (bench_cpu_process (env->server_pid) - cpu) * 1000.0
                          / (wall [all].count + 1);
        //  Each request the driver made, to either server, the same work
        int requests = wall [all].count + 1 + (env->small? small [all].count + 1: 0);
        wall [all].driver_cpu_ms = (bench_cpu_process (getpid ()) - own) * 1000.0 / requests;
        if (wall [all].failed)
            fprintf (stderr, "bm_bench: wall%s %s growth: failed: %s\n", all? " --all": "",
                     when, wall [all].failure);
        else
            fprintf (stderr, "bm_bench: wall%s %s growth: %.2f ms, the lowest median of %d"
                     " blocks (all %d: median %.2f ms; %zu tasks), CPU a request: battlemapd"
                     " %.3f ms, bm_bench %.3f ms\n", all? " --all": "", when,
                     wall [all].median_ms, wall [all].blocks, wall [all].count,
                     wall [all].all_median_ms, wall [all].tasks, wall [all].cpu_ms,
                     wall [all].driver_cpu_ms);
        if (env->small) {
            small [all].cpu_ms = (bench_cpu_process (env->small->server_pid) - cpu_small)
                               * 1000.0 / (small [all].count + 1);
            if (small [all].failed)
                fprintf (stderr, "bm_bench: wall%s beside, the year alone: failed: %s\n",
                         all? " --all": "", small [all].failure);
            else
                fprintf (stderr, "bm_bench: wall%s beside, the year alone: %.2f ms, CPU a"
                         " request: battlemapd %.3f ms\n", all? " --all": "",
                         small [all].median_ms, small [all].cpu_ms);
        }
    }
}

static void
s_history (bench_env_t *env, PGconn *db, const bench_options_t *options,
           bench_results_t *results, size_t wall_key, uint64_t *abandoned)
{
    results->rows_before_growth = bench_db_number (db, "SELECT count (*) FROM figure");
    results->rss_before_growth = bench_rss_kib (env->server_pid);

    int64_t needed = (int64_t) options->history - results->rows_before_growth;
    if (needed > 0) {
        char name [128];
        snprintf (name, sizeof name, "growth to %llu figure rows",
                  (unsigned long long) options->history);
        bench_load_config_t config = {
            .name = name, .connections = options->growth_connections,
            .window = options->batch_window, .batch = options->batch,
            .seconds = options->growth_seconds, .figures = (uint64_t) needed,
            .drain_seconds = options->drain_seconds, .progress_seconds = 10
        };
        config.first_key = s_keys (config.connections);
        s_load (env, db, &config, &results->growth, name);
        s_settle (env, db, abandoned);
    }
    else
        fprintf (stderr, "bm_bench: the history holds %lld figure rows already: no growth\n",
                 (long long) results->rows_before_growth);
    results->rows_after_growth = bench_db_number (db, "SELECT count (*) FROM figure");
    results->rss_after_growth = bench_rss_kib (env->server_pid);
    s_walls (env, db, options, results->wall [1], results->wall_small [1], wall_key, "after");

    char name [128];
    snprintf (name, sizeof name, "after growth: %d connections, %d in flight each, 1 figure",
              options->after_clients, options->window);
    bench_load_config_t config = {
        .name = name, .connections = options->after_clients, .window = options->window,
        .batch = 1, .seconds = options->seconds, .drain_seconds = options->drain_seconds
    };
    config.first_key = s_keys (config.connections);
    s_load (env, db, &config, &results->after, name);
    s_settle (env, db, abandoned);
}

static void
s_catchup (bench_env_t *env, PGconn *db, const bench_options_t *options,
           bench_results_t *results)
{
    bench_catchup_result_t *catchup = &results->catchup;
    const char *stopped = s_stopped (env);
    if (stopped) {
        catchup->failed = results->copy.failed = true;
        snprintf (catchup->failure, sizeof catchup->failure, "%s", stopped);
        snprintf (results->copy.failure, sizeof results->copy.failure, "%s", stopped);
        return;
    }
    fprintf (stderr, "bm_bench: catch-up from sequence 0 ...\n");
    bench_probe_catchup (env, s_keys (1), options->catchup_seconds, catchup);
    if (catchup->failed)
        fprintf (stderr, "bm_bench: catch-up: failed: %s\n", catchup->failure);
    else
        fprintf (stderr, "bm_bench: catch-up: %llu events in %.2f s (%.0f/s), through %llu of %llu\n",
                 (unsigned long long) catchup->events, catchup->seconds,
                 catchup->events_per_second, (unsigned long long) catchup->through,
                 (unsigned long long) catchup->latest);
    //  The baseline reads the same part of the log
    uint64_t through = catchup->through? catchup->through: (uint64_t) bench_db_number (db,
                       "SELECT coalesce (max (seq), 0) FROM event");
    bench_db_copy_events (db, through, &results->copy);
    if (results->copy.failed)
        fprintf (stderr, "bm_bench: COPY of the event log: failed: %s\n", results->copy.failure);
    else
        fprintf (stderr, "bm_bench: COPY of the event log: %llu rows in %.2f s (%.0f/s)\n",
                 (unsigned long long) results->copy.rows, results->copy.seconds,
                 results->copy.rows_per_second);
}

static void
s_integrity (bench_env_t *env, PGconn *db, bench_results_t *results)
{
    bench_integrity_t *check = &results->integrity;
    bench_db_integrity (db, env->acked, check);
    //  Figures of requests given up on may be stored without an
    //  acknowledgement; nothing else may be
    int64_t unacked = (int64_t) check->rows - (int64_t) check->stored - results->rows_at_start;
    if (check->failed)
        snprintf (results->integrity_text, sizeof results->integrity_text, "check failed: %.200s",
                  check->failure);
    else
    if (check->acked != check->acked_distinct)
        snprintf (results->integrity_text, sizeof results->integrity_text,
                  "%llu ids acknowledged more than once",
                  (unsigned long long) (check->acked - check->acked_distinct));
    else
    if (check->stored != check->acked)
        snprintf (results->integrity_text, sizeof results->integrity_text,
                  "%llu figures acknowledged, only %llu stored",
                  (unsigned long long) check->acked, (unsigned long long) check->stored);
    else
    if (unacked < 0 || (uint64_t) unacked > env->abandoned)
        snprintf (results->integrity_text, sizeof results->integrity_text,
                  "%lld figure rows stored that were never acknowledged (only %llu figures "
                  "had their replies given up on)", (long long) unacked,
                  (unsigned long long) env->abandoned);
    else {
        results->integrity_ok = true;
        snprintf (results->integrity_text, sizeof results->integrity_text,
                  "%llu stored = %llu acknowledged", (unsigned long long) check->stored,
                  (unsigned long long) check->acked);
        if (unacked > 0)
            snprintf (results->integrity_text + strlen (results->integrity_text),
                      sizeof results->integrity_text - strlen (results->integrity_text),
                      "; %lld more stored of %llu figures whose replies were given up on",
                      (long long) unacked, (unsigned long long) env->abandoned);
    }
    fprintf (stderr, "bm_bench: integrity: %s\n", results->integrity_text);
}

int
bench_phases_run (bench_env_t *env, PGconn *db, const bench_options_t *options,
                  bench_results_t *results)
{
    uint64_t abandoned = 0;
    //  The year reported in every cell, every month, both kinds, before the
    //  wall is first timed, so that the wall does the same work at both of
    //  its timings and only the history has grown between them
    char failure [256];
    if (bench_probe_year (env, s_keys (1), options->batch, failure, sizeof failure)) {
        fprintf (stderr, "bm_bench: the year could not be reported: %s\n", failure);
        return -1;
    }
    //  The same year, the same values, to the server beside, which takes
    //  nothing more
    if (env->small
    &&  bench_probe_year (env->small, s_keys (1), options->batch, failure, sizeof failure)) {
        fprintf (stderr, "bm_bench: the year could not be reported to the server beside: %s;"
                 " the wall is timed without it\n", failure);
        env->small = NULL;
    }
    results->rows_at_start = bench_db_number (db, "SELECT count (*) FROM figure");
    if (results->rows_at_start < 0)
        return -1;
    results->rss_start = bench_rss_kib (env->server_pid);
    //  The wall before the history grows: on the history the run starts
    //  with and the year reported, before any phase adds to it
    size_t wall_key = s_keys (1);
    s_walls (env, db, options, results->wall [0], results->wall_small [0], wall_key, "before");
    s_submitters (env, db, options, results, &abandoned);
    s_fixed_rate (env, db, options, results, &abandoned);
    s_followers (env, db, options, results, &abandoned);
    s_history (env, db, options, results, wall_key, &abandoned);
    s_catchup (env, db, options, results);
    results->rss_end = bench_rss_kib (env->server_pid);
    //  Whatever was given up on has had its time: settle once more
    abandoned = (uint64_t) -1;
    if (env->abandoned)
        s_settle (env, db, &abandoned);
    s_integrity (env, db, results);
    return 0;
}

void
bench_results_free (bench_results_t *results)
{
    bench_load_result_free (&results->single);
    for (int step = 0; step < BENCH_MAX_STEPS; step++) {
        bench_load_result_free (&results->pipelined [step]);
        bench_load_result_free (&results->batched [step]);
        bench_follow_result_free (&results->follow [step]);
    }
    bench_load_result_free (&results->rate_batched);
    bench_load_result_free (&results->rate_single);
    bench_load_result_free (&results->growth);
    bench_load_result_free (&results->after);
}
