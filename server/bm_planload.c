/*  bm_planload: store a validated plan in PostgreSQL. */

#include "bm_planload.h"
#include "bm_db.h"

#include <stdlib.h>
#include <string.h>

//  ---------------------------------------------------------------------------
//  Upserts that tell whether they changed anything. The CTE sees the table
//  as it was before the statement, so the fallback SELECT finds the row the
//  conditional DO UPDATE left alone.

static const char *s_upsert_district =
    "WITH up AS (INSERT INTO district (code, name) VALUES ($1, $2)"
    "  ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name"
    "  WHERE district.name IS DISTINCT FROM EXCLUDED.name RETURNING id)"
    " SELECT id, true FROM up"
    " UNION ALL SELECT id, false FROM district WHERE code = $1"
    "   AND NOT EXISTS (SELECT 1 FROM up)";

static const char *s_upsert_plan =
    "WITH up AS (INSERT INTO plan (code, district_id, year, title, documents,"
    "   forecast_day, final_day) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    "  ON CONFLICT (code) DO UPDATE SET district_id = EXCLUDED.district_id,"
    "   year = EXCLUDED.year, title = EXCLUDED.title, documents = EXCLUDED.documents,"
    "   forecast_day = EXCLUDED.forecast_day, final_day = EXCLUDED.final_day"
    "  WHERE (plan.district_id, plan.year, plan.title, plan.documents, plan.forecast_day,"
    "   plan.final_day) IS DISTINCT FROM (EXCLUDED.district_id, EXCLUDED.year,"
    "   EXCLUDED.title, EXCLUDED.documents, EXCLUDED.forecast_day, EXCLUDED.final_day)"
    "  RETURNING id, version, xmax = 0 AS inserted)"
    " SELECT id, version, inserted, true FROM up"
    " UNION ALL SELECT id, version, false, false FROM plan WHERE code = $1"
    "   AND NOT EXISTS (SELECT 1 FROM up)";

static const char *s_upsert_unit =
    "WITH up AS (INSERT INTO unit (district_id, name, kind, note) VALUES ($1, $2, $3, $4)"
    "  ON CONFLICT (district_id, name) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note"
    "  WHERE (unit.kind, unit.note) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.note)"
    "  RETURNING id)"
    " SELECT id, true FROM up"
    " UNION ALL SELECT id, false FROM unit WHERE district_id = $1 AND name = $2"
    "   AND NOT EXISTS (SELECT 1 FROM up)";

static const char *s_unit_parent =
    "UPDATE unit SET parent_id = p.id FROM unit p"
    " WHERE unit.district_id = $1 AND unit.name = $2"
    "   AND p.district_id = $1 AND p.name = $3"
    "   AND unit.parent_id IS DISTINCT FROM p.id";

static const char *s_upsert_indicator =
    "WITH up AS (INSERT INTO indicator (plan_id, code, measure, name, parent_code, category,"
    "   seq, unit_of_measure, additive, direction, decomposition, responsible, source,"
    "   note, position)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    "  ON CONFLICT (plan_id, code, measure) DO UPDATE SET name = EXCLUDED.name,"
    "   parent_code = EXCLUDED.parent_code, category = EXCLUDED.category,"
    "   seq = EXCLUDED.seq, unit_of_measure = EXCLUDED.unit_of_measure,"
    "   additive = EXCLUDED.additive, direction = EXCLUDED.direction,"
    "   decomposition = EXCLUDED.decomposition, responsible = EXCLUDED.responsible,"
    "   source = EXCLUDED.source, note = EXCLUDED.note, position = EXCLUDED.position"
    "  WHERE (indicator.name, indicator.parent_code, indicator.category, indicator.seq,"
    "   indicator.unit_of_measure, indicator.additive, indicator.direction,"
    "   indicator.decomposition, indicator.responsible, indicator.source, indicator.note,"
    "   indicator.position) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.parent_code,"
    "   EXCLUDED.category, EXCLUDED.seq, EXCLUDED.unit_of_measure, EXCLUDED.additive,"
    "   EXCLUDED.direction, EXCLUDED.decomposition, EXCLUDED.responsible, EXCLUDED.source,"
    "   EXCLUDED.note, EXCLUDED.position)"
    "  RETURNING id)"
    " SELECT id, true FROM up"
    " UNION ALL SELECT id, false FROM indicator WHERE plan_id = $1 AND code = $2"
    "   AND measure = $3 AND NOT EXISTS (SELECT 1 FROM up)";

