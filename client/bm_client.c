/*  bm_client: talk to battlemapd, for the command line and any other program.

    Here: the class and the transport of one request (the DEALER socket and
    its monitor, failover, why a request failed, the retry of UNAVAILABLE
    and RATE_LIMITED). Requests are built in bm_client_requests.c, events
    received in bm_watch.c.
*/

#include "bm_client.h"
#include "bm_client_private.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <inttypes.h>
#include <limits.h>
#include <stdatomic.h>
#include <string.h>

#define S_BACKOFF_FIRST     250     //  msecs before the first resend after UNAVAILABLE
#define S_BACKOFF_CAP       4000    //  msecs between resends at the most
#define S_HANDSHAKE_TRIES   3       //  failed handshakes in a row that end an attempt

//  What the monitor tells about the socket's connection
#define S_MONITORED (ZMQ_EVENT_CONNECTED | ZMQ_EVENT_HANDSHAKE_SUCCEEDED \
                   | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL \
                   | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL)

//  What one endpoint did during the current request
typedef struct {
    char *address;              //  e.g. tcp://127.0.0.1:7301
    int attempts;               //  made there
    int64_t waited;             //  msecs waited there
    bool connected;             //  a connection was made
    bool handshaken;            //  a CURVE handshake succeeded
    bool refused;               //  the server refused our key
    bool handshake_failed;      //  handshakes failed, without a refusal
    uint32_t zap_status;        //  of the last refusal (or "cannot check")
    uint16_t handshake_event;   //  of the last failed handshake
    uint32_t handshake_value;   //  its errno or protocol error
} s_endpoint_t;

//  Structure of our class

struct _bm_client_t {
    s_endpoint_t *endpoints;    //  to fail over between, in order
    size_t endpoint_count;
    size_t current;             //  the endpoint in use
    zcert_t *cert;              //  our key pair (a copy), or NULL
    char *server_key;           //  the server's public key, or NULL
    zsock_t *dealer;            //  to the current endpoint's ROUTER, or NULL
    zsock_t *monitor;           //  PAIR receiving the dealer's events, or NULL
    //  What the monitor told about the dealer's connection
    bool connected;             //  a TCP connection was made
    bool handshaken;            //  a handshake succeeded
    bool refused;               //  ZAP said 4xx: the key is refused
    bool unchecked;             //  ZAP said 3xx or 5xx: the key could not be checked
    uint32_t zap_status;
    int handshake_failures;     //  in a row
    uint16_t handshake_event;
    uint32_t handshake_value;
    int timeout;                //  msecs per attempt
    int attempts;               //  in all
    int patience;               //  msecs to retry UNAVAILABLE; -1: timeout x attempts
    uint64_t correlation;       //  of the last request sent
    bm_client_failure_t failure;    //  of the last request
    char *failure_text;         //  the same for a person
    bool maybe_delivered;       //  a handshake succeeded during the last request
    bm_client_notify_fn *notify;    //  told about retries and failures
    void *notify_arg;
};

//  How one attempt ended without a reply
typedef enum {
    S_TIMEOUT,                  //  nothing within the timeout
    S_REFUSED,                  //  the server refused our key
    S_HANDSHAKE,                //  handshakes keep failing
    S_UNCHECKED,                //  the server could not check our key
    S_INTERRUPTED               //  a signal
} s_outcome_t;

//  Makes a socket a CURVE client of the server
void
bm_client_secure (zsock_t *socket, zcert_t *cert, const char *server_key)
{
    if (cert)
        zcert_apply (cert, socket);
    if (server_key)
        zsock_set_curve_serverkey (socket, server_key);
}

static void
s_notify (bm_client_t *self, const char *format, ...)
{
    if (!self->notify)
        return;
    va_list args;
    va_start (args, format);
    char *text = zsys_vprintf (format, args);
    va_end (args);
    if (text)
        self->notify (self, text, self->notify_arg);
    free (text);
}

//  ---------------------------------------------------------------------------
//  The socket and its monitor

static void
s_close (bm_client_t *self)
{
    if (self->dealer && self->monitor)
        zmq_socket_monitor (zsock_resolve (self->dealer), NULL, 0);
    zsock_destroy (&self->dealer);
    zsock_destroy (&self->monitor);
}

