/*  bench_table: the results of a run as one table, beside the baseline and
    the targets of the issue.
*/

#include "bench_run.h"
#include "bench_stats.h"

#include <stdarg.h>
#include <string.h>

//  Texts for one row, formatted in place
typedef struct {
    char server [160];
    char baseline [96];
    char ratio [32];
    char verdict [16];
    char notes [448];
} s_row_t;

static void
s_print (char *buffer, size_t size, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (buffer, size, format, args);
    va_end (args);
}

//  Appends to the notes, "; " between
static void
s_note (s_row_t *row, const char *format, ...)
{
    size_t used = strlen (row->notes);
    if (used && used + 2 < sizeof row->notes) {
        strcat (row->notes, "; ");
        used += 2;
    }
    va_list args;
    va_start (args, format);
    vsnprintf (row->notes + used, sizeof row->notes - used, format, args);
    va_end (args);
}

static double
s_percentile_ms (bench_samples_t *samples, double p)
{
    if (!samples || bench_samples_count (samples) == 0)
        return -1;
    return (double) bench_samples_percentile (samples, p) / 1000.0;
}

static void
s_ratio (s_row_t *row, double server, double baseline)
{
    if (server >= 0 && baseline > 0)
        s_print (row->ratio, sizeof row->ratio, "%.3fx", server / baseline);
}

static void
s_baseline (s_row_t *row, double value, const char *what)
{
    if (value >= 0)
        s_print (row->baseline, sizeof row->baseline, "%.0f %s", value, what);
    else
        s_print (row->baseline, sizeof row->baseline, "(not measured)");
}

//  What went wrong besides the figure itself
static void
s_load_notes (s_row_t *row, const bench_load_result_t *result)
{
    if (result->rate_limited)
        s_note (row, "RATE_LIMITED %llu", (unsigned long long) result->rate_limited);
    if (result->same_value)
        s_note (row, "%llu with the value the cell had (unchanged, not stored)",
                (unsigned long long) result->same_value);
    if (result->errors)
        s_note (row, "%llu errors, first: %s", (unsigned long long) result->errors,
                result->first_error);
    if (result->skipped)
        s_note (row, "%llu figures not offered (too many in flight)",
                (unsigned long long) result->skipped);
    if (result->abandoned)
        s_note (row, "%llu figures never answered", (unsigned long long) result->abandoned);
}

//  The figure of a load phase: figures a second, or why there is none
static bool
s_load_server (s_row_t *row, const bench_load_result_t *result)
{
    if (result->failed) {
        s_print (row->server, sizeof row->server, "failed: %s", result->failure);
        return false;
    }
    s_print (row->server, sizeof row->server, "%.0f figures/s", result->figures_per_second);
    s_load_notes (row, result);
    return true;
}

static void
s_add (bench_report_t *report, const char *measure, s_row_t *row, const char *target)
{
    bench_report_row (report, measure, row->server, row->baseline, row->ratio, target,
                      row->verdict, row->notes);
}

static void
s_verdict (s_row_t *row, bool known, bool met)
{
    snprintf (row->verdict, sizeof row->verdict, "%s", !known? "n/a": met? "yes": "NO");
}

//  ---------------------------------------------------------------------------

