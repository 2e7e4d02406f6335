/*  bm_cycle_requests: the clock, exceptions to the windows, a cell's history. */

#include "bm_cycle_requests.h"
#include "bm_scope.h"
#include "bm_cycle.h"
#include "bm_db.h"
#include "bm_deadlines.h"
#include "bm_plan.h"
#include "bm_windows.h"
#include "bm_wire.h"

#include <stdlib.h>
#include <string.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

//  ---------------------------------------------------------------------------
//  The clock

int
bm_cycle_clock (bm_request_t *request, const Battlemap__ClockRequest *clock)
{
    if (*clock->set) {
        int64_t when;
        const char *error;
        if (bm_time_parse (clock->set, &when, &error))
            return bm_request_error (request, E (MALFORMED), 0, "time \"%s\": %s",
                                     clock->set, error);
        if (bm_clock_set (request->clock, when))
            return bm_request_error (request, E (NOT_ALLOWED), 0,
                "this server's clock cannot be set (it was not started with --test-clock)");
        zsys_info ("clock set to %s by %s", clock->set, request->sender);
        //  The deadlines it crossed are settled before the reply, so that
        //  whoever moved the clock finds them noted
        if (bm_deadlines_check (request) < 0)
            return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    }
    Battlemap__ClockReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__clock_reply__init (reply);
    reply->now = bm_request_now (request);
    reply->settable = bm_clock_settable (request->clock);
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY;
    request->reply->clock_reply = reply;
    return 0;
}

//  ---------------------------------------------------------------------------
//  Resolving names

//  ---------------------------------------------------------------------------
//  Exceptions

static const char *s_exception_columns =
    "SELECT e.id, d.code, u.name, to_char (e.period, 'YYYY-MM'), e.kind,"
    " array_to_string (e.indicators, ','),"
    " to_char (e.until, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), e.status, e.reason, e.requested_by,"
    " to_char (e.requested_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), e.decided_by,"
    " coalesce (to_char (e.decided_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), ''), e.decision_reason"
    " FROM window_exception e JOIN unit u ON u.id = e.unit_id"
    " JOIN district d ON d.id = u.district_id ";

//  Replies with the exceptions of a result of s_exception_columns
static int
s_exception_reply (bm_request_t *request, PGresult *result)
{
    Battlemap__ExceptionReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__exception_reply__init (reply);
    size_t count = (size_t) PQntuples (result);
    reply->n_exceptions = count;
    reply->exceptions = (Battlemap__WindowException **)
        bm_arena_array (request->arena, count, sizeof (Battlemap__WindowException));
    for (size_t row = 0; row < count; row++) {
        Battlemap__WindowException *out = reply->exceptions [row];
        battlemap__window_exception__init (out);
        int r = (int) row;
        out->id = atoll (PQgetvalue (result, r, 0));
        out->district = bm_arena_strdup (request->arena, PQgetvalue (result, r, 1));
        out->unit = bm_arena_strdup (request->arena, PQgetvalue (result, r, 2));
        out->period = bm_arena_strdup (request->arena, PQgetvalue (result, r, 3));
        out->kind = bm_wire_kind_parse (PQgetvalue (result, r, 4));
        char *codes = bm_arena_strdup (request->arena, PQgetvalue (result, r, 5));
        size_t slots = 1;
        for (char *p = codes; *p; p++)
            slots += *p == ',';
        out->indicators = bm_arena_alloc (request->arena, slots * sizeof (char *));
        for (char *code = strtok (codes, ","); code; code = strtok (NULL, ","))
            out->indicators [out->n_indicators++] = code;
        out->until = bm_arena_strdup (request->arena, PQgetvalue (result, r, 6));
        out->status = bm_arena_strdup (request->arena, PQgetvalue (result, r, 7));
        out->reason = bm_arena_strdup (request->arena, PQgetvalue (result, r, 8));
        out->requested_by = bm_arena_strdup (request->arena, PQgetvalue (result, r, 9));
        out->requested_at = bm_arena_strdup (request->arena, PQgetvalue (result, r, 10));
        out->decided_by = bm_arena_strdup (request->arena, PQgetvalue (result, r, 11));
        out->decided_at = bm_arena_strdup (request->arena, PQgetvalue (result, r, 12));
        out->decision_reason = bm_arena_strdup (request->arena, PQgetvalue (result, r, 13));
    }
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_EXCEPTION_REPLY;
    request->reply->exception_reply = reply;
    return 0;
}

static int
s_exception_by_id (bm_request_t *request, const char *id)
{
    char *sql = zsys_sprintf ("%s WHERE e.id = $1", s_exception_columns);
    const char *params [] = { id };
    PGresult *result = bm_db_exec (request->db, sql, 1, params);
    free (sql);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    int rc = s_exception_reply (request, result);
    PQclear (result);
    return rc;
}

