/*  bm_limiter: a token bucket per key. */

#include "bm_limiter.h"

#include <czmq.h>

typedef struct {
    int64_t tokens;             //  thousandths of a unit
    int64_t last;               //  when last refilled, msecs
} s_bucket_t;

//  Structure of our class

struct _bm_limiter_t {
    zhashx_t *buckets;          //  key -> s_bucket_t
    int64_t burst;              //  thousandths of a unit
    int64_t rate;               //  units a second: thousandths a millisecond
};

bm_limiter_t *
bm_limiter_new (int64_t burst, int64_t rate)
{
    bm_limiter_t *self = (bm_limiter_t *) zmalloc (sizeof (bm_limiter_t));
    self->buckets = zhashx_new ();
    zhashx_set_destructor (self->buckets, (zhashx_destructor_fn *) zstr_free);
    self->burst = burst * 1000;
    self->rate = rate;
    return self;
}

void
bm_limiter_destroy (bm_limiter_t **self_p)
{
    bm_limiter_t *self = *self_p;
    if (self) {
        zhashx_destroy (&self->buckets);
        free (self);
        *self_p = NULL;
    }
}

//  The key's bucket, refilled to now
static s_bucket_t *
s_bucket (bm_limiter_t *self, const char *key, int64_t now)
{
    s_bucket_t *bucket = (s_bucket_t *) zhashx_lookup (self->buckets, key);
    if (!bucket) {
        bucket = (s_bucket_t *) zmalloc (sizeof (s_bucket_t));
        bucket->tokens = self->burst;
        bucket->last = now;
        zhashx_insert (self->buckets, key, bucket);
    }
    if (now > bucket->last) {
        bucket->tokens += (now - bucket->last) * self->rate;
        if (bucket->tokens > self->burst)
            bucket->tokens = self->burst;
        bucket->last = now;
    }
    return bucket;
}

bool
bm_limiter_take (bm_limiter_t *self, const char *key, int64_t now, int64_t units)
{
    s_bucket_t *bucket = s_bucket (self, key, now);
    if (bucket->tokens < units * 1000)
        return false;
    bucket->tokens -= units * 1000;
    return true;
}

bool
bm_limiter_allows (bm_limiter_t *self, const char *key, int64_t now)
{
    return s_bucket (self, key, now)->tokens > 0;
}

void
bm_limiter_charge (bm_limiter_t *self, const char *key, int64_t now, int64_t units)
{
    s_bucket (self, key, now)->tokens -= units * 1000;
}

int64_t
bm_limiter_wait (bm_limiter_t *self, const char *key, int64_t now, int64_t units)
{
    s_bucket_t *bucket = s_bucket (self, key, now);
    int64_t missing = units * 1000 - bucket->tokens;
    if (missing <= 0 || self->rate <= 0)
        return 0;
    return (missing + self->rate - 1) / self->rate;
}
