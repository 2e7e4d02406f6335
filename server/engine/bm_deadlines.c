/*  bm_deadlines: what happens when the clock passes a deadline. */

#include "bm_deadlines.h"
#include "bm_alerts.h"
#include "bm_alerting.h"
#include "bm_cells.h"
#include "bm_cycle.h"
#include "bm_judge.h"
#include "bm_wallview.h"
#include "bm_wire.h"

#include <string.h>

//  At a month's final deadline the district's sums are complete: each is
//  judged and told (no longer partial), with the ratios computed from them
static void
s_district_sums (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
                 int month)
{
    bm_arena_t *arena = bm_arena_new ();
    int district = plan->district->district_unit;
    for (size_t index = 0; index < plan->indicator_count; index++) {
        const bm_book_indicator_t *indicator = plan->indicators + index;
        const bm_book_slot_t *slot = bm_book_slot (indicator, district);
        bool summed = indicator->additive && indicator->units_expected > 0
                   && indicator->sums [month - 1].numeric > 0
                   && !bm_book_effective (slot, month);
        bm_decimal_t value;
        bool derived = indicator->kind == BM_KIND_RATIO && slot
                    && bm_judge_actual (plan, indicator, district, month, &value, NULL) == 0;
        if (summed || derived)
            bm_cells_publish (engine, turn, arena, plan, indicator, district, month);
    }
    bm_arena_destroy (&arena);
}

//  At a month's final deadline every figure of the month is definitive:
//  the month's lagging and trajectory alerts are judged again without
//  hysteresis, so those whose condition has ended resolve
static void
s_definitive (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan, int month)
{
    bm_alerting_t *alerting = bm_engine_alerting (engine);
    char period [BM_PERIOD_STR_MAX];
    bm_period_format ((bm_period_t) { plan->year, month }, period);
    //  The cells first: judging changes the alerts
    zlistx_t *cells = zlistx_new ();
    zlistx_set_destructor (cells, (zlistx_destructor_fn *) zstr_free);
    for (bm_alert_t *alert = bm_alerting_first (alerting); alert;
         alert = bm_alerting_next (alerting)) {
        const bm_labels_t *names = &alert->names;
        if ((streq (names->rule, "lagging") || streq (names->rule, "trajectory"))
        &&  streq (names->district, plan->district->code) && streq (names->period, period))
            zlistx_add_end (cells, zsys_sprintf ("%s\x1f%s\x1f%s", names->unit, names->indicator,
                                                 names->measure));
    }
    const char *last = "";
    for (char *cell = zlistx_first (cells); cell; cell = zlistx_next (cells)) {
        if (streq (cell, last))
            continue;           //  lagging and trajectory of one cell
        last = cell;
        char *unit_name = cell, *code = strchr (cell, '\x1f') + 1, *measure;
        code [-1] = '\0';
        measure = strchr (code, '\x1f') + 1;
        measure [-1] = '\0';
        int unit = bm_book_unit (plan->district, unit_name);
        const bm_book_indicator_t *indicator = bm_book_indicator (plan, code, measure);
        if (unit >= 0 && indicator) {
            bm_view_t view;
            bm_judge (plan, indicator, unit, month, &view);
            bm_alerts_cell (engine, turn, &view);
        }
        code [-1] = measure [-1] = '\x1f';
    }
    zlistx_destroy (&cells);
}

//  Freezes the district's wall for the month and queues its snapshot event
static void
s_snapshot (bm_engine_t *engine, bm_turn_t *turn, const bm_book_plan_t *plan,
            bm_period_t period, const char *deadline)
{
    bm_arena_t *arena = bm_arena_new ();
    char now [BM_TIME_STR_MAX], period_text [BM_PERIOD_STR_MAX], plan_id [24], date [16];
    bm_engine_now_text (engine, now);
    bm_period_format (period, period_text);
    Battlemap__WallReply *wall = bm_wallview_wall (plan, plan->district->district_unit,
                                                   period.month, true, now, arena);
    size_t size = battlemap__wall_reply__get_packed_size (wall);
    uint8_t *bytes = bm_arena_alloc (arena, size + 1);
    battlemap__wall_reply__pack (wall, bytes);
    snprintf (plan_id, sizeof plan_id, "%d", plan->id);
    snprintf (date, sizeof date, "%s-01", period_text);
    bm_batch_snapshot (turn->batch, plan_id, date, now, bytes, size);

    Battlemap__CycleEvent cycle = BATTLEMAP__CYCLE_EVENT__INIT;
    cycle.district = (char *) plan->district->code;
    cycle.period = period_text;
    cycle.kind = BATTLEMAP__FIGURE_KIND__FINAL;
    cycle.deadline = (char *) deadline;
    cycle.what = "snapshot";
    Battlemap__Event event = BATTLEMAP__EVENT__INIT;
    event.kind = "snapshot";
    event.payload_case = BATTLEMAP__EVENT__PAYLOAD_CYCLE;
    event.cycle = &cycle;
    char *topic = zsys_sprintf ("snapshot/%s/", plan->district->code);
    bm_engine_event (engine, turn, topic, &event);
    free (topic);
    bm_arena_destroy (&arena);
}

