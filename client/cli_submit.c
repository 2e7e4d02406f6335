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
#include "bm_csv.h"
#include "bm_outbox.h"

#include <czmq.h>
#include <getopt.h>
#include <limits.h>
#include <string.h>

#define CLI_BATCH 500           //  figures per request

static void
s_usage (FILE *out)
{
    fprintf (out,
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
        "if it is right, send it again with --confirm (a CSV: confirmed column yes).\n"
        "\n"
        "CSV columns (header row; UTF-8, a BOM is fine; 'battlemap template' writes one):\n"
        "  district, unit, indicator, measure, period, kind, value, status, note, id,\n"
        "  confirmed (yes to keep a figure refused as suspicious)\n"
        "  and, ignored, the template's reading columns: indicator_name,\n"
        "  unit_of_measure, annual_target, target_text, milestone, milestone_text,\n"
        "  last_period, last_value, task.\n"
        "Rows with neither value nor status are skipped (an unfilled template row).\n"
        "A CSV is sent in batches of %d, figure by figure: each line gets its receipt\n"
        "(created, updated with the value it replaces, unchanged, or refused with the\n"
        "reason); the exit code is 1 if any line was refused; 3 (no answer), 4 (the\n"
        "server unavailable) or 5 (our key refused) when figures stay in the outbox.\n",
        CLI_BATCH);
}

//  The columns a CSV may have
typedef enum {
    COL_DISTRICT, COL_UNIT, COL_INDICATOR, COL_MEASURE, COL_PERIOD, COL_KIND,
    COL_VALUE, COL_STATUS, COL_NOTE, COL_ID, COL_CONFIRMED, COL_COUNT
} s_column_t;

static const char *s_column_names [COL_COUNT] = {
    "district", "unit", "indicator", "measure", "period", "kind",
    "value", "status", "note", "id", "confirmed"
};

static const char *s_ignored_columns [] = {
    "indicator_name", "unit_of_measure", "annual_target", "target_text", "milestone",
    "milestone_text", "last_period", "last_value", "task", NULL
};

//  Builds a figure from text fields; its strings point into `fields`
static int
s_figure (Battlemap__Figure *figure, const char *fields [COL_COUNT], char *id,
          char *problem, size_t size)
{
    battlemap__figure__init (figure);
    figure->district = (char *) fields [COL_DISTRICT];
    figure->unit = (char *) fields [COL_UNIT];
    figure->indicator = (char *) fields [COL_INDICATOR];
    figure->measure = (char *) fields [COL_MEASURE];
    figure->period = (char *) fields [COL_PERIOD];
    figure->value = (char *) fields [COL_VALUE];
    figure->note = (char *) fields [COL_NOTE];
    figure->kind = bm_wire_kind_parse (fields [COL_KIND]);
    if (!figure->kind) {
        snprintf (problem, size, "kind \"%s\" must be forecast or final", fields [COL_KIND]);
        return -1;
    }
    if (*fields [COL_STATUS]) {
        figure->status = bm_wire_status_parse (fields [COL_STATUS]);
        if (!figure->status) {
            snprintf (problem, size, "status \"%s\" must be not_started, in_progress or done",
                      fields [COL_STATUS]);
            return -1;
        }
    }
    for (int column = COL_DISTRICT; column <= COL_KIND; column++)
        if (column != COL_MEASURE && !*fields [column]) {
            snprintf (problem, size, "%s is missing", s_column_names [column]);
            return -1;
        }
    const char *confirmed = fields [COL_CONFIRMED];
    if (*confirmed && !streq (confirmed, "yes") && !streq (confirmed, "no")
    &&  !streq (confirmed, "是") && !streq (confirmed, "否")) {
        snprintf (problem, size, "confirmed \"%s\" must be yes or no (是/否), or empty",
                  confirmed);
        return -1;
    }
    figure->confirmed = streq (confirmed, "yes") || streq (confirmed, "是");
    //  An id names one act of sending, not a content: a correction back to
    //  an earlier value is a new figure
    if (*fields [COL_ID])
        snprintf (id, BM_CLIENT_ID_SIZE, "%s", fields [COL_ID]);
    else
        bm_client_new_id (id);
    figure->id = id;
    return 0;
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
} s_run_t;

