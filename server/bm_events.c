/*  bm_events: the durable event log, read back. */

#include "bm_events.h"
#include "bm_db.h"
#include "bm_identity.h"
#include "bm_wire.h"

#include <stdlib.h>
#include <string.h>

uint64_t
bm_events_latest (PGconn *db)
{
    PGresult *result = bm_db_exec (db, "SELECT coalesce (max (seq), 0) FROM event", 0, NULL);
    if (!result)
        return 0;
    uint64_t latest = strtoull (PQgetvalue (result, 0, 0), NULL, 10);
    PQclear (result);
    return latest;
}

static bool
s_wanted (const Battlemap__CatchupRequest *catchup, const char *topic)
{
    if (catchup->n_prefixes == 0)
        return true;
    for (size_t index = 0; index < catchup->n_prefixes; index++)
        if (strncmp (topic, catchup->prefixes [index], strlen (catchup->prefixes [index])) == 0)
            return true;
    return false;
}

int
bm_events_catchup (bm_request_t *request, const Battlemap__CatchupRequest *catchup)
{
    Battlemap__CatchupReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__catchup_reply__init (reply);
    reply->latest = bm_events_latest (request->db);
    reply->through = catchup->since;
    if (!catchup->latest_only) {
        uint32_t limit = catchup->limit && catchup->limit < BM_EVENTS_CATCHUP_LIMIT
                       ? catchup->limit: BM_EVENTS_CATCHUP_LIMIT;
        char since [24], count [16];
        snprintf (since, sizeof since, "%llu", (unsigned long long) catchup->since);
        snprintf (count, sizeof count, "%u", limit);
        const char *params [] = { since, count };
        PGresult *result = PQexecParams (request->db,
            "SELECT seq, topic, payload FROM event WHERE seq > $1::bigint"
            " ORDER BY seq LIMIT $2::integer", 2, NULL, params, NULL, NULL, 1);
        if (PQresultStatus (result) != PGRES_TUPLES_OK) {
            PQclear (result);
            return bm_request_error (request, BATTLEMAP__ERROR_CODE__INTERNAL, 0,
                                     "database error; retry later");
        }
        int rows = PQntuples (result);
        reply->topics = bm_arena_alloc (request->arena, (size_t) (rows + 1) * sizeof (char *));
        reply->events = bm_arena_alloc (request->arena,
                                        (size_t) (rows + 1) * sizeof (ProtobufCBinaryData));
        for (int row = 0; row < rows; row++) {
            //  Binary results: seq is a big-endian int8
            const unsigned char *raw = (const unsigned char *) PQgetvalue (result, row, 0);
            uint64_t seq = 0;
            for (int byte = 0; byte < 8; byte++)
                seq = (seq << 8) | raw [byte];
            reply->through = seq;
            char *topic = bm_arena_alloc (request->arena, (size_t) PQgetlength (result, row, 1) + 1);
            memcpy (topic, PQgetvalue (result, row, 1), (size_t) PQgetlength (result, row, 1));
            if (!s_wanted (catchup, topic)
            ||  !bm_identity_may_subscribe (request->identity, topic))
                continue;
            size_t size = (size_t) PQgetlength (result, row, 2);
            uint8_t *payload = bm_arena_alloc (request->arena, size);
            memcpy (payload, PQgetvalue (result, row, 2), size);
            reply->topics [reply->n_topics++] = topic;
            reply->events [reply->n_events].data = payload;
            reply->events [reply->n_events++].len = size;
        }
        reply->more = rows == (int) limit;
        if (!reply->more && reply->through < reply->latest)
            reply->through = reply->latest;
        PQclear (result);
    }
    else
        reply->through = reply->latest;
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_CATCHUP_REPLY;
    request->reply->catchup_reply = reply;
    return 0;
}

zmsg_t *
bm_events_heartbeat (uint64_t latest, const char *at)
{
    Battlemap__Heartbeat heartbeat = BATTLEMAP__HEARTBEAT__INIT;
    heartbeat.latest = latest;
    Battlemap__Event event = BATTLEMAP__EVENT__INIT;
    event.at = (char *) at;
    event.kind = "heartbeat";
    event.payload_case = BATTLEMAP__EVENT__PAYLOAD_HEARTBEAT;
    event.heartbeat = &heartbeat;
    Battlemap__Envelope envelope = BATTLEMAP__ENVELOPE__INIT;
    envelope.version = BM_PROTOCOL_VERSION;
    envelope.body_case = BATTLEMAP__ENVELOPE__BODY_EVENT;
    envelope.event = &event;
    zmsg_t *message = zmsg_new ();
    zmsg_addstr (message, "heartbeat/");
    zframe_t *frame = bm_wire_pack (&envelope);
    zmsg_append (message, &frame);
    return message;
}
