/*  battlemap template: the CSV a unit fills in for a month. */

#include "cli.h"
#include "cli_sheet.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <errno.h>
#include <getopt.h>
#include <string.h>

static void
s_usage (FILE *out)
{
    fprintf (out, "%s", _(
        "usage: battlemap template --district D --unit U [--period YYYY-MM]\n"
        "                          [--kind forecast|final] [--output FILE]\n"
        "\n"
        "Write the CSV a unit fills in for a month (default: the server's month,\n"
        "forecast), for Excel or WPS: one row per indicator the unit has a target\n"
        "for. On the left what a clerk reads and fills in: the indicator's name,\n"
        "what tells rows of one name apart (the measure, the task), the unit of\n"
        "measure, this month's milestone, then the value (cumulative for the year),\n"
        "the status (where the milestone is text), the progress note (进展说明) and\n"
        "确认 (是 to keep a figure refused as suspicious); then the annual target. On\n"
        "the right the codes the server needs, and the last value sent. A lead\n"
        "section (牵头科室) gets the district's rows (unit 全区) of the tasks it leads.\n"
        "Send it with 'battlemap submit --csv FILE'; the columns only people read may\n"
        "be moved or deleted. The header row is Chinese; the file is UTF-8 with a\n"
        "byte-order mark so that Excel and WPS open it correctly.\n"));
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
        fprintf (stderr, "%s", _("battlemap template: --kind must be forecast or final\n"));
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
        fprintf (stderr, _("battlemap template: cannot write %s: %s\n"), output, strerror (errno));
        bm_wire_free (&reply);
        return CLI_USAGE;
    }
    Battlemap__TemplateReply *template_ = reply->template_reply;
    cli_sheet_write (out, template_, kind);
    if (output) {
        fclose (out);
        fprintf (stderr, _("%zu indicators for %s %s written to %s\n"), template_->n_rows,
                 template_->unit, template_->period, output);
    }
    bm_wire_free (&reply);
    return CLI_OK;
}
