/*  The wall tells the truth, over the year the README's simulation plays
    (battlemap simulate --clock --unit-keys: every unit with its own key,
    each lead section sending the district's figures of its tasks with its
    进展说明). Checked as the bureau would look: 四个一批 in January expects
    nothing and is not judged; a district sum while units still report is
    partial and fires nothing; a unit's correction back to an earlier value
    lands, through the CLI and a CSV; an implausible figure is held until
    the sender confirms it; 区级3 shows its count in December; a section's
    note is on the wall; and at the end of the year only the alerts true of
    the last month fire, each one true of its cell, grouped in one notice
    per unit per deadline. */

#include "harness.h"
#include "bm_keys.h"
#include "bm_plan.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define FORECAST BATTLEMAP__FIGURE_KIND__FORECAST
#define FINAL    BATTLEMAP__FIGURE_KIND__FINAL

static harness_t *s_server;
static char *s_plan_dir;
static char *s_unit_keys;

static int
s_setup (void **state)
{
    s_server = harness_start_with (NULL, true, "--test-clock", "--clock",
                                   "2023-01-02T09:00:00+08:00", NULL);
    s_plan_dir = harness_source_path ("deploy/plans/qingpu-2023");
    s_unit_keys = zsys_sprintf ("%s/units", s_server->datadir);
    return 0;
}

static int
s_teardown (void **state)
{
    harness_stop (&s_server, false);
    free (s_plan_dir);
    free (s_unit_keys);
    return 0;
}

//  The simulation of months from..to, as deploy/run.sh plays it
static void
s_simulate (int from, int to)
{
    char from_text [8], to_text [8];
    snprintf (from_text, sizeof from_text, "%d", from);
    snprintf (to_text, sizeof to_text, "%d", to);
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "simulate", "--plan", s_plan_dir, "--clock",
                          "--unit-keys", s_unit_keys, "--from", from_text, "--months",
                          to_text, NULL);
    if (rc)
        fail_msg ("simulate %d..%d: %s", from, to, output);
    free (output);
}

static Battlemap__Envelope *
s_wall (const char *period, const char *unit)
{
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_wall (client, "qingpu", period,
                                                 unit, unit == NULL);
    bm_client_destroy (&client);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    return reply;
}

//  The measure of an indicator on a wall, NULL if it is not there
static Battlemap__WallMeasure *
s_find (Battlemap__Envelope *wall, const char *indicator, const char *measure)
{
    Battlemap__WallReply *reply = wall->wall_reply;
    for (size_t task = 0; task < reply->n_tasks; task++)
        for (size_t index = 0; index < reply->tasks [task]->n_measures; index++) {
            Battlemap__WallMeasure *found = reply->tasks [task]->measures [index];
            if (streq (found->indicator, indicator) && streq (found->measure, measure))
                return found;
        }
    return NULL;
}

static Battlemap__WallMeasure *
s_measure (Battlemap__Envelope *wall, const char *indicator, const char *measure)
{
    Battlemap__WallMeasure *found = s_find (wall, indicator, measure);
    if (!found)
        fail_msg ("%s %s is not on the wall", indicator, measure);
    return found;
}

static Battlemap__WallTask *
s_task (Battlemap__Envelope *wall, const char *indicator)
{
    Battlemap__WallReply *reply = wall->wall_reply;
    for (size_t task = 0; task < reply->n_tasks; task++)
        if (streq (reply->tasks [task]->indicator, indicator))
            return reply->tasks [task];
    fail_msg ("no task on %s", indicator);
    return NULL;
}

static long
s_firing (const char *where)
{
    char *sql = zsys_sprintf ("SELECT count (*) FROM alert WHERE state = 'firing' AND %s",
                              where);
    long count = harness_count (s_server, sql, 0, NULL);
    free (sql);
    return count;
}

