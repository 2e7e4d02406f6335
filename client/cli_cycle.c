/*  battlemap clock, exception, history, report: the reporting cycle. */

#include "cli.h"
#include "cli_format.h"
#include "cli_labels.h"
#include "cli_meeting.h"
#include "bm_i18n.h"

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

//  The figures of a cell, oldest first
static void
s_history_text (const Battlemap__HistoryReply *trail)
{
    printf ("%s %s %s%s%s %s\n", trail->district, trail->unit, trail->indicator,
            *trail->measure? "/": "", trail->measure, trail->period);
    printf (_("deadlines: forecast %s, final %s\n"), trail->forecast_deadline,
            trail->final_deadline);
    for (size_t index = 0; index < trail->n_entries; index++) {
        Battlemap__HistoryEntry *entry = trail->entries [index];
        printf ("%s ", entry->received_at);
        cli_print_padded (stdout, cli_kind_label (entry->kind), 8, false);
        printf (" %s", *entry->value? entry->value: cli_milestone_label (entry->status));
        if (*entry->replaces)
            printf (_(" (was %s)"), entry->replaces);
        if (entry->late)
            printf (_(" LATE, exception #%lld"), (long long) entry->exception_id);
        printf ("  %s", entry->sender);
        if (*entry->note)
            printf ("  \"%s\"", entry->note);
        printf ("\n");
    }
    if (!trail->n_entries)
        printf ("%s\n", _("nothing was sent for this cell"));
}

static void
s_history_csv (const Battlemap__HistoryReply *trail)
{
    cli_csv_bom (stdout);
    cli_csv_header (stdout, "区", "单位", "指标代码", "分项", "期间", "收到时间", "类别",
                    "数值", "节点进度", "原值", "迟报", "例外编号", "报送人", "说明",
                    "提交编号", NULL);
    for (size_t index = 0; index < trail->n_entries; index++) {
        const Battlemap__HistoryEntry *entry = trail->entries [index];
        char exception [24] = "";
        if (entry->exception_id)
            snprintf (exception, sizeof exception, "%lld", (long long) entry->exception_id);
        cli_csv_row (stdout, "sssssssss" "sbssss", trail->district, trail->unit,
                     trail->indicator, trail->measure, trail->period, entry->received_at,
                     cli_kind_label (entry->kind), entry->value,
                     cli_milestone_label (entry->status), entry->replaces, entry->late,
                     exception, entry->sender, entry->note, entry->submission_id);
    }
}

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
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *usage =
        "usage: battlemap history --district D --unit U --indicator CODE [--measure M]\n"
        "                         --period YYYY-MM [--format text|csv|json]\n"
        "\n"
        "Every figure ever sent for a cell, oldest first: forecast or final, the value\n"
        "(or status) and the value it replaced, who sent it, when it arrived, whether\n"
        "it was late and under which exception, and its note. Nothing is overwritten.\n"
        "\n" CLI_FORMAT_USAGE;
    cli_format_t format = CLI_FORMAT_TEXT;
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': history.district = optarg; break;
            case 'u': history.unit = optarg; break;
            case 'i': history.indicator = optarg; break;
            case 'm': history.measure = optarg; break;
            case 'p': history.period = optarg; break;
            case 'f':
                if (cli_format_parse ("history", optarg, &format))
                    return CLI_USAGE;
                break;
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
    if (format == CLI_FORMAT_JSON)
        cli_format_json (stdout, &reply->history_reply->base);
    else
    if (format == CLI_FORMAT_CSV)
        s_history_csv (reply->history_reply);
    else
        s_history_text (reply->history_reply);
    bm_wire_free (&reply);
    return rc;
}

//  ---------------------------------------------------------------------------

static void
s_print_timeliness (const Battlemap__ReportReply *report)
{
    printf ("%s %s 报送及时率（预报截止 %s，终报截止 %s；截至 %s）\n\n",
            report->district_name, report->period, report->forecast_deadline,
            report->final_deadline, report->as_of);
    printf ("  ");
    cli_print_padded (stdout, "单位", 26, false);
    printf ("  类别      应报  已报  按时  迟报  未报\n");
    for (size_t index = 0; index < report->n_timeliness; index++) {
        Battlemap__TimelinessRow *row = report->timeliness [index];
        printf ("  ");
        cli_print_padded (stdout, row->unit, 26, false);
        printf ("  ");
        cli_print_padded (stdout, cli_kind_label (row->kind), 8, false);
        printf (" %5u %5u %5u %5u %5u\n",
                row->expected, row->received, row->on_time, row->late, row->missing);
    }
}

