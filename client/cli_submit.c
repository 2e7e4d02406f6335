/*  battlemap submit: send a unit's figures, one or a whole CSV, and print
    the receipts.

    Nothing a unit sends is lost: every figure of a run is written to the
    outbox (bm_outbox) in one transaction before it is sent, and removed
    when its receipt arrives. What a run could not send (no answer, the
    server unavailable, the command killed) is sent first by the next run,
    under the same ids, or by `battlemap outbox send`, which is this
    command with no figures.
*/

#include "cli.h"
#include "cli_labels.h"
#include "cli_sheet.h"
#include "bm_i18n.h"
#include "bm_outbox.h"

#include <czmq.h>
#include <getopt.h>
#include <limits.h>
#include <string.h>

#define CLI_BATCH 500           //  figures per request

static void
s_usage (FILE *out)
{
    fprintf (out, _(
        "usage: battlemap submit --district D --unit U --indicator CODE [--measure M]\n"
        "                        --period YYYY-MM --kind forecast|final\n"
        "                        (--value N | --status not_started|in_progress|done)\n"
        "                        [--note TEXT] [--id UUID] [--confirm]\n"
        "       battlemap submit --csv FILE\n"
        "       battlemap submit            (only send what waits in the outbox)\n"
        "\n"
        "Send figures to the server and print its receipts. A figure is the cumulative\n"
        "value for the year up to the end of the period. A text milestone takes a\n"
        "status (and a note); a task with a numeric target takes its count as well.\n"
        "A lead section sends the district's figure (unit 全区) of the tasks it leads,\n"
        "with its progress note (进展说明) in --note.\n"
        "\n"
        "A value is read as a clerk types it: 79.5, 1,234.5 or 1，234.5 (thousands\n"
        "separators), full-width digits (１２３．４, －５), spaces around it, and the\n"
        "unit after it: the indicator's own (79.5亿元, 12.5%% for a percentage), or one\n"
        "of the same family, converted exactly (795000万元 is sent as 79.5 where the\n"
        "indicator is in 亿元; 3万人 as 30000 in 人). The receipt shows the value sent.\n"
        "Anything else (七十九点五, 79,5, a unit of another kind) is refused with the\n"
        "line, the column and the fix.\n"
        "\n"
        "Every figure carries an id (a fresh one, or --id, or the CSV's id column) and\n"
        "is written to the outbox before it is sent: a file on this computer that\n"
        "keeps it until its receipt arrives. When the server does not answer (or is\n"
        "unavailable, or the command is killed), the figures stay there, and the next\n"
        "'battlemap submit' sends them first, or 'battlemap outbox send' does: under\n"
        "the same ids, so the server answers 'unchanged' for those it had stored and\n"
        "never stores one twice. 'battlemap outbox' lists what waits. Given no figure\n"
        "at all, submit only sends what waits in the outbox.\n"
        "  --outbox FILE  the outbox (default $BATTLEMAP_OUTBOX, else\n"
        "                 ${XDG_STATE_HOME:-~/.local/state}/battlemap/outbox.sqlite)\n"
        "\n"
        "A correction is stored whatever it was before (10.9, then 11.2, then\n"
        "10.9 again); a figure equal to the cell's current value and note is answered\n"
        "'unchanged' (equals the current value) and stores nothing.\n"
        "\n"
        "A figure that looks implausible (a cumulative figure below last month's, or\n"
        "ten times or more off the month's expected value and the last value, as a\n"
        "figure in 万元 where 亿元 is meant) is refused as SUSPICIOUS with the numbers;\n"
        "if it is right, send it again with --confirm (a CSV: 确认 column 是).\n"
        "\n"
        "The CSV is the template 'battlemap template' writes, filled in: UTF-8 (a BOM\n"
        "is fine) or GBK as Excel saves \"CSV\" on Chinese Windows, CRLF or LF line\n"
        "ends. Its columns are found by their header, so those only people read may\n"
        "be moved or deleted. The columns read (Chinese header, or the code):\n"
        "  区代码 district, 报送单位 unit, 指标代码 indicator, 分项代码 measure,\n"
        "  报送期 period, 报送类型 kind (forecast/final, 预报/终报),\n"
        "  填报值（本年累计） value, 状态（未开始/推进中/已完成） status,\n"
        "  进展说明 note, 标识 id, 确认（是/否） confirmed\n"
        "Rows with neither value nor status are skipped (an unfilled template row).\n"
        "Every line gets its receipt: created, updated (with the value it replaces),\n"
        "unchanged, or refused with the reason; a line refused does not hold back the\n"
        "others. The CSV goes in batches of %d.\n"
        "\n"
        "Exit code: 0 all sent; 1 a line or figure was refused; 2 the command line or\n"
        "the file cannot be read; 3 (no answer), 4 (the server unavailable) or 5 (our\n"
        "key refused) when figures stay in the outbox.\n"), CLI_BATCH);
}

