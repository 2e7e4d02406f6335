/*  Under faults, no client hangs: a key the server refuses (never enrolled,
    or revoked), a wrong server key, no server listening, a stopped server,
    a server that says it is unavailable. Every command gives up within
    timeout x attempts (plus a little), says why, and tells the refused key
    from the wrong server key from the silent server. With several
    endpoints, a client fails over to the one that answers.

    Every run of the command has a watchdog (S_WATCHDOG): the old client
    waited forever on a refused key, and this test must fail, not hang.
    The measured seconds are printed. */

#include "harness.h"
#include "bm_keys.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define S_WATCHDOG      20000   //  msecs: a command still running then has hung
#define S_BOUND         6.0     //  secs: --timeout 1000, three attempts, and a margin
#define S_ALARM         30      //  secs: a library call still running then has hung

//  Exit codes of the battlemap command (client/cli.h)
#define S_EXIT_UNREACHABLE  3
#define S_EXIT_UNAVAILABLE  4
#define S_EXIT_KEY_REFUSED  5

static harness_t *s_server;
static char *s_folder;          //  the clients' key files
static char *s_admin_key;       //  the administrator's key file
static char *s_server_cert;     //  the server's certificate file

static int
s_setup (void **state)
{
    s_server = harness_start (NULL, true);
    s_folder = zsys_sprintf ("%s/client-keys", s_server->datadir);
    s_admin_key = zsys_sprintf ("%s/admin.cert", s_server->keys);
    s_server_cert = zsys_sprintf ("%s/server.cert", s_server->keys);
    return 0;
}

static int
s_teardown (void **state)
{
    harness_stop (&s_server, false);
    zstr_free (&s_folder);
    zstr_free (&s_admin_key);
    zstr_free (&s_server_cert);
    return 0;
}

static double
s_seconds_since (int64_t start)
{
    return (double) (zclock_mono () - start) / 1000.0;
}

//  Runs the battlemap command with exactly these arguments (NULL-ended);
//  stdout and stderr together in *output (caller frees), the time taken in
//  *seconds. Returns the exit status, or -1 when the watchdog killed it.
static int
s_run (char **output, double *seconds, const char *arg, ...)
{
    const char *argv [40];
    int argc = 0;
    argv [argc++] = getenv ("BATTLEMAP");
    assert_non_null (argv [0]);
    va_list args;
    va_start (args, arg);
    for (const char *next = arg; next && argc < 39; next = va_arg (args, const char *))
        argv [argc++] = next;
    va_end (args);
    argv [argc] = NULL;

    int64_t start = zclock_mono ();
    int status = harness_run (argv, S_WATCHDOG, output);
    *seconds = s_seconds_since (start);
    return status;
}

static void
s_assert_says (const char *output, const char *text)
{
    if (!strstr (output, text))
        fail_msg ("expected \"%s\" in:\n%s", text, output);
}

//  A port on 127.0.0.1 where nothing listens: bound, never listening, so
//  that no one else takes it while the test runs; close the socket after
static int
s_dead_port (int *port)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    assert_true (fd >= 0);
    struct sockaddr_in address = { .sin_family = AF_INET };
    address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    assert_int_equal (bind (fd, (struct sockaddr *) &address, sizeof address), 0);
    socklen_t length = sizeof address;
    assert_int_equal (getsockname (fd, (struct sockaddr *) &address, &length), 0);
    *port = ntohs (address.sin_port);
    return fd;
}

//  Enrols or revokes a key as the administrator
static void
s_identity (Battlemap__IdentityAction action, const char *public_key)
{
    char *units [] = { "赵巷镇" };
    Battlemap__IdentityRequest identity = BATTLEMAP__IDENTITY_REQUEST__INIT;
    identity.action = action;
    identity.public_key = (char *) public_key;
    if (action == BATTLEMAP__IDENTITY_ACTION__ENROLL) {
        identity.name = "赵巷镇统计员";
        identity.role = "submitter";
        identity.district = "qingpu";
        identity.units = units;
        identity.n_units = 1;
    }
    else
        identity.reason = "test of a revoked key";
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_IDENTITY;
    request.identity = &identity;
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    if (!reply || reply->body_case != BATTLEMAP__ENVELOPE__BODY_IDENTITY_REPLY)
        fail_msg ("identity request refused: %s",
                  reply && reply->error? reply->error->message: "no reply");
    bm_wire_free (&reply);
}

