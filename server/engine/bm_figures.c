/*  bm_figures: figures from the units, taken in named steps. */

#include "bm_figures.h"
#include "bm_alerts.h"
#include "bm_cells.h"
#include "bm_idset.h"
#include "bm_judge.h"
#include "bm_reports.h"
#include "bm_plan.h"
#include "bm_plausible.h"
#include "bm_store_read.h"
#include "bm_windows.h"
#include "bm_wire.h"
#include "bm_i18n.h"

#include <string.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

//  What a figure resolved to
typedef struct {
    bm_book_plan_t *plan;
    bm_book_indicator_t *indicator;
    int unit;                   //  index in the district
    bm_period_t period;
    bool final;
    bm_number_t number;         //  its value, if it has one
    bm_reported_t status;       //  its status, if it has one
    char hash [41];             //  of its content, to tell a resend from a reused id
    unsigned char uuid [16];    //  its id, parsed
    bm_windows_pass_t window;   //  late, and under which exception
    bool refused;               //  a partial submission's refusal
    int known;                  //  stored before this request: 1, else 0
    bm_turn_figure_t earlier;   //  ...as it was stored
    bool stored;                //  stored now (not a resend, not the current value)
} s_resolved_t;

//  ---------------------------------------------------------------------------
//  Applying a figure to memory

//  What a unit's figure adds to the district's running sum
static void
s_sum (bm_book_sum_t *sum, const bm_book_figure_t *figure, bool is_forecast, int sign)
{
    if (!figure)
        return;
    sum->reported += sign;
    if (!figure->number.present)
        return;
    sum->numeric += sign;
    sum->forecasts += is_forecast? sign: 0;
    sum->sum.micros += sign * figure->number.value.micros;
}

void
bm_figures_apply (bm_book_plan_t *plan, bm_book_indicator_t *indicator, int unit,
                  int month, bool final, const bm_book_figure_t *figure)
{
    bm_book_slot_t *slot = bm_book_slot_make (indicator, unit);
    bm_book_month_t *cell = slot->months + month - 1;
    bool counted = unit != plan->district->district_unit;
    const bm_book_figure_t *before = bm_book_effective (slot, month);
    bm_book_figure_t old = before? *before: (bm_book_figure_t) { .present = false };
    bool old_forecast = before == cell->latest + BM_BOOK_FORECAST;

    if (cell->id_count == cell->id_capacity) {
        cell->id_capacity = cell->id_capacity? 2 * cell->id_capacity: 2;
        cell->ids = (int64_t *) realloc (cell->ids, cell->id_capacity * sizeof (int64_t));
        assert (cell->ids);
    }
    cell->ids [cell->id_count++] = figure->id;
    int kind = final? BM_BOOK_FINAL: BM_BOOK_FORECAST;
    //  A report owed, now received
    if (!cell->latest [kind].present && bm_reports_expected (plan, indicator, unit))
        plan->reports_received [unit][month - 1][kind]++;
    cell->latest [kind] = *figure;
    if (!cell->first_at [kind] || figure->at < cell->first_at [kind])
        cell->first_at [kind] = figure->at;
    if (figure->number.present) {
        if (final)
            cell->final = figure->number;
        else {
            cell->forecast = figure->number;
            //  The forecast-accuracy report takes the last forecast sent
            //  before the forecast deadline
            bm_windows_t windows;
            bm_cycle_windows (&plan->cycle, (bm_period_t) { plan->year, month }, &windows);
            if (figure->at < windows.forecast_closes)
                cell->forecast_on_time = figure->number;
        }
    }
    if (counted) {
        bm_book_sum_t *sum = indicator->sums + month - 1;
        s_sum (sum, old.present? &old: NULL, old_forecast, -1);
        const bm_book_figure_t *after = bm_book_effective (slot, month);
        s_sum (sum, after, after == cell->latest + BM_BOOK_FORECAST, 1);
        if (slot->working_target)
            sum->expected_in += (after != NULL) - (before != NULL);
    }
}

//  ---------------------------------------------------------------------------
//  Step 1: resolve

