/*  bm_client: talk to battlemapd, for the command line and any other program. */

#include "bm_client.h"

#include <czmq.h>
#include <dirent.h>
#include <sys/stat.h>
#include <string.h>

//  Structure of our class

struct _bm_client_t {
    zsock_t *dealer;            //  to the server's ROUTER
    int timeout;                //  msecs per attempt
    int attempts;               //  in all
    uint64_t correlation;       //  of the last request sent
};

//  Makes a socket a CURVE client of the server
static void
s_secure (zsock_t *socket, zcert_t *cert, const char *server_key)
{
    if (cert)
        zcert_apply (cert, socket);
    if (server_key)
        zsock_set_curve_serverkey (socket, server_key);
}

bm_client_t *
bm_client_new (const char *endpoint, zcert_t *cert, const char *server_key)
{
    bm_client_t *self = (bm_client_t *) zmalloc (sizeof (bm_client_t));
    self->dealer = zsock_new (ZMQ_DEALER);
    self->timeout = 10000;
    self->attempts = 3;
    if (self->dealer)
        s_secure (self->dealer, cert, server_key);
    if (!self->dealer || zsock_connect (self->dealer, "%s", endpoint)) {
        bm_client_destroy (&self);
        return NULL;
    }
    zsock_set_linger (self->dealer, 0);
    zsock_set_maxmsgsize (self->dealer, BM_SOCKET_MAX_MESSAGE);
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
    zsock_destroy (&self->dealer);
    free (self);
    *self_p = NULL;
}

void
bm_client_set_timeout (bm_client_t *self, int msecs)
{
    self->timeout = msecs;
}

void
bm_client_set_attempts (bm_client_t *self, int attempts)
{
    self->attempts = attempts > 0? attempts: 1;
}

