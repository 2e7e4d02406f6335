/*  bm_events: the event log's numbering. Every change of state is an event
    with a strictly increasing sequence number, stored in the turn that made
    it and published once that turn is committed. An event also carries, for
    each level of its topic ("completion/", "completion/qingpu/", ...), the
    sequence number of the previous event of that family, so that a
    subscriber to a prefix can tell a gap in what it follows from the events
    of other topics. The last of each family is written to event_family
    about once a second (see bm_events_flush), with a marker (the prefix
    "") saying up to which event it is exact; a restarted server reads it,
    then follows the events after the marker, and continues the chains
    exactly. The heartbeat, published every second, gives the latest
    sequence number and the latest of each family "<kind>/<district>/".
*/
#ifndef BM_EVENTS_H_INCLUDED
#define BM_EVENTS_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_turn.h"

#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _bm_events_t bm_events_t;

bm_events_t *
    bm_events_new (void);

void
    bm_events_destroy (bm_events_t **self_p);

//  Queue an event in the turn: give it the next sequence number, its time
//  and its family links, queue its row and its families' in the batch, and
//  keep it for publishing after the commit
void
    bm_events_queue (bm_events_t *self, bm_turn_t *turn, const char *topic, const char *at,
                     Battlemap__Event *event);

//  Queue the families that moved in the turn's batch, with the marker, if
//  they were last written `age` msecs ago or more (0: whenever any moved).
//  Writing them costs the database about a microsecond a family (2.5 ms
//  for the 2,000 families a second of random figures moves), and a turn
//  that carries them answers that much later: the server writes them in a
//  turn of their own when nothing waits (BM_EVENTS_FLUSH_IDLE), and with a
//  turn of requests only when it was never idle for longer
//  (BM_EVENTS_FLUSH_BUSY).
#define BM_EVENTS_FLUSH_IDLE    1000
#define BM_EVENTS_FLUSH_BUSY    5000

void
    bm_events_flush (bm_events_t *self, bm_turn_t *turn, int64_t age);

//  Msecs since the families were last written, if any moved since; else -1
int64_t
    bm_events_unflushed (bm_events_t *self);

//  Loading: an event of the log after the marker moves its families
void
    bm_events_follow (bm_events_t *self, uint64_t seq, const char *topic);

//  The last sequence number handed out
uint64_t
    bm_events_last (bm_events_t *self);

//  The events up to seq were committed
void
    bm_events_committed_to (bm_events_t *self, uint64_t seq);

//  The latest sequence number committed
uint64_t
    bm_events_latest (bm_events_t *self);

//  Loading: the log's last sequence number, and each family's
void
    bm_events_set_latest (bm_events_t *self, uint64_t seq);
void
    bm_events_set_family (bm_events_t *self, const char *prefix, uint64_t seq);

//  The heartbeat to publish, [topic][envelope]
zmsg_t *
    bm_events_heartbeat (bm_events_t *self, const char *at);

#endif
