/*  bm_cycle: deadlines, windows and timeliness over 2023, and Shanghai time.

    Expected instants are written out as numbers, worked out apart from the
    code under test (1687968000 is 2023-06-29T00:00:00+08:00).
*/

#include "bm_cycle.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "date_fixture.h"

//  China's 2023 schedule and 元旦 2024, as holidays.csv lists them
static const struct {
    const char *first;
    const char *last;
    bool working;
} s_china_2023 [] = {
    { "2022-12-31", "2023-01-02", false },      //  元旦
    { "2023-01-21", "2023-01-27", false },      //  春节
    { "2023-01-28", "2023-01-29", true },       //  调休
    { "2023-04-05", "2023-04-05", false },      //  清明节
    { "2023-04-23", "2023-04-23", true },       //  调休
    { "2023-04-29", "2023-05-03", false },      //  劳动节
    { "2023-05-06", "2023-05-06", true },       //  调休
    { "2023-06-22", "2023-06-24", false },      //  端午节
    { "2023-06-25", "2023-06-25", true },       //  调休
    { "2023-09-29", "2023-10-06", false },      //  中秋节、国庆节
    { "2023-10-07", "2023-10-08", true },       //  调休
    { "2023-12-30", "2024-01-01", false },      //  元旦
};

static int
s_setup (void **state)
{
    bm_calendar_t *calendar = bm_calendar_new ();
    if (!calendar)
        return -1;
    for (size_t index = 0; index < S_COUNT (s_china_2023); index++) {
        bm_date_t date = s_date (s_china_2023 [index].first);
        bm_date_t last = s_date (s_china_2023 [index].last);
        for (; bm_date_cmp (date, last) <= 0; date = bm_date_add_days (date, 1))
            if (bm_calendar_set (calendar, date, s_china_2023 [index].working))
                return -1;
    }
    *state = calendar;
    return 0;
}

static int
s_teardown (void **state)
{
    bm_calendar_t *calendar = *state;
    bm_calendar_destroy (&calendar);
    return 0;
}

//  --------------------------------------------------------------------------
//  Deadline rules

static void
test_rules (void **state)
{
    static const struct {
        const char *text;
        int rc;
        bm_deadline_rule_t rule;
    } cases [] = {
        { "none", 0, BM_DEADLINE_NONE },
        { "", 0, BM_DEADLINE_NONE },
        { "next_workday", 0, BM_DEADLINE_NEXT_WORKDAY },
        { "previous_workday", 0, BM_DEADLINE_PREVIOUS_WORKDAY },
        { "Next_Workday", -1, BM_DEADLINE_NONE },
        { "next", -1, BM_DEADLINE_NONE },
        { "next_workday ", -1, BM_DEADLINE_NONE },
        { "prev_workday", -1, BM_DEADLINE_NONE },
    };
    for (size_t index = 0; index < S_COUNT (cases); index++) {
        bm_deadline_rule_t rule = BM_DEADLINE_PREVIOUS_WORKDAY;
        int rc = bm_deadline_rule_parse (cases [index].text, &rule);
        if (rc != cases [index].rc)
            fail_msg ("'%s': rc %d", cases [index].text, rc);
        if (rc == 0) {
            assert_int_equal (rule, cases [index].rule);
            if (*cases [index].text)
                assert_string_equal (bm_deadline_rule_name (rule), cases [index].text);
        }
    }
    bm_deadline_rule_t rule = BM_DEADLINE_NEXT_WORKDAY;
    assert_int_equal (bm_deadline_rule_parse (NULL, &rule), 0);
    assert_int_equal (rule, BM_DEADLINE_NONE);
    assert_string_equal (bm_deadline_rule_name (BM_DEADLINE_NONE), "none");
}

