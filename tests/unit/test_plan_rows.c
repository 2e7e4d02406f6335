/*  test_plan_rows: the plan parser on the rows of its files: problems with
    a field (enumerations, numbers, required fields, "—") and with the
    references between files (units, indicators, measures, duplicates).
    One test per class of problem, each asserting where it is reported
    (file:line:column) and that nothing is returned. The plan is
    plan_fixture.h's. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bm_plan.h"
#include "plan_fixture.h"


//  --------------------------------------------------------------------------
//  Problems with a field

static void
test_enumerations (void **state)
{
    static const case_t cases [] = {
        { "units.csv", "徐泾镇,village,,\n",
          "units.csv:6:2: kind: \"village\" is not town, subdistrict, park, company, "
          "department, section or other" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,avg,higher,,,,,,,,amount\n",
          "indicators.csv:7:5: aggregation: \"avg\" is not sum or none" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,up,,,,,,,,amount\n",
          "indicators.csv:7:6: direction: \"up\" is not higher or lower" },
        { "targets.csv", "industrial-output,,赵巷镇,main,total,,1,,\n",
          "targets.csv:11:4: role: \"main\" is not working or assessment" },
        { "targets.csv", "industrial-output,,赵巷镇,,sum,,1,,\n",
          "targets.csv:11:5: kind: \"sum\" is not total, growth, level or qualitative" },
        { "targets.csv", "industrial-output,,赵巷镇,,growth,=>,1,,\n",
          "targets.csv:11:6: comparator: \"=>\" is not >=, <=, =, > or <" },
        { "tasks.csv", "县级,1,t,,,industrial-output,,\n",
          "tasks.csv:4:1: level: \"县级\" is not 区级 or 部门级" },
        { "units.csv", "徐泾镇,,,\n",
          "units.csv:6:2: kind is empty: write town, subdistrict" },
    };
    RUN_CASES (cases);
}

static void
test_numbers (void **state)
{
    static const case_t cases [] = {
        { "targets.csv", "industrial-output,,赵巷镇,,growth,,\"12,5\",,\n",
          "targets.csv:11:7: value: \"12,5\" is not a plain decimal number" },
        { "targets.csv", "industrial-output,,赵巷镇,,growth,,1.1234567,,\n",
          "targets.csv:11:7: value: \"1.1234567\" has more than 6 decimals" },
        { "targets.csv", "industrial-output,,赵巷镇,,growth,,10%,,\n",
          "targets.csv:11:7: value: \"10%\" is not a plain decimal number: write "
          "the number without %" },
        { "targets.csv", "industrial-output,,赵巷镇,,growth,,1e3,,\n",
          "targets.csv:11:7: value: \"1e3\" is not a plain decimal number" },
        { "targets.csv", "industrial-output,,赵巷镇,,growth,,99999999999999,,\n",
          "targets.csv:11:7: value: \"99999999999999\" is a number too large" },
        { "milestones.csv", "industrial-output,,,9,１２,,,\n",
          "milestones.csv:5:5: value: \"１２\" is not a plain decimal number" },
        { "milestones.csv", "industrial-output,,,9,12,五成,,\n",
          "milestones.csv:5:6: share_pct: \"五成\" is not a plain decimal number" },
        { "milestones.csv", "industrial-output,,,9,12.,,,\n",
          "milestones.csv:5:5: value: \"12.\" has no digits after the decimal point" },
    };
    RUN_CASES (cases);
}

static void
test_whole_numbers (void **state)
{
    static const case_t cases [] = {
        { "milestones.csv", "industrial-output,,,13,1,,,\n",
          "milestones.csv:5:4: month: \"13\" must be a whole number from 1 to 12" },
        { "milestones.csv", "industrial-output,,,0,1,,,\n",
          "milestones.csv:5:4: month: \"0\" must be a whole number from 1 to 12" },
        { "milestones.csv", "industrial-output,,,2.5,1,,,\n",
          "milestones.csv:5:4: month: \"2.5\" must be a whole number from 1 to 12" },
        { "milestones.csv", "industrial-output,,,三月,1,,,\n",
          "milestones.csv:5:4: month: \"三月\" is not a plain decimal number" },
        { "milestones.csv", "industrial-output,,,,1,,,\n",
          "milestones.csv:5:4: month is empty: write a whole number from 1 to 12" },
        { "tasks.csv", "区级,0,t,,,industrial-output,,\n",
          "tasks.csv:4:2: seq: \"0\" must be a whole number from 1 to 9999" },
    };
    RUN_CASES (cases);
}

static void
test_plan_row (void **state)
{
    EXPECT_REPLACED ("plan.csv", "plan,district,district_name,year,title,forecast_day,final_day\n"
                     "qingpu-2023,qingpu,青浦区,23,t,29,0\n",
                     "plan.csv:2:4: year: \"23\" must be a whole number from 1900 to 9999",
                     "plan.csv:2:6: forecast_day: \"29\" must be a whole number from 1 to 28",
                     "plan.csv:2:7: final_day: \"0\" must be a whole number from 1 to 28");
    EXPECT_REPLACED ("plan.csv", "plan,district,district_name,year,title\n"
                     "青浦-2023,qing pu,,2023,\n",
                     "plan.csv:2:1: plan: \"青浦-2023\" must be ASCII letters, digits",
                     "plan.csv:2:2: district: \"qing pu\" must be ASCII letters, digits",
                     "plan.csv:2:3: district_name is empty: write the district's name",
                     "plan.csv:2:5: title is empty: write the plan's title");
    EXPECT_REPLACED ("plan.csv", "plan,district,district_name,year,title\n",
                     "plan.csv: has no plan row: add one row under the header");
    EXPECT_APPENDED ("plan.csv", "baoshan-2023,baoshan,宝山区,2023,t,\n",
                     "plan.csv:4: a second plan row");
}

static void
test_required_fields (void **state)
{
    static const case_t cases [] = {
        { "units.csv", ",town,,\n",
          "units.csv:6:1: unit is empty: name the unit as the documents write it" },
        { "indicators.csv", "gdp,,,亿元,sum,higher,,,,,,,,amount\n",
          "indicators.csv:7:2: name is empty: write the indicator's name" },
        { "indicators.csv", "gdp,地区生产总值,,,sum,higher,,,,,,,,amount\n",
          "indicators.csv:7:4: unit_of_measure is empty" },
        { "indicators.csv", ",地区生产总值,,亿元,sum,higher,,,,,,,,amount\n",
          "indicators.csv:7:1: code is empty: write an ASCII code" },
        { "indicators.csv", "地区生产总值,地区生产总值,,亿元,sum,higher,,,,,,,,amount\n",
          "indicators.csv:7:1: code: \"地区生产总值\" must be ASCII letters" },
        { "targets.csv", "industrial-output,,,,total,,1,,\n",
          "targets.csv:11:3: unit is empty: name the unit, or 全区 for the district" },
        { "targets.csv", ",,赵巷镇,,total,,1,,\n",
          "targets.csv:11:1: indicator is empty" },
        { "milestones.csv", ",,,9,1,,,\n",
          "milestones.csv:5:1: indicator is empty" },
        { "tasks.csv", "区级,2,,,,industrial-output,,\n",
          "tasks.csv:4:3: title is empty: write the task as the documents do" },
        //  A short row: the missing fields are empty
        { "tasks.csv", "区级,2,完成任务\n",
          "tasks.csv:4:6: indicator is empty" },
    };
    RUN_CASES (cases);
}

static void
test_no_target_only_in_target_value (void **state)
{
    static const case_t cases [] = {
        { "milestones.csv", "industrial-output,,,9,—,,,\n",
          "milestones.csv:5:5: value: \"—\" (no target) belongs only in the value "
          "column of targets.csv" },
        { "targets.csv", "industrial-output,,赵巷镇,,growth,,1,—,\n",
          "targets.csv:11:8: text: \"—\" (no target) belongs only" },
        { "units.csv", "—,town,,\n",
          "units.csv:6:1: unit: \"—\" (no target) belongs only" },
        { "tasks.csv", "区级,2,任务,—,,industrial-output,,\n",
          "tasks.csv:4:4: leaders: \"—\" (no target) belongs only" },
    };
    RUN_CASES (cases);
}

static void
test_target_value (void **state)
{
    static const case_t cases [] = {
        { "targets.csv", "industrial-output,,赵巷镇,,growth,,,,\n",
          "targets.csv:11:7: value is empty: write the growth target, or — if this "
          "unit has none" },
        { "targets.csv", "industrial-output,,赵巷镇,,growth,,-,,\n",
          "targets.csv:11:7: value: \"-\" is not a number: write — (U+2014" },
        { "targets.csv", "industrial-output,,赵巷镇,,growth,,——,,\n",
          "targets.csv:11:7: value: \"——\" is not a number: write — (U+2014" },
        { "targets.csv", "sei-output,,赵巷镇,,qualitative,,,,\n",
          "targets.csv:11:8: a qualitative target needs its text" },
    };
    RUN_CASES (cases);
}


//  --------------------------------------------------------------------------
//  Problems across files

static void
test_unknown_units (void **state)
{
    static const case_t cases [] = {
        { "targets.csv", "industrial-output,,赵巷,,total,,1,,\n",
          "targets.csv:11:3: unit \"赵巷\" is not in units.csv: add it there or "
          "correct the name" },
        { "milestones.csv", "industrial-output,,徐泾镇,9,1,,,\n",
          "milestones.csv:5:3: unit \"徐泾镇\" is not in units.csv" },
        { "tasks.csv", "区级,2,任务,,经济运行科 招商科,industrial-output,,\n",
          "tasks.csv:4:5: section \"招商科\" is not in units.csv" },
        { "tasks.csv", "区级,2,任务,,经济运行科、经委,industrial-output,,\n",
          "tasks.csv:4:5: section \"经济运行科、经委\" is not in units.csv: separate "
          "names with spaces" },
        { "units.csv", "投资促进科,section,投促办,\n",
          "units.csv:6:3: parent \"投促办\" is not in units.csv" },
    };
    RUN_CASES (cases);
}

static void
test_unit_rows (void **state)
{
    static const case_t cases [] = {
        { "units.csv", "赵巷镇,subdistrict,,\n",
          "units.csv:6:1: unit \"赵巷镇\" is already on line 2: remove one of the rows" },
        { "units.csv", "全区,other,,\n",
          "units.csv:6:1: unit \"全区\" is the district as a whole, which is implicit" },
        { "units.csv", "招商科,section,招商科,\n",
          "units.csv:6:3: unit \"招商科\" cannot be its own parent" },
        { "units.csv", "招商科,section,全区,\n",
          "units.csv:6:3: parent \"全区\" is the district" },
    };
    RUN_CASES (cases);
    //  A loop of parents is reported on every unit in it
    EXPECT_APPENDED ("units.csv", "甲科,section,乙科,\n乙科,section,甲科,\n",
                     "units.csv:6:3: unit \"甲科\" is its own ancestor through parent \"乙科\"",
                     "units.csv:7:3: unit \"乙科\" is its own ancestor through parent \"甲科\"");
    //  A parent may come after its section
    const file_t later [] = {
        { "units.csv", "unit,kind,parent\n经济运行科,section,经委\n经委,department,\n"
                       "赵巷镇,town,\n青浦工业园区,park,\n" }
    };
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = s_parse (later, 1, errors);
    assert_non_null (plan);
    bm_plan_destroy (&plan);
    zlist_destroy (&errors);
}

static void
test_unknown_indicators (void **state)
{
    static const case_t cases [] = {
        { "targets.csv", "gdp,,全区,,total,,1,,\n",
          "targets.csv:11:1: indicator \"gdp\" is not in indicators.csv: add it there "
          "or correct the code" },
        { "milestones.csv", "Industrial-Output,,,9,1,,,\n",
          "milestones.csv:5:1: indicator \"Industrial-Output\" is not in indicators.csv" },
        { "tasks.csv", "区级,2,任务,,,gdp,,\n",
          "tasks.csv:4:6: indicator \"gdp\" is not in indicators.csv" },
        { "indicators.csv", "tax,税收,,亿元,sum,higher,revenue,,,,,,,amount\n",
          "indicators.csv:7:7: parent \"revenue\" is not a code in indicators.csv" },
        { "indicators.csv", "tax,税收,,亿元,sum,higher,tax,,,,,,,amount\n",
          "indicators.csv:7:7: indicator \"tax\" cannot be its own parent" },
    };
    RUN_CASES (cases);
    EXPECT_APPENDED ("indicators.csv", "a,甲,,个,sum,higher,b,,,,,,,amount\n"
                     "b,乙,,个,sum,higher,a,,,,,,,amount\n",
                     "indicators.csv:7:7: indicator \"a\" is its own ancestor through parent \"b\"",
                     "indicators.csv:8:7: indicator \"b\" is its own ancestor through parent \"a\"");
}

static void
test_measures (void **state)
{
    static const case_t cases [] = {
        { "targets.csv", "project-progress,,全区,,growth,,1,,\n",
          "targets.csv:11:2: indicator \"project-progress\" has several measures: name "
          "one of 出让一批, 开工一批 in measure" },
        { "targets.csv", "project-progress,竣工一批,全区,,total,,14,,\n",
          "targets.csv:11:2: measure \"竣工一批\" is not a measure of indicator "
          "\"project-progress\": use one of 出让一批, 开工一批" },
        { "targets.csv", "industrial-output,规上,全区,,level,,1,,\n",
          "targets.csv:11:2: indicator \"industrial-output\" has a single measure: leave "
          "measure empty" },
        { "milestones.csv", "project-progress,,,9,1,,,\n",
          "milestones.csv:5:2: indicator \"project-progress\" has several measures" },
        { "milestones.csv", "registered-unemployed,全部,,9,1,,,\n",
          "milestones.csv:5:2: indicator \"registered-unemployed\" has a single measure" },
        { "indicators.csv", "project-progress,“四个一批”,,个,sum,higher,,,,,,,,amount\n",
          "indicators.csv:7:3: measure is empty, but other rows of indicator "
          "\"project-progress\" name measures" },
        { "tasks.csv", "区级,2,任务,,,project-progress,出让一批|竣工一批,\n",
          "tasks.csv:4:7: measure \"竣工一批\" is not a measure of indicator "
          "\"project-progress\"" },
        { "tasks.csv", "区级,2,任务,,,project-progress,出让一批|出让一批,\n",
          "tasks.csv:4:7: measure \"出让一批\" is listed twice" },
        { "tasks.csv", "区级,2,任务,,,industrial-output,全部,\n",
          "tasks.csv:4:7: indicator \"industrial-output\" has a single measure: leave "
          "measures empty" },
    };
    RUN_CASES (cases);
    //  Without a measure column, the composite indicator's problem is the row's
    EXPECT_REPLACED ("targets.csv", "indicator,unit,kind,value\nproject-progress,全区,total,1\n",
                     "targets.csv:2: indicator \"project-progress\" has several measures");
}

static void
test_indicator_name_differs (void **state)
{
    EXPECT_APPENDED ("indicators.csv",
                     "project-progress,四个一批,竣工一批,个,sum,higher,,,,,,,,amount\n",
                     "indicators.csv:7:2: name \"四个一批\" differs from \"“四个一批”\" on "
                     "line 3: every row of indicator \"project-progress\" has the same name");
}

static void
test_duplicates (void **state)
{
    static const case_t cases [] = {
        { "indicators.csv", "project-progress,“四个一批”,开工一批,个,sum,higher,,,,,,,,amount\n",
          "indicators.csv:7:3: indicator \"project-progress\" measure \"开工一批\" is "
          "already on line 4" },
        { "indicators.csv", "industrial-output,规模以上工业总产值,,亿元,sum,higher,,,,,,,,amount\n",
          "indicators.csv:7:1: indicator \"industrial-output\" is already on line 2" },
        { "targets.csv", "industrial-output,,全区,working,total,,1856,,\n",
          "targets.csv:11:1: a working total target of \"industrial-output\" for 全区 "
          "is already on line 3: remove one of the rows" },
        { "targets.csv", "project-progress,出让一批,全区,,total,,27,,\n",
          "targets.csv:11:1: a working total target of \"project-progress\" measure "
          "\"出让一批\" for 全区 is already on line 8" },
        { "milestones.csv", "industrial-output,,全区,3,446,,,\n",
          "milestones.csv:5:1: a milestone of \"industrial-output\" for 全区 in month 3 "
          "is already on line 2" },
        { "tasks.csv", "部门级,1,又一项,,,industrial-output,,\n",
          "tasks.csv:4:2: task 部门级 1 is already on line 3" },
    };
    RUN_CASES (cases);
}

static void
test_milestone_needs_value_or_text (void **state)
{
    EXPECT_APPENDED ("milestones.csv", "industrial-output,,,9,,30,,\n",
                     "milestones.csv:5:5: milestone has neither a value nor a text");
}


int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_enumerations),
        cmocka_unit_test (test_numbers),
        cmocka_unit_test (test_whole_numbers),
        cmocka_unit_test (test_plan_row),
        cmocka_unit_test (test_required_fields),
        cmocka_unit_test (test_no_target_only_in_target_value),
        cmocka_unit_test (test_target_value),
        cmocka_unit_test (test_unknown_units),
        cmocka_unit_test (test_unit_rows),
        cmocka_unit_test (test_unknown_indicators),
        cmocka_unit_test (test_measures),
        cmocka_unit_test (test_indicator_name_differs),
        cmocka_unit_test (test_duplicates),
        cmocka_unit_test (test_milestone_needs_value_or_text),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
