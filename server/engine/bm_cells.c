/*  bm_cells: a cell judged after something changed it, told to everyone. */

#include "bm_cells.h"
#include "bm_alerts.h"
#include "bm_judge.h"
#include "bm_plan.h"

const char *
bm_cells_publish (bm_engine_t *engine, bm_turn_t *turn, bm_arena_t *arena,
                  const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                  int unit, int month)
{
    bm_view_t view;
    bm_judge (plan, indicator, unit, month, &view);
    const bm_cell_t *cell = &view.cell;
    char actual [BM_DECIMAL_STR_MAX] = "", milestone [BM_DECIMAL_STR_MAX] = "";
    char vs_milestone [BM_DECIMAL_STR_MAX] = "", vs_annual [BM_DECIMAL_STR_MAX] = "";
    char period [BM_PERIOD_STR_MAX];
    bm_period_format ((bm_period_t) { plan->year, month }, period);
    if (view.facts.has_actual)
        bm_decimal_format (view.facts.actual, actual);
    //  The milestone as the plan writes it ("576.0"), or the unit's share
    if (view.milestone && view.milestone->number.present && !cell->expected_is_share)
        bm_number_format (&view.milestone->number, milestone);
    else
    if (cell->expected_is_share)
        bm_decimal_format (cell->expected, milestone);
    if (cell->has_vs_expected)
        bm_percent_format (cell->vs_expected, vs_milestone);
    if (cell->has_vs_annual)
        bm_percent_format (cell->vs_annual, vs_annual);
    const char *name = view.district? BM_DISTRICT_UNIT: plan->district->units [unit].name;
    Battlemap__CompletionEvent completion = BATTLEMAP__COMPLETION_EVENT__INIT;
    completion.district = (char *) plan->district->code;
    completion.unit = (char *) name;
    completion.indicator = (char *) indicator->code;
    completion.period = period;
    completion.measure = (char *) indicator->measure;
    completion.actual = actual;
    completion.actual_is_forecast = view.actual_is_forecast;
    completion.annual_target = (char *) (view.slot? view.slot->working_text: "");
    completion.milestone = milestone;
    completion.vs_milestone = vs_milestone;
    completion.vs_annual = vs_annual;
    completion.status = (char *) bm_status_name (cell->status);
    Battlemap__Event event = BATTLEMAP__EVENT__INIT;
    event.kind = "completion";
    event.payload_case = BATTLEMAP__EVENT__PAYLOAD_COMPLETION;
    event.completion = &completion;
    //  The completion first, then the alerts it causes
    char *topic = zsys_sprintf ("completion/%s/%s/%s/", plan->district->code, name,
                                indicator->code);
    bm_engine_event (engine, turn, topic, &event);
    free (topic);
    bm_alerts_cell (engine, turn, &view);
    return bm_arena_strdup (arena, vs_annual);
}

const char *
bm_cells_figure (bm_engine_t *engine, bm_turn_t *turn, bm_arena_t *arena,
                 const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                 int unit, int month)
{
    int district = plan->district->district_unit;
    //  The periods before this one are no longer what this cell is about
    bm_alerts_supersede (engine, turn, plan, indicator, unit, month);
    const char *completion = bm_cells_publish (engine, turn, arena, plan, indicator, unit,
                                               month);
    if (unit != district) {
        bm_alerts_supersede (engine, turn, plan, indicator, district, month);
        bm_cells_publish (engine, turn, arena, plan, indicator, district, month);
    }
    //  The ratios computed from it, for the unit and the district
    for (size_t index = 0; index < indicator->derived_count; index++) {
        const bm_book_indicator_t *ratio = plan->indicators + indicator->derived [index];
        if (bm_book_slot (ratio, unit)) {
            bm_alerts_supersede (engine, turn, plan, ratio, unit, month);
            bm_cells_publish (engine, turn, arena, plan, ratio, unit, month);
        }
        if (unit != district && bm_book_slot (ratio, district)) {
            bm_alerts_supersede (engine, turn, plan, ratio, district, month);
            bm_cells_publish (engine, turn, arena, plan, ratio, district, month);
        }
    }
    return completion;
}
