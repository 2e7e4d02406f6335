/*  Alerts and their delivery, on a test clock through March and April 2023.
    A lagging unit fires once, is updated while its values move, does not
    flap around the threshold and resolves once; reminders, overdue reports
    and their inhibition of lagging alerts; the bottom five at the final
    deadline; year-end projections; an overdue text milestone; a restart in
    the middle loses and repeats nothing; followers stopped for a stretch,
    or with a receive high-water mark of 1, get every event exactly once and
    in order. Expected values are worked out by hand below. */

#include "harness.h"
#include "bm_follow.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define FORECAST BATTLEMAP__FIGURE_KIND__FORECAST
#define FINAL    BATTLEMAP__FIGURE_KIND__FINAL

static harness_t *s_server;
static char s_datadir [256];
static const char *s_prefixes [] = { "alert/qingpu/", "completion/qingpu/", NULL };

static void
s_start (const char *clock)
{
    s_server = harness_start_with (*s_datadir? s_datadir: NULL, true, "--test-clock",
                                   "--clock", clock, NULL);
    snprintf (s_datadir, sizeof s_datadir, "%s", s_server->datadir);
}

static int
s_teardown (void **state)
{
    harness_stop (&s_server, false);
    return 0;
}

static void
s_send (const char *unit, const char *indicator, const char *period,
        Battlemap__FigureKind kind, const char *value, Battlemap__MilestoneStatus status)
{
    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    harness_figure (&figure, id, unit, indicator, NULL, period, kind, value);
    figure.status = status;
    figure.note = "测试";
    Battlemap__Figure *figures [] = { &figure };
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_submit (client, figures, 1);
    bm_client_destroy (&client);
    if (reply->body_case != BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY)
        fail_msg ("%s %s %s refused: %s", unit, indicator, period, reply->error->message);
    bm_wire_free (&reply);
}

//  The bureau reopens a unit's March window
static void
s_reopen (const char *unit, Battlemap__FigureKind kind, const char *until)
{
    Battlemap__ExceptionRequest reopen = BATTLEMAP__EXCEPTION_REQUEST__INIT;
    reopen.action = BATTLEMAP__EXCEPTION_ACTION__REOPEN;
    reopen.district = "qingpu";
    reopen.unit = (char *) unit;
    reopen.period = "2023-03";
    reopen.kind = kind;
    reopen.until = (char *) until;
    reopen.reason = "补报";
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_EXCEPTION;
    request.exception = &reopen;
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_EXCEPTION_REPLY);
    bm_wire_free (&reply);
}

//  Alert events of a rule and unit in the log: "fired", "updated", "resolved"
static long
s_events (const char *rule, const char *unit, const char *period, const char *action)
{
    //  The log stores packed envelopes; the alert table says which alert it
    //  is, and each event row's topic names its unit: count from the table
    //  of alerts and the event log together
    const char *params [] = { rule, unit, period, action };
    return harness_count (s_server,
        "SELECT count (*) FROM event e WHERE e.kind = 'alert'"
        " AND e.topic LIKE 'alert/qingpu/' || $2 || '/%'"
        " AND position (convert_to ($1, 'UTF8') IN e.payload) > 0"
        " AND position (convert_to ($3, 'UTF8') IN e.payload) > 0"
        " AND position (convert_to ($4, 'UTF8') IN e.payload) > 0", 4, params);
}

static char *
s_alert (const char *rule, const char *unit, const char *period)
{
    const char *params [] = { rule, unit, period };
    return harness_scalar (s_server,
        "SELECT state || '|' || severity || '|' || value FROM alert"
        " WHERE rule = $1 AND unit = $2 AND period = $3 ORDER BY id DESC LIMIT 1", 3, params);
}

//  The bottom-rank alert of a unit on 规上工业总产值 in March
static char *
s_rank (const char *unit)
{
    const char *params [] = { unit };
    return harness_scalar (s_server,
        "SELECT state || '|' || severity || '|' || value FROM alert WHERE rule = 'bottom_rank'"
        " AND unit = $1 AND period = '2023-03' AND indicator = 'industrial-output'", 1, params);
}

static void
s_expect (char *actual, const char *expected)
{
    if (strcmp (actual, expected))
        fail_msg ("expected \"%s\", got \"%s\"", expected, actual);
    free (actual);
}

