/*  bm_judge: gathers a cell's facts from the book and judges it.

    A unit's actual for a month is its latest final, else its latest
    forecast. The district (全区) takes the figure reported for it where
    there is one (a lead section's), otherwise, for an additive indicator,
    the sum of its units' figures, which the book keeps as a running sum;
    that sum is partial while units with a working target have not
    reported and the month's final deadline has not passed. A derived
    (ratio) indicator's actual is its formula evaluated on the same unit's
    and month's actuals of the indicators it names, rounded to its
    precision, and partial when one of them is. Last year's figures are the
    unit's baselines; the district's are its own, or the sum of its units'
    for an additive indicator.

    The month's milestone is the unit's own latest at or before the month
    (a month marked "/", or a month before the first, expects nothing); a
    unit without milestones of its own takes its share of the district's
    numeric milestone (its target * the district's milestone / the
    district's target), and expects nothing in a month whose district
    milestone is "/" or text (text milestones are the lead section's). The
    judging itself is bm_cell_judge's.
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
    bool summed;                        //  the district's actual is its units' sum
} bm_view_t;

//  Judge the cell of a unit (an index in the plan's district) for an
//  indicator measure in a month (1..12)
void
    bm_judge (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator, int unit,
              int month, bm_view_t *view);

//  The district's units with a working target for the indicator that have
//  no figure for the month, in plan order: fills `units` (room for the
//  district's unit count) and returns how many
size_t
    bm_judge_missing (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                      int month, const char **units);

//  The actual alone: 0 and *value, or -1 when there is none
int
    bm_judge_actual (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                     int unit, int month, bm_decimal_t *value, bool *is_forecast);

#endif
