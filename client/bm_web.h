/*  bm_web: the battle map on a screen: an HTTP gateway (libmicrohttpd).

    It serves the page (client/web/, with ECharts from npm) from a folder,
    a JSON API for every view the command line has (bm_web_api.c asks the
    server with the gateway's own key and turns the protobuf replies into
    JSON with bm_json), and one Server-Sent Events stream, /api/events, to
    which the program that owns the gateway broadcasts the events it
    follows. One subscription feeds any number of browsers: a message is
    put once into a ring and each browser's stream reads it from there; a
    stream with nothing to send is suspended and resumed by the next
    broadcast, so an idle browser costs a socket and no thread.
*/
#ifndef BM_WEB_H_INCLUDED
#define BM_WEB_H_INCLUDED

#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>

#define BM_WEB_DEFAULT_LISTEN   "127.0.0.1:8080"

typedef struct _bm_web_t bm_web_t;

//  What the gateway needs to ask the server; strings are copied
typedef struct {
    const char *server;         //  the server's request endpoint(s)
    zcert_t *cert;              //  the gateway's key pair (copied)
    const char *server_key;     //  the server's public key, Z85
    int timeout;                //  msecs per attempt of an API request
    const char *district;       //  the district shown when none is asked for
    const char *web_root;       //  the folder of index.html, wall.js, ...
} bm_web_config_t;

//  Listen on `listen` ("127.0.0.1:8080", "[::1]:8080"; port 0: any free
//  one) and serve. NULL on failure, with *error a sentence to free.
bm_web_t *
    bm_web_new (const char *listen, const bm_web_config_t *config, char **error);

//  Ends every stream, stops serving, frees
void
    bm_web_destroy (bm_web_t **self_p);

//  The port listened on
uint16_t
    bm_web_port (bm_web_t *self);

//  Sends an SSE message to every browser: `name` is its event name (NULL:
//  a plain message), `id` its id (0: none), `data` one line of JSON
void
    bm_web_broadcast (bm_web_t *self, const char *name, uint64_t id, const char *data);

//  Whether the gateway can follow the server's events, and why not; a
//  change is broadcast as an SSE "status" event and shown by /api/status
void
    bm_web_set_status (bm_web_t *self, bool connected, const char *reason);

//  Notes the last event followed (shown by /api/status)
void
    bm_web_set_last_event (bm_web_t *self, uint64_t seq, const char *at);

//  A comment to every stream, so that browsers that went away are noticed
//  (a suspended stream does not see its client leave)
void
    bm_web_keepalive (bm_web_t *self);

//  Browsers connected to /api/events
size_t
    bm_web_streams (bm_web_t *self);

#endif
