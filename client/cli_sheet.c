/*  cli_sheet: the CSV a clerk fills in, written and read back. */

#include "cli_sheet.h"
#include "cli.h"
#include "bm_csv.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>

//  ---------------------------------------------------------------------------
//  The columns

//  The headers a figure's columns are known by: the code of the first
//  layout, and the Chinese the template writes (then a shorter Chinese
//  name a clerk may type)
static const struct {
    const char *code;
    const char *header;
    const char *alias;
    const char *what;           //  for messages, translated when printed
} s_inputs [CLI_SHEET_COLUMNS] = {
    { "district",  "区代码",   "区",   N_("the district code") },
    { "unit",      "报送单位", "单位", N_("the unit") },
    { "indicator", "指标代码", NULL,   N_("the indicator code") },
    { "measure",   "分项代码", NULL,   N_("the measure") },
    { "period",    "报送期",   "期间", N_("the period (YYYY-MM)") },
    { "kind",      "报送类型", "类型", N_("the kind (forecast or final)") },
    { "value",     "填报值（本年累计）", "填报值", N_("the value") },
    { "status",    "状态（未开始/推进中/已完成）", "状态", N_("the status") },
    { "note",      "进展说明", "说明", N_("the note") },
    { "id",        "标识",     NULL,   N_("the id") },
    { "confirmed", "确认（是/否）", "确认", N_("confirmed") },
};

//  Columns only people read: the template's, and the first layout's
static const char *s_reading [] = {
    "指标名称", "分项/任务", "计量单位", "本月节点", "年度目标", "目标说明", "上次报送期",
    "上次报送值", "indicator_name", "unit_of_measure", "annual_target", "target_text",
    "milestone", "milestone_text", "last_period", "last_value", "task", NULL
};

//  ---------------------------------------------------------------------------
//  Writing the template

//  What tells a row apart from others of the same indicator name: its
//  task (a lead section's), its measure
static char *
s_tell_apart (const Battlemap__TemplateRow *row)
{
    if (*row->task && *row->measure)
        return zsys_sprintf ("%s · %s", row->task, row->measure);
    return strdup (*row->task? row->task: row->measure);
}

void
cli_sheet_write (FILE *out, const Battlemap__TemplateReply *reply, const char *kind)
{
    fputs ("\xef\xbb\xbf", out);
    fprintf (out, "指标名称,分项/任务,计量单位,本月节点,%s,%s,%s,%s,年度目标,目标说明,"
             "%s,%s,%s,%s,%s,%s,上次报送期,上次报送值\n",
             s_inputs [CLI_SHEET_VALUE].header, s_inputs [CLI_SHEET_STATUS].header,
             s_inputs [CLI_SHEET_NOTE].header, s_inputs [CLI_SHEET_CONFIRMED].header,
             s_inputs [CLI_SHEET_DISTRICT].header, s_inputs [CLI_SHEET_UNIT].header,
             s_inputs [CLI_SHEET_INDICATOR].header, s_inputs [CLI_SHEET_MEASURE].header,
             s_inputs [CLI_SHEET_PERIOD].header, s_inputs [CLI_SHEET_KIND].header);
    size_t count = reply->n_rows;
    char **apart = calloc (count + 1, sizeof *apart);
    for (size_t index = 0; index < count; index++)
        apart [index] = s_tell_apart (reply->rows [index]);
    for (size_t index = 0; index < count; index++) {
        const Battlemap__TemplateRow *row = reply->rows [index];
        //  Rows that still read the same (one name, two readings of it, as
        //  引大引强引实 by 经委 and by 商务委) show their code
        bool same = false;
        for (size_t other = 0; other < count && !same; other++)
            same = other != index
                && streq (reply->rows [other]->indicator_name, row->indicator_name)
                && streq (apart [other], apart [index]);
        char *told = same? zsys_sprintf ("%s%s（%s）", apart [index], *apart [index]? " ": "",
                                         row->indicator)
                         : strdup (apart [index]);
        const char *fields [] = {
            row->indicator_name, told, row->unit_of_measure,
            *row->milestone? row->milestone: row->milestone_text,
            "", "", "", "", row->annual_target, row->target_text,
            reply->district, *row->unit? row->unit: reply->unit, row->indicator, row->measure,
            reply->period, kind, row->last_period, row->last_value
        };
        size_t fields_count = sizeof fields / sizeof fields [0];
        for (size_t field = 0; field < fields_count; field++)
            cli_csv_field (out, fields [field], field + 1 < fields_count? ',': '\n');
        free (told);
    }
    for (size_t index = 0; index < count; index++)
        free (apart [index]);
    free (apart);
}

