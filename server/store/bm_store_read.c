/*  bm_store_read: what the server reads from the record itself. */

#include "bm_store_read.h"
#include "bm_cycle.h"
#include "bm_db.h"
#include "bm_wire.h"

#include <stdlib.h>
#include <string.h>

//  The reads that come often, prepared on each connection
const bm_store_statement_t bm_store_read_statements [] = {
    { "read_figure",
      "SELECT id, content_hash, extract (epoch FROM received_at)::bigint AS received_at"
      " FROM figure WHERE id = $1::bigint", 1 },
    { "read_events",
      "SELECT seq, topic, payload FROM event WHERE seq > $1::bigint"
      " ORDER BY seq LIMIT $2::integer", 2 },
    { NULL, NULL, 0 }
};

int
bm_store_figure (PGconn *db, int64_t row, char *hash, char *received_at,
                 size_t received_size)
{
    char text [24];
    snprintf (text, sizeof text, "%lld", (long long) row);
    const char *params [] = { text };
    PGresult *result = PQexecPrepared (db, "read_figure", 1, params, NULL, NULL, 0);
    if (PQresultStatus (result) != PGRES_TUPLES_OK) {
        zsys_error ("database: cannot read a figure: %s", PQresultErrorMessage (result));
        PQclear (result);
        return -1;
    }
    int found = PQntuples (result) == 1;
    if (found) {
        snprintf (hash, 41, "%s", PQgetvalue (result, 0, PQfnumber (result, "content_hash")));
        char buf [BM_TIME_STR_MAX];
        snprintf (received_at, received_size, "%s", bm_time_format (
            atoll (PQgetvalue (result, 0, PQfnumber (result, "received_at"))), buf));
    }
    PQclear (result);
    return found;
}

int
bm_store_history (PGconn *db, bm_arena_t *arena, const int64_t *ids, size_t count,
                  Battlemap__HistoryReply *reply)
{
    //  The rows as an array literal, {1,2,3}: read through the primary key
    //  (the figure table keeps no index by cell: every figure stored would
    //  write to a random page of it)
    char *list = bm_arena_alloc (arena, 2 + count * 21 + 1);
    size_t length = 0;
    list [length++] = '{';
    for (size_t index = 0; index < count; index++)
        length += (size_t) sprintf (list + length, "%s%lld", index? ",": "",
                                    (long long) ids [index]);
    list [length++] = '}';
    const char *params [] = { list };
    PGresult *result = bm_db_exec (db,
        "SELECT id, submission_id, kind, coalesce (value::text, '') AS value,"
        " coalesce (status, '') AS status, note, sender,"
        " to_char (received_at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM') AS received_at,"
        " coalesce (lag (coalesce (value::text, status))"
        "   OVER (PARTITION BY kind ORDER BY id), '') AS replaces,"
        " late, coalesce (exception_id, 0) AS exception_id"
        " FROM figure WHERE id = ANY ($1::bigint [])"
        " ORDER BY id", 1, params);
    if (!result)
        return -1;
    size_t rows = (size_t) PQntuples (result);
    reply->n_entries = rows;
    reply->entries = (Battlemap__HistoryEntry **)
        bm_arena_array (arena, rows, sizeof (Battlemap__HistoryEntry));
    int c_id = PQfnumber (result, "id"), c_submission = PQfnumber (result, "submission_id");
    int c_kind = PQfnumber (result, "kind"), c_value = PQfnumber (result, "value");
    int c_status = PQfnumber (result, "status"), c_note = PQfnumber (result, "note");
    int c_sender = PQfnumber (result, "sender"), c_at = PQfnumber (result, "received_at");
    int c_replaces = PQfnumber (result, "replaces"), c_late = PQfnumber (result, "late");
    int c_exception = PQfnumber (result, "exception_id");
    for (size_t row = 0; row < rows; row++) {
        Battlemap__HistoryEntry *entry = reply->entries [row];
        battlemap__history_entry__init (entry);
        int r = (int) row;
        entry->figure_id = atoll (PQgetvalue (result, r, c_id));
        entry->submission_id = bm_arena_strdup (arena, PQgetvalue (result, r, c_submission));
        entry->kind = bm_wire_kind_parse (PQgetvalue (result, r, c_kind));
        entry->value = bm_arena_strdup (arena, PQgetvalue (result, r, c_value));
        entry->status = bm_wire_status_parse (PQgetvalue (result, r, c_status));
        entry->note = bm_arena_strdup (arena, PQgetvalue (result, r, c_note));
        entry->sender = bm_arena_strdup (arena, PQgetvalue (result, r, c_sender));
        entry->received_at = bm_arena_strdup (arena, PQgetvalue (result, r, c_at));
        entry->replaces = bm_arena_strdup (arena, PQgetvalue (result, r, c_replaces));
        entry->late = *PQgetvalue (result, r, c_late) == 't';
        entry->exception_id = atoll (PQgetvalue (result, r, c_exception));
    }
    PQclear (result);
    return 0;
}

