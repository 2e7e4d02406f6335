/*  bm_windows: is a figure inside its reporting window? */

#include "bm_windows.h"
#include "bm_db.h"

#include <stdlib.h>
#include <string.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

int
bm_windows_load (PGconn *db, const char *plan_id, bm_windows_plan_t *plan)
{
    *plan = (bm_windows_plan_t) { 0 };
    snprintf (plan->plan_id, sizeof plan->plan_id, "%s", plan_id);
    const char *params [] = { plan_id };
    PGresult *result = bm_db_exec (db,
        "SELECT forecast_day, final_day, deadline_rule FROM plan WHERE id = $1", 1, params);
    if (!result)
        return -1;
    if (PQntuples (result) != 1) {
        PQclear (result);
        return -1;
    }
    plan->cycle.forecast_day = atoi (PQgetvalue (result, 0, 0));
    plan->cycle.final_day = atoi (PQgetvalue (result, 0, 1));
    bm_deadline_rule_parse (PQgetvalue (result, 0, 2), &plan->cycle.rule);
    PQclear (result);
    result = bm_db_exec (db,
        "SELECT to_char (day, 'YYYY-MM-DD'), working FROM holiday WHERE plan_id = $1",
        1, params);
    if (!result)
        return -1;
    plan->calendar = bm_calendar_new ();
    for (int row = 0; row < PQntuples (result); row++) {
        bm_date_t day;
        if (bm_date_parse (PQgetvalue (result, row, 0), &day, NULL) == 0)
            bm_calendar_set (plan->calendar, day, *PQgetvalue (result, row, 1) == 't');
    }
    PQclear (result);
    plan->cycle.calendar = plan->calendar;
    return 0;
}

void
bm_windows_unload (bm_windows_plan_t *plan)
{
    bm_calendar_destroy (&plan->calendar);
}

int
bm_windows_check (bm_request_t *request, const bm_windows_plan_t *plan,
                  const char *unit_id, const char *indicator_code, bm_period_t period,
                  bool final, const char *note, uint32_t index, bm_windows_pass_t *pass)
{
    *pass = (bm_windows_pass_t) { 0 };
    if (request->backfill)
        return 0;
    bm_windows_t windows;
    bm_cycle_windows (&plan->cycle, period, &windows);
    int64_t now = bm_clock_now (request->clock);
    bm_window_t window = bm_cycle_window (&windows, final, now);
    if (window == BM_WINDOW_OPEN)
        return 0;
    char when [BM_TIME_STR_MAX], period_text [BM_PERIOD_STR_MAX];
    bm_period_format (period, period_text);
    const char *kind = final? "final": "forecast";
    if (window == BM_WINDOW_NOT_OPEN)
        return bm_request_error (request, E (WINDOW_NOT_OPEN), index,
            "figure %u: the %s window for %s opens at %s", index, kind, period_text,
            bm_time_format (final? windows.final_opens: windows.forecast_opens, when));

    //  Closed: an open exception for this unit, period, kind and indicator?
    char period_date [16], now_text [BM_TIME_STR_MAX];
    snprintf (period_date, sizeof period_date, "%s-01", period_text);
    bm_time_format (now, now_text);
    const char *params [] = { unit_id, period_date, kind, indicator_code, now_text };
    PGresult *result = bm_db_exec (request->db,
        "SELECT id FROM window_exception WHERE unit_id = $1 AND period = $2::date"
        " AND kind = $3 AND status = 'granted' AND until > $5::timestamptz"
        " AND (indicators = '{}' OR $4 = ANY (indicators))"
        " ORDER BY until DESC LIMIT 1", 5, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), index, "database error; retry later");
    bool excepted = PQntuples (result) == 1;
    if (excepted)
        snprintf (pass->exception_id, sizeof pass->exception_id, "%s", PQgetvalue (result, 0, 0));
    PQclear (result);
    char deadline [BM_TIME_STR_MAX];
    bm_cycle_deadline_text (final? windows.final_deadline: windows.forecast_deadline, deadline);
    if (!excepted)
        return bm_request_error (request, E (WINDOW_CLOSED), index,
            "figure %u: the %s deadline for %s passed at %s; ask the bureau to reopen "
            "the window (battlemap exception request)", index, kind, period_text, deadline);
    if (!*note)
        return bm_request_error (request, E (REASON_REQUIRED), index,
            "figure %u: the %s deadline for %s passed at %s: a figure sent under an "
            "exception needs its reason in the note", index, kind, period_text, deadline);
    pass->late = true;
    return 0;
}
