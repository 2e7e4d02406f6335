/*  bm_cell: one indicator measure for one unit in one month, judged from
    typed facts. One table of cases, every kind of indicator; the expected
    values are worked out by hand from deploy/plans/README.md ("Figures and
    completion") and the headers bm_completion.h, bm_evaluate.h and
    bm_cell.h, the arithmetic in a comment beside each case. */

#include "bm_cell.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static bm_decimal_t
s_d (const char *text)
{
    bm_decimal_t value;
    assert_int_equal (bm_decimal_parse (text, &value, NULL), 0);
    return value;
}

#define S_COUNT(array) (sizeof (array) / sizeof (array) [0])

#define S_AMOUNT    BM_KIND_AMOUNT
#define S_GROWTH    BM_KIND_GROWTH
#define S_RATIO     BM_KIND_RATIO
#define S_LEVEL     BM_KIND_LEVEL
#define S_QUAL      BM_KIND_QUALITATIVE
#define S_GROUP     BM_KIND_GROUP
#define S_LOWER     BM_LOWER_IS_BETTER

#define S_NONE      BM_REPORTED_NONE
#define S_NOT       BM_REPORTED_NOT_STARTED
#define S_PROG      BM_REPORTED_IN_PROGRESS
#define S_DONE      BM_REPORTED_DONE

#define S_ON        BM_STATUS_ON_TRACK
#define S_RISK      BM_STATUS_AT_RISK
#define S_LAG       BM_STATUS_LAGGING
#define S_NR        BM_STATUS_NOT_REPORTED
#define S_NT        BM_STATUS_NO_TARGET
#define S_NB        BM_STATUS_NO_BASELINE
#define S_NM        BM_STATUS_NO_MILESTONE
#define S_PA        BM_STATUS_PARTIAL

//  A plan's pace curve: cumulative percent of the annual target by month
#define S_CURVE     "5|10|21|30|40|50|60|70|80|90|95|100"

//  One cell. Facts left out are absent (NULL, false, 0: the default
//  direction higher, the default thresholds, no milestone); outputs left
//  out must be absent from the result.
typedef struct {
    const char *name;
    //  Facts
    bm_kind_t kind;
    bm_direction_t direction;
    int month;
    int on_track;               //  tenths of a percent, 0: default
    int at_risk;
    const char *pace;           //  pace curve text, NULL: none
    const char *working;        //  working target, NULL: none
    const char *comparator;     //  of a level, NULL: >=
    const char *assessment;     //  考核目标, NULL: none
    const char *growth_target;  //  percent, NULL: none
    const char *words;          //  a qualitative target's words, NULL: none
    bool dash;                  //  the target is "—"
    int milestone_month;        //  latest milestone at or before month, 0: none
    const char *milestone;      //  its value; NULL with a month: text
    const char *share_of;       //  the milestone is the district's, of this target
    bool no_milestone;          //  the month is marked "/"
    int through;                //  measured over months 1..through, 0: 12
    int decimals;               //  expectations rounded to decimals - 1; 0: not
    bool partial;               //  a district sum, units still to report
    const char *actual;         //  NULL: not reported
    bm_reported_t reported;
    const char *baseline;       //  last year, same month; NULL: none
    const char *december;       //  last year, December; NULL: none
    //  Expected
    bm_status_t status;
    const char *expected;       //  NULL: none
    bool is_pace;
    bool is_level;
    bool is_share;
    const char *vs_expected;    //  rates as the wall shows them; NULL: none
    const char *vs_annual;
    const char *vs_assessment;
    const char *growth;
    const char *growth_gap;
    const char *projection;     //  a decimal; NULL: none
    const char *vs_projection;
    bool text_milestone;
    const char *judgement;      //  bm_judgement_name, NULL: none
} s_case_t;