static const char *s_upsert_task =
    "WITH up AS (INSERT INTO task (plan_id, level, seq, title, leaders, sections,"
    "   indicator_code, measures, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    "  ON CONFLICT (plan_id, level, seq) DO UPDATE SET title = EXCLUDED.title,"
    "   leaders = EXCLUDED.leaders, sections = EXCLUDED.sections,"
    "   indicator_code = EXCLUDED.indicator_code, measures = EXCLUDED.measures,"
    "   note = EXCLUDED.note"
    "  WHERE (task.title, task.leaders, task.sections, task.indicator_code, task.measures,"
    "   task.note) IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.leaders, EXCLUDED.sections,"
    "   EXCLUDED.indicator_code, EXCLUDED.measures, EXCLUDED.note)"
    "  RETURNING id)"
    " SELECT id, true FROM up"
    " UNION ALL SELECT id, false FROM task WHERE plan_id = $1 AND level = $2 AND seq = $3"
    "   AND NOT EXISTS (SELECT 1 FROM up)";

//  Runs an upsert above; returns the row id and sets *changed, or -1
static long
s_upsert (PGconn *db, const char *sql, int count, const char *const *params,
          bool *changed)
{
    PGresult *result = bm_db_exec (db, sql, count, params);
    if (!result)
        return -1;
    long id = -1;
    if (PQntuples (result) == 1) {
        id = atol (PQgetvalue (result, 0, 0));
        int flag = PQnfields (result) - 1;
        if (*PQgetvalue (result, 0, flag) == 't')
            *changed = true;
    }
    PQclear (result);
    return id;
}

//  ---------------------------------------------------------------------------
//  Versioned rows: targets and milestones

typedef struct {
    PGconn *db;
    const bm_plan_t *plan;
    char district_id [24];
    char plan_id [24];
    char version [24];          //  the version new rows get
    zhashx_t *unit_ids;         //  unit name -> "id"
    zhashx_t *indicator_ids;    //  "code\tmeasure" -> "id"
    zlistx_t *kept_targets;     //  ids of current targets named by the files
    zlistx_t *kept_milestones;
    bool changed;
    bool inserted;              //  the plan is new
} s_load_t;

static const char *
s_indicator_id (s_load_t *load, const char *code, const char *measure)
{
    char key [512];
    snprintf (key, sizeof key, "%s\t%s", code, measure);
    return zhashx_lookup (load->indicator_ids, key);
}

//  SQL that is true when a stored numeric equals a parameter as written,
//  scale included (1195.0 and 1195 are the same number but not the same
//  figure as written), or both are NULL
#define S_SAME_NUMBER(column, param) \
    "(" column " IS NOT DISTINCT FROM " param "::numeric AND " \
    column "::text IS NOT DISTINCT FROM " param "::numeric::text)"

