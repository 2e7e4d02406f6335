/*  bm_alerts: the alert rules applied to what changed. */

#include "bm_alerts.h"
#include "bm_alert_rules.h"
#include "bm_alerting.h"
#include "bm_cycle.h"
#include "bm_plan.h"
#include "bm_rank.h"
#include "bm_reports.h"

#include <string.h>

//  Applies a decision now, through the alerts' lifecycle
static void
s_apply (bm_engine_t *engine, bm_turn_t *turn, const bm_labels_t *labels,
         bm_alert_decision_t decision, const char *value, const char *message)
{
    char at [BM_TIME_STR_MAX];
    bm_alerting_apply (bm_engine_alerting (engine), bm_engine_events (engine), turn,
                       bm_clock_now (bm_engine_clock (engine)), bm_engine_now_text (engine, at),
                       labels, decision, value, message);
}

//  Whether any alert fires about a cell (or, with no indicator, about a
//  unit's reports): most cells have none, and then their rules need no
//  lookup of the alert they would update, each of which builds the alert's
//  whole key
typedef struct {
    bm_engine_t *engine;
    bool firing;
} s_scope_t;

static s_scope_t
s_scope (bm_engine_t *engine, const char *district, const char *unit, const char *indicator,
         const char *measure)
{
    return (s_scope_t) { engine, bm_alerting_cell_firing (bm_engine_alerting (engine), district,
                                                          unit, indicator, measure) };
}

//  The alert with these labels (of the scope's cell) fires at
static bm_severity_t
s_current (const s_scope_t *scope, const bm_labels_t *labels)
{
    return scope->firing? bm_alerting_current (bm_engine_alerting (scope->engine), labels)
                        : BM_SEVERITY_NONE;
}

//  s_apply, within the scope: no alert of the cell to resolve when none fires
static void
s_decide (s_scope_t *scope, bm_turn_t *turn, const bm_labels_t *labels,
          bm_alert_decision_t decision, const char *value, const char *message)
{
    if (!scope->firing && decision.severity == BM_SEVERITY_NONE)
        return;
    s_apply (scope->engine, turn, labels, decision, value, message);
    scope->firing |= decision.applies && decision.severity != BM_SEVERITY_NONE;
}

//  ---------------------------------------------------------------------------
//  A cell: lagging, trajectory, text milestones

//  "规模以上工业总产值" or "产业项目推进 出让一批"
static char *
s_indicator_name (const bm_book_indicator_t *indicator)
{
    return zsys_sprintf ("%s%s%s", indicator->name, *indicator->measure? " ": "",
                         indicator->measure);
}

//  A qualitative target (持平, 下降...) lags: what it was judged on, the
//  change on last year or the progress reported, since it has no rate
static char *
s_qualitative_message (const bm_view_t *view, const char *unit, const char *name,
                       const char *period)
{
    const bm_cell_t *cell = &view->cell;
    char change [BM_DECIMAL_STR_MAX];
    if (cell->has_growth)
        return zsys_sprintf ("%s %s %s 较上年变化 %s%%，未达定性目标", unit, name, period,
                             bm_percent_format (cell->growth, change));
    const char *reported = view->facts.reported == BM_REPORTED_NOT_STARTED? "未开始"
                         : view->facts.reported == BM_REPORTED_IN_PROGRESS? "推进中"
                         : view->facts.reported == BM_REPORTED_DONE? "已完成": NULL;
    if (reported)
        return zsys_sprintf ("%s %s %s 报送进展为“%s”，未达定性目标", unit, name, period,
                             reported);
    return zsys_sprintf ("%s %s %s 尚无可判断定性目标的数据", unit, name, period);
}

