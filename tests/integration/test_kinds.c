/*  Every kind of target, judged the way the bureau judges it, on the wall of
    Qingpu 2023 for a month of submitted figures (June 2023), with test
    baselines and a test ranking from tests/data/kinds. Expected values are
    computed by hand from the plan and the figures below. */

#include "harness.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static harness_t *s_server;

typedef struct {
    const char *unit;
    const char *indicator;
    const char *measure;
    const char *period;
    const char *value;              //  NULL: a status
    Battlemap__MilestoneStatus status;
} s_figure_t;

#define S(name) BATTLEMAP__MILESTONE_STATUS__##name

static const s_figure_t s_figures [] = {
    //  amount, summed over units; units ranked
    { "青浦工业园区", "industrial-output", "", "2023-06", "600", 0 },
    { "华新镇", "industrial-output", "", "2023-06", "110", 0 },
    { "赵巷镇", "industrial-output", "", "2023-06", "8.6", 0 },
    { "徐泾镇", "industrial-output", "", "2023-06", "25", 0 },
    { "重固镇", "industrial-output", "", "2023-06", "2.5", 0 },
    { "赵巷镇", "retail-sales", "", "2023-06", "81", 0 },
    //  an operand of the derived 战新产值占比
    { "青浦工业园区", "sei-output", "", "2023-06", "210", 0 },
    //  growth only
    { "全区", "services-revenue", "", "2023-06", "530", 0 },
    { "全区", "deposits", "", "2023-06", "1070", 0 },
    { "全区", "loans", "", "2023-06", "500", 0 },
    //  levels and a ceiling
    { "赵巷镇", "migrant-info-quality", "", "2023-06", "95.5", 0 },
    { "徐泾镇", "migrant-info-quality", "", "2023-06", "97", 0 },
    { "全区", "accident-death-rate", "", "2023-06", "0.0250", 0 },
    //  lower is better, reached exactly
    { "全区", "registered-unemployed", "", "2023-06", "7300", 0 },
    //  composite with one measure lagging
    { "全区", "project-progress-jw", "出让一批", "2023-06", "15", 0 },
    { "全区", "project-progress-jw", "开工一批", "2023-06", "10", 0 },
    { "全区", "project-progress-jw", "竣工一批", "2023-06", "4", 0 },
    { "全区", "project-progress-jw", "投产一批", "2023-06", "5", 0 },
    //  text milestones: within the month, and overdue
    { "全区", "zjtx-new", "", "2023-05", NULL, S (IN_PROGRESS) },
    { "全区", "smart-factory", "", "2023-04", NULL, S (IN_PROGRESS) },
    //  qualitative: judged against last year, and by report
    { "经委", "perf-energy-intensity", "", "2023-06", "0.48", 0 },
    { "经委", "perf-rd-revenue-share", "", "2023-06", "2.8", 0 },
    { "经委", "perf-firm-influence", "", "2023-06", NULL, S (DONE) },
    //  assessment and working targets
    { "全区", "tax-total", "", "2023-06", "300", 0 },
};

static int
s_setup (void **state)
{
    s_server = harness_start (NULL, true);
    char *plan = harness_source_path ("deploy/plans/qingpu-2023");
    char *baselines = harness_source_path ("tests/data/kinds/baselines.csv");
    char *rankings = harness_source_path ("tests/data/kinds/rankings.csv");
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "plan", "load", plan, baselines, rankings, NULL);
    if (rc != 0)
        fail_msg ("plan load failed:\n%s", output);
    free (output);
    free (plan);
    free (baselines);
    free (rankings);

    size_t count = sizeof s_figures / sizeof s_figures [0];
    Battlemap__Figure *figures = calloc (count, sizeof *figures);
    Battlemap__Figure **pointers = calloc (count, sizeof *pointers);
    char (*ids) [BM_CLIENT_ID_SIZE] = calloc (count, BM_CLIENT_ID_SIZE);
    for (size_t index = 0; index < count; index++) {
        const s_figure_t *figure = s_figures + index;
        harness_figure (figures + index, ids [index], figure->unit, figure->indicator,
                        figure->measure, figure->period, BATTLEMAP__FIGURE_KIND__FINAL,
                        figure->value);
        figures [index].status = figure->status;
        figures [index].note = figure->status? "佐证：见月报附件": "";
        pointers [index] = figures + index;
    }
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_submit (client, pointers, count);
    bm_client_destroy (&client);
    if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR)
        fail_msg ("refused: %s", reply->error->message);
    bm_wire_free (&reply);
    free (figures);
    free (pointers);
    free (ids);
    return 0;
}