static void
s_submitting (bench_report_t *report, const bench_options_t *options,
              bench_results_t *results)
{
    char measure [160];
    bench_report_section (report, "Submitting (1 figure per request unless said)");

    s_row_t row = { .server = "" };
    //  The baseline run before, between and after the phase's rounds, else
    //  the one at the start of the run
    double pg = bench_report_baseline (report, "sub1cte.1.tps");
    bool ok = s_load_server (&row, &results->single);
    double *beside = results->beside_tps;
    int count = results->beside_count;
    double low, high, between = bench_beside_baseline (beside, count, &low, &high);
    if (between > 0) {
        pg = between;
        s_print (row.baseline, sizeof row.baseline, "%.0f tps sub1cte, 1 client, beside", pg);
        s_note (&row, "%d round%s, pgbench before, between and after %.0f to %.0f tps;"
                " at the start %.0f", count - 1, count == 2? "": "s", low, high,
                bench_report_baseline (report, "sub1cte.1.tps"));
        bench_report_value (report, "single.beside_tps", pg);
        bench_report_value (report, "single.beside_low_tps", low);
        bench_report_value (report, "single.beside_high_tps", high);
    }
    else
        s_baseline (&row, pg, "tps sub1cte, 1 client");
    s_ratio (&row, ok? results->single.figures_per_second: -1, pg);
    s_verdict (&row, ok && pg > 0, ok && results->single.figures_per_second >= 0.5 * pg);
    s_add (report, "1 client, 1 request in flight", &row, ">= 0.5x pgbench");
    bench_report_value (report, "single.figures_per_second", results->single.figures_per_second);

    row = (s_row_t) { .server = "" };
    if (ok)
        s_print (row.server, sizeof row.server, "%.2f / %.2f ms",
                 s_percentile_ms (results->single.latency, 50),
                 s_percentile_ms (results->single.latency, 99));
    else
        s_print (row.server, sizeof row.server, "failed");
    double average = bench_report_baseline (report, "sub1cte.1.latency_ms");
    double p99 = bench_report_baseline (report, "sub1cte.1.p99_ms");
    if (average >= 0)
        s_print (row.baseline, sizeof row.baseline, "%.2f avg / %.2f p99 ms", average, p99);
    s_add (report, "  ack latency p50 / p99, 1 client", &row, NULL);
    bench_report_value (report, "single.ack_p50_ms", s_percentile_ms (results->single.latency, 50));
    bench_report_value (report, "single.ack_p99_ms", s_percentile_ms (results->single.latency, 99));

    for (int step = 0; step < options->client_count; step++) {
        int clients = options->clients [step];
        bench_load_result_t *result = results->pipelined + step;
        row = (s_row_t) { .server = "" };
        ok = s_load_server (&row, result);
        pg = bench_report_baseline (report, "sub1cte.%d.tps", clients);
        s_baseline (&row, pg, "tps sub1cte");
        s_ratio (&row, ok? result->figures_per_second: -1, pg);
        if (ok)
            s_note (&row, "ack p50 %.2f ms, p99 %.2f ms", s_percentile_ms (result->latency, 50),
                    s_percentile_ms (result->latency, 99));
        snprintf (measure, sizeof measure, "%d connection%s x %d in flight", clients,
                  clients == 1? "": "s", options->window);
        s_add (report, measure, &row, NULL);
        char name [64];
        snprintf (name, sizeof name, "pipelined.%d.figures_per_second", clients);
        bench_report_value (report, name, result->figures_per_second);
    }

    double best = -1;
    int best_clients = 0;
    for (int step = 0; step < options->batch_client_count; step++) {
        int clients = options->batch_clients [step];
        bench_load_result_t *result = results->batched + step;
        row = (s_row_t) { .server = "" };
        ok = s_load_server (&row, result);
        pg = bench_report_baseline (report, "sub100gen.%d.rows_per_s", clients);
        s_baseline (&row, pg, "rows/s sub100gen");
        s_ratio (&row, ok? result->figures_per_second: -1, pg);
        if (ok) {
            s_note (&row, "ack p50 %.1f ms, p99 %.1f ms", s_percentile_ms (result->latency, 50),
                    s_percentile_ms (result->latency, 99));
            if (result->figures_per_second > best) {
                best = result->figures_per_second;
                best_clients = clients;
            }
        }
        snprintf (measure, sizeof measure, "%d connection%s x %d in flight, %d figures/request",
                  clients, clients == 1? "": "s", options->batch_window, options->batch);
        s_add (report, measure, &row, NULL);
        char name [64];
        snprintf (name, sizeof name, "batched.%d.figures_per_second", clients);
        bench_report_value (report, name, result->figures_per_second);
    }
    double pg_one = bench_report_baseline (report, "sub100gen.1.rows_per_s");
    double pg_best = bench_report_baseline (report, "sub100gen.best.rows_per_s");
    double pg_best_clients = bench_report_baseline (report, "sub100gen.best.clients");
    row = (s_row_t) { .server = "" };
    if (best >= 0)
        s_print (row.server, sizeof row.server, "%.0f figures/s (%d conn.)", best, best_clients);
    else
        s_print (row.server, sizeof row.server, "failed");
    s_baseline (&row, pg_one, "rows/s sub100gen, 1 client");
    s_ratio (&row, best, pg_one);
    s_add (report, "best, 100 figures/request, vs 1 client", &row, NULL);
    row = (s_row_t) { .server = "" };
    if (best >= 0)
        s_print (row.server, sizeof row.server, "%.0f figures/s (%d conn.)", best, best_clients);
    else
        s_print (row.server, sizeof row.server, "failed");
    if (pg_best >= 0)
        s_print (row.baseline, sizeof row.baseline, "%.0f rows/s sub100gen, %.0f clients",
                 pg_best, pg_best_clients);
    s_ratio (&row, best, pg_best);
    s_verdict (&row, best >= 0 && pg_best > 0, best >= 0.25 * pg_best);
    s_add (report, "best, 100 figures/request, vs best", &row, ">= 0.25x pgbench");
    bench_report_value (report, "batched.best.figures_per_second", best);

    bench_load_result_t *rates [2] = { &results->rate_batched, &results->rate_single };
    for (int which = 0; which < 2; which++) {
        bench_load_result_t *result = rates [which];
        row = (s_row_t) { .server = "" };
        double ack_p99 = s_percentile_ms (result->latency, 99);
        if (result->failed)
            s_print (row.server, sizeof row.server, "failed: %s", result->failure);
        else {
            s_print (row.server, sizeof row.server, "%.2f ms", ack_p99);
            s_note (&row, "acknowledged %.0f figures/s, p50 %.2f ms, %zu requests",
                    result->figures_per_second, s_percentile_ms (result->latency, 50),
                    result->latency? bench_samples_count (result->latency): 0);
            s_load_notes (&row, result);
        }
        //  PostgreSQL alone at the same offered rate, the same rows a
        //  transaction: what the machine's database allows
        const char *script = which? "sub1cte": "sub100gen";
        double pg_p99 = bench_report_baseline (report, "%s.rated.p99_ms", script);
        if (pg_p99 >= 0) {
            s_print (row.baseline, sizeof row.baseline, "%.2f ms p99 pgbench %s -R", pg_p99,
                     script);
            s_ratio (&row, ack_p99, pg_p99);
        }
        //  ...and writing what battlemapd writes for its turns, at its
        //  cadence on one connection (the least its answers can take
        //  here): a turn for each request, beside how many figures its
        //  turns held
        const char *turns = which? "turn1": options->batch == 100? "turn100": NULL;
        double turn_p99 = turns? bench_report_baseline (report, "%s.rated.p99_ms", turns): -1;
        if (turn_p99 >= 0)
            s_note (&row, "PostgreSQL alone writing its turns (turn.sql, %d a turn, %.0f turns/s):"
                    " p50 %.2f ms, p99 %.2f ms", which? 1: 100,
                    bench_report_baseline (report, "%s.rated.tps", turns),
                    bench_report_baseline (report, "%s.rated.p50_ms", turns), turn_p99);
        if (!result->failed && result->turns > 0 && result->seconds > 0)
            s_note (&row, "battlemapd committed %.0f turns/s, %.1f figures a turn",
                    (double) result->turns / result->seconds, bench_load_figures_per_turn (result));
        s_verdict (&row, !result->failed && ack_p99 >= 0, ack_p99 >= 0 && ack_p99 <= 5.0
                   && !result->skipped);
        if (which == 0)
            snprintf (measure, sizeof measure, "ack p99 at %.0f figures/s offered, %d/request",
                      options->rate, options->batch);
        else
            snprintf (measure, sizeof measure, "ack p99 at %.0f figures/s offered, 1/request",
                      options->rate);
        s_add (report, measure, &row, "<= 5 ms");
        bench_report_value (report, which? "rate.single.ack_p99_ms": "rate.batched.ack_p99_ms",
                            ack_p99);
    }
}

