/*  bm_follow: every event of a subscription, exactly once and in order. */

#include "bm_follow.h"

#include <string.h>

#define S_STATE_HEADER "battlemap-follow 2"

//  One prefix followed
typedef struct {
    char *prefix;
    int level;                  //  its family in an event's family_prev: the
                                //  number of whole segments - 1; -1: the log
    uint64_t cursor;            //  its events are delivered up to here
} s_prefix_t;

//  Structure of our class

struct _bm_follow_t {
    zsock_t *sub;               //  live events and heartbeats
    bm_client_t *client;        //  catch-up requests
    s_prefix_t *prefixes;       //  what we follow ("" alone: everything)
    size_t prefix_count;
    bool everything;            //  no prefix was given
    zlistx_t *pending;          //  the caught-up page not yet delivered (zmsg_t)
    bool catching;              //  more of the log to read
    uint64_t catch_since;       //  ...after this sequence number
    char *state_file;
    bool unsaved;               //  cursors moved since they were written
    uint64_t catchups;
    char *error;                //  why the last call failed, NULL if it did not
};

//  ---------------------------------------------------------------------------
//  Cursors and the state file

static void
s_save (bm_follow_t *self)
{
    if (!self->state_file || !self->unsaved)
        return;
    char *temporary = zsys_sprintf ("%s.tmp", self->state_file);
    FILE *file = fopen (temporary, "w");
    if (file) {
        fprintf (file, "%s\n", S_STATE_HEADER);
        for (size_t index = 0; index < self->prefix_count; index++)
            fprintf (file, "%llu %s\n", (unsigned long long) self->prefixes [index].cursor,
                     self->prefixes [index].prefix);
        if (fclose (file) == 0 && rename (temporary, self->state_file) == 0)
            self->unsaved = false;
    }
    free (temporary);
}

//  Reads the cursors back: a single number (the first format) sets them
//  all. True if the file held them.
static bool
s_restore (bm_follow_t *self)
{
    FILE *file = fopen (self->state_file, "r");
    if (!file)
        return false;
    char line [4096];
    bool restored = false;
    if (fgets (line, sizeof line, file)) {
        line [strcspn (line, "\n")] = '\0';
        if (streq (line, S_STATE_HEADER)) {
            while (fgets (line, sizeof line, file)) {
                line [strcspn (line, "\n")] = '\0';
                char *space = strchr (line, ' ');
                if (!space)
                    continue;
                *space = '\0';
                for (size_t index = 0; index < self->prefix_count; index++)
                    if (streq (self->prefixes [index].prefix, space + 1)) {
                        self->prefixes [index].cursor = strtoull (line, NULL, 10);
                        restored = true;
                    }
            }
        }
        else
        if (*line) {
            for (size_t index = 0; index < self->prefix_count; index++)
                self->prefixes [index].cursor = strtoull (line, NULL, 10);
            restored = true;
        }
    }
    fclose (file);
    return restored;
}

static uint64_t
s_floor (bm_follow_t *self)
{
    uint64_t floor = UINT64_MAX;
    for (size_t index = 0; index < self->prefix_count; index++)
        if (self->prefixes [index].cursor < floor)
            floor = self->prefixes [index].cursor;
    return floor;
}

static bool
s_matches (bm_follow_t *self, const s_prefix_t *prefix, const char *topic)
{
    if (self->everything)
        return strncmp (topic, "heartbeat/", 10) != 0;
    return strncmp (topic, prefix->prefix, strlen (prefix->prefix)) == 0;
}

static void
s_set_error (bm_follow_t *self, const char *format, ...)
{
    free (self->error);
    va_list args;
    va_start (args, format);
    self->error = zsys_vprintf (format, args);
    va_end (args);
}

//  ---------------------------------------------------------------------------
//  Catching up

