/*  bm_planload: store a validated plan in PostgreSQL. */

#include "bm_planload.h"
#include "bm_planload_private.h"
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
    "   forecast_day, final_day, deadline_rule, reminder_days, bottom_warned)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    "  ON CONFLICT (code) DO UPDATE SET district_id = EXCLUDED.district_id,"
    "   year = EXCLUDED.year, title = EXCLUDED.title, documents = EXCLUDED.documents,"
    "   forecast_day = EXCLUDED.forecast_day, final_day = EXCLUDED.final_day,"
    "   deadline_rule = EXCLUDED.deadline_rule, reminder_days = EXCLUDED.reminder_days,"
    "   bottom_warned = EXCLUDED.bottom_warned"
    "  WHERE (plan.district_id, plan.year, plan.title, plan.documents, plan.forecast_day,"
    "   plan.final_day, plan.deadline_rule, plan.reminder_days, plan.bottom_warned)"
    "   IS DISTINCT FROM (EXCLUDED.district_id, EXCLUDED.year, EXCLUDED.title,"
    "   EXCLUDED.documents, EXCLUDED.forecast_day, EXCLUDED.final_day,"
    "   EXCLUDED.deadline_rule, EXCLUDED.reminder_days, EXCLUDED.bottom_warned)"
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
    "   note, position, kind, formula, on_track_tenths, at_risk_tenths, pace, through_month,"
    "   decimals, plausible_factor, may_decrease, may_be_negative)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"
    "   $18, $19, $20::numeric [], $21, $22, $23, $24, $25)"
    "  ON CONFLICT (plan_id, code, measure) DO UPDATE SET name = EXCLUDED.name,"
    "   parent_code = EXCLUDED.parent_code, category = EXCLUDED.category,"
    "   seq = EXCLUDED.seq, unit_of_measure = EXCLUDED.unit_of_measure,"
    "   additive = EXCLUDED.additive, direction = EXCLUDED.direction,"
    "   decomposition = EXCLUDED.decomposition, responsible = EXCLUDED.responsible,"
    "   source = EXCLUDED.source, note = EXCLUDED.note, position = EXCLUDED.position,"
    "   kind = EXCLUDED.kind, formula = EXCLUDED.formula,"
    "   on_track_tenths = EXCLUDED.on_track_tenths, at_risk_tenths = EXCLUDED.at_risk_tenths,"
    "   pace = EXCLUDED.pace, through_month = EXCLUDED.through_month,"
    "   decimals = EXCLUDED.decimals, plausible_factor = EXCLUDED.plausible_factor,"
    "   may_decrease = EXCLUDED.may_decrease, may_be_negative = EXCLUDED.may_be_negative"
    "  WHERE (indicator.name, indicator.parent_code, indicator.category, indicator.seq,"
    "   indicator.unit_of_measure, indicator.additive, indicator.direction,"
    "   indicator.decomposition, indicator.responsible, indicator.source, indicator.note,"
    "   indicator.position, indicator.kind, indicator.formula, indicator.on_track_tenths,"
    "   indicator.at_risk_tenths, indicator.pace, indicator.through_month, indicator.decimals,"
    "   indicator.plausible_factor, indicator.may_decrease, indicator.may_be_negative)"
    "   IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.parent_code,"
    "   EXCLUDED.category, EXCLUDED.seq, EXCLUDED.unit_of_measure, EXCLUDED.additive,"
    "   EXCLUDED.direction, EXCLUDED.decomposition, EXCLUDED.responsible, EXCLUDED.source,"
    "   EXCLUDED.note, EXCLUDED.position, EXCLUDED.kind, EXCLUDED.formula,"
    "   EXCLUDED.on_track_tenths, EXCLUDED.at_risk_tenths, EXCLUDED.pace,"
    "   EXCLUDED.through_month, EXCLUDED.decimals, EXCLUDED.plausible_factor,"
    "   EXCLUDED.may_decrease, EXCLUDED.may_be_negative)"
    "  RETURNING id)"
    " SELECT id, true FROM up"
    " UNION ALL SELECT id, false FROM indicator WHERE plan_id = $1 AND code = $2"
    "   AND measure = $3 AND NOT EXISTS (SELECT 1 FROM up)";