static void
s_events (bench_report_t *report, const bench_options_t *options, bench_results_t *results)
{
    char measure [160];
    bench_report_section (report, "Events");
    for (int step = 0; step < options->follower_count; step++) {
        bench_follow_result_t *result = results->follow + step;
        int count = options->followers [step];
        s_row_t row = { .server = "" };
        double p99 = s_percentile_ms (result->latency, 99);
        if (result->failed)
            s_print (row.server, sizeof row.server, "failed: %s", result->failure);
        else
            s_print (row.server, sizeof row.server, "%.2f ms", p99);
        bool ran = result->started > 0;
        if (ran && result->started < count)
            s_note (&row, "%d of %d followers could not start", count - result->started, count);
        if (ran)
            s_note (&row, "delivered %llu of %llu", (unsigned long long) result->delivered,
                    (unsigned long long) result->expected);
        if (result->latency && bench_samples_count (result->latency))
            s_note (&row, "p50 %.2f ms", s_percentile_ms (result->latency, 50));
        if (!result->failed)
            s_note (&row, "load %.0f of %.0f figures/s", result->load.figures_per_second,
                    options->follow_rate);
        if (result->unmatched)
            s_note (&row, "%llu completion events of no figure sent here",
                    (unsigned long long) result->unmatched);
        if (result->duplicates)
            s_note (&row, "%llu delivered twice", (unsigned long long) result->duplicates);
        if (results->follow_limited [step] > 0)
            s_note (&row, "RATE_LIMITED >= %lld", (long long) results->follow_limited [step]);
        s_load_notes (&row, &result->load);
        snprintf (measure, sizeof measure, "event delivery p99, %d follower%s", count,
                  count == 1? "": "s");
        s_add (report, measure, &row, NULL);

        row = (s_row_t) { .server = "" };
        s_print (row.server, sizeof row.server, "%llu", (unsigned long long) result->catchups);
        if (result->started && result->load.figures_acked_total)
            s_note (&row, "%.2f per follower per figure",
                    (double) result->catchups / result->started
                  / (double) result->load.figures_acked_total);
        snprintf (measure, sizeof measure, "  catch-up requests, %d follower%s", count,
                  count == 1? "": "s");
        s_add (report, measure, &row, NULL);
        char name [64];
        snprintf (name, sizeof name, "follow.%d.delivery_p99_ms", count);
        bench_report_value (report, name, p99);
        snprintf (name, sizeof name, "follow.%d.catchups", count);
        bench_report_value (report, name, (double) result->catchups);
    }
    bench_catchup_result_t *catchup = &results->catchup;
    s_row_t row = { .server = "" };
    if (catchup->failed)
        s_print (row.server, sizeof row.server, "failed: %s", catchup->failure);
    else
        s_print (row.server, sizeof row.server, "%.0f events/s", catchup->events_per_second);
    if (results->copy.failed)
        s_print (row.baseline, sizeof row.baseline, "failed: %s", results->copy.failure);
    else
        s_print (row.baseline, sizeof row.baseline, "%.0f rows/s COPY", results->copy.rows_per_second);
    s_ratio (&row, catchup->failed? -1: catchup->events_per_second,
             results->copy.failed? -1: results->copy.rows_per_second);
    s_verdict (&row, !catchup->failed, catchup->events_per_second >= 200000);
    if (catchup->pages)
        s_note (&row, "%llu events in %llu pages, %.2f s%s", (unsigned long long) catchup->events,
                (unsigned long long) catchup->pages, catchup->seconds,
                catchup->complete? "": " (time limit: log not read to its end)");
    if (catchup->rate_limited)
        s_note (&row, "RATE_LIMITED %llu, %.2f s of the time spent on them",
                (unsigned long long) catchup->rate_limited, catchup->limited_seconds);
    s_add (report, "catch-up from 0", &row, ">= 200,000 events/s");
    bench_report_value (report, "catchup.events_per_second", catchup->events_per_second);
    bench_report_value (report, "catchup.copy_rows_per_second", results->copy.rows_per_second);
}

