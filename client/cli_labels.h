/*  cli_labels: the words a person reads for the codes the wire carries.

    One table for every output (text, CSV, the meeting report): a status
    "lagging" is shown as _("lagging"), which the zh_CN catalog makes 滞后.
    In the C locale the English comes out. An unknown code is shown as it
    is. JSON keeps the codes.
*/
#ifndef CLI_LABELS_H_INCLUDED
#define CLI_LABELS_H_INCLUDED

#include "bm_client.h"

//  A cell's status: on_track at_risk lagging not_reported no_milestone
//  partial no_target no_baseline ("" is not reported)
const char *
    cli_status_label (const char *status);

//  A figure's kind: forecast (预报) or final (终报)
const char *
    cli_kind_label (Battlemap__FigureKind kind);

//  The same from its name ("forecast", "final", as alerts carry it)
const char *
    cli_kind_name_label (const char *kind);

//  A text milestone's status: 未开始 / 进行中 / 已完成 ("" when unspecified)
const char *
    cli_milestone_label (Battlemap__MilestoneStatus status);

//  The same from its name ("not_started", as the wall carries it)
const char *
    cli_milestone_name_label (const char *status);

//  An alert's rule, severity, state and resolution
const char *
    cli_rule_label (const char *rule);
const char *
    cli_severity_label (const char *severity);
const char *
    cli_alert_state_label (const char *state);
const char *
    cli_resolution_label (const char *resolution);

//  Yes or no (是 / 否)
const char *
    cli_yes_no (bool yes);

#endif
