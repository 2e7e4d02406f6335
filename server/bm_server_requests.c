/*  bm_server_requests: a request or a subscription taken through its
    checks (framing, key, limits, rights, the database there) to its
    handler, and every refusal audited. Part of bm_server
    (bm_server_private.h).
*/

#include "bm_server_private.h"
#include "bm_request.h"
#include "bm_requests.h"
#include "bm_wire.h"
#include "bm_i18n.h"

//  ---------------------------------------------------------------------------
//  Requests

static const char *
s_body_name (Battlemap__Envelope__BodyCase body)
{
    const ProtobufCFieldDescriptor *field =
        protobuf_c_message_descriptor_get_field (&battlemap__envelope__descriptor, body);
    return field? field->name: "unknown";
}

//  Requests refused for their rate are audited as one row a second a key,
//  with their count: auditing each would let a flood starve the server
static void
s_audit_limited (bm_server_t *self, const bm_identity_t *sender)
{
    uint64_t held;
    if (!bm_throttle_pass (self->limited, sender->key, zclock_mono (), &held))
        return;
    char detail [64];
    snprintf (detail, sizeof detail, "%llu requests refused", (unsigned long long) held + 1);
    bm_audit (self->engine, self->turn, sender->key, sender->name, "request", true,
              "RATE_LIMITED", detail);
}

//  Over either of the key's limits: refused with the time to wait
static bool
s_limited (bm_server_t *self, bm_request_t *request, const bm_dispatch_t *dispatch)
{
    const bm_identity_t *sender = request->identity;
    //  The bureau's own keys load plans and history in bulk: not limited
    if (sender->role == BM_ROLE_ADMIN)
        return false;
    int64_t now = zclock_mono ();
    int64_t wait = -1;
    if (dispatch && dispatch->counted
    &&  !bm_limiter_take (self->requests, sender->key, now, 1))
        wait = bm_limiter_wait (self->requests, sender->key, now, 1);
    else
    if (!bm_limiter_allows (self->time, sender->key, now))
        wait = bm_limiter_wait (self->time, sender->key, now, 1);
    if (wait < 0)
        return false;
    bm_request_error (request, E (RATE_LIMITED), 0,
                      _("too many requests from this key (at most %d a second, and %d ms of"
                      " the server's time a second); slow down"), self->rate_limit,
                      self->time_limit);
    request->reply->error->retry_after_ms = (uint32_t) (wait < 1? 1: wait);
    s_audit_limited (self, sender);
    return true;
}

//  Whether requests can be served: the database is there and the state in
//  memory is what it holds
bool
bm_server_available (bm_server_t *self)
{
    return bm_store_ok (self->store) && bm_engine_loaded (self->engine) && !self->failing;
}

//  The answer while the database is away: at once, and not audited (it
//  refuses nothing the key did)
static void
s_unavailable (bm_server_t *self, bm_request_t *request)
{
    bm_request_error (request, E (UNAVAILABLE), 0,
                      _("the server cannot reach its database just now; nothing was stored."
                      " Send the request again in a moment"));
    request->reply->error->retry_after_ms = BM_SERVER_RETRY_MS;
    self->unavailable++;
}

