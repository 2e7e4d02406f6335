/*  bm_watch: receive the server's events, filtered by topic prefix. */

#include "bm_client.h"
#include "bm_client_private.h"

#include <czmq.h>

struct _bm_watch_t {
    zsock_t *sub;               //  to the server's PUB
};

bm_watch_t *
bm_watch_new (const char *endpoint, const char *prefix, zcert_t *cert,
              const char *server_key)
{
    bm_watch_t *self = (bm_watch_t *) zmalloc (sizeof (bm_watch_t));
    self->sub = zsock_new (ZMQ_SUB);
    if (self->sub) {
        bm_client_secure (self->sub, cert, server_key);
        zsock_set_maxmsgsize (self->sub, BM_SOCKET_MAX_MESSAGE);
        zsock_set_subscribe (self->sub, prefix? prefix: "");
    }
    if (!self->sub || zsock_connect (self->sub, "%s", endpoint)) {
        zsock_destroy (&self->sub);
        free (self);
        return NULL;
    }
    return self;
}

void
bm_watch_destroy (bm_watch_t **self_p)
{
    assert (self_p);
    bm_watch_t *self = *self_p;
    if (!self)
        return;
    zsock_destroy (&self->sub);
    free (self);
    *self_p = NULL;
}

Battlemap__Envelope *
bm_watch_recv (bm_watch_t *self, int timeout, char **topic)
{
    zsock_set_rcvtimeo (self->sub, timeout);
    while (!zsys_interrupted) {
        zmsg_t *message = zmsg_recv (self->sub);
        if (!message)
            return NULL;
        char *name = zmsg_popstr (message);
        zframe_t *body = zmsg_first (message);
        Battlemap__Envelope *envelope = body
            ? bm_wire_unpack (zframe_data (body), zframe_size (body)): NULL;
        zmsg_destroy (&message);
        if (envelope && envelope->body_case == BATTLEMAP__ENVELOPE__BODY_EVENT) {
            if (topic)
                *topic = name;
            else
                zstr_free (&name);
            return envelope;
        }
        bm_wire_free (&envelope);
        zstr_free (&name);
    }
    return NULL;
}
