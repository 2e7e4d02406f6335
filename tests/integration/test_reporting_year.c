/*  A reporting year on a test clock: forecasts and finals around their
    deadlines (on time, late, corrected, missing), every refusal, reopened
    windows and extensions asked, granted and refused, the history of a
    corrected cell, the timeliness table, forecast accuracy and its ranking,
    and a snapshot that later corrections leave alone. Expected values are
    worked out by hand below. */

#include "harness.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define FORECAST BATTLEMAP__FIGURE_KIND__FORECAST
#define FINAL    BATTLEMAP__FIGURE_KIND__FINAL
#define E(name)  BATTLEMAP__ERROR_CODE__##name

static harness_t *s_server;
static bm_watch_t *s_watch;

//  Each town sends with its own key, enrolled as its submitter
static const char *s_units [] = { "赵巷镇", "徐泾镇", "华新镇", "白鹤镇", "朱家角镇",
                                  "练塘镇", "重固镇" };
static zcert_t *s_certs [7];

static zcert_t *
s_cert (const char *unit)
{
    for (size_t index = 0; index < 7; index++)
        if (streq (s_units [index], unit))
            return s_certs [index];
    fail_msg ("no key for %s", unit);
    return NULL;
}

static int
s_setup (void **state)
{
    s_server = harness_start_with (NULL, true, "--test-clock",
                                   "--clock", "2023-01-03T09:00:00+08:00", NULL);
    s_watch = harness_watch (s_server, "snapshot/qingpu/", NULL);
    assert_non_null (s_watch);
    for (size_t index = 0; index < 7; index++) {
        char *name = zsys_sprintf ("%s统计员", s_units [index]);
        s_certs [index] = harness_enroll (s_server, name, "submitter", "qingpu",
                                          s_units [index], NULL);
        free (name);
    }
    zclock_sleep (300);
    return 0;
}

static int
s_teardown (void **state)
{
    bm_watch_destroy (&s_watch);
    for (size_t index = 0; index < 7; index++)
        zcert_destroy (&s_certs [index]);
    harness_stop (&s_server, false);
    return 0;
}

//  Sends one figure of 规上工业总产值; returns the reply to free
static Battlemap__Envelope *
s_send (const char *unit, const char *period, Battlemap__FigureKind kind,
        const char *value, const char *note)
{
    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    harness_figure (&figure, id, unit, "industrial-output", NULL, period, kind, value);
    figure.note = (char *) (note? note: "");
    Battlemap__Figure *figures [] = { &figure };
    bm_client_t *client = harness_client_as (s_server, s_cert (unit));
    Battlemap__Envelope *reply = bm_client_submit (client, figures, 1);
    bm_client_destroy (&client);
    assert_non_null (reply);
    return reply;
}

static Battlemap__FigureReceipt *
s_accepted (Battlemap__Envelope *reply)
{
    if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR)
        fail_msg ("refused: %s", reply->error->message);
    return reply->submit_reply->receipts [0];
}

static void
s_refused (Battlemap__Envelope *reply, Battlemap__ErrorCode code, const char *needle)
{
    if (reply->body_case != BATTLEMAP__ENVELOPE__BODY_ERROR)
        fail_msg ("accepted, expected %s", bm_wire_error_name (code));
    if (reply->error->code != code || !strstr (reply->error->message, needle))
        fail_msg ("expected %s with \"%s\", got %s: %s", bm_wire_error_name (code), needle,
                  bm_wire_error_name (reply->error->code), reply->error->message);
}

