/*  harness: run the real battlemapd for integration tests. */

#include "harness.h"
#include "bm_keys.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define HARNESS_START_TIMEOUT 90000     //  msecs: initdb and plans on a slow machine
#define HARNESS_CLI_LIMIT     240000    //  msecs: a command still running then has hung

static const char *
s_env (const char *name)
{
    const char *value = getenv (name);
    if (!value) {
        fprintf (stderr, "harness: %s is not set (run the tests through ctest)\n", name);
        fail ();
    }
    return value;
}

char *
harness_source_path (const char *relative)
{
    return zsys_sprintf ("%s/%s", s_env ("BM_SOURCE_DIR"), relative);
}

static void
s_print_log (const char *datadir)
{
    char *path = zsys_sprintf ("%s/battlemapd.log", datadir);
    zchunk_t *chunk = zchunk_slurp (path, 0);
    if (chunk) {
        size_t size = zchunk_size (chunk);
        size_t start = size > 4000? size - 4000: 0;
        fprintf (stderr, "--- tail of %s ---\n%.*s\n", path, (int) (size - start),
                 (char *) zchunk_data (chunk) + start);
        zchunk_destroy (&chunk);
    }
    free (path);
}

harness_t *
harness_start (const char *datadir, bool plans)
{
    return harness_start_with (datadir, plans, "--backfill", NULL);
}

harness_t *
harness_start_with (const char *datadir, bool plans, const char *option, ...)
{
    const char *options [16];
    size_t option_count = 0;
    va_list args;
    va_start (args, option);
    for (const char *next = option; next && option_count < 15;
         next = va_arg (args, const char *))
        options [option_count++] = next;
    va_end (args);
    options [option_count] = NULL;
    harness_t *self = zmalloc (sizeof (harness_t));
    if (datadir)
        snprintf (self->datadir, sizeof self->datadir, "%s", datadir);
    else {
        snprintf (self->datadir, sizeof self->datadir, "/tmp/bm-test-XXXXXX");
        assert_non_null (mkdtemp (self->datadir));
        //  The cluster runs as the postgres user when we are root: it must
        //  be able to enter this directory
        assert_int_equal (chmod (self->datadir, 0755), 0);
    }
    char *endpoints = zsys_sprintf ("%s/endpoints", self->datadir);
    char *log = zsys_sprintf ("%s/battlemapd.log", self->datadir);
    char *qingpu = harness_source_path ("deploy/plans/qingpu-2023");
    char *baoshan = harness_source_path ("deploy/plans/baoshan-2023");
    char *pgdata = zsys_sprintf ("%s/db", self->datadir);
    unlink (endpoints);
    //  The administrator's key pair, made here and enrolled at start; the
    //  server makes its own on the first start
    snprintf (self->keys, sizeof self->keys, "%s/keys", self->datadir);
    char *admin = zsys_sprintf ("%s/admin.cert", self->keys);
    self->admin = zsys_file_exists (admin)? bm_keys_load_secret (admin)
                                          : bm_keys_create (self->keys, "admin");
    assert_non_null (self->admin);

    pid_t test = getpid ();
    self->pid = fork ();
    assert_true (self->pid >= 0);
    if (self->pid == 0) {
        //  A test that fails, or is killed, before harness_stop leaves no
        //  server behind (with its database): it is stopped as the test
        //  process ends
        if (prctl (PR_SET_PDEATHSIG, SIGTERM) || getppid () != test)
            _exit (127);
        int fd = open (log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2 (fd, 1);
            dup2 (fd, 2);
        }
        const char *argv [40] = {
            s_env ("BATTLEMAPD"), "--data-dir", pgdata,
            "--router", "tcp://127.0.0.1:*", "--pub", "tcp://127.0.0.1:*",
            "--endpoints-file", endpoints, "--keys", self->keys, "--admin", admin
        };
        size_t argc = 13;
        for (size_t index = 0; index < option_count; index++)
            argv [argc++] = options [index];
        if (plans) {
            argv [argc++] = "--plans";
            argv [argc++] = qingpu;
            argv [argc++] = "--plans";
            argv [argc++] = baoshan;
        }
        argv [argc] = NULL;
        unsetenv ("BATTLEMAP_DB");
        execv (argv [0], (char **) argv);
        _exit (127);
    }
    //  Wait for the endpoints file, or the server's death
    int64_t deadline = zclock_mono () + HARNESS_START_TIMEOUT;
    bool ready = false;
    while (zclock_mono () < deadline) {
        FILE *file = fopen (endpoints, "r");
        if (file) {
            ready = fscanf (file, "router %127s pub %127s", self->router, self->pub) == 2;
            fclose (file);
            if (ready)
                break;
        }
        int status;
        if (waitpid (self->pid, &status, WNOHANG) == self->pid) {
            fprintf (stderr, "harness: battlemapd exited during start-up (status %d)\n", status);
            s_print_log (self->datadir);
            fail ();
        }
        zclock_sleep (50);
    }
    if (!ready) {
        s_print_log (self->datadir);
        kill (self->pid, SIGKILL);
        fail_msg ("battlemapd did not start within %d ms", HARNESS_START_TIMEOUT);
    }
    char *server_cert = zsys_sprintf ("%s/server.cert", self->keys);
    assert_int_equal (bm_keys_public (server_cert, self->server_key), 0);
    free (server_cert);
    free (admin);
    snprintf (self->conninfo, sizeof self->conninfo,
              "host=%s/run port=5432 dbname=battlemap user=postgres", pgdata);
    for (size_t index = 0; index + 1 < option_count; index++)
        if (streq (options [index], "--db"))   //  a database of its own
            snprintf (self->conninfo, sizeof self->conninfo, "%s", options [index + 1]);
    self->db = PQconnectdb (self->conninfo);
    if (PQstatus (self->db) != CONNECTION_OK)
        fail_msg ("cannot connect to the test database: %s", PQerrorMessage (self->db));
    free (endpoints);
    free (log);
    free (qingpu);
    free (baoshan);
    free (pgdata);
    return self;
}

