/*  bm_cycle: the monthly reporting cycle: deadlines, windows, timeliness. */

#include "bm_cycle.h"
#include "bm_i18n.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define S_DAY_SECONDS   86400

//  Floor division, so that instants before 1970 fall on the right day
static int64_t
s_floor_div (int64_t numerator, int64_t denominator)
{
    int64_t quotient = numerator / denominator;
    if ((numerator % denominator != 0) && ((numerator < 0) != (denominator < 0)))
        quotient--;
    return quotient;
}

//  --------------------------------------------------------------------------
//  Deadline rules

int
bm_deadline_rule_parse (const char *text, bm_deadline_rule_t *rule)
{
    assert (rule);
    if (!text || strcmp (text, "") == 0 || strcmp (text, "none") == 0)
        *rule = BM_DEADLINE_NONE;
    else
    if (strcmp (text, "next_workday") == 0)
        *rule = BM_DEADLINE_NEXT_WORKDAY;
    else
    if (strcmp (text, "previous_workday") == 0)
        *rule = BM_DEADLINE_PREVIOUS_WORKDAY;
    else
        return -1;
    return 0;
}

const char *
bm_deadline_rule_name (bm_deadline_rule_t rule)
{
    switch (rule) {
        case BM_DEADLINE_NEXT_WORKDAY:      return "next_workday";
        case BM_DEADLINE_PREVIOUS_WORKDAY:  return "previous_workday";
        default:                            return "none";
    }
}

//  --------------------------------------------------------------------------
//  Deadlines and windows

int
bm_cycle_check (const bm_cycle_t *cycle, const char **error)
{
    assert (cycle);
    const char *dummy;
    if (!error)
        error = &dummy;
    if (cycle->forecast_day < 0 || cycle->forecast_day > 28) {
        *error = _("forecast_day must be 1 to 28");
        return -1;
    }
    if (cycle->final_day < 0 || cycle->final_day > 28) {
        *error = _("final_day must be 1 to 28");
        return -1;
    }
    return 0;
}

//  A cycle's day: 0 is the default, the rest is held to 1..28 so that it
//  names a day of every month
static int
s_day (int day, int fallback)
{
    if (day == 0)
        return fallback;
    return day < 1? 1: day > 28? 28: day;
}

//  Move a deadline off a day that is not worked, as the rule says
static bm_date_t
s_move (const bm_cycle_t *cycle, bm_date_t deadline)
{
    if (cycle->rule == BM_DEADLINE_NEXT_WORKDAY)
        return bm_calendar_next_workday (cycle->calendar, deadline);
    if (cycle->rule == BM_DEADLINE_PREVIOUS_WORKDAY)
        return bm_calendar_previous_workday (cycle->calendar, deadline);
    return deadline;
}

void
bm_cycle_windows (const bm_cycle_t *cycle, bm_period_t period, bm_windows_t *windows)
{
    assert (cycle);
    assert (windows);
    bm_period_t next = bm_period_add (period, 1);
    bm_date_t first = { period.year, period.month, 1 };
    bm_date_t next_first = { next.year, next.month, 1 };
    bm_date_t forecast = {
        period.year, period.month, s_day (cycle->forecast_day, BM_CYCLE_FORECAST_DAY)
    };
    bm_date_t final = {
        next.year, next.month, s_day (cycle->final_day, BM_CYCLE_FINAL_DAY)
    };
    windows->forecast_deadline = s_move (cycle, forecast);
    windows->final_deadline = s_move (cycle, final);
    windows->forecast_opens = bm_time_from_shanghai (first, 0, 0, 0);
    windows->forecast_closes = bm_time_from_shanghai (windows->forecast_deadline, 24, 0, 0);
    windows->final_opens = bm_time_from_shanghai (next_first, 0, 0, 0);
    windows->final_closes = bm_time_from_shanghai (windows->final_deadline, 24, 0, 0);
}

bm_window_t
bm_cycle_window (const bm_windows_t *windows, bool final, int64_t now)
{
    assert (windows);
    int64_t opens = final? windows->final_opens: windows->forecast_opens;
    int64_t closes = final? windows->final_closes: windows->forecast_closes;
    if (now < opens)
        return BM_WINDOW_NOT_OPEN;
    if (now < closes)
        return BM_WINDOW_OPEN;
    return BM_WINDOW_CLOSED;
}

bm_timely_t
bm_cycle_timeliness (const bm_windows_t *windows, bool final, bool received,
                     int64_t first_received)
{
    assert (windows);
    if (!received)
        return BM_TIMELY_MISSING;
    int64_t closes = final? windows->final_closes: windows->forecast_closes;
    return first_received < closes? BM_TIMELY_ON_TIME: BM_TIMELY_LATE;
}

const char *
bm_timely_name (bm_timely_t timely)
{
    switch (timely) {
        case BM_TIMELY_ON_TIME: return "on_time";
        case BM_TIMELY_LATE:    return "late";
        default:                return "missing";
    }
}

//  --------------------------------------------------------------------------
//  Shanghai time

int64_t
bm_time_from_shanghai (bm_date_t date, int hour, int minute, int second)
{
    return bm_date_days_from_epoch (date) * S_DAY_SECONDS
         + (int64_t) hour * 3600 + (int64_t) minute * 60 + second
         - BM_SHANGHAI_OFFSET;
}

