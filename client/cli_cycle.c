/*  battlemap clock, exception, history, report: the reporting cycle. */

#include "cli.h"

#include <czmq.h>
#include <getopt.h>
#include <string.h>

//  Sends a request and checks its reply's body; NULL after printing why
static Battlemap__Envelope *
s_ask (cli_context_t *context, const char *command, Battlemap__Envelope *request,
       Battlemap__Envelope__BodyCase expected, int *rc)
{
    bm_client_t *client = cli_connect (context);
    if (!client) {
        *rc = CLI_USAGE;
        return NULL;
    }
    Battlemap__Envelope *reply = bm_client_request (client, request);
    bm_client_destroy (&client);
    *rc = cli_check_reply (command, reply, expected);
    if (*rc >= 0) {
        bm_wire_free (&reply);
        return NULL;
    }
    *rc = CLI_OK;
    return reply;
}

//  ---------------------------------------------------------------------------

int
cli_clock (cli_context_t *context, int argc, char *argv [])
{
    if (argc > 1 && (streq (argv [1], "--help") || streq (argv [1], "-h"))) {
        printf ("usage: battlemap clock [--set TIME]\n\n"
                "Print the server's time (Asia/Shanghai), by which deadlines are judged.\n"
                "--set moves it, on a server started with --test-clock (tests and\n"
                "simulations): TIME is ISO 8601, e.g. 2023-06-28T18:00:00+08:00.\n");
        return CLI_OK;
    }
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    if (argc == 3 && streq (argv [1], "--set"))
        clock.set = argv [2];
    else
    if (argc != 1) {
        fprintf (stderr, "usage: battlemap clock [--set TIME]\n");
        return CLI_USAGE;
    }
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    request.clock = &clock;
    int rc;
    Battlemap__Envelope *reply = s_ask (context, "clock", &request,
                                        BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY, &rc);
    if (reply) {
        printf ("%s%s\n", reply->clock_reply->now,
                reply->clock_reply->settable? " (test clock)": "");
        bm_wire_free (&reply);
    }
    return rc;
}

//  ---------------------------------------------------------------------------

static void
s_exception_usage (FILE *out)
{
    fprintf (out,
        "usage: battlemap exception reopen  --district D --unit U --period YYYY-MM\n"
        "                                   --kind forecast|final --until TIME --reason TEXT\n"
        "                                   [--indicator CODE]...\n"
        "       battlemap exception request (the same options: a unit asks for an extension)\n"
        "       battlemap exception grant   --id N --reason TEXT [--until TIME]\n"
        "       battlemap exception refuse  --id N --reason TEXT\n"
        "       battlemap exception list    --district D [--unit U] [--period YYYY-MM]\n"
        "\n"
        "Exceptions to the reporting windows. The bureau reopens a window for one unit,\n"
        "period and kind (all its indicators, or those named) until a time, with a\n"
        "reason; a unit asks for an extension, which the bureau grants or refuses. All\n"
        "are recorded. A figure sent under an exception is late and needs its reason in\n"
        "its note. TIME is ISO 8601 or 'YYYY-MM-DD HH:MM' (Asia/Shanghai).\n");
}

static void
s_print_exception (const Battlemap__WindowException *exception)
{
    printf ("#%lld %s %s %s %s", (long long) exception->id, exception->status,
            exception->unit, exception->period, bm_wire_kind_name (exception->kind));
    if (exception->n_indicators) {
        printf (" [");
        for (size_t index = 0; index < exception->n_indicators; index++)
            printf ("%s%s", index? ", ": "", exception->indicators [index]);
        printf ("]");
    }
    printf (" until %s\n    %s by %s at %s: %s\n", exception->until,
            streq (exception->status, "requested")? "asked": "opened",
            exception->requested_by, exception->requested_at, exception->reason);
    if (*exception->decided_at && !streq (exception->decided_at, exception->requested_at))
        printf ("    %s by %s at %s: %s\n", exception->status, exception->decided_by,
                exception->decided_at, exception->decision_reason);
}

