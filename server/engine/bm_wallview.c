/*  bm_wall: the battle map for a district and month, and a unit's template. */

#include "bm_wall.h"
#include "bm_scope.h"
#include "bm_db.h"
#include "bm_deadlines.h"
#include "bm_evaluate.h"
#include "bm_facts.h"
#include "bm_rank.h"
#include "bm_period.h"
#include "bm_plan.h"
#include "bm_state.h"
#include "bm_wire.h"

#include <stdlib.h>
#include <string.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

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

//  The unit's rank among the units with a target for the indicator
static int
s_rank (bm_request_t *request, const bm_scope_t *scope, const char *indicator_id,
        Battlemap__WallMeasure *measure)
{
    bm_rank_t rank;
    if (bm_rank_indicator (request->db, request->arena, indicator_id, scope->period, 0, &rank))
        return -1;
    for (size_t index = 0; index < rank.count && rank.count > 1; index++)
        if (streq (rank.entries [index].unit, scope->unit_name)) {
            measure->rank = (uint32_t) rank.entries [index].rank;
            measure->rank_of = (uint32_t) rank.count;
            measure->rank_warned = rank.entries [index].warned;
        }
    return 0;
}

//  Fills a task's measures from a result of (id, measure, additive, kind)
//  rows, for the scope's unit, or for the district when `district` is set
static int
s_fill_measures (bm_request_t *request, const bm_scope_t *scope, PGresult *rows,
                 const char *subset, bool district, Battlemap__WallTask *task)
{
    int count = PQntuples (rows);
    task->measures = bm_arena_alloc (request->arena, (size_t) (count? count: 1) * sizeof (void *));
    for (int row = 0; row < count; row++) {
        if (!s_in_subset (subset, PQgetvalue (rows, row, 1)))
            continue;
        const char *indicator_id = PQgetvalue (rows, row, 0);
        Battlemap__WallMeasure *measure = bm_arena_alloc (request->arena, sizeof *measure);
        battlemap__wall_measure__init (measure);
        const char *unit_id = district? scope->district_unit_id: scope->unit_id;
        if (bm_state_measure (request->db, request->arena, indicator_id, unit_id,
                              district, scope->period, measure))
            return -1;
        bool additive_amount = *PQgetvalue (rows, row, 2) == 't'
                            && streq (PQgetvalue (rows, row, 3), "amount");
        if (district && additive_amount) {
            char *warning = bm_facts_decomposition_warning (request->db, request->arena,
                                                            indicator_id, unit_id);
            if (warning)
                measure->warning = warning;
        }
        if (!district && s_rank (request, scope, indicator_id, measure))
            return -1;
        task->measures [task->n_measures++] = measure;
    }
    //  A composite task's overall status follows from its measures
    bm_overall_t rule = BM_OVERALL_WORST;
    bm_overall_parse (task->overall_rule, &rule);
    size_t measures = task->n_measures;
    bm_status_t *statuses = bm_arena_alloc (request->arena, (measures + 1) * sizeof (bm_status_t));
    bool *has_rate = bm_arena_alloc (request->arena, (measures + 1) * sizeof (bool));
    int64_t *rates = bm_arena_alloc (request->arena, (measures + 1) * sizeof (int64_t));
    bm_thresholds_t thresholds = { 0, 0 };
    for (size_t index = 0; index < measures; index++) {
        const Battlemap__WallMeasure *measure = task->measures [index];
        statuses [index] = BM_STATUS_NOT_REPORTED;
        for (int status = BM_STATUS_NOT_REPORTED; status <= BM_STATUS_NO_BASELINE; status++)
            if (streq (bm_status_name ((bm_status_t) status), measure->status))
                statuses [index] = (bm_status_t) status;
        bm_decimal_t rate;
        has_rate [index] = *measure->vs_milestone
                        && bm_decimal_parse (measure->vs_milestone, &rate, NULL) == 0;
        rates [index] = has_rate [index]? rate.micros / (BM_DECIMAL_SCALE / 10): 0;
    }
    bool has_average = false;
    int64_t average = 0;
    bm_status_t overall = bm_evaluate_overall (rule, measures, statuses, has_rate, rates,
                                               thresholds, &has_average, &average);
    task->overall_status = bm_arena_strdup (request->arena, bm_status_name (overall));
    if (has_average) {
        char buf [BM_DECIMAL_STR_MAX];
        task->overall_rate = bm_arena_strdup (request->arena, bm_percent_format (average, buf));
    }
    return 0;
}

