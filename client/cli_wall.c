/*  battlemap wall: the battle map in the terminal. */

#include "cli.h"
#include "cli_format.h"
#include "cli_labels.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <getopt.h>

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: battlemap wall --district D [--period YYYY-MM] [--unit U | --all | --snapshot]\n"
        "                      [--format text|csv|json]\n"
        "\n"
        "Print the battle map (挂图作战) for a district and month (default: the\n"
        "server's month, which is not this computer's on a test clock): each key task with its lead leaders and sections, and for each of its\n"
        "measures the annual target, what the month expects (the cumulative milestone,\n"
        "else 序时进度; a level's threshold; a growth rate), the cumulative actual,\n"
        "completion against the expected value and against the annual target, and a\n"
        "status: 正常 (on track, >= 100%% of expected), 预警 (at risk, >= 90%%), 滞后\n"
        "(lagging), 未报送 (not reported), 无基期 (no previous-year figure for a growth),\n"
        "无节点 (the month expects nothing: \"/\" in the plan, or before the first\n"
        "milestone; shown, not judged), 未齐 (the district's sum while units with a\n"
        "target still report: shown, not judged until all are in or the final\n"
        "deadline has passed, when the units still missing are named).\n"
        "Below a row: the target as written, text milestones and their status, growth\n"
        "on last year, the year-end projection (along the plan's milestones), where the\n"
        "units' targets do not add up, what the plan notes (a discrepancy in the\n"
        "documents), and a lead section's progress note (进展说明). An actual marked\n"
        "* is still a forecast.\n"
        "With --unit, the tasks the unit leads (as a lead section, or through its\n"
        "sections) and the unit's own indicators, with its rank among the units.\n"
        "With --all, after the district's tasks every other indicator of the plan\n"
        "that has a district target (growth rates, levels, qualitative targets).\n"
        "With --snapshot, the district's wall as it was frozen when the month's final\n"
        "deadline passed: the report given to the meeting, whatever came later.\n"
        "How each kind is judged: deploy/plans/README.md.\n"
        "\n" CLI_FORMAT_USAGE);
}

//  The wall shows a cell without a target as a dash
static const char *
s_status_label (const char *status)
{
    return streq (status, "no_target")? "—": cli_status_label (status);
}

static const char *
s_or_dash (const char *text)
{
    return *text? text: "—";
}

//  Column widths
enum { W_MEASURE = 14, W_UNIT = 10, W_TARGET = 10, W_EXPECTED = 16, W_ACTUAL = 12,
       W_RATE = 12, W_STATUS = 8 };

//  What the month expects, by kind
static void
s_expected (const Battlemap__WallMeasure *measure, char *text, size_t size)
{
    if (streq (measure->kind, "level") || streq (measure->kind, "ratio"))
        snprintf (text, size, "%s%s", measure->comparator, s_or_dash (measure->expected));
    else
    if (streq (measure->kind, "growth"))
        snprintf (text, size, "增长%s%%", s_or_dash (measure->growth_target));
    else
    if (streq (measure->kind, "qualitative"))
        snprintf (text, size, "定性");
    else
    if (streq (measure->status, "no_milestone"))
        snprintf (text, size, "无节点");
    else
    if (*measure->milestone)
        snprintf (text, size, "%s (%u月)", measure->milestone, measure->milestone_month);
    else
    if (measure->milestone_month)
        snprintf (text, size, "文字 (%u月)", measure->milestone_month);
    else
    if (*measure->expected)
        snprintf (text, size, "序时 %s", measure->expected);
    else
        snprintf (text, size, "—");
}

