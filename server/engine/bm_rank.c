/*  bm_rank: rankings of units, per indicator and weighted over a set. */

#include "bm_rank.h"
#include "bm_scope.h"
#include "bm_db.h"
#include "bm_plan.h"
#include "bm_state.h"
#include "bm_wire.h"

#include <stdlib.h>
#include <string.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

static bool
s_rate (const char *text, int64_t *tenths)
{
    bm_decimal_t value;
    if (!*text || bm_decimal_parse (text, &value, NULL))
        return false;
    *tenths = value.micros / (BM_DECIMAL_SCALE / 10);
    return true;
}

int
bm_rank_indicator (PGconn *db, bm_arena_t *arena, const char *indicator_id,
                   bm_period_t period, size_t bottom, bm_rank_t *rank)
{
    const char *params [] = { indicator_id };
    PGresult *units = bm_db_exec (db,
        "SELECT DISTINCT u.id, u.name FROM target t JOIN unit u ON u.id = t.unit_id"
        " WHERE t.indicator_id = $1 AND t.superseded_at IS NULL AND NOT t.no_target"
        " AND t.role = 'working' AND u.kind <> 'district' ORDER BY u.name", 1, params);
    if (!units)
        return -1;
    size_t count = (size_t) PQntuples (units);
    size_t slots = count? count: 1;
    rank->count = count;
    rank->entries = bm_arena_alloc (arena, slots * sizeof (bm_rank_entry_t));
    rank->measures = bm_arena_alloc (arena, slots * sizeof (Battlemap__WallMeasure *));
    Battlemap__WallMeasure **states = bm_arena_alloc (arena, slots * sizeof (void *));
    int rc = 0;
    for (size_t index = 0; rc == 0 && index < count; index++) {
        Battlemap__WallMeasure *state = bm_arena_alloc (arena, sizeof *state);
        battlemap__wall_measure__init (state);
        rc = bm_state_measure (db, arena, indicator_id, PQgetvalue (units, (int) index, 0),
                               false, period, state);
        bm_rank_entry_t *entry = rank->entries + index;
        //  The entry's unit string is the key that finds its state after sorting
        entry->unit = bm_arena_strdup (arena, PQgetvalue (units, (int) index, 1));
        entry->has_rate = s_rate (state->vs_milestone, &entry->rate_tenths);
        states [index] = state;
    }
    const char **names = bm_arena_alloc (arena, slots * sizeof (char *));
    for (size_t index = 0; index < count; index++)
        names [index] = rank->entries [index].unit;
    PQclear (units);
    if (rc)
        return -1;
    bm_ranking_rank (rank->entries, count, bottom);
    for (size_t index = 0; index < count; index++)
        for (size_t original = 0; original < count; original++)
            if (names [original] == rank->entries [index].unit)
                rank->measures [index] = states [original];
    return 0;
}

//  ---------------------------------------------------------------------------
//  The request

static void
s_reply_rows (bm_request_t *request, Battlemap__RankingReply *reply,
              const bm_rank_entry_t *entries, Battlemap__WallMeasure **states, size_t count)
{
    reply->n_rows = count;
    reply->rows = (Battlemap__RankingRow **)
        bm_arena_array (request->arena, count, sizeof (Battlemap__RankingRow));
    for (size_t index = 0; index < count; index++) {
        Battlemap__RankingRow *row = reply->rows [index];
        battlemap__ranking_row__init (row);
        const bm_rank_entry_t *entry = entries + index;
        row->rank = (uint32_t) entry->rank;
        row->unit = (char *) entry->unit;
        row->warned = entry->warned;
        char buf [BM_DECIMAL_STR_MAX];
        row->rate = bm_arena_strdup (request->arena,
                                     entry->has_rate? bm_percent_format (entry->rate_tenths, buf): "");
        if (states) {
            row->status = states [index]->status;
            row->actual = states [index]->actual;
        }
        else
            row->status = entry->has_rate? "scored": "not_reported";
    }
}

//  Ranks units on one indicator measure
static int
s_by_indicator (bm_request_t *request, const Battlemap__RankingRequest *ranking,
                const bm_scope_t *scope, Battlemap__RankingReply *reply)
{
    const char *params [] = { scope->plan_id, ranking->indicator, ranking->measure };
    PGresult *result = bm_db_exec (request->db,
        "SELECT id, name, kind FROM indicator WHERE plan_id = $1 AND code = $2 AND measure = $3",
        3, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    if (PQntuples (result) != 1) {
        PQclear (result);
        return bm_request_error (request, E (UNKNOWN_INDICATOR), 0,
                                 "indicator \"%s\"%s%s is not in the plan", ranking->indicator,
                                 *ranking->measure? " measure ": "", ranking->measure);
    }
    char *indicator_id = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 0));
    reply->title = bm_arena_printf (request->arena, "%s%s%s", PQgetvalue (result, 0, 1),
                                    *ranking->measure? " ": "", ranking->measure);
    PQclear (result);
    bm_rank_t rank;
    if (bm_rank_indicator (request->db, request->arena, indicator_id, scope->period,
                           reply->bottom, &rank))
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    s_reply_rows (request, reply, rank.entries, rank.measures, rank.count);
    return 0;
}