//  `battlemap template` with this key and server, one second per attempt
static int
s_template (char **output, double *seconds, const char *server, const char *key,
            const char *server_key)
{
    return s_run (output, seconds, "--server", server, "--timeout", "1000",
                  "--key", key, "--server-key", server_key,
                  "template", "--district", "qingpu", "--unit", "赵巷镇",
                  "--period", "2023-05", NULL);
}

static Battlemap__Envelope *
s_wall (bm_client_t *client)
{
    return bm_client_wall (client, "qingpu", "2023-05", "赵巷镇", false);
}

//  ---------------------------------------------------------------------------
//  (i) A key never enrolled

static void
test_unknown_key_is_refused_in_time (void **state)
{
    zcert_t *stranger = bm_keys_create (s_folder, "stranger");
    assert_non_null (stranger);
    char *key = zsys_sprintf ("%s/stranger.cert", s_folder);
    char *output;
    double seconds;
    int rc = s_template (&output, &seconds, s_server->router, key, s_server_cert);
    printf ("    unknown key: exit %d after %.2f s\n", rc, seconds);
    s_assert_says (output, "the server refused our key: it is not enrolled, or has been revoked");
    s_assert_says (output, zcert_public_txt (stranger));
    s_assert_says (output, "sending it again is safe");
    assert_int_equal (rc, S_EXIT_KEY_REFUSED);
    assert_true (seconds < S_BOUND);
    free (output);

    //  The library says the same
    bm_client_t *client = harness_client_as (s_server, stranger);
    bm_client_set_timeout (client, 1000);
    bm_client_set_attempts (client, 3);
    alarm (S_ALARM);
    int64_t start = zclock_mono ();
    Battlemap__Envelope *reply = s_wall (client);
    seconds = s_seconds_since (start);
    alarm (0);
    printf ("    unknown key, library: %.2f s\n", seconds);
    assert_null (reply);
    assert_int_equal (bm_client_failure (client), BM_CLIENT_FAILURE_KEY_REFUSED);
    assert_false (bm_client_maybe_delivered (client));
    assert_non_null (strstr (bm_client_failure_text (client), "refused our key"));
    assert_true (seconds < S_BOUND);
    bm_client_destroy (&client);
    free (key);
    zcert_destroy (&stranger);
}

//  ---------------------------------------------------------------------------
//  (ii) A revoked key: on a new connection, and on one open before

static void
test_revoked_key_is_refused_in_time (void **state)
{
    zcert_t *town = bm_keys_create (s_folder, "revoked");
    assert_non_null (town);
    char *key = zsys_sprintf ("%s/revoked.cert", s_folder);
    s_identity (BATTLEMAP__IDENTITY_ACTION__ENROLL, zcert_public_txt (town));
    char *output;
    double seconds;
    int rc = s_template (&output, &seconds, s_server->router, key, s_server_cert);
    if (rc != 0)
        fail_msg ("an enrolled key could not ask for its template: %s", output);
    free (output);

    //  A connection that is open when the key is revoked
    bm_client_t *client = harness_client_as (s_server, town);
    bm_client_set_timeout (client, 1000);
    bm_client_set_attempts (client, 3);
    Battlemap__Envelope *reply = s_wall (client);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    bm_wire_free (&reply);

    s_identity (BATTLEMAP__IDENTITY_ACTION__REVOKE, zcert_public_txt (town));

    //  Its next requests: refused, in time, whether by an error reply on the
    //  open connection or by the handshake of a new one
    for (int round = 0; round < 2; round++) {
        alarm (S_ALARM);
        int64_t start = zclock_mono ();
        reply = s_wall (client);
        seconds = s_seconds_since (start);
        alarm (0);
        printf ("    revoked key, open connection, request %d: %s after %.2f s\n", round + 1,
                reply? "error reply": bm_client_failure_text (client), seconds);
        if (reply) {
            assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ERROR);
            assert_int_equal (reply->error->code, BATTLEMAP__ERROR_CODE__NOT_ALLOWED);
            assert_non_null (strstr (reply->error->message, "revoked"));
            bm_wire_free (&reply);
        }
        else
            assert_int_equal (bm_client_failure (client), BM_CLIENT_FAILURE_KEY_REFUSED);
        assert_true (seconds < S_BOUND);
    }
    bm_client_destroy (&client);

    //  A new connection, from the command line
    rc = s_template (&output, &seconds, s_server->router, key, s_server_cert);
    printf ("    revoked key: exit %d after %.2f s\n", rc, seconds);
    s_assert_says (output, "the server refused our key: it is not enrolled, or has been revoked");
    assert_int_equal (rc, S_EXIT_KEY_REFUSED);
    assert_true (seconds < S_BOUND);
    free (output);
    free (key);
    zcert_destroy (&town);
}

