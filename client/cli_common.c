/*  cli_common: what the battlemap subcommands share. */

#include "cli.h"
#include "bm_keys.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <string.h>
#include <time.h>

int
cli_keys (cli_context_t *context)
{
    if (context->cert)
        return 0;
    if (!context->key_file || !context->server_key) {
        fprintf (stderr, _("battlemap: no key: give --key FILE and --server-key FILE (or set "
                 "BATTLEMAP_KEY and BATTLEMAP_SERVER_KEY); the bureau issues keys, see "
                 "README.md\n"));
        return -1;
    }
    context->cert = bm_keys_load_secret (context->key_file);
    if (!context->cert || bm_keys_public (context->server_key, context->server_public)) {
        fprintf (stderr, _("battlemap: cannot use the key %s with the server key %s\n"),
                 context->key_file, context->server_key);
        zcert_destroy (&context->cert);
        return -1;
    }
    return 0;
}

//  How the last request of a client from cli_connect failed. Commands
//  destroy their client before they call cli_check_reply, so the client
//  tells us (s_client_notify) and we keep it here.
static bm_client_failure_t s_failure;
static char *s_failure_text;
static bool s_maybe_delivered;

//  Retries and failovers are reported as they happen; a failure is kept for
//  cli_check_reply to explain
static void
s_client_notify (bm_client_t *client, const char *text, void *arg)
{
    bm_client_failure_t failure = bm_client_failure (client);
    if (failure == BM_CLIENT_FAILURE_NONE) {
        fprintf (stderr, _("battlemap: %s\n"), text);
        return;
    }
    s_failure = failure;
    free (s_failure_text);
    s_failure_text = strdup (text);
    s_maybe_delivered = bm_client_maybe_delivered (client);
}

bm_client_t *
cli_connect (cli_context_t *context)
{
    if (cli_keys (context))
        return NULL;
    bm_client_t *client = bm_client_new (context->server, context->cert,
                                         context->server_public);
    if (!client) {
        fprintf (stderr, _("battlemap: '%s' is not a valid endpoint (e.g. tcp://127.0.0.1:7301, "
                 "or several: tcp://10.0.0.1:7301,tcp://10.0.0.2:7301)\n"), context->server);
        return NULL;
    }
    bm_client_set_timeout (client, context->timeout);
    bm_client_set_notify (client, s_client_notify, NULL);
    return client;
}

//  Explains a request that got no reply; returns the exit code
static int
s_no_reply (const char *command)
{
    int rc = CLI_UNREACHABLE;
    const char *text = s_failure_text? s_failure_text: "";
    if (s_failure == BM_CLIENT_FAILURE_KEY_REFUSED) {
        fprintf (stderr, _("battlemap %s: %s\n"
                 "  check --key; the bureau enrols keys ('battlemap enroll')\n"), command, text);
        rc = CLI_KEY_REFUSED;
    }
    else
    if (s_failure == BM_CLIENT_FAILURE_HANDSHAKE) {
        fprintf (stderr, _("battlemap %s: the CURVE handshake failed: is --server-key the "
                 "server's key?\n  %s\n"), command, text);
        rc = CLI_KEY_REFUSED;
    }
    else
    if (s_failure == BM_CLIENT_FAILURE_NO_ANSWER)
        fprintf (stderr, _("battlemap %s: %s; is battlemapd running, and is --server right?\n"),
                 command, text);
    else
    if (s_failure == BM_CLIENT_FAILURE_INTERRUPTED)
        fprintf (stderr, _("battlemap %s: %s\n"), command, text);
    else
        fprintf (stderr, _("battlemap %s: no answer from the server; is battlemapd running, "
                 "and is --server right?\n"), command);
    //  Known not to have reached a server only when a monitor saw no
    //  handshake succeed
    fprintf (stderr, _("battlemap %s: %s; sending it again is safe: each figure carries its id "
             "and is stored once\n"), command,
             s_failure != BM_CLIENT_FAILURE_NONE && !s_maybe_delivered
             ? _("the request did not reach the server")
             : _("the request may have been carried out"));
    return rc;
}

