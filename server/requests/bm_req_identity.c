/*  bm_req_identity: enrol, revoke and list the keys that may speak to the
    server. The identity table is written at once, in its own transaction,
    and the keyring read again, so that the next message of a revoked key
    is refused. */

#include "bm_requests.h"
#include "bm_identity.h"
#include "bm_plan.h"
#include "bm_store_keys.h"
#include "bm_i18n.h"

#include <string.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

static bool
s_is_z85_key (const char *key)
{
    static const char alphabet [] =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    if (strlen (key) != 40)
        return false;
    for (const char *p = key; *p; p++)
        if (!strchr (alphabet, *p))
            return false;
    return true;
}

static int
s_list (bm_request_t *request, const char *key)
{
    Battlemap__IdentityReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__identity_reply__init (reply);
    if (bm_store_identities (bm_store_db (request->store), request->arena, key, reply))
        return bm_request_error (request, E (INTERNAL), 0, _("database error; retry later"));
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_IDENTITY_REPLY;
    request->reply->identity_reply = reply;
    return 0;
}

//  The keys changed: read them again
static void
s_reload (bm_request_t *request)
{
    if (bm_keyring_load (request->keyring, bm_store_db (request->store)))
        zsys_error ("could not read the keys again; the previous ones stay in force");
}

static int
s_enroll (bm_request_t *request, const Battlemap__IdentityRequest *identity)
{
    bm_role_t role;
    if (!s_is_z85_key (identity->public_key))
        return bm_request_error (request, E (MALFORMED), 0,
            _("public key \"%s\" is not a CURVE public key (40 Z85 characters; "
            "`battlemap keygen` makes one)"), identity->public_key);
    if (!*identity->name)
        return bm_request_error (request, E (MALFORMED), 0, _("say whose key it is (--name)"));
    if (bm_role_parse (identity->role, &role))
        return bm_request_error (request, E (MALFORMED), 0,
                                 _("role \"%s\" is not submitter, subscriber or admin"),
                                 identity->role);
    if (role != BM_ROLE_ADMIN && !*identity->district)
        return bm_request_error (request, E (MALFORMED), 0,
                                 _("a %s needs a district"), identity->role);
    if (role == BM_ROLE_SUBMITTER && identity->n_units == 0)
        return bm_request_error (request, E (MALFORMED), 0,
                                 _("a submitter reports for one or more units: name them"));
    const bm_book_district_t *district = NULL;
    if (*identity->district) {
        district = bm_book_district (bm_engine_book (request->engine), identity->district);
        if (!district)
            return bm_request_error (request, E (UNKNOWN_DISTRICT), 0,
                                     _("district \"%s\" is not known"), identity->district);
    }
    char *units = bm_arena_strdup (request->arena, "{");
    for (size_t index = 0; index < identity->n_units; index++) {
        const char *unit = identity->units [index];
        if (!district || bm_book_unit (district, unit) < 0)
            return bm_request_error (request, E (UNKNOWN_UNIT), 0,
                                     _("unit \"%s\" is not a unit of district %s"), unit,
                                     identity->district);
        if (strpbrk (unit, "\",{}\\"))
            return bm_request_error (request, E (MALFORMED), 0, _("unit \"%s\""), unit);
        units = bm_arena_printf (request->arena, "%s%s\"%s\"", units, index? ",": "", unit);
    }
    units = bm_arena_printf (request->arena, "%s}", units);
    bm_identity_t before;
    bm_keyring_find (request->keyring, request->arena, identity->public_key, &before);
    if (bm_store_enroll (bm_store_db (request->store), identity->public_key, identity->name,
                         identity->role, district? district->id: 0, units,
                         bm_request_now (request), request->sender))
        return bm_request_error (request, E (INTERNAL), 0, _("database error; retry later"));
    s_reload (request);
    //  A key enrolled again may have another scope: its open subscriptions
    //  are dropped with every other, and checked again as they come back
    if (before.role != BM_ROLE_NONE)
        request->revoked = true;
    char *detail = bm_arena_printf (request->arena, "%s %s %s %s", identity->name,
                                    identity->role, identity->district, units);
    bm_audit (request->engine, request->turn, identity->public_key, identity->name, "enroll",
              false, "", detail);
    return s_list (request, identity->public_key);
}

static int
s_revoke (bm_request_t *request, const Battlemap__IdentityRequest *identity)
{
    if (!*identity->reason)
        return bm_request_error (request, E (REASON_REQUIRED), 0, _("revoking a key needs a reason"));
    int revoked = bm_store_revoke (bm_store_db (request->store), identity->public_key,
                                   bm_request_now (request), request->sender, identity->reason);
    if (revoked < 0)
        return bm_request_error (request, E (INTERNAL), 0, _("database error; retry later"));
    if (!revoked)
        return bm_request_error (request, E (NOT_ALLOWED), 0,
                                 _("key %s is not enrolled, or is revoked already"),
                                 identity->public_key);
    s_reload (request);
    bm_audit (request->engine, request->turn, identity->public_key, "", "revoke", false,
              identity->reason, request->sender);
    zsys_info ("key %s revoked by %s: %s", identity->public_key, request->sender,
               identity->reason);
    request->revoked = true;
    return s_list (request, identity->public_key);
}

int
bm_req_identity (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    const Battlemap__IdentityRequest *identity = envelope->identity;
    switch (identity->action) {
        case BATTLEMAP__IDENTITY_ACTION__ENROLL:
            return s_enroll (request, identity);
        case BATTLEMAP__IDENTITY_ACTION__REVOKE:
            return s_revoke (request, identity);
        case BATTLEMAP__IDENTITY_ACTION__LIST_IDENTITIES:
            return s_list (request, "");
        default:
            return bm_request_error (request, E (MALFORMED), 0,
                                     _("say what to do: enroll, revoke or list"));
    }
}
