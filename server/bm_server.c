/*  bm_server: battlemapd's sockets and its loop. */

#include "bm_server.h"
#include "bm_clock.h"
#include "bm_cycle.h"
#include "bm_deadlines.h"
#include "bm_engine.h"
#include "bm_identity.h"
#include "bm_keys.h"
#include "bm_limiter.h"
#include "bm_loader.h"
#include "bm_pgcluster.h"
#include "bm_planload.h"
#include "bm_request.h"
#include "bm_requests.h"
#include "bm_store.h"
#include "bm_store_keys.h"
#include "bm_subscriptions.h"
#include "bm_throttle.h"
#include "bm_wire.h"
#include "bm_zap.h"

#include <czmq.h>
#include <errno.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

//  A reply held until its turn is committed
typedef struct {
    zframe_t *identity;         //  the peer's routing id
    zframe_t *correlation;      //  as it came, or empty
    zframe_t *reply;            //  the packed reply
    bool error;                 //  it is an error: it stands whether or not its
                                //  turn is committed
} s_held_t;

//  Structure of our class

struct _bm_server_t {
    bm_store_t *store;          //  the database
    bm_engine_t *engine;        //  the state, in memory
    bm_clock_t *clock;          //  the server's time
    bm_keyring_t *keyring;      //  the keys enrolled
    zsock_t *router;            //  requests in, replies out
    zsock_t *pub;               //  events out (an XPUB, subscriptions by hand)
    char *pub_endpoint;         //  where it is bound, to bind it again
    zsock_t *zap;               //  the ZAP handler: who may connect

    zcert_t *cert;              //  the server's key pair
    bm_limiter_t *requests;     //  requests a key may send
    bm_limiter_t *time;         //  server time a key may take, microseconds
    int rate_limit;             //  requests a second a key
    int time_limit;             //  ms of server time a second a key
    zhashx_t *limited;          //  key -> when its refusals were last audited, and how many
    bm_throttle_t *traces;      //  how often one key or peer may be audited and logged
    bm_subscriptions_t *subscriptions;  //  what each key subscribes, within caps
    bool verbose;
    uint64_t served;            //  requests answered since start
    bm_turn_t *turn;            //  what the turn being built writes and publishes
    zlist_t *held;              //  s_held_t: its replies
    size_t turn_figures;        //  figures submitted in it
    zlist_t *flight;            //  s_flight_t: turns sent, waiting for their commit
    zlistx_t *flight_turns;     //  their bm_turn_t, oldest first, for resends
    bool failing;               //  a turn failed: the state must be read again
    bool rebind;                //  a key was revoked: subscribers must reconnect
    bm_pgcluster_t *cluster;    //  the embedded cluster, or NULL
    int exit_code;              //  what bm_server_run returns
    int64_t outage;             //  since when the database is away (zclock_mono), 0: it is not
    uint64_t unavailable;       //  requests answered UNAVAILABLE in this outage
};

//  A turn closed and sent, until its commit is settled
typedef struct {
    int64_t number;             //  its turn in the commit chain; 0: it wrote
                                //  nothing; -1: it could not be sent
    bm_turn_t *turn;            //  its events and figures
    zlist_t *held;              //  its replies
    uint64_t seq;               //  the last event it holds
} s_flight_t;

