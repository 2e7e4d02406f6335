/*  bm_deadlines: what happens when the clock passes a deadline.

    Every forecast and final deadline of every plan is announced once, as a
    "deadline" event, when the server's clock has passed it; at a month's
    final deadline the district's wall (every indicator) is frozen as that
    month's snapshot and a "snapshot" event goes out. The server calls this
    every second and right after its clock is set, so a test clock moved
    across a whole year catches up on every deadline in order.
*/
#ifndef BM_DEADLINES_H_INCLUDED
#define BM_DEADLINES_H_INCLUDED

#include "bm_period.h"
#include "bm_request.h"

//  Notes deadlines passed by now and takes snapshots, in one transaction
//  per deadline; queues events on the request. Returns the number of
//  deadlines noted, or -1.
int
    bm_deadlines_check (bm_request_t *request);

//  The stored snapshot of a district's month, unpacked into the request's
//  arena; NULL if there is none.
Battlemap__WallReply *
    bm_deadlines_snapshot (bm_request_t *request, const char *plan_id, bm_period_t period,
                           char **taken_at);

#endif
