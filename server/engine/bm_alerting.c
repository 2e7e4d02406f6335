/*  bm_alerts: alerts for lagging indicators and units, and their lifecycle. */

#include "bm_alerts.h"
#include "bm_calendar.h"
#include "bm_cycle.h"
#include "bm_db.h"
#include "bm_plan.h"
#include "bm_rank.h"
#include "bm_state.h"
#include "bm_windows.h"
#include "bm_wire.h"

#include <stdlib.h>
#include <string.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

typedef struct {
    const char *rule;
    const char *district;
    const char *unit;
    const char *indicator;
    const char *measure;
    const char *period;         //  YYYY-MM
    const char *kind;           //  report rules: forecast | final
} s_labels_t;

static const char *s_columns =
    "SELECT id, rule, district, unit, indicator, measure, period, kind, severity, state, value,"
    " message, to_char (fired_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'),"
    " to_char (updated_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'),"
    " coalesce (to_char (resolved_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), ''), acked_by,"
    " ack_reason, coalesce (to_char (silenced_until, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), ''),"
    " silence_reason FROM alert ";

static Battlemap__Alert *
s_alert (bm_request_t *request, PGresult *result, int row)
{
    Battlemap__Alert *alert = bm_arena_alloc (request->arena, sizeof *alert);
    battlemap__alert__init (alert);
    alert->id = atoll (PQgetvalue (result, row, 0));
    char **fields [] = { &alert->rule, &alert->district, &alert->unit, &alert->indicator,
                         &alert->measure, &alert->period, &alert->kind, &alert->severity,
                         &alert->state, &alert->value, &alert->message, &alert->fired_at,
                         &alert->updated_at, &alert->resolved_at, &alert->acked_by,
                         &alert->ack_reason, &alert->silenced_until, &alert->silence_reason };
    for (int field = 0; field < 18; field++)
        *fields [field] = bm_arena_strdup (request->arena, PQgetvalue (result, row, field + 1));
    return alert;
}

//  Stores the change as an event: fired, updated or resolved
static int
s_event (bm_request_t *request, const char *id, const char *action)
{
    char *sql = zsys_sprintf ("%s WHERE id = $1", s_columns);
    const char *params [] = { id };
    PGresult *result = bm_db_exec (request->db, sql, 1, params);
    free (sql);
    if (!result)
        return -1;
    Battlemap__Alert *alert = s_alert (request, result, 0);
    PQclear (result);
    Battlemap__AlertEvent *payload = bm_arena_alloc (request->arena, sizeof *payload);
    battlemap__alert_event__init (payload);
    payload->action = (char *) action;
    payload->alert = alert;
    Battlemap__Event *event = bm_arena_alloc (request->arena, sizeof *event);
    battlemap__event__init (event);
    event->kind = "alert";
    event->payload_case = BATTLEMAP__EVENT__PAYLOAD_ALERT;
    event->alert = payload;
    return bm_request_event (request, bm_arena_printf (request->arena, "alert/%s/%s/%s/%s/",
        alert->district, alert->unit, *alert->indicator? alert->indicator: "-",
        alert->severity), event);
}

//  The lifecycle: severity NULL means the condition has cleared
static int
s_set (bm_request_t *request, const s_labels_t *labels, const char *severity,
       const char *value, const char *message)
{
    char *key = bm_arena_printf (request->arena, "%s|%s|%s|%s|%s|%s|%s", labels->rule,
                                 labels->district, labels->unit, labels->indicator,
                                 labels->measure, labels->period, labels->kind);
    const char *now = bm_request_now (request);
    const char *find [] = { key, now };
    PGresult *result = bm_db_exec (request->db,
        "SELECT id, severity, value, coalesce (silenced_until > $2::timestamptz, false)"
        " FROM alert WHERE labels = $1 AND state = 'firing'", 2, find);
    if (!result)
        return -1;
    bool firing = PQntuples (result) == 1;
    char *id = firing? bm_arena_strdup (request->arena, PQgetvalue (result, 0, 0)): NULL;
    bool same = firing && severity && streq (PQgetvalue (result, 0, 1), severity)
             && streq (PQgetvalue (result, 0, 2), value);
    bool silenced = firing && *PQgetvalue (result, 0, 3) == 't';
    PQclear (result);
    if (severity && !firing) {
        const char *params [] = { key, labels->rule, labels->district, labels->unit,
                                  labels->indicator, labels->measure, labels->period,
                                  labels->kind, severity, value, message, now };
        result = bm_db_exec (request->db,
            "INSERT INTO alert (labels, rule, district, unit, indicator, measure, period, kind,"
            " severity, state, value, message, fired_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'firing', $10, $11, $12, $12)"
            " RETURNING id", 12, params);
        if (!result)
            return -1;
        id = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 0));
        PQclear (result);
        return s_event (request, id, "fired");
    }
    if (severity && firing && !same) {
        const char *params [] = { id, severity, value, message, now };
        if (bm_db_command (request->db,
                "UPDATE alert SET severity = $2, value = $3, message = $4, updated_at = $5"
                " WHERE id = $1", 5, params))
            return -1;
        return silenced? 0: s_event (request, id, "updated");
    }
    if (!severity && firing) {
        const char *params [] = { id, now };
        if (bm_db_command (request->db,
                "UPDATE alert SET state = 'resolved', resolved_at = $2, updated_at = $2"
                " WHERE id = $1", 2, params))
            return -1;
        return s_event (request, id, "resolved");
    }
    return 0;
}

