/*  bm_req_alert: list, acknowledge and silence alerts. */

#include "bm_requests.h"
#include "bm_alerting.h"
#include "bm_alert_rules.h"
#include "bm_cycle.h"
#include "bm_store_read.h"
#include "bm_i18n.h"

#define E(name) BATTLEMAP__ERROR_CODE__##name

static const char *s_rules [] = {
    "lagging", "report_due", "report_overdue", "bottom_rank", "trajectory", "text_overdue",
    NULL
};

static int
s_list (bm_request_t *request, const Battlemap__AlertRequest *alert)
{
    //  The filters, checked so that a typo is not an empty list
    bm_period_t period;
    const char *error;
    if (*alert->period && bm_period_parse (alert->period, &period, &error))
        return bm_request_error (request, E (MALFORMED), 0, _("period \"%s\": %s"),
                                 alert->period, error);
    bm_severity_t severity;
    if (*alert->severity && bm_severity_parse (alert->severity, &severity))
        return bm_request_error (request, E (MALFORMED), 0,
                                 _("severity \"%s\" is not info, warning or critical"),
                                 alert->severity);
    bool known = !*alert->rule;
    for (const char **rule = s_rules; *rule && !known; rule++)
        known = streq (*rule, alert->rule);
    if (!known)
        return bm_request_error (request, E (MALFORMED), 0,
                                 _("rule \"%s\" is not one of lagging, report_due, "
                                 "report_overdue, bottom_rank, trajectory, text_overdue"),
                                 alert->rule);
    Battlemap__AlertReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__alert_reply__init (reply);
    if (bm_store_alerts (bm_store_db (request->store), request->arena, 0, alert, reply))
        return bm_request_error (request, E (INTERNAL), 0, _("database error; retry later"));
    //  Indicators by their names
    bm_book_t *book = bm_engine_book (request->engine);
    bm_book_district_t *district = bm_book_district (book, alert->district);
    for (size_t index = 0; district && index < reply->n_alerts; index++) {
        Battlemap__Alert *one = reply->alerts [index];
        bm_period_t at;
        const bm_book_plan_t *plan = bm_period_parse (one->period, &at, NULL) == 0
                                   ? bm_book_plan (book, district, at.year): NULL;
        const bm_book_indicator_t *indicator = plan && *one->indicator
            ? bm_book_indicator (plan, one->indicator, one->measure): NULL;
        one->indicator_name = bm_arena_strdup (request->arena,
                                               indicator? indicator->name: "");
    }
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_ALERT_REPLY;
    request->reply->alert_reply = reply;
    return 0;
}

int
bm_req_alert (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    const Battlemap__AlertRequest *alert = envelope->alert;
    if (alert->action == BATTLEMAP__ALERT_ACTION__LIST_ALERTS)
        return s_list (request, alert);
    if (alert->action != BATTLEMAP__ALERT_ACTION__ACK
    &&  alert->action != BATTLEMAP__ALERT_ACTION__SILENCE)
        return bm_request_error (request, E (MALFORMED), 0,
                                 _("say what to do: list, ack or silence"));
    bool silence = alert->action == BATTLEMAP__ALERT_ACTION__SILENCE;
    if (!*alert->reason)
        return bm_request_error (request, E (REASON_REQUIRED), 0,
                                 silence? _("silencing an alert needs a reason")
                                        : _("acknowledging an alert needs a reason"));
    int64_t until = 0;
    if (silence) {
        const char *error;
        if (bm_time_parse (alert->until, &until, &error))
            return bm_request_error (request, E (MALFORMED), 0, _("until \"%s\": %s"),
                                     alert->until, error);
    }
    bm_alert_t *firing = bm_alerting_find (bm_engine_alerting (request->engine), alert->id);
    if (!firing)
        return bm_request_error (request, E (NOT_ALLOWED), 0,
                                 _("alert %lld is not firing"), (long long) alert->id);
    if (silence)
        bm_alerting_silence (request->turn, firing, request->sender, alert->reason, until);
    else
        bm_alerting_ack (request->turn, firing, bm_clock_now (bm_engine_clock (request->engine)),
                         request->sender, alert->reason);
    Battlemap__AlertReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__alert_reply__init (reply);
    reply->n_alerts = 1;
    reply->alerts = (Battlemap__Alert **) bm_arena_array (request->arena, 1,
                                                          sizeof (Battlemap__Alert));
    battlemap__alert__init (reply->alerts [0]);
    bm_alerting_fill (firing, request->arena, reply->alerts [0]);
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_ALERT_REPLY;
    request->reply->alert_reply = reply;
    return 0;
}
