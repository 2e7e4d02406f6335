/*  bm_state: where one indicator measure stands for one unit in one month.

    Reads the facts (bm_facts) and judges them by the indicator's kind with
    the pure domain rules of bm_completion and bm_evaluate; the rules
    themselves are documented in deploy/plans/README.md.
*/

#include "bm_state.h"
#include "bm_completion.h"
#include "bm_db.h"
#include "bm_facts.h"
#include "bm_wire.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

static char *
s_format (bm_arena_t *arena, bm_decimal_t value)
{
    char buf [BM_DECIMAL_STR_MAX];
    return bm_arena_strdup (arena, bm_decimal_format (value, buf));
}

static char *
s_percent (bm_arena_t *arena, bool present, int64_t tenths)
{
    char buf [BM_DECIMAL_STR_MAX];
    return bm_arena_strdup (arena, present? bm_percent_format (tenths, buf): "");
}

//  The target text the wall shows beside the numbers
static char *
s_target_text (bm_arena_t *arena, const bm_facts_targets_t *targets)
{
    //  What the plan wrote comes first; numbers are added only where the
    //  plan's words do not already say them
    char *text = bm_arena_strdup (arena, targets->annotation);
    if (targets->has_growth && !strstr (text, "增长"))
        text = bm_arena_printf (arena, "%s%s增长%s%%", text, *text? "；": "",
                                targets->growth_text);
    if (*targets->words && !strstr (text, targets->words))
        text = bm_arena_printf (arena, "%s%s%s", text, *text? "；": "", targets->words);
    if (targets->has_assessment && !strstr (text, "考核"))
        text = bm_arena_printf (arena, "%s%s考核目标%s", text, *text? "；": "",
                                targets->assessment_text);
    return text;
}

//  Achieved growth against last year's figure, shown for amounts and growth
static void
s_growth (bm_arena_t *arena, const bm_facts_indicator_t *indicator,
          const bm_facts_targets_t *targets, const bm_facts_actual_t *actual,
          bool has_baseline, bm_decimal_t baseline, Battlemap__WallMeasure *measure,
          bm_status_t *status)
{
    bm_growth_input_t input = {
        .direction = indicator->direction, .target_growth = targets->growth,
        .has_actual = actual->has_value, .actual = actual->value,
        .has_baseline = has_baseline, .baseline = baseline,
        .thresholds = indicator->thresholds
    };
    bm_growth_t growth;
    bm_evaluate_growth (&input, &growth);
    if (growth.has_growth) {
        measure->growth = s_percent (arena, true, growth.growth_tenths);
        if (targets->has_growth)
            measure->growth_gap = s_percent (arena, true, growth.gap_tenths);
    }
    if (indicator->kind == BM_KIND_GROWTH) {
        measure->vs_milestone = s_percent (arena, growth.has_rate, growth.rate_tenths);
        *status = growth.status;
    }
}

//  An amount: milestone, pace curve or 序时进度; text milestones by status
static void
s_amount (bm_arena_t *arena, const bm_facts_indicator_t *indicator,
          const bm_facts_targets_t *targets, const bm_facts_milestone_t *milestone,
          const bm_facts_actual_t *actual, int month, Battlemap__WallMeasure *measure,
          bm_status_t *status)
{
    bm_completion_input_t input = {
        .direction = indicator->direction,
        .has_target = targets->has_working, .target = targets->working,
        .month = month, .has_actual = actual->has_value, .actual = actual->value,
        .on_track_tenths = indicator->thresholds.on_track_tenths,
        .at_risk_tenths = indicator->thresholds.at_risk_tenths
    };
    if (milestone->has_value) {
        input.has_milestone = true;
        input.milestone = milestone->value;
    }
    else
    if (targets->has_working && indicator->has_pace
    &&  indicator->direction == BM_HIGHER_IS_BETTER) {
        input.has_milestone = true;
        input.milestone = bm_pace_expected (targets->working, indicator->pace, month);
        measure->expected_is_pace = true;
    }
    bm_completion_t completion;
    bm_completion_compute (&input, &completion);
    if (completion.has_expected) {
        measure->expected = s_format (arena, completion.expected);
        measure->expected_is_pace |= completion.expected_is_pace;
    }
    measure->vs_milestone = s_percent (arena, completion.has_vs_expected, completion.vs_expected);
    measure->vs_annual = s_percent (arena, completion.has_vs_annual, completion.vs_annual);
    *status = completion.status;
    //  A month whose milestone is text only is judged by the status reported
    if (milestone->month && !milestone->has_value && !actual->has_value)
        *status = bm_evaluate_text_milestone (milestone->month, month, actual->reported);
}