//  One row per unit and kind, with its 及时率 (on time / expected)
static void
s_timeliness_csv (const Battlemap__ReportReply *report)
{
    cli_csv_bom (stdout);
    cli_csv_header (stdout, "区", "期间", "单位", "类别", "应报", "已报", "按时", "迟报",
                    "未报", "及时率(%)", NULL);
    for (size_t index = 0; index < report->n_timeliness; index++) {
        const Battlemap__TimelinessRow *row = report->timeliness [index];
        char rate [16];
        cli_format_percent (rate, sizeof rate, row->on_time, row->expected);
        cli_csv_row (stdout, "ssssuuuuup", report->district_name, report->period, row->unit,
                     cli_kind_label (row->kind), row->expected, row->received, row->on_time,
                     row->late, row->missing, rate);
    }
}

//  The bulletin's rows as they come: a unit's average (no indicator), then
//  its indicators
static void
s_accuracy_csv (const Battlemap__ReportReply *report)
{
    cli_csv_bom (stdout);
    cli_csv_header (stdout, "区", "期间", "单位", "名次", "指标", "指标代码", "分项", "预报",
                    "终报", "误差率(%)", "得分", "后位预警", NULL);
    for (size_t index = 0; index < report->n_accuracy; index++) {
        const Battlemap__AccuracyRow *row = report->accuracy [index];
        char rank [16] = "";
        if (row->rank)
            snprintf (rank, sizeof rank, "%u", row->rank);
        cli_csv_row (stdout, "ssssssssspsb", report->district_name, report->period, row->unit,
                     rank, row->indicator_name, row->indicator, row->measure, row->forecast,
                     row->final, row->ape, row->score, row->warned);
    }
}

static void
s_print_accuracy (const Battlemap__ReportReply *report)
{
    printf ("%s %s 各单位预报准确率通报（截至 %s）\n", report->district_name, report->period,
            report->as_of);
    printf ("预报取预报截止（%s）前最后一次，终报取最新一次；误差率 = |预报−终报| / |终报|；"
            "得分 = 100 − 误差率（不低于 0）\n\n", report->forecast_deadline);
    for (size_t index = 0; index < report->n_accuracy; index++) {
        Battlemap__AccuracyRow *row = report->accuracy [index];
        if (!*row->indicator) {
            printf ("  第%u名  ", row->rank);
            cli_print_padded (stdout, row->unit, 26, false);
            printf ("  平均得分 %s%s\n", row->score, row->warned? "  预警": "");
        }
        else
            printf ("          %s%s%s  预报 %s  终报 %s  误差率 %s%%  得分 %s\n",
                    *row->indicator_name? row->indicator_name: row->indicator,
                    *row->measure? "/": "", row->measure, row->forecast,
                    row->final, *row->ape? row->ape: "—", row->score);
    }
    if (!report->n_accuracy)
        printf ("  %s\n", _("no unit has both a forecast and a final for this month"));
}

int
cli_report (cli_context_t *context, int argc, char *argv [])
{
    const char *usage =
        "usage: battlemap report timeliness --district D [--period YYYY-MM]\n"
        "                                   [--format text|csv|json]\n"
        "       battlemap report forecast-accuracy --district D [--period YYYY-MM]\n"
        "                                   [--format text|csv|json]\n"
        "       battlemap report meeting --district D [--period YYYY-MM] --output FILE\n"
        "                                   [--pdf]\n"
        "\n"
        "timeliness: per unit, for forecasts and finals, the reports expected, received,\n"
        "on time, late and missing.\n"
        "forecast-accuracy: the monthly bulletin (通报): every unit's forecasts scored\n"
        "against its finals (score = 100 - absolute percentage error, at least 0), the\n"
        "units ranked on their average, the bottom five marked 预警.\n"
        "meeting: the report for the party-group meeting (党组会) as an Excel workbook\n"
        "(see 'battlemap report meeting --help').\n"
        "\n" CLI_FORMAT_USAGE;
    if (argc < 2 || streq (argv [1], "--help") || streq (argv [1], "-h")) {
        fputs (usage, argc < 2? stderr: stdout);
        return argc < 2? CLI_USAGE: CLI_OK;
    }
    if (streq (argv [1], "meeting"))
        return cli_meeting (context, argc - 1, argv + 1);
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
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    cli_format_t format = CLI_FORMAT_TEXT;
    char period [8] = "";          //  default: the server's month
    report.period = period;
    int option;
    optind = 2;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': report.district = optarg; break;
            case 'p': report.period = optarg; break;
            case 'f':
                if (cli_format_parse ("report", optarg, &format))
                    return CLI_USAGE;
                break;
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
    bool timeliness = report.kind == BATTLEMAP__REPORT_KIND__TIMELINESS;
    if (format == CLI_FORMAT_JSON)
        cli_format_json (stdout, &reply->report_reply->base);
    else
    if (format == CLI_FORMAT_CSV && timeliness)
        s_timeliness_csv (reply->report_reply);
    else
    if (format == CLI_FORMAT_CSV)
        s_accuracy_csv (reply->report_reply);
    else
    if (timeliness)
        s_print_timeliness (reply->report_reply);
    else
        s_print_accuracy (reply->report_reply);
    bm_wire_free (&reply);
    return rc;
}
