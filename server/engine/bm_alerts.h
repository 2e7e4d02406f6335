/*  bm_alerts: the alert rules (bm_alert_rules) applied to what changed.

    - a unit's or the district's cell recomputed after a figure: lagging,
      trajectory and text-milestone alerts of that cell; the lagging and
      trajectory alerts of its earlier months are superseded;
    - a unit's figure stored: its report alerts for the period and kind end
      once nothing is owed;
    - a deadline passing: overdue reports; for a final deadline, the bottom
      ranks on the battle map's indicators (superseding the months' before)
      and the month's text milestones left undone; then one notice per unit
      grouping what it owes and where it lags;
    - the days before a deadline: reminders to the units that owe reports.

    Every change goes through bm_alerting's lifecycle, which queues the
    alert's row and its event in the turn. The thresholds and the
    hysteresis are the rules'; deploy/plans/README.md "Alerts" has them.
*/
#ifndef BM_ALERTS_H_INCLUDED
#define BM_ALERTS_H_INCLUDED

#include "bm_engine.h"
#include "bm_judge.h"

//  After a cell was recomputed
void
    bm_alerts_cell (bm_engine_t *engine, bm_turn_t *turn, const bm_view_t *view);

//  A figure for `month` has arrived for the cell: the lagging and
//  trajectory alerts of its earlier months are superseded, and the
//  text_overdue alerts of milestones before the month's latest milestone
void
    bm_alerts_supersede (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
                         const bm_book_indicator_t *indicator, int unit, int month);

//  After a unit's figure was stored
void
    bm_alerts_reports (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
                       int unit, bm_period_t period, bool final);

//  When a deadline passes
void
    bm_alerts_deadline (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
                        bm_period_t period, bool final);

//  One notice per unit when a deadline passes, grouping what it still owes
//  and, at a final deadline, where it lags (its month's lagging, bottom-
//  rank and text-milestone alerts), on "notice/<district>/<unit>/"
void
    bm_alerts_notices (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
                       bm_period_t period, bool final, const char *deadline);

//  Reminders for the deadlines that fall on one of the plan's reminder
//  days from `today` (the server's date), while their window is open
void
    bm_alerts_reminders (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan);

#endif