static void
s_history (bench_report_t *report, const bench_options_t *options, bench_results_t *results)
{
    char measure [160];
    bench_report_section (report, "The wall and a grown history");
    static const char *ways [2] = { "", " --all" };
    static const char *names [2][2] = { { "wall.before_ms", "wall.before_all_ms" },
                                        { "wall.after_ms", "wall.after_all_ms" } };
    int64_t rows [2] = { results->rows_at_start, results->rows_after_growth };
    for (int after = 0; after < 2; after++)
        for (int all = 0; all < 2; all++) {
            bench_wall_result_t *wall = &results->wall [after][all];
            s_row_t row = { .server = "" };
            if (wall->failed)
                s_print (row.server, sizeof row.server, "failed: %s", wall->failure);
            else {
                s_print (row.server, sizeof row.server, "%.2f ms", wall->median_ms);
                s_note (&row, "lowest median of %d block%s a second apart; all %d: median"
                        " %.2f, max %.2f ms", wall->blocks, wall->blocks == 1? "": "s",
                        wall->count, wall->all_median_ms, wall->max_ms);
                s_note (&row, "CPU a request: battlemapd %.3f ms, bm_bench %.3f ms",
                        wall->cpu_ms, wall->driver_cpu_ms);
                if (wall->quiet_s >= 0)
                    s_note (&row, "after a checkpoint and %.1f s for autovacuum to end",
                            wall->quiet_s);
                else
                    s_note (&row, "autovacuum still running");
            }
            if (wall->rate_limited)
                s_note (&row, "RATE_LIMITED %llu", (unsigned long long) wall->rate_limited);
            s_verdict (&row, !wall->failed, wall->median_ms <= 10.0);
            snprintf (measure, sizeof measure, "wall %s%s %s growth, %lld figure rows",
                      options->wall_period, ways [all], after? "after": "before",
                      (long long) rows [after]);
            s_add (report, measure, &row, "<= 10 ms");
            bench_report_value (report, names [after][all], wall->failed? -1: wall->median_ms);
        }
    for (int all = 0; all < 2; all++) {
        bench_wall_result_t *before = &results->wall [0][all], *after = &results->wall [1][all];
        s_row_t row = { .server = "" };
        bool known = !before->failed && !after->failed && before->median_ms > 0;
        double ratio = known? after->median_ms / before->median_ms: -1;
        if (known) {
            s_print (row.server, sizeof row.server, "%.2fx", ratio);
            //  The driver does the same for each request both times: what
            //  its own CPU took says how fast the machine was each time
            s_note (&row, "minutes apart; bm_bench's own CPU a request %.3f then %.3f ms",
                    before->driver_cpu_ms, after->driver_cpu_ms);
        }
        s_verdict (&row, known, ratio <= 1.2);
        snprintf (measure, sizeof measure, "wall after / before growth%s", ways [all]);
        s_add (report, measure, &row, "<= 1.2");
    }
    //  Against the same wall on a server that holds the year alone, timed
    //  block for block in turn with it: the machine the same for both
    static const char *beside_names [2][2] = {
        { "wall.before_vs_year_alone", "wall.before_all_vs_year_alone" },
        { "wall.after_vs_year_alone", "wall.after_all_vs_year_alone" } };
    for (int after = 0; after < 2; after++)
        for (int all = 0; all < 2; all++) {
            bench_wall_result_t *wall = &results->wall [after][all];
            bench_wall_result_t *small = &results->wall_small [after][all];
            if (!small->count && !small->failed)
                continue;       //  no server beside
            s_row_t row = { .server = "" };
            bool known = !wall->failed && !small->failed && small->median_ms > 0;
            double ratio = known? wall->median_ms / small->median_ms: -1;
            if (known) {
                s_print (row.server, sizeof row.server, "%.2f ms", wall->median_ms);
                s_print (row.baseline, sizeof row.baseline, "%.2f ms, the year alone",
                         small->median_ms);
                s_ratio (&row, wall->median_ms, small->median_ms);
                s_note (&row, "the same wall on a second battlemapd that took the year alone,"
                        " timed in turn with it block by block; its CPU a request %.3f ms",
                        small->cpu_ms);
            }
            else
                s_note (&row, "failed: %s", small->failed? small->failure: wall->failure);
            if (after)
                s_verdict (&row, known, ratio <= 1.2);
            snprintf (measure, sizeof measure, "wall %s growth / the year alone%s",
                      after? "after": "before", ways [all]);
            s_add (report, measure, &row, after? "<= 1.2": NULL);
            bench_report_value (report, beside_names [after][all], ratio);
        }
    bench_load_result_t *growth = &results->growth;
    s_row_t row = { .server = "" };
    if (growth->figures_acked_total || growth->failed) {
        if (s_load_server (&row, growth))
            s_note (&row, "%llu figures in %.0f s", (unsigned long long) growth->figures_acked_total,
                    growth->seconds);
    }
    else
        s_print (row.server, sizeof row.server, "none needed");
    if (results->rows_after_growth < (int64_t) options->history)
        s_note (&row, "reached %lld of %llu rows (time limit %d s)",
                (long long) results->rows_after_growth, (unsigned long long) options->history,
                options->growth_seconds);
    snprintf (measure, sizeof measure, "growth, %d connections x %d figures/request",
              options->growth_connections, options->batch);
    s_add (report, measure, &row, NULL);

    row = (s_row_t) { .server = "" };
    bool ok = s_load_server (&row, &results->after);
    double pg = bench_report_baseline (report, "sub1cte.%d.tps", options->after_clients);
    s_baseline (&row, pg, "tps sub1cte");
    s_ratio (&row, ok? results->after.figures_per_second: -1, pg);
    for (int step = 0; step < options->client_count; step++)
        if (options->clients [step] == options->after_clients && !results->pipelined [step].failed)
            s_note (&row, "before growth %.0f figures/s",
                    results->pipelined [step].figures_per_second);
    snprintf (measure, sizeof measure, "%d connections x %d in flight, after growth",
              options->after_clients, options->window);
    s_add (report, measure, &row, NULL);
    bench_report_value (report, "after.figures_per_second", results->after.figures_per_second);
}

