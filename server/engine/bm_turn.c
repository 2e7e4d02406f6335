/*  bm_turn: what one turn of the server's loop changes. */

#include "bm_turn.h"

bm_turn_t *
bm_turn_new (void)
{
    bm_turn_t *self = (bm_turn_t *) zmalloc (sizeof (bm_turn_t));
    self->batch = bm_batch_new ();
    self->publish = zlist_new ();
    self->figures = zhashx_new ();
    zhashx_set_destructor (self->figures, (zhashx_destructor_fn *) zstr_free);
    return self;
}

void
bm_turn_destroy (bm_turn_t **self_p)
{
    assert (self_p);
    bm_turn_t *self = *self_p;
    if (!self)
        return;
    bm_turn_reset (self);
    bm_batch_destroy (&self->batch);
    zlist_destroy (&self->publish);
    zhashx_destroy (&self->figures);
    free (self);
    *self_p = NULL;
}

void
bm_turn_reset (bm_turn_t *self)
{
    bm_batch_reset (self->batch);
    zmsg_t *message;
    while ((message = (zmsg_t *) zlist_pop (self->publish)))
        zmsg_destroy (&message);
    zhashx_purge (self->figures);
}