static const s_case_t s_cases [] = {
    //  ----------------------------------------------------------------------
    //  Amount against a numeric milestone

    //  1673.5 / 1670 = 1.002096 -> 100.2; December: projection = actual
    { .name = "amount: the documents' example, December",
      .month = 12, .working = "1670", .milestone_month = 12, .milestone = "1670",
      .actual = "1673.5",
      .status = S_ON, .expected = "1670", .vs_expected = "100.2", .vs_annual = "100.2",
      .projection = "1673.5", .vs_projection = "100.2" },
    //  801.36 / 890.4 = 0.9; / 1855 = 0.432; along the milestones
    //  801.36 * 1855 / 890.4 = 1669.5, / 1855 = 0.9
    { .name = "amount: 90% of June's milestone is at risk",
      .month = 6, .working = "1855", .milestone_month = 6, .milestone = "890.4",
      .actual = "801.36",
      .status = S_RISK, .expected = "890.4", .vs_expected = "90.0", .vs_annual = "43.2",
      .projection = "1669.5", .vs_projection = "90.0" },
    //  the latest milestone at or before the month: 350 / 400 = 87.5;
    //  350 / 1200 = 29.17; along the milestones 350 * 1200 / 400 = 1050,
    //  / 1200 = 87.5
    { .name = "amount: April's milestone still holds in May",
      .month = 5, .working = "1200", .milestone_month = 4, .milestone = "400",
      .actual = "350",
      .status = S_LAG, .expected = "400", .vs_expected = "87.5", .vs_annual = "29.2",
      .projection = "1050", .vs_projection = "87.5" },
    { .name = "amount: not reported",
      .month = 6, .working = "1855", .milestone_month = 6, .milestone = "890.4",
      .status = S_NR, .expected = "890.4" },

    //  ----------------------------------------------------------------------
    //  Amount with no milestone: 序时进度, target * month / 12

    //  600 * 6 / 12 = 300
    { .name = "amount: 序时进度 by June is half the target",
      .month = 6, .working = "600", .actual = "300",
      .status = S_ON, .expected = "300", .is_pace = true, .vs_expected = "100.0",
      .vs_annual = "50.0", .projection = "600", .vs_projection = "100.0" },
    //  55 * 3 / 12 = 13.75; 12 / 13.75 = 0.87273; 12 / 55 = 0.21818;
    //  12 * 4 = 48, / 55 = 0.87273
    { .name = "amount: 序时进度 in March",
      .month = 3, .working = "55", .actual = "12",
      .status = S_LAG, .expected = "13.75", .is_pace = true, .vs_expected = "87.3",
      .vs_annual = "21.8", .projection = "48", .vs_projection = "87.3" },
    //  55 / 12 = 4.5833333 -> 4.583333; 4.6 / 4.583333 = 1.003637;
    //  4.6 / 55 = 0.083636; 4.6 * 12 = 55.2, / 55 = 1.003636
    { .name = "amount: 序时进度 to the millionth in January",
      .month = 1, .working = "55", .actual = "4.6",
      .status = S_ON, .expected = "4.583333", .is_pace = true, .vs_expected = "100.4",
      .vs_annual = "8.4", .projection = "55.2", .vs_projection = "100.4" },
    //  175 expected; 100 / 175 = 0.571429; 100 / 300 = 0.333;
    //  100 * 12 / 7 = 171.4285714 -> 171.428571, / 300 = 0.571429
    { .name = "amount: run rate to the millionth in July",
      .month = 7, .working = "300", .actual = "100",
      .status = S_LAG, .expected = "175", .is_pace = true, .vs_expected = "57.1",
      .vs_annual = "33.3", .projection = "171.428571", .vs_projection = "57.1" },

    //  ----------------------------------------------------------------------
    //  Amount with the plan's pace curve

    //  1855 * 21% = 389.55; / 1855 = 21.0; along the curve 389.55 / 21% =
    //  1855, / 1855 = 1.0
    { .name = "amount: the pace curve gives March 21%",
      .month = 3, .pace = S_CURVE, .working = "1855", .actual = "389.55",
      .status = S_ON, .expected = "389.55", .is_pace = true, .vs_expected = "100.0",
      .vs_annual = "21.0", .projection = "1855", .vs_projection = "100.0" },
    //  1000 * 95% = 950; 900 / 950 = 0.947368; along the curve 900 / 95% =
    //  947.3684210 -> 947.368421, / 1000 = 0.947368
    { .name = "amount: the pace curve in November",
      .month = 11, .pace = S_CURVE, .working = "1000", .actual = "900",
      .status = S_RISK, .expected = "950", .is_pace = true, .vs_expected = "94.7",
      .vs_annual = "90.0", .projection = "947.368421", .vs_projection = "94.7" },
    //  400 / 1855 = 0.215633; along the milestone 400 * 1855 / 400 = 1855
    { .name = "amount: a numeric milestone comes before the pace curve",
      .month = 3, .pace = S_CURVE, .working = "1855", .milestone_month = 3,
      .milestone = "400", .actual = "400",
      .status = S_ON, .expected = "400", .vs_expected = "100.0", .vs_annual = "21.6",
      .projection = "1855", .vs_projection = "100.0" },

    //  ----------------------------------------------------------------------
    //  Lower is better: target / actual; a ceiling holds all year. The flag
    //  is_pace is set for a ceiling as bm_completion sets it ("not a
    //  milestone", tests/unit/test_completion.c): see the report.

    //  7300 / 8000 = 0.9125 -> 91.3; 8000 * 2 = 16000; 7300 / 16000 =
    //  0.45625 -> 45.6
    { .name = "lower amount: the ceiling is not prorated",
      .direction = S_LOWER, .month = 6, .working = "7300", .actual = "8000",
      .status = S_RISK, .expected = "7300", .is_pace = true, .vs_expected = "91.3",
      .vs_annual = "91.3", .projection = "16000", .vs_projection = "45.6" },
    //  the curve would give 3650; a ceiling stays 7300
    { .name = "lower amount: a pace curve does not prorate a ceiling",
      .direction = S_LOWER, .month = 6, .pace = S_CURVE, .working = "7300",
      .actual = "7300",
      .status = S_ON, .expected = "7300", .is_pace = true, .vs_expected = "100.0",
      .vs_annual = "100.0", .projection = "14600", .vs_projection = "50.0" },
    //  3650 / 3500 = 1.042857; 7300 / 3500 = 2.085714; along the milestone
    //  3500 * 7300 / 3650 = 7000; 7300 / 7000 = 1.042857
    { .name = "lower amount: under a numeric milestone",
      .direction = S_LOWER, .month = 6, .working = "7300", .milestone_month = 6,
      .milestone = "3650", .actual = "3500",
      .status = S_ON, .expected = "3650", .vs_expected = "104.3", .vs_annual = "208.6",
      .projection = "7000", .vs_projection = "104.3" },

    //  ----------------------------------------------------------------------
    //  Rounding at .05, half away from zero

    //  89.95 / 100 -> 90.0; 89.95 / 200 = 44.975 -> 45.0; 179.9 / 200
    { .name = "rounding: 89.95% reads 90.0, at risk",
      .month = 6, .working = "200", .milestone_month = 6, .milestone = "100",
      .actual = "89.95",
      .status = S_RISK, .expected = "100", .vs_expected = "90.0", .vs_annual = "45.0",
      .projection = "179.9", .vs_projection = "90.0" },
    //  89.949999 -> 89.9; / 200 = 44.9749995 -> 45.0; 179.899998 / 200
    { .name = "rounding: 89.949999% reads 89.9, lagging",
      .month = 6, .working = "200", .milestone_month = 6, .milestone = "100",
      .actual = "89.949999",
      .status = S_LAG, .expected = "100", .vs_expected = "89.9", .vs_annual = "45.0",
      .projection = "179.899998", .vs_projection = "89.9" },
    //  99.95 -> 100.0; / 200 = 49.975 -> 50.0
    { .name = "rounding: 99.95% reads 100.0, on track",
      .month = 6, .working = "200", .milestone_month = 6, .milestone = "100",
      .actual = "99.95",
      .status = S_ON, .expected = "100", .vs_expected = "100.0", .vs_annual = "50.0",
      .projection = "199.9", .vs_projection = "100.0" },
    //  1999 / 2000 = 99.95 -> 100.0; 1999 / 4000 = 49.975 -> 50.0
    { .name = "rounding: a ceiling at 1999 / 2000 reads 100.0",
      .direction = S_LOWER, .month = 6, .working = "1999", .actual = "2000",
      .status = S_ON, .expected = "1999", .is_pace = true, .vs_expected = "100.0",
      .vs_annual = "100.0", .projection = "4000", .vs_projection = "50.0" },

    //  ----------------------------------------------------------------------
    //  Per-indicator thresholds

    //  on track at 90%, at risk at 80%: 92 / 100; 92 / 200; 184 / 200
    { .name = "thresholds 90/80: 92% is on track",
      .month = 6, .on_track = 900, .at_risk = 800, .working = "200",
      .milestone_month = 6, .milestone = "100", .actual = "92",
      .status = S_ON, .expected = "100", .vs_expected = "92.0", .vs_annual = "46.0",
      .projection = "184", .vs_projection = "92.0" },
    { .name = "thresholds 90/80: 85% is at risk",
      .month = 6, .on_track = 900, .at_risk = 800, .working = "200",
      .milestone_month = 6, .milestone = "100", .actual = "85",
      .status = S_RISK, .expected = "100", .vs_expected = "85.0", .vs_annual = "42.5",
      .projection = "170", .vs_projection = "85.0" },
    //  79.9 / 200 = 39.95 -> 40.0
    { .name = "thresholds 90/80: 79.9% is lagging",
      .month = 6, .on_track = 900, .at_risk = 800, .working = "200",
      .milestone_month = 6, .milestone = "100", .actual = "79.9",
      .status = S_LAG, .expected = "100", .vs_expected = "79.9", .vs_annual = "40.0",
      .projection = "159.8", .vs_projection = "79.9" },
    //  on track only at 105%, at risk by default at 90%
    { .name = "threshold 105: 102% is at risk",
      .month = 6, .on_track = 1050, .working = "200", .milestone_month = 6,
      .milestone = "100", .actual = "102",
      .status = S_RISK, .expected = "100", .vs_expected = "102.0", .vs_annual = "51.0",
      .projection = "204", .vs_projection = "102.0" },

    //  ----------------------------------------------------------------------
    //  Text milestones: judged by the status reported while there is no figure

    { .name = "text milestone in its month, in progress: at risk",
      .month = 3, .milestone_month = 3, .reported = S_PROG,
      .status = S_RISK, .text_milestone = true },
    { .name = "text milestone in its month, nothing reported: at risk",
      .month = 3, .milestone_month = 3, .reported = S_NONE,
      .status = S_RISK, .text_milestone = true },
    { .name = "text milestone in its month, done: on track",
      .month = 3, .milestone_month = 3, .reported = S_DONE,
      .status = S_ON, .text_milestone = true },
    { .name = "text milestone past its month, in progress: lagging",
      .month = 4, .milestone_month = 3, .reported = S_PROG,
      .status = S_LAG, .text_milestone = true },
    { .name = "text milestone past its month, not started: lagging",
      .month = 6, .milestone_month = 3, .reported = S_NOT,
      .status = S_LAG, .text_milestone = true },
    { .name = "text milestone past its month, nothing reported: lagging",
      .month = 12, .milestone_month = 3, .reported = S_NONE,
      .status = S_LAG, .text_milestone = true },
    { .name = "text milestone done late: on track",
      .month = 5, .milestone_month = 3, .reported = S_DONE,
      .status = S_ON, .text_milestone = true },
    //  before the text milestone's month there is no milestone yet:
    //  120 * 2 / 12 = 20
    { .name = "text milestone not yet due: 序时进度, not reported",
      .month = 2, .working = "120", .reported = S_PROG,
      .status = S_NR, .expected = "20", .is_pace = true },
    //  a text month expects no number: the report decides
    { .name = "text milestone with a target and no figure: the report decides",
      .month = 6, .working = "120", .milestone_month = 6, .reported = S_DONE,
      .status = S_ON, .text_milestone = true },
    //  with a count as well (新增专精特新90家): the report decides, the count
    //  is shown against the annual target, 48 / 120 = 40.0; no projection
    { .name = "text milestone with a count: the report decides, the count is shown",
      .month = 6, .working = "120", .milestone_month = 6, .actual = "48",
      .reported = S_DONE,
      .status = S_ON, .vs_annual = "40.0", .text_milestone = true },
    { .name = "text milestone past its month with a count, in progress: lagging",
      .month = 8, .working = "90", .milestone_month = 7, .actual = "60",
      .reported = S_PROG,
      .status = S_LAG, .vs_annual = "66.7", .text_milestone = true },

    //  ----------------------------------------------------------------------
    //  Amount beside a growth target: the growth is shown, the amount decides

    //  890.4 / 800 = 1.113: 11.3, gap 11.3 - 10.0 = 1.3; 890.4 / 1855 =
    //  0.48; along the milestone 890.4 * 1855 / 890.4 = 1855
    { .name = "amount with a growth target: growth and gap beside",
      .month = 6, .working = "1855", .growth_target = "10", .milestone_month = 6,
      .milestone = "890.4", .actual = "890.4", .baseline = "800",
      .status = S_ON, .expected = "890.4", .vs_expected = "100.0", .vs_annual = "48.0",
      .growth = "11.3", .growth_gap = "1.3", .projection = "1855",
      .vs_projection = "100.0" },
    //  890.4 / 850 = 1.0475294: 4.8, gap -5.2; still on track
    { .name = "amount on track, its growth short: the amount decides",
      .month = 6, .working = "1855", .growth_target = "10", .milestone_month = 6,
      .milestone = "890.4", .actual = "890.4", .baseline = "850",
      .status = S_ON, .expected = "890.4", .vs_expected = "100.0", .vs_annual = "48.0",
      .growth = "4.8", .growth_gap = "-5.2", .projection = "1855",
      .vs_projection = "100.0" },
    { .name = "amount with a growth target and no baseline: no growth",
      .month = 6, .working = "1855", .growth_target = "10", .milestone_month = 6,
      .milestone = "890.4", .actual = "890.4",
      .status = S_ON, .expected = "890.4", .vs_expected = "100.0", .vs_annual = "48.0",
      .projection = "1855", .vs_projection = "100.0" },
    //  300 / 250 = 1.2: 20.0, no target growth: no gap
    { .name = "amount with last year and no growth target: growth, no gap",
      .month = 6, .working = "600", .actual = "300", .baseline = "250",
      .status = S_ON, .expected = "300", .is_pace = true, .vs_expected = "100.0",
      .vs_annual = "50.0", .growth = "20.0", .projection = "600",
      .vs_projection = "100.0" },

    //  ----------------------------------------------------------------------
    //  Year-end projection of an amount

    //  seasonal: 500 * 1000 / 400 = 1250, / 1200 = 1.041667; 500 / 600 =
    //  0.833333; 500 / 1200 = 0.416667; 500 / 400 = 1.25: 25.0
    { .name = "projection: last year's seasonal shape",
      .month = 6, .working = "1200", .actual = "500", .baseline = "400",
      .december = "1000",
      .status = S_LAG, .expected = "600", .is_pace = true, .vs_expected = "83.3",
      .vs_annual = "41.7", .growth = "25.0", .projection = "1250",
      .vs_projection = "104.2" },
    //  December: the actual; 1673.5 / 1600 = 1.0459375 -> 104.6;
    //  1673.5 / 1500 = 1.115667: 11.6
    { .name = "projection: December is the actual, seasonal or not",
      .month = 12, .working = "1600", .actual = "1673.5", .baseline = "1500",
      .december = "1500",
      .status = S_ON, .expected = "1600", .is_pace = true, .vs_expected = "104.6",
      .vs_annual = "104.6", .growth = "11.6", .projection = "1673.5",
      .vs_projection = "104.6" },
    //  a zero baseline month cannot give a shape: run rate 600; no growth
    { .name = "projection: a zero baseline month falls back to the run rate",
      .month = 6, .working = "600", .actual = "300", .baseline = "0",
      .december = "1000",
      .status = S_ON, .expected = "300", .is_pace = true, .vs_expected = "100.0",
      .vs_annual = "50.0", .projection = "600", .vs_projection = "100.0" },
    { .name = "projection: last December alone is no shape: run rate",
      .month = 6, .working = "600", .actual = "300", .december = "1000",
      .status = S_ON, .expected = "300", .is_pace = true, .vs_expected = "100.0",
      .vs_annual = "50.0", .projection = "600", .vs_projection = "100.0" },

    //  ----------------------------------------------------------------------
    //  Growth: (actual / baseline - 1) * 100 against the target growth

    { .name = "growth: 9.5% against 10% is 95.0, at risk",
      .kind = S_GROWTH, .month = 6, .growth_target = "10", .actual = "109.5",
      .baseline = "100",
      .status = S_RISK, .vs_expected = "95.0", .growth = "9.5", .growth_gap = "-0.5" },
    { .name = "growth: met exactly",
      .kind = S_GROWTH, .month = 6, .growth_target = "10", .actual = "110",
      .baseline = "100",
      .status = S_ON, .vs_expected = "100.0", .growth = "10.0", .growth_gap = "0.0" },
    { .name = "growth: 8% against 10% is lagging",
      .kind = S_GROWTH, .month = 6, .growth_target = "10", .actual = "108",
      .baseline = "100",
      .status = S_LAG, .vs_expected = "80.0", .growth = "8.0", .growth_gap = "-2.0" },
    //  a loss halved: (-50 - -100) / |-100| = 50.0; 50 / 10 = 500.0
    { .name = "growth: a negative baseline divides by its magnitude",
      .kind = S_GROWTH, .month = 6, .growth_target = "10", .actual = "-50",
      .baseline = "-100",
      .status = S_ON, .vs_expected = "500.0", .growth = "50.0", .growth_gap = "40.0" },
    { .name = "growth: no baseline",
      .kind = S_GROWTH, .month = 6, .growth_target = "10", .actual = "110",
      .status = S_NB },
    { .name = "growth: a zero baseline",
      .kind = S_GROWTH, .month = 6, .growth_target = "10", .actual = "110",
      .baseline = "0",
      .status = S_NB },
    { .name = "growth: not reported",
      .kind = S_GROWTH, .month = 6, .growth_target = "10", .baseline = "100",
      .status = S_NR },
    { .name = "growth: no target growth, the growth is shown",
      .kind = S_GROWTH, .month = 6, .actual = "105", .baseline = "100",
      .status = S_NT, .growth = "5.0" },
    { .name = "growth: no target growth and no figure",
      .kind = S_GROWTH, .month = 6, .baseline = "100",
      .status = S_NR },
    //  增长0%: no ratio; within 1 point below is at risk
    { .name = "growth: 增长0%, 0.8 below",
      .kind = S_GROWTH, .month = 6, .growth_target = "0", .actual = "99.2",
      .baseline = "100",
      .status = S_RISK, .growth = "-0.8", .growth_gap = "-0.8" },
    { .name = "growth: 增长0%, 1.1 below",
      .kind = S_GROWTH, .month = 6, .growth_target = "0", .actual = "98.9",
      .baseline = "100",
      .status = S_LAG, .growth = "-1.1", .growth_gap = "-1.1" },
    //  -9.95 rounds away from zero to -10.0, which reaches the target
    { .name = "growth: -9.95 rounds away from zero to -10.0",
      .kind = S_GROWTH, .month = 6, .growth_target = "-10", .actual = "90.05",
      .baseline = "100",
      .status = S_ON, .growth = "-10.0", .growth_gap = "0.0" },
    //  6.25 achieved -> 6.3; target 6.25 -> 6.3 in the gap; 6.3 / 6.25 = 1.008
    { .name = "growth: a target of 6.25 is 6.3 in the gap",
      .kind = S_GROWTH, .month = 6, .growth_target = "6.25", .actual = "106.25",
      .baseline = "100",
      .status = S_ON, .vs_expected = "100.8", .growth = "6.3", .growth_gap = "0.0" },
    //  下降3%: -4.0 / -3 = 1.3333
    { .name = "growth lower: 下降3%, fell 4%",
      .kind = S_GROWTH, .direction = S_LOWER, .month = 6, .growth_target = "-3",
      .actual = "96", .baseline = "100",
      .status = S_ON, .vs_expected = "133.3", .growth = "-4.0", .growth_gap = "-1.0" },
    //  -2.7 / -3 = 0.9
    { .name = "growth lower: 下降3%, fell 2.7%",
      .kind = S_GROWTH, .direction = S_LOWER, .month = 6, .growth_target = "-3",
      .actual = "97.3", .baseline = "100",
      .status = S_RISK, .vs_expected = "90.0", .growth = "-2.7", .growth_gap = "0.3" },
    { .name = "growth: thresholds 95/80, 9.5% against 10% is on track",
      .kind = S_GROWTH, .month = 6, .on_track = 950, .at_risk = 800,
      .growth_target = "10", .actual = "109.5", .baseline = "100",
      .status = S_ON, .vs_expected = "95.0", .growth = "9.5", .growth_gap = "-0.5" },
    { .name = "growth: thresholds 95/80, 8.5% against 10% is at risk",
      .kind = S_GROWTH, .month = 6, .on_track = 950, .at_risk = 800,
      .growth_target = "10", .actual = "108.5", .baseline = "100",
      .status = S_RISK, .vs_expected = "85.0", .growth = "8.5", .growth_gap = "-1.5" },
    { .name = "growth: \"—\" beside a growth target does not hide it",
      .kind = S_GROWTH, .month = 6, .dash = true, .growth_target = "10",
      .actual = "110", .baseline = "100",
      .status = S_ON, .vs_expected = "100.0", .growth = "10.0", .growth_gap = "0.0" },

    //  ----------------------------------------------------------------------
    //  Level: the value against the level, not prorated by month

    //  96.5 / 96 = 1.005208
    { .name = "level >=: above, in March the full level",
      .kind = S_LEVEL, .month = 3, .working = "96", .comparator = ">=", .actual = "96.5",
      .status = S_ON, .expected = "96", .is_level = true, .vs_expected = "100.5",
      .vs_annual = "100.5" },
    //  95.99 / 96 = 0.999896 -> 100.0, but not met
    { .name = "level >=: reads 100.0 but is below, at risk",
      .kind = S_LEVEL, .month = 6, .working = "96", .comparator = ">=",
      .actual = "95.99",
      .status = S_RISK, .expected = "96", .is_level = true, .vs_expected = "100.0",
      .vs_annual = "100.0" },
    //  90 / 96 = 0.9375 -> 93.8
    { .name = "level >=: not met, at risk",
      .kind = S_LEVEL, .month = 6, .working = "96", .comparator = ">=", .actual = "90",
      .status = S_RISK, .expected = "96", .is_level = true, .vs_expected = "93.8",
      .vs_annual = "93.8" },
    //  80 / 96 = 0.833333
    { .name = "level >=: not met, lagging",
      .kind = S_LEVEL, .month = 12, .working = "96", .comparator = ">=", .actual = "80",
      .status = S_LAG, .expected = "96", .is_level = true, .vs_expected = "83.3",
      .vs_annual = "83.3" },
    //  = met beyond in the better direction: 8 / 7 = 1.142857
    { .name = "level =: 7家 met by 8",
      .kind = S_LEVEL, .month = 12, .working = "7", .comparator = "=", .actual = "8",
      .status = S_ON, .expected = "7", .is_level = true, .vs_expected = "114.3",
      .vs_annual = "114.3" },
    //  ceiling: 0.0238 / 0.02 = 1.19
    { .name = "level <=: under the ceiling",
      .kind = S_LEVEL, .direction = S_LOWER, .month = 9, .working = "0.0238",
      .comparator = "<=", .actual = "0.02",
      .status = S_ON, .expected = "0.0238", .is_level = true, .vs_expected = "119.0",
      .vs_annual = "119.0" },
    { .name = "level <=: at the ceiling",
      .kind = S_LEVEL, .direction = S_LOWER, .month = 9, .working = "0.0238",
      .comparator = "<=", .actual = "0.0238",
      .status = S_ON, .expected = "0.0238", .is_level = true, .vs_expected = "100.0",
      .vs_annual = "100.0" },
    //  0.0238 / 0.025 = 0.952
    { .name = "level <=: a little over, at risk",
      .kind = S_LEVEL, .direction = S_LOWER, .month = 9, .working = "0.0238",
      .comparator = "<=", .actual = "0.025",
      .status = S_RISK, .expected = "0.0238", .is_level = true, .vs_expected = "95.2",
      .vs_annual = "95.2" },
    //  0.0238 / 0.03 = 0.793333
    { .name = "level <=: far over, lagging",
      .kind = S_LEVEL, .direction = S_LOWER, .month = 9, .working = "0.0238",
      .comparator = "<=", .actual = "0.03",
      .status = S_LAG, .expected = "0.0238", .is_level = true, .vs_expected = "79.3",
      .vs_annual = "79.3" },
    { .name = "level: not reported, the level still shown",
      .kind = S_LEVEL, .month = 6, .working = "96", .comparator = ">=",
      .status = S_NR, .expected = "96", .is_level = true },
    //  85 / 96 = 0.885417: at risk from 80%
    { .name = "level: thresholds 95/80, 88.5% is at risk",
      .kind = S_LEVEL, .month = 6, .on_track = 950, .at_risk = 800, .working = "96",
      .comparator = ">=", .actual = "85",
      .status = S_RISK, .expected = "96", .is_level = true, .vs_expected = "88.5",
      .vs_annual = "88.5" },
    { .name = "level: no target",
      .kind = S_LEVEL, .month = 6, .actual = "50",
      .status = S_NT },

    //  ----------------------------------------------------------------------
    //  Ratio: like a level, on the computed value

    //  31.2 / 30 = 1.04
    { .name = "ratio >=: met",
      .kind = S_RATIO, .month = 9, .working = "30", .comparator = ">=", .actual = "31.2",
      .status = S_ON, .expected = "30", .is_level = true, .vs_expected = "104.0",
      .vs_annual = "104.0" },
    //  28 / 30 = 0.933333
    { .name = "ratio >=: not met, at risk",
      .kind = S_RATIO, .month = 9, .working = "30", .comparator = ">=", .actual = "28",
      .status = S_RISK, .expected = "30", .is_level = true, .vs_expected = "93.3",
      .vs_annual = "93.3" },
    //  26.5 / 30 = 0.883333
    { .name = "ratio >=: not met, lagging",
      .kind = S_RATIO, .month = 9, .working = "30", .comparator = ">=", .actual = "26.5",
      .status = S_LAG, .expected = "30", .is_level = true, .vs_expected = "88.3",
      .vs_annual = "88.3" },
    //  40 / 38 = 1.052632
    { .name = "ratio <=: met",
      .kind = S_RATIO, .direction = S_LOWER, .month = 9, .working = "40",
      .comparator = "<=", .actual = "38",
      .status = S_ON, .expected = "40", .is_level = true, .vs_expected = "105.3",
      .vs_annual = "105.3" },
    //  40 / 42 = 0.952381
    { .name = "ratio <=: not met, at risk",
      .kind = S_RATIO, .direction = S_LOWER, .month = 9, .working = "40",
      .comparator = "<=", .actual = "42",
      .status = S_RISK, .expected = "40", .is_level = true, .vs_expected = "95.2",
      .vs_annual = "95.2" },

    //  ----------------------------------------------------------------------
    //  Qualitative: against last year where the words name a test, else by
    //  the unit's report; the change is shown as the growth

    { .name = "qualitative 减少: lower than last year, met",
      .kind = S_QUAL, .month = 6, .words = "减少", .actual = "95", .baseline = "100",
      .reported = S_NOT,
      .status = S_ON, .growth = "-5.0", .judgement = "decrease" },
    { .name = "qualitative 提升: held level, not met",
      .kind = S_QUAL, .month = 6, .words = "提升", .actual = "100", .baseline = "100",
      .reported = S_DONE,
      .status = S_LAG, .growth = "0.0", .judgement = "increase" },
    { .name = "qualitative 保持稳定: within 2%",
      .kind = S_QUAL, .month = 6, .words = "保持稳定", .actual = "102", .baseline = "100",
      .status = S_ON, .growth = "2.0", .judgement = "stable" },
    //  2.01% is beyond 2%, shown as 2.0
    { .name = "qualitative 保持稳定: just beyond 2%",
      .kind = S_QUAL, .month = 6, .words = "保持稳定", .actual = "102.01",
      .baseline = "100",
      .status = S_LAG, .growth = "2.0", .judgement = "stable" },
    { .name = "qualitative 保持稳定或有所提升: at 98%",
      .kind = S_QUAL, .month = 6, .words = "保持稳定或有所提升", .actual = "98",
      .baseline = "100",
      .status = S_ON, .growth = "-2.0", .judgement = "stable_or_increase" },
    { .name = "qualitative 保持稳定或有所提升: below 98%",
      .kind = S_QUAL, .month = 6, .words = "保持稳定或有所提升", .actual = "97.99",
      .baseline = "100",
      .status = S_LAG, .growth = "-2.0", .judgement = "stable_or_increase" },
    { .name = "qualitative 改善, lower is better: fell",
      .kind = S_QUAL, .direction = S_LOWER, .month = 6, .words = "改善", .actual = "99",
      .baseline = "100",
      .status = S_ON, .growth = "-1.0", .judgement = "improve" },
    { .name = "qualitative 减少 with last year and no figure: not reported",
      .kind = S_QUAL, .month = 6, .words = "减少", .baseline = "100", .reported = S_DONE,
      .status = S_NR, .judgement = "decrease" },
    { .name = "qualitative 减少 without last year: the report decides",
      .kind = S_QUAL, .month = 6, .words = "减少", .actual = "95", .reported = S_DONE,
      .status = S_ON, .judgement = "decrease" },
    { .name = "qualitative 不低于全市水平: in progress, change shown",
      .kind = S_QUAL, .month = 6, .words = "不低于全市水平", .actual = "105",
      .baseline = "100", .reported = S_PROG,
      .status = S_RISK, .growth = "5.0", .judgement = "reported" },
    { .name = "qualitative 社会知晓度提高: not started",
      .kind = S_QUAL, .month = 6, .words = "社会知晓度提高", .reported = S_NOT,
      .status = S_LAG, .judgement = "reported" },
    { .name = "qualitative 建立健全: nothing reported",
      .kind = S_QUAL, .month = 6, .words = "建立健全",
      .status = S_NR, .judgement = "reported" },
    { .name = "qualitative without words: the report decides",
      .kind = S_QUAL, .month = 6, .reported = S_DONE,
      .status = S_ON, .judgement = "reported" },

    //  ----------------------------------------------------------------------
    //  Group headings and "—": not judged

    { .name = "group: not judged, even with figures",
      .kind = S_GROUP, .month = 6, .working = "100", .actual = "50", .baseline = "40",
      .status = S_NT },
    { .name = "group: nothing at all",
      .kind = S_GROUP, .month = 6,
      .status = S_NT },
    { .name = "amount \"—\" only, with a figure",
      .month = 6, .dash = true, .actual = "5",
      .status = S_NT },
    { .name = "amount \"—\" only, no figure",
      .month = 6, .dash = true,
      .status = S_NT },
    { .name = "level \"—\" only, with a figure",
      .kind = S_LEVEL, .month = 6, .dash = true, .actual = "5",
      .status = S_NT },

    //  ----------------------------------------------------------------------
    //  考核目标 beside the working target: shown, the working target decides

    //  1820 / 1855 = 0.981132; 1820 / 1800 = 1.011111
    { .name = "assessment: shown beside the working target",
      .month = 12, .working = "1855", .assessment = "1800", .actual = "1820",
      .status = S_RISK, .expected = "1855", .is_pace = true, .vs_expected = "98.1",
      .vs_annual = "98.1", .vs_assessment = "101.1", .projection = "1820",
      .vs_projection = "98.1" },
    //  7300 / 7400 = 0.986486; 7500 / 7400 = 1.013514; 7300 / 14800 = 0.493243
    { .name = "assessment: lower is better",
      .direction = S_LOWER, .month = 6, .working = "7300", .assessment = "7500",
      .actual = "7400",
      .status = S_RISK, .expected = "7300", .is_pace = true, .vs_expected = "98.6",
      .vs_annual = "98.6", .vs_assessment = "101.4", .projection = "14800",
      .vs_projection = "49.3" },
    { .name = "assessment: not reported",
      .month = 12, .working = "1855", .assessment = "1800",
      .status = S_NR, .expected = "1855", .is_pace = true },

    //  ----------------------------------------------------------------------
    //  The documents' rules (seed 000, seed 002)

    //  "/" (四个一批 in January): shown, not judged, no 序时, no projection;
    //  3 / 26 = 11.5
    { .name = "\"/\": nothing expected, shown and not judged",
      .month = 1, .working = "26", .no_milestone = true, .actual = "3",
      .status = S_NM, .vs_annual = "11.5" },
    { .name = "\"/\": nothing expected, nothing sent",
      .month = 1, .working = "26", .no_milestone = true,
      .status = S_NM },
    //  a unit's share of the district's milestone: 8 * 11 / 26 = 3.384615,
    //  a count: 3; 3 / 3 = 100.0; 3 / 8 = 37.5; along the district's curve
    //  3 * 26 / 11 = 7.090909, / 8 = 0.886364
    { .name = "a unit's share of the district's milestone, in whole units",
      .month = 4, .working = "8", .milestone_month = 4, .milestone = "11",
      .share_of = "26", .decimals = 1, .actual = "3",
      .status = S_ON, .expected = "3", .is_share = true, .vs_expected = "100.0",
      .vs_annual = "37.5", .projection = "7.090909", .vs_projection = "88.6" },
    //  5.0 * 890.4 / 1855 = 2.4, one decimal: 2.4; 2.2 / 2.4 = 0.916667;
    //  2.2 * 1855 / 890.4 = 4.583333, / 5 = 0.916667
    { .name = "a unit's share of the district's milestone, one decimal",
      .month = 6, .working = "5.0", .milestone_month = 6, .milestone = "890.4",
      .share_of = "1855", .decimals = 2, .actual = "2.2",
      .status = S_RISK, .expected = "2.4", .is_share = true, .vs_expected = "91.7",
      .vs_annual = "44.0", .projection = "4.583333", .vs_projection = "91.7" },
    //  a count's 序时进度 is never a fraction: 26 * 1 / 12 = 2.1667 -> 2
    { .name = "序时进度 of a count: whole units",
      .month = 1, .working = "26", .decimals = 1, .actual = "2",
      .status = S_ON, .expected = "2", .is_pace = true, .vs_expected = "100.0",
      .vs_annual = "7.7", .projection = "24", .vs_projection = "92.3" },
    //  3 * 2 / 12 = 0.5 -> 1 (half away from zero); 0 / 1 = 0: lagging
    { .name = "序时进度 of a count rounds half away from zero",
      .month = 2, .working = "3", .decimals = 1, .actual = "0",
      .status = S_LAG, .expected = "1", .is_pace = true, .vs_expected = "0.0",
      .vs_annual = "0.0", .projection = "0", .vs_projection = "0.0" },
    //  1-11月: 2868 * 6 / 11 = 1564.363636 -> 1564.4; 1564.4 * 11 / 6 =
    //  2868.066667, / 2868 = 1.000023
    { .name = "1-11月: paced to November",
      .month = 6, .working = "2868.0", .through = 11, .decimals = 2, .actual = "1564.4",
      .status = S_ON, .expected = "1564.4", .is_pace = true, .vs_expected = "100.0",
      .vs_annual = "54.5", .projection = "2868.066667", .vs_projection = "100.0" },
    //  November is the whole period: expected the target, projection the actual
    { .name = "1-11月: November expects the whole target",
      .month = 11, .working = "2868.0", .through = 11, .decimals = 2, .actual = "2800",
      .status = S_RISK, .expected = "2868", .is_pace = true, .vs_expected = "97.6",
      .vs_annual = "97.6", .projection = "2800", .vs_projection = "97.6" },
    //  民航 in June (seed 000 部门级7): 10.14 against 9.8 of 44; along the
    //  milestones 10.14 * 44 / 9.8 = 45.526531, / 44 = 1.034694
    { .name = "projection along the milestones: 民航 in June",
      .month = 6, .working = "44", .milestone_month = 6, .milestone = "9.8",
      .actual = "10.14",
      .status = S_ON, .expected = "9.8", .vs_expected = "103.5", .vs_annual = "23.0",
      .projection = "45.526531", .vs_projection = "103.5" },
    //  a district's sum while units still report: shown, not judged
    { .name = "partial district sum: 未齐, not judged",
      .month = 6, .working = "1855", .milestone_month = 6, .milestone = "890.4",
      .actual = "9.4", .partial = true,
      .status = S_PA, .expected = "890.4" },
    { .name = "partial district sum, nothing expected: still 无节点",
      .month = 1, .working = "26", .no_milestone = true, .actual = "1", .partial = true,
      .status = S_NM },
};

