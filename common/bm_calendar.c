/*  bm_calendar: civil dates, weekdays and which days are worked. */

#include "bm_calendar.h"
#include "bm_i18n.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

//  --------------------------------------------------------------------------
//  Civil dates

//  Floor division and its remainder, for negative day counts
static int64_t
s_floor_div (int64_t numerator, int64_t denominator)
{
    int64_t quotient = numerator / denominator;
    if ((numerator % denominator != 0) && ((numerator < 0) != (denominator < 0)))
        quotient--;
    return quotient;
}

static bool
s_is_leap (int64_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

//  Days from 1970-01-01 to the first of the month, months 1..12. The
//  Gregorian cycle repeats every 400 years (146097 days); counting years
//  from March puts the leap day last, so a month's offset in the year is a
//  straight line (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
static int64_t
s_days_from_civil (int64_t year, int month)
{
    year -= month <= 2;
    int64_t era = s_floor_div (year, 400);
    int64_t year_of_era = year - era * 400;                     //  0..399
    int64_t day_of_year = (153 * (month > 2? month - 3: month + 9) + 2) / 5;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100
                       + day_of_year;                           //  0..146096
    return era * 146097 + day_of_era - 719468;
}

//  The inverse: year, month and day of a day count
static void
s_civil_from_days (int64_t days, int64_t *year, int *month, int *day)
{
    days += 719468;
    int64_t era = s_floor_div (days, 146097);
    int64_t day_of_era = days - era * 146097;                   //  0..146096
    int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524
                        - day_of_era / 146096) / 365;           //  0..399
    int64_t day_of_year = day_of_era
                        - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t month_from_march = (5 * day_of_year + 2) / 153;    //  0..11
    *day = (int) (day_of_year - (153 * month_from_march + 2) / 5 + 1);
    *month = (int) (month_from_march < 10? month_from_march + 3: month_from_march - 9);
    *year = year_of_era + era * 400 + (*month <= 2);
}

static bool
s_digits (const char *text, int count)
{
    for (int index = 0; index < count; index++)
        if (text [index] < '0' || text [index] > '9')
            return false;
    return true;
}

static int
s_number (const char *text, int count)
{
    int value = 0;
    for (int index = 0; index < count; index++)
        value = value * 10 + (text [index] - '0');
    return value;
}

int
bm_date_parse (const char *text, bm_date_t *date, const char **error)
{
    assert (date);
    const char *dummy;
    if (!error)
        error = &dummy;
    if (!text || !s_digits (text, 4) || text [4] != '-'
    ||  !s_digits (text + 5, 2) || text [7] != '-'
    ||  !s_digits (text + 8, 2) || text [10] != '\0') {
        *error = _("date must be YYYY-MM-DD");
        return -1;
    }
    bm_date_t parsed = {
        s_number (text, 4), s_number (text + 5, 2), s_number (text + 8, 2)
    };
    if (parsed.year < BM_DATE_YEAR_MIN) {
        *error = _("year before 1900");
        return -1;
    }
    if (parsed.month < 1 || parsed.month > 12) {
        *error = _("month must be 01 to 12");
        return -1;
    }
    if (parsed.day < 1 || parsed.day > bm_date_days_in_month (parsed.year, parsed.month)) {
        *error = _("no such day in that month");
        return -1;
    }
    *date = parsed;
    return 0;
}

char *
bm_date_format (bm_date_t date, char *buf)
{
    snprintf (buf, BM_DATE_STR_MAX, "%04u-%02u-%02u", (unsigned) date.year % 10000u,
              (unsigned) date.month % 100u, (unsigned) date.day % 100u);
    return buf;
}

int
bm_date_cmp (bm_date_t a, bm_date_t b)
{
    if (a.year != b.year)
        return a.year < b.year? -1: 1;
    if (a.month != b.month)
        return a.month < b.month? -1: 1;
    return (a.day > b.day) - (a.day < b.day);
}

