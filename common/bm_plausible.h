/*  bm_plausible: is a figure plausible, or should it be held until its
    sender confirms it? DHIS2's min-max outlier check is the anchor.

    Pure functions, no I/O. Two tests, for amounts and levels:
    - falls: a cumulative figure below the unit's previous month (a month's
      own figure typed as the total since January: 0.71 after June's
      5.06), unless the indicator may decrease (a level, a ceiling, or as
      the plan says);
    - off: `factor` times or more off what the month expects and off the
      unit's last value, or off the one of them that is known (7100 typed
      in 万元 where 亿元 is meant). Below a ceiling (lower is better) is good
      news, not a typo: only far above its expected value is off. A value
      of zero, or a reference of zero or below, proves nothing. A factor of
      zero turns the test off.
*/
#ifndef BM_PLAUSIBLE_H_INCLUDED
#define BM_PLAUSIBLE_H_INCLUDED

#include "bm_completion.h"
#include "bm_decimal.h"

#include <stdbool.h>

typedef enum {
    BM_PLAUSIBLE_OK = 0,
    BM_PLAUSIBLE_FALLS,         //  below the previous month's cumulative figure
    BM_PLAUSIBLE_OFF            //  `factor` times off its references
} bm_plausible_t;

typedef struct {
    bm_direction_t direction;
    bool may_decrease;          //  the figure may fall from month to month
    bm_decimal_t factor;        //  > 1; 0: no "off" test
    bm_decimal_t value;         //  the figure sent
    bool has_previous;          //  the unit's figure for the month before
    bm_decimal_t previous;
    bool has_expected;          //  what the month expects of the unit
    bm_decimal_t expected;
    bool has_last;              //  the last value of the cell, or of the month before
    bm_decimal_t last;
} bm_plausible_input_t;

bm_plausible_t
    bm_plausible_check (const bm_plausible_input_t *input);

#endif
