/*  bm_ranking: units ranked on their completion, and the bottom warned. */

#include "bm_ranking.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  Rate descending, units without a rate last, then unit name
static int
s_compare (const void *a, const void *b)
{
    const bm_rank_entry_t *left = a;
    const bm_rank_entry_t *right = b;
    if (left->has_rate != right->has_rate)
        return left->has_rate? -1: 1;
    if (left->has_rate && left->rate_tenths != right->rate_tenths)
        return left->rate_tenths > right->rate_tenths? -1: 1;
    return strcmp (left->unit? left->unit: "", right->unit? right->unit: "");
}

//  Two sorted neighbours share a rank
static bool
s_tied (const bm_rank_entry_t *left, const bm_rank_entry_t *right)
{
    return left->has_rate == right->has_rate
        && (!left->has_rate || left->rate_tenths == right->rate_tenths);
}

void
bm_ranking_rank (bm_rank_entry_t *entries, size_t count, size_t bottom)
{
    assert (entries || count == 0);
    if (count == 0)
        return;
    if (bottom == 0)
        bottom = BM_RANKING_BOTTOM;
    qsort (entries, count, sizeof *entries, s_compare);
    //  Units without a rate come last and are not ranked
    size_t ranked = 0;
    while (ranked < count && entries [ranked].has_rate)
        ranked++;
    for (size_t index = ranked; index < count; index++) {
        entries [index].rank = 0;
        entries [index].warned = false;
    }
    //  Positions from `first_warned` on are the bottom N; with no more
    //  units ranked than that, the bottom of a handful is no ranking
    size_t first_warned = bottom < ranked? ranked - bottom: ranked;
    size_t start = 0;
    while (start < ranked) {
        size_t end = start + 1;
        while (end < ranked && s_tied (entries + start, entries + end))
            end++;
        //  A tie is warned whole when any of it is in the bottom N
        bool warned = end - 1 >= first_warned;
        for (size_t index = start; index < end; index++) {
            entries [index].rank = (int) start + 1;
            entries [index].warned = warned;
        }
        start = end;
    }
}

void
bm_ranking_overall (size_t units, size_t indicators,
                    const bm_decimal_t *weights, const bool *has_rate,
                    const int64_t *rates, int64_t cap_tenths,
                    bool *has_score, int64_t *scores)
{
    assert (units == 0 || (has_score && scores));
    assert (indicators == 0 || units == 0 || (weights && has_rate && rates));
    if (cap_tenths <= 0)
        cap_tenths = BM_RANKING_CAP_TENTHS;
    for (size_t unit = 0; unit < units; unit++) {
        __int128 weighted = 0;
        __int128 total_weight = 0;
        for (size_t indicator = 0; indicator < indicators; indicator++) {
            size_t cell = unit * indicators + indicator;
            if (!has_rate [cell] || weights [indicator].micros <= 0)
                continue;
            int64_t rate = rates [cell] < cap_tenths? rates [cell]: cap_tenths;
            weighted += (__int128) weights [indicator].micros * rate;
            total_weight += weights [indicator].micros;
        }
        has_score [unit] = total_weight > 0;
        scores [unit] = total_weight > 0? (int64_t) bm_decimal_divide (weighted, total_weight): 0;
    }
}