static Battlemap__Envelope *
s_exception (Battlemap__ExceptionAction action, const char *unit, Battlemap__FigureKind kind,
             const char *until, const char *reason, int64_t id)
{
    Battlemap__ExceptionRequest exception = BATTLEMAP__EXCEPTION_REQUEST__INIT;
    exception.action = action;
    exception.district = "qingpu";
    exception.unit = (char *) unit;
    exception.period = "2023-06";
    exception.kind = kind;
    char *indicators [] = { "industrial-output" };
    exception.indicators = indicators;
    exception.n_indicators = 1;
    exception.until = (char *) until;
    exception.reason = (char *) reason;
    exception.id = id;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_EXCEPTION;
    request.exception = &exception;
    //  A unit asks with its own key; the bureau decides with its own
    bm_client_t *client = action == BATTLEMAP__EXCEPTION_ACTION__REQUEST
                        ? harness_client_as (s_server, s_cert (unit))
                        : harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    assert_non_null (reply);
    return reply;
}

static Battlemap__Envelope *
s_report (Battlemap__ReportKind kind, const char *period)
{
    Battlemap__ReportRequest report = BATTLEMAP__REPORT_REQUEST__INIT;
    report.kind = kind;
    report.district = "qingpu";
    report.period = (char *) period;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_REPORT;
    request.report = &report;
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_REPORT_REPLY);
    return reply;
}

//  The district's 规上工业总产值 actual on the live wall or the snapshot
static char *
s_district_actual (const char *period, bool snapshot)
{
    Battlemap__WallRequest wall = BATTLEMAP__WALL_REQUEST__INIT;
    wall.district = "qingpu";
    wall.period = (char *) period;
    wall.snapshot = snapshot;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_WALL;
    request.wall = &wall;
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    if (reply->body_case != BATTLEMAP__ENVELOPE__BODY_WALL_REPLY)
        fail_msg ("wall refused: %s", reply->error->message);
    char *actual = NULL;
    for (size_t index = 0; index < reply->wall_reply->n_tasks; index++)
        if (streq (reply->wall_reply->tasks [index]->indicator, "industrial-output"))
            actual = strdup (reply->wall_reply->tasks [index]->measures [0]->actual);
    if (snapshot)
        assert_true (*reply->wall_reply->snapshot_at);
    bm_wire_free (&reply);
    assert_non_null (actual);
    return actual;
}

//  The seven towns' June forecasts and finals: accuracy is worked out below
static const char *s_towns [] = { "赵巷镇", "徐泾镇", "华新镇", "白鹤镇", "朱家角镇", "练塘镇" };
static const char *s_forecasts [] = { "8", "30", "112", "36", "45", "39" };
static const char *s_finals [] = { "8.6", "25", "110", "36", "40", "39" };