static void
s_print_measure (const Battlemap__WallMeasure *measure)
{
    char expected [96], actual [48], vs_expected [24], vs_annual [24];
    s_expected (measure, expected, sizeof expected);
    snprintf (actual, sizeof actual, "%s%s", s_or_dash (measure->actual),
              measure->actual_is_forecast? "*": "");
    snprintf (vs_expected, sizeof vs_expected, "%s%s", s_or_dash (measure->vs_milestone),
              *measure->vs_milestone? "%": "");
    snprintf (vs_annual, sizeof vs_annual, "%s%s", s_or_dash (measure->vs_annual),
              *measure->vs_annual? "%": "");
    printf ("    ");
    //  An indicator shown beside the task's own is named
    cli_print_padded (stdout, measure->beside? measure->indicator_name
                                             : s_or_dash (measure->measure), W_MEASURE, false);
    cli_print_padded (stdout, measure->unit_of_measure, W_UNIT, false);
    cli_print_padded (stdout, s_or_dash (measure->annual_target), W_TARGET, true);
    cli_print_padded (stdout, expected, W_EXPECTED, true);
    cli_print_padded (stdout, actual, W_ACTUAL, true);
    cli_print_padded (stdout, vs_expected, W_RATE, true);
    cli_print_padded (stdout, vs_annual, W_RATE, true);
    printf ("  ");
    cli_print_padded (stdout, s_status_label (measure->status), W_STATUS, false);
    if (measure->units_expected)
        printf (" %u/%u单位已报", measure->units_reported, measure->units_expected);
    //  Once the sum is judged, the units still missing are named
    if (measure->n_units_missing && !streq (measure->status, "partial")) {
        printf (" 未报:");
        for (size_t unit = 0; unit < measure->n_units_missing; unit++)
            printf ("%s%s", unit? "、": " ", measure->units_missing [unit]);
    }
    if (measure->rank)
        printf (" 排名%u/%u%s", measure->rank, measure->rank_of,
                measure->rank_warned? " 后位预警": "");
    printf ("\n");
    if (*measure->target_text && !streq (measure->target_text, measure->annual_target))
        printf ("      目标: %s\n", measure->target_text);
    if (*measure->milestone_text && !streq (measure->milestone_text, "/"))
        printf ("      节点: %s%s%s\n", measure->milestone_text,
                measure->text_status? "  已报: ": "",
                cli_milestone_label (measure->text_status));
    if (*measure->growth || *measure->baseline) {
        printf ("      同比: %s%s%%", streq (measure->kind, "qualitative")? "变化": "增长",
                s_or_dash (measure->growth));
        if (*measure->growth_gap)
            printf ("（目标%s%%，差%s个百分点）", measure->growth_target, measure->growth_gap);
        if (*measure->baseline)
            printf ("  上年同期 %s", measure->baseline);
        printf ("\n");
    }
    if (*measure->assessment_target)
        printf ("      考核目标 %s，完成 %s%s\n", measure->assessment_target,
                s_or_dash (measure->vs_assessment), *measure->vs_assessment? "%": "");
    if (*measure->projection)
        printf ("      预计全年 %s（%s%%）\n", measure->projection,
                s_or_dash (measure->vs_projection));
    if (*measure->warning)
        printf ("      注意: %s\n", measure->warning);
    if (*measure->note)
        printf ("      说明: %s\n", measure->note);
    if (*measure->progress_note)
        printf ("      进展说明: %s（%s）\n", measure->progress_note,
                s_or_dash (measure->progress_by));
}

//  The battle map as text, one task after another
static void
s_print_text (const Battlemap__WallReply *wall)
{
    printf ("%s %s 挂图作战 %s", wall->district_name, wall->unit, wall->period);
    if (*wall->snapshot_at)
        printf ("（%s 终报截止时的快照）", wall->snapshot_at);
    else
    if (*wall->as_of)
        printf ("（截至 %s）", wall->as_of);
    printf ("\n\n");
    printf ("    ");
    cli_print_padded (stdout, "分项", W_MEASURE, false);
    cli_print_padded (stdout, "单位", W_UNIT, false);
    cli_print_padded (stdout, "年度目标", W_TARGET, true);
    cli_print_padded (stdout, "本月预期", W_EXPECTED, true);
    cli_print_padded (stdout, "累计完成", W_ACTUAL, true);
    cli_print_padded (stdout, "预期完成率", W_RATE, true);
    cli_print_padded (stdout, "年度完成率", W_RATE, true);
    printf ("  状态\n");
    for (size_t index = 0; index < wall->n_tasks; index++) {
        Battlemap__WallTask *task = wall->tasks [index];
        if (*task->level)
            printf ("\n%s %u  %s\n", task->level, task->seq, task->title);
        else
            printf ("\n%s (%s)\n", task->title, task->indicator);
        if (*task->leaders || *task->sections)
            printf ("    牵头领导 %s  牵头科室 %s\n", s_or_dash (task->leaders),
                    s_or_dash (task->sections));
        //  What the plan assumed where the documents disagree
        if (*task->note)
            printf ("    说明: %s\n", task->note);
        for (size_t measure = 0; measure < task->n_measures; measure++)
            s_print_measure (task->measures [measure]);
        if (task->n_measures > 1)
            printf ("    综合状态: %s（%s%s%s）\n", s_status_label (task->overall_status),
                    streq (task->overall_rule, "average")? "按平均完成率": "按最差分项",
                    *task->overall_rate? " ": "", task->overall_rate);
    }
}

