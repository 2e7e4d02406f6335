/*  bm_reports: the monthly reports of the reporting cycle.

    Timeliness: per unit and kind, the reports expected (the indicator
    measures the unit has a working target for, derived and group indicators
    left out; for 全区, those no unit has a target for), received, on time,
    late and missing. Forecast accuracy: per unit and indicator, the last
    forecast received before the forecast deadline (else the last one)
    against the latest final, scored by bm_accuracy; units ranked on their
    average score, the bottom five warned. Rules: deploy/plans/README.md.
*/

#include "bm_cycle_requests.h"
#include "bm_scope.h"
#include "bm_accuracy.h"
#include "bm_cycle.h"
#include "bm_db.h"
#include "bm_plan.h"
#include "bm_ranking.h"
#include "bm_windows.h"
#include "bm_wire.h"

#include <stdlib.h>
#include <string.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

typedef struct {
    bm_scope_t names;           //  district, period, plan
    bm_windows_t windows;       //  the month's deadlines
} s_scope_t;

static int
s_scope (bm_request_t *request, const Battlemap__ReportRequest *report, s_scope_t *scope,
         Battlemap__ReportReply *reply)
{
    if (bm_scope_resolve (request, report->district, report->period, "", &scope->names))
        return -1;
    bm_windows_plan_t cycle;
    if (bm_windows_load (request->db, scope->names.plan_id, &cycle))
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    bm_cycle_windows (&cycle.cycle, scope->names.period, &scope->windows);
    bm_windows_unload (&cycle);
    char buf [BM_TIME_STR_MAX];
    reply->kind = report->kind;
    reply->district = report->district;
    reply->district_name = bm_arena_strdup (request->arena, scope->names.district_name);
    reply->period = report->period;
    reply->forecast_deadline = bm_arena_strdup (request->arena,
        bm_cycle_deadline_text (scope->windows.forecast_deadline, buf));
    reply->final_deadline = bm_arena_strdup (request->arena,
        bm_cycle_deadline_text (scope->windows.final_deadline, buf));
    reply->as_of = bm_request_now (request);
    return 0;
}

//  ---------------------------------------------------------------------------
//  Timeliness

