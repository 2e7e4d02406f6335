/*  bm_completion: how far an indicator has come, the way the bureau reads it.

    Pure functions, no I/O. Completion is actual / target in percent to one
    decimal, rounded half away from zero (1673.5 / 1670 -> 100.2). For a
    lower-is-better indicator (失业人数, 事故死亡率) it is target / actual, so
    that staying exactly at the ceiling reads 100.0 and exceeding it reads
    less. The month's expected value is its cumulative milestone where the
    plan gives one, otherwise the time-elapsed share of the annual target
    (序时进度: by June, 50%).
*/
#ifndef BM_COMPLETION_H_INCLUDED
#define BM_COMPLETION_H_INCLUDED

#include "bm_decimal.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum {
    BM_HIGHER_IS_BETTER = 0,
    BM_LOWER_IS_BETTER = 1
} bm_direction_t;

typedef enum {
    BM_STATUS_NOT_REPORTED = 0,     //  no figure for the period
    BM_STATUS_ON_TRACK,             //  at or beyond the expected value
    BM_STATUS_AT_RISK,              //  below, but within the at-risk band
    BM_STATUS_LAGGING,              //  below the at-risk band
    BM_STATUS_NO_TARGET,            //  nothing numeric to compare against
    BM_STATUS_NO_BASELINE,          //  a growth or change needs last year's figure
    BM_STATUS_NO_MILESTONE,         //  the month expects nothing ("/"): not judged
    BM_STATUS_PARTIAL               //  a district sum while units with a target
                                    //  still report: not judged
} bm_status_t;

//  Default thresholds, in tenths of a percent of the expected value
#define BM_ON_TRACK_TENTHS   1000   //  >= 100.0% on track
#define BM_AT_RISK_TENTHS     900   //  >= 90.0% at risk, below: lagging

typedef struct {
    bm_direction_t direction;
    bool has_target;            //  a numeric annual target
    bm_decimal_t target;
    bool has_milestone;         //  a numeric cumulative milestone for the month
    bm_decimal_t milestone;
    int month;                  //  1..12, for 序时进度 when there is no milestone
    bool has_actual;
    bm_decimal_t actual;
    int on_track_tenths;        //  0: default
    int at_risk_tenths;         //  0: default
} bm_completion_input_t;

typedef struct {
    bool has_expected;          //  milestone or 序时进度
    bm_decimal_t expected;
    bool expected_is_pace;      //  expected comes from 序时进度, not a milestone
    bool has_vs_expected;
    int64_t vs_expected;        //  tenths of a percent
    bool has_vs_annual;
    int64_t vs_annual;          //  tenths of a percent
    bm_status_t status;
} bm_completion_t;

//  Completion of `actual` against `target` in tenths of a percent, read in
//  the indicator's direction. Returns -1 when it is undefined (a zero
//  target, or a zero actual for a lower-is-better indicator).
int
    bm_completion_rate (bm_direction_t direction, bm_decimal_t actual,
                        bm_decimal_t target, int64_t *tenths);

//  The month's expected cumulative value by 序时进度: target * month / 12,
//  rounded half away from zero to the millionth.
bm_decimal_t
    bm_completion_pace (bm_decimal_t target, int month);

//  Everything the wall shows for one measure.
void
    bm_completion_compute (const bm_completion_input_t *input,
                           bm_completion_t *result);

//  "on_track", "at_risk", "lagging", "not_reported", "no_target", "no_baseline",
//  "no_milestone", "partial"
const char *
    bm_status_name (bm_status_t status);

//  The status as the wall shows it in Chinese: 正常, 预警, 滞后, 未报送, —, 无基期,
//  无节点, 未齐
const char *
    bm_status_label (bm_status_t status);

#endif