#define S_TURNS_IN_FLIGHT 2     //  turns the database commits while the next is built

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
s_secure (bm_server_t *self, zsock_t *socket, const char *domain)
{
    zsock_set_zap_domain (socket, domain);
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
    s_secure (self, self->pub, BM_ZAP_EVENTS);
    //  Every subscriber is new: what they subscribe is counted anew
    if (self->subscriptions)
        bm_subscriptions_reset (self->subscriptions);
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

static void s_close_turn (bm_server_t *self);
static void s_drain (bm_server_t *self);

//  The administrators given at start, enrolled if they are new
static int
s_admins (bm_server_t *self, const char **admins)
{
    for (const char **admin = admins; admin && *admin; admin++) {
        char key [41];
        const char *base = strrchr (*admin, '/');
        char *name = strdup (base? base + 1: *admin);
        char *dot = strstr (name, ".cert");
        if (dot)
            *dot = '\0';
        char now [BM_TIME_STR_MAX];
        int fresh = bm_keys_public (*admin, key)? -1
                  : bm_store_enroll_admin (bm_store_db (self->store), key, name,
                                           bm_clock_text (self->clock, now));
        if (fresh == 1) {
            bm_audit (self->engine, self->turn, key, name, "enroll", false, "",
                      "admin, at start-up");
            zsys_info ("administrator %s enrolled", name);
        }
        free (name);
        if (fresh < 0) {
            zsys_error ("--admin %s: not a key that can be enrolled", *admin);
            return -1;
        }
    }
    return 0;
}

bm_server_t *
bm_server_new (const bm_server_config_t *config)
{
    bm_server_t *self = (bm_server_t *) zmalloc (sizeof (bm_server_t));
    self->verbose = config->verbose;
    self->cluster = config->cluster;
    self->clock = bm_clock_new (config->clock_start, config->test_clock);
    if (!self->clock) {
        zsys_error ("--clock \"%s\" is not a time (e.g. 2023-06-28T12:00:00+08:00)",
                    config->clock_start);
        free (self);
        return NULL;
    }
    if (config->test_clock)
        zsys_warning ("test clock: time is frozen and any client may set it");
    if (config->backfill)
        zsys_warning ("backfill: reporting windows are not enforced");
    self->engine = bm_engine_new (self->clock, config->backfill);
    self->turn = bm_turn_new ();
    self->held = zlist_new ();
    self->flight = zlist_new ();
    self->flight_turns = zlistx_new ();
    self->keyring = bm_keyring_new ();
    self->store = bm_store_new (config->conninfo);
    if (!self->store) {
        bm_server_destroy (&self);
        return NULL;
    }
    char now [BM_TIME_STR_MAX];
    for (const char **dir = config->plan_dirs; dir && *dir; dir++)
        if (bm_planload_dir (bm_store_db (self->store), *dir, bm_clock_text (self->clock, now))) {
            bm_server_destroy (&self);
            return NULL;
        }
    //  Keys: the server's own, and the administrators given at start
    self->cert = s_server_cert (config->keys_dir);
    if (!self->cert || s_admins (self, config->admins)
    ||  bm_keyring_load (self->keyring, bm_store_db (self->store))
    ||  bm_loader_load (self->engine, bm_store_db (self->store))) {
        bm_server_destroy (&self);
        return NULL;
    }
    //  The ZAP handler first: a CURVE socket without one admits any key
    self->zap = bm_zap_new ();
    self->rate_limit = config->rate_limit > 0? config->rate_limit: BM_LIMITER_RATE;
    self->time_limit = config->time_limit > 0? config->time_limit: BM_LIMITER_TIME_RATE / 1000;
    self->requests = bm_limiter_new (2 * (int64_t) self->rate_limit, self->rate_limit);
    self->time = bm_limiter_new (4000 * (int64_t) self->time_limit,
                                 1000 * (int64_t) self->time_limit);
    self->traces = bm_throttle_new (BM_THROTTLE_INTERVAL, BM_THROTTLE_BURST,
                                    BM_THROTTLE_SOURCES);
    self->subscriptions = bm_subscriptions_new (BM_SUBSCRIPTION_PREFIXES,
                                                BM_SUBSCRIPTION_MESSAGES, BM_SUBSCRIPTION_BAR);
    self->limited = zhashx_new ();
    zhashx_set_destructor (self->limited, (zhashx_destructor_fn *) zstr_free);
    self->router = zsock_new (ZMQ_ROUTER);
    if (!self->zap || !self->router) {
        bm_server_destroy (&self);
        return NULL;
    }
    s_secure (self, self->router, BM_ZAP_REQUESTS);
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
    //  What the start wrote (plans are stored already; audit rows of the
    //  administrators) is committed before anyone is served
    s_drain (self);
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

static void
s_held_destroy (s_held_t **held_p)
{
    s_held_t *held = *held_p;
    if (held) {
        zframe_destroy (&held->identity);
        zframe_destroy (&held->correlation);
        zframe_destroy (&held->reply);
        free (held);
        *held_p = NULL;
    }
}

void
bm_server_destroy (bm_server_t **self_p)
{
    assert (self_p);
    bm_server_t *self = *self_p;
    if (!self)
        return;
    s_held_t *held;
    while (self->held && (held = (s_held_t *) zlist_pop (self->held)))
        s_held_destroy (&held);
    zlist_destroy (&self->held);
    s_flight_t *flight;
    while (self->flight && (flight = (s_flight_t *) zlist_pop (self->flight))) {
        while ((held = (s_held_t *) zlist_pop (flight->held)))
            s_held_destroy (&held);
        zlist_destroy (&flight->held);
        bm_turn_destroy (&flight->turn);
        free (flight);
    }
    zlist_destroy (&self->flight);
    zlistx_destroy (&self->flight_turns);
    zsock_destroy (&self->router);
    zsock_destroy (&self->pub);
    zsock_destroy (&self->zap);
    zcert_destroy (&self->cert);
    bm_limiter_destroy (&self->requests);
    bm_limiter_destroy (&self->time);
    zhashx_destroy (&self->limited);
    bm_throttle_destroy (&self->traces);
    bm_subscriptions_destroy (&self->subscriptions);
    free (self->pub_endpoint);
    bm_turn_destroy (&self->turn);
    bm_engine_destroy (&self->engine);
    bm_keyring_destroy (&self->keyring);
    bm_store_destroy (&self->store);
    bm_clock_destroy (&self->clock);
    free (self);
    *self_p = NULL;
}

//  ---------------------------------------------------------------------------
//  Turns

//  A packed error, for a reply that cannot stand
static zframe_t *
s_error_frame (Battlemap__ErrorCode code, const char *message)
{
    Battlemap__Error error = BATTLEMAP__ERROR__INIT;
    error.code = code;
    error.message = (char *) message;
    if (code == E (UNAVAILABLE))
        error.retry_after_ms = BM_SERVER_RETRY_MS;
    Battlemap__Envelope reply = BATTLEMAP__ENVELOPE__INIT;
    reply.version = BM_PROTOCOL_VERSION;
    reply.body_case = BATTLEMAP__ENVELOPE__BODY_ERROR;
    reply.error = &error;
    return bm_wire_pack (&reply);
}

//  Sends a settled turn's replies, then publishes its events; a turn that
//  was not committed is answered with an error and announces nothing
static void
s_release (bm_server_t *self, s_flight_t *flight, bool committed)
{
    if (committed)
        bm_events_committed_to (bm_engine_events (self->engine), flight->seq);
    else
    if (zlist_size (flight->held))
        zsys_error ("a turn of %zu requests could not be stored; answering them with an"
                    " error", zlist_size (flight->held));
    //  A refusal stands (it stored nothing); an answer that reports what
    //  was not committed does not
    bool away = !bm_store_ok (self->store);
    s_held_t *held;
    while ((held = (s_held_t *) zlist_pop (flight->held))) {
        if (!committed && !held->error) {
            zframe_destroy (&held->reply);
            held->reply = away
                ? s_error_frame (E (UNAVAILABLE), "the database went away before this was"
                                 " committed: it may not be stored; send it again (a figure"
                                 " is stored once however often it is sent)")
                : s_error_frame (E (INTERNAL), "the database did not commit this; send it"
                                 " again");
        }
        zmsg_t *answer = zmsg_new ();
        zmsg_append (answer, &held->identity);
        zmsg_append (answer, &held->correlation);
        zmsg_append (answer, &held->reply);
        if (zmsg_send (&answer, self->router))
            zsys_warning ("reply to a departed client dropped");
        zmsg_destroy (&answer);
        s_held_destroy (&held);
    }
    //  Events go out only now: stored, committed, answered
    zmsg_t *event;
    while (committed && (event = (zmsg_t *) zlist_pop (flight->turn->publish)))
        zmsg_send (&event, self->pub);
    zlist_destroy (&flight->held);
    zlistx_delete (self->flight_turns, zlistx_find (self->flight_turns, flight->turn));
    bm_turn_destroy (&flight->turn);
    free (flight);
}

//  Releases, in order, the turns at the head of the flight that are settled:
//  those that wrote nothing once all before them are, and the one the
//  database answered for. A failed turn fails every one after it.
static void
s_settled (void *arg, int64_t number, bool committed)
{
    bm_server_t *self = (bm_server_t *) arg;
    s_flight_t *flight;
    while ((flight = (s_flight_t *) zlist_first (self->flight))) {
        if (flight->number > 0 && flight->number != number)
            break;
        zlist_pop (self->flight);
        bool ok = !self->failing && (flight->number <= 0? flight->number == 0: committed);
        self->failing |= !ok;
        bool answered = flight->number == number;
        s_release (self, flight, ok);
        if (answered)
            number = 0;         //  only turns that wrote nothing after it
    }
}

//  Closes the turn being built: sends what it wrote to be committed (after
//  those in flight, which it waits for beyond S_TURNS_IN_FLIGHT) and keeps
//  its replies until the commit is settled; one that wrote nothing is
//  answered as soon as every turn before it is
static void
s_close_turn (bm_server_t *self)
{
    bm_events_flush (bm_engine_events (self->engine), self->turn, false);
    s_flight_t *flight = (s_flight_t *) zmalloc (sizeof (s_flight_t));
    flight->turn = self->turn;
    flight->held = self->held;
    flight->seq = bm_events_last (bm_engine_events (self->engine));
    self->turn = bm_turn_new ();
    self->held = zlist_new ();
    self->turn_figures = 0;
    if (!bm_batch_empty (flight->turn->batch)) {
        while (bm_store_in_flight (self->store) >= S_TURNS_IN_FLIGHT)
            bm_store_collect (self->store, true, s_settled, self);
        flight->number = bm_store_send (self->store, flight->turn->batch);
    }
    zlist_append (self->flight, flight);
    zlistx_add_end (self->flight_turns, flight->turn);
    //  Settled at once if nothing before it waits
    s_settled (self, 0, false);
    //  A revoked subscriber must not stay connected: every subscriber is
    //  dropped and has to reconnect, through the ZAP handler again (the
    //  others resubscribe by themselves and catch up on what they missed)
    if (self->rebind && s_bind_pub (self, self->pub_endpoint))
        zsys_error ("could not bind the event socket again at %s", self->pub_endpoint);
    self->rebind = false;
}

//  Closes the turn and waits until everything sent is settled; then, if a
//  turn failed, reads the state again from the record
static void
s_drain (bm_server_t *self)
{
    s_close_turn (self);
    while (bm_store_in_flight (self->store))
        bm_store_collect (self->store, true, s_settled, self);
    if (!self->failing)
        return;
    zsys_warning ("reading the state again from the database");
    if (bm_store_ok (self->store) && bm_store_resume (self->store) == 0
    &&  bm_loader_load (self->engine, bm_store_db (self->store)) == 0)
        self->failing = false;
}

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
    bm_audit (self->engine, self->turn, sender->key, sender->name, "request", true,
              "RATE_LIMITED", detail);
    last [0] = now;
    last [1] = 0;
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
                      "too many requests from this key (at most %d a second, and %d ms of"
                      " the server's time a second); slow down", self->rate_limit,
                      self->time_limit);
    request->reply->error->retry_after_ms = (uint32_t) (wait < 1? 1: wait);
    s_audit_limited (self, sender);
    return true;
}