void
harness_remove_tree (const char *path)
{
    char *command = zsys_sprintf ("rm -rf '%s'", path);
    if (system (command) != 0)
        fprintf (stderr, "harness: could not remove %s\n", path);
    free (command);
}

void
harness_stop (harness_t **self_p, bool keep)
{
    harness_t *self = *self_p;
    if (!self)
        return;
    PQfinish (self->db);
    kill (self->pid, SIGTERM);
    int status = 0;
    int64_t deadline = zclock_mono () + 60000;
    pid_t done = 0;
    while (zclock_mono () < deadline
       && (done = waitpid (self->pid, &status, WNOHANG)) == 0)
        zclock_sleep (20);
    if (done != self->pid) {
        kill (self->pid, SIGKILL);
        waitpid (self->pid, &status, 0);
        s_print_log (self->datadir);
        fail_msg ("battlemapd did not stop within 60 s of SIGTERM");
    }
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
        s_print_log (self->datadir);
        fail_msg ("battlemapd did not exit cleanly (status %d)", status);
    }
    if (!keep)
        harness_remove_tree (self->datadir);
    zcert_destroy (&self->admin);
    free (self);
    *self_p = NULL;
}

void
harness_crash (harness_t **self_p)
{
    harness_t *self = *self_p;
    if (!self)
        return;
    PQfinish (self->db);
    kill (self->pid, SIGKILL);
    int status;
    waitpid (self->pid, &status, 0);
    zcert_destroy (&self->admin);
    free (self);
    *self_p = NULL;
}

bm_client_t *
harness_client_as (harness_t *self, zcert_t *cert)
{
    bm_client_t *client = bm_client_new (self->router, cert, self->server_key);
    assert_non_null (client);
    bm_client_set_timeout (client, 20000);
    bm_client_set_attempts (client, 1);
    return client;
}

bm_client_t *
harness_client (harness_t *self)
{
    return harness_client_as (self, self->admin);
}

