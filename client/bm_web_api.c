/*  bm_web_api: the web wall's JSON API, one route a view of the command line.

    Each route names the query parameters it takes; any other, or a value
    of the wrong form, is answered 400 naming the parameter and the form.
    The request goes to the server with the gateway's key, on a client made
    for it (the API is served from several threads); the reply's view is
    turned into JSON by bm_json, so the API says what `--format json` says.
    A refusal of the server keeps its code and message: 404 for a district,
    unit, indicator or period it does not know, 403 outside the gateway's
    scope, 503 when it is unavailable or does not answer, 502 otherwise.
*/

#include "bm_web_private.h"
#include "bm_client.h"
#include "bm_json.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <ctype.h>
#include <string.h>

//  The parameters a query may carry
typedef struct {
    const char *district;
    char period [8];
    const char *unit;
    const char *indicator;
    const char *measure;
    const char *ranking;
    const char *severity;
    const char *rule;
    bool all, snapshot, resolved;
    uint32_t bottom;
} s_query_t;

typedef Battlemap__Envelope *(s_ask_fn) (bm_client_t *client, s_query_t *query,
                                         const char **missing);

typedef struct {
    const char *path;
    const char *parameters;     //  the names it takes, space-separated
    s_ask_fn *ask;
    Battlemap__Envelope__BodyCase expected;
    bool month;                 //  without a period: the server's month
} s_route_t;

//  ---------------------------------------------------------------------------
//  The views

static Battlemap__Envelope *
s_ask_wall (bm_client_t *client, s_query_t *query, const char **missing)
{
    Battlemap__WallRequest wall = BATTLEMAP__WALL_REQUEST__INIT;
    wall.district = (char *) query->district;
    wall.period = query->period;
    wall.unit = (char *) (query->unit? query->unit: "");
    wall.all = query->all;
    wall.snapshot = query->snapshot;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_WALL;
    request.wall = &wall;
    return bm_client_request (client, &request);
}

static Battlemap__Envelope *
s_ask_ranking (bm_client_t *client, s_query_t *query, const char **missing)
{
    if (!query->indicator == !query->ranking) {
        *missing = "indicator";
        return NULL;
    }
    return bm_client_ranking (client, query->district, query->period, query->indicator,
                              query->measure, query->ranking, query->bottom);
}

static Battlemap__Envelope *
s_ask_alerts (bm_client_t *client, s_query_t *query, const char **missing)
{
    Battlemap__AlertRequest alert = BATTLEMAP__ALERT_REQUEST__INIT;
    alert.action = BATTLEMAP__ALERT_ACTION__LIST_ALERTS;
    alert.district = (char *) query->district;
    alert.unit = (char *) (query->unit? query->unit: "");
    alert.indicator = (char *) (query->indicator? query->indicator: "");
    alert.period = query->period;
    alert.severity = (char *) (query->severity? query->severity: "");
    alert.rule = (char *) (query->rule? query->rule: "");
    alert.resolved = query->resolved;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_ALERT;
    request.alert = &alert;
    return bm_client_request (client, &request);
}

static Battlemap__Envelope *
s_ask_timeliness (bm_client_t *client, s_query_t *query, const char **missing)
{
    return bm_client_report (client, BATTLEMAP__REPORT_KIND__TIMELINESS, query->district,
                             query->period);
}

static Battlemap__Envelope *
s_ask_accuracy (bm_client_t *client, s_query_t *query, const char **missing)
{
    return bm_client_report (client, BATTLEMAP__REPORT_KIND__FORECAST_ACCURACY,
                             query->district, query->period);
}

static Battlemap__Envelope *
s_ask_history (bm_client_t *client, s_query_t *query, const char **missing)
{
    if (!query->unit || !query->indicator) {
        *missing = query->unit? "indicator": "unit";
        return NULL;
    }
    Battlemap__HistoryRequest history = BATTLEMAP__HISTORY_REQUEST__INIT;
    history.district = (char *) query->district;
    history.unit = (char *) query->unit;
    history.indicator = (char *) query->indicator;
    history.measure = (char *) (query->measure? query->measure: "");
    history.period = query->period;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_HISTORY;
    request.history = &history;
    return bm_client_request (client, &request);
}

//  The server's clock (the page's default month is the server's)
static Battlemap__Envelope *
s_ask_clock (bm_client_t *client, s_query_t *query, const char **missing)
{
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    request.clock = &clock;
    return bm_client_request (client, &request);
}

