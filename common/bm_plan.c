/*  bm_plan: a district's yearly plan, parsed and validated from its CSV files.

    The driver: it sorts the files out by kind, reads them in dependency
    order (plan, units, indicators, then what refers to them), collects
    every problem and reports them in file and line order. The tables
    themselves are read in bm_plan_define.c, bm_plan_indicator.c,
    bm_plan_target.c, bm_plan_judge.c and bm_plan_cycle.c.
*/

#include "bm_plan_private.h"
#include "bm_i18n.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define S_MAX_FILE_SIZE (16 * 1024 * 1024)

static const char *s_file_names [BM_PLAN_FILE_KINDS] = {
    "plan.csv", "units.csv", "indicators.csv",
    "targets.csv", "milestones.csv", "tasks.csv",
    "baselines.csv", "rankings.csv", "holidays.csv"
};
static const bool s_file_required [BM_PLAN_FILE_KINDS] = {
    true, true, true, true, false, false, false, false, false
};


//  --------------------------------------------------------------------------
//  Problems

void
bm_plan_problem (bm_plan_parser_t *parser, int file, const char *name,
                 int line, int column, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *message = zsys_vprintf (format, args);
    va_end (args);
    assert (message);

    char *text;
    if (line == 0)
        text = zsys_sprintf ("%s: %s", name, message);
    else
    if (column == 0)
        text = zsys_sprintf ("%s:%d: %s", name, line, message);
    else
        text = zsys_sprintf ("%s:%d:%d: %s", name, line, column, message);
    assert (text);
    free (message);

    if (parser->problem_count == parser->problem_limit) {
        parser->problem_limit = parser->problem_limit? parser->problem_limit * 2: 32;
        parser->problems = (bm_plan_problem_t *) realloc (
            parser->problems, parser->problem_limit * sizeof (bm_plan_problem_t));
        assert (parser->problems);
    }
    parser->problems [parser->problem_count] = (bm_plan_problem_t) {
        .file = file, .line = line, .column = column,
        .sequence = parser->problem_count, .text = text
    };
    parser->problem_count++;
}

static int
s_problem_compare (const void *a, const void *b)
{
    const bm_plan_problem_t *first = (const bm_plan_problem_t *) a;
    const bm_plan_problem_t *second = (const bm_plan_problem_t *) b;
    if (first->file != second->file)
        return first->file < second->file? -1: 1;
    if (first->line != second->line)
        return first->line < second->line? -1: 1;
    if (first->column != second->column)
        return first->column < second->column? -1: 1;
    return first->sequence < second->sequence? -1: first->sequence > second->sequence;
}

//  Append a message to the caller's list, which copies it (autofree)
static void
s_append (zlist_t *errors, char *message)
{
    assert (message);
    zlist_append (errors, message);
    free (message);
}

//  Hand the problems over in order, at most BM_PLAN_MAX_ERRORS of them
static void
s_report_problems (bm_plan_parser_t *parser, zlist_t *errors)
{
    qsort (parser->problems, parser->problem_count, sizeof (bm_plan_problem_t),
           s_problem_compare);
    size_t shown = parser->problem_count;
    if (shown > BM_PLAN_MAX_ERRORS)
        shown = BM_PLAN_MAX_ERRORS - 1;
    for (size_t index = 0; index < parser->problem_count; index++) {
        if (index < shown)
            zlist_append (errors, parser->problems [index].text);
        free (parser->problems [index].text);
    }
    if (shown < parser->problem_count)
        s_append (errors, zsys_sprintf (
            _("too many problems: %zu more not shown; fix these and load again"),
            parser->problem_count - shown));
}

char *
bm_plan_measure_key (const char *code, const char *measure)
{
    char *key = zsys_sprintf ("%s\x1f%s", code, measure);
    assert (key);
    return key;
}


//  --------------------------------------------------------------------------
//  The plan

