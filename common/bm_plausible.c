/*  bm_plausible: is a figure plausible, or should it be held? */

#include "bm_plausible.h"

#include <assert.h>

//  True when one positive value is `factor` times the other or more (only
//  the value above the reference, when above_only)
static bool
s_off_by (bm_decimal_t value, bm_decimal_t reference, bm_decimal_t factor, bool above_only)
{
    if (value.micros <= 0 || reference.micros <= 0 || factor.micros <= 0)
        return false;
    bm_int128_t scale = BM_DECIMAL_SCALE;
    return (bm_int128_t) value.micros * scale >= (bm_int128_t) reference.micros * factor.micros
        || (!above_only && (bm_int128_t) reference.micros * scale
                           >= (bm_int128_t) value.micros * factor.micros);
}

bm_plausible_t
bm_plausible_check (const bm_plausible_input_t *input)
{
    assert (input);
    if (!input->may_decrease && input->has_previous
    &&  bm_decimal_cmp (input->value, input->previous) < 0)
        return BM_PLAUSIBLE_FALLS;
    if (input->factor.micros <= 0)
        return BM_PLAUSIBLE_OK;
    //  A reference proves something only when it is above zero
    bool expected = input->has_expected && input->expected.micros > 0;
    bool last = input->has_last && input->last.micros > 0;
    if (!expected && !last)
        return BM_PLAUSIBLE_OK;
    bool off_expected = expected
                     && s_off_by (input->value, input->expected, input->factor,
                                  input->direction == BM_LOWER_IS_BETTER);
    bool off_last = last && s_off_by (input->value, input->last, input->factor, false);
    return (off_expected || !expected) && (off_last || !last)? BM_PLAUSIBLE_OFF
                                                             : BM_PLAUSIBLE_OK;
}
