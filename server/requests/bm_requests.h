/*  bm_requests: the request handlers, one file per family, and the table
    the server dispatches with.

    A handler answers one request: it checks what the request names,
    asks the engine, queues what changes in the turn and builds the reply.
    No handler calls another; what two need lives in engine/ or store/.
*/
#ifndef BM_REQUESTS_H_INCLUDED
#define BM_REQUESTS_H_INCLUDED

#include "bm_request.h"

typedef int (bm_handler_fn) (bm_request_t *request, const Battlemap__Envelope *envelope);

//  Whether a request must wait until the turn so far is committed (it reads
//  the record, or writes it in a transaction of its own)
typedef bool (bm_flush_fn) (const Battlemap__Envelope *envelope);

typedef struct {
    Battlemap__Envelope__BodyCase body;
    const char *name;           //  for the log and the audit
    bm_handler_fn *handler;
    bm_flush_fn *flush_first;   //  NULL: never
    bool counted;               //  counts against the key's request rate
} bm_dispatch_t;

//  The handler of a body, NULL if it is not a request
const bm_dispatch_t *
    bm_requests_find (Battlemap__Envelope__BodyCase body);

//  bm_req_submit.c
int bm_req_submit (bm_request_t *request, const Battlemap__Envelope *envelope);
//  bm_req_plan.c
int bm_req_plan_load (bm_request_t *request, const Battlemap__Envelope *envelope);
//  bm_req_wall.c
int bm_req_wall (bm_request_t *request, const Battlemap__Envelope *envelope);
int bm_req_template (bm_request_t *request, const Battlemap__Envelope *envelope);
int bm_req_ranking (bm_request_t *request, const Battlemap__Envelope *envelope);
//  bm_req_cycle.c
int bm_req_clock (bm_request_t *request, const Battlemap__Envelope *envelope);
int bm_req_exception (bm_request_t *request, const Battlemap__Envelope *envelope);
int bm_req_history (bm_request_t *request, const Battlemap__Envelope *envelope);
int bm_req_report (bm_request_t *request, const Battlemap__Envelope *envelope);
//  bm_req_identity.c
int bm_req_identity (bm_request_t *request, const Battlemap__Envelope *envelope);
//  bm_req_catchup.c
int bm_req_catchup (bm_request_t *request, const Battlemap__Envelope *envelope);
//  bm_req_alert.c
int bm_req_alert (bm_request_t *request, const Battlemap__Envelope *envelope);

#endif
