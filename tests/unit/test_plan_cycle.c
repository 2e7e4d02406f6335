/*  test_plan_cycle: what a plan says about the reporting cycle besides its
    days: plan.csv's deadline_rule and holidays.csv (days off and working
    weekends, 调休). The plan is plan_fixture.h's: holidays.csv has lines 1
    to 7, so a row appended lands on line 8; its plan is for 2023. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bm_plan.h"
#include "plan_fixture.h"

#include <unistd.h>

//  plan.csv of the fixture with a deadline_rule column holding `rule`;
//  caller frees
static char *
s_plan_with_rule (const char *rule)
{
    char *content = zsys_sprintf (
        "plan,district,district_name,year,title,deadline_rule\n"            //  1
        "qingpu-2023,qingpu,青浦区,2023,t,%s\n", rule);                      //  2
    assert_non_null (content);
    return content;
}

//  plan.csv of the fixture with alert settings; caller frees
static char *
s_plan_with_alerts (const char *reminder_days, const char *bottom_warned)
{
    char *content = zsys_sprintf (
        "plan,district,district_name,year,title,reminder_days,bottom_warned\n"   //  1
        "qingpu-2023,qingpu,青浦区,2023,t,\"%s\",%s\n", reminder_days, bottom_warned);
    assert_non_null (content);
    return content;
}

static void
test_alert_settings (void **state)
{
    //  Absent: reminders 3 and 1 days before, the bottom five warned
    bm_plan_t *plan = s_parse_valid (NULL, 0);
    assert_string_equal (plan->header.reminder_days, "3,1");
    assert_int_equal (plan->header.bottom_warned, 5);
    bm_plan_destroy (&plan);
    //  Given: stored most days first
    char *content = s_plan_with_alerts ("1,5,2", "3");
    plan = s_parse_valid ((file_t []) { { "plan.csv", content } }, 1);
    assert_string_equal (plan->header.reminder_days, "5,2,1");
    assert_int_equal (plan->header.bottom_warned, 3);
    bm_plan_destroy (&plan);
    free (content);
    //  Refused, located
    static const char *const wrong [] = { "0", "3,3", "28", "三", "3;1", "," };
    for (size_t index = 0; index < sizeof (wrong) / sizeof (wrong [0]); index++) {
        content = s_plan_with_alerts (wrong [index], "5");
        char *expected = zsys_sprintf ("plan.csv:2:6: reminder_days: \"%s\" is not a list of "
                                       "distinct days from 1 to 27", wrong [index]);
        EXPECT_REPLACED ("plan.csv", content, expected);
        free (expected);
        free (content);
    }
    content = s_plan_with_alerts ("3,1", "0");
    EXPECT_REPLACED ("plan.csv", content, "plan.csv:2:7: bottom_warned");
    free (content);
}

static void
s_assert_date (bm_date_t date, const char *expected)
{
    char buffer [BM_DATE_STR_MAX];
    assert_string_equal (bm_date_format (date, buffer), expected);
}


//  --------------------------------------------------------------------------
//  plan.csv: deadline_rule

static void
test_deadline_rule (void **state)
{
    //  Absent: none (the fixture's plan.csv has no such column)
    bm_plan_t *plan = s_parse_valid (NULL, 0);
    assert_string_equal (plan->header.deadline_rule, "none");
    bm_plan_destroy (&plan);

    static const struct {
        const char *written;
        const char *rule;
    } rules [] = {
        { "next_workday", "next_workday" },
        { "previous_workday", "previous_workday" },
        { "none", "none" },
        { "", "none" },
    };
    for (size_t index = 0; index < sizeof (rules) / sizeof (rules [0]); index++) {
        char *content = s_plan_with_rule (rules [index].written);
        plan = s_parse_valid ((file_t []) { { "plan.csv", content } }, 1);
        assert_string_equal (plan->header.deadline_rule, rules [index].rule);
        bm_plan_destroy (&plan);
        free (content);
    }

    //  A plan with a rule and no holidays.csv: weekends still move deadlines
    char *content = s_plan_with_rule ("next_workday");
    const file_t changes [] = { { "plan.csv", content }, { "holidays.csv", NULL } };
    plan = s_parse_valid (changes, 2);
    assert_string_equal (plan->header.deadline_rule, "next_workday");
    assert_int_equal (plan->holiday_count, 0);
    bm_plan_destroy (&plan);
    free (content);
}

static void
test_deadline_rule_problems (void **state)
{
    static const char *const wrong [] = { "next workday", "weekend", "顺延" };
    for (size_t index = 0; index < sizeof (wrong) / sizeof (wrong [0]); index++) {
        char *content = s_plan_with_rule (wrong [index]);
        char *expected = zsys_sprintf (
            "plan.csv:2:6: deadline_rule: \"%s\" is not none, next_workday or "
            "previous_workday: leave it empty if a deadline stands on any day",
            wrong [index]);
        EXPECT_REPLACED ("plan.csv", content, expected);
        free (expected);
        free (content);
    }
    char *content = s_plan_with_rule ("—");
    EXPECT_REPLACED ("plan.csv", content,
                     "plan.csv:2:6: deadline_rule: \"—\" (no target) belongs only in "
                     "the value column of targets.csv: leave the field empty");
    free (content);
    //  Reported where the column is, in any order
    EXPECT_REPLACED ("plan.csv", "deadline_rule,plan,district,district_name,year,title\n"
                     "# 截止日逢节假日顺延\n"
                     "next-workday,qingpu-2023,qingpu,青浦区,2023,t\n",
                     "plan.csv:3:1: deadline_rule: \"next-workday\" is not none");
}


//  --------------------------------------------------------------------------
//  holidays.csv

static void
test_holidays (void **state)
{
    bm_plan_t *plan = s_parse_valid (NULL, 0);
    assert_int_equal (plan->holiday_count, 5);
    const bm_plan_holiday_t *holiday = &plan->holidays [0];
    s_assert_date (holiday->date, "2023-01-01");
    assert_int_equal (holiday->date.year, 2023);
    assert_int_equal (holiday->date.month, 1);
    assert_int_equal (holiday->date.day, 1);
    assert_false (holiday->working);
    assert_string_equal (holiday->name, "元旦");
    assert_string_equal (holiday->note, "星期日");
    assert_string_equal (plan->holidays [1].note, "");
    holiday = &plan->holidays [2];
    s_assert_date (holiday->date, "2023-01-28");
    assert_true (holiday->working);
    assert_string_equal (holiday->name, "春节");
    assert_string_equal (holiday->note, "调休上班");
    assert_string_equal (plan->holidays [3].name, "中秋节、国庆节");
    s_assert_date (plan->holidays [4].date, "2024-01-01");
    assert_false (plan->holidays [4].working);
    bm_plan_destroy (&plan);

    //  Columns in any order, no name or note; holidays on a Saturday and a
    //  Sunday (a holiday range of the notice includes them); the first and
    //  the last day of the window; 29 February of a leap year
    const file_t changes [] = {
        { "holidays.csv", "kind,date\n"
                          "holiday,2023-04-29\n"
                          "holiday,2023-12-31\n"
                          "workday,2023-10-07\n"
                          "holiday,2024-02-29\n"
                          "holiday,2024-03-31\n" }
    };
    plan = s_parse_valid (changes, 1);
    assert_int_equal (plan->holiday_count, 5);
    s_assert_date (plan->holidays [0].date, "2023-04-29");
    assert_string_equal (plan->holidays [0].name, "");
    assert_string_equal (plan->holidays [0].note, "");
    assert_true (plan->holidays [2].working);
    s_assert_date (plan->holidays [3].date, "2024-02-29");
    s_assert_date (plan->holidays [4].date, "2024-03-31");
    bm_plan_destroy (&plan);

    //  A header and no days
    plan = s_parse_valid ((file_t []) { { "holidays.csv", "\xEF\xBB\xBF" "date,kind\r\n" } }, 1);
    assert_int_equal (plan->holiday_count, 0);
    assert_non_null (plan->holidays);
    bm_plan_destroy (&plan);
}

static void
test_holiday_date_problems (void **state)
{
    static const case_t cases [] = {
        { "holidays.csv", ",holiday,,\n",
          "holidays.csv:8:1: date is empty: write the day as YYYY-MM-DD, like 2023-10-01" },
        { "holidays.csv", "2023/10/02,holiday,,\n",
          "holidays.csv:8:1: date: \"2023/10/02\" is not a date (date must be "
          "YYYY-MM-DD): write the day as YYYY-MM-DD, like 2023-10-01" },
        { "holidays.csv", "2023-10-2,holiday,,\n",
          "holidays.csv:8:1: date: \"2023-10-2\" is not a date (date must be YYYY-MM-DD)" },
        { "holidays.csv", "2023-02-29,holiday,,\n",
          "holidays.csv:8:1: date: \"2023-02-29\" is not a date (no such day in that "
          "month)" },
        { "holidays.csv", "2023-13-01,holiday,,\n",
          "holidays.csv:8:1: date: \"2023-13-01\" is not a date (month must be 01 to 12)" },
        { "holidays.csv", "国庆节,holiday,,\n",
          "holidays.csv:8:1: date: \"国庆节\" is not a date" },
        { "holidays.csv", "2022-12-31,holiday,元旦,\n",
          "holidays.csv:8:1: date 2022-12-31 is not in 2023 or January to March 2024: "
          "holidays.csv lists the days of the plan's year, and of the next year's first "
          "three months, where its last deadlines fall" },
        { "holidays.csv", "2024-04-01,holiday,,\n",
          "holidays.csv:8:1: date 2024-04-01 is not in 2023 or January to March 2024" },
        { "holidays.csv", "2025-01-01,holiday,元旦,\n",
          "holidays.csv:8:1: date 2025-01-01 is not in 2023 or January to March 2024" },
        { "holidays.csv", "—,holiday,,\n",
          "holidays.csv:8:1: date: \"—\" (no target) belongs only in the value column" },
    };
    RUN_CASES (cases);
}

static void
test_holiday_kind_problems (void **state)
{
    static const case_t cases [] = {
        { "holidays.csv", "2023-10-02,,,\n",
          "holidays.csv:8:2: kind is empty: write holiday or workday" },
        { "holidays.csv", "2023-10-02,day off,,\n",
          "holidays.csv:8:2: kind: \"day off\" is not holiday or workday" },
        { "holidays.csv", "2023-10-02,Holiday,,\n",
          "holidays.csv:8:2: kind: \"Holiday\" is not holiday or workday" },
        { "holidays.csv", "2023-10-02,放假,,\n",
          "holidays.csv:8:2: kind: \"放假\" is not holiday or workday" },
        //  A workday must be a weekend day; a holiday may be any day
        { "holidays.csv", "2023-05-08,workday,,\n",
          "holidays.csv:8:2: kind workday: 2023-05-08 is a Monday, already a working "
          "day: a workday is a Saturday or Sunday worked instead (调休); remove the "
          "row, or write holiday if it is a day off" },
        { "holidays.csv", "2023-09-29,workday,中秋节、国庆节,\n",
          "holidays.csv:8:2: kind workday: 2023-09-29 is a Friday, already a working day" },
        { "holidays.csv", "2024-01-03,workday,,\n",
          "holidays.csv:8:2: kind workday: 2024-01-03 is a Wednesday" },
    };
    RUN_CASES (cases);
}

static void
test_holiday_duplicates (void **state)
{
    static const case_t cases [] = {
        { "holidays.csv", "2023-01-02,holiday,元旦,\n",
          "holidays.csv:8:1: date 2023-01-02 is already on line 4: remove one of the rows" },
        //  The same day as a holiday and a workday
        { "holidays.csv", "2023-01-28,holiday,春节,\n",
          "holidays.csv:8:1: date 2023-01-28 is already on line 5: remove one of the rows" },
        { "holidays.csv", "2024-01-01,holiday,,\n",
          "holidays.csv:8:1: date 2024-01-01 is already on line 7" },
    };
    RUN_CASES (cases);

    //  A day out of the window is reported once, not again as a duplicate
    EXPECT_APPENDED ("holidays.csv", "2025-01-01,holiday,,\n2025-01-01,holiday,,\n",
                     "holidays.csv:8:1: date 2025-01-01 is not in 2023",
                     "holidays.csv:9:1: date 2025-01-01 is not in 2023");
}

static void
test_holiday_rows (void **state)
{
    //  Every problem of a row, in column order
    EXPECT_APPENDED ("holidays.csv", "2022-12-26,workday,,\n",
                     "holidays.csv:8:1: date 2022-12-26 is not in 2023",
                     "holidays.csv:8:2: kind workday: 2022-12-26 is a Monday");
    EXPECT_APPENDED ("holidays.csv", "2023-10-07,workday,—,—\n",
                     "holidays.csv:8:3: name: \"—\" (no target) belongs only",
                     "holidays.csv:8:4: note: \"—\" (no target) belongs only");
    EXPECT_APPENDED ("holidays.csv", "2023-10-07,workday,,,调休\n",
                     "holidays.csv:8:5: row has 5 fields but the header has 4 columns");
}

static void
test_holiday_window_follows_year (void **state)
{
    //  The fixture's days against a plan for 2024: only 2024-01-01 is in
    //  it (no baselines.csv: the fixture's are of 2022)
    const file_t changes [] = {
        { "plan.csv", "plan,district,district_name,year,title\np,d,区,2024,t\n" },
        { "baselines.csv", NULL }
    };
    s_expect_errors (changes, 2, (const char *[]) {
        "holidays.csv:3:1: date 2023-01-01 is not in 2024 or January to March 2025",
        "holidays.csv:4:1: date 2023-01-02 is not in 2024",
        "holidays.csv:5:1: date 2023-01-28 is not in 2024",
        "holidays.csv:6:1: date 2023-10-06 is not in 2024",
        NULL
    });

    //  A plan whose year is wrong: only that is reported
    const file_t wrong_year [] = {
        { "plan.csv", "plan,district,district_name,year,title\np,d,区,23,t\n" },
        { "holidays.csv", "date,kind\n1999-01-01,holiday\n2031-05-05,holiday\n" }
    };
    s_expect_errors (wrong_year, 2, (const char *[]) {
        "plan.csv:2:4: year: \"23\" must be a whole number from 1900 to 9999", NULL
    });
}

static void
test_holiday_header (void **state)
{
    EXPECT_REPLACED ("holidays.csv", "kind,name\nholiday,春节\n",
                     "holidays.csv:1: missing column \"date\": add it to the header row");
    EXPECT_REPLACED ("holidays.csv", "date,kind,weekday\n2023-10-02,holiday,Monday\n",
                     "holidays.csv:1:3: unknown column \"weekday\": the columns of "
                     "holidays.csv are date, kind, name, note");
    EXPECT_REPLACED ("holidays.csv", "\xEF\xBB\xBF# 国办发明电〔2022〕16号\n",
                     "holidays.csv: is empty: it needs a header row naming its columns "
                     "(date, kind)");
    EXPECT_REPLACED ("copy/holidays.csv", s_holidays_csv,
                     "copy/holidays.csv: given twice (also as holidays.csv): a plan has "
                     "one holidays.csv");
}

static void
test_problems_in_file_order (void **state)
{
    //  holidays.csv is reported after the other files, plan.csv first
    char *plan = s_plan_with_rule ("weekend");
    const file_t changes [] = {
        { "holidays.csv", "date,kind\n2023-10-02,day off\n" },
        { "rankings.csv", "ranking,indicator,weight\n主要经济指标,gdp,1\n" },
        { "plan.csv", plan },
    };
    s_expect_errors (changes, 3, (const char *[]) {
        "plan.csv:2:6: deadline_rule: \"weekend\" is not none",
        "rankings.csv:2:2: indicator \"gdp\" is not in indicators.csv",
        "holidays.csv:2:2: kind: \"day off\" is not holiday or workday",
        NULL
    });
    free (plan);
}


//  --------------------------------------------------------------------------
//  Reading a folder


static void
test_holidays_in_folder (void **state)
{
    char dir [] = "/tmp/test_plan_cycle.XXXXXX";
    assert_non_null (mkdtemp (dir));
    const char *names [] = { "plan.csv", "units.csv", "indicators.csv", "targets.csv" };
    for (size_t index = 0; index < 4; index++)
        s_write (dir, names [index], s_valid (names [index]));

    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = bm_plan_parse_dir (dir, errors);
    assert_non_null (plan);
    assert_int_equal (plan->holiday_count, 0);
    bm_plan_destroy (&plan);

    //  holidays.csv is read when it is there
    s_write (dir, "holidays.csv", s_holidays_csv);
    plan = bm_plan_parse_dir (dir, errors);
    assert_non_null (plan);
    assert_int_equal (zlist_size (errors), 0);
    assert_int_equal (plan->holiday_count, 5);
    assert_true (plan->holidays [2].working);
    bm_plan_destroy (&plan);

    s_write (dir, "holidays.csv", "date,kind\n2023-10-02,holiday\n2023-10-02,holiday\n");
    plan = bm_plan_parse_dir (dir, errors);
    assert_null (plan);
    assert_int_equal (zlist_size (errors), 1);
    assert_string_equal (zlist_first (errors), "holidays.csv:3:1: date 2023-10-02 is "
                         "already on line 2: remove one of the rows");
    zlist_destroy (&errors);

    s_remove (dir, "holidays.csv");
    for (size_t index = 0; index < 4; index++)
        s_remove (dir, names [index]);
    assert_int_equal (rmdir (dir), 0);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_deadline_rule),
        cmocka_unit_test (test_deadline_rule_problems),
        cmocka_unit_test (test_alert_settings),
        cmocka_unit_test (test_holidays),
        cmocka_unit_test (test_holiday_date_problems),
        cmocka_unit_test (test_holiday_kind_problems),
        cmocka_unit_test (test_holiday_duplicates),
        cmocka_unit_test (test_holiday_rows),
        cmocka_unit_test (test_holiday_window_follows_year),
        cmocka_unit_test (test_holiday_header),
        cmocka_unit_test (test_problems_in_file_order),
        cmocka_unit_test (test_holidays_in_folder),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
