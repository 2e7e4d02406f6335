/*  test_plan: the plan parser on the small plan of plan_fixture.h: the
    valid plan, the set of files, the text and header of a file, how
    problems are reported, and reading a folder.
    One test per class of problem, each asserting where it is reported and
    that nothing is returned. The kinds of indicator are tested in
    test_plan_kinds.c, baselines, rankings and tasks' overall rule in
    test_plan_judge.c, the fields of a row and references between files in
    test_plan_rows.c. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bm_plan.h"
#include "plan_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


//  --------------------------------------------------------------------------
//  The valid plan

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
    assert_string_equal (plan->header.deadline_rule, "none");

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
    assert_string_equal (output->kind, "amount");
    assert_string_equal (output->formula, "");
    assert_int_equal (output->on_track_tenths, 0);
    assert_int_equal (output->at_risk_tenths, 0);
    assert_false (output->has_pace);
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
    assert_string_equal (bm_plan_indicator (plan, "sei-output", "")->kind, "qualitative");

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
    assert_string_equal (target->value_text, "1855.0");
    assert_int_equal (target->line, 3);
    assert_string_equal (plan->targets [1].role, "assessment");
    s_assert_decimal (plan->targets [1].value, "1800");
    assert_string_equal (plan->targets [2].kind, "growth");
    target = &plan->targets [3];
    assert_string_equal (target->unit, "赵巷镇");
    assert_true (target->no_target);
    assert_false (target->has_value);
    assert_string_equal (target->value_text, "");
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
    assert_string_equal (task->overall, "average");
    assert_string_equal (plan->tasks [0].measures, "");
    assert_string_equal (plan->tasks [0].note, "");
    assert_string_equal (plan->tasks [0].overall, "worst");

    //  Baselines and rankings: values in test_plan_judge.c
    assert_int_equal (plan->baseline_count, 4);
    assert_int_equal (plan->ranking_count, 4);
    //  Holidays: values in test_plan_cycle.c
    assert_int_equal (plan->holiday_count, 5);

    bm_plan_destroy (&plan);
    assert_null (plan);
    bm_plan_destroy (&plan);
    zlist_destroy (&errors);
}

static void
test_optional_files_and_columns (void **state)
{
    //  No milestones.csv, tasks.csv, baselines.csv, rankings.csv or
    //  holidays.csv; days given; optional columns absent
    const file_t changes [] = {
        { "holidays.csv", NULL },
        { "milestones.csv", NULL },
        { "tasks.csv", NULL },
        { "baselines.csv", NULL },
        { "rankings.csv", NULL },
        { "plan.csv", "plan,district,district_name,year,title,forecast_day,final_day\n"
                      "p,d,区,2024,t,25,5\n" },
        { "units.csv", "kind,unit\ntown,赵巷镇\n" },
        { "targets.csv", "unit,kind,indicator,value\n赵巷镇,total,industrial-output,12.5\n" },
    };
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = s_parse (changes, 8, errors);
    assert_non_null (plan);
    assert_int_equal (plan->header.forecast_day, 25);
    assert_int_equal (plan->header.final_day, 5);
    assert_string_equal (plan->header.deadline_rule, "none");
    assert_int_equal (plan->holiday_count, 0);
    assert_string_equal (plan->header.documents, "");
    assert_int_equal (plan->milestone_count, 0);
    assert_int_equal (plan->task_count, 0);
    assert_int_equal (plan->baseline_count, 0);
    assert_int_equal (plan->ranking_count, 0);
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
        "baselines.csv:3:3: unit \"青浦工业园区\" is not in units.csv",
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
    assert_int_equal (plan->baseline_count, 0);
    assert_int_equal (plan->ranking_count, 0);
    bm_plan_destroy (&plan);

    //  baselines.csv and rankings.csv are read when they are there
    s_write (dir, "baselines.csv", s_baselines_csv);
    s_write (dir, "rankings.csv", s_rankings_csv);
    plan = bm_plan_parse_dir (dir, errors);
    assert_non_null (plan);
    assert_int_equal (zlist_size (errors), 0);
    assert_int_equal (plan->baseline_count, 4);
    assert_int_equal (plan->ranking_count, 4);
    bm_plan_destroy (&plan);
    s_write (dir, "baselines.csv", "indicator,period,value\nindustrial-output,2023-06,1\n");
    plan = bm_plan_parse_dir (dir, errors);
    assert_null (plan);
    assert_int_equal (zlist_size (errors), 1);
    assert_string_equal (zlist_first (errors), "baselines.csv:2:2: period 2023-06 is not in "
                         "2022: a baseline is the previous year's figure for the same "
                         "month (the plan is for 2023)");
    zlist_purge (errors);
    s_remove (dir, "baselines.csv");
    s_remove (dir, "rankings.csv");

    //  Problems name the file by its name in the folder
    s_write (dir, "tasks.csv", "level,seq,title,indicator\n区级,1,t,gdp\n");
    s_write (dir, "notes.csv", "x\n");
    plan = bm_plan_parse_dir (dir, errors);
    assert_null (plan);
    assert_int_equal (zlist_size (errors), 2);
    assert_string_equal (zlist_first (errors), "notes.csv: not a plan file: a plan has "
                         "plan.csv, units.csv, indicators.csv, targets.csv, milestones.csv, "
                         "tasks.csv, baselines.csv, rankings.csv and holidays.csv");
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
        cmocka_unit_test (test_several_errors_in_order),
        cmocka_unit_test (test_error_limit),
        cmocka_unit_test (test_parse_dir),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