//  The severity of a firing alert ("" if none)
static const char *
s_firing (bm_request_t *request, const s_labels_t *labels)
{
    char *key = bm_arena_printf (request->arena, "%s|%s|%s|%s|%s|%s|%s", labels->rule,
                                 labels->district, labels->unit, labels->indicator,
                                 labels->measure, labels->period, labels->kind);
    const char *params [] = { key };
    PGresult *result = bm_db_exec (request->db,
        "SELECT severity FROM alert WHERE labels = $1 AND state = 'firing'", 1, params);
    const char *severity = result && PQntuples (result) == 1
                         ? bm_arena_strdup (request->arena, PQgetvalue (result, 0, 0)): "";
    if (result)
        PQclear (result);
    return severity;
}

static bool
s_rate (const char *text, int64_t *tenths)
{
    bm_decimal_t value;
    if (!text || !*text || bm_decimal_parse (text, &value, NULL))
        return false;
    *tenths = value.micros / (BM_DECIMAL_SCALE / 10);
    return true;
}

//  ---------------------------------------------------------------------------
//  Completion: lagging, trajectory, text milestones

int
bm_alerts_completion (bm_request_t *request, const char *indicator_id, const char *unit_id,
                      bm_period_t period, const Battlemap__WallMeasure *measure)
{
    const char *params [] = { indicator_id, unit_id };
    PGresult *result = bm_db_exec (request->db,
        "SELECT d.code, u.name, i.code, i.measure, i.name, i.on_track_tenths, i.at_risk_tenths"
        " FROM indicator i JOIN plan p ON p.id = i.plan_id JOIN district d ON d.id = p.district_id,"
        " unit u WHERE i.id = $1 AND u.id = $2", 2, params);
    if (!result)
        return -1;
    if (PQntuples (result) != 1) {
        PQclear (result);
        return -1;
    }
    char period_text [BM_PERIOD_STR_MAX];
    bm_period_format (period, period_text);
    s_labels_t labels = {
        .district = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 0)),
        .unit = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 1)),
        .indicator = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 2)),
        .measure = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 3)),
        .period = bm_arena_strdup (request->arena, period_text), .kind = ""
    };
    const char *name = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 4));
    int on_track = atoi (PQgetvalue (result, 0, 5));
    int at_risk = atoi (PQgetvalue (result, 0, 6));
    PQclear (result);
    if (!on_track)
        on_track = BM_ON_TRACK_TENTHS;
    if (!at_risk)
        at_risk = BM_AT_RISK_TENTHS;

    int rc = 0;
    const char *status = measure->status;
    int64_t rate = 0;
    bool has_rate = s_rate (measure->vs_milestone, &rate);
    bool text_only = measure->milestone_month && !*measure->milestone;
    if (text_only) {
        //  A text milestone: overdue when past its month and not done
        labels.rule = "text_overdue";
        labels.period = bm_arena_printf (request->arena, "%04u-%02u",
            (unsigned) period.year % 10000u, measure->milestone_month % 100u);
        if (streq (status, "lagging"))
            rc = s_set (request, &labels, "critical", "未完成",
                bm_arena_printf (request->arena, "%s %s 月节点逾期未完成：%s", labels.unit,
                                 labels.period, measure->milestone_text));
        else
        if (streq (status, "on_track"))
            rc = s_set (request, &labels, NULL, "", "");
    }
    else
    if (streq (status, "on_track") || streq (status, "at_risk") || streq (status, "lagging")) {
        labels.rule = "lagging";
        const char *current = s_firing (request, &labels);
        const char *severity = streq (status, "lagging")? "critical"
                             : streq (status, "at_risk")? "warning": NULL;
        //  Hysteresis: step down (or clear) only a point above the threshold
        if (has_rate && streq (current, "critical") && severity && !streq (severity, "critical")
        &&  rate < at_risk + BM_ALERTS_HYSTERESIS_TENTHS)
            severity = "critical";
        if (has_rate && *current && !severity && rate < on_track + BM_ALERTS_HYSTERESIS_TENTHS)
            severity = current;
        //  An overdue report (forecast or final) inhibits the lagging alert
        //  of the same unit and month: its figures are not in
        s_labels_t forecast = { "report_overdue", labels.district, labels.unit, "", "",
                                labels.period, "forecast" };
        s_labels_t final = forecast;
        final.kind = "final";
        if (severity && !*current
        &&  (*s_firing (request, &forecast) || *s_firing (request, &final)))
            severity = NULL;
        char *message = severity
            ? bm_arena_printf (request->arena, "%s %s%s%s %s 累计 %s，完成预期 %s%%",
                               labels.unit, name, *labels.measure? " ": "", labels.measure,
                               labels.period, *measure->actual? measure->actual: "—",
                               measure->vs_milestone): "";
        rc = s_set (request, &labels, severity, measure->vs_milestone, message);
    }
    if (rc == 0 && *measure->vs_projection) {
        labels.rule = "trajectory";
        labels.period = bm_arena_strdup (request->arena, period_text);
        int64_t projected = 0;
        s_rate (measure->vs_projection, &projected);
        const char *current = s_firing (request, &labels);
        const char *severity = projected < 1000? "warning"
                             : *current && projected < 1000 + BM_ALERTS_HYSTERESIS_TENTHS
                             ? current: NULL;
        rc = s_set (request, &labels, severity, measure->vs_projection, severity
            ? bm_arena_printf (request->arena, "%s %s 预计全年 %s，为年度目标的 %s%%",
                               labels.unit, name, measure->projection, measure->vs_projection)
            : "");
    }
    return rc;
}

