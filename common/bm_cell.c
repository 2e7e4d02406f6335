/*  bm_cell: where one indicator measure stands for one unit in one month. */

#include "bm_cell.h"

#include <assert.h>

//  Achieved growth against last year, shown for amounts and growth targets;
//  a growth target is judged by it
static void
s_growth (const bm_cell_facts_t *facts, bm_cell_t *cell)
{
    bm_growth_input_t input = {
        .direction = facts->direction, .target_growth = facts->targets.growth,
        .has_actual = facts->has_actual, .actual = facts->actual,
        .has_baseline = facts->has_baseline, .baseline = facts->baseline,
        .thresholds = facts->thresholds
    };
    bm_growth_t growth;
    bm_evaluate_growth (&input, &growth);
    if (growth.has_growth) {
        cell->has_growth = true;
        cell->growth = growth.growth_tenths;
        if (facts->targets.has_growth) {
            cell->has_growth_gap = true;
            cell->growth_gap = growth.gap_tenths;
        }
    }
    if (facts->kind == BM_KIND_GROWTH) {
        cell->has_vs_expected = growth.has_rate;
        cell->vs_expected = growth.rate_tenths;
        cell->status = growth.status;
    }
}

//  An amount: milestone, pace curve or 序时进度; text milestones by status
static void
s_amount (const bm_cell_facts_t *facts, bm_cell_t *cell)
{
    const bm_cell_targets_t *targets = &facts->targets;
    bm_completion_input_t input = {
        .direction = facts->direction,
        .has_target = targets->has_working, .target = targets->working,
        .month = facts->month, .has_actual = facts->has_actual, .actual = facts->actual,
        .on_track_tenths = facts->thresholds.on_track_tenths,
        .at_risk_tenths = facts->thresholds.at_risk_tenths
    };
    if (facts->milestone_month && facts->milestone_has_value) {
        input.has_milestone = true;
        input.milestone = facts->milestone;
    }
    else
    if (targets->has_working && facts->pace && facts->direction == BM_HIGHER_IS_BETTER) {
        input.has_milestone = true;
        input.milestone = bm_pace_expected (targets->working, facts->pace, facts->month);
        cell->expected_is_pace = true;
    }
    bm_completion_t completion;
    bm_completion_compute (&input, &completion);
    cell->has_expected = completion.has_expected;
    cell->expected = completion.expected;
    cell->expected_is_pace |= completion.expected_is_pace;
    cell->has_vs_expected = completion.has_vs_expected;
    cell->vs_expected = completion.vs_expected;
    cell->has_vs_annual = completion.has_vs_annual;
    cell->vs_annual = completion.vs_annual;
    cell->status = completion.status;
    //  A month whose milestone is text only is judged by the status reported
    cell->text_milestone = facts->milestone_month && !facts->milestone_has_value;
    if (cell->text_milestone && !facts->has_actual)
        cell->status = bm_evaluate_text_milestone (facts->milestone_month, facts->month,
                                                   facts->reported);
    s_growth (facts, cell);
    bm_decimal_t projection;
    if (facts->has_actual && targets->has_working
    &&  bm_evaluate_projection (facts->actual, facts->month,
                                facts->has_baseline && facts->has_december,
                                facts->baseline, facts->december, &projection)) {
        cell->has_projection = true;
        cell->projection = projection;
        cell->has_vs_projection = bm_completion_rate (facts->direction, projection,
                                                      targets->working,
                                                      &cell->vs_projection) == 0;
    }
}

//  A level or a ratio: the actual against the level, all year
static void
s_level (const bm_cell_facts_t *facts, bm_cell_t *cell)
{
    const bm_cell_targets_t *targets = &facts->targets;
    if (!targets->has_working) {
        cell->status = facts->has_actual? BM_STATUS_NO_TARGET: BM_STATUS_NOT_REPORTED;
        return;
    }
    bm_level_input_t input = {
        .direction = facts->direction, .comparator = targets->comparator,
        .target = targets->working, .has_actual = facts->has_actual,
        .actual = facts->actual, .thresholds = facts->thresholds
    };
    bm_level_t level;
    bm_evaluate_level (&input, &level);
    cell->has_expected = true;
    cell->expected = targets->working;
    cell->expected_is_level = true;
    cell->has_vs_expected = level.has_rate;
    cell->vs_expected = level.rate_tenths;
    cell->has_vs_annual = level.has_rate;
    cell->vs_annual = level.rate_tenths;
    cell->status = level.status;
}

static void
s_qualitative (const bm_cell_facts_t *facts, bm_cell_t *cell)
{
    bm_qualitative_input_t input = {
        .judgement = facts->targets.has_words? facts->targets.judgement: BM_JUDGE_REPORTED,
        .direction = facts->direction,
        .has_actual = facts->has_actual, .actual = facts->actual,
        .has_baseline = facts->has_baseline, .baseline = facts->baseline,
        .reported = facts->reported
    };
    bm_qualitative_t judged;
    bm_evaluate_qualitative (&input, &judged);
    cell->has_judgement = true;
    cell->judgement = input.judgement;
    cell->has_growth = judged.has_change;
    cell->growth = judged.change_tenths;
    cell->status = judged.status;
}

void
bm_cell_judge (const bm_cell_facts_t *facts, bm_cell_t *cell)
{
    assert (facts);
    assert (cell);
    assert (facts->month >= 1 && facts->month <= 12);
    *cell = (bm_cell_t) { .status = BM_STATUS_NO_TARGET };
    const bm_cell_targets_t *targets = &facts->targets;
    switch (facts->kind) {
        case BM_KIND_AMOUNT:
            s_amount (facts, cell);
            break;
        case BM_KIND_GROWTH:
            s_growth (facts, cell);
            if (!targets->has_growth)
                cell->status = facts->has_actual? BM_STATUS_NO_TARGET: BM_STATUS_NOT_REPORTED;
            break;
        case BM_KIND_LEVEL:
        case BM_KIND_RATIO:
            s_level (facts, cell);
            break;
        case BM_KIND_QUALITATIVE:
            s_qualitative (facts, cell);
            break;
        case BM_KIND_GROUP:
            cell->status = BM_STATUS_NO_TARGET;
            break;
    }
    if (targets->has_assessment && facts->has_actual)
        cell->has_vs_assessment = bm_completion_rate (facts->direction, facts->actual,
                                                      targets->assessment,
                                                      &cell->vs_assessment) == 0;
    //  "—" and nothing else: not judged
    if (targets->no_target && !targets->has_working && !targets->has_growth
    &&  !targets->has_words)
        cell->status = BM_STATUS_NO_TARGET;
}

bool
bm_cell_is_judged (const bm_cell_t *cell)
{
    return cell->status == BM_STATUS_ON_TRACK || cell->status == BM_STATUS_AT_RISK
        || cell->status == BM_STATUS_LAGGING;
}