static int
s_store_target (s_load_t *load, const bm_plan_target_t *target, Battlemap__PlanLoadReply *counts)
{
    const char *indicator_id = s_indicator_id (load, target->indicator, target->measure);
    const char *unit_id = zhashx_lookup (load->unit_ids, target->unit);
    if (!indicator_id || !unit_id) {
        zsys_error ("plan load: target at line %d refers to an unknown row", target->line);
        return -1;
    }
    const char *value = target->has_value? target->value_text: NULL;
    const char *key [] = { indicator_id, unit_id, target->role, target->kind, value };
    PGresult *current = bm_db_exec (load->db,
        "SELECT id, comparator, no_target, " S_SAME_NUMBER ("value", "$5") ", text, note"
        " FROM target WHERE indicator_id = $1 AND unit_id = $2 AND role = $3 AND kind = $4"
        "   AND superseded_at IS NULL", 5, key);
    if (!current)
        return -1;
    if (PQntuples (current) == 1
    &&  streq (PQgetvalue (current, 0, 1), target->comparator)
    &&  (*PQgetvalue (current, 0, 2) == 't') == target->no_target
    &&  *PQgetvalue (current, 0, 3) == 't'
    &&  streq (PQgetvalue (current, 0, 4), target->text)
    &&  streq (PQgetvalue (current, 0, 5), target->note)) {
        zlistx_add_end (load->kept_targets, strdup (PQgetvalue (current, 0, 0)));
        counts->targets_unchanged++;
        PQclear (current);
        return 0;
    }
    if (PQntuples (current) == 1) {
        const char *old [] = { PQgetvalue (current, 0, 0) };
        if (bm_db_command (load->db,
                "UPDATE target SET superseded_at = now () WHERE id = $1", 1, old)) {
            PQclear (current);
            return -1;
        }
    }
    PQclear (current);
    const char *params [] = {
        indicator_id, unit_id, target->role, target->kind, target->comparator,
        target->no_target? "true": "false", value,
        target->text, target->note, load->version
    };
    PGresult *result = bm_db_exec (load->db,
        "INSERT INTO target (indicator_id, unit_id, role, kind, comparator, no_target,"
        " value, text, note, plan_version)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id", 10, params);
    if (!result)
        return -1;
    zlistx_add_end (load->kept_targets, strdup (PQgetvalue (result, 0, 0)));
    PQclear (result);
    counts->targets_created++;
    load->changed = true;
    return 0;
}

static int
s_store_milestone (s_load_t *load, const bm_plan_milestone_t *milestone,
                   Battlemap__PlanLoadReply *counts)
{
    const char *indicator_id = s_indicator_id (load, milestone->indicator, milestone->measure);
    const char *unit_id = zhashx_lookup (load->unit_ids, milestone->unit);
    if (!indicator_id || !unit_id)
        return -1;
    char month [8];
    snprintf (month, sizeof month, "%d", milestone->month);
    const char *value = milestone->has_value? milestone->value_text: NULL;
    const char *share = milestone->has_share? milestone->share_text: NULL;
    const char *key [] = { indicator_id, unit_id, month, value, share };
    PGresult *current = bm_db_exec (load->db,
        "SELECT id, " S_SAME_NUMBER ("value", "$4") ", " S_SAME_NUMBER ("share_pct", "$5") ","
        " text, note FROM milestone"
        " WHERE indicator_id = $1 AND unit_id = $2 AND month = $3"
        "   AND superseded_at IS NULL", 5, key);
    if (!current)
        return -1;
    if (PQntuples (current) == 1
    &&  *PQgetvalue (current, 0, 1) == 't'
    &&  *PQgetvalue (current, 0, 2) == 't'
    &&  streq (PQgetvalue (current, 0, 3), milestone->text)
    &&  streq (PQgetvalue (current, 0, 4), milestone->note)) {
        zlistx_add_end (load->kept_milestones, strdup (PQgetvalue (current, 0, 0)));
        counts->milestones_unchanged++;
        PQclear (current);
        return 0;
    }
    if (PQntuples (current) == 1) {
        const char *old [] = { PQgetvalue (current, 0, 0) };
        if (bm_db_command (load->db,
                "UPDATE milestone SET superseded_at = now () WHERE id = $1", 1, old)) {
            PQclear (current);
            return -1;
        }
    }
    PQclear (current);
    const char *params [] = {
        indicator_id, unit_id, month, value, share,
        milestone->text, milestone->note, load->version
    };
    PGresult *result = bm_db_exec (load->db,
        "INSERT INTO milestone (indicator_id, unit_id, month, value, share_pct, text, note,"
        " plan_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id", 8, params);
    if (!result)
        return -1;
    zlistx_add_end (load->kept_milestones, strdup (PQgetvalue (result, 0, 0)));
    PQclear (result);
    counts->milestones_created++;
    load->changed = true;
    return 0;
}