static int
s_teardown (void **state)
{
    harness_stop (&s_server, false);
    return 0;
}

//  The wall of a unit, or of the district with every indicator ("")
static Battlemap__Envelope *
s_wall (const char *period, const char *unit)
{
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_wall (client, "qingpu", period, unit, !*unit);
    bm_client_destroy (&client);
    assert_non_null (reply);
    if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR)
        fail_msg ("wall refused: %s", reply->error->message);
    return reply;
}

static Battlemap__WallTask *
s_task (Battlemap__Envelope *wall, const char *indicator)
{
    for (size_t index = 0; index < wall->wall_reply->n_tasks; index++)
        if (streq (wall->wall_reply->tasks [index]->indicator, indicator))
            return wall->wall_reply->tasks [index];
    fail_msg ("%s is not on the wall", indicator);
    return NULL;
}

//  A measure of an indicator: in its own task, or shown beside another
//  task's (区级4 shows sei-share beside sei-output)
static Battlemap__WallMeasure *
s_measure (Battlemap__Envelope *wall, const char *indicator, const char *measure)
{
    for (size_t task = 0; task < wall->wall_reply->n_tasks; task++) {
        Battlemap__WallTask *shown = wall->wall_reply->tasks [task];
        for (size_t index = 0; index < shown->n_measures; index++) {
            Battlemap__WallMeasure *found = shown->measures [index];
            if (streq (found->indicator, indicator) && streq (found->measure, measure))
                return found;
        }
    }
    fail_msg ("%s %s is not on the wall", indicator, measure);
    return NULL;
}

typedef struct {
    const char *period;
    const char *unit;           //  "" for the district
    const char *indicator;
    const char *measure;
    const char *kind;
    const char *actual;
    const char *vs_expected;
    const char *vs_annual;
    const char *growth;
    const char *status;
    const char *why;
} s_expect_t;

static const s_expect_t s_expected [] = {
    //  amount: 746.1 of 890.4 and 1855.0; growth on 800; see also below
    { "2023-06", "", "industrial-output", "", "amount", "746.1", "83.8", "40.2", "-6.7",
      "lagging", "sum of five units against the June milestone" },
    //  a unit without milestones of its own takes its share of the
    //  district's: 1195.0 * 890.4 / 1855.0 = 573.6; 600 / 573.6 = 104.6
    { "2023-06", "青浦工业园区", "industrial-output", "", "amount", "600", "104.6", "50.2", "",
      "on_track", "no unit milestone: its share of the district's" },
    //  growth only: 530 / 500 = 6.0% of 6%; 1070 / 1000 = 7.0% of 8%
    { "2023-06", "", "services-revenue", "", "growth", "530", "100.0", "", "6.0",
      "on_track", "growth met" },
    { "2023-06", "", "deposits", "", "growth", "1070", "87.5", "", "7.0",
      "lagging", "7% of 8% is 87.5%" },
    { "2023-06", "", "loans", "", "growth", "500", "", "", "",
      "no_baseline", "no previous-year figure" },
    //  ratio computed from its operands: 210 / 746.1 * 100 = 28.1464,
    //  shown and judged in its precision (one decimal): 28.1; 28.1 / 30 =
    //  93.7
    { "2023-06", "", "sei-share", "", "ratio", "28.1", "93.7", "93.7", "",
      "at_risk", "derived share below its level" },
    //  levels
    { "2023-06", "赵巷镇", "migrant-info-quality", "", "level", "95.5", "99.5", "99.5", "",
      "at_risk", "95.5 does not reach >= 96" },
    { "2023-06", "徐泾镇", "migrant-info-quality", "", "level", "97", "101.0", "101.0", "",
      "on_track", "97 reaches >= 96" },
    { "2023-06", "", "accident-death-rate", "", "level", "0.025", "95.2", "95.2", "",
      "at_risk", "a ceiling exceeded: 0.0238 / 0.0250" },
    //  lower is better, reached exactly: a stock (城乡登记失业人数), a level
    { "2023-06", "", "registered-unemployed", "", "level", "7300", "100.0", "100.0", "",
      "on_track", "a ceiling reached exactly" },
    //  composite: one rate per measure
    //  完成90%以上: on track from 90%, at risk from 80% (the plan's band)
    { "2023-06", "", "project-progress-jw", "竣工一批", "amount", "4", "80.0", "28.6", "",
      "at_risk", "4 of the June milestone 5" },
    { "2023-06", "", "project-progress-jw", "出让一批", "amount", "15", "100.0", "57.7", "",
      "on_track", "15 of 15" },
    //  text milestones: in their month, and overdue
    { "2023-05", "", "zjtx-new", "", "amount", "", "", "", "",
      "at_risk", "in progress within its month" },
    { "2023-04", "", "smart-factory", "", "amount", "", "", "", "",
      "lagging", "the Q1 milestone not done in April: overdue" },
    //  qualitative: 减少 against last year's 0.50; 保持稳定 missed; by report
    { "2023-06", "经委", "perf-energy-intensity", "", "qualitative", "0.48", "", "", "-4.0",
      "on_track", "decreased" },
    { "2023-06", "经委", "perf-rd-revenue-share", "", "qualitative", "2.8", "", "", "-6.7",
      "lagging", "not stable within 2%" },
    { "2023-06", "经委", "perf-firm-influence", "", "qualitative", "", "", "", "",
      "on_track", "reported done with evidence" },
};