static void
test_check (void **state)
{
    static const struct {
        int forecast_day;
        int final_day;
        const char *error;
    } cases [] = {
        { 28, 10, NULL },
        { 1, 1, NULL },
        { 0, 0, NULL },
        { 29, 10, "forecast_day must be 1 to 28" },
        { -1, 10, "forecast_day must be 1 to 28" },
        { 28, 31, "final_day must be 1 to 28" },
        { 28, -5, "final_day must be 1 to 28" },
    };
    for (size_t index = 0; index < S_COUNT (cases); index++) {
        bm_cycle_t cycle = {
            cases [index].forecast_day, cases [index].final_day, BM_DEADLINE_NONE, NULL
        };
        const char *error = NULL;
        int rc = bm_cycle_check (&cycle, &error);
        if (cases [index].error) {
            assert_int_equal (rc, -1);
            assert_string_equal (error, cases [index].error);
        }
        else
            assert_int_equal (rc, 0);
    }
}

//  --------------------------------------------------------------------------
//  Windows for every month of 2023: forecast by the 28th, final by the 10th

static const struct {
    int month;
    const char *forecast;
    const char *final;
    int64_t forecast_opens;
    int64_t forecast_closes;
    int64_t final_opens;
    int64_t final_closes;
} s_plain [] = {
    {  1, "2023-01-28", "2023-02-10", 1672502400LL, 1674921600LL, 1675180800LL, 1676044800LL },
    {  2, "2023-02-28", "2023-03-10", 1675180800LL, 1677600000LL, 1677600000LL, 1678464000LL },
    {  3, "2023-03-28", "2023-04-10", 1677600000LL, 1680019200LL, 1680278400LL, 1681142400LL },
    {  4, "2023-04-28", "2023-05-10", 1680278400LL, 1682697600LL, 1682870400LL, 1683734400LL },
    {  5, "2023-05-28", "2023-06-10", 1682870400LL, 1685289600LL, 1685548800LL, 1686412800LL },
    {  6, "2023-06-28", "2023-07-10", 1685548800LL, 1687968000LL, 1688140800LL, 1689004800LL },
    {  7, "2023-07-28", "2023-08-10", 1688140800LL, 1690560000LL, 1690819200LL, 1691683200LL },
    {  8, "2023-08-28", "2023-09-10", 1690819200LL, 1693238400LL, 1693497600LL, 1694361600LL },
    {  9, "2023-09-28", "2023-10-10", 1693497600LL, 1695916800LL, 1696089600LL, 1696953600LL },
    { 10, "2023-10-28", "2023-11-10", 1696089600LL, 1698508800LL, 1698768000LL, 1699632000LL },
    { 11, "2023-11-28", "2023-12-10", 1698768000LL, 1701187200LL, 1701360000LL, 1702224000LL },
    { 12, "2023-12-28", "2024-01-10", 1701360000LL, 1703779200LL, 1704038400LL, 1704902400LL },
};

static void
test_windows_none (void **state)
{
    //  With or without a calendar, and with the defaults (0), the days stand
    bm_cycle_t cycles [] = {
        { 28, 10, BM_DEADLINE_NONE, *state },
        { 28, 10, BM_DEADLINE_NONE, NULL },
        { 0, 0, BM_DEADLINE_NONE, *state },
    };
    for (size_t which = 0; which < S_COUNT (cycles); which++)
        for (size_t index = 0; index < S_COUNT (s_plain); index++) {
            bm_period_t period = { 2023, s_plain [index].month };
            bm_windows_t windows;
            memset (&windows, 0xAB, sizeof windows);
            bm_cycle_windows (cycles + which, period, &windows);
            char what [64];
            snprintf (what, sizeof what, "cycle %zu, forecast of 2023-%02d", which,
                      period.month);
            s_assert_date (windows.forecast_deadline, s_plain [index].forecast, what);
            snprintf (what, sizeof what, "cycle %zu, final of 2023-%02d", which, period.month);
            s_assert_date (windows.final_deadline, s_plain [index].final, what);
            if (windows.forecast_opens != s_plain [index].forecast_opens
            ||  windows.forecast_closes != s_plain [index].forecast_closes
            ||  windows.final_opens != s_plain [index].final_opens
            ||  windows.final_closes != s_plain [index].final_closes)
                fail_msg ("cycle %zu, 2023-%02d: windows %lld..%lld, %lld..%lld", which,
                          period.month, (long long) windows.forecast_opens,
                          (long long) windows.forecast_closes,
                          (long long) windows.final_opens, (long long) windows.final_closes);
        }
}

