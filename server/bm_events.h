/*  bm_events: the durable event log, read back.

    Every event is stored with its sequence number before it is published
    (bm_request_event). A subscriber that starts, reconnects or notices a
    gap asks for the events after the last sequence number it holds and
    gets them in order, filtered by its prefixes and by its key's scope,
    exactly as a subscription would be: the ZeroMQ guide's Clone pattern,
    with the log standing in for the snapshot. A heartbeat tells every
    subscriber the latest sequence number each second.
*/
#ifndef BM_EVENTS_H_INCLUDED
#define BM_EVENTS_H_INCLUDED

#include "bm_request.h"

#define BM_EVENTS_CATCHUP_LIMIT 500     //  events in one reply at most

int
    bm_events_catchup (bm_request_t *request, const Battlemap__CatchupRequest *catchup);

//  The latest sequence number in the log (0 if empty)
uint64_t
    bm_events_latest (PGconn *db);

//  A heartbeat message, [topic][envelope], to publish
zmsg_t *
    bm_events_heartbeat (uint64_t latest, const char *at);

#endif
