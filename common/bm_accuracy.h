/*  bm_accuracy: how close a unit's forecast came to its final figure,
    deploy/plans/README.md "Forecast accuracy".

    Pure functions, no I/O, no allocation. Percentages and scores are
    tenths (905 for 90.5), computed exactly on bm_decimal_t and rounded half
    away from zero by bm_decimal_divide. Units are ranked on their month's
    score with bm_ranking_rank: bm_accuracy_entry fills the entry.
*/
#ifndef BM_ACCURACY_H_INCLUDED
#define BM_ACCURACY_H_INCLUDED

#include "bm_decimal.h"
#include "bm_ranking.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BM_ACCURACY_FULL_TENTHS     1000    //  the best score, 100.0

typedef struct {
    bool has_ape;               //  false when the final is zero
    int64_t ape_tenths;         //  absolute percentage error; 0 without one
    int64_t score_tenths;       //  0..1000
} bm_accuracy_t;

//  APE = |forecast - final| / |final| * 100, to one decimal (half away from
//  zero); score = max (0, 100 - APE). A final of zero has no APE: it scores
//  100 when the forecast is zero too, else 0.
void
    bm_accuracy_score (bm_decimal_t forecast, bm_decimal_t final,
                       bm_accuracy_t *result);

//  The average of scores (tenths), rounded half away from zero to a tenth.
//  Returns false, and sets *average to 0, when count is 0.
bool
    bm_accuracy_average (const int64_t *scores, size_t count, int64_t *average);

//  Which of a cell's forecasts counts: the last received before closes (the
//  forecast window's close), else the last received at all. received holds
//  each forecast's arrival, in any order; of two arriving in the same second
//  the later in the array counts. Returns false when count is 0.
bool
    bm_accuracy_pick_forecast (const int64_t *received, size_t count, int64_t closes,
                               size_t *index);

//  Fill a ranking entry for unit from its indicators' scores: the rate is
//  their average, and a unit without scores has no rate. Rank the entries
//  with bm_ranking_rank.
void
    bm_accuracy_entry (const char *unit, const int64_t *scores, size_t count,
                       bm_rank_entry_t *entry);

#endif
