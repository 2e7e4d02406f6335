/*  bm_evaluate: growth, level, qualitative, text milestones, composite
    tasks, pace and projection, each against a table of cases whose
    expected values are worked out by hand from deploy/plans/README.md. */

#include "bm_evaluate.h"

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

//  Asserts an optional rate, formatted as the wall shows it
static void
s_assert_tenths (const char *name, bool has, int64_t tenths, const char *expected)
{
    char buf [BM_DECIMAL_STR_MAX];
    if ((expected != NULL) != has)
        fail_msg ("%s: has %d, expected %s", name, has, expected? expected: "none");
    if (expected && strcmp (bm_percent_format (tenths, buf), expected) != 0)
        fail_msg ("%s: %s, expected %s", name, buf, expected);
}

static void
s_assert_status (const char *name, bm_status_t status, bm_status_t expected)
{
    if (status != expected)
        fail_msg ("%s: status %s, expected %s", name, bm_status_name (status),
                  bm_status_name (expected));
}

#define S_HIGHER BM_HIGHER_IS_BETTER
#define S_LOWER  BM_LOWER_IS_BETTER
#define S_COUNT(array) (sizeof (array) / sizeof (array) [0])

//  --------------------------------------------------------------------------
//  Kinds and comparators

static void
test_names (void **state)
{
    const char *kinds [] = { "amount", "growth", "ratio", "level", "qualitative", "group" };
    for (size_t index = 0; index < S_COUNT (kinds); index++) {
        bm_kind_t kind = BM_KIND_GROUP;
        assert_int_equal (bm_kind_parse (kinds [index], &kind), 0);
        assert_int_equal (kind, (bm_kind_t) index);
        assert_string_equal (bm_kind_name (kind), kinds [index]);
    }
    const char *comparators [] = { ">=", ">", "=", "<=", "<" };
    for (size_t index = 0; index < S_COUNT (comparators); index++) {
        bm_comparator_t comparator = BM_CMP_LT;
        assert_int_equal (bm_comparator_parse (comparators [index], &comparator), 0);
        assert_int_equal (comparator, (bm_comparator_t) index);
        assert_string_equal (bm_comparator_name (comparator), comparators [index]);
    }
    const char *bad [] = { "", "Amount", "amounts", "≥", "=>", "==", " >=", NULL };
    for (size_t index = 0; index < S_COUNT (bad); index++) {
        bm_kind_t kind = BM_KIND_LEVEL;
        bm_comparator_t comparator = BM_CMP_EQ;
        assert_int_equal (bm_kind_parse (bad [index], &kind), -1);
        assert_int_equal (bm_comparator_parse (bad [index], &comparator), -1);
        assert_int_equal (kind, BM_KIND_LEVEL);
        assert_int_equal (comparator, BM_CMP_EQ);
    }
}

//  --------------------------------------------------------------------------
//  Growth

typedef struct {
    const char *name;
    bm_direction_t direction;
    const char *target;         //  target growth, percent
    const char *actual;         //  NULL: not reported
    const char *baseline;       //  NULL: none
    const char *growth;         //  NULL: cannot be computed
    const char *gap;
    const char *rate;           //  NULL: none
    bm_status_t status;
} s_growth_case_t;

