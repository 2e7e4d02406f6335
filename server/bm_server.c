/*  bm_server: battlemapd's sockets and request dispatch. */

#include "bm_server.h"
#include "bm_clock.h"
#include "bm_cycle_requests.h"
#include "bm_db.h"
#include "bm_deadlines.h"
#include "bm_figures.h"
#include "bm_migrations.h"
#include "bm_planload.h"
#include "bm_rank.h"
#include "bm_request.h"
#include "bm_wall.h"
#include "bm_wire.h"

#include <czmq.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

//  Structure of our class

struct _bm_server_t {
    PGconn *db;                 //  the one connection requests are served on
    char *conninfo;             //  to reconnect
    zsock_t *router;            //  requests in, replies out
    zsock_t *pub;               //  events out
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
    self->router = zsock_new (ZMQ_ROUTER);
    self->pub = zsock_new (ZMQ_PUB);
    if (!self->router || !self->pub) {
        bm_server_destroy (&self);
        return NULL;
    }
    zsock_set_router_mandatory (self->router, 1);
    zsock_set_maxmsgsize (self->router, BM_SOCKET_MAX_MESSAGE);
    zsock_set_linger (self->router, 1000);
    zsock_set_linger (self->pub, 1000);
    if (zsock_bind (self->router, "%s", config->router_endpoint) < 0
    ||  zsock_bind (self->pub, "%s", config->pub_endpoint) < 0) {
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
    zsys_info ("battlemapd serving requests on %s, events on %s", router, pub);
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

static zframe_t *
s_dispatch (bm_request_t *request, zframe_t *payload, bool verbose)
{
    Battlemap__ErrorCode code;
    char message [256];
    Battlemap__Envelope *envelope = bm_wire_decode_request (zframe_data (payload),
        zframe_size (payload), &code, message, sizeof message);
    if (!envelope)
        bm_request_error (request, code, 0, "%s", message);    else
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

    if (request->reply->body_case == BATTLEMAP__ENVELOPE__BODY__NOT_SET)
        bm_request_error (request, E (INTERNAL), 0, "the request was not answered");
    if (request->reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR) {
        Battlemap__Error *error = request->reply->error;
        zsys_info ("refused (%s): %s", bm_wire_error_name (error->code), error->message);
    }
    else
    if (verbose)
        zsys_debug ("%s: answered with %zu events",
                    s_body_name (envelope->body_case), zlist_size (request->events));
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
    //  Who sent it: the peer's address until keys are authenticated
    const char *peer = payload? zframe_meta (payload, "Peer-Address"): NULL;
    char sender [96];
    snprintf (sender, sizeof sender, "peer %s", peer? peer: "unknown");
    bm_request_t request = { .db = self->db, .arena = bm_arena_new (),
                             .events = zlist_new (), .reply = &reply,
                             .clock = self->clock, .sender = sender,
                             .backfill = self->backfill };
    zframe_t *packed = NULL;
    if (well_framed)
        packed = s_dispatch (&request, payload, self->verbose);
    else {
        bm_request_error (&request, E (MALFORMED), 0,
                          "a request is two frames: an 8-byte correlation id and an Envelope");
        packed = bm_wire_pack (&reply);
    }
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
    zpoller_t *poller = zpoller_new (self->router, NULL);
    int64_t next_check = 0;
    while (!zsys_interrupted) {
        void *which = zpoller_wait (poller, 1000);
        if (which == self->router)
            s_handle_request (self);
        else
        if (zpoller_terminated (poller))
            break;
        //  Deadlines: every second, and at once after a request (a test
        //  clock may just have been moved across several)
        if (which == self->router || zclock_mono () >= next_check) {
            s_check_deadlines (self);
            next_check = zclock_mono () + 1000;
        }
    }
    zpoller_destroy (&poller);
    zsys_info ("battlemapd stopping after %llu requests", (unsigned long long) self->requests);
    return 0;
}
