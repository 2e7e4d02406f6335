/*  bm_rank: rankings of units, per indicator and weighted over a set. */

#include "bm_rank.h"

#include <string.h>

void
bm_rank_indicator (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                   int month, size_t bottom, bm_arena_t *arena, bm_rank_t *rank)
{
    const bm_book_district_t *district = plan->district;
    size_t slots = district->unit_count + 1;
    rank->entries = bm_arena_alloc (arena, slots * sizeof (bm_rank_entry_t));
    rank->views = bm_arena_alloc (arena, slots * sizeof (bm_view_t));
    bm_view_t *views = bm_arena_alloc (arena, slots * sizeof (bm_view_t));
    size_t count = 0;
    for (size_t unit = 0; unit < district->unit_count; unit++) {
        const bm_book_slot_t *slot = bm_book_slot (indicator, (int) unit);
        if ((int) unit == district->district_unit || !slot || !slot->working_target)
            continue;
        bm_judge (plan, indicator, (int) unit, month, views + count);
        rank->entries [count] = (bm_rank_entry_t) {
            .unit = district->units [unit].name,
            .has_rate = views [count].cell.has_vs_expected,
            .rate_tenths = views [count].cell.vs_expected
        };
        count++;
    }
    rank->count = count;
    bm_ranking_rank (rank->entries, count, bottom);
    rank->ranked = 0;
    while (rank->ranked < count && rank->entries [rank->ranked].rank > 0)
        rank->ranked++;
    //  The entries moved: each finds its cell again by its name
    for (size_t index = 0; index < count; index++)
        for (size_t original = 0; original < count; original++)
            if (district->units [views [original].unit].name == rank->entries [index].unit)
                rank->views [index] = views [original];
}

void
bm_rank_weighted (const bm_book_plan_t *plan, const bm_book_ranking_t *ranking,
                  int month, size_t bottom, bm_arena_t *arena, bm_rank_t *rank)
{
    size_t indicators = ranking->count;
    bm_rank_t *ranks = bm_arena_alloc (arena, (indicators + 1) * sizeof (bm_rank_t));
    //  Every unit ranked on any member indicator takes part, in the order
    //  they first appear
    const char **units = bm_arena_alloc (arena, (plan->district->unit_count + 1)
                                                * sizeof (char *));
    size_t count = 0;
    for (size_t member = 0; member < indicators; member++) {
        bm_rank_indicator (plan, plan->indicators + ranking->indicators [member], month, 0,
                           arena, ranks + member);
        for (size_t index = 0; index < ranks [member].count; index++) {
            const char *unit = ranks [member].entries [index].unit;
            bool seen = false;
            for (size_t known = 0; known < count && !seen; known++)
                seen = streq (units [known], unit);
            if (!seen)
                units [count++] = unit;
        }
    }
    size_t slots = count? count: 1;
    bool *has_rate = bm_arena_alloc (arena, slots * (indicators + 1) * sizeof (bool));
    int64_t *rates = bm_arena_alloc (arena, slots * (indicators + 1) * sizeof (int64_t));
    bool *has_score = bm_arena_alloc (arena, slots * sizeof (bool));
    int64_t *scores = bm_arena_alloc (arena, slots * sizeof (int64_t));
    rank->entries = bm_arena_alloc (arena, slots * sizeof (bm_rank_entry_t));
    rank->views = NULL;
    for (size_t unit = 0; unit < count; unit++) {
        rank->entries [unit].unit = units [unit];
        for (size_t member = 0; member < indicators; member++)
            for (size_t index = 0; index < ranks [member].count; index++)
                if (streq (ranks [member].entries [index].unit, units [unit])) {
                    has_rate [unit * indicators + member] =
                        ranks [member].entries [index].has_rate;
                    rates [unit * indicators + member] =
                        ranks [member].entries [index].rate_tenths;
                }
    }
    bm_ranking_overall (count, indicators, ranking->weights, has_rate, rates, 0, has_score,
                        scores);
    for (size_t unit = 0; unit < count; unit++) {
        rank->entries [unit].has_rate = has_score [unit];
        rank->entries [unit].rate_tenths = scores [unit];
    }
    rank->count = count;
    bm_ranking_rank (rank->entries, count, bottom);
    rank->ranked = 0;
    while (rank->ranked < count && rank->entries [rank->ranked].rank > 0)
        rank->ranked++;
}
