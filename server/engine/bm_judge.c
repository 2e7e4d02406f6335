/*  bm_judge: gathers a cell's facts from the book and judges it. */

#include "bm_judge.h"

#include <string.h>

#define S_FORMULA_DEPTH 8       //  the loader refuses cycles; a second guard

typedef struct {
    bool has_value;
    bm_decimal_t value;
    bool is_forecast;
    bm_reported_t reported;
    uint32_t units_reported;
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
    return true;
}

static void
s_actual (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator, int unit,
          int month, int depth, s_actual_t *actual)
{
    *actual = (s_actual_t) { .has_value = false };
    if (indicator->kind == BM_KIND_RATIO) {
        if (depth > S_FORMULA_DEPTH || !indicator->parsed)
            return;
        s_formula_context_t context = { plan, unit, month, depth, false };
        actual->has_value = bm_formula_evaluate (indicator->parsed, s_lookup, &context,
                                                 &actual->value) == 0;
        actual->is_forecast = context.forecast;
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
        actual->units_reported = sum->reported;
        if (!own && indicator->additive && sum->numeric > 0) {
            actual->has_value = true;
            actual->value = sum->sum;
            actual->is_forecast = sum->forecasts > 0;
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
    bool found = false;
    bm_decimal_t sum = { 0 };
    for (size_t other = 0; other < plan->district->unit_count; other++) {
        const bm_book_slot_t *units = bm_book_slot (indicator, (int) other);
        if ((int) other != unit && units && units->baselines [month - 1].present) {
            sum = bm_decimal_add (sum, units->baselines [month - 1].value);
            found = true;
        }
    }
    *value = sum;
    return found;
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
    view->milestone = bm_book_milestone (view->slot, month, &view->milestone_month);

    s_actual_t actual;
    s_actual (plan, indicator, unit, month, 0, &actual);
    view->actual_is_forecast = actual.is_forecast;
    view->units_reported = actual.units_reported;
    if (view->district)
        view->units_expected = indicator->units_expected;

    bm_cell_facts_t *facts = &view->facts;
    facts->month = month;
    facts->kind = indicator->kind;
    facts->direction = indicator->direction;
    facts->thresholds = indicator->thresholds;
    facts->pace = indicator->has_pace? indicator->pace: NULL;
    if (view->slot)
        facts->targets = view->slot->targets;
    if (view->milestone) {
        facts->milestone_month = view->milestone_month;
        facts->milestone_has_value = view->milestone->number.present;
        facts->milestone = view->milestone->number.value;
    }
    facts->has_actual = actual.has_value;
    facts->actual = actual.value;
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
