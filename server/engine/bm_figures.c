/*  bm_figures: accept figures from the units. */

#include "bm_figures.h"
#include "bm_alerts.h"
#include "bm_identity.h"
#include "bm_db.h"
#include "bm_decimal.h"
#include "bm_period.h"
#include "bm_plan.h"
#include "bm_state.h"
#include "bm_windows.h"
#include "bm_wire.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

//  What a figure resolved to
typedef struct {
    char unit_id [16];
    char district_unit_id [16];
    char indicator_id [16];
    char indicator_name [256];
    bm_period_t period;
    char kind [16];             //  the indicator's kind
    char plan_id [24];
    bm_windows_pass_t window;   //  late, and under which exception
    char hash [41];
    bool stored;                //  stored now (not a resend)
} s_resolved_t;

static bool
s_is_uuid (const char *text)
{
    static const char pattern [] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    if (strlen (text) != sizeof pattern - 1)
        return false;
    for (size_t index = 0; pattern [index]; index++) {
        if (pattern [index] == '-' ? text [index] != '-' : !isxdigit ((unsigned char) text [index]))
            return false;
    }
    return true;
}

//  SHA-1 of the figure's content, to tell a resend from a reused id
static void
s_content_hash (const Battlemap__Figure *figure, char *hash)
{
    zdigest_t *digest = zdigest_new ();
    const char *parts [] = { figure->district, figure->unit, figure->indicator,
                             figure->measure, figure->period,
                             bm_wire_kind_name (figure->kind), figure->value,
                             bm_wire_status_name (figure->status), figure->note };
    for (size_t index = 0; index < sizeof parts / sizeof parts [0]; index++)
        zdigest_update (digest, (const byte *) parts [index], strlen (parts [index]) + 1);
    snprintf (hash, 41, "%s", zdigest_string (digest));
    zdigest_destroy (&digest);
}

//  Lists the names in a one-column result, for error messages
static char *
s_list (PGresult *result)
{
    char *list = strdup ("");
    for (int row = 0; row < PQntuples (result); row++) {
        char *grown = zsys_sprintf ("%s%s%s", list, row? ", ": "", PQgetvalue (result, row, 0));
        free (list);
        list = grown;
    }
    return list;
}

static int
s_error_with_list (bm_request_t *request, Battlemap__ErrorCode code, uint32_t index,
                   const char *what, const char *sql, int count, const char *const *params)
{
    PGresult *result = bm_db_exec (request->db, sql, count, params);
    char *list = result? s_list (result): strdup ("?");
    if (result)
        PQclear (result);
    bm_request_error (request, code, index, "%s (known: %s)", what, list);
    free (list);
    return -1;
}

