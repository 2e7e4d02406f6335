/*  bm_cycle_requests: the reporting cycle's requests.

    The clock (read, or set on a test clock), exceptions to the reporting
    windows (the bureau reopens; a unit asks, the bureau grants or refuses),
    the history of a cell, and the monthly reports (timeliness, forecast
    accuracy; in bm_reports.c).
*/
#ifndef BM_CYCLE_REQUESTS_H_INCLUDED
#define BM_CYCLE_REQUESTS_H_INCLUDED

#include "bm_request.h"

int
    bm_cycle_clock (bm_request_t *request, const Battlemap__ClockRequest *clock);

int
    bm_cycle_exception (bm_request_t *request, const Battlemap__ExceptionRequest *exception);

int
    bm_cycle_history (bm_request_t *request, const Battlemap__HistoryRequest *history);

int
    bm_cycle_report (bm_request_t *request, const Battlemap__ReportRequest *report);

#endif
