/*  bm_clock: the server's time, injectable. */

#include "bm_clock.h"
#include "bm_cycle.h"

#include <assert.h>
#include <stdlib.h>
#include <time.h>

//  Structure of our class

struct _bm_clock_t {
    bool settable;              //  frozen, moved only by bm_clock_set
    int64_t frozen;             //  the time, when settable
    int64_t offset;             //  added to the system time otherwise
};

bm_clock_t *
bm_clock_new (const char *start, bool settable)
{
    int64_t system = (int64_t) time (NULL);
    int64_t begin = system;
    if (start && bm_time_parse (start, &begin, NULL))
        return NULL;
    bm_clock_t *self = (bm_clock_t *) calloc (1, sizeof (bm_clock_t));
    assert (self);
    self->settable = settable;
    self->frozen = begin;
    self->offset = begin - system;
    return self;
}

void
bm_clock_destroy (bm_clock_t **self_p)
{
    assert (self_p);
    free (*self_p);
    *self_p = NULL;
}

int64_t
bm_clock_now (bm_clock_t *self)
{
    return self->settable? self->frozen: (int64_t) time (NULL) + self->offset;
}

bool
bm_clock_settable (bm_clock_t *self)
{
    return self->settable;
}

int
bm_clock_set (bm_clock_t *self, int64_t now)
{
    if (!self->settable)
        return -1;
    self->frozen = now;
    return 0;
}

char *
bm_clock_text (bm_clock_t *self, char *buf)
{
    return bm_time_format (bm_clock_now (self), buf);
}
