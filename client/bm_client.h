/*  bm_client: talk to battlemapd, for the command line and any other program.

    Requests go over a DEALER socket with the Lazy Pirate pattern: wait for
    the reply up to a timeout, then close the socket, open a new one and
    resend the same bytes, a few times. This is safe because every
    submission carries its client-chosen id and the server answers a resend
    instead of storing it twice. A late reply to an earlier request is
    recognised by its correlation frame and dropped. Sends never block, so
    a request gives up after timeout x attempts at the most (plus the
    patience below), whatever the server or the network does.

    Failover (the guide's Freelance pattern, model 1): the endpoint may be a
    comma-separated list, "tcp://a:7301,tcp://b:7301". Each attempt that
    gets no answer moves on to the next endpoint; the client stays with the
    one that answered, for later requests too.

    Why a request got no reply is told apart (bm_client_failure): a socket
    monitor watches the CURVE handshake, so a key the server refuses, or a
    wrong server key, is reported at once and not as a silent server.

    A reply UNAVAILABLE or RATE_LIMITED is not final: the request is sent
    again after the reply's retry_after_ms at least, backing off, as long as
    the patience lasts; then that last error reply is returned.

    bm_watch_t subscribes to the server's events with ZeroMQ prefix
    filters on the topic "<kind>/<district>/<unit>/<indicator>/".
*/
#ifndef BM_CLIENT_H_INCLUDED
#define BM_CLIENT_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_wire.h"
#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>

#define BM_CLIENT_DEFAULT_SERVER    "tcp://127.0.0.1:7301"
#define BM_CLIENT_DEFAULT_EVENTS    "tcp://127.0.0.1:7302"
#define BM_CLIENT_ID_SIZE           37      //  UUID text and terminator

typedef struct _bm_client_t bm_client_t;

//  Why the last request got no reply
typedef enum {
    BM_CLIENT_FAILURE_NONE = 0,     //  a reply came (it may be an error reply)
    BM_CLIENT_FAILURE_NO_ANSWER,    //  no answer within the attempts: no server
                                    //  listening, a stopped server, a lost network
    BM_CLIENT_FAILURE_KEY_REFUSED,  //  the server refused our key (ZAP status 400):
                                    //  not enrolled, or revoked
    BM_CLIENT_FAILURE_HANDSHAKE,    //  the CURVE handshake failed without a refusal:
                                    //  most likely a wrong server public key
    BM_CLIENT_FAILURE_INTERRUPTED   //  a signal (Ctrl-C) ended the wait
} bm_client_failure_t;

//  Told about retries, failovers and failures, with a sentence for a person
//  (no trailing newline). bm_client_failure (self) is NONE for a retry or a
//  failover, and the request's failure when it gives up.
typedef void (bm_client_notify_fn) (bm_client_t *self, const char *text, void *arg);

//  Connect to the server's request endpoint under CURVE, as the key pair
//  `cert` (copied), to the server whose public key is `server_key` (40
//  characters of Z85). `endpoint` may be a comma-separated list of
//  endpoints to fail over between, tried in order. NULL if an endpoint is
//  invalid.
bm_client_t *
    bm_client_new (const char *endpoint, zcert_t *cert, const char *server_key);

void
    bm_client_destroy (bm_client_t **self_p);

//  Milliseconds to wait for each attempt (default 10000)
void
    bm_client_set_timeout (bm_client_t *self, int msecs);

//  Attempts in all (default 3), each on a new socket; with several
//  endpoints, at least one attempt for each
void
    bm_client_set_attempts (bm_client_t *self, int attempts);

//  Milliseconds, counted from the start of a request, during which replies
//  UNAVAILABLE and RATE_LIMITED are retried (default: timeout x attempts;
//  0: never, such a reply is returned at once). A request returns within
//  patience + timeout x attempts.
void
    bm_client_set_patience (bm_client_t *self, int msecs);

//  Call `notify` on retries, failovers and failures (NULL: no calls)
void
    bm_client_set_notify (bm_client_t *self, bm_client_notify_fn *notify, void *arg);

//  Send a request (version is filled in) and wait for its reply. Returns the
//  reply, to free with bm_wire_free, or NULL when no reply came after every
//  attempt; bm_client_failure then says why.
Battlemap__Envelope *
    bm_client_request (bm_client_t *self, Battlemap__Envelope *request);

