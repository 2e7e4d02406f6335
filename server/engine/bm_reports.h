/*  bm_reports: the monthly reports of the reporting cycle, from memory.

    Timeliness: per unit and kind, the reports expected (the indicator
    measures the unit has a working target for, derived and group indicators
    left out; for 全区, those no unit has a target for), received, on time,
    late and missing. Forecast accuracy: per unit and indicator, the last
    forecast received before the forecast deadline (else the last one)
    against the latest final, scored by bm_accuracy; units ranked on their
    average score, the bottom five warned. Rules: deploy/plans/README.md.
*/
#ifndef BM_REPORTS_H_INCLUDED
#define BM_REPORTS_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_arena.h"
#include "bm_book.h"

//  Fill the timeliness rows of a reply for a month
void
    bm_reports_timeliness (const bm_book_plan_t *plan, int month, bm_arena_t *arena,
                           Battlemap__ReportReply *reply);

//  Fill the forecast-accuracy rows of a reply for a month
void
    bm_reports_accuracy (const bm_book_plan_t *plan, int month, bm_arena_t *arena,
                         Battlemap__ReportReply *reply);

//  Whether a unit owes a report of an indicator (the rule above)
bool
    bm_reports_expected (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                         int unit);

//  The units of a plan's district in the order of their names (byte
//  order); the caller frees the array (count: the district's units)
int *
    bm_reports_units_by_name (const bm_book_plan_t *plan);

#endif