static bm_plan_t *
s_plan_new (void)
{
    bm_plan_t *self = (bm_plan_t *) zmalloc (sizeof (bm_plan_t));
    self->header = (bm_plan_header_t) {
        .plan = strdup (""), .district = strdup (""), .district_name = strdup (""),
        .title = strdup (""), .documents = strdup (""),
        .forecast_day = 28, .final_day = 10, .deadline_rule = strdup ("none"),
        .reminder_days = strdup ("3,1"), .bottom_warned = 5
    };
    return self;
}

void
bm_plan_destroy (bm_plan_t **self_p)
{
    assert (self_p);
    if (!*self_p)
        return;
    bm_plan_t *self = *self_p;
    bm_plan_header_t *header = &self->header;
    free (header->plan);
    free (header->district);
    free (header->district_name);
    free (header->title);
    free (header->documents);
    free (header->deadline_rule);
    free (header->reminder_days);
    for (size_t index = 0; index < self->unit_count; index++) {
        bm_plan_unit_t *unit = &self->units [index];
        free (unit->name);
        free (unit->kind);
        free (unit->parent);
        free (unit->note);
    }
    free (self->units);
    for (size_t index = 0; index < self->indicator_count; index++) {
        bm_plan_indicator_t *indicator = &self->indicators [index];
        free (indicator->code);
        free (indicator->measure);
        free (indicator->name);
        free (indicator->parent);
        free (indicator->category);
        free (indicator->seq);
        free (indicator->unit_of_measure);
        free (indicator->decomposition);
        free (indicator->responsible);
        free (indicator->source);
        free (indicator->kind);
        free (indicator->formula);
        free (indicator->note);
    }
    free (self->indicators);
    for (size_t index = 0; index < self->target_count; index++) {
        bm_plan_target_t *target = &self->targets [index];
        free (target->indicator);
        free (target->measure);
        free (target->unit);
        free (target->role);
        free (target->kind);
        free (target->comparator);
        free (target->value_text);
        free (target->text);
        free (target->note);
    }
    free (self->targets);
    for (size_t index = 0; index < self->milestone_count; index++) {
        bm_plan_milestone_t *milestone = &self->milestones [index];
        free (milestone->indicator);
        free (milestone->measure);
        free (milestone->unit);
        free (milestone->value_text);
        free (milestone->share_text);
        free (milestone->text);
        free (milestone->note);
    }
    free (self->milestones);
    for (size_t index = 0; index < self->task_count; index++) {
        bm_plan_task_t *task = &self->tasks [index];
        free (task->level);
        free (task->title);
        free (task->leaders);
        free (task->sections);
        free (task->indicator);
        free (task->measures);
        free (task->overall);
        free (task->beside);
        free (task->note);
    }
    free (self->tasks);
    for (size_t index = 0; index < self->baseline_count; index++) {
        bm_plan_baseline_t *baseline = &self->baselines [index];
        free (baseline->indicator);
        free (baseline->measure);
        free (baseline->unit);
        free (baseline->value_text);
        free (baseline->note);
    }
    free (self->baselines);
    for (size_t index = 0; index < self->ranking_count; index++) {
        bm_plan_ranking_t *ranking = &self->rankings [index];
        free (ranking->ranking);
        free (ranking->indicator);
        free (ranking->measure);
        free (ranking->weight_text);
        free (ranking->note);
    }
    free (self->rankings);
    for (size_t index = 0; index < self->holiday_count; index++) {
        free (self->holidays [index].name);
        free (self->holidays [index].note);
    }
    free (self->holidays);
    free (self);
    *self_p = NULL;
}


//  --------------------------------------------------------------------------
//  Parsing

//  The kind of a file from its base name, or -1
static int
s_file_kind (const char *name)
{
    const char *base = strrchr (name, '/');
    base = base? base + 1: name;
    for (int kind = 0; kind < BM_PLAN_FILE_KINDS; kind++)
        if (streq (base, s_file_names [kind]))
            return kind;
    return -1;
}

static void
s_free_item (void **item)
{
    free (*item);
    *item = NULL;
}

typedef void (s_reader_fn) (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv);

