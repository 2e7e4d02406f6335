/*  plan_fixture: a small valid plan, and the helpers the plan parser's
    tests share (test_plan.c, test_plan_kinds.c, test_plan_judge.c,
    test_plan_rows.c, test_plan_cycle.c): parse
    it with files replaced, left out or rows appended, and assert the exact
    problems, each "file:line:column: what is wrong".

    Lines of each file are numbered in the comments: a row appended to a
    file lands on the line after its last. Columns of indicators.csv:

        1 code  2 name  3 measure  4 unit_of_measure  5 aggregation
        6 direction  7 parent  8 category  9 seq  10 decomposition
        11 responsible  12 source  13 note  14 kind  15 formula
        16 on_track_pct  17 at_risk_pct  18 pace

    Include it after cmocka.h and bm_plan.h.
*/
#ifndef PLAN_FIXTURE_H_INCLUDED
#define PLAN_FIXTURE_H_INCLUDED

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURE_UNUSED __attribute__ ((unused))

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
    "decomposition,responsible,source,note,kind,formula,on_track_pct,at_risk_pct,pace\n"
    "industrial-output,规模以上工业总产值,,亿元,sum,higher,,综合经济,2,分解下达,经委,"
    "002 附件1,,amount\n"                                                           //  2
    "project-progress,“四个一批”,出让一批,个,sum,higher,,专项经济,20,,经委,,,amount\n"  //  3
    "project-progress,“四个一批”,开工一批,个,sum,higher,,专项经济,20,,经委,,,amount\n"  //  4
    "registered-unemployed,城镇登记失业人数,,人,none,lower,,,,,\"人社局、经委\",,,amount\n"
    "sei-output,战略性新兴产业产值,,亿元,sum,higher,industrial-output,,,,,,,"
    "qualitative\n";                                                                //  6

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
    "level,seq,title,leaders,sections,indicator,measures,note,overall\n"          //  1
    "区级,1,规模以上工业总产值完成1855亿元,李玉洁,经济运行科,industrial-output,,\n"   //  2
    "部门级,1,\"“四个一批”完成出让26个、开工22个\",董敏 张三,经济运行科 经委,"
    "project-progress,出让一批|开工一批,,average\n";                                //  3

static const char *s_baselines_csv =
    "indicator,measure,unit,period,value,note\n"                                  //  1
    "industrial-output,,,2022-06,850.2,2022年1-6月\n"                               //  2
    "industrial-output,,青浦工业园区,2022-06,560,\n"                                //  3
    "project-progress,出让一批,全区,2022-12,24,\n"                                  //  4
    "sei-output,,,2022-12,600,\n";                                                 //  5

static const char *s_rankings_csv =
    "ranking,indicator,measure,weight,bottom,note\n"                              //  1
    "主要经济指标,industrial-output,,2,3,后3名预警\n"                                //  2
    "主要经济指标,project-progress,出让一批,1,,\n"                                   //  3
    "主要经济指标,registered-unemployed,,0.5,3,\n"                                  //  4
    "项目推进,project-progress,开工一批,1,,\n";                                     //  5

//  2023-01-01 is a Sunday, 2023-01-02 a Monday, 2023-01-28 a Saturday,
//  2023-10-06 a Friday, 2024-01-01 a Monday
static const char *s_holidays_csv =
    "\xEF\xBB\xBF# 国办发明电〔2022〕16号（测试）\n"                                 //  1
    "date,kind,name,note\n"                                                      //  2
    "2023-01-01,holiday,元旦,星期日\n"                                             //  3
    "2023-01-02,holiday,元旦,\n"                                                  //  4
    "2023-01-28,workday,春节,调休上班\n"                                           //  5
    "2023-10-06,holiday,中秋节、国庆节,\n"                                          //  6
    "2024-01-01,holiday,元旦,\n";                                                 //  7

//  Indicators of the other kinds, appended to indicators.csv by the tests
//  of what fits each kind
static const char *s_kind_indicators =
    "services-revenue,规上服务业营业收入,,%,none,higher,,,,,,,,growth\n"             //  7
    "sei-share,战新产值占规上工业总产值比例,,%,none,higher,,,,,,,,ratio,"
    "sei-output / industrial-output * 100\n"                                      //  8
    "info-quality,来沪人员信息质量,,%,none,higher,,,,,,,,level\n"                   //  9
    "tax-revenue,税收收入,,亿元,sum,higher,,,,,,,,group\n";                         //  10

typedef struct {
    const char *name;
    const char *content;        //  NULL: leave the file out
} file_t;

#define FIXTURE_FILES 9
#define FIXTURE_MAX_CHANGES 8

