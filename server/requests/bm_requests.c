/*  bm_requests: the table the server dispatches with. */

#include "bm_requests.h"

#define BODY(name) BATTLEMAP__ENVELOPE__BODY_##name

static bool
s_always (const Battlemap__Envelope *envelope)
{
    return true;
}

//  A snapshot is read from the record
static bool
s_snapshot (const Battlemap__Envelope *envelope)
{
    return envelope->wall->snapshot;
}

//  The list reads the record (it holds the resolved alerts too)
static bool
s_alert_list (const Battlemap__Envelope *envelope)
{
    return envelope->alert->action == BATTLEMAP__ALERT_ACTION__LIST_ALERTS;
}

static const bm_dispatch_t s_table [] = {
    { BODY (SUBMIT),    "submit",    bm_req_submit,    NULL,         true },
    { BODY (PLAN_LOAD), "plan_load", bm_req_plan_load, s_always,     true },
    { BODY (WALL),      "wall",      bm_req_wall,      s_snapshot,   true },
    { BODY (TEMPLATE),  "template",  bm_req_template,  NULL,         true },
    { BODY (RANKING),   "ranking",   bm_req_ranking,   NULL,         true },
    { BODY (CLOCK),     "clock",     bm_req_clock,     NULL,         true },
    { BODY (EXCEPTION), "exception", bm_req_exception, NULL,         true },
    { BODY (HISTORY),   "history",   bm_req_history,   s_always,     true },
    { BODY (REPORT),    "report",    bm_req_report,    NULL,         true },
    { BODY (IDENTITY),  "identity",  bm_req_identity,  s_always,     true },
    { BODY (CATCHUP),   "catchup",   bm_req_catchup,   NULL,         false },
    { BODY (ALERT),     "alert",     bm_req_alert,     s_alert_list, true },
};

const bm_dispatch_t *
bm_requests_find (Battlemap__Envelope__BodyCase body)
{
    for (size_t index = 0; index < sizeof s_table / sizeof s_table [0]; index++)
        if (s_table [index].body == body)
            return s_table + index;
    return NULL;
}