//  "a, b, c" of the measures of an indicator code, "(none)" for the empty one
static char *
s_measures (bm_request_t *request, const bm_book_plan_t *plan, const char *code, size_t *count,
            const bm_book_indicator_t **only)
{
    char *list = "";
    *count = 0;
    for (size_t index = 0; index < plan->indicator_count; index++) {
        const bm_book_indicator_t *indicator = plan->indicators + index;
        if (!streq (indicator->code, code))
            continue;
        list = bm_arena_printf (request->arena, "%s%s%s", list, *count? ", ": "",
                                *indicator->measure? indicator->measure: "(none)");
        *only = indicator;
        (*count)++;
    }
    return list;
}

//  The unit has a target for the indicator, or for a ratio computed from it
static bool
s_has_target (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator, int unit)
{
    const bm_book_slot_t *slot = bm_book_slot (indicator, unit);
    if (slot && slot->any_target)
        return true;
    for (size_t index = 0; index < indicator->derived_count; index++) {
        slot = bm_book_slot (plan->indicators + indicator->derived [index], unit);
        if (slot && slot->any_target)
            return true;
    }
    return false;
}

//  SHA-1 of the figure's content, to tell a resend from a reused id; the
//  value by what it is worth ("9.40" is "9.4")
static void
s_content_hash (const Battlemap__Figure *figure, const s_resolved_t *resolved, char *hash)
{
    char value [BM_DECIMAL_STR_MAX] = "";
    if (resolved->number.present)
        bm_decimal_format (resolved->number.value, value);
    zdigest_t *digest = zdigest_new ();
    const char *parts [] = { figure->district, figure->unit, figure->indicator,
                             figure->measure, figure->period,
                             bm_wire_kind_name (figure->kind), value,
                             bm_wire_status_name (figure->status), figure->note };
    for (size_t index = 0; index < sizeof parts / sizeof parts [0]; index++)
        zdigest_update (digest, (const byte *) parts [index], strlen (parts [index]) + 1);
    snprintf (hash, 41, "%s", zdigest_string (digest));
    zdigest_destroy (&digest);
}

//  The month's milestone as the figure is checked against it: the unit's
//  latest at or before the month, else the district's
static const bm_book_milestone_t *
s_milestone (const bm_book_plan_t *plan, const bm_book_indicator_t *indicator, int unit,
             int month)
{
    int at;
    const bm_book_milestone_t *milestone =
        bm_book_milestone (bm_book_slot (indicator, unit), month, &at);
    if (!milestone)
        milestone = bm_book_milestone (bm_book_slot (indicator, plan->district->district_unit),
                                       month, &at);
    return milestone;
}

//  The largest figure a unit of the district may send: so large that the
//  district's sum of all its units' figures still fits a decimal, so that
//  no order of figures can overflow it
static int64_t
s_largest (const bm_book_plan_t *plan)
{
    return BM_DECIMAL_MAX / (int64_t) (plan->district->unit_count + 1);
}