//  Decodes, checks the sender's rights and limits, and hands the request
//  to its handler. Returns the packed reply.
static zframe_t *
s_dispatch (bm_server_t *self, bm_request_t *request, zframe_t *payload)
{
    Battlemap__ErrorCode code;
    char message [256];
    //  The request lives in its arena, freed once its reply is sent
    Battlemap__Envelope *envelope = bm_wire_decode_request_in (request->arena,
        zframe_data (payload), zframe_size (payload), &code, message, sizeof message);
    const bm_dispatch_t *dispatch = envelope? bm_requests_find (envelope->body_case): NULL;
    if (!envelope)
        bm_request_error (request, code, 0, "%s", message);
    else
    if (s_limited (self, request, dispatch))
        ;                       //  refused, audited once a second
    else
    if (bm_identity_authorize (request, envelope))
        ;                       //  refused and audited
    else
    if (!dispatch)
        bm_request_error (request, E (UNKNOWN_TYPE), 0, _("%s is not a request"),
                          s_body_name (envelope->body_case));
    else
    if (!bm_server_available (self))
        s_unavailable (self, request);
    else {
        //  A request that reads the record, or writes it on its own, comes
        //  after everything before it is committed
        if (dispatch->flush_first && dispatch->flush_first (envelope)) {
            bm_server_turn_drain (self);
            request->turn = self->turn;
        }
        if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_SUBMIT)
            self->turn_figures += envelope->submit->n_figures;
        int64_t started = zclock_usecs ();
        if (!bm_server_available (self))    //  the flush found the database gone
            s_unavailable (self, request);
        else
            dispatch->handler (request, envelope);
        //  A read that found the database gone is no fault of the request
        Battlemap__Error *failed = request->reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR
                                 ? request->reply->error: NULL;
        if (failed && failed->code == E (INTERNAL) && !bm_store_ok (self->store)) {
            failed->code = E (UNAVAILABLE);
            failed->retry_after_ms = BM_SERVER_RETRY_MS;
            self->unavailable++;
        }
        bm_limiter_charge (self->time, request->identity->key, zclock_mono (),
                           zclock_usecs () - started);
    }
    if (request->reply->body_case == BATTLEMAP__ENVELOPE__BODY__NOT_SET)
        bm_request_error (request, E (INTERNAL), 0, _("the request was not answered"));
    if (request->reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR) {
        Battlemap__Error *error = request->reply->error;
        //  Every refusal is audited: who, what, when, why (authorisation
        //  and rate refusals were, where they were decided), up to a few
        //  a second a key, the rest counted in the next row (each of an
        //  administrator's, whose keys are not limited either)
        char *detail = error->code == E (NOT_ALLOWED) || error->code == E (RATE_LIMITED)
                    || error->code == E (UNAVAILABLE)? NULL
                     : request->identity->role == BM_ROLE_ADMIN     //  the bureau's: every one
                    ? strdup (error->message)
                    : bm_throttle_trace (self->traces, request->identity->key, zclock_mono (),
                                         error->message);
        if (detail) {
            zsys_info ("refused (%s) %s: %s", bm_wire_error_name (error->code),
                       request->sender, error->message);
            bm_audit (self->engine, self->turn, request->identity->key,
                      request->identity->name,
                      envelope? s_body_name (envelope->body_case): "request", true,
                      bm_wire_error_name (error->code), detail);
            free (detail);
        }
    }
    else
    if (self->verbose)
        zsys_debug ("%s from %s: answered", s_body_name (envelope->body_case), request->sender);
    return bm_wire_pack (request->reply);
}

