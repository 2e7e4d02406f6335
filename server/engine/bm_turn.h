/*  bm_turn: what one turn of the server's loop changes: the rows to write
    (a batch, committed once at the end of the turn), the events to publish
    once they are written, and the figures stored in the turn, which a
    resend within the same turn must find before the database does.
*/
#ifndef BM_TURN_H_INCLUDED
#define BM_TURN_H_INCLUDED

#include "bm_batch.h"
#include <czmq.h>

typedef struct {
    bm_batch_t *batch;
    zlist_t *publish;           //  zmsg_t [topic][envelope]
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

#endif