//  --------------------------------------------------------------------------
//  Checks, each naming the case and the field

static void
s_check_rate (const char *name, const char *field, bool has, int64_t tenths,
              const char *expected)
{
    char buf [BM_DECIMAL_STR_MAX];
    if (has != (expected != NULL))
        fail_msg ("%s: %s %s, expected %s", name, field,
                  has? bm_percent_format (tenths, buf): "none", expected? expected: "none");
    if (expected && strcmp (bm_percent_format (tenths, buf), expected) != 0)
        fail_msg ("%s: %s %s, expected %s", name, field, buf, expected);
}

static void
s_check_decimal (const char *name, const char *field, bool has, bm_decimal_t value,
                 const char *expected)
{
    char buf [BM_DECIMAL_STR_MAX];
    if (has != (expected != NULL))
        fail_msg ("%s: %s %s, expected %s", name, field,
                  has? bm_decimal_format (value, buf): "none", expected? expected: "none");
    if (expected && bm_decimal_cmp (value, s_d (expected)) != 0)
        fail_msg ("%s: %s %s, expected %s", name, field, bm_decimal_format (value, buf),
                  expected);
}

static void
s_check_flag (const char *name, const char *field, bool value, bool expected)
{
    if (value != expected)
        fail_msg ("%s: %s %d, expected %d", name, field, value, expected);
}

