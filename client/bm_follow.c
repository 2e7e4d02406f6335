/*  bm_follow: every event of a subscription, in order, none skipped. */

#include "bm_follow.h"
#include "bm_i18n.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define S_STATE_HEADER  "battlemap-follow 2"
#define S_FIRST_PAGE    1000        //  events read for the first page at most
#define S_BACKOFF_FIRST 100         //  msecs: the least wait after a refusal
#define S_BACKOFF_MAX   30000       //  msecs: backoff grows no further

//  One prefix followed
typedef struct {
    char *prefix;
    int level;                  //  its family in an event's family_prev: the
                                //  number of whole segments - 1; -1: the log
    uint64_t cursor;            //  its events are delivered up to here
    uint64_t taken;             //  ...and taken by the program up to here:
                                //  what the state file holds
} s_prefix_t;

//  Structure of our class

struct _bm_follow_t {
    zsock_t *sub;               //  live events and heartbeats
    bm_client_t *client;        //  catch-up requests
    s_prefix_t *prefixes;       //  what we follow ("" alone: everything)
    size_t prefix_count;
    bool everything;            //  no prefix was given
    zlistx_t *pending;          //  the page being delivered (zmsg_t): its
                                //  events, then a marker
    bool catching;              //  more of the log to read
    bool latest_only;           //  the next read only learns where the log ends
    uint64_t catch_since;       //  ...after this sequence number
    uint32_t page;              //  events read for a page, 0: the server's limit
    bool first_page;            //  no page read yet
    int64_t retry_at;           //  no catch-up before this (zclock_mono), 0: none
    int64_t backoff;            //  msecs: the least next wait after a refusal
    bm_follow_notify_fn *notify;    //  told of each wait
    void *notify_arg;
    char *state_file;
    bool unsaved;               //  what was taken moved since it was written
    int64_t heard;              //  when the event socket last brought anything
    uint64_t catchups;
    uint64_t waits;
    Battlemap__ErrorCode refusal;   //  the server's, behind error; 0 if none
    char *error;                //  why the last call failed, NULL if it did not
};

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
//  Cursors and the state file

//  Writes what was taken: a new file, synced, renamed over the old one, so
//  that the file holds either the old cursors or the new ones, whole, and
//  never moves past what the program has done with
static int
s_save (bm_follow_t *self)
{
    if (!self->state_file || !self->unsaved)
        return 0;
    char *temporary = zsys_sprintf ("%s.tmp", self->state_file);
    int rc = -1;
    FILE *file = fopen (temporary, "w");
    if (file) {
        fprintf (file, "%s\n", S_STATE_HEADER);
        for (size_t index = 0; index < self->prefix_count; index++)
            fprintf (file, "%llu %s\n", (unsigned long long) self->prefixes [index].taken,
                     self->prefixes [index].prefix);
        bool written = fflush (file) == 0 && fsync (fileno (file)) == 0;
        if (fclose (file) == 0 && written && rename (temporary, self->state_file) == 0)
            rc = 0;
    }
    if (rc == 0)
        self->unsaved = false;
    else {
        s_set_error (self, _("cannot write the state file %s: %s"), self->state_file,
                     strerror (errno));
        remove (temporary);
    }
    free (temporary);
    return rc;
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
    for (size_t index = 0; index < self->prefix_count; index++)
        self->prefixes [index].taken = self->prefixes [index].cursor;
    return restored;
}

