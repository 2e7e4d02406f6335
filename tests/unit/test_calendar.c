/*  bm_calendar: civil dates, weekdays, and China's 2023 working days. */

#include "bm_calendar.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "date_fixture.h"

//  --------------------------------------------------------------------------
//  Dates

static const struct {
    const char *text;
    const char *error;          //  NULL: valid
} s_parses [] = {
    { "2023-06-28", NULL },
    { "2000-02-29", NULL },                             //  divisible by 400: leap
    { "2024-02-29", NULL },
    { "1900-01-01", NULL },
    { "9999-12-31", NULL },
    { "2023-01-31", NULL },
    { "2023-04-30", NULL },
    { "1900-02-29", "no such day in that month" },      //  divisible by 100: not leap
    { "2023-02-29", "no such day in that month" },
    { "2100-02-29", "no such day in that month" },
    { "2023-04-31", "no such day in that month" },
    { "2023-06-31", "no such day in that month" },
    { "2023-09-31", "no such day in that month" },
    { "2023-11-31", "no such day in that month" },
    { "2023-01-32", "no such day in that month" },
    { "2023-01-00", "no such day in that month" },
    { "2023-00-10", "month must be 01 to 12" },
    { "2023-13-10", "month must be 01 to 12" },
    { "1899-12-31", "year before 1900" },
    { "0000-01-01", "year before 1900" },
    { "", "date must be YYYY-MM-DD" },
    { "2023-6-28", "date must be YYYY-MM-DD" },
    { "2023-06-8", "date must be YYYY-MM-DD" },
    { "23-06-28", "date must be YYYY-MM-DD" },
    { "2023/06/28", "date must be YYYY-MM-DD" },
    { "2023-06-28 ", "date must be YYYY-MM-DD" },
    { " 2023-06-28", "date must be YYYY-MM-DD" },
    { "2023-06-28T00:00", "date must be YYYY-MM-DD" },
    { "2023-06", "date must be YYYY-MM-DD" },
    { "+023-06-28", "date must be YYYY-MM-DD" },
    { "2023-0x-28", "date must be YYYY-MM-DD" },
    { "20230628", "date must be YYYY-MM-DD" },
    { "２０２３-06-28", "date must be YYYY-MM-DD" },   //  full-width digits
};

static void
test_parse (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_parses); index++) {
        bm_date_t date = { 1, 2, 3 };
        const char *error = NULL;
        int rc = bm_date_parse (s_parses [index].text, &date, &error);
        if (s_parses [index].error) {
            if (rc != -1 || !error || strcmp (error, s_parses [index].error) != 0)
                fail_msg ("'%s': rc %d, error '%s', expected '%s'", s_parses [index].text,
                          rc, error? error: "(none)", s_parses [index].error);
            //  A refused date leaves the output alone
            assert_int_equal (date.year, 1);
        }
        else {
            if (rc != 0)
                fail_msg ("'%s': %s", s_parses [index].text, error);
            assert_true (bm_date_is_valid (date));
            s_assert_date (date, s_parses [index].text, "round trip");
        }
    }
    bm_date_t date;
    assert_int_equal (bm_date_parse (NULL, &date, NULL), -1);
    assert_int_equal (bm_date_parse ("2023-02-29", &date, NULL), -1);
    assert_int_equal (bm_date_parse ("2023-06-28", &date, NULL), 0);
    assert_int_equal (date.year, 2023);
    assert_int_equal (date.month, 6);
    assert_int_equal (date.day, 28);
}

static const struct {
    int year;
    int month;
    int days;
} s_lengths [] = {
    { 2000, 2, 29 }, { 1900, 2, 28 }, { 2024, 2, 29 }, { 2023, 2, 28 },
    { 2100, 2, 28 }, { 2400, 2, 29 }, { 1996, 2, 29 },
    { 2023, 1, 31 }, { 2023, 3, 31 }, { 2023, 4, 30 }, { 2023, 5, 31 },
    { 2023, 6, 30 }, { 2023, 7, 31 }, { 2023, 8, 31 }, { 2023, 9, 30 },
    { 2023, 10, 31 }, { 2023, 11, 30 }, { 2023, 12, 31 },
    { 2023, 0, 0 }, { 2023, 13, 0 }, { 2023, -1, 0 },
};

