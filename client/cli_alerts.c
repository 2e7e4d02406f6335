/*  battlemap alerts: the firing alerts; acknowledge or silence one. */

#include "cli.h"

#include <czmq.h>
#include <getopt.h>

//  Rules and severities as the bureau says them
static const char *
s_rule_label (const char *rule)
{
    return streq (rule, "lagging")? "滞后"
         : streq (rule, "trajectory")? "预计完不成"
         : streq (rule, "report_due")? "催报"
         : streq (rule, "report_overdue")? "逾期未报"
         : streq (rule, "bottom_rank")? "后位预警"
         : streq (rule, "text_overdue")? "节点逾期": rule;
}

static const char *
s_severity_label (const char *severity)
{
    return streq (severity, "critical")? "严重"
         : streq (severity, "warning")? "预警"
         : streq (severity, "info")? "提示": severity;
}

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
        printf ("\n  %-16s %s %zu", rules [rule], s_rule_label (rules [rule]), total);
        const char *separator = "（";
        for (size_t severity = 0; severity < 3; severity++)
            if (counts [severity]) {
                printf ("%s%s %zu", separator, s_severity_label (severities [severity]),
                        counts [severity]);
                separator = "，";
            }
        printf ("）");
    }
    printf ("\n");
}

int
cli_alerts (cli_context_t *context, int argc, char *argv [])
{
    const char *usage =
        "usage: battlemap alerts --district D [--unit U] [--indicator CODE]\n"
        "                        [--period YYYY-MM] [--severity info|warning|critical]\n"
        "                        [--rule RULE] [--resolved] [--digest]\n"
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
        "its changes are then not announced (its resolution still is).\n";
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
        { "id", required_argument, NULL, 'I' },
        { "until", required_argument, NULL, 'U' },
        { "reason", required_argument, NULL, 'R' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    bool digest_only = false;
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
        Battlemap__AlertReply *alerts = reply->alert_reply;
        for (size_t index = 0; index < alerts->n_alerts && !digest_only; index++) {
            Battlemap__Alert *one = alerts->alerts [index];
            printf ("#%lld %-8s %-8s %-14s %s %s%s%s%s%s  %s\n", (long long) one->id,
                    one->state, one->severity, one->rule, one->period, one->unit,
                    *one->indicator? " ": "",
                    *one->indicator_name? one->indicator_name: one->indicator,
                    *one->measure? " ": "", one->measure, one->message);
            if (*one->resolution)
                printf ("      %s %s\n", one->resolution, one->resolved_at);
            if (*one->acked_by)
                printf ("      acknowledged by %s: %s\n", one->acked_by, one->ack_reason);
            if (*one->silenced_until)
                printf ("      silenced until %s: %s\n", one->silenced_until, one->silence_reason);
        }
        if (alerts->n_alerts || digest_only)
            s_digest (alerts);
        else
            printf ("no alerts\n");
        rc = CLI_OK;
    }
    bm_wire_free (&reply);
    return rc;
}
