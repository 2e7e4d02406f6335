/*  bm_plan_target: what a plan asks for, from targets.csv, milestones.csv
    and tasks.csv, each row checked against the units and indicators the
    plan defines.

    A target must fit its indicator's kind (bm_plan_kind.c): a ratio has
    level targets, a group none; only an amount has milestones.
*/

#include "bm_plan_private.h"
#include "bm_i18n.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#define S_EM_DASH "\xE2\x80\x94"        //  "—", no target


//  --------------------------------------------------------------------------
//  targets.csv

enum {
    TARGET_INDICATOR, TARGET_MEASURE, TARGET_UNIT, TARGET_ROLE, TARGET_KIND,
    TARGET_COMPARATOR, TARGET_VALUE, TARGET_TEXT, TARGET_NOTE
};

static const bm_plan_column_t s_target_columns [] = {
    { "indicator", true, N_("write the indicator's code") },
    { "measure", false, NULL },
    { "unit", true, N_("name the unit, or 全区 for the district as a whole") },
    { "role", false, NULL },
    { "kind", true, NULL },
    { "comparator", false, NULL },
    { "value", true, NULL },
    { "text", false, NULL },
    { "note", false, NULL },
    { NULL, false, NULL }
};

static const char *const s_roles [] = { "working", "assessment", NULL };
#define S_QUALITATIVE 3           //  in bm_plan_target_kinds

//  The comparator, by default >= (<= for a lower-is-better indicator)
static char *
s_target_comparator (bm_plan_table_t *table, const bm_plan_indicator_t *indicator)
{
    const char *text = bm_plan_table_text (table, TARGET_COMPARATOR);
    bool lower = indicator && indicator->direction == BM_LOWER_IS_BETTER;
    bm_comparator_t comparator = lower? BM_CMP_LE: BM_CMP_GE;
    if (!*text)
        return strdup (bm_comparator_name (comparator));
    if (!bm_plan_table_usable (table, TARGET_COMPARATOR))
        return strdup (text);
    if (bm_comparator_parse (text, &comparator) == 0)
        return strdup (bm_comparator_name (comparator));
    bm_plan_table_fail (table, TARGET_COMPARATOR,
                        _("comparator: \"%s\" is not >=, <=, =, > or <"), text);
    return strdup (text);
}

//  The value: a number, "—" for no target, or nothing (qualitative)
static void
s_target_value (bm_plan_table_t *table, bm_plan_target_t *target, int kind)
{
    const char *value = bm_plan_table_text (table, TARGET_VALUE);
    if (!bm_plan_table_usable (table, TARGET_VALUE))
        return;
    if (streq (value, S_EM_DASH))
        target->no_target = true;
    else
    if (streq (value, "-") || streq (value, "--") || streq (value, "\xE2\x80\x93")
    ||  streq (value, "——") || streq (value, "－") || streq (value, "/"))
        bm_plan_table_fail (table, TARGET_VALUE,
                            _("value: \"%s\" is not a number: write — (U+2014, "
                            "as in the documents) for no target"), value);
    else
    if (*value) {
        target->has_value = bm_plan_table_decimal (table, TARGET_VALUE, &target->value);
        if (target->has_value) {
            free (target->value_text);
            target->value_text = strdup (value);
        }
    }
    else
    if (kind >= 0 && kind != S_QUALITATIVE)
        bm_plan_table_fail (table, TARGET_VALUE,
                            _("value is empty: write the %s target, or — if this unit "
                            "has none (only a qualitative target has no value)"),
                            bm_plan_target_kinds [kind]);
    else
    if (kind == S_QUALITATIVE && !*target->text && bm_plan_table_usable (table, TARGET_TEXT))
        bm_plan_table_fail (table, TARGET_TEXT,
                            _("a qualitative target needs its text: write the target "
                            "as the documents do (持平, 不低于全市水平)"));
}