//  Follows everything to the end and returns the sequence numbers seen
static zlistx_t *
s_drain (bm_follow_t *follow, zlistx_t *seen)
{
    Battlemap__Envelope *envelope;
    while ((envelope = bm_follow_recv (follow, 2500, NULL))) {
        zlistx_add_end (seen, (void *) (uintptr_t) envelope->event->seq);
        bm_wire_free (&envelope);
    }
    return seen;
}

//  The sequence numbers the log holds for our prefixes, after `since`
static void
s_assert_exactly_the_log (zlistx_t *seen, uint64_t since)
{
    char after [24];
    snprintf (after, sizeof after, "%llu", (unsigned long long) since);
    const char *params [] = { after };
    PGresult *result = PQexecParams (s_server->db,
        "SELECT seq FROM event WHERE seq > $1::bigint AND (topic LIKE 'alert/qingpu/%'"
        " OR topic LIKE 'completion/qingpu/%') ORDER BY seq", 1, NULL, params, NULL, NULL, 0);
    assert_int_equal (PQresultStatus (result), PGRES_TUPLES_OK);
    int rows = PQntuples (result);
    if ((size_t) rows != zlistx_size (seen))
        fail_msg ("the log holds %d events, the follower saw %zu", rows, zlistx_size (seen));
    int row = 0;
    for (void *seq = zlistx_first (seen); seq; seq = zlistx_next (seen), row++)
        assert_int_equal ((uintptr_t) seq, strtoull (PQgetvalue (result, row, 0), NULL, 10));
    PQclear (result);
}