//  ---------------------------------------------------------------------------
//  (iii) A wrong --server-key

static void
test_wrong_server_key_is_told_apart (void **state)
{
    zcert_t *impostor = zcert_new ();
    char *output;
    double seconds;
    int rc = s_template (&output, &seconds, s_server->router, s_admin_key,
                         zcert_public_txt (impostor));
    printf ("    wrong server key: exit %d after %.2f s\n", rc, seconds);
    s_assert_says (output, "the CURVE handshake failed: is --server-key the server's key?");
    s_assert_says (output, "sending it again is safe");
    assert_null (strstr (output, "refused our key"));
    assert_null (strstr (output, "no answer"));
    assert_int_equal (rc, S_EXIT_KEY_REFUSED);
    assert_true (seconds < S_BOUND);
    free (output);
    zcert_destroy (&impostor);
}

//  ---------------------------------------------------------------------------
//  (iv) Nothing listening

static void
test_no_server_listening (void **state)
{
    int port;
    int fd = s_dead_port (&port);
    char *endpoint = zsys_sprintf ("tcp://127.0.0.1:%d", port);
    char *output;
    double seconds;
    int rc = s_template (&output, &seconds, endpoint, s_admin_key, s_server_cert);
    printf ("    no server listening: exit %d after %.2f s\n", rc, seconds);
    char *expected = zsys_sprintf ("no answer from the server at %s in", endpoint);
    s_assert_says (output, expected);
    s_assert_says (output, "nothing accepts connections there");
    s_assert_says (output, "sending it again is safe: each figure carries its id "
                           "and is stored once");
    assert_int_equal (rc, S_EXIT_UNREACHABLE);
    //  Three attempts of a second each, no more
    assert_true (seconds >= 2.9);
    assert_true (seconds < S_BOUND);
    free (expected);
    free (output);
    free (endpoint);
    close (fd);
}

//  ---------------------------------------------------------------------------
//  (v) The server stopped (SIGSTOP) past the timeout, then continued

static void
test_stopped_server (void **state)
{
    //  A library connection made before the stop
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = s_wall (client);
    assert_non_null (reply);
    bm_wire_free (&reply);

    assert_int_equal (kill (s_server->pid, SIGSTOP), 0);
    char *output;
    double seconds;
    int rc = s_template (&output, &seconds, s_server->router, s_admin_key, s_server_cert);
    bm_client_set_timeout (client, 1000);
    bm_client_set_attempts (client, 2);
    alarm (S_ALARM);
    int64_t start = zclock_mono ();
    reply = s_wall (client);
    double library_seconds = s_seconds_since (start);
    alarm (0);
    bm_client_failure_t failure = bm_client_failure (client);
    assert_int_equal (kill (s_server->pid, SIGCONT), 0);

    printf ("    stopped server: exit %d after %.2f s\n", rc, seconds);
    printf ("    stopped server, open library connection: %.2f s\n", library_seconds);
    s_assert_says (output, "no answer from the server at");
    s_assert_says (output, "sending it again is safe");
    assert_int_equal (rc, S_EXIT_UNREACHABLE);
    assert_true (seconds < S_BOUND);
    assert_null (reply);
    assert_int_equal (failure, BM_CLIENT_FAILURE_NO_ANSWER);
    assert_true (library_seconds < S_BOUND);
    free (output);

    //  Continued: a new command works, and so does the old client
    rc = s_run (&output, &seconds, "--server", s_server->router, "--key", s_admin_key,
                "--server-key", s_server_cert, "template", "--district", "qingpu",
                "--unit", "赵巷镇", "--period", "2023-05", NULL);
    printf ("    continued server: exit %d after %.2f s\n", rc, seconds);
    if (rc != 0)
        fail_msg ("after SIGCONT: %s", output);
    s_assert_says (output, "指标名称,分项/任务,计量单位");
    free (output);
    bm_client_set_timeout (client, 20000);
    reply = s_wall (client);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    bm_wire_free (&reply);
    bm_client_destroy (&client);
}

//  ---------------------------------------------------------------------------
//  (vi) Failover: the first endpoint is dead, the second is the server

