/*  bm_scope: what a request names, resolved in the book. */

#include "bm_scope.h"
#include "bm_plan.h"
#include "bm_i18n.h"

#define E(name) BATTLEMAP__ERROR_CODE__##name

int
bm_scope_resolve (bm_request_t *request, const char *district, const char *period,
                  const char *unit, bm_scope_t *scope)
{
    *scope = (bm_scope_t) { .unit = -1 };
    const char *error;
    if (bm_period_parse (period, &scope->period, &error))
        return bm_request_error (request, E (MALFORMED), 0, _("period \"%s\": %s"), period, error);
    if (!unit || !*unit)
        unit = BM_DISTRICT_UNIT;
    bm_book_t *book = bm_engine_book (request->engine);
    bm_book_district_t *found = bm_book_district (book, district);
    if (!found)
        return bm_request_error (request, E (UNKNOWN_DISTRICT), 0,
                                 _("district \"%s\" is not known"), district);
    scope->plan = bm_book_plan (book, found, scope->period.year);
    if (!scope->plan)
        return bm_request_error (request, E (PERIOD_OUTSIDE_PLAN), 0,
                                 _("district %s has no plan for %d"), district, scope->period.year);
    scope->unit = bm_book_unit (found, unit);
    if (scope->unit < 0)
        return bm_request_error (request, E (UNKNOWN_UNIT), 0,
                                 _("unit \"%s\" is not a unit of district %s"), unit, district);
    scope->district = scope->unit == found->district_unit;
    return 0;
}

const char *
bm_scope_unit_name (const bm_scope_t *scope)
{
    return scope->plan->district->units [scope->unit].name;
}
