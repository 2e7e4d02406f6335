/*  battlemap: the command-line tool of the battle map.

    One program, git-style subcommands, each with --help:
    plan load, submit, template, watch, wall, ranking, history, exception,
    report, clock, simulate, serve.
*/

#include "cli.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <getopt.h>
#include <locale.h>
#include <string.h>

typedef struct {
    const char *name;
    cli_command_fn *run;
    const char *summary;
} s_command_t;

static const s_command_t s_commands [] = {
    { "plan",     cli_plan,     N_("load a plan (targets, milestones, tasks) into the server") },
    { "submit",   cli_submit,   N_("send a unit's figures: one on the command line, or a CSV") },
    { "outbox",   cli_outbox,   N_("figures sent but not yet answered; send them again (outbox send)") },
    { "template", cli_template, N_("write the CSV a unit fills in for a month") },
    { "watch",    cli_watch,    N_("print events as they happen (--since SEQ: nothing missed)") },
    { "wall",     cli_wall,     N_("print the battle map of a district (or unit) for a month") },
    { "ranking",  cli_ranking,  N_("rank units on an indicator or a weighted ranking (后N名预警)") },
    { "alerts",   cli_alerts,   N_("the firing alerts; acknowledge or silence one") },
    { "history",  cli_history,  N_("every figure sent for a cell: values, senders, times, notes") },
    { "exception", cli_exception, N_("reopen a reporting window; ask, grant or refuse an extension") },
    { "report",   cli_report,   N_("monthly reports: timeliness, forecast accuracy (通报), the meeting workbook") },
    { "clock",    cli_clock,    N_("the server's time; set it on a test clock") },
    { "keygen",   cli_keygen,   N_("make a key pair for a unit, a subscriber or an administrator") },
    { "enroll",   cli_enroll,   N_("register a public key with its role and scope (administrators)") },
    { "revoke",   cli_revoke,   N_("revoke a key at once (administrators)") },
    { "identities", cli_identities, N_("list the enrolled keys (administrators)") },
    { "simulate", cli_simulate, N_("simulated units submit a year of figures (demonstration)") },
    { "serve",    cli_serve,    N_("the battle map on a screen (大屏): a web page updated live") },
    { NULL, NULL, NULL }
};

static void
s_usage (FILE *out)
{
    fprintf (out,
        _("usage: battlemap [--server ENDPOINT] [--events ENDPOINT] [--timeout MSECS]\n"
        "                 COMMAND [ARGS]\n\n"
        "commands:\n"));
    for (const s_command_t *command = s_commands; command->name; command++)
        fprintf (out, "  %-10s %s\n", command->name, _(command->summary));
    fprintf (out,
        _("\n"
        "  --server ENDPOINT  the server's requests (default $BATTLEMAP_SERVER or %s);\n"
        "                     several, comma-separated (tcp://a:7301,tcp://b:7301): an\n"
        "                     attempt with no answer moves on to the next one\n"
        "  --events ENDPOINT  the server's events (default $BATTLEMAP_EVENTS or %s)\n"
        "  --timeout MSECS    wait per attempt; three attempts are made, each on a new\n"
        "                     connection (default 10000); a server that is unavailable\n"
        "                     or busy is asked again for as long as three attempts take\n"
        "  --key FILE         our key pair, FILE and FILE_secret from `battlemap keygen`\n"
        "                     (default $BATTLEMAP_KEY, else battlemap-data/keys/admin.cert)\n"
        "  --server-key KEY   the server's public key: its certificate file or 40\n"
        "                     characters of Z85 (default $BATTLEMAP_SERVER_KEY, else\n"
        "                     battlemap-data/keys/server.cert)\n"
        "  --version          the version\n"
        "\n"
        "exit codes:\n"
        "  0  done\n"
        "  1  the server refused the request (its reason is printed)\n"
        "  2  bad command line or input file\n"
        "  3  no answer from the server (sending again is safe)\n"
        "  4  the server stayed unavailable or busy; nothing was done: try later\n"
        "  5  the handshake failed: the server refused our key (not enrolled, or\n"
        "     revoked), or --server-key is not the server's key\n"
        "\n'battlemap COMMAND --help' describes a command.\n"),
        BM_CLIENT_DEFAULT_SERVER, BM_CLIENT_DEFAULT_EVENTS);
}

int
main (int argc, char *argv [])
{
    bm_i18n_init ();
    cli_context_t context = {
        .server = getenv ("BATTLEMAP_SERVER"),
        .events = getenv ("BATTLEMAP_EVENTS"),
        .timeout = 10000
    };
    if (!context.server)
        context.server = BM_CLIENT_DEFAULT_SERVER;
    if (!context.events)
        context.events = BM_CLIENT_DEFAULT_EVENTS;
    //  Keys: given, else from the environment, else the local administrator's
    //  that deploy/run.sh makes in ./battlemap-data/keys
    context.key_file = getenv ("BATTLEMAP_KEY");
    context.server_key = getenv ("BATTLEMAP_SERVER_KEY");
    if (!context.key_file && zsys_file_exists ("battlemap-data/keys/admin.cert_secret"))
        context.key_file = "battlemap-data/keys/admin.cert";
    if (!context.server_key && zsys_file_exists ("battlemap-data/keys/server.cert"))
        context.server_key = "battlemap-data/keys/server.cert";

    static const struct option options [] = {
        { "server", required_argument, NULL, 's' },
        { "events", required_argument, NULL, 'e' },
        { "timeout", required_argument, NULL, 't' },
        { "key", required_argument, NULL, 'k' },
        { "server-key", required_argument, NULL, 'K' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    char *end;
    //  '+' stops at the first non-option: the command
    while ((option = getopt_long (argc, argv, "+", options, NULL)) != -1) {
        switch (option) {
            case 's': context.server = optarg; break;
            case 'e': context.events = optarg; break;
            case 't':
                context.timeout = (int) strtol (optarg, &end, 10);
                if (*end || !*optarg || context.timeout < 1 || context.timeout > 3600000) {
                    fprintf (stderr, _("battlemap: --timeout takes milliseconds, 1 to 3600000,"
                             " not \"%s\"\n"), optarg);
                    return CLI_USAGE;
                }
                break;
            case 'k': context.key_file = optarg; break;
            case 'K': context.server_key = optarg; break;
            case 'h': s_usage (stdout); return CLI_OK;
            case 'V': printf ("battlemap %s\n", BM_VERSION); return CLI_OK;
            default:  s_usage (stderr); return CLI_USAGE;
        }
    }
    if (optind >= argc) {
        s_usage (stderr);
        return CLI_USAGE;
    }
    if (context.timeout <= 0) {
        fprintf (stderr, _("battlemap: --timeout must be a positive number of milliseconds\n"));
        return CLI_USAGE;
    }
    const char *name = argv [optind];
    for (const s_command_t *command = s_commands; command->name; command++)
        if (streq (command->name, name)) {
            zsys_init ();
            zsys_set_logstream (stderr);
            //  Each command parses its own options from its own argv
            int command_argc = argc - optind;
            char **command_argv = argv + optind;
            optind = 1;
            int rc = command->run (&context, command_argc, command_argv);
            zcert_destroy (&context.cert);
            return rc;
        }
    fprintf (stderr, _("battlemap: '%s' is not a command; see 'battlemap --help'\n"), name);
    return CLI_USAGE;
}