//  ---------------------------------------------------------------------------
//  Sending from the outbox

//  One run of the command: where its figures go and what became of them
typedef struct {
    const char *command;        //  for messages: "submit" or "outbox send"
    bm_client_t *client;
    bm_outbox_t *outbox;
    bool leftovers;             //  sending what an earlier run left
    bool refused;               //  a figure or request was refused
    size_t answered;            //  figures with a final answer
    size_t stored;              //  this run's lines created, updated or unchanged
    size_t refused_lines;       //  and refused by the server
    zhashx_t *typed;            //  id -> the value as typed, where it was not
                                //  sent as typed (79.5亿元, 1,234.5)
} s_run_t;

//  The outcome, padded as a column
static void
s_print_outcome (const char *outcome)
{
    cli_print_padded (stdout, outcome, 9, false);
    putchar (' ');
}

static void
s_print_receipt (s_run_t *run, const bm_outbox_entry_t *entry,
                 const Battlemap__FigureReceipt *receipt)
{
    const Battlemap__Figure *figure = entry->figure;
    const char *outcome =
        receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__CREATED? _("created")
      : receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__UPDATED? _("updated")
      : receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__REFUSED? _("refused"): _("unchanged");
    s_print_outcome (outcome);
    if (receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__REFUSED) {
        //  A line of this run's CSV as today; a figure from an earlier run
        //  names its file and line, or its cell
        if (entry->csv && !run->leftovers)
            printf (_("line %d: "), entry->line);
        else
        if (entry->csv)
            printf ("%s:%d: ", entry->csv, entry->line);
        else
            printf ("%s %s %s%s%s: ", figure->period, figure->unit,
                    figure->indicator, *figure->measure? "/": "", figure->measure);
        printf ("%s (%s)\n", receipt->error? receipt->error->message: "",
                receipt->error? bm_wire_error_name (receipt->error->code): "");
        run->refused_lines += !run->leftovers;
        return;
    }
    run->stored += !run->leftovers;
    //  The indicator by its name, the kind and a status in words
    printf ("%s %s %s%s%s %s %s", figure->period, figure->unit,
            *receipt->indicator_name? receipt->indicator_name: figure->indicator,
            *figure->measure? "/": "", figure->measure, cli_kind_label (figure->kind),
            *figure->value? figure->value: cli_milestone_label (figure->status));
    const char *typed = run->typed? (const char *) zhashx_lookup (run->typed, figure->id): NULL;
    if (typed)
        printf (_(" (typed “%s”)"), typed);
    printf (" %s", receipt->received_at);
    if (*receipt->replaces)
        printf (_(" (was %s)"), receipt->replaces);
    if (receipt->equals_current)
        printf ("%s", _(" (equals the current value: nothing stored)"));
    if (receipt->late)
        printf ("%s", _(" LATE"));
    if (*receipt->completion)
        printf (_(" completion %s%%"), receipt->completion);
    printf (_(" id %s"), receipt->id);
    if (entry->csv && !run->leftovers)
        printf (_(" (line %d)"), entry->line);
    putchar ('\n');
}