//  ---------------------------------------------------------------------------
//  Reading a line

static void
s_refuse (cli_sheet_line_t *line, const char *format, ...)
{
    if (line->problem)
        return;                 //  the first problem of a line is told
    va_list args;
    va_start (args, format);
    line->problem = zsys_vprintf (format, args);
    va_end (args);
}

//  Refuses the line for the text in one of its cells, naming it and the fix
static void
s_refuse_cell (cli_sheet_line_t *line, cli_sheet_column_t column, const char *fix)
{
    if (line->line)
        s_refuse (line, _("line %d, column %d “%s”: %s"), line->line,
                  line->positions [column], line->cells [column], fix);
    else
        s_refuse (line, "--%s “%s”: %s", column == CLI_SHEET_CONFIRMED? "confirm"
                  : s_inputs [column].code, line->cells [column], fix);
}

static Battlemap__FigureKind
s_kind (const char *text)
{
    if (streq (text, "终报"))
        return BATTLEMAP__FIGURE_KIND__FINAL;
    return bm_wire_kind_parse (text);
}

//  Checks the cells and reads the value; the figure is set up by s_figure
static void
s_check (cli_sheet_line_t *line)
{
    char **cells = line->cells;
    for (int column = CLI_SHEET_DISTRICT; column <= CLI_SHEET_KIND; column++)
        if (column != CLI_SHEET_MEASURE && !*cells [column]) {
            char fix [200];
            snprintf (fix, sizeof fix, _("%s is missing; fill it in as the template has it"),
                      _(s_inputs [column].what));
            if (line->positions [column])
                s_refuse_cell (line, (cli_sheet_column_t) column, fix);
            else
            if (line->line)
                s_refuse (line, _("line %d: %s (there is no %s column)"), line->line, fix,
                          s_inputs [column].header);
            else
                s_refuse (line, _("give --%s"), s_inputs [column].code);
        }
    if (*cells [CLI_SHEET_KIND] && !s_kind (cells [CLI_SHEET_KIND]))
        s_refuse_cell (line, CLI_SHEET_KIND, _("write forecast or final (预报 or 终报)"));
    if (*cells [CLI_SHEET_STATUS] && !bm_wire_status_parse (cells [CLI_SHEET_STATUS]))
        s_refuse_cell (line, CLI_SHEET_STATUS,
                       _("write 未开始, 推进中 or 已完成 (not_started, in_progress, done)"));
    const char *confirmed = cells [CLI_SHEET_CONFIRMED];
    if (*confirmed && !streq (confirmed, "yes") && !streq (confirmed, "no")
    &&  !streq (confirmed, "是") && !streq (confirmed, "否"))
        s_refuse_cell (line, CLI_SHEET_CONFIRMED, _("write 是 or 否 (yes or no), or leave it empty"));
    if (*cells [CLI_SHEET_VALUE]) {
        bm_clerk_problem_t problem = bm_clerk_parse (cells [CLI_SHEET_VALUE], &line->typed);
        if (problem == BM_CLERK_OK && !bm_clerk_needs_unit (&line->typed))
            problem = bm_clerk_convert (&line->typed, "", line->value);
        if (problem != BM_CLERK_OK) {
            char fix [300];
            bm_clerk_explain (problem, &line->typed, "", fix, sizeof fix);
            s_refuse_cell (line, CLI_SHEET_VALUE, fix);
        }
    }
}