static void
test_days_in_month (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_lengths); index++) {
        int days = bm_date_days_in_month (s_lengths [index].year, s_lengths [index].month);
        if (days != s_lengths [index].days)
            fail_msg ("%d-%d: %d days, expected %d", s_lengths [index].year,
                      s_lengths [index].month, days, s_lengths [index].days);
    }
}

static const struct {
    const char *date;
    int weekday;                //  0 Monday .. 6 Sunday
    int64_t days;               //  since 1970-01-01
} s_known [] = {
    { "1970-01-01", 3, 0 },
    { "1969-12-31", 2, -1 },
    { "1900-01-01", 0, -25567 },
    { "2000-01-01", 5, 10957 },
    { "2000-03-01", 2, 11017 },
    { "2023-01-01", 6, 19358 },
    { "2023-01-28", 5, 19385 },
    { "2023-06-28", 2, 19536 },
    { "2023-10-10", 1, 19640 },
    { "2023-10-28", 5, 19658 },
    { "2024-01-01", 0, 19723 },
    { "2024-02-29", 3, 19782 },
    { "2038-01-19", 1, 24855 },
    { "2100-03-01", 0, 47541 },
    { "9999-12-31", 4, 2932896 },
};

static void
test_weekday_and_days (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_known); index++) {
        bm_date_t date = s_date (s_known [index].date);
        int weekday = bm_date_weekday (date);
        if (weekday != s_known [index].weekday)
            fail_msg ("%s: weekday %d, expected %d", s_known [index].date, weekday,
                      s_known [index].weekday);
        int64_t days = bm_date_days_from_epoch (date);
        if (days != s_known [index].days)
            fail_msg ("%s: day %lld, expected %lld", s_known [index].date,
                      (long long) days, (long long) s_known [index].days);
        s_assert_date (bm_date_from_epoch_days (s_known [index].days),
                       s_known [index].date, "from epoch days");
    }
    //  Out-of-range fields carry over
    bm_date_t carried = { 2023, 1, 32 };
    assert_int_equal (bm_date_days_from_epoch (carried), 19389);       //  2023-02-01
    bm_date_t december = { 2023, 13, 1 };
    assert_int_equal (bm_date_days_from_epoch (december), 19723);      //  2024-01-01
    bm_date_t zeroth = { 2023, 3, 0 };
    s_assert_date (bm_date_add_days (zeroth, 0), "2023-02-28", "day 0 of March");
}

//  Walk every day from 1900 to 9999 the slow way, a month length at a time,
//  and hold the fast arithmetic to it
static void
test_every_day (void **state)
{
    bm_date_t date = { 1900, 1, 1 };
    int64_t days = -25567;
    int weekday = 0;
    while (date.year <= 9999) {
        if (bm_date_days_from_epoch (date) != days)
            fail_msg ("%d-%d-%d: wrong day count", date.year, date.month, date.day);
        bm_date_t back = bm_date_from_epoch_days (days);
        if (bm_date_cmp (back, date) != 0)
            fail_msg ("%d-%d-%d: came back as %d-%d-%d", date.year, date.month, date.day,
                      back.year, back.month, back.day);
        if (bm_date_weekday (date) != weekday)
            fail_msg ("%d-%d-%d: wrong weekday", date.year, date.month, date.day);
        if (++date.day > bm_date_days_in_month (date.year, date.month)) {
            date.day = 1;
            if (++date.month > 12) {
                date.month = 1;
                date.year++;
            }
        }
        days++;
        weekday = (weekday + 1) % 7;
    }
    assert_int_equal (days, 2932897);
}