void
bm_alerts_cell (bm_engine_t *engine, bm_turn_t *turn, const bm_view_t *view)
{
    const bm_book_plan_t *plan = view->plan;
    const bm_book_indicator_t *indicator = view->indicator;
    const bm_cell_t *cell = &view->cell;
    char period [BM_PERIOD_STR_MAX], buf [BM_DECIMAL_STR_MAX];
    bm_period_format ((bm_period_t) { plan->year, view->month }, period);
    const char *unit = plan->district->units [view->unit].name;
    char *name = s_indicator_name (indicator);
    bm_labels_t labels = { .district = plan->district->code, .unit = unit,
                           .indicator = indicator->code, .measure = indicator->measure,
                           .period = period, .kind = "", .indicator_name = indicator->name };
    s_scope_t scope = s_scope (engine, labels.district, unit, indicator->code,
                               indicator->measure);
    //  A final, or any figure once the final deadline has passed, will not
    //  be revised by the cycle: judged as it stands, without hysteresis
    bool definitive = !view->actual_is_forecast || plan->noted [view->month - 1][BM_BOOK_FINAL];
    if (cell->text_milestone) {
        //  A text milestone: overdue when past its month and not done
        char month [BM_PERIOD_STR_MAX];
        bm_period_format ((bm_period_t) { plan->year, view->milestone_month }, month);
        labels.rule = "text_overdue";
        labels.period = month;
        bm_alert_decision_t decision = bm_alert_rule_text_overdue (cell);
        char *message = decision.severity != BM_SEVERITY_NONE
            ? zsys_sprintf ("%s %s %s 月节点逾期未完成：%s", unit, name, month,
                            view->milestone->text)
            : NULL;
        s_decide (&scope, turn, &labels, decision, "未完成", message? message: "");
        free (message);
    }
    else {
        labels.rule = "lagging";
        //  An overdue report (forecast or final) of the same unit and month
        //  inhibits a new lagging alert: its figures are not in. A district's
        //  sum is its units' figures, not its own reports.
        bm_labels_t overdue = { "report_overdue", labels.district, unit, "", "", period,
                                "forecast", NULL };
        bool inhibited = false;
        if (!view->summed) {
            s_scope_t reports = s_scope (engine, labels.district, unit, "", "");
            inhibited = s_current (&reports, &overdue) != BM_SEVERITY_NONE;
            overdue.kind = "final";
            inhibited |= s_current (&reports, &overdue) != BM_SEVERITY_NONE;
        }
        bm_alert_decision_t decision =
            bm_alert_rule_lagging (cell, indicator->thresholds, s_current (&scope, &labels),
                                   inhibited, definitive);
        char rate [BM_DECIMAL_STR_MAX] = "";
        if (cell->has_vs_expected)
            bm_percent_format (cell->vs_expected, rate);
        char *message = NULL;
        if (decision.severity != BM_SEVERITY_NONE && cell->has_judgement)
            message = s_qualitative_message (view, unit, name, period);
        else
        if (decision.severity != BM_SEVERITY_NONE)
            message = zsys_sprintf ("%s %s %s 累计 %s，完成预期 %s%%", unit, name, period,
                                    view->facts.has_actual
                                    ? bm_decimal_format (view->facts.actual, buf): "—", rate);
        s_decide (&scope, turn, &labels, decision, rate, message? message: "");
        free (message);
    }
    labels.rule = "trajectory";
    labels.period = period;
    char rate [BM_DECIMAL_STR_MAX] = "", projection [BM_DECIMAL_STR_MAX];
    if (cell->has_vs_projection)
        bm_percent_format (cell->vs_projection, rate);
    bm_alert_decision_t decision =
        bm_alert_rule_trajectory (cell, s_current (&scope, &labels), definitive);
    char *message = decision.severity != BM_SEVERITY_NONE
        ? zsys_sprintf ("%s %s 预计全年 %s，为年度目标的 %s%%", unit, name,
                        bm_decimal_format_fixed (cell->projection, 2, projection), rate)
        : NULL;
    s_decide (&scope, turn, &labels, decision, rate, message? message: "");
    free (message);
    free (name);
}