static const s_growth_case_t s_growth_cases [] = {
    { "met exactly", S_HIGHER, "10", "110", "100", "10.0", "0.0", "100.0", BM_STATUS_ON_TRACK },
    { "9.5% against 10%", S_HIGHER, "10", "109.5", "100", "9.5", "-0.5", "95.0", BM_STATUS_AT_RISK },
    { "8% against 10%", S_HIGHER, "10", "108", "100", "8.0", "-2.0", "80.0", BM_STATUS_LAGGING },
    { "9.95 rounds to 10.0", S_HIGHER, "10", "109.95", "100", "10.0", "0.0", "100.0",
      BM_STATUS_ON_TRACK },
    { "9.949999 rounds to 9.9", S_HIGHER, "10", "109.949999", "100", "9.9", "-0.1", "99.0",
      BM_STATUS_AT_RISK },
    { "growth falls", S_HIGHER, "10", "95", "100", "-5.0", "-15.0", "-50.0", BM_STATUS_LAGGING },
    { "6% on 规上服务业", S_HIGHER, "6", "1060", "1000", "6.0", "0.0", "100.0", BM_STATUS_ON_TRACK },
    { "target 6.25 rounds to 6.3 in the gap", S_HIGHER, "6.25", "106.25", "100", "6.3", "0.0",
      "100.8", BM_STATUS_ON_TRACK },
    { "增长0%: held", S_HIGHER, "0", "100", "100", "0.0", "0.0", NULL, BM_STATUS_ON_TRACK },
    { "增长0%: 0.8 below", S_HIGHER, "0", "99.2", "100", "-0.8", "-0.8", NULL, BM_STATUS_AT_RISK },
    { "增长0%: exactly 1 point below", S_HIGHER, "0", "99", "100", "-1.0", "-1.0", NULL,
      BM_STATUS_AT_RISK },
    { "增长0%: 1.1 below", S_HIGHER, "0", "98.9", "100", "-1.1", "-1.1", NULL, BM_STATUS_LAGGING },
    { "negative target reached", S_HIGHER, "-5", "96", "100", "-4.0", "1.0", NULL,
      BM_STATUS_ON_TRACK },
    { "negative target missed by 0.5", S_HIGHER, "-5", "94.5", "100", "-5.5", "-0.5", NULL,
      BM_STATUS_AT_RISK },
    { "-9.95 rounds away from zero to -10.0", S_HIGHER, "-10", "90.05", "100", "-10.0", "0.0",
      NULL, BM_STATUS_ON_TRACK },
    { "no baseline", S_HIGHER, "10", "110", NULL, NULL, NULL, NULL, BM_STATUS_NO_BASELINE },
    { "zero baseline", S_HIGHER, "10", "110", "0", NULL, NULL, NULL, BM_STATUS_NO_BASELINE },
    { "not reported", S_HIGHER, "10", NULL, "100", NULL, NULL, NULL, BM_STATUS_NOT_REPORTED },
    { "negative baseline: a loss halved", S_HIGHER, "10", "-50", "-100", "50.0", "40.0", "500.0",
      BM_STATUS_ON_TRACK },
    { "lower: 下降3%, fell 2.7%", S_LOWER, "-3", "97.3", "100", "-2.7", "0.3", "90.0",
      BM_STATUS_AT_RISK },
    { "lower: 下降3%, fell 4%", S_LOWER, "-3", "96", "100", "-4.0", "-1.0", "133.3",
      BM_STATUS_ON_TRACK },
    { "lower: 下降3%, rose", S_LOWER, "-3", "101", "100", "1.0", "4.0", "-33.3",
      BM_STATUS_LAGGING },
    { "lower: ceiling +5%, rose 4%", S_LOWER, "5", "104", "100", "4.0", "-1.0", NULL,
      BM_STATUS_ON_TRACK },
    { "lower: ceiling +5%, rose 5.8%", S_LOWER, "5", "105.8", "100", "5.8", "0.8", NULL,
      BM_STATUS_AT_RISK },
    { "lower: ceiling +5%, rose 6.5%", S_LOWER, "5", "106.5", "100", "6.5", "1.5", NULL,
      BM_STATUS_LAGGING },
    { "lower: ceiling 0%, held", S_LOWER, "0", "100", "100", "0.0", "0.0", NULL,
      BM_STATUS_ON_TRACK },
};

static void
test_growth (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_growth_cases); index++) {
        const s_growth_case_t *c = s_growth_cases + index;
        bm_growth_input_t input = { .direction = c->direction, .target_growth = s_d (c->target) };
        if (c->actual) {
            input.has_actual = true;
            input.actual = s_d (c->actual);
        }
        if (c->baseline) {
            input.has_baseline = true;
            input.baseline = s_d (c->baseline);
        }
        bm_growth_t result;
        bm_evaluate_growth (&input, &result);
        s_assert_tenths (c->name, result.has_growth, result.growth_tenths, c->growth);
        if (c->gap)
            s_assert_tenths (c->name, true, result.gap_tenths, c->gap);
        s_assert_tenths (c->name, result.has_rate, result.rate_tenths, c->rate);
        s_assert_status (c->name, result.status, c->status);
    }
}

static void
test_growth_thresholds (void **state)
{
    bm_growth_input_t input = {
        .target_growth = s_d ("10"), .has_actual = true, .actual = s_d ("109.5"),
        .has_baseline = true, .baseline = s_d ("100"),
        .thresholds = { .on_track_tenths = 950, .at_risk_tenths = 800 }
    };
    bm_growth_t result;
    bm_evaluate_growth (&input, &result);
    assert_int_equal (result.rate_tenths, 950);
    assert_int_equal (result.status, BM_STATUS_ON_TRACK);
    input.actual = s_d ("108.5");
    bm_evaluate_growth (&input, &result);
    assert_int_equal (result.rate_tenths, 850);
    assert_int_equal (result.status, BM_STATUS_AT_RISK);
}

//  --------------------------------------------------------------------------
//  Level

typedef struct {
    const char *name;
    bm_direction_t direction;
    const char *comparator;
    const char *target;
    const char *actual;         //  NULL: not reported
    bool met;
    const char *rate;           //  NULL: undefined
    bm_status_t status;
} s_level_case_t;

