/*  bm_identity: who is speaking, what they may do, and the audit. */

#include "bm_identity.h"
#include "bm_cycle.h"
#include "bm_db.h"
#include "bm_plan.h"

#include <stdlib.h>
#include <string.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

static const char *s_roles [] = { "", "submitter", "subscriber", "admin" };

const char *
bm_role_name (bm_role_t role)
{
    return role <= BM_ROLE_ADMIN? s_roles [role]: "";
}

int
bm_role_parse (const char *text, bm_role_t *role)
{
    for (int index = BM_ROLE_SUBMITTER; index <= BM_ROLE_ADMIN; index++)
        if (streq (text, s_roles [index])) {
            *role = (bm_role_t) index;
            return 0;
        }
    return -1;
}

int
bm_identity_load (PGconn *db, bm_arena_t *arena, const char *key, bm_identity_t *identity)
{
    *identity = (bm_identity_t) { .key = bm_arena_strdup (arena, key), .name = "",
                                  .district = "", .role = BM_ROLE_NONE };
    const char *params [] = { key };
    PGresult *result = bm_db_exec (db,
        "SELECT i.name, i.role, coalesce (d.code, ''), array_to_string (i.units, E'\\t')"
        " FROM identity i LEFT JOIN district d ON d.id = i.district_id"
        " WHERE i.public_key = $1 AND i.revoked_at IS NULL", 1, params);
    if (!result)
        return -1;
    if (PQntuples (result) == 1) {
        identity->name = bm_arena_strdup (arena, PQgetvalue (result, 0, 0));
        bm_role_parse (PQgetvalue (result, 0, 1), &identity->role);
        identity->district = bm_arena_strdup (arena, PQgetvalue (result, 0, 2));
        char *units = bm_arena_strdup (arena, PQgetvalue (result, 0, 3));
        size_t slots = 1;
        for (char *p = units; *p; p++)
            slots += *p == '\t';
        identity->units = bm_arena_alloc (arena, slots * sizeof (char *));
        for (char *unit = strtok (units, "\t"); unit; unit = strtok (NULL, "\t"))
            identity->units [identity->unit_count++] = unit;
    }
    PQclear (result);
    return 0;
}

static bool
s_has_unit (const bm_identity_t *self, const char *unit)
{
    for (size_t index = 0; index < self->unit_count; index++)
        if (streq (self->units [index], unit))
            return true;
    return false;
}

bool
bm_identity_submits_for (const bm_identity_t *self, const char *district, const char *unit)
{
    if (self->role == BM_ROLE_ADMIN)
        return true;
    return self->role == BM_ROLE_SUBMITTER && streq (self->district, district)
        && s_has_unit (self, unit);
}

bool
bm_identity_sees (const bm_identity_t *self, const char *district, const char *unit)
{
    if (self->role == BM_ROLE_ADMIN)
        return true;
    if (self->role == BM_ROLE_NONE || !streq (self->district, district))
        return false;
    bool whole = !unit || !*unit || streq (unit, BM_DISTRICT_UNIT);
    if (self->role == BM_ROLE_SUBSCRIBER && self->unit_count == 0)
        return true;
    return !whole && s_has_unit (self, unit);
}

bool
bm_identity_may_subscribe (const bm_identity_t *self, const char *prefix)
{
    if (self->role == BM_ROLE_ADMIN)
        return true;
    if (self->role == BM_ROLE_NONE)
        return false;
    //  The heartbeat is everyone's
    if (strncmp (prefix, "heartbeat/", 10) == 0 || streq (prefix, "heartbeat"))
        return true;
    //  kind/district/[unit/]...: the district must be named in full, and a
    //  key scoped to units must name one of them in full, except for the
    //  district's calendar events (deadlines, snapshots)
    char *copy = strdup (prefix);
    char *kind = copy;
    char *district = strchr (kind, '/');
    bool allowed = false;
    if (district) {
        *district++ = '\0';
        char *unit = strchr (district, '/');
        if (unit) {
            *unit++ = '\0';
            bool calendar = streq (kind, "deadline") || streq (kind, "snapshot");
            char *end = strchr (unit, '/');
            if (end)
                *end = '\0';
            if (streq (district, self->district)) {
                if (calendar || (self->role == BM_ROLE_SUBSCRIBER && self->unit_count == 0))
                    allowed = true;
                else
                    allowed = end && s_has_unit (self, unit);
            }
        }
    }
    free (copy);
    return allowed;
}

//  ---------------------------------------------------------------------------