//  Whether requests can be served: the database is there and the state in
//  memory is what it holds
static bool
s_available (bm_server_t *self)
{
    return bm_store_ok (self->store) && bm_engine_loaded (self->engine) && !self->failing;
}

//  The answer while the database is away: at once, and not audited (it
//  refuses nothing the key did)
static void
s_unavailable (bm_server_t *self, bm_request_t *request)
{
    bm_request_error (request, E (UNAVAILABLE), 0,
                      "the server cannot reach its database just now; nothing was stored."
                      " Send the request again in a moment");
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
    Battlemap__Envelope *envelope = bm_wire_decode_request (zframe_data (payload),
        zframe_size (payload), &code, message, sizeof message);
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
        bm_request_error (request, E (UNKNOWN_TYPE), 0, "%s is not a request",
                          s_body_name (envelope->body_case));
    else
    if (!s_available (self))
        s_unavailable (self, request);
    else {
        //  A request that reads the record, or writes it on its own, comes
        //  after everything before it is committed
        if (dispatch->flush_first && dispatch->flush_first (envelope)) {
            s_drain (self);
            request->turn = self->turn;
        }
        if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_SUBMIT)
            self->turn_figures += envelope->submit->n_figures;
        int64_t started = zclock_usecs ();
        if (!s_available (self))    //  the flush found the database gone
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
        bm_request_error (request, E (INTERNAL), 0, "the request was not answered");
    if (request->reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR) {
        Battlemap__Error *error = request->reply->error;
        //  Every refusal is audited: who, what, when, why (authorisation
        //  and rate refusals were, where they were decided), up to a few
        //  a second a key, the rest counted in the next row (each of an
        //  administrator's, whose keys are not limited either)
        uint64_t held = 0;
        if (error->code != E (NOT_ALLOWED) && error->code != E (RATE_LIMITED)
        &&  error->code != E (UNAVAILABLE)
        &&  (request->identity->role == BM_ROLE_ADMIN     //  the bureau's: every one
             || bm_throttle_pass (self->traces, request->identity->key, zclock_mono (), &held))) {
            zsys_info ("refused (%s) %s: %s", bm_wire_error_name (error->code),
                       request->sender, error->message);
            char *detail = held? zsys_sprintf ("%s (%llu more refused since the last row)",
                                               error->message, (unsigned long long) held)
                               : strdup (error->message);
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
    //  Reply strings may point into the request: pack before freeing it
    zframe_t *reply = bm_wire_pack (request->reply);
    bm_wire_free (&envelope);
    return reply;
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
    uint64_t trace_held = 0;
    if (!well_framed) {
        bm_request_error (&request, E (MALFORMED), 0,
                          "a request is two frames: an 8-byte correlation id and an Envelope");
        if (bm_throttle_pass (self->traces, sender->key, zclock_mono (), &trace_held)) {
            char *detail = zsys_sprintf ("%llu more since the last row", (unsigned long long) trace_held);
            bm_audit (self->engine, self->turn, sender->key, sender->name, "request", true,
                      "MALFORMED", detail);
            zsys_info ("refused (MALFORMED) %s: not two frames", request.sender);
            free (detail);
        }
    }
    else
    if (sender->role == BM_ROLE_NONE) {
        if (bm_throttle_pass (self->traces, sender->key, zclock_mono (), &trace_held)) {
            char *detail = zsys_sprintf ("%llu more since the last row", (unsigned long long) trace_held);
            bm_audit (self->engine, self->turn, sender->key, "", "request", true,
                      "key revoked or not enrolled", detail);
            zsys_info ("refused (NOT_ALLOWED) %s: key revoked or not enrolled", request.sender);
            free (detail);
        }
        bm_request_error (&request, E (NOT_ALLOWED), 0,
                          "this key is not enrolled or has been revoked");
    }
    zframe_t *packed = well_framed && sender->role != BM_ROLE_NONE
                     ? s_dispatch (self, &request, payload): bm_wire_pack (&reply);
    //  The turn may have ended and begun again inside: the reply waits for
    //  the commit of the turn it belongs to now
    s_held_t *held = (s_held_t *) zmalloc (sizeof (s_held_t));
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
            uint64_t held = 0;
            if (bm_throttle_pass (self->traces, source, zclock_mono (), &held)) {
                char *detail = held? zsys_sprintf ("%s (%llu more refused since the last row)",
                                                   prefix, (unsigned long long) held)
                                   : strdup (prefix);
                bm_audit (self->engine, self->turn, key, identity.name, "subscribe", true,
                          "outside the key's scope", detail);
                free (detail);
            }
            free (source);
        }
        bm_arena_destroy (&arena);
        free (prefix);
    }
    zframe_destroy (&frame);
}

