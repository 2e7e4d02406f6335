/*  bm_server: battlemapd's sockets and request dispatch. */

#include "bm_server.h"
#include "bm_clock.h"
#include "bm_cycle_requests.h"
#include "bm_db.h"
#include "bm_deadlines.h"
#include "bm_enroll.h"
#include "bm_events.h"
#include "bm_alerts.h"
#include "bm_figures.h"
#include "bm_identity.h"
#include "bm_keys.h"
#include "bm_limiter.h"
#include "bm_migrations.h"
#include "bm_planload.h"
#include "bm_rank.h"
#include "bm_request.h"
#include "bm_wall.h"
#include "bm_wire.h"
#include "bm_zap.h"

#include <czmq.h>
#include <errno.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

//  Structure of our class

struct _bm_server_t {
    PGconn *db;                 //  the one connection requests are served on
    char *conninfo;             //  to reconnect
    zsock_t *router;            //  requests in, replies out
    zsock_t *pub;               //  events out (an XPUB, subscriptions by hand)
    char *pub_endpoint;         //  where it is bound, to bind it again
    zsock_t *zap;               //  the ZAP handler: who may connect
    zcert_t *cert;              //  the server's key pair
    bm_limiter_t *limiter;      //  requests per key
    zhashx_t *limited;          //  key -> when its refusals were last audited, and how many
    bool verbose;
    uint64_t requests;          //  served since start
    bm_clock_t *clock;          //  the server's time
    bool backfill;              //  windows not enforced
};

//  ---------------------------------------------------------------------------
//  Set-up

static int
s_write_endpoints (bm_server_t *self, const char *path)
{
    char *router = zsock_last_endpoint (self->router);
    char *pub = zsock_last_endpoint (self->pub);
    char *temporary = zsys_sprintf ("%s.tmp", path);
    FILE *file = fopen (temporary, "w");
    int rc = -1;
    if (file) {
        fprintf (file, "router %s\npub %s\n", router, pub);
        rc = fclose (file) == 0 && rename (temporary, path) == 0? 0: -1;
    }
    if (rc)
        zsys_error ("cannot write endpoints file %s", path);
    free (temporary);
    free (router);
    free (pub);
    return rc;
}

//  The server's key pair, created on the first start
static zcert_t *
s_server_cert (const char *dir)
{
    if (!dir || !*dir) {
        zsys_error ("no key directory: give --keys DIR");
        return NULL;
    }
    char *secret = zsys_sprintf ("%s/server.cert_secret", dir);
    zcert_t *cert = zsys_file_exists (secret)? bm_keys_load_secret (secret)
                                             : bm_keys_create (dir, "server");
    if (cert && !zsys_file_exists (secret))
        zsys_info ("server key pair created in %s", dir);
    free (secret);
    return cert;
}

//  Makes a socket a CURVE server under the ZAP handler
static void
s_secure (bm_server_t *self, zsock_t *socket)
{
    zsock_set_zap_domain (socket, "battlemap");
    zcert_apply (self->cert, socket);
    zsock_set_curve_server (socket, 1);
}

//  (Re)creates and binds the event socket. Subscriptions are applied by
//  hand, only within the subscriber's scope.
static int
s_bind_pub (bm_server_t *self, const char *endpoint)
{
    zsock_destroy (&self->pub);
    self->pub = zsock_new (ZMQ_XPUB);
    if (!self->pub)
        return -1;
    s_secure (self, self->pub);
    zsock_set_xpub_manual (self->pub, 1);
    zsock_set_linger (self->pub, 0);
    zsock_set_maxmsgsize (self->pub, 1024);
    //  Closing a socket is asynchronous: when binding anew, the old listener
    //  may hold the address for a moment
    int attempts = 0;
    while (zsock_bind (self->pub, "%s", endpoint) < 0) {
        if (zmq_errno () != EADDRINUSE || ++attempts == 200)
            return -1;
        zclock_sleep (10);
    }
    if (endpoint != self->pub_endpoint) {
        free (self->pub_endpoint);
        self->pub_endpoint = zsock_last_endpoint (self->pub);
    }
    return 0;
}