void
bm_alerts_supersede (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
                     const bm_book_indicator_t *indicator, int unit, int month)
{
    bm_alerting_t *alerting = bm_engine_alerting (engine);
    if (!bm_alerting_cell_firing (alerting, plan->district->code,
                                  plan->district->units [unit].name, indicator->code,
                                  indicator->measure))
        return;
    char at [BM_TIME_STR_MAX];
    bm_engine_now_text (engine, at);
    int64_t now = bm_clock_now (bm_engine_clock (engine));
    //  A text milestone is overdue by its own month: a later milestone
    //  reached takes its place
    int milestone = 0;
    bm_book_milestone (bm_book_slot (indicator, unit), month, &milestone);
    static const char *rules [] = { "lagging", "trajectory", "text_overdue" };
    for (int earlier = 1; earlier < month; earlier++) {
        char period [BM_PERIOD_STR_MAX];
        bm_period_format ((bm_period_t) { plan->year, earlier }, period);
        for (size_t rule = 0; rule < sizeof rules / sizeof rules [0]; rule++) {
            if (rule == 2 && earlier >= milestone)
                continue;
            bm_labels_t labels = { rules [rule], plan->district->code,
                                   plan->district->units [unit].name, indicator->code,
                                   indicator->measure, period, "", NULL };
            bm_alerting_supersede (alerting, bm_engine_events (engine), turn, now, at,
                                   &labels);
        }
    }
}

//  ---------------------------------------------------------------------------
//  Reports: due and overdue

//  How many reports of a kind a unit owes for a month, and of how many
static int
s_missing (const bm_book_plan_t *plan, int unit, int month, bool final, int *total)
{
    *total = plan->reports_expected [unit];
    return *total - plan->reports_received [unit][month - 1][final? BM_BOOK_FINAL
                                                                  : BM_BOOK_FORECAST];
}

void
bm_alerts_reports (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
                   int unit, bm_period_t period, bool final)
{
    char period_text [BM_PERIOD_STR_MAX];
    bm_period_format (period, period_text);
    bm_labels_t labels = { "report_due", plan->district->code,
                           plan->district->units [unit].name, "", "", period_text,
                           final? "final": "forecast", NULL };
    //  Most figures come with no report alert firing for their unit: then
    //  there is nothing to resolve, and what is owed is not counted
    s_scope_t reports = s_scope (engine, labels.district, labels.unit, "", "");
    bool firing = s_current (&reports, &labels) != BM_SEVERITY_NONE;
    labels.rule = "report_overdue";
    firing |= s_current (&reports, &labels) != BM_SEVERITY_NONE;
    int total;
    if (!firing || s_missing (plan, unit, period.month, final, &total) > 0 || total == 0)
        return;
    //  Everything is in: the reminder and the overdue alert end
    bm_alert_decision_t cleared = bm_alert_rule_report (0, BM_SEVERITY_NONE);
    labels.rule = "report_due";
    s_apply (engine, turn, &labels, cleared, "", "");
    labels.rule = "report_overdue";
    s_apply (engine, turn, &labels, cleared, "", "");
}

//  Due reminders, or overdue alerts, for the units that owe reports, in
//  the order of their names
static void
s_report_alerts (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
                 bm_period_t period, bool final, const char *rule, bm_severity_t severity,
                 const char *when)
{
    const bm_book_district_t *district = plan->district;
    int *units = bm_reports_units_by_name (plan);
    char period_text [BM_PERIOD_STR_MAX];
    bm_period_format (period, period_text);
    for (size_t index = 0; index < district->unit_count; index++) {
        int unit = units [index];
        const char *name = district->units [unit].name;
        int total;
        int missing = s_missing (plan, unit, period.month, final, &total);
        if (total == 0)
            continue;
        bm_labels_t labels = { rule, district->code, name, "", "", period_text,
                               final? "final": "forecast", NULL };
        char value [32];
        snprintf (value, sizeof value, "%d/%d", missing, total);
        char *message = zsys_sprintf ("%s %s %s 还有 %d 项未报（共 %d 项），%s", name,
                                      period_text, final? "终报": "预报", missing, total, when);
        s_apply (engine, turn, &labels, bm_alert_rule_report (missing, severity), value,
                           missing? message: "");
        free (message);
        //  Once overdue, the reminder has done its work
        if (streq (rule, "report_overdue")) {
            labels.rule = "report_due";
            s_apply (engine, turn, &labels, bm_alert_rule_report (0, severity), "", "");
        }
    }
    free (units);
}