//  ---------------------------------------------------------------------------
//  Reports: due and overdue

//  Units (one, or all) with the reports they owe for a period and kind
static PGresult *
s_missing (bm_request_t *request, const char *plan_id, const char *unit_id,
           const char *period_date, const char *kind)
{
    const char *params [] = { plan_id, unit_id, period_date, kind };
    return bm_db_exec (request->db,
        "WITH expected AS (SELECT DISTINCT t.unit_id, t.indicator_id FROM target t"
        "  JOIN indicator i ON i.id = t.indicator_id JOIN unit u ON u.id = t.unit_id"
        "  WHERE i.plan_id = $1 AND ($2::integer IS NULL OR t.unit_id = $2::integer)"
        "  AND t.superseded_at IS NULL AND NOT t.no_target AND t.role = 'working'"
        "  AND i.kind NOT IN ('ratio', 'group')"
        "  AND (u.kind <> 'district' OR NOT EXISTS (SELECT 1 FROM target o"
        "       JOIN unit v ON v.id = o.unit_id WHERE o.indicator_id = t.indicator_id"
        "       AND v.kind <> 'district' AND NOT o.no_target AND o.superseded_at IS NULL)))"
        " SELECT u.name, count (*), count (*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM figure f"
        "   WHERE f.indicator_id = e.indicator_id AND f.unit_id = e.unit_id"
        "   AND f.period = $3::date AND f.kind = $4)), d.code"
        " FROM expected e JOIN unit u ON u.id = e.unit_id JOIN district d ON d.id = u.district_id"
        " GROUP BY u.name, d.code ORDER BY u.name", 4, params);
}