//  One turn: what is waiting on the sockets, up to the turn's bounds
static void
s_turn (bm_server_t *self)
{
    size_t requests = 0;
    while (true) {
        zmq_pollitem_t items [] = {
            { zsock_resolve (self->zap), 0, ZMQ_POLLIN, 0 },
            { zsock_resolve (self->pub), 0, ZMQ_POLLIN, 0 },
            { zsock_resolve (self->router), 0, ZMQ_POLLIN, 0 }
        };
        bool room = requests < BM_TURN_REQUESTS && self->turn_figures < BM_TURN_FIGURES;
        if (zmq_poll (items, room? 3: 2, 0) <= 0)
            break;
        if (items [0].revents & ZMQ_POLLIN)
            bm_zap_handle (self->zap, self->keyring, self->traces, self->subscriptions,
                           self->engine, self->turn);
        if (items [1].revents & ZMQ_POLLIN)
            s_handle_subscription (self);
        if (room && (items [2].revents & ZMQ_POLLIN)) {
            s_handle_request (self);
            requests++;
        }
        //  Turns committed meanwhile are answered without waiting for this one
        if (bm_store_in_flight (self->store))
            bm_store_collect (self->store, false, s_settled, self);
    }
    s_close_turn (self);
}

//  The database went away, or the state could not be read: try again
static void
s_recover (bm_server_t *self)
{
    if (bm_store_in_flight (self->store))
        return;
    if (!bm_store_ok (self->store) && bm_store_reconnect (self->store))
        return;
    if ((self->failing || !bm_engine_loaded (self->engine))
    &&  bm_store_resume (self->store) == 0
    &&  bm_loader_load (self->engine, bm_store_db (self->store)) == 0) {
        bm_keyring_load (self->keyring, bm_store_db (self->store));
        self->failing = false;
    }
}