static void
test_june (void **state)
{
    //  20 June: forecasts are open; July's and June's finals are not
    harness_set_clock (s_server, "2023-06-20T10:00:00+08:00");
    for (size_t index = 0; index < 6; index++) {
        Battlemap__Envelope *reply = s_send (s_towns [index], "2023-06", FORECAST,
                                             s_forecasts [index], NULL);
        Battlemap__FigureReceipt *receipt = s_accepted (reply);
        assert_int_equal (receipt->outcome, BATTLEMAP__RECEIPT_OUTCOME__CREATED);
        assert_false (receipt->late);
        bm_wire_free (&reply);
    }
    Battlemap__Envelope *reply = s_send ("赵巷镇", "2023-07", FORECAST, "9", NULL);
    s_refused (reply, E (WINDOW_NOT_OPEN), "opens at 2023-07-01T00:00:00+08:00");
    bm_wire_free (&reply);
    reply = s_send ("赵巷镇", "2023-06", FINAL, "8.5", NULL);
    s_refused (reply, E (WINDOW_NOT_OPEN), "final window for 2023-06 opens at 2023-07-01");
    bm_wire_free (&reply);
    //  Without --period the CLI shows the server's month, not this computer's
    char *output = NULL;
    assert_int_equal (harness_cli (s_server, &output, "wall", "--district", "qingpu", NULL), 0);
    assert_non_null (strstr (output, "挂图作战 2023-06"));
    free (output);
    assert_int_equal (harness_cli (s_server, &output, "template", "--district", "qingpu",
                                   "--unit", "赵巷镇", NULL), 0);
    assert_non_null (strstr (output, ",2023-06,forecast,"));
    free (output);

    //  The last minute of the 28th: a new forecast updates the cell
    harness_set_clock (s_server, "2023-06-28T23:59:00+08:00");
    reply = s_send ("赵巷镇", "2023-06", FORECAST, "8.3", "修正预报");
    Battlemap__FigureReceipt *receipt = s_accepted (reply);
    assert_int_equal (receipt->outcome, BATTLEMAP__RECEIPT_OUTCOME__UPDATED);
    assert_string_equal (receipt->replaces, "8");
    bm_wire_free (&reply);

    //  29 June: the forecast deadline has passed for 重固镇
    harness_set_clock (s_server, "2023-06-29T08:00:00+08:00");
    reply = s_send ("重固镇", "2023-06", FORECAST, "2.4", "迟报");
    s_refused (reply, E (WINDOW_CLOSED), "forecast deadline for 2023-06 passed at 2023-06-28 24:00");
    bm_wire_free (&reply);

    //  It asks for an extension: refused, then asked again and granted
    reply = s_exception (BATTLEMAP__EXCEPTION_ACTION__REQUEST, "重固镇", FORECAST,
                         "2023-06-30T18:00:00+08:00", "系统故障，28日未能报送", 0);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_EXCEPTION_REPLY);
    int64_t first = reply->exception_reply->exceptions [0]->id;
    assert_string_equal (reply->exception_reply->exceptions [0]->status, "requested");
    bm_wire_free (&reply);
    reply = s_exception (BATTLEMAP__EXCEPTION_ACTION__REFUSE, "", 0, "", "", first);
    s_refused (reply, E (REASON_REQUIRED), "reason");
    bm_wire_free (&reply);
    reply = s_exception (BATTLEMAP__EXCEPTION_ACTION__REFUSE, "", 0, "", "请提供故障说明", first);
    assert_string_equal (reply->exception_reply->exceptions [0]->status, "refused");
    bm_wire_free (&reply);
    reply = s_send ("重固镇", "2023-06", FORECAST, "2.4", "迟报");
    s_refused (reply, E (WINDOW_CLOSED), "2023-06-28 24:00");
    bm_wire_free (&reply);
    reply = s_exception (BATTLEMAP__EXCEPTION_ACTION__REQUEST, "重固镇", FORECAST,
                         "2023-06-30T18:00:00+08:00", "系统故障，附区大数据中心说明", 0);
    int64_t second = reply->exception_reply->exceptions [0]->id;
    bm_wire_free (&reply);
    reply = s_exception (BATTLEMAP__EXCEPTION_ACTION__GRANT, "", 0, "", "同意", second);
    assert_string_equal (reply->exception_reply->exceptions [0]->status, "granted");
    bm_wire_free (&reply);
    reply = s_exception (BATTLEMAP__EXCEPTION_ACTION__GRANT, "", 0, "", "再次", first);
    s_refused (reply, E (NOT_ALLOWED), "refused already");
    bm_wire_free (&reply);
    //  Under the exception a figure needs its reason, and is late
    reply = s_send ("重固镇", "2023-06", FORECAST, "2.4", NULL);
    s_refused (reply, E (REASON_REQUIRED), "reason in the note");
    bm_wire_free (&reply);
    reply = s_send ("重固镇", "2023-06", FORECAST, "2.4", "经批准补报");
    receipt = s_accepted (reply);
    assert_true (receipt->late);
    bm_wire_free (&reply);

    //  5 July: finals
    harness_set_clock (s_server, "2023-07-05T10:00:00+08:00");
    for (size_t index = 0; index < 6; index++) {
        reply = s_send (s_towns [index], "2023-06", FINAL, s_finals [index], NULL);
        s_accepted (reply);
        bm_wire_free (&reply);
    }
    reply = s_send ("重固镇", "2023-06", FINAL, "2.5", NULL);
    s_accepted (reply);
    bm_wire_free (&reply);

    //  10 July, 23:00: 赵巷镇 corrects its final on time
    harness_set_clock (s_server, "2023-07-10T23:00:00+08:00");
    reply = s_send ("赵巷镇", "2023-06", FINAL, "8.7", "核对后修正");
    receipt = s_accepted (reply);
    assert_int_equal (receipt->outcome, BATTLEMAP__RECEIPT_OUTCOME__UPDATED);
    assert_string_equal (receipt->replaces, "8.6");
    assert_false (receipt->late);
    bm_wire_free (&reply);

    //  11 July: the final deadline has passed; June's wall is frozen
    harness_set_clock (s_server, "2023-07-11T09:00:00+08:00");
    char *topic = NULL;
    Battlemap__Envelope *event = NULL;
    //  Snapshots of January to May went out when the clock first jumped
    for (int month = 1; month <= 6; month++) {
        bm_wire_free (&event);
        zstr_free (&topic);
        event = bm_watch_recv (s_watch, 5000, &topic);
        assert_non_null (event);
    }
    assert_string_equal (topic, "snapshot/qingpu/");
    assert_string_equal (event->event->cycle->period, "2023-06");
    assert_string_equal (event->event->cycle->what, "snapshot");
    bm_wire_free (&event);
    zstr_free (&topic);
    //  8.7 + 25 + 110 + 36 + 40 + 39 + 2.5 = 261.2
    char *frozen = s_district_actual ("2023-06", true);
    assert_string_equal (frozen, "261.2");
    free (frozen);

    //  A correction after the deadline needs the bureau to reopen the window
    reply = s_send ("赵巷镇", "2023-06", FINAL, "8.9", "统计局核定数");
    s_refused (reply, E (WINDOW_CLOSED), "final deadline for 2023-06 passed at 2023-07-10 24:00");
    bm_wire_free (&reply);
    reply = s_exception (BATTLEMAP__EXCEPTION_ACTION__REOPEN, "赵巷镇", FINAL,
                         "2023-07-15T18:00:00+08:00", "统计局核定数与上报数不一致", 0);
    assert_string_equal (reply->exception_reply->exceptions [0]->status, "granted");
    int64_t reopened = reply->exception_reply->exceptions [0]->id;
    bm_wire_free (&reply);
    reply = s_send ("赵巷镇", "2023-06", FINAL, "8.9", "统计局核定数");
    receipt = s_accepted (reply);
    assert_int_equal (receipt->outcome, BATTLEMAP__RECEIPT_OUTCOME__UPDATED);
    assert_string_equal (receipt->replaces, "8.7");
    assert_true (receipt->late);
    bm_wire_free (&reply);

    //  The snapshot does not move; the live wall does
    frozen = s_district_actual ("2023-06", true);
    assert_string_equal (frozen, "261.2");
    free (frozen);
    char *live = s_district_actual ("2023-06", false);
    assert_string_equal (live, "261.4");
    free (live);

    //  The history of the corrected cell, oldest first
    Battlemap__HistoryRequest history = BATTLEMAP__HISTORY_REQUEST__INIT;
    history.district = "qingpu";
    history.unit = "赵巷镇";
    history.indicator = "industrial-output";
    history.period = "2023-06";
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_HISTORY;
    request.history = &history;
    bm_client_t *client = harness_client (s_server);
    reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_HISTORY_REPLY);
    Battlemap__HistoryReply *trail = reply->history_reply;
    assert_int_equal (trail->n_entries, 5);
    const char *values [] = { "8", "8.3", "8.6", "8.7", "8.9" };
    const char *replaces [] = { "", "8", "", "8.6", "8.7" };
    const char *times [] = { "2023-06-20T10:00:00+08:00", "2023-06-28T23:59:00+08:00",
                             "2023-07-05T10:00:00+08:00", "2023-07-10T23:00:00+08:00",
                             "2023-07-11T09:00:00+08:00" };
    for (size_t index = 0; index < 5; index++) {
        Battlemap__HistoryEntry *entry = trail->entries [index];
        assert_string_equal (entry->value, values [index]);
        assert_string_equal (entry->replaces, replaces [index]);
        assert_string_equal (entry->received_at, times [index]);
        //  Who sent it: the authenticated key and whose it is
        assert_non_null (strstr (entry->sender, "赵巷镇统计员"));
        assert_non_null (strstr (entry->sender, zcert_public_txt (s_cert ("赵巷镇"))));
        assert_int_equal (entry->late, index == 4);
    }
    assert_int_equal (trail->entries [4]->exception_id, reopened);
    assert_string_equal (trail->entries [4]->note, "统计局核定数");
    assert_string_equal (trail->forecast_deadline, "2023-06-28 24:00 (Asia/Shanghai)");
    bm_wire_free (&reply);
}

