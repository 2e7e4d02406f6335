/*  bm_rank: rankings of units, per indicator and weighted over a set.

    Units are ranked on an indicator by completion against the month's
    expected value (bm_state's vs_milestone), ties sharing a rank, units
    that have not reported last; the bottom N are warned (后N名预警). A
    plan's weighted ranking scores each unit by the weighted average of its
    completions on the ranking's indicators (bm_ranking_overall).
*/
#ifndef BM_RANK_H_INCLUDED
#define BM_RANK_H_INCLUDED

#include "bm_period.h"
#include "bm_ranking.h"
#include "bm_request.h"

typedef struct {
    size_t count;
    bm_rank_entry_t *entries;           //  ranked, best first
    Battlemap__WallMeasure **measures;  //  each entry's state, same order
} bm_rank_t;

//  Rank the units (not the district) with a working target for the
//  indicator measure. Allocates from the arena. 0 or -1.
int
    bm_rank_indicator (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                       bm_period_t period, size_t bottom, bm_rank_t *rank);

//  The handler of RankingRequest
int
    bm_rank_handle (bm_request_t *request, const Battlemap__RankingRequest *ranking);

#endif
