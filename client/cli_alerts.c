/*  battlemap alerts: the firing alerts; acknowledge or silence one. */

#include "cli.h"
#include "cli_format.h"
#include "cli_labels.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <getopt.h>

//  Counts by rule, and by severity within each rule
static void
s_digest (const Battlemap__AlertReply *alerts)
{
    static const char *rules [] = { "lagging", "trajectory", "report_overdue", "report_due",
                                    "bottom_rank", "text_overdue" };
    static const char *severities [] = { "critical", "warning", "info" };
    printf ("合计 %zu 条", alerts->n_alerts);
    for (size_t rule = 0; rule < sizeof rules / sizeof rules [0]; rule++) {
        size_t counts [3] = { 0 }, total = 0;
        for (size_t index = 0; index < alerts->n_alerts; index++) {
            const Battlemap__Alert *one = alerts->alerts [index];
            if (!streq (one->rule, rules [rule]))
                continue;
            total++;
            for (size_t severity = 0; severity < 3; severity++)
                counts [severity] += streq (one->severity, severities [severity]);
        }
        if (!total)
            continue;
        printf ("\n  %-16s %s %zu", rules [rule], cli_rule_label (rules [rule]), total);
        const char *separator = "（";
        for (size_t severity = 0; severity < 3; severity++)
            if (counts [severity]) {
                printf ("%s%s %zu", separator, cli_severity_label (severities [severity]),
                        counts [severity]);
                separator = "，";
            }
        printf ("）");
    }
    printf ("\n");
}

//  Each alert, then the digest
static void
s_print_text (const Battlemap__AlertReply *alerts, bool digest_only)
{
    for (size_t index = 0; index < alerts->n_alerts && !digest_only; index++) {
        Battlemap__Alert *one = alerts->alerts [index];
        printf ("#%lld %-8s %-8s %-14s %s %s%s%s%s%s  %s\n", (long long) one->id,
                cli_alert_state_label (one->state), cli_severity_label (one->severity),
                cli_rule_label (one->rule), one->period, one->unit,
                *one->indicator? " ": "",
                *one->indicator_name? one->indicator_name: one->indicator,
                *one->measure? " ": "", one->measure, one->message);
        if (*one->resolution)
            printf ("      %s %s\n", cli_resolution_label (one->resolution), one->resolved_at);
        if (*one->acked_by)
            printf (_("      acknowledged by %s: %s\n"), one->acked_by, one->ack_reason);
        if (*one->silenced_until)
            printf (_("      silenced until %s: %s\n"), one->silenced_until,
                    one->silence_reason);
    }
    if (alerts->n_alerts || digest_only)
        s_digest (alerts);
    else
        printf ("%s\n", _("no alerts"));
}

//  One row per alert, the indicator by its name
static void
s_print_csv (const Battlemap__AlertReply *alerts)
{
    cli_csv_bom (stdout);
    cli_csv_header (stdout, "编号", "状态", "级别", "规则", "期间", "单位", "指标", "指标代码",
                    "分项", "报送类别", "数值", "说明", "触发时间", "更新时间", "解除时间",
                    "解除方式", "确认人", "确认说明", "静默至", "静默说明", NULL);
    for (size_t index = 0; index < alerts->n_alerts; index++) {
        const Battlemap__Alert *one = alerts->alerts [index];
        cli_csv_row (stdout, "dsssssssss" "ssssssssss", (int64_t) one->id,
                     cli_alert_state_label (one->state), cli_severity_label (one->severity),
                     cli_rule_label (one->rule), one->period, one->unit,
                     *one->indicator_name? one->indicator_name: one->indicator,
                     one->indicator, one->measure,
                     *one->kind? cli_kind_name_label (one->kind): "", one->value, one->message,
                     one->fired_at, one->updated_at, one->resolved_at,
                     *one->resolution? cli_resolution_label (one->resolution): "",
                     one->acked_by, one->ack_reason, one->silenced_until,
                     one->silence_reason);
    }
}

