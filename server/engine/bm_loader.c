/*  bm_loader: builds the engine's image of the database.

    The plans first (districts, units, plans, indicators and their formulas,
    the current targets, milestones and baselines, tasks, rankings,
    holidays), then the state of the cycle (deadlines noted, exceptions,
    firing alerts), then every figure in the order it was stored, replayed
    into its cell exactly as a live figure is applied, and last the event
    log's families and the last row ids.
*/

#include "bm_loader.h"
#include "bm_loader_private.h"
#include "bm_alerting.h"
#include "bm_exceptions.h"
#include "bm_figures.h"
#include "bm_idset.h"

#include <string.h>

//  ---------------------------------------------------------------------------
//  The cycle's state: exceptions, alerts

static int
s_exception (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_exception_t exception = {
        .id = INT ("id"), .unit_id = (int) INT ("unit_id"), .district = TEXT ("district"),
        .unit = TEXT ("unit"), .final = streq (TEXT ("kind"), "final"), .until = INT ("until"),
        .status = TEXT ("status"), .reason = TEXT ("reason"),
        .requested_by = TEXT ("requested_by"), .requested_at = INT ("requested_at"),
        .decided_by = TEXT ("decided_by"), .decided_at = INT ("decided_at"),
        .decision_reason = TEXT ("decision_reason")
    };
    bm_period_parse (TEXT ("period"), &exception.period, NULL);
    char *codes = strdup (TEXT ("indicators"));
    char *list [256];
    for (char *code = strtok (codes, "\x1f"); code && exception.indicator_count < 256;
         code = strtok (NULL, "\x1f"))
        list [exception.indicator_count++] = code;
    exception.indicators = list;
    bm_exceptions_add (bm_engine_exceptions (self->engine), &exception);
    free (codes);
    return 0;
}

//  The name of the indicator an alert's labels name, "" if none
static const char *
s_alert_indicator_name (bm_book_t *book, const char *labels)
{
    char *copy = strdup (labels);
    char *fields [7] = { NULL };
    char *cursor = copy;
    for (int index = 0; index < 7 && cursor; index++) {
        fields [index] = cursor;
        char *bar = strchr (cursor, '|');
        if (bar)
            *bar++ = '\0';
        cursor = bar;
    }
    const char *name = "";
    bm_period_t period;
    bm_book_district_t *district = fields [1]? bm_book_district (book, fields [1]): NULL;
    if (district && fields [5] && *fields [3] && bm_period_parse (fields [5], &period, NULL) == 0) {
        bm_book_plan_t *plan = bm_book_plan (book, district, period.year);
        const bm_book_indicator_t *indicator = plan? bm_book_indicator (plan, fields [3],
                                                                        fields [4]): NULL;
        if (indicator)
            name = indicator->name;
    }
    free (copy);
    return name;
}

static int
s_alert (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_alert_t alert = {
        .id = INT ("id"), .labels = (char *) TEXT ("labels"), .value = (char *) TEXT ("value"),
        .message = (char *) TEXT ("message"), .fired_at = INT ("fired_at"),
        .updated_at = INT ("updated_at"), .acked_at = INT ("acked_at"),
        .acked_by = (char *) TEXT ("acked_by"), .ack_reason = (char *) TEXT ("ack_reason"),
        .silenced_until = INT ("silenced_until"), .silenced_by = (char *) TEXT ("silenced_by"),
        .silence_reason = (char *) TEXT ("silence_reason"),
        .indicator_name = (char *) s_alert_indicator_name (self->book, TEXT ("labels"))
    };
    if (bm_severity_parse (TEXT ("severity"), &alert.severity))
        return -1;
    bm_alerting_restore (bm_engine_alerting (self->engine), &alert);
    return 0;
}

//  ---------------------------------------------------------------------------
//  Figures, families, counters