static void
test_alert_year (void **state)
{
    s_start ("2023-03-01T09:00:00+08:00");
    //  A follower from the very start, with a state file, stopped for a
    //  stretch below; another with a receive high-water mark of 1
    char *state_file = zsys_sprintf ("%s/follow.state", s_datadir);
    bm_follow_t *follow = bm_follow_new (s_server->router, s_server->pub, s_server->admin,
                                         s_server->server_key, s_prefixes, 0, false,
                                         state_file, 0);
    assert_non_null (follow);
    bm_follow_t *tiny = bm_follow_new (s_server->router, s_server->pub, s_server->admin,
                                       s_server->server_key, s_prefixes, 0, false, NULL, 1);
    assert_non_null (tiny);
    zlistx_t *seen = zlistx_new ();
    zlistx_t *tiny_seen = zlistx_new ();

    //  赵巷镇, 规上工业总产值 (17.2): March expects its share of the
    //  district's milestone, 17.2 * 426.7 / 1855.0 = 3.956 -> 4.0 (the
    //  indicator's precision)
    harness_set_clock (s_server, "2023-03-20T10:00:00+08:00");
    s_send ("赵巷镇", "industrial-output", "2023-03", FORECAST, "3.5", 0);   //  87.5 lagging
    s_expect (s_alert ("lagging", "赵巷镇", "2023-03"), "firing|critical|87.5");
    s_send ("赵巷镇", "industrial-output", "2023-03", FORECAST, "3.55", 0);  //  88.8: updated
    s_send ("赵巷镇", "industrial-output", "2023-03", FORECAST, "3.72", 0);  //  93.0: warning
    s_expect (s_alert ("lagging", "赵巷镇", "2023-03"), "firing|warning|93.0");
    //  Hovering around 100 on forecasts: no resolution until 101
    //  (hysteresis), no flapping
    s_send ("赵巷镇", "industrial-output", "2023-03", FORECAST, "4.01", 0);  //  100.3
    s_send ("赵巷镇", "industrial-output", "2023-03", FORECAST, "3.99", 0);  //  99.8
    s_expect (s_alert ("lagging", "赵巷镇", "2023-03"), "firing|warning|99.8");
    s_send ("赵巷镇", "industrial-output", "2023-03", FORECAST, "4.09", 0);  //  102.3
    s_expect (s_alert ("lagging", "赵巷镇", "2023-03"), "resolved|warning|99.8");
    assert_int_equal (s_events ("lagging", "赵巷镇", "2023-03", "fired"), 1);
    assert_int_equal (s_events ("lagging", "赵巷镇", "2023-03", "updated"), 4);
    assert_int_equal (s_events ("lagging", "赵巷镇", "2023-03", "resolved"), 1);
    //  The projection along the district's milestones (actual * 1855.0 /
    //  426.7, of 17.2): 88.5% at 3.5, fired; 101.3% at 4.01, a point above
    //  100: resolved; 100.8% at 3.99 does not fire again
    assert_int_equal (s_events ("trajectory", "赵巷镇", "2023-03", "fired"), 1);
    assert_int_equal (s_events ("trajectory", "赵巷镇", "2023-03", "resolved"), 1);

    //  The first follower stops here for a stretch
    s_drain (follow, seen);
    uint64_t stopped_at = bm_follow_cursor (follow);
    bm_follow_destroy (&follow);

    //  Reminders three days and one day before the 28th, for units owing
    //  forecasts; overdue once it has passed
    harness_set_clock (s_server, "2023-03-25T09:00:00+08:00");
    char *due = s_alert ("report_due", "徐泾镇", "2023-03");
    assert_non_null (strstr (due, "firing|info|"));
    free (due);
    harness_set_clock (s_server, "2023-03-27T09:00:00+08:00");
    assert_int_equal (s_events ("report_due", "徐泾镇", "2023-03", "fired"), 1);
    harness_set_clock (s_server, "2023-03-29T09:00:00+08:00");
    due = s_alert ("report_due", "徐泾镇", "2023-03");
    assert_non_null (strstr (due, "resolved|"));
    free (due);
    char *overdue = s_alert ("report_overdue", "徐泾镇", "2023-03");
    assert_non_null (strstr (overdue, "firing|warning|"));
    free (overdue);

    //  公安分局 owes one report (政务数据归集率): reopened, sent, resolved
    s_expect (s_alert ("report_overdue", "公安分局", "2023-03"), "firing|warning|1/1");
    s_reopen ("公安分局", FORECAST, "2023-03-31T18:00:00+08:00");
    s_send ("公安分局", "data-collection-rate", "2023-03", FORECAST, "98", 0);
    s_expect (s_alert ("report_overdue", "公安分局", "2023-03"), "resolved|warning|1/1");

    //  5 April, finals, each against its share of the March milestone
    //  (target * 426.7 / 1855.0, to 0.1): 徐泾镇 lags (10 of 14.6: 68.5)
    //  but its forecast is overdue, which inhibits the lagging alert
    harness_set_clock (s_server, "2023-04-05T10:00:00+08:00");
    s_send ("徐泾镇", "industrial-output", "2023-03", FINAL, "10", 0);
    s_expect (s_alert ("lagging", "徐泾镇", "2023-03"), "");
    s_send ("赵巷镇", "industrial-output", "2023-03", FINAL, "4.4", 0);     //  of 4.0: 110.0
    s_send ("华新镇", "industrial-output", "2023-03", FINAL, "57", 0);      //  of 52.3: 109.0
    s_send ("重固镇", "industrial-output", "2023-03", FINAL, "1.3", 0);     //  of 1.2: 108.3
    s_send ("朱家角镇", "industrial-output", "2023-03", FINAL, "21", 0);    //  of 20.5: 102.4
    s_send ("白鹤镇", "industrial-output", "2023-03", FINAL, "16", 0);      //  of 16.5: 97.0
    s_send ("练塘镇", "industrial-output", "2023-03", FINAL, "17", 0);      //  of 18.0: 94.4
    //  Seven of twelve: the district's sum is partial, and no alert fires on it
    s_expect (s_alert ("lagging", "全区", "2023-03"), "");

    //  11 April: March's final deadline passed. The seven that reported are
    //  ranked on 规上工业总产值 (赵巷镇 110.0, 华新镇 109.0, 重固镇 108.3,
    //  朱家角镇 102.4, 白鹤镇 97.0, 练塘镇 94.4, 徐泾镇 68.5): the bottom five
    //  are warned. The five that have not reported are overdue, not ranked.
    harness_set_clock (s_server, "2023-04-11T09:00:00+08:00");
    s_expect (s_rank ("重固镇"), "firing|warning|3/7");
    s_expect (s_rank ("徐泾镇"), "firing|warning|7/7");
    s_expect (s_rank ("华新镇"), "");
    s_expect (s_rank ("赵巷镇"), "");
    s_expect (s_rank ("金泽镇"), "");
    char *owed = s_alert ("report_overdue", "金泽镇", "2023-03");
    assert_non_null (strstr (owed, "firing|warning|"));
    free (owed);
    //  智能工厂's Q1 text milestone was not reported done: overdue
    char *text = s_alert ("text_overdue", "全区", "2023-03");
    assert_non_null (strstr (text, "firing|critical|"));
    free (text);

    //  A restart in the middle: nothing lost, nothing repeated
    long alerts_before = harness_count (s_server, "SELECT count (*) FROM alert", 0, NULL);
    long events_before = harness_count (s_server, "SELECT count (*) FROM event", 0, NULL);
    harness_stop (&s_server, true);
    s_start ("2023-04-11T09:00:00+08:00");
    assert_int_equal (harness_count (s_server, "SELECT count (*) FROM alert", 0, NULL),
                      alerts_before);
    assert_int_equal (harness_count (s_server, "SELECT count (*) FROM event", 0, NULL),
                      events_before);
    //  The district's sum was partial (未齐) until the final deadline, and
    //  no alert fired on it; judged then: 4.4 + 10 + 57 + 1.3 + 21 + 16 +
    //  17 = 126.7 of 426.7: 29.7%. After the restart it resolves, once,
    //  with 青浦工业园区's 420: 546.7 of 426.7
    s_expect (s_alert ("lagging", "全区", "2023-03"), "firing|critical|29.7");
    s_reopen ("青浦工业园区", FINAL, "2023-04-15T18:00:00+08:00");
    s_send ("青浦工业园区", "industrial-output", "2023-03", FINAL, "420", 0);
    char *district = s_alert ("lagging", "全区", "2023-03");
    assert_non_null (strstr (district, "resolved|"));
    free (district);
    assert_int_equal (s_events ("lagging", "全区", "2023-03", "resolved"), 1);
    //  The overdue text milestone resolves when done is reported
    s_send ("全区", "smart-factory", "2023-04", FORECAST, NULL, BATTLEMAP__MILESTONE_STATUS__DONE);
    text = s_alert ("text_overdue", "全区", "2023-03");
    assert_non_null (strstr (text, "resolved|"));
    free (text);
    //  Never two firing alerts for the same labels
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM (SELECT labels FROM alert WHERE state = 'firing'"
        " GROUP BY labels HAVING count (*) > 1) duplicates", 0, NULL), 0);

    //  The stopped follower resumes from its state file and gets exactly
    //  what it missed, in order, through the restart
    follow = bm_follow_new (s_server->router, s_server->pub, s_server->admin,
                            s_server->server_key, s_prefixes, 0, false, state_file, 0);
    assert_non_null (follow);
    assert_int_equal (bm_follow_cursor (follow) >= stopped_at, true);
    s_drain (follow, seen);
    s_assert_exactly_the_log (seen, 0);
    print_message ("  follower: %zu events in order, %llu catch-ups\n", zlistx_size (seen),
                   (unsigned long long) bm_follow_catchups (follow));
    bm_follow_destroy (&follow);

    //  The one with a high-water mark of 1 lost live events at the old
    //  server, then its connection: it catches up on the new one
    bm_follow_destroy (&tiny);
    tiny = bm_follow_new (s_server->router, s_server->pub, s_server->admin,
                          s_server->server_key, s_prefixes, 0, false, NULL, 1);
    s_drain (tiny, tiny_seen);
    s_assert_exactly_the_log (tiny_seen, 0);
    bm_follow_destroy (&tiny);
    zlistx_destroy (&seen);
    zlistx_destroy (&tiny_seen);
    free (state_file);
}