bm_server_t *
bm_server_new (const bm_server_config_t *config)
{
    bm_server_t *self = (bm_server_t *) zmalloc (sizeof (bm_server_t));
    self->verbose = config->verbose;
    self->conninfo = strdup (config->conninfo);
    self->backfill = config->backfill;
    self->clock = bm_clock_new (config->clock_start, config->test_clock);
    if (!self->clock) {
        zsys_error ("--clock \"%s\" is not a time (e.g. 2023-06-28T12:00:00+08:00)",
                    config->clock_start);
        free (self->conninfo);
        free (self);
        return NULL;
    }
    if (config->test_clock)
        zsys_warning ("test clock: time is frozen and any client may set it");
    if (config->backfill)
        zsys_warning ("backfill: reporting windows are not enforced");
    self->db = bm_db_connect (config->conninfo);
    if (!self->db || bm_migrations_apply (self->db)) {
        bm_server_destroy (&self);
        return NULL;
    }
    for (const char **dir = config->plan_dirs; dir && *dir; dir++)
        if (bm_planload_dir (self->db, *dir)) {
            bm_server_destroy (&self);
            return NULL;
        }
    //  Keys: the server's own, and the administrators given at start
    self->cert = s_server_cert (config->keys_dir);
    if (!self->cert) {
        bm_server_destroy (&self);
        return NULL;
    }
    for (const char **admin = config->admins; admin && *admin; admin++) {
        char key [41];
        const char *base = strrchr (*admin, '/');
        char *name = strdup (base? base + 1: *admin);
        char *dot = strstr (name, ".cert");
        if (dot)
            *dot = '\0';
        int rc = bm_keys_public (*admin, key) || bm_enroll_admin (self->db, self->clock, key, name);
        free (name);
        if (rc) {
            bm_server_destroy (&self);
            return NULL;
        }
    }
    //  The ZAP handler first: a CURVE socket without one admits any key
    self->zap = bm_zap_new ();
    self->limiter = bm_limiter_new (BM_LIMITER_BURST, BM_LIMITER_RATE);
    self->limited = zhashx_new ();
    zhashx_set_destructor (self->limited, (zhashx_destructor_fn *) zstr_free);
    self->router = zsock_new (ZMQ_ROUTER);
    if (!self->zap || !self->router) {
        bm_server_destroy (&self);
        return NULL;
    }
    s_secure (self, self->router);
    zsock_set_router_mandatory (self->router, 1);
    zsock_set_maxmsgsize (self->router, BM_SOCKET_MAX_MESSAGE);
    zsock_set_linger (self->router, 1000);
    if (zsock_bind (self->router, "%s", config->router_endpoint) < 0
    ||  s_bind_pub (self, config->pub_endpoint)) {
        zsys_error ("cannot bind %s or %s: %s", config->router_endpoint,
                    config->pub_endpoint, zmq_strerror (zmq_errno ()));
        bm_server_destroy (&self);
        return NULL;
    }
    if (config->endpoints_file && s_write_endpoints (self, config->endpoints_file)) {
        bm_server_destroy (&self);
        return NULL;
    }
    char *router = zsock_last_endpoint (self->router);
    char *pub = zsock_last_endpoint (self->pub);
    zsys_info ("battlemapd serving requests on %s, events on %s; server key %s", router, pub,
               zcert_public_txt (self->cert));
    free (router);
    free (pub);
    return self;
}

void
bm_server_destroy (bm_server_t **self_p)
{
    assert (self_p);
    bm_server_t *self = *self_p;
    if (!self)
        return;
    zsock_destroy (&self->router);
    zsock_destroy (&self->pub);
    zsock_destroy (&self->zap);
    zcert_destroy (&self->cert);
    bm_limiter_destroy (&self->limiter);
    zhashx_destroy (&self->limited);
    free (self->pub_endpoint);
    if (self->db)
        PQfinish (self->db);
    bm_clock_destroy (&self->clock);
    free (self->conninfo);
    free (self);
    *self_p = NULL;
}

//  ---------------------------------------------------------------------------
//  Requests

//  Checks the envelope, hands it to its handler and returns the packed reply
static const char *
s_body_name (Battlemap__Envelope__BodyCase body)
{
    const ProtobufCFieldDescriptor *field =
        protobuf_c_message_descriptor_get_field (&battlemap__envelope__descriptor, body);
    return field? field->name: "unknown";
}