static s_reader_fn *s_readers [BM_PLAN_FILE_KINDS] = {
    bm_plan_read_header, bm_plan_read_units, bm_plan_read_indicators,
    bm_plan_read_targets, bm_plan_read_milestones, bm_plan_read_tasks,
    bm_plan_read_baselines, bm_plan_read_rankings, bm_plan_read_holidays
};

//  An indicator's precision, where not given: the most decimals its
//  numeric targets and milestones are written with ("1855.0": 1, "26": 0)
static void
s_derive_decimals (bm_plan_t *plan)
{
    for (size_t index = 0; index < plan->indicator_count; index++) {
        bm_plan_indicator_t *indicator = plan->indicators + index;
        if (indicator->decimals_given)
            continue;
        int decimals = 0;
        for (size_t target = 0; target < plan->target_count; target++) {
            const bm_plan_target_t *row = plan->targets + target;
            if (row->has_value && !streq (row->kind, "growth")
            &&  streq (row->indicator, indicator->code)
            &&  streq (row->measure, indicator->measure)) {
                int scale = bm_decimal_scale (row->value_text);
                decimals = scale > decimals? scale: decimals;
            }
        }
        for (size_t milestone = 0; milestone < plan->milestone_count; milestone++) {
            const bm_plan_milestone_t *row = plan->milestones + milestone;
            if (row->has_value && streq (row->indicator, indicator->code)
            &&  streq (row->measure, indicator->measure)) {
                int scale = bm_decimal_scale (row->value_text);
                decimals = scale > decimals? scale: decimals;
            }
        }
        indicator->decimals = decimals;
    }
}

bm_plan_t *
bm_plan_parse (const bm_plan_file_t *files, size_t count, zlist_t *errors)
{
    assert (files || count == 0);
    assert (errors);
    bm_plan_parser_t parser = {
        .plan = s_plan_new (),
        .units = zhashx_new (),
        .codes = zhashx_new (),
        .measures = zhashx_new ()
    };
    zhashx_set_destructor (parser.codes, s_free_item);

    const bm_plan_file_t *by_kind [BM_PLAN_FILE_KINDS] = { NULL };
    for (size_t index = 0; index < count; index++) {
        const char *name = files [index].name;
        int kind = s_file_kind (name);
        if (kind < 0)
            bm_plan_problem (&parser, -1, name, 0, 0,
                             _("not a plan file: a plan has plan.csv, units.csv, "
                             "indicators.csv, targets.csv, milestones.csv, tasks.csv, "
                             "baselines.csv, rankings.csv and holidays.csv"));
        else
        if (by_kind [kind])
            bm_plan_problem (&parser, kind, name, 0, 0,
                             _("given twice (also as %s): a plan has one %s"),
                             by_kind [kind]->name, s_file_names [kind]);
        else
            by_kind [kind] = &files [index];
    }
    for (int kind = 0; kind < BM_PLAN_FILE_KINDS; kind++) {
        const bm_plan_file_t *file = by_kind [kind];
        if (!file) {
            if (s_file_required [kind])
                bm_plan_problem (&parser, kind, s_file_names [kind], 0, 0,
                                 _("missing: a plan needs plan.csv, units.csv, "
                                 "indicators.csv and targets.csv"));
            continue;
        }
        assert (file->content || file->size == 0);
        bm_csv_error_t error;
        bm_csv_t *csv = bm_csv_parse (file->content, file->size, &error);
        if (csv) {
            s_readers [kind] (&parser, file->name, csv);
            bm_csv_destroy (&csv);
        }
        else
            bm_plan_problem (&parser, kind, file->name, error.line, error.column,
                             "%s", error.message);
    }

    bm_plan_t *plan = parser.plan;
    s_derive_decimals (plan);
    if (parser.problem_count) {
        s_report_problems (&parser, errors);
        bm_plan_destroy (&plan);
    }
    free (parser.problems);
    zhashx_destroy (&parser.units);
    zhashx_destroy (&parser.codes);
    zhashx_destroy (&parser.measures);
    return plan;
}

