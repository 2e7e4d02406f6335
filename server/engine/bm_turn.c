/*  bm_turn: what one turn of the server's loop changes. */

#include "bm_turn.h"

bm_turn_t *
bm_turn_new (void)
{
    bm_turn_t *self = (bm_turn_t *) zmalloc (sizeof (bm_turn_t));
    self->batch = bm_batch_new ();
    self->arena = bm_arena_new ();
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
    bm_arena_destroy (&self->arena);
    free (self->events);
    zhashx_destroy (&self->figures);
    free (self);
    *self_p = NULL;
}

void
bm_turn_reset (bm_turn_t *self)
{
    bm_batch_reset (self->batch);
    self->event_count = 0;
    bm_arena_destroy (&self->arena);
    self->arena = bm_arena_new ();
    zhashx_purge (self->figures);
}

byte *
bm_turn_envelope (bm_turn_t *self, size_t size)
{
    return (byte *) bm_arena_alloc (self->arena, size? size: 1);
}

void
bm_turn_publish (bm_turn_t *self, const char *topic, const byte *envelope, size_t size)
{
    if (self->event_count == self->event_capacity) {
        self->event_capacity = self->event_capacity? 2 * self->event_capacity: 64;
        self->events = (bm_turn_event_t *) realloc (self->events, self->event_capacity
                                                                  * sizeof (bm_turn_event_t));
        assert (self->events);
    }
    self->events [self->event_count++] = (bm_turn_event_t) {
        bm_arena_strdup (self->arena, topic), envelope, size };
}

zmsg_t *
bm_turn_message (bm_turn_t *self, size_t index)
{
    assert (index < self->event_count);
    const bm_turn_event_t *event = self->events + index;
    zmsg_t *message = zmsg_new ();
    zmsg_addstr (message, event->topic);
    zmsg_addmem (message, event->envelope, event->size);
    return message;
}
