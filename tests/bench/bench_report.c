/*  bench_report: the baseline's figures by name, and the final table. */

#include "bench_report.h"

#include <stdarg.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#define S_COLUMNS 7

//  Structure of our class

struct _bench_report_t {
    zhashx_t *baseline;         //  name -> value text
    zlistx_t *rows;             //  char *[S_COLUMNS]; a section has only its first
    zlistx_t *values;           //  "name value" lines
};

static void
s_row_destroy (void **item)
{
    char **row = (char **) *item;
    for (int column = 0; column < S_COLUMNS; column++)
        free (row [column]);
    free (row);
    *item = NULL;
}

bench_report_t *
bench_report_new (void)
{
    bench_report_t *self = (bench_report_t *) zmalloc (sizeof (bench_report_t));
    self->baseline = zhashx_new ();
    zhashx_set_destructor (self->baseline, (zhashx_destructor_fn *) zstr_free);
    zhashx_set_duplicator (self->baseline, (zhashx_duplicator_fn *) strdup);
    self->rows = zlistx_new ();
    zlistx_set_destructor (self->rows, s_row_destroy);
    self->values = zlistx_new ();
    zlistx_set_destructor (self->values, (zlistx_destructor_fn *) zstr_free);
    return self;
}

void
bench_report_destroy (bench_report_t **self_p)
{
    assert (self_p);
    bench_report_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->baseline);
    zlistx_destroy (&self->rows);
    zlistx_destroy (&self->values);
    free (self);
    *self_p = NULL;
}

int
bench_report_load_baseline (bench_report_t *self, const char *path)
{
    FILE *file = fopen (path, "r");
    if (!file)
        return -1;
    char line [512];
    while (fgets (line, sizeof line, file)) {
        char name [256], value [256];
        if (sscanf (line, "%255s %255s", name, value) == 2 && *name != '#')
            zhashx_update (self->baseline, name, value);
    }
    fclose (file);
    return 0;
}

double
bench_report_baseline (bench_report_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *name = zsys_vprintf (format, args);
    va_end (args);
    const char *text = (const char *) zhashx_lookup (self->baseline, name);
    free (name);
    if (!text)
        return -1;
    char *end;
    double value = strtod (text, &end);
    return end != text && *end == '\0'? value: -1;
}

void
bench_report_section (bench_report_t *self, const char *title)
{
    char **row = (char **) calloc (S_COLUMNS, sizeof (char *));
    row [0] = strdup (title);
    zlistx_add_end (self->rows, row);
}

void
bench_report_row (bench_report_t *self, const char *measure, const char *server,
                  const char *baseline, const char *ratio, const char *target,
                  const char *verdict, const char *notes)
{
    const char *texts [S_COLUMNS] = { measure, server, baseline, ratio, target, verdict,
                                      notes };
    char **row = (char **) calloc (S_COLUMNS, sizeof (char *));
    for (int column = 0; column < S_COLUMNS; column++)
        row [column] = strdup (texts [column] && *texts [column]? texts [column]: "-");
    zlistx_add_end (self->rows, row);
}

void
bench_report_value (bench_report_t *self, const char *name, double value)
{
    zlistx_add_end (self->values, zsys_sprintf ("%s %.6g", name, value));
}

//  Columns on screen: UTF-8 continuation bytes take no room (the table's
//  texts are ASCII but for the odd symbol)
static size_t
s_width (const char *text)
{
    size_t width = 0;
    for (const unsigned char *p = (const unsigned char *) text; *p; p++)
        width += (*p & 0xC0) != 0x80;
    return width;
}

static void
s_cell (FILE *file, const char *text, size_t width, bool last)
{
    fputs (text, file);
    if (!last)
        for (size_t pad = s_width (text); pad < width + 2; pad++)
            fputc (' ', file);
}

void
bench_report_print (bench_report_t *self, FILE *file)
{
    static const char *headings [S_COLUMNS] = {
        "measure", "battlemapd", "baseline", "ratio", "target", "met", "notes" };
    size_t widths [S_COLUMNS];
    for (int column = 0; column < S_COLUMNS; column++)
        widths [column] = s_width (headings [column]);
    for (char **row = zlistx_first (self->rows); row; row = zlistx_next (self->rows))
        for (int column = 0; row [1] && column < S_COLUMNS; column++)
            if (s_width (row [column]) > widths [column])
                widths [column] = s_width (row [column]);
    size_t total = 0;
    for (int column = 0; column < S_COLUMNS - 1; column++)
        total += widths [column] + 2;
    total += widths [S_COLUMNS - 1];
    for (int column = 0; column < S_COLUMNS; column++)
        s_cell (file, headings [column], widths [column], column == S_COLUMNS - 1);
    fputc ('\n', file);
    for (size_t dash = 0; dash < total; dash++)
        fputc ('-', file);
    fputc ('\n', file);
    for (char **row = zlistx_first (self->rows); row; row = zlistx_next (self->rows)) {
        if (!row [1]) {
            fprintf (file, "%s\n", row [0]);
            continue;
        }
        for (int column = 0; column < S_COLUMNS; column++)
            s_cell (file, row [column], widths [column], column == S_COLUMNS - 1);
        fputc ('\n', file);
    }
}

int
bench_report_save_values (bench_report_t *self, const char *path)
{
    FILE *file = fopen (path, "w");
    if (!file)
        return -1;
    for (char *line = zlistx_first (self->values); line; line = zlistx_next (self->values))
        fprintf (file, "%s\n", line);
    return fclose (file) == 0? 0: -1;
}

//  ---------------------------------------------------------------------------

void
bench_report_test (bool verbose)
{
    printf (" * bench_report: ");
    char path [] = "/tmp/bench_report_test.XXXXXX";
    int fd = mkstemp (path);
    BENCH_CHECK (fd >= 0);
    FILE *file = fdopen (fd, "w");
    fprintf (file, "# a comment\nsub1cte.1.tps 5013.5\nsub100gen.4.rows_per_s 97109\nbad x\n");
    fclose (file);
    bench_report_t *report = bench_report_new ();
    BENCH_CHECK (bench_report_load_baseline (report, path) == 0);
    BENCH_CHECK (bench_report_baseline (report, "sub1cte.%d.tps", 1) == 5013.5);
    BENCH_CHECK (bench_report_baseline (report, "sub100gen.%d.rows_per_s", 4) == 97109);
    BENCH_CHECK (bench_report_baseline (report, "sub1cte.%d.tps", 64) == -1);
    BENCH_CHECK (bench_report_baseline (report, "bad") == -1);
    bench_report_section (report, "Submitting");
    bench_report_row (report, "figures/s", "100", "5013.5", "0.02x", ">= 0.5x", "no", NULL);
    bench_report_value (report, "single.figures_per_second", 100);
    if (verbose)
        bench_report_print (report, stdout);
    BENCH_CHECK (bench_report_save_values (report, path) == 0);
    unlink (path);
    bench_report_destroy (&report);
    bench_report_destroy (&report);
    printf ("OK\n");
}