//  Checks one figure against the plan. Returns 0, or -1 with the error set.
static int
s_resolve (bm_request_t *request, const Battlemap__Figure *figure, uint32_t index,
           s_resolved_t *resolved)
{
    PGconn *db = request->db;
    if (!s_is_uuid (figure->id))
        return bm_request_error (request, E (MALFORMED), index,
            "figure %u: id \"%s\" is not a UUID; every figure needs a client-chosen UUID",
            index, figure->id);
    const char *error = NULL;
    if (bm_period_parse (figure->period, &resolved->period, &error))
        return bm_request_error (request, E (MALFORMED), index,
            "figure %u: period \"%s\": %s", index, figure->period, error);
    if (figure->kind != BATTLEMAP__FIGURE_KIND__FORECAST
    &&  figure->kind != BATTLEMAP__FIGURE_KIND__FINAL)
        return bm_request_error (request, E (MALFORMED), index,
            "figure %u: kind must be forecast or final", index);

    char year [8];
    snprintf (year, sizeof year, "%d", resolved->period.year);
    const char *params [] = { figure->district, year, figure->unit };
    PGresult *result = bm_db_exec (db,
        "SELECT d.id, p.id, u.id, w.id FROM district d"
        " LEFT JOIN plan p ON p.district_id = d.id AND p.year = $2::integer"
        " LEFT JOIN unit u ON u.district_id = d.id AND u.name = $3"
        " LEFT JOIN unit w ON w.district_id = d.id AND w.kind = 'district'"
        " WHERE d.code = $1", 3, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), index, "database error; retry later");
    if (PQntuples (result) == 0) {
        PQclear (result);
        //  Other districts are outside the caller's scope: not listed
        return bm_request_error (request, E (UNKNOWN_DISTRICT), index,
            "figure %u: district \"%s\" is not known; check the district code", index,
            figure->district);
    }
    bool has_plan = !PQgetisnull (result, 0, 1);
    bool has_unit = !PQgetisnull (result, 0, 2);
    char district_id [16], plan_id [16];
    snprintf (district_id, sizeof district_id, "%s", PQgetvalue (result, 0, 0));
    snprintf (plan_id, sizeof plan_id, "%s", PQgetvalue (result, 0, 1));
    snprintf (resolved->plan_id, sizeof resolved->plan_id, "%s", plan_id);
    snprintf (resolved->unit_id, sizeof resolved->unit_id, "%s", PQgetvalue (result, 0, 2));
    snprintf (resolved->district_unit_id, sizeof resolved->district_unit_id, "%s",
              PQgetvalue (result, 0, 3));
    PQclear (result);
    if (!has_plan) {
        char *what = zsys_sprintf ("figure %u: period %s is outside the plans of district %s",
                                   index, figure->period, figure->district);
        const char *district [] = { district_id };
        s_error_with_list (request, E (PERIOD_OUTSIDE_PLAN), index, what,
            "SELECT year::text FROM plan WHERE district_id = $1 ORDER BY year", 1, district);
        free (what);
        return -1;
    }
    if (!has_unit)
        return bm_request_error (request, E (UNKNOWN_UNIT), index,
            "figure %u: unit \"%s\" is not a unit of district %s; check the name "
            "(as written in the plan, e.g. 赵巷镇) or use 全区 for the district",
            index, figure->unit, figure->district);

    //  Indicator and measure
    const char *indicator [] = { plan_id, figure->indicator };
    result = bm_db_exec (db,
        "SELECT id, measure, name, kind, formula FROM indicator"
        " WHERE plan_id = $1 AND code = $2 ORDER BY position", 2, indicator);
    if (!result)
        return bm_request_error (request, E (INTERNAL), index, "database error; retry later");
    int rows = PQntuples (result);
    int match = -1;
    for (int row = 0; row < rows; row++)
        if (streq (PQgetvalue (result, row, 1), figure->measure))
            match = row;
    if (rows == 0) {
        PQclear (result);
        return bm_request_error (request, E (UNKNOWN_INDICATOR), index,
            "figure %u: indicator \"%s\" is not in the %s plan for %d; "
            "`battlemap template` lists a unit's indicators",
            index, figure->indicator, figure->district, resolved->period.year);
    }
    if (match < 0) {
        char *measures = strdup ("");
        for (int row = 0; row < rows; row++) {
            char *grown = zsys_sprintf ("%s%s%s", measures, row? ", ": "",
                                        *PQgetvalue (result, row, 1)
                                        ? PQgetvalue (result, row, 1): "(none)");
            free (measures);
            measures = grown;
        }
        if (rows == 1 && !*PQgetvalue (result, 0, 1))
            bm_request_error (request, E (UNKNOWN_MEASURE), index,
                "figure %u: indicator %s has a single measure: leave measure empty, "
                "not \"%s\"", index, figure->indicator, figure->measure);
        else
        if (!*figure->measure)
            bm_request_error (request, E (UNKNOWN_MEASURE), index,
                "figure %u: indicator %s is composite: name one of its measures (%s)",
                index, figure->indicator, measures);
        else
            bm_request_error (request, E (UNKNOWN_MEASURE), index,
                "figure %u: indicator %s has no measure \"%s\" (its measures: %s)",
                index, figure->indicator, figure->measure, measures);
        free (measures);
        PQclear (result);
        return -1;
    }
    snprintf (resolved->indicator_id, sizeof resolved->indicator_id, "%s",
              PQgetvalue (result, match, 0));
    snprintf (resolved->indicator_name, sizeof resolved->indicator_name, "%s%s%s",
              PQgetvalue (result, match, 2), *figure->measure? " ": "", figure->measure);
    snprintf (resolved->kind, sizeof resolved->kind, "%s", PQgetvalue (result, match, 3));
    if (streq (resolved->kind, "ratio")) {
        bm_request_error (request, E (DERIVED), index,
            "figure %u: %s is derived (%s): it is computed, not sent; "
            "send the figures it is computed from", index, resolved->indicator_name,
            PQgetvalue (result, match, 4));
        PQclear (result);
        return -1;
    }
    PQclear (result);

    //  The unit's target
    const char *cell [] = { resolved->indicator_id, resolved->unit_id };
    //  A unit reports what it has a target for, and the operands of a
    //  derived indicator it has a target for
    result = bm_db_exec (db,
        "SELECT coalesce (bool_or (NOT no_target), false) FROM target"
        " WHERE unit_id = $2 AND superseded_at IS NULL AND (indicator_id = $1"
        "   OR indicator_id IN (SELECT indicator_id FROM indicator_operand"
        "                       WHERE operand_id = $1))", 2, cell);
    if (!result)
        return bm_request_error (request, E (INTERNAL), index, "database error; retry later");
    bool has_target = *PQgetvalue (result, 0, 0) == 't';
    PQclear (result);
    if (!has_target)
        return bm_request_error (request, E (NO_TARGET), index,
            "figure %u: unit %s has no target for %s in %s",
            index, figure->unit, resolved->indicator_name, figure->period);

    s_content_hash (figure, resolved->hash);

    //  The value, and the kind of milestone the month has
    bm_decimal_t value;
    bool has_value = *figure->value != '\0';
    if (has_value && bm_decimal_parse (figure->value, &value, &error))
        return bm_request_error (request, E (BAD_VALUE), index,
            "figure %u: value \"%s\" for %s: %s", index, figure->value,
            resolved->indicator_name, error);
    bool has_status = figure->status != BATTLEMAP__MILESTONE_STATUS__MILESTONE_STATUS_UNSPECIFIED;
    if (has_status && !*bm_wire_status_name (figure->status))
        return bm_request_error (request, E (MALFORMED), index,
            "figure %u: unknown milestone status %d", index, figure->status);
    if (!has_value && !has_status)
        return bm_request_error (request, E (BAD_VALUE), index,
            "figure %u: no value for %s; send a number, or a status for a text milestone",
            index, resolved->indicator_name);
    //  A qualitative target takes a number (judged against last year) or a
    //  status with its evidence; growth rates and levels take numbers
    if (streq (resolved->kind, "qualitative"))
        return 0;
    if (!streq (resolved->kind, "amount")) {
        if (has_status)
            return bm_request_error (request, E (BAD_VALUE), index,
                "figure %u: %s is a %s indicator: send its value, not a status",
                index, resolved->indicator_name, resolved->kind);
        return 0;
    }

    char month [8];
    snprintf (month, sizeof month, "%d", resolved->period.month);
    const char *milestone [] = { resolved->indicator_id, resolved->unit_id,
                                 resolved->district_unit_id, month };
    result = bm_db_exec (db,
        "SELECT month, value IS NOT NULL, text FROM milestone"
        " WHERE indicator_id = $1 AND unit_id IN ($2, $3) AND month <= $4::integer"
        "   AND superseded_at IS NULL"
        " ORDER BY unit_id = $2 DESC, month DESC LIMIT 1", 4, milestone);
    if (!result)
        return bm_request_error (request, E (INTERNAL), index, "database error; retry later");
    bool text_only = PQntuples (result) == 1 && *PQgetvalue (result, 0, 1) == 'f';
    bool has_text = PQntuples (result) == 1 && *PQgetvalue (result, 0, 2);
    char *text = PQntuples (result) == 1? strdup (PQgetvalue (result, 0, 2)): NULL;
    PQclear (result);
    int rc = 0;
    if (text_only && has_value)
        rc = bm_request_error (request, E (TEXT_MILESTONE), index,
            "figure %u: the %s milestone of %s is text (%s): send a status "
            "(not_started, in_progress or done) and a note, not a number",
            index, figure->period, resolved->indicator_name, text);
    else
    if (has_status && !has_text)
        rc = bm_request_error (request, E (TEXT_MILESTONE), index,
            "figure %u: %s has no text milestone in %s: send a number, not a status",
            index, resolved->indicator_name, figure->period);
    free (text);
    return rc;
}