int
bm_state_measure (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                  const char *unit_id, bool district, bm_period_t period,
                  Battlemap__WallMeasure *measure)
{
    bm_facts_indicator_t indicator;
    bm_facts_targets_t targets;
    bm_facts_milestone_t milestone;
    bm_facts_actual_t actual;
    if (bm_facts_indicator (db, arena, indicator_id, &indicator)
    ||  bm_facts_targets (db, arena, indicator_id, unit_id, &targets)
    ||  bm_facts_milestone (db, arena, indicator_id, unit_id, period.month, &milestone)
    ||  bm_facts_actual (db, &indicator, unit_id, district, period, &actual))
        return -1;
    if (district && bm_facts_units_expected (db, indicator_id, &measure->units_expected))
        return -1;
    bool has_baseline = false, has_december = false;
    bm_decimal_t baseline = { 0 }, december = { 0 };
    if (bm_facts_baseline (db, &indicator, unit_id, district, period.year - 1, period.month,
                           &has_baseline, &baseline)
    ||  bm_facts_baseline (db, &indicator, unit_id, district, period.year - 1, 12,
                           &has_december, &december))
        return -1;

    measure->measure = bm_arena_strdup (arena, indicator.measure);
    measure->unit_of_measure = bm_arena_strdup (arena, indicator.unit_of_measure);
    measure->kind = bm_arena_strdup (arena, bm_kind_name (indicator.kind));
    measure->annual_target = bm_arena_strdup (arena, targets.working_text);
    measure->target_text = s_target_text (arena, &targets);
    measure->milestone_month = (uint32_t) milestone.month;
    measure->milestone = bm_arena_strdup (arena, milestone.value_text);
    measure->milestone_text = bm_arena_strdup (arena, milestone.text);
    measure->units_reported = actual.units_reported;
    measure->actual_is_forecast = actual.is_forecast;
    measure->text_status = (Battlemap__MilestoneStatus) actual.reported;
    if (actual.has_value)
        measure->actual = s_format (arena, actual.value);
    if (has_baseline)
        measure->baseline = s_format (arena, baseline);
    if (targets.has_growth)
        measure->growth_target = bm_arena_strdup (arena, targets.growth_text);
    if (targets.has_assessment) {
        measure->assessment_target = bm_arena_strdup (arena, targets.assessment_text);
        int64_t tenths;
        if (actual.has_value
        &&  bm_completion_rate (indicator.direction, actual.value, targets.assessment,
                                &tenths) == 0)
            measure->vs_assessment = s_percent (arena, true, tenths);
    }

    bm_status_t status = BM_STATUS_NO_TARGET;
    switch (indicator.kind) {
        case BM_KIND_AMOUNT: {
            s_amount (arena, &indicator, &targets, &milestone, &actual, period.month,
                      measure, &status);
            s_growth (arena, &indicator, &targets, &actual, has_baseline, baseline,
                      measure, &status);
            bm_decimal_t projection;
            if (actual.has_value && targets.has_working
            &&  bm_evaluate_projection (actual.value, period.month, has_baseline && has_december,
                                        baseline, december, &projection)) {
                char buf [BM_DECIMAL_STR_MAX];
                measure->projection = bm_arena_strdup (arena,
                    bm_decimal_format_fixed (projection, 2, buf));
                int64_t tenths;
                if (bm_completion_rate (indicator.direction, projection, targets.working,
                                        &tenths) == 0)
                    measure->vs_projection = s_percent (arena, true, tenths);
            }
            break;
        }
        case BM_KIND_GROWTH:
            s_growth (arena, &indicator, &targets, &actual, has_baseline, baseline,
                      measure, &status);
            if (!targets.has_growth)
                status = actual.has_value? BM_STATUS_NO_TARGET: BM_STATUS_NOT_REPORTED;
            break;
        case BM_KIND_LEVEL:
        case BM_KIND_RATIO: {
            if (!targets.has_working) {
                status = actual.has_value? BM_STATUS_NO_TARGET: BM_STATUS_NOT_REPORTED;
                break;
            }
            bm_level_input_t input = {
                .direction = indicator.direction, .comparator = targets.comparator,
                .target = targets.working, .has_actual = actual.has_value,
                .actual = actual.value, .thresholds = indicator.thresholds
            };
            bm_level_t level;
            bm_evaluate_level (&input, &level);
            measure->comparator = bm_arena_strdup (arena, bm_comparator_name (targets.comparator));
            measure->expected = bm_arena_strdup (arena, targets.working_text);
            measure->vs_milestone = s_percent (arena, level.has_rate, level.rate_tenths);
            measure->vs_annual = measure->vs_milestone;
            status = level.status;
            break;
        }
        case BM_KIND_QUALITATIVE: {
            bm_qualitative_input_t input = {
                .judgement = bm_judgement_parse (targets.words),
                .direction = indicator.direction,
                .has_actual = actual.has_value, .actual = actual.value,
                .has_baseline = has_baseline, .baseline = baseline,
                .reported = actual.reported
            };
            bm_qualitative_t judged;
            bm_evaluate_qualitative (&input, &judged);
            measure->judgement = bm_arena_strdup (arena, bm_judgement_name (input.judgement));
            if (judged.has_change)
                measure->growth = s_percent (arena, true, judged.change_tenths);
            status = judged.status;
            break;
        }
        case BM_KIND_GROUP:
            status = BM_STATUS_NO_TARGET;
            break;
    }
    if (targets.no_target && !targets.has_working && !targets.has_growth && !*targets.words)
        status = BM_STATUS_NO_TARGET;
    measure->status = bm_arena_strdup (arena, bm_status_name (status));
    return 0;
}

