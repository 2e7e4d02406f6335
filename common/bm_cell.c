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

//  The months an indicator is measured over: 12, or 11 for 1-11月
static int
s_through (const bm_cell_facts_t *facts)
{
    int through = facts->through_month;
    return through >= 1 && through <= 12? through: 12;
}

//  An expectation in the indicator's own precision
static bm_decimal_t
s_rounded (const bm_cell_facts_t *facts, bm_decimal_t value)
{
    int decimals = facts->decimals < 0? 0: facts->decimals > 6? 6: facts->decimals;
    return facts->has_decimals? bm_decimal_round (value, decimals): value;
}

static bool
s_in_range (bm_int128_t micros)
{
    bm_int128_t limit = (bm_int128_t) BM_DECIMAL_MAX * BM_DECIMAL_SCALE;
    return micros <= limit && micros >= -limit;
}

//  The year-end projection of an amount: along the milestones where the
//  month has a numeric one (actual * target / milestone), else along the
//  pace curve, else last year's seasonal shape, else a straight line over
//  the months the indicator is measured in. False if there is none.
static bool
s_projection (const bm_cell_facts_t *facts, const bm_cell_t *cell, bm_decimal_t *projection)
{
    const bm_cell_targets_t *targets = &facts->targets;
    int through = s_through (facts);
    int month = facts->month < through? facts->month: through;
    bm_int128_t micros;
    if (month == through)
        micros = facts->actual.micros;
    else
    if (facts->milestone_month && facts->milestone_has_value && !cell->expected_is_pace) {
        //  The unit's share of the district's milestone: the district's curve
        bm_decimal_t target = facts->milestone_is_share? facts->share_of: targets->working;
        if (facts->milestone.micros <= 0)
            return false;
        micros = bm_decimal_divide ((bm_int128_t) facts->actual.micros * target.micros,
                                    facts->milestone.micros);
    }
    else
    if (facts->pace) {
        if (facts->pace [month - 1].micros <= 0)
            return false;
        micros = bm_decimal_divide ((bm_int128_t) facts->actual.micros * 100 * BM_DECIMAL_SCALE,
                                    facts->pace [month - 1].micros);
    }
    else
    if (through == 12)
        return bm_evaluate_projection (facts->actual, month,
                                       facts->has_baseline && facts->has_december,
                                       facts->baseline, facts->december, projection);
    else
        micros = bm_decimal_divide ((bm_int128_t) facts->actual.micros * through, month);
    if (!s_in_range (micros))
        return false;
    projection->micros = (int64_t) micros;
    return true;
}

//  An amount: nothing expected in a month marked "/"; else the milestone
//  (or the unit's share of the district's), the pace curve or 序时进度;
//  text milestones by status
static void
s_amount (const bm_cell_facts_t *facts, bm_cell_t *cell)
{
    const bm_cell_targets_t *targets = &facts->targets;
    int through = s_through (facts);
    int month = facts->month < through? facts->month: through;
    bm_completion_input_t input = {
        .direction = facts->direction,
        .has_target = targets->has_working, .target = targets->working,
        .month = facts->month, .has_actual = facts->has_actual, .actual = facts->actual,
        .on_track_tenths = facts->thresholds.on_track_tenths,
        .at_risk_tenths = facts->thresholds.at_risk_tenths
    };
    bool expects = !facts->no_milestone;
    bool share = facts->milestone_is_share && facts->share_of.micros > 0
              && targets->has_working;
    if (expects && facts->milestone_month && facts->milestone_has_value
    &&  (share || !facts->milestone_is_share)) {
        input.has_milestone = true;
        input.milestone = facts->milestone;
        if (share) {
            //  The unit's target times the share the district's milestone
            //  is of the district's target, in the indicator's precision
            bm_decimal_t part = {
                (int64_t) bm_decimal_divide ((bm_int128_t) targets->working.micros
                                             * facts->milestone.micros,
                                             facts->share_of.micros)
            };
            input.milestone = s_rounded (facts, part);
            cell->expected_is_share = true;
        }
    }
    else
    if (expects && (!facts->milestone_month || facts->milestone_is_share)
    &&  targets->has_working) {
        //  No milestone: the pace curve or 序时进度 over the months measured;
        //  a ceiling (lower is better) holds all year
        input.has_milestone = true;
        cell->expected_is_pace = true;
        if (facts->direction == BM_LOWER_IS_BETTER)
            input.milestone = targets->working;
        else
        if (facts->pace)
            input.milestone = s_rounded (facts, bm_pace_expected (targets->working, facts->pace,
                                                                  month));
        else {
            bm_decimal_t pace = {
                (int64_t) bm_decimal_divide ((bm_int128_t) targets->working.micros * month,
                                             through)
            };
            input.milestone = s_rounded (facts, pace);
        }
    }
    bm_completion_t completion;
    bm_completion_compute (&input, &completion);
    //  bm_completion falls back to 序时进度 by itself: here the month's
    //  expectation is decided above, and there may be none
    cell->has_expected = input.has_milestone;
    cell->expected = input.milestone;
    cell->has_vs_expected = input.has_milestone && completion.has_vs_expected;
    cell->vs_expected = completion.vs_expected;
    cell->has_vs_annual = completion.has_vs_annual;
    cell->vs_annual = completion.vs_annual;
    cell->status = input.has_milestone? completion.status
                 : facts->has_actual? BM_STATUS_NO_TARGET: BM_STATUS_NOT_REPORTED;
    s_growth (facts, cell);
    if (!expects) {
        //  "/": shown, not judged
        cell->status = BM_STATUS_NO_MILESTONE;
        return;
    }
    //  A month whose milestone is text only is judged by the status
    //  reported; a count sent with it is shown against the annual target
    cell->text_milestone = facts->milestone_month && !facts->milestone_has_value;
    if (cell->text_milestone) {
        cell->status = bm_evaluate_text_milestone (facts->milestone_month, facts->month,
                                                   facts->reported);
        return;
    }
    bm_decimal_t projection;
    if (facts->has_actual && targets->has_working && s_projection (facts, cell, &projection)) {
        cell->has_projection = true;
        cell->projection = projection;
        cell->projection_is_actual = facts->month >= s_through (facts);
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
    //  A sum of some units is shown as such, and not judged
    if (facts->partial && facts->has_actual) {
        if (cell->status != BM_STATUS_NO_TARGET && cell->status != BM_STATUS_NO_MILESTONE)
            cell->status = BM_STATUS_PARTIAL;
        cell->has_vs_expected = cell->has_vs_annual = cell->has_vs_assessment = false;
        cell->has_growth = cell->has_growth_gap = false;
        cell->has_projection = cell->has_vs_projection = false;
    }
}

bool
bm_cell_is_judged (const bm_cell_t *cell)
{
    return cell->status == BM_STATUS_ON_TRACK || cell->status == BM_STATUS_AT_RISK
        || cell->status == BM_STATUS_LAGGING;
}
