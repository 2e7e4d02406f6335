/*  bm_planload: store a validated plan in PostgreSQL. */

#include "bm_planload.h"
#include "bm_planload_private.h"
#include "bm_db.h"
#include "bm_formula.h"

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
    "   note, position, kind, formula, on_track_tenths, at_risk_tenths, pace)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"
    "   $18, $19, $20::numeric [])"
    "  ON CONFLICT (plan_id, code, measure) DO UPDATE SET name = EXCLUDED.name,"
    "   parent_code = EXCLUDED.parent_code, category = EXCLUDED.category,"
    "   seq = EXCLUDED.seq, unit_of_measure = EXCLUDED.unit_of_measure,"
    "   additive = EXCLUDED.additive, direction = EXCLUDED.direction,"
    "   decomposition = EXCLUDED.decomposition, responsible = EXCLUDED.responsible,"
    "   source = EXCLUDED.source, note = EXCLUDED.note, position = EXCLUDED.position,"
    "   kind = EXCLUDED.kind, formula = EXCLUDED.formula,"
    "   on_track_tenths = EXCLUDED.on_track_tenths, at_risk_tenths = EXCLUDED.at_risk_tenths,"
    "   pace = EXCLUDED.pace"
    "  WHERE (indicator.name, indicator.parent_code, indicator.category, indicator.seq,"
    "   indicator.unit_of_measure, indicator.additive, indicator.direction,"
    "   indicator.decomposition, indicator.responsible, indicator.source, indicator.note,"
    "   indicator.position, indicator.kind, indicator.formula, indicator.on_track_tenths,"
    "   indicator.at_risk_tenths, indicator.pace)"
    "   IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.parent_code,"
    "   EXCLUDED.category, EXCLUDED.seq, EXCLUDED.unit_of_measure, EXCLUDED.additive,"
    "   EXCLUDED.direction, EXCLUDED.decomposition, EXCLUDED.responsible, EXCLUDED.source,"
    "   EXCLUDED.note, EXCLUDED.position, EXCLUDED.kind, EXCLUDED.formula,"
    "   EXCLUDED.on_track_tenths, EXCLUDED.at_risk_tenths, EXCLUDED.pace)"
    "  RETURNING id)"
    " SELECT id, true FROM up"
    " UNION ALL SELECT id, false FROM indicator WHERE plan_id = $1 AND code = $2"
    "   AND measure = $3 AND NOT EXISTS (SELECT 1 FROM up)";

static const char *s_upsert_task =
    "WITH up AS (INSERT INTO task (plan_id, level, seq, title, leaders, sections,"
    "   indicator_code, measures, note, overall)"
    "   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    "  ON CONFLICT (plan_id, level, seq) DO UPDATE SET title = EXCLUDED.title,"
    "   leaders = EXCLUDED.leaders, sections = EXCLUDED.sections,"
    "   indicator_code = EXCLUDED.indicator_code, measures = EXCLUDED.measures,"
    "   note = EXCLUDED.note, overall = EXCLUDED.overall"
    "  WHERE (task.title, task.leaders, task.sections, task.indicator_code, task.measures,"
    "   task.note, task.overall) IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.leaders,"
    "   EXCLUDED.sections, EXCLUDED.indicator_code, EXCLUDED.measures, EXCLUDED.note,"
    "   EXCLUDED.overall)"
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
//  The whole plan

//  A pace curve as a PostgreSQL array literal
static char *
s_pace_array (const bm_decimal_t *pace)
{
    char *array = strdup ("{");
    for (int month = 0; month < 12; month++) {
        char buf [BM_DECIMAL_STR_MAX];
        char *grown = zsys_sprintf ("%s%s%s", array, month? ",": "",
                                    bm_decimal_format (pace [month], buf));
        free (array);
        array = grown;
    }
    char *closed = zsys_sprintf ("%s}", array);
    free (array);
    return closed;
}

