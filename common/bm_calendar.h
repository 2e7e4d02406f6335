/*  bm_calendar: civil dates, weekdays and which days are worked.

    Dates are proleptic Gregorian, with no time and no zone: a bm_date_t is
    a day as a person in the district names it. Day arithmetic goes through
    a count of days since 1970-01-01, so it never touches the system's time
    zone or the C library's broken-down time.

    A calendar says which days are worked: Monday to Friday, except the
    days holidays.csv lists, which may be holidays on a weekday or, for
    China's 调休, working days on a weekend (deploy/plans/README.md
    "holidays.csv").
*/
#ifndef BM_CALENDAR_H_INCLUDED
#define BM_CALENDAR_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BM_DATE_STR_MAX     11      //  "2023-06-28" and the terminator
#define BM_DATE_YEAR_MIN    1900    //  as bm_period_t
#define BM_DATE_YEAR_MAX    9999

typedef struct {
    int year;               //  1900..9999
    int month;              //  1..12
    int day;                //  1..28, 29, 30 or 31
} bm_date_t;

//  Parse exactly "YYYY-MM-DD", a real date (2023-02-29 is not). Returns 0,
//  or -1 with *error (if error is not NULL) set to a static message.
int
    bm_date_parse (const char *text, bm_date_t *date, const char **error);

//  Format as "YYYY-MM-DD" into buf (BM_DATE_STR_MAX bytes). Returns buf.
char *
    bm_date_format (bm_date_t date, char *buf);

//  Negative, zero or positive as a is before, equal to or after b.
int
    bm_date_cmp (bm_date_t a, bm_date_t b);

//  True if the date exists: year 1900..9999, month 1..12, day in the month.
bool
    bm_date_is_valid (bm_date_t date);

//  Day of the week: 0 Monday .. 6 Sunday.
int
    bm_date_weekday (bm_date_t date);

//  The date `days` later (or earlier, if negative).
bm_date_t
    bm_date_add_days (bm_date_t date, int days);

//  Days in the month (28..31), leap years included; 0 for a month that is
//  not 1..12.
int
    bm_date_days_in_month (int year, int month);

//  Days since 1970-01-01 (negative before it). A month or day out of range
//  carries over (2023-01-32 counts as 2023-02-01).
int64_t
    bm_date_days_from_epoch (bm_date_t date);

//  The date `days` after 1970-01-01; the inverse of bm_date_days_from_epoch
//  for the years a bm_date_t holds.
bm_date_t
    bm_date_from_epoch_days (int64_t days);

//  Which days are worked.
typedef struct _bm_calendar_t bm_calendar_t;

//  An empty calendar: Monday to Friday are worked. NULL if out of memory.
bm_calendar_t *
    bm_calendar_new (void);

//  Free the calendar and set *self_p to NULL; safe to call twice.
void
    bm_calendar_destroy (bm_calendar_t **self_p);

//  List a day: a holiday (working false) or a working day on a weekend,
//  调休 (working true). A later call for the same date replaces the earlier.
//  Returns 0, or -1 if the date is not valid or memory runs out.
int
    bm_calendar_set (bm_calendar_t *self, bm_date_t date, bool working);

//  How many days are listed.
size_t
    bm_calendar_size (const bm_calendar_t *self);

//  True if the date is worked: a listed day as listed, else Monday to
//  Friday. self may be NULL: weekdays only.
bool
    bm_calendar_is_workday (const bm_calendar_t *self, bm_date_t date);

//  The first working day on or after date (the date itself if worked).
bm_date_t
    bm_calendar_next_workday (const bm_calendar_t *self, bm_date_t date);

//  The last working day on or before date (the date itself if worked).
bm_date_t
    bm_calendar_previous_workday (const bm_calendar_t *self, bm_date_t date);

#endif