//  Ranks units on a weighted ranking of the plan
static int
s_weighted (bm_request_t *request, const Battlemap__RankingRequest *ranking,
            const bm_scope_t *scope, Battlemap__RankingReply *reply)
{
    const char *params [] = { scope->plan_id, ranking->ranking };
    PGresult *members = bm_db_exec (request->db,
        "SELECT ri.indicator_id, ri.weight, r.bottom FROM ranking r"
        " JOIN ranking_indicator ri ON ri.ranking_id = r.id"
        " WHERE r.plan_id = $1 AND r.name = $2 ORDER BY ri.indicator_id", 2, params);
    if (!members)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    size_t indicators = (size_t) PQntuples (members);
    if (indicators == 0) {
        PQclear (members);
        return bm_request_error (request, E (UNKNOWN_INDICATOR), 0,
                                 "the plan has no ranking \"%s\" (rankings.csv)",
                                 ranking->ranking);
    }
    if (!reply->bottom)
        reply->bottom = (uint32_t) atoi (PQgetvalue (members, 0, 2));
    reply->title = (char *) ranking->ranking;
    //  Every unit ranked on any member indicator takes part
    zlistx_t *units = zlistx_new ();
    zlistx_set_comparator (units, (zlistx_comparator_fn *) strcmp);
    bm_rank_t *ranks = bm_arena_alloc (request->arena, indicators * sizeof (bm_rank_t));
    bm_decimal_t *weights = bm_arena_alloc (request->arena, indicators * sizeof (bm_decimal_t));
    int rc = 0;
    for (size_t member = 0; rc == 0 && member < indicators; member++) {
        bm_decimal_parse (PQgetvalue (members, (int) member, 1), weights + member, NULL);
        rc = bm_rank_indicator (request->db, request->arena,
                                PQgetvalue (members, (int) member, 0), scope->period, 0,
                                ranks + member);
        for (size_t index = 0; rc == 0 && index < ranks [member].count; index++)
            if (!zlistx_find (units, (void *) ranks [member].entries [index].unit))
                zlistx_add_end (units, (void *) ranks [member].entries [index].unit);
    }
    PQclear (members);
    if (rc) {
        zlistx_destroy (&units);
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    }
    size_t count = zlistx_size (units);
    size_t slots = count? count: 1;
    bool *has_rate = bm_arena_alloc (request->arena, slots * indicators * sizeof (bool));
    int64_t *rates = bm_arena_alloc (request->arena, slots * indicators * sizeof (int64_t));
    bool *has_score = bm_arena_alloc (request->arena, slots * sizeof (bool));
    int64_t *scores = bm_arena_alloc (request->arena, slots * sizeof (int64_t));
    bm_rank_entry_t *entries = bm_arena_alloc (request->arena, slots * sizeof (bm_rank_entry_t));
    size_t unit_index = 0;
    for (const char *unit = zlistx_first (units); unit; unit = zlistx_next (units), unit_index++) {
        entries [unit_index].unit = unit;
        for (size_t member = 0; member < indicators; member++)
            for (size_t index = 0; index < ranks [member].count; index++)
                if (streq (ranks [member].entries [index].unit, unit)) {
                    has_rate [unit_index * indicators + member] =
                        ranks [member].entries [index].has_rate;
                    rates [unit_index * indicators + member] =
                        ranks [member].entries [index].rate_tenths;
                }
    }
    zlistx_destroy (&units);
    bm_ranking_overall (count, indicators, weights, has_rate, rates, 0, has_score, scores);
    for (size_t index = 0; index < count; index++) {
        entries [index].has_rate = has_score [index];
        entries [index].rate_tenths = scores [index];
    }
    bm_ranking_rank (entries, count, reply->bottom);
    s_reply_rows (request, reply, entries, NULL, count);
    return 0;
}

int
bm_rank_handle (bm_request_t *request, const Battlemap__RankingRequest *ranking)
{
    bm_scope_t scope;
    if (bm_scope_resolve (request, ranking->district, ranking->period, "", &scope))
        return -1;
    if (!*ranking->indicator == !*ranking->ranking)
        return bm_request_error (request, E (MALFORMED), 0,
                                 "name either an indicator or a ranking of the plan");
    Battlemap__RankingReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__ranking_reply__init (reply);
    reply->district = ranking->district;
    reply->period = ranking->period;
    reply->bottom = ranking->bottom? ranking->bottom: 0;
    int rc = *ranking->indicator? s_by_indicator (request, ranking, &scope, reply)
                                : s_weighted (request, ranking, &scope, reply);
    if (rc)
        return rc;
    if (!reply->bottom)
        reply->bottom = 5;
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_RANKING_REPLY;
    request->reply->ranking_reply = reply;
    return 0;
}