//  A new socket to the current endpoint, watched by a monitor. Connecting
//  afresh is what makes libzmq try again after a refused handshake, which
//  it never does by itself.
static int
s_open (bm_client_t *self)
{
    static atomic_uint sequence;
    s_close (self);
    self->connected = self->handshaken = self->refused = self->unchecked = false;
    self->handshake_failures = 0;
    self->dealer = zsock_new (ZMQ_DEALER);
    if (!self->dealer)
        return -1;
    bm_client_secure (self->dealer, self->cert, self->server_key);
    zsock_set_linger (self->dealer, 0);
    zsock_set_sndtimeo (self->dealer, 0);
    zsock_set_maxmsgsize (self->dealer, BM_SOCKET_MAX_MESSAGE);
    //  Without a monitor the client still gives up in time, only it
    //  cannot say why
    char address [64];
    snprintf (address, sizeof address, "inproc://bm-client-monitor-%d-%u",
              (int) getpid (), atomic_fetch_add (&sequence, 1));
    if (zmq_socket_monitor (zsock_resolve (self->dealer), address, S_MONITORED) == 0) {
        self->monitor = zsock_new (ZMQ_PAIR);
        if (self->monitor && zsock_connect (self->monitor, "%s", address)) {
            zmq_socket_monitor (zsock_resolve (self->dealer), NULL, 0);
            zsock_destroy (&self->monitor);
        }
    }
    return zsock_connect (self->dealer, "%s", self->endpoints [self->current].address);
}

//  Reads one event from the monitor if there is one; false if none
static bool
s_read_event (bm_client_t *self)
{
    if (!self->monitor)
        return false;
    void *handle = zsock_resolve (self->monitor);
    zmq_msg_t frame;
    zmq_msg_init (&frame);
    if (zmq_msg_recv (&frame, handle, ZMQ_DONTWAIT) == -1) {
        zmq_msg_close (&frame);
        return false;
    }
    uint16_t event = 0;
    uint32_t value = 0;
    if (zmq_msg_size (&frame) == 6) {
        memcpy (&event, zmq_msg_data (&frame), 2);
        memcpy (&value, (byte *) zmq_msg_data (&frame) + 2, 4);
    }
    //  The second frame is the endpoint, which we know
    while (zmq_msg_more (&frame) && zmq_msg_recv (&frame, handle, 0) != -1)
        ;
    zmq_msg_close (&frame);
    if (event == ZMQ_EVENT_CONNECTED)
        self->connected = true;
    else
    if (event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
        self->handshaken = true;
        self->handshake_failures = 0;
    }
    else
    if (event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) {
        //  The ZAP status: 400 a refusal, 300 or 500 the server could not
        //  check the key now
        self->zap_status = value;
        if (value >= 400 && value < 500)
            self->refused = true;
        else
            self->unchecked = true;
    }
    else
    if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
    ||  event == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) {
        //  A wrong server key: the server cannot read our HELLO and drops
        //  the connection (NO_DETAIL, EPIPE), again on every reconnection
        self->handshake_failures++;
        self->handshake_event = event;
        self->handshake_value = value;
    }
    return true;
}

//  Whether the socket cannot serve another request as it is
static bool
s_stale (bm_client_t *self)
{
    while (s_read_event (self))
        ;
    return !self->dealer || self->refused || self->unchecked
        || self->handshake_failures >= S_HANDSHAKE_TRIES;
}

//  ---------------------------------------------------------------------------
//  Lazy Pirate over the endpoints

//  Sends the request without ever blocking
static int
s_send (bm_client_t *self, uint64_t correlation, const void *data, size_t size)
{
    void *handle = zsock_resolve (self->dealer);
    if (zmq_send (handle, &correlation, sizeof correlation, ZMQ_SNDMORE | ZMQ_DONTWAIT) == -1)
        return -1;
    return zmq_send (handle, data, size, ZMQ_DONTWAIT) == -1? -1: 0;
}

