/*  battlemap plan load: send plan files to the server, loaded all or nothing. */

#include "cli.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <getopt.h>

static void
s_usage (FILE *out)
{
    fprintf (out,
        _("usage: battlemap plan load PATH...\n"
        "\n"
        "Validate and load a plan: its CSV files (plan.csv, units.csv, indicators.csv,\n"
        "targets.csv, milestones.csv, tasks.csv) or the folder holding them. The plan\n"
        "loads in one transaction, all or nothing; every problem is listed as\n"
        "file:line:column. Loading the same files again changes nothing; a changed\n"
        "target becomes a new version and the old one is kept.\n"
        "The format: deploy/plans/README.md.\n"));
}

int
cli_plan (cli_context_t *context, int argc, char *argv [])
{
    if (argc < 2 || streq (argv [1], "--help") || streq (argv [1], "-h")) {
        s_usage (argc < 2? stderr: stdout);
        return argc < 2? CLI_USAGE: CLI_OK;
    }
    if (!streq (argv [1], "load")) {
        fprintf (stderr, _("battlemap plan: unknown subcommand '%s'\n"), argv [1]);
        s_usage (stderr);
        return CLI_USAGE;
    }
    if (argc < 3 || streq (argv [2], "--help") || streq (argv [2], "-h")) {
        s_usage (argc < 3? stderr: stdout);
        return argc < 3? CLI_USAGE: CLI_OK;
    }
    bm_client_t *client = cli_connect (context);
    if (!client)
        return CLI_USAGE;
    char *error = NULL;
    Battlemap__Envelope *reply =
        bm_client_plan_load (client, (const char **) argv + 2, (size_t) argc - 2, &error);
    bm_client_destroy (&client);
    if (error) {
        fprintf (stderr, _("battlemap plan load: %s\n"), error);
        free (error);
        return CLI_USAGE;
    }
    int rc = cli_check_reply ("plan load", reply, BATTLEMAP__ENVELOPE__BODY_PLAN_LOAD_REPLY);
    if (rc < 0) {
        Battlemap__PlanLoadReply *loaded = reply->plan_load_reply;
        printf (_("plan %s loaded: version %u (%s)\n"
                "  units %u, indicators %u, tasks %u\n"
                "  targets: %u new or changed, %u unchanged\n"
                "  milestones: %u new or changed, %u unchanged\n"),
                loaded->plan, loaded->version, loaded->changed? "changed": "no change",
                loaded->units, loaded->indicators, loaded->tasks,
                loaded->targets_created, loaded->targets_unchanged,
                loaded->milestones_created, loaded->milestones_unchanged);
        rc = CLI_OK;
    }
    bm_wire_free (&reply);
    return rc;
}
