/*  bm_clerk: a table of what clerks type, and what becomes of it. */

#include "bm_clerk.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

//  What a cell reads as, for an indicator measured in `unit_of_measure`:
//  the value sent, or the problem
static const struct {
    const char *typed;
    const char *unit_of_measure;
    const char *value;              //  NULL when refused
    bm_clerk_problem_t problem;
} s_cases [] = {
    //  Plain numbers are kept as typed
    { "79.5", "亿元", "79.5", BM_CLERK_OK },
    { "17.90", "亿元", "17.90", BM_CLERK_OK },
    { "-3.5", "%", "-3.5", BM_CLERK_OK },
    { "+7", "家", "7", BM_CLERK_OK },
    { ".5", "亿元", "0.5", BM_CLERK_OK },
    { "0", "个", "0", BM_CLERK_OK },
    //  Thousands separators, ASCII and full-width
    { "1,234.5", "万元", "1234.5", BM_CLERK_OK },
    { "1，234.5", "万元", "1234.5", BM_CLERK_OK },
    { "12,345,678", "万元", "12345678", BM_CLERK_OK },
    { "-1,000", "万元", "-1000", BM_CLERK_OK },
    //  Full-width digits and punctuation, the minus sign
    { "１２３．４", "亿元", "123.4", BM_CLERK_OK },
    { "－５", "%", "-5", BM_CLERK_OK },
    { "\xe2\x88\x92" "2.5", "%", "-2.5", BM_CLERK_OK },
    { "１，２３４", "家", "1234", BM_CLERK_OK },
    //  Stray spaces: ASCII, tabs, U+3000, no-break
    { "  79.5 ", "亿元", "79.5", BM_CLERK_OK },
    { "\xe3\x80\x80" "79.5" "\xe3\x80\x80", "亿元", "79.5", BM_CLERK_OK },
    { "\t79.5\xc2\xa0", "亿元", "79.5", BM_CLERK_OK },
    { "79.5 亿元", "亿元", "79.5", BM_CLERK_OK },
    //  The indicator's own unit
    { "79.5亿元", "亿元", "79.5", BM_CLERK_OK },
    { "７９．５亿元", "亿元", "79.5", BM_CLERK_OK },
    { "12.5%", "%", "12.5", BM_CLERK_OK },
    { "12.5％", "%", "12.5", BM_CLERK_OK },
    { "90家", "家", "90", BM_CLERK_OK },
    //  A unit of the same family: exact decimal scaling
    { "795000万元", "亿元", "79.5", BM_CLERK_OK },
    { "795,000 万元", "亿元", "79.5", BM_CLERK_OK },
    { "0.795亿元", "万元", "7950", BM_CLERK_OK },
    { "7950000000元", "亿元", "79.5", BM_CLERK_OK },
    { "79.5亿", "亿元", "79.5", BM_CLERK_OK },
    { "795000万", "亿元", "79.5", BM_CLERK_OK },
    { "3万人", "人", "30000", BM_CLERK_OK },
    { "12000人", "万人", "1.2", BM_CLERK_OK },
    { "1.5万平方米", "平方米", "15000", BM_CLERK_OK },
    { "2000平方米", "万平方米", "0.2", BM_CLERK_OK },
    { "1.2万吨标准煤", "吨标煤", "12000", BM_CLERK_OK },
    { "500千元", "万元", "50", BM_CLERK_OK },
    { "1500万美元", "万美元", "1500", BM_CLERK_OK },
    { "0.15亿美元", "万美元", "1500", BM_CLERK_OK },
    { "-50万元", "亿元", "-0.005", BM_CLERK_OK },
    //  Refused: not numbers
    { "七十九点五", "亿元", NULL, BM_CLERK_NOT_A_NUMBER },
    { "约80", "亿元", NULL, BM_CLERK_NOT_A_NUMBER },
    { "1.2E+05", "万元", NULL, BM_CLERK_NOT_A_NUMBER },
    { "abc", "亿元", NULL, BM_CLERK_NOT_A_NUMBER },
    { "-", "亿元", NULL, BM_CLERK_NOT_A_NUMBER },
    { "%", "%", NULL, BM_CLERK_NOT_A_NUMBER },
    { "5.", "亿元", NULL, BM_CLERK_NOT_A_NUMBER },
    { "1.2.3", "亿元", NULL, BM_CLERK_NOT_A_NUMBER },
    { "(1,234)", "万元", NULL, BM_CLERK_NOT_A_NUMBER },
    { "79.5亿元5", "亿元", NULL, BM_CLERK_NOT_A_NUMBER },
    { "   ", "亿元", NULL, BM_CLERK_EMPTY },
    { "\xe3\x80\x80", "亿元", NULL, BM_CLERK_EMPTY },
    { "\xff" "5", "亿元", NULL, BM_CLERK_NOT_A_NUMBER },
    //  Refused: separators that do not group thousands, spaces inside
    { "79,5", "亿元", NULL, BM_CLERK_GROUPING },
    { "1,23", "万元", NULL, BM_CLERK_GROUPING },
    { "1234,567", "万元", NULL, BM_CLERK_GROUPING },
    { "1.234,5", "万元", NULL, BM_CLERK_GROUPING },
    { ",5", "万元", NULL, BM_CLERK_GROUPING },
    { "1 234.5", "万元", NULL, BM_CLERK_SPACE_INSIDE },
    { "79 .5", "亿元", NULL, BM_CLERK_SPACE_INSIDE },
    //  Refused: precision and range
    { "1.0000001", "亿元", NULL, BM_CLERK_DECIMALS },
    { "99999999999999999", "万元", NULL, BM_CLERK_RANGE },
    { "9000000000000亿元", "万元", NULL, BM_CLERK_RANGE },
    //  Refused: units
    { "79.5万美元", "亿元", NULL, BM_CLERK_UNIT_MISMATCH },
    { "12.5%", "亿元", NULL, BM_CLERK_UNIT_MISMATCH },
    { "12.5亿元", "%", NULL, BM_CLERK_UNIT_MISMATCH },
    { "30公顷", "亩", NULL, BM_CLERK_UNIT_MISMATCH },
    { "5千瓦", "瓦", NULL, BM_CLERK_UNIT_MISMATCH },
    { "3人", "家", NULL, BM_CLERK_UNIT_MISMATCH },
    { "5亿元", "", NULL, BM_CLERK_NO_UNIT },
    { "1元", "亿元", NULL, BM_CLERK_INEXACT },
    { "0.0000005亿元", "万元", NULL, BM_CLERK_DECIMALS },
};

