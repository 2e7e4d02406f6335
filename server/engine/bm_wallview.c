/*  bm_wallview: the battle map as the wall shows it. */

#include "bm_wallview.h"
#include "bm_plan.h"
#include "bm_rank.h"
#include "bm_wire.h"

#include <string.h>

//  ---------------------------------------------------------------------------
//  One measure

static char *
s_decimal (bm_arena_t *arena, bool present, bm_decimal_t value)
{
    char buf [BM_DECIMAL_STR_MAX];
    return bm_arena_strdup (arena, present? bm_decimal_format (value, buf): "");
}

static char *
s_percent (bm_arena_t *arena, bool present, int64_t tenths)
{
    char buf [BM_DECIMAL_STR_MAX];
    return bm_arena_strdup (arena, present? bm_percent_format (tenths, buf): "");
}

//  The target text the wall shows beside the numbers: what the plan wrote
//  comes first; numbers are added only where its words do not say them
static char *
s_target_text (bm_arena_t *arena, const bm_book_slot_t *slot)
{
    if (!slot)
        return "";
    char *text = bm_arena_strdup (arena, slot->annotation);
    if (slot->targets.has_growth && !strstr (text, "增长"))
        text = bm_arena_printf (arena, "%s%s增长%s%%", text, *text? "；": "", slot->growth_text);
    if (*slot->words && !strstr (text, slot->words))
        text = bm_arena_printf (arena, "%s%s%s", text, *text? "；": "", slot->words);
    if (slot->targets.has_assessment && !strstr (text, "考核"))
        text = bm_arena_printf (arena, "%s%s考核目标%s", text, *text? "；": "",
                                slot->assessment_text);
    return text;
}

