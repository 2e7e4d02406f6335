/*  battlemap outbox: what waits in the outbox, the figures sent that the
    server has not answered yet; `outbox send` sends them again. */

#include "cli.h"
#include "bm_outbox.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <getopt.h>
#include <string.h>

static void
s_usage (FILE *out)
{
    fprintf (out,
        _("usage: battlemap outbox [--outbox FILE] [--all]\n"
        "       battlemap outbox send [--outbox FILE]\n"
        "\n"
        "Every figure 'battlemap submit' sends is first written to the outbox, a file\n"
        "on this computer, and removed when the server's receipt arrives. Figures the\n"
        "server did not answer (it was down or unavailable, or the command was killed)\n"
        "wait there; the next 'battlemap submit' sends them first.\n"
        "\n"
        "'battlemap outbox' lists the figures waiting for our key (--key) and server\n"
        "(--server), one a line: id, cell, value or status, when queued, attempts so\n"
        "far and the CSV line it came from. 'battlemap outbox send' sends them again,\n"
        "under the same ids (the server answers 'unchanged' for any it had stored:\n"
        "none is stored twice), and prints the receipts; it exits 0 only if nothing of\n"
        "ours waits afterwards (1: some were refused; 3, 4 or 5: some still wait, for\n"
        "want of an answer, the server unavailable, or our key refused).\n"
        "\n"
        "  --outbox FILE  the outbox (default $BATTLEMAP_OUTBOX, else\n"
        "                 ${XDG_STATE_HOME:-~/.local/state}/battlemap/outbox.sqlite)\n"
        "  --all          list the figures of every key and server in the file\n"));
}

static void
s_print_entry (const bm_outbox_entry_t *entry, bool all)
{
    const Battlemap__Figure *figure = entry->figure;
    printf (_("%s %s %s %s %s%s%s %s %s queued %s attempts %d"), entry->id, figure->period,
            figure->district, figure->unit, figure->indicator, *figure->measure? "/": "",
            figure->measure, bm_wire_kind_name (figure->kind),
            *figure->value? figure->value: bm_wire_status_name (figure->status),
            entry->queued, entry->attempts);
    if (entry->csv)
        printf (" %s:%d", entry->csv, entry->line);
    if (all)
        printf (_(" key %s server %s"), entry->public_key, entry->server);
    printf ("\n");
}

static int
s_list (cli_context_t *context, const char *path, bool all)
{
    if (cli_keys (context))
        return CLI_USAGE;
    char *default_path = path? NULL: bm_outbox_default_path ();
    if (!path && !default_path) {
        fprintf (stderr, _("battlemap outbox: no outbox: set HOME, BATTLEMAP_OUTBOX or give "
                 "--outbox FILE\n"));
        return CLI_USAGE;
    }
    char *error = NULL;
    bm_outbox_t *outbox = bm_outbox_new (path? path: default_path,
                                         zcert_public_txt (context->cert), context->server,
                                         &error);
    free (default_path);
    if (!outbox) {
        fprintf (stderr, _("battlemap outbox: %s\n"), error);
        free (error);
        return CLI_USAGE;
    }
    int rc = CLI_OK;
    zlistx_t *entries = bm_outbox_list (outbox, 0, 0, 0, all);
    long ours = bm_outbox_count (outbox, 0);
    long everyone = bm_outbox_count_all (outbox);
    if (!entries || ours < 0 || everyone < 0) {
        fprintf (stderr, _("battlemap outbox: %s\n"), bm_outbox_error (outbox));
        rc = CLI_USAGE;
    }
    else {
        for (bm_outbox_entry_t *entry = zlistx_first (entries); entry;
             entry = zlistx_next (entries))
            s_print_entry (entry, all);
        fflush (stdout);        //  the summary after the list, not inside it
        fprintf (stderr, ngettext ("battlemap outbox: %ld figure waiting in %s for this key "
                                   "and server%s\n",
                                   "battlemap outbox: %ld figures waiting in %s for this key "
                                   "and server%s\n", (unsigned long) ours),
                 ours, bm_outbox_path (outbox),
                 ours? _("; 'battlemap outbox send' sends them"): "");
        if (everyone > ours && !all)
            fprintf (stderr, _("battlemap outbox: %ld more for other keys or servers "
                     "(--all lists them)\n"), everyone - ours);
    }
    zlistx_destroy (&entries);
    bm_outbox_destroy (&outbox);
    return rc;
}

int
cli_outbox (cli_context_t *context, int argc, char *argv [])
{
    const char *path = NULL;
    bool all = false;
    static const struct option options [] = {
        { "outbox", required_argument, NULL, 'o' },
        { "all", no_argument, NULL, 'a' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    //  Options may come before or after "send": parse up to it, then on
    bool send = false;
    for (int pass = 0; pass < 2; pass++) {
        int option;
        while ((option = getopt_long (argc, argv, "+", options, NULL)) != -1) {
            switch (option) {
                case 'o': path = optarg; break;
                case 'a': all = true; break;
                case 'h': s_usage (stdout); return CLI_OK;
                default:  s_usage (stderr); return CLI_USAGE;
            }
        }
        if (pass == 0 && optind < argc && streq (argv [optind], "send")) {
            send = true;
            optind++;
        }
    }
    if (optind < argc) {
        fprintf (stderr, _("battlemap outbox: unexpected argument '%s'; see --help\n"),
                 argv [optind]);
        return CLI_USAGE;
    }
    if (!send)
        return s_list (context, path, all);
    if (all) {
        fprintf (stderr, _("battlemap outbox send: sends only this key's figures to this "
                 "server; --all only lists\n"));
        return CLI_USAGE;
    }
    //  Sending what waits is submit with no figure
    char *send_argv [] = { "outbox send", "--outbox", (char *) path, NULL };
    optind = 1;
    return cli_submit (context, path? 3: 1, send_argv);
}
