/*  battlemap watch: every event of a scope, as it happens, missing nothing. */

#include "cli.h"
#include "bm_follow.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <errno.h>
#include <getopt.h>
#include <string.h>

#define S_TURN  250             //  msecs a bm_follow_recv waits at most

static void
s_usage (FILE *out)
{
    fprintf (out,
        _("usage: battlemap watch [--district D [--unit U]] [--indicator CODE]\n"
        "                       [--kind KIND]... [--severity SEVERITY]\n"
        "                       [--since SEQ] [--state FILE] [--count N]\n"
        "                       [--timeout SECONDS] [--until-caught-up]\n"
        "\n"
        "Print events as the server publishes them, one line each, with their sequence\n"
        "number: completion updates, alerts fired, updated and resolved, notices\n"
        "(one per unit per deadline: what it still owes and where it lags), deadlines\n"
        "passed and snapshots taken (--kind completion|alert|notice|deadline|snapshot|\n"
        "figure, repeatable; default all but figure). Filters narrow what is shown; the\n"
        "key's scope narrows what the server sends.\n"
        "\n"
        "Nothing is lost: with --since SEQ the events after SEQ come first, in order,\n"
        "a page of the server's log at a time, then the live ones, without duplicates.\n"
        "With --state FILE, the place of each event is written to FILE once its line is\n"
        "written out and flushed, and a restarted watch resumes after it (FILE wins over\n"
        "--since, which then only says where to start the first time): a watch killed\n"
        "at any moment prints at most its last line again when restarted, and never\n"
        "skips one. Gaps (a slow terminal, a reconnection) are filled from the log.\n"
        "When the server asks to wait (RATE_LIMITED, UNAVAILABLE), watch says so on\n"
        "stderr and asks again later.\n"
        "\n"
        "--count stops after N events, --timeout after SECONDS without one once caught\n"
        "up with the log, --until-caught-up once every event the log held is printed.\n"
        "Exits 1 if the server refuses, 2 if FILE or the output cannot be written, 3 if\n"
        "the server does not answer.\n"));
}

//  The follower waits before asking the server again: say so
static void
s_notify (void *arg, const char *sentence)
{
    fprintf (stderr, _("battlemap watch: %s\n"), sentence);
}

static void
s_print (const char *topic, const Battlemap__Event *event)
{
    printf ("#%llu %s ", (unsigned long long) event->seq, event->at);
    switch (event->payload_case) {
        case BATTLEMAP__EVENT__PAYLOAD_COMPLETION: {
            Battlemap__CompletionEvent *update = event->completion;
            printf (_("completion %s %s %s %s%s%s actual %s%s milestone %s (%s%%) annual %s (%s%%) %s"),
                    update->period, update->district, update->unit, update->indicator,
                    *update->measure? "/": "", update->measure,
                    *update->actual? update->actual: "-",
                    update->actual_is_forecast? " (forecast)": "",
                    *update->milestone? update->milestone: "-",
                    *update->vs_milestone? update->vs_milestone: "-",
                    *update->annual_target? update->annual_target: "-",
                    *update->vs_annual? update->vs_annual: "-", update->status);
            break;
        }
        case BATTLEMAP__EVENT__PAYLOAD_ALERT: {
            Battlemap__Alert *alert = event->alert->alert;
            printf (_("alert %s #%lld %s %s %s: %s"), event->alert->action, (long long) alert->id,
                    alert->severity, alert->rule, alert->period,
                    *alert->message? alert->message: alert->unit);
            break;
        }
        case BATTLEMAP__EVENT__PAYLOAD_NOTICE:
            printf (_("notice %s"), event->notice->message);
            break;
        case BATTLEMAP__EVENT__PAYLOAD_CYCLE:
            printf (_("%s %s %s %s at %s"), event->cycle->what, event->cycle->district,
                    event->cycle->period, bm_wire_kind_name (event->cycle->kind),
                    event->cycle->deadline);
            break;
        case BATTLEMAP__EVENT__PAYLOAD_FIGURE: {
            Battlemap__FigureEvent *figure = event->figure;
            printf (_("figure %s %s %s %s %s%s%s %s %s%s"), figure->outcome, figure->period,
                    figure->unit, bm_wire_kind_name (figure->kind), figure->indicator,
                    *figure->measure? "/": "", figure->measure,
                    *figure->value? figure->value: bm_wire_status_name (figure->status),
                    figure->late? _("LATE "): "", *figure->replaces? figure->replaces: "");
            break;
        }
        default:
            printf ("%s", topic);
    }
    printf ("\n");
}