//  Stores one figure, or finds its earlier copy
static int
s_store (bm_request_t *request, const Battlemap__Figure *figure, uint32_t index,
         s_resolved_t *resolved, Battlemap__FigureReceipt *receipt)
{
    const char *id [] = { figure->id };
    PGresult *result = bm_db_exec (request->db,
        "SELECT id, content_hash, to_char (received_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF')"
        " FROM figure WHERE submission_id = $1", 1, id);
    if (!result)
        return bm_request_error (request, E (INTERNAL), index, "database error; retry later");
    if (PQntuples (result) == 1) {
        bool same = streq (PQgetvalue (result, 0, 1), resolved->hash);
        receipt->figure_id = atoll (PQgetvalue (result, 0, 0));
        receipt->received_at = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 2));
        PQclear (result);
        if (!same)
            return bm_request_error (request, E (ID_REUSED), index,
                "figure %u: id %s was already used for a different figure; "
                "a new figure needs a new id", index, figure->id);
        receipt->outcome = BATTLEMAP__RECEIPT_OUTCOME__UNCHANGED;
        return 0;
    }
    PQclear (result);
    char period [16];
    snprintf (period, sizeof period, "%04u-%02u-01", (unsigned) resolved->period.year % 10000u,
              (unsigned) resolved->period.month % 100u);
    //  The cell's current value, which a new figure updates
    const char *cell [] = { resolved->indicator_id, resolved->unit_id, period,
                            bm_wire_kind_name (figure->kind) };
    result = bm_db_exec (request->db,
        "SELECT coalesce (value::text, status) FROM figure WHERE indicator_id = $1"
        " AND unit_id = $2 AND period = $3::date AND kind = $4 ORDER BY id DESC LIMIT 1",
        4, cell);
    if (!result)
        return bm_request_error (request, E (INTERNAL), index, "database error; retry later");
    if (PQntuples (result) == 1)
        receipt->replaces = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 0));
    PQclear (result);
    const char *params [] = {
        figure->id, resolved->hash, resolved->indicator_id, resolved->unit_id, period,
        bm_wire_kind_name (figure->kind), *figure->value? figure->value: NULL,
        figure->status? bm_wire_status_name (figure->status): NULL, figure->note,
        request->sender, resolved->window.late? "true": "false",
        *resolved->window.exception_id? resolved->window.exception_id: NULL,
        bm_request_now (request), request->identity->key
    };
    result = bm_db_exec (request->db,
        "INSERT INTO figure (submission_id, content_hash, indicator_id, unit_id, period,"
        " kind, value, status, note, sender, late, exception_id, received_at, sender_key)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        " RETURNING id, to_char (received_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF')", 14, params);
    if (!result)
        return bm_request_error (request, E (INTERNAL), index, "database error; retry later");
    receipt->figure_id = atoll (PQgetvalue (result, 0, 0));
    receipt->received_at = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 1));
    receipt->outcome = *receipt->replaces? BATTLEMAP__RECEIPT_OUTCOME__UPDATED
                                         : BATTLEMAP__RECEIPT_OUTCOME__CREATED;
    receipt->late = resolved->window.late;
    resolved->stored = true;
    PQclear (result);
    return 0;
}