int
cli_exception (cli_context_t *context, int argc, char *argv [])
{
    if (argc < 2 || streq (argv [1], "--help") || streq (argv [1], "-h")) {
        s_exception_usage (argc < 2? stderr: stdout);
        return argc < 2? CLI_USAGE: CLI_OK;
    }
    Battlemap__ExceptionRequest exception = BATTLEMAP__EXCEPTION_REQUEST__INIT;
    const char *action = argv [1];
    exception.action = streq (action, "reopen")? BATTLEMAP__EXCEPTION_ACTION__REOPEN
                     : streq (action, "request")? BATTLEMAP__EXCEPTION_ACTION__REQUEST
                     : streq (action, "grant")? BATTLEMAP__EXCEPTION_ACTION__GRANT
                     : streq (action, "refuse")? BATTLEMAP__EXCEPTION_ACTION__REFUSE
                     : streq (action, "list")? BATTLEMAP__EXCEPTION_ACTION__LIST
                     : BATTLEMAP__EXCEPTION_ACTION__EXCEPTION_ACTION_UNSPECIFIED;
    if (!exception.action) {
        fprintf (stderr, "battlemap exception: '%s' is not reopen, request, grant, refuse "
                 "or list\n", action);
        return CLI_USAGE;
    }
    char *indicators [64];
    static const struct option options [] = {
        { "district", required_argument, NULL, 'D' },
        { "unit", required_argument, NULL, 'u' },
        { "period", required_argument, NULL, 'p' },
        { "kind", required_argument, NULL, 'k' },
        { "indicator", required_argument, NULL, 'i' },
        { "until", required_argument, NULL, 'U' },
        { "reason", required_argument, NULL, 'r' },
        { "id", required_argument, NULL, 'I' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    optind = 2;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': exception.district = optarg; break;
            case 'u': exception.unit = optarg; break;
            case 'p': exception.period = optarg; break;
            case 'k': exception.kind = bm_wire_kind_parse (optarg); break;
            case 'i':
                if (exception.n_indicators == 64)
                    return CLI_USAGE;
                indicators [exception.n_indicators++] = optarg;
                break;
            case 'U': exception.until = optarg; break;
            case 'r': exception.reason = optarg; break;
            case 'I': exception.id = atoll (optarg); break;
            case 'h': s_exception_usage (stdout); return CLI_OK;
            default:  s_exception_usage (stderr); return CLI_USAGE;
        }
    }
    exception.indicators = indicators;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_EXCEPTION;
    request.exception = &exception;
    int rc;
    Battlemap__Envelope *reply = s_ask (context, "exception", &request,
                                        BATTLEMAP__ENVELOPE__BODY_EXCEPTION_REPLY, &rc);
    if (reply) {
        Battlemap__ExceptionReply *exceptions = reply->exception_reply;
        for (size_t index = 0; index < exceptions->n_exceptions; index++)
            s_print_exception (exceptions->exceptions [index]);
        if (!exceptions->n_exceptions)
            printf ("no exceptions\n");
        bm_wire_free (&reply);
    }
    return rc;
}

//  ---------------------------------------------------------------------------

int
cli_history (cli_context_t *context, int argc, char *argv [])
{
    Battlemap__HistoryRequest history = BATTLEMAP__HISTORY_REQUEST__INIT;
    static const struct option options [] = {
        { "district", required_argument, NULL, 'D' },
        { "unit", required_argument, NULL, 'u' },
        { "indicator", required_argument, NULL, 'i' },
        { "measure", required_argument, NULL, 'm' },
        { "period", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *usage =
        "usage: battlemap history --district D --unit U --indicator CODE [--measure M]\n"
        "                         --period YYYY-MM\n"
        "\n"
        "Every figure ever sent for a cell, oldest first: forecast or final, the value\n"
        "(or status) and the value it replaced, who sent it, when it arrived, whether\n"
        "it was late and under which exception, and its note. Nothing is overwritten.\n";
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': history.district = optarg; break;
            case 'u': history.unit = optarg; break;
            case 'i': history.indicator = optarg; break;
            case 'm': history.measure = optarg; break;
            case 'p': history.period = optarg; break;
            case 'h': fputs (usage, stdout); return CLI_OK;
            default:  fputs (usage, stderr); return CLI_USAGE;
        }
    }
    if (!*history.district || !*history.indicator || !*history.period || optind < argc) {
        fputs (usage, stderr);
        return CLI_USAGE;
    }
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_HISTORY;
    request.history = &history;
    int rc;
    Battlemap__Envelope *reply = s_ask (context, "history", &request,
                                        BATTLEMAP__ENVELOPE__BODY_HISTORY_REPLY, &rc);
    if (!reply)
        return rc;
    Battlemap__HistoryReply *trail = reply->history_reply;
    printf ("%s %s %s%s%s %s\n", trail->district, trail->unit, trail->indicator,
            *trail->measure? "/": "", trail->measure, trail->period);
    printf ("deadlines: forecast %s, final %s\n", trail->forecast_deadline,
            trail->final_deadline);
    for (size_t index = 0; index < trail->n_entries; index++) {
        Battlemap__HistoryEntry *entry = trail->entries [index];
        printf ("%s %-8s %s", entry->received_at, bm_wire_kind_name (entry->kind),
                *entry->value? entry->value: bm_wire_status_name (entry->status));
        if (*entry->replaces)
            printf (" (was %s)", entry->replaces);
        if (entry->late)
            printf (" LATE, exception #%lld", (long long) entry->exception_id);
        printf ("  %s", entry->sender);
        if (*entry->note)
            printf ("  \"%s\"", entry->note);
        printf ("\n");
    }
    if (!trail->n_entries)
        printf ("nothing was sent for this cell\n");
    bm_wire_free (&reply);
    return rc;
}

