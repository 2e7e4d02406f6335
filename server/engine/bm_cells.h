/*  bm_cells: a cell judged after something changed it, told to everyone.

    When a figure lands, or a deadline makes a district's sum complete, the
    cells it touched are judged again (bm_judge), each one's completion
    event is queued for the subscribers, and the alert rules are applied to
    it (bm_alerts). A unit's figure touches its own cell, the district's,
    and the cells of the ratios computed from it.
*/
#ifndef BM_CELLS_H_INCLUDED
#define BM_CELLS_H_INCLUDED

#include "bm_arena.h"
#include "bm_book.h"
#include "bm_engine.h"
#include "bm_turn.h"

//  Judge the cell of a unit (or the district) for an indicator measure in
//  a month, queue its completion event and apply its alerts. Returns its
//  completion against the annual target ("100.2", "" if none), from the
//  arena.
const char *
    bm_cells_publish (bm_engine_t *engine, bm_turn_t *turn, bm_arena_t *arena,
                      const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                      int unit, int month);

//  After a unit's figure for a month: its cell, the district's, and those
//  of the ratios computed from the indicator. Returns the unit's
//  completion against the annual target, from the arena.
const char *
    bm_cells_figure (bm_engine_t *engine, bm_turn_t *turn, bm_arena_t *arena,
                     const bm_book_plan_t *plan, const bm_book_indicator_t *indicator,
                     int unit, int month);

#endif
