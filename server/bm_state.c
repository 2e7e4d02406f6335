/*  bm_state: where one indicator measure stands for one unit in one month. */

#include "bm_state.h"
#include "bm_completion.h"
#include "bm_db.h"
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

static char *
s_format (bm_arena_t *arena, bm_decimal_t value)
{
    char buf [BM_DECIMAL_STR_MAX];
    return bm_arena_strdup (arena, bm_decimal_format (value, buf));
}

static char *
s_percent (bm_arena_t *arena, bool present, int64_t tenths)
{
    char buf [BM_DECIMAL_STR_MAX];
    return bm_arena_strdup (arena, present? bm_percent_format (tenths, buf): "");
}

//  The annual target and its text: the current working target (else the
//  assessment target) of kind total or level gives the number; growth and
//  qualitative targets, and annotations, give the text.
static int
s_target (PGconn *db, bm_arena_t *arena, const char *indicator_id, const char *unit_id,
          bool *has_target, bm_decimal_t *target, Battlemap__WallMeasure *measure)
{
    const char *params [] = { indicator_id, unit_id };
    PGresult *result = bm_db_exec (db,
        "SELECT role, kind, comparator, no_target, value, text FROM target"
        " WHERE indicator_id = $1 AND unit_id = $2 AND superseded_at IS NULL"
        " ORDER BY role = 'working' DESC, kind", 2, params);
    if (!result)
        return -1;
    char *text = strdup ("");
    for (int row = 0; row < PQntuples (result); row++) {
        const char *role = PQgetvalue (result, row, 0);
        const char *kind = PQgetvalue (result, row, 1);
        const char *written = PQgetvalue (result, row, 5);
        bool no_target = *PQgetvalue (result, row, 3) == 't';
        char *part = NULL;
        bm_decimal_t value;
        bool numeric = !no_target && s_decimal (result, row, 4, &value);
        if (no_target)
            part = strdup ("—");
        else
        if ((streq (kind, "total") || streq (kind, "level")) && numeric && !*has_target
        &&  streq (role, "working")) {
            *has_target = true;
            *target = value;
            //  As written in the plan (1855.0), not reformatted
            measure->annual_target = bm_arena_strdup (arena, PQgetvalue (result, row, 4));
            if (*written)
                part = strdup (written);
        }
        else
        if (streq (kind, "growth") && numeric) {
            char buf [BM_DECIMAL_STR_MAX];
            part = zsys_sprintf ("增长%s%%", bm_decimal_format (value, buf));
        }
        else
        if (streq (role, "assessment") && numeric) {
            char buf [BM_DECIMAL_STR_MAX];
            part = zsys_sprintf ("考核目标%s", bm_decimal_format (value, buf));
        }
        else
        if (*written)
            part = strdup (written);
        if (part) {
            char *joined = zsys_sprintf ("%s%s%s", text, *text? "；": "", part);
            free (text);
            free (part);
            text = joined;
        }
    }
    PQclear (result);
    measure->target_text = bm_arena_strdup (arena, text);
    free (text);
    return 0;
}

//  The latest milestone at or before the month
static int
s_milestone (PGconn *db, bm_arena_t *arena, const char *indicator_id, const char *unit_id,
             int month, bool *has_milestone, bm_decimal_t *milestone,
             Battlemap__WallMeasure *measure)
{
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
        measure->milestone_month = (uint32_t) atoi (PQgetvalue (result, 0, 0));
        measure->milestone_text = bm_arena_strdup (arena, PQgetvalue (result, 0, 2));
        if (s_decimal (result, 0, 1, milestone)) {
            *has_milestone = true;
            measure->milestone = bm_arena_strdup (arena, PQgetvalue (result, 0, 1));
        }
    }
    PQclear (result);
    return 0;
}

//  The actual: the unit's own figure, or for the district its own figure
//  or the sum of its units' figures (additive indicators only)
static int
s_actual (PGconn *db, const char *indicator_id, const char *unit_id, bool district,
          bool additive, const char *period, bool *has_actual, bm_decimal_t *actual,
          Battlemap__WallMeasure *measure)
{
    const char *params [] = { indicator_id, period, unit_id };
    PGresult *result = bm_db_exec (db, district
        ? "SELECT DISTINCT ON (unit_id) unit_id = $3, value, status, kind FROM figure"
          " WHERE indicator_id = $1 AND period = $2::date"
          " ORDER BY unit_id, kind = 'final' DESC, id DESC"
        : "SELECT DISTINCT ON (unit_id) true, value, status, kind FROM figure"
          " WHERE indicator_id = $1 AND period = $2::date AND unit_id = $3"
          " ORDER BY unit_id, kind = 'final' DESC, id DESC", 3, params);
    if (!result)
        return -1;
    bool own = false, forecast = false;
    bm_decimal_t sum = { 0 };
    bool summed = false;
    for (int row = 0; row < PQntuples (result); row++) {
        bm_decimal_t value;
        bool numeric = s_decimal (result, row, 1, &value);
        bool is_forecast = streq (PQgetvalue (result, row, 3), "forecast");
        if (*PQgetvalue (result, row, 0) == 't') {
            own = true;
            *has_actual = numeric;
            if (numeric)
                *actual = value;
            measure->actual_is_forecast = is_forecast;
            measure->text_status = bm_wire_status_parse (bm_db_text (result, row, 2));
        }
        else {
            measure->units_reported++;
            if (numeric) {
                sum = bm_decimal_add (sum, value);
                summed = true;
                forecast |= is_forecast;
            }
        }
    }
    if (!own && district && additive && summed) {
        *has_actual = true;
        *actual = sum;
        measure->actual_is_forecast = forecast;
    }
    PQclear (result);
    return 0;
}