//  CPU seconds per 1,000 figures of a load phase, server and PostgreSQL
static void
s_cpu_row (bench_report_t *report, const char *measure, const bench_load_result_t *result,
           double baseline, const char *baseline_name)
{
    s_row_t row = { .server = "" };
    double per = -1;
    if (result->failed || result->figures_acked == 0)
        s_print (row.server, sizeof row.server, "failed: %s",
                 result->failed? result->failure: "nothing acknowledged");
    else {
        double thousands = (double) result->figures_acked / 1000.0;
        per = (result->cpu_server + result->cpu_pg) / thousands;
        s_print (row.server, sizeof row.server, "%.3f s", per);
        s_note (&row, "battlemapd %.3f s + PostgreSQL %.3f s", result->cpu_server / thousands,
                result->cpu_pg / thousands);
    }
    if (baseline >= 0)
        s_print (row.baseline, sizeof row.baseline, "%.3f s %s", baseline, baseline_name);
    s_ratio (&row, per, baseline);
    s_add (report, measure, &row, NULL);
}

static void
s_cost (bench_report_t *report, const bench_options_t *options, bench_results_t *results)
{
    char measure [160];
    bench_report_section (report, "Cost");
    for (int step = 0; step < options->client_count; step++) {
        int clients = options->clients [step];
        if (clients != options->after_clients)
            continue;
        snprintf (measure, sizeof measure, "CPU per 1,000 figures, %d connections", clients);
        char name [64];
        snprintf (name, sizeof name, "PG, sub1cte %d", clients);
        s_cpu_row (report, measure, results->pipelined + step,
                   bench_report_baseline (report, "sub1cte.%d.cpu_per_1000", clients), name);
    }
    //  The batched phase with the best throughput
    int best = -1;
    for (int step = 0; step < options->batch_client_count; step++)
        if (!results->batched [step].failed
        &&  (best < 0 || results->batched [step].figures_per_second
                       > results->batched [best].figures_per_second))
            best = step;
    if (best >= 0) {
        int clients = options->batch_clients [best];
        snprintf (measure, sizeof measure, "CPU per 1,000 figures, %d conn. x %d/request",
                  clients, options->batch);
        char name [64];
        snprintf (name, sizeof name, "PG, sub100gen %d", clients);
        s_cpu_row (report, measure, results->batched + best,
                   bench_report_baseline (report, "sub100gen.%d.cpu_per_1000", clients), name);
    }
    s_cpu_row (report, "CPU per 1,000 figures, after growth", &results->after, -1, "");

    s_row_t row = { .server = "" };
    s_print (row.server, sizeof row.server, "%.1f MiB", results->rss_end / 1024.0);
    s_note (&row, "at start %.1f, before growth %.1f, after growth %.1f MiB",
            results->rss_start / 1024.0, results->rss_before_growth / 1024.0,
            results->rss_after_growth / 1024.0);
    s_add (report, "battlemapd RSS at the end", &row, NULL);
    bench_report_value (report, "rss.end_mib", results->rss_end / 1024.0);
    bench_report_value (report, "rss.after_growth_mib", results->rss_after_growth / 1024.0);
}