//  Notices the database going and coming back, keeps an embedded cluster
//  running, and recovers. Logs one line when an outage starts and one when
//  it ends. Returns false when the server must stop.
static bool
s_watch_database (bm_server_t *self)
{
    if (self->cluster) {
        int kept = bm_pgcluster_keep (self->cluster);
        if (kept < 0) {
            zsys_error ("the embedded PostgreSQL cannot be started again: stopping, so that"
                        " a supervisor starts battlemapd afresh");
            self->exit_code = 1;
            return false;
        }
        if (kept > 0 && !self->outage) {
            self->outage = zclock_mono ();
            self->unavailable = 0;
        }
        if (kept > 0)
            return true;        //  not up yet: connecting would fail
    }
    bool alive = bm_store_alive (self->store);
    if (!alive && !self->outage) {
        zsys_error ("database: connection lost; answering UNAVAILABLE until it is back");
        self->outage = zclock_mono ();
        self->unavailable = 0;
    }
    if (!alive || !bm_engine_loaded (self->engine) || self->failing)
        s_recover (self);
    if (self->outage && s_available (self)) {
        zsys_info ("database: back after %lld ms; %llu requests were answered UNAVAILABLE",
                   (long long) (zclock_mono () - self->outage),
                   (unsigned long long) self->unavailable);
        self->outage = 0;
    }
    return true;
}

