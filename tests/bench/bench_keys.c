/*  bench_keys: a pool of CURVE key pairs, one per benchmark connection. */

#include "bench_keys.h"

#include <stdlib.h>

//  Structure of our class

struct _bench_keys_t {
    bm_client_t *admin;         //  enrols them, not ours
    zcert_t **certs;            //  by index, NULL until first asked for
    size_t capacity;
    size_t enrolled;
};

bench_keys_t *
bench_keys_new (bm_client_t *admin)
{
    bench_keys_t *self = (bench_keys_t *) zmalloc (sizeof (bench_keys_t));
    self->admin = admin;
    return self;
}

void
bench_keys_destroy (bench_keys_t **self_p)
{
    assert (self_p);
    bench_keys_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->capacity; index++)
        zcert_destroy (&self->certs [index]);
    free (self->certs);
    free (self);
    *self_p = NULL;
}

//  Enrols a key as an administrator; 0 or -1 with a message
static int
s_enroll (bm_client_t *admin, zcert_t *cert, size_t index)
{
    char name [64];
    snprintf (name, sizeof name, "bench-%zu", index);
    Battlemap__IdentityRequest identity = BATTLEMAP__IDENTITY_REQUEST__INIT;
    identity.action = BATTLEMAP__IDENTITY_ACTION__ENROLL;
    identity.public_key = (char *) zcert_public_txt (cert);
    identity.name = name;
    identity.role = "admin";
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_IDENTITY;
    request.identity = &identity;
    //  The administrator's own key is rate-limited too: wait and try again
    for (int attempt = 0; attempt < 50; attempt++) {
        Battlemap__Envelope *reply = bm_client_request (admin, &request);
        if (reply && reply->body_case == BATTLEMAP__ENVELOPE__BODY_IDENTITY_REPLY) {
            bm_wire_free (&reply);
            return 0;
        }
        bool limited = reply && reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR
                    && reply->error->code == BATTLEMAP__ERROR_CODE__RATE_LIMITED;
        if (!limited) {
            fprintf (stderr, "bm_bench: cannot enrol key %s: %s\n", name,
                     !reply? "no reply from the server"
                   : reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR
                   ? reply->error->message: "unexpected reply");
            bm_wire_free (&reply);
            return -1;
        }
        bm_wire_free (&reply);
        zclock_sleep (100);
    }
    fprintf (stderr, "bm_bench: cannot enrol key %s: still RATE_LIMITED after 5 s\n", name);
    return -1;
}

zcert_t *
bench_keys_get (bench_keys_t *self, size_t index)
{
    if (index >= self->capacity) {
        size_t capacity = index + 64;
        zcert_t **certs = (zcert_t **) realloc (self->certs, capacity * sizeof (zcert_t *));
        assert (certs);
        for (size_t slot = self->capacity; slot < capacity; slot++)
            certs [slot] = NULL;
        self->certs = certs;
        self->capacity = capacity;
    }
    if (!self->certs [index]) {
        zcert_t *cert = zcert_new ();
        if (!cert || s_enroll (self->admin, cert, index)) {
            zcert_destroy (&cert);
            return NULL;
        }
        self->certs [index] = cert;
        self->enrolled++;
    }
    return self->certs [index];
}

size_t
bench_keys_size (bench_keys_t *self)
{
    return self->enrolled;
}
