/*  battlemap template: the CSV a unit fills in for a month. */

#include "cli.h"

#include <czmq.h>
#include <getopt.h>

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: battlemap template --district D --unit U [--period YYYY-MM]\n"
        "                          [--kind forecast|final] [--output FILE]\n"
        "\n"
        "Write the CSV a unit fills in for a month (default: the server's month,\n"
        "forecast):\n"
        "one row per indicator the unit has a target for, with the annual target, this\n"
        "month's milestone and the last value sent. A lead section (牵头科室) gets the\n"
        "district's rows (unit 全区) of the tasks it leads, named in the task column.\n"
        "Fill in 'value' (and 'status' where the month's milestone is text) and\n"
        "'note' (进展说明), and send it with 'battlemap submit --csv FILE'. The file\n"
        "has a UTF-8 byte-order mark so that Excel and WPS open it correctly.\n");
}

int
cli_template (cli_context_t *context, int argc, char *argv [])
{
    const char *district = NULL, *unit = NULL, *output = NULL, *kind = "forecast";
    char period [8] = "";          //  default: the server's month
    static const struct option options [] = {
        { "district", required_argument, NULL, 'D' },
        { "unit", required_argument, NULL, 'u' },
        { "period", required_argument, NULL, 'p' },
        { "kind", required_argument, NULL, 'k' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': district = optarg; break;
            case 'u': unit = optarg; break;
            case 'p': snprintf (period, sizeof period, "%s", optarg); break;
            case 'k': kind = optarg; break;
            case 'o': output = optarg; break;
            case 'h': s_usage (stdout); return CLI_OK;
            default:  s_usage (stderr); return CLI_USAGE;
        }
    }
    if (!district || !unit || optind < argc) {
        s_usage (stderr);
        return CLI_USAGE;
    }
    if (!bm_wire_kind_parse (kind)) {
        fprintf (stderr, "battlemap template: --kind must be forecast or final\n");
        return CLI_USAGE;
    }
    bm_client_t *client = cli_connect (context);
    if (!client)
        return CLI_USAGE;
    cli_default_period (client, period);
    Battlemap__Envelope *reply = bm_client_template (client, district, unit, period);
    bm_client_destroy (&client);
    int rc = cli_check_reply ("template", reply, BATTLEMAP__ENVELOPE__BODY_TEMPLATE_REPLY);
    if (rc >= 0) {
        bm_wire_free (&reply);
        return rc;
    }
    FILE *out = output? fopen (output, "w"): stdout;
    if (!out) {
        fprintf (stderr, "battlemap template: cannot write %s\n", output);
        bm_wire_free (&reply);
        return CLI_USAGE;
    }
    Battlemap__TemplateReply *template_ = reply->template_reply;
    fputs ("\xef\xbb\xbf", out);
    fputs ("district,unit,indicator,measure,period,kind,value,status,note,confirmed,"
           "indicator_name,unit_of_measure,annual_target,target_text,milestone,"
           "milestone_text,last_period,last_value,task\n", out);
    for (size_t index = 0; index < template_->n_rows; index++) {
        Battlemap__TemplateRow *row = template_->rows [index];
        const char *fields [] = {
            template_->district, *row->unit? row->unit: template_->unit, row->indicator,
            row->measure, template_->period, kind, "", "", "", "", row->indicator_name,
            row->unit_of_measure, row->annual_target, row->target_text, row->milestone,
            row->milestone_text, row->last_period, row->last_value, row->task
        };
        size_t count = sizeof fields / sizeof fields [0];
        for (size_t field = 0; field < count; field++)
            cli_csv_field (out, fields [field], field + 1 < count? ',': '\n');
    }
    if (output) {
        fclose (out);
        fprintf (stderr, "%zu indicators for %s %s written to %s\n", template_->n_rows,
                 template_->unit, template_->period, output);
    }
    bm_wire_free (&reply);
    return CLI_OK;
}
