/*  bm_request: what a request handler works with, and how it answers.

    Handlers run one at a time on the server's database connection. They
    build the reply in the request's arena, and queue events to publish;
    the server publishes them only after the handler's transaction has
    committed, so that nothing is announced that is not stored.
*/
#ifndef BM_REQUEST_H_INCLUDED
#define BM_REQUEST_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_arena.h"
#include "bm_clock.h"
#include <czmq.h>
#include <libpq-fe.h>

struct _bm_identity_t;

typedef struct {
    PGconn *db;                     //  the server's connection
    bm_arena_t *arena;              //  lives until the reply is sent
    zlist_t *events;                //  zmsg_t [topic][envelope] to publish after commit
    Battlemap__Envelope *reply;     //  handlers fill its body
    bm_clock_t *clock;              //  the server's time
    const char *sender;             //  who sent it, for the record: "name <key>"
    const struct _bm_identity_t *identity;  //  who sent it, authenticated
    bool backfill;                  //  reporting windows are not enforced
} bm_request_t;

//  The server's time as text for SQL and replies, from the request's arena
char *
    bm_request_now (bm_request_t *self);

//  Make the reply a typed error. index is the 1-based position of the
//  offending item in a batch, or 0. Always returns -1, for `return`.
int
    bm_request_error (bm_request_t *self, Battlemap__ErrorCode code, uint32_t index,
                      const char *format, ...) __attribute__ ((format (printf, 4, 5)));

//  Add a detail line to an error reply
void
    bm_request_error_detail (bm_request_t *self, const char *detail);

//  Queue an event: assigns it the next sequence number, stores it in the
//  event log in the current transaction and keeps it for publishing.
//  Returns 0 or -1.
int
    bm_request_event (bm_request_t *self, const char *topic, Battlemap__Event *event);

//  Drop the queued events (the transaction that made them rolled back)
void
    bm_request_discard_events (bm_request_t *self);

#endif