static void
test_table (void **state)
{
    for (size_t index = 0; index < sizeof s_cases / sizeof s_cases [0]; index++) {
        bm_clerk_value_t value;
        char out [BM_CLERK_NUMBER_MAX] = "";
        bm_clerk_problem_t problem = bm_clerk_parse (s_cases [index].typed, &value);
        if (problem == BM_CLERK_OK)
            problem = bm_clerk_convert (&value, s_cases [index].unit_of_measure, out);
        if (problem != s_cases [index].problem)
            fail_msg ("\"%s\" in %s: problem %d, expected %d", s_cases [index].typed,
                      s_cases [index].unit_of_measure, problem, s_cases [index].problem);
        if (s_cases [index].value && strcmp (out, s_cases [index].value) != 0)
            fail_msg ("\"%s\" in %s: \"%s\", expected \"%s\"", s_cases [index].typed,
                      s_cases [index].unit_of_measure, out, s_cases [index].value);
    }
}

static void
test_needs_unit (void **state)
{
    bm_clerk_value_t value;
    assert_int_equal (bm_clerk_parse (" 1,234.5 ", &value), BM_CLERK_OK);
    assert_false (bm_clerk_needs_unit (&value));
    assert_string_equal (value.number, "1234.5");
    assert_int_equal (bm_clerk_parse ("79.5 亿元\xe3\x80\x80", &value), BM_CLERK_OK);
    assert_true (bm_clerk_needs_unit (&value));
    assert_string_equal (value.unit, "亿元");
    assert_int_equal (bm_clerk_parse ("80％", &value), BM_CLERK_OK);
    assert_string_equal (value.unit, "%");
}

static void
test_explain (void **state)
{
    //  Every problem names its fix
    char buf [300];
    bm_clerk_value_t value;
    assert_int_equal (bm_clerk_parse ("30公顷", &value), BM_CLERK_OK);
    bm_clerk_explain (BM_CLERK_UNIT_MISMATCH, &value, "亩", buf, sizeof buf);
    assert_string_equal (buf, "公顷 is not the indicator's unit of measure, 亩; "
                              "write the value in 亩");
    assert_int_equal (bm_clerk_parse ("12%", &value), BM_CLERK_OK);
    bm_clerk_explain (BM_CLERK_UNIT_MISMATCH, &value, "亿元", buf, sizeof buf);
    assert_non_null (strstr (buf, "percentage"));
    assert_non_null (strstr (buf, "write the value in 亿元"));
    bm_clerk_explain (BM_CLERK_NOT_A_NUMBER, NULL, "", buf, sizeof buf);
    assert_string_equal (buf, "not a number; write a number such as 79.5");
    for (int problem = BM_CLERK_EMPTY; problem <= BM_CLERK_INEXACT; problem++) {
        bm_clerk_explain ((bm_clerk_problem_t) problem, &value, "亿元", buf, sizeof buf);
        assert_non_null (strstr (buf, "; "));
    }
}

static void
test_trim (void **state)
{
    char text [64];
    strcpy (text, "\xe3\x80\x80 赵巷镇 \t\xc2\xa0");
    assert_string_equal (bm_clerk_trim (text), "赵巷镇");
    strcpy (text, " a b ");
    assert_string_equal (bm_clerk_trim (text), "a b");
    strcpy (text, "\xe3\x80\x80");
    assert_string_equal (bm_clerk_trim (text), "");
    strcpy (text, "");
    assert_string_equal (bm_clerk_trim (text), "");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_table),
        cmocka_unit_test (test_needs_unit),
        cmocka_unit_test (test_explain),
        cmocka_unit_test (test_trim),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