static void
s_print_receipt (s_run_t *run, const bm_outbox_entry_t *entry,
                 const Battlemap__FigureReceipt *receipt)
{
    const Battlemap__Figure *figure = entry->figure;
    const char *outcome =
        receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__CREATED? "created"
      : receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__UPDATED? "updated"
      : receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__REFUSED? "refused": "unchanged";
    if (receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__REFUSED) {
        //  A line of this run's CSV as today; a figure from an earlier run
        //  names its file and line, or its cell
        if (entry->csv && !run->leftovers)
            printf ("%-9s line %d: ", outcome, entry->line);
        else
        if (entry->csv)
            printf ("%-9s %s:%d: ", outcome, entry->csv, entry->line);
        else
            printf ("%-9s %s %s %s%s%s: ", outcome, figure->period, figure->unit,
                    figure->indicator, *figure->measure? "/": "", figure->measure);
        printf ("%s (%s)\n", receipt->error? receipt->error->message: "",
                receipt->error? bm_wire_error_name (receipt->error->code): "");
        return;
    }
    printf ("%-9s %s %s %s%s%s %s %s %s", outcome, figure->period, figure->unit,
            figure->indicator, *figure->measure? "/": "", figure->measure,
            bm_wire_kind_name (figure->kind),
            *figure->value? figure->value: bm_wire_status_name (figure->status),
            receipt->received_at);
    if (*receipt->replaces)
        printf (" (was %s)", receipt->replaces);
    if (receipt->equals_current)
        printf (" (equals the current value: nothing stored)");
    if (receipt->late)
        printf (" LATE");
    if (*receipt->completion)
        printf (" completion %s%%", receipt->completion);
    printf (" id %s\n", receipt->id);
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
    fprintf (stderr,
        "battlemap %s: %zu figure%s of this request stay%s in the outbox %s (%ld waiting in "
        "all); 'battlemap outbox send' (or the next 'battlemap submit') sends them again "
        "safely: under the same ids, the server stores none twice\n",
        run->command, count, count == 1? "": "s", count == 1? "s": "",
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
//  Reading a CSV

//  The figures of a CSV, read whole before any is queued
typedef struct {
    bm_csv_t *csv;              //  the figures' strings point into it
    Battlemap__Figure *figures;
    Battlemap__Figure **pointers;
    char (*ids) [BM_CLIENT_ID_SIZE];
    int *lines;
    size_t count;
} s_sheet_t;

static void
s_sheet_free (s_sheet_t *sheet)
{
    free (sheet->figures);
    free (sheet->pointers);
    free (sheet->ids);
    free (sheet->lines);
    bm_csv_destroy (&sheet->csv);
}

//  Reads every filled-in row of the CSV into figures; prints the first
//  problem and returns CLI_USAGE, else CLI_OK
static int
s_read_csv (const char *path, s_sheet_t *sheet)
{
    zchunk_t *chunk = zchunk_slurp (path, 0);
    if (!chunk) {
        fprintf (stderr, "battlemap submit: cannot read %s\n", path);
        return CLI_USAGE;
    }
    bm_csv_error_t error;
    sheet->csv = bm_csv_parse ((const char *) zchunk_data (chunk), zchunk_size (chunk), &error);
    zchunk_destroy (&chunk);
    if (!sheet->csv) {
        fprintf (stderr, "battlemap submit: %s:%d:%d: %s\n", path, error.line, error.column,
                 error.message);
        return CLI_USAGE;
    }
    int rc = CLI_OK;
    size_t rows = bm_csv_row_count (sheet->csv);
    int map [64];               //  header position -> column, -1 ignored
    const bm_csv_row_t *header = rows? bm_csv_row (sheet->csv, 0): NULL;
    if (!header || header->count > 64) {
        fprintf (stderr, "battlemap submit: %s has no header row\n", path);
        return CLI_USAGE;
    }
    bool present [COL_COUNT] = { false };
    for (size_t index = 0; index < header->count && rc == CLI_OK; index++) {
        const char *name = header->fields [index].text;
        map [index] = -2;
        for (int column = 0; column < COL_COUNT; column++)
            if (streq (name, s_column_names [column])) {
                map [index] = column;
                present [column] = true;
            }
        for (const char **ignored = s_ignored_columns; *ignored && map [index] == -2; ignored++)
            if (streq (name, *ignored))
                map [index] = -1;
        if (map [index] == -2) {
            fprintf (stderr, "battlemap submit: %s:%d:%zu: unknown column \"%s\"\n",
                     path, header->line, index + 1, name);
            rc = CLI_USAGE;
        }
    }
    for (int column = COL_DISTRICT; column <= COL_KIND && rc == CLI_OK; column++)
        if (column != COL_MEASURE && !present [column]) {
            fprintf (stderr, "battlemap submit: %s: the header has no \"%s\" column\n",
                     path, s_column_names [column]);
            rc = CLI_USAGE;
        }
    sheet->figures = calloc (rows, sizeof *sheet->figures);
    sheet->pointers = calloc (rows, sizeof *sheet->pointers);
    sheet->ids = calloc (rows, BM_CLIENT_ID_SIZE);
    sheet->lines = calloc (rows, sizeof *sheet->lines);
    for (size_t index = 1; index < rows && rc == CLI_OK; index++) {
        const bm_csv_row_t *row = bm_csv_row (sheet->csv, index);
        const char *fields [COL_COUNT];
        for (int column = 0; column < COL_COUNT; column++)
            fields [column] = "";
        if (row->count > header->count) {
            fprintf (stderr, "battlemap submit: %s:%d: more fields than the header\n",
                     path, row->line);
            rc = CLI_USAGE;
            break;
        }
        for (size_t field = 0; field < row->count; field++)
            if (map [field] >= 0)
                fields [map [field]] = row->fields [field].text;
        if (!*fields [COL_VALUE] && !*fields [COL_STATUS])
            continue;
        char problem [200];
        size_t next = sheet->count;
        if (s_figure (sheet->figures + next, fields, sheet->ids [next], problem,
                      sizeof problem)) {
            fprintf (stderr, "battlemap submit: %s:%d: %s\n", path, row->line, problem);
            rc = CLI_USAGE;
            break;
        }
        sheet->pointers [next] = sheet->figures + next;
        sheet->lines [next] = row->line;
        sheet->count++;
    }
    if (rc == CLI_OK && sheet->count == 0)
        fprintf (stderr, "battlemap submit: %s has no filled-in rows\n", path);
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
        fprintf (stderr, "battlemap %s: no outbox: set HOME, BATTLEMAP_OUTBOX or give "
                 "--outbox FILE\n", command);
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
        fprintf (stderr, "battlemap %s: another battlemap is sending from the outbox %s; "
                 "waiting for it to finish\n", command, bm_outbox_path (outbox));
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
    const char *fields [COL_COUNT];
    for (int column = 0; column < COL_COUNT; column++)
        fields [column] = "";
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
            case 'D': fields [COL_DISTRICT] = optarg; break;
            case 'u': fields [COL_UNIT] = optarg; break;
            case 'i': fields [COL_INDICATOR] = optarg; break;
            case 'm': fields [COL_MEASURE] = optarg; break;
            case 'p': fields [COL_PERIOD] = optarg; break;
            case 'k': fields [COL_KIND] = optarg; break;
            case 'v': fields [COL_VALUE] = optarg; break;
            case 's': fields [COL_STATUS] = optarg; break;
            case 'n': fields [COL_NOTE] = optarg; break;
            case 'I': fields [COL_ID] = optarg; break;
            case 'C': fields [COL_CONFIRMED] = "yes"; break;
            case 'c': csv = optarg; break;
            case 'o': outbox_path = optarg; break;
            case 'h': s_usage (stdout); return CLI_OK;
            default:  s_usage (stderr); return CLI_USAGE;
        }
    }
    if (optind < argc) {
        fprintf (stderr, "battlemap %s: unexpected argument '%s'\n", command, argv [optind]);
        return CLI_USAGE;
    }
    //  Read every figure before queueing any: a bad line sends nothing
    s_sheet_t sheet = { NULL };
    Battlemap__Figure figure;
    Battlemap__Figure *single = &figure;
    char id [BM_CLIENT_ID_SIZE];
    int rc = CLI_OK;
    if (csv) {
        if (any_field) {
            fprintf (stderr, "battlemap submit: give either --csv or the fields of one "
                     "figure, not both\n");
            return CLI_USAGE;
        }
        rc = s_read_csv (csv, &sheet);
    }
    else
    if (any_field) {
        char problem [200];
        if (!*fields [COL_VALUE] && !*fields [COL_STATUS]) {
            fprintf (stderr, "battlemap submit: give --value, or --status for a text milestone\n");
            rc = CLI_USAGE;
        }
        else
        if (s_figure (&figure, fields, id, problem, sizeof problem)) {
            fprintf (stderr, "battlemap submit: %s (see --help)\n", problem);
            rc = CLI_USAGE;
        }
    }
    s_run_t run = { .command = command };
    if (rc == CLI_OK) {
        run.client = cli_connect (context);
        if (!run.client)
            rc = CLI_USAGE;
    }
    if (rc == CLI_OK) {
        run.outbox = s_open_outbox (context, command, outbox_path);
        if (!run.outbox)
            rc = CLI_USAGE;
    }
    //  Queue this run's figures in one transaction, under the lock, so that
    //  whatever waits with a lower seq was left by an earlier run
    int64_t first = INT64_MAX;
    long left = 0;
    if (rc == CLI_OK) {
        char *csv_path = csv? realpath (csv, NULL): NULL;
        left = bm_outbox_count (run.outbox, 0);
        if (left < 0
        || (csv && bm_outbox_add (run.outbox, sheet.pointers, sheet.count,
                                  csv_path? csv_path: csv, sheet.lines, &first))
        || (any_field && bm_outbox_add (run.outbox, &single, 1, NULL, NULL, &first))) {
            fprintf (stderr, "battlemap %s: %s\n", command, bm_outbox_error (run.outbox));
            rc = CLI_USAGE;
        }
        free (csv_path);
    }
    if (rc == CLI_OK && left > 0) {
        if (csv || any_field)
            fprintf (stderr, "battlemap %s: sending %ld figure%s left in the outbox from an "
                     "earlier run\n", command, left, left == 1? "": "s");
        else
            fprintf (stderr, "battlemap %s: sending %ld figure%s waiting in the outbox %s\n",
                     command, left, left == 1? "": "s", bm_outbox_path (run.outbox));
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
            fprintf (stderr, "battlemap %s: the outbox %s is empty: nothing to send\n",
                     command, bm_outbox_path (run.outbox));
        if (waiting != 0)
            rc = CLI_UNREACHABLE;
    }
    if (rc == CLI_OK && run.refused)
        rc = CLI_REFUSED;
    bm_outbox_destroy (&run.outbox);
    bm_client_destroy (&run.client);
    s_sheet_free (&sheet);
    return rc;
}
