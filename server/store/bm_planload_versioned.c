/*  bm_planload_versioned: targets, milestones and baselines, versioned.

    A row whose value changed supersedes the current row, which is kept
    (figures and history refer to it); rows the files no longer name are
    superseded too. Numbers are stored as written (1195.0 keeps its scale).
*/

#include "bm_planload_private.h"
#include "bm_db.h"

#include <stdlib.h>
#include <string.h>



const char *
bm_planload_indicator_id (bm_planload_t *load, const char *code, const char *measure)
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
s_store_target (bm_planload_t *load, const bm_plan_target_t *target, Battlemap__PlanLoadReply *counts)
{
    const char *indicator_id = bm_planload_indicator_id (load, target->indicator, target->measure);
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
        const char *old [] = { PQgetvalue (current, 0, 0), load->now };
        if (bm_db_command (load->db,
                "UPDATE target SET superseded_at = $2 WHERE id = $1", 2, old)) {
            PQclear (current);
            return -1;
        }
    }
    PQclear (current);
    const char *params [] = {
        indicator_id, unit_id, target->role, target->kind, target->comparator,
        target->no_target? "true": "false", value,
        target->text, target->note, load->version, load->now
    };
    PGresult *result = bm_db_exec (load->db,
        "INSERT INTO target (indicator_id, unit_id, role, kind, comparator, no_target,"
        " value, text, note, plan_version, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id", 11, params);
    if (!result)
        return -1;
    zlistx_add_end (load->kept_targets, strdup (PQgetvalue (result, 0, 0)));
    PQclear (result);
    counts->targets_created++;
    load->changed = true;
    return 0;
}

static int
s_store_milestone (bm_planload_t *load, const bm_plan_milestone_t *milestone,
                   Battlemap__PlanLoadReply *counts)
{
    const char *indicator_id = bm_planload_indicator_id (load, milestone->indicator, milestone->measure);
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
        const char *old [] = { PQgetvalue (current, 0, 0), load->now };
        if (bm_db_command (load->db,
                "UPDATE milestone SET superseded_at = $2 WHERE id = $1", 2, old)) {
            PQclear (current);
            return -1;
        }
    }
    PQclear (current);
    const char *params [] = {
        indicator_id, unit_id, month, value, share,
        milestone->text, milestone->note, load->version, load->now
    };
    PGresult *result = bm_db_exec (load->db,
        "INSERT INTO milestone (indicator_id, unit_id, month, value, share_pct, text, note,"
        " plan_version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        9, params);
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
s_supersede_missing (bm_planload_t *load, const char *table, zlistx_t *kept)
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
        "UPDATE %s SET superseded_at = $3 WHERE superseded_at IS NULL"
        " AND indicator_id IN (SELECT id FROM indicator WHERE plan_id = $1)"
        " AND NOT (id = ANY ($2::bigint []))", table);
    const char *params [] = { load->plan_id, closed, load->now };
    PGresult *result = bm_db_exec (load->db, sql, 3, params);
    free (sql);
    free (closed);
    if (!result)
        return -1;
    if (atoi (PQcmdTuples (result)) > 0)
        load->changed = true;
    PQclear (result);
    return 0;
}


static int
s_store_baseline (bm_planload_t *load, const bm_plan_baseline_t *baseline)
{
    const char *indicator_id = bm_planload_indicator_id (load, baseline->indicator,
                                                         baseline->measure);
    const char *unit_id = zhashx_lookup (load->unit_ids, baseline->unit);
    if (!indicator_id || !unit_id)
        return -1;
    char period [16];
    snprintf (period, sizeof period, "%04u-%02u-01", (unsigned) baseline->year % 10000u,
              (unsigned) baseline->month % 100u);
    const char *key [] = { indicator_id, unit_id, period, baseline->value_text };
    PGresult *current = bm_db_exec (load->db,
        "SELECT id, " S_SAME_NUMBER ("value", "$4") ", note FROM baseline"
        " WHERE indicator_id = $1 AND unit_id = $2 AND period = $3::date"
        "   AND superseded_at IS NULL", 4, key);
    if (!current)
        return -1;
    if (PQntuples (current) == 1 && *PQgetvalue (current, 0, 1) == 't'
    &&  streq (PQgetvalue (current, 0, 2), baseline->note)) {
        zlistx_add_end (load->kept_baselines, strdup (PQgetvalue (current, 0, 0)));
        PQclear (current);
        return 0;
    }
    if (PQntuples (current) == 1) {
        const char *old [] = { PQgetvalue (current, 0, 0), load->now };
        if (bm_db_command (load->db,
                "UPDATE baseline SET superseded_at = $2 WHERE id = $1", 2, old)) {
            PQclear (current);
            return -1;
        }
    }
    PQclear (current);
    const char *params [] = { indicator_id, unit_id, period, baseline->value_text,
                              baseline->note, load->version, load->now };
    PGresult *result = bm_db_exec (load->db,
        "INSERT INTO baseline (indicator_id, unit_id, period, value, note, plan_version,"
        " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id", 7, params);
    if (!result)
        return -1;
    zlistx_add_end (load->kept_baselines, strdup (PQgetvalue (result, 0, 0)));
    PQclear (result);
    load->changed = true;
    return 0;
}

int
bm_planload_targets (bm_planload_t *load, Battlemap__PlanLoadReply *counts)
{
    for (size_t index = 0; index < load->plan->target_count; index++)
        if (s_store_target (load, load->plan->targets + index, counts))
            return -1;
    return s_supersede_missing (load, "target", load->kept_targets);
}

int
bm_planload_milestones (bm_planload_t *load, Battlemap__PlanLoadReply *counts)
{
    for (size_t index = 0; index < load->plan->milestone_count; index++)
        if (s_store_milestone (load, load->plan->milestones + index, counts))
            return -1;
    return s_supersede_missing (load, "milestone", load->kept_milestones);
}

int
bm_planload_baselines (bm_planload_t *load)
{
    for (size_t index = 0; index < load->plan->baseline_count; index++)
        if (s_store_baseline (load, load->plan->baselines + index))
            return -1;
    return s_supersede_missing (load, "baseline", load->kept_baselines);
}