//  The same with the rules, under China's 2023 schedule
static const struct {
    int month;
    const char *next_forecast;
    const char *next_final;
    const char *previous_forecast;
    const char *previous_final;
} s_moved [] = {
    //  调休 Saturday 01-28 is worked, so it stands under both rules
    {  1, "2023-01-28", "2023-02-10", "2023-01-28", "2023-02-10" },
    {  2, "2023-02-28", "2023-03-10", "2023-02-28", "2023-03-10" },
    {  3, "2023-03-28", "2023-04-10", "2023-03-28", "2023-04-10" },
    {  4, "2023-04-28", "2023-05-10", "2023-04-28", "2023-05-10" },
    //  Sunday 05-28 and Saturday 06-10: on to Monday, or back to Friday
    {  5, "2023-05-29", "2023-06-12", "2023-05-26", "2023-06-09" },
    {  6, "2023-06-28", "2023-07-10", "2023-06-28", "2023-07-10" },
    {  7, "2023-07-28", "2023-08-10", "2023-07-28", "2023-08-10" },
    {  8, "2023-08-28", "2023-09-11", "2023-08-28", "2023-09-08" },
    //  The September final, 10-10, is a Tuesday after 国庆
    {  9, "2023-09-28", "2023-10-10", "2023-09-28", "2023-10-10" },
    //  Saturday 10-28 is not worked: Monday 10-30, or Friday 10-27
    { 10, "2023-10-30", "2023-11-10", "2023-10-27", "2023-11-10" },
    { 11, "2023-11-28", "2023-12-11", "2023-11-28", "2023-12-08" },
    //  The December final falls in 2024
    { 12, "2023-12-28", "2024-01-10", "2023-12-28", "2024-01-10" },
};

static void
test_windows_moved (void **state)
{
    bm_cycle_t next = { 28, 10, BM_DEADLINE_NEXT_WORKDAY, *state };
    bm_cycle_t previous = { 28, 10, BM_DEADLINE_PREVIOUS_WORKDAY, *state };
    for (size_t index = 0; index < S_COUNT (s_moved); index++) {
        bm_period_t period = { 2023, s_moved [index].month };
        for (int rule = 0; rule < 2; rule++) {
            const bm_cycle_t *cycle = rule? &previous: &next;
            bm_windows_t windows;
            bm_cycle_windows (cycle, period, &windows);
            char what [80];
            snprintf (what, sizeof what, "%s, forecast of 2023-%02d",
                      bm_deadline_rule_name (cycle->rule), period.month);
            s_assert_date (windows.forecast_deadline, rule? s_moved [index].previous_forecast:
                           s_moved [index].next_forecast, what);
            snprintf (what, sizeof what, "%s, final of 2023-%02d",
                      bm_deadline_rule_name (cycle->rule), period.month);
            s_assert_date (windows.final_deadline, rule? s_moved [index].previous_final:
                           s_moved [index].next_final, what);
            //  The windows close at 24:00 of the moved days
            bm_date_t after = bm_date_add_days (windows.forecast_deadline, 1);
            assert_int_equal (windows.forecast_closes,
                              bm_date_days_from_epoch (after) * 86400 - 8 * 3600);
            after = bm_date_add_days (windows.final_deadline, 1);
            assert_int_equal (windows.final_closes,
                              bm_date_days_from_epoch (after) * 86400 - 8 * 3600);
            assert_int_equal (windows.forecast_opens, s_plain [index].forecast_opens);
            assert_int_equal (windows.final_opens, s_plain [index].final_opens);
        }
    }
    //  The October forecast closes at 24:00 on Monday 10-30
    bm_windows_t windows;
    bm_period_t october = { 2023, 10 };
    bm_cycle_windows (&next, october, &windows);
    assert_int_equal (windows.forecast_closes, 1698681600LL);
}