//  The figure of a checked line; its strings point into the line, which
//  must not move any more
static void
s_figure (cli_sheet_line_t *line)
{
    Battlemap__Figure *figure = &line->figure;
    char **cells = line->cells;
    battlemap__figure__init (figure);
    figure->district = cells [CLI_SHEET_DISTRICT];
    figure->unit = cells [CLI_SHEET_UNIT];
    figure->indicator = cells [CLI_SHEET_INDICATOR];
    figure->measure = cells [CLI_SHEET_MEASURE];
    figure->period = cells [CLI_SHEET_PERIOD];
    figure->value = line->value;
    figure->note = cells [CLI_SHEET_NOTE];
    figure->kind = s_kind (cells [CLI_SHEET_KIND]);
    figure->status = *cells [CLI_SHEET_STATUS]? bm_wire_status_parse (cells [CLI_SHEET_STATUS]): 0;
    figure->confirmed = streq (cells [CLI_SHEET_CONFIRMED], "yes")
                     || streq (cells [CLI_SHEET_CONFIRMED], "是");
    //  An id names one act of sending, not a content: a correction back to
    //  an earlier value is a new figure
    if (*cells [CLI_SHEET_ID])
        snprintf (line->id, sizeof line->id, "%s", cells [CLI_SHEET_ID]);
    else
        bm_client_new_id (line->id);
    figure->id = line->id;
}

void
cli_sheet_line (cli_sheet_line_t *line, const char *cells [CLI_SHEET_COLUMNS])
{
    memset (line, 0, sizeof *line);
    for (int column = 0; column < CLI_SHEET_COLUMNS; column++) {
        line->cells [column] = strdup (cells [column]? cells [column]: "");
        bm_clerk_trim (line->cells [column]);
        line->positions [column] = cells [column]? 1: 0;
    }
    s_check (line);
    s_figure (line);
}

void
cli_sheet_line_free (cli_sheet_line_t *line)
{
    for (int column = 0; column < CLI_SHEET_COLUMNS; column++)
        zstr_free (&line->cells [column]);
    zstr_free (&line->problem);
}

//  ---------------------------------------------------------------------------
//  Reading a file

//  The column a header names: CLI_SHEET_COLUMNS + 1 for one people read
//  (or an empty header), CLI_SHEET_COLUMNS if unknown
static int
s_header_column (const char *name)
{
    if (!*name)
        return CLI_SHEET_COLUMNS + 1;
    for (int column = 0; column < CLI_SHEET_COLUMNS; column++)
        if (streq (name, s_inputs [column].code) || streq (name, s_inputs [column].header)
        ||  (s_inputs [column].alias && streq (name, s_inputs [column].alias)))
            return column;
    for (const char **reading = s_reading; *reading; reading++)
        if (streq (name, *reading))
            return CLI_SHEET_COLUMNS + 1;
    return CLI_SHEET_COLUMNS;
}

//  Maps the header's positions to columns; prints why not and returns -1
static int
s_header (const char *path, const bm_csv_row_t *header, int *map)
{
    int seen [CLI_SHEET_COLUMNS] = { 0 };
    for (size_t index = 0; index < header->count; index++) {
        char *name = strdup (header->fields [index].text);
        bm_clerk_trim (name);
        int column = s_header_column (name);
        if (column == CLI_SHEET_COLUMNS) {
            fprintf (stderr, _("battlemap submit: %s: line %d, column %zu: unknown column "
                               "“%s”; use the header row 'battlemap template' writes\n"),
                     path, header->line, index + 1, name);
            free (name);
            return -1;
        }
        if (column < CLI_SHEET_COLUMNS && seen [column]) {
            fprintf (stderr, _("battlemap submit: %s: line %d: columns %d and %zu are both "
                               "“%s”; delete one of them\n"),
                     path, header->line, seen [column], index + 1, name);
            free (name);
            return -1;
        }
        if (column < CLI_SHEET_COLUMNS)
            seen [column] = (int) index + 1;
        map [index] = column;
        free (name);
    }
    if (!seen [CLI_SHEET_VALUE] && !seen [CLI_SHEET_STATUS]) {
        fprintf (stderr, _("battlemap submit: %s: the header row has no “%s” column; use the "
                           "header row 'battlemap template' writes\n"),
                 path, s_inputs [CLI_SHEET_VALUE].header);
        return -1;
    }
    return 0;
}