static const s_route_t s_routes [] = {
    { "/api/wall", "district period unit all snapshot", s_ask_wall,
      BATTLEMAP__ENVELOPE__BODY_WALL_REPLY, true },
    { "/api/ranking", "district period indicator measure ranking bottom", s_ask_ranking,
      BATTLEMAP__ENVELOPE__BODY_RANKING_REPLY, true },
    { "/api/alerts", "district period unit indicator severity rule resolved", s_ask_alerts,
      BATTLEMAP__ENVELOPE__BODY_ALERT_REPLY, false },
    { "/api/report/timeliness", "district period", s_ask_timeliness,
      BATTLEMAP__ENVELOPE__BODY_REPORT_REPLY, true },
    { "/api/report/forecast-accuracy", "district period", s_ask_accuracy,
      BATTLEMAP__ENVELOPE__BODY_REPORT_REPLY, true },
    { "/api/history", "district period unit indicator measure", s_ask_history,
      BATTLEMAP__ENVELOPE__BODY_HISTORY_REPLY, true },
    { "/api/clock", "", s_ask_clock, BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY, false },
    { NULL, NULL, NULL, 0, false }
};

//  ---------------------------------------------------------------------------
//  Parameters

typedef struct {
    const s_route_t *route;
    s_query_t *query;
    const char *bad;            //  the first bad parameter
    const char *form;           //  what it should be, untranslated
} s_parse_t;

static bool
s_is_code (const char *value)
{
    if (!*value || strlen (value) > 64)
        return false;
    for (const char *c = value; *c; c++)
        if (!isalnum ((unsigned char) *c) && *c != '-' && *c != '_' && *c != '.')
            return false;
    return true;
}

static bool
s_is_period (const char *value)
{
    return strlen (value) == 7 && isdigit ((unsigned char) value [0])
        && isdigit ((unsigned char) value [1]) && isdigit ((unsigned char) value [2])
        && isdigit ((unsigned char) value [3]) && value [4] == '-'
        && ((value [5] == '0' && value [6] >= '1' && value [6] <= '9')
         || (value [5] == '1' && value [6] >= '0' && value [6] <= '2'));
}

static bool
s_flag (const char *value, bool *flag)
{
    if (streq (value, "1") || streq (value, "true") || !*value)
        *flag = true;
    else
    if (streq (value, "0") || streq (value, "false"))
        *flag = false;
    else
        return false;
    return true;
}

//  A name among the space-separated names
static bool
s_among (const char *names, const char *name)
{
    size_t length = strlen (name);
    for (const char *at = strstr (names, name); at; at = strstr (at + 1, name))
        if ((at == names || at [-1] == ' ') && (at [length] == ' ' || !at [length]))
            return true;
    return false;
}

static enum MHD_Result
s_parameter (void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    s_parse_t *parse = (s_parse_t *) cls;
    s_query_t *query = parse->query;
    value = value? value: "";
    const char *form = NULL;
    if (!s_among (parse->route->parameters, key)) {
        if (!parse->bad)
            parse->bad = key;
        return MHD_NO;
    }
    else
    if (streq (key, "period")) {
        if (s_is_period (value))
            snprintf (query->period, sizeof query->period, "%s", value);
        else
            form = N_("a month YYYY-MM, e.g. 2023-06");
    }
    else
    if (streq (key, "district") || streq (key, "indicator") || streq (key, "measure")
    ||  streq (key, "ranking")) {
        if (!s_is_code (value) && !(streq (key, "ranking") && *value && strlen (value) < 128))
            form = N_("a code of the plan: letters, digits, - _ . (e.g. industrial-output)");
        else
        if (streq (key, "district"))
            query->district = value;
        else
        if (streq (key, "indicator"))
            query->indicator = value;
        else
        if (streq (key, "measure"))
            query->measure = value;
        else
            query->ranking = value;
    }
    else
    if (streq (key, "unit")) {
        if (*value && strlen (value) < 128)
            query->unit = value;
        else
            form = N_("a unit's name as the plan writes it, e.g. 赵巷镇");
    }
    else
    if (streq (key, "severity")) {
        if (streq (value, "info") || streq (value, "warning") || streq (value, "critical"))
            query->severity = value;
        else
            form = N_("info, warning or critical");
    }
    else
    if (streq (key, "rule")) {
        if (s_is_code (value))
            query->rule = value;
        else
            form = N_("a rule: lagging, trajectory, report_due, report_overdue, bottom_rank "
                      "or text_overdue");
    }
    else
    if (streq (key, "bottom")) {
        char *end;
        long bottom = strtol (value, &end, 10);
        if (*value && !*end && bottom >= 0 && bottom <= 100)
            query->bottom = (uint32_t) bottom;
        else
            form = N_("a number of units, 0 to 100");
    }
    else {
        bool *flag = streq (key, "all")? &query->all
                   : streq (key, "snapshot")? &query->snapshot: &query->resolved;
        if (!s_flag (value, flag))
            form = N_("1 or 0");
    }
    if (form && !parse->bad) {
        parse->bad = key;
        parse->form = form;
    }
    return form? MHD_NO: MHD_YES;
}

