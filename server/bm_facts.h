/*  bm_facts: what the database knows about one indicator measure for one unit
    in one month: its definition, targets, milestone, actual and the previous
    year's figures. bm_state judges them; this module only reads.

    The district (全区) takes its own figure where one was reported, else,
    for an additive indicator, the sum of its units' figures. A unit's figure
    for a month is its latest final, else its latest forecast. A derived
    (ratio) indicator's actual is its formula evaluated on the same unit's
    and month's actuals of the indicators it names.
*/
#ifndef BM_FACTS_H_INCLUDED
#define BM_FACTS_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_arena.h"
#include "bm_evaluate.h"
#include "bm_period.h"
#include <libpq-fe.h>

typedef struct {
    const char *id;
    const char *plan_id;
    const char *code;
    const char *measure;
    const char *unit_of_measure;
    bool additive;
    bm_direction_t direction;
    bm_kind_t kind;
    const char *formula;
    bm_thresholds_t thresholds;
    bool has_pace;
    bm_decimal_t pace [12];
} bm_facts_indicator_t;

typedef struct {
    bool has_working;           //  numeric working target (total or level)
    bm_decimal_t working;
    const char *working_text;   //  as written
    bm_comparator_t comparator;
    bool has_assessment;        //  考核目标
    bm_decimal_t assessment;
    const char *assessment_text;
    bool has_growth;            //  growth target, percent
    bm_decimal_t growth;
    const char *growth_text;
    const char *words;          //  a qualitative target's words
    const char *annotation;     //  what the plan writes beside the numbers
    bool no_target;             //  "—"
} bm_facts_targets_t;

typedef struct {
    int month;                  //  0 if none at or before the period
    bool has_value;
    bm_decimal_t value;
    const char *value_text;
    const char *text;
} bm_facts_milestone_t;

typedef struct {
    bool has_value;
    bm_decimal_t value;
    bool is_forecast;           //  some part is still a forecast
    bm_reported_t reported;     //  a reported status (text milestone, qualitative)
    uint32_t units_reported;    //  district: units with a figure
} bm_facts_actual_t;

int
    bm_facts_indicator (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                        bm_facts_indicator_t *indicator);

int
    bm_facts_targets (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                      const char *unit_id, bm_facts_targets_t *targets);

//  The latest milestone of the unit at or before the month
int
    bm_facts_milestone (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                        const char *unit_id, int month, bm_facts_milestone_t *milestone);

int
    bm_facts_actual (PGconn *db, const bm_facts_indicator_t *indicator, const char *unit_id,
                     bool district, bm_period_t period, bm_facts_actual_t *actual);

//  The previous year's figure for the same month (the district's own, else
//  the sum of its units' for an additive indicator). Returns 0 and sets
//  *found.
int
    bm_facts_baseline (PGconn *db, const bm_facts_indicator_t *indicator, const char *unit_id,
                       bool district, int year, int month, bool *found, bm_decimal_t *value);

//  Units (not the district) with a working target for the indicator
int
    bm_facts_units_expected (PGconn *db, const char *indicator_id, uint32_t *count);

//  Where the units' working targets of an additive indicator do not add up
//  to the district's: a warning for the wall, else NULL
char *
    bm_facts_decomposition_warning (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                                    const char *district_unit_id);

#endif
