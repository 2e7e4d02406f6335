/*  bm_store_load: the queries the engine's image is built from. */

#include "bm_store_load.h"
#include "bm_db.h"

#include <czmq.h>
#include <stdlib.h>

#define S_CHUNK         "20000"     //  figures fetched at a time
#define S_CACHED        32          //  column names remembered

//  Structure of our class

struct _bm_rows_t {
    PGresult *result;
    const char *names [S_CACHED];   //  by address
    int columns [S_CACHED];
    int cached;
};

static const char *s_queries [BM_LOADS] = {
    [BM_LOAD_DISTRICTS] = "SELECT id, code, name FROM district ORDER BY id",
    [BM_LOAD_UNITS] = "SELECT id, district_id, name, kind, parent_id FROM unit ORDER BY id",
    [BM_LOAD_PLANS] =
        "SELECT id, district_id, code, year, title, forecast_day, final_day, deadline_rule,"
        " reminder_days, bottom_warned FROM plan ORDER BY id",
    [BM_LOAD_INDICATORS] =
        "SELECT id, plan_id, code, measure, name, unit_of_measure, additive, direction, kind,"
        " formula, on_track_tenths, at_risk_tenths, array_to_string (pace, '|') AS pace,"
        " position, through_month, decimals, plausible_factor::text AS plausible_factor,"
        " may_decrease, may_be_negative FROM indicator ORDER BY plan_id, position, id",
    [BM_LOAD_OPERANDS] = "SELECT indicator_id, operand_id FROM indicator_operand",
    //  Working before assessment, then by kind: the order the wall's
    //  annotations are written in
    [BM_LOAD_TARGETS] =
        "SELECT indicator_id, unit_id, role, kind, comparator, no_target, value::text AS value,"
        " text, note FROM target WHERE superseded_at IS NULL"
        " ORDER BY indicator_id, unit_id, role = 'working' DESC, kind",
    [BM_LOAD_MILESTONES] =
        "SELECT indicator_id, unit_id, month, value::text AS value, text FROM milestone"
        " WHERE superseded_at IS NULL",
    [BM_LOAD_BASELINES] =
        "SELECT indicator_id, unit_id, extract (month FROM period)::integer AS month,"
        " value::text AS value FROM baseline WHERE superseded_at IS NULL",
    [BM_LOAD_TASKS] =
        "SELECT plan_id, level, seq, title, leaders, sections, indicator_code, measures,"
        " overall, beside, note FROM task ORDER BY plan_id, level = '区级' DESC, seq",
    [BM_LOAD_RANKINGS] =
        "SELECT r.plan_id, r.name, r.bottom, ri.indicator_id, ri.weight::text AS weight"
        " FROM ranking r JOIN ranking_indicator ri ON ri.ranking_id = r.id"
        " ORDER BY r.plan_id, r.name, ri.indicator_id",
    [BM_LOAD_HOLIDAYS] =
        "SELECT plan_id, to_char (day, 'YYYY-MM-DD') AS day, working FROM holiday",
    [BM_LOAD_DEADLINES] =
        "SELECT plan_id, extract (month FROM period)::integer AS month, kind"
        " FROM deadline_passed",
    [BM_LOAD_EXCEPTIONS] =
        "SELECT e.id, e.unit_id, d.code AS district, u.name AS unit,"
        " to_char (e.period, 'YYYY-MM') AS period, e.kind,"
        " array_to_string (e.indicators, E'\\x1f') AS indicators,"
        " extract (epoch FROM e.until)::bigint AS until, e.status, e.reason, e.requested_by,"
        " extract (epoch FROM e.requested_at)::bigint AS requested_at, e.decided_by,"
        " extract (epoch FROM e.decided_at)::bigint AS decided_at, e.decision_reason"
        " FROM window_exception e JOIN unit u ON u.id = e.unit_id"
        " JOIN district d ON d.id = u.district_id ORDER BY e.id",
    [BM_LOAD_ALERTS] =
        "SELECT id, labels, severity, value, message,"
        " extract (epoch FROM fired_at)::bigint AS fired_at,"
        " extract (epoch FROM updated_at)::bigint AS updated_at,"
        " extract (epoch FROM acked_at)::bigint AS acked_at, acked_by, ack_reason,"
        " extract (epoch FROM silenced_until)::bigint AS silenced_until, silenced_by,"
        " silence_reason FROM alert WHERE state = 'firing' ORDER BY id",
    [BM_LOAD_FIGURES] =
        "SELECT id, submission_id, indicator_id, unit_id,"
        " extract (year FROM period)::integer AS year,"
        " extract (month FROM period)::integer AS month, kind = 'final' AS final,"
        " value::text AS value, status, extract (epoch FROM received_at)::bigint AS received_at,"
        " note, CASE WHEN note = '' THEN '' ELSE sender END AS sender"
        " FROM figure ORDER BY id",
    [BM_LOAD_FAMILIES] = "SELECT prefix, seq FROM event_family",
    [BM_LOAD_TAIL] =
        "SELECT seq, topic FROM event WHERE seq > (SELECT coalesce (max (seq), 0)"
        " FROM event_family WHERE prefix = '') ORDER BY seq",
    [BM_LOAD_COUNTERS] =
        "SELECT (SELECT coalesce (max (id), 0) FROM figure) AS figure,"
        " (SELECT coalesce (max (id), 0) FROM alert) AS alert,"
        " (SELECT coalesce (max (id), 0) FROM window_exception) AS exception,"
        " (SELECT coalesce (max (seq), 0) FROM event) AS event"
};