zcert_t *
harness_enroll (harness_t *self, const char *name, const char *role,
                const char *district, const char *unit, ...)
{
    zcert_t *cert = zcert_new ();
    char *units [32];
    size_t count = 0;
    va_list args;
    va_start (args, unit);
    for (const char *next = unit; next && count < 32; next = va_arg (args, const char *))
        units [count++] = (char *) next;
    va_end (args);
    Battlemap__IdentityRequest identity = BATTLEMAP__IDENTITY_REQUEST__INIT;
    identity.action = BATTLEMAP__IDENTITY_ACTION__ENROLL;
    identity.public_key = (char *) zcert_public_txt (cert);
    identity.name = (char *) name;
    identity.role = (char *) role;
    identity.district = (char *) district;
    identity.units = units;
    identity.n_units = count;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_IDENTITY;
    request.identity = &identity;
    bm_client_t *client = harness_client (self);
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    if (!reply || reply->body_case != BATTLEMAP__ENVELOPE__BODY_IDENTITY_REPLY)
        fail_msg ("could not enrol %s: %s", name,
                  reply && reply->error? reply->error->message: "no reply");
    bm_wire_free (&reply);
    return cert;
}

bm_watch_t *
harness_watch (harness_t *self, const char *prefix, zcert_t *cert)
{
    bm_watch_t *watch = bm_watch_new (self->pub, prefix, cert? cert: self->admin,
                                      self->server_key);
    assert_non_null (watch);
    return watch;
}

char *
harness_scalar (harness_t *self, const char *sql, int count, const char *const *params)
{
    PGresult *result = PQexecParams (self->db, sql, count, NULL, params, NULL, NULL, 0);
    if (PQresultStatus (result) != PGRES_TUPLES_OK) {
        fprintf (stderr, "harness: query failed: %s\n  %s\n", PQresultErrorMessage (result), sql);
        PQclear (result);
        fail ();
    }
    char *value = PQntuples (result) == 0? strdup ("")
                : PQgetisnull (result, 0, 0)? strdup ("NULL")
                : strdup (PQgetvalue (result, 0, 0));
    PQclear (result);
    return value;
}

long
harness_count (harness_t *self, const char *sql, int count, const char *const *params)
{
    char *value = harness_scalar (self, sql, count, params);
    long number = atol (value);
    free (value);
    return number;
}

int
harness_run (const char *const argv [], int limit, char **output)
{
    int pipes [2];
    assert_int_equal (pipe (pipes), 0);
    int64_t deadline = zclock_mono () + limit;
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        dup2 (pipes [1], 1);
        dup2 (pipes [1], 2);
        close (pipes [0]);
        close (pipes [1]);
        execv (argv [0], (char **) argv);
        _exit (127);
    }
    close (pipes [1]);
    size_t size = 0, capacity = 4096;
    char *buffer = malloc (capacity);
    bool killed = false;
    while (true) {
        int64_t remaining = deadline - zclock_mono ();
        if (remaining <= 0) {
            kill (pid, SIGKILL);
            killed = true;
            break;
        }
        struct pollfd item = { pipes [0], POLLIN, 0 };
        if (poll (&item, 1, (int) remaining) <= 0)
            continue;
        ssize_t got = read (pipes [0], buffer + size, capacity - size - 1);
        if (got <= 0)
            break;
        size += (size_t) got;
        if (capacity - size < 1024) {
            capacity *= 2;
            buffer = realloc (buffer, capacity);
        }
    }
    buffer [size] = '\0';
    close (pipes [0]);
    int status;
    waitpid (pid, &status, 0);
    if (killed)
        fprintf (stderr, "harness: %s still running after %d ms: killed; it said:\n%s\n",
                 argv [0], limit, buffer);
    if (output)
        *output = buffer;
    else
        free (buffer);
    return killed? -1: WIFEXITED (status)? WEXITSTATUS (status): -1;
}

int
harness_cli (harness_t *self, char **output, const char *arg, ...)
{
    const char *argv [64];
    int argc = 0;
    argv [argc++] = s_env ("BATTLEMAP");
    argv [argc++] = "--server";
    argv [argc++] = self->router;
    argv [argc++] = "--events";
    argv [argc++] = self->pub;
    argv [argc++] = "--timeout";
    argv [argc++] = "20000";
    char *key = zsys_sprintf ("%s/admin.cert", self->keys);
    char *server_key = zsys_sprintf ("%s/server.cert", self->keys);
    argv [argc++] = "--key";
    argv [argc++] = key;
    argv [argc++] = "--server-key";
    argv [argc++] = server_key;
    va_list args;
    va_start (args, arg);
    for (const char *next = arg; next && argc < 63; next = va_arg (args, const char *))
        argv [argc++] = next;
    va_end (args);
    argv [argc] = NULL;

    int status = harness_run (argv, HARNESS_CLI_LIMIT, output);
    free (key);
    free (server_key);
    return status;
}

