/*  bm_server: battlemapd's sockets and its loop.

    This file sets the server up, tears it down, and runs the loop with its
    database watch and recovery; turns are in bm_server_turns.c, requests in
    bm_server_requests.c (what they share: bm_server_private.h).
*/

#include "bm_server_private.h"
#include "bm_cycle.h"
#include "bm_deadlines.h"
#include "bm_keys.h"
#include "bm_loader.h"
#include "bm_planload.h"
#include "bm_store_keys.h"
#include "bm_wire.h"
#include "bm_zap.h"

#include <errno.h>
#include <sched.h>

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
int
bm_server_pub_bind (bm_server_t *self, const char *endpoint)
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
    self->slow_turn_ms = config->slow_turn_ms > 0? config->slow_turn_ms: BM_SERVER_SLOW_TURN_MS;
    self->spin_us = config->spin_us > 0? config->spin_us: config->spin_us? 0: BM_SERVER_SPIN_US;
    self->requests = bm_limiter_new (2 * (int64_t) self->rate_limit, self->rate_limit);
    self->time = bm_limiter_new (4000 * (int64_t) self->time_limit,
                                 1000 * (int64_t) self->time_limit);
    self->traces = bm_throttle_new (BM_THROTTLE_INTERVAL, BM_THROTTLE_BURST,
                                    BM_THROTTLE_SOURCES);
    self->subscriptions = bm_subscriptions_new (BM_SUBSCRIPTION_PREFIXES,
                                                BM_SUBSCRIPTION_MESSAGES, BM_SUBSCRIPTION_BAR);
    self->limited = bm_throttle_new (BM_THROTTLE_INTERVAL, 1, BM_THROTTLE_SOURCES);
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
    ||  bm_server_pub_bind (self, config->pub_endpoint)) {
        zsys_error ("cannot bind %s or %s: %s", config->router_endpoint,
                    config->pub_endpoint, zmq_strerror (zmq_errno ()));
        bm_server_destroy (&self);
        return NULL;
    }
    //  What the start wrote (plans are stored already; audit rows of the
    //  administrators) is committed before anyone is served
    bm_server_turn_drain (self);
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
    bm_server_held_t *held;
    while (self->held && (held = (bm_server_held_t *) zlist_pop (self->held)))
        bm_server_held_destroy (&held);
    zlist_destroy (&self->held);
    bm_server_flight_t *flight;
    while (self->flight && (flight = (bm_server_flight_t *) zlist_pop (self->flight))) {
        while ((held = (bm_server_held_t *) zlist_pop (flight->held)))
            bm_server_held_destroy (&held);
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
    bm_throttle_destroy (&self->limited);
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
//  The loop

//  One turn: what is waiting on the sockets, up to the turn's bounds
static void
s_turn (bm_server_t *self)
{
    while (true) {
        zmq_pollitem_t items [] = {
            { zsock_resolve (self->zap), 0, ZMQ_POLLIN, 0 },
            { zsock_resolve (self->pub), 0, ZMQ_POLLIN, 0 },
            { zsock_resolve (self->router), 0, ZMQ_POLLIN, 0 }
        };
        bool room = !bm_server_turn_full (self);
        if (zmq_poll (items, room? 3: 2, 0) <= 0)
            break;
        if (items [0].revents & ZMQ_POLLIN)
            bm_zap_handle (self->zap, self->keyring, self->traces, self->subscriptions,
                           self->engine, self->turn);
        if (items [1].revents & ZMQ_POLLIN)
            bm_server_subscription_handle (self);
        if (room && (items [2].revents & ZMQ_POLLIN)) {
            if (!self->turn_opened)
                self->turn_opened = zclock_usecs ();
            bm_server_request_handle (self);
        }
        //  Turns committed meanwhile are answered without waiting for this one
        if (bm_store_in_flight (self->store))
            bm_store_collect (self->store, false, bm_server_turn_settled, self);
    }
    if (bm_server_turn_due (self))
        bm_server_turn_close (self);
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
    if (self->outage && bm_server_available (self)) {
        zsys_info ("database: back after %lld ms; %llu requests were answered UNAVAILABLE",
                   (long long) (zclock_mono () - self->outage),
                   (unsigned long long) self->unavailable);
        self->outage = 0;
    }
    return true;
}

//  Waits for the sockets, at most `wait` msecs. While a commit is in flight
//  its answer usually comes within a few hundred microseconds, and a client
//  that was just answered often sends again as soon: for up to spin_us
//  from this call while a commit is in flight, else until spin_us after
//  the sockets last had something, the loop polls without sleeping, so
//  that it is not woken from an idle CPU (23-30 us on a virtual machine,
//  twice a request), and yields the CPU between polls to any thread ready
//  to run (PostgreSQL, ZeroMQ's I/O thread). One client with one request
//  in flight, quick bench, two runs each: 3,115 and 3,184 figures/s
//  sleeping; 3,724 and 3,329 spinning.
static int
s_poll (bm_server_t *self, zmq_pollitem_t *items, int count, bool committing, int64_t wait)
{
    int64_t now = zclock_usecs ();
    int64_t until = committing? now + self->spin_us: self->active_at + self->spin_us;
    int rc = 0;
    while (now < until) {
        rc = zmq_poll (items, count, 0);
        if (rc != 0)
            break;
        sched_yield ();
        now = zclock_usecs ();
    }
    if (rc == 0)
        rc = zmq_poll (items, count, wait < 0? 0: wait > 1000? 1000: wait);
    if (rc > 0)
        self->active_at = zclock_usecs ();
    return rc;
}

int
bm_server_run (bm_server_t *self)
{
    int64_t next_second = 0;
    while (!zsys_interrupted) {
        int64_t wait = next_second - zclock_mono ();
        int64_t families = bm_server_turn_families_due (self);
        if (families >= 0 && families < wait)
            wait = families;
        zmq_pollitem_t items [] = {
            { zsock_resolve (self->zap), 0, ZMQ_POLLIN, 0 },
            { zsock_resolve (self->router), 0, ZMQ_POLLIN, 0 },
            { zsock_resolve (self->pub), 0, ZMQ_POLLIN, 0 },
            { NULL, bm_store_socket (self->store), ZMQ_POLLIN, 0 }
        };
        bool committing = bm_store_in_flight (self->store) && bm_store_socket (self->store) >= 0;
        int rc = s_poll (self, items, committing? 4: 3, committing, wait);
        if (rc < 0 && zmq_errno () != EINTR)
            break;
        //  Answers from the database first: they release replies
        if (bm_store_in_flight (self->store)) {
            bm_store_collect (self->store, false, bm_server_turn_settled, self);
            //  The turn that waited for that commit goes now
            if (bm_server_turn_due (self) && bm_server_turn_taken (self))
                bm_server_turn_close (self);
        }
        //  A failed commit: nothing more is built on what memory holds until
        //  it is read again (with the database away: when it is back)
        if (self->failing && bm_store_ok (self->store))
            bm_server_turn_drain (self);
        if (rc > 0 && (items [0].revents | items [1].revents | items [2].revents))
            s_turn (self);
        bm_server_turn_families (self);
        if (zclock_mono () < next_second)
            continue;
        //  Every second (more often while the database is away): the
        //  database watched and recovered, the deadlines the clock has
        //  passed (a test clock moved across several settles them in the
        //  request that moves it), and the heartbeat with the log's latest
        //  sequence numbers, for subscribers to notice what they missed
        if (!s_watch_database (self))
            break;
        next_second = zclock_mono () + (bm_server_available (self)? 1000: BM_SERVER_RECOVER_MS);
        if (bm_server_available (self)) {
            bm_deadlines_check (self->engine, self->turn);
            if (bm_server_turn_due (self))
                bm_server_turn_close (self);
        }
        char at [BM_TIME_STR_MAX];
        zmsg_t *heartbeat = bm_events_heartbeat (bm_engine_events (self->engine),
                                                 bm_engine_now_text (self->engine, at));
        zmsg_send (&heartbeat, self->pub);
    }
    bm_server_turn_away (self);
    //  The families as they stand, so that the next start reads no tail
    if (bm_server_available (self))
        bm_events_flush (bm_engine_events (self->engine), self->turn, 0);
    bm_server_turn_drain (self);
    zsys_info ("battlemapd stopping after %llu requests", (unsigned long long) self->served);
    return self->exit_code;
}