static const s_level_case_t s_level_cases [] = {
    { ">= above", S_HIGHER, ">=", "96", "96.5", true, "100.5", BM_STATUS_ON_TRACK },
    { ">= exactly", S_HIGHER, ">=", "96", "96", true, "100.0", BM_STATUS_ON_TRACK },
    { ">= reads 100.0 but is below", S_HIGHER, ">=", "96", "95.99", false, "100.0",
      BM_STATUS_AT_RISK },
    { ">= at risk", S_HIGHER, ">=", "96", "90", false, "93.8", BM_STATUS_AT_RISK },
    { ">= lagging", S_HIGHER, ">=", "96", "80", false, "83.3", BM_STATUS_LAGGING },
    { "> equal is not met", S_HIGHER, ">", "100", "100", false, "100.0", BM_STATUS_AT_RISK },
    { "> above", S_HIGHER, ">", "100", "100.1", true, "100.1", BM_STATUS_ON_TRACK },
    { "= exactly", S_HIGHER, "=", "7", "7", true, "100.0", BM_STATUS_ON_TRACK },
    { "=7家 met by 8", S_HIGHER, "=", "7", "8", true, "114.3", BM_STATUS_ON_TRACK },
    { "=7家 short by 1", S_HIGHER, "=", "7", "6", false, "85.7", BM_STATUS_LAGGING },
    { "= lower, under is better", S_LOWER, "=", "7", "6", true, "116.7", BM_STATUS_ON_TRACK },
    { "= lower, a little over", S_LOWER, "=", "7", "7.5", false, "93.3", BM_STATUS_AT_RISK },
    { "= lower, far over", S_LOWER, "=", "7", "8", false, "87.5", BM_STATUS_LAGGING },
    { "<= ceiling reached exactly", S_LOWER, "<=", "0.0238", "0.0238", true, "100.0",
      BM_STATUS_ON_TRACK },
    { "<= below the ceiling", S_LOWER, "<=", "0.0238", "0.02", true, "119.0",
      BM_STATUS_ON_TRACK },
    { "<= a little over", S_LOWER, "<=", "0.0238", "0.025", false, "95.2", BM_STATUS_AT_RISK },
    { "<= far over", S_LOWER, "<=", "0.0238", "0.03", false, "79.3", BM_STATUS_LAGGING },
    { "<= zero actual on a ceiling", S_LOWER, "<=", "0.0238", "0", true, NULL,
      BM_STATUS_ON_TRACK },
    { "< equal is not met", S_LOWER, "<", "5", "5", false, "100.0", BM_STATUS_AT_RISK },
    { "< below", S_LOWER, "<", "5", "4.9", true, "102.0", BM_STATUS_ON_TRACK },
    { "< zero against zero", S_LOWER, "<", "0", "0", false, NULL, BM_STATUS_LAGGING },
    { ">= zero target, positive", S_HIGHER, ">=", "0", "3", true, NULL, BM_STATUS_ON_TRACK },
    { ">= zero target, negative", S_HIGHER, ">=", "0", "-1", false, NULL, BM_STATUS_LAGGING },
    { "<= zero target, zero", S_LOWER, "<=", "0", "0", true, NULL, BM_STATUS_ON_TRACK },
    { "<= zero target, two", S_LOWER, "<=", "0", "2", false, "0.0", BM_STATUS_LAGGING },
    { "not reported", S_HIGHER, ">=", "96", NULL, false, NULL, BM_STATUS_NOT_REPORTED },
};

static void
test_level (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_level_cases); index++) {
        const s_level_case_t *c = s_level_cases + index;
        bm_level_input_t input = { .direction = c->direction, .target = s_d (c->target) };
        assert_int_equal (bm_comparator_parse (c->comparator, &input.comparator), 0);
        if (c->actual) {
            input.has_actual = true;
            input.actual = s_d (c->actual);
        }
        bm_level_t result;
        bm_evaluate_level (&input, &result);
        if (result.met != c->met)
            fail_msg ("%s: met %d", c->name, result.met);
        s_assert_tenths (c->name, result.has_rate, result.rate_tenths, c->rate);
        s_assert_status (c->name, result.status, c->status);
    }
}

//  --------------------------------------------------------------------------
//  Qualitative

typedef struct {
    const char *text;
    bm_judgement_t judgement;
} s_words_case_t;