static void
test_tiny_high_water_mark_live (void **state)
{
    //  A burst of events to a follower that reads slowly through a
    //  high-water mark of 1: PUB drops, the follower loses nothing
    uint64_t start = harness_count (s_server, "SELECT coalesce (max (seq), 0) FROM event", 0, NULL);
    bm_follow_t *tiny = bm_follow_new (s_server->router, s_server->pub, s_server->admin,
                                       s_server->server_key, s_prefixes, start, false, NULL, 1);
    assert_non_null (tiny);
    zclock_sleep (300);
    const char *units [] = { "白鹤镇", "朱家角镇", "练塘镇", "金泽镇" };
    //  At or above their March finals (a cumulative figure does not fall)
    const char *values [] = { "17", "22", "18", "17" };
    for (int index = 0; index < 4; index++)
        s_send (units [index], "industrial-output", "2023-04", FORECAST, values [index], 0);
    zclock_sleep (500);         //  reading slowly: the burst is long over
    zlistx_t *seen = zlistx_new ();
    s_drain (tiny, seen);
    print_message ("  high-water mark 1: %zu events in order, %llu catch-ups\n",
                   zlistx_size (seen), (unsigned long long) bm_follow_catchups (tiny));
    s_assert_exactly_the_log (seen, start);
    assert_true (zlistx_size (seen) >= 16);
    bm_follow_destroy (&tiny);
    zlistx_destroy (&seen);
}