//  A figure sent through the battlemap command; its output to free
static int
s_cli_submit (char **output, const char *unit, const char *period, const char *kind,
              const char *value, bool confirm)
{
    if (confirm)
        return harness_cli (s_server, output, "submit", "--district", "qingpu", "--unit", unit,
                            "--indicator", "industrial-output", "--period", period,
                            "--kind", kind, "--value", value, "--confirm", NULL);
    return harness_cli (s_server, output, "submit", "--district", "qingpu", "--unit", unit,
                        "--indicator", "industrial-output", "--period", period, "--kind",
                        kind, "--value", value, NULL);
}

static void
s_expect_actual (const char *unit, const char *period, const char *expected)
{
    Battlemap__Envelope *wall = s_wall (period, unit);
    assert_string_equal (s_measure (wall, "industrial-output", "")->actual, expected);
    bm_wire_free (&wall);
}

//  ---------------------------------------------------------------------------

static void
test_january_expects_nothing_of_a_slash (void **state)
{
    s_simulate (1, 1);
    //  四个一批 in January is "/": 无节点 for the district and for its units,
    //  no 序时 fallback, no alert of any rule
    Battlemap__Envelope *wall = s_wall ("2023-01", NULL);
    Battlemap__WallTask *task = s_task (wall, "project-progress-jw");
    assert_int_equal (task->n_measures, 4);
    for (size_t index = 0; index < task->n_measures; index++) {
        assert_string_equal (task->measures [index]->status, "no_milestone");
        assert_string_equal (task->measures [index]->expected, "");
        assert_string_equal (task->measures [index]->vs_milestone, "");
    }
    assert_string_equal (task->overall_status, "no_milestone");
    //  区级1's first milestone, 261 (1-2月), is February's: January expects nothing
    Battlemap__WallMeasure *output = s_measure (wall, "industrial-output", "");
    assert_string_equal (output->status, "no_milestone");
    bm_wire_free (&wall);
    wall = s_wall ("2023-01", "华新镇");
    assert_string_equal (s_measure (wall, "project-progress-jw", "出让一批")->status,
                         "no_milestone");
    bm_wire_free (&wall);
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM alert WHERE indicator = 'project-progress-jw'"
        " AND period = '2023-01'", 0, NULL), 0);
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM alert WHERE rule IN ('lagging', 'trajectory')"
        " AND indicator IN ('industrial-output', 'zjtx-new', 'industrial-investment')"
        " AND period = '2023-01'", 0, NULL), 0);
}

static void
test_partial_district_sum (void **state)
{
    //  Two towns send February forecasts before the others: the district's
    //  sum is theirs alone, 未齐, not judged, and fires nothing
    harness_set_clock (s_server, "2023-02-15T10:00:00+08:00");
    const char *towns [] = { "赵巷镇", "华新镇" };
    for (int index = 0; index < 2; index++) {
        const char *params [] = { towns [index] };
        char *january = harness_scalar (s_server,
            "SELECT f.value::text FROM figure f JOIN unit u ON u.id = f.unit_id"
            " JOIN indicator i ON i.id = f.indicator_id WHERE u.name = $1"
            " AND i.code = 'industrial-output' AND f.period = '2023-01-01'"
            " AND f.kind = 'final' ORDER BY f.id DESC LIMIT 1", 1, params);
        char value [32];
        snprintf (value, sizeof value, "%.2f", atof (january) * 1.8);
        free (january);
        char *output = NULL;
        int rc = s_cli_submit (&output, towns [index], "2023-02", "forecast", value, false);
        if (rc)
            fail_msg ("submit: %s", output);
        free (output);
    }
    Battlemap__Envelope *wall = s_wall ("2023-02", NULL);
    Battlemap__WallMeasure *sum = s_measure (wall, "industrial-output", "");
    assert_string_equal (sum->status, "partial");
    assert_int_equal (sum->units_reported, 2);
    assert_true (sum->units_expected >= 12);
    assert_string_equal (sum->vs_milestone, "");
    assert_string_equal (sum->vs_annual, "");
    assert_int_equal (sum->n_units_missing, sum->units_expected - 2);
    assert_string_equal (sum->milestone, "261");
    assert_int_equal (sum->milestone_month, 2);
    bm_wire_free (&wall);
    assert_int_equal (s_firing ("unit = '全区' AND period = '2023-02'"), 0);
    s_simulate (2, 2);
    //  Every unit in: judged
    wall = s_wall ("2023-02", NULL);
    sum = s_measure (wall, "industrial-output", "");
    assert_string_not_equal (sum->status, "partial");
    assert_string_not_equal (sum->vs_milestone, "");
    assert_int_equal (sum->n_units_missing, 0);
    bm_wire_free (&wall);
}