//  Recomputes completion for the figure's unit and district, and their
//  alerts; queues the figure's event and theirs
static int
s_publish (bm_request_t *request, const Battlemap__Figure *figure,
           const s_resolved_t *resolved, Battlemap__FigureReceipt *receipt)
{
    Battlemap__FigureEvent *accepted = bm_arena_alloc (request->arena, sizeof *accepted);
    battlemap__figure_event__init (accepted);
    accepted->district = figure->district;
    accepted->unit = figure->unit;
    accepted->indicator = figure->indicator;
    accepted->measure = figure->measure;
    accepted->period = figure->period;
    accepted->kind = figure->kind;
    accepted->value = figure->value;
    accepted->status = figure->status;
    accepted->outcome = receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__UPDATED
                      ? "updated": "created";
    accepted->replaces = receipt->replaces;
    accepted->late = receipt->late;
    Battlemap__Event *figure_event = bm_arena_alloc (request->arena, sizeof *figure_event);
    battlemap__event__init (figure_event);
    figure_event->kind = "figure";
    figure_event->payload_case = BATTLEMAP__EVENT__PAYLOAD_FIGURE;
    figure_event->figure = accepted;
    if (bm_request_event (request, bm_arena_printf (request->arena, "figure/%s/%s/%s/",
                              figure->district, figure->unit, figure->indicator), figure_event)
    ||  bm_alerts_reports (request, resolved->plan_id, resolved->unit_id, resolved->period,
                           bm_wire_kind_name (figure->kind)))
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        bool district = pass == 1;
        const char *unit_id = district? resolved->district_unit_id: resolved->unit_id;
        if (district && streq (resolved->unit_id, resolved->district_unit_id))
            break;
        Battlemap__CompletionEvent *completion =
            bm_arena_alloc (request->arena, sizeof *completion);
        battlemap__completion_event__init (completion);
        Battlemap__WallMeasure *measure = NULL;
        if (bm_state_update (request->db, request->arena, resolved->indicator_id,
                             unit_id, district || streq (unit_id, resolved->district_unit_id),
                             resolved->period, completion, &measure))
            return -1;
        const char *unit = district? BM_DISTRICT_UNIT: figure->unit;
        completion->district = bm_arena_strdup (request->arena, figure->district);
        completion->unit = bm_arena_strdup (request->arena, unit);
        completion->indicator = bm_arena_strdup (request->arena, figure->indicator);
        completion->period = bm_arena_strdup (request->arena, figure->period);
        if (pass == 0)
            receipt->completion = completion->vs_annual;
        Battlemap__Event *event = bm_arena_alloc (request->arena, sizeof *event);
        battlemap__event__init (event);
        event->kind = "completion";
        event->payload_case = BATTLEMAP__EVENT__PAYLOAD_COMPLETION;
        event->completion = completion;
        char *topic = bm_arena_printf (request->arena, "completion/%s/%s/%s/",
                                       figure->district, unit, figure->indicator);
        //  The completion first, then the alerts it causes
        if (bm_request_event (request, topic, event)
        ||  bm_alerts_completion (request, resolved->indicator_id, unit_id, resolved->period,
                                  measure))
            return -1;
    }
    return 0;
}