int
cli_sheet_read (const char *path, cli_sheet_t *sheet)
{
    memset (sheet, 0, sizeof *sheet);
    zchunk_t *chunk = zchunk_slurp (path, 0);
    if (!chunk) {
        fprintf (stderr, _("battlemap submit: cannot read %s: %s\n"), path, strerror (errno));
        return -1;
    }
    bm_csv_error_t error;
    size_t size = 0;
    char *text = bm_csv_utf8 ((const char *) zchunk_data (chunk), zchunk_size (chunk), &size,
                              &sheet->encoding, &error);
    zchunk_destroy (&chunk);
    bm_csv_t *csv = text? bm_csv_parse (text, size, &error): NULL;
    free (text);
    if (!csv) {
        fprintf (stderr, _("battlemap submit: %s: line %d: %s\n"), path, error.line,
                 error.message);
        return -1;
    }
    size_t rows = bm_csv_row_count (csv);
    const bm_csv_row_t *header = rows? bm_csv_row (csv, 0): NULL;
    int *map = header? calloc (header->count, sizeof *map): NULL;
    if (!header || s_header (path, header, map)) {
        if (!header)
            fprintf (stderr, _("battlemap submit: %s is empty; fill in the template "
                               "'battlemap template' writes\n"), path);
        free (map);
        bm_csv_destroy (&csv);
        return -1;
    }
    //  Every line is read; each one refused keeps its reason
    sheet->lines = calloc (rows, sizeof *sheet->lines);
    sheet->unfilled = calloc (rows, sizeof *sheet->unfilled);
    for (size_t index = 1; index < rows; index++) {
        const bm_csv_row_t *row = bm_csv_row (csv, index);
        cli_sheet_line_t *line = sheet->lines + sheet->count;
        memset (line, 0, sizeof *line);
        line->line = row->line;
        for (size_t field = 0; field < row->count && field < header->count; field++)
            if (map [field] < CLI_SHEET_COLUMNS) {
                line->cells [map [field]] = strdup (row->fields [field].text);
                bm_clerk_trim (line->cells [map [field]]);
                line->positions [map [field]] = (int) field + 1;
            }
        for (size_t field = 0; field < header->count; field++)
            if (map [field] < CLI_SHEET_COLUMNS && !line->positions [map [field]])
                line->positions [map [field]] = (int) field + 1;
        for (int column = 0; column < CLI_SHEET_COLUMNS; column++)
            if (!line->cells [column])
                line->cells [column] = strdup ("");
        if (!*line->cells [CLI_SHEET_VALUE] && !*line->cells [CLI_SHEET_STATUS]) {
            sheet->unfilled [sheet->unfilled_count++] = row->line;
            cli_sheet_line_free (line);
            continue;
        }
        if (row->count > header->count)
            s_refuse (line, _("line %d: %zu fields, the header has %zu; delete what is right "
                              "of the last column, or quote a field that holds a comma"),
                      row->line, row->count, header->count);
        s_check (line);
        s_figure (line);
        sheet->count++;
    }
    free (map);
    bm_csv_destroy (&csv);
    return 0;
}

void
cli_sheet_free (cli_sheet_t *sheet)
{
    for (size_t index = 0; index < sheet->count; index++)
        cli_sheet_line_free (sheet->lines + index);
    free (sheet->lines);
    free (sheet->unfilled);
    memset (sheet, 0, sizeof *sheet);
}

char *
cli_sheet_ranges (const int *lines, size_t count, char *buf, size_t size)
{
    size_t used = 0;
    buf [0] = '\0';
    for (size_t index = 0; index < count && used + 24 < size; ) {
        size_t last = index;
        while (last + 1 < count && lines [last + 1] == lines [last] + 1)
            last++;
        used += snprintf (buf + used, size - used, "%s%d", index? ", ": "", lines [index]);
        if (last > index)
            used += snprintf (buf + used, size - used, "-%d", lines [last]);
        index = last + 1;
        if (index < count && used + 24 >= size)
            snprintf (buf + used, size - used, ", ...");
    }
    return buf;
}

//  ---------------------------------------------------------------------------
//  Units of measure, as the server's plan has them

