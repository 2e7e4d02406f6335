/*  The whole loop, for real: battlemapd on its own PostgreSQL with the
    shipped plans, figures through the client library over
    tcp://127.0.0.1, stored rows, receipts, published events and the
    wall's numbers. */

#include "harness.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static harness_t *s_server;

static int
s_setup (void **state)
{
    s_server = harness_start (NULL, true);
    return 0;
}

static int
s_teardown (void **state)
{
    harness_stop (&s_server, false);
    return 0;
}

//  Submits figures; returns the reply (asserted to be a submit reply)
static Battlemap__Envelope *
s_submit_ok (Battlemap__Figure **figures, size_t count)
{
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_submit (client, figures, count);
    bm_client_destroy (&client);
    assert_non_null (reply);
    if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR)
        fail_msg ("refused: %s", reply->error->message);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY);
    assert_int_equal (reply->submit_reply->n_receipts, count);
    return reply;
}

//  The wall's measure for a task indicator (district) in a period
static Battlemap__WallMeasure *
s_wall_measure (Battlemap__Envelope **reply_p, const char *period, const char *unit,
                const char *indicator, const char *measure)
{
    bm_client_t *client = harness_client (s_server);
    *reply_p = bm_client_wall (client, "qingpu", period, unit, false);
    bm_client_destroy (&client);
    assert_non_null (*reply_p);
    assert_int_equal ((*reply_p)->body_case, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    Battlemap__WallReply *wall = (*reply_p)->wall_reply;
    for (size_t task = 0; task < wall->n_tasks; task++)
        if (streq (wall->tasks [task]->indicator, indicator))
            for (size_t index = 0; index < wall->tasks [task]->n_measures; index++)
                if (streq (wall->tasks [task]->measures [index]->measure, measure))
                    return wall->tasks [task]->measures [index];
    fail_msg ("no %s %s on the wall", indicator, measure);
    return NULL;
}

static void
test_shipped_plans_loaded_at_start (void **state)
{
    assert_int_equal (harness_count (s_server, "SELECT count (*) FROM task", 0, NULL), 14);
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM district WHERE code IN ('qingpu', 'baoshan')", 0, NULL), 2);
    char *value = harness_scalar (s_server,
        "SELECT t.value = 1195.0 FROM target t JOIN indicator i ON i.id = t.indicator_id"
        " JOIN unit u ON u.id = t.unit_id WHERE i.code = 'industrial-output'"
        " AND u.name = '青浦工业园区' AND t.kind = 'total' AND t.superseded_at IS NULL", 0, NULL);
    assert_string_equal (value, "t");
    free (value);
}

static void
test_figure_stored_and_published (void **state)
{
    bm_watch_t *watch = harness_watch (s_server, "completion/qingpu/", NULL);
    assert_non_null (watch);
    zclock_sleep (300);         //  let the subscription reach the publisher

    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    harness_figure (&figure, id, "赵巷镇", "industrial-output", NULL, "2023-03",
                    BATTLEMAP__FIGURE_KIND__FINAL, "4.3");
    figure.note = "三月正式数";
    Battlemap__Figure *figures [] = { &figure };
    Battlemap__Envelope *reply = s_submit_ok (figures, 1);
    Battlemap__FigureReceipt *receipt = reply->submit_reply->receipts [0];
    assert_int_equal (receipt->outcome, BATTLEMAP__RECEIPT_OUTCOME__CREATED);
    assert_string_equal (receipt->id, id);
    //  4.3 / 17.2 = 25.0% of the unit's annual target
    assert_string_equal (receipt->completion, "25.0");
    assert_true (receipt->figure_id > 0);

    //  Stored (the receipt came after the commit)
    const char *params [] = { id };
    char *stored = harness_scalar (s_server,
        "SELECT f.value || '|' || f.kind || '|' || f.note || '|' || u.name || '|'"
        " || to_char (f.period, 'YYYY-MM') FROM figure f JOIN unit u ON u.id = f.unit_id"
        " WHERE f.submission_id = $1", 1, params);
    assert_string_equal (stored, "4.3|final|三月正式数|赵巷镇|2023-03");
    free (stored);

    //  Published: the unit's completion, then the district's
    char *topic = NULL;
    Battlemap__Envelope *event = bm_watch_recv (watch, 5000, &topic);
    assert_non_null (event);
    assert_string_equal (topic, "completion/qingpu/赵巷镇/industrial-output/");
    Battlemap__CompletionEvent *completion = event->event->completion;
    assert_string_equal (completion->unit, "赵巷镇");
    assert_string_equal (completion->actual, "4.3");
    assert_string_equal (completion->vs_annual, "25.0");
    uint64_t first_seq = event->event->seq;
    bm_wire_free (&event);
    zstr_free (&topic);
    event = bm_watch_recv (watch, 5000, &topic);
    assert_non_null (event);
    assert_string_equal (topic, "completion/qingpu/全区/industrial-output/");
    assert_true (event->event->seq > first_seq);
    assert_string_equal (event->event->completion->milestone, "426.7");
    //  Events are stored before they are published
    char seq [24];
    snprintf (seq, sizeof seq, "%llu", (unsigned long long) event->event->seq);
    const char *seq_params [] = { seq };
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM event WHERE seq = $1", 1, seq_params), 1);
    bm_wire_free (&event);
    zstr_free (&topic);
    bm_wire_free (&reply);
    bm_watch_destroy (&watch);
}

static void
test_resend_answered_not_stored_twice (void **state)
{
    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    harness_figure (&figure, id, "徐泾镇", "industrial-output", NULL, "2023-03",
                    BATTLEMAP__FIGURE_KIND__FORECAST, "15.9");
    Battlemap__Figure *figures [] = { &figure };
    Battlemap__Envelope *first = s_submit_ok (figures, 1);
    Battlemap__Envelope *again = s_submit_ok (figures, 1);
    assert_int_equal (first->submit_reply->receipts [0]->outcome,
                      BATTLEMAP__RECEIPT_OUTCOME__CREATED);
    assert_int_equal (again->submit_reply->receipts [0]->outcome,
                      BATTLEMAP__RECEIPT_OUTCOME__UNCHANGED);
    assert_int_equal (first->submit_reply->receipts [0]->figure_id,
                      again->submit_reply->receipts [0]->figure_id);
    const char *params [] = { id };
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM figure WHERE submission_id = $1", 1, params), 1);

    //  The same id with other content is refused, and nothing changes
    figure.value = "16.0";
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reused = bm_client_submit (client, figures, 1);
    bm_client_destroy (&client);
    assert_int_equal (reused->body_case, BATTLEMAP__ENVELOPE__BODY_ERROR);
    assert_int_equal (reused->error->code, BATTLEMAP__ERROR_CODE__ID_REUSED);
    char *value = harness_scalar (s_server,
        "SELECT value FROM figure WHERE submission_id = $1", 1, params);
    assert_string_equal (value, "15.9");
    free (value);
    bm_wire_free (&first);
    bm_wire_free (&again);
    bm_wire_free (&reused);
}

static void
test_district_rolls_up_units (void **state)
{
    //  Two units' June figures add up to the district's actual; a later
    //  final replaces the forecast of the same unit
    Battlemap__Figure a, b, c;
    char ida [BM_CLIENT_ID_SIZE], idb [BM_CLIENT_ID_SIZE], idc [BM_CLIENT_ID_SIZE];
    harness_figure (&a, ida, "青浦工业园区", "industrial-output", NULL, "2023-06",
                    BATTLEMAP__FIGURE_KIND__FORECAST, "600.5");
    harness_figure (&b, idb, "华新镇", "industrial-output", NULL, "2023-06",
                    BATTLEMAP__FIGURE_KIND__FINAL, "110.25");
    harness_figure (&c, idc, "青浦工业园区", "industrial-output", NULL, "2023-06",
                    BATTLEMAP__FIGURE_KIND__FINAL, "598.15");
    Battlemap__Figure *figures [] = { &a, &b };
    bm_wire_free ((Battlemap__Envelope *[]) { s_submit_ok (figures, 2) });
    Battlemap__Envelope *wall = NULL;
    Battlemap__WallMeasure *measure =
        s_wall_measure (&wall, "2023-06", "", "industrial-output", "");
    assert_string_equal (measure->actual, "710.75");
    assert_true (measure->actual_is_forecast);
    assert_string_equal (measure->annual_target, "1855.0");
    assert_string_equal (measure->milestone, "890.4");
    assert_int_equal (measure->milestone_month, 6);
    //  710.75 / 890.4 = 79.82% -> 79.8; 710.75 / 1855 = 38.31% -> 38.3
    assert_string_equal (measure->vs_milestone, "79.8");
    assert_string_equal (measure->vs_annual, "38.3");
    assert_string_equal (measure->status, "lagging");
    assert_int_equal (measure->units_reported, 2);
    assert_int_equal (measure->units_expected, 12);
    bm_wire_free (&wall);

    Battlemap__Figure *corrections [] = { &c };
    bm_wire_free ((Battlemap__Envelope *[]) { s_submit_ok (corrections, 1) });
    measure = s_wall_measure (&wall, "2023-06", "", "industrial-output", "");
    assert_string_equal (measure->actual, "708.4");
    assert_false (measure->actual_is_forecast);
    bm_wire_free (&wall);

    //  The unit's own view
    measure = s_wall_measure (&wall, "2023-06", "青浦工业园区", "industrial-output", "");
    assert_string_equal (measure->actual, "598.15");
    assert_string_equal (measure->annual_target, "1195.0");
    //  598.15 / 1195 = 50.05% -> 50.1 (half away from zero, exact decimal)
    assert_string_equal (measure->vs_annual, "50.1");
    bm_wire_free (&wall);
}

static void
test_composite_task_one_rate_per_measure (void **state)
{
    //  四个一批 in June: milestones 出让15 开工10 竣工5 投产5
    const char *measures [] = { "出让一批", "开工一批", "竣工一批", "投产一批" };
    const char *values [] = { "15", "9", "4", "6" };
    const char *expected_vs [] = { "100.0", "90.0", "80.0", "120.0" };
    //  The task says 完成90%以上: 90% of the milestone is on track for it,
    //  and 80% to 90% at risk (the plan's at_risk_pct 80)
    const char *expected_status [] = { "on_track", "on_track", "at_risk", "on_track" };
    Battlemap__Figure figures [4];
    Battlemap__Figure *pointers [4];
    char ids [4][BM_CLIENT_ID_SIZE];
    for (int index = 0; index < 4; index++) {
        harness_figure (figures + index, ids [index], "全区", "project-progress-jw",
                        measures [index], "2023-06", BATTLEMAP__FIGURE_KIND__FINAL,
                        values [index]);
        pointers [index] = figures + index;
    }
    bm_wire_free ((Battlemap__Envelope *[]) { s_submit_ok (pointers, 4) });
    const char *milestones [] = { "15", "10", "5", "5" };
    for (int index = 0; index < 4; index++) {
        Battlemap__Envelope *wall = NULL;
        Battlemap__WallMeasure *measure =
            s_wall_measure (&wall, "2023-06", "", "project-progress-jw", measures [index]);
        assert_string_equal (measure->milestone, milestones [index]);
        assert_string_equal (measure->actual, values [index]);
        assert_string_equal (measure->vs_milestone, expected_vs [index]);
        assert_string_equal (measure->status, expected_status [index]);
        bm_wire_free (&wall);
    }
}

static void
test_text_milestone (void **state)
{
    //  专精特新 in May: the milestone is text; a status is reported
    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    harness_figure (&figure, id, "全区", "zjtx-new", NULL, "2023-05",
                    BATTLEMAP__FIGURE_KIND__FINAL, NULL);
    figure.status = BATTLEMAP__MILESTONE_STATUS__DONE;
    figure.note = "已组织宣讲3场，走访企业40家";
    Battlemap__Figure *figures [] = { &figure };
    bm_wire_free ((Battlemap__Envelope *[]) { s_submit_ok (figures, 1) });
    Battlemap__Envelope *wall = NULL;
    Battlemap__WallMeasure *measure = s_wall_measure (&wall, "2023-05", "", "zjtx-new", "");
    assert_string_equal (measure->milestone_text,
                         "组织开展政策宣讲、上门走访等活动，进一步提高企业重视度");
    assert_string_equal (measure->milestone, "");
    assert_int_equal (measure->text_status, BATTLEMAP__MILESTONE_STATUS__DONE);
    assert_string_equal (measure->status, "on_track");
    bm_wire_free (&wall);
    const char *params [] = { id };
    char *status = harness_scalar (s_server,
        "SELECT status || '|' || note FROM figure WHERE submission_id = $1", 1, params);
    assert_string_equal (status, "done|已组织宣讲3场，走访企业40家");
    free (status);
}

static void
test_batch_all_or_nothing (void **state)
{
    Battlemap__Figure figures [3];
    Battlemap__Figure *pointers [3];
    char ids [3][BM_CLIENT_ID_SIZE];
    harness_figure (figures + 0, ids [0], "白鹤镇", "industrial-output", NULL, "2023-04",
                    BATTLEMAP__FIGURE_KIND__FINAL, "20.1");
    harness_figure (figures + 1, ids [1], "练塘镇", "industrial-output", NULL, "2023-04",
                    BATTLEMAP__FIGURE_KIND__FINAL, "22.0");
    harness_figure (figures + 2, ids [2], "金泽镇", "industrial-output", NULL, "2023-04",
                    BATTLEMAP__FIGURE_KIND__FINAL, "十二");
    for (int index = 0; index < 3; index++)
        pointers [index] = figures + index;
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_submit (client, pointers, 3);
    bm_client_destroy (&client);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ERROR);
    assert_int_equal (reply->error->code, BATTLEMAP__ERROR_CODE__BAD_VALUE);
    assert_int_equal (reply->error->index, 3);
    bm_wire_free (&reply);
    const char *params [] = { ids [0], ids [1] };
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM figure WHERE submission_id IN ($1, $2)", 2, params), 0);
}

