/*  battlemap serve: the battle map on a screen (大屏), a subscriber-gateway.

    It follows the district's events with bm_follow (none missed; each one
    taken once it is handed to the browsers) and serves the page, the JSON
    API and the event stream with bm_web. One subscription, any number of
    browsers.
*/

#include "cli.h"
#include "bm_follow.h"
#include "bm_i18n.h"
#include "bm_json.h"
#include "bm_web.h"

#include <czmq.h>
#include <getopt.h>
#include <unistd.h>

#define S_TURN          250     //  msecs a bm_follow_recv waits at most
#define S_KEEPALIVE     15000   //  msecs between comments to every stream
#define S_API_TIMEOUT   5000    //  msecs per attempt of an API request, at most

#ifndef BM_WEB_BUILD_DIR
#   define BM_WEB_BUILD_DIR ""
#endif
#ifndef BM_WEB_INSTALL_DIR
#   define BM_WEB_INSTALL_DIR "/usr/local/share/battlemap/web"
#endif

static void
s_usage (FILE *out)
{
    fprintf (out, "%s", _(
        "usage: battlemap serve [--listen IP:PORT] [--district D] [--web-root DIR]\n"
        "                       [--state FILE]\n"
        "\n"
        "Serve the battle map on a screen (大屏): a page in a browser, updated live.\n"
        "It asks the server with this command's key (a subscriber's is enough: enrol\n"
        "it with --role subscriber --district D) and follows the district's events,\n"
        "pushing each one to every open page within a second.\n"
        "\n"
        "  --listen IP:PORT  where to serve HTTP (default 127.0.0.1:8080, this computer\n"
        "                    only; port 0: any free port). The address is printed.\n"
        "  --district D      the district shown (default qingpu)\n"
        "  --web-root DIR    the page's files (default $BATTLEMAP_WEB_ROOT, else the\n"
        "                    build's client/web, else the installed ones)\n"
        "  --state FILE      keep the position in the events in FILE (bm_follow)\n"
        "\n"
        "The page is /; /?kiosk=1 is a 16:9 wall (1920x1080 scaled to the screen,\n"
        "pages rotating); /?period=2023-06 shows a month. The JSON API: /api/wall,\n"
        "/api/ranking, /api/alerts, /api/report/timeliness,\n"
        "/api/report/forecast-accuracy, /api/history, /api/clock, /api/status, and\n"
        "/api/events (Server-Sent Events). See README.md.\n"));
}

static const char *
s_web_root (void)
{
    const char *root = getenv ("BATTLEMAP_WEB_ROOT");
    if (root && *root)
        return root;
    if (*BM_WEB_BUILD_DIR && access (BM_WEB_BUILD_DIR "/index.html", R_OK) == 0)
        return BM_WEB_BUILD_DIR;
    return BM_WEB_INSTALL_DIR;
}

//  Told when the server asks the follower to wait
static void
s_notify (void *arg, const char *sentence)
{
    fprintf (stderr, "battlemap serve: %s\n", sentence);
}

//  Follows the events until interrupted, handing each one to the browsers
static void
s_follow (bm_web_t *web, bm_follow_t *follow)
{
    int64_t keepalive = zclock_mono () + S_KEEPALIVE;
    bool connected = false;
    char *reported = NULL;          //  the last failure told on stderr
    while (!zsys_interrupted) {
        if (zclock_mono () >= keepalive) {
            bm_web_keepalive (web);
            keepalive = zclock_mono () + S_KEEPALIVE;
        }
        char *topic = NULL;
        Battlemap__Envelope *envelope = bm_follow_recv (follow, S_TURN, &topic);
        zstr_free (&topic);
        if (!envelope) {
            const char *error = bm_follow_error (follow);
            if (error) {
                char *reason = zsys_sprintf (_("the web wall cannot follow the server's "
                                               "events: %s"), error);
                if (!reported || !streq (reported, reason))
                    fprintf (stderr, "battlemap serve: %s\n", reason);
                zstr_free (&reported);
                reported = reason;
                bm_web_set_status (web, false, reason);
                connected = false;
                //  Asked again: a follower that failed retries
                for (int wait = 0; wait < 4 && !zsys_interrupted; wait++)
                    zclock_sleep (S_TURN);
            }
            else
            if (!connected) {
                bm_web_set_status (web, true, "");
                connected = true;
            }
            continue;
        }
        if (!connected) {
            bm_web_set_status (web, true, "");
            connected = true;
        }
        Battlemap__Event *event = envelope->event;
        char *json = bm_json_text (&event->base, false);
        bm_web_broadcast (web, NULL, event->seq, json);
        bm_web_set_last_event (web, event->seq, event->at);
        free (json);
        bm_wire_free (&envelope);
        //  In every browser's stream: taken
        if (bm_follow_ack (follow))
            fprintf (stderr, "battlemap serve: %s\n", bm_follow_error (follow));
    }
    zstr_free (&reported);
}

