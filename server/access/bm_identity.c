/*  bm_identity: who is speaking, what they may do, and the audit. */

#include "bm_identity.h"
#include "bm_cycle.h"
#include "bm_store_keys.h"
#include "bm_plan.h"
#include "bm_i18n.h"

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

//  Structure of our class

struct _bm_keyring_t {
    zhashx_t *keys;             //  public key -> bm_identity_t (its own strings)
};

static void
s_identity_destroy (bm_identity_t **identity_p)
{
    bm_identity_t *identity = *identity_p;
    if (!identity)
        return;
    for (size_t index = 0; index < identity->unit_count; index++)
        free ((char *) identity->units [index]);
    free (identity->units);
    free ((char *) identity->key);
    free ((char *) identity->name);
    free ((char *) identity->district);
    free (identity);
    *identity_p = NULL;
}

bm_keyring_t *
bm_keyring_new (void)
{
    bm_keyring_t *self = (bm_keyring_t *) zmalloc (sizeof (bm_keyring_t));
    self->keys = zhashx_new ();
    zhashx_set_destructor (self->keys, (zhashx_destructor_fn *) s_identity_destroy);
    return self;
}

void
bm_keyring_destroy (bm_keyring_t **self_p)
{
    assert (self_p);
    bm_keyring_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->keys);
    free (self);
    *self_p = NULL;
}

static void
s_add_key (void *arg, const bm_store_key_t *key)
{
    zhashx_t *keys = (zhashx_t *) arg;
    bm_identity_t *identity = (bm_identity_t *) zmalloc (sizeof (bm_identity_t));
    identity->key = strdup (key->key);
    identity->name = strdup (key->name);
    identity->district = strdup (key->district);
    bm_role_parse (key->role, &identity->role);
    identity->units = (const char **) zmalloc ((key->unit_count + 1) * sizeof (char *));
    for (size_t index = 0; index < key->unit_count; index++)
        identity->units [index] = strdup (key->units [index]);
    identity->unit_count = key->unit_count;
    zhashx_update (keys, identity->key, identity);
}

int
bm_keyring_load (bm_keyring_t *self, PGconn *db)
{
    zhashx_t *keys = zhashx_new ();
    zhashx_set_destructor (keys, (zhashx_destructor_fn *) s_identity_destroy);
    if (bm_store_keys (db, s_add_key, keys)) {
        zhashx_destroy (&keys);
        return -1;
    }
    zhashx_destroy (&self->keys);
    self->keys = keys;
    return 0;
}