void
bm_wallview_measure (const bm_view_t *view, bm_arena_t *arena, Battlemap__WallMeasure *out)
{
    const bm_book_indicator_t *indicator = view->indicator;
    const bm_book_slot_t *slot = view->slot;
    const bm_cell_t *cell = &view->cell;
    const bm_cell_facts_t *facts = &view->facts;
    char buf [BM_DECIMAL_STR_MAX];
    out->measure = bm_arena_strdup (arena, indicator->measure);
    out->indicator = bm_arena_strdup (arena, indicator->code);
    out->indicator_name = bm_arena_strdup (arena, indicator->name);
    out->unit_of_measure = bm_arena_strdup (arena, indicator->unit_of_measure);
    out->kind = bm_arena_strdup (arena, bm_kind_name (indicator->kind));
    //  A share is shown in its precision beside its computed value (30.0%)
    out->annual_target = indicator->kind == BM_KIND_RATIO && slot && slot->targets.has_working
                       ? bm_arena_strdup (arena, bm_decimal_format_fixed (
                             slot->targets.working, indicator->decimals, buf))
                       : bm_arena_strdup (arena, slot? slot->working_text: "");
    out->target_text = s_target_text (arena, slot);
    out->milestone_month = (uint32_t) view->milestone_month;
    //  The milestone as the plan writes it ("576.0"), or the unit's share
    //  of the district's
    out->milestone = bm_arena_strdup (arena, cell->expected_is_share
                                             ? bm_decimal_format_fixed (cell->expected,
                                                                        indicator->decimals,
                                                                        buf)
                                             : view->milestone && view->milestone->number.present
                                             ? bm_number_format (&view->milestone->number, buf)
                                             : "");
    out->milestone_text = bm_arena_strdup (arena, view->milestone? view->milestone->text: "");
    out->units_reported = view->units_reported;
    out->units_expected = view->units_expected;
    out->actual_is_forecast = view->actual_is_forecast;
    out->text_status = (Battlemap__MilestoneStatus) facts->reported;
    //  A computed ratio in its precision ("32.2", "30.0"); figures as sent
    out->actual = indicator->kind == BM_KIND_RATIO && facts->has_actual
                ? bm_arena_strdup (arena, bm_decimal_format_fixed (facts->actual,
                                                                   indicator->decimals, buf))
                : s_decimal (arena, facts->has_actual, facts->actual);
    out->baseline = s_decimal (arena, facts->has_baseline, facts->baseline);
    out->growth_target = bm_arena_strdup (arena, slot && slot->targets.has_growth
                                                 ? slot->growth_text: "");
    out->assessment_target = bm_arena_strdup (arena, slot && slot->targets.has_assessment
                                                     ? slot->assessment_text: "");
    out->vs_assessment = s_percent (arena, cell->has_vs_assessment, cell->vs_assessment);
    out->status = bm_arena_strdup (arena, bm_status_name (cell->status));
    //  What the month expects, in the indicator's precision
    out->expected = cell->expected_is_level
                  ? bm_arena_strdup (arena, out->annual_target)
                  : cell->has_expected
                  ? bm_arena_strdup (arena, bm_decimal_format_fixed (cell->expected,
                                                                     indicator->decimals, buf))
                  : bm_arena_strdup (arena, "");
    out->expected_is_pace = cell->expected_is_pace;
    out->vs_milestone = s_percent (arena, cell->has_vs_expected, cell->vs_expected);
    out->vs_annual = s_percent (arena, cell->has_vs_annual, cell->vs_annual);
    out->growth = s_percent (arena, cell->has_growth, cell->growth);
    out->growth_gap = s_percent (arena, cell->has_growth_gap, cell->growth_gap);
    out->projection = bm_arena_strdup (arena, cell->has_projection
                                              ? bm_decimal_format_fixed (cell->projection, 2, buf)
                                              : "");
    out->vs_projection = s_percent (arena, cell->has_vs_projection, cell->vs_projection);
    out->comparator = bm_arena_strdup (arena, cell->expected_is_level
                                              ? bm_comparator_name (facts->targets.comparator)
                                              : "");
    out->judgement = bm_arena_strdup (arena, cell->has_judgement
                                             ? bm_judgement_name (cell->judgement): "");
    out->warning = bm_arena_strdup (arena, "");
    //  What the plan notes on a unit's own targets (重固镇's 战新 above its
    //  规上); the district's wall carries its tasks' notes instead
    out->note = bm_arena_strdup (arena, slot && !view->district? slot->note: "");
    //  A text milestone's status reported with a number
    if (facts->reported && facts->has_actual)
        out->text_milestone_status = bm_arena_strdup (arena, bm_wire_status_name (
            (Battlemap__MilestoneStatus) facts->reported));
    //  The note sent with the figure: a lead section's 进展说明
    const bm_book_figure_t *figure = bm_book_effective (slot, view->month);
    if (figure && figure->note && *figure->note) {
        out->progress_note = bm_arena_strdup (arena, figure->note);
        //  Who: the sender's name, without its key ("经济运行科 <key>")
        const char *by = figure->by? figure->by: "";
        const char *key = strstr (by, " <");
        out->progress_by = key? bm_arena_printf (arena, "%.*s", (int) (key - by), by)
                              : bm_arena_strdup (arena, by);
    }
    //  The district's units that have not reported, while it is their sum
    if (view->district && view->units_reported < view->units_expected
    &&  indicator->additive && !(figure && figure->present)) {
        const char **missing = bm_arena_alloc (arena, (view->plan->district->unit_count + 1)
                                                      * sizeof (char *));
        out->n_units_missing = bm_judge_missing (view->plan, indicator, view->month, missing);
        out->units_missing = (char **) missing;
    }
}

//  ---------------------------------------------------------------------------
//  The wall

//  True if `measure` is in the "|"-separated `subset` ("" = all)
static bool
s_in_subset (const char *subset, const char *measure)
{
    if (!*subset)
        return true;
    size_t length = strlen (measure);
    for (const char *p = subset; p && *p; ) {
        const char *end = strchr (p, '|');
        size_t part = end? (size_t) (end - p): strlen (p);
        if (part == length && memcmp (p, measure, length) == 0)
            return true;
        p = end? end + 1: NULL;
    }
    return false;
}

//  The unit's rank among the units with a target for the indicator
static void
s_rank (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator, int unit,
        int month, bm_arena_t *arena, Battlemap__WallMeasure *measure)
{
    bm_rank_t rank;
    bm_rank_indicator (plan, indicator, month, 0, arena, &rank);
    const char *name = plan->district->units [unit].name;
    for (size_t index = 0; index < rank.ranked && rank.ranked > 1; index++)
        if (rank.entries [index].unit == name) {
            measure->rank = (uint32_t) rank.entries [index].rank;
            measure->rank_of = (uint32_t) rank.ranked;
            measure->rank_warned = rank.entries [index].warned;
        }
}

