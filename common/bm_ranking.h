/*  bm_ranking: units ranked on their completion, and the bottom warned
    (后5名预警提示), as deploy/plans/README.md "Ranking" describes.

    Pure functions, no I/O, no allocation. Rates and scores are tenths of a
    percent of the expected value (1002 for 100.2%).
*/
#ifndef BM_RANKING_H_INCLUDED
#define BM_RANKING_H_INCLUDED

#include "bm_decimal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BM_RANKING_BOTTOM       5       //  units warned by default
#define BM_RANKING_CAP_TENTHS   2000    //  completion counts up to 200%

typedef struct {
    const char *unit;           //  the unit's name
    bool has_rate;              //  false: the unit has not reported
    int64_t rate_tenths;        //  completion against the expected value
    int rank;                   //  out: 1-based; ties share a rank (1, 2, 2, 4);
                                //  0 for a unit without a rate: not ranked
    bool warned;                //  out: in the bottom N
} bm_rank_entry_t;

//  Sort entries in place, rate descending and then unit name (byte order)
//  for a stable order, units without a rate last, and set rank and warned.
//  A unit without a rate (it has not reported) is not ranked: rank 0, never
//  warned (it is overdue, not last). bottom is how many ranked units are
//  warned (0: BM_RANKING_BOTTOM); when a tie straddles the boundary the
//  whole tie is warned; when no more units are ranked than that, none is.
void
    bm_ranking_rank (bm_rank_entry_t *entries, size_t count, size_t bottom);

//  The overall ranking's score of each unit: the weighted average
//
//      sum_i w_i * min (rate[u][i], cap) / sum_i w_i
//
//  over the indicators i where has_rate[u][i], rounded half away from zero
//  to a tenth. rates and has_rate are row-major, units x indicators;
//  weights are positive (an indicator whose weight is not is left out);
//  cap_tenths 0 (or below) means BM_RANKING_CAP_TENTHS. has_score[u] is
//  false, and scores[u] 0, when the unit has no rate at all.
void
    bm_ranking_overall (size_t units, size_t indicators,
                        const bm_decimal_t *weights, const bool *has_rate,
                        const int64_t *rates, int64_t cap_tenths,
                        bool *has_score, int64_t *scores);

#endif
