/*  bm_enroll: enrol, revoke and list the keys that may speak to the server. */

#include "bm_enroll.h"
#include "bm_cycle.h"
#include "bm_db.h"
#include "bm_identity.h"
#include "bm_plan.h"

#include <stdlib.h>
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
    const char *params [] = { key };
    PGresult *result = bm_db_exec (request->db,
        "SELECT i.public_key, i.name, i.role, coalesce (d.code, ''),"
        " array_to_string (i.units, E'\\t'),"
        " to_char (i.enrolled_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), i.enrolled_by,"
        " coalesce (to_char (i.revoked_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), ''),"
        " i.revoked_by, i.revoke_reason"
        " FROM identity i LEFT JOIN district d ON d.id = i.district_id"
        " WHERE $1 = '' OR i.public_key = $1 ORDER BY i.enrolled_at, i.name", 1, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    Battlemap__IdentityReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__identity_reply__init (reply);
    size_t count = (size_t) PQntuples (result);
    reply->n_identities = count;
    reply->identities = (Battlemap__Identity **)
        bm_arena_array (request->arena, count, sizeof (Battlemap__Identity));
    for (size_t row = 0; row < count; row++) {
        Battlemap__Identity *out = reply->identities [row];
        battlemap__identity__init (out);
        int r = (int) row;
        out->public_key = bm_arena_strdup (request->arena, PQgetvalue (result, r, 0));
        out->name = bm_arena_strdup (request->arena, PQgetvalue (result, r, 1));
        out->role = bm_arena_strdup (request->arena, PQgetvalue (result, r, 2));
        out->district = bm_arena_strdup (request->arena, PQgetvalue (result, r, 3));
        char *units = bm_arena_strdup (request->arena, PQgetvalue (result, r, 4));
        out->units = bm_arena_alloc (request->arena, (strlen (units) + 1) * sizeof (char *));
        for (char *unit = strtok (units, "\t"); unit; unit = strtok (NULL, "\t"))
            out->units [out->n_units++] = unit;
        out->enrolled_at = bm_arena_strdup (request->arena, PQgetvalue (result, r, 5));
        out->enrolled_by = bm_arena_strdup (request->arena, PQgetvalue (result, r, 6));
        out->revoked_at = bm_arena_strdup (request->arena, PQgetvalue (result, r, 7));
        out->revoked_by = bm_arena_strdup (request->arena, PQgetvalue (result, r, 8));
        out->revoke_reason = bm_arena_strdup (request->arena, PQgetvalue (result, r, 9));
    }
    PQclear (result);
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_IDENTITY_REPLY;
    request->reply->identity_reply = reply;
    return 0;
}

static int
s_enroll (bm_request_t *request, const Battlemap__IdentityRequest *identity)
{
    bm_role_t role;
    if (!s_is_z85_key (identity->public_key))
        return bm_request_error (request, E (MALFORMED), 0,
            "public key \"%s\" is not a CURVE public key (40 Z85 characters; "
            "`battlemap keygen` makes one)", identity->public_key);
    if (!*identity->name)
        return bm_request_error (request, E (MALFORMED), 0, "say whose key it is (--name)");
    if (bm_role_parse (identity->role, &role))
        return bm_request_error (request, E (MALFORMED), 0,
                                 "role \"%s\" is not submitter, subscriber or admin",
                                 identity->role);
    if (role != BM_ROLE_ADMIN && !*identity->district)
        return bm_request_error (request, E (MALFORMED), 0,
                                 "a %s needs a district", identity->role);
    if (role == BM_ROLE_SUBMITTER && identity->n_units == 0)
        return bm_request_error (request, E (MALFORMED), 0,
                                 "a submitter reports for one or more units: name them");
    char *district_id = NULL;
    if (*identity->district) {
        const char *params [] = { identity->district };
        PGresult *result = bm_db_exec (request->db,
            "SELECT id FROM district WHERE code = $1", 1, params);
        if (!result)
            return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
        if (PQntuples (result) == 1)
            district_id = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 0));
        PQclear (result);
        if (!district_id)
            return bm_request_error (request, E (UNKNOWN_DISTRICT), 0,
                                     "district \"%s\" is not known", identity->district);
    }
    char *units = bm_arena_strdup (request->arena, "{");
    for (size_t index = 0; index < identity->n_units; index++) {
        const char *unit = identity->units [index];
        const char *params [] = { district_id, unit };
        PGresult *result = bm_db_exec (request->db,
            "SELECT 1 FROM unit WHERE district_id = $1 AND name = $2", 2, params);
        bool known = result && PQntuples (result) == 1;
        if (result)
            PQclear (result);
        if (!known)
            return bm_request_error (request, E (UNKNOWN_UNIT), 0,
                                     "unit \"%s\" is not a unit of district %s", unit,
                                     identity->district);
        if (strpbrk (unit, "\",{}\\"))
            return bm_request_error (request, E (MALFORMED), 0, "unit \"%s\"", unit);
        units = bm_arena_printf (request->arena, "%s%s\"%s\"", units, index? ",": "", unit);
    }
    units = bm_arena_printf (request->arena, "%s}", units);
    const char *params [] = { identity->public_key, identity->name, identity->role,
                              district_id, units, bm_request_now (request), request->sender };
    if (bm_db_command (request->db,
            "INSERT INTO identity (public_key, name, role, district_id, units, enrolled_at,"
            " enrolled_by) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            " ON CONFLICT (public_key) DO UPDATE SET name = EXCLUDED.name,"
            " role = EXCLUDED.role, district_id = EXCLUDED.district_id,"
            " units = EXCLUDED.units, enrolled_at = EXCLUDED.enrolled_at,"
            " enrolled_by = EXCLUDED.enrolled_by, revoked_at = NULL, revoked_by = '',"
            " revoke_reason = ''", 7, params))
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    char *detail = bm_arena_printf (request->arena, "%s %s %s %s", identity->name,
                                    identity->role, identity->district, units);
    bm_audit (request->db, request->clock, identity->public_key, identity->name, "enroll",
              false, "", detail);
    return s_list (request, identity->public_key);
}

