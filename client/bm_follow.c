/*  bm_follow: every event of a subscription, exactly once and in order. */

#include "bm_follow.h"

#include <string.h>

//  Structure of our class

struct _bm_follow_t {
    zsock_t *sub;               //  live events and heartbeats
    bm_client_t *client;        //  catch-up requests
    char **prefixes;            //  what we follow
    size_t prefix_count;
    uint64_t cursor;            //  delivered, or known not ours, up to here
    zlistx_t *pending;          //  caught-up events not yet delivered (zmsg_t)
    char *state_file;
    uint64_t catchups;
};

static void
s_save (bm_follow_t *self)
{
    if (!self->state_file)
        return;
    char *temporary = zsys_sprintf ("%s.tmp", self->state_file);
    FILE *file = fopen (temporary, "w");
    if (file) {
        fprintf (file, "%llu\n", (unsigned long long) self->cursor);
        if (fclose (file) == 0)
            rename (temporary, self->state_file);
    }
    free (temporary);
}

static bool
s_ours (bm_follow_t *self, const char *topic)
{
    if (!self->prefix_count)
        return strncmp (topic, "heartbeat/", 10) != 0;
    for (size_t index = 0; index < self->prefix_count; index++)
        if (strncmp (topic, self->prefixes [index], strlen (self->prefixes [index])) == 0)
            return true;
    return false;
}

//  Asks for what came after the cursor, page by page until the log is
//  exhausted, and queues the events in order, each page followed by a
//  marker that moves the cursor past what was not ours. Called with nothing
//  pending. 0, or -1 if the server did not answer.
static int
s_catch_up (bm_follow_t *self, bool latest_only)
{
    uint64_t since = self->cursor;
    while (true) {
        Battlemap__CatchupRequest catchup = BATTLEMAP__CATCHUP_REQUEST__INIT;
        catchup.since = since;
        catchup.prefixes = self->prefixes;
        catchup.n_prefixes = self->prefix_count;
        catchup.latest_only = latest_only;
        Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
        request.body_case = BATTLEMAP__ENVELOPE__BODY_CATCHUP;
        request.catchup = &catchup;
        Battlemap__Envelope *reply = bm_client_request (self->client, &request);
        self->catchups++;
        if (!reply || reply->body_case != BATTLEMAP__ENVELOPE__BODY_CATCHUP_REPLY) {
            bm_wire_free (&reply);
            return -1;
        }
        Battlemap__CatchupReply *caught = reply->catchup_reply;
        for (size_t index = 0; index < caught->n_events; index++) {
            zmsg_t *message = zmsg_new ();
            zmsg_addstr (message, caught->topics [index]);
            zmsg_addmem (message, caught->events [index].data, caught->events [index].len);
            zlistx_add_end (self->pending, message);
        }
        uint64_t through = caught->through;
        bool more = caught->more && !latest_only && through > since;
        bm_wire_free (&reply);
        if (through > since) {
            zmsg_t *marker = zmsg_new ();
            zmsg_addstr (marker, "");
            zmsg_addmem (marker, &through, sizeof through);
            zlistx_add_end (self->pending, marker);
            since = through;
        }
        if (!more)
            break;
    }
    return 0;
}

bm_follow_t *
bm_follow_new (const char *requests, const char *events, zcert_t *cert,
               const char *server_key, const char **prefixes, uint64_t since,
               bool from_now, const char *state_file, int hwm)
{
    bm_follow_t *self = (bm_follow_t *) zmalloc (sizeof (bm_follow_t));
    self->pending = zlistx_new ();
    self->client = bm_client_new (requests, cert, server_key);
    self->sub = zsock_new (ZMQ_SUB);
    if (!self->client || !self->sub) {
        bm_follow_destroy (&self);
        return NULL;
    }
    for (const char **prefix = prefixes; prefix && *prefix; prefix++)
        self->prefix_count++;
    self->prefixes = (char **) zmalloc ((self->prefix_count + 1) * sizeof (char *));
    for (size_t index = 0; index < self->prefix_count; index++)
        self->prefixes [index] = strdup (prefixes [index]);
    //  Subscribe first, then catch up: nothing falls between the two
    if (cert)
        zcert_apply (cert, self->sub);
    zsock_set_curve_serverkey (self->sub, server_key);
    if (hwm)
        zsock_set_rcvhwm (self->sub, hwm);
    zsock_set_maxmsgsize (self->sub, BM_SOCKET_MAX_MESSAGE);
    zsock_set_subscribe (self->sub, "heartbeat/");
    for (size_t index = 0; index < self->prefix_count; index++)
        zsock_set_subscribe (self->sub, self->prefixes [index]);
    if (!self->prefix_count)
        zsock_set_subscribe (self->sub, "");
    if (zsock_connect (self->sub, "%s", events)) {
        bm_follow_destroy (&self);
        return NULL;
    }
    self->cursor = since;
    if (state_file) {
        self->state_file = strdup (state_file);
        FILE *file = fopen (state_file, "r");
        unsigned long long saved;
        if (file) {
            if (fscanf (file, "%llu", &saved) == 1) {
                self->cursor = saved;
                from_now = false;
            }
            fclose (file);
        }
    }
    if (s_catch_up (self, from_now)) {
        bm_follow_destroy (&self);
        return NULL;
    }
    return self;
}

