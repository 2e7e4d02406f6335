/*  bm_request: what a request's handler works with, and how it answers. */

#include "bm_request.h"
#include "bm_cycle.h"

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

void
bm_request_event (bm_request_t *self, const char *topic, Battlemap__Event *event)
{
    bm_engine_event (self->engine, self->turn, topic, event);
}

char *
bm_request_now (bm_request_t *self)
{
    char buf [BM_TIME_STR_MAX];
    return bm_arena_strdup (self->arena, bm_engine_now_text (self->engine, buf));
}
