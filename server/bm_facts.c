/*  bm_facts: what the database knows about one indicator measure for one unit
    in one month. */

#include "bm_facts.h"
#include "bm_db.h"
#include "bm_formula.h"
#include "bm_wire.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

//  Parses a numeric column; false when NULL
static bool
s_decimal (const PGresult *result, int row, int column, bm_decimal_t *value)
{
    const char *text = bm_db_value (result, row, column);
    return text && bm_decimal_parse (text, value, NULL) == 0;
}

//  Parses a PostgreSQL numeric array "{5,10,...}" of 12 values
static bool
s_pace (const char *text, bm_decimal_t *pace)
{
    if (!text || *text != '{')
        return false;
    char *copy = strdup (text + 1);
    char *end = strchr (copy, '}');
    if (end)
        *end = '\0';
    int month = 0;
    bool ok = true;
    for (char *part = strtok (copy, ","); part && ok; part = strtok (NULL, ","))
        ok = month < 12 && bm_decimal_parse (part, pace + month++, NULL) == 0;
    free (copy);
    return ok && month == 12;
}

int
bm_facts_indicator (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                    bm_facts_indicator_t *indicator)
{
    const char *params [] = { indicator_id };
    PGresult *result = bm_db_exec (db,
        "SELECT plan_id, code, measure, unit_of_measure, additive, direction, kind, formula,"
        " on_track_tenths, at_risk_tenths, pace FROM indicator WHERE id = $1", 1, params);
    if (!result)
        return -1;
    if (PQntuples (result) != 1) {
        PQclear (result);
        return -1;
    }
    *indicator = (bm_facts_indicator_t) { 0 };
    indicator->id = bm_arena_strdup (arena, indicator_id);
    indicator->plan_id = bm_arena_strdup (arena, PQgetvalue (result, 0, 0));
    indicator->code = bm_arena_strdup (arena, PQgetvalue (result, 0, 1));
    indicator->measure = bm_arena_strdup (arena, PQgetvalue (result, 0, 2));
    indicator->unit_of_measure = bm_arena_strdup (arena, PQgetvalue (result, 0, 3));
    indicator->additive = *PQgetvalue (result, 0, 4) == 't';
    indicator->direction = streq (PQgetvalue (result, 0, 5), "lower")
                         ? BM_LOWER_IS_BETTER: BM_HIGHER_IS_BETTER;
    int rc = bm_kind_parse (PQgetvalue (result, 0, 6), &indicator->kind);
    indicator->formula = bm_arena_strdup (arena, PQgetvalue (result, 0, 7));
    indicator->thresholds.on_track_tenths = atoi (PQgetvalue (result, 0, 8));
    indicator->thresholds.at_risk_tenths = atoi (PQgetvalue (result, 0, 9));
    indicator->has_pace = s_pace (bm_db_value (result, 0, 10), indicator->pace);
    PQclear (result);
    return rc;
}

int
bm_facts_targets (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                  const char *unit_id, bm_facts_targets_t *targets)
{
    *targets = (bm_facts_targets_t) { .working_text = "", .assessment_text = "",
                                      .growth_text = "", .words = "", .annotation = "" };
    const char *params [] = { indicator_id, unit_id };
    PGresult *result = bm_db_exec (db,
        "SELECT role, kind, comparator, no_target, value, text FROM target"
        " WHERE indicator_id = $1 AND unit_id = $2 AND superseded_at IS NULL"
        " ORDER BY role = 'working' DESC, kind", 2, params);
    if (!result)
        return -1;
    for (int row = 0; row < PQntuples (result); row++) {
        const char *role = PQgetvalue (result, row, 0);
        const char *kind = PQgetvalue (result, row, 1);
        const char *written = PQgetvalue (result, row, 5);
        bm_decimal_t value;
        bool numeric = s_decimal (result, row, 4, &value);
        if (*PQgetvalue (result, row, 3) == 't') {
            targets->no_target = true;
            continue;
        }
        if (streq (kind, "growth") && numeric) {
            targets->has_growth = true;
            targets->growth = value;
            targets->growth_text = bm_arena_strdup (arena, PQgetvalue (result, row, 4));
        }
        else
        if (streq (kind, "qualitative"))
            targets->words = bm_arena_strdup (arena, written);
        else
        if (streq (role, "assessment") && numeric) {
            targets->has_assessment = true;
            targets->assessment = value;
            targets->assessment_text = bm_arena_strdup (arena, PQgetvalue (result, row, 4));
        }
        else
        if (numeric && !targets->has_working) {
            targets->has_working = true;
            targets->working = value;
            targets->working_text = bm_arena_strdup (arena, PQgetvalue (result, row, 4));
            bm_comparator_parse (PQgetvalue (result, row, 2), &targets->comparator);
        }
        if (*written && !streq (kind, "qualitative"))
            targets->annotation = *targets->annotation
                ? bm_arena_printf (arena, "%s；%s", targets->annotation, written)
                : bm_arena_strdup (arena, written);
    }
    PQclear (result);
    return 0;
}

