/*  bm_req_catchup: the events after a sequence number, from the durable
    log, so that a subscriber that starts, reconnects or notices a gap loses
    nothing: the ZeroMQ guide's Clone pattern, with the log standing in for
    the snapshot. Events come filtered by the request's prefixes and by the
    key's scope, exactly as a subscription would give them, a page at a
    time, as large as a message comfortably holds.
*/

#include "bm_requests.h"
#include "bm_identity.h"
#include "bm_store_read.h"
#include "bm_i18n.h"

#include <string.h>

#define S_PAGE_EVENTS   10000           //  events read for one page at most
#define S_PAGE_BYTES    (4 << 20)       //  payload in one page, about

typedef struct {
    const Battlemap__CatchupRequest *catchup;
    const bm_identity_t *identity;
} s_filter_t;

static bool
s_keep (void *arg, const char *topic)
{
    s_filter_t *filter = (s_filter_t *) arg;
    const Battlemap__CatchupRequest *catchup = filter->catchup;
    bool wanted = catchup->n_prefixes == 0;
    for (size_t index = 0; !wanted && index < catchup->n_prefixes; index++)
        wanted = strncmp (topic, catchup->prefixes [index],
                          strlen (catchup->prefixes [index])) == 0;
    return wanted && bm_identity_may_subscribe (filter->identity, topic);
}

int
bm_req_catchup (bm_request_t *request, const Battlemap__Envelope *envelope)
{
    const Battlemap__CatchupRequest *catchup = envelope->catchup;
    //  Sequence numbers are PostgreSQL bigints: no event is beyond 2^63 - 1
    if (catchup->since > (uint64_t) INT64_MAX)
        return bm_request_error (request, BATTLEMAP__ERROR_CODE__MALFORMED, 0,
                                 _("since %llu is beyond any sequence number (at most %lld)"),
                                 (unsigned long long) catchup->since, (long long) INT64_MAX);
    Battlemap__CatchupReply *reply = bm_arena_alloc (request->arena, sizeof *reply);
    battlemap__catchup_reply__init (reply);
    reply->latest = bm_events_latest (bm_engine_events (request->engine));
    reply->through = catchup->since;
    if (catchup->latest_only || catchup->since >= reply->latest)
        reply->through = reply->latest > catchup->since? reply->latest: catchup->since;
    else {
        uint32_t limit = catchup->limit && catchup->limit < S_PAGE_EVENTS
                       ? catchup->limit: S_PAGE_EVENTS;
        s_filter_t filter = { catchup, request->identity };
        bool more = false;
        if (bm_store_events (bm_store_db (request->store), request->arena, catchup->since,
                             limit, S_PAGE_BYTES, s_keep, &filter, reply, &more))
            return bm_request_error (request, BATTLEMAP__ERROR_CODE__INTERNAL, 0,
                                     _("database error; retry later"));
        reply->more = more;
        //  Events committed after `latest` was read may be in the page:
        //  `latest` is never below what the page holds
        if (reply->through > reply->latest)
            reply->latest = reply->through;
        if (!reply->more && reply->through < reply->latest)
            reply->through = reply->latest;
    }
    request->reply->body_case = BATTLEMAP__ENVELOPE__BODY_CATCHUP_REPLY;
    request->reply->catchup_reply = reply;
    return 0;
}
