/*  bench_cells: the cells of a plan that take a numeric figure, and submit
    requests built of them.

    A cell is a unit and an indicator measure the unit has a working target
    for, of kind amount, whose milestones are all numbers (a text milestone
    takes a status, not a number), and never the district (全区) itself.
    Every figure gets a fresh random id, a period of the plan's year and a
    random value; a traced figure (bench_trace) is a final whose value is
    unique in the run, so that followers can tell which figure a completion
    event is about.
*/
#ifndef BENCH_CELLS_H_INCLUDED
#define BENCH_CELLS_H_INCLUDED

#include "bench.h"

typedef struct {
    char *unit;
    char *indicator;
    char *measure;              //  "" for a single-measure indicator
} bench_cell_t;

//  Reads the plan in plan_dir. NULL, with a message on stderr, if it cannot
//  be parsed or has no such cell.
bench_cells_t *
    bench_cells_new (const char *plan_dir);

void
    bench_cells_destroy (bench_cells_t **self_p);

size_t
    bench_cells_size (bench_cells_t *self);

const bench_cell_t *
    bench_cells_get (bench_cells_t *self, size_t index);

//  The plan's district code ("qingpu") and year
const char *
    bench_cells_district (bench_cells_t *self);
int
    bench_cells_year (bench_cells_t *self);

//  A packed Envelope holding a SubmitRequest of `count` figures in random
//  cells. With a trace, the figures are traced: *first gets the trace index
//  of the first (the others follow), and the caller records the send time
//  with bench_trace_sent. NULL if the trace is full.
zframe_t *
    bench_cells_request (bench_cells_t *self, uint64_t *random, int count,
                         bench_trace_t *trace, size_t *first);

//  A packed Envelope holding a SubmitRequest of a figure of the kind, of a
//  random value, in the month (1-12) of the plan's year for each of `count`
//  cells from `first` (fewer where the cells end)
zframe_t *
    bench_cells_request_month (bench_cells_t *self, uint64_t *random, size_t first,
                               int count, int month, Battlemap__FigureKind kind);

//  A random number (xorshift64); *state must not be 0
uint64_t
    bench_random (uint64_t *state);

void
    bench_cells_test (bool verbose);

#endif
