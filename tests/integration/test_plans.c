/*  Plans: the shipped plans load and hold the documents' figures; loading
    again changes nothing; a changed target is a new version and the old one
    is kept; an invalid plan is refused with located errors and changes
    nothing. Through the real `battlemap plan load`. */

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
    //  No plans at start: this test loads them itself, through the CLI
    s_server = harness_start (NULL, false);
    return 0;
}

static int
s_teardown (void **state)
{
    harness_stop (&s_server, false);
    return 0;
}

static char *
s_target (const char *indicator, const char *measure, const char *unit, const char *role,
          const char *kind)
{
    const char *params [] = { indicator, measure, unit, role, kind };
    return harness_scalar (s_server,
        "SELECT CASE WHEN t.no_target THEN '—' ELSE t.value::text END"
        " FROM target t JOIN indicator i ON i.id = t.indicator_id"
        " JOIN unit u ON u.id = t.unit_id WHERE i.code = $1 AND i.measure = $2"
        " AND u.name = $3 AND t.role = $4 AND t.kind = $5 AND t.superseded_at IS NULL",
        5, params);
}

static char *
s_milestone (const char *indicator, const char *measure, const char *month)
{
    const char *params [] = { indicator, measure, month };
    return harness_scalar (s_server,
        "SELECT coalesce (m.value::text, '') || '|' || m.text FROM milestone m"
        " JOIN indicator i ON i.id = m.indicator_id JOIN unit u ON u.id = m.unit_id"
        " WHERE i.code = $1 AND i.measure = $2 AND u.name = '全区' AND m.month = $3::integer"
        " AND m.superseded_at IS NULL", 3, params);
}

static void
s_expect (char *actual, const char *expected)
{
    assert_string_equal (actual, expected);
    free (actual);
}

static void
test_shipped_plans_load (void **state)
{
    char *qingpu = harness_source_path ("deploy/plans/qingpu-2023");
    char *baoshan = harness_source_path ("deploy/plans/baoshan-2023");
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "plan", "load", qingpu, NULL);
    if (rc != 0)
        fail_msg ("plan load failed:\n%s", output);
    assert_non_null (strstr (output, "plan qingpu-2023 loaded: version 1 (changed)"));
    free (output);
    rc = harness_cli (s_server, &output, "plan", "load", baoshan, NULL);
    assert_int_equal (rc, 0);
    free (output);

    //  Cells quoted from the documents (numeric compare: 1195.0 = 1195)
    s_expect (s_target ("industrial-output", "", "青浦工业园区", "working", "total"), "1195.0");
    s_expect (s_target ("industrial-output", "", "全区", "working", "growth"), "10.0");
    s_expect (s_target ("tax-total", "", "全区", "assessment", "total"), "608.8");
    s_expect (s_target ("tax-total", "", "全区", "working", "total"), "625.1");
    s_expect (s_target ("tax-total", "", "市西软件园", "working", "total"), "2.47");
    s_expect (s_target ("retail-sales", "", "赵巷镇", "working", "total"), "135.0");
    s_expect (s_target ("transport-revenue", "", "赵巷镇", "working", "total"), "—");
    s_expect (s_target ("project-progress-jw", "出让一批", "华新镇", "working", "total"), "8");
    s_expect (s_target ("project-progress-jw", "出让一批", "赵巷镇", "working", "total"), "—");
    s_expect (s_milestone ("project-progress-jw", "出让一批", "6"), "15|");
    s_expect (s_milestone ("project-progress-jw", "开工一批", "6"), "10|");
    s_expect (s_milestone ("project-progress-jw", "竣工一批", "6"), "5|");
    s_expect (s_milestone ("project-progress-jw", "投产一批", "6"), "5|");
    s_expect (s_milestone ("industrial-investment", "", "9"), "38.5|");
    s_expect (s_milestone ("industrial-output", "", "6"), "890.4|");
    s_expect (s_milestone ("zjtx-new", "", "2"), "|联合属地单位加强政策宣传解读");
    s_expect (s_milestone ("smart-factory", "", "9"),
              "|组织开展区级智能工厂（车间、生产线、仓储）申报工作");
    const char *params [] = { "sei-output", "4" };
    s_expect (harness_scalar (s_server,
        "SELECT m.value || '|' || m.share_pct FROM milestone m JOIN indicator i"
        " ON i.id = m.indicator_id WHERE i.code = $1 AND m.month = $2::integer", 2, params),
        "145.6|26");
    s_expect (harness_scalar (s_server,
        "SELECT leaders || '|' || sections FROM task WHERE level = '部门级' AND seq = 4",
        0, NULL), "董敏 李玉洁|项目管理科 技术进步科");
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM task t JOIN plan p ON p.id = t.plan_id"
        " WHERE p.code = 'qingpu-2023'", 0, NULL), 14);
    free (qingpu);
    free (baoshan);
}