static const s_words_case_t s_words_cases [] = {
    { "减少", BM_JUDGE_DECREASE },          { "下降", BM_JUDGE_DECREASE },
    { "降低", BM_JUDGE_DECREASE },          { "逐步减少", BM_JUDGE_DECREASE },
    { "提升", BM_JUDGE_INCREASE },          { "提高", BM_JUDGE_INCREASE },
    { "增加", BM_JUDGE_INCREASE },          { "增长", BM_JUDGE_INCREASE },
    { "有所提升", BM_JUDGE_INCREASE },      { "较上年同比增加", BM_JUDGE_INCREASE },
    { "改善", BM_JUDGE_IMPROVE },           { "进一步改善", BM_JUDGE_IMPROVE },
    { "保持稳定", BM_JUDGE_STABLE },        { "持平", BM_JUDGE_STABLE },
    { "稳定", BM_JUDGE_STABLE },            { "基本持平", BM_JUDGE_STABLE },
    { " 持平。", BM_JUDGE_STABLE },         { "\xE3\x80\x80保持稳定；", BM_JUDGE_STABLE },
    { "保持稳定或有所提升", BM_JUDGE_STABLE_OR_INCREASE },
    { "保持稳定或较上年同比增加", BM_JUDGE_STABLE_OR_INCREASE },
    { "持平或有所提高", BM_JUDGE_STABLE_OR_INCREASE },
    { "稳中有升", BM_JUDGE_STABLE_OR_INCREASE },
    { "不低于全市水平", BM_JUDGE_REPORTED },  { "不低于全市平均水平", BM_JUDGE_REPORTED },
    { "保持全市中上水平", BM_JUDGE_REPORTED }, { "社会知晓度提高", BM_JUDGE_REPORTED },
    { "有效利用", BM_JUDGE_REPORTED },       { "建立健全", BM_JUDGE_REPORTED },
    { "以市下达为准", BM_JUDGE_REPORTED },   { "保持稳定或减少", BM_JUDGE_REPORTED },
    { "减少或保持稳定", BM_JUDGE_REPORTED }, { "提升提升", BM_JUDGE_REPORTED },
    { "有所", BM_JUDGE_REPORTED },           { "或", BM_JUDGE_REPORTED },
    { "", BM_JUDGE_REPORTED },               { NULL, BM_JUDGE_REPORTED },
};

static void
test_judgement_parse (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_words_cases); index++) {
        const s_words_case_t *c = s_words_cases + index;
        bm_judgement_t judgement = bm_judgement_parse (c->text);
        if (judgement != c->judgement)
            fail_msg ("'%s': %s, expected %s", c->text? c->text: "(null)",
                      bm_judgement_name (judgement), bm_judgement_name (c->judgement));
    }
    assert_string_equal (bm_judgement_name (BM_JUDGE_DECREASE), "decrease");
    assert_string_equal (bm_judgement_name (BM_JUDGE_INCREASE), "increase");
    assert_string_equal (bm_judgement_name (BM_JUDGE_IMPROVE), "improve");
    assert_string_equal (bm_judgement_name (BM_JUDGE_STABLE), "stable");
    assert_string_equal (bm_judgement_name (BM_JUDGE_STABLE_OR_INCREASE), "stable_or_increase");
    assert_string_equal (bm_judgement_name (BM_JUDGE_REPORTED), "reported");
}

#define S_NONE  BM_REPORTED_NONE
#define S_NOT   BM_REPORTED_NOT_STARTED
#define S_PROG  BM_REPORTED_IN_PROGRESS
#define S_DONE  BM_REPORTED_DONE

typedef struct {
    const char *text;           //  the target's words
    bm_direction_t direction;
    const char *actual;         //  NULL: none
    const char *baseline;       //  NULL: none
    bm_reported_t reported;
    bool judged;
    bool met;
    const char *change;         //  NULL: none
    bm_status_t status;
} s_qualitative_case_t;

