/*  bm_zap: the server's ZAP handler (RFC 27), backed by the identity table.

    libzmq asks the handler at inproc://zeromq.zap.01 about every peer that
    completes a CURVE handshake with a socket that has curve_server set. A
    CURVE socket with no handler at that address accepts any key, so the
    server binds this handler before it sets up any CURVE socket, and does
    not start if it cannot. A key that is enrolled and not revoked is
    accepted and its Z85 text becomes the connection's User-Id; any other
    is refused, and the refusal audited and logged: up to BM_THROTTLE_BURST
    rows a second from one peer address, the attempts beyond counted in the
    next row (a peer making up keys cannot flood the audit or the log).
    On the event socket (ZAP domain BM_ZAP_EVENTS) a key barred for its
    subscriptions (bm_subscriptions) is refused until its bar ends.
*/
#ifndef BM_ZAP_H_INCLUDED
#define BM_ZAP_H_INCLUDED

#include "bm_identity.h"
#include "bm_subscriptions.h"
#include "bm_throttle.h"
#include <czmq.h>

#define BM_ZAP_ENDPOINT "inproc://zeromq.zap.01"
#define BM_ZAP_REQUESTS "battlemap"         //  the request socket's domain
#define BM_ZAP_EVENTS   "battlemap-events"  //  the event socket's

//  Binds the handler's REP socket; NULL on failure
zsock_t *
    bm_zap_new (void);

//  Answers one ZAP request waiting on the socket
void
    bm_zap_handle (zsock_t *zap, bm_keyring_t *keyring, bm_throttle_t *throttle,
                   bm_subscriptions_t *subscriptions, bm_engine_t *engine, bm_turn_t *turn);

#endif
