/*  bm_throttle: how often one source may leave a trace.

    A peer that keeps failing (a key nobody enrolled reconnecting, a revoked
    key sending on an open connection, malformed frames, refused
    subscriptions, requests over the rate limit) must not fill the audit
    table and the log as fast as it can send. Each source (a key, or a peer
    address when there is no key to name) may leave `burst` traces an
    interval; what it does beyond that is counted, and the count is given
    with its next trace. Sources not seen for an interval are forgotten
    when the table grows past its bound.
*/
#ifndef BM_THROTTLE_H_INCLUDED
#define BM_THROTTLE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BM_THROTTLE_INTERVAL    1000    //  ms
#define BM_THROTTLE_BURST       5       //  traces a source an interval
#define BM_THROTTLE_SOURCES     10000   //  sources remembered before the old are forgotten

typedef struct _bm_throttle_t bm_throttle_t;

bm_throttle_t *
    bm_throttle_new (int64_t interval_ms, int burst, size_t sources);

void
    bm_throttle_destroy (bm_throttle_t **self_p);

//  An event from `source` at `now` (ms, monotonic): true when it may leave
//  a trace, with *held set to how many events of the source were held back
//  (left no trace) since its last trace; false when it is held back.
bool
    bm_throttle_pass (bm_throttle_t *self, const char *source, int64_t now, uint64_t *held);

//  The same for a trace with a text: NULL when held back, else the text
//  (to free) with the count of what was held back since the last trace
char *
    bm_throttle_trace (bm_throttle_t *self, const char *source, int64_t now, const char *text);

//  Sources remembered
size_t
    bm_throttle_size (bm_throttle_t *self);

#endif