int
bm_alerts_reports (bm_request_t *request, const char *plan_id, const char *unit_id,
                   bm_period_t period, const char *kind)
{
    char period_text [BM_PERIOD_STR_MAX], period_date [16];
    bm_period_format (period, period_text);
    snprintf (period_date, sizeof period_date, "%s-01", period_text);
    //  Most figures come with no report alert firing for their unit: then
    //  there is nothing to resolve, and the count of what is owed is skipped
    const char *firing [] = { unit_id, period_text, kind };
    PGresult *result = bm_db_exec (request->db,
        "SELECT count (*) FROM alert a JOIN unit u ON u.name = a.unit"
        " JOIN district d ON d.id = u.district_id AND d.code = a.district"
        " WHERE u.id = $1::integer AND a.state = 'firing' AND a.period = $2 AND a.kind = $3"
        " AND a.rule IN ('report_due', 'report_overdue')", 3, firing);
    if (!result)
        return -1;
    bool any = atoi (PQgetvalue (result, 0, 0)) > 0;
    PQclear (result);
    if (!any)
        return 0;
    result = s_missing (request, plan_id, unit_id, period_date, kind);
    if (!result)
        return -1;
    int rc = 0;
    for (int row = 0; rc == 0 && row < PQntuples (result); row++) {
        if (atoi (PQgetvalue (result, row, 2)) > 0)
            continue;
        //  Everything is in: the reminder and the overdue alert end
        for (int pass = 0; rc == 0 && pass < 2; pass++) {
            s_labels_t labels = { pass? "report_overdue": "report_due",
                                  PQgetvalue (result, row, 3), PQgetvalue (result, row, 0),
                                  "", "", period_text, kind };
            rc = s_set (request, &labels, NULL, "", "");
        }
    }
    PQclear (result);
    return rc;
}

//  Due reminders, or overdue alerts, for the units that owe reports
static int
s_report_alerts (bm_request_t *request, const char *plan_id, bm_period_t period,
                 const char *kind, const char *rule, const char *severity, const char *when)
{
    char period_text [BM_PERIOD_STR_MAX], period_date [16];
    bm_period_format (period, period_text);
    snprintf (period_date, sizeof period_date, "%s-01", period_text);
    PGresult *result = s_missing (request, plan_id, NULL, period_date, kind);
    if (!result)
        return -1;
    int rc = 0;
    for (int row = 0; rc == 0 && row < PQntuples (result); row++) {
        int missing = atoi (PQgetvalue (result, row, 2));
        s_labels_t labels = { rule, PQgetvalue (result, row, 3), PQgetvalue (result, row, 0),
                              "", "", period_text, kind };
        char *value = bm_arena_printf (request->arena, "%d/%s", missing,
                                       PQgetvalue (result, row, 1));
        rc = s_set (request, &labels, missing? severity: NULL, value, missing
            ? bm_arena_printf (request->arena, "%s %s %s 还有 %d 项未报（共 %s 项），%s",
                               labels.unit, period_text,
                               streq (kind, "final")? "正式数": "预报", missing,
                               PQgetvalue (result, row, 1), when): "");
        //  Once overdue, the reminder has done its work
        if (rc == 0 && streq (rule, "report_overdue")) {
            labels.rule = "report_due";
            rc = s_set (request, &labels, NULL, "", "");
        }
    }
    PQclear (result);
    return rc;
}

