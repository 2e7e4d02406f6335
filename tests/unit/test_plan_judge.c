/*  test_plan_judge: what a plan's figures are judged against besides their
    targets: baselines.csv (the previous year's figures), rankings.csv
    (weighted overall rankings) and a composite task's overall rule in
    tasks.csv. The plan is plan_fixture.h's: baselines.csv and
    rankings.csv have lines 1 to 5, so a row appended lands on line 6. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bm_plan.h"
#include "plan_fixture.h"


//  --------------------------------------------------------------------------
//  baselines.csv

static void
test_baselines (void **state)
{
    bm_plan_t *plan = s_parse_valid (NULL, 0);
    assert_int_equal (plan->baseline_count, 4);
    const bm_plan_baseline_t *baseline = &plan->baselines [0];
    assert_string_equal (baseline->indicator, "industrial-output");
    assert_string_equal (baseline->measure, "");
    assert_string_equal (baseline->unit, BM_DISTRICT_UNIT);
    assert_int_equal (baseline->year, 2022);
    assert_int_equal (baseline->month, 6);
    s_assert_decimal (baseline->value, "850.2");
    assert_string_equal (baseline->value_text, "850.2");
    assert_string_equal (baseline->note, "2022年1-6月");
    assert_string_equal (plan->baselines [1].unit, "青浦工业园区");
    baseline = &plan->baselines [2];
    assert_string_equal (baseline->measure, "出让一批");
    assert_string_equal (baseline->unit, BM_DISTRICT_UNIT);
    assert_int_equal (baseline->month, 12);
    s_assert_decimal (baseline->value, "24");
    assert_string_equal (baseline->note, "");
    bm_plan_destroy (&plan);

    //  Baselines of a growth rate, a level and a qualitative target; no
    //  unit column (every baseline is the district's)
    char *indicators = s_appended ("indicators.csv", s_kind_indicators);
    const file_t changes [] = {
        { "indicators.csv", indicators },
        { "baselines.csv", "period,indicator,value\n"
                           "2022-06,services-revenue,1208.35\n"
                           "2022-12,info-quality,95.5\n"
                           "2022-01,sei-output,-3.5\n" },
    };
    plan = s_parse_valid (changes, 2);
    assert_int_equal (plan->baseline_count, 3);
    assert_string_equal (plan->baselines [0].unit, BM_DISTRICT_UNIT);
    assert_string_equal (plan->baselines [0].value_text, "1208.35");
    assert_string_equal (plan->baselines [0].note, "");
    assert_int_equal (plan->baselines [2].month, 1);
    s_assert_decimal (plan->baselines [2].value, "-3.5");
    bm_plan_destroy (&plan);
    free (indicators);
}

static void
test_baseline_problems (void **state)
{
    static const case_t cases [] = {
        { "baselines.csv", "gdp,,,2022-06,1,\n",
          "baselines.csv:6:1: indicator \"gdp\" is not in indicators.csv: add it there "
          "or correct the code" },
        { "baselines.csv", "project-progress,,,2022-06,1,\n",
          "baselines.csv:6:2: indicator \"project-progress\" has several measures: "
          "name one of 出让一批, 开工一批 in measure" },
        { "baselines.csv", "project-progress,竣工一批,,2022-06,1,\n",
          "baselines.csv:6:2: measure \"竣工一批\" is not a measure of indicator "
          "\"project-progress\"" },
        { "baselines.csv", "industrial-output,,徐泾镇,2022-06,1,\n",
          "baselines.csv:6:3: unit \"徐泾镇\" is not in units.csv: add it there or "
          "correct the name" },
        { "baselines.csv", "industrial-output,,,,1,\n",
          "baselines.csv:6:4: period is empty: write the month of the previous year, "
          "like 2022-06" },
        { "baselines.csv", "industrial-output,,,2022-6,1,\n",
          "baselines.csv:6:4: period: \"2022-6\" is not YYYY-MM (period must be "
          "YYYY-MM): write a month of 2022, like 2022-06" },
        { "baselines.csv", "industrial-output,,,2022-13,1,\n",
          "baselines.csv:6:4: period: \"2022-13\" is not YYYY-MM (month must be 01 to "
          "12)" },
        { "baselines.csv", "industrial-output,,,2023-06,1,\n",
          "baselines.csv:6:4: period 2023-06 is not in 2022: a baseline is the "
          "previous year's figure for the same month (the plan is for 2023)" },
        { "baselines.csv", "industrial-output,,,2021-06,1,\n",
          "baselines.csv:6:4: period 2021-06 is not in 2022" },
        { "baselines.csv", "industrial-output,,,2022-07,,\n",
          "baselines.csv:6:5: value is empty: write a number" },
        { "baselines.csv", "industrial-output,,,2022-07,八百,\n",
          "baselines.csv:6:5: value: \"八百\" is not a plain decimal number" },
        { "baselines.csv", "industrial-output,,,2022-07,—,\n",
          "baselines.csv:6:5: value: \"—\" (no target) belongs only in the value column "
          "of targets.csv" },
        { "baselines.csv", "industrial-output,,全区,2022-06,851,\n",
          "baselines.csv:6:1: a baseline of \"industrial-output\" for 全区 in 2022-06 is "
          "already on line 2: remove one of the rows" },
        { "baselines.csv", "project-progress,出让一批,,2022-12,25,\n",
          "baselines.csv:6:1: a baseline of \"project-progress\" measure \"出让一批\" for "
          "全区 in 2022-12 is already on line 4" },
    };
    RUN_CASES (cases);
    EXPECT_REPLACED ("baselines.csv", "indicator,value\nindustrial-output,1\n",
                     "baselines.csv:1: missing column \"period\": add it to the header row");
}

static void
test_baselines_fit_kind (void **state)
{
    static const case_t cases [] = {
        { "baselines.csv", "sei-share,,,2022-06,28.5,\n",
          "baselines.csv:6:1: a baseline does not fit indicator sei-share, which is a "
          "ratio (a ratio is computed from its formula: give baselines to the "
          "indicators it is computed from)" },
        { "baselines.csv", "tax-revenue,,,2022-06,100,\n",
          "baselines.csv:6:1: a baseline does not fit indicator tax-revenue, which is "
          "a group (a group has no figures: give baselines to the indicators under it)" },
    };
    RUN_KIND_CASES (cases);
}


//  --------------------------------------------------------------------------
//  rankings.csv

static void
test_rankings (void **state)
{
    bm_plan_t *plan = s_parse_valid (NULL, 0);
    assert_int_equal (plan->ranking_count, 4);
    const bm_plan_ranking_t *ranking = &plan->rankings [0];
    assert_string_equal (ranking->ranking, "主要经济指标");
    assert_string_equal (ranking->indicator, "industrial-output");
    assert_string_equal (ranking->measure, "");
    s_assert_decimal (ranking->weight, "2");
    assert_string_equal (ranking->weight_text, "2");
    assert_int_equal (ranking->bottom, 3);
    assert_string_equal (ranking->note, "后3名预警");
    ranking = &plan->rankings [1];
    assert_string_equal (ranking->measure, "出让一批");
    assert_int_equal (ranking->bottom, 0);
    assert_string_equal (ranking->note, "");
    ranking = &plan->rankings [2];
    s_assert_decimal (ranking->weight, "0.5");
    assert_string_equal (ranking->weight_text, "0.5");
    assert_int_equal (ranking->bottom, 3);
    assert_string_equal (plan->rankings [3].ranking, "项目推进");
    bm_plan_destroy (&plan);

    //  A growth rate, a level and a ratio rank; an indicator may be in
    //  several rankings; a bottom given again agrees
    char *indicators = s_appended ("indicators.csv", s_kind_indicators);
    char *rankings = s_appended ("rankings.csv",
                                 "主要经济指标,services-revenue,,1,3,\n"      //  6
                                 "主要经济指标,info-quality,,1,,\n"           //  7
                                 "主要经济指标,sei-share,,1,,\n"              //  8
                                 "项目推进,industrial-output,,1,10,\n");     //  9
    const file_t changes [] = {
        { "indicators.csv", indicators }, { "rankings.csv", rankings }
    };
    plan = s_parse_valid (changes, 2);
    assert_int_equal (plan->ranking_count, 8);
    assert_int_equal (plan->rankings [7].bottom, 10);
    bm_plan_destroy (&plan);
    free (indicators);
    free (rankings);
}

static void
test_ranking_problems (void **state)
{
    static const case_t cases [] = {
        { "rankings.csv", ",industrial-output,,1,,\n",
          "rankings.csv:6:1: ranking is empty: name the ranking, like 主要经济指标" },
        { "rankings.csv", "主要经济指标,gdp,,1,,\n",
          "rankings.csv:6:2: indicator \"gdp\" is not in indicators.csv" },
        { "rankings.csv", "主要经济指标,,,1,,\n",
          "rankings.csv:6:2: indicator is empty: write the indicator's code" },
        { "rankings.csv", "主要经济指标,project-progress,,1,,\n",
          "rankings.csv:6:3: indicator \"project-progress\" has several measures" },
        { "rankings.csv", "主要经济指标,registered-unemployed,全部,1,,\n",
          "rankings.csv:6:3: indicator \"registered-unemployed\" has a single measure" },
        { "rankings.csv", "主要经济指标,project-progress,开工一批,,,\n",
          "rankings.csv:6:4: weight is empty: write a number" },
        { "rankings.csv", "主要经济指标,project-progress,开工一批,0,,\n",
          "rankings.csv:6:4: weight: \"0\" must be above 0: give each indicator of the "
          "ranking a positive weight, or leave it out" },
        { "rankings.csv", "主要经济指标,project-progress,开工一批,-1,,\n",
          "rankings.csv:6:4: weight: \"-1\" must be above 0" },
        { "rankings.csv", "主要经济指标,project-progress,开工一批,20%,,\n",
          "rankings.csv:6:4: weight: \"20%\" is not a plain decimal number" },
        { "rankings.csv", "主要经济指标,project-progress,开工一批,1,0,\n",
          "rankings.csv:6:5: bottom: \"0\" must be a whole number from 1 to 9999" },
        { "rankings.csv", "主要经济指标,project-progress,开工一批,1,2.5,\n",
          "rankings.csv:6:5: bottom: \"2.5\" must be a whole number from 1 to 9999" },
        { "rankings.csv", "主要经济指标,project-progress,开工一批,1,5,\n",
          "rankings.csv:6:5: bottom 5 differs from 3 on line 2: ranking \"主要经济指标\" "
          "warns one number of units, give it on one row" },
        { "rankings.csv", "主要经济指标,industrial-output,,1,,\n",
          "rankings.csv:6:2: indicator \"industrial-output\" in ranking \"主要经济指标\" is "
          "already on line 2: remove one of the rows" },
        { "rankings.csv", "项目推进,project-progress,开工一批,2,,\n",
          "rankings.csv:6:2: indicator \"project-progress\" measure \"开工一批\" in "
          "ranking \"项目推进\" is already on line 5" },
        { "rankings.csv", "主要经济指标,sei-output,,1,,\n",
          "rankings.csv:6:2: a ranking does not fit indicator sei-output, which is "
          "qualitative (a target in words has no completion to rank units by)" },
    };
    RUN_CASES (cases);
    static const case_t kind_cases [] = {
        { "rankings.csv", "主要经济指标,tax-revenue,,1,,\n",
          "rankings.csv:6:2: a ranking does not fit indicator tax-revenue, which is a "
          "group (a group has no figures: rank on the indicators under it)" },
    };
    RUN_KIND_CASES (kind_cases);
    EXPECT_REPLACED ("rankings.csv", "ranking,indicator\n主要经济指标,industrial-output\n",
                     "rankings.csv:1: missing column \"weight\": add it to the header row");
}


//  --------------------------------------------------------------------------
//  tasks.csv: a composite task's overall rule

static void
test_task_overall (void **state)
{
    char *tasks = s_appended ("tasks.csv",
                              "区级,2,“四个一批”,,,project-progress,,,worst\n"        //  4
                              "区级,3,“四个一批”出让,,,project-progress,出让一批,,\n");  //  5
    const file_t changes [] = { { "tasks.csv", tasks } };
    bm_plan_t *plan = s_parse_valid (changes, 1);
    assert_int_equal (plan->task_count, 4);
    assert_string_equal (plan->tasks [0].overall, "worst");
    assert_string_equal (plan->tasks [1].overall, "average");
    assert_string_equal (plan->tasks [2].overall, "worst");
    assert_string_equal (plan->tasks [3].overall, "worst");
    bm_plan_destroy (&plan);
    free (tasks);

    //  Without the column every task is "worst"
    const file_t without [] = {
        { "tasks.csv", "level,seq,title,indicator,measures\n"
                       "区级,1,“四个一批”,project-progress,出让一批|开工一批\n" }
    };
    plan = s_parse_valid (without, 1);
    assert_string_equal (plan->tasks [0].overall, "worst");
    bm_plan_destroy (&plan);

    static const case_t cases [] = {
        { "tasks.csv", "区级,2,任务,,,project-progress,,,mean\n",
          "tasks.csv:4:9: overall: \"mean\" is not worst or average: with worst the "
          "worst measure decides, with average the average completion" },
        { "tasks.csv", "区级,2,任务,,,project-progress,,,Average\n",
          "tasks.csv:4:9: overall: \"Average\" is not worst or average" },
    };
    RUN_CASES (cases);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_baselines),
        cmocka_unit_test (test_baseline_problems),
        cmocka_unit_test (test_baselines_fit_kind),
        cmocka_unit_test (test_rankings),
        cmocka_unit_test (test_ranking_problems),
        cmocka_unit_test (test_task_overall),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