//  A task's measures for the unit (the district's when `district`), and
//  its overall status
static void
s_fill_measures (const bm_book_plan_t *plan, int unit, int month, bool district,
                 const char *code, const char *subset, const char *beside, bm_arena_t *arena,
                 Battlemap__WallTask *task)
{
    int shown = district? plan->district->district_unit: unit;
    task->measures = bm_arena_alloc (arena, (plan->indicator_count + 1) * sizeof (void *));
    bm_status_t *statuses = bm_arena_alloc (arena, (plan->indicator_count + 1)
                                                   * sizeof (bm_status_t));
    bool *has_rate = bm_arena_alloc (arena, (plan->indicator_count + 1) * sizeof (bool));
    int64_t *rates = bm_arena_alloc (arena, (plan->indicator_count + 1) * sizeof (int64_t));
    for (size_t index = 0; index < plan->indicator_count; index++) {
        const bm_book_indicator_t *indicator = plan->indicators + index;
        bool own = streq (indicator->code, code) && s_in_subset (subset, indicator->measure);
        //  Shown beside the task's own: its share (区级4)
        if (!own && !(*beside && s_in_subset (beside, indicator->code)))
            continue;
        //  A unit's own indicators show the measures it has a target for
        const bm_book_slot_t *slot = bm_book_slot (indicator, shown);
        if (!district && (!slot || !slot->any_target))
            continue;
        bm_view_t view;
        bm_judge (plan, indicator, shown, month, &view);
        Battlemap__WallMeasure *measure = bm_arena_alloc (arena, sizeof *measure);
        battlemap__wall_measure__init (measure);
        bm_wallview_measure (&view, arena, measure);
        measure->beside = !own;
        if (district && indicator->additive && indicator->kind == BM_KIND_AMOUNT)
            measure->warning = (char *) indicator->decomposition;
        if (!district)
            s_rank (plan, indicator, unit, month, arena, measure);
        statuses [task->n_measures] = view.cell.status;
        has_rate [task->n_measures] = view.cell.has_vs_expected;
        rates [task->n_measures] = view.cell.vs_expected;
        task->measures [task->n_measures++] = measure;
    }
    //  A composite task's overall status follows from its measures
    bm_overall_t rule = BM_OVERALL_WORST;
    bm_overall_parse (task->overall_rule, &rule);
    bm_thresholds_t thresholds = { 0, 0 };
    bool has_average = false;
    int64_t average = 0;
    bm_status_t overall = bm_evaluate_overall (rule, task->n_measures, statuses, has_rate, rates,
                                               thresholds, &has_average, &average);
    task->overall_status = bm_arena_strdup (arena, bm_status_name (overall));
    if (has_average) {
        char buf [BM_DECIMAL_STR_MAX];
        task->overall_rate = bm_arena_strdup (arena, bm_percent_format (average, buf));
    }
}

static Battlemap__WallTask *
s_task (bm_arena_t *arena, const char *level, int seq, const char *title, const char *leaders,
        const char *sections, const char *code, const char *name, const char *overall)
{
    Battlemap__WallTask *task = bm_arena_alloc (arena, sizeof *task);
    battlemap__wall_task__init (task);
    task->level = bm_arena_strdup (arena, level);
    task->seq = (uint32_t) seq;
    task->title = bm_arena_strdup (arena, title);
    task->leaders = bm_arena_strdup (arena, leaders);
    task->sections = bm_arena_strdup (arena, sections);
    task->indicator = bm_arena_strdup (arena, code);
    task->indicator_name = bm_arena_strdup (arena, name);
    task->overall_rule = bm_arena_strdup (arena, overall);
    task->note = "";
    return task;
}

//  The name of an indicator code (its first row)
static const char *
s_code_name (const bm_book_plan_t *plan, const char *code)
{
    for (size_t index = 0; index < plan->indicator_count; index++)
        if (streq (plan->indicators [index].code, code))
            return plan->indicators [index].name;
    return "";
}

//  True if a task of the battle map shows this indicator measure: as its
//  own, or beside its own
static bool
s_in_task (const bm_book_plan_t *plan, const char *code, const char *measure)
{
    for (size_t index = 0; index < plan->task_count; index++) {
        const bm_book_task_t *task = plan->tasks + index;
        if ((streq (task->indicator, code) && s_in_subset (task->measures, measure))
        ||  (*task->beside && s_in_subset (task->beside, code)))
            return true;
    }
    return false;
}

