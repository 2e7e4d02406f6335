/*  bm_ranking: ranks, ties, units that have not reported (not ranked), the bottom N
    (后5名预警提示) and the weighted overall score. */

#include "bm_ranking.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define S_COUNT(array) (sizeof (array) / sizeof (array) [0])
#define S_NONE  (-1)            //  no rate
#define S_UNITS_MAX 8

typedef struct {
    const char *name;
    size_t count;
    const char *units [S_UNITS_MAX];
    int64_t rates [S_UNITS_MAX];        //  S_NONE: not reported
    size_t bottom;
    const char *order [S_UNITS_MAX];    //  expected, after sorting
    int ranks [S_UNITS_MAX];
    const char *warned;                 //  one 'w' or '.' per sorted entry
} s_rank_case_t;

static const s_rank_case_t s_rank_cases [] = {
    //  a 1100, b and c 1000, d 900; e and f have not reported: not ranked
    { "ties share a rank, unreported not ranked; bottom 2 straddles the tie", 6,
      { "e", "c", "a", "d", "b", "f" }, { S_NONE, 1000, 1100, 900, 1000, S_NONE }, 2,
      { "a", "b", "c", "d", "e", "f" }, { 1, 2, 2, 4, 0, 0 }, ".www.." },
    { "bottom 3 of four ranked", 6,
      { "e", "c", "a", "d", "b", "f" }, { S_NONE, 1000, 1100, 900, 1000, S_NONE }, 3,
      { "a", "b", "c", "d", "e", "f" }, { 1, 2, 2, 4, 0, 0 }, ".www.." },
    { "bottom 4 of four ranked: no ranking to warn from", 6,
      { "e", "c", "a", "d", "b", "f" }, { S_NONE, 1000, 1100, 900, 1000, S_NONE }, 4,
      { "a", "b", "c", "d", "e", "f" }, { 1, 2, 2, 4, 0, 0 }, "......" },
    { "bottom 1 with two unreported: the last ranked warned, not them", 6,
      { "e", "c", "a", "d", "b", "f" }, { S_NONE, 1000, 1100, 900, 1000, S_NONE }, 1,
      { "a", "b", "c", "d", "e", "f" }, { 1, 2, 2, 4, 0, 0 }, "...w.." },
    { "a three-way tie straddling bottom 2", 6,
      { "a", "b", "c", "d", "e", "f" }, { 1000, 900, 800, 800, 800, 700 }, 2,
      { "a", "b", "c", "d", "e", "f" }, { 1, 2, 3, 3, 3, 6 }, "..wwww" },
    { "default bottom 5 of 7", 7,
      { "g", "f", "e", "d", "c", "b", "a" }, { 700, 600, 500, 400, 300, 200, 100 }, 0,
      { "g", "f", "e", "d", "c", "b", "a" }, { 1, 2, 3, 4, 5, 6, 7 }, "..wwwww" },
    { "fewer units than the bottom: none warned", 3,
      { "a", "b", "c" }, { 1200, 1100, 1000 }, 0,
      { "a", "b", "c" }, { 1, 2, 3 }, "..." },
    { "as many units as the bottom: none warned", 5,
      { "a", "b", "c", "d", "e" }, { 1200, 1100, 1000, 900, 800 }, 0,
      { "a", "b", "c", "d", "e" }, { 1, 2, 3, 4, 5 }, "....." },
    { "nobody reported: nobody ranked", 3,
      { "c", "a", "b" }, { S_NONE, S_NONE, S_NONE }, 2,
      { "a", "b", "c" }, { 0, 0, 0 }, "..." },
    { "negative and zero rates", 4,
      { "a", "b", "c", "d" }, { -50, 0, 1, S_NONE }, 1,
      { "c", "b", "a", "d" }, { 1, 2, 3, 0 }, "..w." },
    { "equal rates ordered by name", 3,
      { "青浦工业园区", "b", "a" }, { 1000, 1000, 1000 }, 1,
      { "a", "b", "青浦工业园区" }, { 1, 1, 1 }, "www" },
    { "all distinct, bottom 1", 4,
      { "赵巷镇", "徐泾镇", "华新镇", "重固镇" }, { 1002, 999, 1001, 1000 }, 1,
      { "赵巷镇", "华新镇", "重固镇", "徐泾镇" }, { 1, 2, 3, 4 }, "...w" },
};

