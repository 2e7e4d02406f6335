/*  bm_deadlines: what happens when the clock passes a deadline.

    Every forecast and final deadline of every plan is announced once, as a
    "deadline" event, when the server's clock has passed it; at a month's
    final deadline the district's wall (every indicator) is frozen as that
    month's snapshot and a "snapshot" event goes out, and the deadline's
    alerts are raised (bm_alerts_deadline). Once a day the reminders go.
    The server calls this every second and right after its clock is set, so
    a test clock moved across a whole year catches up on every deadline in
    order; everything is queued in the turn.
*/
#ifndef BM_DEADLINES_H_INCLUDED
#define BM_DEADLINES_H_INCLUDED

#include "bm_engine.h"

//  Notes the deadlines the clock has passed. Returns how many.
int
    bm_deadlines_check (bm_engine_t *engine, bm_turn_t *turn);

#endif