void
bm_audit (PGconn *db, bm_clock_t *clock, const char *key, const char *name,
          const char *action, bool refused, const char *reason, const char *detail)
{
    char at [BM_TIME_STR_MAX];
    const char *params [] = { bm_clock_text (clock, at), key? key: "", name? name: "", action,
                              refused? "refused": "done", reason? reason: "",
                              detail? detail: "" };
    if (bm_db_command (db,
            "INSERT INTO audit (at, public_key, name, action, outcome, reason, detail)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7)", 7, params))
        zsys_error ("audit: could not record %s %s by %s", refused? "refusal of": "",
                    action, name? name: "?");
}

//  Refuses, audits, answers
static int
s_refuse (bm_request_t *request, const char *action, const char *what)
{
    const bm_identity_t *identity = request->identity;
    bm_audit (request->db, request->clock, identity->key, identity->name, action, true,
              "not allowed", what);
    return bm_request_error (request, E (NOT_ALLOWED), 0,
                             "not allowed: %s (%s) may not %s", *identity->name
                             ? identity->name: "this key", bm_role_name (identity->role), what);
}

int
bm_identity_authorize (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    const bm_identity_t *identity = request->identity;
    bool admin = identity->role == BM_ROLE_ADMIN;
    switch (envelope->body_case) {
        case BATTLEMAP__ENVELOPE__BODY_SUBMIT:
            for (size_t index = 0; index < envelope->submit->n_figures; index++) {
                const Battlemap__Figure *figure = envelope->submit->figures [index];
                if (!bm_identity_submits_for (identity, figure->district, figure->unit))
                    return s_refuse (request, "submit", "report figures for a unit outside "
                                     "its scope");
            }
            return 0;
        case BATTLEMAP__ENVELOPE__BODY_PLAN_LOAD:
            return admin? 0: s_refuse (request, "plan_load", "load plans");
        case BATTLEMAP__ENVELOPE__BODY_WALL:
            return bm_identity_sees (identity, envelope->wall->district, envelope->wall->unit)
                 ? 0: s_refuse (request, "wall", "read this wall");
        case BATTLEMAP__ENVELOPE__BODY_TEMPLATE:
            return bm_identity_sees (identity, envelope->template_->district,
                                     envelope->template_->unit)
                 ? 0: s_refuse (request, "template", "read this unit's template");
        case BATTLEMAP__ENVELOPE__BODY_RANKING:
            return bm_identity_sees (identity, envelope->ranking->district, "")
                 ? 0: s_refuse (request, "ranking", "read the district's rankings");
        case BATTLEMAP__ENVELOPE__BODY_CLOCK:
            return !*envelope->clock->set || admin? 0: s_refuse (request, "clock", "set the clock");
        case BATTLEMAP__ENVELOPE__BODY_EXCEPTION: {
            const Battlemap__ExceptionRequest *exception = envelope->exception;
            switch (exception->action) {
                case BATTLEMAP__EXCEPTION_ACTION__REQUEST:
                    return bm_identity_submits_for (identity, exception->district, exception->unit)
                         ? 0: s_refuse (request, "exception", "ask for an extension for this unit");
                case BATTLEMAP__EXCEPTION_ACTION__LIST:
                    return bm_identity_sees (identity, exception->district, exception->unit)
                         ? 0: s_refuse (request, "exception", "list these exceptions");
                default:
                    return admin? 0: s_refuse (request, "exception",
                                               "reopen windows or decide on extensions");
            }
        }
        case BATTLEMAP__ENVELOPE__BODY_HISTORY:
            return bm_identity_sees (identity, envelope->history->district,
                                     envelope->history->unit)
                 ? 0: s_refuse (request, "history", "read this unit's history");
        case BATTLEMAP__ENVELOPE__BODY_REPORT:
            return bm_identity_sees (identity, envelope->report->district, "")
                 ? 0: s_refuse (request, "report", "read the district's reports");
        case BATTLEMAP__ENVELOPE__BODY_IDENTITY:
            return admin? 0: s_refuse (request, "identity", "enrol or revoke keys");
        case BATTLEMAP__ENVELOPE__BODY_CATCHUP:
            return 0;           //  filtered by the key's scope, event by event
        case BATTLEMAP__ENVELOPE__BODY_ALERT:
            if (envelope->alert->action == BATTLEMAP__ALERT_ACTION__LIST_ALERTS)
                return bm_identity_sees (identity, envelope->alert->district,
                                         envelope->alert->unit)
                     ? 0: s_refuse (request, "alert", "read these alerts");
            return admin? 0: s_refuse (request, "alert", "acknowledge or silence alerts");
        default:
            return s_refuse (request, "request", "send this request");
    }
}
