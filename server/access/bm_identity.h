/*  bm_identity: who is speaking, what they may do, and the audit.

    A peer is known by its CURVE public key, which the server's ZAP handler
    has checked against the keyring before the connection was accepted. The
    keyring is the identity table held in memory, read again after every
    enrolment or revocation, so that checking a key never waits for the
    database. Each request is checked again: the key is looked up on every
    message (so a revoked key stops at once, even on an open connection) and
    the request is allowed only within the key's role and scope:

    - an administrator (the bureau) may do everything;
    - a submitter reports for its units, reads their walls, templates and
      history, and asks for extensions for them;
    - a subscriber reads what its scope covers: a whole district, or some
      of its units.

    Every refusal is written to the audit table (in the turn's batch), and
    answered with a typed error that names the key and the act but no data
    outside its scope.
*/
#ifndef BM_IDENTITY_H_INCLUDED
#define BM_IDENTITY_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_arena.h"
#include "bm_engine.h"
#include "bm_request.h"
#include <libpq-fe.h>
#include <stdbool.h>

typedef enum {
    BM_ROLE_NONE = 0,           //  not enrolled, or revoked
    BM_ROLE_SUBMITTER,
    BM_ROLE_SUBSCRIBER,
    BM_ROLE_ADMIN
} bm_role_t;

typedef struct _bm_identity_t {
    const char *key;            //  Z85 public key
    const char *name;
    bm_role_t role;
    const char *district;       //  district code, "" for an administrator
    const char **units;         //  unit names of its scope
    size_t unit_count;          //  0: a subscriber sees its whole district
} bm_identity_t;

typedef struct _bm_keyring_t bm_keyring_t;

bm_keyring_t *
    bm_keyring_new (void);

void
    bm_keyring_destroy (bm_keyring_t **self_p);

//  Read the keys that are not revoked from the database, replacing those
//  held. 0, or -1 (and the keys held are kept).
int
    bm_keyring_load (bm_keyring_t *self, PGconn *db);

//  Looks the key up: a copy in the arena, role NONE (and name "") when the
//  key is unknown or revoked
void
    bm_keyring_find (bm_keyring_t *self, bm_arena_t *arena, const char *key,
                     bm_identity_t *identity);

const char *
    bm_role_name (bm_role_t role);
int
    bm_role_parse (const char *text, bm_role_t *role);

//  May report figures for the unit
bool
    bm_identity_submits_for (const bm_identity_t *self, const char *district, const char *unit);

//  May read the unit's data ("" or 全区: the district's)
bool
    bm_identity_sees (const bm_identity_t *self, const char *district, const char *unit);

//  The key's unit that leads a task of the plan (a lead section, or its
//  department): it reports, and may read the template of, the district's
//  figures of those tasks. NULL when the key leads none.
const char *
    bm_identity_leading_unit (const bm_identity_t *self, const bm_book_plan_t *plan);

//  May subscribe to events with this topic prefix
bool
    bm_identity_may_subscribe (const bm_identity_t *self, const char *prefix);

//  Checks a decoded request against the request's identity. 0, or -1 with
//  a NOT_ALLOWED error set and the refusal audited.
int
    bm_identity_authorize (bm_request_t *request, const Battlemap__Envelope *envelope);

//  Queues an audit row in the turn
void
    bm_audit (bm_engine_t *engine, bm_turn_t *turn, const char *key, const char *name,
              const char *action, bool refused, const char *reason, const char *detail);

#endif