//  Other days, around the holidays
static void
test_holiday_moves (void **state)
{
    static const struct {
        int year, month;            //  the period
        int forecast_day, final_day;
        bm_deadline_rule_t rule;
        bool calendar;              //  false: Monday to Friday only
        const char *forecast;
        const char *final;
    } cases [] = {
        //  10-01 (国庆) moves to the 调休 Saturday, or back into September
        { 2023, 10, 1, 10, BM_DEADLINE_NEXT_WORKDAY, true, "2023-10-07", "2023-11-10" },
        { 2023, 10, 1, 10, BM_DEADLINE_PREVIOUS_WORKDAY, true, "2023-09-28", "2023-11-10" },
        { 2023, 9, 28, 1, BM_DEADLINE_NEXT_WORKDAY, true, "2023-09-28", "2023-10-07" },
        { 2023, 9, 28, 1, BM_DEADLINE_PREVIOUS_WORKDAY, true, "2023-09-28", "2023-09-28" },
        //  元旦 2023 falls on Monday 01-02, after a weekend that is also listed
        { 2022, 12, 28, 2, BM_DEADLINE_NEXT_WORKDAY, true, "2022-12-28", "2023-01-03" },
        { 2022, 12, 28, 2, BM_DEADLINE_PREVIOUS_WORKDAY, true, "2022-12-28", "2022-12-30" },
        //  劳动节 05-02: past 05-03 to Thursday, or back over the weekend
        { 2023, 4, 28, 2, BM_DEADLINE_NEXT_WORKDAY, true, "2023-04-28", "2023-05-04" },
        { 2023, 4, 28, 2, BM_DEADLINE_PREVIOUS_WORKDAY, true, "2023-04-28", "2023-04-28" },
        //  清明 04-05, a Wednesday
        { 2023, 4, 5, 10, BM_DEADLINE_NEXT_WORKDAY, true, "2023-04-06", "2023-05-10" },
        { 2023, 4, 5, 10, BM_DEADLINE_PREVIOUS_WORKDAY, true, "2023-04-04", "2023-05-10" },
        //  端午 06-22: next is the 调休 Sunday 06-25, which stands itself
        { 2023, 6, 22, 10, BM_DEADLINE_NEXT_WORKDAY, true, "2023-06-25", "2023-07-10" },
        { 2023, 6, 22, 10, BM_DEADLINE_PREVIOUS_WORKDAY, true, "2023-06-21", "2023-07-10" },
        { 2023, 6, 25, 10, BM_DEADLINE_NEXT_WORKDAY, true, "2023-06-25", "2023-07-10" },
        { 2023, 6, 25, 10, BM_DEADLINE_PREVIOUS_WORKDAY, true, "2023-06-25", "2023-07-10" },
        //  Without holidays.csv the 调休 Saturday is a weekend day
        { 2023, 1, 28, 10, BM_DEADLINE_NEXT_WORKDAY, false, "2023-01-30", "2023-02-10" },
        { 2023, 1, 28, 10, BM_DEADLINE_PREVIOUS_WORKDAY, false, "2023-01-27", "2023-02-10" },
        { 2023, 1, 23, 10, BM_DEADLINE_NEXT_WORKDAY, false, "2023-01-23", "2023-02-10" },
        { 2023, 1, 23, 10, BM_DEADLINE_NEXT_WORKDAY, true, "2023-01-28", "2023-02-10" },
        //  Days out of range are held to 1..28
        { 2023, 6, 31, 0, BM_DEADLINE_NONE, true, "2023-06-28", "2023-07-10" },
        { 2023, 6, -3, 99, BM_DEADLINE_NONE, true, "2023-06-01", "2023-07-28" },
    };
    for (size_t index = 0; index < S_COUNT (cases); index++) {
        bm_cycle_t cycle = {
            cases [index].forecast_day, cases [index].final_day, cases [index].rule,
            cases [index].calendar? *state: NULL
        };
        bm_period_t period = { cases [index].year, cases [index].month };
        bm_windows_t windows;
        bm_cycle_windows (&cycle, period, &windows);
        char what [32];
        snprintf (what, sizeof what, "case %zu forecast", index);
        s_assert_date (windows.forecast_deadline, cases [index].forecast, what);
        snprintf (what, sizeof what, "case %zu final", index);
        s_assert_date (windows.final_deadline, cases [index].final, what);
    }
}