//  The measures of a code the district's --all shows: those with a
//  district target that no task shows, "|"-separated ("" if none)
static char *
s_untasked (const bm_book_plan_t *plan, const char *code, int unit, bm_arena_t *arena)
{
    char *list = "";
    bool any = false;
    for (size_t index = 0; index < plan->indicator_count; index++) {
        const bm_book_indicator_t *indicator = plan->indicators + index;
        const bm_book_slot_t *slot = bm_book_slot (indicator, unit);
        if (!streq (indicator->code, code) || !slot || !slot->any_target
        ||  s_in_task (plan, code, indicator->measure))
            continue;
        list = bm_arena_printf (arena, "%s%s%s", list, any? "|": "", indicator->measure);
        any = true;
    }
    return any? list: NULL;
}

Battlemap__WallReply *
bm_wallview_wall (const bm_book_plan_t *plan, int unit, int month, bool all,
                  const char *as_of, bm_arena_t *arena)
{
    const bm_book_district_t *district = plan->district;
    bool whole = unit == district->district_unit;
    Battlemap__WallReply *reply = bm_arena_alloc (arena, sizeof *reply);
    battlemap__wall_reply__init (reply);
    char period [BM_PERIOD_STR_MAX];
    bm_period_format ((bm_period_t) { plan->year, month }, period);
    reply->as_of = bm_arena_strdup (arena, as_of);
    reply->district = bm_arena_strdup (arena, district->code);
    reply->district_name = bm_arena_strdup (arena, district->name);
    reply->period = bm_arena_strdup (arena, period);
    reply->unit = bm_arena_strdup (arena, whole? BM_DISTRICT_UNIT: district->units [unit].name);
    reply->tasks = bm_arena_alloc (arena, (plan->task_count + plan->indicator_count + 1)
                                          * sizeof (void *));
    //  The battle map's tasks: all of them for the district; for a unit,
    //  those it leads, with the district's figures
    for (size_t index = 0; index < plan->task_count; index++) {
        const bm_book_task_t *row = plan->tasks + index;
        if (!whole && !bm_book_leads (plan, row, unit))
            continue;
        Battlemap__WallTask *task = s_task (arena, row->level, row->seq, row->title,
                                            row->leaders, row->sections, row->indicator,
                                            s_code_name (plan, row->indicator), row->overall);
        task->note = bm_arena_strdup (arena, row->note);
        s_fill_measures (plan, unit, month, true, row->indicator, row->measures, row->beside,
                         arena, task);
        reply->tasks [reply->n_tasks++] = task;
    }
    //  A unit's own indicators: those it has a target for; for the district
    //  with `all`, those with a district target that no task shows. One
    //  task a code, in the order of its first measure.
    if (whole && !all)
        return reply;
    for (size_t index = 0; index < plan->indicator_count; index++) {
        const bm_book_indicator_t *indicator = plan->indicators + index;
        const bm_book_slot_t *slot = bm_book_slot (indicator, unit);
        if (!slot || !slot->any_target
        ||  (whole && s_in_task (plan, indicator->code, indicator->measure)))
            continue;
        //  Its first measure shown here places it; the others follow it
        bool shown = false;
        for (size_t before = 0; before < index && !shown; before++) {
            const bm_book_indicator_t *earlier = plan->indicators + before;
            const bm_book_slot_t *theirs = bm_book_slot (earlier, unit);
            shown = streq (earlier->code, indicator->code) && theirs && theirs->any_target
                 && !(whole && s_in_task (plan, earlier->code, earlier->measure));
        }
        if (shown)
            continue;
        //  The district's: the measures its tasks do not show
        const char *subset = whole? s_untasked (plan, indicator->code, unit, arena): "";
        Battlemap__WallTask *task = s_task (arena, "", indicator->position, indicator->name,
                                            "", "", indicator->code, indicator->name, "worst");
        s_fill_measures (plan, unit, month, whole, indicator->code, subset? subset: "", "",
                         arena, task);
        reply->tasks [reply->n_tasks++] = task;
    }
    return reply;
}

//  ---------------------------------------------------------------------------
//  The template