//  The valid content of a plan file, by name
static const char *
s_valid (const char *name)
{
    return streq (name, "plan.csv")? s_plan_csv
         : streq (name, "units.csv")? s_units_csv
         : streq (name, "indicators.csv")? s_indicators_csv
         : streq (name, "targets.csv")? s_targets_csv
         : streq (name, "milestones.csv")? s_milestones_csv
         : streq (name, "tasks.csv")? s_tasks_csv
         : streq (name, "baselines.csv")? s_baselines_csv
         : streq (name, "rankings.csv")? s_rankings_csv
         : streq (name, "holidays.csv")? s_holidays_csv: NULL;
}

//  Parse the valid plan with some files replaced, left out or added
static FIXTURE_UNUSED bm_plan_t *
s_parse (const file_t *changes, size_t change_count, zlist_t *errors)
{
    static const char *names [FIXTURE_FILES] = {
        "plan.csv", "units.csv", "indicators.csv", "targets.csv",
        "milestones.csv", "tasks.csv", "baselines.csv", "rankings.csv", "holidays.csv"
    };
    assert_true (change_count <= FIXTURE_MAX_CHANGES);
    bm_plan_file_t files [FIXTURE_FILES + FIXTURE_MAX_CHANGES];
    size_t count = 0;
    bool used [FIXTURE_MAX_CHANGES] = { false };
    for (size_t index = 0; index < FIXTURE_FILES; index++) {
        const char *content = s_valid (names [index]);
        for (size_t change = 0; change < change_count; change++)
            if (streq (changes [change].name, names [index])) {
                content = changes [change].content;
                used [change] = true;
            }
        if (content)
            files [count++] = (bm_plan_file_t) {
                (char *) names [index], content, strlen (content)
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

//  Parse, and assert the plan is valid; the caller destroys it
static FIXTURE_UNUSED bm_plan_t *
s_parse_valid (const file_t *changes, size_t change_count)
{
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = s_parse (changes, change_count, errors);
    for (const char *error = (const char *) zlist_first (errors); error;
         error = (const char *) zlist_next (errors))
        print_message ("    %s\n", error);
    assert_non_null (plan);
    assert_int_equal (zlist_size (errors), 0);
    zlist_destroy (&errors);
    return plan;
}

//  Assert that parsing fails with exactly these problems, in this order;
//  each expected string is the start of its problem.
static FIXTURE_UNUSED void
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

//  The valid content of a file with rows appended; caller frees
static FIXTURE_UNUSED char *
s_appended (const char *name, const char *rows)
{
    const char *valid = s_valid (name);
    assert_non_null (valid);
    char *content = zsys_sprintf ("%s%s", valid, rows);
    assert_non_null (content);
    return content;
}

//  Rows appended to one file of the valid plan
static FIXTURE_UNUSED void
s_expect_appended (const char *name, const char *rows, const char *const *expected)
{
    char *content = s_appended (name, rows);
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

static FIXTURE_UNUSED void
s_run_cases (const case_t *cases, size_t count)
{
    for (size_t index = 0; index < count; index++) {
        print_message ("%s + %s", cases [index].file, cases [index].rows);
        EXPECT_APPENDED (cases [index].file, cases [index].rows, cases [index].problem);
    }
}

#define RUN_CASES(cases) s_run_cases (cases, sizeof (cases) / sizeof (cases [0]))

//  Rows appended to a file of the valid plan with s_kind_indicators
//  appended to indicators.csv (a row appended to indicators.csv lands on
//  line 11)
static FIXTURE_UNUSED void
s_run_kind_cases (const case_t *cases, size_t count)
{
    char *indicators = s_appended ("indicators.csv", s_kind_indicators);
    for (size_t index = 0; index < count; index++) {
        print_message ("%s + %s", cases [index].file, cases [index].rows);
        bool same = streq (cases [index].file, "indicators.csv");
        char *content = same? zsys_sprintf ("%s%s", indicators, cases [index].rows)
                            : s_appended (cases [index].file, cases [index].rows);
        const file_t changes [] = {
            { cases [index].file, content }, { "indicators.csv", indicators }
        };
        s_expect_errors (changes, same? 1: 2,
                         (const char *const []) { cases [index].problem, NULL });
        free (content);
    }
    free (indicators);
}

#define RUN_KIND_CASES(cases) \
    s_run_kind_cases (cases, sizeof (cases) / sizeof (cases [0]))

static FIXTURE_UNUSED void
s_assert_decimal (bm_decimal_t value, const char *expected)
{
    char buffer [BM_DECIMAL_STR_MAX];
    assert_string_equal (bm_decimal_format (value, buffer), expected);
}

//  Writes a file of the plan into a folder (tests of bm_plan_parse_dir)
static inline void
s_write (const char *dir, const char *name, const char *content)
{
    char *path = zsys_sprintf ("%s/%s", dir, name);
    FILE *file = fopen (path, "wb");
    assert_non_null (file);
    fwrite (content, 1, strlen (content), file);
    fclose (file);
    free (path);
}

static inline void
s_remove (const char *dir, const char *name)
{
    char *path = zsys_sprintf ("%s/%s", dir, name);
    unlink (path);
    free (path);
}

#endif
