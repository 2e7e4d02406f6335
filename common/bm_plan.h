/*  bm_plan: a district's yearly plan, parsed and validated from its CSV files.

    The format is documented in deploy/plans/README.md. Parsing is pure (the
    caller supplies file names and contents): it checks every file and every
    cross-reference and collects every problem as "file:line:column: what is
    wrong" before giving up, so that a person can fix a plan in one pass.
    The result is plain data the server loads into PostgreSQL.
*/
#ifndef BM_PLAN_H_INCLUDED
#define BM_PLAN_H_INCLUDED

#include "bm_calendar.h"
#include "bm_completion.h"
#include "bm_decimal.h"
#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>

#define BM_DISTRICT_UNIT "全区"     //  the district as a whole, in targets and figures

//  Strings are never NULL: an absent optional field is "".

typedef struct {
    char *name;                 //  file name as given
    const char *content;        //  not owned
    size_t size;
} bm_plan_file_t;

typedef struct {
    char *plan;                 //  "qingpu-2023"
    char *district;             //  "qingpu"
    char *district_name;        //  "青浦区"
    int year;
    char *title;
    char *documents;
    int forecast_day;           //  default 28
    int final_day;              //  default 10
    char *deadline_rule;        //  "none" (default), "next_workday" or "previous_workday"
    char *reminder_days;        //  days before a deadline that reminders go, "3,1" (default)
    int bottom_warned;          //  units warned at the bottom of a ranking, default 5
} bm_plan_header_t;

typedef struct {
    char *name;
    char *kind;                 //  town subdistrict park company department section other
    char *parent;
    char *note;
} bm_plan_unit_t;

typedef struct {
    char *code;
    char *measure;              //  "" for a single-measure indicator
    char *name;
    char *parent;
    char *category;
    char *seq;
    char *unit_of_measure;
    bool additive;              //  aggregation = sum
    bm_direction_t direction;
    char *decomposition;
    char *responsible;
    char *source;
    char *kind;                 //  "amount" "growth" "ratio" "level" "qualitative" "group"
    char *formula;              //  how a ratio is computed, "" if none
    int on_track_tenths;        //  on_track_pct in tenths (1000 for 100), 0: default
    int at_risk_tenths;         //  at_risk_pct in tenths (925 for 92.5), 0: default
    bool has_pace;              //  a pace curve is given (amount only)
    bm_decimal_t pace [12];     //  expected cumulative % of the annual target, by month
    int through_month;          //  measured over months 1..through_month (12; 11 for 1-11月)
    bool decimals_given;        //  decimals was written; else it follows the targets
    int decimals;               //  precision of expectations and computed values:
                                //  given, or the most decimals its targets and
                                //  milestones are written with
    bm_decimal_t plausible_factor;  //  a figure this many times off its milestone or
                                    //  its last value is held as suspicious; 0: never
    bool may_decrease;          //  a cumulative figure may fall below last month's
    bool may_be_negative;       //  a figure may be below zero (a net change)
    char *note;
} bm_plan_indicator_t;

typedef struct {
    char *indicator;
    char *measure;
    char *unit;                 //  unit name or BM_DISTRICT_UNIT
    char *role;                 //  "working" or "assessment"
    char *kind;                 //  "total" "growth" "level" "qualitative"
    char *comparator;           //  ">=" "<=" "=" ">" "<" (default filled in)
    bool no_target;             //  value was "—"
    bool has_value;
    bm_decimal_t value;
    char *value_text;           //  the value as written ("1195.0"), "" if none
    char *text;
    char *note;
    int line;                   //  where it came from, for messages
} bm_plan_target_t;

typedef struct {
    char *indicator;
    char *measure;
    char *unit;                 //  default BM_DISTRICT_UNIT
    int month;                  //  1..12
    bool has_value;
    bm_decimal_t value;
    char *value_text;           //  as written, "" if none
    bool has_share;
    bm_decimal_t share_pct;
    char *share_text;           //  as written, "" if none
    char *text;                 //  "/" for a month that expects nothing
    bool none;                  //  the month is marked "/": no milestone
    char *note;
} bm_plan_milestone_t;

typedef struct {
    char *level;                //  "区级" or "部门级"
    int seq;
    char *title;
    char *leaders;
    char *sections;
    char *indicator;
    char *measures;             //  "|"-separated subset, "" for all
    char *overall;              //  "worst" (default) or "average"
    char *beside;               //  "|"-separated indicator codes shown beside the task's
                                //  measures (区级4: the share beside the amount), "" if none
    char *note;
} bm_plan_task_t;

//  The previous year's figure, cumulative to the end of its month
typedef struct {
    char *indicator;
    char *measure;
    char *unit;                 //  default BM_DISTRICT_UNIT
    int year;                   //  the plan's year - 1
    int month;                  //  1..12
    bm_decimal_t value;
    char *value_text;           //  as written
    char *note;
} bm_plan_baseline_t;

//  One indicator of a weighted overall ranking
typedef struct {
    char *ranking;              //  "主要经济指标"
    char *indicator;
    char *measure;
    bm_decimal_t weight;        //  > 0
    char *weight_text;          //  as written
    int bottom;                 //  units warned at the bottom, 0 unless given on this row
    char *note;
} bm_plan_ranking_t;

//  A day of holidays.csv: a day off, even on a weekday, or a Saturday or
//  Sunday made a working day (调休)
typedef struct {
    bm_date_t date;             //  in the plan's year or January to March of the next
    bool working;               //  kind workday (a weekend day); false: holiday
    char *name;                 //  "春节", "" if not given
    char *note;
} bm_plan_holiday_t;

typedef struct {
    bm_plan_header_t header;
    bm_plan_unit_t *units;
    size_t unit_count;
    bm_plan_indicator_t *indicators;
    size_t indicator_count;
    bm_plan_target_t *targets;
    size_t target_count;
    bm_plan_milestone_t *milestones;
    size_t milestone_count;
    bm_plan_task_t *tasks;
    size_t task_count;
    bm_plan_baseline_t *baselines;
    size_t baseline_count;
    bm_plan_ranking_t *rankings;
    size_t ranking_count;
    bm_plan_holiday_t *holidays;        //  in file order
    size_t holiday_count;
} bm_plan_t;

//  Parse and validate a plan from its files. plan.csv, units.csv,
//  indicators.csv and targets.csv are required; milestones.csv, tasks.csv,
//  baselines.csv, rankings.csv and holidays.csv are optional. On success
//  returns the plan; on failure returns NULL and appends one newly
//  allocated string per problem to `errors` (a zlist the caller owns, with
//  autofree set), at most BM_PLAN_MAX_ERRORS of them. Every indicator of a
//  returned plan has a kind, and its targets, milestones and baselines fit
//  that kind.
#define BM_PLAN_MAX_ERRORS 100
bm_plan_t *
    bm_plan_parse (const bm_plan_file_t *files, size_t count, zlist_t *errors);

//  Read every *.csv file of a folder and parse them as one plan.
bm_plan_t *
    bm_plan_parse_dir (const char *path, zlist_t *errors);

void
    bm_plan_destroy (bm_plan_t **self_p);

//  Lookups (NULL if absent). `measure` may be "" for single-measure indicators.
const bm_plan_indicator_t *
    bm_plan_indicator (const bm_plan_t *self, const char *code, const char *measure);
const bm_plan_unit_t *
    bm_plan_unit (const bm_plan_t *self, const char *name);

#endif
