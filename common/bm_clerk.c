/*  bm_clerk: reading what a clerk types into a value cell. */

#include "bm_clerk.h"
#include "bm_decimal.h"
#include "bm_i18n.h"
#include "bm_utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

//  ---------------------------------------------------------------------------
//  Characters

//  The code point at *text, advancing it; the text is well-formed UTF-8
static uint32_t
s_decode (const char **text)
{
    const unsigned char *p = (const unsigned char *) *text;
    uint32_t point;
    int length;
    if (p [0] < 0x80) {
        point = p [0];
        length = 1;
    }
    else
    if ((p [0] & 0xE0) == 0xC0) {
        point = p [0] & 0x1F;
        length = 2;
    }
    else
    if ((p [0] & 0xF0) == 0xE0) {
        point = p [0] & 0x0F;
        length = 3;
    }
    else {
        point = p [0] & 0x07;
        length = 4;
    }
    for (int index = 1; index < length; index++)
        point = (point << 6) | (p [index] & 0x3F);
    *text += length;
    return point;
}

//  A space as a spreadsheet or an input method leaves it
static bool
s_space (uint32_t point)
{
    return point == ' ' || (point >= '\t' && point <= '\r') || point == 0xA0
        || point == 0x1680 || (point >= 0x2000 && point <= 0x200B) || point == 0x202F
        || point == 0x205F || point == 0x3000 || point == 0xFEFF;
}

//  The length in bytes of the space starting at text, 0 if none
static size_t
s_space_at (const char *text)
{
    if (!*text)
        return 0;
    const char *next = text;
    return s_space (s_decode (&next))? (size_t) (next - text): 0;
}

char *
bm_clerk_trim (char *text)
{
    if (!bm_utf8_valid (text, strlen (text)))
        return text;
    char *start = text;
    size_t skip;
    while ((skip = s_space_at (start)))
        start += skip;
    char *end = start;
    char *kept = start;         //  the end of the last character not a space
    while (*end) {
        skip = s_space_at (end);
        if (skip)
            end += skip;
        else {
            const char *next = end;
            s_decode (&next);
            end = (char *) next;
            kept = end;
        }
    }
    size_t length = (size_t) (kept - start);
    memmove (text, start, length);
    text [length] = '\0';
    return text;
}

//  The typed text with full-width forms (U+FF01..FF5E: １２３．４，－％)
//  and the minus sign U+2212 made ASCII and every space a plain ' '.
//  Returns -1 if it does not fit or is not UTF-8.
static int
s_halfwidth (const char *typed, char *out, size_t size)
{
    if (!bm_utf8_valid (typed, strlen (typed)))
        return -1;
    size_t used = 0;
    while (*typed) {
        const char *start = typed;
        uint32_t point = s_decode (&typed);
        char ascii = 0;
        if (point >= 0xFF01 && point <= 0xFF5E)
            ascii = (char) (point - 0xFEE0);
        else
        if (point == 0x2212)
            ascii = '-';
        else
        if (s_space (point))
            ascii = ' ';
        size_t length = ascii? 1: (size_t) (typed - start);
        if (used + length + 1 > size)
            return -1;
        if (ascii)
            out [used] = ascii;
        else
            memcpy (out + used, start, length);
        used += length;
    }
    out [used] = '\0';
    return 0;
}

static bool
s_digit (char c)
{
    return c >= '0' && c <= '9';
}

//  ---------------------------------------------------------------------------
//  Reading

