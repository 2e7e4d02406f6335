/*  bm_evaluate: how each kind of indicator is judged, as a bureau
    statistician reads it (deploy/plans/README.md, "Kinds of indicator" and
    "Figures and completion").

    Pure functions, no I/O, no allocation. Every figure is an exact decimal
    (bm_decimal_t) and every rate a count of tenths of a percent, rounded
    half away from zero: 9.5% against 10% reads 95.0 and is stored as 950.
    An amount is judged by bm_completion_compute; this module adds growth,
    level (and ratio), qualitative targets, text milestones, the overall
    status of a composite task, pace curves and year-end projections.
*/
#ifndef BM_EVALUATE_H_INCLUDED
#define BM_EVALUATE_H_INCLUDED

#include "bm_completion.h"
#include "bm_decimal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  --------------------------------------------------------------------------
//  Kinds and comparators, as indicators.csv and targets.csv spell them

typedef enum {
    BM_KIND_AMOUNT,             //  a cumulative amount or count
    BM_KIND_GROWTH,             //  % growth on the previous year
    BM_KIND_RATIO,              //  a share computed by a formula
    BM_KIND_LEVEL,              //  a rate or threshold to reach or stay within
    BM_KIND_QUALITATIVE,        //  a target in words
    BM_KIND_GROUP               //  a heading, not judged
} bm_kind_t;

//  Parse "amount", "growth", "ratio", "level", "qualitative" or "group".
//  Returns 0, or -1 (with *kind unchanged) for anything else.
int
    bm_kind_parse (const char *text, bm_kind_t *kind);

//  The kind as indicators.csv spells it ("amount"...)
const char *
    bm_kind_name (bm_kind_t kind);

typedef enum {
    BM_CMP_GE,                  //  >=  met at or above
    BM_CMP_GT,                  //  >   met strictly above
    BM_CMP_EQ,                  //  =   met when equal, or beyond in the better direction
    BM_CMP_LE,                  //  <=  a ceiling, met at or below
    BM_CMP_LT                   //  <   met strictly below
} bm_comparator_t;

//  Parse ">=", ">", "=", "<=" or "<". Returns 0, or -1 for anything else.
int
    bm_comparator_parse (const char *text, bm_comparator_t *comparator);

//  The comparator as targets.csv spells it (">="...)
const char *
    bm_comparator_name (bm_comparator_t comparator);

//  Status thresholds in tenths of a percent of the expected value; 0 means
//  the default (BM_ON_TRACK_TENTHS 1000, BM_AT_RISK_TENTHS 900).
typedef struct {
    int on_track_tenths;
    int at_risk_tenths;
} bm_thresholds_t;

//  --------------------------------------------------------------------------
//  Growth: achieved growth = (actual / baseline - 1) * 100, to one decimal

typedef struct {
    bm_direction_t direction;
    bm_decimal_t target_growth;     //  percent, e.g. 10 for 增长10%
    bool has_actual;
    bm_decimal_t actual;            //  cumulative figure for the period
    bool has_baseline;
    bm_decimal_t baseline;          //  previous year, same period
    bm_thresholds_t thresholds;
} bm_growth_input_t;

typedef struct {
    bool has_growth;
    int64_t growth_tenths;          //  achieved growth, tenths of a percent
    int64_t gap_tenths;             //  achieved - target, tenths of a percentage point
    bool has_rate;
    int64_t rate_tenths;            //  achieved / target, for a target in the better direction
    bm_status_t status;
} bm_growth_t;

//  Judge a growth target. No actual: not reported. No baseline, or a zero
//  baseline: no_baseline. A negative baseline is divided by its magnitude,
//  so that a loss shrinking reads as growth. For a higher-is-better
//  indicator with a positive target growth the rate is achieved / target
//  (the achieved growth as rounded to one decimal) and the thresholds apply;
//  with a zero or negative target there is no rate: on track when the
//  achieved growth reaches the target, at risk within 1 percentage point
//  below it, lagging beyond. A lower-is-better indicator reads the other way
//  round: a negative target (下降3%) has the rate achieved / target, a zero
//  or positive target is a ceiling with the 1-point band above it.
void
    bm_evaluate_growth (const bm_growth_input_t *input, bm_growth_t *result);

//  --------------------------------------------------------------------------
//  Level (and ratio, on the computed value): not prorated by month

typedef struct {
    bm_direction_t direction;
    bm_comparator_t comparator;
    bm_decimal_t target;
    bool has_actual;
    bm_decimal_t actual;
    bm_thresholds_t thresholds;
} bm_level_input_t;

typedef struct {
    bool met;
    bool has_rate;
    int64_t rate_tenths;            //  completion against the target
    bm_status_t status;
} bm_level_t;

//  Judge a level. Met is on track; otherwise the rate decides between at
//  risk and lagging (never on track: 95.99 against >=96 reads 100.0 but is
//  at risk). The rate reads in the comparator's sense: actual / target for
//  >= and >, target / actual for a ceiling (<= and <), the indicator's
//  direction for =. It is undefined for a zero target, or a zero actual
//  against a ceiling; then met decides between on track and lagging.
void
    bm_evaluate_level (const bm_level_input_t *input, bm_level_t *result);

//  --------------------------------------------------------------------------
//  Qualitative: the target's words decide the test

typedef enum {
    BM_JUDGE_DECREASE,              //  减少 下降 降低: met when lower
    BM_JUDGE_INCREASE,              //  提升 提高 增加 增长: met when higher
    BM_JUDGE_IMPROVE,               //  改善: met when better in the indicator's direction
    BM_JUDGE_STABLE,                //  保持稳定 持平 稳定: met within +/-2%
    BM_JUDGE_STABLE_OR_INCREASE,    //  保持稳定或有所提升: met at or above 98%
    BM_JUDGE_REPORTED               //  names no figure: judged by the unit's report
} bm_judgement_t;