static int
s_resolve (bm_request_t *request, const Battlemap__Figure *figure, uint32_t index,
           s_resolved_t *resolved)
{
    bm_book_t *book = bm_engine_book (request->engine);
    if (bm_idset_parse (figure->id, resolved->uuid))
        return bm_request_error (request, E (MALFORMED), index,
            _("figure %u: id \"%s\" is not a UUID; every figure needs a client-chosen UUID"),
            index, figure->id);
    //  Looked up once every figure is resolved (s_accept)
    bm_idset_prefetch (bm_engine_ids (request->engine), resolved->uuid);
    const char *error = NULL;
    if (bm_period_parse (figure->period, &resolved->period, &error))
        return bm_request_error (request, E (MALFORMED), index,
            _("figure %u: period \"%s\": %s"), index, figure->period, error);
    if (figure->kind != BATTLEMAP__FIGURE_KIND__FORECAST
    &&  figure->kind != BATTLEMAP__FIGURE_KIND__FINAL)
        return bm_request_error (request, E (MALFORMED), index,
            _("figure %u: kind must be forecast or final"), index);
    resolved->final = figure->kind == BATTLEMAP__FIGURE_KIND__FINAL;

    bm_book_district_t *district = bm_book_district (book, figure->district);
    if (!district)
        //  Other districts are outside the caller's scope: not listed
        return bm_request_error (request, E (UNKNOWN_DISTRICT), index,
            _("figure %u: district \"%s\" is not known; check the district code"), index,
            figure->district);
    resolved->plan = bm_book_plan (book, district, resolved->period.year);
    if (!resolved->plan) {
        char *years = "";
        for (bm_book_plan_t *plan = bm_book_first_plan (book); plan;
             plan = bm_book_next_plan (book))
            if (plan->district == district)
                years = bm_arena_printf (request->arena, "%s%s%d", years, *years? ", ": "",
                                         plan->year);
        return bm_request_error (request, E (PERIOD_OUTSIDE_PLAN), index,
            _("figure %u: period %s is outside the plans of district %s (known: %s)"),
            index, figure->period, figure->district, years);
    }
    const bm_book_plan_t *plan = resolved->plan;
    resolved->unit = bm_book_unit (district, figure->unit);
    if (resolved->unit < 0)
        return bm_request_error (request, E (UNKNOWN_UNIT), index,
            _("figure %u: unit \"%s\" is not a unit of district %s; check the name "
            "(as written in the plan, e.g. 赵巷镇) or use 全区 for the district"),
            index, figure->unit, figure->district);

    //  Indicator and measure (what the plan has is listed only for an error)
    resolved->indicator = bm_book_indicator (plan, figure->indicator, figure->measure);
    if (!resolved->indicator) {
        size_t measures;
        const bm_book_indicator_t *only = NULL;
        char *list = s_measures (request, plan, figure->indicator, &measures, &only);
        if (measures == 0)
            return bm_request_error (request, E (UNKNOWN_INDICATOR), index,
                _("figure %u: indicator \"%s\" is not in the %s plan for %d; "
                "`battlemap template` lists a unit's indicators"),
                index, figure->indicator, figure->district, resolved->period.year);
        if (measures == 1 && !*only->measure)
            return bm_request_error (request, E (UNKNOWN_MEASURE), index,
                _("figure %u: indicator %s has a single measure: leave measure empty, "
                "not \"%s\""), index, figure->indicator, figure->measure);
        if (!*figure->measure)
            return bm_request_error (request, E (UNKNOWN_MEASURE), index,
                _("figure %u: indicator %s is composite: name one of its measures (%s)"),
                index, figure->indicator, list);
        return bm_request_error (request, E (UNKNOWN_MEASURE), index,
            _("figure %u: indicator %s has no measure \"%s\" (its measures: %s)"),
            index, figure->indicator, figure->measure, list);
    }
    const bm_book_indicator_t *indicator = resolved->indicator;
    const char *name = bm_arena_printf (request->arena, "%s%s%s", indicator->name,
                                        *figure->measure? " ": "", figure->measure);
    if (indicator->kind == BM_KIND_RATIO)
        return bm_request_error (request, E (DERIVED), index,
            _("figure %u: %s is derived (%s): it is computed, not sent; "
            "send the figures it is computed from"), index, name, indicator->formula);
    //  A unit reports what it has a target for, and the operands of a
    //  derived indicator it has a target for
    if (!s_has_target (plan, indicator, resolved->unit))
        return bm_request_error (request, E (NO_TARGET), index,
            _("figure %u: unit %s has no target for %s in %s"),
            index, figure->unit, name, figure->period);

    //  The value, and the kind of milestone the month has
    bool has_value = *figure->value != '\0';
    if (has_value) {
        bm_decimal_t value;
        if (bm_decimal_parse (figure->value, &value, &error))
            return bm_request_error (request, E (BAD_VALUE), index,
                _("figure %u: value \"%s\" for %s: %s"), index, figure->value, name, error);
        bm_number_parse (figure->value, &resolved->number);
        if (value.micros < 0 && !indicator->may_be_negative)
            return bm_request_error (request, E (BAD_VALUE), index,
                _("figure %u: %s is a cumulative count or amount, not below zero (%s); "
                "a plan marks the indicators that may be (negative in indicators.csv)"),
                index, name, figure->value);
        int64_t largest = s_largest (plan);
        if (value.micros / BM_DECIMAL_SCALE >= largest
        ||  value.micros / BM_DECIMAL_SCALE <= -largest)
            return bm_request_error (request, E (BAD_VALUE), index,
                _("figure %u: %s %s for %s is beyond the largest figure a unit of %s may "
                "send (%lld), so that the district's sum always fits"), index, figure->value,
                indicator->unit_of_measure, name, plan->district->code, (long long) largest);
    }
    bool has_status = figure->status != BATTLEMAP__MILESTONE_STATUS__MILESTONE_STATUS_UNSPECIFIED;
    if (has_status && !*bm_wire_status_name (figure->status))
        return bm_request_error (request, E (MALFORMED), index,
            _("figure %u: unknown milestone status %d"), index, figure->status);
    resolved->status = (bm_reported_t) figure->status;
    if (!has_value && !has_status)
        return bm_request_error (request, E (BAD_VALUE), index,
            _("figure %u: no value for %s; send a number, or a status for a text milestone"),
            index, name);
    s_content_hash (figure, resolved, resolved->hash);
    //  A qualitative target takes a number (judged against last year) or a
    //  status with its evidence; growth rates and levels take numbers
    if (indicator->kind == BM_KIND_QUALITATIVE)
        return 0;
    if (indicator->kind != BM_KIND_AMOUNT) {
        if (has_status)
            return bm_request_error (request, E (BAD_VALUE), index,
                _("figure %u: %s is a %s indicator: send its value, not a status"),
                index, name, bm_kind_name (indicator->kind));
        return 0;
    }
    const bm_book_milestone_t *milestone = s_milestone (plan, indicator, resolved->unit,
                                                        resolved->period.month);
    bool text_only = milestone && !milestone->number.present && !milestone->none;
    bool has_text = milestone && *milestone->text && !milestone->none;
    //  A task with a numeric target takes its count in a text month too
    const bm_book_slot_t *slot = bm_book_slot (indicator, resolved->unit);
    bool counted = slot && slot->targets.has_working;
    if (text_only && has_value && !counted)
        return bm_request_error (request, E (TEXT_MILESTONE), index,
            _("figure %u: the %s milestone of %s is text (%s): send a status "
            "(not_started, in_progress or done) and a note, not a number"),
            index, figure->period, name, milestone->text);
    if (has_status && !has_text)
        return bm_request_error (request, E (TEXT_MILESTONE), index,
            _("figure %u: %s has no text milestone in %s: send a number, not a status"),
            index, name, figure->period);
    return 0;
}