static const struct {
    const char *date;
    int days;
    const char *expected;
} s_adds [] = {
    { "2023-06-28", 0, "2023-06-28" },
    { "2023-01-31", 1, "2023-02-01" },
    { "2023-02-28", 1, "2023-03-01" },
    { "2024-02-28", 1, "2024-02-29" },
    { "2000-02-28", 1, "2000-02-29" },
    { "1900-02-28", 1, "1900-03-01" },
    { "2023-12-31", 1, "2024-01-01" },
    { "2024-03-01", -1, "2024-02-29" },
    { "2023-03-01", -1, "2023-02-28" },
    { "2023-01-01", -1, "2022-12-31" },
    { "2023-06-28", 365, "2024-06-27" },
    { "2023-06-28", -365, "2022-06-28" },
    { "2023-10-28", 2, "2023-10-30" },
    { "2023-12-28", 14, "2024-01-11" },
    { "2023-06-28", -19536, "1970-01-01" },
    { "2000-01-01", 146097, "2400-01-01" },         //  one Gregorian cycle
};

static void
test_add_days (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_adds); index++) {
        char what [64];
        snprintf (what, sizeof what, "%s %+d", s_adds [index].date, s_adds [index].days);
        s_assert_date (bm_date_add_days (s_date (s_adds [index].date), s_adds [index].days),
                       s_adds [index].expected, what);
    }
}

static const struct {
    const char *a;
    const char *b;
    int sign;
} s_compares [] = {
    { "2023-06-28", "2023-06-28", 0 },
    { "2023-06-27", "2023-06-28", -1 },
    { "2023-06-28", "2023-05-29", 1 },
    { "2022-12-31", "2023-01-01", -1 },
    { "2024-01-01", "2023-12-31", 1 },
};

static void
test_compare_and_format (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_compares); index++) {
        int cmp = bm_date_cmp (s_date (s_compares [index].a), s_date (s_compares [index].b));
        int sign = (cmp > 0) - (cmp < 0);
        if (sign != s_compares [index].sign)
            fail_msg ("%s vs %s: %d", s_compares [index].a, s_compares [index].b, cmp);
    }
    char buf [BM_DATE_STR_MAX];
    bm_date_t date = { 1987, 3, 4 };
    assert_string_equal (bm_date_format (date, buf), "1987-03-04");
    assert_int_equal (strlen (buf), BM_DATE_STR_MAX - 1);
    bm_date_t invalid = { 2023, 2, 30 };
    assert_false (bm_date_is_valid (invalid));
    bm_date_t early = { 1899, 12, 31 };
    assert_false (bm_date_is_valid (early));
}

//  --------------------------------------------------------------------------
//  China's 2023 schedule (国务院办公厅关于2023年部分节假日安排的通知), and
//  元旦 2024, as holidays.csv would list them

static const struct {
    const char *first;
    const char *last;
    bool working;
    const char *name;
} s_china_2023 [] = {
    { "2022-12-31", "2023-01-02", false, "元旦" },
    { "2023-01-21", "2023-01-27", false, "春节" },
    { "2023-01-28", "2023-01-29", true, "春节调休" },
    { "2023-04-05", "2023-04-05", false, "清明节" },
    { "2023-04-23", "2023-04-23", true, "劳动节调休" },
    { "2023-04-29", "2023-05-03", false, "劳动节" },
    { "2023-05-06", "2023-05-06", true, "劳动节调休" },
    { "2023-06-22", "2023-06-24", false, "端午节" },
    { "2023-06-25", "2023-06-25", true, "端午节调休" },
    { "2023-09-29", "2023-10-06", false, "中秋节、国庆节" },
    { "2023-10-07", "2023-10-08", true, "国庆节调休" },
    { "2023-12-30", "2024-01-01", false, "元旦" },
};

