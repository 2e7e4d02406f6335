/*  bm_idset: the submission ids of every figure stored, with their rows. */

#include "bm_idset.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define S_INITIAL_SLOTS 1024        //  a power of two
#define S_MOVE_STEP     64          //  slots of the old table moved by each insert

//  Structure of our class. The table doubles when it is half full, but not
//  in one go: moved whole, two million ids took 438 ms on the insert that
//  crossed the line (one million 212 ms), and that insert's turn, every
//  request waiting behind it, stood still that long. The doubled table takes
//  the new ids at once; each insert then moves S_MOVE_STEP slots of the old
//  one, which stays as it was (its probe sequences intact) and is still
//  searched until the last slot is moved. The old table is done long before
//  the new one is half full: it has twice as many slots as the new one may
//  take ids before it grows again, and each insert moves 64.

//  A slot: an id and the figure row that carries it
typedef struct {
    unsigned char id [16];          //  all zero: empty
    int64_t row;
} s_slot_t;

struct _bm_idset_t {
    s_slot_t *slots;
    size_t capacity;                //  a power of two
    size_t size;
    int64_t nil;                    //  the row of the nil UUID (all zero), 0 if none
    s_slot_t *old;                  //  while growing: the table before, else NULL
    size_t old_capacity;
    size_t moved;                   //  its slots moved so far
};

bm_idset_t *
bm_idset_new (void)
{
    bm_idset_t *self = (bm_idset_t *) calloc (1, sizeof (bm_idset_t));
    assert (self);
    self->capacity = S_INITIAL_SLOTS;
    self->slots = (s_slot_t *) calloc (self->capacity, sizeof (s_slot_t));
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
    free (self->old);
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
s_find (const s_slot_t *slots, size_t capacity, const unsigned char id [16])
{
    size_t slot = s_home (capacity, id);
    while (!s_empty (slots [slot].id) && memcmp (slots [slot].id, id, 16) != 0)
        slot = (slot + 1) & (capacity - 1);
    return slot;
}

//  Moves the next `count` slots of the old table into the new one; frees
//  the old one once every slot is moved
static void
s_move (bm_idset_t *self, size_t count)
{
    for (; count && self->moved < self->old_capacity; count--, self->moved++) {
        const s_slot_t *slot = self->old + self->moved;
        if (!s_empty (slot->id))
            self->slots [s_find (self->slots, self->capacity, slot->id)] = *slot;
    }
    if (self->moved == self->old_capacity) {
        free (self->old);
        self->old = NULL;
        self->old_capacity = self->moved = 0;
    }
}

//  The doubled table; the one before is moved into it insert by insert
static void
s_grow (bm_idset_t *self)
{
    if (self->old)
        s_move (self, self->old_capacity);     //  cannot happen, see above
    self->old = self->slots;
    self->old_capacity = self->capacity;
    self->moved = 0;
    self->capacity *= 2;
    self->slots = (s_slot_t *) calloc (self->capacity, sizeof (s_slot_t));
    assert (self->slots);
}

//  The row of a (non-nil) id, in the new table or, while growing, in the
//  old one (where a slot already moved is found too: nothing there is ever
//  removed); 0 if it is not held
static int64_t
s_row (bm_idset_t *self, const unsigned char id [16])
{
    const s_slot_t *slot = self->slots + s_find (self->slots, self->capacity, id);
    if (s_empty (slot->id) && self->old)
        slot = self->old + s_find (self->old, self->old_capacity, id);
    return s_empty (slot->id)? 0: slot->row;
}

int64_t
bm_idset_insert (bm_idset_t *self, const unsigned char id [16], int64_t row)
{
    assert (row > 0);
    if (s_empty (id)) {
        self->size += !self->nil;
        if (!self->nil)
            self->nil = row;
        return self->nil;
    }
    if (self->old)
        s_move (self, S_MOVE_STEP);
    int64_t held = s_row (self, id);
    if (held)
        return held;
    if ((self->size + 1) * 2 > self->capacity)
        s_grow (self);
    s_slot_t *slot = self->slots + s_find (self->slots, self->capacity, id);
    memcpy (slot->id, id, 16);
    slot->row = row;
    self->size++;
    return row;
}

int64_t
bm_idset_row (bm_idset_t *self, const unsigned char id [16])
{
    if (s_empty (id))
        return self->nil;
    return s_row (self, id);
}

int64_t
bm_idset_add (bm_idset_t *self, const char *text, int64_t row)
{
    unsigned char id [16];
    if (bm_idset_parse (text, id))
        return -1;
    return bm_idset_insert (self, id, row);
}

int64_t
bm_idset_find (bm_idset_t *self, const char *text)
{
    unsigned char id [16];
    return bm_idset_parse (text, id) == 0? bm_idset_row (self, id): 0;
}

void
bm_idset_prefetch (bm_idset_t *self, const unsigned char id [16])
{
    __builtin_prefetch (self->slots + s_home (self->capacity, id));
    if (self->old)
        __builtin_prefetch (self->old + s_home (self->old_capacity, id));
}

size_t
bm_idset_growing (bm_idset_t *self)
{
    return self->old? self->old_capacity - self->moved: 0;
}

size_t
bm_idset_size (bm_idset_t *self)
{
    return self->size;
}