static const s_qualitative_case_t s_qualitative_cases [] = {
    //  Judged against the baseline; the report does not count
    { "减少", S_HIGHER, "95", "100", S_NOT, true, true, "-5.0", BM_STATUS_ON_TRACK },
    { "减少", S_HIGHER, "100", "100", S_DONE, true, false, "0.0", BM_STATUS_LAGGING },
    { "提升", S_HIGHER, "105", "100", S_NONE, true, true, "5.0", BM_STATUS_ON_TRACK },
    { "提升", S_HIGHER, "100", "100", S_DONE, true, false, "0.0", BM_STATUS_LAGGING },
    { "提升", S_HIGHER, "-50", "-100", S_NONE, true, true, "50.0", BM_STATUS_ON_TRACK },
    { "改善", S_HIGHER, "101", "100", S_NONE, true, true, "1.0", BM_STATUS_ON_TRACK },
    { "改善", S_LOWER, "99", "100", S_NONE, true, true, "-1.0", BM_STATUS_ON_TRACK },
    { "改善", S_LOWER, "101", "100", S_DONE, true, false, "1.0", BM_STATUS_LAGGING },
    { "保持稳定", S_HIGHER, "102", "100", S_NONE, true, true, "2.0", BM_STATUS_ON_TRACK },
    { "保持稳定", S_HIGHER, "98", "100", S_NONE, true, true, "-2.0", BM_STATUS_ON_TRACK },
    { "保持稳定", S_HIGHER, "102.01", "100", S_NONE, true, false, "2.0", BM_STATUS_LAGGING },
    { "保持稳定", S_HIGHER, "97.99", "100", S_NONE, true, false, "-2.0", BM_STATUS_LAGGING },
    { "持平", S_HIGHER, "100", "100", S_NONE, true, true, "0.0", BM_STATUS_ON_TRACK },
    { "持平", S_HIGHER, "0", "0", S_NONE, true, true, NULL, BM_STATUS_ON_TRACK },
    { "持平", S_HIGHER, "1", "0", S_NONE, true, false, NULL, BM_STATUS_LAGGING },
    { "保持稳定或有所提升", S_HIGHER, "98", "100", S_NONE, true, true, "-2.0",
      BM_STATUS_ON_TRACK },
    { "保持稳定或有所提升", S_HIGHER, "120", "100", S_NONE, true, true, "20.0",
      BM_STATUS_ON_TRACK },
    { "保持稳定或有所提升", S_HIGHER, "97.99", "100", S_DONE, true, false, "-2.0",
      BM_STATUS_LAGGING },
    { "保持稳定或较上年同比增加", S_HIGHER, "150", "100", S_NONE, true, true, "50.0",
      BM_STATUS_ON_TRACK },
    //  A baseline but no figure yet: not reported, whatever the report
    { "减少", S_HIGHER, NULL, "100", S_DONE, true, false, NULL, BM_STATUS_NOT_REPORTED },
    //  No baseline: the report decides
    { "减少", S_HIGHER, "95", NULL, S_DONE, false, true, NULL, BM_STATUS_ON_TRACK },
    { "提升", S_HIGHER, NULL, NULL, S_PROG, false, false, NULL, BM_STATUS_AT_RISK },
    { "保持稳定", S_HIGHER, NULL, NULL, S_NOT, false, false, NULL, BM_STATUS_LAGGING },
    { "改善", S_HIGHER, NULL, NULL, S_NONE, false, false, NULL, BM_STATUS_NOT_REPORTED },
    { "持平", S_HIGHER, "3", NULL, S_DONE, false, true, NULL, BM_STATUS_ON_TRACK },
    { "保持稳定或有所提升", S_HIGHER, NULL, NULL, S_PROG, false, false, NULL,
      BM_STATUS_AT_RISK },
    //  Words that name no figure: the report decides, the change is shown
    { "不低于全市水平", S_HIGHER, "105", "100", S_DONE, false, true, "5.0",
      BM_STATUS_ON_TRACK },
    { "不低于全市水平", S_HIGHER, "105", "100", S_NONE, false, false, "5.0",
      BM_STATUS_NOT_REPORTED },
    { "社会知晓度提高", S_HIGHER, NULL, NULL, S_PROG, false, false, NULL, BM_STATUS_AT_RISK },
    { "有效利用", S_HIGHER, NULL, NULL, S_NOT, false, false, NULL, BM_STATUS_LAGGING },
    { "建立健全", S_HIGHER, NULL, NULL, S_DONE, false, true, NULL, BM_STATUS_ON_TRACK },
    { "以市下达为准", S_HIGHER, NULL, NULL, S_NONE, false, false, NULL,
      BM_STATUS_NOT_REPORTED },
};

static void
test_qualitative (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_qualitative_cases); index++) {
        const s_qualitative_case_t *c = s_qualitative_cases + index;
        bm_qualitative_input_t input = {
            .judgement = bm_judgement_parse (c->text),
            .direction = c->direction, .reported = c->reported
        };
        if (c->actual) {
            input.has_actual = true;
            input.actual = s_d (c->actual);
        }
        if (c->baseline) {
            input.has_baseline = true;
            input.baseline = s_d (c->baseline);
        }
        char name [128];
        snprintf (name, sizeof name, "case %zu %s", index, c->text);
        bm_qualitative_t result;
        bm_evaluate_qualitative (&input, &result);
        if (result.judged != c->judged || result.met != c->met)
            fail_msg ("%s: judged %d met %d", name, result.judged, result.met);
        s_assert_tenths (name, result.has_change, result.change_tenths, c->change);
        s_assert_status (name, result.status, c->status);
    }
}

//  --------------------------------------------------------------------------
//  Text milestones and composite tasks

