/*  bm_follow: every event of a subscription, exactly once and in order.

    The ZeroMQ guide's Clone pattern over the server's durable event log: it
    subscribes first, then asks the server (CatchupRequest) for the events
    after the last sequence number it holds, and delivers them before the
    live ones. A live event right after the last one delivered is delivered
    at once; any other gap (events dropped at a high-water mark, a
    reconnection, a restart of the server or of this program) is filled by
    asking again. The heartbeat carries the log's latest sequence number, so
    a gap at the end is noticed too. The cursor (the sequence number up to
    which everything of the subscription has been delivered) can be kept in
    a file, so that a restarted subscriber resumes where it stopped.
*/
#ifndef BM_FOLLOW_H_INCLUDED
#define BM_FOLLOW_H_INCLUDED

#include "bm_client.h"
#include <czmq.h>

typedef struct _bm_follow_t bm_follow_t;

//  Follow the events whose topics start with one of the NULL-terminated
//  prefixes. since: deliver the events after this sequence number; with
//  from_now, only events from now on. state_file (NULL: none): the cursor
//  is read from it if it exists (it then wins over since) and written to it
//  after each event delivered. hwm: the subscription's receive high-water
//  mark (0: ZeroMQ's default).
bm_follow_t *
    bm_follow_new (const char *requests, const char *events, zcert_t *cert,
                   const char *server_key, const char **prefixes, uint64_t since,
                   bool from_now, const char *state_file, int hwm);

void
    bm_follow_destroy (bm_follow_t **self_p);

//  The next event, waiting at most timeout msecs (-1: forever); NULL on
//  timeout or interrupt. The envelope is the caller's to free; *topic too.
Battlemap__Envelope *
    bm_follow_recv (bm_follow_t *self, int timeout, char **topic);

//  Everything up to here has been delivered
uint64_t
    bm_follow_cursor (bm_follow_t *self);

//  How many catch-up requests were made (for tests and benchmarks)
uint64_t
    bm_follow_catchups (bm_follow_t *self);

#endif
