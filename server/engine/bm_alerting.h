/*  bm_alerts: alerts for lagging indicators and units, and their lifecycle.

    Rules (deploy/plans/README.md, "Alerts"):
    - lagging: a unit's or the district's cumulative actual below the month's
      expected value: warning when at risk, critical when lagging;
    - trajectory: the year-end projection short of the annual target;
    - text_overdue: a text milestone past its month and not done;
    - report_due: reminders the plan's reminder_days before a deadline (3
      and 1 by default) to units that have not reported everything;
      report_overdue once it has passed;
    - bottom_rank: the plan's bottom_warned (5) units on a battle-map
      indicator when the month's final deadline passes (后5名预警).

    An alert is identified by its labels; it fires once, is updated (not
    fired again) when only its values move, and resolves once. Hysteresis:
    a lagging or trajectory alert resolves only when the rate is a point
    above the threshold, so a value hovering at it does not flap. An overdue
    report inhibits the lagging alert of the same unit and month. A silenced
    alert changes without telling anyone until its silence ends; its
    resolution is always told. Every change is an event, stored before it is
    published.
*/
#ifndef BM_ALERTS_H_INCLUDED
#define BM_ALERTS_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_period.h"
#include "bm_request.h"

#define BM_ALERTS_HYSTERESIS_TENTHS 10      //  a point above the threshold to resolve

//  After a unit's (or the district's) completion was recomputed: lagging,
//  trajectory and text-milestone alerts of that cell
int
    bm_alerts_completion (bm_request_t *request, const char *indicator_id, const char *unit_id,
                          bm_period_t period, const Battlemap__WallMeasure *measure);

//  After a unit's figure was stored: its report alerts for the period and kind
int
    bm_alerts_reports (bm_request_t *request, const char *plan_id, const char *unit_id,
                       bm_period_t period, const char *kind);

//  When a deadline passes: overdue reports; for a final deadline, the
//  bottom ranks and overdue text milestones of the month
int
    bm_alerts_deadline (bm_request_t *request, const char *plan_id, bm_period_t period,
                        bool final);

//  Reminders for the deadlines that fall within the next days
int
    bm_alerts_reminders (bm_request_t *request);

//  AlertRequest: list, acknowledge, silence
int
    bm_alerts_handle (bm_request_t *request, const Battlemap__AlertRequest *alert);

#endif
