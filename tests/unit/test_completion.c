/*  bm_completion: rates, pace and status, the way the bureau reads them. */

#include "bm_completion.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static bm_decimal_t
s_d (const char *text)
{
    bm_decimal_t value;
    assert_int_equal (bm_decimal_parse (text, &value, NULL), 0);
    return value;
}

typedef struct {
    const char *name;
    bm_direction_t direction;
    const char *target;         //  NULL: none
    const char *milestone;      //  NULL: none
    int month;
    const char *actual;         //  NULL: not reported
    const char *expected;       //  expected value, NULL: none
    bool pace;
    const char *vs_expected;    //  NULL: undefined
    const char *vs_annual;
    bm_status_t status;
} s_case_t;

static const s_case_t s_cases [] = {
    { "year-end, the documents' example", BM_HIGHER_IS_BETTER, "1670", "1670", 12, "1673.5",
      "1670", false, "100.2", "100.2", BM_STATUS_ON_TRACK },
    { "milestone met exactly", BM_HIGHER_IS_BETTER, "1855", "890.4", 6, "890.4",
      "890.4", false, "100.0", "48.0", BM_STATUS_ON_TRACK },
    { "at risk: 90% of the milestone", BM_HIGHER_IS_BETTER, "22", "10", 6, "9",
      "10", false, "90.0", "40.9", BM_STATUS_AT_RISK },
    { "lagging just below 90%", BM_HIGHER_IS_BETTER, "1000", "100", 3, "89.94",
      "100", false, "89.9", "9.0", BM_STATUS_LAGGING },
    { "rounds up to 90.0 at .05: at risk", BM_HIGHER_IS_BETTER, "1000", "100", 3, "89.95",
      "100", false, "90.0", "9.0", BM_STATUS_AT_RISK },
    { "99.95 rounds to 100.0: on track", BM_HIGHER_IS_BETTER, "1000", "100", 3, "99.95",
      "100", false, "100.0", "10.0", BM_STATUS_ON_TRACK },
    { "no milestone: 序时进度 by June is 50%", BM_HIGHER_IS_BETTER, "600", NULL, 6, "300",
      "300", true, "100.0", "50.0", BM_STATUS_ON_TRACK },
    { "序时进度 in March", BM_HIGHER_IS_BETTER, "55", NULL, 3, "12",
      "13.75", true, "87.3", "21.8", BM_STATUS_LAGGING },
    { "not reported", BM_HIGHER_IS_BETTER, "1855", "890.4", 6, NULL,
      "890.4", false, NULL, NULL, BM_STATUS_NOT_REPORTED },
    { "no target at all", BM_HIGHER_IS_BETTER, NULL, NULL, 6, "5",
      NULL, false, NULL, NULL, BM_STATUS_NO_TARGET },
    { "zero milestone, anything meets it", BM_HIGHER_IS_BETTER, "11", "0", 2, "0",
      "0", false, NULL, "0.0", BM_STATUS_ON_TRACK },
    { "zero target", BM_HIGHER_IS_BETTER, "0", NULL, 6, "3",
      "0", true, NULL, NULL, BM_STATUS_ON_TRACK },
    { "negative actual", BM_HIGHER_IS_BETTER, "100", "50", 6, "-5",
      "50", false, "-10.0", "-5.0", BM_STATUS_LAGGING },
    { "lower is better: ceiling reached exactly", BM_LOWER_IS_BETTER, "7300", NULL, 6, "7300",
      "7300", true, "100.0", "100.0", BM_STATUS_ON_TRACK },
    { "lower is better: below the ceiling", BM_LOWER_IS_BETTER, "0.0238", NULL, 9, "0.0200",
      "0.0238", true, "119.0", "119.0", BM_STATUS_ON_TRACK },
    { "lower is better: over the ceiling", BM_LOWER_IS_BETTER, "7300", NULL, 6, "8000",
      "7300", true, "91.3", "91.3", BM_STATUS_AT_RISK },
    { "lower is better: far over", BM_LOWER_IS_BETTER, "7300", NULL, 6, "9000",
      "7300", true, "81.1", "81.1", BM_STATUS_LAGGING },
    { "lower is better: zero actual is best", BM_LOWER_IS_BETTER, "0.0238", NULL, 6, "0",
      "0.0238", true, NULL, NULL, BM_STATUS_ON_TRACK },
};

