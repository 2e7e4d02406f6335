/*  bm_limiter: a token bucket per key, so that one client cannot starve the
    rest. Each key may send a burst of BM_LIMITER_BURST requests and then
    BM_LIMITER_RATE a second; a request over the limit is answered at once
    with RATE_LIMITED and costs the server almost nothing.
*/
#ifndef BM_LIMITER_H_INCLUDED
#define BM_LIMITER_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>

#define BM_LIMITER_BURST 200
#define BM_LIMITER_RATE  100        //  requests a second

typedef struct _bm_limiter_t bm_limiter_t;

bm_limiter_t *
    bm_limiter_new (int burst, int rate);

void
    bm_limiter_destroy (bm_limiter_t **self_p);

//  Takes a token for the key at `now` (milliseconds, monotonic); false when
//  the key has none left
bool
    bm_limiter_take (bm_limiter_t *self, const char *key, int64_t now);

#endif
