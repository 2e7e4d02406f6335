/*  battlemap wall: the battle map in the terminal. */

#include "cli.h"

#include <czmq.h>
#include <getopt.h>

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: battlemap wall --district D [--period YYYY-MM] [--unit U]\n"
        "\n"
        "Print the battle map (挂图作战) for a district and month (default: this\n"
        "month): each key task with its lead leaders and sections, and for each of its\n"
        "measures the annual target, this month's cumulative milestone, the cumulative\n"
        "actual, completion against the milestone and against the annual target, and\n"
        "a status: 正常 (on track, >= 100%% of the milestone), 预警 (at risk, >= 90%%),\n"
        "滞后 (lagging), 未报送 (not reported). Where a task has no milestone for the\n"
        "month, the expected value is 序时进度 (the share of the year elapsed).\n"
        "An actual marked * is still a forecast. With --unit, the unit's own\n"
        "indicators instead of the district's tasks.\n");
}

static const char *
s_status_label (const char *status)
{
    return streq (status, "on_track")? "正常"
         : streq (status, "at_risk")? "预警"
         : streq (status, "lagging")? "滞后"
         : streq (status, "no_target")? "—": "未报送";
}

static const char *
s_or_dash (const char *text)
{
    return *text? text: "—";
}

//  Column widths
enum { W_MEASURE = 14, W_UNIT = 10, W_TARGET = 10, W_MILESTONE = 14, W_ACTUAL = 12,
       W_RATE = 12, W_STATUS = 8 };

static void
s_print_measure (const Battlemap__WallMeasure *measure)
{
    char milestone [64], actual [48], vs_milestone [24], vs_annual [24];
    if (*measure->milestone)
        snprintf (milestone, sizeof milestone, "%s (%u月)", measure->milestone,
                  measure->milestone_month);
    else
    if (measure->milestone_month)
        snprintf (milestone, sizeof milestone, "文字 (%u月)", measure->milestone_month);
    else
        snprintf (milestone, sizeof milestone, "序时进度");
    snprintf (actual, sizeof actual, "%s%s", s_or_dash (measure->actual),
              measure->actual_is_forecast? "*": "");
    snprintf (vs_milestone, sizeof vs_milestone, "%s%s", s_or_dash (measure->vs_milestone),
              *measure->vs_milestone? "%": "");
    snprintf (vs_annual, sizeof vs_annual, "%s%s", s_or_dash (measure->vs_annual),
              *measure->vs_annual? "%": "");
    printf ("    ");
    cli_print_padded (stdout, s_or_dash (measure->measure), W_MEASURE, false);
    cli_print_padded (stdout, measure->unit_of_measure, W_UNIT, false);
    cli_print_padded (stdout, s_or_dash (measure->annual_target), W_TARGET, true);
    cli_print_padded (stdout, milestone, W_MILESTONE, true);
    cli_print_padded (stdout, actual, W_ACTUAL, true);
    cli_print_padded (stdout, vs_milestone, W_RATE, true);
    cli_print_padded (stdout, vs_annual, W_RATE, true);
    printf ("  ");
    cli_print_padded (stdout, s_status_label (measure->status), W_STATUS, false);
    if (measure->units_expected)
        printf (" %u/%u单位已报", measure->units_reported, measure->units_expected);
    printf ("\n");
    if (*measure->target_text && !streq (measure->target_text, measure->annual_target))
        printf ("      目标: %s\n", measure->target_text);
    if (*measure->milestone_text)
        printf ("      节点: %s%s%s\n", measure->milestone_text,
                measure->text_status? "  已报: ": "",
                measure->text_status? bm_wire_status_name (measure->text_status): "");
}

int
cli_wall (cli_context_t *context, int argc, char *argv [])
{
    const char *district = NULL, *unit = "";
    char period [8];
    cli_current_period (period);
    static const struct option options [] = {
        { "district", required_argument, NULL, 'D' },
        { "period", required_argument, NULL, 'p' },
        { "unit", required_argument, NULL, 'u' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'D': district = optarg; break;
            case 'p': snprintf (period, sizeof period, "%s", optarg); break;
            case 'u': unit = optarg; break;
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
    Battlemap__Envelope *reply = bm_client_wall (client, district, period, unit);
    bm_client_destroy (&client);
    int rc = cli_check_reply ("wall", reply, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    if (rc >= 0) {
        bm_wire_free (&reply);
        return rc;
    }
    Battlemap__WallReply *wall = reply->wall_reply;
    printf ("%s %s 挂图作战 %s\n\n", wall->district_name, wall->unit, wall->period);
    printf ("    ");
    cli_print_padded (stdout, "分项", W_MEASURE, false);
    cli_print_padded (stdout, "单位", W_UNIT, false);
    cli_print_padded (stdout, "年度目标", W_TARGET, true);
    cli_print_padded (stdout, "本月节点", W_MILESTONE, true);
    cli_print_padded (stdout, "累计完成", W_ACTUAL, true);
    cli_print_padded (stdout, "节点完成率", W_RATE, true);
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
        for (size_t measure = 0; measure < task->n_measures; measure++)
            s_print_measure (task->measures [measure]);
    }
    bm_wire_free (&reply);
    return CLI_OK;
}
