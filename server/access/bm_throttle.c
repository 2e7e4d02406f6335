/*  bm_throttle: how often one source may leave a trace. */

#include "bm_throttle.h"

#include <czmq.h>

typedef struct {
    int64_t window;             //  when its interval began
    int passed;                 //  traces in it
    uint64_t held;              //  events held back since its last trace
} s_source_t;

struct _bm_throttle_t {
    zhashx_t *sources;          //  source -> s_source_t
    int64_t interval;
    int burst;
    size_t bound;
};

bm_throttle_t *
bm_throttle_new (int64_t interval_ms, int burst, size_t sources)
{
    assert (interval_ms > 0 && burst > 0 && sources > 0);
    bm_throttle_t *self = (bm_throttle_t *) zmalloc (sizeof (bm_throttle_t));
    self->sources = zhashx_new ();
    zhashx_set_destructor (self->sources, (zhashx_destructor_fn *) zstr_free);
    self->interval = interval_ms;
    self->burst = burst;
    self->bound = sources;
    return self;
}

void
bm_throttle_destroy (bm_throttle_t **self_p)
{
    assert (self_p);
    bm_throttle_t *self = *self_p;
    if (self) {
        zhashx_destroy (&self->sources);
        free (self);
        *self_p = NULL;
    }
}

//  Forgets the sources whose interval is over and who hold nothing back;
//  if that is not enough, every source
static void
s_forget (bm_throttle_t *self, int64_t now)
{
    zlistx_t *keys = zhashx_keys (self->sources);
    for (const char *key = (const char *) zlistx_first (keys); key;
         key = (const char *) zlistx_next (keys)) {
        s_source_t *source = (s_source_t *) zhashx_lookup (self->sources, key);
        if (now - source->window >= self->interval && source->held == 0)
            zhashx_delete (self->sources, key);
    }
    zlistx_destroy (&keys);
    if (zhashx_size (self->sources) >= self->bound)
        zhashx_purge (self->sources);
}

bool
bm_throttle_pass (bm_throttle_t *self, const char *source_name, int64_t now, uint64_t *held)
{
    assert (self && source_name);
    s_source_t *source = (s_source_t *) zhashx_lookup (self->sources, source_name);
    if (!source) {
        if (zhashx_size (self->sources) >= self->bound)
            s_forget (self, now);
        source = (s_source_t *) zmalloc (sizeof (s_source_t));
        source->window = now;
        zhashx_insert (self->sources, source_name, source);
    }
    if (now - source->window >= self->interval) {
        source->window = now;
        source->passed = 0;
    }
    if (source->passed >= self->burst) {
        source->held++;
        return false;
    }
    source->passed++;
    if (held)
        *held = source->held;
    source->held = 0;
    return true;
}

char *
bm_throttle_trace (bm_throttle_t *self, const char *source, int64_t now, const char *text)
{
    uint64_t held;
    if (!bm_throttle_pass (self, source, now, &held))
        return NULL;
    if (!held)
        return strdup (text);
    return *text? zsys_sprintf ("%s (%llu more since the last row)", text,
                                (unsigned long long) held)
                : zsys_sprintf ("%llu more since the last row", (unsigned long long) held);
}

size_t
bm_throttle_size (bm_throttle_t *self)
{
    return zhashx_size (self->sources);
}
