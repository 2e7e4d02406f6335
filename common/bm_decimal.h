/*  bm_decimal: exact decimal numbers for targets, milestones and figures.

    Government figures are decimals as written (1673.5, 0.0238, 30.30) and
    completion rates must round exactly at the .05 boundary, so values are
    held as a signed count of millionths in an int64 and never as floating
    point. The range is +/- 9,000,000,000,000 with six decimals, which covers
    every figure the plans use (the largest is 320000 万元).
*/
#ifndef BM_DECIMAL_H_INCLUDED
#define BM_DECIMAL_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BM_DECIMAL_SCALE     1000000LL             //  units per 1.0
#define BM_DECIMAL_DIGITS    6                     //  decimals kept
#define BM_DECIMAL_MAX       9000000000000LL       //  largest whole part
#define BM_DECIMAL_STR_MAX   32                    //  buffer for bm_decimal_format

typedef struct {
    int64_t micros;         //  value * 10^6
} bm_decimal_t;

//  Products of two decimals need 128 bits to stay exact
__extension__ typedef __int128 bm_int128_t;

//  numerator / denominator, rounded half away from zero. The one rounding
//  rule of the project: every division of decimals goes through here.
//  The denominator must not be zero.
bm_int128_t
    bm_decimal_divide (bm_int128_t numerator, bm_int128_t denominator);

//  Parse a plain decimal: optional sign, digits, optional '.' and up to six
//  digits. No exponent, no thousands separators, no spaces, no NaN or
//  infinity. Returns 0 on success, -1 with *error set to a static message
//  a person can read.
int
    bm_decimal_parse (const char *text, bm_decimal_t *value, const char **error);

//  Format without trailing zeros ("1673.5", "1855", "0.0238") into buf,
//  which holds at least BM_DECIMAL_STR_MAX bytes. Returns buf.
char *
    bm_decimal_format (bm_decimal_t value, char *buf);

//  Format with exactly `decimals` digits after the point (0..6), rounding
//  half away from zero.
char *
    bm_decimal_format_fixed (bm_decimal_t value, int decimals, char *buf);

//  numerator / denominator * 100, rounded half away from zero to one
//  decimal, as a count of tenths of a percent (1002 for 100.2%).
//  Returns -1 if the denominator is zero.
int
    bm_decimal_percent (bm_decimal_t numerator, bm_decimal_t denominator,
                        int64_t *tenths);

//  Format tenths of a percent as "100.2"
char *
    bm_percent_format (int64_t tenths, char *buf);

bm_decimal_t
    bm_decimal_add (bm_decimal_t a, bm_decimal_t b);

int
    bm_decimal_cmp (bm_decimal_t a, bm_decimal_t b);

bool
    bm_decimal_is_zero (bm_decimal_t value);

//  The value rounded half away from zero to `decimals` (0..6) digits
bm_decimal_t
    bm_decimal_round (bm_decimal_t value, int decimals);

//  How many digits a decimal is written with after its point ("1855.0": 1,
//  "26": 0); at most 6. The text is not checked.
int
    bm_decimal_scale (const char *text);


#endif
