/*  bm_idset: the submission ids of every figure stored, each with the
    figure row that carries it, in memory, so that telling a new figure from
    a resend costs no database round trip.

    A figure's id is a UUID, kept as its 16 bytes and its row in an
    open-addressing table with linear probing: about 48 bytes an id, a
    million ids in 48 MB. What a resend is answered with (when it was
    stored, whether its content is the same) is read from the database by
    that row, on the rare occasion that an id comes again.

    This set, not the database, keeps an id to one figure: the figure table
    has no index on the id (migration 015), because every figure stored
    would write an entry at a random page of it. The server is the one
    writer of the record (an advisory lock), and fills the set from every
    figure row at start.
*/
#ifndef BM_IDSET_H_INCLUDED
#define BM_IDSET_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

typedef struct _bm_idset_t bm_idset_t;

bm_idset_t *
    bm_idset_new (void);

void
    bm_idset_destroy (bm_idset_t **self_p);

//  Parse a UUID ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", any case) into 16
//  bytes. 0, or -1 if it is not one.
int
    bm_idset_parse (const char *text, unsigned char id [16]);

//  Add an id (a UUID as text) with its figure row (> 0). The row the id
//  has now: `row`, or the one it already had (kept), or -1 if the text is
//  not a UUID.
int64_t
    bm_idset_add (bm_idset_t *self, const char *text, int64_t row);

//  The row of an id (a UUID as text), 0 if the set does not hold it (or
//  the text is not a UUID)
int64_t
    bm_idset_find (bm_idset_t *self, const char *text);

//  The same for an id already parsed (bm_idset_parse)
int64_t
    bm_idset_insert (bm_idset_t *self, const unsigned char id [16], int64_t row);
int64_t
    bm_idset_row (bm_idset_t *self, const unsigned char id [16]);

//  Start reading where a parsed id would be: a large set misses the cache
//  on nearly every lookup, and a request's ids looked up one after another
//  wait for each miss in turn, while prefetched first they overlap
void
    bm_idset_prefetch (bm_idset_t *self, const unsigned char id [16]);

size_t
    bm_idset_size (bm_idset_t *self);

//  While the table grows, the slots of the one before still to be moved
//  (each insert moves a few); 0 when it is not growing
size_t
    bm_idset_growing (bm_idset_t *self);

#endif