//  protobuf-c allocations from an arena, freed with it
static void *
s_arena_alloc (void *arena, size_t size)
{
    return bm_arena_alloc ((bm_arena_t *) arena, size);
}

static void
s_arena_free (void *arena, void *pointer)
{
}

Battlemap__WallReply *
bm_store_snapshot (PGconn *db, bm_arena_t *arena, int plan_id, const char *period,
                   char **taken_at)
{
    char plan [24];
    snprintf (plan, sizeof plan, "%d", plan_id);
    const char *params [] = { plan, period };
    PGresult *result = PQexecParams (db,
        "SELECT wall, extract (epoch FROM taken_at)::bigint::text FROM snapshot"
        " WHERE plan_id = $1 AND period = $2::date", 2, NULL, params, NULL, NULL, 1);
    Battlemap__WallReply *wall = NULL;
    if (PQresultStatus (result) != PGRES_TUPLES_OK)
        zsys_error ("database: cannot read a snapshot: %s", PQresultErrorMessage (result));
    else
    if (PQntuples (result) == 1) {
        ProtobufCAllocator allocator = { s_arena_alloc, s_arena_free, arena };
        wall = battlemap__wall_reply__unpack (&allocator, (size_t) PQgetlength (result, 0, 0),
                                              (const uint8_t *) PQgetvalue (result, 0, 0));
        char buf [BM_TIME_STR_MAX];
        *taken_at = bm_arena_strdup (arena, bm_time_format (atoll (PQgetvalue (result, 0, 1)),
                                                            buf));
    }
    PQclear (result);
    return wall;
}

int
bm_store_events (PGconn *db, bm_arena_t *arena, uint64_t since, uint32_t limit,
                 size_t bytes, bm_store_keep_fn *keep, void *arg,
                 Battlemap__CatchupReply *reply, bool *more)
{
    char after [24], count [16];
    snprintf (after, sizeof after, "%llu", (unsigned long long) since);
    snprintf (count, sizeof count, "%u", limit);
    const char *params [] = { after, count };
    //  Binary results: the payloads as they are, seq as a big-endian int8
    PGresult *result = PQexecPrepared (db, "read_events", 2, params, NULL, NULL, 1);
    if (PQresultStatus (result) != PGRES_TUPLES_OK) {
        zsys_error ("database: cannot read the event log: %s", PQresultErrorMessage (result));
        PQclear (result);
        return -1;
    }
    int rows = PQntuples (result);
    int c_seq = PQfnumber (result, "seq"), c_topic = PQfnumber (result, "topic");
    int c_payload = PQfnumber (result, "payload");
    reply->topics = bm_arena_alloc (arena, (size_t) (rows + 1) * sizeof (char *));
    reply->events = bm_arena_alloc (arena, (size_t) (rows + 1) * sizeof (ProtobufCBinaryData));
    size_t taken = 0;
    *more = rows == (int) limit;
    for (int row = 0; row < rows; row++) {
        const unsigned char *raw = (const unsigned char *) PQgetvalue (result, row, c_seq);
        uint64_t seq = 0;
        for (int byte = 0; byte < 8; byte++)
            seq = (seq << 8) | raw [byte];
        reply->through = seq;
        size_t length = (size_t) PQgetlength (result, row, c_topic);
        char *topic = bm_arena_alloc (arena, length + 1);
        memcpy (topic, PQgetvalue (result, row, c_topic), length);
        if (!keep (arg, topic))
            continue;
        size_t size = (size_t) PQgetlength (result, row, c_payload);
        uint8_t *payload = bm_arena_alloc (arena, size);
        memcpy (payload, PQgetvalue (result, row, c_payload), size);
        reply->topics [reply->n_topics++] = topic;
        reply->events [reply->n_events].data = payload;
        reply->events [reply->n_events++].len = size;
        taken += size + strlen (topic);
        //  A page stays well within a message's size
        if (taken >= bytes && row + 1 < rows) {
            *more = true;
            break;
        }
    }
    PQclear (result);
    return 0;
}