//  The Shanghai day of an instant and the second of that day, without
//  overflowing near the ends of the int64 range
static void
s_shanghai (int64_t seconds, int64_t *days, int *second_of_day)
{
    *days = s_floor_div (seconds, S_DAY_SECONDS);
    int64_t rest = seconds - *days * S_DAY_SECONDS + BM_SHANGHAI_OFFSET;
    if (rest >= S_DAY_SECONDS) {
        rest -= S_DAY_SECONDS;
        (*days)++;
    }
    *second_of_day = (int) rest;
}

bm_date_t
bm_time_shanghai_date (int64_t seconds)
{
    int64_t days;
    int second_of_day;
    s_shanghai (seconds, &days, &second_of_day);
    return bm_date_from_epoch_days (days);
}

char *
bm_time_format (int64_t seconds, char *buf)
{
    int64_t days;
    int second_of_day;
    s_shanghai (seconds, &days, &second_of_day);
    bm_date_t date = bm_date_from_epoch_days (days);
    snprintf (buf, BM_TIME_STR_MAX, "%04d-%02d-%02dT%02d:%02d:%02d+08:00",
              date.year, date.month, date.day, second_of_day / 3600,
              second_of_day / 60 % 60, second_of_day % 60);
    return buf;
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
s_two (const char *text)
{
    return (text [0] - '0') * 10 + (text [1] - '0');
}

//  "HH:MM" at text
static bool
s_hour_minute (const char *text)
{
    return s_digits (text, 2) && text [2] == ':' && s_digits (text + 3, 2);
}

int
bm_time_parse (const char *text, int64_t *seconds, const char **error)
{
    assert (seconds);
    const char *dummy;
    if (!error)
        error = &dummy;
    const char *shape = _("time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59");

    //  The date, checked as bm_date_parse checks it
    char date_text [BM_DATE_STR_MAX];
    bm_date_t date;
    if (!text || !s_digits (text, 4) || text [4] != '-' || !s_digits (text + 5, 2)
    ||  text [7] != '-' || !s_digits (text + 8, 2)) {
        *error = shape;
        return -1;
    }
    memcpy (date_text, text, 10);
    date_text [10] = '\0';
    if (bm_date_parse (date_text, &date, error))
        return -1;

    //  The wall-clock time, then the offset
    int hour, minute, second = 0;
    bool fraction = false;              //  a non-zero fraction of a second
    int offset = BM_SHANGHAI_OFFSET;    //  seconds east of UTC
    const char *p = text + 10;
    if (*p == ' ') {
        if (!s_hour_minute (p + 1) || p [6] != '\0') {
            *error = shape;
            return -1;
        }
        hour = s_two (p + 1);
        minute = s_two (p + 4);
    }
    else
    if (*p == 'T' || *p == 't') {
        if (!s_hour_minute (p + 1) || p [6] != ':' || !s_digits (p + 7, 2)) {
            *error = shape;
            return -1;
        }
        hour = s_two (p + 1);
        minute = s_two (p + 4);
        second = s_two (p + 7);
        p += 9;
        if (*p == '.') {
            p++;
            if (*p < '0' || *p > '9') {
                *error = _("no digits after the decimal point of the seconds");
                return -1;
            }
            for (; *p >= '0' && *p <= '9'; p++)
                if (*p != '0')
                    fraction = true;
        }
        if (*p == 'Z' || *p == 'z') {
            offset = 0;
            p++;
        }
        else
        if (*p == '+' || *p == '-') {
            if (!s_hour_minute (p + 1)) {
                *error = _("offset must be +HH:MM or -HH:MM");
                return -1;
            }
            int offset_hours = s_two (p + 1);
            int offset_minutes = s_two (p + 4);
            if (offset_hours > 23 || offset_minutes > 59) {
                *error = _("offset must be +HH:MM or -HH:MM");
                return -1;
            }
            offset = (offset_hours * 60 + offset_minutes) * 60;
            if (*p == '-')
                offset = -offset;
            p += 6;
        }
        if (*p != '\0') {
            *error = shape;
            return -1;
        }
    }
    else {
        *error = shape;
        return -1;
    }
    if (hour == 24 && (minute != 0 || second != 0 || fraction)) {
        *error = _("hour 24 only as 24:00:00, the end of the day");
        return -1;
    }
    if (hour > 24) {
        *error = _("hour must be 00 to 23");
        return -1;
    }
    if (minute > 59) {
        *error = _("minute must be 00 to 59");
        return -1;
    }
    if (second == 60) {
        *error = _("leap seconds (:60) are not supported");
        return -1;
    }
    if (second > 59) {
        *error = _("second must be 00 to 59");
        return -1;
    }
    *seconds = bm_date_days_from_epoch (date) * S_DAY_SECONDS
             + hour * 3600 + minute * 60 + second - offset;
    return 0;
}

char *
bm_cycle_deadline_text (bm_date_t deadline, char *buf)
{
    char date [BM_DATE_STR_MAX];
    snprintf (buf, BM_TIME_STR_MAX, _("%s 24:00 (Asia/Shanghai)"),
              bm_date_format (deadline, date));
    return buf;
}