static void
test_each_kind_on_the_wall (void **state)
{
    for (size_t index = 0; index < sizeof s_expected / sizeof s_expected [0]; index++) {
        const s_expect_t *expect = s_expected + index;
        print_message ("  %s %s %s: %s\n", expect->unit, expect->indicator, expect->measure,
                       expect->why);
        Battlemap__Envelope *wall = s_wall (expect->period, expect->unit);
        Battlemap__WallMeasure *measure = s_measure (wall, expect->indicator, expect->measure);
        assert_string_equal (measure->kind, expect->kind);
        assert_string_equal (measure->actual, expect->actual);
        assert_string_equal (measure->vs_milestone, expect->vs_expected);
        assert_string_equal (measure->vs_annual, expect->vs_annual);
        assert_string_equal (measure->growth, expect->growth);
        assert_string_equal (measure->status, expect->status);
        bm_wire_free (&wall);
    }
}

static void
test_amount_details (void **state)
{
    Battlemap__Envelope *wall = s_wall ("2023-06", "");
    Battlemap__WallMeasure *measure = s_measure (wall, "industrial-output", "");
    assert_string_equal (measure->milestone, "890.4");
    assert_string_equal (measure->baseline, "800");
    assert_string_equal (measure->growth_target, "10.0");
    assert_string_equal (measure->growth_gap, "-16.7");         //  -6.7 against 10%
    //  Along the plan's milestones: 746.1 * 1855.0 / 890.4 = 1554.375
    assert_string_equal (measure->projection, "1554.38");
    assert_string_equal (measure->vs_projection, "83.8");
    assert_string_equal (measure->warning, "各单位目标合计1864.5，与全区目标1855.0相差+9.5");
    //  Assessment and working targets, both shown
    measure = s_measure (wall, "tax-total", "");
    assert_string_equal (measure->annual_target, "625.1");
    assert_string_equal (measure->vs_annual, "48.0");           //  300 / 625.1
    assert_string_equal (measure->assessment_target, "608.8");
    assert_string_equal (measure->vs_assessment, "49.3");       //  300 / 608.8
    //  The composite task: the worst measure decides (竣工一批, at risk)
    Battlemap__WallTask *task = s_task (wall, "project-progress-jw");
    assert_int_equal (task->n_measures, 4);
    assert_string_equal (task->overall_rule, "worst");
    assert_string_equal (task->overall_status, "at_risk");
    bm_wire_free (&wall);
}