bm_clerk_problem_t
bm_clerk_parse (const char *typed, bm_clerk_value_t *value)
{
    memset (value, 0, sizeof *value);
    char text [256];
    if (s_halfwidth (typed, text, sizeof text))
        return BM_CLERK_NOT_A_NUMBER;
    const char *p = text;
    while (*p == ' ')
        p++;
    if (!*p)
        return BM_CLERK_EMPTY;
    char number [BM_CLERK_NUMBER_MAX];
    size_t used = 0;
    if (*p == '-' || *p == '+') {
        if (*p == '-')
            number [used++] = '-';
        p++;
    }
    //  The whole part: digits, in groups of three after a thousands comma
    int digits = 0, group = 0, commas = 0;
    for (; s_digit (*p) || *p == ','; p++) {
        if (*p == ',') {
            if (digits == 0 || (commas == 0? group > 3: group != 3))
                return BM_CLERK_GROUPING;
            commas++;
            group = 0;
            continue;
        }
        if (used + 2 >= sizeof number)
            return BM_CLERK_RANGE;
        number [used++] = *p;
        digits++;
        group++;
    }
    if (commas && group != 3)
        return BM_CLERK_GROUPING;
    int decimals = 0;
    if (*p == '.') {
        if (digits == 0)
            number [used++] = '0';
        number [used++] = '.';
        for (p++; s_digit (*p); p++) {
            if (used + 2 >= sizeof number)
                return BM_CLERK_DECIMALS;
            number [used++] = *p;
            decimals++;
        }
        if (*p == ',')
            return BM_CLERK_GROUPING;
        if (decimals == 0)
            return BM_CLERK_NOT_A_NUMBER;
    }
    if (digits == 0 && decimals == 0)
        return BM_CLERK_NOT_A_NUMBER;
    number [used] = '\0';
    //  What follows: spaces, then the unit, which holds no digit
    const char *after = p;
    while (*p == ' ')
        p++;
    if (p > after && (s_digit (*p) || *p == ',' || *p == '.'))
        return BM_CLERK_SPACE_INSIDE;
    for (const char *rest = p; *rest; rest++)
        if (s_digit (*rest))
            return BM_CLERK_NOT_A_NUMBER;
    if (strlen (p) >= sizeof value->unit)
        return BM_CLERK_NOT_A_NUMBER;
    bm_decimal_t parsed;
    const char *error;
    if (bm_decimal_parse (number, &parsed, &error))
        return decimals > BM_DECIMAL_DIGITS? BM_CLERK_DECIMALS: BM_CLERK_RANGE;
    memcpy (value->number, number, used + 1);
    snprintf (value->unit, sizeof value->unit, "%s", p);
    bm_clerk_trim (value->unit);
    return BM_CLERK_OK;
}

bool
bm_clerk_needs_unit (const bm_clerk_value_t *value)
{
    return value->unit [0] != '\0';
}

//  ---------------------------------------------------------------------------
//  Units

//  Multiples written before a unit, longest first
static const struct {
    const char *prefix;
    int exponent;
    bool money_only;            //  千 multiplies money (千元); 千瓦 is a unit of its own
} s_multiples [] = {
    { "万亿", 12, false }, { "千万", 7, false }, { "百万", 6, false },
    { "十万", 5, false }, { "亿", 8, false }, { "万", 4, false }, { "千", 3, true }
};

//  Names of one unit written two ways
static const struct {
    const char *name;
    const char *same_as;
} s_aliases [] = {
    { "吨标准煤", "吨标煤" }, { "㎡", "平方米" }, { "人民币元", "元" }, { "块", "元" }
};

//  A unit split into its multiple (a power of ten) and its base: 万元 is
//  10^4 元, 亿元 10^8 元, 人 10^0 人. A bare multiple (万) has base "".
static void
s_split (const char *unit, int *exponent, char *base, size_t size)
{
    *exponent = 0;
    const char *rest = unit;
    for (size_t index = 0; index < sizeof s_multiples / sizeof s_multiples [0]; index++) {
        size_t length = strlen (s_multiples [index].prefix);
        if (strncmp (unit, s_multiples [index].prefix, length) != 0)
            continue;
        const char *after = unit + length;
        if (s_multiples [index].money_only && *after
        &&  strcmp (after, "元") != 0 && strcmp (after, "美元") != 0)
            continue;
        *exponent = s_multiples [index].exponent;
        rest = after;
        break;
    }
    for (size_t index = 0; index < sizeof s_aliases / sizeof s_aliases [0]; index++)
        if (strcmp (rest, s_aliases [index].name) == 0)
            rest = s_aliases [index].same_as;
    snprintf (base, size, "%s", rest);
}

static bool
s_percent (const char *unit)
{
    return strcmp (unit, "%") == 0;
}

