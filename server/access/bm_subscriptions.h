/*  bm_subscriptions: how much a key may subscribe.

    Every subscription costs the server memory in libzmq's subscription
    tries (tens of kB for a long, unusual prefix), and libzmq keeps what a
    peer sends even when the server refuses to apply it. So each key may
    hold at most BM_SUBSCRIPTION_PREFIXES distinct prefixes and send at most
    BM_SUBSCRIPTION_MESSAGES subscriptions a minute (a follower sends its
    few prefixes again on each reconnection, which stays far below). A key
    over either cap is barred from the event socket for BM_SUBSCRIPTION_BAR
    ms: the server drops every subscriber (the others reconnect by
    themselves and catch up on what they missed), and the ZAP handler
    refuses the barred key on the event socket until the bar ends.
*/
#ifndef BM_SUBSCRIPTIONS_H_INCLUDED
#define BM_SUBSCRIPTIONS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BM_SUBSCRIPTION_PREFIXES    64      //  distinct prefixes a key
#define BM_SUBSCRIPTION_MESSAGES    256     //  subscriptions a key a minute
#define BM_SUBSCRIPTION_BAR         60000   //  ms a key over a cap is barred

typedef struct _bm_subscriptions_t bm_subscriptions_t;

bm_subscriptions_t *
    bm_subscriptions_new (size_t prefixes, size_t messages, int64_t bar_ms);

void
    bm_subscriptions_destroy (bm_subscriptions_t **self_p);

//  A subscription from the key at `now` (ms, monotonic): 0 when it may be
//  applied, -1 when the key is over a cap (it is barred from now on)
int
    bm_subscriptions_add (bm_subscriptions_t *self, const char *key, const char *prefix,
                          int64_t now);

//  The key unsubscribed from the prefix
void
    bm_subscriptions_remove (bm_subscriptions_t *self, const char *key, const char *prefix);

//  Whether the key is barred at `now`
bool
    bm_subscriptions_barred (bm_subscriptions_t *self, const char *key, int64_t now);

//  Every subscriber was dropped: counts start again (bars stay)
void
    bm_subscriptions_reset (bm_subscriptions_t *self);

#endif
