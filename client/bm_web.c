/*  bm_web: the HTTP gateway: routing, the page's files, the event streams. */

#include "bm_web.h"
#include "bm_web_private.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <netdb.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>

#define S_RING          1024    //  messages a slow browser may fall behind
#define S_THREADS       4       //  threads serving connections
#define S_CONNECTIONS   8000    //  connections at once, browsers and API calls
#define S_STREAM_BLOCK  16384   //  bytes of a stream handed over at once

//  One browser's /api/events
typedef struct _s_stream_t {
    bm_web_t *web;
    struct MHD_Connection *connection;
    uint64_t next;              //  the next message of the ring to send
    size_t offset;              //  bytes of it already sent
    bool greeted;               //  the first lines (retry, status) are sent
    bool suspended;             //  waiting for a broadcast
    struct _s_stream_t *prev, *after;
} s_stream_t;

//  Structure of our class

struct _bm_web_t {
    struct MHD_Daemon *daemon;
    bm_web_config_t config;     //  its strings and key are ours
    pthread_mutex_t lock;       //  guards everything below
    char *ring [S_RING];        //  the last messages, each a whole SSE message
    uint64_t produced;          //  messages put in the ring so far
    s_stream_t *streams;        //  open streams, a list
    size_t stream_count;
    bool closing;               //  streams end at their next read
    bool connected;             //  following the server's events
    char *reason;               //  why not
    uint64_t last_seq;          //  the last event followed
    char *last_at;
};

//  ---------------------------------------------------------------------------
//  Answers

