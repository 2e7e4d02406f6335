/*  bm_plan_cycle: what a plan says about the reporting cycle besides its
    days: plan.csv's deadline_rule (what a deadline on a non-working day
    does) and holidays.csv (the days off and the working weekends, 调休,
    that decide which days are non-working). holidays.csv is optional: a
    plan without it works Monday to Friday.

    holidays.csv covers the plan's year and the first three months of the
    next, since the deadlines of the year's last months fall there (the
    final figures for December are due in January).
*/

#include "bm_plan_private.h"
#include <czmq.h>
#include "bm_cycle.h"
#include "bm_i18n.h"

#include <assert.h>
#include <string.h>

//  Months of the next year holidays.csv may list
#define S_NEXT_YEAR_MONTHS 3


//  --------------------------------------------------------------------------
//  plan.csv: deadline_rule

void
bm_plan_read_deadline_rule (bm_plan_table_t *table, int column)
{
    if (!bm_plan_table_usable (table, column))
        return;                 //  no such column, or "—" reported: the default stands
    const char *text = bm_plan_table_text (table, column);
    bm_deadline_rule_t rule = BM_DEADLINE_NONE;
    if (bm_deadline_rule_parse (text, &rule) != 0) {
        bm_plan_table_fail (table, column,
                            _("deadline_rule: \"%s\" is not none, next_workday or "
                            "previous_workday: leave it empty if a deadline stands "
                            "on any day"), text);
        return;
    }
    bm_plan_header_t *header = &table->parser->plan->header;
    free (header->deadline_rule);
    header->deadline_rule = strdup (bm_deadline_rule_name (rule));
}


void
bm_plan_read_reminder_days (bm_plan_table_t *table, int column)
{
    if (!bm_plan_table_usable (table, column) || !*bm_plan_table_text (table, column))
        return;                 //  the default stands
    const char *text = bm_plan_table_text (table, column);
    bool seen [28] = { false };
    char *copy = strdup (text);
    bool valid = true;
    for (char *part = strtok (copy, ","); part && valid; part = strtok (NULL, ",")) {
        char *end = NULL;
        long day = strtol (part, &end, 10);
        valid = end != part && *end == '\0' && day >= 1 && day <= 27 && !seen [day];
        if (valid)
            seen [day] = true;
    }
    free (copy);
    if (!valid || !strpbrk (text, "0123456789")) {
        bm_plan_table_fail (table, column,
                            _("reminder_days: \"%s\" is not a list of distinct days from 1 to "
                            "27, such as 3,1"), text);
        return;
    }
    //  Stored as the days, most first: "3,1"
    char *days = strdup ("");
    for (int day = 27; day >= 1; day--)
        if (seen [day]) {
            char *grown = zsys_sprintf ("%s%s%d", days, *days? ",": "", day);
            free (days);
            days = grown;
        }
    bm_plan_header_t *header = &table->parser->plan->header;
    free (header->reminder_days);
    header->reminder_days = days;
}


//  --------------------------------------------------------------------------
//  holidays.csv

enum { HOLIDAY_DATE, HOLIDAY_KIND, HOLIDAY_NAME, HOLIDAY_NOTE };

static const bm_plan_column_t s_holiday_columns [] = {
    { "date", true, N_("write the day as YYYY-MM-DD, like 2023-10-01") },
    { "kind", true, NULL },
    { "name", false, NULL },
    { "note", false, NULL },
    { NULL, false, NULL }
};

static const char *const s_holiday_kinds [] = { "holiday", "workday", NULL };

static const char *const s_weekdays [] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
};

//  The date: a real day; false if it is not one (reported)
static bool
s_holiday_date (bm_plan_table_t *table, bm_plan_holiday_t *holiday)
{
    free (bm_plan_table_string (table, HOLIDAY_DATE));         //  reported if empty
    const char *text = bm_plan_table_text (table, HOLIDAY_DATE);
    if (!*text || !bm_plan_table_usable (table, HOLIDAY_DATE))
        return false;
    int year = table->parser->plan->header.year;
    const char *reason = NULL;
    if (bm_date_parse (text, &holiday->date, &reason) != 0) {
        bm_plan_table_fail (table, HOLIDAY_DATE,
                            _("date: \"%s\" is not a date (%s): write the day as "
                            "YYYY-MM-DD, like %d-10-01"), text, reason? reason: "",
                            year? year: 2023);
        return false;
    }
    return true;
}

//  Check the date is in the plan's year or the next year's first months;
//  false if it is not (reported). Unchecked while the year is unknown.
static bool
s_holiday_in_window (bm_plan_table_t *table, const bm_plan_holiday_t *holiday)
{
    int year = table->parser->plan->header.year;
    const bm_date_t *date = &holiday->date;
    if (!year || date->year == year
    ||  (date->year == year + 1 && date->month <= S_NEXT_YEAR_MONTHS))
        return true;
    char text [BM_DATE_STR_MAX];
    bm_plan_table_fail (table, HOLIDAY_DATE,
                        _("date %s is not in %d or January to March %d: holidays.csv "
                        "lists the days of the plan's year, and of the next year's "
                        "first three months, where its last deadlines fall"),
                        bm_date_format (*date, text), year, year + 1);
    return false;
}

//  A workday is a Saturday or Sunday worked (调休): any other day already is
static void
s_holiday_fits_day (bm_plan_table_t *table, const bm_plan_holiday_t *holiday)
{
    int weekday = bm_date_weekday (holiday->date);
    assert (weekday >= 0 && weekday < 7);
    if (!holiday->working || weekday >= 5 || !bm_plan_table_usable (table, HOLIDAY_KIND))
        return;
    char text [BM_DATE_STR_MAX];
    bm_plan_table_fail (table, HOLIDAY_KIND,
                        _("kind workday: %s is a %s, already a working day: a workday is "
                        "a Saturday or Sunday worked instead (调休); remove the row, or "
                        "write holiday if it is a day off"),
                        bm_date_format (holiday->date, text), s_weekdays [weekday]);
}

void
bm_plan_read_holidays (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv)
{
    bm_plan_table_t table;
    bm_plan_table_start (&table, parser, BM_PLAN_FILE_HOLIDAYS, name,
                         s_holiday_columns, -1, csv);
    if (!table.header)
        return;
    size_t rows = bm_csv_row_count (csv);
    bm_plan_t *plan = parser->plan;
    plan->holidays = (bm_plan_holiday_t *) bm_plan_allocate (rows, sizeof (bm_plan_holiday_t));
    zhashx_t *seen = zhashx_new ();
    for (size_t index = 1; index < rows; index++) {
        bm_plan_table_row (&table, bm_csv_row (csv, index));
        bm_plan_holiday_t *holiday = &plan->holidays [plan->holiday_count++];
        bool has_date = s_holiday_date (&table, holiday);
        int kind = bm_plan_table_choice (&table, HOLIDAY_KIND, s_holiday_kinds, -1);
        holiday->working = kind == 1;
        holiday->name = bm_plan_table_string (&table, HOLIDAY_NAME);
        holiday->note = bm_plan_table_string (&table, HOLIDAY_NOTE);
        if (!has_date)
            continue;
        if (kind >= 0)
            s_holiday_fits_day (&table, holiday);
        if (s_holiday_in_window (&table, holiday)) {
            char key [BM_DATE_STR_MAX];
            bm_date_format (holiday->date, key);
            char *what = zsys_sprintf (_("date %s"), key);
            bm_plan_refer_duplicate (&table, seen, HOLIDAY_DATE, key, what);
            free (what);
        }
    }
    zhashx_destroy (&seen);
}