//  The facts of a case
static void
s_facts (const s_case_t *c, bm_cell_facts_t *facts, bm_decimal_t curve [12])
{
    *facts = (bm_cell_facts_t) {
        .month = c->month, .kind = c->kind, .direction = c->direction,
        .thresholds = { .on_track_tenths = c->on_track, .at_risk_tenths = c->at_risk },
        .milestone_month = c->milestone_month, .reported = c->reported,
        .no_milestone = c->no_milestone, .through_month = c->through,
        .has_decimals = c->decimals > 0, .decimals = c->decimals - 1,
        .partial = c->partial
    };
    if (c->share_of) {
        facts->milestone_is_share = true;
        facts->share_of = s_d (c->share_of);
    }
    if (c->pace) {
        const char *error = NULL;
        if (bm_pace_parse (c->pace, curve, &error) != 0)
            fail_msg ("%s: pace: %s", c->name, error);
        facts->pace = curve;
    }
    bm_cell_targets_t *targets = &facts->targets;
    if (c->working) {
        targets->has_working = true;
        targets->working = s_d (c->working);
    }
    assert_int_equal (bm_comparator_parse (c->comparator? c->comparator: ">=",
                                           &targets->comparator), 0);
    if (c->assessment) {
        targets->has_assessment = true;
        targets->assessment = s_d (c->assessment);
    }
    if (c->growth_target) {
        targets->has_growth = true;
        targets->growth = s_d (c->growth_target);
    }
    if (c->words) {
        targets->has_words = true;
        targets->judgement = bm_judgement_parse (c->words);
    }
    targets->no_target = c->dash;
    if (c->milestone) {
        facts->milestone_has_value = true;
        facts->milestone = s_d (c->milestone);
    }
    if (c->actual) {
        facts->has_actual = true;
        facts->actual = s_d (c->actual);
    }
    if (c->baseline) {
        facts->has_baseline = true;
        facts->baseline = s_d (c->baseline);
    }
    if (c->december) {
        facts->has_december = true;
        facts->december = s_d (c->december);
    }
}