int
cli_watch (cli_context_t *context, int argc, char *argv [])
{
    const char *district = NULL, *unit = NULL, *indicator = NULL, *severity = NULL;
    const char *state = NULL;
    const char *kinds [8];
    size_t kind_count = 0;
    uint64_t since = 0;
    bool has_since = false, until_caught_up = false;
    int count = 0, timeout = -1;
    static const struct option options [] = {
        { "district", required_argument, NULL, 'D' },
        { "unit", required_argument, NULL, 'u' },
        { "indicator", required_argument, NULL, 'i' },
        { "kind", required_argument, NULL, 'k' },
        { "severity", required_argument, NULL, 's' },
        { "since", required_argument, NULL, 'S' },
        { "state", required_argument, NULL, 'f' },
        { "count", required_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 't' },
        { "until-caught-up", no_argument, NULL, 'U' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': district = optarg; break;
            case 'u': unit = optarg; break;
            case 'i': indicator = optarg; break;
            case 'k':
                if (kind_count < 8)
                    kinds [kind_count++] = optarg;
                break;
            case 's': severity = optarg; break;
            case 'S': since = strtoull (optarg, NULL, 10); has_since = true; break;
            case 'f': state = optarg; break;
            case 'c': count = atoi (optarg); break;
            case 't': timeout = atoi (optarg) * 1000; break;
            case 'U': until_caught_up = true; break;
            case 'h': s_usage (stdout); return CLI_OK;
            default:  s_usage (stderr); return CLI_USAGE;
        }
    }
    if (optind < argc || (unit && !district)) {
        if (unit && !district)
            fprintf (stderr, _("battlemap watch: --unit needs --district\n"));
        s_usage (stderr);
        return CLI_USAGE;
    }
    if (cli_keys (context))
        return CLI_USAGE;
    if (!kind_count) {
        const char *all [] = { "completion", "alert", "notice", "deadline", "snapshot" };
        for (kind_count = 0; kind_count < 5; kind_count++)
            kinds [kind_count] = all [kind_count];
    }
    //  Topics are <kind>/<district>/<unit>/<indicator>/...: district and unit
    //  narrow the prefixes; the district's calendar events have no unit
    char *prefixes [9];
    for (size_t index = 0; index < kind_count; index++) {
        bool calendar = streq (kinds [index], "deadline") || streq (kinds [index], "snapshot");
        prefixes [index] = !district? zsys_sprintf ("%s/", kinds [index])
                         : unit && !calendar? zsys_sprintf ("%s/%s/%s/", kinds [index], district, unit)
                         : zsys_sprintf ("%s/%s/", kinds [index], district);
    }
    prefixes [kind_count] = NULL;
    int rc = CLI_OK;
    bm_follow_t *follow = bm_follow_new (context->server, context->events, context->cert,
                                         context->server_public, (const char **) prefixes,
                                         since, !has_since, state, 0);
    if (follow) {
        bm_follow_set_timeout (follow, context->timeout, 3);
        bm_follow_set_notify (follow, s_notify, NULL);
    }
    else {
        fprintf (stderr, _("battlemap watch: '%s' or '%s' is not a valid endpoint (e.g. "
                 "tcp://127.0.0.1:7301 and tcp://127.0.0.1:7302)\n"), context->server,
                 context->events);
        rc = CLI_USAGE;
    }
    setvbuf (stdout, NULL, _IOLBF, 0);
    int seen = 0;
    int64_t idle_since = zclock_mono ();
    while (follow && (!count || seen < count) && !zsys_interrupted) {
        if (until_caught_up && bm_follow_caught_up (follow))
            break;
        //  Short turns, so that --until-caught-up and --timeout are looked at
        char *topic = NULL;
        Battlemap__Envelope *envelope = bm_follow_recv (follow, S_TURN, &topic);
        if (!envelope) {
            if (bm_follow_error (follow)) {
                fprintf (stderr, _("battlemap watch: %s\n"), bm_follow_error (follow));
                rc = bm_follow_refusal (follow)? CLI_REFUSED: CLI_UNREACHABLE;
                break;
            }
            //  Reading the log, or told to wait by the server, is not idle
            int64_t now = zclock_mono ();
            if (!bm_follow_caught_up (follow))
                idle_since = now;
            else
            if (timeout >= 0 && now - idle_since >= timeout)
                break;
            continue;
        }
        idle_since = zclock_mono ();
        Battlemap__Event *event = envelope->event;
        bool shown = true;
        if (indicator) {
            //  <kind>/<district>/<unit>/<indicator>/
            char *needle = zsys_sprintf ("/%s/", indicator);
            shown = strstr (topic, needle) != NULL;
            free (needle);
        }
        if (severity && event->payload_case == BATTLEMAP__EVENT__PAYLOAD_ALERT)
            shown = shown && streq (event->alert->alert->severity, severity);
        if (shown)
            s_print (topic, event);
        zstr_free (&topic);
        bm_wire_free (&envelope);
        if (!shown)
            continue;           //  taken with the next one
        //  Written out first, then taken: its place moves in the state file
        if (fflush (stdout) || ferror (stdout)) {
            fprintf (stderr, _("battlemap watch: cannot write the events out: %s\n"),
                     strerror (errno));
            rc = CLI_USAGE;
            break;
        }
        seen++;
        if (bm_follow_ack (follow)) {
            fprintf (stderr, _("battlemap watch: %s\n"), bm_follow_error (follow));
            rc = CLI_USAGE;
            break;
        }
    }
    bm_follow_destroy (&follow);
    for (size_t index = 0; index < kind_count; index++)
        free (prefixes [index]);
    return rc;
}