bm_clerk_problem_t
bm_clerk_convert (const bm_clerk_value_t *value, const char *unit_of_measure, char *out)
{
    char expected [128];
    snprintf (expected, sizeof expected, "%s", unit_of_measure? unit_of_measure: "");
    bm_clerk_trim (expected);
    if (!*value->unit || strcmp (value->unit, expected) == 0) {
        snprintf (out, BM_CLERK_NUMBER_MAX, "%s", value->number);
        return BM_CLERK_OK;
    }
    if (!*expected)
        return BM_CLERK_NO_UNIT;
    if (s_percent (value->unit) || s_percent (expected))
        return BM_CLERK_UNIT_MISMATCH;
    int typed_exponent, expected_exponent;
    char typed_base [BM_CLERK_UNIT_MAX], expected_base [128];
    s_split (value->unit, &typed_exponent, typed_base, sizeof typed_base);
    s_split (expected, &expected_exponent, expected_base, sizeof expected_base);
    if (*typed_base && strcmp (typed_base, expected_base) != 0)
        return BM_CLERK_UNIT_MISMATCH;
    if (!*typed_base && !*expected_base)
        return BM_CLERK_UNIT_MISMATCH;      //  万 for 万: written the same above
    bm_decimal_t number;
    if (bm_decimal_parse (value->number, &number, NULL))
        return BM_CLERK_RANGE;
    //  Scaled by a power of ten: exact, or refused
    int shift = typed_exponent - expected_exponent;
    bm_int128_t micros = number.micros;
    for (; shift > 0; shift--) {
        micros *= 10;
        if (micros > (bm_int128_t) BM_DECIMAL_MAX * BM_DECIMAL_SCALE
        ||  micros < -(bm_int128_t) BM_DECIMAL_MAX * BM_DECIMAL_SCALE)
            return BM_CLERK_RANGE;
    }
    for (; shift < 0; shift++) {
        if (micros % 10 != 0)
            return BM_CLERK_INEXACT;
        micros /= 10;
    }
    char buf [BM_DECIMAL_STR_MAX];
    bm_decimal_format ((bm_decimal_t) { (int64_t) micros }, buf);
    snprintf (out, BM_CLERK_NUMBER_MAX, "%s", buf);
    return BM_CLERK_OK;
}

//  ---------------------------------------------------------------------------
//  Explaining

char *
bm_clerk_explain (bm_clerk_problem_t problem, const bm_clerk_value_t *value,
                  const char *unit_of_measure, char *buf, size_t size)
{
    const char *expected = unit_of_measure && *unit_of_measure? unit_of_measure: "";
    const char *typed = value? value->unit: "";
    switch (problem) {
        case BM_CLERK_OK:
            snprintf (buf, size, "%s", _("a number"));
            break;
        case BM_CLERK_EMPTY:
            snprintf (buf, size, "%s", _("empty; write a number such as 79.5"));
            break;
        case BM_CLERK_NOT_A_NUMBER:
            snprintf (buf, size, "%s", _("not a number; write a number such as 79.5"));
            break;
        case BM_CLERK_SPACE_INSIDE:
            snprintf (buf, size, "%s", _("a space between the digits; write them together, "
                                         "as 1234.5 or 1,234.5"));
            break;
        case BM_CLERK_GROUPING:
            snprintf (buf, size, "%s", _("a comma may only separate thousands (1,234.5); "
                                         "write decimals with a point, as 79.5"));
            break;
        case BM_CLERK_DECIMALS:
            snprintf (buf, size, "%s", _("more than 6 decimals; round it to 6 at most"));
            break;
        case BM_CLERK_RANGE:
            snprintf (buf, size, "%s", _("the number is too large; check it and its unit"));
            break;
        case BM_CLERK_NO_UNIT:
            snprintf (buf, size, _("the indicator has no unit of measure to convert %s to; "
                                   "write the number alone"), typed);
            break;
        case BM_CLERK_UNIT_MISMATCH:
            if (s_percent (typed))
                snprintf (buf, size, _("a percentage, but the indicator is measured in %s; "
                                       "write the value in %s"), expected, expected);
            else
                snprintf (buf, size, _("%s is not the indicator's unit of measure, %s; "
                                       "write the value in %s"), typed, expected, expected);
            break;
        case BM_CLERK_INEXACT:
            snprintf (buf, size, _("in %s it would need more than 6 decimals; write the "
                                   "value in %s"), expected, expected);
            break;
    }
    return buf;
}