int
bm_state_update (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                 const char *unit_id, bool district, bm_period_t period,
                 Battlemap__CompletionEvent *event, Battlemap__WallMeasure **measure_p)
{
    Battlemap__WallMeasure *measure = bm_arena_alloc (arena, sizeof *measure);
    if (measure_p)
        *measure_p = measure;
    battlemap__wall_measure__init (measure);
    if (bm_state_measure (db, arena, indicator_id, unit_id, district, period, measure))
        return -1;
    char period_date [16];
    snprintf (period_date, sizeof period_date, "%04u-%02u-01",
              (unsigned) period.year % 10000u, (unsigned) period.month % 100u);
    const char *params [] = {
        indicator_id, unit_id, period_date,
        *measure->actual? measure->actual: NULL,
        measure->actual_is_forecast? "true": "false",
        *measure->expected? measure->expected: NULL,
        *measure->vs_milestone? measure->vs_milestone: NULL,
        *measure->vs_annual? measure->vs_annual: NULL,
        measure->status
    };
    if (bm_db_command (db,
            "INSERT INTO completion (indicator_id, unit_id, period, actual, actual_is_forecast,"
            " expected, vs_expected, vs_annual, status)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            " ON CONFLICT (indicator_id, unit_id, period) DO UPDATE SET"
            " actual = EXCLUDED.actual, actual_is_forecast = EXCLUDED.actual_is_forecast,"
            " expected = EXCLUDED.expected, vs_expected = EXCLUDED.vs_expected,"
            " vs_annual = EXCLUDED.vs_annual, status = EXCLUDED.status, updated_at = now ()",
            9, params))
        return -1;
    event->measure = measure->measure;
    event->actual = measure->actual;
    event->actual_is_forecast = measure->actual_is_forecast;
    event->annual_target = measure->annual_target;
    event->milestone = measure->milestone;
    event->vs_milestone = measure->vs_milestone;
    event->vs_annual = measure->vs_annual;
    event->status = measure->status;
    return 0;
}
