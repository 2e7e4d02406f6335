/*  battlemapd: the bureau's aggregator.

    Owns all indicator state in PostgreSQL, takes figures from the units on a
    ROUTER socket and publishes completion updates on an XPUB socket, both
    under CURVE: only enrolled keys get in. With no
    database configured it runs its own PostgreSQL cluster in its data
    directory, as a child process it starts and stops.
*/

#include "bm_pgcluster.h"
#include "bm_server.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <getopt.h>

#define BM_MAX_PLAN_DIRS 32

static void
s_usage (FILE *out)
{
    fprintf (out,
        _("usage: battlemapd [options]\n"
        "\n"
        "The battle-map server: stores plans and figures in PostgreSQL, answers\n"
        "submitters and publishes completion updates.\n"
        "\n"
        "  --router ENDPOINT      requests (default tcp://127.0.0.1:7301)\n"
        "  --pub ENDPOINT         events (default tcp://127.0.0.1:7302)\n"
        "  --db CONNINFO          PostgreSQL connection string (default: $BATTLEMAP_DB;\n"
        "                         if neither is set, run an embedded cluster)\n"
        "  --data-dir DIR         where the embedded cluster lives (default ./battlemap-data)\n"
        "  --plans DIR            load the plan in DIR at start; may be repeated\n"
        "  --endpoints-file FILE  write the bound endpoints to FILE (for port 0 / '*')\n"
        "  --keys DIR             the server's key pair server.cert(_secret), created\n"
        "                         there on the first start (default: DATA-DIR/keys)\n"
        "  --admin CERT           enrol the public key of CERT (a certificate file or\n"
        "                         40 characters of Z85) as an administrator; repeatable\n"
        "  --clock TIME           start the clock at TIME (ISO 8601) and let it run\n"
        "  --test-clock           freeze the clock (at --clock, else now) and let clients\n"
        "                         set it: for tests and simulations only\n"
        "  --backfill             do not enforce reporting windows (loading past months)\n"
        "  --rate-limit N         requests a key may send a second, after a burst of 2N\n"
        "                         (default 100; the catch-up of events and administrators'\n"
        "                         keys are not counted)\n"
        "  --time-limit MS        milliseconds of the server's time a key's requests may\n"
        "                         take a second, after a burst of 4 x MS (default 500;\n"
        "                         administrators' keys are not limited)\n"
        "  --log-slow MS          log a turn answered MS or more after its first request\n"
        "                         arrived, with where the time went (default 1000)\n"
        "  --spin-us US           wait for a commit's answer, and for the next request\n"
        "                         after any, without sleeping for up to US microseconds,\n"
        "                         yielding the CPU to whatever is ready to run (default\n"
        "                         300; 0: always sleep)\n"
        "  --verbose              log more\n"
        "  --version              the version\n"
        "  --help                 this text\n"));
}

int
main (int argc, char *argv [])
{
    bm_i18n_init ();
    bm_server_config_t config = {
        .router_endpoint = "tcp://127.0.0.1:7301",
        .pub_endpoint = "tcp://127.0.0.1:7302",
        .conninfo = getenv ("BATTLEMAP_DB")
    };
    const char *data_dir = "battlemap-data";
    const char *plan_dirs [BM_MAX_PLAN_DIRS + 1] = { NULL };
    int plan_count = 0;
    const char *admins [BM_MAX_PLAN_DIRS + 1] = { NULL };
    int admin_count = 0;

    static const struct option options [] = {
        { "router", required_argument, NULL, 'r' },
        { "pub", required_argument, NULL, 'p' },
        { "db", required_argument, NULL, 'd' },
        { "data-dir", required_argument, NULL, 'D' },
        { "plans", required_argument, NULL, 'P' },
        { "endpoints-file", required_argument, NULL, 'e' },
        { "keys", required_argument, NULL, 'k' },
        { "admin", required_argument, NULL, 'a' },
        { "clock", required_argument, NULL, 'c' },
        { "test-clock", no_argument, NULL, 'T' },
        { "backfill", no_argument, NULL, 'B' },
        { "rate-limit", required_argument, NULL, 'R' },
        { "time-limit", required_argument, NULL, 'L' },
        { "log-slow", required_argument, NULL, 'S' },
        { "spin-us", required_argument, NULL, 'W' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'r': config.router_endpoint = optarg; break;
            case 'p': config.pub_endpoint = optarg; break;
            case 'd': config.conninfo = optarg; break;
            case 'D': data_dir = optarg; break;
            case 'e': config.endpoints_file = optarg; break;
            case 'k': config.keys_dir = optarg; break;
            case 'a':
                if (admin_count == BM_MAX_PLAN_DIRS) {
                    fprintf (stderr, _("battlemapd: at most %d --admin\n"), BM_MAX_PLAN_DIRS);
                    return 2;
                }
                admins [admin_count++] = optarg;
                break;
            case 'c': config.clock_start = optarg; break;
            case 'T': config.test_clock = true; break;
            case 'B': config.backfill = true; break;
            case 'R':
            case 'L':
            case 'S': {
                char *end;
                long limit = strtol (optarg, &end, 10);
                if (*end || limit < 1 || limit > 1000000) {
                    fprintf (stderr, _("battlemapd: --%s takes a whole number from 1 to"
                             " 1000000, not \"%s\"\n"),
                             option == 'R'? "rate-limit": option == 'L'? "time-limit"
                                                        : "log-slow", optarg);
                    return 2;
                }
                if (option == 'R')
                    config.rate_limit = (int) limit;
                else
                if (option == 'L')
                    config.time_limit = (int) limit;
                else
                    config.slow_turn_ms = (int) limit;
                break;
            }
            case 'W': {
                char *end;
                long spin = strtol (optarg, &end, 10);
                if (!*optarg || *end || spin < 0 || spin > 100000) {
                    fprintf (stderr, _("battlemapd: --spin-us takes a whole number from 0 to"
                             " 100000, not \"%s\"\n"), optarg);
                    return 2;
                }
                config.spin_us = spin? (int) spin: -1;
                break;
            }
            case 'v': config.verbose = true; break;
            case 'h': s_usage (stdout); return 0;
            case 'V': printf ("battlemapd %s\n", BM_VERSION); return 0;
            case 'P':
                if (plan_count == BM_MAX_PLAN_DIRS) {
                    fprintf (stderr, _("battlemapd: at most %d --plans\n"), BM_MAX_PLAN_DIRS);
                    return 2;
                }
                plan_dirs [plan_count++] = optarg;
                break;
            default:
                s_usage (stderr);
                return 2;
        }
    }
    if (optind < argc) {
        fprintf (stderr, _("battlemapd: unexpected argument '%s'\n"), argv [optind]);
        s_usage (stderr);
        return 2;
    }
    config.plan_dirs = plan_dirs;
    config.admins = admins;
    char *keys_dir = NULL;
    if (!config.keys_dir)
        config.keys_dir = keys_dir = zsys_sprintf ("%s/keys", data_dir);
    zsys_init ();
    zsys_set_logident ("battlemapd");

    bm_pgcluster_t *cluster = NULL;
    if (!config.conninfo || !*config.conninfo) {
        cluster = bm_pgcluster_new (data_dir);
        if (!cluster)
            return 1;
        config.conninfo = bm_pgcluster_conninfo (cluster);
        config.cluster = cluster;
    }
    bm_server_t *server = bm_server_new (&config);
    int rc = 1;
    if (server) {
        rc = bm_server_run (server);
        bm_server_destroy (&server);
    }
    bm_pgcluster_destroy (&cluster);
    free (keys_dir);
    return rc;
}