//  A new exception: reopened (granted at once) or requested
static int
s_exception_new (bm_request_t *request, const Battlemap__ExceptionRequest *exception,
                 bool reopen)
{
    bm_scope_t cell;
    if (bm_scope_resolve (request, exception->district, exception->period, exception->unit, &cell))
        return -1;
    if (exception->kind != BATTLEMAP__FIGURE_KIND__FORECAST
    &&  exception->kind != BATTLEMAP__FIGURE_KIND__FINAL)
        return bm_request_error (request, E (MALFORMED), 0,
                                 "say which window: forecast or final");
    if (!*exception->reason)
        return bm_request_error (request, E (REASON_REQUIRED), 0,
                                 "%s needs a reason", reopen? "reopening a window"
                                                            : "a request for an extension");
    int64_t until;
    const char *error;
    if (bm_time_parse (exception->until, &until, &error))
        return bm_request_error (request, E (MALFORMED), 0, "until \"%s\": %s",
                                 exception->until, error);
    if (until <= bm_clock_now (request->clock))
        return bm_request_error (request, E (MALFORMED), 0,
                                 "until %s is not in the future", exception->until);
    char *codes = bm_arena_strdup (request->arena, "{");
    for (size_t index = 0; index < exception->n_indicators; index++) {
        const char *params [] = { cell.plan_id, exception->indicators [index] };
        PGresult *known = bm_db_exec (request->db,
            "SELECT 1 FROM indicator WHERE plan_id = $1 AND code = $2", 2, params);
        bool found = known && PQntuples (known) > 0;
        if (known)
            PQclear (known);
        if (!found)
            return bm_request_error (request, E (UNKNOWN_INDICATOR), 0,
                                     "indicator \"%s\" is not in the plan",
                                     exception->indicators [index]);
        codes = bm_arena_printf (request->arena, "%s%s\"%s\"", codes, index? ",": "",
                                 exception->indicators [index]);
    }
    codes = bm_arena_printf (request->arena, "%s}", codes);
    char until_text [BM_TIME_STR_MAX];
    bm_time_format (until, until_text);
    const char *by = request->sender;        //  the authenticated key acts
    const char *now = bm_request_now (request);
    const char *params [] = { cell.unit_id, cell.period_date,
                              bm_wire_kind_name (exception->kind), codes, until_text,
                              reopen? "granted": "requested", exception->reason, by, now };
    PGresult *result = bm_db_exec (request->db, reopen
        ? "INSERT INTO window_exception (unit_id, period, kind, indicators, until, status,"
          " reason, requested_by, requested_at, decided_by, decided_at)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9) RETURNING id"
        : "INSERT INTO window_exception (unit_id, period, kind, indicators, until, status,"
          " reason, requested_by, requested_at)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id", 9, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    char *id = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 0));
    PQclear (result);
    zsys_info ("window %s: %s %s %s %s until %s by %s: %s", reopen? "reopened": "requested",
               exception->district, exception->unit, exception->period,
               bm_wire_kind_name (exception->kind), until_text, by, exception->reason);
    return s_exception_by_id (request, id);
}

