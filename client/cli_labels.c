/*  cli_labels: codes to words, through gettext.

    Each msgid is English; the comment beside it is the Chinese the zh_CN
    catalog is to give, the word the bureau's documents use.
*/

#include "cli_labels.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <string.h>

typedef struct {
    const char *code;           //  as the wire carries it
    const char *label;          //  English msgid, translated when shown
} s_label_t;

static const s_label_t s_statuses [] = {
    { "on_track",     N_("on track") },         //  正常
    { "at_risk",      N_("at risk") },          //  预警
    { "lagging",      N_("lagging") },          //  滞后
    { "not_reported", N_("not reported") },     //  未报送
    { "no_milestone", N_("no milestone") },     //  无节点
    { "partial",      N_("partial") },          //  未齐
    { "no_baseline",  N_("no baseline") },      //  无基期
    { "no_target",    N_("no target") },        //  无目标
    { NULL, NULL }
};

static const s_label_t s_kinds [] = {
    { "forecast",     N_("forecast") },         //  预报
    { "final",        N_("final") },            //  终报
    { NULL, NULL }
};

static const s_label_t s_milestones [] = {
    { "not_started",  N_("not started") },      //  未开始
    { "in_progress",  N_("in progress") },      //  推进中
    { "done",         N_("done") },             //  已完成
    { NULL, NULL }
};

static const s_label_t s_rules [] = {
    { "lagging",        N_("lagging") },            //  滞后
    { "trajectory",     N_("projected short") },    //  预计完不成
    { "report_due",     N_("report due") },         //  催报
    { "report_overdue", N_("report overdue") },     //  逾期未报
    { "bottom_rank",    N_("bottom rank") },        //  后位预警
    { "text_overdue",   N_("milestone overdue") },  //  节点逾期
    { NULL, NULL }
};

static const s_label_t s_severities [] = {
    { "critical",     N_("critical") },         //  严重
    { "warning",      N_("warning") },          //  预警
    { "info",         N_("info") },             //  提示
    { NULL, NULL }
};

static const s_label_t s_states [] = {
    { "firing",       N_("firing") },           //  生效
    { "resolved",     N_("resolved") },         //  已解除
    { NULL, NULL }
};

static const s_label_t s_resolutions [] = {
    { "cleared",      N_("cleared") },          //  已消除
    { "superseded",   N_("superseded") },       //  已被后续月份取代
    { NULL, NULL }
};

static const char *
s_lookup (const s_label_t *table, const char *code)
{
    for (const s_label_t *entry = table; entry->code; entry++)
        if (streq (entry->code, code))
            return _(entry->label);
    return code;
}

const char *
cli_status_label (const char *status)
{
    return s_lookup (s_statuses, status && *status? status: "not_reported");
}

const char *
cli_kind_label (Battlemap__FigureKind kind)
{
    return s_lookup (s_kinds, bm_wire_kind_name (kind));
}

const char *
cli_kind_name_label (const char *kind)
{
    return s_lookup (s_kinds, kind);
}

const char *
cli_milestone_label (Battlemap__MilestoneStatus status)
{
    return s_lookup (s_milestones, bm_wire_status_name (status));
}

const char *
cli_milestone_name_label (const char *status)
{
    return s_lookup (s_milestones, status);
}

const char *
cli_rule_label (const char *rule)
{
    return s_lookup (s_rules, rule);
}

const char *
cli_severity_label (const char *severity)
{
    return s_lookup (s_severities, severity);
}

const char *
cli_alert_state_label (const char *state)
{
    return s_lookup (s_states, state);
}

const char *
cli_resolution_label (const char *resolution)
{
    return s_lookup (s_resolutions, resolution);
}

const char *
cli_yes_no (bool yes)
{
    return yes? _("yes"): _("no");         //  是 / 否
}