static void
test_rank (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_rank_cases); index++) {
        const s_rank_case_t *c = s_rank_cases + index;
        bm_rank_entry_t entries [S_UNITS_MAX];
        for (size_t unit = 0; unit < c->count; unit++)
            entries [unit] = (bm_rank_entry_t) {
                .unit = c->units [unit], .has_rate = c->rates [unit] != S_NONE,
                .rate_tenths = c->rates [unit] == S_NONE? 0: c->rates [unit],
                .rank = -1, .warned = c->warned [0] == 'w'? false: true
            };
        bm_ranking_rank (entries, c->count, c->bottom);
        for (size_t position = 0; position < c->count; position++) {
            const bm_rank_entry_t *entry = entries + position;
            if (strcmp (entry->unit, c->order [position]) != 0
            ||  entry->rank != c->ranks [position]
            ||  entry->warned != (c->warned [position] == 'w'))
                fail_msg ("%s: position %zu is %s rank %d warned %d, expected %s rank %d %c",
                          c->name, position, entry->unit, entry->rank, entry->warned,
                          c->order [position], c->ranks [position], c->warned [position]);
        }
    }
    bm_ranking_rank (NULL, 0, 5);           //  nothing to rank
}

//  --------------------------------------------------------------------------
//  Overall ranking

#define S_INDICATORS_MAX 3

typedef struct {
    const char *name;
    size_t units;
    const char *weights [S_INDICATORS_MAX];
    int64_t rates [4][S_INDICATORS_MAX];    //  S_NONE: no rate
    int64_t cap_tenths;
    const char *scores [4];                 //  NULL: no score
} s_overall_case_t;

static const s_overall_case_t s_overall_cases [] = {
    { "weights 2:1:1, capped at 200%, units missing indicators", 4,
      { "2", "1", "1" },
      { { 1000, 1200, 800 },                //  (2000 + 1200 + 800) / 4
        { 2500, 1000, 1000 },               //  2500 counts as 2000: 6000 / 4
        { S_NONE, 900, S_NONE },            //  only its one indicator
        { S_NONE, S_NONE, S_NONE } },       //  nothing
      0, { "100.0", "150.0", "90.0", NULL } },
    { "a lower cap", 2,
      { "2", "1", "1" },
      { { 2500, 1000, 1000 },               //  (3000 + 1000 + 1000) / 4
        { 1500, 1500, S_NONE } },           //  exactly the cap
      1500, { "125.0", "150.0" } },
    { "rounding half away from zero", 3,
      { "1", "1", "1" },
      { { 1000, 1000, 1001 },               //  1000.33
        { 1000, 1001, S_NONE },             //  1000.5
        { -1001, -1000, S_NONE } },         //  -1000.5
      0, { "100.0", "100.1", "-100.1" } },
    { "decimal weights", 1,
      { "0.5", "0.25", "0.000001" },
      { { 1000, 1003, S_NONE } },           //  (500 + 250.75) / 0.75
      0, { "100.1" } },
    { "a weight that is not positive is left out", 2,
      { "0", "1", "-1" },
      { { 5000, 900, 100 },
        { 5000, S_NONE, 100 } },
      0, { "90.0", NULL } },
};

static void
test_overall (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_overall_cases); index++) {
        const s_overall_case_t *c = s_overall_cases + index;
        bm_decimal_t weights [S_INDICATORS_MAX];
        bool has_rate [4 * S_INDICATORS_MAX];
        int64_t rates [4 * S_INDICATORS_MAX];
        for (size_t indicator = 0; indicator < S_INDICATORS_MAX; indicator++)
            assert_int_equal (bm_decimal_parse (c->weights [indicator],
                                                weights + indicator, NULL), 0);
        for (size_t unit = 0; unit < c->units; unit++)
            for (size_t indicator = 0; indicator < S_INDICATORS_MAX; indicator++) {
                int64_t rate = c->rates [unit][indicator];
                has_rate [unit * S_INDICATORS_MAX + indicator] = rate != S_NONE;
                rates [unit * S_INDICATORS_MAX + indicator] = rate == S_NONE? 7777: rate;
            }
        bool has_score [4];
        int64_t scores [4];
        memset (has_score, 1, sizeof has_score);
        memset (scores, 0x55, sizeof scores);
        bm_ranking_overall (c->units, S_INDICATORS_MAX, weights, has_rate, rates,
                            c->cap_tenths, has_score, scores);
        for (size_t unit = 0; unit < c->units; unit++) {
            char buf [BM_DECIMAL_STR_MAX];
            bm_decimal_t score = { scores [unit] * (BM_DECIMAL_SCALE / 10) };
            bm_decimal_format_fixed (score, 1, buf);
            if (has_score [unit] != (c->scores [unit] != NULL)
            ||  (c->scores [unit] && strcmp (buf, c->scores [unit]) != 0)
            ||  (!c->scores [unit] && scores [unit] != 0))
                fail_msg ("%s: unit %zu scores %s (%d), expected %s", c->name, unit, buf,
                          has_score [unit], c->scores [unit]? c->scores [unit]: "none");
        }
    }
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_rank),
        cmocka_unit_test (test_overall),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