void
harness_fill (harness_t *self, int first, int count)
{
    bm_client_t *client = harness_client (self);
    const char *units [] = { "赵巷镇", "徐泾镇", "华新镇", "重固镇", "白鹤镇", "朱家角镇",
                             "练塘镇", "金泽镇" };
    for (int sent = first; sent < first + count; sent += 100) {
        Battlemap__Figure figures [100];
        Battlemap__Figure *pointers [100];
        char ids [100][BM_CLIENT_ID_SIZE], values [100][16], periods [100][16];
        for (int at = 0; at < 100; at++) {
            int figure = sent + at;
            snprintf (periods [at], sizeof periods [at], "2023-%02d", 1 + figure / 8 % 12);
            snprintf (values [at], sizeof values [at], "%d", 1 + figure % 97);
            harness_figure (figures + at, ids [at], units [figure % 8], "industrial-output",
                            NULL, periods [at], figure % 2? BATTLEMAP__FIGURE_KIND__FINAL
                                                          : BATTLEMAP__FIGURE_KIND__FORECAST,
                            values [at]);
            figures [at].confirmed = true;      //  made-up values, for load
            pointers [at] = figures + at;
        }
        Battlemap__Envelope *reply = bm_client_submit (client, pointers, 100);
        assert_non_null (reply);
        assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY);
        bm_wire_free (&reply);
    }
    bm_client_destroy (&client);
}

void
harness_revoke (harness_t *self, zcert_t *cert, const char *reason)
{
    Battlemap__IdentityRequest revoke = BATTLEMAP__IDENTITY_REQUEST__INIT;
    revoke.action = BATTLEMAP__IDENTITY_ACTION__REVOKE;
    revoke.public_key = (char *) zcert_public_txt (cert);
    revoke.reason = (char *) reason;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_IDENTITY;
    request.identity = &revoke;
    bm_client_t *client = harness_client (self);
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_IDENTITY_REPLY);
    assert_true (*reply->identity_reply->identities [0]->revoked_at);
    bm_wire_free (&reply);
}

zsock_t *
harness_dealer (harness_t *self)
{
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert_non_null (dealer);
    zcert_apply (self->admin, dealer);
    zsock_set_curve_serverkey (dealer, self->server_key);
    assert_int_equal (zsock_connect (dealer, "%s", self->router), 0);
    return dealer;
}

void
harness_send_submit (zsock_t *dealer, Battlemap__Figure **figures, size_t count,
                     uint64_t correlation)
{
    Battlemap__SubmitRequest submit = BATTLEMAP__SUBMIT_REQUEST__INIT;
    submit.figures = figures;
    submit.n_figures = count;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.version = BM_PROTOCOL_VERSION;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_SUBMIT;
    request.submit = &submit;
    zframe_t *frame = bm_wire_pack (&request);
    zmsg_t *message = zmsg_new ();
    zmsg_addmem (message, &correlation, sizeof correlation);
    zmsg_append (message, &frame);
    assert_int_equal (zmsg_send (&message, dealer), 0);
}

void
harness_figure (Battlemap__Figure *figure, char *id, const char *unit,
                const char *indicator, const char *measure, const char *period,
                Battlemap__FigureKind kind, const char *value)
{
    battlemap__figure__init (figure);
    bm_client_new_id (id);
    figure->id = id;
    figure->district = "qingpu";
    figure->unit = (char *) unit;
    figure->indicator = (char *) indicator;
    figure->measure = (char *) (measure? measure: "");
    figure->period = (char *) period;
    figure->kind = kind;
    figure->value = (char *) (value? value: "");
}

void
harness_set_clock (harness_t *self, const char *time)
{
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    clock.set = (char *) time;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    request.clock = &clock;
    bm_client_t *client = harness_client (self);
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    if (!reply || reply->body_case != BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY)
        fail_msg ("could not set the clock to %s: %s", time,
                  reply && reply->error? reply->error->message: "no reply");
    bm_wire_free (&reply);
}