//  ---------------------------------------------------------------------------
//  Steps 2 and 3: check the window, store

//  A figure stored before, in this turn or earlier: 1 with its row, 0 if
//  the id is new, -1 if the database could not say
static int
s_stored_before (bm_request_t *request, const char *id, const unsigned char uuid [16],
                 bm_turn_figure_t *earlier)
{
    bm_turn_figure_t *pending = zhashx_lookup (request->turn->figures, id);
    for (bm_turn_t *turn = request->inflight? zlistx_first (request->inflight): NULL;
         turn && !pending; turn = zlistx_next (request->inflight))
        pending = zhashx_lookup (turn->figures, id);
    if (pending) {
        *earlier = *pending;
        return 1;
    }
    int64_t row = bm_idset_row (bm_engine_ids (request->engine), uuid);
    if (!row)
        return 0;
    earlier->id = row;
    int rc = bm_store_figure (bm_store_db (request->store), row, earlier->hash,
                              earlier->received_at, sizeof earlier->received_at);
    if (rc == 0)
        zsys_error ("figure %s is held as row %lld, which the figure table does not have",
                    id, (long long) row);
    return rc == 1? 1: -1;
}

//  A new id that carries exactly the cell's current value, status and note
static bool
s_equals_current (const bm_book_figure_t *current, const s_resolved_t *resolved,
                  const Battlemap__Figure *figure)
{
    if (!current || !current->present || current->status != resolved->status
    ||  current->number.present != resolved->number.present
    ||  !streq (current->note? current->note: "", figure->note))
        return false;
    return !resolved->number.present
        || current->number.value.micros == resolved->number.value.micros;
}