void
bm_plan_read_targets (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv)
{
    bm_plan_table_t table;
    bm_plan_table_start (&table, parser, BM_PLAN_FILE_TARGETS, name, s_target_columns,
                         TARGET_VALUE, csv);
    if (!table.header)
        return;
    size_t rows = bm_csv_row_count (csv);
    bm_plan_t *plan = parser->plan;
    plan->targets = (bm_plan_target_t *) bm_plan_allocate (rows, sizeof (bm_plan_target_t));
    zhashx_t *seen = zhashx_new ();
    for (size_t index = 1; index < rows; index++) {
        bm_plan_table_row (&table, bm_csv_row (csv, index));
        bm_plan_target_t *target = &plan->targets [plan->target_count++];
        target->line = table.row->line;
        target->value_text = strdup ("");
        target->indicator = bm_plan_table_string (&table, TARGET_INDICATOR);
        target->measure = bm_plan_table_string (&table, TARGET_MEASURE);
        target->unit = bm_plan_table_string (&table, TARGET_UNIT);
        const bm_plan_indicator_t *indicator =
            bm_plan_refer_indicator (&table, TARGET_INDICATOR, TARGET_MEASURE,
                                     target->indicator, target->measure);
        bm_plan_refer_unit (&table, TARGET_UNIT, target->unit, "unit");

        int role = bm_plan_table_choice (&table, TARGET_ROLE, s_roles, 0);
        target->role = strdup (role >= 0? s_roles [role]: bm_plan_table_text (&table, TARGET_ROLE));
        int kind = bm_plan_table_choice (&table, TARGET_KIND, bm_plan_target_kinds, -1);
        target->kind = strdup (bm_plan_table_text (&table, TARGET_KIND));
        if (indicator && kind >= 0)
            bm_plan_fit_target (&table, TARGET_KIND, indicator, kind);
        target->comparator = s_target_comparator (&table, indicator);
        target->text = bm_plan_table_string (&table, TARGET_TEXT);
        target->note = bm_plan_table_string (&table, TARGET_NOTE);
        s_target_value (&table, target, kind);

        if (*target->indicator && *target->unit && role >= 0 && kind >= 0) {
            char *key = zsys_sprintf ("%s\x1f%s\x1f%s\x1f%s\x1f%s", target->indicator,
                                      target->measure, target->unit, target->role,
                                      target->kind);
            char *what = zsys_sprintf (_("a %s %s target of \"%s\"%s%s%s for %s"),
                                       target->role, target->kind, target->indicator,
                                       *target->measure? " measure \"": "",
                                       target->measure, *target->measure? "\"": "",
                                       target->unit);
            bm_plan_refer_duplicate (&table, seen, TARGET_INDICATOR, key, what);
            free (key);
            free (what);
        }
    }
    zhashx_destroy (&seen);
}


//  --------------------------------------------------------------------------
//  milestones.csv

enum {
    MILESTONE_INDICATOR, MILESTONE_MEASURE, MILESTONE_UNIT, MILESTONE_MONTH,
    MILESTONE_VALUE, MILESTONE_SHARE, MILESTONE_TEXT, MILESTONE_NOTE
};

static const bm_plan_column_t s_milestone_columns [] = {
    { "indicator", true, N_("write the indicator's code") },
    { "measure", false, NULL },
    { "unit", false, NULL },
    { "month", true, NULL },
    { "value", false, NULL },
    { "share_pct", false, NULL },
    { "text", false, NULL },
    { "note", false, NULL },
    { NULL, false, NULL }
};

