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

#include "bm_book.h"
#include "bm_request.h"

typedef struct {
    bool late;                  //  outside the window, under an exception
    int64_t exception_id;       //  0 if none
} bm_windows_pass_t;

//  Checks the figure `index` (for messages) of the unit (its row id); 0
//  and fills pass, or -1 with the request's error set.
int
    bm_windows_check (bm_request_t *request, const bm_book_plan_t *plan, int unit_id,
                      const char *indicator_code, bm_period_t period, bool final,
                      const char *note, uint32_t index, bm_windows_pass_t *pass);

#endif
