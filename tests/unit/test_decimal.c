/*  bm_decimal: exact parsing, formatting and percentages. */

#include "bm_decimal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static void
test_parse_valid (void **state)
{
    static const struct { const char *text; int64_t micros; } cases [] = {
        { "0", 0 },
        { "1855", 1855000000LL },
        { "1195.0", 1195000000LL },
        { "30.30", 30300000LL },
        { "0.0238", 23800LL },
        { "-3.5", -3500000LL },
        { "+7", 7000000LL },
        { "320000", 320000000000LL },
        { "0.000001", 1LL },
        { "9000000000000", 9000000000000000000LL },
        { "007.10", 7100000LL },
    };
    for (size_t index = 0; index < sizeof cases / sizeof cases [0]; index++) {
        bm_decimal_t value;
        const char *error = NULL;
        if (bm_decimal_parse (cases [index].text, &value, &error))
            fail_msg ("\"%s\" refused: %s", cases [index].text, error);
        assert_int_equal (value.micros, cases [index].micros);
    }
}

static void
test_parse_invalid (void **state)
{
    static const struct { const char *text; const char *error; } cases [] = {
        { "", "empty number" },
        { "NaN", "not a plain decimal number" },
        { "nan", "not a plain decimal number" },
        { "inf", "not a plain decimal number" },
        { "-Infinity", "not a plain decimal number" },
        { "1e3", "not a plain decimal number" },
        { "1,000", "not a plain decimal number" },
        { " 5", "not a plain decimal number" },
        { "5 ", "not a plain decimal number" },
        { "5%", "not a plain decimal number" },
        { ".5", "not a plain decimal number" },
        { "5.", "no digits after the decimal point" },
        { "-", "not a plain decimal number" },
        { "1.2.3", "not a plain decimal number" },
        { "1.0000001", "more than 6 decimals" },
        { "9000000000001", "number too large" },
        { "99999999999999999999999", "number too large" },
        { "一百", "not a plain decimal number" },
        { "—", "not a plain decimal number" },
    };
    for (size_t index = 0; index < sizeof cases / sizeof cases [0]; index++) {
        bm_decimal_t value = { 42 };
        const char *error = NULL;
        if (bm_decimal_parse (cases [index].text, &value, &error) == 0)
            fail_msg ("\"%s\" accepted", cases [index].text);
        assert_string_equal (error, cases [index].error);
        assert_int_equal (value.micros, 42);
    }
    bm_decimal_t value;
    assert_int_equal (bm_decimal_parse (NULL, &value, NULL), -1);
}

static void
test_format (void **state)
{
    static const struct { int64_t micros; const char *plain; const char *one; } cases [] = {
        { 1855000000LL, "1855", "1855.0" },
        { 1673500000LL, "1673.5", "1673.5" },
        { 23800LL, "0.0238", "0.0" },
        { -3500000LL, "-3.5", "-3.5" },
        { -40000LL, "-0.04", "0.0" },           //  no "-0.0"
        { -50000LL, "-0.05", "-0.1" },          //  half away from zero
        { 50000LL, "0.05", "0.1" },
        { 1049999LL, "1.049999", "1.0" },
        { 0, "0", "0.0" },
        { INT64_MIN + 1, "-9223372036854.775807", "-9223372036854.8" },
    };
    for (size_t index = 0; index < sizeof cases / sizeof cases [0]; index++) {
        char buf [BM_DECIMAL_STR_MAX];
        bm_decimal_t value = { cases [index].micros };
        assert_string_equal (bm_decimal_format (value, buf), cases [index].plain);
        assert_string_equal (bm_decimal_format_fixed (value, 1, buf), cases [index].one);
    }
    //  Other numbers of decimals, leading zeros of the fraction kept
    static const struct { int64_t micros; int decimals; const char *text; } fixed [] = {
        { 1855500000LL, 0, "1856" },
        { -500000LL, 0, "-1" },
        { 400000LL, 0, "0" },
        { 23800LL, 2, "0.02" },
        { 12345600LL, 2, "12.35" },
        { 1005000LL, 2, "1.01" },
        { 7LL, 6, "0.000007" },
        { -1000000LL, 3, "-1.000" },
    };
    for (size_t index = 0; index < sizeof fixed / sizeof fixed [0]; index++) {
        char buf [BM_DECIMAL_STR_MAX];
        bm_decimal_t value = { fixed [index].micros };
        assert_string_equal (bm_decimal_format_fixed (value, fixed [index].decimals, buf),
                             fixed [index].text);
    }
}

static void
test_percent (void **state)
{
    static const struct { const char *numerator, *denominator, *percent; } cases [] = {
        { "1673.5", "1670", "100.2" },          //  the documents' example
        { "1855", "1855", "100.0" },
        { "890.4", "1855", "48.0" },
        { "598.15", "1195", "50.1" },           //  50.0544 -> 50.1
        { "1", "2000", "0.1" },                 //  0.05 exactly: half away from zero
        { "1", "2001", "0.0" },                 //  0.04997...
        { "2001", "2000", "100.1" },            //  100.05 exactly
        { "-1", "2000", "-0.1" },
        { "0", "5", "0.0" },
        { "0.0238", "0.0238", "100.0" },
    };
    for (size_t index = 0; index < sizeof cases / sizeof cases [0]; index++) {
        bm_decimal_t numerator, denominator;
        assert_int_equal (bm_decimal_parse (cases [index].numerator, &numerator, NULL), 0);
        assert_int_equal (bm_decimal_parse (cases [index].denominator, &denominator, NULL), 0);
        int64_t tenths;
        assert_int_equal (bm_decimal_percent (numerator, denominator, &tenths), 0);
        char buf [BM_DECIMAL_STR_MAX];
        if (strcmp (bm_percent_format (tenths, buf), cases [index].percent))
            fail_msg ("%s / %s = %s, expected %s", cases [index].numerator,
                      cases [index].denominator, buf, cases [index].percent);
    }
    bm_decimal_t one = { 1000000 }, zero = { 0 };
    int64_t tenths = 7;
    assert_int_equal (bm_decimal_percent (one, zero, &tenths), -1);
    assert_int_equal (tenths, 7);
}

static void
test_arithmetic (void **state)
{
    bm_decimal_t a = { 600500000 }, b = { 110250000 };
    assert_int_equal (bm_decimal_add (a, b).micros, 710750000);
    assert_true (bm_decimal_cmp (a, b) > 0);
    assert_true (bm_decimal_cmp (b, a) < 0);
    assert_int_equal (bm_decimal_cmp (a, a), 0);
    assert_true (bm_decimal_is_zero ((bm_decimal_t) { 0 }));
    assert_false (bm_decimal_is_zero (a));
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_parse_valid),
        cmocka_unit_test (test_parse_invalid),
        cmocka_unit_test (test_format),
        cmocka_unit_test (test_percent),
        cmocka_unit_test (test_arithmetic),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
