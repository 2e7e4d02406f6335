/*  bm_plan_judge: what a plan's figures are judged against besides their
    targets, from baselines.csv (the previous year's figures, for growth
    and qualitative targets and the seasonal projection) and rankings.csv
    (weighted overall rankings of the units). Both files are optional.
*/

#include "bm_plan_private.h"
#include "bm_period.h"
#include "bm_i18n.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>


//  --------------------------------------------------------------------------
//  baselines.csv

enum {
    BASELINE_INDICATOR, BASELINE_MEASURE, BASELINE_UNIT, BASELINE_PERIOD,
    BASELINE_VALUE, BASELINE_NOTE
};

static const bm_plan_column_t s_baseline_columns [] = {
    { "indicator", true, N_("write the indicator's code") },
    { "measure", false, NULL },
    { "unit", false, NULL },
    { "period", true, N_("write the month of the previous year, like 2022-06") },
    { "value", true, NULL },
    { "note", false, NULL },
    { NULL, false, NULL }
};

//  The period: YYYY-MM of the year before the plan's; false if it is not
static bool
s_baseline_period (bm_plan_table_t *table, bm_plan_baseline_t *baseline)
{
    free (bm_plan_table_string (table, BASELINE_PERIOD));      //  reported if empty
    const char *text = bm_plan_table_text (table, BASELINE_PERIOD);
    if (!*text || !bm_plan_table_usable (table, BASELINE_PERIOD))
        return false;
    int year = table->parser->plan->header.year;
    int previous = year? year - 1: 2022;
    bm_period_t period;
    const char *reason = NULL;
    if (bm_period_parse (text, &period, &reason) != 0) {
        bm_plan_table_fail (table, BASELINE_PERIOD,
                            _("period: \"%s\" is not YYYY-MM (%s): write a month of %d, "
                            "like %d-06"), text, reason, previous, previous);
        return false;
    }
    baseline->year = period.year;
    baseline->month = period.month;
    if (year && period.year != previous) {
        bm_plan_table_fail (table, BASELINE_PERIOD,
                            _("period %s is not in %d: a baseline is the previous year's "
                            "figure for the same month (the plan is for %d)"),
                            text, previous, year);
        return false;
    }
    return true;
}

void
bm_plan_read_baselines (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv)
{
    bm_plan_table_t table;
    bm_plan_table_start (&table, parser, BM_PLAN_FILE_BASELINES, name,
                         s_baseline_columns, -1, csv);
    if (!table.header)
        return;
    size_t rows = bm_csv_row_count (csv);
    bm_plan_t *plan = parser->plan;
    plan->baselines =
        (bm_plan_baseline_t *) bm_plan_allocate (rows, sizeof (bm_plan_baseline_t));
    zhashx_t *seen = zhashx_new ();
    for (size_t index = 1; index < rows; index++) {
        bm_plan_table_row (&table, bm_csv_row (csv, index));
        bm_plan_baseline_t *baseline = &plan->baselines [plan->baseline_count++];
        baseline->indicator = bm_plan_table_string (&table, BASELINE_INDICATOR);
        baseline->measure = bm_plan_table_string (&table, BASELINE_MEASURE);
        baseline->unit = bm_plan_table_string (&table, BASELINE_UNIT);
        if (!*baseline->unit) {
            free (baseline->unit);
            baseline->unit = strdup (BM_DISTRICT_UNIT);
        }
        const bm_plan_indicator_t *indicator =
            bm_plan_refer_indicator (&table, BASELINE_INDICATOR, BASELINE_MEASURE,
                                     baseline->indicator, baseline->measure);
        if (indicator)
            bm_plan_fit_baseline (&table, BASELINE_INDICATOR, indicator);
        bm_plan_refer_unit (&table, BASELINE_UNIT, baseline->unit, "unit");
        bool has_period = s_baseline_period (&table, baseline);
        bool has_value = bm_plan_table_decimal (&table, BASELINE_VALUE, &baseline->value);
        baseline->value_text =
            strdup (has_value? bm_plan_table_text (&table, BASELINE_VALUE): "");
        baseline->note = bm_plan_table_string (&table, BASELINE_NOTE);

        if (*baseline->indicator && has_period) {
            char *key = zsys_sprintf ("%s\x1f%s\x1f%s\x1f%d-%02d", baseline->indicator,
                                      baseline->measure, baseline->unit,
                                      baseline->year, baseline->month);
            char *measure = bm_plan_measure_phrase (baseline->measure);
            char *what = zsys_sprintf (_("a baseline of \"%s\"%s for %s in %d-%02d"),
                                       baseline->indicator, measure, baseline->unit,
                                       baseline->year, baseline->month);
            bm_plan_refer_duplicate (&table, seen, BASELINE_INDICATOR, key, what);
            free (key);
            free (measure);
            free (what);
        }
    }
    zhashx_destroy (&seen);
}


