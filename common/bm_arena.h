/*  bm_arena: allocations that live as long as one request or reply.

    Replies are protobuf-c structs full of strings and arrays; building
    them from an arena means one bm_arena_destroy frees everything, and no
    path through a handler can leak or double-free a field.
*/
#ifndef BM_ARENA_H_INCLUDED
#define BM_ARENA_H_INCLUDED

#include <stddef.h>

typedef struct _bm_arena_t bm_arena_t;

bm_arena_t *
    bm_arena_new (void);

void
    bm_arena_destroy (bm_arena_t **self_p);

//  Frees the blocks this thread keeps for its next arenas (a thread that
//  ends without calling it leaves them allocated)
void
    bm_arena_release_spares (void);

//  Zeroed memory; aborts on out-of-memory like CZMQ's zmalloc
void *
    bm_arena_alloc (bm_arena_t *self, size_t size);

//  A copy of text ("" for NULL)
char *
    bm_arena_strdup (bm_arena_t *self, const char *text);

char *
    bm_arena_printf (bm_arena_t *self, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

//  An array of `count` pointers, each element allocated zeroed with
//  `element_size` bytes (protobuf-c's repeated message fields)
void **
    bm_arena_array (bm_arena_t *self, size_t count, size_t element_size);

#endif