enum MHD_Result
bm_web_reply (struct MHD_Connection *connection, unsigned status, char *json)
{
    size_t size = strlen (json);
    struct MHD_Response *response =
        MHD_create_response_from_buffer (size, json, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header (response, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header (response, "Cache-Control", "no-store");
    enum MHD_Result result = MHD_queue_response (connection, status, response);
    MHD_destroy_response (response);
    return result;
}

enum MHD_Result
bm_web_error (struct MHD_Connection *connection, unsigned status, const char *code,
              const char *parameter, const char *message)
{
    json_object *object = json_object_new_object ();
    json_object_object_add (object, "error", json_object_new_string (message));
    json_object_object_add (object, "code", json_object_new_string (code));
    if (parameter)
        json_object_object_add (object, "parameter", json_object_new_string (parameter));
    char *text = strdup (json_object_to_json_string_ext (object, JSON_C_TO_STRING_PLAIN
                                                                 | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put (object);
    return bm_web_reply (connection, status, text);
}

const bm_web_config_t *
bm_web_config (bm_web_t *self)
{
    return &self->config;
}

//  The gateway's own state: the district, whether it follows the server
static enum MHD_Result
s_status (bm_web_t *self, struct MHD_Connection *connection)
{
    json_object *object = json_object_new_object ();
    pthread_mutex_lock (&self->lock);
    json_object_object_add (object, "district", json_object_new_string (self->config.district));
    json_object_object_add (object, "connected", json_object_new_boolean (self->connected));
    json_object_object_add (object, "reason", json_object_new_string (self->reason));
    json_object_object_add (object, "streams", json_object_new_int64 ((int64_t) self->stream_count));
    json_object_object_add (object, "last_seq", json_object_new_uint64 (self->last_seq));
    json_object_object_add (object, "last_at", json_object_new_string (self->last_at));
    pthread_mutex_unlock (&self->lock);
    json_object_object_add (object, "version", json_object_new_string (BM_VERSION));
    char *text = strdup (json_object_to_json_string_ext (object, JSON_C_TO_STRING_PLAIN
                                                                 | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put (object);
    return bm_web_reply (connection, MHD_HTTP_OK, text);
}

//  ---------------------------------------------------------------------------
//  The page's files, from the web root: one level, plain names only

static const char *
s_content_type (const char *name)
{
    const char *dot = strrchr (name, '.');
    return !dot? "application/octet-stream"
         : streq (dot, ".html")? "text/html; charset=utf-8"
         : streq (dot, ".js")? "text/javascript; charset=utf-8"
         : streq (dot, ".css")? "text/css; charset=utf-8"
         : streq (dot, ".svg")? "image/svg+xml"
         : streq (dot, ".png")? "image/png"
         : streq (dot, ".json")? "application/json": "application/octet-stream";
}

static enum MHD_Result
s_file (bm_web_t *self, struct MHD_Connection *connection, const char *url)
{
    if (streq (url, "/favicon.ico")) {
        struct MHD_Response *response = MHD_create_response_from_buffer (0, "",
                                                                         MHD_RESPMEM_PERSISTENT);
        enum MHD_Result result = MHD_queue_response (connection, MHD_HTTP_NO_CONTENT, response);
        MHD_destroy_response (response);
        return result;
    }
    const char *name = streq (url, "/")? "index.html": url + 1;
    bool plain = *name && *name != '.' && strlen (name) < 64;
    for (const char *c = name; plain && *c; c++)
        plain = isalnum ((unsigned char) *c) || *c == '.' || *c == '-' || *c == '_';
    char *path = plain? zsys_sprintf ("%s/%s", self->config.web_root, name): NULL;
    int fd = path? open (path, O_RDONLY | O_CLOEXEC): -1;
    struct stat info;
    if (fd >= 0 && (fstat (fd, &info) || !S_ISREG (info.st_mode))) {
        close (fd);
        fd = -1;
    }
    if (fd < 0) {
        char *message = zsys_sprintf (_("there is no page %s here; the wall is at /"), url);
        enum MHD_Result result = bm_web_error (connection, MHD_HTTP_NOT_FOUND, "not_found",
                                               NULL, message);
        free (message);
        free (path);
        return result;
    }
    free (path);
    struct MHD_Response *response = MHD_create_response_from_fd ((uint64_t) info.st_size, fd);
    MHD_add_response_header (response, "Content-Type", s_content_type (name));
    MHD_add_response_header (response, "Cache-Control", "no-cache");
    enum MHD_Result result = MHD_queue_response (connection, MHD_HTTP_OK, response);
    MHD_destroy_response (response);
    return result;
}

//  ---------------------------------------------------------------------------
//  Event streams

//  The status as an SSE message, to free; under the lock
static char *
s_status_message (bm_web_t *self)
{
    json_object *object = json_object_new_object ();
    json_object_object_add (object, "connected", json_object_new_boolean (self->connected));
    json_object_object_add (object, "reason", json_object_new_string (self->reason));
    char *message = zsys_sprintf ("event: status\ndata: %s\n\n",
        json_object_to_json_string_ext (object, JSON_C_TO_STRING_PLAIN
                                                | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put (object);
    return message;
}

//  Copies what fits of text from *offset; true when all of it is copied
static bool
s_copy (const char *text, size_t *offset, char *buffer, size_t max, size_t *written)
{
    size_t left = strlen (text) - *offset;
    size_t take = left < max - *written? left: max - *written;
    memcpy (buffer + *written, text + *offset, take);
    *written += take;
    *offset += take;
    return take == left;
}

static ssize_t
s_stream_read (void *cls, uint64_t position, char *buffer, size_t max)
{
    s_stream_t *stream = (s_stream_t *) cls;
    bm_web_t *self = stream->web;
    pthread_mutex_lock (&self->lock);
    if (self->closing) {
        pthread_mutex_unlock (&self->lock);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    size_t written = 0;
    if (!stream->greeted) {
        //  Small enough for any buffer MHD hands over
        char *status = s_status_message (self);
        char *greeting = zsys_sprintf ("retry: 2000\n\n%s", status);
        size_t offset = 0;
        s_copy (greeting, &offset, buffer, max, &written);
        free (greeting);
        free (status);
        stream->greeted = true;
        stream->next = self->produced;
    }
    //  Fallen behind the ring: what was lost is told, the page reloads
    if (self->produced - stream->next > S_RING) {
        stream->next = self->produced - S_RING;
        stream->offset = 0;
        const char *reset = "event: reset\ndata: {}\n\n";
        size_t offset = 0;
        if (!s_copy (reset, &offset, buffer, max, &written))
            written -= offset;
    }
    while (stream->next < self->produced && written < max) {
        if (s_copy (self->ring [stream->next % S_RING], &stream->offset, buffer, max, &written)) {
            stream->next++;
            stream->offset = 0;
        }
    }
    if (written == 0) {
        MHD_suspend_connection (stream->connection);
        stream->suspended = true;
    }
    pthread_mutex_unlock (&self->lock);
    return (ssize_t) written;
}

static void
s_stream_free (void *cls)
{
    s_stream_t *stream = (s_stream_t *) cls;
    bm_web_t *self = stream->web;
    pthread_mutex_lock (&self->lock);
    if (stream->prev)
        stream->prev->after = stream->after;
    else
        self->streams = stream->after;
    if (stream->after)
        stream->after->prev = stream->prev;
    self->stream_count--;
    pthread_mutex_unlock (&self->lock);
    free (stream);
}

static enum MHD_Result
s_events (bm_web_t *self, struct MHD_Connection *connection)
{
    s_stream_t *stream = (s_stream_t *) zmalloc (sizeof (s_stream_t));
    stream->web = self;
    stream->connection = connection;
    struct MHD_Response *response = MHD_create_response_from_callback (
        MHD_SIZE_UNKNOWN, S_STREAM_BLOCK, s_stream_read, stream, s_stream_free);
    pthread_mutex_lock (&self->lock);
    stream->after = self->streams;
    if (self->streams)
        self->streams->prev = stream;
    self->streams = stream;
    self->stream_count++;
    pthread_mutex_unlock (&self->lock);
    MHD_add_response_header (response, "Content-Type", "text/event-stream; charset=utf-8");
    MHD_add_response_header (response, "Cache-Control", "no-store");
    MHD_add_response_header (response, "X-Accel-Buffering", "no");
    enum MHD_Result result = MHD_queue_response (connection, MHD_HTTP_OK, response);
    MHD_destroy_response (response);
    return result;
}

//  Puts a whole SSE message into the ring and wakes every waiting stream;
//  takes message
static void
s_put (bm_web_t *self, char *message)
{
    pthread_mutex_lock (&self->lock);
    char **slot = self->ring + self->produced % S_RING;
    free (*slot);
    *slot = message;
    self->produced++;
    for (s_stream_t *stream = self->streams; stream; stream = stream->after)
        if (stream->suspended) {
            stream->suspended = false;
            MHD_resume_connection (stream->connection);
        }
    pthread_mutex_unlock (&self->lock);
}

//  ---------------------------------------------------------------------------
//  Routing

static enum MHD_Result
s_answer (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
          const char *version, const char *upload_data, size_t *upload_data_size,
          void **request_state)
{
    bm_web_t *self = (bm_web_t *) cls;
    if (!streq (method, "GET") && !streq (method, "HEAD"))
        return bm_web_error (connection, MHD_HTTP_METHOD_NOT_ALLOWED, "method",
                             NULL, _("the web wall only reads: use GET"));
    //  The first call sees the headers only; the answer comes on the second
    if (!*request_state) {
        *request_state = self;
        return MHD_YES;
    }
    if (streq (url, "/api/events"))
        return s_events (self, connection);
    if (streq (url, "/api/status"))
        return s_status (self, connection);
    if (strncmp (url, "/api/", 5) == 0)
        return bm_web_api_answer (self, connection, url);
    return s_file (self, connection, url);
}

//  ---------------------------------------------------------------------------

//  "host:port" or "[v6]:port" into an address; 0 or -1
static int
s_address (const char *listen, struct sockaddr_storage *address, socklen_t *size)
{
    char host [128];
    const char *colon = strrchr (listen, ':');
    if (!colon || colon == listen || (size_t) (colon - listen) >= sizeof host || !colon [1])
        return -1;
    const char *start = listen;
    size_t length = (size_t) (colon - listen);
    if (*start == '[' && colon [-1] == ']') {
        start++;
        length -= 2;
    }
    memcpy (host, start, length);
    host [length] = 0;
    char *end;
    long port = strtol (colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return -1;
    struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
                              .ai_socktype = SOCK_STREAM };
    struct addrinfo *found = NULL;
    if (getaddrinfo (host, colon + 1, &hints, &found) || !found)
        return -1;
    memcpy (address, found->ai_addr, found->ai_addrlen);
    *size = found->ai_addrlen;
    freeaddrinfo (found);
    return 0;
}

bm_web_t *
bm_web_new (const char *listen, const bm_web_config_t *config, char **error)
{
    struct sockaddr_storage address;
    socklen_t address_size;
    *error = NULL;
    if (s_address (listen, &address, &address_size)) {
        *error = zsys_sprintf (_("'%s' is not an address to listen on: give IP:PORT, e.g. "
                                 "127.0.0.1:8080 or [::1]:8080"), listen);
        return NULL;
    }
    bm_web_t *self = (bm_web_t *) zmalloc (sizeof (bm_web_t));
    pthread_mutex_init (&self->lock, NULL);
    self->config.server = strdup (config->server);
    self->config.cert = zcert_dup (config->cert);
    self->config.server_key = strdup (config->server_key);
    self->config.timeout = config->timeout;
    self->config.district = strdup (config->district);
    self->config.web_root = strdup (config->web_root);
    self->reason = strdup (_("connecting to the server"));
    self->last_at = strdup ("");
    //  No error log: a browser that goes away is no error
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME;
    if (address.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    self->daemon = MHD_start_daemon (flags, 0, NULL, NULL, s_answer, self,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &address,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned) S_THREADS,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned) S_CONNECTIONS,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned) 1024,
        MHD_OPTION_END);
    if (!self->daemon) {
        *error = zsys_sprintf (_("cannot listen on %s: %s; is another program using it? "
                                 "Choose another with --listen"), listen, strerror (errno));
        bm_web_destroy (&self);
        return NULL;
    }
    return self;
}

void
bm_web_destroy (bm_web_t **self_p)
{
    assert (self_p);
    bm_web_t *self = *self_p;
    if (!self)
        return;
    if (self->daemon) {
        //  Every stream is resumed to end: none may stay suspended when the
        //  daemon stops
        pthread_mutex_lock (&self->lock);
        self->closing = true;
        for (s_stream_t *stream = self->streams; stream; stream = stream->after)
            if (stream->suspended) {
                stream->suspended = false;
                MHD_resume_connection (stream->connection);
            }
        pthread_mutex_unlock (&self->lock);
        MHD_quiesce_daemon (self->daemon);
        for (int wait = 0; wait < 100 && bm_web_streams (self); wait++)
            zclock_sleep (10);
        MHD_stop_daemon (self->daemon);
    }
    for (size_t index = 0; index < S_RING; index++)
        free (self->ring [index]);
    free ((char *) self->config.server);
    zcert_destroy (&self->config.cert);
    free ((char *) self->config.server_key);
    free ((char *) self->config.district);
    free ((char *) self->config.web_root);
    free (self->reason);
    free (self->last_at);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

uint16_t
bm_web_port (bm_web_t *self)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info (self->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info? info->port: 0;
}

void
bm_web_broadcast (bm_web_t *self, const char *name, uint64_t id, const char *data)
{
    char event [64] = "", number [32] = "";
    if (name)
        snprintf (event, sizeof event, "event: %s\n", name);
    if (id)
        snprintf (number, sizeof number, "id: %llu\n", (unsigned long long) id);
    s_put (self, zsys_sprintf ("%s%sdata: %s\n\n", number, event, data));
}

void
bm_web_set_status (bm_web_t *self, bool connected, const char *reason)
{
    pthread_mutex_lock (&self->lock);
    bool changed = connected != self->connected || !streq (reason, self->reason);
    self->connected = connected;
    free (self->reason);
    self->reason = strdup (reason);
    char *message = changed? s_status_message (self): NULL;
    pthread_mutex_unlock (&self->lock);
    if (message)
        s_put (self, message);
}

void
bm_web_set_last_event (bm_web_t *self, uint64_t seq, const char *at)
{
    pthread_mutex_lock (&self->lock);
    self->last_seq = seq;
    free (self->last_at);
    self->last_at = strdup (at? at: "");
    pthread_mutex_unlock (&self->lock);
}

void
bm_web_keepalive (bm_web_t *self)
{
    s_put (self, strdup (": keepalive\n\n"));
}

size_t
bm_web_streams (bm_web_t *self)
{
    pthread_mutex_lock (&self->lock);
    size_t count = self->stream_count;
    pthread_mutex_unlock (&self->lock);
    return count;
}
