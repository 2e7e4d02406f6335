/*  bm_judge: gathers a cell's facts from the book and judges it.

    A unit's actual for a month is its latest final, else its latest
    forecast. The district (全区) takes the figure reported for it where
    there is one, otherwise, for an additive indicator, the sum of its
    units' figures, which the book keeps as a running sum. A derived (ratio)
    indicator's actual is its formula evaluated on the same unit's and
    month's actuals of the indicators it names. Last year's figures are the
    unit's baselines; the district's are its own, or the sum of its units'
    for an additive indicator. The judging itself is bm_cell_judge's.
*/
#ifndef BM_JUDGE_H_INCLUDED
#define BM_JUDGE_H_INCLUDED

#include "bm_book.h"
#include "bm_cell.h"

typedef struct {
    const bm_book_plan_t *plan;
    const bm_book_indicator_t *indicator;
    int unit;                           //  index in the district
    bool district;                      //  the unit is 全区
    int month;
    const bm_book_slot_t *slot;         //  the unit's targets and figures, NULL if none
    const bm_book_milestone_t *milestone;   //  latest at or before month, NULL if none
    int milestone_month;
    bm_cell_facts_t facts;
    bm_cell_t cell;
    bool actual_is_forecast;            //  some part of the actual is a forecast
    uint32_t units_reported;            //  the district: units with a figure
    uint32_t units_expected;            //  the district: units with a working target
} bm_view_t;

//  Judge the cell of a unit (an index in the plan's district) for an
//  indicator measure in a month (1..12)
void
    bm_judge (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator, int unit,
              int month, bm_view_t *view);

//  The actual alone: 0 and *value, or -1 when there is none
int
    bm_judge_actual (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                     int unit, int month, bm_decimal_t *value, bool *is_forecast);

#endif