//  ---------------------------------------------------------------------------
//  Deadlines

//  The bottom ranks on each battle-map indicator decomposed to units
static void
s_bottom_ranks (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
                bm_period_t period)
{
    char period_text [BM_PERIOD_STR_MAX];
    bm_period_format (period, period_text);
    for (size_t index = 0; index < plan->indicator_count; index++) {
        const bm_book_indicator_t *indicator = plan->indicators + index;
        bool in_task = false;
        for (size_t task = 0; task < plan->task_count && !in_task; task++)
            in_task = streq (plan->tasks [task].indicator, indicator->code);
        if (!in_task || indicator->kind == BM_KIND_RATIO || indicator->units_with_target == 0)
            continue;
        bm_arena_t *arena = bm_arena_new ();
        bm_rank_t rank;
        bm_rank_indicator (plan, indicator, period.month, (size_t) plan->bottom_warned, arena,
                           &rank);
        //  This month's ranking takes the place of the months' before
        for (size_t unit = 0; unit < plan->district->unit_count; unit++)
            for (int earlier = 1; earlier < period.month && bm_book_slot (indicator, (int) unit);
                 earlier++) {
                char before [BM_PERIOD_STR_MAX];
                bm_period_format ((bm_period_t) { plan->year, earlier }, before);
                bm_labels_t labels = { "bottom_rank", plan->district->code,
                                       plan->district->units [unit].name, indicator->code,
                                       indicator->measure, before, "", NULL };
                char at [BM_TIME_STR_MAX];
                bm_alerting_supersede (bm_engine_alerting (engine), bm_engine_events (engine),
                                       turn, bm_clock_now (bm_engine_clock (engine)),
                                       bm_engine_now_text (engine, at), &labels);
            }
        char *name = s_indicator_name (indicator);
        for (size_t entry = 0; entry < rank.count; entry++) {
            const bm_rank_entry_t *ranked = rank.entries + entry;
            bm_labels_t labels = { "bottom_rank", plan->district->code, ranked->unit,
                                   indicator->code, indicator->measure, period_text, "",
                                   indicator->name };
            char value [32];
            snprintf (value, sizeof value, "%d/%zu", ranked->rank, rank.ranked);
            char *message = zsys_sprintf ("%s %s %s 排名第 %d/%zu，后%d名预警",
                                          ranked->unit, name, period_text, ranked->rank,
                                          rank.ranked, plan->bottom_warned);
            s_apply (engine, turn, &labels, bm_alert_rule_bottom_rank (ranked->warned),
                               value, ranked->warned? message: "");
            free (message);
        }
        free (name);
        bm_arena_destroy (&arena);
    }
}

//  The month's text milestones: overdue unless reported done
static void
s_text_milestones (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
                   bm_period_t period)
{
    char period_text [BM_PERIOD_STR_MAX];
    bm_period_format (period, period_text);
    for (size_t index = 0; index < plan->indicator_count; index++) {
        const bm_book_indicator_t *indicator = plan->indicators + index;
        for (size_t unit = 0; unit < plan->district->unit_count; unit++) {
            const bm_book_slot_t *slot = bm_book_slot (indicator, (int) unit);
            const bm_book_milestone_t *milestone = slot? slot->milestones + period.month - 1
                                                       : NULL;
            if (!milestone || !milestone->present || milestone->number.present
            ||  milestone->none)
                continue;
            bm_view_t view;
            bm_judge (plan, indicator, (int) unit, period.month, &view);
            const char *name = plan->district->units [unit].name;
            bm_labels_t labels = { "text_overdue", plan->district->code, name, indicator->code,
                                   indicator->measure, period_text, "", indicator->name };
            bm_alert_decision_t decision = bm_alert_rule_text_deadline (view.facts.reported);
            char *what = s_indicator_name (indicator);
            char *message = zsys_sprintf ("%s %s %s 月节点逾期未完成：%s", name, what,
                                          period_text, milestone->text);
            free (what);
            s_apply (engine, turn, &labels, decision, "未完成",
                               decision.severity != BM_SEVERITY_NONE? message: "");
            free (message);
        }
    }
}