//  Reads one page of the log after catch_since and queues its events, then
//  a marker that moves every cursor past the page. 0, or -1 (error set). A
//  page answered RATE_LIMITED is asked again after the delay the server
//  names; if the deadline comes first, 1: the page is still to be read.
static int
s_fetch (bm_follow_t *self, bool latest_only, int64_t deadline)
{
    while (true) {
        Battlemap__CatchupRequest catchup = BATTLEMAP__CATCHUP_REQUEST__INIT;
        catchup.since = self->catch_since;
        char **prefixes = (char **) zmalloc ((self->prefix_count + 1) * sizeof (char *));
        for (size_t index = 0; !self->everything && index < self->prefix_count; index++)
            prefixes [catchup.n_prefixes++] = self->prefixes [index].prefix;
        catchup.prefixes = prefixes;
        catchup.latest_only = latest_only;
        Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
        request.body_case = BATTLEMAP__ENVELOPE__BODY_CATCHUP;
        request.catchup = &catchup;
        Battlemap__Envelope *reply = bm_client_request (self->client, &request);
        free (prefixes);
        self->catchups++;
        if (!reply) {
            s_set_error (self, "the server did not answer a catch-up request");
            return -1;
        }
        if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR) {
            Battlemap__Error *error = reply->error;
            int64_t wait = error->retry_after_ms? error->retry_after_ms: 100;
            if (error->code == BATTLEMAP__ERROR_CODE__RATE_LIMITED) {
                bm_wire_free (&reply);
                int64_t remaining = deadline - zclock_mono ();
                zclock_sleep ((int) (wait < remaining? wait: remaining > 0? remaining: 0));
                if (wait >= remaining || zsys_interrupted) {
                    self->catching = true;
                    return 1;
                }
                continue;
            }
            s_set_error (self, "the server refused a catch-up: %s (%s)", error->message,
                         bm_wire_error_name (error->code));
            bm_wire_free (&reply);
            return -1;
        }
        if (reply->body_case != BATTLEMAP__ENVELOPE__BODY_CATCHUP_REPLY) {
            s_set_error (self, "the server answered a catch-up with something else");
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
        self->catching = caught->more && !latest_only && through > self->catch_since;
        if (through > self->catch_since) {
            zmsg_t *marker = zmsg_new ();
            zmsg_addstr (marker, "");
            zmsg_addmem (marker, &through, sizeof through);
            zlistx_add_end (self->pending, marker);
            self->catch_since = through;
        }
        bm_wire_free (&reply);
        return 0;
    }
}

//  Something may be missing: read the log from the lowest cursor
static void
s_start_catching (bm_follow_t *self)
{
    if (self->catching || zlistx_size (self->pending))
        return;
    self->catching = true;
    self->catch_since = s_floor (self);
}

//  ---------------------------------------------------------------------------

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
    self->everything = self->prefix_count == 0;
    if (self->everything)
        self->prefix_count = 1;
    self->prefixes = (s_prefix_t *) zmalloc (self->prefix_count * sizeof (s_prefix_t));
    for (size_t index = 0; index < self->prefix_count; index++) {
        s_prefix_t *prefix = self->prefixes + index;
        prefix->prefix = strdup (self->everything? "": prefixes [index]);
        prefix->cursor = since;
        //  Its family: the whole segments it names
        prefix->level = -1;
        for (const char *p = prefix->prefix; *p; p++)
            prefix->level += *p == '/';
    }
    //  Subscribe first, then catch up: nothing falls between the two
    if (cert)
        zcert_apply (cert, self->sub);
    zsock_set_curve_serverkey (self->sub, server_key);
    if (hwm)
        zsock_set_rcvhwm (self->sub, hwm);
    zsock_set_maxmsgsize (self->sub, BM_SOCKET_MAX_MESSAGE);
    zsock_set_subscribe (self->sub, "heartbeat/");
    for (size_t index = 0; index < self->prefix_count; index++)
        zsock_set_subscribe (self->sub, self->prefixes [index].prefix);
    if (zsock_connect (self->sub, "%s", events)) {
        bm_follow_destroy (&self);
        return NULL;
    }
    if (state_file) {
        self->state_file = strdup (state_file);
        if (s_restore (self))
            from_now = false;
    }
    self->catch_since = s_floor (self);
    if (s_fetch (self, from_now, zclock_mono () + 30000) < 0) {
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
    //  The program is done with what it was given
    s_save (self);
    zsock_destroy (&self->sub);
    bm_client_destroy (&self->client);
    if (self->pending) {
        zmsg_t *message;
        while ((message = (zmsg_t *) zlistx_detach (self->pending, NULL)))
            zmsg_destroy (&message);
        zlistx_destroy (&self->pending);
    }
    for (size_t index = 0; index < self->prefix_count; index++)
        free (self->prefixes [index].prefix);
    free (self->prefixes);
    free (self->state_file);
    free (self->error);
    free (self);
    *self_p = NULL;
}