//  The plausibility check (bm_plausible): a figure held until its sender
//  confirms it. 0, or -1 with the request's error set to SUSPICIOUS, naming
//  the suspicion and the numbers.
static int
s_plausible (bm_request_t *request, uint32_t index, const s_resolved_t *resolved)
{
    const bm_book_indicator_t *indicator = resolved->indicator;
    if (!resolved->number.present
    ||  (indicator->kind != BM_KIND_AMOUNT && indicator->kind != BM_KIND_LEVEL))
        return 0;
    int month = resolved->period.month;
    const bm_book_slot_t *slot = bm_book_slot (indicator, resolved->unit);
    //  The previous month's figure, and the last value of this cell or before
    const bm_book_figure_t *previous = month > 1? bm_book_effective (slot, month - 1): NULL;
    const bm_book_figure_t *last = bm_book_effective (slot, month);
    if (!last || !last->number.present)
        last = previous;
    bm_view_t view;
    bm_judge (resolved->plan, indicator, resolved->unit, month, &view);
    bm_plausible_input_t input = {
        .direction = indicator->direction, .may_decrease = indicator->may_decrease,
        .factor = indicator->plausible_factor, .value = resolved->number.value,
        .has_previous = previous && previous->number.present,
        .has_expected = view.cell.has_expected && !view.cell.expected_is_level,
        .expected = view.cell.expected,
        .has_last = last && last->number.present
    };
    if (input.has_previous)
        input.previous = previous->number.value;
    if (input.has_last)
        input.last = last->number.value;
    //  A level's expectation is the target itself
    if (view.cell.expected_is_level && slot && slot->targets.has_working) {
        input.has_expected = true;
        input.expected = slot->targets.working;
    }
    bm_plausible_t verdict = bm_plausible_check (&input);
    if (verdict == BM_PLAUSIBLE_OK)
        return 0;
    const char *unit = resolved->plan->district->units [resolved->unit].name;
    char name [512], text [BM_DECIMAL_STR_MAX], other [BM_DECIMAL_STR_MAX];
    snprintf (name, sizeof name, "%s%s%s", indicator->name, *indicator->measure? " ": "",
              indicator->measure);
    bm_decimal_format (input.value, text);
    const char *confirm = _("if it is right, send it again confirmed "
                            "(battlemap submit --confirm, or 是 in the CSV's 确认 column)");
    if (verdict == BM_PLAUSIBLE_FALLS)
        return bm_request_error (request, E (SUSPICIOUS), index,
            _("figure %u: %s %s %s %s is below %d月's %s: a cumulative figure does not fall "
            "(was a month's own figure sent instead of the total since January?); %s"),
            index, unit, name, bm_wire_kind_name (resolved->final
                ? BATTLEMAP__FIGURE_KIND__FINAL: BATTLEMAP__FIGURE_KIND__FORECAST),
            text, month - 1, bm_number_format (&previous->number, other), confirm);
    char expected [BM_DECIMAL_STR_MAX], factor [BM_DECIMAL_STR_MAX], rate [BM_DECIMAL_STR_MAX];
    bm_decimal_format (input.factor, factor);
    bool with_expected = input.has_expected && input.expected.micros > 0;
    bool with_last = input.has_last && input.last.micros > 0;
    int64_t tenths = 0;
    bool rated = with_expected && bm_decimal_percent (input.value, input.expected, &tenths) == 0;
    if (rated)
        bm_percent_format (tenths, rate);
    return bm_request_error (request, E (SUSPICIOUS), index,
        _("figure %u: %s %s %s%s is %s times or more off %s%s%s%s%s%s (is it in %s?); %s"),
        index, unit, name, text, indicator->unit_of_measure, factor,
        with_expected? _("the month's expected "): "",
        with_expected? bm_decimal_format (input.expected, expected): "",
        rated? bm_arena_printf (request->arena, " (%s%%)", rate): "",
        with_expected && with_last? _(" and "): "",
        with_last? _("the last value "): "",
        with_last? bm_decimal_format (input.last, other): "",
        indicator->unit_of_measure, confirm);
}