//  Whether an error reply leaves the request's figures in the outbox: the
//  server could not serve it now and did nothing (UNAVAILABLE, and the
//  other errors it asks to retry: RATE_LIMITED, INTERNAL). Every other
//  answer is final.
static bool
s_retry_later (const Battlemap__Envelope *reply)
{
    if (!reply)
        return true;
    if (reply->body_case != BATTLEMAP__ENVELOPE__BODY_ERROR)
        return false;
    Battlemap__ErrorCode code = reply->error->code;
    return code == BATTLEMAP__ERROR_CODE__UNAVAILABLE
        || code == BATTLEMAP__ERROR_CODE__RATE_LIMITED
        || code == BATTLEMAP__ERROR_CODE__INTERNAL;
}

static void
s_print_kept (s_run_t *run, size_t count)
{
    long waiting = bm_outbox_count (run->outbox, 0);
    fprintf (stderr, ngettext (
        "battlemap %s: %zu figure of this request stays in the outbox %s (%ld waiting in "
        "all); 'battlemap outbox send' (or the next 'battlemap submit') sends it again "
        "safely: under the same id, the server stores none twice\n",
        "battlemap %s: %zu figures of this request stay in the outbox %s (%ld waiting in "
        "all); 'battlemap outbox send' (or the next 'battlemap submit') sends them again "
        "safely: under the same ids, the server stores none twice\n", count),
        run->command, count,
        bm_outbox_path (run->outbox), waiting);
}

//  Sends one batch of waiting figures and removes those answered, in one
//  transaction. Returns CLI_OK, CLI_REFUSED (something refused: final),
//  CLI_UNREACHABLE, CLI_UNAVAILABLE or CLI_KEY_REFUSED (figures kept for
//  later) or CLI_USAGE (the outbox failed).
static int
s_send_batch (s_run_t *run, bm_outbox_entry_t **entries, size_t count, bool partial)
{
    if (bm_outbox_attempted (run->outbox, entries, count)) {
        fprintf (stderr, "battlemap %s: %s\n", run->command, bm_outbox_error (run->outbox));
        return CLI_USAGE;
    }
    Battlemap__Figure **figures = calloc (count, sizeof *figures);
    const char **answered = calloc (count, sizeof *answered);
    for (size_t index = 0; index < count; index++)
        figures [index] = entries [index]->figure;
    Battlemap__SubmitRequest submit = BATTLEMAP__SUBMIT_REQUEST__INIT;
    submit.figures = figures;
    submit.n_figures = count;
    submit.partial = partial;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_SUBMIT;
    request.submit = &submit;
    Battlemap__Envelope *reply = bm_client_request (run->client, &request);
    fflush (stdout);            //  receipts so far before any message
    int answer = cli_check_reply (run->command, reply, BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY);
    int rc = answer;
    size_t removed = 0;
    if (rc < 0) {
        //  Receipts come in order; each names its figure's id
        rc = CLI_OK;
        Battlemap__SubmitReply *submitted = reply->submit_reply;
        for (size_t index = 0; index < submitted->n_receipts; index++) {
            Battlemap__FigureReceipt *receipt = submitted->receipts [index];
            size_t match = index < count && streq (entries [index]->id, receipt->id)? index: count;
            for (size_t other = 0; other < count && match == count; other++)
                if (streq (entries [other]->id, receipt->id))
                    match = other;
            if (match == count)
                continue;       //  not ours: nothing to print or remove
            s_print_receipt (run, entries [match], receipt);
            if (receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__REFUSED)
                run->refused = true;
            answered [removed++] = entries [match]->id;
        }
        if (run->refused)
            rc = CLI_REFUSED;
    }
    else
    if (!s_retry_later (reply) && reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR) {
        //  Refused as a whole (printed above): final for every figure
        for (size_t index = 0; index < count; index++)
            answered [removed++] = entries [index]->id;
        run->refused = true;
        if (!run->leftovers)
            run->refused_lines += count;
    }
    if (removed && bm_outbox_remove (run->outbox, answered, removed)) {
        fprintf (stderr, "battlemap %s: %s\n", run->command, bm_outbox_error (run->outbox));
        rc = CLI_USAGE;
    }
    run->answered += removed;
    if (removed < count && rc != CLI_USAGE) {
        fflush (stdout);
        s_print_kept (run, count - removed);
        //  The exit code of cli.h for no answer, a refused key, or a
        //  server that could not serve the request now
        rc = answer == CLI_UNREACHABLE || answer == CLI_KEY_REFUSED
          || answer == CLI_UNAVAILABLE? answer: CLI_UNAVAILABLE;
    }
    bm_wire_free (&reply);
    free (figures);
    free (answered);
    return rc;
}