void
bm_server_request_handle (bm_server_t *self)
{
    zmsg_t *message = zmsg_recv (self->router);
    if (!message)
        return;
    zframe_t *identity = zmsg_pop (message);
    zframe_t *correlation = zmsg_pop (message);
    zframe_t *payload = zmsg_pop (message);
    bool well_framed = identity && correlation && payload && zmsg_size (message) == 0
                    && zframe_size (correlation) == BM_CORRELATION_SIZE;
    zmsg_destroy (&message);
    if (!identity) {
        zframe_destroy (&correlation);
        zframe_destroy (&payload);
        return;
    }
    Battlemap__Envelope reply = BATTLEMAP__ENVELOPE__INIT;
    reply.version = BM_PROTOCOL_VERSION;
    bm_request_t request = { .engine = self->engine, .store = self->store, .turn = self->turn,
                             .inflight = self->flight_turns, .arena = bm_arena_new (),
                             .reply = &reply, .keyring = self->keyring };
    //  Who sent it: the CURVE key the ZAP handler admitted (never the
    //  routing id), looked up again now, so a revoked key stops at once
    zframe_t *from_peer = payload? payload: correlation;
    const char *key = from_peer? zframe_meta (from_peer, "User-Id"): NULL;
    bm_identity_t *sender = bm_arena_alloc (request.arena, sizeof *sender);
    bm_keyring_find (self->keyring, request.arena, key? key: "", sender);
    request.identity = sender;
    request.sender = bm_arena_printf (request.arena, "%s <%s>", sender->name, sender->key);
    request.sender_key = sender->key;
    char *trace = well_framed && sender->role != BM_ROLE_NONE? NULL
                : bm_throttle_trace (self->traces, sender->key, zclock_mono (), "");
    if (!well_framed) {
        bm_request_error (&request, E (MALFORMED), 0,
                          _("a request is two frames: an 8-byte correlation id and an Envelope"));
        if (trace) {
            bm_audit (self->engine, self->turn, sender->key, sender->name, "request", true,
                      "MALFORMED", trace);
            zsys_info ("refused (MALFORMED) %s: not two frames", request.sender);
        }
    }
    else
    if (sender->role == BM_ROLE_NONE) {
        if (trace) {
            bm_audit (self->engine, self->turn, sender->key, "", "request", true,
                      "key revoked or not enrolled", trace);
            zsys_info ("refused (NOT_ALLOWED) %s: key revoked or not enrolled", request.sender);
        }
        bm_request_error (&request, E (NOT_ALLOWED), 0,
                          _("this key is not enrolled or has been revoked"));
    }
    free (trace);
    zframe_t *packed = well_framed && sender->role != BM_ROLE_NONE
                     ? s_dispatch (self, &request, payload): bm_wire_pack (&reply);
    //  The turn may have ended and begun again inside: the reply waits for
    //  the commit of the turn it belongs to now
    bm_server_held_t *held = (bm_server_held_t *) zmalloc (sizeof (bm_server_held_t));
    held->identity = identity;
    held->correlation = correlation? correlation: zframe_new_empty ();
    held->reply = packed;
    held->error = reply.body_case == BATTLEMAP__ENVELOPE__BODY_ERROR;
    zlist_append (self->held, held);
    zframe_destroy (&payload);
    bm_arena_destroy (&request.arena);
    self->rebind |= request.revoked;
    self->served++;
}

//  A subscriber's (un)subscription: applied only within its key's scope
void
bm_server_subscription_handle (bm_server_t *self)
{
    zframe_t *frame = zframe_recv (self->pub);
    if (!frame)
        return;
    const byte *data = zframe_data (frame);
    size_t size = zframe_size (frame);
    const char *key = zframe_meta (frame, "User-Id");
    if (size >= 1 && (data [0] == 0 || data [0] == 1) && key) {
        char *prefix = strndup ((const char *) data + 1, size - 1);
        bm_arena_t *arena = bm_arena_new ();
        bm_identity_t identity;
        bm_keyring_find (self->keyring, arena, key, &identity);
        bool allowed = bm_identity_may_subscribe (&identity, prefix);
        //  CZMQ's setters accept only SUB sockets: XPUB_MANUAL takes the
        //  option on the XPUB itself, through libzmq
        void *xpub = zsock_resolve (self->pub);
        if (data [0] == 0) {
            zmq_setsockopt (xpub, ZMQ_UNSUBSCRIBE, data + 1, size - 1);
            bm_subscriptions_remove (self->subscriptions, key, prefix);
        }
        else
        if (bm_subscriptions_add (self->subscriptions, key, prefix, zclock_mono ())) {
            //  Over its caps: every subscriber is dropped (the others come
            //  back by themselves), and this key is barred for a while
            if (!self->rebind) {
                zsys_warning ("subscriptions: %s <%s> is over its caps (%d prefixes, %d a"
                              " minute): barred from the events for %d s", identity.name, key,
                              BM_SUBSCRIPTION_PREFIXES, BM_SUBSCRIPTION_MESSAGES,
                              BM_SUBSCRIPTION_BAR / 1000);
                bm_audit (self->engine, self->turn, key, identity.name, "subscribe", true,
                          "too many subscriptions", prefix);
            }
            self->rebind = true;
        }
        else
        if (allowed)
            zmq_setsockopt (xpub, ZMQ_SUBSCRIBE, data + 1, size - 1);
        else {
            char *source = zsys_sprintf ("subscribe %s", key);
            char *detail = bm_throttle_trace (self->traces, source, zclock_mono (), prefix);
            if (detail)
                bm_audit (self->engine, self->turn, key, identity.name, "subscribe", true,
                          "outside the key's scope", detail);
            free (detail);
            free (source);
        }
        bm_arena_destroy (&arena);
        free (prefix);
    }
    zframe_destroy (&frame);
}