static void
test_failover_to_the_next_endpoint (void **state)
{
    int port;
    int fd = s_dead_port (&port);
    char *dead = zsys_sprintf ("tcp://127.0.0.1:%d", port);
    char *both = zsys_sprintf ("%s,%s", dead, s_server->router);
    char *output;
    double seconds;
    int rc = s_template (&output, &seconds, both, s_admin_key, s_server_cert);
    printf ("    failover, command: exit %d after %.2f s\n", rc, seconds);
    if (rc != 0)
        fail_msg ("failover failed: %s", output);
    s_assert_says (output, "指标名称,分项/任务,计量单位");
    s_assert_says (output, "trying");
    assert_true (seconds < S_BOUND);
    free (output);

    //  The library stays with the endpoint that answered
    bm_client_t *client = bm_client_new (both, s_server->admin, s_server->server_key);
    assert_non_null (client);
    bm_client_set_timeout (client, 1000);
    alarm (S_ALARM);
    int64_t start = zclock_mono ();
    Battlemap__Envelope *reply = s_wall (client);
    double first = s_seconds_since (start);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    bm_wire_free (&reply);
    assert_string_equal (bm_client_endpoint (client), s_server->router);
    start = zclock_mono ();
    reply = s_wall (client);
    double second = s_seconds_since (start);
    alarm (0);
    printf ("    failover, library: first request %.2f s, second %.2f s\n", first, second);
    assert_non_null (reply);
    bm_wire_free (&reply);
    assert_true (first >= 0.9 && first < S_BOUND);
    assert_true (second < 0.9);
    bm_client_destroy (&client);

    //  A list that is not one
    assert_null (bm_client_new ("tcp://127.0.0.1:7301,nonsense", s_server->admin,
                                s_server->server_key));
    assert_null (bm_client_new (" , ", s_server->admin, s_server->server_key));
    free (both);
    free (dead);
    close (fd);
}

//  ---------------------------------------------------------------------------
//  (vii) UNAVAILABLE and RATE_LIMITED are retried, with backoff, in bounds.
//  A stand-in server: CURVE without ZAP, answering `busy` requests with
//  the error then a clock reply (busy < 0: the error for ever).

typedef struct {
    zcert_t *cert;              //  its key pair
    int busy;                   //  errors before a real answer
    Battlemap__ErrorCode code;  //  UNAVAILABLE or RATE_LIMITED
    uint32_t retry_after;       //  msecs
    int answered;               //  requests answered since reset
} s_busy_t;

static void
s_busy_server (zsock_t *pipe, void *args)
{
    s_busy_t *busy = (s_busy_t *) args;
    zsock_t *router = zsock_new (ZMQ_ROUTER);
    zcert_apply (busy->cert, router);
    zsock_set_curve_server (router, 1);
    int port = zsock_bind (router, "tcp://127.0.0.1:*");
    zsock_signal (pipe, 0);
    zsock_send (pipe, "i", port);
    zpoller_t *poller = zpoller_new (pipe, router, NULL);
    while (zpoller_wait (poller, -1) == router) {
        zmsg_t *message = zmsg_recv (router);
        zframe_t *identity = zmsg_pop (message);
        zframe_t *correlation = zmsg_pop (message);
        Battlemap__Error error = BATTLEMAP__ERROR__INIT;
        Battlemap__ClockReply clock = BATTLEMAP__CLOCK_REPLY__INIT;
        Battlemap__Envelope reply = BATTLEMAP__ENVELOPE__INIT;
        reply.version = BM_PROTOCOL_VERSION;
        if (busy->busy < 0 || busy->answered++ < busy->busy) {
            error.code = busy->code;
            error.message = "the database is away";
            error.retry_after_ms = busy->retry_after;
            reply.body_case = BATTLEMAP__ENVELOPE__BODY_ERROR;
            reply.error = &error;
        }
        else {
            clock.now = "2023-05-05T10:00:00+08:00";
            reply.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY;
            reply.clock_reply = &clock;
        }
        zmsg_t *answer = zmsg_new ();
        zmsg_append (answer, &identity);
        zmsg_append (answer, &correlation);
        zframe_t *body = bm_wire_pack (&reply);
        zmsg_append (answer, &body);
        zmsg_send (&answer, router);
        zmsg_destroy (&message);
    }
    zpoller_destroy (&poller);
    zsock_destroy (&router);
}

static void
s_count_notes (bm_client_t *client, const char *text, void *arg)
{
    if (bm_client_failure (client) == BM_CLIENT_FAILURE_NONE && strstr (text, "retrying in"))
        (*(int *) arg)++;
}

