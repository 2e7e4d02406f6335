/*  bm_book: the districts and their plans as the server holds them in
    memory: units, indicators, the current targets, milestones and
    baselines, the battle map's tasks, rankings and calendars, and the
    current figures of every cell.

    PostgreSQL is the record; this is its image, built at start by
    bm_store_load from the database alone and kept current with each commit.
    A figure touches its cell and the district's running sums, and nothing
    reads history to judge it. Strings of the plan live in the book's arena
    and last as long as the book.

    The engine's modules read and write these structs directly: they are
    plain data, and the functions below only find things in them.
*/
#ifndef BM_BOOK_H_INCLUDED
#define BM_BOOK_H_INCLUDED

#include "bm_arena.h"
#include "bm_calendar.h"
#include "bm_cell.h"
#include "bm_cycle.h"
#include "bm_formula.h"
#include "bm_period.h"

#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>

#define BM_BOOK_FORECAST 0          //  index of a month's forecast
#define BM_BOOK_FINAL    1          //  index of a month's final

//  A decimal with the number of decimals it was written with, so that it
//  reads back as PostgreSQL's numeric does ("4.0" stays "4.0")
typedef struct {
    bool present;
    bm_decimal_t value;
    int scale;                  //  0..6
} bm_number_t;

//  The latest figure of a cell (indicator, unit, month, kind)
typedef struct {
    bool present;
    int64_t id;                 //  figure row
    bm_number_t number;         //  its value, if it has one
    bm_reported_t status;       //  its status, if it has one
    int64_t at;                 //  received, seconds since the epoch
    const char *note;           //  its note ("" if none), in the book's arena
    const char *by;             //  who sent a figure with a note ("" otherwise)
} bm_book_figure_t;

//  A unit's month of an indicator
typedef struct {
    bm_book_figure_t latest [2];        //  forecast, final
    int64_t first_at [2];               //  first received (0: never)
    bm_number_t forecast;               //  the last forecast with a value
    bm_number_t forecast_on_time;       //  ...received before the forecast deadline
    bm_number_t final;                  //  the last final with a value
    int64_t *ids;                       //  the row of every figure, oldest first:
    uint32_t id_count;                  //  the cell's history is read by them
    uint32_t id_capacity;
} bm_book_month_t;

typedef struct {
    bool present;
    bool none;                  //  the month is marked "/": it expects nothing
    bm_number_t number;         //  a numeric milestone
    const char *text;           //  its words ("" if none)
} bm_book_milestone_t;

//  One unit's side of one indicator measure: targets, milestones, last
//  year's figures and this year's
typedef struct {
    bool any_target;            //  a current target that is not "—"
    bool working_target;        //  ...of the working role
    bm_cell_targets_t targets;  //  typed, for judging
    const char *working_text;   //  as stored ("1195.0"), "" if none
    const char *assessment_text;
    const char *growth_text;
    const char *words;          //  a qualitative target's words
    const char *annotation;     //  what the plan writes beside the numbers
    const char *note;           //  what the plan notes on its targets (a discrepancy)
    bm_book_milestone_t milestones [12];
    bm_number_t baselines [12]; //  the previous year, cumulative by month
    bm_book_month_t months [12];
} bm_book_slot_t;

//  What the units (not the district) have reported for one month, kept as
//  running sums so that the district's total never re-reads a figure
typedef struct {
    bm_decimal_t sum;           //  of their numeric figures
    int scale;                  //  the largest scale among them
    uint32_t numeric;           //  units with a numeric figure
    uint32_t forecasts;         //  ...of which only a forecast
    uint32_t reported;          //  units with any figure
    uint32_t expected_in;       //  units with a working target and any figure
} bm_book_sum_t;

typedef struct {
    int id;                     //  the indicator row
    int index;                  //  in the book
    const char *code;
    const char *measure;        //  "" for a single-measure indicator
    const char *name;
    const char *unit_of_measure;
    bool additive;
    bm_direction_t direction;
    bm_kind_t kind;
    const char *formula;
    bm_formula_t *parsed;       //  a ratio's formula
    bm_thresholds_t thresholds;
    bool has_pace;
    bm_decimal_t pace [12];
    int through_month;          //  measured over months 1..through_month
    int decimals;               //  precision of expectations and computed values
    bm_decimal_t plausible_factor;  //  this many times off is suspicious; 0: never
    bool may_decrease;          //  a cumulative figure may fall below last month's
    bool may_be_negative;       //  a figure may be below zero
    int position;
    int *operands;              //  indicators a ratio is computed from
    size_t operand_count;
    int *derived;               //  ratios computed from this one
    size_t derived_count;
    bm_book_slot_t **slots;     //  by unit index; NULL where the unit has nothing
    bm_book_sum_t sums [12];    //  the units' figures, by month
    uint32_t units_expected;    //  units (not the district) with a working target
    uint32_t units_with_target; //  units (not the district) with any target
    bm_decimal_t baseline_sums [12];    //  the units' baselines added, by month...
    bool has_baseline_sums [12];        //  ...where any unit has one
    const char *decomposition;  //  units' targets do not add up: a warning, or ""
} bm_book_indicator_t;