void
bm_plan_read_milestones (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv)
{
    bm_plan_table_t table;
    bm_plan_table_start (&table, parser, BM_PLAN_FILE_MILESTONES, name,
                         s_milestone_columns, -1, csv);
    if (!table.header)
        return;
    size_t rows = bm_csv_row_count (csv);
    bm_plan_t *plan = parser->plan;
    plan->milestones =
        (bm_plan_milestone_t *) bm_plan_allocate (rows, sizeof (bm_plan_milestone_t));
    zhashx_t *seen = zhashx_new ();
    for (size_t index = 1; index < rows; index++) {
        bm_plan_table_row (&table, bm_csv_row (csv, index));
        bm_plan_milestone_t *milestone = &plan->milestones [plan->milestone_count++];
        milestone->indicator = bm_plan_table_string (&table, MILESTONE_INDICATOR);
        milestone->measure = bm_plan_table_string (&table, MILESTONE_MEASURE);
        milestone->unit = bm_plan_table_string (&table, MILESTONE_UNIT);
        if (!*milestone->unit) {
            free (milestone->unit);
            milestone->unit = strdup (BM_DISTRICT_UNIT);
        }
        const bm_plan_indicator_t *indicator =
            bm_plan_refer_indicator (&table, MILESTONE_INDICATOR, MILESTONE_MEASURE,
                                     milestone->indicator, milestone->measure);
        if (indicator)
            bm_plan_fit_milestone (&table, MILESTONE_INDICATOR, indicator);
        bm_plan_refer_unit (&table, MILESTONE_UNIT, milestone->unit, "unit");
        bool has_month = bm_plan_table_whole (&table, MILESTONE_MONTH, 1, 12, &milestone->month);
        //  "/": the document marks the month as expecting nothing
        milestone->none = streq (bm_plan_table_text (&table, MILESTONE_VALUE), "/");
        milestone->has_value =
            *bm_plan_table_text (&table, MILESTONE_VALUE) && !milestone->none
            && bm_plan_table_decimal (&table, MILESTONE_VALUE, &milestone->value);
        milestone->has_share =
            *bm_plan_table_text (&table, MILESTONE_SHARE)
            && bm_plan_table_decimal (&table, MILESTONE_SHARE, &milestone->share_pct);
        milestone->value_text = strdup (milestone->has_value
                                        ? bm_plan_table_text (&table, MILESTONE_VALUE): "");
        milestone->share_text = strdup (milestone->has_share
                                        ? bm_plan_table_text (&table, MILESTONE_SHARE): "");
        milestone->text = bm_plan_table_string (&table, MILESTONE_TEXT);
        milestone->note = bm_plan_table_string (&table, MILESTONE_NOTE);
        if (milestone->none) {
            if (*milestone->text && !streq (milestone->text, "/"))
                bm_plan_table_fail (&table, MILESTONE_TEXT,
                                    _("a month marked \"/\" expects nothing: clear text "
                                    "\"%s\", or give the milestone instead of \"/\""),
                                    milestone->text);
            if (milestone->has_share)
                bm_plan_table_fail (&table, MILESTONE_SHARE,
                                    _("a month marked \"/\" expects nothing: clear share_pct"));
            free (milestone->text);
            milestone->text = strdup ("/");
        }

        if (!*bm_plan_table_text (&table, MILESTONE_VALUE) && !*milestone->text)
            bm_plan_table_fail (&table, MILESTONE_VALUE,
                                _("milestone has neither a value nor a text: give "
                                "the cumulative value expected, its text, or both"));
        if (*milestone->indicator && has_month) {
            char *key = zsys_sprintf ("%s\x1f%s\x1f%s\x1f%d", milestone->indicator,
                                      milestone->measure, milestone->unit,
                                      milestone->month);
            char *what = zsys_sprintf (_("a milestone of \"%s\"%s%s%s for %s in month %d"),
                                       milestone->indicator,
                                       *milestone->measure? " measure \"": "",
                                       milestone->measure, *milestone->measure? "\"": "",
                                       milestone->unit, milestone->month);
            bm_plan_refer_duplicate (&table, seen, MILESTONE_INDICATOR, key, what);
            free (key);
            free (what);
        }
    }
    zhashx_destroy (&seen);
}


//  --------------------------------------------------------------------------
//  tasks.csv

enum {
    TASK_LEVEL, TASK_SEQ, TASK_TITLE, TASK_LEADERS, TASK_SECTIONS,
    TASK_INDICATOR, TASK_MEASURES, TASK_OVERALL, TASK_BESIDE, TASK_NOTE
};

static const bm_plan_column_t s_task_columns [] = {
    { "level", true, NULL },
    { "seq", true, NULL },
    { "title", true, N_("write the task as the documents do") },
    { "leaders", false, NULL },
    { "sections", false, NULL },
    { "indicator", true, N_("write the code of the indicator the task is measured by") },
    { "measures", false, NULL },
    { "overall", false, NULL },
    { "beside", false, NULL },
    { "note", false, NULL },
    { NULL, false, NULL }
};

static const char *const s_levels [] = { "区级", "部门级", NULL };

//  How a composite task's status follows from its measures: "worst" when
//  the field is empty
static char *
s_task_overall (bm_plan_table_t *table)
{
    const char *text = bm_plan_table_text (table, TASK_OVERALL);
    bm_overall_t overall;
    if (!bm_plan_table_usable (table, TASK_OVERALL))
        return strdup (*text? text: bm_overall_name (BM_OVERALL_WORST));
    if (bm_overall_parse (text, &overall) == 0)
        return strdup (bm_overall_name (overall));
    bm_plan_table_fail (table, TASK_OVERALL,
                        _("overall: \"%s\" is not worst or average: with worst the worst "
                        "measure decides, with average the average completion"), text);
    return strdup (text);
}

//  Each space-separated section is a unit
static void
s_check_sections (bm_plan_table_t *table, const char *sections)
{
    char *copy = strdup (sections);
    char *state = NULL;
    for (char *unit = strtok_r (copy, " ", &state); unit; unit = strtok_r (NULL, " ", &state))
        bm_plan_refer_unit (table, TASK_SECTIONS, unit, "section");
    free (copy);
}

//  beside: '|'-separated codes of indicators shown beside the task's own
static void
s_check_beside (bm_plan_table_t *table, const char *task_code, const char *beside)
{
    bm_plan_parser_t *parser = table->parser;
    if (!*beside || !parser->indicators_known || !bm_plan_table_usable (table, TASK_BESIDE))
        return;
    char *copy = strdup (beside);
    char *state = NULL;
    for (char *code = strtok_r (copy, "|", &state); code; code = strtok_r (NULL, "|", &state)) {
        if (!zhashx_lookup (parser->codes, code))
            bm_plan_table_fail (table, TASK_BESIDE,
                                _("beside: \"%s\" is not a code in indicators.csv: add it "
                                "there or correct the code"), code);
        else
        if (streq (code, task_code))
            bm_plan_table_fail (table, TASK_BESIDE,
                                _("beside: \"%s\" is the task's own indicator: list only "
                                "the others shown beside it"), code);
        if (!bm_plan_table_usable (table, TASK_BESIDE))
            break;
    }
    free (copy);
}

