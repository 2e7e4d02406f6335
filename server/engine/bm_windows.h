/*  bm_windows: is a figure inside its reporting window?

    A forecast for period M is accepted until the end of M's forecast day,
    a final from the first of M+1 until the end of M+1's final day, in
    Asia/Shanghai, with the plan's deadline rule and holidays (bm_cycle). A
    figure outside its window passes only under an exception granted for its
    unit, period, kind and indicator that is still open; it is then late and
    needs a reason in its note.
*/
#ifndef BM_WINDOWS_H_INCLUDED
#define BM_WINDOWS_H_INCLUDED

#include "bm_cycle.h"
#include "bm_request.h"

//  A plan's cycle: its days, rule and calendar
typedef struct {
    char plan_id [24];
    bm_calendar_t *calendar;
    bm_cycle_t cycle;
} bm_windows_plan_t;

int
    bm_windows_load (PGconn *db, const char *plan_id, bm_windows_plan_t *plan);

void
    bm_windows_unload (bm_windows_plan_t *plan);

typedef struct {
    bool late;                  //  outside the window, under an exception
    char exception_id [24];     //  "" if none
} bm_windows_pass_t;

//  Checks the figure `index` (for messages); 0 and fills pass, or -1 with
//  the request's error set.
int
    bm_windows_check (bm_request_t *request, const bm_windows_plan_t *plan,
                      const char *unit_id, const char *indicator_code, bm_period_t period,
                      bool final, const char *note, uint32_t index, bm_windows_pass_t *pass);

#endif
