/*  bm_judge: gathers a cell's facts from the book and judges it. */

#include "bm_judge.h"

#include <string.h>

#define S_FORMULA_DEPTH 8       //  the loader refuses cycles; a second guard

typedef struct {
    bool has_value;
    bm_decimal_t value;
    bool is_forecast;
    bool partial;               //  a district sum with units still to report
    bool summed;                //  the district's sum of its units
    bm_reported_t reported;
} s_actual_t;

static void
s_actual (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator, int unit,
          int month, int depth, s_actual_t *actual);

typedef struct {
    const bm_book_plan_t *plan;
    int unit;
    int month;
    int depth;
    bool forecast;              //  some operand is a forecast
    bool partial;               //  ...or a partial sum
} s_formula_context_t;

//  Looks up "code" or "code:measure" of the same plan
static bool
s_lookup (void *arg, const char *reference, bm_decimal_t *value)
{
    s_formula_context_t *context = (s_formula_context_t *) arg;
    char code [256];
    const char *colon = strchr (reference, ':');
    size_t length = colon? (size_t) (colon - reference): strlen (reference);
    if (length >= sizeof code)
        return false;
    memcpy (code, reference, length);
    code [length] = '\0';
    const bm_book_indicator_t *operand = bm_book_indicator (context->plan, code,
                                                            colon? colon + 1: "");
    if (!operand)
        return false;
    s_actual_t actual;
    s_actual (context->plan, operand, context->unit, context->month, context->depth + 1,
              &actual);
    if (!actual.has_value)
        return false;
    *value = actual.value;
    context->forecast |= actual.is_forecast;
    context->partial |= actual.partial;
    return true;
}

//  Units with a working target that have a figure for the month (counted
//  as figures are applied)
static uint32_t
s_units_in (const bm_book_indicator_t *indicator, int month)
{
    return indicator->sums [month - 1].expected_in;
}

size_t
bm_judge_missing (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                  int month, const char **units)
{
    size_t count = 0;
    for (size_t unit = 0; unit < plan->district->unit_count; unit++) {
        const bm_book_slot_t *slot = bm_book_slot (indicator, (int) unit);
        if ((int) unit != plan->district->district_unit && slot && slot->working_target
        &&  !bm_book_effective (slot, month))
            units [count++] = plan->district->units [unit].name;
    }
    return count;
}

static void
s_actual (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator, int unit,
          int month, int depth, s_actual_t *actual)
{
    *actual = (s_actual_t) { .has_value = false };
    if (indicator->kind == BM_KIND_RATIO) {
        if (depth > S_FORMULA_DEPTH || !indicator->parsed)
            return;
        s_formula_context_t context = { plan, unit, month, depth, false, false };
        actual->has_value = bm_formula_evaluate (indicator->parsed, s_lookup, &context,
                                                 &actual->value) == 0;
        //  Computed, it is shown and judged as the plan writes it (30.0%)
        if (actual->has_value)
            actual->value = bm_decimal_round (actual->value, indicator->decimals);
        actual->is_forecast = context.forecast;
        actual->partial = context.partial;
        return;
    }
    const bm_book_figure_t *own = bm_book_effective (bm_book_slot (indicator, unit), month);
    if (own) {
        actual->has_value = own->number.present;
        actual->value = own->number.value;
        actual->is_forecast = own == bm_book_slot (indicator, unit)->months [month - 1].latest
                                     + BM_BOOK_FORECAST;
        actual->reported = own->status;
    }
    if (unit == plan->district->district_unit) {
        const bm_book_sum_t *sum = indicator->sums + month - 1;
        if (!own && indicator->additive && sum->numeric > 0) {
            actual->has_value = true;
            actual->value = sum->sum;
            actual->is_forecast = sum->forecasts > 0;
            actual->summed = true;
            //  Some units only: partial until the final deadline has passed
            actual->partial = !plan->noted [month - 1][BM_BOOK_FINAL]
                           && s_units_in (indicator, month) < indicator->units_expected;
        }
    }
}

