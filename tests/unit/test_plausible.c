/*  bm_plausible: which figures are held until their sender confirms them.
    One table of cases from the issues a bureau meets (a month's own figure
    typed as the year's total, 万元 typed where 亿元 is meant), each worked
    out by hand beside it. */

#include "bm_plausible.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static bm_decimal_t
s_d (const char *text)
{
    bm_decimal_t value = { 0 };
    if (text)
        assert_int_equal (bm_decimal_parse (text, &value, NULL), 0);
    return value;
}

#define S_OK    BM_PLAUSIBLE_OK
#define S_FALLS BM_PLAUSIBLE_FALLS
#define S_OFF   BM_PLAUSIBLE_OFF

typedef struct {
    const char *name;
    const char *value;
    const char *previous;       //  NULL: none
    const char *expected;       //  NULL: none
    const char *last;           //  NULL: none
    const char *factor;         //  NULL: 10
    bool lower;                 //  lower is better (a ceiling)
    bool may_decrease;
    bm_plausible_t verdict;
} s_case_t;

static const s_case_t s_cases [] = {
    //  Falling cumulative figures
    { "a month's own figure typed as the total: 0.71 after June's 5.06",
      "0.71", "5.06", "6.4", "5.06", NULL, false, false, S_FALLS },
    { "equal to the month before: flat is fine",
      "5.06", "5.06", "6.4", "5.06", NULL, false, false, S_OK },
    { "below the month before, where the plan says it may fall",
      "4.9", "5.06", "6.4", "5.06", NULL, false, true, S_OK },
    { "first month: nothing to fall from",
      "0.71", NULL, "0.8", NULL, NULL, false, false, S_OK },
    //  Ten times off: 7100 (万元) where 亿元 is meant
    { "7100 against 10.9 expected and 9.4 last: held",
      "7100", "9.4", "10.9", "9.4", NULL, false, false, S_OFF },
    { "exactly ten times the expected and the last: held (10 or more)",
      "109", "10.9", "10.9", "10.9", NULL, false, false, S_OFF },
    { "9.9 times: not held",
      "107.91", "10.9", "10.9", "10.9", NULL, false, false, S_OK },
    { "a tenth of both: held (a 亿元 figure typed in 十亿?)",
      "1.09", NULL, "10.9", "10.9", NULL, false, true, S_OFF },
    //  Either reference in line lets it through
    { "400 after 40 (ten times the last) but near 250 expected: not held",
      "400", "40", "250", "40", NULL, false, false, S_OK },
    { "off the last only (7100 confirmed, now corrected), near the expected",
      "10.9", NULL, "10.0", "7100", NULL, false, true, S_OK },
    { "off the expected, no last value: held",
      "120", NULL, "10", NULL, NULL, false, false, S_OFF },
    { "off the last, nothing expected: held",
      "900", "80", NULL, "80", NULL, false, false, S_OFF },
    { "nothing to compare with: not held",
      "7100", NULL, NULL, NULL, NULL, false, false, S_OK },
    //  Zeros prove nothing
    { "zero sent: nothing happened yet, not held",
      "0", NULL, "10", NULL, NULL, false, false, S_OK },
    { "zero expected (a count's share rounds to 0): the last decides",
      "3", "2", "0", "2", NULL, false, false, S_OK },
    //  Ceilings: far below is good news
    { "a ceiling of 7300, 585 sent: good news, not held",
      "585", NULL, "7300", NULL, NULL, true, true, S_OK },
    { "a ceiling of 7300, 73000 sent: held",
      "73000", NULL, "7300", NULL, NULL, true, true, S_OFF },
    //  A level: 0.96 typed for 96%
    { "0.96 against a level of 96: held",
      "0.96", NULL, "96", NULL, NULL, false, true, S_OFF },
    //  The plan's own limits
    { "factor 5: five times the expected is held",
      "50", NULL, "10", NULL, "5", false, false, S_OFF },
    { "factor 0: never held for being off",
      "7100", "9.4", "10.9", "9.4", "0", false, false, S_OK },
    { "factor 0 still holds a fall",
      "0.71", "5.06", "6.4", "5.06", "0", false, false, S_FALLS },
};

static void
test_plausible (void **state)
{
    for (size_t index = 0; index < sizeof s_cases / sizeof s_cases [0]; index++) {
        const s_case_t *c = s_cases + index;
        bm_plausible_input_t input = {
            .direction = c->lower? BM_LOWER_IS_BETTER: BM_HIGHER_IS_BETTER,
            .may_decrease = c->may_decrease, .factor = s_d (c->factor? c->factor: "10"),
            .value = s_d (c->value),
            .has_previous = c->previous != NULL, .previous = s_d (c->previous),
            .has_expected = c->expected != NULL, .expected = s_d (c->expected),
            .has_last = c->last != NULL, .last = s_d (c->last)
        };
        bm_plausible_t verdict = bm_plausible_check (&input);
        if (verdict != c->verdict)
            fail_msg ("%s: verdict %d, expected %d", c->name, verdict, c->verdict);
    }
    print_message ("  %zu cases\n", sizeof s_cases / sizeof s_cases [0]);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_plausible),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