static int
s_figure (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    //  One id, one figure: the server keeps it so (the table has no index
    //  on the id, migration 015); a copy can only come from outside it.
    //  Said, and loaded as it stands: memory is what the record holds, and a
    //  resend is answered with the first.
    int64_t first = bm_idset_add (bm_engine_ids (self->engine), TEXT ("submission_id"),
                                  INT ("id"));
    if (first != INT ("id"))
        zsys_error ("figure %lld carries the id %s of figure %lld: the record holds one"
                    " submission twice", (long long) INT ("id"), TEXT ("submission_id"),
                    (long long) first);
    bm_book_indicator_t *indicator;
    int unit;
    bm_book_slot_t *slot = bm_loader_slot (self, INT ("indicator_id"), INT ("unit_id"), &indicator,
                                   &unit);
    //  The figure table has no foreign keys (migration 010): a figure that
    //  names an indicator or a unit no plan has means the record is damaged
    //  (looked up again only for a figure that found no slot)
    char id [24];
    if (!slot
    &&  (!zhashx_lookup (self->indicators, bm_loader_id (INT ("indicator_id"), id))
     ||  !zhashx_lookup (self->units, bm_loader_id (INT ("unit_id"), id)))) {
        zsys_error ("figure %lld names indicator %lld and unit %lld, and no plan has them:"
                    " the database is damaged; restore it from a backup",
                    (long long) INT ("id"), (long long) INT ("indicator_id"),
                    (long long) INT ("unit_id"));
        return -1;
    }
    int month = (int) INT ("month");
    bm_book_plan_t *plan = slot? bm_loader_plan_of (self, indicator): NULL;
    if (!plan || month < 1 || month > 12 || INT ("year") != plan->year)
        return 0;
    bm_book_figure_t figure = { .present = true, .id = INT ("id"), .at = INT ("received_at"),
                                .note = "", .by = "" };
    if (*TEXT ("note")) {
        figure.note = bm_arena_strdup (self->arena, TEXT ("note"));
        figure.by = bm_arena_strdup (self->arena, TEXT ("sender"));
    }
    if (!ISNULL ("value"))
        bm_number_parse (TEXT ("value"), &figure.number);
    figure.status = (bm_reported_t) 0;
    const char *status = TEXT ("status");
    if (streq (status, "not_started"))
        figure.status = BM_REPORTED_NOT_STARTED;
    else
    if (streq (status, "in_progress"))
        figure.status = BM_REPORTED_IN_PROGRESS;
    else
    if (streq (status, "done"))
        figure.status = BM_REPORTED_DONE;
    bm_figures_apply (plan, indicator, unit, month, BOOL ("final"), &figure);
    return 0;
}

static int
s_family (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_events_set_family (bm_engine_events (self->engine), TEXT ("prefix"),
                          (uint64_t) INT ("seq"));
    return 0;
}

static int
s_tail (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_events_follow (bm_engine_events (self->engine), (uint64_t) INT ("seq"), TEXT ("topic"));
    return 0;
}

static int
s_counters (void *arg, bm_rows_t *rows, int row)
{
    bm_loader_t *self = (bm_loader_t *) arg;
    bm_engine_set_row (self->engine, BM_ROW_FIGURE, INT ("figure"));
    bm_alerting_set_last (bm_engine_alerting (self->engine), INT ("alert"));
    bm_engine_set_row (self->engine, BM_ROW_EXCEPTION, INT ("exception"));
    bm_events_set_latest (bm_engine_events (self->engine), (uint64_t) INT ("event"));
    return 0;
}

//  ---------------------------------------------------------------------------

static int
s_run (bm_engine_t *engine, PGconn *db)
{
    bm_loader_t self = { .engine = engine, .book = bm_engine_book (engine) };
    self.arena = bm_book_arena (self.book);
    self.units = zhashx_new ();
    self.indicators = zhashx_new ();
    self.totals = zhashx_new ();
    self.rows = zlistx_new ();
    int rc = bm_loader_plans (&self, db);
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_EXCEPTIONS, s_exception, &self);
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_ALERTS, s_alert, &self);
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_FIGURES, s_figure, &self);
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_FAMILIES, s_family, &self);
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_TAIL, s_tail, &self);
    if (rc == 0)
        rc = bm_store_load (db, BM_LOAD_COUNTERS, s_counters, &self);
    zlistx_destroy (&self.rows);
    zhashx_destroy (&self.units);
    zhashx_destroy (&self.indicators);
    zhashx_destroy (&self.totals);
    return rc;
}

int
bm_loader_load (bm_engine_t *engine, PGconn *db)
{
    bm_engine_reset (engine);
    int64_t started = zclock_usecs ();
    if (s_run (engine, db)) {
        zsys_error ("could not build the server's state from the database");
        bm_engine_reset (engine);
        return -1;
    }
    bm_engine_set_loaded (engine);
    zsys_info ("state built from the database in %.1f ms: %zu submission ids, event %llu",
               (zclock_usecs () - started) / 1000.0, bm_idset_size (bm_engine_ids (engine)),
               (unsigned long long) bm_events_latest (bm_engine_events (engine)));
    return 0;
}
