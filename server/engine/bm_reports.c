/*  bm_reports: the monthly reports of the reporting cycle, from memory. */

#include "bm_reports.h"
#include "bm_accuracy.h"
#include "bm_cycle.h"
#include "bm_ranking.h"

#include <string.h>

bool
bm_reports_expected (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                     int unit)
{
    const bm_book_slot_t *slot = bm_book_slot (indicator, unit);
    if (!slot || !slot->working_target
    ||  indicator->kind == BM_KIND_RATIO || indicator->kind == BM_KIND_GROUP)
        return false;
    return unit != plan->district->district_unit || indicator->units_with_target == 0;
}

static int
s_by_name (const void *a, const void *b, void *district)
{
    const bm_book_unit_t *units = ((const bm_book_district_t *) district)->units;
    return strcmp (units [*(const int *) a].name, units [*(const int *) b].name);
}

int *
bm_reports_units_by_name (const bm_book_plan_t *plan)
{
    const bm_book_district_t *district = plan->district;
    int *units = (int *) zmalloc ((district->unit_count + 1) * sizeof (int));
    for (size_t unit = 0; unit < district->unit_count; unit++)
        units [unit] = (int) unit;
    qsort_r (units, district->unit_count, sizeof (int), s_by_name, (void *) district);
    return units;
}

//  ---------------------------------------------------------------------------

void
bm_reports_timeliness (const bm_book_plan_t *plan, int month, bm_arena_t *arena,
                       Battlemap__ReportReply *reply)
{
    bm_windows_t windows;
    bm_cycle_windows (&plan->cycle, (bm_period_t) { plan->year, month }, &windows);
    const bm_book_district_t *district = plan->district;
    int *units = bm_reports_units_by_name (plan);
    reply->timeliness = bm_arena_alloc (arena, (2 * district->unit_count + 1) * sizeof (void *));
    for (size_t index = 0; index < district->unit_count; index++) {
        int unit = units [index];
        Battlemap__TimelinessRow *rows [2] = { NULL, NULL };
        for (size_t at = 0; at < plan->indicator_count; at++) {
            const bm_book_indicator_t *indicator = plan->indicators + at;
            if (!bm_reports_expected (plan, indicator, unit))
                continue;
            const bm_book_month_t *cell = bm_book_slot (indicator, unit)->months + month - 1;
            for (int pass = 0; pass < 2; pass++) {
                if (!rows [pass]) {
                    rows [pass] = bm_arena_alloc (arena, sizeof (Battlemap__TimelinessRow));
                    battlemap__timeliness_row__init (rows [pass]);
                    rows [pass]->unit = bm_arena_strdup (arena, district->units [unit].name);
                    rows [pass]->kind = pass? BATTLEMAP__FIGURE_KIND__FINAL
                                            : BATTLEMAP__FIGURE_KIND__FORECAST;
                }
                bool received = cell->first_at [pass] != 0;
                bm_timely_t timely = bm_cycle_timeliness (&windows, pass == 1, received,
                                                          cell->first_at [pass]);
                Battlemap__TimelinessRow *row = rows [pass];
                row->expected++;
                if (timely == BM_TIMELY_ON_TIME)
                    row->on_time++;
                else
                if (timely == BM_TIMELY_LATE)
                    row->late++;
                else
                    row->missing++;
                row->received = row->on_time + row->late;
            }
        }
        for (int pass = 0; pass < 2; pass++)
            if (rows [pass])
                reply->timeliness [reply->n_timeliness++] = rows [pass];
    }
    free (units);
}

//  ---------------------------------------------------------------------------