//  A forecast deadline moved into M+1 is open beside the final's window
static void
test_overlap (void **state)
{
    bm_cycle_t cycle = { 28, 10, BM_DEADLINE_NEXT_WORKDAY, NULL };
    bm_period_t february = { 2026, 2 };     //  2026-02-28 is a Saturday
    bm_windows_t windows;
    bm_cycle_windows (&cycle, february, &windows);
    s_assert_date (windows.forecast_deadline, "2026-03-02", "moved forecast");
    int64_t march_first = 1772294400LL;     //  2026-03-01T00:00:00+08:00
    assert_int_equal (windows.final_opens, march_first);
    assert_int_equal (windows.forecast_closes, march_first + 2 * 86400);
    assert_int_equal (bm_cycle_window (&windows, false, march_first), BM_WINDOW_OPEN);
    assert_int_equal (bm_cycle_window (&windows, true, march_first), BM_WINDOW_OPEN);
}

//  --------------------------------------------------------------------------
//  Open and close instants, and timeliness

static void
test_window_instants (void **state)
{
    bm_cycle_t cycle = { 28, 10, BM_DEADLINE_NONE, *state };
    bm_period_t june = { 2023, 6 };
    bm_windows_t windows;
    bm_cycle_windows (&cycle, june, &windows);
    static const struct {
        bool final;
        int64_t now;
        bm_window_t window;
    } cases [] = {
        { false, 1685548799LL, BM_WINDOW_NOT_OPEN },    //  2023-05-31T23:59:59+08:00
        { false, 1685548800LL, BM_WINDOW_OPEN },        //  2023-06-01T00:00:00+08:00
        { false, 1687967999LL, BM_WINDOW_OPEN },        //  2023-06-28T23:59:59+08:00
        { false, 1687968000LL, BM_WINDOW_CLOSED },      //  2023-06-29T00:00:00+08:00
        { false, 0, BM_WINDOW_NOT_OPEN },
        { false, 4102444800LL, BM_WINDOW_CLOSED },      //  2100
        { true, 1687968000LL, BM_WINDOW_NOT_OPEN },
        { true, 1688140799LL, BM_WINDOW_NOT_OPEN },     //  2023-06-30T23:59:59+08:00
        { true, 1688140800LL, BM_WINDOW_OPEN },         //  2023-07-01T00:00:00+08:00
        { true, 1689004799LL, BM_WINDOW_OPEN },         //  2023-07-10T23:59:59+08:00
        { true, 1689004800LL, BM_WINDOW_CLOSED },       //  2023-07-11T00:00:00+08:00
    };
    for (size_t index = 0; index < S_COUNT (cases); index++) {
        bm_window_t window = bm_cycle_window (&windows, cases [index].final, cases [index].now);
        if (window != cases [index].window)
            fail_msg ("%s at %lld: %d, expected %d", cases [index].final? "final": "forecast",
                      (long long) cases [index].now, window, cases [index].window);
    }
}

