/*  bm_store_keys: the identity table. */

#include "bm_store_keys.h"
#include "bm_db.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

int
bm_store_keys (PGconn *db, bm_store_key_fn *fn, void *arg)
{
    PGresult *result = bm_db_exec (db,
        "SELECT i.public_key, i.name, i.role, coalesce (d.code, '') AS district,"
        " array_to_string (i.units, E'\\t') AS units"
        " FROM identity i LEFT JOIN district d ON d.id = i.district_id"
        " WHERE i.revoked_at IS NULL", 0, NULL);
    if (!result)
        return -1;
    int c_key = PQfnumber (result, "public_key"), c_name = PQfnumber (result, "name");
    int c_role = PQfnumber (result, "role"), c_district = PQfnumber (result, "district");
    int c_units = PQfnumber (result, "units");
    for (int row = 0; row < PQntuples (result); row++) {
        char *units = strdup (PQgetvalue (result, row, c_units));
        const char **list = (const char **) zmalloc ((strlen (units) + 1) * sizeof (char *));
        bm_store_key_t key = {
            .key = PQgetvalue (result, row, c_key), .name = PQgetvalue (result, row, c_name),
            .role = PQgetvalue (result, row, c_role),
            .district = PQgetvalue (result, row, c_district), .units = list
        };
        for (char *unit = strtok (units, "\t"); unit; unit = strtok (NULL, "\t"))
            list [key.unit_count++] = unit;
        fn (arg, &key);
        free (list);
        free (units);
    }
    PQclear (result);
    return 0;
}

int
bm_store_identities (PGconn *db, bm_arena_t *arena, const char *key,
                     Battlemap__IdentityReply *reply)
{
    const char *params [] = { key };
    PGresult *result = bm_db_exec (db,
        "SELECT i.public_key, i.name, i.role, coalesce (d.code, '') AS district,"
        " array_to_string (i.units, E'\\t') AS units,"
        " to_char (i.enrolled_at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM') AS enrolled_at, i.enrolled_by,"
        " coalesce (to_char (i.revoked_at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'), '') AS revoked_at,"
        " i.revoked_by, i.revoke_reason"
        " FROM identity i LEFT JOIN district d ON d.id = i.district_id"
        " WHERE $1 = '' OR i.public_key = $1 ORDER BY i.enrolled_at, i.name", 1, params);
    if (!result)
        return -1;
    size_t count = (size_t) PQntuples (result);
    reply->n_identities = count;
    reply->identities = (Battlemap__Identity **)
        bm_arena_array (arena, count, sizeof (Battlemap__Identity));
    for (size_t row = 0; row < count; row++) {
        Battlemap__Identity *out = reply->identities [row];
        battlemap__identity__init (out);
        int r = (int) row;
#define FIELD(name) bm_arena_strdup (arena, PQgetvalue (result, r, PQfnumber (result, name)))
        out->public_key = FIELD ("public_key");
        out->name = FIELD ("name");
        out->role = FIELD ("role");
        out->district = FIELD ("district");
        char *units = FIELD ("units");
        out->units = bm_arena_alloc (arena, (strlen (units) + 1) * sizeof (char *));
        for (char *unit = strtok (units, "\t"); unit; unit = strtok (NULL, "\t"))
            out->units [out->n_units++] = unit;
        out->enrolled_at = FIELD ("enrolled_at");
        out->enrolled_by = FIELD ("enrolled_by");
        out->revoked_at = FIELD ("revoked_at");
        out->revoked_by = FIELD ("revoked_by");
        out->revoke_reason = FIELD ("revoke_reason");
#undef FIELD
    }
    PQclear (result);
    return 0;
}

int
bm_store_enroll (PGconn *db, const char *key, const char *name, const char *role,
                 int district_id, const char *units, const char *at, const char *by)
{
    char district [24];
    snprintf (district, sizeof district, "%d", district_id);
    const char *params [] = { key, name, role, district_id? district: NULL, units, at, by };
    return bm_db_command (db,
        "INSERT INTO identity (public_key, name, role, district_id, units, enrolled_at,"
        " enrolled_by) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (public_key) DO UPDATE SET name = EXCLUDED.name,"
        " role = EXCLUDED.role, district_id = EXCLUDED.district_id,"
        " units = EXCLUDED.units, enrolled_at = EXCLUDED.enrolled_at,"
        " enrolled_by = EXCLUDED.enrolled_by, revoked_at = NULL, revoked_by = '',"
        " revoke_reason = ''", 7, params);
}

int
bm_store_revoke (PGconn *db, const char *key, const char *at, const char *by,
                 const char *reason)
{
    const char *params [] = { key, at, by, reason };
    PGresult *result = bm_db_exec (db,
        "UPDATE identity SET revoked_at = $2, revoked_by = $3, revoke_reason = $4"
        " WHERE public_key = $1 AND revoked_at IS NULL", 4, params);
    if (!result)
        return -1;
    int revoked = atoi (PQcmdTuples (result)) == 1;
    PQclear (result);
    return revoked;
}

int
bm_store_enroll_admin (PGconn *db, const char *key, const char *name, const char *at)
{
    const char *params [] = { key, name, at };
    PGresult *result = bm_db_exec (db,
        "INSERT INTO identity (public_key, name, role, enrolled_at, enrolled_by)"
        " VALUES ($1, $2, 'admin', $3, 'battlemapd --admin')"
        " ON CONFLICT (public_key) DO NOTHING", 3, params);
    if (!result)
        return -1;
    int fresh = atoi (PQcmdTuples (result)) == 1;
    PQclear (result);
    return fresh;
}
