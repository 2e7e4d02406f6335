/*  battlemap watch: print completion updates as they arrive. */

#include "cli.h"

#include <czmq.h>
#include <getopt.h>

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: battlemap watch [--district D [--unit U]] [--indicator CODE]\n"
        "                       [--count N] [--timeout SECONDS]\n"
        "\n"
        "Print completion updates as the server publishes them, one line each:\n"
        "sequence, period, unit, indicator, actual, completion against the milestone\n"
        "and the annual target, status. Filters narrow what is shown; --count stops\n"
        "after N events, --timeout after SECONDS without one (default: run until\n"
        "interrupted).\n");
}

int
cli_watch (cli_context_t *context, int argc, char *argv [])
{
    const char *district = NULL, *unit = NULL, *indicator = NULL;
    int count = 0, timeout = -1;
    static const struct option options [] = {
        { "district", required_argument, NULL, 'D' },
        { "unit", required_argument, NULL, 'u' },
        { "indicator", required_argument, NULL, 'i' },
        { "count", required_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': district = optarg; break;
            case 'u': unit = optarg; break;
            case 'i': indicator = optarg; break;
            case 'c': count = atoi (optarg); break;
            case 't': timeout = atoi (optarg) * 1000; break;
            case 'h': s_usage (stdout); return CLI_OK;
            default:  s_usage (stderr); return CLI_USAGE;
        }
    }
    if (optind < argc || (unit && !district)) {
        if (unit && !district)
            fprintf (stderr, "battlemap watch: --unit needs --district\n");
        s_usage (stderr);
        return CLI_USAGE;
    }
    //  The topic is completion/<district>/<unit>/<indicator>/: district and
    //  unit narrow the ZeroMQ prefix; an indicator alone is filtered here
    char *prefix = district
        ? (unit? (indicator? zsys_sprintf ("completion/%s/%s/%s/", district, unit, indicator)
                           : zsys_sprintf ("completion/%s/%s/", district, unit))
               : zsys_sprintf ("completion/%s/", district))
        : strdup ("completion/");
    bm_watch_t *watch = cli_keys (context) == 0
        ? bm_watch_new (context->events, prefix, context->cert, context->server_public): NULL;
    free (prefix);
    if (!watch) {
        fprintf (stderr, "battlemap watch: cannot subscribe to %s\n", context->events);
        return CLI_USAGE;
    }
    setvbuf (stdout, NULL, _IOLBF, 0);
    int seen = 0;
    while (!count || seen < count) {
        Battlemap__Envelope *envelope = bm_watch_recv (watch, timeout, NULL);
        if (!envelope)
            break;
        Battlemap__Event *event = envelope->event;
        if (event->payload_case == BATTLEMAP__EVENT__PAYLOAD_COMPLETION) {
            Battlemap__CompletionEvent *update = event->completion;
            if (!indicator || streq (indicator, update->indicator)) {
                printf ("#%llu %s %s %s %s%s%s actual %s%s milestone %s (%s%%) annual %s (%s%%) %s\n",
                        (unsigned long long) event->seq, update->period, update->district,
                        update->unit, update->indicator, *update->measure? "/": "",
                        update->measure, *update->actual? update->actual: "-",
                        update->actual_is_forecast? " (forecast)": "",
                        *update->milestone? update->milestone: "-",
                        *update->vs_milestone? update->vs_milestone: "-",
                        *update->annual_target? update->annual_target: "-",
                        *update->vs_annual? update->vs_annual: "-", update->status);
                seen++;
            }
        }
        bm_wire_free (&envelope);
    }
    bm_watch_destroy (&watch);
    return CLI_OK;
}