//  The bureau's decision on a request
static int
s_exception_decide (bm_request_t *request, const Battlemap__ExceptionRequest *exception,
                    bool grant)
{
    if (!*exception->reason)
        return bm_request_error (request, E (REASON_REQUIRED), 0,
                                 "a decision on a request needs a reason");
    char id [24];
    snprintf (id, sizeof id, "%lld", (long long) exception->id);
    const char *params [] = { id };
    PGresult *result = bm_db_exec (request->db,
        "SELECT status FROM window_exception WHERE id = $1", 1, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    int rows = PQntuples (result);
    char *status = rows? bm_arena_strdup (request->arena, PQgetvalue (result, 0, 0)): NULL;
    PQclear (result);
    if (!rows)
        return bm_request_error (request, E (UNKNOWN_EXCEPTION), 0,
                                 "there is no exception %s", id);
    if (!streq (status, "requested"))
        return bm_request_error (request, E (NOT_ALLOWED), 0,
                                 "exception %s is %s already: only a request can be decided",
                                 id, status);
    char until_text [BM_TIME_STR_MAX] = "";
    if (*exception->until) {
        int64_t until;
        const char *error;
        if (bm_time_parse (exception->until, &until, &error))
            return bm_request_error (request, E (MALFORMED), 0, "until \"%s\": %s",
                                     exception->until, error);
        bm_time_format (until, until_text);
    }
    const char *by = request->sender;        //  the authenticated key acts
    const char *update [] = { id, grant? "granted": "refused", by, bm_request_now (request),
                              exception->reason, *until_text? until_text: NULL };
    if (bm_db_command (request->db,
            "UPDATE window_exception SET status = $2, decided_by = $3, decided_at = $4,"
            " decision_reason = $5, until = coalesce ($6::timestamptz, until) WHERE id = $1",
            6, update))
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    zsys_info ("exception %s %s by %s: %s", id, grant? "granted": "refused", by,
               exception->reason);
    return s_exception_by_id (request, id);
}

static int
s_exception_list (bm_request_t *request, const Battlemap__ExceptionRequest *exception)
{
    char *sql = zsys_sprintf ("%s WHERE d.code = $1 AND ($2 = '' OR u.name = $2)"
                              " AND ($3 = '' OR to_char (e.period, 'YYYY-MM') = $3)"
                              " ORDER BY e.id", s_exception_columns);
    const char *params [] = { exception->district, exception->unit, exception->period };
    PGresult *result = bm_db_exec (request->db, sql, 3, params);
    free (sql);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    int rc = s_exception_reply (request, result);
    PQclear (result);
    return rc;
}

int
bm_cycle_exception (bm_request_t *request, const Battlemap__ExceptionRequest *exception)
{
    switch (exception->action) {
        case BATTLEMAP__EXCEPTION_ACTION__REOPEN:
            return s_exception_new (request, exception, true);
        case BATTLEMAP__EXCEPTION_ACTION__REQUEST:
            return s_exception_new (request, exception, false);
        case BATTLEMAP__EXCEPTION_ACTION__GRANT:
            return s_exception_decide (request, exception, true);
        case BATTLEMAP__EXCEPTION_ACTION__REFUSE:
            return s_exception_decide (request, exception, false);
        case BATTLEMAP__EXCEPTION_ACTION__LIST:
            return s_exception_list (request, exception);
        default:
            return bm_request_error (request, E (MALFORMED), 0,
                "say what to do: reopen, request, grant, refuse or list");
    }
}

//  ---------------------------------------------------------------------------
//  History of a cell

int
bm_cycle_history (bm_request_t *request, const Battlemap__HistoryRequest *history)
{
    bm_scope_t cell;
    if (bm_scope_resolve (request, history->district, history->period, history->unit, &cell))
        return -1;
    const char *params [] = { cell.plan_id, history->indicator, history->measure,
                              cell.unit_id, cell.period_date };
    PGresult *result = bm_db_exec (request->db,
        "SELECT f.id, f.submission_id, f.kind, coalesce (f.value::text, ''),"
        " coalesce (f.status, ''), f.note, f.sender,"
        " to_char (f.received_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'),"
        " coalesce (lag (coalesce (f.value::text, f.status))"
        "   OVER (PARTITION BY f.kind ORDER BY f.id), ''),"
        " f.late, coalesce (f.exception_id, 0)"
        " FROM figure f JOIN indicator i ON i.id = f.indicator_id"
        " WHERE i.plan_id = $1 AND i.code = $2 AND i.measure = $3 AND f.unit_id = $4"
        " AND f.period = $5::date ORDER BY f.id", 5, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    Battlemap__HistoryReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__history_reply__init (reply);
    reply->district = history->district;
    reply->unit = *history->unit? history->unit: BM_DISTRICT_UNIT;
    reply->indicator = history->indicator;
    reply->measure = history->measure;
    reply->period = history->period;
    bm_windows_plan_t cycle;
    if (bm_windows_load (request->db, cell.plan_id, &cycle) == 0) {
        bm_windows_t windows;
        bm_cycle_windows (&cycle.cycle, cell.period, &windows);
        char buf [BM_TIME_STR_MAX];
        reply->forecast_deadline = bm_arena_strdup (request->arena,
            bm_cycle_deadline_text (windows.forecast_deadline, buf));
        reply->final_deadline = bm_arena_strdup (request->arena,
            bm_cycle_deadline_text (windows.final_deadline, buf));
        bm_windows_unload (&cycle);
    }
    size_t count = (size_t) PQntuples (result);
    reply->n_entries = count;
    reply->entries = (Battlemap__HistoryEntry **)
        bm_arena_array (request->arena, count, sizeof (Battlemap__HistoryEntry));
    for (size_t row = 0; row < count; row++) {
        Battlemap__HistoryEntry *entry = reply->entries [row];
        battlemap__history_entry__init (entry);
        int r = (int) row;
        entry->figure_id = atoll (PQgetvalue (result, r, 0));
        entry->submission_id = bm_arena_strdup (request->arena, PQgetvalue (result, r, 1));
        entry->kind = bm_wire_kind_parse (PQgetvalue (result, r, 2));
        entry->value = bm_arena_strdup (request->arena, PQgetvalue (result, r, 3));
        entry->status = bm_wire_status_parse (PQgetvalue (result, r, 4));
        entry->note = bm_arena_strdup (request->arena, PQgetvalue (result, r, 5));
        entry->sender = bm_arena_strdup (request->arena, PQgetvalue (result, r, 6));
        entry->received_at = bm_arena_strdup (request->arena, PQgetvalue (result, r, 7));
        entry->replaces = bm_arena_strdup (request->arena, PQgetvalue (result, r, 8));
        entry->late = *PQgetvalue (result, r, 9) == 't';
        entry->exception_id = atoll (PQgetvalue (result, r, 10));
    }
    PQclear (result);
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_HISTORY_REPLY;
    request->reply->history_reply = reply;
    return 0;
}