//  One row of the template: a unit's (or, for a lead section, the
//  district's) indicator measure
static Battlemap__TemplateRow *
s_template_row (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator, int unit,
                int month, const bm_book_task_t *task, bm_arena_t *arena)
{
    const bm_book_slot_t *slot = bm_book_slot (indicator, unit);
    Battlemap__TemplateRow *row = bm_arena_alloc (arena, sizeof *row);
    battlemap__template_row__init (row);
    row->indicator = bm_arena_strdup (arena, indicator->code);
    row->indicator_name = bm_arena_strdup (arena, indicator->name);
    row->measure = bm_arena_strdup (arena, indicator->measure);
    row->unit_of_measure = bm_arena_strdup (arena, indicator->unit_of_measure);
    row->unit = bm_arena_strdup (arena, plan->district->units [unit].name);
    if (task)
        row->task = bm_arena_printf (arena, "%s%d %s", task->level, task->seq, task->title);
    bm_view_t view;
    bm_judge (plan, indicator, unit, month, &view);
    Battlemap__WallMeasure measure = BATTLEMAP__WALL_MEASURE__INIT;
    bm_wallview_measure (&view, arena, &measure);
    row->annual_target = measure.annual_target;
    row->target_text = measure.target_text;
    if (view.milestone_month == month) {
        row->milestone = measure.milestone;
        row->milestone_text = measure.milestone_text;
    }
    row->takes_status = view.cell.text_milestone
                     || (view.milestone && *view.milestone->text && !view.milestone->none);
    //  The last value sent, in this month or before: a final before a forecast
    for (int at = month; at >= 1; at--) {
        const bm_book_figure_t *last = bm_book_effective (slot, at);
        if (!last)
            continue;
        char buf [BM_DECIMAL_STR_MAX], period [BM_PERIOD_STR_MAX];
        bm_period_format ((bm_period_t) { plan->year, at }, period);
        row->last_period = bm_arena_strdup (arena, period);
        row->last_value = bm_arena_strdup (arena, last->number.present
            ? bm_number_format (&last->number, buf)
            : bm_wire_status_name ((Battlemap__MilestoneStatus) last->status));
        row->last_kind = last == slot->months [at - 1].latest + BM_BOOK_FINAL
                       ? BATTLEMAP__FIGURE_KIND__FINAL: BATTLEMAP__FIGURE_KIND__FORECAST;
        break;
    }
    return row;
}

Battlemap__TemplateReply *
bm_wallview_template (const bm_book_plan_t *plan, int unit, int month, bm_arena_t *arena)
{
    const bm_book_district_t *district = plan->district;
    Battlemap__TemplateReply *reply = bm_arena_alloc (arena, sizeof *reply);
    battlemap__template_reply__init (reply);
    char period [BM_PERIOD_STR_MAX];
    bm_period_format ((bm_period_t) { plan->year, month }, period);
    reply->district = bm_arena_strdup (arena, district->code);
    reply->unit = bm_arena_strdup (arena, unit == district->district_unit
                                          ? BM_DISTRICT_UNIT: district->units [unit].name);
    reply->period = bm_arena_strdup (arena, period);
    size_t room = 2 * plan->indicator_count + 1;
    reply->rows = bm_arena_alloc (arena, room * sizeof (void *));
    //  The unit's own indicators
    for (size_t index = 0; index < plan->indicator_count; index++) {
        const bm_book_indicator_t *indicator = plan->indicators + index;
        const bm_book_slot_t *slot = bm_book_slot (indicator, unit);
        if (slot && slot->any_target && indicator->kind != BM_KIND_RATIO)
            reply->rows [reply->n_rows++] = s_template_row (plan, indicator, unit, month,
                                                            NULL, arena);
    }
    //  A lead section's tasks: the district's figures of their measures
    if (unit == district->district_unit)
        return reply;
    for (size_t index = 0; index < plan->task_count; index++) {
        const bm_book_task_t *task = plan->tasks + index;
        if (!bm_book_leads (plan, task, unit))
            continue;
        for (size_t at = 0; at < plan->indicator_count && reply->n_rows < room; at++) {
            const bm_book_indicator_t *indicator = plan->indicators + at;
            if (!streq (indicator->code, task->indicator) || indicator->kind == BM_KIND_RATIO
            ||  !s_in_subset (task->measures, indicator->measure))
                continue;
            reply->rows [reply->n_rows++] = s_template_row (plan, indicator,
                                                            district->district_unit, month,
                                                            task, arena);
        }
    }
    return reply;
}