int
cli_serve (cli_context_t *context, int argc, char *argv [])
{
    const char *listen = BM_WEB_DEFAULT_LISTEN, *district = "qingpu";
    const char *web_root = NULL, *state = NULL;
    static const struct option options [] = {
        { "listen", required_argument, NULL, 'l' },
        { "district", required_argument, NULL, 'D' },
        { "web-root", required_argument, NULL, 'w' },
        { "state", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'l': listen = optarg; break;
            case 'D': district = optarg; break;
            case 'w': web_root = optarg; break;
            case 'f': state = optarg; break;
            case 'h': s_usage (stdout); return CLI_OK;
            default:  s_usage (stderr); return CLI_USAGE;
        }
    }
    if (optind < argc || !*district) {
        s_usage (stderr);
        return CLI_USAGE;
    }
    if (!web_root)
        web_root = s_web_root ();
    char *index = zsys_sprintf ("%s/index.html", web_root);
    bool found = access (index, R_OK) == 0;
    free (index);
    if (!found) {
        fprintf (stderr, _("battlemap serve: there is no index.html in %s; build the "
                           "project (cmake --build build) or give --web-root DIR\n"), web_root);
        return CLI_USAGE;
    }
    if (cli_keys (context))
        return CLI_USAGE;
    bm_web_config_t config = {
        .server = context->server, .cert = context->cert,
        .server_key = context->server_public,
        .timeout = context->timeout < S_API_TIMEOUT? context->timeout: S_API_TIMEOUT,
        .district = district, .web_root = web_root
    };
    char *error = NULL;
    bm_web_t *web = bm_web_new (listen, &config, &error);
    if (!web) {
        fprintf (stderr, "battlemap serve: %s\n", error);
        free (error);
        return CLI_USAGE;
    }
    char *prefixes [6];
    const char *kinds [] = { "completion", "figure", "alert", "notice", "deadline", "snapshot" };
    for (size_t kind = 0; kind < 6; kind++)
        prefixes [kind] = zsys_sprintf ("%s/%s/", kinds [kind], district);
    const char *list [7] = { prefixes [0], prefixes [1], prefixes [2], prefixes [3],
                             prefixes [4], prefixes [5], NULL };
    bm_follow_t *follow = bm_follow_new (context->server, context->events, context->cert,
                                         context->server_public, list, 0, true, state, 0);
    int rc = CLI_OK;
    if (follow) {
        bm_follow_set_timeout (follow, config.timeout, 2);
        bm_follow_set_notify (follow, s_notify, NULL);
        //  The address, for a person or a program to open
        char host [128];
        snprintf (host, sizeof host, "%s", listen);
        char *colon = strrchr (host, ':');
        *colon = 0;
        printf (_("battlemap serve: the web wall of %s is at http://%s:%u/ "
                  "(a 16:9 screen: http://%s:%u/?kiosk=1)\n"), district, host,
                bm_web_port (web), host, bm_web_port (web));
        fflush (stdout);
        s_follow (web, follow);
    }
    else {
        fprintf (stderr, "battlemap serve: '%s' or '%s' is not a valid endpoint (e.g. "
                 "tcp://127.0.0.1:7301 and tcp://127.0.0.1:7302)\n", context->server,
                 context->events);
        rc = CLI_USAGE;
    }
    bm_follow_destroy (&follow);
    bm_web_destroy (&web);
    for (size_t kind = 0; kind < 6; kind++)
        free (prefixes [kind]);
    return rc;
}