void
bm_reports_accuracy (const bm_book_plan_t *plan, int month, bm_arena_t *arena,
                     Battlemap__ReportReply *reply)
{
    const bm_book_district_t *district = plan->district;
    int *units = bm_reports_units_by_name (plan);
    size_t slots = district->unit_count * plan->indicator_count + 1;
    Battlemap__AccuracyRow **details = bm_arena_alloc (arena, slots * sizeof (void *));
    int64_t *scores = bm_arena_alloc (arena, slots * sizeof (int64_t));
    bm_rank_entry_t *ranked = bm_arena_alloc (arena, (district->unit_count + 1)
                                                     * sizeof (bm_rank_entry_t));
    size_t *firsts = bm_arena_alloc (arena, (district->unit_count + 1) * sizeof (size_t));
    size_t *counts = bm_arena_alloc (arena, (district->unit_count + 1) * sizeof (size_t));
    size_t rows = 0, ranked_count = 0;
    char buf [BM_DECIMAL_STR_MAX];
    for (size_t index = 0; index < district->unit_count; index++) {
        int unit = units [index];
        if (unit == district->district_unit)
            continue;
        size_t first = rows;
        for (size_t at = 0; at < plan->indicator_count; at++) {
            const bm_book_indicator_t *indicator = plan->indicators + at;
            const bm_book_slot_t *slot = bm_book_slot (indicator, unit);
            if (!slot)
                continue;
            const bm_book_month_t *cell = slot->months + month - 1;
            const bm_number_t *forecast = cell->forecast_on_time.present
                                        ? &cell->forecast_on_time: &cell->forecast;
            if (!forecast->present || !cell->final.present)
                continue;
            Battlemap__AccuracyRow *line = bm_arena_alloc (arena, sizeof *line);
            battlemap__accuracy_row__init (line);
            line->unit = bm_arena_strdup (arena, district->units [unit].name);
            line->indicator = bm_arena_strdup (arena, indicator->code);
            line->indicator_name = bm_arena_strdup (arena, indicator->name);
            line->measure = bm_arena_strdup (arena, indicator->measure);
            line->forecast = bm_arena_strdup (arena, bm_number_format (forecast, buf));
            line->final = bm_arena_strdup (arena, bm_number_format (&cell->final, buf));
            bm_accuracy_t accuracy;
            bm_accuracy_score (forecast->value, cell->final.value, &accuracy);
            if (accuracy.has_ape)
                line->ape = bm_arena_strdup (arena, bm_percent_format (accuracy.ape_tenths, buf));
            line->score = bm_arena_strdup (arena, bm_percent_format (accuracy.score_tenths, buf));
            scores [rows] = accuracy.score_tenths;
            details [rows++] = line;
        }
        if (rows == first)
            continue;
        firsts [ranked_count] = first;
        counts [ranked_count] = rows - first;
        ranked [ranked_count].unit = district->units [unit].name;
        ranked [ranked_count].has_rate = bm_accuracy_average (scores + first, rows - first,
                                                              &ranked [ranked_count].rate_tenths);
        ranked_count++;
    }
    free (units);
    //  Keep each unit's rows with it through the ranking's sort
    const char **names = bm_arena_alloc (arena, (ranked_count + 1) * sizeof (char *));
    for (size_t index = 0; index < ranked_count; index++)
        names [index] = ranked [index].unit;
    bm_ranking_rank (ranked, ranked_count, 0);
    reply->accuracy = bm_arena_alloc (arena, (ranked_count + rows + 1) * sizeof (void *));
    for (size_t index = 0; index < ranked_count; index++) {
        Battlemap__AccuracyRow *line = bm_arena_alloc (arena, sizeof *line);
        battlemap__accuracy_row__init (line);
        line->unit = (char *) ranked [index].unit;
        line->score = bm_arena_strdup (arena, bm_percent_format (ranked [index].rate_tenths, buf));
        line->rank = (uint32_t) ranked [index].rank;
        line->warned = ranked [index].warned;
        reply->accuracy [reply->n_accuracy++] = line;
        for (size_t original = 0; original < ranked_count; original++)
            if (names [original] == ranked [index].unit)
                for (size_t row = 0; row < counts [original]; row++)
                    reply->accuracy [reply->n_accuracy++] = details [firsts [original] + row];
    }
}