static void
test_the_year_and_its_corrections (void **state)
{
    s_simulate (3, 12);
    //  The simulation leaves the clock on 5 January 2024, December's finals
    //  in and their window open until the 10th

    //  A correction back to an earlier value lands (17.9, 18.2, 17.9; 赵巷镇
    //  sent about 16.8 for November)
    char *output = NULL;
    const char *values [] = { "17.9", "18.2", "17.9" };
    const char *outcomes [] = { "updated", "updated", "updated" };
    for (int index = 0; index < 3; index++) {
        int rc = s_cli_submit (&output, "赵巷镇", "2023-12", "final", values [index], false);
        if (rc || !strstr (output, outcomes [index]))
            fail_msg ("send %s: %s", values [index], output);
        free (output);
        s_expect_actual ("赵巷镇", "2023-12", values [index]);
    }
    //  The same value again ("17.90" is 17.9): nothing stored
    long stored = harness_count (s_server, "SELECT count (*) FROM figure", 0, NULL);
    int rc = s_cli_submit (&output, "赵巷镇", "2023-12", "final", "17.90", false);
    if (rc || !strstr (output, "unchanged") || !strstr (output, "equals the current value"))
        fail_msg ("17.90 again: %s", output);
    free (output);
    assert_int_equal (harness_count (s_server, "SELECT count (*) FROM figure", 0, NULL), stored);

    //  Through a CSV: each row a new act of sending, in order
    char *csv = zsys_sprintf ("%s/corrections.csv", s_server->datadir);
    FILE *file = fopen (csv, "w");
    assert_non_null (file);
    fprintf (file, "\xEF\xBB\xBF" "district,unit,indicator,measure,period,kind,value,status,note\n"
                   "qingpu,徐泾镇,industrial-output,,2023-12,final,70.1,,\n"
                   "qingpu,徐泾镇,industrial-output,,2023-12,final,70.4,,\n"
                   "qingpu,徐泾镇,industrial-output,,2023-12,final,70.1,,\n");
    fclose (file);
    rc = harness_cli (s_server, &output, "submit", "--csv", csv, NULL);
    if (rc)
        fail_msg ("csv: %s", output);
    free (output);
    s_expect_actual ("徐泾镇", "2023-12", "70.1");
    //  Sent again, the same file stores nothing new: its last row equals
    //  the current value; the first two are corrections again
    rc = harness_cli (s_server, &output, "submit", "--csv", csv, NULL);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (output, "equals the current value"));
    free (output);
    s_expect_actual ("徐泾镇", "2023-12", "70.1");
    free (csv);

    //  7100 (万元 typed where 亿元 is meant) is held: the receipt names the
    //  suspicion and the numbers, nothing is stored
    stored = harness_count (s_server, "SELECT count (*) FROM figure", 0, NULL);
    rc = s_cli_submit (&output, "赵巷镇", "2023-12", "final", "7100", false);
    assert_int_not_equal (rc, 0);
    if (!strstr (output, "SUSPICIOUS") || !strstr (output, "7100")
    ||  !strstr (output, "17.9") || !strstr (output, "--confirm"))
        fail_msg ("7100: %s", output);
    free (output);
    assert_int_equal (harness_count (s_server, "SELECT count (*) FROM figure", 0, NULL), stored);
    s_expect_actual ("赵巷镇", "2023-12", "17.9");
    //  Confirmed, it is stored, and recorded as confirmed
    rc = s_cli_submit (&output, "赵巷镇", "2023-12", "final", "7100", true);
    if (rc)
        fail_msg ("7100 confirmed: %s", output);
    free (output);
    s_expect_actual ("赵巷镇", "2023-12", "7100");
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM figure WHERE confirmed AND value = 7100", 0, NULL), 1);
    //  A cumulative figure below the month before (a month's own figure
    //  typed as the total since January) is held too
    rc = s_cli_submit (&output, "赵巷镇", "2023-12", "final", "0.71", false);
    assert_int_not_equal (rc, 0);
    if (!strstr (output, "SUSPICIOUS") || !strstr (output, "below 11月"))
        fail_msg ("0.71: %s", output);
    free (output);
    //  And corrected back
    rc = s_cli_submit (&output, "赵巷镇", "2023-12", "final", "17.9", false);
    if (rc)
        fail_msg ("17.9 back: %s", output);
    free (output);
    s_expect_actual ("赵巷镇", "2023-12", "17.9");

    //  December's final deadline passes
    harness_set_clock (s_server, "2024-01-11T09:00:00+08:00");
}

