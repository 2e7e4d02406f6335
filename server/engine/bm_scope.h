/*  bm_scope: what a request names, resolved in the book: a district, a
    period and the plan that covers it, and a unit (全区 by default).

    Every handler that takes a district and a period resolves them the same
    way and refuses them with the same typed errors.
*/
#ifndef BM_SCOPE_H_INCLUDED
#define BM_SCOPE_H_INCLUDED

#include "bm_book.h"
#include "bm_request.h"

typedef struct {
    bm_period_t period;
    bm_book_plan_t *plan;
    int unit;                   //  index in the plan's district
    bool district;              //  the unit is 全区
} bm_scope_t;

//  Resolves district code, period (YYYY-MM) and unit name ("" or NULL for
//  全区). Returns 0, or -1 with the request's error set: MALFORMED period,
//  UNKNOWN_DISTRICT, PERIOD_OUTSIDE_PLAN, UNKNOWN_UNIT.
int
    bm_scope_resolve (bm_request_t *request, const char *district, const char *period,
                      const char *unit, bm_scope_t *scope);

//  The unit's name
const char *
    bm_scope_unit_name (const bm_scope_t *scope);

#endif