int
cli_check_reply (const char *command, Battlemap__Envelope *reply,
                 Battlemap__Envelope__BodyCase expected)
{
    int rc = -1;
    if (!reply)
        rc = s_no_reply (command);
    s_failure = BM_CLIENT_FAILURE_NONE;
    zstr_free (&s_failure_text);
    if (rc >= 0)
        return rc;
    if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR) {
        Battlemap__Error *error = reply->error;
        fprintf (stderr, _("battlemap %s: refused (%s): %s\n"), command,
                 bm_wire_error_name (error->code), error->message);
        for (size_t index = 0; index < error->n_details; index++)
            fprintf (stderr, "  %s\n", error->details [index]);
        //  The client retried these for as long as its patience lasted
        if (error->code == BATTLEMAP__ERROR_CODE__UNAVAILABLE
        ||  error->code == BATTLEMAP__ERROR_CODE__RATE_LIMITED) {
            fprintf (stderr, _("battlemap %s: nothing was done; try again later\n"), command);
            return CLI_UNAVAILABLE;
        }
        return CLI_REFUSED;
    }
    if (reply->body_case != expected) {
        fprintf (stderr, _("battlemap %s: unexpected answer from the server\n"), command);
        return CLI_REFUSED;
    }
    return -1;
}

//  Decodes one UTF-8 sequence; returns its length (1 for a stray byte)
static int
s_decode (const unsigned char *text, unsigned *code)
{
    if (text [0] < 0x80) {
        *code = text [0];
        return 1;
    }
    int length = text [0] >= 0xf0? 4: text [0] >= 0xe0? 3: text [0] >= 0xc0? 2: 1;
    *code = text [0] & (0x7f >> length);
    for (int index = 1; index < length; index++) {
        if ((text [index] & 0xc0) != 0x80) {
            *code = 0xfffd;
            return index;
        }
        *code = (*code << 6) | (text [index] & 0x3f);
    }
    return length;
}

int
cli_display_width (const char *text)
{
    int width = 0;
    const unsigned char *p = (const unsigned char *) text;
    while (*p) {
        unsigned code;
        p += s_decode (p, &code);
        bool wide = (code >= 0x1100 && code <= 0x115f)
                 || (code >= 0x2e80 && code <= 0xa4cf)
                 || (code >= 0xac00 && code <= 0xd7a3)
                 || (code >= 0xf900 && code <= 0xfaff)
                 || (code >= 0xfe30 && code <= 0xfe4f)
                 || (code >= 0xff00 && code <= 0xff60)
                 || (code >= 0xffe0 && code <= 0xffe6)
                 || (code >= 0x20000 && code <= 0x3fffd);
        width += wide? 2: 1;
    }
    return width;
}

void
cli_print_padded (FILE *out, const char *text, int width, bool right)
{
    int pad = width - cli_display_width (text);
    if (right)
        for (int index = 0; index < pad; index++)
            fputc (' ', out);
    fputs (text, out);
    if (!right)
        for (int index = 0; index < pad; index++)
            fputc (' ', out);
}

void
cli_csv_field (FILE *out, const char *text, char separator)
{
    if (strpbrk (text, ",\"\r\n")) {
        fputc ('"', out);
        for (const char *p = text; *p; p++) {
            if (*p == '"')
                fputc ('"', out);
            fputc (*p, out);
        }
        fputc ('"', out);
    }
    else
        fputs (text, out);
    fputc (separator, out);
}

void
cli_default_period (bm_client_t *client, char *period)
{
    if (*period)
        return;
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    request.clock = &clock;
    Battlemap__Envelope *reply = client? bm_client_request (client, &request): NULL;
    if (reply && reply->body_case == BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY
    &&  strlen (reply->clock_reply->now) >= 7 && reply->clock_reply->now [4] == '-')
        snprintf (period, 8, "%.7s", reply->clock_reply->now);
    else
        cli_current_period (period);
    bm_wire_free (&reply);
}

void
cli_current_period (char *period)
{
    //  Asia/Shanghai is UTC+8 all year (no daylight saving)
    time_t now = time (NULL) + 8 * 3600;
    struct tm parts;
    gmtime_r (&now, &parts);
    snprintf (period, 8, "%04u-%02u", (unsigned) (parts.tm_year + 1900) % 10000u,
              (unsigned) (parts.tm_mon + 1) % 100u);
}