static Battlemap__Envelope *
s_clock (bm_client_t *client)
{
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    request.clock = &clock;
    return bm_client_request (client, &request);
}

static void
test_unavailable_is_retried (void **state)
{
    //  The whole test under the watchdog: the stand-in runs in this process
    alarm (S_ALARM * 2);
    zcert_t *me = bm_keys_create (s_folder, "patient");
    assert_non_null (me);
    s_busy_t busy = { zcert_new (), 2, BATTLEMAP__ERROR_CODE__UNAVAILABLE, 200, 0 };
    zactor_t *server = zactor_new (s_busy_server, &busy);
    int port = 0;
    zsock_recv (server, "i", &port);
    char *endpoint = zsys_sprintf ("tcp://127.0.0.1:%d", port);

    //  Twice unavailable, then an answer
    bm_client_t *client = bm_client_new (endpoint, me, zcert_public_txt (busy.cert));
    assert_non_null (client);
    bm_client_set_timeout (client, 1000);
    int notes = 0;
    bm_client_set_notify (client, s_count_notes, &notes);
    int64_t start = zclock_mono ();
    Battlemap__Envelope *reply = s_clock (client);
    double seconds = s_seconds_since (start);
    printf ("    unavailable twice, then an answer: %.2f s, %d retries\n", seconds, notes);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY);
    bm_wire_free (&reply);
    assert_int_equal (notes, 2);
    //  At least retry_after_ms, and backing off: 250 then 500 ms
    assert_true (seconds >= 0.7);
    assert_true (seconds < S_BOUND);

    //  Unavailable for ever: the last error comes back when patience ends
    busy.busy = -1;
    notes = 0;
    bm_client_set_patience (client, 2000);
    start = zclock_mono ();
    reply = s_clock (client);
    seconds = s_seconds_since (start);
    printf ("    unavailable for ever, patience 2 s: %.2f s, %d retries\n", seconds, notes);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ERROR);
    assert_int_equal (reply->error->code, BATTLEMAP__ERROR_CODE__UNAVAILABLE);
    bm_wire_free (&reply);
    assert_true (notes >= 2);
    assert_true (seconds <= 2.5);

    //  Patience 0: the first such reply is the answer
    notes = 0;
    bm_client_set_patience (client, 0);
    reply = s_clock (client);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ERROR);
    bm_wire_free (&reply);
    assert_int_equal (notes, 0);
    bm_client_destroy (&client);

    //  The command line: a line per retry, its own exit code, in bounds
    char *key = zsys_sprintf ("%s/patient.cert", s_folder);
    busy.code = BATTLEMAP__ERROR_CODE__RATE_LIMITED;
    char *output;
    int rc = s_run (&output, &seconds, "--server", endpoint, "--timeout", "1000",
                    "--key", key, "--server-key", zcert_public_txt (busy.cert), "clock", NULL);
    printf ("    rate limited for ever, command: exit %d after %.2f s\n", rc, seconds);
    s_assert_says (output, "battlemap: the server asks us to slow down (the database is away); "
                           "retrying in");
    s_assert_says (output, "RATE_LIMITED");
    assert_int_equal (rc, S_EXIT_UNAVAILABLE);
    assert_true (seconds < S_BOUND);
    free (output);

    busy.code = BATTLEMAP__ERROR_CODE__UNAVAILABLE;
    busy.busy = 1;
    busy.answered = 0;
    rc = s_run (&output, &seconds, "--server", endpoint, "--timeout", "1000",
                "--key", key, "--server-key", zcert_public_txt (busy.cert), "clock", NULL);
    printf ("    unavailable once, command: exit %d after %.2f s\n", rc, seconds);
    s_assert_says (output, "the server is unavailable (the database is away); retrying in");
    s_assert_says (output, "2023-05-05T10:00:00+08:00");
    assert_int_equal (rc, 0);
    free (output);

    free (key);
    free (endpoint);
    zactor_destroy (&server);
    zcert_destroy (&busy.cert);
    zcert_destroy (&me);
    alarm (0);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_unknown_key_is_refused_in_time),
        cmocka_unit_test (test_revoked_key_is_refused_in_time),
        cmocka_unit_test (test_wrong_server_key_is_told_apart),
        cmocka_unit_test (test_no_server_listening),
        cmocka_unit_test (test_stopped_server),
        cmocka_unit_test (test_failover_to_the_next_endpoint),
        cmocka_unit_test (test_unavailable_is_retried),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