static void
test_text_milestone (void **state)
{
    struct { int milestone_month, month; bm_reported_t reported; bm_status_t status; }
    cases [] = {
        { 3, 3, S_NONE, BM_STATUS_AT_RISK },     //  in its month: not yet late
        { 3, 3, S_NOT, BM_STATUS_AT_RISK },
        { 3, 3, S_PROG, BM_STATUS_AT_RISK },
        { 3, 3, S_DONE, BM_STATUS_ON_TRACK },
        { 3, 4, S_NONE, BM_STATUS_LAGGING },     //  overdue
        { 3, 4, S_NOT, BM_STATUS_LAGGING },
        { 3, 12, S_PROG, BM_STATUS_LAGGING },
        { 3, 4, S_DONE, BM_STATUS_ON_TRACK },
        { 12, 12, S_PROG, BM_STATUS_AT_RISK },
    };
    for (size_t index = 0; index < S_COUNT (cases); index++)
        s_assert_status ("text milestone",
                         bm_evaluate_text_milestone (cases [index].milestone_month,
                                                     cases [index].month,
                                                     cases [index].reported),
                         cases [index].status);
}

#define S_ON    BM_STATUS_ON_TRACK
#define S_RISK  BM_STATUS_AT_RISK
#define S_LAG   BM_STATUS_LAGGING
#define S_NR    BM_STATUS_NOT_REPORTED
#define S_NT    BM_STATUS_NO_TARGET
#define S_NB    BM_STATUS_NO_BASELINE

typedef struct {
    const char *name;
    bm_overall_t rule;
    size_t count;
    bm_status_t statuses [4];
    int64_t rates [4];          //  -1: no rate
    int on_track_tenths;
    bm_status_t status;
    const char *average;        //  NULL: none
} s_overall_case_t;

static const s_overall_case_t s_overall_cases [] = {
    { "worst: a lagging measure", BM_OVERALL_WORST, 3, { S_ON, S_LAG, S_RISK },
      { 1100, 800, 950 }, 0, S_LAG, NULL },
    { "worst: not reported beats at risk", BM_OVERALL_WORST, 3, { S_ON, S_NR, S_RISK },
      { 1100, -1, 950 }, 0, S_NR, NULL },
    { "worst: at risk", BM_OVERALL_WORST, 2, { S_ON, S_RISK }, { 1000, 950 }, 0, S_RISK, NULL },
    { "worst: no target ignored", BM_OVERALL_WORST, 2, { S_NT, S_ON }, { -1, 1000 }, 0,
      S_ON, NULL },
    { "worst: no baseline ignored", BM_OVERALL_WORST, 2, { S_ON, S_NB }, { 1000, -1 }, 0,
      S_ON, NULL },
    { "worst: nothing else present", BM_OVERALL_WORST, 2, { S_NT, S_NB }, { -1, -1 }, 0,
      S_NB, NULL },
    { "worst: no measures", BM_OVERALL_WORST, 0, { S_ON }, { 0 }, 0, S_NT, NULL },
    { "average: a lagging measure carried", BM_OVERALL_AVERAGE, 2, { S_ON, S_LAG },
      { 1200, 800 }, 0, S_ON, "100.0" },
    { "average: a lagging measure pulls down", BM_OVERALL_AVERAGE, 2, { S_ON, S_LAG },
      { 1200, 700 }, 0, S_RISK, "95.0" },
    { "average: a missing measure does not count", BM_OVERALL_AVERAGE, 3, { S_ON, S_NR, S_ON },
      { 1100, -1, 1000 }, 0, S_ON, "105.0" },
    { "average: rounds half up", BM_OVERALL_AVERAGE, 2, { S_ON, S_ON }, { 1000, 1001 }, 0,
      S_ON, "100.1" },
    { "average: 94.95 rounds to 95.0", BM_OVERALL_AVERAGE, 2, { S_RISK, S_RISK }, { 999, 900 },
      0, S_RISK, "95.0" },
    { "average: 89.95 rounds to 90.0", BM_OVERALL_AVERAGE, 2, { S_RISK, S_LAG }, { 950, 849 },
      0, S_RISK, "90.0" },
    { "average: custom threshold", BM_OVERALL_AVERAGE, 2, { S_ON, S_LAG }, { 1200, 700 }, 950,
      S_ON, "95.0" },
    { "average: no rates, the worst decides", BM_OVERALL_AVERAGE, 2, { S_NR, S_RISK },
      { -1, -1 }, 0, S_NR, NULL },
};

