/*  bm_enroll: enrol, revoke and list the keys that may speak to the server.

    Administrators only (bm_identity_authorize checks). Every act is
    audited. A revoked key is refused on its next request; the server also
    drops every event subscription so that a revoked subscriber cannot stay
    connected (see bm_server).
*/
#ifndef BM_ENROLL_H_INCLUDED
#define BM_ENROLL_H_INCLUDED

#include "bm_request.h"

//  Returns 0, 1 when a key was revoked (the caller drops subscriptions),
//  or -1 with the error set
int
    bm_enroll_handle (bm_request_t *request, const Battlemap__IdentityRequest *identity);

//  Enrols a certificate's public key as an administrator at start-up
//  (battlemapd --admin FILE). Returns 0 or -1.
int
    bm_enroll_admin (PGconn *db, bm_clock_t *clock, const char *public_key, const char *name);

#endif
