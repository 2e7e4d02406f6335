/*  bm_store_keys: the identity table: the CURVE public keys enrolled, with
    their role and scope, and their revocations. The server keeps the keys
    in memory (bm_identity's keyring) and reads them again from here after
    every change.
*/
#ifndef BM_STORE_KEYS_H_INCLUDED
#define BM_STORE_KEYS_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_arena.h"

#include <libpq-fe.h>

typedef struct {
    const char *key;            //  Z85 public key
    const char *name;
    const char *role;           //  submitter | subscriber | admin
    const char *district;       //  district code, "" for an administrator
    const char *const *units;   //  unit names of its scope
    size_t unit_count;
} bm_store_key_t;

typedef void (bm_store_key_fn) (void *arg, const bm_store_key_t *key);

//  Every key that is not revoked. 0 or -1.
int
    bm_store_keys (PGconn *db, bm_store_key_fn *fn, void *arg);

//  The identities, or the one with `key` ("" for all), for a reply. 0 or -1.
int
    bm_store_identities (PGconn *db, bm_arena_t *arena, const char *key,
                         Battlemap__IdentityReply *reply);

//  Enrol a key (again): its role, its district's row (0 for none) and its
//  units (a text array literal), when and by whom. 0 or -1.
int
    bm_store_enroll (PGconn *db, const char *key, const char *name, const char *role,
                     int district_id, const char *units, const char *at, const char *by);

//  Revoke a key: 1 if it was revoked now, 0 if it was not enrolled or
//  revoked already, -1 on error
int
    bm_store_revoke (PGconn *db, const char *key, const char *at, const char *by,
                     const char *reason);

//  Enrol an administrator given at start, if the key is new: 1 if it was,
//  0 if it was enrolled before, -1 on error
int
    bm_store_enroll_admin (PGconn *db, const char *key, const char *name, const char *at);

#endif