static void
test_overall (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_overall_cases); index++) {
        const s_overall_case_t *c = s_overall_cases + index;
        bool has_rate [4];
        for (size_t measure = 0; measure < 4; measure++)
            has_rate [measure] = c->rates [measure] >= 0;
        bm_thresholds_t thresholds = { .on_track_tenths = c->on_track_tenths };
        bool has_average = true;
        int64_t average = -1;
        bm_status_t status = bm_evaluate_overall (c->rule, c->count, c->statuses, has_rate,
                                                  c->rates, thresholds, &has_average, &average);
        s_assert_status (c->name, status, c->status);
        s_assert_tenths (c->name, has_average, average, c->average);
    }
    //  No rates given at all, and no outputs wanted
    bm_status_t statuses [] = { S_ON, S_RISK };
    assert_int_equal (bm_evaluate_overall (BM_OVERALL_AVERAGE, 2, statuses, NULL, NULL,
                                           (bm_thresholds_t) { 0 }, NULL, NULL), S_RISK);
}

static void
test_overall_parse (void **state)
{
    bm_overall_t overall = BM_OVERALL_AVERAGE;
    assert_int_equal (bm_overall_parse ("worst", &overall), 0);
    assert_int_equal (overall, BM_OVERALL_WORST);
    assert_int_equal (bm_overall_parse ("average", &overall), 0);
    assert_int_equal (overall, BM_OVERALL_AVERAGE);
    assert_int_equal (bm_overall_parse ("", &overall), 0);
    assert_int_equal (overall, BM_OVERALL_WORST);
    overall = BM_OVERALL_AVERAGE;
    assert_int_equal (bm_overall_parse (NULL, &overall), 0);
    assert_int_equal (overall, BM_OVERALL_WORST);
    assert_int_equal (bm_overall_parse ("mean", &overall), -1);
    assert_int_equal (bm_overall_parse ("Worst", &overall), -1);
    assert_string_equal (bm_overall_name (BM_OVERALL_AVERAGE), "average");
    assert_string_equal (bm_overall_name (BM_OVERALL_WORST), "worst");

    //  The severity order the worst rule uses
    assert_true (bm_status_severity (S_LAG) > bm_status_severity (S_NR));
    assert_true (bm_status_severity (S_NR) > bm_status_severity (S_RISK));
    assert_true (bm_status_severity (S_RISK) > bm_status_severity (S_ON));
    assert_true (bm_status_severity (S_ON) > bm_status_severity (S_NB));
    assert_true (bm_status_severity (S_NB) > bm_status_severity (S_NT));
}

//  --------------------------------------------------------------------------
//  Pace and projection

static void
test_pace_parse (void **state)
{
    bm_decimal_t curve [12];
    const char *error = NULL;
    char buf [BM_DECIMAL_STR_MAX];
    assert_int_equal (bm_pace_parse ("5|10|21|30|40|50|60|70|80|90|95|100", curve, &error), 0);
    assert_string_equal (bm_decimal_format (curve [0], buf), "5");
    assert_string_equal (bm_decimal_format (curve [2], buf), "21");
    assert_string_equal (bm_decimal_format (curve [11], buf), "100");
    assert_int_equal (bm_pace_parse (" 8.333333 | 16.666667|25|25|25|50|50|50|75|75|75| 100 ",
                                     curve, &error), 0);
    assert_string_equal (bm_decimal_format (curve [0], buf), "8.333333");
    assert_string_equal (bm_decimal_format (curve [1], buf), "16.666667");
    assert_int_equal (bm_pace_parse ("0|0|0|0|0|0|0|0|0|0|0|100", curve, NULL), 0);
    assert_int_equal (curve [10].micros, 0);

    struct { const char *text; const char *error; } cases [] = {
        { "5|10|21|30|40|50|60|70|80|90|100",
          "pace has fewer than 12 values: give one cumulative percentage a month" },
        { "5|10|21|30|40|50|60|70|80|90|95|100|100",
          "pace has more than 12 values: give one cumulative percentage a month" },
        { "5|10|21|30|40|50|45|70|80|90|95|100",
          "pace decreases from one month to the next: the values are cumulative" },
        { "10|5|21|30|40|50|60|70|80|90|95|100",
          "pace decreases from one month to the next: the values are cumulative" },
        { "5|10|21|30|40|50|60|70|80|90|95|99.9", "pace must reach 100 in December" },
        { "5|10|x|30|40|50|60|70|80|90|95|100",
          "a pace value is not a plain decimal percentage (5, 12.5)" },
        { "5|10||30|40|50|60|70|80|90|95|100",
          "a pace value is not a plain decimal percentage (5, 12.5)" },
        { "5%|10|21|30|40|50|60|70|80|90|95|100",
          "a pace value is not a plain decimal percentage (5, 12.5)" },
        { "5.1234567|10|21|30|40|50|60|70|80|90|95|100",
          "a pace value is not a plain decimal percentage (5, 12.5)" },
        { "-1|10|21|30|40|50|60|70|80|90|95|100", "a pace value is outside 0..100" },
        { "5|10|21|30|40|50|60|70|80|90|95|101", "a pace value is outside 0..100" },
        { "", "pace is empty: give 12 cumulative percentages separated by '|'" },
        { NULL, "pace is empty: give 12 cumulative percentages separated by '|'" },
    };
    for (size_t index = 0; index < S_COUNT (cases); index++) {
        curve [0].micros = 42;
        error = NULL;
        assert_int_equal (bm_pace_parse (cases [index].text, curve, &error), -1);
        assert_non_null (error);
        assert_string_equal (error, cases [index].error);
        assert_int_equal (curve [0].micros, 42);        //  untouched on error
    }
}

