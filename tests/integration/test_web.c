/*  The web wall: `battlemap serve` against the real battlemapd, with its own
    subscriber key, checked in Debian's chromium (headless, driven by
    tests/web/wall.test.cjs through playwright-core): the JSON API and its
    400s, the Qingpu wall on the page, a figure submitted through the
    command line on the page within a second, screenshots under the build
    directory, one event stream feeding many browsers, and a page that
    says so when the server is gone. Skips (77) only when there is no
    chromium. */

#include "harness.h"
#include "bm_keys.h"

#include <czmq.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#define S_SKIP      77
#define S_STREAMS   200         //  browsers' event streams opened at once

static harness_t *s_server;
static pid_t s_serve_pid;       //  battlemap serve, 0 once stopped

static const char *
s_chromium (void)
{
    const char *path = getenv ("CHROMIUM");
    return path && *path? path: "/usr/bin/chromium";
}

//  Starts `battlemap serve` on a free port; returns its pid, *url its address
static pid_t
s_serve (harness_t *server, char *url, size_t size)
{
    int pipes [2];
    assert_int_equal (pipe (pipes), 0);
    char *key = zsys_sprintf ("%s/web.cert", server->keys);
    char *server_key = zsys_sprintf ("%s/server.cert", server->keys);
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        dup2 (pipes [1], 1);
        close (pipes [0]);
        execl (getenv ("BATTLEMAP"), "battlemap", "--server", server->router, "--events",
               server->pub, "--timeout", "1000", "--key", key, "--server-key", server_key,
               "serve", "--listen", "127.0.0.1:0", "--district", "qingpu", (char *) NULL);
        _exit (127);
    }
    s_serve_pid = pid;
    close (pipes [1]);
    free (key);
    free (server_key);
    //  Its first line names the address
    char line [512] = "";
    size_t length = 0;
    struct pollfd ready = { .fd = pipes [0], .events = POLLIN };
    while (length < sizeof line - 1 && !strchr (line, '\n') && poll (&ready, 1, 15000) == 1) {
        ssize_t got = read (pipes [0], line + length, sizeof line - 1 - length);
        if (got <= 0)
            break;
        length += (size_t) got;
        line [length] = 0;
    }
    close (pipes [0]);
    char *at = strstr (line, "http://");
    if (!at)
        fail_msg ("battlemap serve printed no address: \"%s\"", line);
    size_t taken = strcspn (at, " \n");
    assert_true (taken < size);
    memcpy (url, at, taken);
    url [taken] = 0;
    return pid;
}

//  Runs a node script with the wall's environment, at most `seconds`;
//  returns its exit status
static int
s_node (harness_t *server, const char *script, const char *url, const char *mode,
        const char *argument, int seconds)
{
    char *source = harness_source_path (script);
    char *modules = zsys_sprintf ("%s/tests/web/node_modules", getenv ("BM_BINARY_DIR"));
    char *shots = zsys_sprintf ("%s/tests/web", getenv ("BM_BINARY_DIR"));
    char *cli = zsys_sprintf ("[\"%s\",\"--server\",\"%s\",\"--events\",\"%s\",\"--key\","
                              "\"%s/admin.cert\",\"--server-key\",\"%s/server.cert\"]",
                              getenv ("BATTLEMAP"), server? server->router: "",
                              server? server->pub: "", server? server->keys: "",
                              server? server->keys: "");
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        setenv ("WALL_URL", url, 1);
        setenv ("BM_WEB_MODULES", modules, 1);
        setenv ("SHOTS", shots, 1);
        setenv ("BM_CLI", cli, 1);
        setenv ("MODE", mode, 1);
        setenv ("CHROMIUM", s_chromium (), 1);
        execlp ("node", "node", source, argument, (char *) NULL);
        _exit (127);
    }
    int status = -1;
    for (int waited = 0; waited < seconds * 10; waited++) {
        if (waitpid (pid, &status, WNOHANG) == pid)
            break;
        status = -1;
        zclock_sleep (100);
    }
    if (status == -1) {
        kill (pid, SIGKILL);
        waitpid (pid, NULL, 0);
        fail_msg ("%s did not finish in %d s", script, seconds);
    }
    free (source);
    free (modules);
    free (shots);
    free (cli);
    return WIFEXITED (status)? WEXITSTATUS (status): -1;
}

//  The server with months of figures, and the gateway with its own key
static int
s_setup (void **state)
{
    s_server = harness_start (NULL, true);
    //  Made-up figures of industrial output, so that the grid has judged cells
    harness_fill (s_server, 0, 200);
    //  The wall's own key: a subscriber of Qingpu
    zcert_t *cert = bm_keys_create (s_server->keys, "web");
    assert_non_null (cert);
    zcert_destroy (&cert);
    char *public_key = zsys_sprintf ("%s/web.cert", s_server->keys);
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "enroll", "--public-key", public_key, "--name",
                          "大屏", "--role", "subscriber", "--district", "qingpu", NULL);
    if (rc)
        fail_msg ("enroll: %s", output);
    free (output);
    free (public_key);
    return 0;
}

//  Whatever a failure left: the gateway and the server are stopped
static int
s_teardown (void **state)
{
    if (s_serve_pid > 0) {
        kill (s_serve_pid, SIGKILL);
        waitpid (s_serve_pid, NULL, 0);
        s_serve_pid = 0;
    }
    if (s_server)
        harness_stop (&s_server, false);
    return 0;
}

static void
test_web_wall (void **state)
{
    char url [256];
    s_serve_pid = s_serve (s_server, url, sizeof url);
    //  The API, the page, a figure pushed within a second, the kiosk
    assert_int_equal (s_node (s_server, "tests/web/wall.test.cjs", url, "live", NULL, 180), 0);
    //  One gateway, many browsers: every stream gets the next figure
    char streams [16];
    snprintf (streams, sizeof streams, "%d", S_STREAMS);
    assert_int_equal (s_node (s_server, "tests/web/sse_load.cjs", url, "live", streams, 60), 0);

    //  The server goes away; the gateway stays, and the page says so
    harness_stop (&s_server, false);
    assert_int_equal (s_node (NULL, "tests/web/wall.test.cjs", url, "down", NULL, 60), 0);

    //  Stops cleanly on SIGTERM
    assert_int_equal (kill (s_serve_pid, SIGTERM), 0);
    int status = -1;
    for (int waited = 0; waited < 100; waited++) {
        if (waitpid (s_serve_pid, &status, WNOHANG) == s_serve_pid) {
            s_serve_pid = 0;
            break;
        }
        status = -1;
        zclock_sleep (100);
    }
    if (status == -1)
        fail_msg ("battlemap serve did not stop on SIGTERM");
    assert_true (WIFEXITED (status));
    assert_int_equal (WEXITSTATUS (status), 0);
}

int
main (void)
{
    if (access (s_chromium (), X_OK)) {
        printf ("test_web: skipped: no chromium at %s (apt-get install chromium; "
                "deploy/install-deps.sh does)\n", s_chromium ());
        return S_SKIP;
    }
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_web_wall, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