static void
test_timeliness (void **state)
{
    bm_cycle_t cycle = { 28, 10, BM_DEADLINE_NEXT_WORKDAY, *state };
    bm_period_t october = { 2023, 10 };     //  forecast due Monday 10-30
    bm_windows_t windows;
    bm_cycle_windows (&cycle, october, &windows);
    static const struct {
        bool final;
        bool received;
        int64_t first_received;
        bm_timely_t timely;
        const char *name;
    } cases [] = {
        { false, false, 0, BM_TIMELY_MISSING, "missing" },
        { false, false, 1698681599LL, BM_TIMELY_MISSING, "missing" },
        { false, true, 1698508800LL, BM_TIMELY_ON_TIME, "on_time" },   //  Sunday 10-29
        { false, true, 1698681599LL, BM_TIMELY_ON_TIME, "on_time" },   //  10-30 23:59:59
        { false, true, 1698681600LL, BM_TIMELY_LATE, "late" },         //  10-31 00:00:00
        { false, true, 1696089599LL, BM_TIMELY_ON_TIME, "on_time" },   //  early, 09-30
        { true, false, 0, BM_TIMELY_MISSING, "missing" },
        { true, true, 1699631999LL, BM_TIMELY_ON_TIME, "on_time" },    //  11-10 23:59:59
        { true, true, 1699632000LL, BM_TIMELY_LATE, "late" },          //  11-11 00:00:00
        { true, true, 1735660800LL, BM_TIMELY_LATE, "late" },          //  2025
    };
    for (size_t index = 0; index < S_COUNT (cases); index++) {
        bm_timely_t timely = bm_cycle_timeliness (&windows, cases [index].final,
                                                  cases [index].received,
                                                  cases [index].first_received);
        if (timely != cases [index].timely)
            fail_msg ("case %zu: %s, expected %s", index, bm_timely_name (timely),
                      cases [index].name);
        assert_string_equal (bm_timely_name (timely), cases [index].name);
    }
}

//  --------------------------------------------------------------------------
//  Shanghai time

static void
test_time_format (void **state)
{
    static const struct {
        int64_t seconds;
        const char *text;
        const char *date;
    } cases [] = {
        { 0, "1970-01-01T08:00:00+08:00", "1970-01-01" },
        { -1, "1970-01-01T07:59:59+08:00", "1970-01-01" },
        { -28800, "1970-01-01T00:00:00+08:00", "1970-01-01" },
        { -28801, "1969-12-31T23:59:59+08:00", "1969-12-31" },
        { 1687967999LL, "2023-06-28T23:59:59+08:00", "2023-06-28" },
        { 1687968000LL, "2023-06-29T00:00:00+08:00", "2023-06-29" },
        { 1709164800LL, "2024-02-29T08:00:00+08:00", "2024-02-29" },
        { 1704038399LL, "2023-12-31T23:59:59+08:00", "2023-12-31" },
        { 1704038400LL, "2024-01-01T00:00:00+08:00", "2024-01-01" },
        { -2209017600LL, "1900-01-01T00:00:00+08:00", "1900-01-01" },
        { 253402271999LL, "9999-12-31T23:59:59+08:00", "9999-12-31" },
    };
    for (size_t index = 0; index < S_COUNT (cases); index++) {
        char buf [BM_TIME_STR_MAX];
        assert_string_equal (bm_time_format (cases [index].seconds, buf), cases [index].text);
        s_assert_date (bm_time_shanghai_date (cases [index].seconds), cases [index].date,
                       cases [index].text);
    }
    //  From a Shanghai wall clock
    bm_date_t date = s_date ("2023-06-28");
    assert_int_equal (bm_time_from_shanghai (date, 23, 59, 59), 1687967999LL);
    assert_int_equal (bm_time_from_shanghai (date, 24, 0, 0), 1687968000LL);
    assert_int_equal (bm_time_from_shanghai (date, 0, 0, 0), 1687881600LL);
    assert_int_equal (bm_time_from_shanghai (s_date ("1970-01-01"), 8, 0, 0), 0);

    //  The deadline as people read it
    char buf [BM_TIME_STR_MAX];
    assert_string_equal (bm_cycle_deadline_text (date, buf), "2023-06-28 24:00 (Asia/Shanghai)");
    assert_string_equal (bm_cycle_deadline_text (s_date ("2024-01-10"), buf),
                         "2024-01-10 24:00 (Asia/Shanghai)");
}

