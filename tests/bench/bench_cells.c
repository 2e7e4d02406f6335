/*  bench_cells: the cells of a plan that take a numeric figure. */

#include "bench_cells.h"
#include "bench_record.h"
#include "bm_plan.h"

#include <stdlib.h>
#include <string.h>

#define BENCH_MAX_BATCH 1000    //  figures in one request built here

//  Structure of our class

struct _bench_cells_t {
    bench_cell_t *cells;
    size_t count;
    char *district;             //  the plan's district code
    int year;                   //  the plan's year
};

//  True if a milestone of the indicator measure, of any unit, is text only:
//  a number sent for a month it covers would be refused
static bool
s_has_text_milestone (const bm_plan_t *plan, const char *indicator, const char *measure)
{
    for (size_t index = 0; index < plan->milestone_count; index++) {
        const bm_plan_milestone_t *milestone = plan->milestones + index;
        if (streq (milestone->indicator, indicator) && streq (milestone->measure, measure)
        &&  !milestone->has_value)
            return true;
    }
    return false;
}

//  True for a target whose cell takes a plain number at any month
static bool
s_takes_number (const bm_plan_t *plan, const bm_plan_target_t *target)
{
    if (target->no_target || !streq (target->role, "working")
    ||  streq (target->unit, BM_DISTRICT_UNIT))
        return false;
    const bm_plan_indicator_t *indicator =
        bm_plan_indicator (plan, target->indicator, target->measure);
    return indicator && streq (indicator->kind, "amount")
        && !s_has_text_milestone (plan, target->indicator, target->measure);
}

bench_cells_t *
bench_cells_new (const char *plan_dir)
{
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = bm_plan_parse_dir (plan_dir, errors);
    if (!plan) {
        fprintf (stderr, "bm_bench: cannot read the plan in %s:\n", plan_dir);
        for (char *error = zlist_first (errors); error; error = zlist_next (errors))
            fprintf (stderr, "  %s\n", error);
        zlist_destroy (&errors);
        return NULL;
    }
    zlist_destroy (&errors);
    bench_cells_t *self = (bench_cells_t *) zmalloc (sizeof (bench_cells_t));
    self->cells = (bench_cell_t *) calloc (plan->target_count + 1, sizeof (bench_cell_t));
    self->district = strdup (plan->header.district);
    self->year = plan->header.year;
    //  A unit may have several targets for one cell (kinds): keep one
    zhashx_t *seen = zhashx_new ();
    for (size_t index = 0; index < plan->target_count; index++) {
        const bm_plan_target_t *target = plan->targets + index;
        if (!s_takes_number (plan, target))
            continue;
        char *key = zsys_sprintf ("%s\x1f%s\x1f%s", target->unit, target->indicator,
                                  target->measure);
        if (!zhashx_lookup (seen, key)) {
            zhashx_insert (seen, key, (void *) 1);
            bench_cell_t *cell = self->cells + self->count++;
            cell->unit = strdup (target->unit);
            cell->indicator = strdup (target->indicator);
            cell->measure = strdup (target->measure);
        }
        free (key);
    }
    zhashx_destroy (&seen);
    bm_plan_destroy (&plan);
    if (self->count == 0) {
        fprintf (stderr, "bm_bench: the plan in %s has no unit with a numeric amount "
                 "target to submit figures for\n", plan_dir);
        bench_cells_destroy (&self);
    }
    return self;
}

void
bench_cells_destroy (bench_cells_t **self_p)
{
    assert (self_p);
    bench_cells_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->count; index++) {
        free (self->cells [index].unit);
        free (self->cells [index].indicator);
        free (self->cells [index].measure);
    }
    free (self->cells);
    free (self->district);
    free (self);
    *self_p = NULL;
}

size_t
bench_cells_size (bench_cells_t *self)
{
    return self->count;
}

const bench_cell_t *
bench_cells_get (bench_cells_t *self, size_t index)
{
    assert (index < self->count);
    return self->cells + index;
}