//  Everything delivered so far is taken: nothing is in the program's hands
static void
s_take_all (bm_follow_t *self)
{
    for (size_t index = 0; index < self->prefix_count; index++) {
        s_prefix_t *prefix = self->prefixes + index;
        if (prefix->taken != prefix->cursor) {
            prefix->taken = prefix->cursor;
            self->unsaved = true;
        }
    }
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

//  ---------------------------------------------------------------------------
//  Catching up

//  A refusal for now: the server names how long to wait. Waits at least
//  that, and longer each time in a row.
static void
s_wait_for (bm_follow_t *self, const Battlemap__Error *error)
{
    int64_t wait = error->retry_after_ms;
    if (wait < self->backoff)
        wait = self->backoff;
    wait += randof ((int) (wait / 10) + 1);     //  followers do not come back together
    self->backoff = wait * 2 < S_BACKOFF_MAX? wait * 2: S_BACKOFF_MAX;
    self->retry_at = zclock_mono () + wait;
    self->waits++;
    if (self->notify) {
        char *sentence = zsys_sprintf (_("the server asks to wait (%s: %s); asking again "
                                       "in %.1f s"), bm_wire_error_name (error->code),
                                       error->message, wait / 1000.0);
        self->notify (self->notify_arg, sentence);
        free (sentence);
    }
}

//  Queues the events of a page, then a marker that moves every cursor past
//  the page
static void
s_queue_page (bm_follow_t *self, const Battlemap__CatchupReply *caught)
{
    for (size_t index = 0; index < caught->n_events && index < caught->n_topics; index++) {
        zmsg_t *message = zmsg_new ();
        zmsg_addstr (message, caught->topics [index]);
        zmsg_addmem (message, caught->events [index].data, caught->events [index].len);
        zlistx_add_end (self->pending, message);
    }
    uint64_t through = caught->through;
    self->catching = caught->more && !self->latest_only && through > self->catch_since;
    if (through > self->catch_since) {
        zmsg_t *marker = zmsg_new ();
        zmsg_addstr (marker, "");
        zmsg_addmem (marker, &through, sizeof through);
        zlistx_add_end (self->pending, marker);
        self->catch_since = through;
    }
}

//  Reads one page of the log after catch_since and queues it. 0, or -1
//  (error set). A page refused for now is asked again after the wait; if
//  the deadline comes first, 1: the page is still to be read.
static int
s_fetch (bm_follow_t *self, int64_t deadline)
{
    while (true) {
        if (self->retry_at) {
            int64_t until = self->retry_at < deadline? self->retry_at: deadline;
            int64_t now = zclock_mono ();
            if (until > now)
                zclock_sleep ((int) (until - now));
            if (zclock_mono () < self->retry_at || zsys_interrupted)
                return 1;
            self->retry_at = 0;
        }
        Battlemap__CatchupRequest catchup = BATTLEMAP__CATCHUP_REQUEST__INIT;
        catchup.since = self->catch_since;
        char **prefixes = (char **) zmalloc ((self->prefix_count + 1) * sizeof (char *));
        for (size_t index = 0; !self->everything && index < self->prefix_count; index++)
            prefixes [catchup.n_prefixes++] = self->prefixes [index].prefix;
        catchup.prefixes = prefixes;
        catchup.latest_only = self->latest_only;
        catchup.limit = self->page;
        if (self->first_page && (!self->page || self->page > S_FIRST_PAGE))
            catchup.limit = S_FIRST_PAGE;
        Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
        request.body_case = BATTLEMAP__ENVELOPE__BODY_CATCHUP;
        request.catchup = &catchup;
        Battlemap__Envelope *reply = bm_client_request (self->client, &request);
        free (prefixes);
        self->catchups++;
        if (!reply) {
            if (bm_client_failure (self->client) == BM_CLIENT_FAILURE_INTERRUPTED)
                return 1;
            s_set_error (self, _("cannot read the events after #%llu: %s"),
                         (unsigned long long) self->catch_since,
                         bm_client_failure_text (self->client));
            return -1;
        }
        if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR) {
            Battlemap__Error *error = reply->error;
            if (error->code == BATTLEMAP__ERROR_CODE__RATE_LIMITED
            ||  error->code == BATTLEMAP__ERROR_CODE__UNAVAILABLE) {
                s_wait_for (self, error);
                bm_wire_free (&reply);
                continue;
            }
            self->refusal = error->code;
            s_set_error (self, _("the server refused the events after #%llu (%s): %s"),
                         (unsigned long long) self->catch_since,
                         bm_wire_error_name (error->code), error->message);
            bm_wire_free (&reply);
            return -1;
        }
        if (reply->body_case != BATTLEMAP__ENVELOPE__BODY_CATCHUP_REPLY) {
            s_set_error (self, _("the server answered a request for the events after #%llu "
                         "with something else"), (unsigned long long) self->catch_since);
            bm_wire_free (&reply);
            return -1;
        }
        s_queue_page (self, reply->catchup_reply);
        self->latest_only = false;
        self->first_page = false;
        self->backoff = S_BACKOFF_FIRST;
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
    self->backoff = S_BACKOFF_FIRST;
    if (!self->client || !self->sub) {
        bm_follow_destroy (&self);
        return NULL;
    }
    //  A catch-up refused for now comes back to us at once: the follower
    //  waits on its own, within bm_follow_recv's timeout, and says so
    bm_client_set_patience (self->client, 1);
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
        prefix->taken = since;
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
    //  The first bm_follow_recv reads the log (or, from now, where it ends)
    self->catching = true;
    self->latest_only = from_now;
    self->first_page = true;
    self->catch_since = s_floor (self);
    return self;
}

void
bm_follow_destroy (bm_follow_t **self_p)
{
    bm_follow_t *self = *self_p;
    if (!self)
        return;
    //  What the program took, not the event it may still hold
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

void
bm_follow_set_timeout (bm_follow_t *self, int msecs, int attempts)
{
    bm_client_set_timeout (self->client, msecs > 0? msecs: 10000);
    bm_client_set_attempts (self->client, attempts > 0? attempts: 1);
}

void
bm_follow_set_page (bm_follow_t *self, uint32_t events)
{
    self->page = events;
}

void
bm_follow_set_notify (bm_follow_t *self, bm_follow_notify_fn *notify, void *arg)
{
    self->notify = notify;
    self->notify_arg = arg;
}

//  ---------------------------------------------------------------------------
//  Delivering

//  An event for the caller, if it is one we follow and have not delivered:
//  the cursors of its prefixes move past it. What was delivered before it
//  is taken, and only that: this one is now in the program's hands.
static bool
s_deliver (bm_follow_t *self, const Battlemap__Event *event, const char *topic)
{
    s_take_all (self);
    bool fresh = false;
    for (size_t index = 0; index < self->prefix_count; index++) {
        s_prefix_t *prefix = self->prefixes + index;
        if (s_matches (self, prefix, topic) && event->seq > prefix->cursor) {
            prefix->cursor = event->seq;
            fresh = true;
        }
    }
    return fresh;
}

//  Applies the markers at the head of the pending page: everything of
//  every prefix up to there is delivered
static void
s_pass_markers (bm_follow_t *self)
{
    zmsg_t *message;
    while ((message = (zmsg_t *) zlistx_first (self->pending))) {
        zframe_t *name = zmsg_first (message);
        zframe_t *body = zmsg_next (message);
        if (zframe_size (name) || !body || zframe_size (body) != sizeof (uint64_t))
            return;
        uint64_t through;
        memcpy (&through, zframe_data (body), sizeof through);
        for (size_t index = 0; index < self->prefix_count; index++)
            if (through > self->prefixes [index].cursor)
                self->prefixes [index].cursor = through;
        message = (zmsg_t *) zlistx_detach (self->pending, NULL);
        zmsg_destroy (&message);
    }
}

//  Delivers the first pending event, if any
static Battlemap__Envelope *
s_next_pending (bm_follow_t *self, char **topic)
{
    s_pass_markers (self);
    zmsg_t *message;
    while ((message = (zmsg_t *) zlistx_detach (self->pending, NULL))) {
        char *name = zmsg_popstr (message);
        zframe_t *body = zmsg_pop (message);
        zmsg_destroy (&message);
        Battlemap__Envelope *envelope = bm_wire_unpack (zframe_data (body), zframe_size (body));
        zframe_destroy (&body);
        if (envelope && envelope->body_case == BATTLEMAP__ENVELOPE__BODY_EVENT
        &&  s_deliver (self, envelope->event, name)) {
            //  The end of the page, if it follows, is passed at once, so
            //  that bm_follow_caught_up tells the truth
            s_pass_markers (self);
            if (topic)
                *topic = name;
            else
                zstr_free (&name);
            return envelope;
        }
        bm_wire_free (&envelope);
        zstr_free (&name);
        s_pass_markers (self);
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

//  Nothing is handed over: whatever was delivered is taken. NULL.
static Battlemap__Envelope *
s_nothing (bm_follow_t *self)
{
    s_take_all (self);
    if (!self->error)
        s_save (self);          //  may fail, and say so
    return NULL;
}

Battlemap__Envelope *
bm_follow_recv (bm_follow_t *self, int timeout, char **topic)
{
    //  The event handed over last time has been taken: its place is kept
    zstr_free (&self->error);
    self->refusal = 0;
    if (bm_follow_ack (self))
        return NULL;
    int64_t deadline = timeout < 0? INT64_MAX: zclock_mono () + timeout;
    while (!zsys_interrupted) {
        Battlemap__Envelope *envelope = s_next_pending (self, topic);
        if (envelope)
            return envelope;
        //  The next page of the log, as soon as the last one is delivered
        if (self->catching) {
            if (s_fetch (self, deadline))
                return s_nothing (self);    //  failed, or waiting past the deadline
            continue;
        }
        int64_t now = zclock_mono ();
        int64_t remaining = deadline - now;
        if (remaining <= 0)
            break;
        //  The server sends a heartbeat every second: silence means the
        //  events stopped reaching us (the server is gone, or refuses our
        //  key since it reconnected us), so ask the log, which says why
        if (!self->heard)
            self->heard = now;
        int64_t silence = self->heard + BM_FOLLOW_SILENCE - now;
        if (silence <= 0) {
            self->heard = now;
            s_start_catching (self);
            continue;
        }
        if (silence < remaining)
            remaining = silence;
        zsock_set_rcvtimeo (self->sub, remaining > 1000000? -1: (int) remaining);
        zmsg_t *message = zmsg_recv (self->sub);
        if (!message)
            continue;           //  the deadline, or the silence, is checked above
        self->heard = zclock_mono ();
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
            if (s_deliver (self, event, name)) {
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
    return s_nothing (self);
}

int
bm_follow_ack (bm_follow_t *self)
{
    s_take_all (self);
    return s_save (self);
}

const char *
bm_follow_error (bm_follow_t *self)
{
    return self->error;
}

Battlemap__ErrorCode
bm_follow_refusal (bm_follow_t *self)
{
    return self->error? self->refusal: 0;
}

bool
bm_follow_caught_up (bm_follow_t *self)
{
    return !self->catching && !self->latest_only && zlistx_size (self->pending) == 0;
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

uint64_t
bm_follow_waits (bm_follow_t *self)
{
    return self->waits;
}