static void
test_june_timeliness (void **state)
{
    //  Each unit is expected to report every indicator it has a target for;
    //  counted here straight from the targets
    Battlemap__Envelope *reply = s_report (BATTLEMAP__REPORT_KIND__TIMELINESS, "2023-06");
    Battlemap__ReportReply *report = reply->report_reply;
    struct { const char *unit; Battlemap__FigureKind kind; uint32_t on_time, late; } cases [] = {
        { "赵巷镇", FORECAST, 1, 0 }, { "赵巷镇", FINAL, 1, 0 },
        { "重固镇", FORECAST, 0, 1 }, { "重固镇", FINAL, 1, 0 },
        { "徐泾镇", FORECAST, 1, 0 }, { "金泽镇", FORECAST, 0, 0 },
        { "金泽镇", FINAL, 0, 0 },
    };
    for (size_t index = 0; index < sizeof cases / sizeof cases [0]; index++) {
        const char *params [] = { cases [index].unit };
        long expected = harness_count (s_server,
            "SELECT count (DISTINCT t.indicator_id) FROM target t JOIN unit u ON u.id = t.unit_id"
            " JOIN indicator i ON i.id = t.indicator_id WHERE u.name = $1"
            " AND t.superseded_at IS NULL AND NOT t.no_target AND t.role = 'working'"
            " AND i.kind NOT IN ('ratio', 'group')", 1, params);
        assert_true (expected > 5);
        Battlemap__TimelinessRow *row = NULL;
        for (size_t line = 0; line < report->n_timeliness; line++)
            if (streq (report->timeliness [line]->unit, cases [index].unit)
            &&  report->timeliness [line]->kind == cases [index].kind)
                row = report->timeliness [line];
        assert_non_null (row);
        assert_int_equal (row->expected, expected);
        assert_int_equal (row->on_time, cases [index].on_time);
        assert_int_equal (row->late, cases [index].late);
        assert_int_equal (row->received, cases [index].on_time + cases [index].late);
        assert_int_equal (row->missing, expected - row->received);
    }
    bm_wire_free (&reply);
}