//  --------------------------------------------------------------------------
//  rankings.csv

enum {
    RANKING_NAME, RANKING_INDICATOR, RANKING_MEASURE, RANKING_WEIGHT,
    RANKING_BOTTOM, RANKING_NOTE
};

static const bm_plan_column_t s_ranking_columns [] = {
    { "ranking", true, N_("name the ranking, like 主要经济指标") },
    { "indicator", true, N_("write the indicator's code") },
    { "measure", false, NULL },
    { "weight", true, NULL },
    { "bottom", false, NULL },
    { "note", false, NULL },
    { NULL, false, NULL }
};

//  A ranking's bottom, where a row first gave it
typedef struct {
    int bottom;
    int line;
} s_bottom_t;

static void
s_free_bottom (void **item)
{
    free (*item);
    *item = NULL;
}

//  The weight: a number above 0
static void
s_ranking_weight (bm_plan_table_t *table, bm_plan_ranking_t *ranking)
{
    const char *text = bm_plan_table_text (table, RANKING_WEIGHT);
    bool has_weight = bm_plan_table_decimal (table, RANKING_WEIGHT, &ranking->weight);
    if (has_weight && ranking->weight.micros <= 0) {
        bm_plan_table_fail (table, RANKING_WEIGHT,
                            _("weight: \"%s\" must be above 0: give each indicator of "
                            "the ranking a positive weight, or leave it out"), text);
        has_weight = false;
    }
    ranking->weight_text = strdup (has_weight? text: "");
}

//  The bottom, if this row gives it: the same on every row that does
static void
s_ranking_bottom (bm_plan_table_t *table, bm_plan_ranking_t *ranking, zhashx_t *bottoms)
{
    if (!*bm_plan_table_text (table, RANKING_BOTTOM)
    ||  !bm_plan_table_whole (table, RANKING_BOTTOM, 1, 9999, &ranking->bottom)
    ||  !*ranking->ranking)
        return;
    s_bottom_t *first = (s_bottom_t *) zhashx_lookup (bottoms, ranking->ranking);
    if (!first) {
        first = (s_bottom_t *) zmalloc (sizeof (s_bottom_t));
        *first = (s_bottom_t) { .bottom = ranking->bottom, .line = table->row->line };
        zhashx_insert (bottoms, ranking->ranking, first);
    }
    else
    if (first->bottom != ranking->bottom)
        bm_plan_table_fail (table, RANKING_BOTTOM,
                            _("bottom %d differs from %d on line %d: ranking \"%s\" warns "
                            "one number of units, give it on one row"),
                            ranking->bottom, first->bottom, first->line, ranking->ranking);
}

void
bm_plan_read_rankings (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv)
{
    bm_plan_table_t table;
    bm_plan_table_start (&table, parser, BM_PLAN_FILE_RANKINGS, name,
                         s_ranking_columns, -1, csv);
    if (!table.header)
        return;
    size_t rows = bm_csv_row_count (csv);
    bm_plan_t *plan = parser->plan;
    plan->rankings = (bm_plan_ranking_t *) bm_plan_allocate (rows, sizeof (bm_plan_ranking_t));
    zhashx_t *seen = zhashx_new ();
    zhashx_t *bottoms = zhashx_new ();
    zhashx_set_destructor (bottoms, s_free_bottom);
    for (size_t index = 1; index < rows; index++) {
        bm_plan_table_row (&table, bm_csv_row (csv, index));
        bm_plan_ranking_t *ranking = &plan->rankings [plan->ranking_count++];
        ranking->ranking = bm_plan_table_string (&table, RANKING_NAME);
        ranking->indicator = bm_plan_table_string (&table, RANKING_INDICATOR);
        ranking->measure = bm_plan_table_string (&table, RANKING_MEASURE);
        const bm_plan_indicator_t *indicator =
            bm_plan_refer_indicator (&table, RANKING_INDICATOR, RANKING_MEASURE,
                                     ranking->indicator, ranking->measure);
        if (indicator)
            bm_plan_fit_ranking (&table, RANKING_INDICATOR, indicator);
        s_ranking_weight (&table, ranking);
        s_ranking_bottom (&table, ranking, bottoms);
        ranking->note = bm_plan_table_string (&table, RANKING_NOTE);

        if (*ranking->ranking && *ranking->indicator) {
            char *key = zsys_sprintf ("%s\x1f%s\x1f%s", ranking->ranking,
                                      ranking->indicator, ranking->measure);
            char *measure = bm_plan_measure_phrase (ranking->measure);
            char *what = zsys_sprintf (_("indicator \"%s\"%s in ranking \"%s\""),
                                       ranking->indicator, measure, ranking->ranking);
            bm_plan_refer_duplicate (&table, seen, RANKING_INDICATOR, key, what);
            free (key);
            free (measure);
            free (what);
        }
    }
    zhashx_destroy (&bottoms);
    zhashx_destroy (&seen);
}