static void
test_december_wall (void **state)
{
    Battlemap__Envelope *wall = s_wall ("2023-12", NULL);
    //  区级3 takes its count with its text milestone: how many of the 90
    Battlemap__WallMeasure *zjtx = s_measure (wall, "zjtx-new", "");
    assert_string_not_equal (zjtx->actual, "");
    assert_string_not_equal (zjtx->vs_annual, "");
    assert_string_not_equal (zjtx->text_milestone_status, "");
    assert_int_equal (zjtx->milestone_month, 12);
    //  Its lead section's progress note, and who sent it
    assert_non_null (strstr (zjtx->progress_note, "进展说明"));
    assert_string_equal (zjtx->progress_by, "投促服务中心");
    //  区级4 shows its share beside the amount, as the plan writes it
    Battlemap__WallTask *sei = s_task (wall, "sei-output");
    Battlemap__WallMeasure *share = s_measure (wall, "sei-share", "");
    assert_true (share->beside);
    assert_string_equal (share->annual_target, "30.0");
    assert_non_null (strchr (share->actual, '.'));
    assert_int_equal (strlen (strchr (share->actual, '.')), 2);
    assert_true (sei->n_measures >= 2);
    //  The plan's notes on what was assumed
    assert_non_null (strstr (s_task (wall, "new-taxpayers")->note, "9240"));
    assert_non_null (strstr (s_task (wall, "civil-aviation-revenue")->note, "19.8"));
    //  Counts are never expected in fractions: a town's share of 四个一批
    bm_wire_free (&wall);
    for (int month = 2; month <= 12; month++) {
        char period [8];
        snprintf (period, sizeof period, "2023-%02d", month);
        wall = s_wall (period, "华新镇");
        Battlemap__WallMeasure *count = s_measure (wall, "project-progress-jw", "开工一批");
        if (*count->expected)
            assert_null (strchr (count->expected, '.'));
        bm_wire_free (&wall);
    }
    //  Every district sum judged once its month's deadline passed
    for (int month = 2; month <= 12; month++) {
        char period [8];
        snprintf (period, sizeof period, "2023-%02d", month);
        wall = s_wall (period, NULL);
        assert_string_not_equal (s_measure (wall, "industrial-output", "")->status, "partial");
        bm_wire_free (&wall);
    }
}