//  The measures are '|'-separated measures of the indicator, each once
static void
s_check_measures (bm_plan_table_t *table, const char *code, const char *measures)
{
    bm_plan_parser_t *parser = table->parser;
    if (!*measures || !bm_plan_table_usable (table, TASK_MEASURES)
    ||  !parser->indicators_known || !bm_plan_table_usable (table, TASK_INDICATOR))
        return;
    bm_plan_code_t *info = (bm_plan_code_t *) zhashx_lookup (parser->codes, code);
    if (!info)
        return;
    if (!info->composite) {
        bm_plan_table_fail (table, TASK_MEASURES,
                            _("indicator \"%s\" has a single measure: leave measures empty"),
                            code);
        return;
    }
    zhashx_t *listed = zhashx_new ();
    const char *start = measures;
    while (bm_plan_table_usable (table, TASK_MEASURES)) {
        const char *end = strchr (start, '|');
        size_t length = end? (size_t) (end - start): strlen (start);
        char *measure = strndup (start, length);
        char *key = bm_plan_measure_key (code, measure);
        if (!zhashx_lookup (parser->measures, key)) {
            char *known = bm_plan_measure_list (parser->plan, code);
            bm_plan_table_fail (table, TASK_MEASURES,
                                _("measure \"%s\" is not a measure of indicator \"%s\": "
                                "use some of %s, separated by |"), measure, code, known);
            free (known);
        }
        else
        if (zhashx_lookup (listed, measure))
            bm_plan_table_fail (table, TASK_MEASURES, _("measure \"%s\" is listed twice"),
                                measure);
        zhashx_insert (listed, measure, (void *) 1);
        free (key);
        free (measure);
        if (!end)
            break;
        start = end + 1;
    }
    zhashx_destroy (&listed);
}

void
bm_plan_read_tasks (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv)
{
    bm_plan_table_t table;
    bm_plan_table_start (&table, parser, BM_PLAN_FILE_TASKS, name, s_task_columns, -1, csv);
    if (!table.header)
        return;
    size_t rows = bm_csv_row_count (csv);
    bm_plan_t *plan = parser->plan;
    plan->tasks = (bm_plan_task_t *) bm_plan_allocate (rows, sizeof (bm_plan_task_t));
    zhashx_t *seen = zhashx_new ();
    for (size_t index = 1; index < rows; index++) {
        bm_plan_table_row (&table, bm_csv_row (csv, index));
        bm_plan_task_t *task = &plan->tasks [plan->task_count++];
        int level = bm_plan_table_choice (&table, TASK_LEVEL, s_levels, -1);
        task->level = strdup (bm_plan_table_text (&table, TASK_LEVEL));
        bool has_seq = bm_plan_table_whole (&table, TASK_SEQ, 1, 9999, &task->seq);
        task->title = bm_plan_table_string (&table, TASK_TITLE);
        task->leaders = bm_plan_table_string (&table, TASK_LEADERS);
        task->sections = bm_plan_table_string (&table, TASK_SECTIONS);
        task->indicator = bm_plan_table_string (&table, TASK_INDICATOR);
        task->measures = bm_plan_table_string (&table, TASK_MEASURES);
        task->overall = s_task_overall (&table);
        task->beside = bm_plan_table_string (&table, TASK_BESIDE);
        task->note = bm_plan_table_string (&table, TASK_NOTE);
        s_check_beside (&table, task->indicator, task->beside);

        s_check_sections (&table, task->sections);
        if (parser->indicators_known && *task->indicator
        &&  bm_plan_table_usable (&table, TASK_INDICATOR)
        &&  !zhashx_lookup (parser->codes, task->indicator))
            bm_plan_table_fail (&table, TASK_INDICATOR,
                                _("indicator \"%s\" is not in indicators.csv: add it "
                                "there or correct the code"), task->indicator);
        s_check_measures (&table, task->indicator, task->measures);
        if (level >= 0 && has_seq) {
            char *key = zsys_sprintf ("%s\x1f%d", task->level, task->seq);
            char *what = zsys_sprintf (_("task %s %d"), task->level, task->seq);
            bm_plan_refer_duplicate (&table, seen, TASK_SEQ, key, what);
            free (key);
            free (what);
        }
    }
    zhashx_destroy (&seen);
}