static void
test_table (void **state)
{
    for (size_t index = 0; index < sizeof s_cases / sizeof s_cases [0]; index++) {
        const s_case_t *c = s_cases + index;
        bm_completion_input_t input = { .direction = c->direction, .month = c->month };
        if (c->target) {
            input.has_target = true;
            input.target = s_d (c->target);
        }
        if (c->milestone) {
            input.has_milestone = true;
            input.milestone = s_d (c->milestone);
        }
        if (c->actual) {
            input.has_actual = true;
            input.actual = s_d (c->actual);
        }
        bm_completion_t result;
        bm_completion_compute (&input, &result);
        char buf [BM_DECIMAL_STR_MAX];
        print_message ("  %s\n", c->name);
        assert_int_equal (result.has_expected, c->expected != NULL);
        if (c->expected) {
            assert_int_equal (bm_decimal_cmp (result.expected, s_d (c->expected)), 0);
            assert_int_equal (result.expected_is_pace, c->pace);
        }
        assert_int_equal (result.has_vs_expected, c->vs_expected != NULL);
        if (c->vs_expected)
            assert_string_equal (bm_percent_format (result.vs_expected, buf), c->vs_expected);
        assert_int_equal (result.has_vs_annual, c->vs_annual != NULL);
        if (c->vs_annual)
            assert_string_equal (bm_percent_format (result.vs_annual, buf), c->vs_annual);
        if (result.status != c->status)
            fail_msg ("%s: status %s, expected %s", c->name, bm_status_name (result.status),
                      bm_status_name (c->status));
    }
}

static void
test_custom_thresholds (void **state)
{
    bm_completion_input_t input = {
        .has_milestone = true, .milestone = s_d ("100"),
        .has_actual = true, .actual = s_d ("96"), .month = 6,
        .on_track_tenths = 950, .at_risk_tenths = 800
    };
    bm_completion_t result;
    bm_completion_compute (&input, &result);
    assert_int_equal (result.status, BM_STATUS_ON_TRACK);
    input.actual = s_d ("85");
    bm_completion_compute (&input, &result);
    assert_int_equal (result.status, BM_STATUS_AT_RISK);
}

static void
test_pace (void **state)
{
    char buf [BM_DECIMAL_STR_MAX];
    assert_string_equal (bm_decimal_format (bm_completion_pace (s_d ("600"), 6), buf), "300");
    assert_string_equal (bm_decimal_format (bm_completion_pace (s_d ("55"), 1), buf), "4.583333");
    assert_string_equal (bm_decimal_format (bm_completion_pace (s_d ("55"), 12), buf), "55");
    assert_string_equal (bm_decimal_format (bm_completion_pace (s_d ("-12"), 1), buf), "-1");
}

static void
test_names (void **state)
{
    assert_string_equal (bm_status_name (BM_STATUS_ON_TRACK), "on_track");
    assert_string_equal (bm_status_name (BM_STATUS_AT_RISK), "at_risk");
    assert_string_equal (bm_status_name (BM_STATUS_LAGGING), "lagging");
    assert_string_equal (bm_status_name (BM_STATUS_NOT_REPORTED), "not_reported");
    assert_string_equal (bm_status_label (BM_STATUS_LAGGING), "滞后");
    assert_string_equal (bm_status_label (BM_STATUS_ON_TRACK), "正常");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_table),
        cmocka_unit_test (test_custom_thresholds),
        cmocka_unit_test (test_pace),
        cmocka_unit_test (test_names),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
