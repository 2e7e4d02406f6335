/*  bm_accuracy: forecast accuracy scores, their averages and the ranking. */

#include "bm_accuracy.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#define S_COUNT(array) (sizeof (array) / sizeof (array) [0])

static bm_decimal_t
s_d (const char *text)
{
    bm_decimal_t value;
    assert_int_equal (bm_decimal_parse (text, &value, NULL), 0);
    return value;
}

static const struct {
    const char *name;
    const char *forecast;
    const char *final;
    bool has_ape;
    int64_t ape_tenths;
    int64_t score_tenths;
} s_scores [] = {
    { "exact", "100", "100", true, 0, 1000 },
    { "exact, decimals", "890.4", "890.40", true, 0, 1000 },
    { "10% under", "90", "100", true, 100, 900 },
    { "10% over", "110", "100", true, 100, 900 },
    { "the wall's example", "1673.5", "1670", true, 2, 998 },      //  0.2096%
    { "half off", "50", "100", true, 500, 500 },
    { "99.9% off", "199.9", "100", true, 999, 1 },
    { "exactly 100% off", "200", "100", true, 1000, 0 },
    { "100.1% off", "200.1", "100", true, 1001, 0 },
    { "over 100% off", "250", "100", true, 1500, 0 },
    { "forecast zero", "0", "100", true, 1000, 0 },
    { "both negative, 10% off", "-90", "-100", true, 100, 900 },
    { "negative forecast, positive final", "-10", "100", true, 1100, 0 },
    { "positive forecast, negative final", "90", "-100", true, 1900, 0 },
    { "negative final, forecast over it", "-95", "-100", true, 50, 950 },
    { "zero final, zero forecast", "0", "0", false, 0, 1000 },
    { "zero final, any forecast", "5", "0", false, 0, 0 },
    { "zero final, a millionth", "-0.000001", "0", false, 0, 0 },
    //  APE is rounded to a tenth, half away from zero, before the score
    { "10.05% rounds to 10.1", "89.95", "100", true, 101, 899 },
    { "10.0499% rounds to 10.0", "89.9501", "100", true, 100, 900 },
    { "10.05% over rounds to 10.1", "110.05", "100", true, 101, 899 },
    { "10.05% negative rounds to 10.1", "-89.95", "-100", true, 101, 899 },
    { "0.05% rounds to 0.1", "1000.5", "1000", true, 1, 999 },
    { "0.049% rounds to 0.0", "1000.49", "1000", true, 0, 1000 },
    { "89.9995% rounds to 90.0", "100.005", "1000", true, 900, 100 },
    { "a third", "2", "3", true, 333, 667 },
    { "two thirds", "1", "3", true, 667, 333 },
    { "extremes need 128 bits", "9000000000000", "-9000000000000", true, 2000, 0 },
    { "a tiny final", "1", "0.000001", true, 999999000, 0 },
};

static void
test_score (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_scores); index++) {
        bm_accuracy_t result;
        memset (&result, 0xAB, sizeof result);
        bm_accuracy_score (s_d (s_scores [index].forecast), s_d (s_scores [index].final),
                           &result);
        if (result.has_ape != s_scores [index].has_ape
        ||  result.ape_tenths != s_scores [index].ape_tenths
        ||  result.score_tenths != s_scores [index].score_tenths)
            fail_msg ("%s: APE %d %lld, score %lld; expected %d %lld, %lld",
                      s_scores [index].name, result.has_ape,
                      (long long) result.ape_tenths, (long long) result.score_tenths,
                      s_scores [index].has_ape, (long long) s_scores [index].ape_tenths,
                      (long long) s_scores [index].score_tenths);
    }
}