static bm_calendar_t *
s_china_calendar (void)
{
    bm_calendar_t *calendar = bm_calendar_new ();
    assert_non_null (calendar);
    for (size_t index = 0; index < S_COUNT (s_china_2023); index++) {
        bm_date_t date = s_date (s_china_2023 [index].first);
        bm_date_t last = s_date (s_china_2023 [index].last);
        for (; bm_date_cmp (date, last) <= 0; date = bm_date_add_days (date, 1))
            assert_int_equal (bm_calendar_set (calendar, date, s_china_2023 [index].working), 0);
    }
    return calendar;
}

static const struct {
    const char *date;
    bool china;                 //  worked under China's 2023 schedule
    bool weekdays;              //  worked with no calendar
    const char *next;           //  next working day under the schedule
    const char *previous;       //  previous working day under the schedule
} s_workdays [] = {
    { "2023-01-02", false, true, "2023-01-03", "2022-12-30" },     //  元旦, a Monday
    { "2023-01-03", true, true, "2023-01-03", "2023-01-03" },
    { "2023-01-20", true, true, "2023-01-20", "2023-01-20" },      //  Friday before 春节
    { "2023-01-21", false, false, "2023-01-28", "2023-01-20" },    //  春节, a Saturday
    { "2023-01-23", false, true, "2023-01-28", "2023-01-20" },     //  春节, a Monday
    { "2023-01-27", false, true, "2023-01-28", "2023-01-20" },
    { "2023-01-28", true, false, "2023-01-28", "2023-01-28" },     //  调休 Saturday
    { "2023-01-29", true, false, "2023-01-29", "2023-01-29" },     //  调休 Sunday
    { "2023-02-04", false, false, "2023-02-06", "2023-02-03" },    //  an ordinary Saturday
    { "2023-04-05", false, true, "2023-04-06", "2023-04-04" },     //  清明, a Wednesday
    { "2023-04-23", true, false, "2023-04-23", "2023-04-23" },     //  调休 Sunday
    { "2023-04-29", false, false, "2023-05-04", "2023-04-28" },
    { "2023-05-01", false, true, "2023-05-04", "2023-04-28" },
    { "2023-05-03", false, true, "2023-05-04", "2023-04-28" },
    { "2023-05-06", true, false, "2023-05-06", "2023-05-06" },     //  调休 Saturday
    { "2023-05-07", false, false, "2023-05-08", "2023-05-06" },
    { "2023-06-22", false, true, "2023-06-25", "2023-06-21" },     //  端午, a Thursday
    { "2023-06-25", true, false, "2023-06-25", "2023-06-25" },     //  调休 Sunday
    { "2023-06-28", true, true, "2023-06-28", "2023-06-28" },
    { "2023-09-28", true, true, "2023-09-28", "2023-09-28" },
    { "2023-09-29", false, true, "2023-10-07", "2023-09-28" },
    { "2023-10-01", false, false, "2023-10-07", "2023-09-28" },
    { "2023-10-06", false, true, "2023-10-07", "2023-09-28" },
    { "2023-10-07", true, false, "2023-10-07", "2023-10-07" },     //  调休 Saturday
    { "2023-10-08", true, false, "2023-10-08", "2023-10-08" },     //  调休 Sunday
    { "2023-10-28", false, false, "2023-10-30", "2023-10-27" },
    { "2023-12-30", false, false, "2024-01-02", "2023-12-29" },
    { "2024-01-01", false, true, "2024-01-02", "2023-12-29" },     //  元旦, a Monday
};