//  The cycles of the plans a submission touches, loaded once each
typedef struct {
    bm_windows_plan_t plans [4];
    size_t count;
} s_cycles_t;

static const bm_windows_plan_t *
s_cycle (bm_request_t *request, s_cycles_t *cycles, const char *plan_id)
{
    for (size_t index = 0; index < cycles->count; index++)
        if (streq (cycles->plans [index].plan_id, plan_id))
            return cycles->plans + index;
    if (cycles->count == sizeof cycles->plans / sizeof cycles->plans [0]) {
        bm_windows_unload (cycles->plans);
        memmove (cycles->plans, cycles->plans + 1, (cycles->count - 1) * sizeof cycles->plans [0]);
        cycles->count--;
    }
    if (bm_windows_load (request->db, plan_id, cycles->plans + cycles->count))
        return NULL;
    return cycles->plans + cycles->count++;
}

//  Checks and stores one figure; -1 with the request's error set
static int
s_accept (bm_request_t *request, const Battlemap__Figure *figure, uint32_t index,
          s_cycles_t *cycles, s_resolved_t *resolved, Battlemap__FigureReceipt *receipt)
{
    if (s_resolve (request, figure, index, resolved))
        return -1;
    const bm_windows_plan_t *cycle = s_cycle (request, cycles, resolved->plan_id);
    if (!cycle)
        return bm_request_error (request, E (INTERNAL), index, "database error; retry later");
    //  A resend of a stored figure is answered whatever the time
    const char *id [] = { figure->id };
    PGresult *known = bm_db_exec (request->db,
        "SELECT 1 FROM figure WHERE submission_id = $1", 1, id);
    if (!known)
        return bm_request_error (request, E (INTERNAL), index, "database error; retry later");
    bool resend = PQntuples (known) == 1;
    PQclear (known);
    if (!resend
    &&  bm_windows_check (request, cycle, resolved->unit_id, figure->indicator,
                          resolved->period, figure->kind == BATTLEMAP__FIGURE_KIND__FINAL,
                          figure->note, index, &resolved->window))
        return -1;
    return s_store (request, figure, index, resolved, receipt);
}