int
bm_alerts_deadline (bm_request_t *request, const char *plan_id, bm_period_t period,
                    bool final)
{
    int rc = s_report_alerts (request, plan_id, period, final? "final": "forecast",
                              "report_overdue", "warning", "已过截止时间");
    if (rc || !final)
        return rc;
    //  The month's final figures are in: the bottom five on each battle-map
    //  indicator decomposed to units, and text milestones left undone
    char period_text [BM_PERIOD_STR_MAX];
    bm_period_format (period, period_text);
    const char *params [] = { plan_id };
    PGresult *rows = bm_db_exec (request->db,
        "SELECT DISTINCT i.id, i.code, i.measure, d.code, p.bottom_warned FROM task k"
        " JOIN indicator i ON i.plan_id = k.plan_id AND i.code = k.indicator_code"
        " JOIN plan p ON p.id = i.plan_id JOIN district d ON d.id = p.district_id"
        " WHERE k.plan_id = $1 AND i.kind <> 'ratio' AND EXISTS (SELECT 1 FROM target t"
        "  JOIN unit u ON u.id = t.unit_id WHERE t.indicator_id = i.id"
        "  AND u.kind <> 'district' AND NOT t.no_target AND t.superseded_at IS NULL)", 1, params);
    if (!rows)
        return -1;
    for (int row = 0; rc == 0 && row < PQntuples (rows); row++) {
        bm_rank_t rank;
        if (bm_rank_indicator (request->db, request->arena, PQgetvalue (rows, row, 0), period,
                               (size_t) atoi (PQgetvalue (rows, row, 4)), &rank)) {
            rc = -1;
            break;
        }
        for (size_t index = 0; rc == 0 && index < rank.count; index++) {
            const bm_rank_entry_t *entry = rank.entries + index;
            s_labels_t labels = { "bottom_rank", PQgetvalue (rows, row, 3), entry->unit,
                                  PQgetvalue (rows, row, 1), PQgetvalue (rows, row, 2),
                                  period_text, "" };
            char *value = bm_arena_printf (request->arena, "%d/%zu", entry->rank, rank.count);
            rc = s_set (request, &labels, entry->warned? "warning": NULL, value, entry->warned
                ? bm_arena_printf (request->arena, "%s %s%s%s %s 排名第 %d/%zu，后%s名预警",
                                   entry->unit, labels.indicator, *labels.measure? "/": "",
                                   labels.measure, period_text, entry->rank, rank.count,
                                   PQgetvalue (rows, row, 4)): "");
        }
    }
    PQclear (rows);
    if (rc)
        return rc;
    //  Text milestones of this month: overdue unless reported done
    char month [8];
    snprintf (month, sizeof month, "%d", period.month);
    const char *text_params [] = { plan_id, month };
    rows = bm_db_exec (request->db,
        "SELECT m.indicator_id, m.unit_id, u.kind = 'district', u.name, i.code, i.measure, d.code,"
        " m.text FROM milestone m JOIN indicator i ON i.id = m.indicator_id"
        " JOIN unit u ON u.id = m.unit_id JOIN district d ON d.id = u.district_id"
        " WHERE i.plan_id = $1 AND m.month = $2::integer AND m.value IS NULL"
        " AND m.superseded_at IS NULL", 2, text_params);
    if (!rows)
        return -1;
    for (int row = 0; rc == 0 && row < PQntuples (rows); row++) {
        Battlemap__WallMeasure *measure = bm_arena_alloc (request->arena, sizeof *measure);
        battlemap__wall_measure__init (measure);
        rc = bm_state_measure (request->db, request->arena, PQgetvalue (rows, row, 0),
                               PQgetvalue (rows, row, 1), *PQgetvalue (rows, row, 2) == 't',
                               period, measure);
        if (rc)
            break;
        s_labels_t labels = { "text_overdue", PQgetvalue (rows, row, 6),
                              PQgetvalue (rows, row, 3), PQgetvalue (rows, row, 4),
                              PQgetvalue (rows, row, 5), period_text, "" };
        bool done = measure->text_status == BATTLEMAP__MILESTONE_STATUS__DONE;
        rc = s_set (request, &labels, done? NULL: "critical", "未完成", done? ""
            : bm_arena_printf (request->arena, "%s %s 月节点逾期未完成：%s", labels.unit,
                               period_text, PQgetvalue (rows, row, 7)));
    }
    PQclear (rows);
    return rc;
}

//  ---------------------------------------------------------------------------
//  Reminders

int
bm_alerts_reminders (bm_request_t *request)
{
    //  Once a day is enough (and after the clock moves to another day)
    static char last_day [BM_DATE_STR_MAX] = "";
    int64_t now = bm_clock_now (request->clock);
    bm_date_t today = bm_time_shanghai_date (now);
    char today_text [BM_DATE_STR_MAX];
    bm_date_format (today, today_text);
    if (streq (today_text, last_day))
        return 0;
    PGresult *plans = bm_db_exec (request->db, "SELECT id, year, reminder_days FROM plan",
                                  0, NULL);
    if (!plans)
        return -1;
    int rc = 0;
    for (int row = 0; rc == 0 && row < PQntuples (plans); row++) {
        bm_windows_plan_t cycle;
        if (bm_windows_load (request->db, PQgetvalue (plans, row, 0), &cycle)) {
            rc = -1;
            break;
        }
        int year = atoi (PQgetvalue (plans, row, 1));
        for (int month = 1; rc == 0 && month <= 12; month++) {
            bm_period_t period = { year, month };
            bm_windows_t windows;
            bm_cycle_windows (&cycle.cycle, period, &windows);
            for (int pass = 0; rc == 0 && pass < 2; pass++) {
                bool final = pass == 1;
                int64_t opens = final? windows.final_opens: windows.forecast_opens;
                int64_t closes = final? windows.final_closes: windows.forecast_closes;
                bm_date_t deadline = final? windows.final_deadline: windows.forecast_deadline;
                int64_t days = bm_date_days_from_epoch (deadline) - bm_date_days_from_epoch (today);
                //  Reminders the plan's days before (3 and 1 by default), while
                //  the window is open
                char day [8];
                snprintf (day, sizeof day, "%lld", (long long) days);
                char *listed = zsys_sprintf (",%s,", PQgetvalue (plans, row, 2));
                char *needle = zsys_sprintf (",%s,", day);
                bool reminder_day = strstr (listed, needle) != NULL;
                free (listed);
                free (needle);
                if (now < opens || now >= closes || !reminder_day)
                    continue;
                char deadline_text [BM_TIME_STR_MAX];
                rc = s_report_alerts (request, cycle.plan_id, period, final? "final": "forecast",
                    "report_due", "info", bm_arena_printf (request->arena, "%s 截止",
                        bm_cycle_deadline_text (deadline, deadline_text)));
            }
        }
        bm_windows_unload (&cycle);
    }
    PQclear (plans);
    if (rc == 0)
        snprintf (last_day, sizeof last_day, "%s", today_text);
    return rc;
}