//  Waits for the reply to `correlation` until the deadline, or until the
//  monitor tells that none can come
static Battlemap__Envelope *
s_wait (bm_client_t *self, uint64_t correlation, int64_t deadline, s_outcome_t *outcome)
{
    while (true) {
        if (zsys_interrupted) {
            *outcome = S_INTERRUPTED;
            return NULL;
        }
        if (self->refused || self->unchecked) {
            *outcome = self->refused? S_REFUSED: S_UNCHECKED;
            return NULL;
        }
        if (self->handshake_failures >= S_HANDSHAKE_TRIES) {
            *outcome = S_HANDSHAKE;
            return NULL;
        }
        int64_t remaining = deadline - zclock_mono ();
        if (remaining <= 0) {
            *outcome = S_TIMEOUT;
            return NULL;
        }
        zmq_pollitem_t items [] = {
            { zsock_resolve (self->dealer), 0, ZMQ_POLLIN, 0 },
            { self->monitor? zsock_resolve (self->monitor): NULL, 0, ZMQ_POLLIN, 0 }
        };
        if (zmq_poll (items, self->monitor? 2: 1, (long) remaining) == -1)
            continue;               //  EINTR: the loop checks zsys_interrupted
        if (self->monitor && (items [1].revents & ZMQ_POLLIN))
            while (s_read_event (self))
                ;
        if (!(items [0].revents & ZMQ_POLLIN))
            continue;
        zmsg_t *reply = zmsg_recv (self->dealer);
        if (!reply)
            continue;
        zframe_t *tag = zmsg_first (reply);
        zframe_t *body = zmsg_next (reply);
        bool current = tag && body && zframe_size (tag) == sizeof correlation
                    && memcmp (zframe_data (tag), &correlation, sizeof correlation) == 0;
        Battlemap__Envelope *envelope = current
            ? bm_wire_unpack (zframe_data (body), zframe_size (body)): NULL;
        zmsg_destroy (&reply);
        if (envelope)
            return envelope;
        //  A late reply to an earlier request, or garbage: keep waiting
    }
}

//  Whether no endpoint is worth another attempt in this request: each one
//  refused our key or failed every handshake
static bool
s_all_closed (bm_client_t *self)
{
    for (size_t index = 0; index < self->endpoint_count; index++)
        if (!self->endpoints [index].refused && !self->endpoints [index].handshake_failed)
            return false;
    return true;
}

//  Records what the attempt on the current endpoint saw
static void
s_record (bm_client_t *self, int64_t started, s_outcome_t outcome)
{
    s_endpoint_t *endpoint = self->endpoints + self->current;
    endpoint->attempts++;
    endpoint->waited += zclock_mono () - started;
    endpoint->connected |= self->connected;
    endpoint->handshaken |= self->handshaken;
    if (outcome == S_REFUSED || outcome == S_UNCHECKED) {
        endpoint->refused |= outcome == S_REFUSED;
        endpoint->zap_status = self->zap_status;
    }
    if (outcome == S_HANDSHAKE) {
        endpoint->handshake_failed = true;
        endpoint->handshake_event = self->handshake_event;
        endpoint->handshake_value = self->handshake_value;
    }
    //  Without a monitor we cannot know, so we assume the worst
    if (self->handshaken || !self->monitor)
        self->maybe_delivered = true;
}

//  The request's failure from what the endpoints saw: a refusal first, then
//  a failed handshake, then silence
static void
s_fail (bm_client_t *self, bool interrupted)
{
    zstr_free (&self->failure_text);
    s_endpoint_t *refused = NULL, *failed = NULL;
    for (size_t index = 0; index < self->endpoint_count; index++) {
        s_endpoint_t *endpoint = self->endpoints + index;
        if (endpoint->refused && !refused)
            refused = endpoint;
        if (endpoint->handshake_failed && !failed)
            failed = endpoint;
    }
    if (interrupted) {
        self->failure = BM_CLIENT_FAILURE_INTERRUPTED;
        self->failure_text = strdup (_("interrupted before the server answered"));
    }
    else
    if (refused) {
        self->failure = BM_CLIENT_FAILURE_KEY_REFUSED;
        self->failure_text = zsys_sprintf (
            _("the server refused our key: it is not enrolled, or has been revoked "
            "(server %s, our key %s, ZAP status %u)"), refused->address,
            self->cert? zcert_public_txt (self->cert): _("none"), refused->zap_status);
    }
    else
    if (failed) {
        self->failure = BM_CLIENT_FAILURE_HANDSHAKE;
        self->failure_text = zsys_sprintf (
            _("the CURVE handshake with %s failed (%s): is %s the server's public key?"),
            failed->address,
            failed->handshake_event == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
                ? _("the server dropped the connection"): _("a protocol error"),
            self->server_key? self->server_key: _("(none)"));
    }
    else {
        self->failure = BM_CLIENT_FAILURE_NO_ANSWER;
        self->failure_text = strdup ("");
        for (size_t index = 0; index < self->endpoint_count; index++) {
            s_endpoint_t *endpoint = self->endpoints + index;
            if (endpoint->attempts == 0)
                continue;
            const char *seen = endpoint->zap_status && !endpoint->refused
                ? _("; it could not check our key")
                : !endpoint->connected? _("; nothing accepts connections there")
                : !endpoint->handshaken? _("; it accepts connections but does not complete "
                                           "the handshake"): "";
            char *text = zsys_sprintf (
                ngettext ("%s%s at %s in %" PRId64 " ms (%d attempt%s)",
                          "%s%s at %s in %" PRId64 " ms (%d attempts%s)",
                          (unsigned long) endpoint->attempts),
                self->failure_text,
                *self->failure_text? _(", nor"): _("no answer from the server"),
                endpoint->address, endpoint->waited, endpoint->attempts, seen);
            free (self->failure_text);
            self->failure_text = text;
        }
        if (!*self->failure_text) {
            free (self->failure_text);
            self->failure_text = zsys_sprintf (_("no request could be sent to %s: %s"),
                self->endpoints [self->current].address, zmq_strerror (zmq_errno ()));
        }
    }
}