#define S_QUIET_MS      100
#define S_TURN_AWAY_MS  2000

//  At the end: the requests still queued are told to come again
static void
s_turn_away (bm_server_t *self)
{
    size_t count = 0;
    //  What the sockets hold, and what still arrives until they are quiet
    //  for S_QUIET_MS (at most S_TURN_AWAY_MS in all)
    zmq_pollitem_t item = { zsock_resolve (self->router), 0, ZMQ_POLLIN, 0 };
    int64_t deadline = zclock_mono () + S_TURN_AWAY_MS;
    while (zclock_mono () < deadline && zmq_poll (&item, 1, S_QUIET_MS) == 1
       &&  (item.revents & ZMQ_POLLIN)) {
        zmsg_t *message = zmsg_recv (self->router);
        if (!message)
            break;
        zframe_t *identity = zmsg_pop (message);
        zframe_t *correlation = zmsg_pop (message);
        zmsg_destroy (&message);
        if (!identity || !correlation) {
            zframe_destroy (&identity);
            zframe_destroy (&correlation);
            continue;
        }
        Battlemap__Error error = BATTLEMAP__ERROR__INIT;
        error.code = E (UNAVAILABLE);
        error.message = "the server is stopping; nothing was stored. Send the request"
                        " again in a moment";
        error.retry_after_ms = BM_SERVER_RETRY_MS;
        Battlemap__Envelope reply = BATTLEMAP__ENVELOPE__INIT;
        reply.version = BM_PROTOCOL_VERSION;
        reply.body_case = BATTLEMAP__ENVELOPE__BODY_ERROR;
        reply.error = &error;
        zmsg_t *answer = zmsg_new ();
        zmsg_append (answer, &identity);
        zmsg_append (answer, &correlation);
        zframe_t *packed = bm_wire_pack (&reply);
        zmsg_append (answer, &packed);
        zmsg_send (&answer, self->router);
        zmsg_destroy (&answer);
        count++;
    }
    if (count)
        zsys_info ("stopping: %zu queued requests answered UNAVAILABLE", count);
}

