/*  bm_plan_table: one CSV table of a plan, its header and its fields.

    Maps the header's columns (any order) to the columns the file kind
    knows, and reads fields by column with the checks every file shares:
    required fields, enumerations, decimals, whole numbers, codes. Each
    problem is reported at the field's own line and position, and at most
    once per field.
*/

#include "bm_plan_private.h"
#include "bm_i18n.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define S_EM_DASH "\xE2\x80\x94"        //  "—", no target

static int
s_column_index (bm_plan_table_t *self, const char *name)
{
    for (int column = 0; column < self->column_count; column++)
        if (streq (self->columns [column].name, name))
            return column;
    return -1;
}

//  "a, b, c" of the columns, required ones only if asked; caller frees
static char *
s_column_list (bm_plan_table_t *self, bool required_only)
{
    size_t size = 1;
    for (int column = 0; column < self->column_count; column++)
        size += strlen (self->columns [column].name) + 2;
    char *list = (char *) zmalloc (size);
    for (int column = 0; column < self->column_count; column++) {
        if (required_only && !self->columns [column].required)
            continue;
        if (*list)
            strcat (list, ", ");
        strcat (list, self->columns [column].name);
    }
    return list;
}

//  "a, b or c" of a NULL-terminated list, into buf
static const char *
s_choice_list (const char *const *choices, char *buf, size_t size)
{
    buf [0] = '\0';
    size_t used = 0;
    for (int index = 0; choices [index]; index++) {
        const char *separator = index == 0? "": choices [index + 1]? ", ": " or ";
        int written = snprintf (buf + used, size - used, "%s%s", separator, choices [index]);
        if (written < 0 || (size_t) written >= size - used)
            break;
        used += (size_t) written;
    }
    return buf;
}

void
bm_plan_table_start (bm_plan_table_t *self, bm_plan_parser_t *parser,
                     int file, const char *name, const bm_plan_column_t *columns,
                     int dash_column, const bm_csv_t *csv)
{
    assert (self);
    assert (parser);
    assert (csv);
    *self = (bm_plan_table_t) {
        .parser = parser, .file = file, .name = name, .columns = columns,
        .dash_column = dash_column
    };
    while (columns [self->column_count].name)
        self->column_count++;
    assert (self->column_count <= BM_PLAN_MAX_COLUMNS);
    for (int column = 0; column < BM_PLAN_MAX_COLUMNS; column++)
        self->position [column] = -1;

    if (bm_csv_row_count (csv) == 0) {
        char *required = s_column_list (self, true);
        bm_plan_problem (parser, file, name, 0, 0,
                         _("is empty: it needs a header row naming its columns (%s)"),
                         required);
        free (required);
        return;
    }
    self->header = bm_csv_row (csv, 0);
    for (size_t index = 0; index < self->header->count; index++) {
        const bm_csv_field_t *field = &self->header->fields [index];
        if (field->size == 0)
            continue;           //  a spreadsheet's empty trailing column
        int column = s_column_index (self, field->text);
        if (column < 0) {
            char *known = s_column_list (self, false);
            bm_plan_problem (parser, file, name, field->line, field->column,
                             _("unknown column \"%s\": the columns of %s are %s"),
                             field->text, name, known);
            free (known);
        }
        else
        if (self->position [column] >= 0)
            bm_plan_problem (parser, file, name, field->line, field->column,
                             _("column \"%s\" appears twice (also column %d): remove one"),
                             field->text, self->position [column] + 1);
        else
            self->position [column] = (int) index;
    }
    for (int column = 0; column < self->column_count; column++)
        if (columns [column].required && self->position [column] < 0)
            bm_plan_problem (parser, file, name, self->header->line, 0,
                             _("missing column \"%s\": add it to the header row"),
                             columns [column].name);
}

const char *
bm_plan_table_peek (bm_plan_table_t *self, const bm_csv_row_t *row, int column)
{
    assert (column >= 0 && column < self->column_count);
    int position = self->position [column];
    if (position < 0 || (size_t) position >= row->count)
        return "";
    return row->fields [position].text;
}

void
bm_plan_table_row (bm_plan_table_t *self, const bm_csv_row_t *row)
{
    assert (self->header);
    self->row = row;
    self->reported = 0;
    const bm_csv_row_t *header = self->header;
    if (row->count > header->count) {
        const bm_csv_field_t *extra = &row->fields [header->count];
        bm_plan_problem (self->parser, self->file, self->name, extra->line, extra->column,
                         _("row has %zu fields but the header has %zu columns: "
                         "quote a field that holds a comma"), row->count, header->count);
    }
    for (size_t index = 0; index < row->count && index < header->count; index++)
        if (header->fields [index].size == 0 && row->fields [index].size > 0)
            bm_plan_problem (self->parser, self->file, self->name,
                             row->fields [index].line, row->fields [index].column,
                             _("\"%s\" is under a column with no name: "
                             "name the column in the header or clear the cell"),
                             row->fields [index].text);
    for (int column = 0; column < self->column_count; column++)
        if (column != self->dash_column
        &&  streq (bm_plan_table_text (self, column), S_EM_DASH))
            bm_plan_table_fail (self, column,
                                _("%s: \"—\" (no target) belongs only in the value "
                                "column of targets.csv: leave the field empty"),
                                self->columns [column].name);
}

