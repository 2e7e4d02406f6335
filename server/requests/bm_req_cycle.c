/*  bm_req_cycle: the reporting cycle's requests: the clock, exceptions to
    the windows, a cell's history, and the monthly reports. */

#include "bm_requests.h"
#include "bm_cycle.h"
#include "bm_deadlines.h"
#include "bm_exceptions.h"
#include "bm_plan.h"
#include "bm_reports.h"
#include "bm_scope.h"
#include "bm_store_read.h"
#include "bm_wire.h"
#include "bm_i18n.h"

#include <string.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

//  ---------------------------------------------------------------------------
//  The clock

int
bm_req_clock (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    const Battlemap__ClockRequest *clock = envelope->clock;
    bm_clock_t *server_clock = bm_engine_clock (request->engine);
    if (*clock->set) {
        int64_t when;
        const char *error;
        if (bm_time_parse (clock->set, &when, &error))
            return bm_request_error (request, E (MALFORMED), 0, _("time \"%s\": %s"),
                                     clock->set, error);
        if (bm_clock_set (server_clock, when))
            return bm_request_error (request, E (NOT_ALLOWED), 0,
                _("this server's clock cannot be set (it was not started with --test-clock)"));
        zsys_info ("clock set to %s by %s", clock->set, request->sender);
        //  The deadlines it crossed are settled before the reply, so that
        //  whoever moved the clock finds them noted
        bm_deadlines_check (request->engine, request->turn);
    }
    Battlemap__ClockReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__clock_reply__init (reply);
    reply->now = bm_request_now (request);
    reply->settable = bm_clock_settable (server_clock);
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY;
    request->reply->clock_reply = reply;
    return 0;
}

//  ---------------------------------------------------------------------------
//  Exceptions

static int
s_exception_reply (bm_request_t *request, const bm_exception_t **exceptions, size_t count)
{
    Battlemap__ExceptionReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__exception_reply__init (reply);
    reply->n_exceptions = count;
    reply->exceptions = (Battlemap__WindowException **)
        bm_arena_array (request->arena, count, sizeof (Battlemap__WindowException));
    for (size_t index = 0; index < count; index++) {
        battlemap__window_exception__init (reply->exceptions [index]);
        bm_exceptions_fill (exceptions [index], request->arena, reply->exceptions [index]);
    }
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_EXCEPTION_REPLY;
    request->reply->exception_reply = reply;
    return 0;
}

//  A new exception: reopened (granted at once) or requested
static int
s_exception_new (bm_request_t *request, const Battlemap__ExceptionRequest *exception,
                 bool reopen)
{
    bm_scope_t cell;
    if (bm_scope_resolve (request, exception->district, exception->period, exception->unit,
                          &cell))
        return -1;
    if (exception->kind != BATTLEMAP__FIGURE_KIND__FORECAST
    &&  exception->kind != BATTLEMAP__FIGURE_KIND__FINAL)
        return bm_request_error (request, E (MALFORMED), 0,
                                 _("say which window: forecast or final"));
    if (!*exception->reason)
        return bm_request_error (request, E (REASON_REQUIRED), 0,
                                 reopen? _("reopening a window needs a reason")
                                        : _("a request for an extension needs a reason"));
    int64_t until;
    const char *error;
    if (bm_time_parse (exception->until, &until, &error))
        return bm_request_error (request, E (MALFORMED), 0, _("until \"%s\": %s"),
                                 exception->until, error);
    int64_t now = bm_clock_now (bm_engine_clock (request->engine));
    if (until <= now)
        return bm_request_error (request, E (MALFORMED), 0,
                                 _("until %s is not in the future"), exception->until);
    for (size_t index = 0; index < exception->n_indicators; index++) {
        bool found = false;
        for (size_t at = 0; at < cell.plan->indicator_count && !found; at++)
            found = streq (cell.plan->indicators [at].code, exception->indicators [index]);
        if (!found)
            return bm_request_error (request, E (UNKNOWN_INDICATOR), 0,
                                     _("indicator \"%s\" is not in the plan"),
                                     exception->indicators [index]);
    }
    //  The authenticated key acts
    bm_exception_t fresh = {
        .id = bm_engine_next_row (request->engine, BM_ROW_EXCEPTION),
        .unit_id = cell.plan->district->units [cell.unit].id,
        .district = cell.plan->district->code, .unit = bm_scope_unit_name (&cell),
        .period = cell.period, .final = exception->kind == BATTLEMAP__FIGURE_KIND__FINAL,
        .indicators = exception->indicators, .indicator_count = exception->n_indicators,
        .until = until, .status = reopen? "granted": "requested", .reason = exception->reason,
        .requested_by = request->sender, .requested_at = now,
        .decided_by = reopen? request->sender: "", .decided_at = reopen? now: 0,
        .decision_reason = ""
    };
    const bm_exception_t *stored = bm_exceptions_add (bm_engine_exceptions (request->engine),
                                                      &fresh);
    bm_exceptions_queue (stored, request->turn->batch);
    char until_text [BM_TIME_STR_MAX];
    zsys_info ("window %s: %s %s %s %s until %s by %s: %s", reopen? "reopened": "requested",
               exception->district, exception->unit, exception->period,
               bm_wire_kind_name (exception->kind), bm_time_format (until, until_text),
               request->sender, exception->reason);
    return s_exception_reply (request, &stored, 1);
}

