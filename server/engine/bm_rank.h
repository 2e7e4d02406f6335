/*  bm_rank: rankings of units, per indicator and weighted over a set.

    Units are ranked on an indicator by completion against the month's
    expected value (the cell's vs_expected), ties sharing a rank; a unit
    that has not reported, or has nothing expected that month, is not
    ranked (it is overdue, never last); the bottom N are warned (后N名预警).
    A plan's
    weighted ranking scores each unit by the weighted average of its
    completions on the ranking's indicators (bm_ranking_overall).
*/
#ifndef BM_RANK_H_INCLUDED
#define BM_RANK_H_INCLUDED

#include "bm_arena.h"
#include "bm_book.h"
#include "bm_judge.h"
#include "bm_ranking.h"

typedef struct {
    size_t count;
    size_t ranked;              //  the first `ranked` entries have a rank; the
                                //  others have not reported (rank 0)
    bm_rank_entry_t *entries;   //  ranked, best first, then those not ranked
    bm_view_t *views;           //  each entry's cell, same order
} bm_rank_t;

//  Rank the units (not the district) with a working target for the
//  indicator measure in a month; bottom 0: the default. From the arena.
void
    bm_rank_indicator (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                       int month, size_t bottom, bm_arena_t *arena, bm_rank_t *rank);

//  Rank the units on a weighted ranking of the plan; bottom 0: the
//  ranking's. Entries from the arena, best first.
void
    bm_rank_weighted (const bm_book_plan_t *plan, const bm_book_ranking_t *ranking,
                      int month, size_t bottom, bm_arena_t *arena, bm_rank_t *rank);

#endif