//  Supersede current rows of this plan that the files no longer name
static int
s_supersede_missing (s_load_t *load, const char *table, zlistx_t *kept)
{
    char *ids = strdup ("{");
    for (char *id = zlistx_first (kept); id; id = zlistx_next (kept)) {
        char *grown = zsys_sprintf ("%s%s%s", ids, strlen (ids) > 1? ",": "", id);
        free (ids);
        ids = grown;
    }
    char *closed = zsys_sprintf ("%s}", ids);
    free (ids);
    char *sql = zsys_sprintf (
        "UPDATE %s SET superseded_at = now () WHERE superseded_at IS NULL"
        " AND indicator_id IN (SELECT id FROM indicator WHERE plan_id = $1)"
        " AND NOT (id = ANY ($2::bigint []))", table);
    const char *params [] = { load->plan_id, closed };
    PGresult *result = bm_db_exec (load->db, sql, 2, params);
    free (sql);
    free (closed);
    if (!result)
        return -1;
    if (atoi (PQcmdTuples (result)) > 0)
        load->changed = true;
    PQclear (result);
    return 0;
}

//  ---------------------------------------------------------------------------
//  The whole plan

static int
s_store_structure (s_load_t *load, Battlemap__PlanLoadReply *counts, int *version)
{
    const bm_plan_t *plan = load->plan;
    const bm_plan_header_t *header = &plan->header;
    const char *district [] = { header->district, header->district_name };
    long district_id = s_upsert (load->db, s_upsert_district, 2, district, &load->changed);
    if (district_id < 0)
        return -1;
    snprintf (load->district_id, sizeof load->district_id, "%ld", district_id);

    char year [16], forecast_day [16], final_day [16];
    snprintf (year, sizeof year, "%d", header->year);
    snprintf (forecast_day, sizeof forecast_day, "%d", header->forecast_day);
    snprintf (final_day, sizeof final_day, "%d", header->final_day);
    const char *plan_params [] = { header->plan, load->district_id, year, header->title,
                                   header->documents, forecast_day, final_day };
    PGresult *result = bm_db_exec (load->db, s_upsert_plan, 7, plan_params);
    if (!result)
        return -1;
    if (PQntuples (result) != 1) {
        PQclear (result);
        return -1;
    }
    snprintf (load->plan_id, sizeof load->plan_id, "%s", PQgetvalue (result, 0, 0));
    //  A new plan is version 1; a changed one goes up by one
    load->inserted = *PQgetvalue (result, 0, 2) == 't';
    *version = atoi (PQgetvalue (result, 0, 1)) - (load->inserted? 1: 0);
    if (*PQgetvalue (result, 0, 3) == 't')
        load->changed = true;
    PQclear (result);
    snprintf (load->version, sizeof load->version, "%d", *version + 1);

    //  Units, with the district itself as 全区
    const char *whole [] = { load->district_id, BM_DISTRICT_UNIT, "district", "" };
    long unit_id = s_upsert (load->db, s_upsert_unit, 4, whole, &load->changed);
    if (unit_id < 0)
        return -1;
    zhashx_insert (load->unit_ids, BM_DISTRICT_UNIT, zsys_sprintf ("%ld", unit_id));
    for (size_t index = 0; index < plan->unit_count; index++) {
        const bm_plan_unit_t *unit = plan->units + index;
        const char *params [] = { load->district_id, unit->name, unit->kind, unit->note };
        unit_id = s_upsert (load->db, s_upsert_unit, 4, params, &load->changed);
        if (unit_id < 0)
            return -1;
        zhashx_insert (load->unit_ids, unit->name, zsys_sprintf ("%ld", unit_id));
        counts->units++;
    }
    for (size_t index = 0; index < plan->unit_count; index++) {
        const bm_plan_unit_t *unit = plan->units + index;
        if (!*unit->parent)
            continue;
        const char *params [] = { load->district_id, unit->name, unit->parent };
        PGresult *update = bm_db_exec (load->db, s_unit_parent, 3, params);
        if (!update)
            return -1;
        if (atoi (PQcmdTuples (update)) > 0)
            load->changed = true;
        PQclear (update);
    }

    //  Indicators
    for (size_t index = 0; index < plan->indicator_count; index++) {
        const bm_plan_indicator_t *indicator = plan->indicators + index;
        char position [24];
        snprintf (position, sizeof position, "%zu", index + 1);
        const char *params [] = {
            load->plan_id, indicator->code, indicator->measure, indicator->name,
            indicator->parent, indicator->category, indicator->seq,
            indicator->unit_of_measure, indicator->additive? "true": "false",
            indicator->direction == BM_LOWER_IS_BETTER? "lower": "higher",
            indicator->decomposition, indicator->responsible, indicator->source,
            indicator->note, position
        };
        long indicator_id = s_upsert (load->db, s_upsert_indicator, 15, params, &load->changed);
        if (indicator_id < 0)
            return -1;
        char key [512];
        snprintf (key, sizeof key, "%s\t%s", indicator->code, indicator->measure);
        zhashx_insert (load->indicator_ids, key, zsys_sprintf ("%ld", indicator_id));
        counts->indicators++;
    }

    //  Tasks; those the files no longer list are removed (they hold no data)
    for (size_t index = 0; index < plan->task_count; index++) {
        const bm_plan_task_t *task = plan->tasks + index;
        char seq [16];
        snprintf (seq, sizeof seq, "%d", task->seq);
        const char *params [] = { load->plan_id, task->level, seq, task->title,
                                  task->leaders, task->sections, task->indicator,
                                  task->measures, task->note };
        if (s_upsert (load->db, s_upsert_task, 9, params, &load->changed) < 0)
            return -1;
        counts->tasks++;
    }
    char *keep = strdup ("{");
    for (size_t index = 0; index < plan->task_count; index++) {
        char *grown = zsys_sprintf ("%s%s\"%s\t%d\"", keep, index? ",": "",
                                    plan->tasks [index].level, plan->tasks [index].seq);
        free (keep);
        keep = grown;
    }
    char *closed = zsys_sprintf ("%s}", keep);
    free (keep);
    const char *params [] = { load->plan_id, closed };
    result = bm_db_exec (load->db,
        "DELETE FROM task WHERE plan_id = $1"
        " AND NOT (level || E'\\t' || seq = ANY ($2::text []))", 2, params);
    free (closed);
    if (!result)
        return -1;
    if (atoi (PQcmdTuples (result)) > 0)
        load->changed = true;
    PQclear (result);
    return 0;
}