static void
test_reload_changes_nothing (void **state)
{
    long targets = harness_count (s_server, "SELECT count (*) FROM target", 0, NULL);
    long milestones = harness_count (s_server, "SELECT count (*) FROM milestone", 0, NULL);
    char *qingpu = harness_source_path ("deploy/plans/qingpu-2023");
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "plan", "load", qingpu, NULL);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (output, "version 1 (no change)"));
    assert_non_null (strstr (output, "targets: 0 new or changed"));
    free (output);
    free (qingpu);
    assert_int_equal (harness_count (s_server, "SELECT count (*) FROM target", 0, NULL), targets);
    assert_int_equal (harness_count (s_server, "SELECT count (*) FROM milestone", 0, NULL),
                      milestones);
    assert_int_equal (harness_count (s_server,
        "SELECT version FROM plan WHERE code = 'qingpu-2023'", 0, NULL), 1);
}

//  Copies the shipped Qingpu plan to a temporary folder, replacing `from`
//  by `to` in one file
static char *
s_edited_plan (const char *file, const char *from, const char *to)
{
    char *directory = strdup ("/tmp/bm-plan-XXXXXX");
    assert_non_null (mkdtemp (directory));
    const char *names [] = { "plan.csv", "units.csv", "indicators.csv", "targets.csv",
                             "milestones.csv", "tasks.csv" };
    for (size_t index = 0; index < 6; index++) {
        char *relative = zsys_sprintf ("deploy/plans/qingpu-2023/%s", names [index]);
        char *source = harness_source_path (relative);
        zchunk_t *chunk = zchunk_slurp (source, 0);
        assert_non_null (chunk);
        char *text = zchunk_strdup (chunk);
        zchunk_destroy (&chunk);
        if (streq (names [index], file)) {
            char *at = strstr (text, from);
            assert_non_null (at);
            char *edited = zsys_sprintf ("%.*s%s%s", (int) (at - text), text, to,
                                         at + strlen (from));
            free (text);
            text = edited;
        }
        char *target = zsys_sprintf ("%s/%s", directory, names [index]);
        FILE *out = fopen (target, "w");
        fputs (text, out);
        fclose (out);
        free (target);
        free (text);
        free (source);
        free (relative);
    }
    return directory;
}

