/*  bm_req_wall: the wall (live or frozen), a unit's template, rankings. */

#include "bm_requests.h"
#include "bm_identity.h"
#include "bm_plan.h"
#include "bm_rank.h"
#include "bm_scope.h"
#include "bm_store_read.h"
#include "bm_wallview.h"
#include "bm_i18n.h"

#define E(name) BATTLEMAP__ERROR_CODE__##name

int
bm_req_wall (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    const Battlemap__WallRequest *wall = envelope->wall;
    bm_scope_t scope;
    if (bm_scope_resolve (request, wall->district, wall->period, wall->unit, &scope))
        return -1;
    if (wall->snapshot) {
        if (!scope.district)
            return bm_request_error (request, E (MALFORMED), 0,
                                     _("snapshots are of the district's wall: leave out the unit"));
        char date [16], *taken_at = NULL;
        snprintf (date, sizeof date, "%s-01", wall->period);
        Battlemap__WallReply *frozen = bm_store_snapshot (bm_store_db (request->store),
                                                          request->arena, scope.plan->id,
                                                          date, &taken_at);
        if (!frozen)
            return bm_request_error (request, E (NOT_ALLOWED), 0,
                _("there is no snapshot of %s yet: it is taken when the month's final "
                "deadline passes"), wall->period);
        frozen->snapshot_at = taken_at;
        request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_WALL_REPLY;
        request->reply->wall_reply = frozen;
        return 0;
    }
    Battlemap__WallReply *reply = bm_wallview_wall (scope.plan, scope.unit, scope.period.month,
                                                    wall->all, bm_request_now (request),
                                                    request->arena);
    //  The unit as the request named it
    if (!scope.district)
        reply->unit = wall->unit;
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_WALL_REPLY;
    request->reply->wall_reply = reply;
    return 0;
}

int
bm_req_template (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    const Battlemap__TemplateRequest *template_ = envelope->template_;
    bm_scope_t scope;
    if (bm_scope_resolve (request, template_->district, template_->period, template_->unit,
                          &scope))
        return -1;
    //  A lead section's key asking for the district's template gets the
    //  district's rows of the tasks it leads: its own template's 全区 rows
    const char *leading = NULL;
    if (scope.district && !bm_identity_sees (request->identity, template_->district, ""))
        leading = bm_identity_leading_unit (request->identity, scope.plan);
    int unit = leading? bm_book_unit (scope.plan->district, leading): scope.unit;
    Battlemap__TemplateReply *reply = bm_wallview_template (scope.plan, unit,
                                                            scope.period.month, request->arena);
    if (leading) {
        size_t kept = 0;
        for (size_t index = 0; index < reply->n_rows; index++)
            if (streq (reply->rows [index]->unit, BM_DISTRICT_UNIT))
                reply->rows [kept++] = reply->rows [index];
        reply->n_rows = kept;
    }
    reply->district = template_->district;
    reply->period = template_->period;
    if (!scope.district)
        reply->unit = template_->unit;
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_TEMPLATE_REPLY;
    request->reply->template_reply = reply;
    return 0;
}

static void
s_rows (bm_request_t *request, Battlemap__RankingReply *reply, const bm_rank_t *rank)
{
    reply->n_rows = rank->count;
    reply->rows = (Battlemap__RankingRow **)
        bm_arena_array (request->arena, rank->count, sizeof (Battlemap__RankingRow));
    for (size_t index = 0; index < rank->count; index++) {
        Battlemap__RankingRow *row = reply->rows [index];
        battlemap__ranking_row__init (row);
        const bm_rank_entry_t *entry = rank->entries + index;
        row->rank = (uint32_t) entry->rank;
        row->unit = (char *) entry->unit;
        row->warned = entry->warned;
        char buf [BM_DECIMAL_STR_MAX];
        row->rate = bm_arena_strdup (request->arena, entry->has_rate
                                     ? bm_percent_format (entry->rate_tenths, buf): "");
        if (rank->views) {
            const bm_view_t *view = rank->views + index;
            row->status = (char *) bm_status_name (view->cell.status);
            row->actual = bm_arena_strdup (request->arena, view->facts.has_actual
                ? bm_decimal_format (view->facts.actual, buf): "");
        }
        else
            row->status = entry->has_rate? "scored": "not_reported";
    }
}

int
bm_req_ranking (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    const Battlemap__RankingRequest *ranking = envelope->ranking;
    bm_scope_t scope;
    if (bm_scope_resolve (request, ranking->district, ranking->period, "", &scope))
        return -1;
    if (!*ranking->indicator == !*ranking->ranking)
        return bm_request_error (request, E (MALFORMED), 0,
                                 _("name either an indicator or a ranking of the plan"));
    Battlemap__RankingReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__ranking_reply__init (reply);
    reply->district = ranking->district;
    reply->period = ranking->period;
    reply->bottom = ranking->bottom;
    bm_rank_t rank;
    if (*ranking->indicator) {
        const bm_book_indicator_t *indicator = bm_book_indicator (scope.plan, ranking->indicator,
                                                                  ranking->measure);
        if (!indicator)
            return bm_request_error (request, E (UNKNOWN_INDICATOR), 0,
                                     _("indicator \"%s\"%s%s is not in the plan"),
                                     ranking->indicator, *ranking->measure? " measure ": "",
                                     ranking->measure);
        reply->title = bm_arena_printf (request->arena, "%s%s%s", indicator->name,
                                        *ranking->measure? " ": "", ranking->measure);
        bm_rank_indicator (scope.plan, indicator, scope.period.month, reply->bottom,
                           request->arena, &rank);
    }
    else {
        const bm_book_ranking_t *found = NULL;
        for (size_t index = 0; index < scope.plan->ranking_count; index++)
            if (streq (scope.plan->rankings [index].name, ranking->ranking))
                found = scope.plan->rankings + index;
        if (!found)
            return bm_request_error (request, E (UNKNOWN_INDICATOR), 0,
                                     _("the plan has no ranking \"%s\" (rankings.csv)"),
                                     ranking->ranking);
        if (!reply->bottom)
            reply->bottom = (uint32_t) found->bottom;
        reply->title = (char *) ranking->ranking;
        bm_rank_weighted (scope.plan, found, scope.period.month, reply->bottom, request->arena,
                          &rank);
    }
    s_rows (request, reply, &rank);
    if (!reply->bottom)
        reply->bottom = 5;
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_RANKING_REPLY;
    request->reply->ranking_reply = reply;
    return 0;
}