int
bm_figures_submit (bm_request_t *request, const Battlemap__SubmitRequest *submit)
{
    size_t count = submit->n_figures;
    if (count == 0)
        return bm_request_error (request, E (MALFORMED), 0, "the submission holds no figures");
    if (count > BM_MAX_BATCH)
        return bm_request_error (request, E (TOO_LARGE), 0,
            "a submission holds at most %d figures, this one %zu; split it",
            BM_MAX_BATCH, count);
    Battlemap__SubmitReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__submit_reply__init (reply);
    reply->n_receipts = count;
    reply->receipts = (Battlemap__FigureReceipt **)
        bm_arena_array (request->arena, count, sizeof (Battlemap__FigureReceipt));
    s_resolved_t *resolved = bm_arena_alloc (request->arena, count * sizeof *resolved);
    s_cycles_t cycles = { .count = 0 };

    if (bm_db_begin (request->db))
        return bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    int rc = 0;
    for (size_t index = 0; rc == 0 && index < count; index++) {
        Battlemap__FigureReceipt *receipt = reply->receipts [index];
        battlemap__figure_receipt__init (receipt);
        receipt->id = submit->figures [index]->id;
        //  A partial submission keeps going past a refusal: the figure's
        //  work is undone to a savepoint and the refusal becomes its receipt
        if (submit->partial)
            rc = bm_db_command (request->db, "SAVEPOINT figure", 0, NULL);
        if (rc == 0)
            rc = s_accept (request, submit->figures [index], (uint32_t) index + 1, &cycles,
                           resolved + index, receipt);
        if (rc && submit->partial && request->reply->error
        &&  request->reply->error->code != E (INTERNAL)) {
            bm_db_command (request->db, "ROLLBACK TO SAVEPOINT figure", 0, NULL);
            receipt->outcome = BATTLEMAP__RECEIPT_OUTCOME__REFUSED;
            receipt->error = request->reply->error;
            request->reply->error = NULL;
            request->reply->body_case = BATTLEMAP__ENVELOPE__BODY__NOT_SET;
            resolved [index].stored = false;
            rc = 0;
        }
    }
    for (size_t index = 0; index < cycles.count; index++)
        bm_windows_unload (cycles.plans + index);
    for (size_t index = 0; rc == 0 && index < count; index++)
        if (resolved [index].stored
        &&  s_publish (request, submit->figures [index], resolved + index,
                       reply->receipts [index]))
            rc = bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    if (rc == 0 && bm_db_commit (request->db))
        rc = bm_request_error (request, E (INTERNAL), 0, "database error; retry later");
    if (rc) {
        bm_db_rollback (request->db);
        bm_request_discard_events (request);
        return -1;
    }
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY;
    request->reply->submit_reply = reply;
    return 0;
}