void
bm_follow_destroy (bm_follow_t **self_p)
{
    bm_follow_t *self = *self_p;
    if (!self)
        return;
    zsock_destroy (&self->sub);
    bm_client_destroy (&self->client);
    if (self->pending) {
        zmsg_t *message;
        while ((message = (zmsg_t *) zlistx_detach (self->pending, NULL)))
            zmsg_destroy (&message);
        zlistx_destroy (&self->pending);
    }
    for (size_t index = 0; index < self->prefix_count; index++)
        free (self->prefixes [index]);
    free (self->prefixes);
    free (self->state_file);
    free (self);
    *self_p = NULL;
}

//  Delivers the first pending event, if any
static Battlemap__Envelope *
s_next_pending (bm_follow_t *self, char **topic)
{
    zmsg_t *message;
    while ((message = (zmsg_t *) zlistx_detach (self->pending, NULL))) {
        char *name = zmsg_popstr (message);
        zframe_t *body = zmsg_pop (message);
        zmsg_destroy (&message);
        if (!*name) {
            //  A marker: everything up to here is delivered
            uint64_t through;
            memcpy (&through, zframe_data (body), sizeof through);
            if (through > self->cursor)
                self->cursor = through;
            s_save (self);
            zstr_free (&name);
            zframe_destroy (&body);
            continue;
        }
        Battlemap__Envelope *envelope = bm_wire_unpack (zframe_data (body), zframe_size (body));
        zframe_destroy (&body);
        if (envelope && envelope->body_case == BATTLEMAP__ENVELOPE__BODY_EVENT
        &&  envelope->event->seq > self->cursor) {
            self->cursor = envelope->event->seq;
            s_save (self);
            if (topic)
                *topic = name;
            else
                zstr_free (&name);
            return envelope;
        }
        bm_wire_free (&envelope);
        zstr_free (&name);
    }
    return NULL;
}

Battlemap__Envelope *
bm_follow_recv (bm_follow_t *self, int timeout, char **topic)
{
    int64_t deadline = timeout < 0? INT64_MAX: zclock_mono () + timeout;
    while (!zsys_interrupted) {
        Battlemap__Envelope *envelope = s_next_pending (self, topic);
        if (envelope)
            return envelope;
        int64_t remaining = deadline - zclock_mono ();
        if (remaining <= 0)
            return NULL;
        zsock_set_rcvtimeo (self->sub, remaining > 1000000? -1: (int) remaining);
        zmsg_t *message = zmsg_recv (self->sub);
        if (!message)
            return NULL;
        char *name = zmsg_popstr (message);
        zframe_t *body = zmsg_first (message);
        envelope = body? bm_wire_unpack (zframe_data (body), zframe_size (body)): NULL;
        zmsg_destroy (&message);
        if (!envelope || envelope->body_case != BATTLEMAP__ENVELOPE__BODY_EVENT) {
            bm_wire_free (&envelope);
            zstr_free (&name);
            continue;
        }
        Battlemap__Event *event = envelope->event;
        bool heartbeat = event->payload_case == BATTLEMAP__EVENT__PAYLOAD_HEARTBEAT;
        uint64_t seq = heartbeat? event->heartbeat->latest: event->seq;
        if (!heartbeat && seq == self->cursor + 1 && s_ours (self, name)) {
            //  The very next event of the log: nothing can be missing
            self->cursor = seq;
            s_save (self);
            if (topic)
                *topic = name;
            else
                zstr_free (&name);
            return envelope;
        }
        bm_wire_free (&envelope);
        zstr_free (&name);
        //  Something lies between: the log says what of it is ours
        if (seq > self->cursor && s_catch_up (self, false))
            return NULL;
    }
    return NULL;
}

uint64_t
bm_follow_cursor (bm_follow_t *self)
{
    return self->cursor;
}

uint64_t
bm_follow_catchups (bm_follow_t *self)
{
    return self->catchups;
}
