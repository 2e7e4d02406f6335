/*  bm_follow: every event of a subscription, in order, none skipped.

    The ZeroMQ guide's Clone pattern over the server's durable event log: it
    subscribes first, then asks the server (CatchupRequest) for the events
    after what it holds, and delivers them a page at a time, each page as
    it arrives, before the live ones. Nothing is asked of the server before
    the first bm_follow_recv, so that every failure is told by
    bm_follow_error.

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

    Delivered is not yet taken. An event handed over by bm_follow_recv is
    taken by the consuming program when it calls bm_follow_ack, or when it
    asks for the next event (bm_follow_recv acknowledges the one before).
    Only what was taken is written to the state file (a new file written,
    synced, then renamed over the old one), and destroying the follower
    does not take the last event. So a program that writes an event out,
    flushes it and then acknowledges it never loses one: killed at any
    moment, it starts again with the last event it was given, or the one
    after. Delivery is at least once across a crash (at most the one event
    in hand is given again), exactly once otherwise.

    A catch-up the server refuses for now (RATE_LIMITED, UNAVAILABLE) is
    asked again after the delay the server names at least, longer each
    time in a row (backoff), and each wait is told to a notifier; the
    follower waits on its own, within bm_follow_recv's timeout, not in
    bm_client (whose patience it sets to nothing). Any other refusal, or no
    answer, fails bm_follow_recv. The server sends a heartbeat every second;
    after BM_FOLLOW_SILENCE ms with nothing on the event socket the log is
    asked, so a server that went away, or that refuses our key since it
    dropped us (a revocation), is told rather than waited for in silence.
*/
#ifndef BM_FOLLOW_H_INCLUDED
#define BM_FOLLOW_H_INCLUDED

#define BM_FOLLOW_SILENCE   5000    //  ms without a heartbeat before the log is asked

#include "bm_client.h"
#include <czmq.h>

typedef struct _bm_follow_t bm_follow_t;

//  Told a sentence when the follower waits before asking the server again
typedef void (bm_follow_notify_fn) (void *arg, const char *sentence);

//  Follow the events whose topics start with one of the NULL-terminated
//  prefixes. since: deliver the events after this sequence number; with
//  from_now, only events from the first bm_follow_recv on. state_file
//  (NULL: none): the cursors are read from it if it exists (they then win
//  over since and from_now) and written to it as events are taken. hwm:
//  the subscription's receive high-water mark (0: ZeroMQ's default). NULL
//  only if an endpoint is invalid: the server is first asked in
//  bm_follow_recv.
bm_follow_t *
    bm_follow_new (const char *requests, const char *events, zcert_t *cert,
                   const char *server_key, const char **prefixes, uint64_t since,
                   bool from_now, const char *state_file, int hwm);

//  Writes what was taken to the state file (not the event in hand, unless
//  acknowledged), and frees
void
    bm_follow_destroy (bm_follow_t **self_p);

//  Milliseconds to wait for each catch-up attempt, and attempts in all
//  (default 10000 and 3, bm_client's); with no answer by then,
//  bm_follow_recv fails
void
    bm_follow_set_timeout (bm_follow_t *self, int msecs, int attempts);

//  Events read for one page of the log (0, the default: the server's own
//  limit). The first page is read small, so the first events come fast.
void
    bm_follow_set_page (bm_follow_t *self, uint32_t events);

//  Who is told of each wait the server asks for (NULL: nobody)
void
    bm_follow_set_notify (bm_follow_t *self, bm_follow_notify_fn *notify, void *arg);

//  The next event, waiting at most timeout msecs (-1: forever); a catch-up
//  request under way is not cut short. Acknowledges the event handed over
//  before (see bm_follow_ack). NULL on timeout, interrupt or failure
//  (bm_follow_error says which). The envelope is the caller's to free;
//  *topic too.
Battlemap__Envelope *
    bm_follow_recv (bm_follow_t *self, int timeout, char **topic);

//  The program is done with the event handed over last: it is taken, and
//  written to the state file (if any) before this returns. 0, or -1 if the
//  state file could not be written (bm_follow_error says why).
int
    bm_follow_ack (bm_follow_t *self);

//  Why the last bm_follow_recv (or bm_follow_ack) failed: NULL when it
//  only timed out, else a sentence (the server's refusal, that it did not
//  answer, or that the state file cannot be written). A failed follower
//  can be asked again: it retries.
const char *
    bm_follow_error (bm_follow_t *self);

//  The code of the server's refusal behind bm_follow_error; 0 when the
//  failure was no answer or the state file
Battlemap__ErrorCode
    bm_follow_refusal (bm_follow_t *self);

//  True when every event the log held when last read has been handed over:
//  no page left to read, none waiting to be delivered
bool
    bm_follow_caught_up (bm_follow_t *self);

//  Everything of every prefix up to here has been delivered
uint64_t
    bm_follow_cursor (bm_follow_t *self);

//  How many catch-up requests were made (for tests and benchmarks)
uint64_t
    bm_follow_catchups (bm_follow_t *self);

//  How many times the server asked the follower to wait (for tests)
uint64_t
    bm_follow_waits (bm_follow_t *self);

#endif