void
bm_alerts_deadline (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
                    bm_period_t period, bool final)
{
    s_report_alerts (engine, turn, plan, period, final, "report_overdue", BM_SEVERITY_WARNING,
                     "已过截止时间");
    if (!final)
        return;
    //  The month's final figures are in
    s_bottom_ranks (engine, turn, plan, period);
    s_text_milestones (engine, turn, plan, period);
}

//  ---------------------------------------------------------------------------
//  Notices: one per unit per deadline

typedef struct {
    Battlemap__NoticeLine **lines;
    size_t count;
} s_notice_t;

static Battlemap__NoticeLine *
s_line (bm_arena_t *arena, const char *rule, const char *indicator, const char *name,
        const char *measure, const char *severity, const char *value, const char *message)
{
    Battlemap__NoticeLine *line = bm_arena_alloc (arena, sizeof *line);
    battlemap__notice_line__init (line);
    line->rule = bm_arena_strdup (arena, rule);
    line->indicator = bm_arena_strdup (arena, indicator);
    line->indicator_name = bm_arena_strdup (arena, name);
    line->measure = bm_arena_strdup (arena, measure);
    line->severity = bm_arena_strdup (arena, severity);
    line->value = bm_arena_strdup (arena, value);
    line->message = bm_arena_strdup (arena, message);
    return line;
}