static void
test_june_forecast_accuracy (void **state)
{
    //  score = 100 - |forecast - final| / |final| * 100, the forecast being
    //  the last before the deadline (赵巷镇: 8.3, not the later finals):
    //  白鹤镇 36/36 100, 练塘镇 39/39 100, 华新镇 112/110 98.2,
    //  赵巷镇 8.3 vs the latest final 8.9: 6.7 -> 93.3, 重固镇 2.4/2.5 96.0,
    //  朱家角镇 45/40 87.5, 徐泾镇 30/25 80.0
    Battlemap__Envelope *reply = s_report (BATTLEMAP__REPORT_KIND__FORECAST_ACCURACY, "2023-06");
    Battlemap__ReportReply *report = reply->report_reply;
    struct { const char *unit; const char *score; uint32_t rank; bool warned; } units [] = {
        { "练塘镇", "100.0", 1, false }, { "白鹤镇", "100.0", 1, false },
        { "华新镇", "98.2", 3, true }, { "重固镇", "96.0", 4, true },
        { "赵巷镇", "93.3", 5, true }, { "朱家角镇", "87.5", 6, true },
        { "徐泾镇", "80.0", 7, true },
    };
    size_t seen = 0;
    for (size_t line = 0; line < report->n_accuracy; line++) {
        Battlemap__AccuracyRow *row = report->accuracy [line];
        if (*row->indicator)
            continue;
        bool found = false;
        for (size_t index = 0; index < 7; index++)
            if (streq (units [index].unit, row->unit)) {
                assert_string_equal (row->score, units [index].score);
                assert_int_equal (row->rank, units [index].rank);
                assert_int_equal (row->warned, units [index].warned);
                found = true;
            }
        assert_true (found);
        seen++;
    }
    assert_int_equal (seen, 7);
    for (size_t line = 0; line < report->n_accuracy; line++)
        if (streq (report->accuracy [line]->unit, "赵巷镇") && *report->accuracy [line]->indicator) {
            assert_string_equal (report->accuracy [line]->forecast, "8.3");
            assert_string_equal (report->accuracy [line]->final, "8.9");
            assert_string_equal (report->accuracy [line]->ape, "6.7");
        }
    bm_wire_free (&reply);
}