//  Send raw bytes as the envelope frame (tests of bad input) and wait.
//  A request larger than a connection to the server takes (which the
//  server's socket would drop without an answer) is not sent: the reply is
//  a TOO_LARGE error made here.
Battlemap__Envelope *
    bm_client_request_raw (bm_client_t *self, const void *data, size_t size);

Battlemap__Envelope *
    bm_client_submit (bm_client_t *self, Battlemap__Figure **figures, size_t count);

//  The wall of the district (unit NULL or "") or of a unit; all: for the
//  district, also the indicators that are not battle-map tasks
Battlemap__Envelope *
    bm_client_wall (bm_client_t *self, const char *district, const char *period,
                    const char *unit, bool all);

//  A report of the district for a month: timeliness or forecast accuracy
Battlemap__Envelope *
    bm_client_report (bm_client_t *self, Battlemap__ReportKind kind, const char *district,
                      const char *period);

Battlemap__Envelope *
    bm_client_template (bm_client_t *self, const char *district, const char *unit,
                        const char *period);

//  Rank units on an indicator (measure may be "") or on a weighted ranking
//  of the plan (indicator NULL); bottom 0: the plan's or 5
Battlemap__Envelope *
    bm_client_ranking (bm_client_t *self, const char *district, const char *period,
                       const char *indicator, const char *measure, const char *ranking,
                       uint32_t bottom);

//  Read plan files (or every *.csv of a folder given as a path) and send
//  them for loading. On a read error returns NULL and sets *error to a
//  message the caller frees.
Battlemap__Envelope *
    bm_client_plan_load (bm_client_t *self, const char **paths, size_t count, char **error);

//  Why the last request got no reply (NONE if it got one)
bm_client_failure_t
    bm_client_failure (bm_client_t *self);

//  The last failure as a sentence for a person, naming the endpoint and
//  what was seen ("no answer from the server at tcp://... in 3000 ms
//  (3 attempts; nothing accepts connections there)"); "" if none
const char *
    bm_client_failure_text (bm_client_t *self);

//  Whether the last failed request may have reached a server (a handshake
//  succeeded on some attempt): then it may have been carried out. When
//  false, it certainly was not.
bool
    bm_client_maybe_delivered (bm_client_t *self);

//  The endpoint in use: the one that answered last (or the next to try)
const char *
    bm_client_endpoint (bm_client_t *self);

//  A new submission id, lower case: a UUID of version 7 (RFC 9562), the
//  time it was made to 1/4096 ms, then 62 random bits. A thread's ids grow
//  in the order they are made, so the record's unique index on them takes
//  each one at its end: with random ids, every figure stored touched a
//  page of that index anywhere, and after each checkpoint wrote a full
//  copy of it to the WAL. pgbench, 100 rows a transaction into a copy of
//  the figure table of 1M rows, right after a checkpoint: 1.76-1.99 ms and
//  1,020-1,411 WAL bytes a row with random ids, 1.07-1.21 ms and 517-560
//  bytes with time-ordered ones.
void
    bm_client_new_id (char *id);

//  A UUID derived from `text` (name-based, SHA-1), so that the same content
//  gets the same id every time it is sent
void
    bm_client_content_id (const char *text, char *id);

//  ---------------------------------------------------------------------------

typedef struct _bm_watch_t bm_watch_t;

//  Subscribe to the events endpoint with a topic prefix ("" for all;
//  e.g. "completion/qingpu/赵巷镇/"), under CURVE as for bm_client_new. The
//  server applies only subscriptions within the key's scope: others
//  receive nothing.
bm_watch_t *
    bm_watch_new (const char *endpoint, const char *prefix, zcert_t *cert,
                  const char *server_key);

void
    bm_watch_destroy (bm_watch_t **self_p);

//  Receive the next event, waiting at most `timeout` msecs (-1: forever).
//  Returns the envelope (its event field set), to free with bm_wire_free,
//  or NULL on timeout or interrupt. If topic is not NULL, *topic gets a
//  copy of the topic to free.
Battlemap__Envelope *
    bm_watch_recv (bm_watch_t *self, int timeout, char **topic);

#endif