bool
bm_date_is_valid (bm_date_t date)
{
    return date.year >= BM_DATE_YEAR_MIN && date.year <= BM_DATE_YEAR_MAX
        && date.month >= 1 && date.month <= 12
        && date.day >= 1 && date.day <= bm_date_days_in_month (date.year, date.month);
}

int
bm_date_weekday (bm_date_t date)
{
    //  1970-01-01 was a Thursday (3)
    int64_t days = bm_date_days_from_epoch (date);
    return (int) (days - s_floor_div (days + 3, 7) * 7 + 3);
}

bm_date_t
bm_date_add_days (bm_date_t date, int days)
{
    return bm_date_from_epoch_days (bm_date_days_from_epoch (date) + days);
}

int
bm_date_days_in_month (int year, int month)
{
    static const int lengths [12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && s_is_leap (year))
        return 29;
    return lengths [month - 1];
}

int64_t
bm_date_days_from_epoch (bm_date_t date)
{
    //  Carry an out-of-range month into the year, then count the day on
    int64_t months = (int64_t) date.year * 12 + date.month - 1;
    int64_t year = s_floor_div (months, 12);
    int month = (int) (months - year * 12) + 1;
    return s_days_from_civil (year, month) + date.day - 1;
}

bm_date_t
bm_date_from_epoch_days (int64_t days)
{
    int64_t year;
    bm_date_t date;
    s_civil_from_days (days, &year, &date.month, &date.day);
    date.year = (int) year;
    return date;
}

//  --------------------------------------------------------------------------
//  Structure of our class

typedef struct {
    int64_t day;                //  days from the epoch
    bool working;               //  true: 调休 working day; false: holiday
} s_listed_t;

struct _bm_calendar_t {
    s_listed_t *listed;         //  listed days, ascending by day
    size_t size;                //  how many are listed
    size_t capacity;            //  how many fit before growing
};

bm_calendar_t *
bm_calendar_new (void)
{
    return calloc (1, sizeof (bm_calendar_t));
}

void
bm_calendar_destroy (bm_calendar_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        free ((*self_p)->listed);
        free (*self_p);
        *self_p = NULL;
    }
}

//  Where day is, or would go, in the listed days
static size_t
s_position (const bm_calendar_t *self, int64_t day)
{
    size_t low = 0;
    size_t high = self->size;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (self->listed [middle].day < day)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

int
bm_calendar_set (bm_calendar_t *self, bm_date_t date, bool working)
{
    assert (self);
    if (!bm_date_is_valid (date))
        return -1;
    int64_t day = bm_date_days_from_epoch (date);
    size_t position = s_position (self, day);
    if (position < self->size && self->listed [position].day == day) {
        self->listed [position].working = working;
        return 0;
    }
    if (self->size == self->capacity) {
        size_t capacity = self->capacity? self->capacity * 2: 32;
        s_listed_t *listed = realloc (self->listed, capacity * sizeof *listed);
        if (!listed)
            return -1;
        self->listed = listed;
        self->capacity = capacity;
    }
    for (size_t index = self->size; index > position; index--)
        self->listed [index] = self->listed [index - 1];
    self->listed [position].day = day;
    self->listed [position].working = working;
    self->size++;
    return 0;
}

size_t
bm_calendar_size (const bm_calendar_t *self)
{
    return self? self->size: 0;
}

bool
bm_calendar_is_workday (const bm_calendar_t *self, bm_date_t date)
{
    if (self) {
        int64_t day = bm_date_days_from_epoch (date);
        size_t position = s_position (self, day);
        if (position < self->size && self->listed [position].day == day)
            return self->listed [position].working;
    }
    return bm_date_weekday (date) < 5;
}

//  Both walks end: only finitely many days are listed, and past them every
//  week has five working days.
bm_date_t
bm_calendar_next_workday (const bm_calendar_t *self, bm_date_t date)
{
    while (!bm_calendar_is_workday (self, date))
        date = bm_date_add_days (date, 1);
    return date;
}

bm_date_t
bm_calendar_previous_workday (const bm_calendar_t *self, bm_date_t date)
{
    while (!bm_calendar_is_workday (self, date))
        date = bm_date_add_days (date, -1);
    return date;
}