//  Last year's figure for the month: the unit's own, or for the district
//  of an additive indicator the sum of its units'
static bool
s_baseline (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator, int unit,
            int month, bm_decimal_t *value)
{
    const bm_book_slot_t *slot = bm_book_slot (indicator, unit);
    if (slot && slot->baselines [month - 1].present) {
        *value = slot->baselines [month - 1].value;
        return true;
    }
    if (unit != plan->district->district_unit || !indicator->additive)
        return false;
    //  Added when the plan was loaded
    *value = indicator->baseline_sums [month - 1];
    return indicator->has_baseline_sums [month - 1];
}

static bool
s_has_milestones (const bm_book_slot_t *slot)
{
    for (int month = 0; slot && month < 12; month++)
        if (slot->milestones [month].present)
            return true;
    return false;
}

//  The month's milestone: the unit's own, else its share of the district's
static void
s_milestone (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
             bm_view_t *view)
{
    bm_cell_facts_t *facts = &view->facts;
    const bm_book_slot_t *source = view->slot;
    bool share = false;
    if (!s_has_milestones (source) && !view->district) {
        source = bm_book_slot (indicator, plan->district->district_unit);
        share = true;
    }
    if (!s_has_milestones (source))
        return;                 //  the pace curve or 序时进度
    int at;
    const bm_book_milestone_t *milestone = bm_book_milestone (source, view->month, &at);
    //  Nothing expected: "/", before the first milestone, or for a unit a
    //  month whose district milestone is the lead section's text
    if (!milestone || milestone->none || (share && !milestone->number.present)) {
        facts->no_milestone = true;
        return;
    }
    if (share) {
        const bm_book_slot_t *district = source;
        if (!view->slot || !view->slot->targets.has_working
        ||  !district->targets.has_working || district->targets.working.micros <= 0)
            return;             //  nothing to take a share of: 序时进度
        facts->milestone_is_share = true;
        facts->share_of = district->targets.working;
    }
    facts->milestone = milestone->number.value;
    view->milestone = milestone;
    view->milestone_month = at;
    facts->milestone_month = at;
    facts->milestone_has_value = milestone->number.present;
}

void
bm_judge (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator, int unit,
          int month, bm_view_t *view)
{
    assert (month >= 1 && month <= 12);
    *view = (bm_view_t) { .plan = plan, .indicator = indicator, .unit = unit,
                          .month = month };
    view->district = unit == plan->district->district_unit;
    view->slot = bm_book_slot (indicator, unit);

    s_actual_t actual;
    s_actual (plan, indicator, unit, month, 0, &actual);
    view->actual_is_forecast = actual.is_forecast;
    view->summed = actual.summed;
    if (view->district) {
        view->units_reported = s_units_in (indicator, month);
        view->units_expected = indicator->units_expected;
    }

    bm_cell_facts_t *facts = &view->facts;
    facts->month = month;
    facts->kind = indicator->kind;
    facts->direction = indicator->direction;
    facts->thresholds = indicator->thresholds;
    facts->pace = indicator->has_pace? indicator->pace: NULL;
    facts->through_month = indicator->through_month;
    facts->has_decimals = true;
    facts->decimals = indicator->decimals;
    if (view->slot)
        facts->targets = view->slot->targets;
    if (indicator->kind == BM_KIND_AMOUNT)
        s_milestone (plan, indicator, view);
    facts->has_actual = actual.has_value;
    facts->actual = actual.value;
    facts->partial = actual.partial;
    facts->reported = actual.reported;
    facts->has_baseline = s_baseline (plan, indicator, unit, month, &facts->baseline);
    facts->has_december = s_baseline (plan, indicator, unit, 12, &facts->december);
    bm_cell_judge (facts, &view->cell);
}

int
bm_judge_actual (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                 int unit, int month, bm_decimal_t *value, bool *is_forecast)
{
    s_actual_t actual;
    s_actual (plan, indicator, unit, month, 0, &actual);
    *value = actual.value;
    if (is_forecast)
        *is_forecast = actual.is_forecast;
    return actual.has_value? 0: -1;
}