static int
s_store (bm_request_t *request, const Battlemap__Figure *figure, uint32_t index,
         s_resolved_t *resolved, Battlemap__FigureReceipt *receipt)
{
    bm_engine_t *engine = request->engine;
    receipt->indicator_name = bm_arena_strdup (request->arena, resolved->indicator->name);
    //  Stored before this request, or earlier in it
    bm_turn_figure_t *earlier = zhashx_lookup (request->turn->figures, figure->id);
    if (!earlier && resolved->known)
        earlier = &resolved->earlier;
    if (earlier) {
        //  A resend of a stored figure is answered whatever the time
        receipt->figure_id = earlier->id;
        receipt->received_at = bm_arena_strdup (request->arena, earlier->received_at);
        if (!streq (earlier->hash, resolved->hash))
            return bm_request_error (request, E (ID_REUSED), index,
                _("figure %u: id %s was already used for a different figure; "
                "a new figure needs a new id"), index, figure->id);
        receipt->outcome = BATTLEMAP__RECEIPT_OUTCOME__UNCHANGED;
        return 0;
    }
    if (bm_windows_check (request, resolved->plan, resolved->plan->district->units
                              [resolved->unit].id, figure->indicator, resolved->period,
                          resolved->final, figure->note, index, &resolved->window))
        return -1;

    //  The cell's current value, which a new figure updates; a new id with
    //  exactly that value (and status and note) changes nothing
    bm_book_slot_t *slot = bm_book_slot (resolved->indicator, resolved->unit);
    int kind = resolved->final? BM_BOOK_FINAL: BM_BOOK_FORECAST;
    const bm_book_figure_t *current = slot
        ? slot->months [resolved->period.month - 1].latest + kind: NULL;
    if (s_equals_current (current, resolved, figure)) {
        char at [BM_TIME_STR_MAX];
        receipt->figure_id = current->id;
        receipt->received_at = bm_arena_strdup (request->arena, bm_time_format (current->at, at));
        receipt->outcome = BATTLEMAP__RECEIPT_OUTCOME__UNCHANGED;
        receipt->equals_current = true;
        return 0;
    }
    if (!figure->confirmed && s_plausible (request, index, resolved))
        return -1;
    if (current && current->present) {
        char buf [BM_DECIMAL_STR_MAX];
        receipt->replaces = bm_arena_strdup (request->arena, current->number.present
            ? bm_number_format (&current->number, buf)
            : bm_wire_status_name ((Battlemap__MilestoneStatus) current->status));
    }
    int64_t now = bm_clock_now (bm_engine_clock (engine));
    bm_book_figure_t stored = {
        .present = true, .id = bm_engine_next_row (engine, BM_ROW_FIGURE),
        .number = resolved->number, .status = resolved->status, .at = now,
        .note = "", .by = ""
    };
    //  A note is kept with the cell (a lead section's 进展说明), and who sent it
    if (*figure->note) {
        bm_arena_t *book = bm_book_arena (bm_engine_book (engine));
        stored.note = bm_arena_strdup (book, figure->note);
        stored.by = bm_arena_strdup (book, request->sender);
    }
    bm_figures_apply (resolved->plan, resolved->indicator, resolved->unit,
                      resolved->period.month, resolved->final, &stored);
    bm_idset_insert (bm_engine_ids (engine), resolved->uuid, stored.id);

    //  Its row
    char id [24], indicator_id [24], unit_id [24], period [16], exception [24];
    char value [BM_DECIMAL_STR_MAX];
    snprintf (id, sizeof id, "%lld", (long long) stored.id);
    snprintf (indicator_id, sizeof indicator_id, "%d", resolved->indicator->id);
    snprintf (unit_id, sizeof unit_id, "%d", resolved->plan->district->units [resolved->unit].id);
    snprintf (period, sizeof period, "%04d-%02d-01", resolved->period.year % 10000,
              resolved->period.month % 100);
    snprintf (exception, sizeof exception, "%lld", (long long) resolved->window.exception_id);
    const char *received_at = bm_request_now (request);
    const char *values [] = {
        id, figure->id, resolved->hash, indicator_id, unit_id, period,
        resolved->final? "final": "forecast",
        resolved->number.present? bm_number_format (&resolved->number, value): NULL,
        figure->status? bm_wire_status_name (figure->status): NULL, figure->note,
        request->sender, resolved->window.late? "true": "false",
        resolved->window.exception_id? exception: NULL, received_at,
        request->sender_key, figure->confirmed? "true": "false"
    };
    bm_batch_figure (request->turn->batch, values);
    bm_turn_figure_t *pending = (bm_turn_figure_t *) zmalloc (sizeof *pending);
    pending->id = stored.id;
    snprintf (pending->hash, sizeof pending->hash, "%s", resolved->hash);
    snprintf (pending->received_at, sizeof pending->received_at, "%s", received_at);
    zhashx_update (request->turn->figures, figure->id, pending);

    receipt->figure_id = stored.id;
    receipt->received_at = (char *) received_at;
    receipt->outcome = *receipt->replaces? BATTLEMAP__RECEIPT_OUTCOME__UPDATED
                                         : BATTLEMAP__RECEIPT_OUTCOME__CREATED;
    receipt->late = resolved->window.late;
    resolved->stored = true;
    return 0;
}

