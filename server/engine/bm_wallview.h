/*  bm_wallview: the battle map as the wall shows it, built from judged
    cells: a district's (or a unit's) tasks for a month with every measure's
    numbers, and a unit's monthly template.

    The district's wall lists the battle map's tasks with the district's
    figures, and with `all` every other indicator it has a target for. A
    unit's wall lists the tasks it leads (as a lead section, or through its
    sections) and the indicators it has a target for, with its rank among
    the units. This is where typed cells become the strings of the wire.
*/
#ifndef BM_WALLVIEW_H_INCLUDED
#define BM_WALLVIEW_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_arena.h"
#include "bm_book.h"
#include "bm_judge.h"

//  A judged cell as the wall shows it; strings from the arena
void
    bm_wallview_measure (const bm_view_t *view, bm_arena_t *arena,
                         Battlemap__WallMeasure *out);

//  The wall of a unit (an index in the plan's district; the district unit
//  for the district's) for a month; as_of is the server's time
Battlemap__WallReply *
    bm_wallview_wall (const bm_book_plan_t *plan, int unit, int month, bool all,
                      const char *as_of, bm_arena_t *arena);

//  A unit's template for a month: the indicators it reports, with their
//  targets, the month's milestone and the last value it sent
Battlemap__TemplateReply *
    bm_wallview_template (const bm_book_plan_t *plan, int unit, int month, bm_arena_t *arena);

#endif