static const char *s_upsert_task =
    "WITH up AS (INSERT INTO task (plan_id, level, seq, title, leaders, sections,"
    "   indicator_code, measures, note, overall, beside)"
    "   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    "  ON CONFLICT (plan_id, level, seq) DO UPDATE SET title = EXCLUDED.title,"
    "   leaders = EXCLUDED.leaders, sections = EXCLUDED.sections,"
    "   indicator_code = EXCLUDED.indicator_code, measures = EXCLUDED.measures,"
    "   note = EXCLUDED.note, overall = EXCLUDED.overall, beside = EXCLUDED.beside"
    "  WHERE (task.title, task.leaders, task.sections, task.indicator_code, task.measures,"
    "   task.note, task.overall, task.beside) IS DISTINCT FROM (EXCLUDED.title,"
    "   EXCLUDED.leaders, EXCLUDED.sections, EXCLUDED.indicator_code, EXCLUDED.measures,"
    "   EXCLUDED.note, EXCLUDED.overall, EXCLUDED.beside)"
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
    char bottom [16];
    snprintf (bottom, sizeof bottom, "%d", header->bottom_warned);
    const char *plan_params [] = { header->plan, load->district_id, year, header->title,
                                   header->documents, forecast_day, final_day,
                                   header->deadline_rule, header->reminder_days, bottom };
    PGresult *result = bm_db_exec (load->db, s_upsert_plan, 10, plan_params);
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
        char through [16], decimals [16], factor [BM_DECIMAL_STR_MAX];
        snprintf (through, sizeof through, "%d", indicator->through_month);
        snprintf (decimals, sizeof decimals, "%d", indicator->decimals);
        bm_decimal_format (indicator->plausible_factor, factor);
        const char *params [] = {
            load->plan_id, indicator->code, indicator->measure, indicator->name,
            indicator->parent, indicator->category, indicator->seq,
            indicator->unit_of_measure, indicator->additive? "true": "false",
            indicator->direction == BM_LOWER_IS_BETTER? "lower": "higher",
            indicator->decomposition, indicator->responsible, indicator->source,
            indicator->note, position, indicator->kind, indicator->formula,
            on_track, at_risk, pace, through, decimals, factor,
            indicator->may_decrease? "true": "false",
            indicator->may_be_negative? "true": "false"
        };
        long indicator_id = s_upsert (load->db, s_upsert_indicator, 25, params, &load->changed);
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
                                  task->measures, task->note, task->overall,
                                  task->beside };
        if (s_upsert (load->db, s_upsert_task, 11, params, &load->changed) < 0)
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
bm_planload_store (PGconn *db, const bm_plan_t *plan, const char *now,
                   Battlemap__PlanLoadReply *counts)
{
    bm_planload_t load = { .db = db, .plan = plan, .now = now };
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
        rc = bm_planload_operands (&load);
    if (rc == 0)
        rc = bm_planload_rankings (&load);
    if (rc == 0)
        rc = bm_planload_holidays (&load);
    if (rc == 0 && load.changed) {
        const char *params [] = { load.plan_id, load.version, now };
        rc = bm_db_command (db,
            "UPDATE plan SET version = $2, loaded_at = $3 WHERE id = $1", 3, params);
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
bm_planload_files (PGconn *db, const bm_plan_file_t *files, size_t count, const char *now,
                   Battlemap__PlanLoadReply *counts, zlist_t *errors)
{
    bm_plan_t *plan = bm_plan_parse (files, count, errors);
    if (!plan)
        return 1;
    int rc = bm_db_begin (db);
    if (rc == 0)
        rc = bm_planload_store (db, plan, now, counts);
    if (rc == 0)
        rc = bm_db_commit (db);
    if (rc)
        bm_db_rollback (db);
    else
        zsys_info ("plan %s loaded: version %u, %u targets new, %u unchanged",
                   plan->header.plan, counts->version, counts->targets_created,
                   counts->targets_unchanged);
    //  The plan's code outlives the plan: the caller's copy
    counts->plan = rc == 0? strdup (plan->header.plan): NULL;
    bm_plan_destroy (&plan);
    return rc;
}

int
bm_planload_dir (PGconn *db, const char *path, const char *now)
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
        rc = bm_planload_store (db, plan, now, &counts);
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