//  Sends the waiting figures from seq `from` on (to `to`, 0: all) in
//  batches; stops at the first batch kept or failed. Returns as
//  s_send_batch, CLI_OK when there was nothing to send.
static int
s_send_waiting (s_run_t *run, int64_t from, int64_t to, bool partial)
{
    int rc = CLI_OK;
    while (rc == CLI_OK || rc == CLI_REFUSED) {
        zlistx_t *list = bm_outbox_list (run->outbox, from, to, CLI_BATCH, false);
        if (!list) {
            fprintf (stderr, "battlemap %s: %s\n", run->command, bm_outbox_error (run->outbox));
            return CLI_USAGE;
        }
        size_t count = zlistx_size (list);
        if (count == 0) {
            zlistx_destroy (&list);
            break;
        }
        bm_outbox_entry_t **entries = calloc (count, sizeof *entries);
        size_t index = 0;
        for (bm_outbox_entry_t *entry = zlistx_first (list); entry; entry = zlistx_next (list))
            entries [index++] = entry;
        from = entries [count - 1]->seq + 1;
        int sent_rc = s_send_batch (run, entries, count, partial);
        if (sent_rc != CLI_OK)
            rc = sent_rc;
        free (entries);
        zlistx_destroy (&list);
    }
    return rc;
}

//  ---------------------------------------------------------------------------
//  The command

//  Opens the outbox for our key and server and takes its sending lock
static bm_outbox_t *
s_open_outbox (cli_context_t *context, const char *command, const char *path)
{
    char *default_path = path? NULL: bm_outbox_default_path ();
    if (!path && !default_path) {
        fprintf (stderr, _("battlemap %s: no outbox: set HOME, BATTLEMAP_OUTBOX or give "
                           "--outbox FILE\n"), command);
        return NULL;
    }
    char *error = NULL;
    bm_outbox_t *outbox = bm_outbox_new (path? path: default_path,
                                         zcert_public_txt (context->cert), context->server,
                                         &error);
    free (default_path);
    if (!outbox) {
        fprintf (stderr, "battlemap %s: %s\n", command, error);
        free (error);
        return NULL;
    }
    int locked = bm_outbox_lock (outbox, false);
    if (locked == 1) {
        fprintf (stderr, _("battlemap %s: another battlemap is sending from the outbox %s; "
                           "waiting for it to finish\n"), command, bm_outbox_path (outbox));
        locked = bm_outbox_lock (outbox, true);
    }
    if (locked) {
        fprintf (stderr, "battlemap %s: %s\n", command, bm_outbox_error (outbox));
        bm_outbox_destroy (&outbox);
    }
    return outbox;
}