static Battlemap__Envelope *
s_alert_request (Battlemap__AlertAction action, const char *unit, int64_t id,
                 const char *until, const char *reason)
{
    Battlemap__AlertRequest alert = BATTLEMAP__ALERT_REQUEST__INIT;
    alert.action = action;
    alert.district = "qingpu";
    alert.unit = (char *) unit;
    alert.indicator = "industrial-output";
    alert.id = id;
    alert.until = (char *) until;
    alert.reason = (char *) reason;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_ALERT;
    request.alert = &alert;
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    assert_non_null (reply);
    return reply;
}

static void
test_ack_and_silence (void **state)
{
    //  白鹤镇's April forecast (17 of its share of the April milestone,
    //  71.9 * 576.0 / 1855.0 = 22.33 -> 22.3: 76.2%) is lagging
    Battlemap__Envelope *reply = s_alert_request (BATTLEMAP__ALERT_ACTION__LIST_ALERTS,
                                                  "白鹤镇", 0, "", "");
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ALERT_REPLY);
    int64_t lagging = 0;
    for (size_t index = 0; index < reply->alert_reply->n_alerts; index++)
        if (streq (reply->alert_reply->alerts [index]->rule, "lagging")
        &&  streq (reply->alert_reply->alerts [index]->period, "2023-04"))
            lagging = reply->alert_reply->alerts [index]->id;
    bm_wire_free (&reply);
    assert_true (lagging > 0);
    //  Acknowledged, with a reason
    reply = s_alert_request (BATTLEMAP__ALERT_ACTION__ACK, "", lagging, "", "");
    assert_int_equal (reply->error->code, BATTLEMAP__ERROR_CODE__REASON_REQUIRED);
    bm_wire_free (&reply);
    reply = s_alert_request (BATTLEMAP__ALERT_ACTION__ACK, "", lagging, "", "已电话督促");
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ALERT_REPLY);
    assert_non_null (strstr (reply->alert_reply->alerts [0]->acked_by, "admin"));
    assert_string_equal (reply->alert_reply->alerts [0]->ack_reason, "已电话督促");
    bm_wire_free (&reply);
    //  Silenced: its updates are kept quiet, its resolution is told
    reply = s_alert_request (BATTLEMAP__ALERT_ACTION__SILENCE, "", lagging,
                             "2023-05-01T00:00:00+08:00", "企业检修，月底补产");
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ALERT_REPLY);
    bm_wire_free (&reply);
    long updated = s_events ("lagging", "白鹤镇", "2023-04", "updated");
    s_send ("白鹤镇", "industrial-output", "2023-04", FORECAST, "17.5", 0);
    s_expect (s_alert ("lagging", "白鹤镇", "2023-04"), "firing|critical|78.5");
    assert_int_equal (s_events ("lagging", "白鹤镇", "2023-04", "updated"), updated);
    s_send ("白鹤镇", "industrial-output", "2023-04", FORECAST, "30", 0);    //  134.5
    s_expect (s_alert ("lagging", "白鹤镇", "2023-04"), "resolved|critical|78.5");
    assert_int_equal (s_events ("lagging", "白鹤镇", "2023-04", "resolved"), 1);
}