//  ---------------------------------------------------------------------------

static void
s_print_timeliness (const Battlemap__ReportReply *report)
{
    printf ("%s %s 报送及时率（预报截止 %s，正式截止 %s；截至 %s）\n\n",
            report->district_name, report->period, report->forecast_deadline,
            report->final_deadline, report->as_of);
    printf ("  ");
    cli_print_padded (stdout, "单位", 26, false);
    printf ("  类别      应报  已报  按时  迟报  未报\n");
    for (size_t index = 0; index < report->n_timeliness; index++) {
        Battlemap__TimelinessRow *row = report->timeliness [index];
        printf ("  ");
        cli_print_padded (stdout, row->unit, 26, false);
        printf ("  %-8s %5u %5u %5u %5u %5u\n",
                row->kind == BATTLEMAP__FIGURE_KIND__FINAL? "final": "forecast",
                row->expected, row->received, row->on_time, row->late, row->missing);
    }
}

static void
s_print_accuracy (const Battlemap__ReportReply *report)
{
    printf ("%s %s 各单位预报准确率通报（截至 %s）\n", report->district_name, report->period,
            report->as_of);
    printf ("预报取预报截止（%s）前最后一次，正式数取最新一次；误差率 = |预报−正式| / |正式|；"
            "得分 = 100 − 误差率（不低于 0）\n\n", report->forecast_deadline);
    for (size_t index = 0; index < report->n_accuracy; index++) {
        Battlemap__AccuracyRow *row = report->accuracy [index];
        if (!*row->indicator) {
            printf ("  第%u名  ", row->rank);
            cli_print_padded (stdout, row->unit, 26, false);
            printf ("  平均得分 %s%s\n", row->score, row->warned? "  预警": "");
        }
        else
            printf ("          %s%s%s  预报 %s  正式 %s  误差率 %s%%  得分 %s\n",
                    row->indicator, *row->measure? "/": "", row->measure, row->forecast,
                    row->final, *row->ape? row->ape: "—", row->score);
    }
    if (!report->n_accuracy)
        printf ("  no unit has both a forecast and a final for this month\n");
}

int
cli_report (cli_context_t *context, int argc, char *argv [])
{
    const char *usage =
        "usage: battlemap report timeliness --district D --period YYYY-MM\n"
        "       battlemap report forecast-accuracy --district D --period YYYY-MM\n"
        "\n"
        "timeliness: per unit, for forecasts and finals, the reports expected, received,\n"
        "on time, late and missing.\n"
        "forecast-accuracy: the monthly bulletin (通报): every unit's forecasts scored\n"
        "against its finals (score = 100 - absolute percentage error, at least 0), the\n"
        "units ranked on their average, the bottom five marked 预警.\n";
    if (argc < 2 || streq (argv [1], "--help") || streq (argv [1], "-h")) {
        fputs (usage, argc < 2? stderr: stdout);
        return argc < 2? CLI_USAGE: CLI_OK;
    }
    Battlemap__ReportRequest report = BATTLEMAP__REPORT_REQUEST__INIT;
    report.kind = streq (argv [1], "timeliness")? BATTLEMAP__REPORT_KIND__TIMELINESS
                : streq (argv [1], "forecast-accuracy")? BATTLEMAP__REPORT_KIND__FORECAST_ACCURACY
                : BATTLEMAP__REPORT_KIND__REPORT_KIND_UNSPECIFIED;
    if (!report.kind) {
        fputs (usage, stderr);
        return CLI_USAGE;
    }
    static const struct option options [] = {
        { "district", required_argument, NULL, 'D' },
        { "period", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    char period [8] = "";          //  default: the server's month
    report.period = period;
    int option;
    optind = 2;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': report.district = optarg; break;
            case 'p': report.period = optarg; break;
            case 'h': fputs (usage, stdout); return CLI_OK;
            default:  fputs (usage, stderr); return CLI_USAGE;
        }
    }
    if (!*report.district || optind < argc) {
        fputs (usage, stderr);
        return CLI_USAGE;
    }
    if (!*report.period) {
        bm_client_t *client = cli_connect (context);
        if (!client)
            return CLI_USAGE;
        cli_default_period (client, period);
        bm_client_destroy (&client);
    }
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_REPORT;
    request.report = &report;
    int rc;
    Battlemap__Envelope *reply = s_ask (context, "report", &request,
                                        BATTLEMAP__ENVELOPE__BODY_REPORT_REPLY, &rc);
    if (!reply)
        return rc;
    if (report.kind == BATTLEMAP__REPORT_KIND__TIMELINESS)
        s_print_timeliness (reply->report_reply);
    else
        s_print_accuracy (reply->report_reply);
    bm_wire_free (&reply);
    return rc;
}
