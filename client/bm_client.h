/*  bm_client: talk to battlemapd, for the command line and any other program.

    Requests go over a DEALER socket with the Lazy Pirate pattern: wait for
    the reply up to a timeout, then resend the same bytes, a few times. This
    is safe because every submission carries its client-chosen id and the
    server answers a resend instead of storing it twice. A late reply to an
    earlier request is recognised by its correlation frame and dropped.

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

//  Connect to the server's request endpoint under CURVE, as the key pair
//  `cert` (not taken over), to the server whose public key is `server_key`
//  (40 characters of Z85). NULL if the endpoint is invalid.
bm_client_t *
    bm_client_new (const char *endpoint, zcert_t *cert, const char *server_key);

void
    bm_client_destroy (bm_client_t **self_p);

//  Milliseconds to wait for each attempt (default 10000)
void
    bm_client_set_timeout (bm_client_t *self, int msecs);

//  Attempts in all (default 3)
void
    bm_client_set_attempts (bm_client_t *self, int attempts);

//  Send a request (version is filled in) and wait for its reply. Returns the
//  reply, to free with bm_wire_free, or NULL when no reply came after every
//  attempt.
Battlemap__Envelope *
    bm_client_request (bm_client_t *self, Battlemap__Envelope *request);

//  Send raw bytes as the envelope frame (tests of bad input) and wait.
Battlemap__Envelope *
    bm_client_request_raw (bm_client_t *self, const void *data, size_t size);

Battlemap__Envelope *
    bm_client_submit (bm_client_t *self, Battlemap__Figure **figures, size_t count);

//  The wall of the district (unit NULL or "") or of a unit; all: for the
//  district, also the indicators that are not battle-map tasks
Battlemap__Envelope *
    bm_client_wall (bm_client_t *self, const char *district, const char *period,
                    const char *unit, bool all);

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

//  A new random UUID (version 4), lower case
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
