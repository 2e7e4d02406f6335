/*  bench_record: what the run sent and what the server acknowledged.

    bench_ids_t keeps every submission id the server acknowledged (to count
    them among the stored figures at the end). bench_trace_t keeps, for each
    traced figure, its cell, its period and when it was sent, so that a
    follower receiving the completion event of that figure knows how long
    delivery took. A trace is written by the submitting thread and read by
    follower threads: its send times are atomic.
*/
#ifndef BENCH_RECORD_H_INCLUDED
#define BENCH_RECORD_H_INCLUDED

#include "bench.h"

#define BENCH_ID_SIZE 36        //  a UUID's text, without terminator

bench_ids_t *
    bench_ids_new (void);

void
    bench_ids_destroy (bench_ids_t **self_p);

//  Appends an id (36 characters of UUID text)
void
    bench_ids_add (bench_ids_t *self, const char *id);

size_t
    bench_ids_count (bench_ids_t *self);

//  The id at index, not terminated (BENCH_ID_SIZE characters)
const char *
    bench_ids_get (bench_ids_t *self, size_t index);

//  ---------------------------------------------------------------------------

//  Room for `capacity` traced figures, whose values count up from `base`
bench_trace_t *
    bench_trace_new (size_t capacity, int64_t base);

void
    bench_trace_destroy (bench_trace_t **self_p);

//  Takes the next `count` figures: 0 and *first set, or -1 if full
int
    bench_trace_reserve (bench_trace_t *self, size_t count, size_t *first);

//  The value a traced figure carries
int64_t
    bench_trace_value (bench_trace_t *self, size_t index);

//  Notes a figure's cell and month (before it is sent)
void
    bench_trace_set_cell (bench_trace_t *self, size_t index, uint32_t cell, int month);

//  Notes when figures first .. first + count - 1 were sent
void
    bench_trace_sent (bench_trace_t *self, size_t first, size_t count, int64_t when);

//  The traced figure whose value is `value`: 0 and its index, cell, month
//  and send time, or -1 if no such figure was sent
int
    bench_trace_find (bench_trace_t *self, int64_t value, size_t *index, uint32_t *cell,
                      int *month, int64_t *sent_at);

//  Figures reserved so far
size_t
    bench_trace_size (bench_trace_t *self);

void
    bench_record_test (bool verbose);

#endif