//  Records the operands of every derived indicator's formula
static int
s_store_operands (bm_planload_t *load)
{
    const bm_plan_t *plan = load->plan;
    const char *plan_params [] = { load->plan_id };
    PGresult *before = bm_db_exec (load->db,
        "SELECT count (*) FROM indicator_operand o JOIN indicator i ON i.id = o.indicator_id"
        " WHERE i.plan_id = $1", 1, plan_params);
    if (!before)
        return -1;
    long count_before = atol (PQgetvalue (before, 0, 0));
    PQclear (before);
    if (bm_db_command (load->db,
            "DELETE FROM indicator_operand WHERE indicator_id IN"
            " (SELECT id FROM indicator WHERE plan_id = $1)", 1, plan_params))
        return -1;
    long count_after = 0;
    for (size_t index = 0; index < plan->indicator_count; index++) {
        const bm_plan_indicator_t *indicator = plan->indicators + index;
        if (!*indicator->formula)
            continue;
        char error [128];
        bm_formula_t *formula = bm_formula_parse (indicator->formula, error, sizeof error);
        if (!formula)
            return -1;          //  the parser has checked it: not reached
        const char *id = bm_planload_indicator_id (load, indicator->code, indicator->measure);
        int rc = 0;
        for (size_t ref = 0; rc == 0 && ref < bm_formula_reference_count (formula); ref++) {
            const char *reference = bm_formula_reference (formula, ref);
            const char *colon = strchr (reference, ':');
            char *code = colon? strndup (reference, (size_t) (colon - reference))
                              : strdup (reference);
            const char *operand = bm_planload_indicator_id (load, code, colon? colon + 1: "");
            free (code);
            const char *params [] = { id, operand };
            PGresult *result = operand? bm_db_exec (load->db,
                "INSERT INTO indicator_operand VALUES ($1, $2) ON CONFLICT DO NOTHING",
                2, params): NULL;
            if (result) {
                count_after += atol (PQcmdTuples (result));
                PQclear (result);
            }
            else
                rc = -1;
        }
        bm_formula_destroy (&formula);
        if (rc)
            return -1;
    }
    //  Operands follow from the formulas, which are compared with the
    //  indicators; a different count alone would be a change of its own
    if (count_after != count_before)
        load->changed = true;
    return 0;
}

//  The bottom N a ranking's rows give (on one of them), 0 if none
static int
s_given_bottom (const bm_plan_t *plan, const char *ranking)
{
    for (size_t index = 0; index < plan->ranking_count; index++)
        if (plan->rankings [index].bottom && streq (plan->rankings [index].ranking, ranking))
            return plan->rankings [index].bottom;
    return 0;
}

//  Rankings hold no data of their own: replaced whole, changed only when
//  their content differs
static int
s_store_rankings (bm_planload_t *load)
{
    const bm_plan_t *plan = load->plan;
    //  A canonical text of the files' rankings and of the stored ones
    zlistx_t *lines = zlistx_new ();
    zlistx_set_destructor (lines, (zlistx_destructor_fn *) zstr_free);
    zlistx_set_comparator (lines, (zlistx_comparator_fn *) strcmp);
    for (size_t index = 0; index < plan->ranking_count; index++) {
        const bm_plan_ranking_t *row = plan->rankings + index;
        zlistx_add_end (lines, zsys_sprintf ("%s\t%s\t%s\t%d\t%s\n", row->ranking,
            bm_planload_indicator_id (load, row->indicator, row->measure),
            row->weight_text, s_given_bottom (plan, row->ranking), row->note));
    }
    zlistx_sort (lines);
    char *wanted = strdup ("");
    for (char *line = zlistx_first (lines); line; line = zlistx_next (lines)) {
        char *grown = zsys_sprintf ("%s%s", wanted, line);
        free (wanted);
        wanted = grown;
    }
    zlistx_destroy (&lines);
    //  The same text from the database, sorted the same way (byte order)
    const char *params [] = { load->plan_id };
    PGresult *result = bm_db_exec (load->db,
        "SELECT coalesce (string_agg (line, '' ORDER BY line COLLATE \"C\"), '') FROM"
        " (SELECT r.name || E'\\t' || ri.indicator_id || E'\\t' || ri.weight || E'\\t'"
        "   || r.given_bottom || E'\\t' || ri.note || E'\\n' AS line"
        "  FROM ranking r JOIN ranking_indicator ri ON ri.ranking_id = r.id"
        "  WHERE r.plan_id = $1) lines", 1, params);
    if (!result) {
        free (wanted);
        return -1;
    }
    bool same = streq (PQgetvalue (result, 0, 0), wanted);
    PQclear (result);
    free (wanted);
    if (same)
        return 0;
    load->changed = true;
    if (bm_db_command (load->db, "DELETE FROM ranking WHERE plan_id = $1", 1, params))
        return -1;
    for (size_t index = 0; index < plan->ranking_count; index++) {
        const bm_plan_ranking_t *row = plan->rankings + index;
        int given_bottom = s_given_bottom (plan, row->ranking);
        char bottom [16], given [16];
        snprintf (bottom, sizeof bottom, "%d", given_bottom? given_bottom: 5);
        snprintf (given, sizeof given, "%d", given_bottom);
        const char *ranking [] = { load->plan_id, row->ranking, bottom, given };
        if (bm_db_command (load->db,
                "INSERT INTO ranking (plan_id, name, bottom, given_bottom)"
                " VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (plan_id, name) DO NOTHING", 4, ranking))
            return -1;
        const char *member [] = { load->plan_id, row->ranking,
            bm_planload_indicator_id (load, row->indicator, row->measure),
            row->weight_text, row->note };
        if (bm_db_command (load->db,
                "INSERT INTO ranking_indicator (ranking_id, indicator_id, weight, note)"
                " SELECT id, $3, $4, $5 FROM ranking WHERE plan_id = $1 AND name = $2",
                5, member))
            return -1;
    }
    return 0;
}