//  ---------------------------------------------------------------------------
//  Steps 4 to 6: judge, decide alerts, queue events

static void
s_queue_figure_event (bm_request_t *request, const Battlemap__Figure *figure,
                      const s_resolved_t *resolved, const Battlemap__FigureReceipt *receipt)
{
    char value [BM_DECIMAL_STR_MAX] = "";
    Battlemap__FigureEvent accepted = BATTLEMAP__FIGURE_EVENT__INIT;
    accepted.district = figure->district;
    accepted.unit = figure->unit;
    accepted.indicator = figure->indicator;
    accepted.measure = figure->measure;
    accepted.period = figure->period;
    accepted.kind = figure->kind;
    //  The value as stored: "+12" and "007" are 12 and 7
    accepted.value = resolved->number.present? bm_number_format (&resolved->number, value)
                                             : value;
    accepted.status = figure->status;
    accepted.outcome = receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__UPDATED
                     ? "updated": "created";
    accepted.replaces = receipt->replaces;
    accepted.late = receipt->late;
    Battlemap__Event event = BATTLEMAP__EVENT__INIT;
    event.kind = "figure";
    event.payload_case = BATTLEMAP__EVENT__PAYLOAD_FIGURE;
    event.figure = &accepted;
    bm_request_event (request, bm_arena_printf (request->arena, "figure/%s/%s/%s/",
                      figure->district, figure->unit, figure->indicator), &event);
}

static void
s_publish (bm_request_t *request, const Battlemap__Figure *figure, const s_resolved_t *resolved,
           Battlemap__FigureReceipt *receipt)
{
    s_queue_figure_event (request, figure, resolved, receipt);
    bm_alerts_reports (request->engine, request->turn, resolved->plan, resolved->unit,
                       resolved->period, resolved->final);
    receipt->completion = (char *) bm_cells_figure (request->engine, request->turn,
                                                    request->arena, resolved->plan,
                                                    resolved->indicator, resolved->unit,
                                                    resolved->period.month);
}

//  ---------------------------------------------------------------------------

//  A refusal becomes the figure's receipt (partial submissions)
static void
s_refuse (bm_request_t *request, s_resolved_t *resolved, Battlemap__FigureReceipt *receipt)
{
    resolved->refused = true;
    receipt->outcome = BATTLEMAP__RECEIPT_OUTCOME__REFUSED;
    receipt->error = request->reply->error;
    request->reply->error = NULL;
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY__NOT_SET;
}