static void
s_check_case (const s_case_t *c)
{
    bm_decimal_t curve [12];
    bm_cell_facts_t facts;
    s_facts (c, &facts, curve);
    bm_cell_t cell;
    memset (&cell, 0x5A, sizeof cell);      //  every field must be set
    bm_cell_judge (&facts, &cell);

    if (cell.status != c->status)
        fail_msg ("%s: status %s, expected %s", c->name, bm_status_name (cell.status),
                  bm_status_name (c->status));
    s_check_decimal (c->name, "expected", cell.has_expected, cell.expected, c->expected);
    s_check_flag (c->name, "expected_is_pace", cell.expected_is_pace, c->is_pace);
    s_check_flag (c->name, "expected_is_level", cell.expected_is_level, c->is_level);
    s_check_flag (c->name, "expected_is_share", cell.expected_is_share, c->is_share);
    s_check_rate (c->name, "vs_expected", cell.has_vs_expected, cell.vs_expected,
                  c->vs_expected);
    s_check_rate (c->name, "vs_annual", cell.has_vs_annual, cell.vs_annual, c->vs_annual);
    s_check_rate (c->name, "vs_assessment", cell.has_vs_assessment, cell.vs_assessment,
                  c->vs_assessment);
    s_check_rate (c->name, "growth", cell.has_growth, cell.growth, c->growth);
    s_check_rate (c->name, "growth_gap", cell.has_growth_gap, cell.growth_gap,
                  c->growth_gap);
    s_check_decimal (c->name, "projection", cell.has_projection, cell.projection,
                     c->projection);
    s_check_rate (c->name, "vs_projection", cell.has_vs_projection, cell.vs_projection,
                  c->vs_projection);
    s_check_flag (c->name, "text_milestone", cell.text_milestone, c->text_milestone);
    if (cell.has_judgement != (c->judgement != NULL))
        fail_msg ("%s: has_judgement %d, expected %s", c->name, cell.has_judgement,
                  c->judgement? c->judgement: "none");
    if (c->judgement && strcmp (bm_judgement_name (cell.judgement), c->judgement) != 0)
        fail_msg ("%s: judgement %s, expected %s", c->name,
                  bm_judgement_name (cell.judgement), c->judgement);
    //  The statuses a lagging alert follows
    bool judged = c->status == S_ON || c->status == S_RISK || c->status == S_LAG;
    s_check_flag (c->name, "bm_cell_is_judged", bm_cell_is_judged (&cell), judged);
}

static void
test_cells (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_cases); index++)
        s_check_case (s_cases + index);
    print_message ("  %zu cells\n", S_COUNT (s_cases));
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_cells),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