//  The attempts of one request: each on a new socket, each after the first
//  on the next endpoint. Returns the reply or NULL.
static Battlemap__Envelope *
s_attempts (bm_client_t *self, const void *data, size_t size, bool *interrupted)
{
    for (size_t index = 0; index < self->endpoint_count; index++) {
        char *address = self->endpoints [index].address;
        memset (self->endpoints + index, 0, sizeof (s_endpoint_t));
        self->endpoints [index].address = address;
    }
    size_t count = self->endpoint_count;
    int attempts = self->attempts > (int) count? self->attempts: (int) count;
    for (int attempt = 0; attempt < attempts; attempt++) {
        int64_t started = zclock_mono ();
        uint64_t correlation = ++self->correlation;
        //  A socket that has lost its connection for good never sends: it
        //  is replaced, as it is for every attempt after the first
        if ((attempt > 0 || s_stale (self)) && s_open (self))
            break;
        //  A send that fails once more is lost; the wait still tells why
        if (s_send (self, correlation, data, size) && s_open (self) == 0)
            s_send (self, correlation, data, size);
        s_outcome_t outcome;
        Battlemap__Envelope *reply = s_wait (self, correlation, started + self->timeout,
                                             &outcome);
        if (reply)
            return reply;
        s_record (self, started, outcome);
        if (outcome == S_INTERRUPTED) {
            *interrupted = true;
            break;
        }
        s_close (self);
        if (s_all_closed (self))
            break;
        if (count > 1) {
            s_endpoint_t *endpoint = self->endpoints + self->current;
            self->current = (self->current + 1) % count;
            if (attempt + 1 < attempts)
                s_notify (self, _("%s %s after %" PRId64 " ms; trying %s"),
                          outcome == S_REFUSED? _("our key was refused by"):
                          outcome == S_HANDSHAKE? _("the handshake failed with"):
                                                  _("no answer from"),
                          endpoint->address, zclock_mono () - started,
                          self->endpoints [self->current].address);
        }
    }
    return NULL;
}

//  Sleeps, waking for signals; -1 if interrupted
static int
s_sleep (int msecs)
{
    int64_t until = zclock_mono () + msecs;
    while (!zsys_interrupted) {
        int64_t remaining = until - zclock_mono ();
        if (remaining <= 0)
            return 0;
        zclock_sleep ((int) (remaining < 100? remaining: 100));
    }
    return -1;
}

//  Whether a reply asks to be asked again later
static bool
s_busy (Battlemap__Envelope *reply)
{
    return reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR && reply->error
        && (reply->error->code == BATTLEMAP__ERROR_CODE__UNAVAILABLE
         || reply->error->code == BATTLEMAP__ERROR_CODE__RATE_LIMITED);
}

//  ---------------------------------------------------------------------------

bm_client_t *
bm_client_new (const char *endpoint, zcert_t *cert, const char *server_key)
{
    if (!endpoint)
        return NULL;
    bm_client_t *self = (bm_client_t *) zmalloc (sizeof (bm_client_t));
    self->timeout = 10000;
    self->attempts = 3;
    self->patience = -1;
    self->cert = cert? zcert_dup (cert): NULL;
    self->server_key = server_key? strdup (server_key): NULL;
    //  The endpoints, each checked by connecting a socket that is never used
    char *list = strdup (endpoint);
    bool valid = true;
    self->endpoints = (s_endpoint_t *) zmalloc ((strlen (list) / 2 + 1) * sizeof (s_endpoint_t));
    char *state = NULL;
    for (char *item = strtok_r (list, ",", &state); item && valid;
         item = strtok_r (NULL, ",", &state)) {
        while (*item == ' ')
            item++;
        size_t length = strlen (item);
        while (length && item [length - 1] == ' ')
            item [--length] = '\0';
        if (!*item)
            continue;
        zsock_t *probe = zsock_new (ZMQ_DEALER);
        if (probe)
            zsock_set_linger (probe, 0);
        valid = probe && zsock_connect (probe, "%s", item) == 0;
        zsock_destroy (&probe);
        self->endpoints [self->endpoint_count++].address = strdup (item);
    }
    free (list);
    if (!valid || self->endpoint_count == 0 || s_open (self)) {
        bm_client_destroy (&self);
        return NULL;
    }
    //  Starting the correlation counter at random keeps two runs of a
    //  program from mistaking each other's replies
    self->correlation = ((uint64_t) randof (0x7fffffff) << 32) | (uint64_t) randof (0x7fffffff);
    return self;
}