static int
s_each (PGresult *result, bm_load_fn *fn, void *arg)
{
    bm_rows_t rows = { .result = result };
    for (int row = 0; row < PQntuples (result); row++)
        if (fn (arg, &rows, row))
            return -1;
    return 0;
}

int
bm_store_load (PGconn *db, bm_load_t what, bm_load_fn *fn, void *arg)
{
    assert (what < BM_LOADS);
    if (what != BM_LOAD_FIGURES && what != BM_LOAD_TAIL) {
        PGresult *result = bm_db_exec (db, s_queries [what], 0, NULL);
        if (!result)
            return -1;
        int rc = s_each (result, fn, arg);
        PQclear (result);
        return rc;
    }
    //  The figures (and the log's tail) through a cursor, a chunk at a time
    if (bm_db_begin (db))
        return -1;
    char *declare = zsys_sprintf ("DECLARE rows NO SCROLL CURSOR FOR %s", s_queries [what]);
    int rc = bm_db_command (db, declare, 0, NULL);
    free (declare);
    while (rc == 0) {
        PGresult *result = bm_db_exec (db, "FETCH " S_CHUNK " FROM rows", 0, NULL);
        if (!result) {
            rc = -1;
            break;
        }
        int count = PQntuples (result);
        rc = s_each (result, fn, arg);
        PQclear (result);
        if (count == 0)
            break;
    }
    if (rc == 0)
        rc = bm_db_commit (db);
    if (rc)
        bm_db_rollback (db);
    return rc;
}

int
bm_rows_column (bm_rows_t *rows, const char *name)
{
    for (int index = 0; index < rows->cached; index++)
        if (rows->names [index] == name)
            return rows->columns [index];
    int column = PQfnumber (rows->result, name);
    assert (column >= 0);
    if (rows->cached < S_CACHED) {
        rows->names [rows->cached] = name;
        rows->columns [rows->cached++] = column;
    }
    return column;
}

const char *
bm_rows_text (bm_rows_t *rows, int row, int column)
{
    return PQgetvalue (rows->result, row, column);
}

bool
bm_rows_null (bm_rows_t *rows, int row, int column)
{
    return PQgetisnull (rows->result, row, column);
}

int64_t
bm_rows_int (bm_rows_t *rows, int row, int column)
{
    return strtoll (PQgetvalue (rows->result, row, column), NULL, 10);
}

bool
bm_rows_bool (bm_rows_t *rows, int row, int column)
{
    return *PQgetvalue (rows->result, row, column) == 't';
}