static int
s_store_structure (bm_planload_t *load, Battlemap__PlanLoadReply *counts, int *version)
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
        char position [24], on_track [24], at_risk [24];
        snprintf (position, sizeof position, "%zu", index + 1);
        snprintf (on_track, sizeof on_track, "%d", indicator->on_track_tenths);
        snprintf (at_risk, sizeof at_risk, "%d", indicator->at_risk_tenths);
        char *pace = indicator->has_pace? s_pace_array (indicator->pace): NULL;
        const char *params [] = {
            load->plan_id, indicator->code, indicator->measure, indicator->name,
            indicator->parent, indicator->category, indicator->seq,
            indicator->unit_of_measure, indicator->additive? "true": "false",
            indicator->direction == BM_LOWER_IS_BETTER? "lower": "higher",
            indicator->decomposition, indicator->responsible, indicator->source,
            indicator->note, position, indicator->kind, indicator->formula,
            on_track, at_risk, pace
        };
        long indicator_id = s_upsert (load->db, s_upsert_indicator, 20, params, &load->changed);
        free (pace);
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
                                  task->measures, task->note, task->overall };
        if (s_upsert (load->db, s_upsert_task, 10, params, &load->changed) < 0)
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
    bm_planload_t load = { .db = db, .plan = plan };
    load.unit_ids = zhashx_new ();
    zhashx_set_destructor (load.unit_ids, (zhashx_destructor_fn *) zstr_free);
    load.indicator_ids = zhashx_new ();
    zhashx_set_destructor (load.indicator_ids, (zhashx_destructor_fn *) zstr_free);
    load.kept_targets = zlistx_new ();
    zlistx_set_destructor (load.kept_targets, (zlistx_destructor_fn *) zstr_free);
    load.kept_milestones = zlistx_new ();
    zlistx_set_destructor (load.kept_milestones, (zlistx_destructor_fn *) zstr_free);

    load.kept_baselines = zlistx_new ();
    zlistx_set_destructor (load.kept_baselines, (zlistx_destructor_fn *) zstr_free);

    int version = 0;
    int rc = s_store_structure (&load, counts, &version);
    if (rc == 0)
        rc = bm_planload_targets (&load, counts);
    if (rc == 0)
        rc = bm_planload_milestones (&load, counts);
    if (rc == 0)
        rc = bm_planload_baselines (&load);
    if (rc == 0)
        rc = s_store_operands (&load);
    if (rc == 0)
        rc = s_store_rankings (&load);
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
    zlistx_destroy (&load.kept_baselines);
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
