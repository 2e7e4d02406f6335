/*  bm_windows: is a figure inside its reporting window? */

#include "bm_windows.h"
#include "bm_exceptions.h"
#include "bm_i18n.h"

#define E(name) BATTLEMAP__ERROR_CODE__##name

int
bm_windows_check (bm_request_t *request, const bm_book_plan_t *plan, int unit_id,
                  const char *indicator_code, bm_period_t period, bool final,
                  const char *note, uint32_t index, bm_windows_pass_t *pass)
{
    *pass = (bm_windows_pass_t) { .late = false };
    if (bm_engine_backfill (request->engine))
        return 0;
    bm_windows_t windows;
    bm_cycle_windows (&plan->cycle, period, &windows);
    int64_t now = bm_clock_now (bm_engine_clock (request->engine));
    bm_window_t window = bm_cycle_window (&windows, final, now);
    if (window == BM_WINDOW_OPEN)
        return 0;
    char when [BM_TIME_STR_MAX], period_text [BM_PERIOD_STR_MAX];
    bm_period_format (period, period_text);
    const char *kind = final? "final": "forecast";
    if (window == BM_WINDOW_NOT_OPEN)
        return bm_request_error (request, E (WINDOW_NOT_OPEN), index,
            _("figure %u: the %s window for %s opens at %s"), index, kind, period_text,
            bm_time_format (final? windows.final_opens: windows.forecast_opens, when));

    //  Closed: an open exception for this unit, period, kind and indicator?
    const bm_exception_t *exception =
        bm_exceptions_open (bm_engine_exceptions (request->engine), unit_id, period, final,
                            indicator_code, now);
    char deadline [BM_TIME_STR_MAX];
    bm_cycle_deadline_text (final? windows.final_deadline: windows.forecast_deadline, deadline);
    if (!exception)
        return bm_request_error (request, E (WINDOW_CLOSED), index,
            _("figure %u: the %s deadline for %s passed at %s; ask the bureau to reopen "
            "the window (battlemap exception request)"), index, kind, period_text, deadline);
    if (!*note)
        return bm_request_error (request, E (REASON_REQUIRED), index,
            _("figure %u: the %s deadline for %s passed at %s: a figure sent under an "
            "exception needs its reason in the note"), index, kind, period_text, deadline);
    pass->late = true;
    pass->exception_id = exception->id;
    return 0;
}
