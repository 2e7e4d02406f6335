/*  bm_wall: the battle map for a district and month, and a unit's template. */

#include "bm_wall.h"
#include "bm_db.h"
#include "bm_period.h"
#include "bm_plan.h"
#include "bm_state.h"
#include "bm_wire.h"

#include <stdlib.h>
#include <string.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

typedef struct {
    char plan_id [16];
    char unit_id [16];
    char district_name [128];
    bool district;              //  the unit is 全区
    bm_period_t period;
} s_scope_t;

//  Resolves district, plan year and unit; -1 with the error set
static int
s_scope (bm_request_t *request, const char *district, const char *period,
         const char *unit, s_scope_t *scope)
{
    const char *error;
    if (bm_period_parse (period, &scope->period, &error))
        return bm_request_error (request, E (MALFORMED), 0, "period \"%s\": %s", period, error);
    if (!*unit)
        unit = BM_DISTRICT_UNIT;
    char year [8];
    snprintf (year, sizeof year, "%d", scope->period.year);
    const char *params [] = { district, year, unit };
    PGresult *result = bm_db_exec (request->db,
        "SELECT d.name, p.id, u.id, u.kind = 'district' FROM district d"
        " LEFT JOIN plan p ON p.district_id = d.id AND p.year = $2::integer"
        " LEFT JOIN unit u ON u.district_id = d.id AND u.name = $3"
        " WHERE d.code = $1", 3, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    int rc = 0;
    if (PQntuples (result) == 0)
        rc = bm_request_error (request, E (UNKNOWN_DISTRICT), 0,
                               "district \"%s\" is not known", district);
    else
    if (PQgetisnull (result, 0, 1))
        rc = bm_request_error (request, E (PERIOD_OUTSIDE_PLAN), 0,
                               "district %s has no plan for %d", district, scope->period.year);
    else
    if (PQgetisnull (result, 0, 2))
        rc = bm_request_error (request, E (UNKNOWN_UNIT), 0,
                               "unit \"%s\" is not a unit of district %s", unit, district);
    else {
        snprintf (scope->district_name, sizeof scope->district_name, "%s",
                  PQgetvalue (result, 0, 0));
        snprintf (scope->plan_id, sizeof scope->plan_id, "%s", PQgetvalue (result, 0, 1));
        snprintf (scope->unit_id, sizeof scope->unit_id, "%s", PQgetvalue (result, 0, 2));
        scope->district = *PQgetvalue (result, 0, 3) == 't';
    }
    PQclear (result);
    return rc;
}

//  True if `measure` is in the "|"-separated `subset` ("" = all)
static bool
s_in_subset (const char *subset, const char *measure)
{
    if (!*subset)
        return true;
    size_t length = strlen (measure);
    for (const char *p = subset; p && *p; ) {
        const char *end = strchr (p, '|');
        size_t part = end? (size_t) (end - p): strlen (p);
        if (part == length && memcmp (p, measure, length) == 0)
            return true;
        p = end? end + 1: NULL;
    }
    return false;
}

//  Fills a task's measures from a result of (id, measure) rows
static int
s_fill_measures (bm_request_t *request, const s_scope_t *scope, PGresult *rows,
                 const char *subset, Battlemap__WallTask *task)
{
    int count = PQntuples (rows);
    task->measures = bm_arena_alloc (request->arena, (size_t) (count? count: 1) * sizeof (void *));
    for (int row = 0; row < count; row++) {
        if (!s_in_subset (subset, PQgetvalue (rows, row, 1)))
            continue;
        Battlemap__WallMeasure *measure = bm_arena_alloc (request->arena, sizeof *measure);
        battlemap__wall_measure__init (measure);
        if (bm_state_measure (request->db, request->arena, PQgetvalue (rows, row, 0),
                              scope->unit_id, scope->district, scope->period, measure))
            return -1;
        task->measures [task->n_measures++] = measure;
    }
    return 0;
}

int
bm_wall_handle (bm_request_t *request, const Battlemap__WallRequest *wall)
{
    s_scope_t scope = { 0 };
    if (s_scope (request, wall->district, wall->period, wall->unit, &scope))
        return -1;
    Battlemap__WallReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__wall_reply__init (reply);
    reply->district = wall->district;
    reply->district_name = bm_arena_strdup (request->arena, scope.district_name);
    reply->period = wall->period;
    reply->unit = scope.district? BM_DISTRICT_UNIT: wall->unit;

    //  The district shows the battle map's tasks; a unit, its own indicators
    const char *params [] = { scope.plan_id, scope.unit_id };
    PGresult *tasks = scope.district
        ? bm_db_exec (request->db,
            "SELECT t.level, t.seq, t.title, t.leaders, t.sections, t.indicator_code,"
            " t.measures, (SELECT name FROM indicator i WHERE i.plan_id = t.plan_id"
            "   AND i.code = t.indicator_code LIMIT 1)"
            " FROM task t WHERE t.plan_id = $1 ORDER BY t.level = '区级' DESC, t.seq", 1, params)
        : bm_db_exec (request->db,
            "SELECT '', min (i.position), i.name, '', '', i.code, '', i.name"
            " FROM indicator i WHERE i.plan_id = $1 AND EXISTS (SELECT 1 FROM target t"
            "   WHERE t.indicator_id = i.id AND t.unit_id = $2 AND NOT t.no_target"
            "   AND t.superseded_at IS NULL)"
            " GROUP BY i.code, i.name ORDER BY 2", 2, params);
    if (!tasks)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    int count = PQntuples (tasks);
    reply->n_tasks = (size_t) count;
    reply->tasks = (Battlemap__WallTask **)
        bm_arena_array (request->arena, (size_t) count, sizeof (Battlemap__WallTask));
    int rc = 0;
    for (int row = 0; rc == 0 && row < count; row++) {
        Battlemap__WallTask *task = reply->tasks [row];
        battlemap__wall_task__init (task);
        task->level = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 0));
        task->seq = (uint32_t) atoi (PQgetvalue (tasks, row, 1));
        task->title = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 2));
        task->leaders = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 3));
        task->sections = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 4));
        task->indicator = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 5));
        task->indicator_name = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 7));
        const char *indicator [] = { scope.plan_id, task->indicator, scope.unit_id };
        PGresult *rows = bm_db_exec (request->db, scope.district
            ? "SELECT id, measure FROM indicator WHERE plan_id = $1 AND code = $2"
              " AND $3::integer IS NOT NULL ORDER BY position"
            : "SELECT i.id, i.measure FROM indicator i WHERE i.plan_id = $1 AND i.code = $2"
              " AND EXISTS (SELECT 1 FROM target t WHERE t.indicator_id = i.id"
              "   AND t.unit_id = $3 AND NOT t.no_target AND t.superseded_at IS NULL)"
              " ORDER BY position", 3, indicator);
        if (!rows) {
            rc = -1;
            break;
        }
        rc = s_fill_measures (request, &scope, rows, PQgetvalue (tasks, row, 6), task);
        PQclear (rows);
    }
    PQclear (tasks);
    if (rc)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_WALL_REPLY;
    request->reply->wall_reply = reply;
    return 0;
}