static void
test_pace_expected (void **state)
{
    bm_decimal_t curve [12];
    assert_int_equal (bm_pace_parse ("5|10|21|30|40|50|60|70|80|90|95|33.333333", curve, NULL), -1);
    assert_int_equal (bm_pace_parse ("5|10|21|30|40|50|60|70|80|90|95|100", curve, NULL), 0);
    curve [10] = s_d ("33.333333");     //  any share, to test the arithmetic
    struct { const char *target; bool curve; int month; const char *expected; } cases [] = {
        { "1855", true, 6, "927.5" },
        { "1855", false, 6, "927.5" },
        { "1855", true, 3, "389.55" },
        { "1855", false, 3, "463.75" },
        { "55", false, 1, "4.583333" },
        { "1855", true, 12, "1855" },
        { "100", true, 11, "33.333333" },
        { "0.000001", true, 6, "0.000001" },        //  0.0000005 rounds up
        { "-0.000001", true, 6, "-0.000001" },      //  and away from zero
        { "0.000003", true, 6, "0.000002" },        //  0.0000015
        { "0.000001", true, 1, "0" },               //  0.00000005 rounds down
    };
    char buf [BM_DECIMAL_STR_MAX];
    for (size_t index = 0; index < S_COUNT (cases); index++) {
        bm_decimal_t expected = bm_pace_expected (s_d (cases [index].target),
                                                  cases [index].curve? curve: NULL,
                                                  cases [index].month);
        assert_string_equal (bm_decimal_format (expected, buf), cases [index].expected);
    }
}

static void
test_projection (void **state)
{
    struct {
        const char *actual; int month; bool seasonal;
        const char *baseline_month; const char *baseline_december;
        const char *projection;     //  NULL: cannot be computed
    } cases [] = {
        { "300", 6, false, "0", "0", "600" },
        { "100", 7, false, "0", "0", "171.428571" },
        { "0.000001", 8, false, "0", "0", "0.000002" },     //  0.0000015
        { "-0.000001", 8, false, "0", "0", "-0.000002" },
        { "500", 6, true, "400", "1000", "1250" },
        { "100", 7, true, "300", "700", "233.333333" },
        { "100", 7, true, "300", "800", "266.666667" },
        { "500", 6, true, "0", "1000", "1000" },            //  zero baseline: run rate
        { "1673.5", 12, false, "0", "0", "1673.5" },
        { "1673.5", 12, true, "1500", "1600", "1673.5" },   //  December is the year
        { "300", 0, false, "0", "0", NULL },
        { "300", 13, false, "0", "0", NULL },
        { "9000000000000", 1, false, "0", "0", NULL },      //  out of range
        { "9000000000000", 6, true, "1", "2", NULL },
    };
    char buf [BM_DECIMAL_STR_MAX];
    for (size_t index = 0; index < S_COUNT (cases); index++) {
        bm_decimal_t projection = { -42 };
        bool ok = bm_evaluate_projection (s_d (cases [index].actual), cases [index].month,
                                          cases [index].seasonal,
                                          s_d (cases [index].baseline_month),
                                          s_d (cases [index].baseline_december), &projection);
        if (ok != (cases [index].projection != NULL))
            fail_msg ("projection case %zu: %d", index, ok);
        if (ok)
            assert_string_equal (bm_decimal_format (projection, buf), cases [index].projection);
        else
            assert_int_equal (projection.micros, -42);
    }
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_names),
        cmocka_unit_test (test_growth),
        cmocka_unit_test (test_growth_thresholds),
        cmocka_unit_test (test_level),
        cmocka_unit_test (test_judgement_parse),
        cmocka_unit_test (test_qualitative),
        cmocka_unit_test (test_text_milestone),
        cmocka_unit_test (test_overall),
        cmocka_unit_test (test_overall_parse),
        cmocka_unit_test (test_pace_parse),
        cmocka_unit_test (test_pace_expected),
        cmocka_unit_test (test_projection),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
