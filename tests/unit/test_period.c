/*  bm_period: YYYY-MM periods. */

#include "bm_period.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static void
test_parse (void **state)
{
    bm_period_t period;
    assert_int_equal (bm_period_parse ("2023-06", &period, NULL), 0);
    assert_int_equal (period.year, 2023);
    assert_int_equal (period.month, 6);
    assert_int_equal (bm_period_parse ("2023-12", &period, NULL), 0);
    assert_int_equal (period.month, 12);
    static const struct { const char *text; const char *error; } bad [] = {
        { "2023-13", "month must be 01 to 12" },
        { "2023-00", "month must be 01 to 12" },
        { "2023-6", "period must be YYYY-MM" },
        { "2023/06", "period must be YYYY-MM" },
        { "23-06", "period must be YYYY-MM" },
        { "2023-06-01", "period must be YYYY-MM" },
        { "", "period must be YYYY-MM" },
        { "1899-12", "year before 1900" },
        { "２０２３-06", "period must be YYYY-MM" },
    };
    for (size_t index = 0; index < sizeof bad / sizeof bad [0]; index++) {
        const char *error = NULL;
        assert_int_equal (bm_period_parse (bad [index].text, &period, &error), -1);
        assert_string_equal (error, bad [index].error);
    }
    assert_int_equal (bm_period_parse (NULL, &period, NULL), -1);
}

static void
test_format_compare_add (void **state)
{
    char buf [BM_PERIOD_STR_MAX];
    bm_period_t june = { 2023, 6 };
    assert_string_equal (bm_period_format (june, buf), "2023-06");
    bm_period_t next = bm_period_add (june, 7);
    assert_string_equal (bm_period_format (next, buf), "2024-01");
    bm_period_t back = bm_period_add (june, -6);
    assert_string_equal (bm_period_format (back, buf), "2022-12");
    assert_string_equal (bm_period_format ((bm_period_t) { 987, 3 }, buf), "0987-03");
    assert_true (bm_period_cmp (june, next) < 0);
    assert_true (bm_period_cmp (next, june) > 0);
    assert_int_equal (bm_period_cmp (june, (bm_period_t) { 2023, 6 }), 0);
    assert_true (bm_period_cmp ((bm_period_t) { 2022, 12 }, (bm_period_t) { 2023, 1 }) < 0);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_parse),
        cmocka_unit_test (test_format_compare_add),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
