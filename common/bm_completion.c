/*  bm_completion: how far an indicator has come, the way the bureau reads it. */

#include "bm_completion.h"

#include <assert.h>

int
bm_completion_rate (bm_direction_t direction, bm_decimal_t actual,
                    bm_decimal_t target, int64_t *tenths)
{
    if (direction == BM_LOWER_IS_BETTER)
        return bm_decimal_percent (target, actual, tenths);
    return bm_decimal_percent (actual, target, tenths);
}

bm_decimal_t
bm_completion_pace (bm_decimal_t target, int month)
{
    assert (month >= 1 && month <= 12);
    bm_decimal_t pace = {
        (int64_t) bm_decimal_divide ((bm_int128_t) target.micros * month, 12)
    };
    return pace;
}

void
bm_completion_compute (const bm_completion_input_t *input,
                       bm_completion_t *result)
{
    assert (input);
    assert (result);
    *result = (bm_completion_t) { 0 };
    if (input->has_milestone) {
        result->has_expected = true;
        result->expected = input->milestone;
    }
    else
    if (input->has_target && input->month >= 1 && input->month <= 12) {
        result->has_expected = true;
        result->expected_is_pace = true;
        //  A ceiling (lower is better) holds all year: it is not prorated
        result->expected = input->direction == BM_LOWER_IS_BETTER
                         ? input->target
                         : bm_completion_pace (input->target, input->month);
    }
    if (input->has_actual && result->has_expected)
        result->has_vs_expected =
            bm_completion_rate (input->direction, input->actual,
                                result->expected, &result->vs_expected) == 0;
    if (input->has_actual && input->has_target)
        result->has_vs_annual =
            bm_completion_rate (input->direction, input->actual,
                                input->target, &result->vs_annual) == 0;

    if (!input->has_actual)
        result->status = BM_STATUS_NOT_REPORTED;
    else
    if (!result->has_expected)
        result->status = BM_STATUS_NO_TARGET;
    else
    if (!result->has_vs_expected) {
        //  Undefined rate: a zero expected value is met by any actual at or
        //  above it; a lower-is-better actual of zero is the best possible.
        int order = bm_decimal_cmp (input->actual, result->expected);
        bool met = input->direction == BM_LOWER_IS_BETTER? order <= 0: order >= 0;
        result->status = met? BM_STATUS_ON_TRACK: BM_STATUS_LAGGING;
    }
    else {
        int on_track = input->on_track_tenths? input->on_track_tenths: BM_ON_TRACK_TENTHS;
        int at_risk = input->at_risk_tenths? input->at_risk_tenths: BM_AT_RISK_TENTHS;
        if (result->vs_expected >= on_track)
            result->status = BM_STATUS_ON_TRACK;
        else
        if (result->vs_expected >= at_risk)
            result->status = BM_STATUS_AT_RISK;
        else
            result->status = BM_STATUS_LAGGING;
    }
}

const char *
bm_status_name (bm_status_t status)
{
    switch (status) {
        case BM_STATUS_ON_TRACK:     return "on_track";
        case BM_STATUS_AT_RISK:      return "at_risk";
        case BM_STATUS_LAGGING:      return "lagging";
        case BM_STATUS_NO_TARGET:    return "no_target";
        case BM_STATUS_NOT_REPORTED: return "not_reported";
        case BM_STATUS_NO_BASELINE:  return "no_baseline";
        case BM_STATUS_NO_MILESTONE: return "no_milestone";
        case BM_STATUS_PARTIAL:      return "partial";
    }
    return "not_reported";
}

const char *
bm_status_label (bm_status_t status)
{
    switch (status) {
        case BM_STATUS_ON_TRACK:     return "正常";
        case BM_STATUS_AT_RISK:      return "预警";
        case BM_STATUS_LAGGING:      return "滞后";
        case BM_STATUS_NO_TARGET:    return "—";
        case BM_STATUS_NOT_REPORTED: return "未报送";
        case BM_STATUS_NO_BASELINE:  return "无基期";
        case BM_STATUS_NO_MILESTONE: return "无节点";
        case BM_STATUS_PARTIAL:      return "未齐";
    }
    return "未报送";
}
