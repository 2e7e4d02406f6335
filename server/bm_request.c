/*  bm_request: what a request handler works with, and how it answers. */

#include "bm_request.h"
#include "bm_db.h"
#include "bm_wire.h"

#include <stdarg.h>
#include <stdlib.h>

int
bm_request_error (bm_request_t *self, Battlemap__ErrorCode code, uint32_t index,
                  const char *format, ...)
{
    Battlemap__Error *error = bm_arena_alloc (self->arena, sizeof *error);
    battlemap__error__init (error);
    va_list args;
    va_start (args, format);
    char *message = zsys_vprintf (format, args);
    va_end (args);
    error->code = code;
    error->message = bm_arena_strdup (self->arena, message);
    error->index = index;
    free (message);
    self->reply->body_case = BATTLEMAP__ENVELOPE__BODY_ERROR;
    self->reply->error = error;
    return -1;
}

void
bm_request_error_detail (bm_request_t *self, const char *detail)
{
    Battlemap__Error *error = self->reply->error;
    if (!error)
        return;
    char **details = bm_arena_alloc (self->arena, (error->n_details + 1) * sizeof (char *));
    for (size_t index = 0; index < error->n_details; index++)
        details [index] = error->details [index];
    details [error->n_details++] = bm_arena_strdup (self->arena, detail);
    error->details = details;
}

int
bm_request_event (bm_request_t *self, const char *topic, Battlemap__Event *event)
{
    PGresult *result = bm_db_exec (self->db, "SELECT nextval ('event_seq_seq')", 0, NULL);
    if (!result)
        return -1;
    event->seq = strtoull (PQgetvalue (result, 0, 0), NULL, 10);
    event->at = bm_request_now (self);
    PQclear (result);

    Battlemap__Envelope envelope = BATTLEMAP__ENVELOPE__INIT;
    envelope.version = BM_PROTOCOL_VERSION;
    envelope.body_case = BATTLEMAP__ENVELOPE__BODY_EVENT;
    envelope.event = event;
    zframe_t *frame = bm_wire_pack (&envelope);

    char seq [24];
    snprintf (seq, sizeof seq, "%llu", (unsigned long long) event->seq);
    const int lengths [] = { 0, 0, 0, (int) zframe_size (frame), 0 };
    const int formats [] = { 0, 0, 0, 1, 0 };
    const char *params [] = { seq, event->kind, topic, (const char *) zframe_data (frame),
                              event->at };
    PGresult *insert = PQexecParams (self->db,
        "INSERT INTO event (seq, kind, topic, payload, at) VALUES ($1, $2, $3, $4, $5)",
        5, NULL, params, lengths, formats, 0);
    if (PQresultStatus (insert) != PGRES_COMMAND_OK) {
        zsys_error ("database: cannot store event: %s", PQresultErrorMessage (insert));
        PQclear (insert);
        zframe_destroy (&frame);
        return -1;
    }
    PQclear (insert);
    zmsg_t *message = zmsg_new ();
    zmsg_addstr (message, topic);
    zmsg_append (message, &frame);
    zlist_append (self->events, message);
    return 0;
}

void
bm_request_discard_events (bm_request_t *self)
{
    zmsg_t *message;
    while ((message = zlist_pop (self->events)))
        zmsg_destroy (&message);
}

char *
bm_request_now (bm_request_t *self)
{
    char buf [40];
    return bm_arena_strdup (self->arena, bm_clock_text (self->clock, buf));
}