int
bm_planload_store (PGconn *db, const bm_plan_t *plan, Battlemap__PlanLoadReply *counts)
{
    s_load_t load = { .db = db, .plan = plan };
    load.unit_ids = zhashx_new ();
    zhashx_set_destructor (load.unit_ids, (zhashx_destructor_fn *) zstr_free);
    load.indicator_ids = zhashx_new ();
    zhashx_set_destructor (load.indicator_ids, (zhashx_destructor_fn *) zstr_free);
    load.kept_targets = zlistx_new ();
    zlistx_set_destructor (load.kept_targets, (zlistx_destructor_fn *) zstr_free);
    load.kept_milestones = zlistx_new ();
    zlistx_set_destructor (load.kept_milestones, (zlistx_destructor_fn *) zstr_free);

    int version = 0;
    int rc = s_store_structure (&load, counts, &version);
    for (size_t index = 0; rc == 0 && index < plan->target_count; index++)
        rc = s_store_target (&load, plan->targets + index, counts);
    for (size_t index = 0; rc == 0 && index < plan->milestone_count; index++)
        rc = s_store_milestone (&load, plan->milestones + index, counts);
    if (rc == 0)
        rc = s_supersede_missing (&load, "target", load.kept_targets);
    if (rc == 0)
        rc = s_supersede_missing (&load, "milestone", load.kept_milestones);
    if (rc == 0 && load.changed) {
        const char *params [] = { load.plan_id, load.version };
        rc = bm_db_command (db,
            "UPDATE plan SET version = $2, loaded_at = now () WHERE id = $1", 2, params);
        version++;
    }
    counts->plan = (char *) plan->header.plan;
    counts->version = version;
    counts->changed = load.changed;

    zhashx_destroy (&load.unit_ids);
    zhashx_destroy (&load.indicator_ids);
    zlistx_destroy (&load.kept_targets);
    zlistx_destroy (&load.kept_milestones);
    return rc;
}

