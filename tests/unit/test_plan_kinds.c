/*  test_plan_kinds: the kinds of indicator (deploy/plans/README.md, "Kinds
    of indicator") as the plan parser enforces them: every indicator has a
    kind; what the kind allows on its own row (unit of measure, aggregation,
    formula, pace); a ratio's formula and what it refers to; the status
    thresholds; and that targets and milestones fit their indicator's kind.
    The plan is plan_fixture.h's; the indicators of the other kinds are
    s_kind_indicators (lines 7 to 10 of indicators.csv). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bm_plan.h"
#include "plan_fixture.h"


//  --------------------------------------------------------------------------
//  A plan with every kind

static const char *s_indicator_rows =
    "services-revenue,规上服务业营业收入,,%,none,higher,,,,,,,,growth\n"             //  7
    "hi-tech-share,高新技术产业产值占比,,%,none,higher,,,,,,,,ratio,"
    "hi-tech-output / industrial-output * 100,100,92.5\n"                          //  8
    "hi-tech-output,高新技术产业产值,,亿元,sum,higher,industrial-output,,,,,,,amount,,"
    "95,85, 5|10|20|30|40|50|60|70|80|90|95|100\n"                                  //  9
    "info-quality,来沪人员信息质量,,%,none,higher,,,,,,,,level,,,95\n"               //  10
    "tax-revenue,税收收入,,亿元,sum,higher,,,,,,,,group\n"                           //  11
    "vat,增值税,,亿元,sum,higher,tax-revenue,,,,,,,amount\n"                         //  12
    "air-quality,环境空气质量优良率,,%,none,higher,,,,,,,,qualitative\n"              //  13
    "sale-share,出让占“四个一批”比例,,%,none,higher,,,,,,,,ratio,"
    "project-progress:出让一批 / (project-progress:出让一批 + "
    "project-progress:开工一批) * 100\n";                                            //  14

static const char *s_target_rows =
    "services-revenue,,全区,,growth,,6,,\n"                                         //  11
    "hi-tech-share,,全区,,level,>=,30,,\n"                                          //  12
    "hi-tech-output,,全区,,total,,500,,\n"                                          //  13
    "hi-tech-output,,全区,,growth,,8,,\n"                                           //  14
    "hi-tech-output,,全区,assessment,total,,480,,\n"                                //  15
    "hi-tech-output,,全区,assessment,growth,,7,,\n"                                 //  16
    "info-quality,,全区,,level,,96,96 以上,\n"                                       //  17
    "vat,,全区,,total,,120,,\n"                                                     //  18
    "air-quality,,全区,,qualitative,,,持平,\n"                                       //  19
    "sale-share,,全区,,level,,50,,\n";                                              //  20

static void
test_every_kind (void **state)
{
    char *indicators = s_appended ("indicators.csv", s_indicator_rows);
    char *targets = s_appended ("targets.csv", s_target_rows);
    char *milestones = s_appended ("milestones.csv", "hi-tech-output,,,6,240,,,\n");
    const file_t changes [] = {
        { "indicators.csv", indicators },
        { "targets.csv", targets },
        { "milestones.csv", milestones },
    };
    bm_plan_t *plan = s_parse_valid (changes, 3);
    assert_int_equal (plan->indicator_count, 13);
    assert_int_equal (plan->target_count, 18);

    const bm_plan_indicator_t *indicator = bm_plan_indicator (plan, "services-revenue", "");
    assert_string_equal (indicator->kind, "growth");
    assert_string_equal (indicator->formula, "");
    assert_false (indicator->additive);

    indicator = bm_plan_indicator (plan, "hi-tech-share", "");
    assert_string_equal (indicator->kind, "ratio");
    assert_string_equal (indicator->formula, "hi-tech-output / industrial-output * 100");
    assert_int_equal (indicator->on_track_tenths, 1000);
    assert_int_equal (indicator->at_risk_tenths, 925);
    assert_false (indicator->has_pace);

    indicator = bm_plan_indicator (plan, "hi-tech-output", "");
    assert_string_equal (indicator->kind, "amount");
    assert_int_equal (indicator->on_track_tenths, 950);
    assert_int_equal (indicator->at_risk_tenths, 850);
    assert_true (indicator->has_pace);
    s_assert_decimal (indicator->pace [0], "5");
    s_assert_decimal (indicator->pace [2], "20");
    s_assert_decimal (indicator->pace [10], "95");
    s_assert_decimal (indicator->pace [11], "100");

    //  at_risk_pct alone: on_track_pct keeps its default
    indicator = bm_plan_indicator (plan, "info-quality", "");
    assert_string_equal (indicator->kind, "level");
    assert_int_equal (indicator->on_track_tenths, 0);
    assert_int_equal (indicator->at_risk_tenths, 950);

    assert_string_equal (bm_plan_indicator (plan, "tax-revenue", "")->kind, "group");
    assert_string_equal (bm_plan_indicator (plan, "vat", "")->parent, "tax-revenue");
    assert_string_equal (bm_plan_indicator (plan, "air-quality", "")->kind, "qualitative");
    indicator = bm_plan_indicator (plan, "sale-share", "");
    assert_string_equal (indicator->formula, "project-progress:出让一批 / "
                         "(project-progress:出让一批 + project-progress:开工一批) * 100");

    //  The comparator defaults by direction; a level keeps its text
    //  (the plan's own 8 targets come first)
    assert_string_equal (plan->targets [9].indicator, "hi-tech-share");
    assert_string_equal (plan->targets [9].comparator, ">=");
    s_assert_decimal (plan->targets [9].value, "30");
    assert_string_equal (plan->targets [14].text, "96 以上");
    assert_string_equal (plan->targets [16].kind, "qualitative");
    assert_string_equal (plan->targets [16].text, "持平");
    assert_int_equal (plan->milestone_count, 4);

    bm_plan_destroy (&plan);
    free (indicators);
    free (targets);
    free (milestones);
}


//  --------------------------------------------------------------------------
//  Every indicator has a kind

static void
test_kind_required (void **state)
{
    static const case_t cases [] = {
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,\n",
          "indicators.csv:7:14: kind is empty: write amount, growth, ratio, level, "
          "qualitative or group" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,rate\n",
          "indicators.csv:7:14: kind: \"rate\" is not amount, growth, ratio, level, "
          "qualitative or group" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,Amount\n",
          "indicators.csv:7:14: kind: \"Amount\" is not amount" },
        //  Every measure of a composite indicator has its own kind
        { "indicators.csv", "project-progress,“四个一批”,竣工一批,个,sum,higher,,,,,,,,\n",
          "indicators.csv:7:14: kind is empty" },
    };
    RUN_CASES (cases);
    EXPECT_REPLACED ("indicators.csv",
                     "code,measure,name,unit_of_measure,aggregation,direction\n"
                     "industrial-output,,规模以上工业总产值,亿元,sum,higher\n"
                     "project-progress,出让一批,“四个一批”,个,sum,higher\n"
                     "project-progress,开工一批,“四个一批”,个,sum,higher\n"
                     "registered-unemployed,,城镇登记失业人数,人,none,lower\n"
                     "sei-output,,战略性新兴产业产值,亿元,sum,higher\n",
                     "indicators.csv:1: missing column \"kind\": add it to the header row");
}


//  --------------------------------------------------------------------------
//  What the kind allows on its own row

static void
test_kind_fits_row (void **state)
{
    static const case_t cases [] = {
        { "indicators.csv", "gdp-share,比重,,%,none,higher,,,,,,,,amount\n",
          "indicators.csv:7:4: unit_of_measure \"%\" does not fit kind amount: an "
          "amount is counted" },
        { "indicators.csv", "revenue-growth,营业收入增速,,%,sum,higher,,,,,,,,growth\n",
          "indicators.csv:7:5: aggregation \"sum\" does not fit kind growth: a growth "
          "rate of the district is not the sum of its units', write none" },
        { "indicators.csv", "coverage,覆盖率,,%,sum,higher,,,,,,,,level\n",
          "indicators.csv:7:5: aggregation \"sum\" does not fit kind level" },
        { "indicators.csv", "share,比例,,%,sum,higher,,,,,,,,ratio,"
          "sei-output / industrial-output * 100\n",
          "indicators.csv:7:5: aggregation \"sum\" does not fit kind ratio" },
        { "indicators.csv", "share,比例,,%,none,higher,,,,,,,,ratio\n",
          "indicators.csv:7:15: formula is empty: a ratio is computed from other "
          "indicators, write how (sei-output / industrial-output * 100)" },
        { "indicators.csv", "coverage,覆盖率,,%,none,higher,,,,,,,,level,"
          "sei-output / industrial-output * 100\n",
          "indicators.csv:7:15: formula is only for a ratio, and this indicator is "
          "a level: clear formula, or make the kind ratio" },
        { "indicators.csv", "taxes,税收,,亿元,sum,higher,,,,,,,,group,industrial-output\n",
          "indicators.csv:7:15: formula is only for a ratio, and this indicator is "
          "a group" },
        { "indicators.csv", "coverage,覆盖率,,%,none,higher,,,,,,,,level,,,,"
          "5|10|20|30|40|50|60|70|80|90|95|100\n",
          "indicators.csv:7:18: pace is only for an amount, and this indicator is a "
          "level, which is not prorated by month: clear pace" },
        { "indicators.csv", "revenue-growth,营业收入增速,,%,none,higher,,,,,,,,growth,,,,"
          "5|10|20|30|40|50|60|70|80|90|95|100\n",
          "indicators.csv:7:18: pace is only for an amount, and this indicator is a "
          "growth rate" },
    };
    RUN_CASES (cases);

    //  Without a formula column, a ratio's problem is its row's
    EXPECT_REPLACED ("indicators.csv",
                     "code,measure,name,unit_of_measure,aggregation,direction,kind\n"
                     "industrial-output,,规模以上工业总产值,亿元,sum,higher,amount\n"
                     "project-progress,出让一批,“四个一批”,个,sum,higher,amount\n"
                     "project-progress,开工一批,“四个一批”,个,sum,higher,amount\n"
                     "registered-unemployed,,城镇登记失业人数,人,none,lower,amount\n"
                     "sei-output,,战略性新兴产业产值,亿元,sum,higher,qualitative\n"
                     "sei-share,,战新产值占比,%,none,higher,ratio\n",
                     "indicators.csv:7: formula is empty: a ratio is computed");
}


//  --------------------------------------------------------------------------
//  A ratio's formula

static void
test_formula (void **state)
{
    static const case_t cases [] = {
        //  Syntax: bm_formula's message, with its column in the formula
        { "indicators.csv", "share,比例,,%,none,higher,,,,,,,,ratio,"
          "sei-output / (industrial-output\n",
          "indicators.csv:7:15: formula: at column 32: expected ')' to close the '(' "
          "at column 14" },
        { "indicators.csv", "share,比例,,%,none,higher,,,,,,,,ratio,sei-output/100-5\n",
          "indicators.csv:7:15: formula: at column 12: '100-5' is neither a number "
          "nor an indicator code" },
        //  What it refers to
        { "indicators.csv", "share,比例,,%,none,higher,,,,,,,,ratio,gdp / industrial-output\n",
          "indicators.csv:7:15: formula: \"gdp\" is not a code in indicators.csv: add "
          "it or correct the code" },
        { "indicators.csv", "share,比例,,%,none,higher,,,,,,,,ratio,"
          "project-progress / 2\n",
          "indicators.csv:7:15: formula: indicator \"project-progress\" has several "
          "measures: name one of 出让一批, 开工一批" },
        { "indicators.csv", "share,比例,,%,none,higher,,,,,,,,ratio,"
          "project-progress:竣工一批 / 2\n",
          "indicators.csv:7:15: formula: \"竣工一批\" is not a measure of indicator "
          "\"project-progress\": use one of 出让一批, 开工一批" },
        { "indicators.csv", "share,比例,,%,none,higher,,,,,,,,ratio,"
          "industrial-output:全部 / 2\n",
          "indicators.csv:7:15: formula: indicator \"industrial-output\" has a single "
          "measure: write industrial-output without \":全部\"" },
        { "indicators.csv", "share,比例,,%,none,higher,,,,,,,,ratio,share * 2\n",
          "indicators.csv:7:15: formula refers to share itself: a ratio is computed "
          "from other indicators" },
        { "indicators.csv", "taxes,税收,,亿元,sum,higher,,,,,,,,group\n"
          "share,比例,,%,none,higher,,,,,,,,ratio,taxes / industrial-output * 100\n",
          "indicators.csv:8:15: formula refers to taxes, which is a group: a group "
          "has no figures, refer to the indicators under it" },
        //  A ratio of a ratio: the first is fine, the second refers to it
        { "indicators.csv", "share,比例,,%,none,higher,,,,,,,,ratio,"
          "sei-output / industrial-output\n"
          "share-of-share,比例的比例,,%,none,higher,,,,,,,,ratio,share * 100\n",
          "indicators.csv:8:15: formula refers to share, which is a ratio: refer to "
          "the indicators it is computed from instead" },
    };
    RUN_CASES (cases);

    //  A formula may refer to an indicator on a later line, and to measures
    char *indicators = s_appended ("indicators.csv",
        "share,比例,,%,none,higher,,,,,,,,ratio,(project-progress:开工一批 + later) / 2\n"
        "later,后一行,,个,sum,higher,,,,,,,,amount\n");
    const file_t changes [] = { { "indicators.csv", indicators } };
    bm_plan_t *plan = s_parse_valid (changes, 1);
    assert_string_equal (bm_plan_indicator (plan, "share", "")->formula,
                         "(project-progress:开工一批 + later) / 2");
    bm_plan_destroy (&plan);
    free (indicators);
}


//  --------------------------------------------------------------------------
//  Status thresholds and pace

static void
test_thresholds (void **state)
{
    static const case_t cases [] = {
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,高,\n",
          "indicators.csv:7:16: on_track_pct: \"高\" is not a plain decimal number" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,92.55,\n",
          "indicators.csv:7:16: on_track_pct: \"92.55\" must be a percentage above 0 "
          "and at most 1000, with at most one decimal (92.5)" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,,0\n",
          "indicators.csv:7:17: at_risk_pct: \"0\" must be a percentage above 0" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,1000.1,\n",
          "indicators.csv:7:16: on_track_pct: \"1000.1\" must be a percentage above 0 "
          "and at most 1000" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,90%,\n",
          "indicators.csv:7:16: on_track_pct: \"90%\" is not a plain decimal number: "
          "write the number without %" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,92,95\n",
          "indicators.csv:7:17: at_risk_pct 95 is not below on_track_pct 92: a unit is at "
          "risk in a band below on track, so give at_risk_pct below it" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,,100.5\n",
          "indicators.csv:7:17: at_risk_pct 100.5 is not below on_track_pct 100 (the "
          "default)" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,85,\n",
          "indicators.csv:7:16: on_track_pct 85 is not above at_risk_pct 90 (the "
          "default): give at_risk_pct too, below on_track_pct" },
        //  区级2's 完成90%以上 alone would leave no at-risk band
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,90,\n",
          "indicators.csv:7:16: on_track_pct 90 is not above at_risk_pct 90 (the "
          "default): give at_risk_pct too, below on_track_pct, so that there is an "
          "at-risk band" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,92.5,92.5\n",
          "indicators.csv:7:17: at_risk_pct 92.5 is not below on_track_pct 92.5" },
    };
    RUN_CASES (cases);

    //  A band a tenth wide, and both below the defaults, are fine
    char *indicators = s_appended ("indicators.csv",
        "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,92.5,92.4\n"
        "fdi,外资,,万美元,sum,higher,,,,,,,,amount,,85,80\n"
        "sales,销售额,,亿元,sum,higher,,,,,,,,amount,,120,\n");
    const file_t changes [] = { { "indicators.csv", indicators } };
    bm_plan_t *plan = s_parse_valid (changes, 1);
    const bm_plan_indicator_t *indicator = bm_plan_indicator (plan, "gdp", "");
    assert_int_equal (indicator->on_track_tenths, 925);
    assert_int_equal (indicator->at_risk_tenths, 924);
    indicator = bm_plan_indicator (plan, "fdi", "");
    assert_int_equal (indicator->on_track_tenths, 850);
    assert_int_equal (indicator->at_risk_tenths, 800);
    indicator = bm_plan_indicator (plan, "sales", "");
    assert_int_equal (indicator->on_track_tenths, 1200);
    assert_int_equal (indicator->at_risk_tenths, 0);
    bm_plan_destroy (&plan);
    free (indicators);
}

static void
test_pace (void **state)
{
    static const case_t cases [] = {
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,,,"
          "5|10|20|30|40|50|60|70|80|90|100\n",
          "indicators.csv:7:18: pace has fewer than 12 values: give one cumulative "
          "percentage a month" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,,,"
          "5|10|20|30|40|50|60|70|80|90|95|99\n",
          "indicators.csv:7:18: pace must reach 100 in December" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,,,"
          "5|10|8|30|40|50|60|70|80|90|95|100\n",
          "indicators.csv:7:18: pace decreases from one month to the next" },
        { "indicators.csv", "gdp,地区生产总值,,亿元,sum,higher,,,,,,,,amount,,,,"
          "5%|10|20|30|40|50|60|70|80|90|95|100\n",
          "indicators.csv:7:18: pace: a pace value is not a plain decimal percentage" },
    };
    RUN_CASES (cases);
}


//  --------------------------------------------------------------------------
//  The documents' rules: months measured, precision, plausibility limits,
//  months marked "/", indicators shown beside a task

//  indicators.csv with the optional columns, and one indicator row
static char *
s_limits_indicators (const char *row)
{
    return zsys_sprintf (
        "code,name,measure,unit_of_measure,aggregation,direction,kind,"
        "through_month,decimals,plausible_factor,may_decrease\n"
        "industrial-output,规模以上工业总产值,,亿元,sum,higher,amount,,,,\n"
        "project-progress,“四个一批”,出让一批,个,sum,higher,amount,,,,\n"
        "project-progress,“四个一批”,开工一批,个,sum,higher,amount,,,0,\n"
        "registered-unemployed,城镇登记失业人数,,人,none,lower,amount,,,,\n"
        "sei-output,战略性新兴产业产值,,亿元,sum,higher,qualitative,,,,\n"
        "%s", row);
}

static void
test_limits (void **state)
{
    //  Defaults, and what is given
    char *indicators = s_limits_indicators (
        "transport-revenue,交通运输业营业收入（1-11 月）,,亿元,sum,higher,amount,11,2,5,yes\n");
    const file_t valid [] = { { "indicators.csv", indicators } };
    bm_plan_t *plan = s_parse_valid (valid, 1);
    const bm_plan_indicator_t *indicator = bm_plan_indicator (plan, "transport-revenue", "");
    assert_int_equal (indicator->through_month, 11);
    assert_true (indicator->decimals_given);
    assert_int_equal (indicator->decimals, 2);
    assert_int_equal (indicator->plausible_factor.micros, 5 * BM_DECIMAL_SCALE);
    assert_true (indicator->may_decrease);
    //  Not given: twelve months; the most decimals of the targets and
    //  milestones as written (1855.0, 445: one); a factor of 10; a
    //  cumulative amount does not fall, a ceiling may
    indicator = bm_plan_indicator (plan, "industrial-output", "");
    assert_int_equal (indicator->through_month, 12);
    assert_false (indicator->decimals_given);
    assert_int_equal (indicator->decimals, 1);
    assert_int_equal (indicator->plausible_factor.micros, 10 * BM_DECIMAL_SCALE);
    assert_false (indicator->may_decrease);
    indicator = bm_plan_indicator (plan, "project-progress", "出让一批");
    assert_int_equal (indicator->decimals, 0);
    indicator = bm_plan_indicator (plan, "project-progress", "开工一批");
    assert_int_equal (indicator->plausible_factor.micros, 0);
    indicator = bm_plan_indicator (plan, "registered-unemployed", "");
    assert_true (indicator->may_decrease);
    bm_plan_destroy (&plan);
    free (indicators);

    static const char *rows [][2] = {
        { "x,某,,亿元,sum,higher,amount,13,,,\n",
          "indicators.csv:7:8: through_month: \"13\" must be a whole number from 1 to 12" },
        { "x,某,,亿元,sum,higher,amount,,7,,\n",
          "indicators.csv:7:9: decimals: \"7\" must be a whole number from 0 to 6" },
        { "x,某,,亿元,sum,higher,amount,,,1.5,\n",
          "indicators.csv:7:10: plausible_factor: \"1.5\" must be 2 or more" },
        { "x,某,,亿元,sum,higher,amount,,,,maybe\n",
          "indicators.csv:7:11: may_decrease: \"maybe\" is not " },
    };
    for (size_t index = 0; index < sizeof rows / sizeof rows [0]; index++) {
        char *content = s_limits_indicators (rows [index][0]);
        EXPECT_REPLACED ("indicators.csv", content, rows [index][1]);
        free (content);
    }
}

static void
test_negative (void **state)
{
    //  Figures below zero only where the plan says
    const char *content =
        "code,name,measure,unit_of_measure,aggregation,direction,kind,negative\n"
        "industrial-output,规模以上工业总产值,,亿元,sum,higher,amount,\n"
        "project-progress,“四个一批”,出让一批,个,sum,higher,amount,\n"
        "project-progress,“四个一批”,开工一批,个,sum,higher,amount,\n"
        "registered-unemployed,城镇登记失业人数,,人,none,lower,amount,no\n"
        "sei-output,战略性新兴产业产值,,亿元,sum,higher,qualitative,\n"
        "vacancy,降低空置面积,,万平方米,sum,higher,amount,yes\n";
    const file_t valid [] = { { "indicators.csv", content } };
    bm_plan_t *plan = s_parse_valid (valid, 1);
    assert_false (bm_plan_indicator (plan, "industrial-output", "")->may_be_negative);
    assert_false (bm_plan_indicator (plan, "registered-unemployed", "")->may_be_negative);
    assert_true (bm_plan_indicator (plan, "vacancy", "")->may_be_negative);
    bm_plan_destroy (&plan);
    char *bad = strdup (content);
    memcpy (strstr (bad, "amount,yes"), "amount,nay", 10);
    EXPECT_REPLACED ("indicators.csv", bad, "indicators.csv:7:8: negative: \"nay\" is not ");
    free (bad);
}

static void
test_milestone_none (void **state)
{
    //  "/" marks a month that expects nothing
    char *milestones = s_appended ("milestones.csv",
        "project-progress,出让一批,全区,1,/,,,1 月为“/”\n"
        "project-progress,出让一批,全区,2,2,,,\n");
    const file_t valid [] = { { "milestones.csv", milestones } };
    bm_plan_t *plan = s_parse_valid (valid, 1);
    bool found = false;
    for (size_t index = 0; index < plan->milestone_count; index++) {
        const bm_plan_milestone_t *milestone = plan->milestones + index;
        if (milestone->month == 1) {
            found = true;
            assert_true (milestone->none);
            assert_false (milestone->has_value);
            assert_string_equal (milestone->text, "/");
        }
        else
            assert_false (milestone->none);
    }
    assert_true (found);
    bm_plan_destroy (&plan);
    free (milestones);

    static const case_t cases [] = {
        { "milestones.csv", "project-progress,出让一批,全区,1,/,,联合宣传,\n",
          "milestones.csv:5:7: a month marked \"/\" expects nothing: clear text "
          "\"联合宣传\"" },
        { "milestones.csv", "project-progress,出让一批,全区,1,/,5,,\n",
          "milestones.csv:5:6: a month marked \"/\" expects nothing: clear share_pct" },
    };
    RUN_CASES (cases);
}

static void
test_task_beside (void **state)
{
    char *tasks = zsys_sprintf (
        "level,seq,title,indicator,beside\n"
        "区级,4,战新产业占规上工业比重,industrial-output,sei-output\n");
    const file_t valid [] = { { "tasks.csv", tasks } };
    bm_plan_t *plan = s_parse_valid (valid, 1);
    assert_string_equal (plan->tasks [0].beside, "sei-output");
    bm_plan_destroy (&plan);
    free (tasks);
    EXPECT_REPLACED ("tasks.csv",
        "level,seq,title,indicator,beside\n"
        "区级,4,战新,industrial-output,no-such\n",
        "tasks.csv:2:5: beside: \"no-such\" is not a code in indicators.csv");
    EXPECT_REPLACED ("tasks.csv",
        "level,seq,title,indicator,beside\n"
        "区级,4,战新,industrial-output,industrial-output\n",
        "tasks.csv:2:5: beside: \"industrial-output\" is the task's own indicator");
}

//  --------------------------------------------------------------------------
//  Targets and milestones fit their indicator's kind

static void
test_targets_fit_kind (void **state)
{
    static const case_t cases [] = {
        { "targets.csv", "industrial-output,,赵巷镇,,level,,1,,\n",
          "targets.csv:11:5: kind \"level\" does not fit indicator industrial-output, "
          "which is an amount (its targets are totals, or growth on the previous year)" },
        { "targets.csv", "industrial-output,,赵巷镇,,qualitative,,,持平,\n",
          "targets.csv:11:5: kind \"qualitative\" does not fit indicator "
          "industrial-output, which is an amount" },
        { "targets.csv", "project-progress,开工一批,全区,,level,,1,,\n",
          "targets.csv:11:5: kind \"level\" does not fit indicator project-progress "
          "measure 开工一批, which is an amount" },
        { "targets.csv", "services-revenue,,全区,,total,,1000,,\n",
          "targets.csv:11:5: kind \"total\" does not fit indicator services-revenue, "
          "which is a growth rate (its targets are growth)" },
        { "targets.csv", "services-revenue,,全区,assessment,level,,6,,\n",
          "targets.csv:11:5: kind \"level\" does not fit indicator services-revenue, "
          "which is a growth rate" },
        { "targets.csv", "sei-share,,全区,,growth,,30,,\n",
          "targets.csv:11:5: kind \"growth\" does not fit indicator sei-share, which is "
          "a ratio (its targets are levels)" },
        { "targets.csv", "sei-share,,全区,,total,,30,,\n",
          "targets.csv:11:5: kind \"total\" does not fit indicator sei-share, which is "
          "a ratio (its targets are levels)" },
        { "targets.csv", "info-quality,,全区,,total,,96,,\n",
          "targets.csv:11:5: kind \"total\" does not fit indicator info-quality, which "
          "is a level (its targets are levels)" },
        { "targets.csv", "info-quality,,全区,,qualitative,,,提升,\n",
          "targets.csv:11:5: kind \"qualitative\" does not fit indicator info-quality, "
          "which is a level" },
        { "targets.csv", "sei-output,,赵巷镇,,level,,1,,\n",
          "targets.csv:11:5: kind \"level\" does not fit indicator sei-output, which is "
          "qualitative (its targets are qualitative)" },
        { "targets.csv", "tax-revenue,,全区,,total,,100,,\n",
          "targets.csv:11:5: kind \"total\" does not fit indicator tax-revenue, which is "
          "a group (it has no targets: set them on the indicators under it)" },
        //  Even a "—" (no target) row has a kind that must fit
        { "targets.csv", "tax-revenue,,赵巷镇,,total,,—,,\n",
          "targets.csv:11:5: kind \"total\" does not fit indicator tax-revenue" },
    };
    RUN_KIND_CASES (cases);
}

static void
test_milestones_fit_kind (void **state)
{
    static const case_t cases [] = {
        { "milestones.csv", "info-quality,,,6,95,,,\n",
          "milestones.csv:5:1: a milestone does not fit indicator info-quality, which "
          "is a level (only an amount has monthly milestones; the other kinds hold "
          "all year)" },
        { "milestones.csv", "services-revenue,,,6,5,,,\n",
          "milestones.csv:5:1: a milestone does not fit indicator services-revenue, "
          "which is a growth rate" },
        { "milestones.csv", "sei-share,,,6,,,开展统计,\n",
          "milestones.csv:5:1: a milestone does not fit indicator sei-share, which is "
          "a ratio" },
        { "milestones.csv", "sei-output,,,6,,,完成申报,\n",
          "milestones.csv:5:1: a milestone does not fit indicator sei-output, which is "
          "qualitative" },
        { "milestones.csv", "tax-revenue,,,6,50,,,\n",
          "milestones.csv:5:1: a milestone does not fit indicator tax-revenue, which is "
          "a group (a group has no figures: give milestones to the indicators under it)" },
    };
    RUN_KIND_CASES (cases);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_every_kind),
        cmocka_unit_test (test_kind_required),
        cmocka_unit_test (test_kind_fits_row),
        cmocka_unit_test (test_formula),
        cmocka_unit_test (test_thresholds),
        cmocka_unit_test (test_pace),
        cmocka_unit_test (test_limits),
        cmocka_unit_test (test_negative),
        cmocka_unit_test (test_milestone_none),
        cmocka_unit_test (test_task_beside),
        cmocka_unit_test (test_targets_fit_kind),
        cmocka_unit_test (test_milestones_fit_kind),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