static void
test_completion_convention_end_to_end (void **state)
{
    //  The documents' year-end convention: 162.4 / 162 -> 100.2%
    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    harness_figure (&figure, id, "全区", "biomedicine-output", NULL, "2023-12",
                    BATTLEMAP__FIGURE_KIND__FINAL, "162.4");
    Battlemap__Figure *figures [] = { &figure };
    Battlemap__Envelope *reply = s_submit_ok (figures, 1);
    assert_string_equal (reply->submit_reply->receipts [0]->completion, "100.2");
    bm_wire_free (&reply);
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "wall", "--district", "qingpu",
                          "--period", "2023-12", NULL);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (output, "规上生物医药产值力争增长10%，达到162亿元"));
    assert_non_null (strstr (output, "162.4"));
    assert_non_null (strstr (output, "100.2%"));
    assert_non_null (strstr (output, "牵头领导 陆杨"));
    free (output);
}

static void
test_cli_template_submit_watch (void **state)
{
    char directory [] = "/tmp/bm-cli-XXXXXX";
    assert_non_null (mkdtemp (directory));
    char *csv = zsys_sprintf ("%s/重固镇-2023-07.csv", directory);
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "template", "--district", "qingpu",
                          "--unit", "重固镇", "--period", "2023-07", "--kind", "final",
                          "--output", csv, NULL);
    assert_int_equal (rc, 0);
    free (output);
    zchunk_t *chunk = zchunk_slurp (csv, 0);
    assert_non_null (chunk);
    char *text = zchunk_strdup (chunk);
    zchunk_destroy (&chunk);
    //  A Chinese header; the name, unit and milestone left of the value,
    //  the codes right of it
    assert_memory_equal (text, "\xef\xbb\xbf" "指标名称,分项/任务,计量单位,本月节点,填报值",
                         strlen ("\xef\xbb\xbf" "指标名称,分项/任务,计量单位,本月节点,填报值"));
    assert_non_null (strstr (text, "qingpu,重固镇,industrial-output,,2023-07,final,"));
    //  Fill in the value of the first indicator row: its fifth column
    char *filled = strdup (text);
    char *line = strstr (filled, "\n规模以上工业总产值,,亿元,");
    assert_non_null (line);
    char *rest = line + 1;
    for (int comma = 0; comma < 4; comma++)
        rest = strchr (rest, ',') + 1;
    char *rewritten = zsys_sprintf ("%.*s2.9%s", (int) (rest - filled), filled, rest);
    FILE *file = fopen (csv, "w");
    fputs (rewritten, file);
    fclose (file);

    //  A watcher started first sees the update
    char *watch_output = zsys_sprintf ("%s/watch.out", directory);
    pid_t watcher = fork ();
    if (watcher == 0) {
        char *out = NULL;
        int code = harness_cli (s_server, &out, "watch", "--district", "qingpu",
                                "--unit", "重固镇", "--count", "1", "--timeout", "20", NULL);
        FILE *result = fopen (watch_output, "w");
        fprintf (result, "%d\n%s", code, out);
        fclose (result);
        _exit (0);
    }
    zclock_sleep (700);
    rc = harness_cli (s_server, &output, "submit", "--csv", csv, NULL);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (output, "created   2023-07 重固镇 规模以上工业总产值 final 2.9"));
    free (output);
    //  Sending the same file again stores nothing
    rc = harness_cli (s_server, &output, "submit", "--csv", csv, NULL);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (output, "unchanged 2023-07 重固镇"));
    free (output);
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM figure f JOIN unit u ON u.id = f.unit_id"
        " WHERE u.name = '重固镇'", 0, NULL), 1);

    int status;
    waitpid (watcher, &status, 0);
    chunk = zchunk_slurp (watch_output, 0);
    assert_non_null (chunk);
    char *watched = zchunk_strdup (chunk);
    zchunk_destroy (&chunk);
    print_message ("  watch printed: %s\n", watched);
    assert_int_equal (atoi (watched), 0);
    assert_non_null (strstr (watched, "2023-07 qingpu 重固镇 industrial-output actual 2.9"));
    free (watched);
    free (watch_output);
    free (rewritten);
    free (filled);
    free (text);
    free (csv);
    harness_remove_tree (directory);
}