int
bm_facts_milestone (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                    const char *unit_id, int month, bm_facts_milestone_t *milestone)
{
    *milestone = (bm_facts_milestone_t) { .value_text = "", .text = "" };
    char month_text [8];
    snprintf (month_text, sizeof month_text, "%d", month);
    const char *params [] = { indicator_id, unit_id, month_text };
    PGresult *result = bm_db_exec (db,
        "SELECT month, value, text FROM milestone"
        " WHERE indicator_id = $1 AND unit_id = $2 AND month <= $3"
        "   AND superseded_at IS NULL ORDER BY month DESC LIMIT 1", 3, params);
    if (!result)
        return -1;
    if (PQntuples (result) == 1) {
        milestone->month = atoi (PQgetvalue (result, 0, 0));
        milestone->text = bm_arena_strdup (arena, PQgetvalue (result, 0, 2));
        milestone->has_value = s_decimal (result, 0, 1, &milestone->value);
        if (milestone->has_value)
            milestone->value_text = bm_arena_strdup (arena, PQgetvalue (result, 0, 1));
    }
    PQclear (result);
    return 0;
}

//  ---------------------------------------------------------------------------
//  Actuals

static int
s_reported_actual (PGconn *db, const bm_facts_indicator_t *indicator, const char *unit_id,
                   bool district, bm_period_t period, bm_facts_actual_t *actual)
{
    char period_date [16];
    snprintf (period_date, sizeof period_date, "%04u-%02u-01",
              (unsigned) period.year % 10000u, (unsigned) period.month % 100u);
    const char *params [] = { indicator->id, period_date, unit_id };
    PGresult *result = bm_db_exec (db, district
        ? "SELECT DISTINCT ON (unit_id) unit_id = $3, value, status, kind FROM figure"
          " WHERE indicator_id = $1 AND period = $2::date"
          " ORDER BY unit_id, kind = 'final' DESC, id DESC"
        : "SELECT DISTINCT ON (unit_id) true, value, status, kind FROM figure"
          " WHERE indicator_id = $1 AND period = $2::date AND unit_id = $3"
          " ORDER BY unit_id, kind = 'final' DESC, id DESC", 3, params);
    if (!result)
        return -1;
    bool own = false, forecast = false, summed = false;
    bm_decimal_t sum = { 0 };
    for (int row = 0; row < PQntuples (result); row++) {
        bm_decimal_t value;
        bool numeric = s_decimal (result, row, 1, &value);
        bool is_forecast = streq (PQgetvalue (result, row, 3), "forecast");
        if (*PQgetvalue (result, row, 0) == 't') {
            own = true;
            actual->has_value = numeric;
            if (numeric)
                actual->value = value;
            actual->is_forecast = is_forecast;
            actual->reported = (bm_reported_t)
                bm_wire_status_parse (bm_db_text (result, row, 2));
        }
        else {
            actual->units_reported++;
            if (numeric) {
                sum = bm_decimal_add (sum, value);
                summed = true;
                forecast |= is_forecast;
            }
        }
    }
    if (!own && district && indicator->additive && summed) {
        actual->has_value = true;
        actual->value = sum;
        actual->is_forecast = forecast;
    }
    PQclear (result);
    return 0;
}

typedef struct {
    PGconn *db;
    const bm_facts_indicator_t *indicator;
    const char *unit_id;
    bool district;
    bm_period_t period;
    bool forecast;              //  some operand is a forecast
    int depth;
    bool failed;
} s_formula_context_t;

static int
s_actual (PGconn *db, const bm_facts_indicator_t *indicator, const char *unit_id,
          bool district, bm_period_t period, bm_facts_actual_t *actual, int depth);

//  Looks up "code" or "code:measure" of the same plan
static bool
s_lookup (void *arg, const char *reference, bm_decimal_t *value)
{
    s_formula_context_t *context = (s_formula_context_t *) arg;
    const char *colon = strchr (reference, ':');
    char *code = colon? strndup (reference, (size_t) (colon - reference)): strdup (reference);
    const char *params [] = { context->indicator->plan_id, code, colon? colon + 1: "" };
    PGresult *result = bm_db_exec (context->db,
        "SELECT id FROM indicator WHERE plan_id = $1 AND code = $2 AND measure = $3",
        3, params);
    free (code);
    if (!result || PQntuples (result) != 1) {
        if (result)
            PQclear (result);
        return false;
    }
    bm_arena_t *arena = bm_arena_new ();
    bm_facts_indicator_t operand;
    bm_facts_actual_t actual = { 0 };
    bool found = bm_facts_indicator (context->db, arena, PQgetvalue (result, 0, 0), &operand) == 0
              && s_actual (context->db, &operand, context->unit_id, context->district,
                           context->period, &actual, context->depth + 1) == 0
              && actual.has_value;
    PQclear (result);
    bm_arena_destroy (&arena);
    if (found) {
        *value = actual.value;
        context->forecast |= actual.is_forecast;
    }
    return found;
}