static void
test_a_section_reports_its_tasks (void **state)
{
    //  投促服务中心 leads 区级3: its template holds the district's rows of
    //  its tasks; with its own key it may send them, and nothing else of 全区
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "template", "--district", "qingpu", "--unit",
                          "投促服务中心", "--period", "2023-12", NULL);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (output, "qingpu,全区,zjtx-new,"));
    assert_non_null (strstr (output, "区级3"));
    assert_null (strstr (output, "industrial-output"));
    free (output);
    char *path = zsys_sprintf ("%s/投促服务中心.cert", s_unit_keys);
    zcert_t *cert = bm_keys_load_secret (path);
    free (path);
    assert_non_null (cert);
    bm_client_t *client = harness_client_as (s_server, cert);
    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    harness_figure (&figure, id, "全区", "industrial-output", NULL, "2023-12", FINAL, "1900");
    Battlemap__Figure *figures [] = { &figure };
    Battlemap__Envelope *reply = bm_client_submit (client, figures, 1);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ERROR);
    assert_int_equal (reply->error->code, BATTLEMAP__ERROR_CODE__NOT_ALLOWED);
    bm_wire_free (&reply);
    bm_client_destroy (&client);
    zcert_destroy (&cert);
}

//  Firing alerts, listed: rule, unit, indicator, measure, period, value
static PGresult *
s_alerts (const char *where)
{
    char *sql = zsys_sprintf ("SELECT rule, unit, indicator, measure, period, value, severity"
                              " FROM alert WHERE state = 'firing' AND district = 'qingpu'"
                              " AND %s ORDER BY unit, indicator", where);
    PGresult *result = PQexec (s_server->db, sql);
    free (sql);
    assert_int_equal (PQresultStatus (result), PGRES_TUPLES_OK);
    return result;
}

