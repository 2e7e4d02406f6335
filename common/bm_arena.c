/*  bm_arena: allocations that live as long as one request or reply. */

#include "bm_arena.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Structure of our class

typedef struct _block_t {
    struct _block_t *next;      //  older block
    max_align_t data [];        //  the caller's memory
} block_t;

struct _bm_arena_t {
    block_t *blocks;            //  newest first
};

bm_arena_t *
bm_arena_new (void)
{
    bm_arena_t *self = calloc (1, sizeof (bm_arena_t));
    assert (self);
    return self;
}

void
bm_arena_destroy (bm_arena_t **self_p)
{
    assert (self_p);
    bm_arena_t *self = *self_p;
    if (!self)
        return;
    while (self->blocks) {
        block_t *next = self->blocks->next;
        free (self->blocks);
        self->blocks = next;
    }
    free (self);
    *self_p = NULL;
}

void *
bm_arena_alloc (bm_arena_t *self, size_t size)
{
    assert (self);
    block_t *block = calloc (1, sizeof (block_t) + (size? size: 1));
    if (!block)
        abort ();
    block->next = self->blocks;
    self->blocks = block;
    return block->data;
}

char *
bm_arena_strdup (bm_arena_t *self, const char *text)
{
    if (!text)
        text = "";
    size_t size = strlen (text) + 1;
    char *copy = bm_arena_alloc (self, size);
    memcpy (copy, text, size);
    return copy;
}

char *
bm_arena_printf (bm_arena_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    int size = vsnprintf (NULL, 0, format, args);
    va_end (args);
    assert (size >= 0);
    char *text = bm_arena_alloc (self, (size_t) size + 1);
    va_start (args, format);
    vsnprintf (text, (size_t) size + 1, format, args);
    va_end (args);
    return text;
}

void **
bm_arena_array (bm_arena_t *self, size_t count, size_t element_size)
{
    void **array = bm_arena_alloc (self, count * sizeof (void *));
    for (size_t index = 0; index < count; index++)
        array [index] = bm_arena_alloc (self, element_size);
    return array;
}
