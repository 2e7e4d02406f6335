/*  bm_state: where one indicator measure stands for one unit in one month.

    Reads targets, milestones and figures from PostgreSQL and applies the
    domain rules of bm_completion. The district (全区) takes the figure
    reported for it where there is one, otherwise, for additive indicators,
    the sum of its units' figures; ratios and thresholds never sum. A unit's
    figure for a month is its latest final, or its latest forecast until a
    final arrives.
*/
#ifndef BM_STATE_H_INCLUDED
#define BM_STATE_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_arena.h"
#include "bm_period.h"
#include <libpq-fe.h>
#include <stdbool.h>

//  Fill `measure` (allocated by the caller, strings from `arena`) for the
//  indicator row `indicator_id` and unit `unit_id` (the district's 全区
//  unit when `district` is true) in `period`. Returns 0 or -1.
int
    bm_state_measure (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                      const char *unit_id, bool district, bm_period_t period,
                      Battlemap__WallMeasure *measure);

//  Recompute and store the completion row for a unit (or the district) and
//  fill a completion event for it. Returns 0 or -1.
//  The measure it computed is returned in *measure (from the arena) when
//  measure is not NULL.
int
    bm_state_update (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                     const char *unit_id, bool district, bm_period_t period,
                     Battlemap__CompletionEvent *event, Battlemap__WallMeasure **measure);

#endif