void
bm_client_destroy (bm_client_t **self_p)
{
    assert (self_p);
    bm_client_t *self = *self_p;
    if (!self)
        return;
    s_close (self);
    for (size_t index = 0; index < self->endpoint_count; index++)
        free (self->endpoints [index].address);
    free (self->endpoints);
    zcert_destroy (&self->cert);
    free (self->server_key);
    free (self->failure_text);
    free (self);
    *self_p = NULL;
}

void
bm_client_set_timeout (bm_client_t *self, int msecs)
{
    self->timeout = msecs > 0? msecs: 1;
}

void
bm_client_set_attempts (bm_client_t *self, int attempts)
{
    self->attempts = attempts > 0? attempts: 1;
}

void
bm_client_set_patience (bm_client_t *self, int msecs)
{
    self->patience = msecs > 0? msecs: 0;       //  0: no retries
}

void
bm_client_set_notify (bm_client_t *self, bm_client_notify_fn *notify, void *arg)
{
    self->notify = notify;
    self->notify_arg = arg;
}

Battlemap__Envelope *
bm_client_request_raw (bm_client_t *self, const void *data, size_t size)
{
    self->failure = BM_CLIENT_FAILURE_NONE;
    zstr_free (&self->failure_text);
    self->maybe_delivered = false;
    if (size > BM_SOCKET_MAX_MESSAGE - 64)      //  with its frames' headers
        return bm_client_too_large (size);
    int64_t start = zclock_mono ();
    int64_t patience = self->patience >= 0? self->patience
                     : (int64_t) self->timeout * self->attempts;
    int backoff = S_BACKOFF_FIRST;
    bool interrupted = false;
    Battlemap__Envelope *reply = NULL;
    while (true) {
        reply = s_attempts (self, data, size, &interrupted);
        if (!reply || !s_busy (reply))
            break;
        //  UNAVAILABLE or RATE_LIMITED: nothing was done; ask again later,
        //  no sooner than the server says, backing off, while patience lasts
        int delay = backoff;
        if (reply->error->retry_after_ms > (uint32_t) delay)
            delay = reply->error->retry_after_ms > INT_MAX / 2
                  ? INT_MAX / 2: (int) reply->error->retry_after_ms;
        backoff = backoff * 2 > S_BACKOFF_CAP? S_BACKOFF_CAP: backoff * 2;
        if (zclock_mono () + delay - start > patience)
            break;              //  the last error reply is the answer
        s_notify (self, _("the server %s (%s); retrying in %d ms"),
                  reply->error->code == BATTLEMAP__ERROR_CODE__UNAVAILABLE
                      ? _("is unavailable"): _("asks us to slow down"),
                  reply->error->message, delay);
        if (s_sleep (delay))
            break;
        bm_wire_free (&reply);
    }
    if (!reply) {
        s_fail (self, interrupted);
        s_notify (self, "%s", self->failure_text);
    }
    return reply;
}

Battlemap__Envelope *
bm_client_request (bm_client_t *self, Battlemap__Envelope *request)
{
    request->version = BM_PROTOCOL_VERSION;
    zframe_t *frame = bm_wire_pack (request);
    Battlemap__Envelope *reply =
        bm_client_request_raw (self, zframe_data (frame), zframe_size (frame));
    zframe_destroy (&frame);
    return reply;
}

bm_client_failure_t
bm_client_failure (bm_client_t *self)
{
    return self->failure;
}

const char *
bm_client_failure_text (bm_client_t *self)
{
    return self->failure_text? self->failure_text: "";
}

bool
bm_client_maybe_delivered (bm_client_t *self)
{
    return self->maybe_delivered;
}

const char *
bm_client_endpoint (bm_client_t *self)
{
    return self->endpoints [self->current].address;
}
