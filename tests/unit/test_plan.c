/*  test_plan: the plan parser on a small plan built here, then one test per
    class of problem, each asserting where it is reported and that nothing
    is returned. Lines of each file are numbered in the comments: a row
    appended to a file lands on the line after its last. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bm_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

//  --------------------------------------------------------------------------
//  A small valid plan

static const char *s_plan_csv =
    "\xEF\xBB\xBF# 青浦区 2023 年计划（测试）\n"                                     //  1
    "plan,district,district_name,year,title,documents\n"                          //  2
    "qingpu-2023,qingpu,青浦区,2023,2023年青浦区指导性计划目标,青府办发〔2023〕4号\n";  //  3

static const char *s_units_csv =
    "unit,kind,parent,note\r\n"                                                   //  1
    "赵巷镇,town,,\r\n"                                                            //  2
    "青浦工业园区,park,,园区\r\n"                                                   //  3
    "经委,department,,\r\n"                                                        //  4
    "经济运行科,section,经委,\r\n";                                                 //  5

static const char *s_indicators_csv =
    "code,name,measure,unit_of_measure,aggregation,direction,parent,category,seq,"
    "decomposition,responsible,source,note\n"                                     //  1
    "industrial-output,规模以上工业总产值,,亿元,sum,higher,,综合经济,2,分解下达,经委,002 附件1,\n"
    "project-progress,“四个一批”,出让一批,个,sum,higher,,专项经济,20,,经委,,\n"     //  3
    "project-progress,“四个一批”,开工一批,个,sum,higher,,专项经济,20,,经委,,\n"     //  4
    "registered-unemployed,城镇登记失业人数,,人,none,lower,,,,,\"人社局、经委\",,\n"  //  5
    "sei-output,战略性新兴产业产值,,亿元,sum,higher,industrial-output,,,,,,\n";     //  6

static const char *s_targets_csv =
    "indicator,measure,unit,role,kind,comparator,value,text,note\n"               //  1
    "# 附件2\n"                                                                    //  2
    "industrial-output,,全区,,total,,1855.0,,\n"                                   //  3
    "industrial-output,,全区,assessment,total,,1800,,\n"                           //  4
    "industrial-output,,全区,,growth,,10,,\n"                                      //  5
    "industrial-output,,赵巷镇,,total,,—,,\n"                                      //  6
    "industrial-output,,青浦工业园区,working,total,>=,1195.0,96 以上,\"园区, 含西虹桥\"\n"
    "project-progress,出让一批,全区,,total,,26,,\n"                                //  8
    "registered-unemployed,,全区,,total,,7300,,\n"                                 //  9
    "sei-output,,全区,,qualitative,,,不低于全市水平,\n";                            //  10

static const char *s_milestones_csv =
    "indicator,measure,unit,month,value,share_pct,text,note\n"                    //  1
    "industrial-output,,,3,445,24,,\n"                                             //  2
    "industrial-output,,青浦工业园区,6,600.5,,,\n"                                  //  3
    "project-progress,出让一批,全区,4,,,确定重点企业,\n";                            //  4

static const char *s_tasks_csv =
    "level,seq,title,leaders,sections,indicator,measures,note\n"                  //  1
    "区级,1,规模以上工业总产值完成1855亿元,李玉洁,经济运行科,industrial-output,,\n"   //  2
    "部门级,1,\"“四个一批”完成出让26个、开工22个\",董敏 张三,经济运行科 经委,"
    "project-progress,出让一批|开工一批,\n";                                        //  3

typedef struct {
    const char *name;
    const char *content;        //  NULL: leave the file out
} file_t;

//  Parse the valid plan with some files replaced, left out or added
static bm_plan_t *
s_parse (const file_t *changes, size_t change_count, zlist_t *errors)
{
    const file_t valid [] = {
        { "plan.csv", s_plan_csv },
        { "units.csv", s_units_csv },
        { "indicators.csv", s_indicators_csv },
        { "targets.csv", s_targets_csv },
        { "milestones.csv", s_milestones_csv },
        { "tasks.csv", s_tasks_csv },
    };
    bm_plan_file_t files [16];
    size_t count = 0;
    bool used [8] = { false };
    for (size_t index = 0; index < 6; index++) {
        const char *content = valid [index].content;
        for (size_t change = 0; change < change_count; change++)
            if (streq (changes [change].name, valid [index].name)) {
                content = changes [change].content;
                used [change] = true;
            }
        if (content)
            files [count++] = (bm_plan_file_t) {
                (char *) valid [index].name, content, strlen (content)
            };
    }
    for (size_t change = 0; change < change_count; change++)
        if (!used [change])
            files [count++] = (bm_plan_file_t) {
                (char *) changes [change].name, changes [change].content,
                strlen (changes [change].content)
            };
    return bm_plan_parse (files, count, errors);
}

//  Assert that parsing fails with exactly these problems, in this order;
//  each expected string is the start of its problem.
static void
s_expect_errors (const file_t *changes, size_t change_count, const char *const *expected)
{
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = s_parse (changes, change_count, errors);
    for (const char *error = (const char *) zlist_first (errors); error;
         error = (const char *) zlist_next (errors))
        print_message ("    %s\n", error);
    assert_null (plan);

    size_t count = 0;
    while (expected [count])
        count++;
    assert_int_equal (zlist_size (errors), count);
    const char *error = (const char *) zlist_first (errors);
    for (size_t index = 0; index < count; index++) {
        if (strncmp (error, expected [index], strlen (expected [index])) != 0)
            fail_msg ("problem %zu is \"%s\", expected \"%s…\"", index + 1, error,
                      expected [index]);
        error = (const char *) zlist_next (errors);
    }
    zlist_destroy (&errors);
}

//  One file replaced
#define EXPECT_REPLACED(name, content, ...) \
    s_expect_errors ((file_t []) { { name, content } }, 1, \
                     (const char *const []) { __VA_ARGS__, NULL })

//  Rows appended to one file of the valid plan
static void
s_expect_appended (const char *name, const char *rows, const char *const *expected)
{
    const char *valid = streq (name, "plan.csv")? s_plan_csv
                      : streq (name, "units.csv")? s_units_csv
                      : streq (name, "indicators.csv")? s_indicators_csv
                      : streq (name, "targets.csv")? s_targets_csv
                      : streq (name, "milestones.csv")? s_milestones_csv
                      : s_tasks_csv;
    char *content = zsys_sprintf ("%s%s", valid, rows);
    s_expect_errors ((file_t []) { { name, content } }, 1, expected);
    free (content);
}

#define EXPECT_APPENDED(name, rows, ...) \
    s_expect_appended (name, rows, (const char *const []) { __VA_ARGS__, NULL })

//  A table of cases: rows appended to a file, and the one problem expected
typedef struct {
    const char *file;
    const char *rows;
    const char *problem;
} case_t;

static void
s_run_cases (const case_t *cases, size_t count)
{
    for (size_t index = 0; index < count; index++) {
        print_message ("%s + %s", cases [index].file, cases [index].rows);
        EXPECT_APPENDED (cases [index].file, cases [index].rows, cases [index].problem);
    }
}

#define RUN_CASES(cases) s_run_cases (cases, sizeof (cases) / sizeof (cases [0]))


//  --------------------------------------------------------------------------
//  The valid plan

static void
s_assert_decimal (bm_decimal_t value, const char *expected)
{
    char buffer [BM_DECIMAL_STR_MAX];
    assert_string_equal (bm_decimal_format (value, buffer), expected);
}

static void
test_valid_plan (void **state)
{
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = s_parse (NULL, 0, errors);
    assert_non_null (plan);
    assert_int_equal (zlist_size (errors), 0);

    assert_string_equal (plan->header.plan, "qingpu-2023");
    assert_string_equal (plan->header.district, "qingpu");
    assert_string_equal (plan->header.district_name, "青浦区");
    assert_int_equal (plan->header.year, 2023);
    assert_string_equal (plan->header.title, "2023年青浦区指导性计划目标");
    assert_string_equal (plan->header.documents, "青府办发〔2023〕4号");
    assert_int_equal (plan->header.forecast_day, 28);
    assert_int_equal (plan->header.final_day, 10);

    assert_int_equal (plan->unit_count, 4);
    assert_string_equal (plan->units [1].name, "青浦工业园区");
    assert_string_equal (plan->units [1].kind, "park");
    assert_string_equal (plan->units [1].parent, "");
    assert_string_equal (plan->units [1].note, "园区");
    const bm_plan_unit_t *section = bm_plan_unit (plan, "经济运行科");
    assert_non_null (section);
    assert_string_equal (section->kind, "section");
    assert_string_equal (section->parent, "经委");
    assert_null (bm_plan_unit (plan, "赵巷"));
    assert_null (bm_plan_unit (plan, BM_DISTRICT_UNIT));

    assert_int_equal (plan->indicator_count, 5);
    const bm_plan_indicator_t *output = bm_plan_indicator (plan, "industrial-output", "");
    assert_non_null (output);
    assert_string_equal (output->name, "规模以上工业总产值");
    assert_string_equal (output->measure, "");
    assert_string_equal (output->unit_of_measure, "亿元");
    assert_true (output->additive);
    assert_int_equal (output->direction, BM_HIGHER_IS_BETTER);
    assert_string_equal (output->category, "综合经济");
    assert_string_equal (output->seq, "2");
    assert_string_equal (output->decomposition, "分解下达");
    assert_string_equal (output->responsible, "经委");
    assert_string_equal (output->source, "002 附件1");
    assert_string_equal (output->note, "");
    const bm_plan_indicator_t *started = bm_plan_indicator (plan, "project-progress", "开工一批");
    assert_non_null (started);
    assert_string_equal (started->name, "“四个一批”");
    assert_null (bm_plan_indicator (plan, "project-progress", ""));
    assert_null (bm_plan_indicator (plan, "project-progress", "竣工一批"));
    const bm_plan_indicator_t *unemployed =
        bm_plan_indicator (plan, "registered-unemployed", NULL);
    assert_non_null (unemployed);
    assert_false (unemployed->additive);
    assert_int_equal (unemployed->direction, BM_LOWER_IS_BETTER);
    assert_string_equal (unemployed->responsible, "人社局、经委");
    assert_string_equal (bm_plan_indicator (plan, "sei-output", "")->parent,
                         "industrial-output");

    assert_int_equal (plan->target_count, 8);
    const bm_plan_target_t *target = &plan->targets [0];
    assert_string_equal (target->indicator, "industrial-output");
    assert_string_equal (target->unit, BM_DISTRICT_UNIT);
    assert_string_equal (target->role, "working");
    assert_string_equal (target->kind, "total");
    assert_string_equal (target->comparator, ">=");
    assert_true (target->has_value);
    assert_false (target->no_target);
    assert_int_equal (target->value.micros, 1855000000);
    assert_string_equal (target->text, "");
    assert_int_equal (target->line, 3);
    assert_string_equal (plan->targets [1].role, "assessment");
    s_assert_decimal (plan->targets [1].value, "1800");
    assert_string_equal (plan->targets [2].kind, "growth");
    target = &plan->targets [3];
    assert_string_equal (target->unit, "赵巷镇");
    assert_true (target->no_target);
    assert_false (target->has_value);
    assert_int_equal (target->line, 6);
    target = &plan->targets [4];
    s_assert_decimal (target->value, "1195");
    assert_string_equal (target->text, "96 以上");
    assert_string_equal (target->note, "园区, 含西虹桥");
    assert_string_equal (plan->targets [5].measure, "出让一批");
    assert_string_equal (plan->targets [6].comparator, "<=");
    target = &plan->targets [7];
    assert_string_equal (target->kind, "qualitative");
    assert_false (target->has_value);
    assert_false (target->no_target);
    assert_string_equal (target->text, "不低于全市水平");
    assert_string_equal (target->comparator, ">=");

    assert_int_equal (plan->milestone_count, 3);
    const bm_plan_milestone_t *milestone = &plan->milestones [0];
    assert_string_equal (milestone->unit, BM_DISTRICT_UNIT);
    assert_int_equal (milestone->month, 3);
    assert_true (milestone->has_value);
    s_assert_decimal (milestone->value, "445");
    assert_true (milestone->has_share);
    s_assert_decimal (milestone->share_pct, "24");
    assert_string_equal (milestone->text, "");
    assert_string_equal (milestone->measure, "");
    s_assert_decimal (plan->milestones [1].value, "600.5");
    assert_false (plan->milestones [1].has_share);
    milestone = &plan->milestones [2];
    assert_false (milestone->has_value);
    assert_string_equal (milestone->text, "确定重点企业");
    assert_string_equal (milestone->measure, "出让一批");

    assert_int_equal (plan->task_count, 2);
    const bm_plan_task_t *task = &plan->tasks [1];
    assert_string_equal (task->level, "部门级");
    assert_int_equal (task->seq, 1);
    assert_string_equal (task->title, "“四个一批”完成出让26个、开工22个");
    assert_string_equal (task->leaders, "董敏 张三");
    assert_string_equal (task->sections, "经济运行科 经委");
    assert_string_equal (task->indicator, "project-progress");
    assert_string_equal (task->measures, "出让一批|开工一批");
    assert_string_equal (plan->tasks [0].measures, "");
    assert_string_equal (plan->tasks [0].note, "");

    bm_plan_destroy (&plan);
    assert_null (plan);
    bm_plan_destroy (&plan);
    zlist_destroy (&errors);
}

static void
test_optional_files_and_columns (void **state)
{
    //  No milestones.csv or tasks.csv; days given; optional columns absent
    const file_t changes [] = {
        { "milestones.csv", NULL },
        { "tasks.csv", NULL },
        { "plan.csv", "plan,district,district_name,year,title,forecast_day,final_day\n"
                      "p,d,区,2024,t,25,5\n" },
        { "units.csv", "kind,unit\ntown,赵巷镇\n" },
        { "targets.csv", "unit,kind,indicator,value\n赵巷镇,total,industrial-output,12.5\n" },
    };
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = s_parse (changes, 5, errors);
    assert_non_null (plan);
    assert_int_equal (plan->header.forecast_day, 25);
    assert_int_equal (plan->header.final_day, 5);
    assert_string_equal (plan->header.documents, "");
    assert_int_equal (plan->milestone_count, 0);
    assert_int_equal (plan->task_count, 0);
    assert_int_equal (plan->target_count, 1);
    assert_string_equal (plan->targets [0].role, "working");
    assert_string_equal (plan->targets [0].measure, "");
    assert_string_equal (plan->targets [0].text, "");
    assert_string_equal (plan->units [0].parent, "");
    bm_plan_destroy (&plan);
    zlist_destroy (&errors);
}

static void
test_file_paths (void **state)
{
    //  Files are known by their base name
    bm_plan_file_t files [] = {
        { "qingpu-2023/plan.csv", s_plan_csv, strlen (s_plan_csv) },
        { "/srv/plans/units.csv", s_units_csv, strlen (s_units_csv) },
        { "./indicators.csv", s_indicators_csv, strlen (s_indicators_csv) },
        { "targets.csv", s_targets_csv, strlen (s_targets_csv) },
    };
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = bm_plan_parse (files, 4, errors);
    assert_non_null (plan);
    bm_plan_destroy (&plan);
    zlist_destroy (&errors);
}


//  --------------------------------------------------------------------------
//  Problems with the set of files

static void
test_unknown_file_name (void **state)
{
    EXPECT_REPLACED ("target.csv", "indicator,unit,kind,value\n",
                     "target.csv: not a plan file: a plan has plan.csv, units.csv");
}

static void
test_file_given_twice (void **state)
{
    EXPECT_REPLACED ("copy/targets.csv", s_targets_csv,
                     "copy/targets.csv: given twice (also as targets.csv)");
}

static void
test_required_file_missing (void **state)
{
    //  A missing file is reported once, not again where others refer to it
    EXPECT_REPLACED ("units.csv", NULL, "units.csv: missing");
    EXPECT_REPLACED ("indicators.csv", NULL, "indicators.csv: missing");
    EXPECT_REPLACED ("plan.csv", NULL, "plan.csv: missing");
    EXPECT_REPLACED ("targets.csv", NULL, "targets.csv: missing");
}

static void
test_empty_file (void **state)
{
    EXPECT_REPLACED ("milestones.csv", "\xEF\xBB\xBF# nothing yet\n",
                     "milestones.csv: is empty: it needs a header row naming its "
                     "columns (indicator, month)");
}


//  --------------------------------------------------------------------------
//  Problems with the text of a file

static void
test_invalid_utf8 (void **state)
{
    EXPECT_APPENDED ("targets.csv", "industrial-output,,\xD5\xD4\xCF\xEF,,total,,1,,\n",
                     "targets.csv:11:3: not valid UTF-8 (byte 0xD5)");
    EXPECT_APPENDED ("units.csv", "\"徐泾镇\",town,,\"note\n\xED\xA0\x80\"\n",
                     "units.csv:7:4: not valid UTF-8 (byte 0xED)");
}

static void
test_malformed_csv (void **state)
{
    EXPECT_APPENDED ("units.csv", "徐泾镇,town,,say \"hi\"\n",
                     "units.csv:6:4: quote inside an unquoted field");
    EXPECT_APPENDED ("tasks.csv", "区级,2,\"unclosed,李四,经委,industrial-output,,\n",
                     "tasks.csv:4:3: quoted field is never closed");
}


//  --------------------------------------------------------------------------
//  Problems with a header

static void
test_missing_column (void **state)
{
    EXPECT_REPLACED ("targets.csv", "indicator,unit,value\nindustrial-output,全区,1\n",
                     "targets.csv:1: missing column \"kind\": add it to the header row");
}

static void
test_unknown_column (void **state)
{
    EXPECT_REPLACED ("units.csv", "# units\nunit,kind,remark\n赵巷镇,town,x\n青浦工业园区,park,\n经委,department,\n"
                     "经济运行科,section,\n",
                     "units.csv:2:3: unknown column \"remark\": the columns of units.csv "
                     "are unit, kind, parent, note");
}

static void
test_duplicate_column (void **state)
{
    EXPECT_REPLACED ("units.csv", "unit,kind,note,note\n赵巷镇,town,,\n青浦工业园区,park,,\n"
                     "经委,department,,\n经济运行科,section,,\n",
                     "units.csv:1:4: column \"note\" appears twice (also column 3)");
}

static void
test_unnamed_column (void **state)
{
    //  An empty trailing column from a spreadsheet is fine while it is empty
    const file_t padded [] = {
        { "units.csv", "unit,kind,parent,note,,\n赵巷镇,town,,,,\n青浦工业园区,park,,,,\n"
                       "经委,department,,,,\n经济运行科,section,经委,,,\n" }
    };
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = s_parse (padded, 1, errors);
    assert_non_null (plan);
    bm_plan_destroy (&plan);
    zlist_destroy (&errors);

    EXPECT_REPLACED ("units.csv", "unit,kind,parent,note,\n赵巷镇,town,,,oops\n"
                     "青浦工业园区,park,,,\n经委,department,,,\n经济运行科,section,经委,,\n",
                     "units.csv:2:5: \"oops\" is under a column with no name");
}

static void
test_too_many_fields (void **state)
{
    EXPECT_APPENDED ("units.csv", "徐泾镇,town,,note,extra\n",
                     "units.csv:6:5: row has 5 fields but the header has 4 columns: "
                     "quote a field that holds a comma");
}


//  --------------------------------------------------------------------------
//  Problems with a field

static void
test_enumerations (void **state)
{
    static const case_t cases [] = {
        { "units.csv", "徐泾镇,village,,\n",
          "units.csv:6:2: kind: \"village\" is not town, subdistrict, park, company, "
          "department, section or other" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,avg,higher,,,,,,,\n",
          "indicators.csv:7:5: aggregation: \"avg\" is not sum or none" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,up,,,,,,,\n",
          "indicators.csv:7:6: direction: \"up\" is not higher or lower" },
        { "targets.csv", "industrial-output,,赵巷镇,main,total,,1,,\n",
          "targets.csv:11:4: role: \"main\" is not working or assessment" },
        { "targets.csv", "industrial-output,,赵巷镇,,sum,,1,,\n",
          "targets.csv:11:5: kind: \"sum\" is not total, growth, level or qualitative" },
        { "targets.csv", "industrial-output,,赵巷镇,,level,=>,1,,\n",
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
        { "targets.csv", "industrial-output,,赵巷镇,,level,,\"12,5\",,\n",
          "targets.csv:11:7: value: \"12,5\" is not a plain decimal number" },
        { "targets.csv", "industrial-output,,赵巷镇,,level,,1.1234567,,\n",
          "targets.csv:11:7: value: \"1.1234567\" has more than 6 decimals" },
        { "targets.csv", "industrial-output,,赵巷镇,,growth,,10%,,\n",
          "targets.csv:11:7: value: \"10%\" is not a plain decimal number: write "
          "the number without %" },
        { "targets.csv", "industrial-output,,赵巷镇,,level,,1e3,,\n",
          "targets.csv:11:7: value: \"1e3\" is not a plain decimal number" },
        { "targets.csv", "industrial-output,,赵巷镇,,level,,99999999999999,,\n",
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
        { "indicators.csv", "gdp,,,亿元,sum,higher,,,,,,,\n",
          "indicators.csv:7:2: name is empty: write the indicator's name" },
        { "indicators.csv", "gdp,地区生产总值,,,sum,higher,,,,,,,\n",
          "indicators.csv:7:4: unit_of_measure is empty" },
        { "indicators.csv", ",地区生产总值,,亿元,sum,higher,,,,,,,\n",
          "indicators.csv:7:1: code is empty: write an ASCII code" },
        { "indicators.csv", "地区生产总值,地区生产总值,,亿元,sum,higher,,,,,,,\n",
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
        { "targets.csv", "industrial-output,,赵巷镇,,qualitative,,,,\n",
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
        { "indicators.csv", "tax,税收,,亿元,sum,higher,revenue,,,,,,\n",
          "indicators.csv:7:7: parent \"revenue\" is not a code in indicators.csv" },
        { "indicators.csv", "tax,税收,,亿元,sum,higher,tax,,,,,,\n",
          "indicators.csv:7:7: indicator \"tax\" cannot be its own parent" },
    };
    RUN_CASES (cases);
    EXPECT_APPENDED ("indicators.csv", "a,甲,,个,sum,higher,b,,,,,,\nb,乙,,个,sum,higher,a,,,,,,\n",
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
        { "indicators.csv", "project-progress,“四个一批”,,个,sum,higher,,,,,,,\n",
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
    EXPECT_APPENDED ("indicators.csv", "project-progress,四个一批,竣工一批,个,sum,higher,,,,,,,\n",
                     "indicators.csv:7:2: name \"四个一批\" differs from \"“四个一批”\" on "
                     "line 3: every row of indicator \"project-progress\" has the same name");
}

static void
test_duplicates (void **state)
{
    static const case_t cases [] = {
        { "indicators.csv", "project-progress,“四个一批”,开工一批,个,sum,higher,,,,,,,\n",
          "indicators.csv:7:3: indicator \"project-progress\" measure \"开工一批\" is "
          "already on line 4" },
        { "indicators.csv", "industrial-output,规模以上工业总产值,,亿元,sum,higher,,,,,,,\n",
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


//  --------------------------------------------------------------------------
//  Reporting

static void
test_several_errors_in_order (void **state)
{
    //  Every problem of every file, in file order (not the order given),
    //  then line and column order
    const file_t changes [] = {
        { "tasks.csv", "level,seq,title,leaders,sections,indicator,measures,note\n"
                       "区级,1,t,,招商科,gdp,,\n" },
        { "targets.csv", "indicator,measure,unit,role,kind,comparator,value,text,note\n"
                         "industrial-output,,赵巷,,total,,\"12,5\",,\n"
                         "# a comment\n"
                         "gdp,,全区,boss,total,,1,,\n" },
        { "units.csv", "unit,kind,parent,note\n赵巷镇,village,,\n经委,department,,\n"
                       "经济运行科,section,经委,\n" },
    };
    s_expect_errors (changes, 3, (const char *[]) {
        "units.csv:2:2: kind: \"village\" is not town",
        "targets.csv:2:3: unit \"赵巷\" is not in units.csv",
        "targets.csv:2:7: value: \"12,5\" is not a plain decimal number",
        "targets.csv:4:1: indicator \"gdp\" is not in indicators.csv",
        "targets.csv:4:4: role: \"boss\" is not working or assessment",
        "milestones.csv:3:3: unit \"青浦工业园区\" is not in units.csv",
        "tasks.csv:2:5: section \"招商科\" is not in units.csv",
        "tasks.csv:2:6: indicator \"gdp\" is not in indicators.csv",
        NULL
    });
}

static void
test_error_limit (void **state)
{
    zchunk_t *rows = zchunk_new (NULL, 0);
    for (int index = 0; index < 150; index++) {
        char row [64];
        snprintf (row, sizeof (row), "industrial-output,,%d,,total,,1,,\n", index);
        zchunk_extend (rows, row, strlen (row));
    }
    char *text = zchunk_strdup (rows);
    char *content = zsys_sprintf ("%s%s", s_targets_csv, text);
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = s_parse ((file_t []) { { "targets.csv", content } }, 1, errors);
    assert_null (plan);
    assert_int_equal (zlist_size (errors), BM_PLAN_MAX_ERRORS);
    assert_string_equal (zlist_first (errors),
                         "targets.csv:11:3: unit \"0\" is not in units.csv: add it "
                         "there or correct the name");
    assert_string_equal (zlist_last (errors),
                         "too many problems: 51 more not shown; fix these and load again");
    zlist_destroy (&errors);
    free (content);
    free (text);
    zchunk_destroy (&rows);
}


//  --------------------------------------------------------------------------
//  Reading a folder

static void
s_write (const char *dir, const char *name, const char *content)
{
    char *path = zsys_sprintf ("%s/%s", dir, name);
    FILE *file = fopen (path, "wb");
    assert_non_null (file);
    fwrite (content, 1, strlen (content), file);
    fclose (file);
    free (path);
}

static void
s_remove (const char *dir, const char *name)
{
    char *path = zsys_sprintf ("%s/%s", dir, name);
    unlink (path);
    free (path);
}

static void
test_parse_dir (void **state)
{
    char dir [] = "/tmp/test_plan.XXXXXX";
    assert_non_null (mkdtemp (dir));
    s_write (dir, "plan.csv", s_plan_csv);
    s_write (dir, "units.csv", s_units_csv);
    s_write (dir, "indicators.csv", s_indicators_csv);
    s_write (dir, "targets.csv", s_targets_csv);
    s_write (dir, "README.md", "not a plan file");
    s_write (dir, ".~lock.targets.csv#", "a lock file");

    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = bm_plan_parse_dir (dir, errors);
    assert_non_null (plan);
    assert_int_equal (zlist_size (errors), 0);
    assert_int_equal (plan->target_count, 8);
    bm_plan_destroy (&plan);

    //  Problems name the file by its name in the folder
    s_write (dir, "tasks.csv", "level,seq,title,indicator\n区级,1,t,gdp\n");
    s_write (dir, "notes.csv", "x\n");
    plan = bm_plan_parse_dir (dir, errors);
    assert_null (plan);
    assert_int_equal (zlist_size (errors), 2);
    assert_string_equal (zlist_first (errors), "notes.csv: not a plan file: a plan has "
                         "plan.csv, units.csv, indicators.csv, targets.csv, milestones.csv "
                         "and tasks.csv");
    assert_string_equal (zlist_next (errors), "tasks.csv:2:4: indicator \"gdp\" is not in "
                         "indicators.csv: add it there or correct the code");
    zlist_purge (errors);
    s_remove (dir, "tasks.csv");
    s_remove (dir, "notes.csv");

    //  A file larger than 16 MiB is refused unread
    char *path = zsys_sprintf ("%s/milestones.csv", dir);
    FILE *file = fopen (path, "wb");
    fclose (file);
    assert_int_equal (truncate (path, 16 * 1024 * 1024 + 1), 0);
    free (path);
    plan = bm_plan_parse_dir (dir, errors);
    assert_null (plan);
    assert_int_equal (zlist_size (errors), 1);
    assert_string_equal (zlist_first (errors),
                         "milestones.csv: larger than 16 MiB (16777217 bytes): is this "
                         "really a plan file?");
    zlist_purge (errors);

    const char *names [] = {
        "plan.csv", "units.csv", "indicators.csv", "targets.csv", "milestones.csv",
        "README.md", ".~lock.targets.csv#"
    };
    for (size_t index = 0; index < sizeof (names) / sizeof (names [0]); index++)
        s_remove (dir, names [index]);

    //  An empty folder is missing every required file
    plan = bm_plan_parse_dir (dir, errors);
    assert_null (plan);
    assert_int_equal (zlist_size (errors), 4);
    assert_string_equal (zlist_first (errors), "plan.csv: missing: a plan needs plan.csv, "
                         "units.csv, indicators.csv and targets.csv");
    zlist_purge (errors);
    assert_int_equal (rmdir (dir), 0);

    //  A folder that is not there
    plan = bm_plan_parse_dir (dir, errors);
    assert_null (plan);
    assert_int_equal (zlist_size (errors), 1);
    char *expected = zsys_sprintf ("%s: cannot open the folder: No such file or directory", dir);
    assert_string_equal (zlist_first (errors), expected);
    free (expected);
    zlist_destroy (&errors);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_valid_plan),
        cmocka_unit_test (test_optional_files_and_columns),
        cmocka_unit_test (test_file_paths),
        cmocka_unit_test (test_unknown_file_name),
        cmocka_unit_test (test_file_given_twice),
        cmocka_unit_test (test_required_file_missing),
        cmocka_unit_test (test_empty_file),
        cmocka_unit_test (test_invalid_utf8),
        cmocka_unit_test (test_malformed_csv),
        cmocka_unit_test (test_missing_column),
        cmocka_unit_test (test_unknown_column),
        cmocka_unit_test (test_duplicate_column),
        cmocka_unit_test (test_unnamed_column),
        cmocka_unit_test (test_too_many_fields),
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
        cmocka_unit_test (test_several_errors_in_order),
        cmocka_unit_test (test_error_limit),
        cmocka_unit_test (test_parse_dir),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