static void
test_changed_target_is_new_version (void **state)
{
    //  赵巷镇 规上工业总产值 17.2 -> 18.0
    char *directory = s_edited_plan ("targets.csv", "industrial-output,,赵巷镇,working,total,,17.2",
                                     "industrial-output,,赵巷镇,working,total,,18.0");
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "plan", "load", directory, NULL);
    if (rc != 0)
        fail_msg ("plan load failed:\n%s", output);
    assert_non_null (strstr (output, "version 2 (changed)"));
    assert_non_null (strstr (output, "targets: 1 new or changed"));
    free (output);
    s_expect (s_target ("industrial-output", "", "赵巷镇", "working", "total"), "18.0");
    //  The old version is kept, superseded
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM target t JOIN indicator i ON i.id = t.indicator_id"
        " JOIN unit u ON u.id = t.unit_id WHERE i.code = 'industrial-output'"
        " AND u.name = '赵巷镇' AND t.kind = 'total'", 0, NULL), 2);
    s_expect (harness_scalar (s_server,
        "SELECT t.value || '|' || t.plan_version FROM target t"
        " JOIN indicator i ON i.id = t.indicator_id JOIN unit u ON u.id = t.unit_id"
        " WHERE i.code = 'industrial-output' AND u.name = '赵巷镇' AND t.kind = 'total'"
        " AND t.superseded_at IS NOT NULL", 0, NULL), "17.2|1");
    s_expect (harness_scalar (s_server,
        "SELECT t.plan_version::text FROM target t JOIN indicator i ON i.id = t.indicator_id"
        " JOIN unit u ON u.id = t.unit_id WHERE i.code = 'industrial-output'"
        " AND u.name = '赵巷镇' AND t.kind = 'total' AND t.superseded_at IS NULL", 0, NULL), "2");
    harness_remove_tree (directory);
    free (directory);
}

static void
test_invalid_plan_refused_with_location (void **state)
{
    long targets = harness_count (s_server, "SELECT count (*) FROM target", 0, NULL);
    long version = harness_count (s_server,
        "SELECT version FROM plan WHERE code = 'qingpu-2023'", 0, NULL);
    //  A changed value that is not a number, in an otherwise changed plan
    char *directory = s_edited_plan ("targets.csv", "industrial-output,,徐泾镇,working,total,,63.6",
                                     "industrial-output,,徐泾镇,working,total,,63,6");
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "plan", "load", directory, NULL);
    assert_int_equal (rc, 1);
    assert_non_null (strstr (output, "refused (PLAN_INVALID)"));
    assert_non_null (strstr (output, "nothing was loaded"));
    //  Every error names file, line and column
    char *located = strstr (output, "targets.csv:");
    assert_non_null (located);
    int line = 0, column = 0;
    assert_int_equal (sscanf (located, "targets.csv:%d:%d:", &line, &column), 2);
    assert_true (line > 1);
    assert_true (column > 0);
    free (output);
    harness_remove_tree (directory);
    free (directory);

    //  An unknown unit in a target row
    directory = s_edited_plan ("targets.csv", "industrial-output,,徐泾镇,", "industrial-output,,徐泾,");
    rc = harness_cli (s_server, &output, "plan", "load", directory, NULL);
    assert_int_equal (rc, 1);
    assert_non_null (strstr (output, "徐泾"));
    assert_non_null (strstr (output, "targets.csv:"));
    free (output);
    harness_remove_tree (directory);
    free (directory);

    assert_int_equal (harness_count (s_server, "SELECT count (*) FROM target", 0, NULL), targets);
    assert_int_equal (harness_count (s_server,
        "SELECT version FROM plan WHERE code = 'qingpu-2023'", 0, NULL), version);
}

static void
test_missing_file_and_unreadable_path (void **state)
{
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "plan", "load", "/nonexistent/plan", NULL);
    assert_int_equal (rc, 2);
    assert_non_null (strstr (output, "/nonexistent/plan"));
    free (output);
    //  Only some of the files: plan.csv and the others are required
    char *targets = harness_source_path ("deploy/plans/qingpu-2023/targets.csv");
    rc = harness_cli (s_server, &output, "plan", "load", targets, NULL);
    assert_int_equal (rc, 1);
    assert_non_null (strstr (output, "plan.csv"));
    free (output);
    free (targets);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_shipped_plans_load),
        cmocka_unit_test (test_reload_changes_nothing),
        cmocka_unit_test (test_changed_target_is_new_version),
        cmocka_unit_test (test_invalid_plan_refused_with_location),
        cmocka_unit_test (test_missing_file_and_unreadable_path),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