//  Notes one deadline: its row and event, the snapshot of a final, and its
//  alerts
static void
s_note (bm_engine_t *engine, bm_turn_t *turn, bm_book_plan_t *plan, bm_period_t period,
        bool final, int64_t deadline)
{
    char period_text [BM_PERIOD_STR_MAX], date [16], deadline_text [BM_TIME_STR_MAX];
    char now [BM_TIME_STR_MAX], plan_id [24];
    bm_period_format (period, period_text);
    snprintf (date, sizeof date, "%s-01", period_text);
    bm_time_format (deadline, deadline_text);
    snprintf (plan_id, sizeof plan_id, "%d", plan->id);
    const char *values [] = { plan_id, date, final? "final": "forecast", deadline_text,
                              bm_engine_now_text (engine, now) };
    bm_batch_deadline (turn->batch, values);
    plan->noted [period.month - 1][final] = true;

    Battlemap__CycleEvent cycle = BATTLEMAP__CYCLE_EVENT__INIT;
    cycle.district = (char *) plan->district->code;
    cycle.period = period_text;
    cycle.kind = final? BATTLEMAP__FIGURE_KIND__FINAL: BATTLEMAP__FIGURE_KIND__FORECAST;
    cycle.deadline = deadline_text;
    cycle.what = "deadline";
    Battlemap__Event event = BATTLEMAP__EVENT__INIT;
    event.kind = "deadline";
    event.payload_case = BATTLEMAP__EVENT__PAYLOAD_CYCLE;
    event.cycle = &cycle;
    char *topic = zsys_sprintf ("deadline/%s/", plan->district->code);
    bm_engine_event (engine, turn, topic, &event);
    free (topic);
    if (final) {
        s_district_sums (engine, turn, plan, period.month);
        s_definitive (engine, turn, plan, period.month);
        s_snapshot (engine, turn, plan, period, deadline_text);
    }
    bm_alerts_deadline (engine, turn, plan, period, final);
    //  The window closes at the end of the deadline's day
    char deadline_day [BM_TIME_STR_MAX];
    bm_cycle_deadline_text (bm_time_shanghai_date (deadline - 1), deadline_day);
    bm_alerts_notices (engine, turn, plan, period, final, deadline_day);
}

int
bm_deadlines_check (bm_engine_t *engine, bm_turn_t *turn)
{
    bm_book_t *book = bm_engine_book (engine);
    int64_t now = bm_clock_now (bm_engine_clock (engine));
    int64_t today = bm_date_days_from_epoch (bm_time_shanghai_date (now));
    int noted = 0;
    for (bm_book_plan_t *plan = bm_book_first_plan (book); plan;
         plan = bm_book_next_plan (book)) {
        //  Deadlines in the order they fall: forecast of M, then final of M
        //  (early in M+1) before the forecast of M+1
        for (int month = 1; month <= 12; month++) {
            bm_period_t period = { plan->year, month };
            if (plan->noted [month - 1][0] && plan->noted [month - 1][1])
                continue;
            bm_windows_t windows;
            bm_cycle_windows (&plan->cycle, period, &windows);
            for (int pass = 0; pass < 2; pass++) {
                bool final = pass == 1;
                int64_t closes = final? windows.final_closes: windows.forecast_closes;
                if (now < closes || plan->noted [month - 1][pass])
                    continue;
                s_note (engine, turn, plan, period, final, closes);
                noted++;
            }
        }
        //  Reminders: once a day (and after the clock moves to another day)
        if (plan->reminded != today) {
            bm_alerts_reminders (engine, turn, plan);
            plan->reminded = today;
        }
    }
    return noted;
}
