/*  bm_cell: where one indicator measure stands for one unit in one month.

    A cell is judged once, by a pure function, from typed facts: the
    indicator's kind and direction, the unit's targets, the month's
    milestone, the actual and the previous year's figures. The result is a
    C struct, not text: the wall, the ranking, the alerts and the events are
    all built from it, and only the edges (the wire, the screen) turn its
    numbers into strings. The rules are those of bm_completion and
    bm_evaluate, applied by kind as deploy/plans/README.md sets out:

    - amount: a month marked "/", or before the plan's first milestone of
      the indicator, expects nothing (无节点) and is not judged; otherwise
      against the month's milestone (a unit without milestones of its own
      takes its share of the district's), else the plan's pace curve, else
      序时进度 over the months the indicator is measured in (1-11月: to
      November); an expectation is rounded to the indicator's precision, so
      a count is never expected in fractions. A month whose milestone is
      text is judged by the status reported, and its count is shown. The
      year-end projection follows the milestones (actual * target /
      milestone), else the pace curve, else last year's seasonal shape, else
      a straight line; none where the month's milestone is text;
    - growth: the achieved growth against the target growth;
    - level and ratio: the actual against the level, not prorated;
    - qualitative: against last year where the words name a comparison,
      else by the unit's report;
    - group: not judged.

    A district sum of its units' figures is partial (未齐) while units with
    a target have not reported and the month's final deadline has not
    passed: it is shown, never judged.
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
    int through_month;          //  measured over months 1..through_month (0: 12)
    bool has_decimals;          //  expectations are rounded to `decimals`
    int decimals;               //  0..6 (0: whole units)
    bm_cell_targets_t targets;
    bool no_milestone;          //  the month expects nothing: "/", or before the
                                //  indicator's first milestone
    int milestone_month;        //  the latest milestone at or before month, 0 if none
    bool milestone_has_value;   //  a number; else it is text
    bm_decimal_t milestone;     //  the unit's own, or the district's (a share)
    bool milestone_is_share;    //  the unit takes its share of the district's
    bm_decimal_t share_of;      //  ...milestone: its target * milestone / share_of,
                                //  the district's annual target (> 0)
    bool partial;               //  a district sum with units still to report
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
    bool expected_is_share;     //  the unit's share of the district's milestone
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
    bool projection_is_actual;  //  the last month measured: the actual itself
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