int
bm_wall_template (bm_request_t *request, const Battlemap__TemplateRequest *template_)
{
    s_scope_t scope = { 0 };
    if (s_scope (request, template_->district, template_->period, template_->unit, &scope))
        return -1;
    char period [16];
    snprintf (period, sizeof period, "%04d-%02d-01", scope.period.year, scope.period.month);
    const char *params [] = { scope.plan_id, scope.unit_id, period };
    PGresult *rows = bm_db_exec (request->db,
        "SELECT i.id, i.code, i.name, i.measure, i.unit_of_measure,"
        " (SELECT to_char (f.period, 'YYYY-MM') || E'\\t' || coalesce (f.value::text, f.status)"
        "    || E'\\t' || f.kind FROM figure f WHERE f.indicator_id = i.id AND f.unit_id = $2"
        "    AND f.period <= $3::date ORDER BY f.period DESC, f.kind = 'final' DESC, f.id DESC"
        "    LIMIT 1)"
        " FROM indicator i WHERE i.plan_id = $1 AND EXISTS (SELECT 1 FROM target t"
        "   WHERE t.indicator_id = i.id AND t.unit_id = $2 AND NOT t.no_target"
        "   AND t.superseded_at IS NULL)"
        " ORDER BY i.position", 3, params);
    if (!rows)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    Battlemap__TemplateReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__template_reply__init (reply);
    reply->district = template_->district;
    reply->unit = scope.district? BM_DISTRICT_UNIT: template_->unit;
    reply->period = template_->period;
    int count = PQntuples (rows);
    reply->n_rows = (size_t) count;
    reply->rows = (Battlemap__TemplateRow **)
        bm_arena_array (request->arena, (size_t) count, sizeof (Battlemap__TemplateRow));
    int rc = 0;
    for (int row = 0; rc == 0 && row < count; row++) {
        Battlemap__TemplateRow *out = reply->rows [row];
        battlemap__template_row__init (out);
        out->indicator = bm_arena_strdup (request->arena, PQgetvalue (rows, row, 1));
        out->indicator_name = bm_arena_strdup (request->arena, PQgetvalue (rows, row, 2));
        out->measure = bm_arena_strdup (request->arena, PQgetvalue (rows, row, 3));
        out->unit_of_measure = bm_arena_strdup (request->arena, PQgetvalue (rows, row, 4));
        Battlemap__WallMeasure measure = BATTLEMAP__WALL_MEASURE__INIT;
        rc = bm_state_measure (request->db, request->arena, PQgetvalue (rows, row, 0),
                               scope.unit_id, scope.district, scope.period, &measure);
        out->annual_target = measure.annual_target;
        out->target_text = measure.target_text;
        if (measure.milestone_month == (uint32_t) scope.period.month) {
            out->milestone = measure.milestone;
            out->milestone_text = measure.milestone_text;
        }
        const char *last = bm_db_value (rows, row, 5);
        if (last) {
            char *copy = bm_arena_strdup (request->arena, last);
            char *value = strchr (copy, '\t');
            char *kind = value? strchr (value + 1, '\t'): NULL;
            if (value && kind) {
                *value++ = '\0';
                *kind++ = '\0';
                out->last_period = copy;
                out->last_value = value;
                out->last_kind = bm_wire_kind_parse (kind);
            }
        }
    }
    PQclear (rows);
    if (rc)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_TEMPLATE_REPLY;
    request->reply->template_reply = reply;
    return 0;
}