typedef struct {
    int id;
    const char *name;
    const char *kind;           //  district town subdistrict park ...
    int parent;                 //  unit index, -1 if none
    bool is_district;           //  全区
} bm_book_unit_t;

typedef struct {
    int id;
    const char *code;
    const char *name;
    bm_book_unit_t *units;
    size_t unit_count;
    int district_unit;          //  index of 全区
    zhashx_t *unit_index;       //  name -> index + 1
} bm_book_district_t;

typedef struct {
    const char *level;          //  区级 / 部门级
    int seq;
    const char *title;
    const char *leaders;
    const char *sections;
    const char *indicator;      //  code
    const char *measures;       //  "|"-separated subset, "" for all
    const char *overall;        //  worst | average
    const char *beside;         //  "|"-separated codes shown beside its measures
    const char *note;
} bm_book_task_t;

typedef struct {
    const char *name;
    int bottom;
    int *indicators;            //  indexes, in indicator row order
    bm_decimal_t *weights;
    size_t count;
} bm_book_ranking_t;

typedef struct {
    int id;
    const char *code;           //  "qingpu-2023"
    int year;
    const char *title;
    bm_book_district_t *district;
    bm_cycle_t cycle;
    bm_calendar_t *calendar;
    int reminder_days [32];     //  days before a deadline that reminders go
    size_t reminder_count;
    int bottom_warned;
    bm_book_indicator_t *indicators;
    size_t indicator_count;
    zhashx_t *indicator_index;  //  "code\x1fmeasure" -> index + 1
    bm_book_task_t *tasks;      //  区级 first, by seq
    size_t task_count;
    bm_book_ranking_t *rankings;
    size_t ranking_count;
    int *reports_expected;      //  by unit: indicators it reports (bm_reports_expected)
    int (*reports_received) [12][2];    //  by unit, month and kind: how many of
                                        //  them have a figure
    bool noted [12][2];         //  deadlines passed and noted
    int64_t reminded;           //  the day reminders last went (days from the epoch)
} bm_book_plan_t;

typedef struct _bm_book_t bm_book_t;

bm_book_t *
    bm_book_new (void);

void
    bm_book_destroy (bm_book_t **self_p);

//  The arena the plans' strings are allocated from
bm_arena_t *
    bm_book_arena (bm_book_t *self);

//  Building (bm_store_load): add a district or a plan; the book owns them.
bm_book_district_t *
    bm_book_add_district (bm_book_t *self, int id, const char *code, const char *name);
bm_book_plan_t *
    bm_book_add_plan (bm_book_t *self, bm_book_district_t *district, int id,
                      const char *code, int year);

//  Lookups (NULL if absent)
bm_book_district_t *
    bm_book_district (bm_book_t *self, const char *code);
bm_book_district_t *
    bm_book_district_by_id (bm_book_t *self, int id);
bm_book_plan_t *
    bm_book_plan (bm_book_t *self, const bm_book_district_t *district, int year);
bm_book_plan_t *
    bm_book_plan_by_id (bm_book_t *self, int id);

//  Plans in load order: first, then next until NULL
bm_book_plan_t *
    bm_book_first_plan (bm_book_t *self);
bm_book_plan_t *
    bm_book_next_plan (bm_book_t *self);

//  A unit's index in its district, -1 if unknown
int
    bm_book_unit (const bm_book_district_t *district, const char *name);

//  An indicator measure of a plan, NULL if unknown
bm_book_indicator_t *
    bm_book_indicator (const bm_book_plan_t *plan, const char *code, const char *measure);

//  The slot of a unit for an indicator, NULL if the unit has nothing there;
//  bm_book_slot_make creates it
bm_book_slot_t *
    bm_book_slot (const bm_book_indicator_t *indicator, int unit);
bm_book_slot_t *
    bm_book_slot_make (bm_book_indicator_t *indicator, int unit);

//  A unit's figure for a month: its latest final, else its latest forecast;
//  NULL if none
const bm_book_figure_t *
    bm_book_effective (const bm_book_slot_t *slot, int month);

//  The latest milestone of the slot at or before month, NULL if none
const bm_book_milestone_t *
    bm_book_milestone (const bm_book_slot_t *slot, int month, int *milestone_month);

//  A unit leads a task when it, or one of its sections, is among the
//  task's lead sections (names separated by spaces)
bool
    bm_book_leads (const bm_book_plan_t *plan, const bm_book_task_t *task, int unit);

//  The task a unit leads whose indicator (or one shown beside it) is
//  `code`, NULL if none
const bm_book_task_t *
    bm_book_led_task (const bm_book_plan_t *plan, const char *code, int unit);

//  Format a number as stored ("4.0"); returns buf (BM_DECIMAL_STR_MAX)
char *
    bm_number_format (const bm_number_t *number, char *buf);

//  Parse a decimal as written, keeping its scale. 0 or -1.
int
    bm_number_parse (const char *text, bm_number_t *number);

#endif