//  One row per cell: numbers plain, rates in percent without the sign
static void
s_print_csv (const Battlemap__WallReply *wall)
{
    cli_csv_bom (stdout);
    cli_csv_header (stdout, "区", "期间", "单位", "层级", "序号", "任务", "指标代码", "指标",
                    "分项", "计量单位", "年度目标", "目标表述", "本月节点", "节点月份",
                    "本月预期", "累计完成", "仅有预报", "预期完成率(%)", "年度完成率(%)",
                    "状态", "已报单位数", "应报单位数", "未报单位", "排名", "排名单位数",
                    "后位预警", "预计全年", "预计全年完成率(%)", "文字节点", "节点进度",
                    "综合状态", "牵头领导", "牵头科室", "进展说明", NULL);
    for (size_t index = 0; index < wall->n_tasks; index++) {
        const Battlemap__WallTask *task = wall->tasks [index];
        for (size_t item = 0; item < task->n_measures; item++) {
            const Battlemap__WallMeasure *measure = task->measures [item];
            char *missing = strdup ("");
            for (size_t unit = 0; unit < measure->n_units_missing; unit++) {
                char *longer = zsys_sprintf ("%s%s%s", missing, unit? "、": "",
                                             measure->units_missing [unit]);
                free (missing);
                missing = longer;
            }
            char seq [16] = "";
            if (task->seq)
                snprintf (seq, sizeof seq, "%u", task->seq);
            char month [16] = "", rank [16] = "", rank_of [16] = "";
            if (measure->milestone_month)
                snprintf (month, sizeof month, "%u", measure->milestone_month);
            if (measure->rank) {
                snprintf (rank, sizeof rank, "%u", measure->rank);
                snprintf (rank_of, sizeof rank_of, "%u", measure->rank_of);
            }
            cli_csv_row (stdout, "ssssssssssssssss" "bppsuusssb" "spssssss",
                wall->district_name, wall->period, *wall->unit? wall->unit: "全区",
                task->level, seq, task->title, measure->indicator,
                measure->indicator_name, measure->measure, measure->unit_of_measure,
                measure->annual_target, measure->target_text, measure->milestone, month,
                measure->expected, measure->actual, measure->actual_is_forecast,
                measure->vs_milestone, measure->vs_annual, cli_status_label (measure->status),
                measure->units_reported, measure->units_expected, missing, rank, rank_of,
                measure->rank_warned, measure->projection, measure->vs_projection,
                measure->milestone_text,
                measure->text_milestone_status [0]
                    ? cli_milestone_name_label (measure->text_milestone_status)
                    : cli_milestone_label (measure->text_status),
                task->n_measures > 1? cli_status_label (task->overall_status): "",
                task->leaders, task->sections, measure->progress_note);
            free (missing);
        }
    }
}

int
cli_wall (cli_context_t *context, int argc, char *argv [])
{
    const char *district = NULL, *unit = "";
    bool all = false, snapshot = false;
    cli_format_t format = CLI_FORMAT_TEXT;
    char period [8] = "";          //  default: the server's month
    static const struct option options [] = {
        { "district", required_argument, NULL, 'D' },
        { "period", required_argument, NULL, 'p' },
        { "unit", required_argument, NULL, 'u' },
        { "all", no_argument, NULL, 'a' },
        { "snapshot", no_argument, NULL, 's' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': district = optarg; break;
            case 'p': snprintf (period, sizeof period, "%s", optarg); break;
            case 'u': unit = optarg; break;
            case 'a': all = true; break;
            case 's': snapshot = true; break;
            case 'f':
                if (cli_format_parse ("wall", optarg, &format))
                    return CLI_USAGE;
                break;
            case 'h': s_usage (stdout); return CLI_OK;
            default:  s_usage (stderr); return CLI_USAGE;
        }
    }
    if (!district || optind < argc) {
        s_usage (stderr);
        return CLI_USAGE;
    }
    bm_client_t *client = cli_connect (context);
    if (!client)
        return CLI_USAGE;
    cli_default_period (client, period);
    Battlemap__WallRequest request_wall = BATTLEMAP__WALL_REQUEST__INIT;
    request_wall.district = (char *) district;
    request_wall.period = period;
    request_wall.unit = (char *) unit;
    request_wall.all = all;
    request_wall.snapshot = snapshot;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_WALL;
    request.wall = &request_wall;
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    int rc = cli_check_reply ("wall", reply, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    if (rc >= 0) {
        bm_wire_free (&reply);
        return rc;
    }
    if (format == CLI_FORMAT_JSON)
        cli_format_json (stdout, &reply->wall_reply->base);
    else
    if (format == CLI_FORMAT_CSV)
        s_print_csv (reply->wall_reply);
    else
        s_print_text (reply->wall_reply);
    bm_wire_free (&reply);
    return CLI_OK;
}