//  Decodes, checks the sender's rights, and hands the request to its
//  handler. Returns the packed reply; sets *revoked when a key was revoked.
static zframe_t *
s_dispatch (bm_request_t *request, zframe_t *payload, bool verbose, bool *revoked)
{
    Battlemap__ErrorCode code;
    char message [256];
    Battlemap__Envelope *envelope = bm_wire_decode_request (zframe_data (payload),
        zframe_size (payload), &code, message, sizeof message);
    if (!envelope)
        bm_request_error (request, code, 0, "%s", message);
    else
    if (bm_identity_authorize (request, envelope))
        ;                       //  refused and audited
    else
    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_SUBMIT)
        bm_figures_submit (request, envelope->submit);
    else
    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_PLAN_LOAD)
        bm_planload_handle (request, envelope->plan_load);
    else
    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_WALL)
        bm_wall_handle (request, envelope->wall);
    else
    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_TEMPLATE)
        bm_wall_template (request, envelope->template_);
    else
    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_RANKING)
        bm_rank_handle (request, envelope->ranking);
    else
    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_CLOCK)
        bm_cycle_clock (request, envelope->clock);
    else
    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_EXCEPTION)
        bm_cycle_exception (request, envelope->exception);
    else
    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_HISTORY)
        bm_cycle_history (request, envelope->history);
    else
    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_REPORT)
        bm_cycle_report (request, envelope->report);
    else
    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_IDENTITY)
        *revoked = bm_enroll_handle (request, envelope->identity) == 1;
    else
    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_CATCHUP)
        bm_events_catchup (request, envelope->catchup);
    else
    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_ALERT)
        bm_alerts_handle (request, envelope->alert);

    if (request->reply->body_case == BATTLEMAP__ENVELOPE__BODY__NOT_SET)
        bm_request_error (request, E (INTERNAL), 0, "the request was not answered");
    if (request->reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR) {
        Battlemap__Error *error = request->reply->error;
        zsys_info ("refused (%s) %s: %s", bm_wire_error_name (error->code), request->sender,
                   error->message);
        //  Every refusal is audited: who, what, when, why (authorisation
        //  refusals were, where they were decided)
        if (error->code != BATTLEMAP__ERROR_CODE__NOT_ALLOWED)
            bm_audit (request->db, request->clock, request->identity->key,
                      request->identity->name,
                      envelope? s_body_name (envelope->body_case): "request", true,
                      bm_wire_error_name (error->code), error->message);
    }
    else
    if (verbose)
        zsys_debug ("%s from %s: answered with %zu events",
                    s_body_name (envelope->body_case), request->sender,
                    zlist_size (request->events));
    //  Reply strings may point into the request: pack before freeing it
    zframe_t *reply = bm_wire_pack (request->reply);
    bm_wire_free (&envelope);
    return reply;
}

static void
s_publish (bm_server_t *self, bm_request_t *request)
{
    zmsg_t *event;
    while ((event = zlist_pop (request->events)))
        zmsg_send (&event, self->pub);
}

//  Requests refused for their rate are audited as one row a second a key,
//  with their count: auditing each would let a flood starve the server
static void
s_audit_limited (bm_server_t *self, const bm_identity_t *sender)
{
    int64_t now = zclock_mono ();
    int64_t *last = (int64_t *) zhashx_lookup (self->limited, sender->key);
    if (!last) {
        last = (int64_t *) zmalloc (2 * sizeof (int64_t));
        last [0] = now - 1000;
        zhashx_insert (self->limited, sender->key, last);
    }
    last [1]++;                 //  refused since the last row
    if (now - last [0] < 1000)
        return;
    char detail [64];
    snprintf (detail, sizeof detail, "%lld requests refused", (long long) last [1]);
    bm_audit (self->db, self->clock, sender->key, sender->name, "request", true,
              "RATE_LIMITED", detail);
    last [0] = now;
    last [1] = 0;
}

static void
s_handle_request (bm_server_t *self)
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
    if (bm_db_broken (self->db)) {
        zsys_warning ("database connection lost; reconnecting");
        PQreset (self->db);
    }
    Battlemap__Envelope reply = BATTLEMAP__ENVELOPE__INIT;
    reply.version = BM_PROTOCOL_VERSION;
    bm_request_t request = { .db = self->db, .arena = bm_arena_new (),
                             .events = zlist_new (), .reply = &reply,
                             .clock = self->clock, .backfill = self->backfill };
    //  Who sent it: the CURVE key the ZAP handler admitted (never the
    //  routing id), looked up again now, so a revoked key stops at once
    zframe_t *from_peer = payload? payload: correlation;
    const char *key = from_peer? zframe_meta (from_peer, "User-Id"): NULL;
    bm_identity_t *sender = bm_arena_alloc (request.arena, sizeof *sender);
    if (!key || bm_identity_load (self->db, request.arena, key, sender))
        *sender = (bm_identity_t) { .key = "", .name = "", .district = "" };
    request.identity = sender;
    request.sender = bm_arena_printf (request.arena, "%s <%s>", sender->name, sender->key);
    zframe_t *packed = NULL;
    bool revoked = false;
    if (!well_framed)
        bm_request_error (&request, E (MALFORMED), 0,
                          "a request is two frames: an 8-byte correlation id and an Envelope");
    else
    if (sender->role == BM_ROLE_NONE) {
        bm_audit (self->db, self->clock, sender->key, "", "request", true,
                  "key revoked or not enrolled", "");
        bm_request_error (&request, E (NOT_ALLOWED), 0,
                          "this key is not enrolled or has been revoked");
    }
    else
    if (!bm_limiter_take (self->limiter, sender->key, zclock_mono ())) {
        bm_request_error (&request, E (RATE_LIMITED), 0,
                          "too many requests from this key (at most %d a second); slow down",
                          BM_LIMITER_RATE);
        s_audit_limited (self, sender);
    }
    else
        packed = s_dispatch (&request, payload, self->verbose, &revoked);
    if (!packed)
        packed = bm_wire_pack (&reply);
    zframe_destroy (&payload);
    zmsg_t *answer = zmsg_new ();
    zmsg_append (answer, &identity);
    if (correlation)
        zmsg_append (answer, &correlation);
    else
        zmsg_addmem (answer, NULL, 0);
    zmsg_append (answer, &packed);
    if (zmsg_send (&answer, self->router))
        zsys_warning ("reply to a departed client dropped");
    zmsg_destroy (&answer);

    //  Events go out only now: stored, committed, answered
    s_publish (self, &request);
    zlist_destroy (&request.events);
    bm_arena_destroy (&request.arena);
    self->requests++;
    //  A revoked subscriber must not stay connected: every subscriber is
    //  dropped and has to reconnect, through the ZAP handler again (the
    //  others resubscribe by themselves and catch up on what they missed)
    if (revoked && s_bind_pub (self, self->pub_endpoint))
        zsys_error ("could not bind the event socket again at %s", self->pub_endpoint);
}