//  The test a target's words name. The whole text must be one of the words
//  above, optionally preceded by modifiers (有所, 进一步, 持续, 逐步, 稳步,
//  同比, 较上年, 较上年同比: 有所提升, 较上年同比增加), or a stable word, 或,
//  and an increase (保持稳定或有所提升, 保持稳定或较上年同比增加); surrounding
//  spaces and a final 。 or ； are ignored. Anything else names no figure the
//  test could compare (不低于全市水平, 社会知晓度提高, 建立健全, 以市下达为准):
//  BM_JUDGE_REPORTED. NULL is BM_JUDGE_REPORTED.
bm_judgement_t
    bm_judgement_parse (const char *text);

//  "decrease", "increase", "improve", "stable", "stable_or_increase",
//  "reported"
const char *
    bm_judgement_name (bm_judgement_t judgement);

//  The status a unit reports for a target in words or a text milestone
typedef enum {
    BM_REPORTED_NONE = 0,           //  nothing reported
    BM_REPORTED_NOT_STARTED,
    BM_REPORTED_IN_PROGRESS,
    BM_REPORTED_DONE
} bm_reported_t;

typedef struct {
    bm_judgement_t judgement;
    bm_direction_t direction;       //  for 改善
    bool has_actual;
    bm_decimal_t actual;
    bool has_baseline;
    bm_decimal_t baseline;          //  previous year, same period
    bm_reported_t reported;
} bm_qualitative_input_t;

typedef struct {
    bool judged;                    //  judged against the baseline, not by report
    bool met;
    bool has_change;
    int64_t change_tenths;          //  (actual / baseline - 1), tenths of a percent
    bm_status_t status;
} bm_qualitative_t;

//  Judge a qualitative target. With a comparable judgement and a baseline
//  it is judged against the baseline: met is on track, not met lagging, no
//  actual not reported. Otherwise the report decides: done is met and on
//  track, in progress at risk, not started lagging, nothing not reported.
//  The change is shown whenever there is an actual and a non-zero baseline
//  (a negative baseline is divided by its magnitude).
void
    bm_evaluate_qualitative (const bm_qualitative_input_t *input,
                             bm_qualitative_t *result);

//  --------------------------------------------------------------------------
//  Text milestones

//  Status of a text milestone of milestone_month, judged in month (both
//  1..12, month >= milestone_month): done is on track; anything else is at
//  risk within the milestone's month (and before it) and lagging once the
//  month is past.
bm_status_t
    bm_evaluate_text_milestone (int milestone_month, int month,
                                bm_reported_t reported);

//  --------------------------------------------------------------------------
//  Composite tasks

typedef enum {
    BM_OVERALL_WORST,               //  the worst measure decides
    BM_OVERALL_AVERAGE              //  the average completion decides
} bm_overall_t;

//  Parse "worst" or "average"; "" and NULL are "worst". Returns 0 or -1.
int
    bm_overall_parse (const char *text, bm_overall_t *overall);

//  "worst" or "average"
const char *
    bm_overall_name (bm_overall_t overall);

//  The overall status of `count` measures: statuses[i] and, where
//  has_rate[i], rates[i] in tenths against the expected value (has_rate and
//  rates may be NULL: no rates). WORST: the most severe status (see
//  bm_status_severity). AVERAGE: the mean of the rates that exist, rounded
//  half away from zero to a tenth, against the thresholds, and set in
//  *average with *has_average true; measures without a rate do not count,
//  and when none has a rate the worst rule decides. has_average and average
//  may be NULL. No measures at all: no_target.
bm_status_t
    bm_evaluate_overall (bm_overall_t rule, size_t count,
                         const bm_status_t *statuses, const bool *has_rate,
                         const int64_t *rates, bm_thresholds_t thresholds,
                         bool *has_average, int64_t *average);

//  Severity for "worst", higher is worse: lagging 7, not_reported 6,
//  partial 5 (a sum not yet judged hides whether it is on track), at_risk 4,
//  on_track 3, no_baseline 2, no_milestone 1, no_target 0. So no_target,
//  no_milestone and no_baseline decide only when nothing else is present.
int
    bm_status_severity (bm_status_t status);

//  --------------------------------------------------------------------------
//  Pace and projection

//  Parse a pace curve: 12 '|'-separated cumulative percentages (spaces
//  around a value are allowed), each a plain decimal in 0..100, none below
//  the month before, the last exactly 100. Returns 0 with curve filled, or
//  -1 with *error (may be NULL) set to a static message.
int
    bm_pace_parse (const char *text, bm_decimal_t curve [12],
                   const char **error);

//  Expected cumulative value for month 1..12: target * curve[month-1] / 100
//  rounded half away from zero to the millionth, or 序时进度
//  (bm_completion_pace, target * month / 12) when curve is NULL.
bm_decimal_t
    bm_pace_expected (bm_decimal_t target, const bm_decimal_t *curve,
                      int month);

//  Year-end projection of an amount from its cumulative actual for month
//  1..12: actual * baseline_december / baseline_month when has_seasonal and
//  baseline_month is not zero (the previous year's seasonal shape), else the
//  run rate actual * 12 / month; rounded half away from zero to the
//  millionth. In December it is the actual itself. Returns false when month
//  is out of range or the result is out of the decimal range.
bool
    bm_evaluate_projection (bm_decimal_t actual, int month, bool has_seasonal,
                            bm_decimal_t baseline_month,
                            bm_decimal_t baseline_december,
                            bm_decimal_t *projection);

#endif
