/*  bm_alert_rules: when an alert should fire, at what severity, and when it
    should clear, as pure functions of typed cells and counts.

    The rules (deploy/plans/README.md, "Alerts"):
    - lagging: a judged cell below its expected value: warning when at risk,
      critical when lagging. Hysteresis: while the figure is a forecast, a
      firing alert steps down (critical to warning) or clears only when the
      rate is a point above the threshold it crossed, so a value hovering
      at a threshold does not flap; a definitive figure (a final, or any
      figure once the month's final deadline has passed) is judged as it
      stands, so an alert whose condition has ended resolves. A cell that is
      not judged (无节点, a partial district sum) clears its alert. An
      overdue report of the same unit and month inhibits a new lagging
      alert: its figures are not in;
    - trajectory: the year-end projection short of the annual target, with
      the same point of hysteresis above 100% on forecasts; not in the last
      month measured, where the projection is the actual and the lagging
      rule says it all;
    - text_overdue: a text milestone past its month and not reported done;
    - report_due / report_overdue: reports still owed before and after a
      deadline;
    - bottom_rank: among the bottom N of a ranking (后N名预警).

    Each rule returns a decision: whether it has anything to say about the
    alert (`applies`), and if so the severity it should have, NONE meaning
    that the condition has cleared. The engine keeps the alerts' lifecycle
    (fire once, update, resolve once); these functions only decide.
*/
#ifndef BM_ALERT_RULES_H_INCLUDED
#define BM_ALERT_RULES_H_INCLUDED

#include "bm_cell.h"

#include <stdbool.h>

#define BM_ALERT_HYSTERESIS_TENTHS 10       //  a point above the threshold to clear

typedef enum {
    BM_SEVERITY_NONE = 0,       //  not firing / cleared
    BM_SEVERITY_INFO,
    BM_SEVERITY_WARNING,
    BM_SEVERITY_CRITICAL
} bm_severity_t;

typedef struct {
    bool applies;               //  false: leave the alert as it is
    bm_severity_t severity;     //  NONE: the condition has cleared
} bm_alert_decision_t;

//  "info", "warning", "critical" ("" for NONE)
const char *
    bm_severity_name (bm_severity_t severity);

//  Parse a severity name; "" is NONE. Returns 0 or -1.
int
    bm_severity_parse (const char *text, bm_severity_t *severity);

//  The lagging rule for a judged cell (on track, at risk or lagging: an
//  amount against its expected value, a growth, a level, or a qualitative
//  target by its report). current: the severity the alert fires at now
//  (NONE if it does not). inhibited: an overdue report of the same unit and
//  month is firing. definitive: the figure will not be revised by the
//  cycle (a final, or the final deadline has passed): no hysteresis. A
//  cell whose month has a text milestone is left to text_overdue; a cell
//  with nothing expected (无节点) or a partial district sum clears a firing
//  alert and fires none; a cell not reported leaves it as it is. A firing
//  alert held by the hysteresis above the on-track line is held at warning
//  once the rate is a point above the at-risk line.
bm_alert_decision_t
    bm_alert_rule_lagging (const bm_cell_t *cell, bm_thresholds_t thresholds,
                           bm_severity_t current, bool inhibited, bool definitive);

//  The trajectory rule: applies when the cell has a projection against its
//  annual target; a cell not judged (无节点, partial), or in its last month
//  measured (the projection is the actual), clears it.
bm_alert_decision_t
    bm_alert_rule_trajectory (const bm_cell_t *cell, bm_severity_t current,
                              bool definitive);

//  A text milestone, as a figure moves it: critical once its month is past
//  and it is not done (the cell lags), cleared when it is done (on track).
bm_alert_decision_t
    bm_alert_rule_text_overdue (const bm_cell_t *cell);

//  A text milestone when its month's final deadline passes: cleared if
//  reported done, else critical.
bm_alert_decision_t
    bm_alert_rule_text_deadline (bm_reported_t reported);

//  Reports owed: `severity` while `missing` > 0, cleared at 0.
bm_alert_decision_t
    bm_alert_rule_report (int missing, bm_severity_t severity);

//  A unit's place in a ranking: a warning when in the bottom N.
bm_alert_decision_t
    bm_alert_rule_bottom_rank (bool warned);

#endif