void
bm_plan_table_fail (bm_plan_table_t *self, int column, const char *format, ...)
{
    assert (self->row);
    assert (column >= 0 && column < self->column_count);
    int line = self->row->line;
    int position = self->position [column];
    if (position >= 0 && (size_t) position < self->row->count)
        line = self->row->fields [position].line;

    va_list args;
    va_start (args, format);
    char *message = zsys_vprintf (format, args);
    va_end (args);
    assert (message);
    bm_plan_problem (self->parser, self->file, self->name, line, position + 1,
                     "%s", message);
    free (message);
    self->reported |= 1u << column;
}

bool
bm_plan_table_usable (bm_plan_table_t *self, int column)
{
    assert (column >= 0 && column < self->column_count);
    return self->position [column] >= 0 && !(self->reported & (1u << column));
}

const char *
bm_plan_table_text (bm_plan_table_t *self, int column)
{
    assert (self->row);
    return bm_plan_table_peek (self, self->row, column);
}

//  Report a required field that is empty; true if it was
static bool
s_missing (bm_plan_table_t *self, int column, const char *what)
{
    if (!bm_plan_table_usable (self, column) || !self->columns [column].required
    ||  *bm_plan_table_text (self, column))
        return false;
    bm_plan_table_fail (self, column, _("%s is empty: %s"),
                        self->columns [column].name, what);
    return true;
}

char *
bm_plan_table_string (bm_plan_table_t *self, int column)
{
    const bm_plan_column_t *spec = &self->columns [column];
    s_missing (self, column, spec->hint? _(spec->hint): _("it is required"));
    return strdup (bm_plan_table_text (self, column));
}

int
bm_plan_table_choice (bm_plan_table_t *self, int column,
                      const char *const *choices, int fallback)
{
    char list [256];
    const char *text = bm_plan_table_text (self, column);
    if (self->position [column] < 0)
        return fallback;
    if (!bm_plan_table_usable (self, column))
        return -1;
    if (*text == '\0') {
        if (!self->columns [column].required)
            return fallback;
        char what [300];
        snprintf (what, sizeof (what), _("write %s"),
                  s_choice_list (choices, list, sizeof (list)));
        s_missing (self, column, what);
        return -1;
    }
    for (int index = 0; choices [index]; index++)
        if (streq (choices [index], text))
            return index;
    bm_plan_table_fail (self, column, _("%s: \"%s\" is not %s"),
                        self->columns [column].name, text,
                        s_choice_list (choices, list, sizeof (list)));
    return -1;
}

//  bm_decimal_parse's reason, phrased to follow the value
static const char *
s_verb (const char *reason)
{
    if (strncmp (reason, "more ", 5) == 0 || strncmp (reason, "no ", 3) == 0)
        return _("has ");
    if (strncmp (reason, "number ", 7) == 0)
        return _("is a ");
    return _("is ");
}

bool
bm_plan_table_decimal (bm_plan_table_t *self, int column, bm_decimal_t *value)
{
    const char *text = bm_plan_table_text (self, column);
    if (!bm_plan_table_usable (self, column))
        return false;
    if (*text == '\0') {
        s_missing (self, column, _("write a number"));
        return false;
    }
    const char *reason = NULL;
    if (bm_decimal_parse (text, value, &reason) == 0)
        return true;
    const char *hint = "";
    if (strchr (text, '%'))
        hint = _(": write the number without %");
    else
    if (strchr (text, ' '))
        hint = _(": remove the spaces");
    bm_plan_table_fail (self, column, _("%s: \"%s\" %s%s%s"), self->columns [column].name,
                        text, s_verb (reason), reason, hint);
    return false;
}

bool
bm_plan_table_whole (bm_plan_table_t *self, int column, int min, int max, int *value)
{
    const char *text = bm_plan_table_text (self, column);
    if (!bm_plan_table_usable (self, column))
        return false;
    if (*text == '\0') {
        char what [80];
        snprintf (what, sizeof (what), _("write a whole number from %d to %d"), min, max);
        s_missing (self, column, what);
        return false;
    }
    bm_decimal_t decimal;
    const char *reason = NULL;
    if (bm_decimal_parse (text, &decimal, &reason)) {
        bm_plan_table_fail (self, column, "%s: \"%s\" %s%s", self->columns [column].name,
                            text, s_verb (reason), reason);
        return false;
    }
    if (decimal.micros % BM_DECIMAL_SCALE != 0
    ||  decimal.micros < min * BM_DECIMAL_SCALE
    ||  decimal.micros > max * BM_DECIMAL_SCALE) {
        bm_plan_table_fail (self, column, _("%s: \"%s\" must be a whole number from %d to %d"),
                            self->columns [column].name, text, min, max);
        return false;
    }
    *value = (int) (decimal.micros / BM_DECIMAL_SCALE);
    return true;
}

void
bm_plan_table_code (bm_plan_table_t *self, int column)
{
    const char *text = bm_plan_table_text (self, column);
    if (!bm_plan_table_usable (self, column))
        return;
    for (const char *scan = text; *scan; scan++)
        if (!(*scan >= 'a' && *scan <= 'z') && !(*scan >= 'A' && *scan <= 'Z')
        &&  !(*scan >= '0' && *scan <= '9') && *scan != '-' && *scan != '_' && *scan != '.') {
            bm_plan_table_fail (self, column,
                                _("%s: \"%s\" must be ASCII letters, digits, '-', '_' or '.'"),
                                self->columns [column].name, text);
            return;
        }
}

void
bm_plan_table_revisit (bm_plan_table_t *self, const bm_csv_row_t *row, unsigned reported)
{
    assert (self->header);
    self->row = row;
    self->reported = reported;
}
