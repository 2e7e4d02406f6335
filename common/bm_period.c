/*  bm_period: a reporting period, one calendar month (YYYY-MM). */

#include "bm_period.h"
#include "bm_i18n.h"

#include <assert.h>
#include <stdio.h>

static bool
s_digits (const char *text, int count)
{
    for (int index = 0; index < count; index++)
        if (text [index] < '0' || text [index] > '9')
            return false;
    return true;
}

int
bm_period_parse (const char *text, bm_period_t *period, const char **error)
{
    assert (period);
    const char *dummy;
    if (!error)
        error = &dummy;
    if (!text || !s_digits (text, 4) || text [4] != '-'
    ||  !s_digits (text + 5, 2) || text [7] != '\0') {
        *error = _("period must be YYYY-MM");
        return -1;
    }
    int year = (text [0] - '0') * 1000 + (text [1] - '0') * 100
             + (text [2] - '0') * 10 + (text [3] - '0');
    int month = (text [5] - '0') * 10 + (text [6] - '0');
    if (year < 1900) {
        *error = _("year before 1900");
        return -1;
    }
    if (month < 1 || month > 12) {
        *error = _("month must be 01 to 12");
        return -1;
    }
    period->year = year;
    period->month = month;
    return 0;
}

char *
bm_period_format (bm_period_t period, char *buf)
{
    //  "YYYY-MM" by hand: it is written for every event and alert
    unsigned year = (unsigned) period.year % 10000u, month = (unsigned) period.month % 100u;
    buf [0] = (char) ('0' + year / 1000);
    buf [1] = (char) ('0' + year / 100 % 10);
    buf [2] = (char) ('0' + year / 10 % 10);
    buf [3] = (char) ('0' + year % 10);
    buf [4] = '-';
    buf [5] = (char) ('0' + month / 10);
    buf [6] = (char) ('0' + month % 10);
    buf [7] = '\0';
    return buf;
}

int
bm_period_cmp (bm_period_t a, bm_period_t b)
{
    int index_a = a.year * 12 + a.month - 1;
    int index_b = b.year * 12 + b.month - 1;
    return (index_a > index_b) - (index_a < index_b);
}

bm_period_t
bm_period_add (bm_period_t period, int months)
{
    int index = period.year * 12 + period.month - 1 + months;
    bm_period_t result = { index / 12, index % 12 + 1 };
    return result;
}
