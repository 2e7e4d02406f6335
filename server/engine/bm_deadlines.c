/*  bm_deadlines: what happens when the clock passes a deadline. */

#include "bm_deadlines.h"
#include "bm_alerts.h"
#include "bm_db.h"
#include "bm_wall.h"
#include "bm_windows.h"
#include "bm_wire.h"

#include <stdlib.h>
#include <string.h>

//  protobuf-c allocations from a request's arena, freed with it
static void *
s_arena_alloc (void *arena, size_t size)
{
    return bm_arena_alloc ((bm_arena_t *) arena, size);
}

static void
s_arena_free (void *arena, void *pointer)
{
}

//  Freezes the district's wall for the period and queues a snapshot event
static int
s_snapshot (bm_request_t *request, const char *plan_id, const char *district,
            bm_period_t period, const char *deadline)
{
    char period_text [BM_PERIOD_STR_MAX];
    bm_period_format (period, period_text);
    Battlemap__WallRequest wall = BATTLEMAP__WALL_REQUEST__INIT;
    wall.district = (char *) district;
    wall.period = period_text;
    wall.all = true;
    Battlemap__Envelope reply = BATTLEMAP__ENVELOPE__INIT;
    Battlemap__Envelope *saved = request->reply;
    request->reply = &reply;
    int rc = bm_wall_handle (request, &wall);
    request->reply = saved;
    if (rc || reply.body_case != BATTLEMAP__ENVELOPE__BODY_WALL_REPLY)
        return -1;
    size_t size = battlemap__wall_reply__get_packed_size (reply.wall_reply);
    uint8_t *bytes = bm_arena_alloc (request->arena, size + 1);
    battlemap__wall_reply__pack (reply.wall_reply, bytes);
    char period_date [16];
    snprintf (period_date, sizeof period_date, "%s-01", period_text);
    const int lengths [] = { 0, 0, 0, (int) size };
    const int formats [] = { 0, 0, 0, 1 };
    const char *params [] = { plan_id, period_date, bm_request_now (request),
                              (const char *) bytes };
    PGresult *result = PQexecParams (request->db,
        "INSERT INTO snapshot (plan_id, period, taken_at, wall) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT DO NOTHING", 4, NULL, params, lengths, formats, 0);
    bool stored = PQresultStatus (result) == PGRES_COMMAND_OK;
    PQclear (result);
    if (!stored)
        return -1;

    Battlemap__CycleEvent *cycle = bm_arena_alloc (request->arena, sizeof *cycle);
    battlemap__cycle_event__init (cycle);
    cycle->district = (char *) district;
    cycle->period = bm_arena_strdup (request->arena, period_text);
    cycle->kind = BATTLEMAP__FIGURE_KIND__FINAL;
    cycle->deadline = (char *) deadline;
    cycle->what = "snapshot";
    Battlemap__Event *event = bm_arena_alloc (request->arena, sizeof *event);
    battlemap__event__init (event);
    event->kind = "snapshot";
    event->payload_case = BATTLEMAP__EVENT__PAYLOAD_CYCLE;
    event->cycle = cycle;
    return bm_request_event (request,
        bm_arena_printf (request->arena, "snapshot/%s/", district), event);
}