int
bm_state_measure (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                  const char *unit_id, bool district, bm_period_t period,
                  Battlemap__WallMeasure *measure)
{
    const char *params [] = { indicator_id };
    PGresult *result = bm_db_exec (db,
        "SELECT measure, unit_of_measure, additive, direction,"
        " (SELECT count (DISTINCT t.unit_id) FROM target t JOIN unit u ON u.id = t.unit_id"
        "   WHERE t.indicator_id = i.id AND t.superseded_at IS NULL AND NOT t.no_target"
        "   AND u.kind <> 'district' AND t.role = 'working')"
        " FROM indicator i WHERE id = $1", 1, params);
    if (!result)
        return -1;
    if (PQntuples (result) != 1) {
        PQclear (result);
        return -1;
    }
    measure->measure = bm_arena_strdup (arena, PQgetvalue (result, 0, 0));
    measure->unit_of_measure = bm_arena_strdup (arena, PQgetvalue (result, 0, 1));
    bool additive = *PQgetvalue (result, 0, 2) == 't';
    bm_completion_input_t input = { 0 };
    input.direction = streq (PQgetvalue (result, 0, 3), "lower")
                    ? BM_LOWER_IS_BETTER: BM_HIGHER_IS_BETTER;
    if (district)
        measure->units_expected = (uint32_t) atoi (PQgetvalue (result, 0, 4));
    PQclear (result);

    char period_date [16];
    snprintf (period_date, sizeof period_date, "%04d-%02d-01", period.year, period.month);
    input.month = period.month;
    if (s_target (db, arena, indicator_id, unit_id, &input.has_target, &input.target, measure)
    ||  s_milestone (db, arena, indicator_id, unit_id, period.month,
                     &input.has_milestone, &input.milestone, measure)
    ||  s_actual (db, indicator_id, unit_id, district, additive, period_date,
                  &input.has_actual, &input.actual, measure))
        return -1;
    if (input.has_actual)
        measure->actual = s_format (arena, input.actual);

    bm_completion_t completion;
    bm_completion_compute (&input, &completion);
    measure->vs_milestone = s_percent (arena, completion.has_vs_expected, completion.vs_expected);
    measure->vs_annual = s_percent (arena, completion.has_vs_annual, completion.vs_annual);
    bm_status_t status = completion.status;

    //  A month whose milestone is text only is judged by the reported status
    bool text_only = measure->milestone_month && !input.has_milestone;
    if (text_only && !input.has_actual) {
        switch (measure->text_status) {
            case BATTLEMAP__MILESTONE_STATUS__DONE:
                status = BM_STATUS_ON_TRACK;
                break;
            case BATTLEMAP__MILESTONE_STATUS__IN_PROGRESS:
                status = BM_STATUS_AT_RISK;
                break;
            case BATTLEMAP__MILESTONE_STATUS__NOT_STARTED:
                status = BM_STATUS_LAGGING;
                break;
            default:
                status = BM_STATUS_NOT_REPORTED;
        }
    }
    measure->status = bm_arena_strdup (arena, bm_status_name (status));
    return 0;
}

int
bm_state_update (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                 const char *unit_id, bool district, bm_period_t period,
                 Battlemap__CompletionEvent *event)
{
    Battlemap__WallMeasure *measure = bm_arena_alloc (arena, sizeof *measure);
    battlemap__wall_measure__init (measure);
    if (bm_state_measure (db, arena, indicator_id, unit_id, district, period, measure))
        return -1;
    char period_date [16];
    snprintf (period_date, sizeof period_date, "%04d-%02d-01", period.year, period.month);
    const char *params [] = {
        indicator_id, unit_id, period_date,
        *measure->actual? measure->actual: NULL,
        measure->actual_is_forecast? "true": "false",
        *measure->milestone? measure->milestone: NULL,
        *measure->vs_milestone? measure->vs_milestone: NULL,
        *measure->vs_annual? measure->vs_annual: NULL,
        measure->status
    };
    if (bm_db_command (db,
            "INSERT INTO completion (indicator_id, unit_id, period, actual, actual_is_forecast,"
            " expected, vs_expected, vs_annual, status)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            " ON CONFLICT (indicator_id, unit_id, period) DO UPDATE SET"
            " actual = EXCLUDED.actual, actual_is_forecast = EXCLUDED.actual_is_forecast,"
            " expected = EXCLUDED.expected, vs_expected = EXCLUDED.vs_expected,"
            " vs_annual = EXCLUDED.vs_annual, status = EXCLUDED.status, updated_at = now ()",
            9, params))
        return -1;
    event->measure = measure->measure;
    event->actual = measure->actual;
    event->actual_is_forecast = measure->actual_is_forecast;
    event->annual_target = measure->annual_target;
    event->milestone = measure->milestone;
    event->vs_milestone = measure->vs_milestone;
    event->vs_annual = measure->vs_annual;
    event->status = measure->status;
    return 0;
}