//  The units of measure of one template: "indicator\x1fmeasure" -> unit,
//  or the reason there is none
typedef struct {
    zhashx_t *units;
    char *failure;
} s_units_t;

static void
s_units_destroy (void **item)
{
    s_units_t *units = (s_units_t *) *item;
    if (units) {
        zhashx_destroy (&units->units);
        free (units->failure);
        free (units);
        *item = NULL;
    }
}

//  The template of the line's unit and period, asked once a run. NULL when
//  the server did not answer.
static s_units_t *
s_units (zhashx_t *cache, bm_client_t *client, const cli_sheet_line_t *line)
{
    const Battlemap__Figure *figure = &line->figure;
    char *key = zsys_sprintf ("%s\x1f%s\x1f%s", figure->district, figure->unit, figure->period);
    s_units_t *units = (s_units_t *) zhashx_lookup (cache, key);
    if (units) {
        free (key);
        return units;
    }
    Battlemap__Envelope *reply = bm_client_template (client, figure->district, figure->unit,
                                                     figure->period);
    if (!reply) {
        free (key);
        return NULL;
    }
    units = calloc (1, sizeof *units);
    units->units = zhashx_new ();
    zhashx_set_destructor (units->units, (zhashx_destructor_fn *) zstr_free);
    if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_TEMPLATE_REPLY) {
        const Battlemap__TemplateReply *template_ = reply->template_reply;
        for (size_t index = 0; index < template_->n_rows; index++) {
            const Battlemap__TemplateRow *row = template_->rows [index];
            char *name = zsys_sprintf ("%s\x1f%s", row->indicator, row->measure);
            zhashx_update (units->units, name, strdup (row->unit_of_measure));
            free (name);
        }
    }
    else
    if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR)
        units->failure = strdup (reply->error->message);
    else
        units->failure = strdup ("?");
    bm_wire_free (&reply);
    zhashx_insert (cache, key, units);
    free (key);
    return units;
}

int
cli_sheet_convert (cli_sheet_line_t *lines, size_t count, bm_client_t *client,
                   const char *command, int *exit_code)
{
    zhashx_t *cache = zhashx_new ();
    zhashx_set_destructor (cache, s_units_destroy);
    int rc = 0;
    for (size_t index = 0; index < count && rc == 0; index++) {
        cli_sheet_line_t *line = lines + index;
        if (line->problem || !*line->cells [CLI_SHEET_VALUE]
        ||  !bm_clerk_needs_unit (&line->typed))
            continue;
        s_units_t *units = s_units (cache, client, line);
        if (!units) {
            *exit_code = cli_check_reply (command, NULL, BATTLEMAP__ENVELOPE__BODY_TEMPLATE_REPLY);
            rc = -1;
            break;
        }
        char fix [400];
        char *name = zsys_sprintf ("%s\x1f%s", line->figure.indicator, line->figure.measure);
        const char *unit_of_measure = (const char *) zhashx_lookup (units->units, name);
        free (name);
        if (units->failure) {
            snprintf (fix, sizeof fix, _("the unit of measure cannot be looked up (%s); write "
                                         "the number alone, in the indicator's unit"),
                      units->failure);
            s_refuse_cell (line, CLI_SHEET_VALUE, fix);
            continue;
        }
        if (!unit_of_measure) {
            snprintf (fix, sizeof fix, _("%s has no %s%s%s to report in %s, so its unit of "
                                         "measure is not known; check the indicator and "
                                         "measure, or write the number alone"),
                      line->figure.unit, line->figure.indicator,
                      *line->figure.measure? "/": "", line->figure.measure,
                      line->figure.period);
            s_refuse_cell (line, CLI_SHEET_VALUE, fix);
            continue;
        }
        bm_clerk_problem_t problem = bm_clerk_convert (&line->typed, unit_of_measure,
                                                       line->value);
        if (problem != BM_CLERK_OK) {
            bm_clerk_explain (problem, &line->typed, unit_of_measure, fix, sizeof fix);
            s_refuse_cell (line, CLI_SHEET_VALUE, fix);
        }
    }
    zhashx_destroy (&cache);
    return rc;
}