static void
test_derived_indicator_is_not_sent (void **state)
{
    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    harness_figure (&figure, id, "全区", "sei-share", NULL, "2023-06",
                    BATTLEMAP__FIGURE_KIND__FINAL, "31");
    Battlemap__Figure *figures [] = { &figure };
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_submit (client, figures, 1);
    bm_client_destroy (&client);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ERROR);
    assert_int_equal (reply->error->code, BATTLEMAP__ERROR_CODE__DERIVED);
    assert_non_null (strstr (reply->error->message, "sei-output / industrial-output * 100"));
    bm_wire_free (&reply);
}

static void
test_rankings (void **state)
{
    //  Units on 规上工业总产值 in June against their shares of the June
    //  milestone (target * 890.4 / 1855.0 = target * 0.48, to 0.1):
    //  青浦工业园区 600 / 573.6 = 104.6, 重固镇 2.5 / 2.4 = 104.2, 赵巷镇
    //  8.6 / 8.3 = 103.6, 华新镇 110 / 109.2 = 100.7, 徐泾镇 25 / 30.5 =
    //  82.0; the seven that have not reported are not ranked (they are
    //  overdue), and five ranked units are no ranking to warn the bottom
    //  five of
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_ranking (client, "qingpu", "2023-06",
                                                    "industrial-output", "", NULL, 0);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_RANKING_REPLY);
    Battlemap__RankingReply *ranking = reply->ranking_reply;
    assert_int_equal (ranking->n_rows, 12);
    assert_int_equal (ranking->bottom, 5);
    const char *units [] = { "青浦工业园区", "重固镇", "赵巷镇", "华新镇", "徐泾镇" };
    const char *rates [] = { "104.6", "104.2", "103.6", "100.7", "82.0" };
    const uint32_t ranks [] = { 1, 2, 3, 4, 5 };
    for (size_t index = 0; index < 5; index++) {
        assert_string_equal (ranking->rows [index]->unit, units [index]);
        assert_string_equal (ranking->rows [index]->rate, rates [index]);
        assert_int_equal (ranking->rows [index]->rank, ranks [index]);
        assert_false (ranking->rows [index]->warned);
    }
    for (size_t index = 5; index < 12; index++) {
        assert_int_equal (ranking->rows [index]->rank, 0);
        assert_false (ranking->rows [index]->warned);
        assert_string_equal (ranking->rows [index]->rate, "");
    }
    bm_wire_free (&reply);

    //  The weighted ranking (test fixture: 规上工业总产值 2, 社零 1, bottom 3):
    //  赵巷镇 (2 x 103.6 + 1 x 120.0) / 3 = 109.07 -> 109.1 first
    reply = bm_client_ranking (client, "qingpu", "2023-06", NULL, NULL, "主要经济指标", 0);
    bm_client_destroy (&client);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_RANKING_REPLY);
    ranking = reply->ranking_reply;
    assert_int_equal (ranking->bottom, 3);
    assert_string_equal (ranking->rows [0]->unit, "赵巷镇");
    assert_string_equal (ranking->rows [0]->rate, "109.1");
    assert_string_equal (ranking->rows [1]->unit, "青浦工业园区");
    assert_string_equal (ranking->rows [1]->rate, "104.6");
    bm_wire_free (&reply);

    //  A unit's wall shows its rank
    Battlemap__Envelope *wall = s_wall ("2023-06", "徐泾镇");
    Battlemap__WallMeasure *measure = s_measure (wall, "industrial-output", "");
    assert_int_equal (measure->rank, 5);
    assert_int_equal (measure->rank_of, 5);
    assert_false (measure->rank_warned);
    bm_wire_free (&wall);
}

static void
test_lead_section_sees_its_tasks (void **state)
{
    //  项目管理科 leads 区级2 (四个一批) and 部门级2 and 部门级4
    Battlemap__Envelope *wall = s_wall ("2023-06", "项目管理科");
    Battlemap__WallReply *reply = wall->wall_reply;
    size_t led = 0;
    for (size_t index = 0; index < reply->n_tasks; index++)
        if (*reply->tasks [index]->level) {
            assert_non_null (strstr (reply->tasks [index]->sections, "项目管理科"));
            led++;
        }
    assert_int_equal (led, 3);
    //  Its tasks show the district's figures
    Battlemap__WallMeasure *measure = s_measure (wall, "project-progress-jw", "出让一批");
    assert_string_equal (measure->actual, "15");
    bm_wire_free (&wall);
    //  The department sees the tasks of all its sections
    wall = s_wall ("2023-06", "经委");
    led = 0;
    for (size_t index = 0; index < wall->wall_reply->n_tasks; index++)
        if (*wall->wall_reply->tasks [index]->level)
            led++;
    assert_int_equal (led, 14);
    bm_wire_free (&wall);
}