int
bm_store_alerts (PGconn *db, bm_arena_t *arena, int64_t id,
                 const Battlemap__AlertRequest *filter, Battlemap__AlertReply *reply)
{
    char id_text [24];
    snprintf (id_text, sizeof id_text, "%lld", (long long) id);
    const char *params [] = { id_text, filter->district, filter->unit, filter->indicator,
                              filter->resolved? "true": "false", filter->period,
                              filter->severity, filter->rule };
    PGresult *result = bm_db_exec (db,
        "SELECT id, rule, district, unit, indicator, measure, period, kind, severity, state,"
        " value, message, extract (epoch FROM fired_at)::bigint AS fired_at,"
        " extract (epoch FROM updated_at)::bigint AS updated_at,"
        " coalesce (extract (epoch FROM resolved_at)::bigint, 0) AS resolved_at, acked_by,"
        " ack_reason, coalesce (extract (epoch FROM silenced_until)::bigint, 0)"
        "  AS silenced_until, silence_reason, resolution FROM alert"
        " WHERE ($1 <> '0' AND id = $1::bigint) OR ($1 = '0' AND district = $2"
        " AND ($3 = '' OR unit = $3) AND ($4 = '' OR indicator = $4)"
        " AND ($5::boolean OR state = 'firing') AND ($6 = '' OR period = $6)"
        " AND ($7 = '' OR severity = $7) AND ($8 = '' OR rule = $8))"
        " ORDER BY fired_at, id", 8, params);
    if (!result)
        return -1;
    size_t count = (size_t) PQntuples (result);
    reply->n_alerts = count;
    reply->alerts = (Battlemap__Alert **) bm_arena_array (arena, count, sizeof (Battlemap__Alert));
    const char *texts [] = { "rule", "district", "unit", "indicator", "measure", "period",
                             "kind", "severity", "state", "value", "message", "acked_by",
                             "ack_reason", "silence_reason", "resolution" };
    const char *times [] = { "fired_at", "updated_at", "resolved_at", "silenced_until" };
    for (size_t row = 0; row < count; row++) {
        Battlemap__Alert *alert = reply->alerts [row];
        battlemap__alert__init (alert);
        int r = (int) row;
        alert->id = atoll (PQgetvalue (result, r, PQfnumber (result, "id")));
        char **text_fields [] = { &alert->rule, &alert->district, &alert->unit,
                                  &alert->indicator, &alert->measure, &alert->period,
                                  &alert->kind, &alert->severity, &alert->state, &alert->value,
                                  &alert->message, &alert->acked_by, &alert->ack_reason,
                                  &alert->silence_reason, &alert->resolution };
        for (size_t field = 0; field < sizeof texts / sizeof texts [0]; field++)
            *text_fields [field] = bm_arena_strdup (arena,
                PQgetvalue (result, r, PQfnumber (result, texts [field])));
        char **time_fields [] = { &alert->fired_at, &alert->updated_at, &alert->resolved_at,
                                  &alert->silenced_until };
        for (size_t field = 0; field < sizeof times / sizeof times [0]; field++) {
            int64_t when = atoll (PQgetvalue (result, r, PQfnumber (result, times [field])));
            char buf [BM_TIME_STR_MAX];
            *time_fields [field] = bm_arena_strdup (arena, when? bm_time_format (when, buf): "");
        }
    }
    PQclear (result);
    return 0;
}
