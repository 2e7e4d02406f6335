/*  battlemap submit: send a unit's figures, one or a whole CSV, and print
    the receipts. */

#include "cli.h"
#include "bm_csv.h"

#include <czmq.h>
#include <getopt.h>
#include <string.h>

#define CLI_BATCH 500           //  figures per request from a CSV

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: battlemap submit --district D --unit U --indicator CODE [--measure M]\n"
        "                        --period YYYY-MM --kind forecast|final\n"
        "                        (--value N | --status not_started|in_progress|done)\n"
        "                        [--note TEXT] [--id UUID] [--confirm]\n"
        "       battlemap submit --csv FILE\n"
        "\n"
        "Send figures to the server and print its receipts. A figure is the cumulative\n"
        "value for the year up to the end of the period. A text milestone takes a\n"
        "status (and a note); a task with a numeric target takes its count as well.\n"
        "A lead section sends the district's figure (unit 全区) of the tasks it leads,\n"
        "with its progress note (进展说明) in --note.\n"
        "\n"
        "Every figure sent carries a fresh id (or --id, or the CSV's id column), kept\n"
        "for this run's retries: a retry is answered 'unchanged' and never stored\n"
        "twice. A correction is stored whatever it was before (10.9, then 11.2, then\n"
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
        "reason); the exit code is 1 if any line was refused.\n", CLI_BATCH);
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

static void
s_print_receipt (const Battlemap__Figure *figure, const Battlemap__FigureReceipt *receipt,
                 int line)
{
    const char *outcome =
        receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__CREATED? "created"
      : receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__UPDATED? "updated"
      : receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__REFUSED? "refused": "unchanged";
    if (receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__REFUSED) {
        printf ("%-9s line %d: %s (%s)\n", outcome, line,
                receipt->error? receipt->error->message: "",
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

//  Sends figures; prints receipts or the error. A CSV goes figure by
//  figure (partial): a refused line does not stop the others.
static int
s_send (bm_client_t *client, Battlemap__Figure **figures, size_t count, const int *lines)
{
    Battlemap__SubmitRequest submit = BATTLEMAP__SUBMIT_REQUEST__INIT;
    submit.figures = figures;
    submit.n_figures = count;
    submit.partial = lines != NULL;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_SUBMIT;
    request.submit = &submit;
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    int rc = cli_check_reply ("submit", reply, BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY);
    if (rc < 0) {
        rc = CLI_OK;
        Battlemap__SubmitReply *submitted = reply->submit_reply;
        for (size_t index = 0; index < submitted->n_receipts && index < count; index++) {
            s_print_receipt (figures [index], submitted->receipts [index],
                             lines? lines [index]: 0);
            if (submitted->receipts [index]->outcome == BATTLEMAP__RECEIPT_OUTCOME__REFUSED)
                rc = CLI_REFUSED;
        }
    }
    bm_wire_free (&reply);
    return rc;
}

static int
s_submit_csv (bm_client_t *client, const char *path)
{
    zchunk_t *chunk = zchunk_slurp (path, 0);
    if (!chunk) {
        fprintf (stderr, "battlemap submit: cannot read %s\n", path);
        return CLI_USAGE;
    }
    bm_csv_error_t error;
    bm_csv_t *csv = bm_csv_parse ((const char *) zchunk_data (chunk), zchunk_size (chunk), &error);
    zchunk_destroy (&chunk);
    if (!csv) {
        fprintf (stderr, "battlemap submit: %s:%d:%d: %s\n", path, error.line, error.column,
                 error.message);
        return CLI_USAGE;
    }
    int rc = CLI_OK;
    size_t rows = bm_csv_row_count (csv);
    int map [64];               //  header position -> column, -1 ignored
    const bm_csv_row_t *header = rows? bm_csv_row (csv, 0): NULL;
    if (!header || header->count > 64) {
        fprintf (stderr, "battlemap submit: %s has no header row\n", path);
        bm_csv_destroy (&csv);
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
    Battlemap__Figure *figures = calloc (CLI_BATCH, sizeof *figures);
    Battlemap__Figure **pointers = calloc (CLI_BATCH, sizeof *pointers);
    char (*ids) [BM_CLIENT_ID_SIZE] = calloc (CLI_BATCH, BM_CLIENT_ID_SIZE);
    int lines [CLI_BATCH];
    size_t batch = 0, sent = 0;
    bool refused = false;
    for (size_t index = 1; index < rows && rc == CLI_OK; index++) {
        const bm_csv_row_t *row = bm_csv_row (csv, index);
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
        if (s_figure (figures + batch, fields, ids [batch], problem, sizeof problem)) {
            fprintf (stderr, "battlemap submit: %s:%d: %s\n", path, row->line, problem);
            rc = CLI_USAGE;
            break;
        }
        pointers [batch] = figures + batch;
        lines [batch] = row->line;
        if (++batch == CLI_BATCH) {
            int sent_rc = s_send (client, pointers, batch, lines);
            if (sent_rc == CLI_UNREACHABLE || sent_rc == CLI_USAGE)
                rc = sent_rc;
            else
            if (sent_rc)
                refused = true;
            sent += batch;
            batch = 0;
        }
    }
    if (rc == CLI_OK && batch) {
        int sent_rc = s_send (client, pointers, batch, lines);
        if (sent_rc == CLI_REFUSED)
            refused = true;
        else
            rc = sent_rc;
        sent += batch;
    }
    else
    if (rc == CLI_OK && sent == 0)
        fprintf (stderr, "battlemap submit: %s has no filled-in rows\n", path);
    if (rc == CLI_OK && refused)
        rc = CLI_REFUSED;
    free (figures);
    free (pointers);
    free (ids);
    bm_csv_destroy (&csv);
    return rc;
}

int
cli_submit (cli_context_t *context, int argc, char *argv [])
{
    const char *fields [COL_COUNT];
    for (int column = 0; column < COL_COUNT; column++)
        fields [column] = "";
    const char *csv = NULL;
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
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
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
            case 'h': s_usage (stdout); return CLI_OK;
            default:  s_usage (stderr); return CLI_USAGE;
        }
    }
    if (optind < argc) {
        fprintf (stderr, "battlemap submit: unexpected argument '%s'\n", argv [optind]);
        return CLI_USAGE;
    }
    bm_client_t *client = cli_connect (context);
    if (!client)
        return CLI_USAGE;
    int rc;
    if (csv)
        rc = s_submit_csv (client, csv);
    else {
        Battlemap__Figure figure;
        char id [BM_CLIENT_ID_SIZE];
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
        else {
            Battlemap__Figure *pointer = &figure;
            rc = s_send (client, &pointer, 1, NULL);
        }
    }
    bm_client_destroy (&client);
    return rc;
}