//  Adds the rows of `tasks` (level, seq, title, leaders, sections, code,
//  measures, indicator name, overall, for_district) to the reply
static int
s_add_tasks (bm_request_t *request, const bm_scope_t *scope, PGresult *tasks,
             Battlemap__WallReply *reply)
{
    int count = PQntuples (tasks);
    Battlemap__WallTask **all = bm_arena_alloc (request->arena,
                                                (reply->n_tasks + (size_t) count + 1) * sizeof (void *));
    for (size_t index = 0; index < reply->n_tasks; index++)
        all [index] = reply->tasks [index];
    reply->tasks = all;
    for (int row = 0; row < count; row++) {
        Battlemap__WallTask *task = bm_arena_alloc (request->arena, sizeof *task);
        battlemap__wall_task__init (task);
        task->level = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 0));
        task->seq = (uint32_t) atoi (PQgetvalue (tasks, row, 1));
        task->title = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 2));
        task->leaders = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 3));
        task->sections = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 4));
        task->indicator = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 5));
        task->indicator_name = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 7));
        task->overall_rule = bm_arena_strdup (request->arena, PQgetvalue (tasks, row, 8));
        bool district = *PQgetvalue (tasks, row, 9) == 't';
        const char *indicator [] = { scope->plan_id, task->indicator,
                                     district? scope->district_unit_id: scope->unit_id,
                                     district? "true": "false" };
        PGresult *rows = bm_db_exec (request->db,
            "SELECT i.id, i.measure, i.additive, i.kind FROM indicator i"
            " WHERE i.plan_id = $1 AND i.code = $2 AND ($4::boolean OR EXISTS"
            "  (SELECT 1 FROM target t WHERE t.indicator_id = i.id AND t.unit_id = $3"
            "   AND NOT t.no_target AND t.superseded_at IS NULL))"
            " ORDER BY i.position", 4, indicator);
        if (!rows)
            return -1;
        int rc = s_fill_measures (request, scope, rows, PQgetvalue (tasks, row, 6),
                                  district, task);
        PQclear (rows);
        if (rc)
            return -1;
        reply->tasks [reply->n_tasks++] = task;
    }
    return 0;
}

int
bm_wall_handle (bm_request_t *request, const Battlemap__WallRequest *wall)
{
    bm_scope_t scope = { 0 };
    if (bm_scope_resolve (request, wall->district, wall->period, wall->unit, &scope))
        return -1;
    if (wall->snapshot) {
        char *taken_at = NULL;
        Battlemap__WallReply *frozen = scope.district
            ? bm_deadlines_snapshot (request, scope.plan_id, scope.period, &taken_at): NULL;
        if (!scope.district)
            return bm_request_error (request, E (MALFORMED), 0,
                                     "snapshots are of the district's wall: leave out the unit");
        if (!frozen)
            return bm_request_error (request, E (NOT_ALLOWED), 0,
                "there is no snapshot of %s yet: it is taken when the month's final "
                "deadline passes", wall->period);
        frozen->snapshot_at = taken_at;
        request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_WALL_REPLY;
        request->reply->wall_reply = frozen;
        return 0;
    }
    Battlemap__WallReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__wall_reply__init (reply);
    reply->as_of = bm_request_now (request);
    reply->district = wall->district;
    reply->district_name = bm_arena_strdup (request->arena, scope.district_name);
    reply->period = wall->period;
    reply->unit = scope.district? BM_DISTRICT_UNIT: wall->unit;

    //  The battle map's tasks: all of them for the district; for a unit,
    //  those it leads (as a lead section, or through its sections), with
    //  the district's figures
    const char *params [] = { scope.plan_id, scope.unit_id, scope.district? "true": "false" };
    PGresult *tasks = bm_db_exec (request->db,
        "SELECT t.level, t.seq, t.title, t.leaders, t.sections, t.indicator_code,"
        " t.measures, (SELECT name FROM indicator i WHERE i.plan_id = t.plan_id"
        "   AND i.code = t.indicator_code LIMIT 1), t.overall, true"
        " FROM task t WHERE t.plan_id = $1 AND ($3::boolean OR EXISTS"
        "  (SELECT 1 FROM unit u WHERE (u.id = $2::integer OR u.parent_id = $2::integer)"
        "   AND u.name = ANY (string_to_array (t.sections, ' '))))"
        " ORDER BY t.level = '区级' DESC, t.seq", 3, params);
    if (!tasks)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    int rc = s_add_tasks (request, &scope, tasks, reply);
    PQclear (tasks);
    //  A unit's own indicators: those it has a target for; for the district
    //  with `all`, those with a district target that no task shows
    if (rc == 0 && (!scope.district || wall->all)) {
        const char *own [] = { scope.plan_id, scope.unit_id, scope.district? "true": "false" };
        tasks = bm_db_exec (request->db,
            "SELECT '', min (i.position), i.name, '', '', i.code, '', i.name, 'worst', $3::boolean"
            " FROM indicator i WHERE i.plan_id = $1 AND EXISTS (SELECT 1 FROM target t"
            "   WHERE t.indicator_id = i.id AND t.unit_id = $2 AND NOT t.no_target"
            "   AND t.superseded_at IS NULL)"
            " AND NOT ($3::boolean AND EXISTS (SELECT 1 FROM task k"
            "   WHERE k.plan_id = $1 AND k.indicator_code = i.code))"
            " GROUP BY i.code, i.name ORDER BY 2", 3, own);
        if (!tasks)
            return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
        rc = s_add_tasks (request, &scope, tasks, reply);
        PQclear (tasks);
    }
    if (rc)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_WALL_REPLY;
    request->reply->wall_reply = reply;
    return 0;
}

int
bm_wall_template (bm_request_t *request, const Battlemap__TemplateRequest *template_)
{
    bm_scope_t scope = { 0 };
    if (bm_scope_resolve (request, template_->district, template_->period, template_->unit, &scope))
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
