/*  bm_bench: the battlemapd benchmark's driver.

    Speaks the real protocol to a running battlemapd (CURVE, the client
    library, every connection with its own enrolled key), runs the phases
    of bench_phases.c and prints one table beside the pgbench baseline that
    run.sh measured on the same PostgreSQL cluster. run.sh starts and stops
    everything; see README.md.

        bm_bench [options]          the run
        bm_bench cpu PID            CPU seconds of the PostgreSQL cluster
                                    whose postmaster is PID (for run.sh)
        bm_bench settle CONNINFO    waits for autovacuum to end, then
                                    checkpoints (for run.sh, before pgbench)
        bm_bench selftest           the driver's own checks
*/

#include "bench_run.h"
#include "bench_cells.h"
#include "bench_db.h"
#include "bench_keys.h"
#include "bench_record.h"
#include "bench_stats.h"
#include "bm_keys.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: bm_bench --router EP --pub EP --server-key CERT --admin-key CERT\n"
        "                --db CONNINFO --plan DIR --server-pid PID --pg-pid PID [options]\n"
        "       bm_bench cpu PID        CPU seconds of the cluster of postmaster PID\n"
        "       bm_bench settle CONNINFO  wait for autovacuum to end, then CHECKPOINT\n"
        "       bm_bench selftest\n"
        "\n"
        "Drives a running battlemapd and prints the benchmark's table (run.sh\n"
        "starts everything and calls this; see tests/bench/README.md).\n"
        "\n"
        "  --baseline FILE          pgbench's figures, \"name value\" a line\n"
        "  --out FILE               write the table there too\n"
        "  --values FILE            write every figure there, \"name value\" a line\n"
        "  --seconds S              load per phase (default 20)\n"
        "  --history N              grow the figure table to N rows (default 1000000)\n"
        "  --growth-seconds S       at most, for the growth (default 1800)\n"
        "  --growth-connections N   (default 4)\n"
        "  --clients LIST           pipelined connections, 1 figure a request (1,4,16,64)\n"
        "  --batch-clients LIST     connections with 100 figures a request (1,4,16)\n"
        "  --followers LIST         (default 1,10,100)\n"
        "  --window N               requests in flight a connection (default 8)\n"
        "  --batch-window N         the same for 100-figure requests (default 2)\n"
        "  --rate R                 the fixed offered rate, figures/s (default 1000)\n"
        "  --beside COMMAND         run before, between and after the one-client\n"
        "                           phase's rounds of about 5 s, with their seconds\n"
        "                           after it: pgbench sub1cte at 1 client, its tps the\n"
        "                           last number it prints (the ratio's baseline then)\n"
        "  --rate-seconds S         load at that rate (default 3 x --seconds: 600\n"
        "                           requests of 100, whose p99 is not one stall's)\n"
        "  --follow-rate R          the load under followers, figures/s (default 100)\n"
        "  --drain-seconds S        replies awaited after a phase (default 60)\n"
        "  --follow-grace S         deliveries awaited after the load (default 30)\n"
        "  --catchup-seconds S      at most, for the catch-up from 0 (default 60)\n"
        "  --wall-count N           WallRequests timed each way (default 200)\n"
        "  --wall-period YYYY-MM    (default 2023-06)\n"
        "  --small-router EP        a second battlemapd (same server key and\n"
        "  --small-server-pid PID   administrator) that takes the year alone: its\n"
        "                           wall is timed beside this one's, block for block\n");
}

//  "1,4,16" into counts; 0 or -1
static int
s_list (const char *text, int *counts, int *count)
{
    *count = 0;
    char *copy = strdup (text);
    int rc = 0;
    for (char *item = strtok (copy, ","); item; item = strtok (NULL, ",")) {
        char *end;
        long value = strtol (item, &end, 10);
        if (*end || value < 1 || value > 10000 || *count == BENCH_MAX_STEPS) {
            rc = -1;
            break;
        }
        counts [(*count)++] = (int) value;
    }
    free (copy);
    return rc == 0 && *count > 0? 0: -1;
}

static int
s_selftest (void)
{
    printf ("bm_bench self-test:\n");
    bench_stats_test (false);
    bench_load_test (false);
    bench_record_test (false);
    bench_cells_test (false);
    bench_report_test (false);
    return 0;
}

static int
s_settle (const char *conninfo)
{
    PGconn *db = bench_db_connect (conninfo);
    if (!db)
        return 1;
    //  Still vacuuming after the limit: said, and pgbench runs anyway, as a
    //  phase of the driver does
    bench_db_settle (db, "pgbench");
    PQfinish (db);
    return 0;
}

static int
s_cpu (const char *pid)
{
    double seconds = bench_cpu_cluster ((pid_t) atoi (pid));
    if (seconds < 0) {
        fprintf (stderr, "bm_bench: no process %s\n", pid);
        return 1;
    }
    printf ("%.2f\n", seconds);
    return 0;
}