//  A lead section's key may read the district's template: the 全区 rows of
//  the tasks it leads, and no others; a town's key may not
static void
test_lead_section_template (void **state)
{
    zcert_t *section = harness_enroll (s_server, "项目管理科统计员", "submitter", "qingpu",
                                       "项目管理科", NULL);
    bm_client_t *client = harness_client_as (s_server, section);
    Battlemap__Envelope *reply = bm_client_template (client, "qingpu", "全区", "2023-06");
    assert_non_null (reply);
    if (reply->body_case != BATTLEMAP__ENVELOPE__BODY_TEMPLATE_REPLY)
        fail_msg ("refused: %s", reply->error->message);
    const Battlemap__TemplateReply *template_ = reply->template_reply;
    assert_true (template_->n_rows > 0);
    bool progress = false;
    for (size_t index = 0; index < template_->n_rows; index++) {
        const Battlemap__TemplateRow *row = template_->rows [index];
        assert_string_equal (row->unit, "全区");
        //  Only its tasks: 区级2 (四个一批) and the two department tasks
        assert_string_not_equal (row->indicator, "industrial-output");
        progress |= streq (row->indicator, "project-progress-jw")
                 && streq (row->unit_of_measure, "个");
    }
    assert_true (progress);
    bm_wire_free (&reply);
    bm_client_destroy (&client);
    zcert_destroy (&section);

    zcert_t *town = harness_enroll (s_server, "赵巷镇统计员", "submitter", "qingpu", "赵巷镇",
                                    NULL);
    client = harness_client_as (s_server, town);
    reply = bm_client_template (client, "qingpu", "全区", "2023-06");
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ERROR);
    assert_int_equal (reply->error->code, BATTLEMAP__ERROR_CODE__NOT_ALLOWED);
    bm_wire_free (&reply);
    bm_client_destroy (&client);
    zcert_destroy (&town);
}

//  A qualitative target (持平) that lags has no rate: its alert says what
//  it was judged on, the progress reported, not "累计 —，完成预期 %". On a
//  clock where July's reports are not yet overdue (an overdue report would
//  stand for the lag instead)
static void
test_qualitative_alert_message (void **state)
{
    harness_t *server = harness_start_with (NULL, true, "--test-clock", "--clock",
                                            "2023-07-20T12:00:00+08:00", NULL);
    char *output = NULL;
    int rc = harness_cli (server, &output, "submit", "--district", "qingpu", "--unit", "全区",
                          "--indicator", "housing-sales-area", "--period", "2023-07",
                          "--kind", "forecast", "--status", "in_progress", "--note", "推进中",
                          NULL);
    if (rc != 0)
        fail_msg ("submit refused:\n%s", output);
    free (output);
    rc = harness_cli (server, &output, "alerts", "--district", "qingpu", "--unit", "全区",
                      "--indicator", "housing-sales-area", "--period", "2023-07", NULL);
    if (rc != 0)
        fail_msg ("alerts refused:\n%s", output);
    if (!strstr (output, "全区 新建商品房销售面积 2023-07 报送进展为“推进中”，未达定性目标"))
        fail_msg ("the alert does not say what it was judged on:\n%s", output);
    assert_null (strstr (output, "完成预期 %"));
    free (output);
    harness_stop (&server, false);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_each_kind_on_the_wall),
        cmocka_unit_test (test_amount_details),
        cmocka_unit_test (test_derived_indicator_is_not_sent),
        cmocka_unit_test (test_rankings),
        cmocka_unit_test (test_lead_section_sees_its_tasks),
        cmocka_unit_test (test_lead_section_template),
        cmocka_unit_test (test_qualitative_alert_message),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