//  A subscriber's (un)subscription: applied only within its key's scope
static void
s_handle_subscription (bm_server_t *self)
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
        bool allowed = bm_identity_load (self->db, arena, key, &identity) == 0
                    && bm_identity_may_subscribe (&identity, prefix);
        //  CZMQ's setters accept only SUB sockets: XPUB_MANUAL takes the
        //  option on the XPUB itself, through libzmq
        void *xpub = zsock_resolve (self->pub);
        if (data [0] == 0)
            zmq_setsockopt (xpub, ZMQ_UNSUBSCRIBE, data + 1, size - 1);
        else
        if (allowed)
            zmq_setsockopt (xpub, ZMQ_SUBSCRIBE, data + 1, size - 1);
        else
            bm_audit (self->db, self->clock, key, identity.name, "subscribe", true,
                      "outside the key's scope", prefix);
        bm_arena_destroy (&arena);
        free (prefix);
    }
    zframe_destroy (&frame);
}

//  Notes deadlines the clock has passed (snapshots included) and publishes
//  what that produced
static void
s_check_deadlines (bm_server_t *self)
{
    if (bm_db_broken (self->db))
        return;
    Battlemap__Envelope reply = BATTLEMAP__ENVELOPE__INIT;
    bm_request_t request = { .db = self->db, .arena = bm_arena_new (),
                             .events = zlist_new (), .reply = &reply,
                             .clock = self->clock, .sender = "battlemapd",
                             .backfill = self->backfill };
    bm_deadlines_check (&request);
    s_publish (self, &request);
    zlist_destroy (&request.events);
    bm_arena_destroy (&request.arena);
}

int
bm_server_run (bm_server_t *self)
{
    int64_t next_check = 0, next_heartbeat = 0;
    while (!zsys_interrupted) {
        //  The event socket may be bound anew: poll what is there now
        zpoller_t *poller = zpoller_new (self->zap, self->router, self->pub, NULL);
        void *which = zpoller_wait (poller, 1000);
        bool terminated = zpoller_terminated (poller);
        zpoller_destroy (&poller);
        if (which == self->zap)
            bm_zap_handle (self->zap, self->db, self->clock);
        else
        if (which == self->router)
            s_handle_request (self);
        else
        if (which == self->pub)
            s_handle_subscription (self);
        else
        if (terminated)
            break;
        //  Deadlines: every second (a test clock moved across several
        //  settles them in the request that moves it)
        if (zclock_mono () >= next_check) {
            s_check_deadlines (self);
            next_check = zclock_mono () + 1000;
        }
        if (zclock_mono () >= next_heartbeat && !bm_db_broken (self->db)) {
            //  Every second: the log's latest sequence number, for
            //  subscribers to notice what they missed
            char at [40];
            zmsg_t *heartbeat = bm_events_heartbeat (bm_events_latest (self->db),
                                                     bm_clock_text (self->clock, at));
            zmsg_send (&heartbeat, self->pub);
            next_heartbeat = zclock_mono () + 1000;
        }
    }
    zsys_info ("battlemapd stopping after %llu requests", (unsigned long long) self->requests);
    return 0;
}