//  The bureau's decision on a request
static int
s_exception_decide (bm_request_t *request, const Battlemap__ExceptionRequest *exception,
                    bool grant)
{
    if (!*exception->reason)
        return bm_request_error (request, E (REASON_REQUIRED), 0,
                                 _("a decision on a request needs a reason"));
    bm_exception_t *found = bm_exceptions_find (bm_engine_exceptions (request->engine),
                                                exception->id);
    if (!found)
        return bm_request_error (request, E (UNKNOWN_EXCEPTION), 0,
                                 _("there is no exception %lld"), (long long) exception->id);
    if (!streq (found->status, "requested"))
        return bm_request_error (request, E (NOT_ALLOWED), 0,
                                 _("exception %lld is %s already: only a request can be decided"),
                                 (long long) exception->id, found->status);
    int64_t until = 0;
    if (*exception->until) {
        const char *error;
        if (bm_time_parse (exception->until, &until, &error))
            return bm_request_error (request, E (MALFORMED), 0, _("until \"%s\": %s"),
                                     exception->until, error);
    }
    bm_exceptions_decide (bm_engine_exceptions (request->engine), found, grant,
                          request->sender, bm_clock_now (bm_engine_clock (request->engine)),
                          exception->reason, until);
    bm_exceptions_queue (found, request->turn->batch);
    zsys_info ("exception %lld %s by %s: %s", (long long) exception->id,
               grant? "granted": "refused", request->sender, exception->reason);
    const bm_exception_t *decided = found;
    return s_exception_reply (request, &decided, 1);
}

static int
s_exception_list (bm_request_t *request, const Battlemap__ExceptionRequest *exception)
{
    bm_exceptions_t *all = bm_engine_exceptions (request->engine);
    size_t count = 0;
    for (const bm_exception_t *item = bm_exceptions_first (all); item;
         item = bm_exceptions_next (all))
        count++;
    const bm_exception_t **listed = bm_arena_alloc (request->arena,
                                                    (count + 1) * sizeof (void *));
    count = 0;
    for (const bm_exception_t *item = bm_exceptions_first (all); item;
         item = bm_exceptions_next (all)) {
        char period [BM_PERIOD_STR_MAX];
        bm_period_format (item->period, period);
        if (streq (item->district, exception->district)
        &&  (!*exception->unit || streq (item->unit, exception->unit))
        &&  (!*exception->period || streq (period, exception->period)))
            listed [count++] = item;
    }
    return s_exception_reply (request, listed, count);
}

int
bm_req_exception (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    const Battlemap__ExceptionRequest *exception = envelope->exception;
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
                _("say what to do: reopen, request, grant, refuse or list"));
    }
}

//  ---------------------------------------------------------------------------
//  History of a cell

//  The deadlines of a month, as the cycle's replies give them
static void
s_deadlines (bm_request_t *request, const bm_book_plan_t *plan, bm_period_t period,
             char **forecast, char **final)
{
    bm_windows_t windows;
    bm_cycle_windows (&plan->cycle, period, &windows);
    char buf [BM_TIME_STR_MAX];
    *forecast = bm_arena_strdup (request->arena,
                                 bm_cycle_deadline_text (windows.forecast_deadline, buf));
    *final = bm_arena_strdup (request->arena,
                              bm_cycle_deadline_text (windows.final_deadline, buf));
}

int
bm_req_history (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    const Battlemap__HistoryRequest *history = envelope->history;
    bm_scope_t cell;
    if (bm_scope_resolve (request, history->district, history->period, history->unit, &cell))
        return -1;
    Battlemap__HistoryReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__history_reply__init (reply);
    reply->district = history->district;
    reply->unit = *history->unit? history->unit: BM_DISTRICT_UNIT;
    reply->indicator = history->indicator;
    reply->measure = history->measure;
    reply->period = history->period;
    s_deadlines (request, cell.plan, cell.period, &reply->forecast_deadline,
                 &reply->final_deadline);
    //  An indicator the plan does not have has no history
    const bm_book_indicator_t *indicator = bm_book_indicator (cell.plan, history->indicator,
                                                              history->measure);
    const bm_book_slot_t *slot = indicator? bm_book_slot (indicator, cell.unit): NULL;
    const bm_book_month_t *month = slot? slot->months + cell.period.month - 1: NULL;
    if (month
    &&  bm_store_history (bm_store_db (request->store), request->arena, month->ids,
                          month->id_count, reply))
        return bm_request_error (request, E (INTERNAL), 0, _("database error; retry later"));
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_HISTORY_REPLY;
    request->reply->history_reply = reply;
    return 0;
}

//  ---------------------------------------------------------------------------
//  Reports

int
bm_req_report (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    const Battlemap__ReportRequest *report = envelope->report;
    bm_scope_t scope;
    if (bm_scope_resolve (request, report->district, report->period, "", &scope))
        return -1;
    Battlemap__ReportReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__report_reply__init (reply);
    reply->kind = report->kind;
    reply->district = report->district;
    reply->district_name = bm_arena_strdup (request->arena, scope.plan->district->name);
    reply->period = report->period;
    s_deadlines (request, scope.plan, scope.period, &reply->forecast_deadline,
                 &reply->final_deadline);
    reply->as_of = bm_request_now (request);
    if (report->kind == BATTLEMAP__REPORT_KIND__TIMELINESS)
        bm_reports_timeliness (scope.plan, scope.period.month, request->arena, reply);
    else
    if (report->kind == BATTLEMAP__REPORT_KIND__FORECAST_ACCURACY)
        bm_reports_accuracy (scope.plan, scope.period.month, request->arena, reply);
    else
        return bm_request_error (request, E (MALFORMED), 0,
                                 _("say which report: timeliness or forecast accuracy"));
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_REPORT_REPLY;
    request->reply->report_reply = reply;
    return 0;
}