static void
test_average (void **state)
{
    static const struct {
        size_t count;
        int64_t scores [4];
        int64_t average;
    } cases [] = {
        { 1, { 1000 }, 1000 },
        { 2, { 1000, 900 }, 950 },
        { 2, { 1000, 899 }, 950 },          //  949.5 rounds up
        { 2, { 999, 1000 }, 1000 },         //  999.5 rounds up
        { 2, { 0, 1 }, 1 },                 //  0.5 rounds up
        { 3, { 1000, 900, 899 }, 933 },     //  933.0
        { 3, { 1, 2, 2 }, 2 },              //  1.67
        { 3, { 1, 1, 2 }, 1 },              //  1.33
        { 4, { 0, 0, 0, 0 }, 0 },
        { 4, { 1000, 1000, 1000, 1000 }, 1000 },
        { 3, { 998, 500, 0 }, 499 },        //  499.33
    };
    for (size_t index = 0; index < S_COUNT (cases); index++) {
        int64_t average = -7;
        assert_true (bm_accuracy_average (cases [index].scores, cases [index].count, &average));
        if (average != cases [index].average)
            fail_msg ("case %zu: %lld, expected %lld", index, (long long) average,
                      (long long) cases [index].average);
    }
    int64_t average = -7;
    assert_false (bm_accuracy_average (NULL, 0, &average));
    assert_int_equal (average, 0);
}

static void
test_pick_forecast (void **state)
{
    static const struct {
        size_t count;
        int64_t received [4];
        int64_t closes;
        bool found;
        size_t index;
    } cases [] = {
        { 3, { 100, 200, 300 }, 250, true, 1 },     //  the last before the deadline
        { 3, { 100, 200, 300 }, 1000, true, 2 },
        { 3, { 100, 200, 300 }, 300, true, 1 },     //  300 is at the close: too late
        { 3, { 100, 200, 300 }, 301, true, 2 },
        { 3, { 100, 200, 300 }, 50, true, 2 },      //  none in time: the last at all
        { 3, { 300, 100, 200 }, 250, true, 2 },     //  in any order
        { 3, { 300, 100, 200 }, 50, true, 0 },
        { 2, { 100, 100 }, 200, true, 1 },          //  same second: the later entry
        { 2, { 100, 100 }, 50, true, 1 },
        { 1, { 500 }, 0, true, 0 },
        { 0, { 0 }, 250, false, 0 },
    };
    for (size_t index = 0; index < S_COUNT (cases); index++) {
        size_t picked = 99;
        bool found = bm_accuracy_pick_forecast (cases [index].received, cases [index].count,
                                                cases [index].closes, &picked);
        assert_int_equal (found, cases [index].found);
        if (found && picked != cases [index].index)
            fail_msg ("case %zu: picked %zu, expected %zu", index, picked,
                      cases [index].index);
    }
}

//  Units are ranked on their month's score with bm_ranking_rank, as the
//  bulletin (通报) ranks them
static void
test_ranking (void **state)
{
    static const int64_t town_a [] = { 1000, 900 };        //  950
    static const int64_t town_b [] = { 800 };
    static const int64_t town_d [] = { 950 };
    static const int64_t town_e [] = { 1000, 1000, 999 };  //  999.67 -> 1000
    bm_rank_entry_t entries [5];
    bm_accuracy_entry ("赵巷镇", town_a, S_COUNT (town_a), entries + 0);
    bm_accuracy_entry ("华新镇", town_b, S_COUNT (town_b), entries + 1);
    bm_accuracy_entry ("白鹤镇", NULL, 0, entries + 2);
    bm_accuracy_entry ("夏阳街道", town_d, S_COUNT (town_d), entries + 3);
    bm_accuracy_entry ("盈浦街道", town_e, S_COUNT (town_e), entries + 4);
    assert_true (entries [0].has_rate);
    assert_int_equal (entries [0].rate_tenths, 950);
    assert_false (entries [2].has_rate);
    assert_int_equal (entries [4].rate_tenths, 1000);

    bm_ranking_rank (entries, S_COUNT (entries), 2);
    static const struct {
        const char *unit;
        int rank;
        bool warned;
    } expected [] = {
        { "盈浦街道", 1, false },
        { "夏阳街道", 2, true },        //  ties share a rank, in byte order, and
        { "赵巷镇", 2, true },          //  straddling the bottom 2 of the four
        { "华新镇", 4, true },          //  ranked, are warned whole
        { "白鹤镇", 0, false },         //  no scores: not ranked (it is overdue)
    };
    for (size_t index = 0; index < S_COUNT (expected); index++) {
        assert_string_equal (entries [index].unit, expected [index].unit);
        assert_int_equal (entries [index].rank, expected [index].rank);
        assert_int_equal (entries [index].warned, expected [index].warned);
    }
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_score),
        cmocka_unit_test (test_average),
        cmocka_unit_test (test_pick_forecast),
        cmocka_unit_test (test_ranking),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