static int
s_name_compare (const void *a, const void *b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

static bool
s_is_plan_file (const char *name)
{
    size_t length = strlen (name);
    if (name [0] == '.' || strncmp (name, "~$", 2) == 0)
        return false;           //  hidden, or a spreadsheet's lock file
    return length > 4 && strcasecmp (name + length - 4, ".csv") == 0;
}

//  Read a whole file, or NULL with a problem appended to errors
static char *
s_read_file (const char *path, const char *name, size_t *size, zlist_t *errors)
{
    FILE *handle = fopen (path, "rb");
    struct stat status;
    if (!handle || fstat (fileno (handle), &status)) {
        s_append (errors, zsys_sprintf (_("%s: cannot read: %s"), name, strerror (errno)));
        if (handle)
            fclose (handle);
        return NULL;
    }
    if (status.st_size > S_MAX_FILE_SIZE) {
        s_append (errors, zsys_sprintf (
            _("%s: larger than 16 MiB (%lld bytes): is this really a plan file?"),
            name, (long long) status.st_size));
        fclose (handle);
        return NULL;
    }
    char *content = (char *) malloc ((size_t) status.st_size + 1);
    assert (content);
    *size = fread (content, 1, (size_t) status.st_size, handle);
    bool failed = ferror (handle) || *size != (size_t) status.st_size;
    fclose (handle);
    if (failed) {
        s_append (errors, zsys_sprintf (_("%s: cannot read it whole"), name));
        free (content);
        return NULL;
    }
    content [*size] = '\0';
    return content;
}

bm_plan_t *
bm_plan_parse_dir (const char *path, zlist_t *errors)
{
    assert (path);
    assert (errors);
    DIR *dir = opendir (path);
    if (!dir) {
        s_append (errors, zsys_sprintf (_("%s: cannot open the folder: %s"),
                                            path, strerror (errno)));
        return NULL;
    }
    char **names = NULL;
    size_t count = 0;
    size_t limit = 0;
    struct dirent *entry;
    while ((entry = readdir (dir))) {
        if (!s_is_plan_file (entry->d_name))
            continue;
        if (count == limit) {
            limit = limit? limit * 2: 8;
            names = (char **) realloc (names, limit * sizeof (char *));
            assert (names);
        }
        names [count++] = strdup (entry->d_name);
    }
    closedir (dir);
    if (count)
        qsort (names, count, sizeof (char *), s_name_compare);

    bm_plan_file_t *files = (bm_plan_file_t *) zmalloc ((count + 1) * sizeof (bm_plan_file_t));
    size_t loaded = 0;
    bool failed = false;
    for (size_t index = 0; index < count; index++) {
        char *file_path = zsys_sprintf ("%s/%s", path, names [index]);
        size_t size = 0;
        char *content = s_read_file (file_path, names [index], &size, errors);
        free (file_path);
        if (!content) {
            failed = true;
            continue;
        }
        files [loaded++] = (bm_plan_file_t) {
            .name = names [index], .content = content, .size = size
        };
    }
    bm_plan_t *plan = NULL;
    if (!failed)
        plan = bm_plan_parse (files, loaded, errors);

    for (size_t index = 0; index < loaded; index++)
        free ((char *) files [index].content);
    free (files);
    for (size_t index = 0; index < count; index++)
        free (names [index]);
    free (names);
    return plan;
}


//  --------------------------------------------------------------------------
//  Lookups

const bm_plan_indicator_t *
bm_plan_indicator (const bm_plan_t *self, const char *code, const char *measure)
{
    assert (self);
    assert (code);
    if (!measure)
        measure = "";
    for (size_t index = 0; index < self->indicator_count; index++)
        if (streq (self->indicators [index].code, code)
        &&  streq (self->indicators [index].measure, measure))
            return &self->indicators [index];
    return NULL;
}

const bm_plan_unit_t *
bm_plan_unit (const bm_plan_t *self, const char *name)
{
    assert (self);
    assert (name);
    for (size_t index = 0; index < self->unit_count; index++)
        if (streq (self->units [index].name, name))
            return &self->units [index];
    return NULL;
}
