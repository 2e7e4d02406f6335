/*  bm_limiter: a token bucket per key. */

#include "bm_limiter.h"

#include <czmq.h>

typedef struct {
    int64_t tokens;             //  thousandths of a request
    int64_t last;               //  when last refilled, msecs
} s_bucket_t;

struct _bm_limiter_t {
    zhashx_t *buckets;          //  key -> s_bucket_t
    int64_t burst;              //  thousandths
    int64_t rate;               //  requests a second
};

bm_limiter_t *
bm_limiter_new (int burst, int rate)
{
    bm_limiter_t *self = (bm_limiter_t *) zmalloc (sizeof (bm_limiter_t));
    self->buckets = zhashx_new ();
    zhashx_set_destructor (self->buckets, (zhashx_destructor_fn *) zstr_free);
    self->burst = (int64_t) burst * 1000;
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

bool
bm_limiter_take (bm_limiter_t *self, const char *key, int64_t now)
{
    s_bucket_t *bucket = (s_bucket_t *) zhashx_lookup (self->buckets, key);
    if (!bucket) {
        bucket = (s_bucket_t *) zmalloc (sizeof (s_bucket_t));
        bucket->tokens = self->burst;
        bucket->last = now;
        zhashx_insert (self->buckets, key, bucket);
    }
    //  Refill: rate requests a second, i.e. rate thousandths a millisecond
    bucket->tokens += (now - bucket->last) * self->rate;
    if (bucket->tokens > self->burst)
        bucket->tokens = self->burst;
    bucket->last = now;
    if (bucket->tokens < 1000)
        return false;
    bucket->tokens -= 1000;
    return true;
}