void
bm_keyring_find (bm_keyring_t *self, bm_arena_t *arena, const char *key,
                 bm_identity_t *identity)
{
    const bm_identity_t *found = key? zhashx_lookup (self->keys, key): NULL;
    *identity = (bm_identity_t) { .key = bm_arena_strdup (arena, key), .name = "",
                                  .district = "", .role = BM_ROLE_NONE };
    if (!found)
        return;
    identity->name = bm_arena_strdup (arena, found->name);
    identity->role = found->role;
    identity->district = bm_arena_strdup (arena, found->district);
    identity->units = bm_arena_alloc (arena, (found->unit_count + 1) * sizeof (char *));
    for (size_t index = 0; index < found->unit_count; index++)
        identity->units [index] = bm_arena_strdup (arena, found->units [index]);
    identity->unit_count = found->unit_count;
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
bm_audit (bm_engine_t *engine, bm_turn_t *turn, const char *key, const char *name,
          const char *action, bool refused, const char *reason, const char *detail)
{
    char at [BM_TIME_STR_MAX];
    const char *values [] = { bm_engine_now_text (engine, at), key? key: "", name? name: "",
                              action, refused? "refused": "done", reason? reason: "",
                              detail? detail: "" };
    bm_batch_audit (turn->batch, values);
}

//  Refuses, audits, answers
static int
s_refuse (bm_request_t *request, const char *action, const char *what)
{
    const bm_identity_t *identity = request->identity;
    bm_audit (request->engine, request->turn, identity->key, identity->name, action, true,
              "not allowed", what);
    return bm_request_error (request, E (NOT_ALLOWED), 0,
                             _("not allowed: %s (%s) may not %s"), *identity->name
                             ? identity->name: _("this key"), bm_role_name (identity->role),
                             _(what));
}

//  A lead section (or its department) reports the district's figure of
//  the tasks it leads (seed 000: 牵头科室 forecast their tasks by the 28th)
static bool
s_leads_figure (bm_request_t *request, const bm_identity_t *identity,
                const Battlemap__Figure *figure)
{
    if (identity->role != BM_ROLE_SUBMITTER || !streq (figure->unit, BM_DISTRICT_UNIT)
    ||  !streq (identity->district, figure->district))
        return false;
    bm_book_t *book = bm_engine_book (request->engine);
    bm_book_district_t *district = bm_book_district (book, figure->district);
    bm_period_t period;
    if (!district || bm_period_parse (figure->period, &period, NULL))
        return false;
    const bm_book_plan_t *plan = bm_book_plan (book, district, period.year);
    for (size_t index = 0; plan && index < identity->unit_count; index++) {
        int unit = bm_book_unit (district, identity->units [index]);
        if (unit >= 0 && bm_book_led_task (plan, figure->indicator, unit))
            return true;
    }
    return false;
}

const char *
bm_identity_leading_unit (const bm_identity_t *self, const bm_book_plan_t *plan)
{
    if (self->role != BM_ROLE_SUBMITTER || !plan || !streq (self->district, plan->district->code))
        return NULL;
    for (size_t index = 0; index < self->unit_count; index++) {
        int unit = bm_book_unit (plan->district, self->units [index]);
        for (size_t task = 0; unit >= 0 && task < plan->task_count; task++)
            if (bm_book_leads (plan, plan->tasks + task, unit))
                return self->units [index];
    }
    return NULL;
}

//  A lead section asks for the district's template: the rows of its tasks
static bool
s_leads_template (bm_request_t *request, const bm_identity_t *identity,
                  const Battlemap__TemplateRequest *template_)
{
    const char *unit = template_->unit;
    if (*unit && !streq (unit, BM_DISTRICT_UNIT))
        return false;
    bm_book_t *book = bm_engine_book (request->engine);
    bm_book_district_t *district = bm_book_district (book, template_->district);
    bm_period_t period;
    if (!district || bm_period_parse (template_->period, &period, NULL))
        return false;
    return bm_identity_leading_unit (identity, bm_book_plan (book, district, period.year));
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
                if (!bm_identity_submits_for (identity, figure->district, figure->unit)
                &&  !s_leads_figure (request, identity, figure))
                    return s_refuse (request, "submit", N_("report figures for a unit outside "
                                     "its scope (a lead section reports 全区 only for the "
                                     "tasks it leads)"));
            }
            return 0;
        case BATTLEMAP__ENVELOPE__BODY_PLAN_LOAD:
            return admin? 0: s_refuse (request, "plan_load", N_("load plans"));
        case BATTLEMAP__ENVELOPE__BODY_WALL:
            return bm_identity_sees (identity, envelope->wall->district, envelope->wall->unit)
                 ? 0: s_refuse (request, "wall", N_("read this wall"));
        case BATTLEMAP__ENVELOPE__BODY_TEMPLATE:
            return bm_identity_sees (identity, envelope->template_->district,
                                     envelope->template_->unit)
                || s_leads_template (request, identity, envelope->template_)
                 ? 0: s_refuse (request, "template", N_("read this unit's template"));
        case BATTLEMAP__ENVELOPE__BODY_RANKING:
            return bm_identity_sees (identity, envelope->ranking->district, "")
                 ? 0: s_refuse (request, "ranking", N_("read the district's rankings"));
        case BATTLEMAP__ENVELOPE__BODY_CLOCK:
            return !*envelope->clock->set || admin? 0: s_refuse (request, "clock", N_("set the clock"));
        case BATTLEMAP__ENVELOPE__BODY_EXCEPTION: {
            const Battlemap__ExceptionRequest *exception = envelope->exception;
            switch (exception->action) {
                case BATTLEMAP__EXCEPTION_ACTION__REQUEST:
                    return bm_identity_submits_for (identity, exception->district, exception->unit)
                         ? 0: s_refuse (request, "exception", N_("ask for an extension for this unit"));
                case BATTLEMAP__EXCEPTION_ACTION__LIST:
                    return bm_identity_sees (identity, exception->district, exception->unit)
                         ? 0: s_refuse (request, "exception", N_("list these exceptions"));
                default:
                    return admin? 0: s_refuse (request, "exception",
                                               N_("reopen windows or decide on extensions"));
            }
        }
        case BATTLEMAP__ENVELOPE__BODY_HISTORY:
            return bm_identity_sees (identity, envelope->history->district,
                                     envelope->history->unit)
                 ? 0: s_refuse (request, "history", N_("read this unit's history"));
        case BATTLEMAP__ENVELOPE__BODY_REPORT:
            return bm_identity_sees (identity, envelope->report->district, "")
                 ? 0: s_refuse (request, "report", N_("read the district's reports"));
        case BATTLEMAP__ENVELOPE__BODY_IDENTITY:
            return admin? 0: s_refuse (request, "identity", N_("enrol or revoke keys"));
        case BATTLEMAP__ENVELOPE__BODY_CATCHUP:
            return 0;           //  filtered by the key's scope, event by event
        case BATTLEMAP__ENVELOPE__BODY_ALERT:
            if (envelope->alert->action == BATTLEMAP__ALERT_ACTION__LIST_ALERTS)
                return bm_identity_sees (identity, envelope->alert->district,
                                         envelope->alert->unit)
                     ? 0: s_refuse (request, "alert", N_("read these alerts"));
            return admin? 0: s_refuse (request, "alert", N_("acknowledge or silence alerts"));
        default:
            return s_refuse (request, "request", N_("send this request"));
    }
}