//  Checks every figure before any is applied, so that a refusal in an
//  all-or-nothing submission leaves nothing behind, and the database is
//  asked about resent ids before anything changes; a partial submission
//  turns each refusal into its figure's receipt
static int
s_accept (bm_request_t *request, const Battlemap__SubmitRequest *submit,
          s_resolved_t *resolved, Battlemap__FigureReceipt **receipts)
{
    size_t count = submit->n_figures;
    for (size_t index = 0; index < count; index++) {
        Battlemap__FigureReceipt *receipt = receipts [index];
        battlemap__figure_receipt__init (receipt);
        receipt->id = submit->figures [index]->id;
        if (s_resolve (request, submit->figures [index], (uint32_t) index + 1,
                       resolved + index) == 0)
            continue;
        if (!submit->partial)
            return -1;
        s_refuse (request, resolved + index, receipt);
    }
    for (size_t index = 0; index < count; index++) {
        if (resolved [index].refused)
            continue;
        resolved [index].known = s_stored_before (request, submit->figures [index]->id,
                                                  resolved [index].uuid,
                                                  &resolved [index].earlier);
        if (resolved [index].known < 0)
            return bm_request_error (request, E (INTERNAL), (uint32_t) index + 1,
                                     _("database error; retry later"));
    }
    //  What storing could refuse, an all-or-nothing submission checks first
    if (!submit->partial)
        for (size_t index = 0; index < count; index++) {
            const Battlemap__Figure *figure = submit->figures [index];
            s_resolved_t *this = resolved + index;
            bool reused = this->known && !streq (this->earlier.hash, this->hash);
            bool again = false;
            for (size_t other = 0; other < index; other++)
                if (streq (submit->figures [other]->id, figure->id)) {
                    again = true;
                    reused |= !streq (resolved [other].hash, this->hash);
                }
            if (reused)
                return bm_request_error (request, E (ID_REUSED), (uint32_t) index + 1,
                    _("figure %zu: id %s was already used for a different figure; "
                    "a new figure needs a new id"), index + 1, figure->id);
            if (!this->known && !again
            &&  bm_windows_check (request, this->plan,
                                  this->plan->district->units [this->unit].id,
                                  figure->indicator, this->period, this->final, figure->note,
                                  (uint32_t) index + 1, &this->window))
                return -1;
            if (!this->known && !again && !figure->confirmed
            &&  s_plausible (request, (uint32_t) index + 1, this))
                return -1;
        }
    for (size_t index = 0; index < count; index++)
        if (!resolved [index].refused
        &&  s_store (request, submit->figures [index], (uint32_t) index + 1, resolved + index,
                     receipts [index]))
            s_refuse (request, resolved + index, receipts [index]);
    return 0;
}

int
bm_figures_submit (bm_request_t *request, const Battlemap__SubmitRequest *submit)
{
    size_t count = submit->n_figures;
    if (count == 0)
        return bm_request_error (request, E (MALFORMED), 0, _("the submission holds no figures"));
    if (count > BM_MAX_BATCH)
        return bm_request_error (request, E (TOO_LARGE), 0,
            _("a submission holds at most %d figures, this one %zu; split it"),
            BM_MAX_BATCH, count);
    Battlemap__SubmitReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__submit_reply__init (reply);
    reply->n_receipts = count;
    reply->receipts = (Battlemap__FigureReceipt **)
        bm_arena_array (request->arena, count, sizeof (Battlemap__FigureReceipt));
    s_resolved_t *resolved = bm_arena_alloc (request->arena, count * sizeof *resolved);
    if (s_accept (request, submit, resolved, reply->receipts))
        return -1;
    for (size_t index = 0; index < count; index++)
        if (resolved [index].stored)
            s_publish (request, submit->figures [index], resolved + index,
                       reply->receipts [index]);
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY;
    request->reply->submit_reply = reply;
    return 0;
}