static const struct {
    const char *text;
    int64_t seconds;
} s_times [] = {
    { "2023-06-28T23:59:59+08:00", 1687967999LL },
    { "2023-06-28T15:59:59Z", 1687967999LL },
    { "2023-06-28T15:59:59z", 1687967999LL },
    { "2023-06-28t15:59:59Z", 1687967999LL },
    { "2023-06-28T15:59:59+00:00", 1687967999LL },
    { "2023-06-28T15:59:59-00:00", 1687967999LL },
    { "2023-06-28T11:59:59-04:00", 1687967999LL },
    { "2023-06-28T21:29:59+05:30", 1687967999LL },
    { "2023-06-29T00:59:59+09:00", 1687967999LL },
    { "2023-06-28T23:59:59", 1687967999LL },                    //  Shanghai
    { "2023-06-28T23:59:59.999+08:00", 1687967999LL },          //  fraction dropped
    { "2023-06-28T23:59:59.5", 1687967999LL },
    { "2023-06-28T15:59:59.000000001Z", 1687967999LL },
    { "2023-06-28 23:59", 1687967940LL },                       //  Shanghai
    { "2023-06-28T24:00:00+08:00", 1687968000LL },
    { "2023-06-28T24:00:00.000", 1687968000LL },
    { "2023-06-28 24:00", 1687968000LL },
    { "2023-06-29T00:00:00+08:00", 1687968000LL },
    { "2024-02-29T00:00:00Z", 1709164800LL },
    { "1970-01-01T00:00:00Z", 0 },
    { "1970-01-01T08:00:00", 0 },
    { "1970-01-01 07:59", -60 },
    { "1969-12-31T23:59:59Z", -1 },
    { "1900-01-01T00:00:00Z", -2208988800LL },
    { "9999-12-31T23:59:59Z", 253402300799LL },
    { "2023-12-31T23:30:00-01:00", 1704069000LL },
    { "2023-01-01T00:00:00+23:59", 1672444860LL },
};

static void
test_time_parse (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_times); index++) {
        int64_t seconds = 42;
        const char *error = NULL;
        if (bm_time_parse (s_times [index].text, &seconds, &error))
            fail_msg ("'%s': %s", s_times [index].text, error);
        if (seconds != s_times [index].seconds)
            fail_msg ("'%s': %lld, expected %lld", s_times [index].text,
                      (long long) seconds, (long long) s_times [index].seconds);
    }
}

static const struct {
    const char *text;
    const char *error;
} s_bad_times [] = {
    { "", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28T23:59", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28 23:59:59", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28 23:59+08:00", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28  23:59", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28 9:59", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28T23:59:59 +08:00", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28T23:59:59Z ", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28T23:59:59ZZ", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28T23:59:59+08:00:00", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28T23:59:59 CST", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28X23:59:59", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023/06/28 23:59", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-6-28 23:59", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { " 2023-06-28 23:59", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28T-1:00:00Z", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "1687967999", "time must be like 2023-06-28T23:59:59+08:00 or 2023-06-28 23:59" },
    { "2023-06-28T23:59:59+0800", "offset must be +HH:MM or -HH:MM" },
    { "2023-06-28T23:59:59+08", "offset must be +HH:MM or -HH:MM" },
    { "2023-06-28T23:59:59+24:00", "offset must be +HH:MM or -HH:MM" },
    { "2023-06-28T23:59:59+08:60", "offset must be +HH:MM or -HH:MM" },
    { "2023-06-28T23:59:59.+08:00", "no digits after the decimal point of the seconds" },
    { "2023-06-28T23:59:59.", "no digits after the decimal point of the seconds" },
    { "2023-02-29T00:00:00Z", "no such day in that month" },
    { "2023-13-01 00:00", "month must be 01 to 12" },
    { "1899-12-31T23:59:59Z", "year before 1900" },
    { "2023-06-28T25:00:00Z", "hour must be 00 to 23" },
    { "2023-06-28 99:00", "hour must be 00 to 23" },
    { "2023-06-28T23:60:00Z", "minute must be 00 to 59" },
    { "2023-06-28T23:59:60Z", "leap seconds (:60) are not supported" },
    { "2023-06-28T23:59:61Z", "second must be 00 to 59" },
    { "2023-06-28T24:00:01Z", "hour 24 only as 24:00:00, the end of the day" },
    { "2023-06-28T24:00:00.5Z", "hour 24 only as 24:00:00, the end of the day" },
    { "2023-06-28 24:30", "hour 24 only as 24:00:00, the end of the day" },
};

