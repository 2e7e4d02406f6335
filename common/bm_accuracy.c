/*  bm_accuracy: how close a unit's forecast came to its final figure. */

#include "bm_accuracy.h"

#include <assert.h>

void
bm_accuracy_score (bm_decimal_t forecast, bm_decimal_t final, bm_accuracy_t *result)
{
    assert (result);
    if (final.micros == 0) {
        result->has_ape = false;
        result->ape_tenths = 0;
        result->score_tenths = forecast.micros == 0? BM_ACCURACY_FULL_TENTHS: 0;
        return;
    }
    //  128 bits: the difference of two extreme decimals overflows 64
    bm_int128_t error = (bm_int128_t) forecast.micros - final.micros;
    bm_int128_t magnitude = final.micros;
    if (error < 0)
        error = -error;
    if (magnitude < 0)
        magnitude = -magnitude;
    bm_int128_t ape = bm_decimal_divide (error * BM_ACCURACY_FULL_TENTHS, magnitude);
    result->has_ape = true;
    result->ape_tenths = ape > INT64_MAX? INT64_MAX: (int64_t) ape;
    result->score_tenths = ape >= BM_ACCURACY_FULL_TENTHS?
        0: BM_ACCURACY_FULL_TENTHS - (int64_t) ape;
}

bool
bm_accuracy_average (const int64_t *scores, size_t count, int64_t *average)
{
    assert (average);
    assert (scores || count == 0);
    *average = 0;
    if (count == 0)
        return false;
    bm_int128_t sum = 0;
    for (size_t index = 0; index < count; index++)
        sum += scores [index];
    *average = (int64_t) bm_decimal_divide (sum, (bm_int128_t) count);
    return true;
}

bool
bm_accuracy_pick_forecast (const int64_t *received, size_t count, int64_t closes,
                           size_t *index)
{
    assert (index);
    assert (received || count == 0);
    bool found_in_time = false;
    bool found = false;
    size_t in_time = 0;
    size_t last = 0;
    for (size_t current = 0; current < count; current++) {
        if (!found || received [current] >= received [last]) {
            last = current;
            found = true;
        }
        if (received [current] < closes
        && (!found_in_time || received [current] >= received [in_time])) {
            in_time = current;
            found_in_time = true;
        }
    }
    if (found)
        *index = found_in_time? in_time: last;
    return found;
}

void
bm_accuracy_entry (const char *unit, const int64_t *scores, size_t count,
                   bm_rank_entry_t *entry)
{
    assert (entry);
    entry->unit = unit;
    entry->has_rate = bm_accuracy_average (scores, count, &entry->rate_tenths);
    entry->rank = 0;
    entry->warned = false;
}