//  An event for the caller, if it is one we follow and have not delivered:
//  the cursors of its prefixes move past it
static bool
s_take (bm_follow_t *self, const Battlemap__Event *event, const char *topic)
{
    bool fresh = false;
    for (size_t index = 0; index < self->prefix_count; index++) {
        s_prefix_t *prefix = self->prefixes + index;
        if (s_matches (self, prefix, topic) && event->seq > prefix->cursor) {
            prefix->cursor = event->seq;
            fresh = true;
        }
    }
    self->unsaved |= fresh;
    return fresh;
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
            //  A marker: everything of every prefix up to here is delivered
            uint64_t through;
            memcpy (&through, zframe_data (body), sizeof through);
            for (size_t index = 0; index < self->prefix_count; index++)
                if (through > self->prefixes [index].cursor) {
                    self->prefixes [index].cursor = through;
                    self->unsaved = true;
                }
            zstr_free (&name);
            zframe_destroy (&body);
            continue;
        }
        Battlemap__Envelope *envelope = bm_wire_unpack (zframe_data (body), zframe_size (body));
        zframe_destroy (&body);
        if (envelope && envelope->body_case == BATTLEMAP__ENVELOPE__BODY_EVENT
        &&  s_take (self, envelope->event, name)) {
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

//  True if a live event follows what each of its prefixes holds: the
//  previous event of the prefix's family is at or below its cursor
static bool
s_follows (bm_follow_t *self, const Battlemap__Event *event, const char *topic)
{
    bool matched = false;
    for (size_t index = 0; index < self->prefix_count; index++) {
        const s_prefix_t *prefix = self->prefixes + index;
        if (!s_matches (self, prefix, topic))
            continue;
        matched = true;
        uint64_t previous = event->seq - 1;
        if (prefix->level >= 0 && (size_t) prefix->level < event->n_family_prev)
            previous = event->family_prev [prefix->level];
        if (previous > prefix->cursor)
            return false;
    }
    return matched;
}

//  A heartbeat: a prefix whose family has moved past its cursor lost its
//  last events
static bool
s_behind (bm_follow_t *self, const Battlemap__Heartbeat *heartbeat)
{
    for (size_t index = 0; index < self->prefix_count; index++) {
        const s_prefix_t *prefix = self->prefixes + index;
        uint64_t latest = heartbeat->n_families? 0: heartbeat->latest;
        size_t length = strlen (prefix->prefix);
        for (size_t family = 0; family < heartbeat->n_families
                             && family < heartbeat->n_family_latest; family++) {
            const char *name = heartbeat->families [family];
            size_t shorter = strlen (name) < length? strlen (name): length;
            if (strncmp (name, prefix->prefix, shorter) == 0
            &&  heartbeat->family_latest [family] > latest)
                latest = heartbeat->family_latest [family];
        }
        if (latest > prefix->cursor)
            return true;
    }
    return false;
}

Battlemap__Envelope *
bm_follow_recv (bm_follow_t *self, int timeout, char **topic)
{
    //  The event handed over last time has been taken: its place is kept
    s_save (self);
    zstr_free (&self->error);
    int64_t deadline = timeout < 0? INT64_MAX: zclock_mono () + timeout;
    while (!zsys_interrupted) {
        Battlemap__Envelope *envelope = s_next_pending (self, topic);
        if (envelope)
            return envelope;
        //  The next page of the log, as soon as the last one is delivered
        if (self->catching) {
            if (s_fetch (self, false, deadline))
                return NULL;        //  failed, or waiting past the deadline
            continue;
        }
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
        if (event->payload_case == BATTLEMAP__EVENT__PAYLOAD_HEARTBEAT) {
            if (s_behind (self, event->heartbeat))
                s_start_catching (self);
        }
        else
        if (s_follows (self, event, name)) {
            //  Nothing of its prefixes lies between: deliver it now
            if (s_take (self, event, name)) {
                if (topic)
                    *topic = name;
                else
                    zstr_free (&name);
                return envelope;
            }
        }
        else {
            //  Something lies between, or it is not ours: the log says
            bool ours = false, delivered = true;
            for (size_t index = 0; index < self->prefix_count; index++)
                if (s_matches (self, self->prefixes + index, name)) {
                    ours = true;
                    delivered &= event->seq <= self->prefixes [index].cursor;
                }
            if (ours && !delivered)
                s_start_catching (self);
        }
        bm_wire_free (&envelope);
        zstr_free (&name);
    }
    return NULL;
}

const char *
bm_follow_error (bm_follow_t *self)
{
    return self->error;
}

uint64_t
bm_follow_cursor (bm_follow_t *self)
{
    return s_floor (self);
}

uint64_t
bm_follow_catchups (bm_follow_t *self)
{
    return self->catchups;
}
