/*  bm_request: what a request's handler works with, and how it answers.

    A handler reads and changes the engine (the server's state in memory),
    queues what it changes in the turn (rows to write, events to publish)
    and builds its reply in the request's arena. The server commits the
    turn's batch once, sends every reply of the turn, then publishes the
    turn's events: nothing is answered before it is stored, and nothing is
    announced that is not. Handlers that need the database itself (history,
    snapshots, catch-up, plans, keys) are run after the turn so far has
    been committed, and use the store directly.
*/
#ifndef BM_REQUEST_H_INCLUDED
#define BM_REQUEST_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_arena.h"
#include "bm_engine.h"
#include "bm_store.h"

#include <czmq.h>

struct _bm_identity_t;
struct _bm_keyring_t;

typedef struct {
    bm_engine_t *engine;            //  the server's state
    bm_store_t *store;              //  the database, for handlers that read it
    bm_turn_t *turn;                //  what this turn writes and publishes
    zlistx_t *inflight;             //  bm_turn_t of the turns sent and not yet
                                    //  committed, oldest first
    bm_arena_t *arena;              //  lives until the reply is sent
    Battlemap__Envelope *reply;     //  handlers fill its body
    const char *sender;             //  who sent it, for the record: "name <key>"
    const char *sender_key;         //  its public key
    const struct _bm_identity_t *identity;  //  who sent it, authenticated
    struct _bm_keyring_t *keyring;  //  the keys enrolled, read again after a change
    bool revoked;                   //  out: a key was revoked or enrolled again
                                    //  (subscribers must reconnect through the
                                    //  ZAP handler, and subscribe within their
                                    //  scope as it is now)
} bm_request_t;

//  The server's time as text (ISO 8601), from the request's arena
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

//  Queue an event in the turn (bm_engine_event)
void
    bm_request_event (bm_request_t *self, const char *topic, Battlemap__Event *event);

#endif