//  ---------------------------------------------------------------------------
//  The request: list, acknowledge, silence

int
bm_alerts_handle (bm_request_t *request, const Battlemap__AlertRequest *alert)
{
    const char *now = bm_request_now (request);
    if (alert->action == BATTLEMAP__ALERT_ACTION__ACK
    ||  alert->action == BATTLEMAP__ALERT_ACTION__SILENCE) {
        bool silence = alert->action == BATTLEMAP__ALERT_ACTION__SILENCE;
        if (!*alert->reason)
            return bm_request_error (request, E (REASON_REQUIRED), 0,
                                     "%s an alert needs a reason",
                                     silence? "silencing": "acknowledging");
        char until [BM_TIME_STR_MAX] = "";
        if (silence) {
            int64_t when;
            const char *error;
            if (bm_time_parse (alert->until, &when, &error))
                return bm_request_error (request, E (MALFORMED), 0, "until \"%s\": %s",
                                         alert->until, error);
            bm_time_format (when, until);
        }
        char id [24];
        snprintf (id, sizeof id, "%lld", (long long) alert->id);
        const char *params [] = { id, now, request->sender, alert->reason, until };
        PGresult *result = bm_db_exec (request->db, silence
            ? "UPDATE alert SET silenced_until = $5::timestamptz, silenced_by = $3,"
              " silence_reason = $4 WHERE id = $1 AND state = 'firing' AND $2 <> ''"
            : "UPDATE alert SET acked_at = $2, acked_by = $3, ack_reason = $4"
              " WHERE id = $1 AND state = 'firing' AND $5 = ''", 5, params);
        if (!result)
            return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
        bool done = atoi (PQcmdTuples (result)) == 1;
        PQclear (result);
        if (!done)
            return bm_request_error (request, E (NOT_ALLOWED), 0,
                                     "alert %s is not firing", id);
    }
    else
    if (alert->action != BATTLEMAP__ALERT_ACTION__LIST_ALERTS)
        return bm_request_error (request, E (MALFORMED), 0,
                                 "say what to do: list, ack or silence");
    char id [24];
    snprintf (id, sizeof id, "%lld", (long long) alert->id);
    char *sql = zsys_sprintf ("%s WHERE (($1 <> '0' AND id = $1::bigint) OR ($1 = '0'"
        " AND district = $2 AND ($3 = '' OR unit = $3) AND ($4 = '' OR indicator = $4)"
        " AND ($5 OR state = 'firing'))) ORDER BY fired_at, id", s_columns);
    const char *params [] = { alert->action == BATTLEMAP__ALERT_ACTION__LIST_ALERTS? "0": id,
                              alert->district, alert->unit, alert->indicator,
                              alert->resolved? "true": "false" };
    PGresult *result = bm_db_exec (request->db, sql, 5, params);
    free (sql);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    Battlemap__AlertReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__alert_reply__init (reply);
    reply->n_alerts = (size_t) PQntuples (result);
    reply->alerts = bm_arena_alloc (request->arena, (reply->n_alerts + 1) * sizeof (void *));
    for (size_t row = 0; row < reply->n_alerts; row++)
        reply->alerts [row] = s_alert (request, result, (int) row);
    PQclear (result);
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_ALERT_REPLY;
    request->reply->alert_reply = reply;
    return 0;
}