static void
test_china_2023 (void **state)
{
    bm_calendar_t *calendar = s_china_calendar ();
    assert_int_equal (bm_calendar_size (calendar), 37);
    for (size_t index = 0; index < S_COUNT (s_workdays); index++) {
        bm_date_t date = s_date (s_workdays [index].date);
        if (bm_calendar_is_workday (calendar, date) != s_workdays [index].china)
            fail_msg ("%s: worked should be %d", s_workdays [index].date,
                      s_workdays [index].china);
        if (bm_calendar_is_workday (NULL, date) != s_workdays [index].weekdays)
            fail_msg ("%s: worked without a calendar should be %d",
                      s_workdays [index].date, s_workdays [index].weekdays);
        char what [64];
        snprintf (what, sizeof what, "next after %s", s_workdays [index].date);
        s_assert_date (bm_calendar_next_workday (calendar, date),
                       s_workdays [index].next, what);
        snprintf (what, sizeof what, "previous before %s", s_workdays [index].date);
        s_assert_date (bm_calendar_previous_workday (calendar, date),
                       s_workdays [index].previous, what);
    }
    //  Count 2023's working days, 249:
    //  365 - 105 weekend days - 18 weekday holidays (01-02, 01-23..27,
    //  04-05, 05-01..03, 06-22..23, 09-29, 10-02..06) + 7 working weekend
    //  days
    int worked = 0;
    for (bm_date_t date = s_date ("2023-01-01"); date.year == 2023;
         date = bm_date_add_days (date, 1))
        worked += bm_calendar_is_workday (calendar, date);
    assert_int_equal (worked, 249);
    bm_calendar_destroy (&calendar);
}

static void
test_calendar_set (void **state)
{
    bm_calendar_t *calendar = bm_calendar_new ();
    assert_non_null (calendar);
    assert_int_equal (bm_calendar_size (calendar), 0);
    assert_int_equal (bm_calendar_size (NULL), 0);
    bm_date_t wednesday = s_date ("2023-06-28");
    bm_date_t saturday = s_date ("2023-07-01");
    assert_true (bm_calendar_is_workday (calendar, wednesday));
    assert_false (bm_calendar_is_workday (calendar, saturday));

    //  A later call replaces an earlier one for the same day
    assert_int_equal (bm_calendar_set (calendar, wednesday, false), 0);
    assert_false (bm_calendar_is_workday (calendar, wednesday));
    assert_int_equal (bm_calendar_set (calendar, wednesday, true), 0);
    assert_true (bm_calendar_is_workday (calendar, wednesday));
    assert_int_equal (bm_calendar_set (calendar, saturday, true), 0);
    assert_true (bm_calendar_is_workday (calendar, saturday));
    assert_int_equal (bm_calendar_size (calendar), 2);

    //  An invalid date is refused
    bm_date_t invalid = { 2023, 2, 29 };
    assert_int_equal (bm_calendar_set (calendar, invalid, false), -1);
    assert_int_equal (bm_calendar_size (calendar), 2);

    //  Many days, listed out of order, grow the table and stay found
    bm_date_t first = s_date ("2030-01-01");
    for (int offset = 199; offset >= 0; offset--)
        assert_int_equal (bm_calendar_set (calendar, bm_date_add_days (first, offset * 2),
                                           offset % 3 == 0), 0);
    assert_int_equal (bm_calendar_size (calendar), 202);
    for (int offset = 0; offset < 200; offset++) {
        bm_date_t listed = bm_date_add_days (first, offset * 2);
        assert_int_equal (bm_calendar_is_workday (calendar, listed), offset % 3 == 0);
        bm_date_t between = bm_date_add_days (listed, 1);
        assert_int_equal (bm_calendar_is_workday (calendar, between),
                          bm_date_weekday (between) < 5);
    }
    bm_calendar_destroy (&calendar);
    assert_null (calendar);
    bm_calendar_destroy (&calendar);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_parse),
        cmocka_unit_test (test_days_in_month),
        cmocka_unit_test (test_weekday_and_days),
        cmocka_unit_test (test_every_day),
        cmocka_unit_test (test_add_days),
        cmocka_unit_test (test_compare_and_format),
        cmocka_unit_test (test_china_2023),
        cmocka_unit_test (test_calendar_set),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