void
bm_alerts_notices (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
                   bm_period_t period, bool final, const char *deadline)
{
    const bm_book_district_t *district = plan->district;
    bm_arena_t *arena = bm_arena_new ();
    size_t units = district->unit_count;
    s_notice_t *notices = bm_arena_alloc (arena, (units + 1) * sizeof (s_notice_t));
    size_t room = 64;
    for (size_t unit = 0; unit < units; unit++)
        notices [unit].lines = bm_arena_alloc (arena, room * sizeof (void *));
    char period_text [BM_PERIOD_STR_MAX];
    bm_period_format (period, period_text);
    //  What each unit still owes
    for (size_t unit = 0; unit < units; unit++) {
        int total;
        int missing = s_missing (plan, (int) unit, period.month, final, &total);
        if (total == 0 || missing == 0 || (int) unit == district->district_unit)
            continue;
        char value [32], message [128];
        snprintf (value, sizeof value, "%d/%d", missing, total);
        snprintf (message, sizeof message, "还有 %d 项%s未报（共 %d 项）", missing,
                  final? "终报": "预报", total);
        notices [unit].lines [notices [unit].count++] =
            s_line (arena, "report_overdue", "", "", "", "warning", value, message);
    }
    //  Where it lags, at the final deadline: its firing alerts of the month
    bm_alerting_t *alerting = bm_engine_alerting (engine);
    for (bm_alert_t *alert = final? bm_alerting_first (alerting): NULL; alert;
         alert = bm_alerting_next (alerting)) {
        const bm_labels_t *names = &alert->names;
        if (!streq (names->district, district->code) || !streq (names->period, period_text)
        ||  !(streq (names->rule, "lagging") || streq (names->rule, "text_overdue")
              || streq (names->rule, "bottom_rank")))
            continue;
        int unit = bm_book_unit (district, names->unit);
        if (unit < 0 || unit == district->district_unit || notices [unit].count >= room)
            continue;
        notices [unit].lines [notices [unit].count++] =
            s_line (arena, names->rule, names->indicator, alert->indicator_name,
                    names->measure, bm_severity_name (alert->severity), alert->value,
                    alert->message);
    }
    int *order = bm_reports_units_by_name (plan);
    for (size_t index = 0; index < units; index++) {
        int unit = order [index];
        s_notice_t *notice = notices + unit;
        if (notice->count == 0)
            continue;
        const char *name = district->units [unit].name;
        Battlemap__NoticeEvent payload = BATTLEMAP__NOTICE_EVENT__INIT;
        payload.district = (char *) district->code;
        payload.unit = (char *) name;
        payload.period = period_text;
        payload.kind = final? BATTLEMAP__FIGURE_KIND__FINAL: BATTLEMAP__FIGURE_KIND__FORECAST;
        payload.deadline = (char *) deadline;
        payload.lines = notice->lines;
        payload.n_lines = notice->count;
        //  The whole notice in one message: what is owed, then where it lags
        char *text = zsys_sprintf ("%s %s %s截止（%s）：", name, period_text,
                                   final? "终报": "预报", deadline);
        for (size_t line = 0; line < notice->count; line++) {
            const Battlemap__NoticeLine *item = notice->lines [line];
            char *grown = streq (item->rule, "report_overdue")
                ? zsys_sprintf ("%s%s%s", text, line? "；": "", item->message)
                : zsys_sprintf ("%s%s%s%s%s %s", text, line? "；": "", item->indicator_name,
                                *item->measure? " ": "", item->measure,
                                streq (item->rule, "lagging")? bm_arena_printf (arena,
                                    "完成预期 %s%%", item->value)
                              : streq (item->rule, "bottom_rank")? bm_arena_printf (arena,
                                    "排名 %s", item->value)
                              : "节点逾期未完成");
            free (text);
            text = grown;
        }
        payload.message = text;
        Battlemap__Event event = BATTLEMAP__EVENT__INIT;
        event.kind = "notice";
        event.payload_case = BATTLEMAP__EVENT__PAYLOAD_NOTICE;
        event.notice = &payload;
        char *topic = zsys_sprintf ("notice/%s/%s/", district->code, name);
        bm_engine_event (engine, turn, topic, &event);
        free (topic);
        free (text);
    }
    free (order);
    bm_arena_destroy (&arena);
}

//  ---------------------------------------------------------------------------
//  Reminders

void
bm_alerts_reminders (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan)
{
    int64_t now = bm_clock_now (bm_engine_clock (engine));
    bm_date_t today = bm_time_shanghai_date (now);
    for (int month = 1; month <= 12; month++) {
        bm_period_t period = { plan->year, month };
        bm_windows_t windows;
        bm_cycle_windows (&plan->cycle, period, &windows);
        for (int pass = 0; pass < 2; pass++) {
            bool final = pass == 1;
            int64_t opens = final? windows.final_opens: windows.forecast_opens;
            int64_t closes = final? windows.final_closes: windows.forecast_closes;
            bm_date_t deadline = final? windows.final_deadline: windows.forecast_deadline;
            int64_t days = bm_date_days_from_epoch (deadline) - bm_date_days_from_epoch (today);
            bool reminder_day = false;
            for (size_t index = 0; index < plan->reminder_count; index++)
                reminder_day |= plan->reminder_days [index] == days;
            //  Reminders the plan's days before (3 and 1 by default), while
            //  the window is open
            if (now < opens || now >= closes || !reminder_day)
                continue;
            char deadline_text [BM_TIME_STR_MAX], when [BM_TIME_STR_MAX + 16];
            snprintf (when, sizeof when, "%s 截止",
                      bm_cycle_deadline_text (deadline, deadline_text));
            s_report_alerts (engine, turn, plan, period, final, "report_due", BM_SEVERITY_INFO,
                             when);
        }
    }
}
