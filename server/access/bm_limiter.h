/*  bm_limiter: a token bucket per key, so that one client cannot starve the
    rest. A bucket holds at most `burst` units and gains `rate` units a
    second. The server keeps two for every key but the bureau's (an
    administrator loads plans and history in bulk): one counts requests (a
    burst of twice BM_LIMITER_RATE, then BM_LIMITER_RATE a second, catch-up
    aside, whose pages a follower must fetch at full speed), and one counts
    the server time a key's requests take (BM_LIMITER_TIME_RATE
    microseconds a second, half the server, after a burst of four times
    that); battlemapd --rate-limit and --time-limit set both. A
    request over either limit is answered at once with RATE_LIMITED and the
    time to wait, and costs the server almost nothing.
*/
#ifndef BM_LIMITER_H_INCLUDED
#define BM_LIMITER_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>

#define BM_LIMITER_RATE         100         //  requests a second, a burst of twice that
#define BM_LIMITER_TIME_RATE    500000      //  microseconds of server time a second:
                                            //  half the server, a burst of 4 times that

typedef struct _bm_limiter_t bm_limiter_t;

bm_limiter_t *
    bm_limiter_new (int64_t burst, int64_t rate);

void
    bm_limiter_destroy (bm_limiter_t **self_p);

//  Takes `units` for the key at `now` (milliseconds, monotonic) if it has
//  them; false when it has not
bool
    bm_limiter_take (bm_limiter_t *self, const char *key, int64_t now, int64_t units);

//  True when the key has anything left (its bucket is above zero)
bool
    bm_limiter_allows (bm_limiter_t *self, const char *key, int64_t now);

//  Takes `units` whether or not the key has them: the bucket may go below
//  zero, and the key then waits until it refills
void
    bm_limiter_charge (bm_limiter_t *self, const char *key, int64_t now, int64_t units);

//  Milliseconds until the key has `units` (0 if it has them now)
int64_t
    bm_limiter_wait (bm_limiter_t *self, const char *key, int64_t now, int64_t units);

#endif