static void
test_rest_of_the_year (void **state)
{
    //  May to December: 赵巷镇 forecasts a little above its share of the
    //  month's district milestone (17.2 * milestone / 1855.0, to 0.1), 徐泾镇
    //  exactly half its share (63.6 * milestone / 1855.0) and never sends
    //  finals, nobody else reports
    static const double milestones [13] = { 0, 261, 261, 426.7, 576.0, 726.0, 890.4, 1015.4,
                                            1150.4, 1299, 1474.0, 1659.0, 1855 };
    for (int month = 5; month <= 12; month++) {
        char period [8], forecast_day [40], after_final [40], on_pace [24], half [24];
        snprintf (period, sizeof period, "2023-%02d", month);
        snprintf (forecast_day, sizeof forecast_day, "2023-%02d-20T10:00:00+08:00", month);
        if (month == 12)
            snprintf (after_final, sizeof after_final, "2024-01-11T09:00:00+08:00");
        else
            snprintf (after_final, sizeof after_final, "2023-%02d-11T09:00:00+08:00", month + 1);
        //  No share here falls on a .05: rounding in double is exact enough
        double share = (double) (long) (63.6 * milestones [month] / 1855.0 * 10 + 0.5) / 10;
        snprintf (on_pace, sizeof on_pace, "%.2f",
                  (double) (long) (17.2 * milestones [month] / 1855.0 * 10 + 0.5) / 10 + 0.01);
        snprintf (half, sizeof half, "%.2f", share / 2);
        harness_set_clock (s_server, forecast_day);
        s_send ("赵巷镇", "industrial-output", period, FORECAST, on_pace, 0);
        s_send ("徐泾镇", "industrial-output", period, FORECAST, half, 0);
        //  徐泾镇 lags (50.0%): critical; 赵巷镇 does not
        s_expect (s_alert ("lagging", "徐泾镇", period), "firing|critical|50.0");
        s_expect (s_alert ("lagging", "赵巷镇", period), "");
        harness_set_clock (s_server, after_final);
        //  The final deadline passed: 徐泾镇's finals are overdue; the units
        //  that reported nothing are overdue too, and not ranked (two
        //  ranked units are no ranking to warn the bottom five of)
        const char *params [] = { period };
        assert_int_equal (harness_count (s_server,
            "SELECT count (*) FROM alert WHERE rule = 'report_overdue' AND unit = '徐泾镇'"
            " AND period = $1 AND kind = 'final' AND state = 'firing'", 1, params), 1);
        assert_int_equal (harness_count (s_server,
            "SELECT count (*) FROM alert WHERE rule = 'report_overdue' AND unit = '金泽镇'"
            " AND period = $1 AND kind = 'final' AND state = 'firing'", 1, params), 1);
        assert_int_equal (harness_count (s_server,
            "SELECT count (*) FROM alert WHERE rule = 'bottom_rank' AND unit = '金泽镇'"
            " AND period = $1 AND indicator = 'industrial-output'", 1, params), 0);
        assert_int_equal (harness_count (s_server,
            "SELECT count (*) FROM alert WHERE rule = 'bottom_rank' AND unit = '赵巷镇'"
            " AND period = $1 AND indicator = 'industrial-output'", 1, params), 0);
    }
    //  智能工厂's quarterly text milestones were never reported done; its
    //  December milestone is a number (35家), judged as an amount instead
    const char *quarters [] = { "2023-06", "2023-09" };
    for (int index = 0; index < 2; index++) {
        const char *params [] = { quarters [index] };
        assert_int_equal (harness_count (s_server,
            "SELECT count (*) FROM alert WHERE rule = 'text_overdue' AND unit = '全区'"
            " AND indicator = 'smart-factory' AND period = $1 AND state = 'firing'"
            " AND severity = 'critical'", 1, params), 1);
    }
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM alert WHERE rule = 'text_overdue' AND indicator = 'smart-factory'"
        " AND period = '2023-12'", 0, NULL), 0);
    //  Every deadline of the year noted once; never two firing alerts for
    //  the same labels
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM deadline_passed d JOIN plan p ON p.id = d.plan_id"
        " WHERE p.code = 'qingpu-2023'", 0, NULL), 24);
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM (SELECT labels FROM alert WHERE state = 'firing'"
        " GROUP BY labels HAVING count (*) > 1) duplicates", 0, NULL), 0);
    print_message ("  the year: %ld alerts fired, %ld resolved\n",
                   harness_count (s_server, "SELECT count (*) FROM alert", 0, NULL),
                   harness_count (s_server,
                       "SELECT count (*) FROM alert WHERE state = 'resolved'", 0, NULL));
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_alert_year),
        cmocka_unit_test (test_tiny_high_water_mark_live),
        cmocka_unit_test (test_ack_and_silence),
        cmocka_unit_test (test_rest_of_the_year),
    };
    return cmocka_run_group_tests (tests, NULL, s_teardown);
}
