/*  bm_cell: where one indicator measure stands for one unit in one month.

    A cell is judged once, by a pure function, from typed facts: the
    indicator's kind and direction, the unit's targets, the month's
    milestone, the actual and the previous year's figures. The result is a
    C struct, not text: the wall, the ranking, the alerts and the events are
    all built from it, and only the edges (the wire, the screen) turn its
    numbers into strings. The rules are those of bm_completion and
    bm_evaluate, applied by kind as deploy/plans/README.md sets out:

    - amount: against the month's milestone, else the plan's pace curve,
      else 序时进度; a text milestone without a figure is judged by the
      status reported; the achieved growth where last year is known; the
      year-end projection;
    - growth: the achieved growth against the target growth;
    - level and ratio: the actual against the level, not prorated;
    - qualitative: against last year where the words name a comparison,
      else by the unit's report;
    - group: not judged.
*/
#ifndef BM_CELL_H_INCLUDED
#define BM_CELL_H_INCLUDED

#include "bm_completion.h"
#include "bm_decimal.h"
#include "bm_evaluate.h"

#include <stdbool.h>
#include <stdint.h>

//  The unit's current targets for the indicator measure
typedef struct {
    bool has_working;           //  numeric working target (total or level)
    bm_decimal_t working;
    bm_comparator_t comparator; //  of a level
    bool has_assessment;        //  考核目标
    bm_decimal_t assessment;
    bool has_growth;            //  growth target, percent
    bm_decimal_t growth;
    bool has_words;             //  a qualitative target's words
    bm_judgement_t judgement;   //  the test its words name
    bool no_target;             //  "—"
} bm_cell_targets_t;

//  Everything a cell is judged from
typedef struct {
    int month;                  //  1..12
    bm_kind_t kind;
    bm_direction_t direction;
    bm_thresholds_t thresholds;
    const bm_decimal_t *pace;   //  the indicator's pace curve (12), NULL if none
    bm_cell_targets_t targets;
    int milestone_month;        //  the latest milestone at or before month, 0 if none
    bool milestone_has_value;   //  a number; else it is text
    bm_decimal_t milestone;
    bool has_actual;            //  a cumulative figure for the month
    bm_decimal_t actual;
    bm_reported_t reported;     //  a status reported (text milestone, qualitative)
    bool has_baseline;          //  last year, same month
    bm_decimal_t baseline;
    bool has_december;          //  last year, December
    bm_decimal_t december;
} bm_cell_facts_t;

//  The judged cell. Rates are tenths of a percent.
typedef struct {
    bm_status_t status;
    bool has_expected;          //  the month's expected value (or a level)
    bm_decimal_t expected;
    bool expected_is_pace;      //  not a milestone: 序时进度, the pace curve,
                                //  or a ceiling held all year
    bool expected_is_level;     //  a level: the target itself, not prorated
    bool has_vs_expected;       //  completion against the expected value
    int64_t vs_expected;
    bool has_vs_annual;         //  completion against the annual target
    int64_t vs_annual;
    bool has_vs_assessment;
    int64_t vs_assessment;
    bool has_growth;            //  achieved growth on last year (or a
    int64_t growth;             //  qualitative target's change)
    bool has_growth_gap;        //  achieved - target growth, tenths of a point
    int64_t growth_gap;
    bool has_projection;        //  year-end projection of an amount
    bm_decimal_t projection;
    bool has_vs_projection;
    int64_t vs_projection;
    bool text_milestone;        //  the month's milestone is text only
    bool has_judgement;         //  qualitative: the test applied
    bm_judgement_t judgement;
} bm_cell_t;

//  Judge a cell from its facts.
void
    bm_cell_judge (const bm_cell_facts_t *facts, bm_cell_t *cell);

//  True for the statuses that measure progress (on track, at risk,
//  lagging): the ones a lagging alert follows
bool
    bm_cell_is_judged (const bm_cell_t *cell);

#endif
