/*  bm_idset: the submission ids of every figure stored, in memory, so that
    telling a new figure from a resend costs no database round trip.

    A figure's id is a UUID, kept as its 16 bytes in an open-addressing
    table with linear probing: about 32 bytes an id, a million ids in 32 MB.
    Only membership is kept; what a resend is answered with (its row, when
    it was stored, whether its content is the same) is read from the
    database on the rare occasion that an id comes again.
*/
#ifndef BM_IDSET_H_INCLUDED
#define BM_IDSET_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

typedef struct _bm_idset_t bm_idset_t;

bm_idset_t *
    bm_idset_new (void);

void
    bm_idset_destroy (bm_idset_t **self_p);

//  Parse a UUID ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", any case) into 16
//  bytes. 0, or -1 if it is not one.
int
    bm_idset_parse (const char *text, unsigned char id [16]);

//  Add an id (a UUID as text). 0, or -1 if it is not a UUID.
int
    bm_idset_add (bm_idset_t *self, const char *text);

//  True if the id (a UUID as text) is in the set
bool
    bm_idset_has (bm_idset_t *self, const char *text);

//  The same for an id already parsed (bm_idset_parse)
void
    bm_idset_insert (bm_idset_t *self, const unsigned char id [16]);
bool
    bm_idset_contains (bm_idset_t *self, const unsigned char id [16]);

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