//  The administrator's connection to a server, which enrols the keys
static bm_client_t *
s_admin (const char *router, zcert_t *admin, const char *server_key)
{
    bm_client_t *client = bm_client_new (router, admin, server_key);
    if (!client) {
        fprintf (stderr, "bm_bench: cannot connect to %s\n", router);
        return NULL;
    }
    bm_client_set_timeout (client, 30000);
    bm_client_set_attempts (client, 1);
    return client;
}

//  ---------------------------------------------------------------------------

typedef struct {
    const char *router, *pub, *server_key, *admin_key, *db, *plan;
    const char *baseline, *out, *values;
    pid_t server_pid, pg_pid;
    const char *small_router;
    pid_t small_pid;
} s_where_t;

static int
s_options (int argc, char *argv [], s_where_t *where, bench_options_t *options)
{
    static const struct option table [] = {
        { "router", required_argument, NULL, 'r' },
        { "pub", required_argument, NULL, 'p' },
        { "server-key", required_argument, NULL, 'k' },
        { "admin-key", required_argument, NULL, 'a' },
        { "db", required_argument, NULL, 'd' },
        { "plan", required_argument, NULL, 'P' },
        { "server-pid", required_argument, NULL, 'S' },
        { "pg-pid", required_argument, NULL, 'G' },
        { "baseline", required_argument, NULL, 'b' },
        { "out", required_argument, NULL, 'o' },
        { "values", required_argument, NULL, 'V' },
        { "seconds", required_argument, NULL, 's' },
        { "history", required_argument, NULL, 'H' },
        { "growth-seconds", required_argument, NULL, 'g' },
        { "growth-connections", required_argument, NULL, 'C' },
        { "clients", required_argument, NULL, 'c' },
        { "batch-clients", required_argument, NULL, 'B' },
        { "followers", required_argument, NULL, 'f' },
        { "window", required_argument, NULL, 'w' },
        { "batch-window", required_argument, NULL, 'W' },
        { "rate", required_argument, NULL, 'R' },
        { "rate-seconds", required_argument, NULL, 'T' },
        { "beside", required_argument, NULL, 'x' },
        { "follow-rate", required_argument, NULL, 'F' },
        { "drain-seconds", required_argument, NULL, 'D' },
        { "follow-grace", required_argument, NULL, 'e' },
        { "catchup-seconds", required_argument, NULL, 'u' },
        { "wall-count", required_argument, NULL, 'n' },
        { "wall-period", required_argument, NULL, 'm' },
        { "small-router", required_argument, NULL, 'y' },
        { "small-server-pid", required_argument, NULL, 'Y' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    bool bad = false;
    while ((option = getopt_long (argc, argv, "", table, NULL)) != -1) {
        switch (option) {
            case 'r': where->router = optarg; break;
            case 'p': where->pub = optarg; break;
            case 'k': where->server_key = optarg; break;
            case 'a': where->admin_key = optarg; break;
            case 'd': where->db = optarg; break;
            case 'P': where->plan = optarg; break;
            case 'S': where->server_pid = (pid_t) atoi (optarg); break;
            case 'G': where->pg_pid = (pid_t) atoi (optarg); break;
            case 'b': where->baseline = optarg; break;
            case 'o': where->out = optarg; break;
            case 'V': where->values = optarg; break;
            case 's': options->seconds = atof (optarg); bad |= options->seconds <= 0; break;
            case 'H': options->history = strtoull (optarg, NULL, 10); break;
            case 'g': options->growth_seconds = atoi (optarg); break;
            case 'C': options->growth_connections = atoi (optarg); break;
            case 'c': bad |= s_list (optarg, options->clients, &options->client_count) != 0;
                      break;
            case 'B': bad |= s_list (optarg, options->batch_clients,
                                     &options->batch_client_count) != 0;
                      break;
            case 'f': bad |= s_list (optarg, options->followers, &options->follower_count) != 0;
                      break;
            case 'w': options->window = atoi (optarg); break;
            case 'W': options->batch_window = atoi (optarg); break;
            case 'R': options->rate = atof (optarg); break;
            case 'x': options->beside = optarg; break;
            case 'T': options->rate_seconds = atof (optarg);
                      bad |= options->rate_seconds <= 0; break;
            case 'F': options->follow_rate = atof (optarg); break;
            case 'D': options->drain_seconds = atoi (optarg); break;
            case 'e': options->follow_grace = atoi (optarg); break;
            case 'u': options->catchup_seconds = atoi (optarg); break;
            case 'n': options->wall_count = atoi (optarg); break;
            case 'm': options->wall_period = optarg; break;
            case 'y': where->small_router = optarg; break;
            case 'Y': where->small_pid = (pid_t) atoi (optarg); break;
            case 'h': s_usage (stdout); exit (0);
            default: bad = true;
        }
    }
    if (!bad && (!where->router || !where->pub || !where->server_key || !where->admin_key
              || !where->db || !where->plan || where->server_pid <= 0 || where->pg_pid <= 0)) {
        fprintf (stderr, "bm_bench: --router, --pub, --server-key, --admin-key, --db, --plan,"
                 " --server-pid and --pg-pid are all needed\n");
        bad = true;
    }
    if (!bad && !where->small_router != !(where->small_pid > 0)) {
        fprintf (stderr, "bm_bench: --small-router and --small-server-pid go together\n");
        bad = true;
    }
    if (!bad && (options->window < 1 || options->batch_window < 1 || options->rate <= 0
              || options->follow_rate <= 0 || options->wall_count < 1
              || options->growth_connections < 1 || optind < argc)) {
        fprintf (stderr, "bm_bench: an option is out of range\n");
        bad = true;
    }
    if (bad)
        s_usage (stderr);
    return bad? -1: 0;
}

int
main (int argc, char *argv [])
{
    if (argc == 2 && streq (argv [1], "selftest"))
        return s_selftest ();
    if (argc == 3 && streq (argv [1], "cpu"))
        return s_cpu (argv [2]);
    if (argc == 3 && streq (argv [1], "settle"))
        return s_settle (argv [2]);

    s_where_t where = { NULL };
    bench_options_t options = {
        .seconds = 20, .history = 1000000, .growth_seconds = 1800, .growth_connections = 4,
        .clients = { 1, 4, 16, 64 }, .client_count = 4,
        .batch_clients = { 1, 4, 16 }, .batch_client_count = 3,
        .followers = { 1, 10, 100 }, .follower_count = 3,
        .window = 8, .batch_window = 2, .batch = 100, .rate = 1000, .follow_rate = 100,
        .drain_seconds = 60, .follow_grace = 30, .catchup_seconds = 60, .wall_count = 200,
        .wall_period = "2023-06", .after_clients = 16
    };
    if (s_options (argc, argv, &where, &options))
        return 2;
    if (options.rate_seconds == 0)
        options.rate_seconds = 3 * options.seconds;
    zsys_init ();
    //  Sockets: a few per connection and follower
    zsys_set_max_sockets (4096);

    bench_env_t env = { .router = where.router, .pub = where.pub,
                        .server_pid = where.server_pid, .pg_pid = where.pg_pid,
                        .conninfo = where.db };
    char server_key [41];
    zcert_t *admin = NULL;
    bm_client_t *client = NULL, *small_client = NULL;
    bench_env_t small = { NULL };
    PGconn *db = NULL;
    bench_report_t *report = bench_report_new ();
    bench_results_t *results = (bench_results_t *) zmalloc (sizeof (bench_results_t));
    int rc = 1;
    env.cells = bench_cells_new (where.plan);
    env.acked = bench_ids_new ();
    if (!env.cells)
        goto done;
    if (bm_keys_public (where.server_key, server_key)) {
        fprintf (stderr, "bm_bench: no server key in %s\n", where.server_key);
        goto done;
    }
    env.server_key = server_key;
    admin = bm_keys_load_secret (where.admin_key);
    if (!admin) {
        fprintf (stderr, "bm_bench: no administrator's key pair at %s\n", where.admin_key);
        goto done;
    }
    client = s_admin (where.router, admin, server_key);
    if (!client)
        goto done;
    env.keys = bench_keys_new (client);
    if (where.small_router) {
        small_client = s_admin (where.small_router, admin, server_key);
        if (!small_client)
            goto done;
        small = env;
        small.router = where.small_router;
        small.pub = NULL;
        small.server_pid = where.small_pid;
        small.keys = bench_keys_new (small_client);
        env.small = &small;
    }
    db = bench_db_connect (where.db);
    if (!db)
        goto done;
    if (where.baseline && bench_report_load_baseline (report, where.baseline))
        fprintf (stderr, "bm_bench: cannot read the baseline %s: it is left out\n",
                 where.baseline);
    fprintf (stderr, "bm_bench: %zu cells of plan %s take figures\n",
             bench_cells_size (env.cells), where.plan);

    if (bench_phases_run (&env, db, &options, results) == 0) {
        bench_table_build (report, &options, results);
        printf ("\n");
        bench_report_print (report, stdout);
        if (where.out) {
            FILE *file = fopen (where.out, "w");
            if (file) {
                bench_report_print (report, file);
                fclose (file);
            }
            else
                fprintf (stderr, "bm_bench: cannot write %s\n", where.out);
        }
        if (where.values && bench_report_save_values (report, where.values))
            fprintf (stderr, "bm_bench: cannot write %s\n", where.values);
        if (zsys_interrupted)
            fprintf (stderr, "bm_bench: interrupted: the table is incomplete\n");
        rc = results->integrity_ok && !zsys_interrupted? 0: 1;
        if (!results->integrity_ok)
            fprintf (stderr, "bm_bench: INTEGRITY FAILURE: %s\n", results->integrity_text);
    }
    else
        fprintf (stderr, "bm_bench: the run could not start\n");
done:
    bench_results_free (results);
    free (results);
    if (db)
        PQfinish (db);
    bench_keys_destroy (&env.keys);
    bench_keys_destroy (&small.keys);
    bm_client_destroy (&client);
    bm_client_destroy (&small_client);
    zcert_destroy (&admin);
    bench_ids_destroy (&env.acked);
    bench_cells_destroy (&env.cells);
    bench_report_destroy (&report);
    return rc;
}