const char *
bench_cells_district (bench_cells_t *self)
{
    return self->district;
}

int
bench_cells_year (bench_cells_t *self)
{
    return self->year;
}

uint64_t
bench_random (uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

//  What one figure of a request needs besides the cell's own strings
typedef struct {
    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    char period [16];
    char value [32];
} s_slot_t;

//  Fills a slot with a figure of the cell in the month of the plan's year;
//  a value of NULL: a random one
static void
s_fill (bench_cells_t *self, s_slot_t *slot, const bench_cell_t *cell, int month,
        Battlemap__FigureKind kind, const char *value, uint64_t *random)
{
    battlemap__figure__init (&slot->figure);
    bm_client_new_id (slot->id);
    snprintf (slot->period, sizeof slot->period, "%04d-%02d", self->year, month);
    slot->figure.id = slot->id;
    slot->figure.district = self->district;
    slot->figure.unit = cell->unit;
    slot->figure.indicator = cell->indicator;
    slot->figure.measure = cell->measure;
    slot->figure.period = slot->period;
    slot->figure.kind = kind;
    if (value)
        snprintf (slot->value, sizeof slot->value, "%s", value);
    else {
        uint64_t number = bench_random (random) % 100000000;
        snprintf (slot->value, sizeof slot->value, "%llu.%02llu",
                  (unsigned long long) (number / 100), (unsigned long long) (number % 100));
    }
    slot->figure.value = slot->value;
    slot->figure.confirmed = true;      //  made-up load: no plausibility hold
}

//  The SubmitRequest of the slots' figures, packed
static zframe_t *
s_pack (s_slot_t *slots, int count)
{
    Battlemap__Figure **figures =
        (Battlemap__Figure **) calloc ((size_t) count, sizeof (Battlemap__Figure *));
    assert (figures);
    for (int index = 0; index < count; index++)
        figures [index] = &slots [index].figure;
    Battlemap__SubmitRequest submit = BATTLEMAP__SUBMIT_REQUEST__INIT;
    submit.figures = figures;
    submit.n_figures = (size_t) count;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.version = BM_PROTOCOL_VERSION;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_SUBMIT;
    request.submit = &submit;
    zframe_t *frame = bm_wire_pack (&request);
    free (figures);
    return frame;
}

zframe_t *
bench_cells_request (bench_cells_t *self, uint64_t *random, int count,
                     bench_trace_t *trace, size_t *first)
{
    assert (count >= 1 && count <= BENCH_MAX_BATCH);
    if (trace && bench_trace_reserve (trace, (size_t) count, first))
        return NULL;
    s_slot_t *slots = (s_slot_t *) calloc ((size_t) count, sizeof (s_slot_t));
    assert (slots);
    for (int index = 0; index < count; index++) {
        uint32_t which = (uint32_t) (bench_random (random) % self->count);
        int month = 1 + (int) (bench_random (random) % 12);
        if (trace) {
            size_t at = *first + (size_t) index;
            bench_trace_set_cell (trace, at, which, month);
            char value [32];
            snprintf (value, sizeof value, "%lld", (long long) bench_trace_value (trace, at));
            s_fill (self, slots + index, self->cells + which, month,
                    BATTLEMAP__FIGURE_KIND__FINAL, value, random);
        }
        else
            s_fill (self, slots + index, self->cells + which, month,
                    bench_random (random) % 2? BATTLEMAP__FIGURE_KIND__FINAL
                                             : BATTLEMAP__FIGURE_KIND__FORECAST,
                    NULL, random);
    }
    zframe_t *frame = s_pack (slots, count);
    free (slots);
    return frame;
}

zframe_t *
bench_cells_request_month (bench_cells_t *self, uint64_t *random, size_t first, int count,
                           int month, Battlemap__FigureKind kind)
{
    assert (first < self->count && count >= 1 && count <= BENCH_MAX_BATCH);
    assert (month >= 1 && month <= 12);
    if ((size_t) count > self->count - first)
        count = (int) (self->count - first);
    s_slot_t *slots = (s_slot_t *) calloc ((size_t) count, sizeof (s_slot_t));
    assert (slots);
    for (int index = 0; index < count; index++)
        s_fill (self, slots + index, self->cells + first + (size_t) index, month, kind, NULL,
                random);
    zframe_t *frame = s_pack (slots, count);
    free (slots);
    return frame;
}

//  ---------------------------------------------------------------------------

void
bench_cells_test (bool verbose)
{
    printf (" * bench_cells: ");
    const char *source = getenv ("BM_SOURCE_DIR");
    char *dir = zsys_sprintf ("%s/deploy/plans/qingpu-2023", source? source: ".");
    bench_cells_t *cells = bench_cells_new (dir);
    free (dir);
    if (!cells) {
        printf ("skipped (no plan; set BM_SOURCE_DIR)\n");
        return;
    }
    BENCH_CHECK (bench_cells_size (cells) > 0);
    BENCH_CHECK (streq (bench_cells_district (cells), "qingpu"));
    BENCH_CHECK (bench_cells_year (cells) == 2023);
    for (size_t index = 0; index < bench_cells_size (cells); index++)
        BENCH_CHECK (!streq (bench_cells_get (cells, index)->unit, BM_DISTRICT_UNIT));
    if (verbose)
        printf ("(%zu cells) ", bench_cells_size (cells));

    uint64_t random = 42;
    zframe_t *frame = bench_cells_request (cells, &random, 100, NULL, NULL);
    Battlemap__Envelope *envelope = bm_wire_unpack (zframe_data (frame), zframe_size (frame));
    BENCH_CHECK (envelope && envelope->body_case == BATTLEMAP__ENVELOPE__BODY_SUBMIT);
    BENCH_CHECK (envelope->submit->n_figures == 100);
    BENCH_CHECK (strlen (envelope->submit->figures [0]->id) == 36);
    BENCH_CHECK (strncmp (envelope->submit->figures [0]->period, "2023-", 5) == 0);
    bm_wire_free (&envelope);
    zframe_destroy (&frame);

    bench_trace_t *trace = bench_trace_new (3, 5000000);
    size_t first = 99;
    frame = bench_cells_request (cells, &random, 2, trace, &first);
    BENCH_CHECK (frame && first == 0);
    envelope = bm_wire_unpack (zframe_data (frame), zframe_size (frame));
    BENCH_CHECK (streq (envelope->submit->figures [1]->value, "5000001"));
    BENCH_CHECK (envelope->submit->figures [1]->kind == BATTLEMAP__FIGURE_KIND__FINAL);
    bm_wire_free (&envelope);
    zframe_destroy (&frame);
    BENCH_CHECK (bench_cells_request (cells, &random, 2, trace, &first) == NULL);
    bench_trace_destroy (&trace);

    //  The month's requests: consecutive cells, the last request shorter
    size_t last = bench_cells_size (cells) - 1;
    frame = bench_cells_request_month (cells, &random, last, 100, 6,
                                       BATTLEMAP__FIGURE_KIND__FINAL);
    envelope = bm_wire_unpack (zframe_data (frame), zframe_size (frame));
    BENCH_CHECK (envelope && envelope->submit->n_figures == 1);
    BENCH_CHECK (streq (envelope->submit->figures [0]->period, "2023-06"));
    BENCH_CHECK (envelope->submit->figures [0]->kind == BATTLEMAP__FIGURE_KIND__FINAL);
    BENCH_CHECK (streq (envelope->submit->figures [0]->unit, bench_cells_get (cells, last)->unit));
    bm_wire_free (&envelope);
    zframe_destroy (&frame);
    bench_cells_destroy (&cells);
    bench_cells_destroy (&cells);
    printf ("OK\n");
}