static void
test_time_rejects (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_bad_times); index++) {
        int64_t seconds = 42;
        const char *error = NULL;
        int rc = bm_time_parse (s_bad_times [index].text, &seconds, &error);
        if (rc != -1 || !error || strcmp (error, s_bad_times [index].error) != 0)
            fail_msg ("'%s': rc %d, error '%s', expected '%s'", s_bad_times [index].text, rc,
                      error? error: "(none)", s_bad_times [index].error);
        assert_int_equal (seconds, 42);
    }
    int64_t seconds;
    assert_int_equal (bm_time_parse (NULL, &seconds, NULL), -1);
    assert_int_equal (bm_time_parse ("2023-06-28T23:59:60Z", &seconds, NULL), -1);
}

//  Format, parse back, and land on the same second, across the range
static void
test_time_round_trip (void **state)
{
    //  A step prime to 60 and to 86400 visits every second-of-minute and
    //  many times of day
    for (int64_t seconds = -2208988800LL; seconds < 253402271999LL; seconds += 7919LL * 9973) {
        char buf [BM_TIME_STR_MAX];
        int64_t back = 0;
        const char *error = NULL;
        if (bm_time_parse (bm_time_format (seconds, buf), &back, &error))
            fail_msg ("%lld -> '%s': %s", (long long) seconds, buf, error);
        if (back != seconds)
            fail_msg ("%lld -> '%s' -> %lld", (long long) seconds, buf, (long long) back);
        //  And in UTC, written by hand with a Z
        bm_date_t date = bm_time_shanghai_date (seconds - 8 * 3600);
        int64_t second_of_day = seconds - bm_date_days_from_epoch (date) * 86400;
        char utc [BM_TIME_STR_MAX];
        snprintf (utc, sizeof utc, "%04d-%02d-%02dT%02d:%02d:%02dZ", date.year, date.month,
                  date.day, (int) (second_of_day / 3600), (int) (second_of_day / 60 % 60),
                  (int) (second_of_day % 60));
        assert_int_equal (bm_time_parse (utc, &back, NULL), 0);
        assert_int_equal (back, seconds);
    }
    //  The end of a deadline day, as written, is when the window closes
    bm_cycle_t cycle = { 28, 10, BM_DEADLINE_NONE, NULL };
    bm_period_t june = { 2023, 6 };
    bm_windows_t windows;
    bm_cycle_windows (&cycle, june, &windows);
    char buf [BM_TIME_STR_MAX];
    bm_cycle_deadline_text (windows.forecast_deadline, buf);
    buf [16] = '\0';                        //  "2023-06-28 24:00"
    int64_t closes = 0;
    assert_int_equal (bm_time_parse (buf, &closes, NULL), 0);
    assert_int_equal (closes, windows.forecast_closes);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_rules),
        cmocka_unit_test (test_check),
        cmocka_unit_test_setup_teardown (test_windows_none, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_windows_moved, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_holiday_moves, s_setup, s_teardown),
        cmocka_unit_test (test_overlap),
        cmocka_unit_test_setup_teardown (test_window_instants, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_timeliness, s_setup, s_teardown),
        cmocka_unit_test (test_time_format),
        cmocka_unit_test (test_time_parse),
        cmocka_unit_test (test_time_rejects),
        cmocka_unit_test (test_time_round_trip),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
