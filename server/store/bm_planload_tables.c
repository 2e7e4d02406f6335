/*  bm_planload_tables: the plan's rows that hold no data of their own.

    Formula operands, rankings and holidays are replaced whole when the
    files say something different, and left alone (the plan unchanged)
    when they say the same.
*/

#include "bm_planload_private.h"
#include "bm_db.h"
#include "bm_formula.h"

#include <stdlib.h>
#include <string.h>

//  A list of lines to compare with what is stored
static zlistx_t *
s_lines (void)
{
    zlistx_t *lines = zlistx_new ();
    zlistx_set_destructor (lines, (zlistx_destructor_fn *) zstr_free);
    zlistx_set_comparator (lines, (zlistx_comparator_fn *) strcmp);
    return lines;
}

//  Compares the sorted, joined lines (destroyed) with the text `sql` makes
//  of the stored rows (its $1 is the plan). 1 when they are the same, 0
//  when they differ, -1 on a database error.
static int
s_same_as_stored (bm_planload_t *load, zlistx_t *lines, const char *sql)
{
    zlistx_sort (lines);
    char *wanted = strdup ("");
    for (char *line = zlistx_first (lines); line; line = zlistx_next (lines)) {
        char *grown = zsys_sprintf ("%s%s", wanted, line);
        free (wanted);
        wanted = grown;
    }
    zlistx_destroy (&lines);
    const char *params [] = { load->plan_id };
    PGresult *result = bm_db_exec (load->db, sql, 1, params);
    int same = result? streq (PQgetvalue (result, 0, 0), wanted): -1;
    if (result)
        PQclear (result);
    free (wanted);
    return same;
}

//  Records the operands of every derived indicator's formula
int
bm_planload_operands (bm_planload_t *load)
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

//  Holidays hold no data of their own: replaced whole when they differ
int
bm_planload_holidays (bm_planload_t *load)
{
    const bm_plan_t *plan = load->plan;
    zlistx_t *lines = s_lines ();
    for (size_t index = 0; index < plan->holiday_count; index++) {
        const bm_plan_holiday_t *holiday = plan->holidays + index;
        char day [BM_DATE_STR_MAX];
        zlistx_add_end (lines, zsys_sprintf ("%s\t%s\t%s\t%s\n",
            bm_date_format (holiday->date, day), holiday->working? "t": "f",
            holiday->name, holiday->note));
    }
    int same = s_same_as_stored (load, lines,
        "SELECT coalesce (string_agg (to_char (day, 'YYYY-MM-DD') || E'\\t'"
        "  || CASE WHEN working THEN 't' ELSE 'f' END || E'\\t' || name || E'\\t'"
        "  || note || E'\\n', '' ORDER BY day), '') FROM holiday WHERE plan_id = $1");
    if (same != 0)
        return same > 0? 0: -1;
    const char *params [] = { load->plan_id };
    load->changed = true;
    if (bm_db_command (load->db, "DELETE FROM holiday WHERE plan_id = $1", 1, params))
        return -1;
    for (size_t index = 0; index < plan->holiday_count; index++) {
        const bm_plan_holiday_t *holiday = plan->holidays + index;
        char day [BM_DATE_STR_MAX];
        const char *row [] = { load->plan_id, bm_date_format (holiday->date, day),
                               holiday->working? "true": "false", holiday->name,
                               holiday->note };
        if (bm_db_command (load->db,
                "INSERT INTO holiday (plan_id, day, working, name, note)"
                " VALUES ($1, $2, $3, $4, $5)", 5, row))
            return -1;
    }
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
int
bm_planload_rankings (bm_planload_t *load)
{
    const bm_plan_t *plan = load->plan;
    //  A canonical text of the files' rankings and of the stored ones
    zlistx_t *lines = s_lines ();
    for (size_t index = 0; index < plan->ranking_count; index++) {
        const bm_plan_ranking_t *row = plan->rankings + index;
        zlistx_add_end (lines, zsys_sprintf ("%s\t%s\t%s\t%d\t%s\n", row->ranking,
            bm_planload_indicator_id (load, row->indicator, row->measure),
            row->weight_text, s_given_bottom (plan, row->ranking), row->note));
    }
    //  The same text from the database, sorted the same way (byte order)
    int same = s_same_as_stored (load, lines,
        "SELECT coalesce (string_agg (line, '' ORDER BY line COLLATE \"C\"), '') FROM"
        " (SELECT r.name || E'\\t' || ri.indicator_id || E'\\t' || ri.weight || E'\\t'"
        "   || r.given_bottom || E'\\t' || ri.note || E'\\n' AS line"
        "  FROM ranking r JOIN ranking_indicator ri ON ri.ranking_id = r.id"
        "  WHERE r.plan_id = $1) lines");
    if (same != 0)
        return same > 0? 0: -1;
    const char *params [] = { load->plan_id };
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