//  What pgbench did, run by run, for reference
static void
s_baseline_runs (bench_report_t *report)
{
    static const char *scripts [] = { "sub1cte", "sub100gen" };
    static const int clients [] = { 1, 4, 16, 64 };
    bench_report_section (report, "Baseline runs (pgbench -n -M prepared, same cluster)");
    for (int script = 0; script < 2; script++)
        for (size_t step = 0; step < sizeof clients / sizeof clients [0]; step++) {
            double rows = bench_report_baseline (report, "%s.%d.rows_per_s", scripts [script],
                                                 clients [step]);
            if (rows < 0)
                continue;
            s_row_t row = { .server = "" };
            char measure [64];
            snprintf (measure, sizeof measure, "pgbench %s -c %d", scripts [script],
                      clients [step]);
            s_print (row.baseline, sizeof row.baseline, "%.0f %s", rows,
                     script? "rows/s": "tps");
            s_note (&row, "latency avg %.2f ms, p99 %.2f ms; PostgreSQL CPU %.3f s per 1,000",
                    bench_report_baseline (report, "%s.%d.latency_ms", scripts [script],
                                           clients [step]),
                    bench_report_baseline (report, "%s.%d.p99_ms", scripts [script],
                                           clients [step]),
                    bench_report_baseline (report, "%s.%d.cpu_per_1000", scripts [script],
                                           clients [step]));
            s_add (report, measure, &row, NULL);
        }
    //  The fixed offered rate, with PostgreSQL alone writing battlemapd's
    //  turns (turn.sql, on battlemap's schema) last
    static const char *rated [] = { "sub100gen", "sub1cte", "turn100", "turn1" };
    for (size_t script = 0; script < sizeof rated / sizeof rated [0]; script++) {
        double rows = bench_report_baseline (report, "%s.rated.rows_per_s", rated [script]);
        if (rows < 0)
            continue;
        s_row_t row = { .server = "" };
        char measure [64];
        snprintf (measure, sizeof measure, "pgbench %s -c %.0f -R", rated [script],
                  bench_report_baseline (report, "%s.rated.clients", rated [script]));
        s_print (row.baseline, sizeof row.baseline, "%.0f %s", rows,
                 streq (rated [script], "sub1cte")? "tps": "rows/s");
        s_note (&row, "latency p50 %.2f ms, p99 %.2f ms (from when each was due)",
                bench_report_baseline (report, "%s.rated.p50_ms", rated [script]),
                bench_report_baseline (report, "%s.rated.p99_ms", rated [script]));
        s_add (report, measure, &row, NULL);
    }
}

void
bench_table_build (bench_report_t *report, const bench_options_t *options,
                   bench_results_t *results)
{
    s_submitting (report, options, results);
    s_events (report, options, results);
    s_history (report, options, results);
    s_cost (report, options, results);
    bench_report_section (report, "Integrity");
    s_row_t row = { .server = "" };
    s_print (row.server, sizeof row.server, "%s", results->integrity_text);
    s_verdict (&row, true, results->integrity_ok);
    s_add (report, "figures stored = acknowledged", &row, "must hold");
    s_baseline_runs (report);
}
