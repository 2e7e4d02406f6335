/*  bm_alert_rules: when an alert should fire, and when it should clear. */

#include "bm_alert_rules.h"

#include <string.h>

static const char *s_names [] = { "", "info", "warning", "critical" };

const char *
bm_severity_name (bm_severity_t severity)
{
    return severity <= BM_SEVERITY_CRITICAL? s_names [severity]: "";
}

int
bm_severity_parse (const char *text, bm_severity_t *severity)
{
    for (int index = BM_SEVERITY_NONE; text && index <= BM_SEVERITY_CRITICAL; index++)
        if (strcmp (text, s_names [index]) == 0) {
            *severity = (bm_severity_t) index;
            return 0;
        }
    return -1;
}

static bm_alert_decision_t
s_decide (bm_severity_t severity)
{
    return (bm_alert_decision_t) { .applies = true, .severity = severity };
}

//  Shown but not judged: nothing expected this month, or a partial sum
static bool
s_not_judged (const bm_cell_t *cell)
{
    return cell->status == BM_STATUS_NO_MILESTONE || cell->status == BM_STATUS_PARTIAL;
}

bm_alert_decision_t
bm_alert_rule_lagging (const bm_cell_t *cell, bm_thresholds_t thresholds,
                       bm_severity_t current, bool inhibited, bool definitive)
{
    if (s_not_judged (cell))
        return s_decide (BM_SEVERITY_NONE);
    if (cell->text_milestone || !bm_cell_is_judged (cell))
        return (bm_alert_decision_t) { .applies = false };
    int on_track = thresholds.on_track_tenths? thresholds.on_track_tenths: BM_ON_TRACK_TENTHS;
    int at_risk = thresholds.at_risk_tenths? thresholds.at_risk_tenths: BM_AT_RISK_TENTHS;
    bm_severity_t severity = cell->status == BM_STATUS_LAGGING? BM_SEVERITY_CRITICAL
                           : cell->status == BM_STATUS_AT_RISK? BM_SEVERITY_WARNING
                           : BM_SEVERITY_NONE;
    //  A definitive figure is judged as it stands
    bool has_rate = cell->has_vs_expected && !definitive;
    int64_t rate = cell->vs_expected;
    //  Hysteresis: step down, or clear, only a point above the threshold
    if (has_rate && current == BM_SEVERITY_CRITICAL && severity != BM_SEVERITY_NONE
    &&  severity != BM_SEVERITY_CRITICAL && rate < at_risk + BM_ALERT_HYSTERESIS_TENTHS)
        severity = BM_SEVERITY_CRITICAL;
    if (has_rate && current != BM_SEVERITY_NONE && severity == BM_SEVERITY_NONE
    &&  rate < on_track + BM_ALERT_HYSTERESIS_TENTHS)
        severity = current == BM_SEVERITY_CRITICAL && rate < at_risk + BM_ALERT_HYSTERESIS_TENTHS
                 ? BM_SEVERITY_CRITICAL
                 : BM_SEVERITY_WARNING;
    //  Inhibited: an overdue report explains it; a new alert would only
    //  repeat it
    if (severity != BM_SEVERITY_NONE && current == BM_SEVERITY_NONE && inhibited)
        severity = BM_SEVERITY_NONE;
    return s_decide (severity);
}

bm_alert_decision_t
bm_alert_rule_trajectory (const bm_cell_t *cell, bm_severity_t current, bool definitive)
{
    //  In the last month the projection is the actual: the lagging alert
    //  says it all
    if (s_not_judged (cell) || cell->projection_is_actual)
        return s_decide (BM_SEVERITY_NONE);
    if (!cell->has_vs_projection)
        return (bm_alert_decision_t) { .applies = false };
    int64_t projected = cell->vs_projection;
    if (projected < 1000)
        return s_decide (BM_SEVERITY_WARNING);
    if (current != BM_SEVERITY_NONE && !definitive
    &&  projected < 1000 + BM_ALERT_HYSTERESIS_TENTHS)
        return s_decide (current);
    return s_decide (BM_SEVERITY_NONE);
}

bm_alert_decision_t
bm_alert_rule_text_overdue (const bm_cell_t *cell)
{
    if (!cell->text_milestone)
        return (bm_alert_decision_t) { .applies = false };
    if (cell->status == BM_STATUS_LAGGING)
        return s_decide (BM_SEVERITY_CRITICAL);
    if (cell->status == BM_STATUS_ON_TRACK)
        return s_decide (BM_SEVERITY_NONE);
    return (bm_alert_decision_t) { .applies = false };
}

bm_alert_decision_t
bm_alert_rule_text_deadline (bm_reported_t reported)
{
    return s_decide (reported == BM_REPORTED_DONE? BM_SEVERITY_NONE: BM_SEVERITY_CRITICAL);
}

bm_alert_decision_t
bm_alert_rule_report (int missing, bm_severity_t severity)
{
    return s_decide (missing > 0? severity: BM_SEVERITY_NONE);
}

bm_alert_decision_t
bm_alert_rule_bottom_rank (bool warned)
{
    return s_decide (warned? BM_SEVERITY_WARNING: BM_SEVERITY_NONE);
}