int
cli_submit (cli_context_t *context, int argc, char *argv [])
{
    //  `battlemap outbox send` runs this command as "outbox send"
    const char *command = streq (argv [0], "outbox send")? "outbox send": "submit";
    const char *fields [CLI_SHEET_COLUMNS] = { NULL };
    const char *csv = NULL;
    const char *outbox_path = NULL;
    bool any_field = false;
    static const struct option options [] = {
        { "district", required_argument, NULL, 'D' },
        { "unit", required_argument, NULL, 'u' },
        { "indicator", required_argument, NULL, 'i' },
        { "measure", required_argument, NULL, 'm' },
        { "period", required_argument, NULL, 'p' },
        { "kind", required_argument, NULL, 'k' },
        { "value", required_argument, NULL, 'v' },
        { "status", required_argument, NULL, 's' },
        { "note", required_argument, NULL, 'n' },
        { "id", required_argument, NULL, 'I' },
        { "confirm", no_argument, NULL, 'C' },
        { "csv", required_argument, NULL, 'c' },
        { "outbox", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        any_field |= option != 'c' && option != 'o' && option != 'h';
        switch (option) {
            case 'D': fields [CLI_SHEET_DISTRICT] = optarg; break;
            case 'u': fields [CLI_SHEET_UNIT] = optarg; break;
            case 'i': fields [CLI_SHEET_INDICATOR] = optarg; break;
            case 'm': fields [CLI_SHEET_MEASURE] = optarg; break;
            case 'p': fields [CLI_SHEET_PERIOD] = optarg; break;
            case 'k': fields [CLI_SHEET_KIND] = optarg; break;
            case 'v': fields [CLI_SHEET_VALUE] = optarg; break;
            case 's': fields [CLI_SHEET_STATUS] = optarg; break;
            case 'n': fields [CLI_SHEET_NOTE] = optarg; break;
            case 'I': fields [CLI_SHEET_ID] = optarg; break;
            case 'C': fields [CLI_SHEET_CONFIRMED] = "yes"; break;
            case 'c': csv = optarg; break;
            case 'o': outbox_path = optarg; break;
            case 'h': s_usage (stdout); return CLI_OK;
            default:  s_usage (stderr); return CLI_USAGE;
        }
    }
    if (optind < argc) {
        fprintf (stderr, _("battlemap %s: unexpected argument '%s'; see --help\n"), command, argv [optind]);
        return CLI_USAGE;
    }
    //  Read every figure before queueing any. A line refused here gets its
    //  receipt and holds back no other.
    cli_sheet_t sheet = { NULL };
    cli_sheet_line_t single;
    cli_sheet_line_t *lines = NULL;
    size_t count = 0;
    int rc = CLI_OK;
    if (csv) {
        if (any_field) {
            fprintf (stderr, "%s", _("battlemap submit: give either --csv or the fields of one "
                                     "figure, not both\n"));
            return CLI_USAGE;
        }
        if (cli_sheet_read (csv, &sheet))
            return CLI_USAGE;
        lines = sheet.lines;
        count = sheet.count;
        if (count == 0)
            fprintf (stderr, _("battlemap submit: %s has no filled-in rows: fill in the value "
                               "(or the status) of the rows to send\n"), csv);
    }
    else
    if (any_field) {
        if (!fields [CLI_SHEET_VALUE] && !fields [CLI_SHEET_STATUS]) {
            fprintf (stderr, "%s", _("battlemap submit: give --value, or --status for a text "
                                     "milestone\n"));
            return CLI_USAGE;
        }
        cli_sheet_line (&single, fields);
        lines = &single;
        count = 1;
    }
    s_run_t run = { .command = command };
    if (!csv && any_field && single.problem) {
        fprintf (stderr, _("battlemap submit: %s (see --help)\n"), single.problem);
        rc = CLI_USAGE;
    }
    if (rc == CLI_OK) {
        run.client = cli_connect (context);
        if (!run.client)
            rc = CLI_USAGE;
    }
    //  A value typed with a unit is converted into its indicator's, which
    //  the server's plan has
    if (rc == CLI_OK && count)
        cli_sheet_convert (lines, count, run.client, command, &rc);
    if (rc == CLI_OK && !csv && any_field && single.problem) {
        fprintf (stderr, _("battlemap submit: %s (see --help)\n"), single.problem);
        rc = CLI_USAGE;
    }
    if (rc == CLI_OK) {
        run.outbox = s_open_outbox (context, command, outbox_path);
        if (!run.outbox)
            rc = CLI_USAGE;
    }
    //  The lines refused here, then what goes to the server
    Battlemap__Figure **figures = calloc (count + 1, sizeof *figures);
    int *numbers = calloc (count + 1, sizeof *numbers);
    size_t queued = 0, refused_here = 0;
    if (rc == CLI_OK) {
        run.typed = zhashx_new ();
        for (size_t index = 0; index < count; index++) {
            cli_sheet_line_t *line = lines + index;
            if (line->problem) {
                s_print_outcome (_("refused"));
                printf ("%s\n", line->problem);
                refused_here++;
                run.refused = true;
                continue;
            }
            if (*line->cells [CLI_SHEET_VALUE] && !streq (line->cells [CLI_SHEET_VALUE],
                                                           line->value))
                zhashx_insert (run.typed, line->id, line->cells [CLI_SHEET_VALUE]);
            figures [queued] = &line->figure;
            numbers [queued++] = line->line;
        }
    }
    //  Queue this run's figures in one transaction, under the lock, so that
    //  whatever waits with a lower seq was left by an earlier run
    int64_t first = INT64_MAX;
    long left = 0;
    if (rc == CLI_OK) {
        char *csv_path = csv? realpath (csv, NULL): NULL;
        left = bm_outbox_count (run.outbox, 0);
        if (left < 0
        || (queued && bm_outbox_add (run.outbox, figures, queued,
                                     csv? (csv_path? csv_path: csv): NULL,
                                     csv? numbers: NULL, &first))) {
            fprintf (stderr, "battlemap %s: %s\n", command, bm_outbox_error (run.outbox));
            rc = CLI_USAGE;
        }
        free (csv_path);
    }
    free (figures);
    free (numbers);
    if (rc == CLI_OK && left > 0) {
        if (csv || any_field)
            fprintf (stderr, ngettext ("battlemap %s: sending %ld figure left in the outbox "
                                       "from an earlier run\n",
                                       "battlemap %s: sending %ld figures left in the outbox "
                                       "from an earlier run\n", left), command, left);
        else
            fprintf (stderr, ngettext ("battlemap %s: sending %ld figure waiting in the outbox %s\n",
                                       "battlemap %s: sending %ld figures waiting in the outbox "
                                       "%s\n", left), command, left, bm_outbox_path (run.outbox));
        //  Figure by figure: one refused does not hold back the others
        run.leftovers = true;
        rc = s_send_waiting (&run, 1, first == INT64_MAX? 0: first - 1, true);
        run.leftovers = false;
        if (rc == CLI_REFUSED)
            rc = CLI_OK;        //  counted in run.refused
    }
    if (rc == CLI_OK && first != INT64_MAX) {
        //  A CSV goes figure by figure (partial); a single figure is
        //  refused with the server's error, as all or nothing
        rc = s_send_waiting (&run, first, 0, csv != NULL);
        if (rc == CLI_REFUSED)
            rc = CLI_OK;
    }
    if (rc == CLI_OK && !csv && !any_field) {
        //  Only sending what waited: done when nothing of ours waits
        long waiting = bm_outbox_count (run.outbox, 0);
        if (left == 0)
            fprintf (stderr, _("battlemap %s: the outbox %s is empty: nothing to send\n"),
                     command, bm_outbox_path (run.outbox));
        if (waiting != 0)
            rc = CLI_UNREACHABLE;
    }
    if (csv && run.outbox) {
        //  Every line has had its receipt; the rows left empty get one
        //  together, and stderr the count
        if (sheet.unfilled_count) {
            char ranges [300];
            s_print_outcome (_("skipped"));
            printf (_("lines %s: nothing filled in (no value or status)\n"),
                    cli_sheet_ranges (sheet.unfilled, sheet.unfilled_count, ranges,
                                      sizeof ranges));
        }
        fflush (stdout);
        fprintf (stderr, _("battlemap submit: %s: %zu lines filled in: %zu stored or unchanged, "
                           "%zu refused, %zu not answered; %zu lines not filled in\n"),
                 csv, count, run.stored, refused_here + run.refused_lines,
                 count - run.stored - refused_here - run.refused_lines, sheet.unfilled_count);
    }
    if (rc == CLI_OK && run.refused)
        rc = CLI_REFUSED;
    bm_outbox_destroy (&run.outbox);
    bm_client_destroy (&run.client);
    zhashx_destroy (&run.typed);
    if (csv)
        cli_sheet_free (&sheet);
    else
    if (any_field)
        cli_sheet_line_free (&single);
    return rc;
}
