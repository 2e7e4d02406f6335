/*  bench_record: what the run sent and what the server acknowledged. */

#include "bench_record.h"

#include <stdlib.h>
#include <string.h>

//  Structure of our classes

struct _bench_ids_t {
    char *ids;                  //  BENCH_ID_SIZE characters each, back to back
    size_t count;
    size_t capacity;            //  in ids
};

struct _bench_trace_t {
    _Atomic int64_t *sent_at;   //  usecs; 0 until sent
    uint32_t *cell;             //  cell index of each figure
    int8_t *month;              //  its period's month
    size_t capacity;
    size_t used;                //  reserved so far (by the submitting thread)
    int64_t base;               //  the value of figure 0
};

bench_ids_t *
bench_ids_new (void)
{
    return (bench_ids_t *) zmalloc (sizeof (bench_ids_t));
}

void
bench_ids_destroy (bench_ids_t **self_p)
{
    assert (self_p);
    bench_ids_t *self = *self_p;
    if (!self)
        return;
    free (self->ids);
    free (self);
    *self_p = NULL;
}

void
bench_ids_add (bench_ids_t *self, const char *id)
{
    if (self->count == self->capacity) {
        size_t capacity = self->capacity? self->capacity * 2: 4096;
        char *ids = (char *) realloc (self->ids, capacity * BENCH_ID_SIZE);
        assert (ids);
        self->ids = ids;
        self->capacity = capacity;
    }
    memcpy (self->ids + self->count * BENCH_ID_SIZE, id, BENCH_ID_SIZE);
    self->count++;
}

size_t
bench_ids_count (bench_ids_t *self)
{
    return self->count;
}

const char *
bench_ids_get (bench_ids_t *self, size_t index)
{
    assert (index < self->count);
    return self->ids + index * BENCH_ID_SIZE;
}

//  ---------------------------------------------------------------------------

bench_trace_t *
bench_trace_new (size_t capacity, int64_t base)
{
    bench_trace_t *self = (bench_trace_t *) zmalloc (sizeof (bench_trace_t));
    self->sent_at = (_Atomic int64_t *) calloc (capacity? capacity: 1, sizeof (_Atomic int64_t));
    self->cell = (uint32_t *) calloc (capacity? capacity: 1, sizeof (uint32_t));
    self->month = (int8_t *) calloc (capacity? capacity: 1, sizeof (int8_t));
    assert (self->sent_at && self->cell && self->month);
    for (size_t index = 0; index < capacity; index++)
        atomic_init (&self->sent_at [index], 0);
    self->capacity = capacity;
    self->base = base;
    return self;
}

void
bench_trace_destroy (bench_trace_t **self_p)
{
    assert (self_p);
    bench_trace_t *self = *self_p;
    if (!self)
        return;
    free ((void *) self->sent_at);
    free (self->cell);
    free (self->month);
    free (self);
    *self_p = NULL;
}

int
bench_trace_reserve (bench_trace_t *self, size_t count, size_t *first)
{
    if (self->used + count > self->capacity)
        return -1;
    *first = self->used;
    self->used += count;
    return 0;
}

int64_t
bench_trace_value (bench_trace_t *self, size_t index)
{
    return self->base + (int64_t) index;
}

void
bench_trace_set_cell (bench_trace_t *self, size_t index, uint32_t cell, int month)
{
    assert (index < self->capacity);
    self->cell [index] = cell;
    self->month [index] = (int8_t) month;
}

void
bench_trace_sent (bench_trace_t *self, size_t first, size_t count, int64_t when)
{
    for (size_t index = first; index < first + count && index < self->capacity; index++)
        atomic_store_explicit (&self->sent_at [index], when, memory_order_release);
}

int
bench_trace_find (bench_trace_t *self, int64_t value, size_t *index, uint32_t *cell,
                  int *month, int64_t *sent_at)
{
    if (value < self->base || value - self->base >= (int64_t) self->capacity)
        return -1;
    size_t at = (size_t) (value - self->base);
    //  The send time is written after the cell (release), so a figure seen
    //  sent has its cell in place
    int64_t when = atomic_load_explicit (&self->sent_at [at], memory_order_acquire);
    if (when == 0)
        return -1;
    *index = at;
    *cell = self->cell [at];
    *month = self->month [at];
    *sent_at = when;
    return 0;
}

size_t
bench_trace_size (bench_trace_t *self)
{
    return self->used;
}

//  ---------------------------------------------------------------------------

void
bench_record_test (bool verbose)
{
    (void) verbose;
    printf (" * bench_record: ");
    bench_ids_t *ids = bench_ids_new ();
    char id [BM_CLIENT_ID_SIZE];
    for (int count = 0; count < 5000; count++) {
        bm_client_new_id (id);
        bench_ids_add (ids, id);
    }
    BENCH_CHECK (bench_ids_count (ids) == 5000);
    BENCH_CHECK (memcmp (bench_ids_get (ids, 4999), id, BENCH_ID_SIZE) == 0);
    bench_ids_destroy (&ids);
    bench_ids_destroy (&ids);

    bench_trace_t *trace = bench_trace_new (10, 1000);
    size_t first, index;
    uint32_t cell;
    int month;
    int64_t sent_at;
    BENCH_CHECK (bench_trace_reserve (trace, 4, &first) == 0 && first == 0);
    BENCH_CHECK (bench_trace_reserve (trace, 4, &first) == 0 && first == 4);
    BENCH_CHECK (bench_trace_reserve (trace, 4, &first) == -1);
    BENCH_CHECK (bench_trace_value (trace, 5) == 1005);
    bench_trace_set_cell (trace, 5, 7, 6);
    BENCH_CHECK (bench_trace_find (trace, 1005, &index, &cell, &month, &sent_at) == -1);
    bench_trace_sent (trace, 4, 4, 123);
    BENCH_CHECK (bench_trace_find (trace, 1005, &index, &cell, &month, &sent_at) == 0);
    BENCH_CHECK (index == 5 && cell == 7 && month == 6 && sent_at == 123);
    BENCH_CHECK (bench_trace_find (trace, 999, &index, &cell, &month, &sent_at) == -1);
    BENCH_CHECK (bench_trace_find (trace, 1010, &index, &cell, &month, &sent_at) == -1);
    BENCH_CHECK (bench_trace_size (trace) == 8);
    bench_trace_destroy (&trace);
    printf ("OK\n");
}