static int
s_actual (PGconn *db, const bm_facts_indicator_t *indicator, const char *unit_id,
          bool district, bm_period_t period, bm_facts_actual_t *actual, int depth)
{
    if (indicator->kind != BM_KIND_RATIO)
        return s_reported_actual (db, indicator, unit_id, district, period, actual);
    //  The loader refuses cycles; the depth limit is a second guard
    if (depth > 8)
        return -1;
    char error [128];
    bm_formula_t *formula = bm_formula_parse (indicator->formula, error, sizeof error);
    if (!formula) {
        zsys_error ("indicator %s: formula \"%s\": %s", indicator->code, indicator->formula,
                    error);
        return -1;
    }
    s_formula_context_t context = { db, indicator, unit_id, district, period,
                                    false, depth, false };
    actual->has_value = bm_formula_evaluate (formula, s_lookup, &context, &actual->value) == 0;
    actual->is_forecast = context.forecast;
    bm_formula_destroy (&formula);
    return 0;
}

int
bm_facts_actual (PGconn *db, const bm_facts_indicator_t *indicator, const char *unit_id,
                 bool district, bm_period_t period, bm_facts_actual_t *actual)
{
    *actual = (bm_facts_actual_t) { 0 };
    return s_actual (db, indicator, unit_id, district, period, actual, 0);
}

int
bm_facts_baseline (PGconn *db, const bm_facts_indicator_t *indicator, const char *unit_id,
                   bool district, int year, int month, bool *found, bm_decimal_t *value)
{
    *found = false;
    char period [16];
    snprintf (period, sizeof period, "%04u-%02u-01", (unsigned) year % 10000u,
              (unsigned) month % 100u);
    const char *params [] = { indicator->id, period, unit_id };
    PGresult *result = bm_db_exec (db,
        "SELECT (SELECT value FROM baseline WHERE indicator_id = $1 AND period = $2::date"
        "         AND unit_id = $3 AND superseded_at IS NULL),"
        "       (SELECT sum (value) FROM baseline WHERE indicator_id = $1"
        "         AND period = $2::date AND unit_id <> $3 AND superseded_at IS NULL)",
        3, params);
    if (!result)
        return -1;
    *found = s_decimal (result, 0, 0, value);
    if (!*found && district && indicator->additive)
        *found = s_decimal (result, 0, 1, value);
    PQclear (result);
    return 0;
}

int
bm_facts_units_expected (PGconn *db, const char *indicator_id, uint32_t *count)
{
    const char *params [] = { indicator_id };
    PGresult *result = bm_db_exec (db,
        "SELECT count (DISTINCT t.unit_id) FROM target t JOIN unit u ON u.id = t.unit_id"
        " WHERE t.indicator_id = $1 AND t.superseded_at IS NULL AND NOT t.no_target"
        " AND u.kind <> 'district' AND t.role = 'working'", 1, params);
    if (!result)
        return -1;
    *count = (uint32_t) atoi (PQgetvalue (result, 0, 0));
    PQclear (result);
    return 0;
}

char *
bm_facts_decomposition_warning (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                                const char *district_unit_id)
{
    const char *params [] = { indicator_id, district_unit_id };
    PGresult *result = bm_db_exec (db,
        "SELECT d.value, s.total, s.total - d.value FROM"
        " (SELECT value FROM target WHERE indicator_id = $1 AND unit_id = $2"
        "   AND role = 'working' AND kind = 'total' AND superseded_at IS NULL"
        "   AND NOT no_target) d,"
        " (SELECT sum (value) AS total, count (*) AS units FROM target"
        "   WHERE indicator_id = $1 AND unit_id <> $2 AND role = 'working'"
        "   AND kind = 'total' AND superseded_at IS NULL AND NOT no_target) s"
        " WHERE s.units > 0 AND s.total <> d.value", 2, params);
    if (!result)
        return NULL;
    char *warning = NULL;
    if (PQntuples (result) == 1) {
        const char *gap = PQgetvalue (result, 0, 2);
        warning = bm_arena_printf (arena, "各单位目标合计%s，与全区目标%s相差%s%s",
                                   PQgetvalue (result, 0, 1), PQgetvalue (result, 0, 0),
                                   *gap == '-'? "": "+", gap);
    }
    PQclear (result);
    return warning;
}