int
bm_server_run (bm_server_t *self)
{
    int64_t next_second = 0;
    while (!zsys_interrupted) {
        int64_t wait = next_second - zclock_mono ();
        zmq_pollitem_t items [] = {
            { zsock_resolve (self->zap), 0, ZMQ_POLLIN, 0 },
            { zsock_resolve (self->router), 0, ZMQ_POLLIN, 0 },
            { zsock_resolve (self->pub), 0, ZMQ_POLLIN, 0 },
            { NULL, bm_store_socket (self->store), ZMQ_POLLIN, 0 }
        };
        int count = bm_store_in_flight (self->store) && bm_store_socket (self->store) >= 0? 4: 3;
        int rc = zmq_poll (items, count, wait < 0? 0: wait > 1000? 1000: wait);
        if (rc < 0 && zmq_errno () != EINTR)
            break;
        //  Answers from the database first: they release replies
        if (bm_store_in_flight (self->store))
            bm_store_collect (self->store, false, s_settled, self);
        //  A failed commit: nothing more is built on what memory holds until
        //  it is read again (with the database away: when it is back)
        if (self->failing && bm_store_ok (self->store))
            s_drain (self);
        if (rc > 0 && (items [0].revents | items [1].revents | items [2].revents))
            s_turn (self);
        if (zclock_mono () < next_second)
            continue;
        //  Every second (more often while the database is away): the
        //  database watched and recovered, the deadlines the clock has
        //  passed (a test clock moved across several settles them in the
        //  request that moves it), and the heartbeat with the log's latest
        //  sequence numbers, for subscribers to notice what they missed
        if (!s_watch_database (self))
            break;
        next_second = zclock_mono () + (s_available (self)? 1000: BM_SERVER_RECOVER_MS);
        if (s_available (self)) {
            bm_deadlines_check (self->engine, self->turn);
            s_close_turn (self);
        }
        char at [BM_TIME_STR_MAX];
        zmsg_t *heartbeat = bm_events_heartbeat (bm_engine_events (self->engine),
                                                 bm_engine_now_text (self->engine, at));
        zmsg_send (&heartbeat, self->pub);
    }
    s_turn_away (self);
    //  The families as they stand, so that the next start reads no tail
    if (s_available (self))
        bm_events_flush (bm_engine_events (self->engine), self->turn, true);
    s_drain (self);
    zsys_info ("battlemapd stopping after %llu requests", (unsigned long long) self->served);
    return self->exit_code;
}
