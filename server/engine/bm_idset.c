/*  bm_idset: the submission ids of every figure stored. */

#include "bm_idset.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define S_INITIAL_SLOTS 1024        //  a power of two

//  Structure of our class

struct _bm_idset_t {
    unsigned char (*slots) [16];    //  all zero: empty
    size_t capacity;                //  a power of two
    size_t size;
    bool nil;                       //  the nil UUID, all zero, is in the set
};

bm_idset_t *
bm_idset_new (void)
{
    bm_idset_t *self = (bm_idset_t *) calloc (1, sizeof (bm_idset_t));
    assert (self);
    self->capacity = S_INITIAL_SLOTS;
    self->slots = calloc (self->capacity, 16);
    assert (self->slots);
    return self;
}

void
bm_idset_destroy (bm_idset_t **self_p)
{
    assert (self_p);
    bm_idset_t *self = *self_p;
    if (!self)
        return;
    free (self->slots);
    free (self);
    *self_p = NULL;
}

//  A hex digit's value plus one, 0 for any other byte: a table, since every
//  figure's id is read on its way in
static const unsigned char s_hex [256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
    ['8'] = 9, ['9'] = 10,
    ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16
};

int
bm_idset_parse (const char *text, unsigned char id [16])
{
    //  Where each byte's two digits start: 8-4-4-4-12
    static const unsigned char at [16] = { 0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30,
                                           32, 34 };
    if (!text || strlen (text) != 36
    ||  text [8] != '-' || text [13] != '-' || text [18] != '-' || text [23] != '-')
        return -1;
    bool valid = true;
    for (size_t byte = 0; byte < 16; byte++) {
        unsigned high = s_hex [(unsigned char) text [at [byte]]];
        unsigned low = s_hex [(unsigned char) text [at [byte] + 1]];
        valid &= high && low;
        id [byte] = (unsigned char) ((high - 1) << 4 | ((low - 1) & 0x0f));
    }
    return valid? 0: -1;
}

static bool
s_empty (const unsigned char *slot)
{
    static const unsigned char zero [16] = { 0 };
    return memcmp (slot, zero, 16) == 0;
}

//  Where an id's search starts. The last eight bytes are random in every
//  kind of id a sender makes (version 4, 5 or 7; a version 7 id starts with
//  its time), mixed by MurmurHash3's finalizer so that every bit counts
static size_t
s_home (size_t capacity, const unsigned char id [16])
{
    uint64_t hash;
    memcpy (&hash, id + 8, sizeof hash);
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdULL;
    hash ^= hash >> 33;
    hash *= 0xc4ceb9fe1a85ec53ULL;
    hash ^= hash >> 33;
    return (size_t) hash & (capacity - 1);
}

//  The slot of an id: where it is, or the empty one where it would go
static size_t
s_find (unsigned char (*slots) [16], size_t capacity, const unsigned char id [16])
{
    size_t slot = s_home (capacity, id);
    while (!s_empty (slots [slot]) && memcmp (slots [slot], id, 16) != 0)
        slot = (slot + 1) & (capacity - 1);
    return slot;
}

static void
s_grow (bm_idset_t *self)
{
    size_t capacity = self->capacity * 2;
    unsigned char (*slots) [16] = calloc (capacity, 16);
    assert (slots);
    for (size_t index = 0; index < self->capacity; index++)
        if (!s_empty (self->slots [index]))
            memcpy (slots [s_find (slots, capacity, self->slots [index])], self->slots [index], 16);
    free (self->slots);
    self->slots = slots;
    self->capacity = capacity;
}

void
bm_idset_insert (bm_idset_t *self, const unsigned char id [16])
{
    if (s_empty (id)) {
        self->size += !self->nil;
        self->nil = true;
        return;
    }
    if ((self->size + 1) * 2 > self->capacity)
        s_grow (self);
    size_t slot = s_find (self->slots, self->capacity, id);
    if (s_empty (self->slots [slot])) {
        memcpy (self->slots [slot], id, 16);
        self->size++;
    }
}

bool
bm_idset_contains (bm_idset_t *self, const unsigned char id [16])
{
    if (s_empty (id))
        return self->nil;
    return !s_empty (self->slots [s_find (self->slots, self->capacity, id)]);
}

int
bm_idset_add (bm_idset_t *self, const char *text)
{
    unsigned char id [16];
    if (bm_idset_parse (text, id))
        return -1;
    bm_idset_insert (self, id);
    return 0;
}

bool
bm_idset_has (bm_idset_t *self, const char *text)
{
    unsigned char id [16];
    return bm_idset_parse (text, id) == 0 && bm_idset_contains (self, id);
}

void
bm_idset_prefetch (bm_idset_t *self, const unsigned char id [16])
{
    __builtin_prefetch (self->slots [s_home (self->capacity, id)]);
}

size_t
bm_idset_size (bm_idset_t *self)
{
    return self->size;
}