static int
s_revoke (bm_request_t *request, const Battlemap__IdentityRequest *identity)
{
    if (!*identity->reason)
        return bm_request_error (request, E (REASON_REQUIRED), 0, "revoking a key needs a reason");
    const char *params [] = { identity->public_key, bm_request_now (request), request->sender,
                              identity->reason };
    PGresult *result = bm_db_exec (request->db,
        "UPDATE identity SET revoked_at = $2, revoked_by = $3, revoke_reason = $4"
        " WHERE public_key = $1 AND revoked_at IS NULL", 4, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    bool revoked = atoi (PQcmdTuples (result)) == 1;
    PQclear (result);
    if (!revoked)
        return bm_request_error (request, E (NOT_ALLOWED), 0,
                                 "key %s is not enrolled, or is revoked already",
                                 identity->public_key);
    bm_audit (request->db, request->clock, identity->public_key, "", "revoke", false,
              identity->reason, request->sender);
    zsys_info ("key %s revoked by %s: %s", identity->public_key, request->sender,
               identity->reason);
    return s_list (request, identity->public_key) == 0? 1: -1;
}

int
bm_enroll_handle (bm_request_t *request, const Battlemap__IdentityRequest *identity)
{
    switch (identity->action) {
        case BATTLEMAP__IDENTITY_ACTION__ENROLL:
            return s_enroll (request, identity);
        case BATTLEMAP__IDENTITY_ACTION__REVOKE:
            return s_revoke (request, identity);
        case BATTLEMAP__IDENTITY_ACTION__LIST_IDENTITIES:
            return s_list (request, "");
        default:
            return bm_request_error (request, E (MALFORMED), 0,
                                     "say what to do: enroll, revoke or list");
    }
}

int
bm_enroll_admin (PGconn *db, bm_clock_t *clock, const char *public_key, const char *name)
{
    if (!s_is_z85_key (public_key)) {
        zsys_error ("--admin: not a CURVE public key");
        return -1;
    }
    char now [BM_TIME_STR_MAX];
    const char *params [] = { public_key, name, bm_clock_text (clock, now) };
    PGresult *result = bm_db_exec (db,
        "INSERT INTO identity (public_key, name, role, enrolled_at, enrolled_by)"
        " VALUES ($1, $2, 'admin', $3, 'battlemapd --admin')"
        " ON CONFLICT (public_key) DO NOTHING", 3, params);
    if (!result)
        return -1;
    bool fresh = atoi (PQcmdTuples (result)) == 1;
    PQclear (result);
    if (fresh) {
        bm_audit (db, clock, public_key, name, "enroll", false, "", "admin, at start-up");
        zsys_info ("administrator %s enrolled", name);
    }
    return 0;
}
