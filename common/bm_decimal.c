/*  bm_decimal: exact decimal numbers for targets, milestones and figures. */

#include "bm_decimal.h"
#include "bm_i18n.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

int
bm_decimal_parse (const char *text, bm_decimal_t *value, const char **error)
{
    assert (value);
    const char *dummy;
    if (!error)
        error = &dummy;
    if (!text || !*text) {
        *error = _("empty number");
        return -1;
    }
    const char *p = text;
    bool negative = false;
    if (*p == '-' || *p == '+') {
        negative = (*p == '-');
        p++;
    }
    int64_t whole = 0;
    int whole_digits = 0;
    while (*p >= '0' && *p <= '9') {
        if (whole > BM_DECIMAL_MAX / 10) {
            *error = _("number too large");
            return -1;
        }
        whole = whole * 10 + (*p - '0');
        whole_digits++;
        p++;
    }
    int64_t fraction = 0;
    int fraction_digits = 0;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (fraction_digits == BM_DECIMAL_DIGITS) {
                *error = _("more than 6 decimals");
                return -1;
            }
            fraction = fraction * 10 + (*p - '0');
            fraction_digits++;
            p++;
        }
        if (fraction_digits == 0) {
            *error = _("no digits after the decimal point");
            return -1;
        }
    }
    if (*p != '\0' || whole_digits == 0) {
        *error = _("not a plain decimal number");
        return -1;
    }
    if (whole > BM_DECIMAL_MAX) {
        *error = _("number too large");
        return -1;
    }
    for (int digit = fraction_digits; digit < BM_DECIMAL_DIGITS; digit++)
        fraction *= 10;
    int64_t micros = whole * BM_DECIMAL_SCALE + fraction;
    value->micros = negative? -micros: micros;
    return 0;
}

char *
bm_decimal_format_fixed (bm_decimal_t value, int decimals, char *buf)
{
    assert (decimals >= 0 && decimals <= BM_DECIMAL_DIGITS);
    int64_t micros = value.micros;
    bool negative = micros < 0;
    uint64_t magnitude = negative? (uint64_t) (-(micros + 1)) + 1: (uint64_t) micros;
    uint64_t step = 1;
    for (int digit = decimals; digit < BM_DECIMAL_DIGITS; digit++)
        step *= 10;
    //  Round half away from zero to `decimals`
    magnitude = (magnitude + step / 2) / step * step;
    uint64_t whole = magnitude / BM_DECIMAL_SCALE;
    uint64_t fraction = (magnitude % BM_DECIMAL_SCALE) / step;
    if (magnitude == 0)
        negative = false;
    //  Written digit by digit, from the end: every number of every event
    //  and reply passes here, and snprintf was a fifth of a figure's cost
    char digits [BM_DECIMAL_STR_MAX];
    char *out = digits + sizeof digits;
    for (int digit = 0; digit < decimals; digit++) {
        *--out = (char) ('0' + fraction % 10);
        fraction /= 10;
    }
    if (decimals)
        *--out = '.';
    do {
        *--out = (char) ('0' + whole % 10);
        whole /= 10;
    } while (whole);
    if (negative)
        *--out = '-';
    size_t length = (size_t) (digits + sizeof digits - out);
    memcpy (buf, out, length);
    buf [length] = '\0';
    return buf;
}

char *
bm_decimal_format (bm_decimal_t value, char *buf)
{
    bm_decimal_format_fixed (value, BM_DECIMAL_DIGITS, buf);
    char *point = strchr (buf, '.');
    if (point) {
        char *end = buf + strlen (buf) - 1;
        while (end > point && *end == '0')
            *end-- = '\0';
        if (end == point)
            *end = '\0';
    }
    return buf;
}

bm_int128_t
bm_decimal_divide (bm_int128_t numerator, bm_int128_t denominator)
{
    assert (denominator != 0);
    bool negative = (numerator < 0) != (denominator < 0);
    if (numerator < 0)
        numerator = -numerator;
    if (denominator < 0)
        denominator = -denominator;
    bm_int128_t quotient = (numerator * 2 + denominator) / (denominator * 2);
    return negative? -quotient: quotient;
}

int
bm_decimal_percent (bm_decimal_t numerator, bm_decimal_t denominator,
                    int64_t *tenths)
{
    if (denominator.micros == 0)
        return -1;
    //  tenths = round (numerator * 1000 / denominator); 128-bit keeps the
    //  product exact for the whole range of values.
    *tenths = (int64_t) bm_decimal_divide ((bm_int128_t) numerator.micros * 1000,
                                           denominator.micros);
    return 0;
}

char *
bm_percent_format (int64_t tenths, char *buf)
{
    bm_decimal_t value = { tenths * (BM_DECIMAL_SCALE / 10) };
    return bm_decimal_format_fixed (value, 1, buf);
}

bm_decimal_t
bm_decimal_add (bm_decimal_t a, bm_decimal_t b)
{
    bm_decimal_t sum = { a.micros + b.micros };
    return sum;
}

int
bm_decimal_cmp (bm_decimal_t a, bm_decimal_t b)
{
    return (a.micros > b.micros) - (a.micros < b.micros);
}

bool
bm_decimal_is_zero (bm_decimal_t value)
{
    return value.micros == 0;
}

bm_decimal_t
bm_decimal_round (bm_decimal_t value, int decimals)
{
    assert (decimals >= 0 && decimals <= BM_DECIMAL_DIGITS);
    int64_t step = 1;
    for (int digit = decimals; digit < BM_DECIMAL_DIGITS; digit++)
        step *= 10;
    bm_decimal_t rounded = { (int64_t) bm_decimal_divide (value.micros, step) * step };
    return rounded;
}

int
bm_decimal_scale (const char *text)
{
    const char *point = text? strchr (text, '.'): NULL;
    if (!point)
        return 0;
    int digits = 0;
    for (const char *digit = point + 1; *digit >= '0' && *digit <= '9'; digit++)
        digits++;
    return digits > BM_DECIMAL_DIGITS? BM_DECIMAL_DIGITS: digits;
}