static void
test_rest_of_the_year (void **state)
{
    //  July to December: 赵巷镇 always on time, 徐泾镇 misses every final
    for (int month = 7; month <= 12; month++) {
        char period [8], forecast_day [40], final_day [40];
        snprintf (period, sizeof period, "2023-%02d", month);
        snprintf (forecast_day, sizeof forecast_day, "2023-%02d-27T16:00:00+08:00", month);
        if (month == 12)
            snprintf (final_day, sizeof final_day, "2024-01-09T16:00:00+08:00");
        else
            snprintf (final_day, sizeof final_day, "2023-%02d-09T16:00:00+08:00", month + 1);
        //  Cumulative figures that grow month by month (above June's 25)
        char forecast [16], final [16];
        snprintf (forecast, sizeof forecast, "%d", 25 + month);
        snprintf (final, sizeof final, "%d.5", 25 + month);
        harness_set_clock (s_server, forecast_day);
        for (size_t unit = 0; unit < 2; unit++) {
            Battlemap__Envelope *reply = s_send (s_towns [unit], period, FORECAST, forecast,
                                                 NULL);
            s_accepted (reply);
            bm_wire_free (&reply);
        }
        harness_set_clock (s_server, final_day);
        Battlemap__Envelope *reply = s_send ("赵巷镇", period, FINAL, final, NULL);
        s_accepted (reply);
        bm_wire_free (&reply);
    }
    harness_set_clock (s_server, "2024-01-11T09:00:00+08:00");
    //  Every deadline of the year noted once, every month frozen once
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM deadline_passed d JOIN plan p ON p.id = d.plan_id"
        " WHERE p.code = 'qingpu-2023'", 0, NULL), 24);
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM snapshot s JOIN plan p ON p.id = s.plan_id"
        " WHERE p.code = 'qingpu-2023'", 0, NULL), 12);
    Battlemap__Envelope *reply = s_report (BATTLEMAP__REPORT_KIND__TIMELINESS, "2023-09");
    for (size_t line = 0; line < reply->report_reply->n_timeliness; line++) {
        Battlemap__TimelinessRow *row = reply->report_reply->timeliness [line];
        if (streq (row->unit, "徐泾镇") && row->kind == FINAL)
            assert_int_equal (row->received, 0);
        if (streq (row->unit, "徐泾镇") && row->kind == FORECAST)
            assert_int_equal (row->on_time, 1);
        if (streq (row->unit, "赵巷镇") && row->kind == FINAL)
            assert_int_equal (row->on_time, 1);
    }
    bm_wire_free (&reply);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_june),
        cmocka_unit_test (test_june_timeliness),
        cmocka_unit_test (test_june_forecast_accuracy),
        cmocka_unit_test (test_rest_of_the_year),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
