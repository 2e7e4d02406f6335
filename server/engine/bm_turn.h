/*  bm_turn: what one turn of the server's loop changes: the rows to write
    (a batch, committed once at the end of the turn), the events to publish
    once they are written, and the figures stored in the turn, which a
    resend within the same turn must find before the database does.

    An event waits as its topic and packed envelope in the turn's own
    memory; its ZeroMQ message is built when it is published, after the
    turn's replies are sent, so that building it costs no reply any time.
*/
#ifndef BM_TURN_H_INCLUDED
#define BM_TURN_H_INCLUDED

#include "bm_arena.h"
#include "bm_batch.h"
#include <czmq.h>

//  An event to publish once the turn is committed
typedef struct {
    const char *topic;
    const byte *envelope;       //  packed
    size_t size;
} bm_turn_event_t;

typedef struct {
    bm_batch_t *batch;
    bm_turn_event_t *events;    //  to publish, in order
    size_t event_count;
    size_t event_capacity;
    bm_arena_t *arena;          //  their topics and envelopes, until the reset
    zhashx_t *figures;          //  submission id -> bm_turn_figure_t
} bm_turn_t;

//  A figure stored in the turn
typedef struct {
    int64_t id;
    char hash [41];
    char received_at [48];
} bm_turn_figure_t;

bm_turn_t *
    bm_turn_new (void);

void
    bm_turn_destroy (bm_turn_t **self_p);

//  Forget what the turn queued (after its commit, or after its failure)
void
    bm_turn_reset (bm_turn_t *self);

//  Room for an event's packed envelope of `size` bytes, in the turn's
//  memory; then bm_turn_publish queues it, on its topic (copied)
byte *
    bm_turn_envelope (bm_turn_t *self, size_t size);

void
    bm_turn_publish (bm_turn_t *self, const char *topic, const byte *envelope, size_t size);

//  The message of the index-th event queued: [topic][envelope]
zmsg_t *
    bm_turn_message (bm_turn_t *self, size_t index);

#endif
