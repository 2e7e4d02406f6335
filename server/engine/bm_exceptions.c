/*  bm_exceptions: the exceptions to the reporting windows, in memory. */

#include "bm_exceptions.h"
#include "bm_cycle.h"

#include <czmq.h>
#include <string.h>

//  Structure of our class

struct _bm_exceptions_t {
    zlistx_t *list;             //  bm_exception_t, by id
};

static void
s_exception_destroy (bm_exception_t **exception_p)
{
    bm_exception_t *exception = *exception_p;
    if (!exception)
        return;
    for (size_t index = 0; index < exception->indicator_count; index++)
        free (exception->indicators [index]);
    free (exception->indicators);
    free ((char *) exception->district);
    free ((char *) exception->unit);
    free ((char *) exception->status);
    free ((char *) exception->reason);
    free ((char *) exception->requested_by);
    free ((char *) exception->decided_by);
    free ((char *) exception->decision_reason);
    free (exception);
    *exception_p = NULL;
}

bm_exceptions_t *
bm_exceptions_new (void)
{
    bm_exceptions_t *self = (bm_exceptions_t *) zmalloc (sizeof (bm_exceptions_t));
    self->list = zlistx_new ();
    zlistx_set_destructor (self->list, (zlistx_destructor_fn *) s_exception_destroy);
    return self;
}

void
bm_exceptions_destroy (bm_exceptions_t **self_p)
{
    assert (self_p);
    bm_exceptions_t *self = *self_p;
    if (!self)
        return;
    zlistx_destroy (&self->list);
    free (self);
    *self_p = NULL;
}

static char *
s_copy (const char *text)
{
    return strdup (text? text: "");
}

bm_exception_t *
bm_exceptions_add (bm_exceptions_t *self, const bm_exception_t *exception)
{
    bm_exception_t *copy = (bm_exception_t *) zmalloc (sizeof (bm_exception_t));
    *copy = *exception;
    copy->district = s_copy (exception->district);
    copy->unit = s_copy (exception->unit);
    copy->status = s_copy (exception->status);
    copy->reason = s_copy (exception->reason);
    copy->requested_by = s_copy (exception->requested_by);
    copy->decided_by = s_copy (exception->decided_by);
    copy->decision_reason = s_copy (exception->decision_reason);
    copy->indicators = (char **) zmalloc ((exception->indicator_count + 1) * sizeof (char *));
    for (size_t index = 0; index < exception->indicator_count; index++)
        copy->indicators [index] = s_copy (exception->indicators [index]);
    zlistx_add_end (self->list, copy);
    return copy;
}

bm_exception_t *
bm_exceptions_find (bm_exceptions_t *self, int64_t id)
{
    for (bm_exception_t *exception = zlistx_first (self->list); exception;
         exception = zlistx_next (self->list))
        if (exception->id == id)
            return exception;
    return NULL;
}

void
bm_exceptions_decide (bm_exceptions_t *self, bm_exception_t *exception, bool grant,
                      const char *by, int64_t at, const char *reason, int64_t until)
{
    free ((char *) exception->status);
    free ((char *) exception->decided_by);
    free ((char *) exception->decision_reason);
    exception->status = strdup (grant? "granted": "refused");
    exception->decided_by = s_copy (by);
    exception->decision_reason = s_copy (reason);
    exception->decided_at = at;
    if (until)
        exception->until = until;
}

const bm_exception_t *
bm_exceptions_open (bm_exceptions_t *self, int unit_id, bm_period_t period, bool final,
                    const char *indicator, int64_t now)
{
    const bm_exception_t *found = NULL;
    for (bm_exception_t *exception = zlistx_first (self->list); exception;
         exception = zlistx_next (self->list)) {
        if (exception->unit_id != unit_id || bm_period_cmp (exception->period, period)
        ||  exception->final != final || !streq (exception->status, "granted")
        ||  exception->until <= now)
            continue;
        bool covers = exception->indicator_count == 0;
        for (size_t index = 0; !covers && index < exception->indicator_count; index++)
            covers = streq (exception->indicators [index], indicator);
        if (covers && (!found || exception->until > found->until))
            found = exception;
    }
    return found;
}

const bm_exception_t *
bm_exceptions_first (bm_exceptions_t *self)
{
    return (const bm_exception_t *) zlistx_first (self->list);
}

const bm_exception_t *
bm_exceptions_next (bm_exceptions_t *self)
{
    return (const bm_exception_t *) zlistx_next (self->list);
}

//  A PostgreSQL text array literal of the codes
static char *
s_codes (const bm_exception_t *exception)
{
    char *codes = strdup ("{");
    for (size_t index = 0; index < exception->indicator_count; index++) {
        char *grown = zsys_sprintf ("%s%s\"%s\"", codes, index? ",": "",
                                    exception->indicators [index]);
        free (codes);
        codes = grown;
    }
    char *closed = zsys_sprintf ("%s}", codes);
    free (codes);
    return closed;
}

void
bm_exceptions_queue (const bm_exception_t *exception, bm_batch_t *batch)
{
    char id [24], unit [24], period [16], until [BM_TIME_STR_MAX], requested [BM_TIME_STR_MAX];
    char decided [BM_TIME_STR_MAX];
    snprintf (id, sizeof id, "%lld", (long long) exception->id);
    snprintf (unit, sizeof unit, "%d", exception->unit_id);
    snprintf (period, sizeof period, "%04d-%02d-01", exception->period.year % 10000,
              exception->period.month % 100);
    bm_time_format (exception->until, until);
    bm_time_format (exception->requested_at, requested);
    bm_time_format (exception->decided_at, decided);
    char *codes = s_codes (exception);
    const char *values [] = {
        id, unit, period, exception->final? "final": "forecast", codes, until,
        exception->status, exception->reason, exception->requested_by, requested,
        exception->decided_by, exception->decided_at? decided: NULL, exception->decision_reason
    };
    bm_batch_exception (batch, values);
    free (codes);
}

void
bm_exceptions_fill (const bm_exception_t *exception, bm_arena_t *arena,
                    Battlemap__WindowException *out)
{
    char buf [BM_TIME_STR_MAX], period [BM_PERIOD_STR_MAX];
    out->id = exception->id;
    out->district = bm_arena_strdup (arena, exception->district);
    out->unit = bm_arena_strdup (arena, exception->unit);
    out->period = bm_arena_strdup (arena, bm_period_format (exception->period, period));
    out->kind = exception->final? BATTLEMAP__FIGURE_KIND__FINAL: BATTLEMAP__FIGURE_KIND__FORECAST;
    out->n_indicators = exception->indicator_count;
    out->indicators = bm_arena_alloc (arena, (exception->indicator_count + 1) * sizeof (char *));
    for (size_t index = 0; index < exception->indicator_count; index++)
        out->indicators [index] = bm_arena_strdup (arena, exception->indicators [index]);
    out->until = bm_arena_strdup (arena, bm_time_format (exception->until, buf));
    out->status = bm_arena_strdup (arena, exception->status);
    out->reason = bm_arena_strdup (arena, exception->reason);
    out->requested_by = bm_arena_strdup (arena, exception->requested_by);
    out->requested_at = bm_arena_strdup (arena, bm_time_format (exception->requested_at, buf));
    out->decided_by = bm_arena_strdup (arena, exception->decided_by);
    out->decided_at = bm_arena_strdup (arena, exception->decided_at
                                              ? bm_time_format (exception->decided_at, buf): "");
    out->decision_reason = bm_arena_strdup (arena, exception->decision_reason);
}