static int
s_timeliness (bm_request_t *request, const s_scope_t *scope, Battlemap__ReportReply *reply)
{
    const char *params [] = { scope->names.plan_id, scope->names.period_date };
    PGresult *result = bm_db_exec (request->db,
        "WITH expected AS (SELECT DISTINCT t.unit_id, t.indicator_id FROM target t"
        "  JOIN indicator i ON i.id = t.indicator_id JOIN unit u ON u.id = t.unit_id"
        "  WHERE i.plan_id = $1 AND t.superseded_at IS NULL AND NOT t.no_target"
        "  AND t.role = 'working' AND i.kind NOT IN ('ratio', 'group')"
        "  AND (u.kind <> 'district' OR NOT EXISTS (SELECT 1 FROM target o"
        "       JOIN unit v ON v.id = o.unit_id WHERE o.indicator_id = t.indicator_id"
        "       AND v.kind <> 'district' AND NOT o.no_target AND o.superseded_at IS NULL)))"
        " SELECT u.name,"
        "  extract (epoch FROM (SELECT min (received_at) FROM figure f"
        "   WHERE f.indicator_id = e.indicator_id AND f.unit_id = e.unit_id"
        "   AND f.period = $2::date AND f.kind = 'forecast'))::bigint,"
        "  extract (epoch FROM (SELECT min (received_at) FROM figure f"
        "   WHERE f.indicator_id = e.indicator_id AND f.unit_id = e.unit_id"
        "   AND f.period = $2::date AND f.kind = 'final'))::bigint"
        " FROM expected e JOIN unit u ON u.id = e.unit_id ORDER BY u.name", 2, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    int rows = PQntuples (result);
    //  Two rows a unit (forecast, final); rows come sorted by unit
    reply->timeliness = bm_arena_alloc (request->arena, (size_t) (rows * 2 + 2) * sizeof (void *));
    Battlemap__TimelinessRow *current [2] = { NULL, NULL };
    for (int row = 0; row < rows; row++) {
        const char *unit = PQgetvalue (result, row, 0);
        if (!current [0] || !streq (current [0]->unit, unit)) {
            for (int pass = 0; pass < 2; pass++) {
                Battlemap__TimelinessRow *line = bm_arena_alloc (request->arena, sizeof *line);
                battlemap__timeliness_row__init (line);
                line->unit = bm_arena_strdup (request->arena, unit);
                line->kind = pass? BATTLEMAP__FIGURE_KIND__FINAL: BATTLEMAP__FIGURE_KIND__FORECAST;
                reply->timeliness [reply->n_timeliness++] = line;
                current [pass] = line;
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            bool received = !PQgetisnull (result, row, 1 + pass);
            int64_t first = received? atoll (PQgetvalue (result, row, 1 + pass)): 0;
            bm_timely_t timely = bm_cycle_timeliness (&scope->windows, pass == 1, received, first);
            Battlemap__TimelinessRow *line = current [pass];
            line->expected++;
            if (timely == BM_TIMELY_ON_TIME)
                line->on_time++;
            else
            if (timely == BM_TIMELY_LATE)
                line->late++;
            else
                line->missing++;
            line->received = line->on_time + line->late;
        }
    }
    PQclear (result);
    return 0;
}

//  ---------------------------------------------------------------------------
//  Forecast accuracy

static int
s_accuracy (bm_request_t *request, const s_scope_t *scope, Battlemap__ReportReply *reply)
{
    char closes [BM_TIME_STR_MAX];
    bm_time_format (scope->windows.forecast_closes, closes);
    const char *params [] = { scope->names.plan_id, scope->names.period_date, closes };
    PGresult *result = bm_db_exec (request->db,
        "SELECT u.name, i.code, i.measure, c.forecast, c.final FROM"
        " (SELECT f.unit_id, f.indicator_id,"
        "   (SELECT value FROM figure x WHERE x.unit_id = f.unit_id"
        "     AND x.indicator_id = f.indicator_id AND x.period = $2::date"
        "     AND x.kind = 'forecast' AND x.value IS NOT NULL"
        "     ORDER BY x.received_at < $3::timestamptz DESC, x.id DESC LIMIT 1) AS forecast,"
        "   (SELECT value FROM figure x WHERE x.unit_id = f.unit_id"
        "     AND x.indicator_id = f.indicator_id AND x.period = $2::date"
        "     AND x.kind = 'final' AND x.value IS NOT NULL ORDER BY x.id DESC LIMIT 1) AS final"
        "  FROM (SELECT DISTINCT unit_id, indicator_id FROM figure"
        "        WHERE period = $2::date) f) c"
        " JOIN unit u ON u.id = c.unit_id JOIN indicator i ON i.id = c.indicator_id"
        " WHERE i.plan_id = $1 AND u.kind <> 'district'"
        " AND c.forecast IS NOT NULL AND c.final IS NOT NULL"
        " ORDER BY u.name, i.position", 3, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    int rows = PQntuples (result);
    Battlemap__AccuracyRow **details = bm_arena_alloc (request->arena,
                                                       (size_t) (rows + 1) * sizeof (void *));
    int64_t *scores = bm_arena_alloc (request->arena, (size_t) (rows + 1) * sizeof (int64_t));
    bm_rank_entry_t *units = bm_arena_alloc (request->arena,
                                             (size_t) (rows + 1) * sizeof (bm_rank_entry_t));
    size_t unit_count = 0;
    char buf [BM_DECIMAL_STR_MAX];
    for (int row = 0; row < rows; row++) {
        Battlemap__AccuracyRow *line = bm_arena_alloc (request->arena, sizeof *line);
        battlemap__accuracy_row__init (line);
        line->unit = bm_arena_strdup (request->arena, PQgetvalue (result, row, 0));
        line->indicator = bm_arena_strdup (request->arena, PQgetvalue (result, row, 1));
        line->measure = bm_arena_strdup (request->arena, PQgetvalue (result, row, 2));
        line->forecast = bm_arena_strdup (request->arena, PQgetvalue (result, row, 3));
        line->final = bm_arena_strdup (request->arena, PQgetvalue (result, row, 4));
        bm_decimal_t forecast, final;
        bm_decimal_parse (line->forecast, &forecast, NULL);
        bm_decimal_parse (line->final, &final, NULL);
        bm_accuracy_t accuracy;
        bm_accuracy_score (forecast, final, &accuracy);
        if (accuracy.has_ape)
            line->ape = bm_arena_strdup (request->arena, bm_percent_format (accuracy.ape_tenths, buf));
        line->score = bm_arena_strdup (request->arena, bm_percent_format (accuracy.score_tenths, buf));
        details [row] = line;
        scores [row] = accuracy.score_tenths;
        if (!unit_count || !streq (units [unit_count - 1].unit, line->unit))
            units [unit_count++] = (bm_rank_entry_t) { .unit = line->unit };
    }
    PQclear (result);
    //  Each unit's average over its indicators, then the ranking
    for (size_t unit = 0; unit < unit_count; unit++) {
        size_t first = 0, count = 0;
        for (int row = 0; row < rows; row++)
            if (streq (details [row]->unit, units [unit].unit)) {
                if (!count)
                    first = (size_t) row;
                count++;
            }
        units [unit].has_rate = bm_accuracy_average (scores + first, count,
                                                     &units [unit].rate_tenths);
    }
    bm_ranking_rank (units, unit_count, 0);
    reply->n_accuracy = 0;
    reply->accuracy = bm_arena_alloc (request->arena,
                                      (unit_count + (size_t) rows + 1) * sizeof (void *));
    for (size_t unit = 0; unit < unit_count; unit++) {
        Battlemap__AccuracyRow *line = bm_arena_alloc (request->arena, sizeof *line);
        battlemap__accuracy_row__init (line);
        line->unit = (char *) units [unit].unit;
        line->score = bm_arena_strdup (request->arena,
                                       bm_percent_format (units [unit].rate_tenths, buf));
        line->rank = (uint32_t) units [unit].rank;
        line->warned = units [unit].warned;
        reply->accuracy [reply->n_accuracy++] = line;
        for (int row = 0; row < rows; row++)
            if (streq (details [row]->unit, line->unit))
                reply->accuracy [reply->n_accuracy++] = details [row];
    }
    return 0;
}

int
bm_cycle_report (bm_request_t *request, const Battlemap__ReportRequest *report)
{
    Battlemap__ReportReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__report_reply__init (reply);
    s_scope_t scope;
    if (s_scope (request, report, &scope, reply))
        return -1;
    int rc;
    if (report->kind == BATTLEMAP__REPORT_KIND__TIMELINESS)
        rc = s_timeliness (request, &scope, reply);
    else
    if (report->kind == BATTLEMAP__REPORT_KIND__FORECAST_ACCURACY)
        rc = s_accuracy (request, &scope, reply);
    else
        rc = bm_request_error (request, E (MALFORMED), 0,
                               "say which report: timeliness or forecast accuracy");
    if (rc)
        return rc;
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_REPORT_REPLY;
    request->reply->report_reply = reply;
    return 0;
}
