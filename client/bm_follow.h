/*  bm_follow: every event of a subscription, exactly once and in order.

    The ZeroMQ guide's Clone pattern over the server's durable event log: it
    subscribes first, then asks the server (CatchupRequest) for the events
    after what it holds, and delivers them, a page at a time as each page
    arrives, before the live ones.

    Each prefix followed keeps its own cursor: every event of the prefix up
    to there has been delivered. An event carries, for each level of its
    topic, the sequence number of the previous event of the same family
    (family_prev), so a live event is delivered at once when the previous
    event of its prefix's family is at or below that prefix's cursor,
    whatever other topics did in between; only a real gap (events dropped
    at a high-water mark, a reconnection, a restart of the server or of this
    program) is filled by asking the log again. The heartbeat carries the
    latest sequence number of each family "<kind>/<district>/", so a gap at
    the end is noticed too.

    The cursors can be kept in a state file. A cursor moves there only once
    the consuming program has taken the event: when it asks for the next
    one (or destroys the follower). A program killed while it handles an
    event is given that event again when it starts anew, and nothing else
    twice: at least once across a crash, exactly once otherwise.
*/
#ifndef BM_FOLLOW_H_INCLUDED
#define BM_FOLLOW_H_INCLUDED

#include "bm_client.h"
#include <czmq.h>

typedef struct _bm_follow_t bm_follow_t;

//  Follow the events whose topics start with one of the NULL-terminated
//  prefixes. since: deliver the events after this sequence number; with
//  from_now, only events from now on. state_file (NULL: none): the cursors
//  are read from it if it exists (they then win over since) and written to
//  it as events are taken. hwm: the subscription's receive high-water mark
//  (0: ZeroMQ's default). NULL if the server did not answer or refused.
bm_follow_t *
    bm_follow_new (const char *requests, const char *events, zcert_t *cert,
                   const char *server_key, const char **prefixes, uint64_t since,
                   bool from_now, const char *state_file, int hwm);

void
    bm_follow_destroy (bm_follow_t **self_p);

//  The next event, waiting at most timeout msecs (-1: forever); NULL on
//  timeout, interrupt or failure (bm_follow_error says which). The envelope
//  is the caller's to free; *topic too.
Battlemap__Envelope *
    bm_follow_recv (bm_follow_t *self, int timeout, char **topic);

//  Why the last bm_follow_recv (or bm_follow_new) failed: NULL when it
//  only timed out, else a sentence (the server's error, or that it did not
//  answer). A failed follower can be asked again: it retries.
const char *
    bm_follow_error (bm_follow_t *self);

//  Everything of every prefix up to here has been delivered
uint64_t
    bm_follow_cursor (bm_follow_t *self);

//  How many catch-up requests were made (for tests and benchmarks)
uint64_t
    bm_follow_catchups (bm_follow_t *self);

#endif