//  Notes one deadline (and, for a final, takes the snapshot) in its own
//  transaction
static int
s_note (bm_request_t *request, const char *plan_id, const char *district,
        bm_period_t period, bool final, int64_t deadline)
{
    char period_text [BM_PERIOD_STR_MAX], period_date [16], deadline_text [BM_TIME_STR_MAX];
    bm_period_format (period, period_text);
    snprintf (period_date, sizeof period_date, "%s-01", period_text);
    bm_time_format (deadline, deadline_text);
    const char *kind = final? "final": "forecast";
    if (bm_db_begin (request->db))
        return -1;
    const char *params [] = { plan_id, period_date, kind, deadline_text,
                              bm_request_now (request) };
    PGresult *result = bm_db_exec (request->db,
        "INSERT INTO deadline_passed (plan_id, period, kind, deadline, noted_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING", 5, params);
    bool fresh = result && atoi (PQcmdTuples (result)) == 1;
    if (result)
        PQclear (result);
    int rc = result? 0: -1;
    if (rc == 0 && fresh) {
        Battlemap__CycleEvent *cycle = bm_arena_alloc (request->arena, sizeof *cycle);
        battlemap__cycle_event__init (cycle);
        cycle->district = (char *) district;
        cycle->period = bm_arena_strdup (request->arena, period_text);
        cycle->kind = final? BATTLEMAP__FIGURE_KIND__FINAL: BATTLEMAP__FIGURE_KIND__FORECAST;
        cycle->deadline = bm_arena_strdup (request->arena, deadline_text);
        cycle->what = "deadline";
        Battlemap__Event *event = bm_arena_alloc (request->arena, sizeof *event);
        battlemap__event__init (event);
        event->kind = "deadline";
        event->payload_case = BATTLEMAP__EVENT__PAYLOAD_CYCLE;
        event->cycle = cycle;
        rc = bm_request_event (request,
            bm_arena_printf (request->arena, "deadline/%s/", district), event);
        if (rc == 0 && final)
            rc = s_snapshot (request, plan_id, district, period, cycle->deadline);
        if (rc == 0)
            rc = bm_alerts_deadline (request, plan_id, period, final);
    }
    if (rc == 0)
        rc = bm_db_commit (request->db);
    if (rc) {
        bm_db_rollback (request->db);
        bm_request_discard_events (request);
        zsys_error ("could not note the %s deadline of %s", kind, period_text);
    }
    return rc? -1: (fresh? 1: 0);
}

int
bm_deadlines_check (bm_request_t *request)
{
    PGresult *plans = bm_db_exec (request->db,
        "SELECT p.id, d.code, p.year, (SELECT count (*) FROM deadline_passed x"
        "  WHERE x.plan_id = p.id) FROM plan p JOIN district d ON d.id = p.district_id"
        " ORDER BY p.id", 0, NULL);
    if (!plans)
        return -1;
    int64_t now = bm_clock_now (request->clock);
    int noted = 0;
    for (int row = 0; row < PQntuples (plans) && noted >= 0; row++) {
        //  Every deadline of the year noted already: nothing to do
        if (atoi (PQgetvalue (plans, row, 3)) == 24)
            continue;
        const char *plan_id = PQgetvalue (plans, row, 0);
        const char *district = bm_arena_strdup (request->arena, PQgetvalue (plans, row, 1));
        int year = atoi (PQgetvalue (plans, row, 2));
        bm_windows_plan_t cycle;
        if (bm_windows_load (request->db, plan_id, &cycle)) {
            noted = -1;
            break;
        }
        //  Deadlines in the order they fall: forecast of M, then final of M
        //  (early in M+1) before the forecast of M+1
        for (int month = 1; month <= 12 && noted >= 0; month++) {
            bm_period_t period = { year, month };
            bm_windows_t windows;
            bm_cycle_windows (&cycle.cycle, period, &windows);
            for (int pass = 0; pass < 2 && noted >= 0; pass++) {
                bool final = pass == 1;
                int64_t closes = final? windows.final_closes: windows.forecast_closes;
                if (now < closes)
                    continue;
                int rc = s_note (request, plan_id, district, period, final, closes);
                noted = rc < 0? -1: noted + rc;
            }
        }
        bm_windows_unload (&cycle);
    }
    PQclear (plans);
    if (noted >= 0 && bm_alerts_reminders (request))
        noted = -1;
    return noted;
}

Battlemap__WallReply *
bm_deadlines_snapshot (bm_request_t *request, const char *plan_id, bm_period_t period,
                       char **taken_at)
{
    char period_date [16];
    snprintf (period_date, sizeof period_date, "%04u-%02u-01",
              (unsigned) period.year % 10000u, (unsigned) period.month % 100u);
    const char *params [] = { plan_id, period_date };
    PGresult *result = PQexecParams (request->db,
        "SELECT wall, to_char (taken_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF') FROM snapshot"
        " WHERE plan_id = $1 AND period = $2::date", 2, NULL, params, NULL, NULL, 1);
    Battlemap__WallReply *wall = NULL;
    if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) == 1) {
        ProtobufCAllocator allocator = { s_arena_alloc, s_arena_free, request->arena };
        wall = battlemap__wall_reply__unpack (&allocator, (size_t) PQgetlength (result, 0, 0),
                                              (const uint8_t *) PQgetvalue (result, 0, 0));
        *taken_at = bm_arena_strdup (request->arena, PQgetvalue (result, 0, 1));
    }
    PQclear (result);
    return wall;
}