static void
test_cli_single_figure (void **state)
{
    //  A text milestone's status from the command line (智能工厂, Q1)
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "submit", "--district", "qingpu",
                          "--unit", "全区", "--indicator", "smart-factory",
                          "--period", "2023-03", "--kind", "forecast",
                          "--status", "in_progress", "--note", "诊断服务已覆盖12家企业", NULL);
    if (rc != 0)
        fail_msg ("submit failed:\n%s", output);
    assert_non_null (strstr (output, "created   2023-03 全区 智能工厂（车间、生产线、仓储） forecast in progress"));
    free (output);
    char *stored = harness_scalar (s_server,
        "SELECT f.status || '|' || f.note FROM figure f JOIN indicator i"
        " ON i.id = f.indicator_id WHERE i.code = 'smart-factory'", 0, NULL);
    assert_string_equal (stored, "in_progress|诊断服务已覆盖12家企业");
    free (stored);
    //  A refusal: exit code 1 and the server's reason
    rc = harness_cli (s_server, &output, "submit", "--district", "qingpu",
                      "--unit", "赵巷镇", "--indicator", "transport-revenue",
                      "--period", "2023-03", "--kind", "final", "--value", "1", NULL);
    assert_int_equal (rc, 1);
    assert_non_null (strstr (output, "refused (NO_TARGET)"));
    assert_non_null (strstr (output, "赵巷镇 has no target"));
    free (output);
}

//  The command line's conventions: --version, and a clear error for a bad
//  global option
static void
test_cli_conventions (void **state)
{
    char *output = NULL;
    assert_int_equal (harness_cli (s_server, &output, "--version", NULL), 0);
    assert_non_null (strstr (output, "battlemap "));
    free (output);
    assert_int_equal (harness_cli (s_server, &output, "--timeout", "abc", "wall", "--district",
                                   "qingpu", NULL), 2);
    assert_non_null (strstr (output, "--timeout takes milliseconds"));
    free (output);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_cli_conventions),
        cmocka_unit_test (test_shipped_plans_loaded_at_start),
        cmocka_unit_test (test_figure_stored_and_published),
        cmocka_unit_test (test_resend_answered_not_stored_twice),
        cmocka_unit_test (test_district_rolls_up_units),
        cmocka_unit_test (test_composite_task_one_rate_per_measure),
        cmocka_unit_test (test_text_milestone),
        cmocka_unit_test (test_batch_all_or_nothing),
        cmocka_unit_test (test_completion_convention_end_to_end),
        cmocka_unit_test (test_cli_template_submit_watch),
        cmocka_unit_test (test_cli_single_figure),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
