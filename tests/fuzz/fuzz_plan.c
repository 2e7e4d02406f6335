/*  fuzz_plan: the bytes of one plan file through bm_plan_parse, the parser
    the server runs on the files a client sends in a PlanLoadRequest.

    The first byte chooses which file the rest of the input is, counting
    from '0': '0' plan.csv, '1' units.csv, '2' indicators.csv,
    '3' targets.csv, '4' milestones.csv, '5' tasks.csv, '6' baselines.csv,
    '7' rankings.csv, '8' holidays.csv (any other byte picks one too, by
    (byte - '0') mod 9). The other eight files are a small valid plan, the
    one of tests/unit/plan_fixture.h, so that what the fuzzed file refers
    to, and what refers to it, is there to be checked.

    The content is not NUL-terminated, as a PlanFile's bytes are not: a read
    past its end is a finding; empty content is NULL, as protobuf-c leaves an
    empty bytes field. The parser must return a plan or at least
    one problem, never both, and nothing may crash, leak or hit undefined
    behaviour.
*/

#include "bm_plan.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#ifdef NDEBUG
#   error "the fuzz targets check with assert: build them without NDEBUG"
#endif

#define S_FILES 9

static const char *s_names [S_FILES] = {
    "plan.csv", "units.csv", "indicators.csv", "targets.csv", "milestones.csv",
    "tasks.csv", "baselines.csv", "rankings.csv", "holidays.csv"
};


//  --------------------------------------------------------------------------
//  A small valid plan: a copy of tests/unit/plan_fixture.h's (which needs
//  cmocka); keep the two alike

static const char *s_valid [S_FILES] = {
    //  plan.csv
    "\xEF\xBB\xBF# 青浦区 2023 年计划（测试）\n"
    "plan,district,district_name,year,title,documents\n"
    "qingpu-2023,qingpu,青浦区,2023,2023年青浦区指导性计划目标,青府办发〔2023〕4号\n",

    //  units.csv
    "unit,kind,parent,note\r\n"
    "赵巷镇,town,,\r\n"
    "青浦工业园区,park,,园区\r\n"
    "经委,department,,\r\n"
    "经济运行科,section,经委,\r\n",

    //  indicators.csv
    "code,name,measure,unit_of_measure,aggregation,direction,parent,category,seq,"
    "decomposition,responsible,source,note,kind,formula,on_track_pct,at_risk_pct,pace\n"
    "industrial-output,规模以上工业总产值,,亿元,sum,higher,,综合经济,2,分解下达,经委,"
    "002 附件1,,amount\n"
    "project-progress,“四个一批”,出让一批,个,sum,higher,,专项经济,20,,经委,,,amount\n"
    "project-progress,“四个一批”,开工一批,个,sum,higher,,专项经济,20,,经委,,,amount\n"
    "registered-unemployed,城镇登记失业人数,,人,none,lower,,,,,\"人社局、经委\",,,amount\n"
    "sei-output,战略性新兴产业产值,,亿元,sum,higher,industrial-output,,,,,,,"
    "qualitative\n",

    //  targets.csv
    "indicator,measure,unit,role,kind,comparator,value,text,note\n"
    "# 附件2\n"
    "industrial-output,,全区,,total,,1855.0,,\n"
    "industrial-output,,全区,assessment,total,,1800,,\n"
    "industrial-output,,全区,,growth,,10,,\n"
    "industrial-output,,赵巷镇,,total,,—,,\n"
    "industrial-output,,青浦工业园区,working,total,>=,1195.0,96 以上,\"园区, 含西虹桥\"\n"
    "project-progress,出让一批,全区,,total,,26,,\n"
    "registered-unemployed,,全区,,total,,7300,,\n"
    "sei-output,,全区,,qualitative,,,不低于全市水平,\n",

    //  milestones.csv
    "indicator,measure,unit,month,value,share_pct,text,note\n"
    "industrial-output,,,3,445,24,,\n"
    "industrial-output,,青浦工业园区,6,600.5,,,\n"
    "project-progress,出让一批,全区,4,,,确定重点企业,\n",

    //  tasks.csv
    "level,seq,title,leaders,sections,indicator,measures,note,overall\n"
    "区级,1,规模以上工业总产值完成1855亿元,李玉洁,经济运行科,industrial-output,,\n"
    "部门级,1,\"“四个一批”完成出让26个、开工22个\",董敏 张三,经济运行科 经委,"
    "project-progress,出让一批|开工一批,,average\n",

    //  baselines.csv
    "indicator,measure,unit,period,value,note\n"
    "industrial-output,,,2022-06,850.2,2022年1-6月\n"
    "industrial-output,,青浦工业园区,2022-06,560,\n"
    "project-progress,出让一批,全区,2022-12,24,\n"
    "sei-output,,,2022-12,600,\n",

    //  rankings.csv
    "ranking,indicator,measure,weight,bottom,note\n"
    "主要经济指标,industrial-output,,2,3,后3名预警\n"
    "主要经济指标,project-progress,出让一批,1,,\n"
    "主要经济指标,registered-unemployed,,0.5,3,\n"
    "项目推进,project-progress,开工一批,1,,\n",

    //  holidays.csv
    "\xEF\xBB\xBF# 国办发明电〔2022〕16号（测试）\n"
    "date,kind,name,note\n"
    "2023-01-01,holiday,元旦,星期日\n"
    "2023-01-02,holiday,元旦,\n"
    "2023-01-28,workday,春节,调休上班\n"
    "2023-10-06,holiday,中秋节、国庆节,\n"
    "2024-01-01,holiday,元旦,\n"
};


//  --------------------------------------------------------------------------
//  The target

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int fuzzed = (uint8_t) (data [0] - '0') % S_FILES;
    bm_plan_file_t files [S_FILES];
    for (int kind = 0; kind < S_FILES; kind++) {
        files [kind].name = (char *) s_names [kind];
        if (kind == fuzzed) {
            //  An empty PlanFile's content reaches the parser as protobuf-c
            //  leaves it: NULL, size 0
            files [kind].content = size > 1? (const char *) data + 1: NULL;
            files [kind].size = size - 1;
        }
        else {
            files [kind].content = s_valid [kind];
            files [kind].size = strlen (s_valid [kind]);
        }
    }
    zlist_t *errors = zlist_new ();
    assert (errors);
    zlist_autofree (errors);
    bm_plan_t *plan = bm_plan_parse (files, S_FILES, errors);

    //  Either a plan or at least one problem, never both, and every
    //  problem says something
    assert (plan? zlist_size (errors) == 0: zlist_size (errors) > 0);
    assert (zlist_size (errors) <= BM_PLAN_MAX_ERRORS);
    for (const char *error = (const char *) zlist_first (errors); error;
         error = (const char *) zlist_next (errors))
        assert (*error);
    //  Every indicator of a plan is found by its own code and measure
    if (plan)
        for (size_t index = 0; index < plan->indicator_count; index++) {
            const bm_plan_indicator_t *indicator = &plan->indicators [index];
            assert (bm_plan_indicator (plan, indicator->code, indicator->measure));
        }
    bm_plan_destroy (&plan);
    zlist_destroy (&errors);
    return 0;
}