Battlemap__Envelope *
bm_client_request_raw (bm_client_t *self, const void *data, size_t size)
{
    uint64_t correlation = ++self->correlation;
    for (int attempt = 0; attempt < self->attempts && !zsys_interrupted; attempt++) {
        zmsg_t *message = zmsg_new ();
        zmsg_addmem (message, &correlation, sizeof correlation);
        zmsg_addmem (message, data, size);
        if (zmsg_send (&message, self->dealer)) {
            zmsg_destroy (&message);
            return NULL;
        }
        int64_t deadline = zclock_mono () + self->timeout;
        while (!zsys_interrupted) {
            int64_t remaining = deadline - zclock_mono ();
            if (remaining <= 0)
                break;
            zpoller_t *poller = zpoller_new (self->dealer, NULL);
            void *ready = zpoller_wait (poller, (int) remaining);
            zpoller_destroy (&poller);
            if (!ready)
                break;
            zmsg_t *reply = zmsg_recv (self->dealer);
            if (!reply)
                break;
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
    return NULL;
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

Battlemap__Envelope *
bm_client_submit (bm_client_t *self, Battlemap__Figure **figures, size_t count)
{
    Battlemap__SubmitRequest submit = BATTLEMAP__SUBMIT_REQUEST__INIT;
    submit.figures = figures;
    submit.n_figures = count;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_SUBMIT;
    request.submit = &submit;
    return bm_client_request (self, &request);
}

Battlemap__Envelope *
bm_client_wall (bm_client_t *self, const char *district, const char *period,
                const char *unit, bool all)
{
    Battlemap__WallRequest wall = BATTLEMAP__WALL_REQUEST__INIT;
    wall.district = (char *) district;
    wall.period = (char *) period;
    wall.unit = (char *) (unit? unit: "");
    wall.all = all;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_WALL;
    request.wall = &wall;
    return bm_client_request (self, &request);
}

Battlemap__Envelope *
bm_client_template (bm_client_t *self, const char *district, const char *unit,
                    const char *period)
{
    Battlemap__TemplateRequest template_ = BATTLEMAP__TEMPLATE_REQUEST__INIT;
    template_.district = (char *) district;
    template_.unit = (char *) unit;
    template_.period = (char *) period;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_TEMPLATE;
    request.template_ = &template_;
    return bm_client_request (self, &request);
}

Battlemap__Envelope *
bm_client_ranking (bm_client_t *self, const char *district, const char *period,
                   const char *indicator, const char *measure, const char *ranking,
                   uint32_t bottom)
{
    Battlemap__RankingRequest rank = BATTLEMAP__RANKING_REQUEST__INIT;
    rank.district = (char *) district;
    rank.period = (char *) period;
    rank.indicator = (char *) (indicator? indicator: "");
    rank.measure = (char *) (measure? measure: "");
    rank.ranking = (char *) (ranking? ranking: "");
    rank.bottom = bottom;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_RANKING;
    request.ranking = &rank;
    return bm_client_request (self, &request);
}

//  Appends the *.csv files of a folder, sorted, or the path itself
static int
s_collect (const char *path, zlistx_t *files)
{
    struct stat info;
    if (stat (path, &info) || !S_ISDIR (info.st_mode)) {
        zlistx_add_end (files, strdup (path));
        return 0;
    }
    DIR *dir = opendir (path);
    if (!dir)
        return -1;
    zlistx_t *names = zlistx_new ();
    zlistx_set_destructor (names, (zlistx_destructor_fn *) zstr_free);
    zlistx_set_comparator (names, (zlistx_comparator_fn *) strcmp);
    struct dirent *entry;
    while ((entry = readdir (dir))) {
        size_t length = strlen (entry->d_name);
        if (length > 4 && streq (entry->d_name + length - 4, ".csv"))
            zlistx_add_end (names, zsys_sprintf ("%s/%s", path, entry->d_name));
    }
    closedir (dir);
    zlistx_sort (names);
    for (char *name = zlistx_first (names); name; name = zlistx_next (names))
        zlistx_add_end (files, strdup (name));
    zlistx_destroy (&names);
    return 0;
}

Battlemap__Envelope *
bm_client_plan_load (bm_client_t *self, const char **paths, size_t count, char **error)
{
    zlistx_t *names = zlistx_new ();
    zlistx_set_destructor (names, (zlistx_destructor_fn *) zstr_free);
    for (size_t index = 0; index < count; index++)
        if (s_collect (paths [index], names)) {
            *error = zsys_sprintf ("cannot read folder %s", paths [index]);
            zlistx_destroy (&names);
            return NULL;
        }
    size_t total = zlistx_size (names);
    Battlemap__PlanFile *files = calloc (total? total: 1, sizeof *files);
    Battlemap__PlanFile **pointers = calloc (total? total: 1, sizeof *pointers);
    zchunk_t **chunks = calloc (total? total: 1, sizeof *chunks);
    size_t loaded = 0;
    *error = NULL;
    for (char *name = zlistx_first (names); name; name = zlistx_next (names)) {
        chunks [loaded] = zchunk_slurp (name, 0);
        if (!chunks [loaded]) {
            *error = zsys_sprintf ("cannot read %s", name);
            break;
        }
        battlemap__plan_file__init (files + loaded);
        const char *base = strrchr (name, '/');
        files [loaded].name = (char *) (base? base + 1: name);
        files [loaded].content.data = zchunk_data (chunks [loaded]);
        files [loaded].content.len = zchunk_size (chunks [loaded]);
        pointers [loaded] = files + loaded;
        loaded++;
    }
    Battlemap__Envelope *reply = NULL;
    if (!*error) {
        Battlemap__PlanLoadRequest load = BATTLEMAP__PLAN_LOAD_REQUEST__INIT;
        load.files = pointers;
        load.n_files = loaded;
        Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
        request.body_case = BATTLEMAP__ENVELOPE__BODY_PLAN_LOAD;
        request.plan_load = &load;
        reply = bm_client_request (self, &request);
    }
    for (size_t index = 0; index < loaded; index++)
        zchunk_destroy (&chunks [index]);
    free (chunks);
    free (pointers);
    free (files);
    zlistx_destroy (&names);
    return reply;
}

static void
s_format_uuid (const byte *bytes, char *id)
{
    char *hex = id;
    for (int index = 0; index < 16; index++) {
        if (index == 4 || index == 6 || index == 8 || index == 10)
            *hex++ = '-';
        hex += sprintf (hex, "%02x", bytes [index]);
    }
}

void
bm_client_new_id (char *id)
{
    zuuid_t *uuid = zuuid_new ();
    byte bytes [16];
    memcpy (bytes, zuuid_data (uuid), 16);
    zuuid_destroy (&uuid);
    bytes [6] = (bytes [6] & 0x0f) | 0x40;      //  version 4
    bytes [8] = (bytes [8] & 0x3f) | 0x80;      //  RFC 4122 variant
    s_format_uuid (bytes, id);
}

void
bm_client_content_id (const char *text, char *id)
{
    zdigest_t *digest = zdigest_new ();
    zdigest_update (digest, (const byte *) "battlemap-figure:", 17);
    zdigest_update (digest, (const byte *) text, strlen (text));
    byte bytes [16];
    memcpy (bytes, zdigest_data (digest), 16);
    zdigest_destroy (&digest);
    bytes [6] = (bytes [6] & 0x0f) | 0x50;      //  version 5 (name-based, SHA-1)
    bytes [8] = (bytes [8] & 0x3f) | 0x80;
    s_format_uuid (bytes, id);
}

//  ---------------------------------------------------------------------------
//  Watching events

struct _bm_watch_t {
    zsock_t *sub;               //  to the server's PUB
};

bm_watch_t *
bm_watch_new (const char *endpoint, const char *prefix, zcert_t *cert,
              const char *server_key)
{
    bm_watch_t *self = (bm_watch_t *) zmalloc (sizeof (bm_watch_t));
    self->sub = zsock_new (ZMQ_SUB);
    if (self->sub) {
        s_secure (self->sub, cert, server_key);
        zsock_set_maxmsgsize (self->sub, BM_SOCKET_MAX_MESSAGE);
        zsock_set_subscribe (self->sub, prefix? prefix: "");
    }
    if (!self->sub || zsock_connect (self->sub, "%s", endpoint)) {
        zsock_destroy (&self->sub);
        free (self);
        return NULL;
    }
    return self;
}

void
bm_watch_destroy (bm_watch_t **self_p)
{
    assert (self_p);
    bm_watch_t *self = *self_p;
    if (!self)
        return;
    zsock_destroy (&self->sub);
    free (self);
    *self_p = NULL;
}

Battlemap__Envelope *
bm_watch_recv (bm_watch_t *self, int timeout, char **topic)
{
    zsock_set_rcvtimeo (self->sub, timeout);
    while (!zsys_interrupted) {
        zmsg_t *message = zmsg_recv (self->sub);
        if (!message)
            return NULL;
        char *name = zmsg_popstr (message);
        zframe_t *body = zmsg_first (message);
        Battlemap__Envelope *envelope = body
            ? bm_wire_unpack (zframe_data (body), zframe_size (body)): NULL;
        zmsg_destroy (&message);
        if (envelope && envelope->body_case == BATTLEMAP__ENVELOPE__BODY_EVENT) {
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
