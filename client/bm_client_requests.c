/*  bm_client_requests: the envelopes bm_client builds: each request, sent
    with bm_client_request, the ids a request carries, and the TOO_LARGE
    answer made in place of the server's. */

#include "bm_client.h"
#include "bm_client_private.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <dirent.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>

//  The answer to a request the server's socket would drop without a word
//  (it closes the connection): TOO_LARGE, made here
Battlemap__Envelope *
bm_client_too_large (size_t size)
{
    char message [256];
    snprintf (message, sizeof message, _("the request is %zu bytes: over the limit of %d bytes"
              " a connection to the server takes (and the server refuses over %d); send less"
              " at once"), size, BM_SOCKET_MAX_MESSAGE, BM_MAX_MESSAGE);
    Battlemap__Error error = BATTLEMAP__ERROR__INIT;
    error.code = BATTLEMAP__ERROR_CODE__TOO_LARGE;
    error.message = message;
    Battlemap__Envelope reply = BATTLEMAP__ENVELOPE__INIT;
    reply.version = BM_PROTOCOL_VERSION;
    reply.body_case = BATTLEMAP__ENVELOPE__BODY_ERROR;
    reply.error = &error;
    zframe_t *packed = bm_wire_pack (&reply);
    Battlemap__Envelope *answer = battlemap__envelope__unpack (NULL, zframe_size (packed),
                                                               zframe_data (packed));
    zframe_destroy (&packed);
    return answer;
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
bm_client_report (bm_client_t *self, Battlemap__ReportKind kind, const char *district,
                  const char *period)
{
    Battlemap__ReportRequest report = BATTLEMAP__REPORT_REQUEST__INIT;
    report.kind = kind;
    report.district = (char *) district;
    report.period = (char *) period;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_REPORT;
    request.report = &report;
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
            *error = zsys_sprintf (_("cannot read folder %s"), paths [index]);
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
            *error = zsys_sprintf (_("cannot read %s"), name);
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
    //  The last id's time, in 1/4096 ms: the first 48 bits in ms, then 12
    //  bits of fraction (RFC 9562, method 3); one more than the last when
    //  the clock has not moved, so a thread's ids only grow
    static _Thread_local uint64_t s_last;
    struct timespec now;
    clock_gettime (CLOCK_REALTIME, &now);
    uint64_t msecs = (uint64_t) now.tv_sec * 1000 + (uint64_t) now.tv_nsec / 1000000;
    uint64_t stamp = msecs << 12 | ((uint64_t) now.tv_nsec % 1000000) * 4096 / 1000000;
    if (stamp <= s_last)
        stamp = s_last + 1;
    s_last = stamp;
    zuuid_t *uuid = zuuid_new ();
    byte bytes [16];
    memcpy (bytes, zuuid_data (uuid), 16);
    zuuid_destroy (&uuid);
    for (int index = 0; index < 6; index++)
        bytes [index] = (byte) (stamp >> (12 + 8 * (5 - index)));
    bytes [6] = (byte) (0x70 | ((stamp >> 8) & 0x0f));     //  version 7
    bytes [7] = (byte) stamp;
    bytes [8] = (bytes [8] & 0x3f) | 0x80;                  //  RFC 4122 variant
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
