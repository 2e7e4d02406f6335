/*  bm_arena: allocations that live as long as one request or reply. */

#include "bm_arena.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_BLOCK_SIZE    16384       //  bytes a block holds for small allocations
#define S_SPARE_BLOCKS  256         //  blocks kept for reuse, a thread
#define S_LARGE_MIN     (S_BLOCK_SIZE / 2)  //  the smallest block of one allocation
#define S_LARGE_MAX     (1024 * 1024)       //  the largest kept for reuse
#define S_SPARE_LARGE   16          //  blocks of one allocation kept, a thread
#define S_ALIGNMENT     (_Alignof (max_align_t))

//  Structure of our class

typedef struct _block_t {
    struct _block_t *next;      //  older block
    size_t size;                //  bytes in data
    size_t used;                //  bytes handed out
    max_align_t data [];        //  the caller's memory, zeroed
} block_t;

struct _bm_arena_t {
    block_t *blocks;            //  newest first; the first one is filled
};

//  Blocks of S_BLOCK_SIZE given back, for the next arena of this thread:
//  a server builds and drops arenas by the thousand a second
static _Thread_local block_t *s_spare;
static _Thread_local size_t s_spare_count;

//  Blocks of one large allocation given back (a submission's 100 figures
//  take one of 30 KB): allocating them afresh made malloc consolidate its
//  free lists, about 5% of the server's main thread at 10 requests of 100
//  figures a second. Their sizes are powers of two, taken by exact size.
static _Thread_local block_t *s_spare_large;
static _Thread_local size_t s_spare_large_count;

//  Keeps a block for reuse, or frees it
static void
s_give_back (block_t *block)
{
    if (block->size == S_BLOCK_SIZE && s_spare_count < S_SPARE_BLOCKS) {
        block->next = s_spare;
        s_spare = block;
        s_spare_count++;
    }
    else
    if (block->size != S_BLOCK_SIZE && block->size <= S_LARGE_MAX
    &&  s_spare_large_count < S_SPARE_LARGE) {
        block->next = s_spare_large;
        s_spare_large = block;
        s_spare_large_count++;
    }
    else
        free (block);
}

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
        s_give_back (self->blocks);
        self->blocks = next;
    }
    free (self);
    *self_p = NULL;
}

static void
s_free_list (block_t **list, size_t *count)
{
    while (*list) {
        block_t *next = (*list)->next;
        free (*list);
        *list = next;
    }
    *count = 0;
}

void
bm_arena_release_spares (void)
{
    s_free_list (&s_spare, &s_spare_count);
    s_free_list (&s_spare_large, &s_spare_large_count);
}

//  A kept block taken off its list, its used part zeroed again
static block_t *
s_take (block_t **list, size_t *count, size_t size)
{
    for (block_t **link = list; *link; link = &(*link)->next) {
        block_t *block = *link;
        if (block->size != size)
            continue;
        *link = block->next;
        (*count)--;
        memset (block->data, 0, block->used);
        block->next = NULL;
        block->used = 0;
        return block;
    }
    return NULL;
}

static block_t *
s_block (size_t size)
{
    block_t *block = NULL;
    if (size <= S_LARGE_MAX) {
        size_t rounded = S_LARGE_MIN;
        while (rounded < size)
            rounded *= 2;
        size = rounded;
        block = size == S_BLOCK_SIZE? s_take (&s_spare, &s_spare_count, size)
                                    : s_take (&s_spare_large, &s_spare_large_count, size);
    }
    if (block)
        return block;
    block = calloc (1, sizeof (block_t) + size);
    if (!block)
        abort ();
    block->size = size;
    return block;
}

void *
bm_arena_alloc (bm_arena_t *self, size_t size)
{
    assert (self);
    size = (size? size: 1);
    size = (size + S_ALIGNMENT - 1) / S_ALIGNMENT * S_ALIGNMENT;
    block_t *current = self->blocks;
    if (current && current->size - current->used >= size) {
        void *memory = (char *) current->data + current->used;
        current->used += size;
        return memory;
    }
    //  A large allocation gets a block of its own, behind the one being
    //  filled; a small one starts a new block
    block_t *block = s_block (size > S_BLOCK_SIZE / 4? size: S_BLOCK_SIZE);
    block->used = size;
    if (size > S_BLOCK_SIZE / 4 && current) {
        block->next = current->next;
        current->next = block;
    }
    else {
        block->next = current;
        self->blocks = block;
    }
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
    //  Straight into the block being filled, when it fits
    block_t *current = self->blocks;
    va_list args;
    if (current && current->size > current->used) {
        char *room = (char *) current->data + current->used;
        size_t free_bytes = current->size - current->used;
        va_start (args, format);
        int written = vsnprintf (room, free_bytes, format, args);
        va_end (args);
        assert (written >= 0);
        if ((size_t) written < free_bytes) {
            size_t size = ((size_t) written + 1 + S_ALIGNMENT - 1) / S_ALIGNMENT * S_ALIGNMENT;
            current->used += size < free_bytes? size: free_bytes;
            return room;
        }
        //  It did not fit: what was written there stays unused and zeroed
        memset (room, 0, free_bytes);
    }
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