int
cli_alerts (cli_context_t *context, int argc, char *argv [])
{
    const char *usage =
        "usage: battlemap alerts --district D [--unit U] [--indicator CODE]\n"
        "                        [--period YYYY-MM] [--severity info|warning|critical]\n"
        "                        [--rule RULE] [--resolved] [--digest]\n"
        "                        [--format text|csv|json]\n"
        "       battlemap alerts ack --id N --reason TEXT\n"
        "       battlemap alerts silence --id N --until TIME --reason TEXT\n"
        "\n"
        "List the firing alerts (with --resolved, the resolved ones too, and how each\n"
        "was resolved: cleared when its condition ended, superseded when a later\n"
        "month's figure arrived), then a digest: how many by rule and severity.\n"
        "With --digest, the digest alone. Rules: lagging (滞后), trajectory (预计完不\n"
        "成: the year-end projection short of the target), report_due (催报),\n"
        "report_overdue (逾期未报), bottom_rank (后位预警: the bottom five of a\n"
        "ranking), text_overdue (节点逾期: a text milestone not done). An alert\n"
        "belongs to a unit, an indicator and a month: only those true of the latest\n"
        "months fire. The bureau acknowledges an alert, or silences it until a time:\n"
        "its changes are then not announced (its resolution still is).\n"
        "\n" CLI_FORMAT_USAGE;
    Battlemap__AlertRequest alert = BATTLEMAP__ALERT_REQUEST__INIT;
    alert.action = BATTLEMAP__ALERT_ACTION__LIST_ALERTS;
    int first = 1;
    if (argc > 1 && streq (argv [1], "ack")) {
        alert.action = BATTLEMAP__ALERT_ACTION__ACK;
        first = 2;
    }
    else
    if (argc > 1 && streq (argv [1], "silence")) {
        alert.action = BATTLEMAP__ALERT_ACTION__SILENCE;
        first = 2;
    }
    static const struct option options [] = {
        { "district", required_argument, NULL, 'D' },
        { "unit", required_argument, NULL, 'u' },
        { "indicator", required_argument, NULL, 'i' },
        { "resolved", no_argument, NULL, 'r' },
        { "period", required_argument, NULL, 'p' },
        { "severity", required_argument, NULL, 's' },
        { "rule", required_argument, NULL, 'l' },
        { "digest", no_argument, NULL, 'd' },
        { "format", required_argument, NULL, 'f' },
        { "id", required_argument, NULL, 'I' },
        { "until", required_argument, NULL, 'U' },
        { "reason", required_argument, NULL, 'R' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    bool digest_only = false;
    cli_format_t format = CLI_FORMAT_TEXT;
    optind = first;
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': alert.district = optarg; break;
            case 'u': alert.unit = optarg; break;
            case 'i': alert.indicator = optarg; break;
            case 'r': alert.resolved = true; break;
            case 'p': alert.period = optarg; break;
            case 's': alert.severity = optarg; break;
            case 'l': alert.rule = optarg; break;
            case 'd': digest_only = true; break;
            case 'f':
                if (cli_format_parse ("alerts", optarg, &format))
                    return CLI_USAGE;
                break;
            case 'I': alert.id = atoll (optarg); break;
            case 'U': alert.until = optarg; break;
            case 'R': alert.reason = optarg; break;
            case 'h': fputs (usage, stdout); return CLI_OK;
            default:  fputs (usage, stderr); return CLI_USAGE;
        }
    }
    if (optind < argc
    ||  (alert.action == BATTLEMAP__ALERT_ACTION__LIST_ALERTS && !*alert.district)
    ||  (alert.action != BATTLEMAP__ALERT_ACTION__LIST_ALERTS && !alert.id)) {
        fputs (usage, stderr);
        return CLI_USAGE;
    }
    if (digest_only && format != CLI_FORMAT_TEXT) {
        fprintf (stderr, "%s\n", _("battlemap alerts: --digest is a text summary: leave out "
                                    "--digest, or use --format text"));
        return CLI_USAGE;
    }
    bm_client_t *client = cli_connect (context);
    if (!client)
        return CLI_USAGE;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_ALERT;
    request.alert = &alert;
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    int rc = cli_check_reply ("alerts", reply, BATTLEMAP__ENVELOPE__BODY_ALERT_REPLY);
    if (rc < 0) {
        if (format == CLI_FORMAT_JSON)
            cli_format_json (stdout, &reply->alert_reply->base);
        else
        if (format == CLI_FORMAT_CSV)
            s_print_csv (reply->alert_reply);
        else
            s_print_text (reply->alert_reply, digest_only);
        rc = CLI_OK;
    }
    bm_wire_free (&reply);
    return rc;
}
