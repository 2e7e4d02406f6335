/*  bm_scope: what a request names, resolved. */

#include "bm_scope.h"
#include "bm_db.h"
#include "bm_plan.h"

#define E(name) BATTLEMAP__ERROR_CODE__##name

int
bm_scope_resolve (bm_request_t *request, const char *district, const char *period,
                  const char *unit, bm_scope_t *scope)
{
    *scope = (bm_scope_t) { .district = false };
    const char *error;
    if (bm_period_parse (period, &scope->period, &error))
        return bm_request_error (request, E (MALFORMED), 0, "period \"%s\": %s", period, error);
    snprintf (scope->period_date, sizeof scope->period_date, "%s-01", period);
    if (!unit || !*unit)
        unit = BM_DISTRICT_UNIT;
    char year [8];
    snprintf (year, sizeof year, "%d", scope->period.year);
    const char *params [] = { district, year, unit };
    PGresult *result = bm_db_exec (request->db,
        "SELECT d.name, p.id, u.id, u.kind = 'district', w.id FROM district d"
        " LEFT JOIN plan p ON p.district_id = d.id AND p.year = $2::integer"
        " LEFT JOIN unit u ON u.district_id = d.id AND u.name = $3"
        " LEFT JOIN unit w ON w.district_id = d.id AND w.kind = 'district'"
        " WHERE d.code = $1", 3, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    int rc = 0;
    if (PQntuples (result) == 0)
        rc = bm_request_error (request, E (UNKNOWN_DISTRICT), 0,
                               "district \"%s\" is not known", district);
    else
    if (PQgetisnull (result, 0, 1))
        rc = bm_request_error (request, E (PERIOD_OUTSIDE_PLAN), 0,
                               "district %s has no plan for %d", district, scope->period.year);
    else
    if (PQgetisnull (result, 0, 2))
        rc = bm_request_error (request, E (UNKNOWN_UNIT), 0,
                               "unit \"%s\" is not a unit of district %s", unit, district);
    else {
        snprintf (scope->district_name, sizeof scope->district_name, "%s",
                  PQgetvalue (result, 0, 0));
        snprintf (scope->plan_id, sizeof scope->plan_id, "%s", PQgetvalue (result, 0, 1));
        snprintf (scope->unit_id, sizeof scope->unit_id, "%s", PQgetvalue (result, 0, 2));
        scope->district = *PQgetvalue (result, 0, 3) == 't';
        snprintf (scope->district_unit_id, sizeof scope->district_unit_id, "%s",
                  PQgetvalue (result, 0, 4));
        snprintf (scope->unit_name, sizeof scope->unit_name, "%s", unit);
    }
    PQclear (result);
    return rc;
}