//  ---------------------------------------------------------------------------
//  Asking the server

//  The server's month, into query->period; 0, or -1 with no answer
static int
s_server_period (bm_client_t *client, s_query_t *query)
{
    const char *missing = NULL;
    Battlemap__Envelope *reply = s_ask_clock (client, query, &missing);
    int rc = -1;
    if (reply && reply->body_case == BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY
    &&  strlen (reply->clock_reply->now) >= 7) {
        snprintf (query->period, sizeof query->period, "%.7s", reply->clock_reply->now);
        rc = 0;
    }
    bm_wire_free (&reply);
    return rc;
}

//  The server's error code in lower case ("unknown_unit")
static void
s_lower (const char *name, char *lower, size_t size)
{
    size_t index = 0;
    for (; name [index] && index + 1 < size; index++)
        lower [index] = (char) tolower ((unsigned char) name [index]);
    lower [index] = 0;
}

static enum MHD_Result
s_refused (struct MHD_Connection *connection, const Battlemap__Error *error)
{
    Battlemap__ErrorCode code = error->code;
    unsigned status = code == BATTLEMAP__ERROR_CODE__UNKNOWN_DISTRICT
                   || code == BATTLEMAP__ERROR_CODE__UNKNOWN_UNIT
                   || code == BATTLEMAP__ERROR_CODE__UNKNOWN_INDICATOR
                   || code == BATTLEMAP__ERROR_CODE__UNKNOWN_MEASURE
                   || code == BATTLEMAP__ERROR_CODE__PERIOD_OUTSIDE_PLAN
                   || code == BATTLEMAP__ERROR_CODE__NO_TARGET? MHD_HTTP_NOT_FOUND
                   : code == BATTLEMAP__ERROR_CODE__MALFORMED? MHD_HTTP_BAD_REQUEST
                   : code == BATTLEMAP__ERROR_CODE__NOT_ALLOWED? MHD_HTTP_FORBIDDEN
                   : code == BATTLEMAP__ERROR_CODE__UNAVAILABLE
                  || code == BATTLEMAP__ERROR_CODE__RATE_LIMITED? MHD_HTTP_SERVICE_UNAVAILABLE
                   : MHD_HTTP_BAD_GATEWAY;
    char name [64];
    s_lower (bm_wire_error_name (code), name, sizeof name);
    json_object *object = json_object_new_object ();
    json_object_object_add (object, "error", json_object_new_string (error->message));
    json_object_object_add (object, "code", json_object_new_string ("server_refused"));
    json_object_object_add (object, "server_code", json_object_new_string (name));
    json_object *details = json_object_new_array ();
    for (size_t index = 0; index < error->n_details; index++)
        json_object_array_add (details, json_object_new_string (error->details [index]));
    json_object_object_add (object, "details", details);
    char *text = strdup (json_object_to_json_string_ext (object, JSON_C_TO_STRING_PLAIN
                                                                 | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put (object);
    return bm_web_reply (connection, status, text);
}

//  No reply: the server is away, or refuses the gateway's key
static enum MHD_Result
s_no_reply (struct MHD_Connection *connection, bm_client_t *client)
{
    bm_client_failure_t failure = bm_client_failure (client);
    bool key = failure == BM_CLIENT_FAILURE_KEY_REFUSED
            || failure == BM_CLIENT_FAILURE_HANDSHAKE;
    char *message = zsys_sprintf ("%s: %s", key
        ? _("the server refuses the web wall's key; enrol it as a subscriber "
            "(battlemap enroll --role subscriber) or check --server-key")
        : _("the server does not answer; is battlemapd running, and is --server right?"),
        bm_client_failure_text (client));
    enum MHD_Result result = bm_web_error (connection, key? MHD_HTTP_BAD_GATEWAY
                                                          : MHD_HTTP_SERVICE_UNAVAILABLE,
                                           key? "key_refused": "server_unreachable",
                                           NULL, message);
    free (message);
    return result;
}

//  The view of the reply as JSON; the clock's gets its period too
static char *
s_view_json (Battlemap__Envelope *reply)
{
    const ProtobufCMessage *view = NULL;
    switch (reply->body_case) {
        case BATTLEMAP__ENVELOPE__BODY_WALL_REPLY:    view = &reply->wall_reply->base; break;
        case BATTLEMAP__ENVELOPE__BODY_RANKING_REPLY: view = &reply->ranking_reply->base; break;
        case BATTLEMAP__ENVELOPE__BODY_ALERT_REPLY:   view = &reply->alert_reply->base; break;
        case BATTLEMAP__ENVELOPE__BODY_REPORT_REPLY:  view = &reply->report_reply->base; break;
        case BATTLEMAP__ENVELOPE__BODY_HISTORY_REPLY: view = &reply->history_reply->base; break;
        case BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY:   view = &reply->clock_reply->base; break;
        default: return NULL;
    }
    json_object *object = bm_json_from_message (view);
    if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY)
        json_object_object_add (object, "period",
                                json_object_new_string_len (reply->clock_reply->now,
                                    strlen (reply->clock_reply->now) >= 7? 7: 0));
    char *text = strdup (json_object_to_json_string_ext (object, JSON_C_TO_STRING_PLAIN
                                                                 | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put (object);
    return text;
}

enum MHD_Result
bm_web_api_answer (bm_web_t *self, struct MHD_Connection *connection, const char *url)
{
    const s_route_t *route = s_routes;
    while (route->path && !streq (route->path, url))
        route++;
    if (!route->path) {
        char *message = zsys_sprintf (_("there is no view %s; the views are /api/wall, "
            "/api/ranking, /api/alerts, /api/report/timeliness, "
            "/api/report/forecast-accuracy, /api/history, /api/clock, /api/status and "
            "/api/events"), url);
        enum MHD_Result result = bm_web_error (connection, MHD_HTTP_NOT_FOUND, "not_found",
                                               NULL, message);
        free (message);
        return result;
    }
    const bm_web_config_t *config = bm_web_config (self);
    s_query_t query = { .district = config->district };
    s_parse_t parse = { .route = route, .query = &query };
    MHD_get_connection_values (connection, MHD_GET_ARGUMENT_KIND, s_parameter, &parse);
    if (parse.bad) {
        char *message = parse.form
            ? zsys_sprintf (_("the parameter %s of %s must be %s"), parse.bad, url, _(parse.form))
            : zsys_sprintf (_("%s takes no parameter %s; it takes: %s"), url, parse.bad,
                            route->parameters);
        enum MHD_Result result = bm_web_error (connection, MHD_HTTP_BAD_REQUEST,
                                               "bad_parameter", parse.bad, message);
        free (message);
        return result;
    }
    bm_client_t *client = bm_client_new (config->server, config->cert, config->server_key);
    if (!client)
        return bm_web_error (connection, MHD_HTTP_INTERNAL_SERVER_ERROR, "endpoint", NULL,
                             _("the web wall's --server is not a valid endpoint"));
    bm_client_set_timeout (client, config->timeout);
    bm_client_set_attempts (client, 2);
    bm_client_set_patience (client, config->timeout);
    enum MHD_Result result;
    const char *missing = NULL;
    Battlemap__Envelope *reply = NULL;
    bool asked = *query.period || !route->month || s_server_period (client, &query) == 0;
    if (asked)
        reply = route->ask (client, &query, &missing);
    if (missing) {
        char *message = zsys_sprintf (_("%s needs the parameter %s"), url, missing);
        result = bm_web_error (connection, MHD_HTTP_BAD_REQUEST, "bad_parameter", missing,
                               message);
        free (message);
    }
    else
    if (!reply)
        result = s_no_reply (connection, client);
    else
    if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR)
        result = s_refused (connection, reply->error);
    else
    if (reply->body_case != route->expected)
        result = bm_web_error (connection, MHD_HTTP_BAD_GATEWAY, "unexpected", NULL,
                               _("the server answered with something else than was asked"));
    else
        result = bm_web_reply (connection, MHD_HTTP_OK, s_view_json (reply));
    bm_wire_free (&reply);
    bm_client_destroy (&client);
    return result;
}
