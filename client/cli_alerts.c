/*  battlemap alerts: the firing alerts; acknowledge or silence one. */

#include "cli.h"

#include <czmq.h>
#include <getopt.h>

int
cli_alerts (cli_context_t *context, int argc, char *argv [])
{
    const char *usage =
        "usage: battlemap alerts --district D [--unit U] [--indicator CODE] [--resolved]\n"
        "       battlemap alerts ack --id N --reason TEXT\n"
        "       battlemap alerts silence --id N --until TIME --reason TEXT\n"
        "\n"
        "List the firing alerts (with --resolved, the resolved ones too): lagging\n"
        "indicators and units, reports due and overdue, the bottom five of a ranking,\n"
        "year-end projections short of the target, text milestones overdue. The bureau\n"
        "acknowledges an alert, or silences it until a time: its changes are then not\n"
        "announced (its resolution still is).\n";
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
        { "id", required_argument, NULL, 'I' },
        { "until", required_argument, NULL, 'U' },
        { "reason", required_argument, NULL, 'R' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    optind = first;
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': alert.district = optarg; break;
            case 'u': alert.unit = optarg; break;
            case 'i': alert.indicator = optarg; break;
            case 'r': alert.resolved = true; break;
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
        for (size_t index = 0; index < alerts->n_alerts; index++) {
            Battlemap__Alert *one = alerts->alerts [index];
            printf ("#%lld %-8s %-8s %-14s %s %s%s%s  %s\n", (long long) one->id, one->state,
                    one->severity, one->rule, one->period, one->unit,
                    *one->indicator? " ": "", one->indicator, one->message);
            if (*one->acked_by)
                printf ("      acknowledged by %s: %s\n", one->acked_by, one->ack_reason);
            if (*one->silenced_until)
                printf ("      silenced until %s: %s\n", one->silenced_until, one->silence_reason);
        }
        if (!alerts->n_alerts)
            printf ("no alerts\n");
        rc = CLI_OK;
    }
    bm_wire_free (&reply);
    return rc;
}