static void
test_alerts_at_the_end_of_the_year (void **state)
{
    long firing = harness_count (s_server,
        "SELECT count (*) FROM alert WHERE state = 'firing' AND district = 'qingpu'", 0, NULL);
    long fired = harness_count (s_server,
        "SELECT count (*) FROM alert WHERE district = 'qingpu'", 0, NULL);
    long superseded = harness_count (s_server,
        "SELECT count (*) FROM alert WHERE resolution = 'superseded'", 0, NULL);
    long cleared = harness_count (s_server,
        "SELECT count (*) FROM alert WHERE resolution = 'cleared'", 0, NULL);
    print_message ("  the year: %ld alerts fired, %ld still firing (%ld superseded by a later "
                   "month, %ld cleared)\n", fired, firing, superseded, cleared);
    PGresult *digest = PQexec (s_server->db,
        "SELECT rule, severity, count (*) FROM alert WHERE state = 'firing'"
        " AND district = 'qingpu' GROUP BY rule, severity ORDER BY rule, severity");
    for (int row = 0; row < PQntuples (digest); row++)
        print_message ("    firing %-15s %-8s %s\n", PQgetvalue (digest, row, 0),
                       PQgetvalue (digest, row, 1), PQgetvalue (digest, row, 2));
    PQclear (digest);
    assert_true (firing > 0);
    assert_true (superseded > 0);

    //  Only those true of the last month fire: every unit sent December
    PGresult *old = s_alerts ("rule IN ('lagging', 'trajectory', 'bottom_rank')"
                              " AND period <> '2023-12'");
    for (int row = 0; row < PQntuples (old) && row < 10; row++)
        print_message ("  older: %s %s %s %s %s\n", PQgetvalue (old, row, 0),
                       PQgetvalue (old, row, 1), PQgetvalue (old, row, 2),
                       PQgetvalue (old, row, 3), PQgetvalue (old, row, 4));
    assert_int_equal (PQntuples (old), 0);
    PQclear (old);
    //  Never two firing alerts for the same labels
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM (SELECT labels FROM alert WHERE state = 'firing'"
        " GROUP BY labels HAVING count (*) > 1) duplicates", 0, NULL), 0);

    //  Each lagging alert is true of its cell: at risk or lagging on the
    //  unit's December wall, at the rate it names; each trajectory alert's
    //  cell projects short of its target
    PGresult *result = s_alerts ("rule IN ('lagging', 'trajectory')");
    int rows = PQntuples (result);
    const char *shown_unit = "";
    Battlemap__Envelope *wall = NULL;
    for (int row = 0; row < rows; row++) {
        const char *rule = PQgetvalue (result, row, 0);
        const char *unit = PQgetvalue (result, row, 1);
        if (!streq (unit, shown_unit)) {
            if (wall)
                bm_wire_free (&wall);
            wall = s_wall ("2023-12", streq (unit, "全区")? NULL: unit);
            shown_unit = unit;
        }
        Battlemap__WallMeasure *cell = s_find (wall, PQgetvalue (result, row, 2),
                                               PQgetvalue (result, row, 3));
        if (!cell)
            fail_msg ("%s of %s %s: its cell is not on the wall", rule, unit,
                      PQgetvalue (result, row, 2));
        if (streq (rule, "lagging")) {
            if (!streq (cell->status, "at_risk") && !streq (cell->status, "lagging"))
                fail_msg ("lagging alert of %s %s fires, its cell is %s (%s)", unit,
                          PQgetvalue (result, row, 2), cell->status, cell->vs_milestone);
            assert_string_equal (cell->vs_milestone, PQgetvalue (result, row, 5));
        }
        else {
            if (!*cell->vs_projection || atof (cell->vs_projection) >= 100)
                fail_msg ("trajectory alert of %s %s fires, its cell projects %s", unit,
                          PQgetvalue (result, row, 2), cell->vs_projection);
        }
    }
    if (wall)
        bm_wire_free (&wall);
    PQclear (result);
    //  No alert at or above 100% of what it is about
    assert_int_equal (s_firing ("rule = 'lagging' AND value <> '' AND value::numeric >= 100"),
                      0);

    //  Grouped notices: one per unit per deadline, never one per cell
    long notices = harness_count (s_server,
        "SELECT count (*) FROM event WHERE kind = 'notice'", 0, NULL);
    print_message ("  %ld notices, one per unit per deadline\n", notices);
    assert_true (notices > 0);
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM (SELECT topic, at FROM event WHERE kind = 'notice'"
        " GROUP BY topic, at HAVING count (*) > 1) twice", 0, NULL), 0);

    //  battlemap alerts filters and digests
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "alerts", "--district", "qingpu", "--rule",
                          "lagging", "--severity", "critical", "--period", "2023-12",
                          "--digest", NULL);
    assert_int_equal (rc, 0);
    char expected [64];
    snprintf (expected, sizeof expected, "合计 %ld 条", s_firing (
        "district = 'qingpu' AND rule = 'lagging' AND severity = 'critical'"
        " AND period = '2023-12'"));
    if (!strstr (output, expected))
        fail_msg ("digest: expected \"%s\" in:\n%s", expected, output);
    free (output);
    //  A unit that lagged on 规上工业总产值 during the year
    char *unit = harness_scalar (s_server,
        "SELECT unit FROM alert WHERE indicator = 'industrial-output' AND unit <> '全区'"
        " AND resolution = 'superseded' ORDER BY id LIMIT 1", 0, NULL);
    assert_string_not_equal (unit, "");
    rc = harness_cli (s_server, &output, "alerts", "--district", "qingpu", "--unit", unit,
                      "--indicator", "industrial-output", "--resolved", NULL);
    assert_int_equal (rc, 0);
    //  Indicators by their names; superseded alerts say so
    if (!strstr (output, "规模以上工业总产值") || !strstr (output, "superseded"))
        fail_msg ("alerts of %s:\n%.2000s", unit, output);
    free (output);
    free (unit);
    rc = harness_cli (s_server, &output, "alerts", "--district", "qingpu", "--rule", "laging",
                      NULL);
    assert_int_not_equal (rc, 0);
    assert_non_null (strstr (output, "laging"));
    free (output);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_january_expects_nothing_of_a_slash),
        cmocka_unit_test (test_partial_district_sum),
        cmocka_unit_test (test_the_year_and_its_corrections),
        cmocka_unit_test (test_december_wall),
        cmocka_unit_test (test_a_section_reports_its_tasks),
        cmocka_unit_test (test_alerts_at_the_end_of_the_year),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