//  ---------------------------------------------------------------------------
//  Entry points

int
bm_planload_handle (bm_request_t *request, const Battlemap__PlanLoadRequest *load)
{
    if (load->n_files == 0)
        return bm_request_error (request, BATTLEMAP__ERROR_CODE__PLAN_INVALID, 0,
                                 "no plan files were sent");
    bm_plan_file_t *files = bm_arena_alloc (request->arena, load->n_files * sizeof *files);
    for (size_t index = 0; index < load->n_files; index++) {
        files [index].name = load->files [index]->name;
        files [index].content = (const char *) load->files [index]->content.data;
        files [index].size = load->files [index]->content.len;
    }
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = bm_plan_parse (files, load->n_files, errors);
    if (!plan) {
        bm_request_error (request, BATTLEMAP__ERROR_CODE__PLAN_INVALID, 0,
                          "the plan has %zu error%s; nothing was loaded",
                          zlist_size (errors), zlist_size (errors) == 1? "": "s");
        for (char *error = zlist_first (errors); error; error = zlist_next (errors))
            bm_request_error_detail (request, error);
        zlist_destroy (&errors);
        return -1;
    }
    zlist_destroy (&errors);

    Battlemap__PlanLoadReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__plan_load_reply__init (reply);
    int rc = bm_db_begin (request->db);
    if (rc == 0)
        rc = bm_planload_store (request->db, plan, reply);
    if (rc == 0)
        rc = bm_db_commit (request->db);
    if (rc == 0) {
        reply->plan = bm_arena_strdup (request->arena, plan->header.plan);
        request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_PLAN_LOAD_REPLY;
        request->reply->plan_load_reply = reply;
        zsys_info ("plan %s loaded: version %u, %u targets new, %u unchanged",
                   plan->header.plan, reply->version, reply->targets_created,
                   reply->targets_unchanged);
    }
    else {
        bm_db_rollback (request->db);
        bm_request_error (request, BATTLEMAP__ERROR_CODE__INTERNAL, 0,
                          "the plan could not be stored; nothing was loaded");
    }
    bm_plan_destroy (&plan);
    return rc;
}

int
bm_planload_dir (PGconn *db, const char *path)
{
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = bm_plan_parse_dir (path, errors);
    if (!plan) {
        zsys_error ("plan %s is invalid; nothing was loaded:", path);
        for (char *error = zlist_first (errors); error; error = zlist_next (errors))
            zsys_error ("  %s", error);
        zlist_destroy (&errors);
        return -1;
    }
    zlist_destroy (&errors);
    Battlemap__PlanLoadReply counts = BATTLEMAP__PLAN_LOAD_REPLY__INIT;
    int rc = bm_db_begin (db);
    if (rc == 0)
        rc = bm_planload_store (db, plan, &counts);
    if (rc == 0)
        rc = bm_db_commit (db);
    if (rc)
        bm_db_rollback (db);
    else
        zsys_info ("plan %s from %s: version %u%s", plan->header.plan, path,
                   counts.version, counts.changed? " (changed)": " (unchanged)");
    bm_plan_destroy (&plan);
    return rc;
}
