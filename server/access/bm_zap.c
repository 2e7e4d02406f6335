/*  bm_zap: the server's ZAP handler (RFC 27), backed by the identity table. */

#include "bm_zap.h"
#include "bm_identity.h"

#include <string.h>

zsock_t *
bm_zap_new (void)
{
    zsock_t *zap = zsock_new (ZMQ_REP);
    if (!zap)
        return NULL;
    if (zsock_bind (zap, BM_ZAP_ENDPOINT) != 0) {
        zsys_error ("cannot bind the ZAP handler at %s: %s", BM_ZAP_ENDPOINT,
                    zmq_strerror (zmq_errno ()));
        zsock_destroy (&zap);
    }
    return zap;
}

void
bm_zap_handle (zsock_t *zap, bm_keyring_t *keyring, bm_throttle_t *throttle,
               bm_subscriptions_t *subscriptions, bm_engine_t *engine, bm_turn_t *turn)
{
    zmsg_t *request = zmsg_recv (zap);
    if (!request)
        return;
    char *version = zmsg_popstr (request);
    char *sequence = zmsg_popstr (request);
    char *domain = zmsg_popstr (request);
    char *address = zmsg_popstr (request);
    char *identity = zmsg_popstr (request);
    char *mechanism = zmsg_popstr (request);
    zframe_t *credentials = zmsg_pop (request);
    zmsg_destroy (&request);

    char key [41] = "";
    const char *status = "400", *text = "not a CURVE client";
    char name [160] = "";
    if (version && streq (version, "1.0") && mechanism && streq (mechanism, "CURVE")
    &&  credentials && zframe_size (credentials) == 32) {
        zmq_z85_encode (key, zframe_data (credentials), 32);
        bm_arena_t *arena = bm_arena_new ();
        bm_identity_t known;
        bm_keyring_find (keyring, arena, key, &known);
        if (known.role != BM_ROLE_NONE && domain && streq (domain, BM_ZAP_EVENTS)
        &&  bm_subscriptions_barred (subscriptions, key, zclock_mono ()))
            text = "too many subscriptions from this key: barred from the events for a while";
        else
        if (known.role != BM_ROLE_NONE) {
            status = "200";
            text = "OK";
        }
        else
            text = "key not enrolled or revoked";
        snprintf (name, sizeof name, "%s", known.name);
        bm_arena_destroy (&arena);
    }
    if (streq (status, "400")) {
        //  Per peer address: a peer making up keys is one source
        char *source = zsys_sprintf ("connect %s", address? address: "?");
        char *peer = zsys_sprintf ("peer %s, mechanism %s", address? address: "?",
                                   mechanism? mechanism: "?");
        char *detail = bm_throttle_trace (throttle, source, zclock_mono (), peer);
        if (detail) {
            bm_audit (engine, turn, key, name, "connect", true, text, detail);
            zsys_warning ("connection refused: %s, key %s (%s)", text, *key? key: "none", detail);
        }
        free (detail);
        free (peer);
        free (source);
    }
    zmsg_t *reply = zmsg_new ();
    zmsg_addstr (reply, "1.0");
    zmsg_addstr (reply, sequence? sequence: "");
    zmsg_addstr (reply, status);
    zmsg_addstr (reply, text);
    zmsg_addstr (reply, streq (status, "200")? key: "");
    zmsg_addmem (reply, NULL, 0);          //  metadata: none
    zmsg_send (&reply, zap);
    zstr_free (&version);
    zstr_free (&sequence);
    zstr_free (&domain);
    zstr_free (&address);
    zstr_free (&identity);
    zstr_free (&mechanism);
    zframe_destroy (&credentials);
}
