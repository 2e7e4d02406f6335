/*  Faults under load: battlemapd killed with kill -9 several times, its
    embedded postmaster killed, an external PostgreSQL restarted (fast and
    immediate), and SIGTERM with requests queued. Several submitters send
    figures the whole time, as units with an outbox do: a figure is sent
    again, with the same id, until a receipt for it arrives. Each test
    prints what it counted and checks: every acknowledged figure is stored
    with the value sent, none twice (a resend of a stored id is answered,
    not stored again), every request is answered within a bound while the
    server runs (UNAVAILABLE while its database is away), and the server
    serves again by itself. */

#include "harness.h"

#include <czmq.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#define S_SUBMITTERS    4
#define S_ANSWER_MS     5000        //  a running server answers within this

static const char *s_units [S_SUBMITTERS] = { "赵巷镇", "徐泾镇", "华新镇", "重固镇" };

//  The figures of a run: figure i has the id PREFIX-%012d and the value
//  10 + i / 10000, into its submitter's unit's June final
typedef struct {
    int count;
    char prefix [24];
    bool *acked;
    int next;                   //  the next figure never sent
    int resent;                 //  sends of a figure sent before
    int unavailable;            //  UNAVAILABLE answers
    int unanswered;             //  requests given up after S_ANSWER_MS
    int64_t slowest;            //  ms, the longest wait for an answer
} s_load_t;

typedef struct {
    zsock_t *dealer;
    int figure;                 //  in flight, -1: none
    uint64_t correlation;
    int64_t sent_at;
    int64_t retry_at;           //  after an UNAVAILABLE
} s_submitter_t;

static void
s_load_init (s_load_t *load, int count, const char *prefix)
{
    memset (load, 0, sizeof *load);
    load->count = count;
    snprintf (load->prefix, sizeof load->prefix, "%s", prefix);
    load->acked = calloc ((size_t) count, sizeof (bool));
}

static void
s_connect (s_submitter_t *submitters, harness_t *server)
{
    for (int index = 0; index < S_SUBMITTERS; index++) {
        zsock_destroy (&submitters [index].dealer);
        submitters [index].dealer = zsock_new (ZMQ_DEALER);
        zcert_apply (server->admin, submitters [index].dealer);
        zsock_set_curve_serverkey (submitters [index].dealer, server->server_key);
        zsock_set_linger (submitters [index].dealer, 0);
        zsock_set_sndtimeo (submitters [index].dealer, 0);
        assert_int_equal (zsock_connect (submitters [index].dealer, "%s", server->router), 0);
        submitters [index].figure = -1;
    }
}

static void
s_disconnect (s_submitter_t *submitters)
{
    for (int index = 0; index < S_SUBMITTERS; index++)
        zsock_destroy (&submitters [index].dealer);
}

//  The lowest figure of this submitter's share not acknowledged, sent
//  before (a resend), else a new one; -1 when all are in
static int
s_pick (s_load_t *load, int submitter)
{
    for (int figure = submitter; figure < load->next; figure += S_SUBMITTERS)
        if (!load->acked [figure]) {
            load->resent++;
            return figure;
        }
    int figure = load->next;
    while (figure < load->count && figure % S_SUBMITTERS != submitter)
        figure++;
    if (figure >= load->count)
        return -1;
    load->next = figure + 1 > load->next? figure + 1: load->next;
    return figure;
}

static void
s_send (s_load_t *load, s_submitter_t *submitter, int index)
{
    int figure = s_pick (load, index);
    if (figure < 0)
        return;
    char id [BM_CLIENT_ID_SIZE], value [24];
    snprintf (value, sizeof value, "%d.%04d", 10 + figure / 10000, figure % 10000);
    Battlemap__Figure one;
    harness_figure (&one, id, s_units [index], "industrial-output", NULL, "2023-06",
                    BATTLEMAP__FIGURE_KIND__FINAL, value);
    snprintf (id, sizeof id, "%.23s-%012d", load->prefix, figure % 1000000);   //  ours
    one.id = id;
    one.confirmed = true;
    Battlemap__Figure *pointer = &one;
    Battlemap__SubmitRequest submit = BATTLEMAP__SUBMIT_REQUEST__INIT;
    submit.figures = &pointer;
    submit.n_figures = 1;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.version = BM_PROTOCOL_VERSION;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_SUBMIT;
    request.submit = &submit;
    zmsg_t *message = zmsg_new ();
    submitter->correlation++;
    zmsg_addmem (message, &submitter->correlation, sizeof submitter->correlation);
    zframe_t *packed = bm_wire_pack (&request);
    zmsg_append (message, &packed);
    submitter->figure = figure;
    submitter->sent_at = zclock_mono ();
    if (zmsg_send (&message, submitter->dealer))
        zmsg_destroy (&message);    //  not connected yet: counted as unanswered later
}

//  Reads what has come back; a request unanswered after S_ANSWER_MS is
//  given up (sent again later)
static void
s_receive (s_load_t *load, s_submitter_t *submitters, int timeout)
{
    zpoller_t *poller = zpoller_new (NULL);
    for (int index = 0; index < S_SUBMITTERS; index++)
        zpoller_add (poller, submitters [index].dealer);
    int64_t deadline = zclock_mono () + timeout;
    while (zclock_mono () < deadline) {
        zsock_t *ready = (zsock_t *) zpoller_wait (poller, 10);
        for (int index = 0; ready && index < S_SUBMITTERS; index++) {
            s_submitter_t *submitter = submitters + index;
            if (submitter->dealer != ready)
                continue;
            zmsg_t *message = zmsg_recv (ready);
            zframe_t *correlation = message? zmsg_pop (message): NULL;
            zframe_t *payload = message? zmsg_pop (message): NULL;
            uint64_t number = 0;
            if (correlation && zframe_size (correlation) == sizeof number)
                memcpy (&number, zframe_data (correlation), sizeof number);
            Battlemap__Envelope *reply = payload
                ? battlemap__envelope__unpack (NULL, zframe_size (payload), zframe_data (payload))
                : NULL;
            if (reply && number == submitter->correlation && submitter->figure >= 0) {
                int64_t waited = zclock_mono () - submitter->sent_at;
                if (waited > load->slowest)
                    load->slowest = waited;
                if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY) {
                    assert_int_equal (reply->submit_reply->n_receipts, 1);
                    Battlemap__FigureReceipt *receipt = reply->submit_reply->receipts [0];
                    if (receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__REFUSED)
                        fail_msg ("figure %d refused: %s", submitter->figure, receipt->error? receipt->error->message: "?");
                    load->acked [submitter->figure] = true;
                }
                else
                if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR
                &&  reply->error->code == BATTLEMAP__ERROR_CODE__UNAVAILABLE) {
                    load->unavailable++;
                    assert_true (reply->error->retry_after_ms > 0);
                    submitter->retry_at = zclock_mono () + reply->error->retry_after_ms / 4;
                }
                else
                    fail_msg ("unexpected answer: %s", reply->body_case
                              == BATTLEMAP__ENVELOPE__BODY_ERROR? reply->error->message: "?");
                submitter->figure = -1;
            }
            if (reply)
                battlemap__envelope__free_unpacked (reply, NULL);
            zframe_destroy (&correlation);
            zframe_destroy (&payload);
            zmsg_destroy (&message);
        }
        bool waiting = false;
        for (int index = 0; index < S_SUBMITTERS; index++) {
            s_submitter_t *submitter = submitters + index;
            if (submitter->figure >= 0
            &&  zclock_mono () - submitter->sent_at > S_ANSWER_MS) {
                load->unanswered++;
                submitter->figure = -1;
            }
            waiting |= submitter->figure >= 0;
        }
        if (!waiting)
            break;
    }
    zpoller_destroy (&poller);
}

//  One round: each idle submitter sends a figure, then the answers are read
static void
s_round (s_load_t *load, s_submitter_t *submitters, void (*fault) (void *), void *arg)
{
    for (int index = 0; index < S_SUBMITTERS; index++)
        if (submitters [index].figure < 0 && zclock_mono () >= submitters [index].retry_at)
            s_send (load, submitters + index, index);
    if (fault)
        fault (arg);            //  with the requests in flight
    s_receive (load, submitters, S_ANSWER_MS + 100);
}

static int
s_acked (s_load_t *load)
{
    int count = 0;
    for (int figure = 0; figure < load->count; figure++)
        count += load->acked [figure];
    return count;
}

//  Until every figure is acknowledged, or time runs out
static void
s_finish (s_load_t *load, s_submitter_t *submitters, int64_t deadline)
{
    while (s_acked (load) < load->count && zclock_mono () < deadline)
        s_round (load, submitters, NULL, NULL);
    assert_int_equal (s_acked (load), load->count);
}

//  Stored = acknowledged, once each, with the value sent
static void
s_check_stored (harness_t *server, s_load_t *load)
{
    char *pattern = zsys_sprintf ("%s-%%", load->prefix);
    const char *params [] = { pattern };
    long stored = harness_count (server,
        "SELECT count (*) FROM figure WHERE submission_id::text LIKE $1", 1, params);
    long distinct = harness_count (server,
        "SELECT count (DISTINCT (unit_id, value)) FROM figure"
        " WHERE submission_id::text LIKE $1", 1, params);
    long wrong = harness_count (server,
        "SELECT count (*) FROM figure WHERE submission_id::text LIKE $1"
        " AND value <> 10 + right (submission_id::text, 12)::numeric / 10000", 1, params);
    print_message ("  acknowledged %d, stored %ld, stored twice %ld, wrong values %ld\n",
                   s_acked (load), stored, stored - distinct, wrong);
    assert_int_equal (stored, load->count);
    assert_int_equal (distinct, load->count);
    assert_int_equal (wrong, 0);
    free (pattern);
}

//  ---------------------------------------------------------------------------

static void
test_server_killed_under_load (void **state)
{
    harness_t *server = harness_start (NULL, true);
    char datadir [256];
    snprintf (datadir, sizeof datadir, "%s", server->datadir);
    s_load_t load;
    s_load_init (&load, 600, "00000000-0000-4000-8000");
    s_submitter_t submitters [S_SUBMITTERS] = { { 0 } };
    s_connect (submitters, server);
    int kills = 0;
    int64_t back_slowest = 0;
    while (kills < 5) {
        for (int round = 0; round < 20; round++)
            s_round (&load, submitters, NULL, NULL);
        //  Requests in flight when it dies
        for (int index = 0; index < S_SUBMITTERS; index++)
            if (submitters [index].figure < 0)
                s_send (&load, submitters + index, index);
        harness_crash (&server);
        kills++;
        int64_t started = zclock_mono ();
        server = harness_start (datadir, true);
        int64_t back = zclock_mono () - started;
        back_slowest = back > back_slowest? back: back_slowest;
        s_connect (submitters, server);
    }
    s_finish (&load, submitters, zclock_mono () + 120000);
    print_message ("  battlemapd killed %d times; resends %d; slowest restart %lld ms\n",
                   kills, load.resent, (long long) back_slowest);
    s_check_stored (server, &load);
    s_disconnect (submitters);
    harness_stop (&server, false);
    free (load.acked);
}

static pid_t
s_postmaster (const char *datadir)
{
    char *path = zsys_sprintf ("%s/db/pgdata/postmaster.pid", datadir);
    FILE *file = fopen (path, "r");
    free (path);
    int pid = 0;
    if (file) {
        if (fscanf (file, "%d", &pid) != 1)
            pid = 0;
        fclose (file);
    }
    return (pid_t) pid;
}

static void
s_kill_postmaster (void *arg)
{
    harness_t *server = (harness_t *) arg;
    pid_t postmaster = s_postmaster (server->datadir);
    assert_true (postmaster > 0);
    assert_int_equal (kill (postmaster, SIGKILL), 0);
}

static void
test_embedded_postmaster_killed (void **state)
{
    harness_t *server = harness_start (NULL, true);
    s_load_t load;
    s_load_init (&load, 400, "00000000-0000-4000-8001");
    s_submitter_t submitters [S_SUBMITTERS] = { { 0 } };
    s_connect (submitters, server);
    for (int round = 0; round < 20; round++)
        s_round (&load, submitters, NULL, NULL);
    pid_t before = s_postmaster (server->datadir);
    int64_t killed = zclock_mono ();
    s_round (&load, submitters, s_kill_postmaster, server);
    //  Until served again
    int64_t served_again = 0;
    while (!served_again && zclock_mono () - killed < 60000) {
        int before_acked = s_acked (&load);
        s_round (&load, submitters, NULL, NULL);
        if (s_acked (&load) > before_acked && load.unavailable > 0)
            served_again = zclock_mono () - killed;
    }
    s_finish (&load, submitters, zclock_mono () + 60000);
    pid_t after = s_postmaster (server->datadir);
    print_message ("  postmaster %d killed; %d restarted it; served again after %lld ms;"
                   " %d answers UNAVAILABLE, %d requests unanswered, slowest answer %lld ms\n",
                   (int) before, (int) after, (long long) served_again, load.unavailable,
                   load.unanswered, (long long) load.slowest);
    assert_true (served_again > 0);
    assert_true (load.unavailable > 0);
    assert_int_not_equal (after, before);
    assert_int_equal (load.unanswered, 0);
    //  The harness's own connection went with the postmaster
    PQreset (server->db);
    s_check_stored (server, &load);
    s_disconnect (submitters);
    harness_stop (&server, false);
    free (load.acked);
}

//  One template request as the key, over a socket of its own (no retries:
//  the answer as the server gives it), or NULL after S_ANSWER_MS
static Battlemap__Envelope *
s_template_as (harness_t *server, zcert_t *cert)
{
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    zcert_apply (cert, dealer);
    zsock_set_curve_serverkey (dealer, server->server_key);
    zsock_set_linger (dealer, 0);
    zsock_set_rcvtimeo (dealer, S_ANSWER_MS);
    assert_int_equal (zsock_connect (dealer, "%s", server->router), 0);
    Battlemap__TemplateRequest template = BATTLEMAP__TEMPLATE_REQUEST__INIT;
    template.district = "qingpu";
    template.unit = "徐泾镇";
    template.period = "2023-06";
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.version = BM_PROTOCOL_VERSION;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_TEMPLATE;
    request.template_ = &template;
    zmsg_t *message = zmsg_new ();
    uint64_t correlation = 7;
    zmsg_addmem (message, &correlation, sizeof correlation);
    zframe_t *packed = bm_wire_pack (&request);
    zmsg_append (message, &packed);
    assert_int_equal (zmsg_send (&message, dealer), 0);
    message = zmsg_recv (dealer);
    Battlemap__Envelope *reply = NULL;
    if (message && zmsg_size (message) == 2) {
        zframe_t *payload = zmsg_last (message);
        reply = battlemap__envelope__unpack (NULL, zframe_size (payload), zframe_data (payload));
    }
    zmsg_destroy (&message);
    zsock_destroy (&dealer);
    return reply;
}

//  ---------------------------------------------------------------------------
//  A PostgreSQL of the test's own, as an external database would be

typedef struct {
    char dir [64];
    char bindir [128];
    char conninfo [256];
} s_cluster_t;

static int
s_run (const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *command = zsys_vprintf (format, args);
    va_end (args);
    //  PostgreSQL refuses to run as root
    char *wrapped = geteuid () == 0? zsys_sprintf ("cd / && runuser -u postgres -- %s", command)
                                   : strdup (command);
    int rc = system (wrapped);
    free (wrapped);
    free (command);
    return rc;
}

static void
s_cluster_start (s_cluster_t *cluster)
{
    FILE *found = popen ("ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1", "r");
    assert_non_null (found);
    assert_non_null (fgets (cluster->bindir, sizeof cluster->bindir, found));
    pclose (found);
    cluster->bindir [strcspn (cluster->bindir, "\n")] = 0;
    snprintf (cluster->dir, sizeof cluster->dir, "/tmp/bm-extpg-XXXXXX");
    assert_non_null (mkdtemp (cluster->dir));
    assert_int_equal (chmod (cluster->dir, 0777), 0);
    assert_int_equal (s_run ("%s/initdb -D %s/data -A trust -U postgres -E UTF8 --locale=C"
                             " >%s/initdb.log 2>&1", cluster->bindir, cluster->dir,
                             cluster->dir), 0);
    assert_int_equal (s_run ("%s/pg_ctl -D %s/data -l %s/log -w -o \"-k %s -c listen_addresses="
                             " -p 5433\" start >/dev/null", cluster->bindir, cluster->dir,
                             cluster->dir, cluster->dir), 0);
    snprintf (cluster->conninfo, sizeof cluster->conninfo,
              "host=%s port=5433 dbname=postgres user=postgres", cluster->dir);
}

static void
s_cluster_stop (s_cluster_t *cluster)
{
    s_run ("%s/pg_ctl -D %s/data -m fast -w stop >/dev/null", cluster->bindir, cluster->dir);
    harness_remove_tree (cluster->dir);
}

typedef struct {
    s_cluster_t *cluster;
    const char *mode;
} s_restart_t;

static void
s_restart_cluster (void *arg)
{
    s_restart_t *restart = (s_restart_t *) arg;
    assert_int_equal (s_run ("%s/pg_ctl -D %s/data -l %s/log -w -m %s -o \"-k %s"
                             " -c listen_addresses= -p 5433\" restart >/dev/null",
                             restart->cluster->bindir, restart->cluster->dir,
                             restart->cluster->dir, restart->mode, restart->cluster->dir), 0);
}

static void
test_external_database_restarted (void **state)
{
    s_cluster_t cluster;
    s_cluster_start (&cluster);
    harness_t *server = harness_start_with (NULL, true, "--backfill", "--db", cluster.conninfo,
                                            NULL);
    s_load_t load;
    s_load_init (&load, 400, "00000000-0000-4000-8002");
    s_submitter_t submitters [S_SUBMITTERS] = { { 0 } };
    s_connect (submitters, server);
    const char *modes [] = { "fast", "immediate" };
    for (int restart = 0; restart < 2; restart++) {
        for (int round = 0; round < 20; round++)
            s_round (&load, submitters, NULL, NULL);
        s_restart_t how = { &cluster, modes [restart] };
        int unavailable = load.unavailable;
        int64_t started = zclock_mono ();
        s_round (&load, submitters, s_restart_cluster, &how);
        //  Served again by itself, within seconds
        int64_t served_again = 0;
        while (!served_again && zclock_mono () - started < 30000) {
            int acked = s_acked (&load);
            s_round (&load, submitters, NULL, NULL);
            if (s_acked (&load) > acked)
                served_again = zclock_mono () - started;
        }
        print_message ("  restart -m %s: served again %lld ms after the restart began;"
                       " %d answers UNAVAILABLE meanwhile\n", modes [restart],
                       (long long) served_again, load.unavailable - unavailable);
        assert_true (served_again > 0);
    }
    //  Down for a while: every request is answered UNAVAILABLE at once, and
    //  a key enrolled before, connecting for the first time now, is admitted
    //  (keys are checked in memory) and told the same, not that it is refused
    zcert_t *late = harness_enroll (server, "徐泾镇填报员", "submitter", "qingpu", "徐泾镇", NULL);
    assert_int_equal (s_run ("%s/pg_ctl -D %s/data -m fast -w stop >/dev/null", cluster.bindir,
                             cluster.dir), 0);
    int unavailable = load.unavailable;
    int64_t slowest = load.slowest;
    load.slowest = 0;
    int64_t stopped = zclock_mono ();
    int acked = s_acked (&load);
    while (zclock_mono () - stopped < 2000)
        s_round (&load, submitters, NULL, NULL);
    print_message ("  database stopped: %d answers UNAVAILABLE in 2 s, the slowest in"
                   " %lld ms\n", load.unavailable - unavailable, (long long) load.slowest);
    assert_true (load.unavailable - unavailable >= S_SUBMITTERS * 2);
    assert_int_equal (s_acked (&load), acked);
    assert_true (load.slowest < 1000);
    Battlemap__Envelope *reply = s_template_as (server, late);
    assert_non_null (reply);
    print_message ("  a key connecting during the outage was answered %s\n",
                   reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR
                   ? bm_wire_error_name (reply->error->code): "with its template");
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ERROR);
    assert_int_equal (reply->error->code, BATTLEMAP__ERROR_CODE__UNAVAILABLE);
    battlemap__envelope__free_unpacked (reply, NULL);
    int64_t started = zclock_mono ();
    assert_int_equal (s_run ("%s/pg_ctl -D %s/data -l %s/log -w -o \"-k %s -c listen_addresses="
                             " -p 5433\" start >/dev/null", cluster.bindir, cluster.dir,
                             cluster.dir, cluster.dir), 0);
    int64_t up = zclock_mono () - started;
    reply = NULL;
    while (zclock_mono () - started < 30000) {
        reply = s_template_as (server, late);
        if (reply && reply->body_case == BATTLEMAP__ENVELOPE__BODY_TEMPLATE_REPLY)
            break;
        if (reply)
            battlemap__envelope__free_unpacked (reply, NULL);
        reply = NULL;
        zclock_sleep (50);
    }
    print_message ("  started again: PostgreSQL up in %lld ms, the key served %lld ms after"
                   " the start began\n", (long long) up, (long long) (zclock_mono () - started));
    assert_non_null (reply);
    battlemap__envelope__free_unpacked (reply, NULL);
    zcert_destroy (&late);
    load.slowest = slowest > load.slowest? slowest: load.slowest;
    s_finish (&load, submitters, zclock_mono () + 60000);
    print_message ("  %d requests unanswered, slowest answer %lld ms\n", load.unanswered,
                   (long long) load.slowest);
    assert_int_equal (load.unanswered, 0);
    PQreset (server->db);
    s_check_stored (server, &load);
    s_disconnect (submitters);
    harness_stop (&server, false);
    s_cluster_stop (&cluster);
    free (load.acked);
}

//  ---------------------------------------------------------------------------

static void
test_sigterm_answers_what_is_queued (void **state)
{
    harness_t *server = harness_start (NULL, true);
    char datadir [256];
    snprintf (datadir, sizeof datadir, "%s", server->datadir);
    //  Many requests in the server's queue at once, then SIGTERM
    enum { S_QUEUED = 400 };
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    zcert_apply (server->admin, dealer);
    zsock_set_curve_serverkey (dealer, server->server_key);
    assert_int_equal (zsock_connect (dealer, "%s", server->router), 0);
    //  Connected (a first request answered) before the burst
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    Battlemap__Envelope ask = BATTLEMAP__ENVELOPE__INIT;
    ask.version = BM_PROTOCOL_VERSION;
    ask.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    ask.clock = &clock;
    zmsg_t *message = zmsg_new ();
    uint64_t correlation = 0;
    zmsg_addmem (message, &correlation, sizeof correlation);
    zframe_t *packed = bm_wire_pack (&ask);
    zmsg_append (message, &packed);
    assert_int_equal (zmsg_send (&message, dealer), 0);
    zsock_set_rcvtimeo (dealer, 20000);
    message = zmsg_recv (dealer);
    assert_non_null (message);
    zmsg_destroy (&message);
    //  Stopped while the burst queues up, then told to terminate
    kill (server->pid, SIGSTOP);
    for (correlation = 1; correlation <= S_QUEUED; correlation++) {
        char id [BM_CLIENT_ID_SIZE], value [24];
        Battlemap__Figure one;
        int figure = (int) correlation;
        snprintf (value, sizeof value, "10.%04d", figure);
        harness_figure (&one, id, s_units [figure % S_SUBMITTERS], "industrial-output", NULL,
                        "2023-06", BATTLEMAP__FIGURE_KIND__FINAL, value);
        snprintf (id, sizeof id, "00000000-0000-4000-8003-%012d", figure);
        one.id = id;
        one.confirmed = true;
        Battlemap__Figure *pointer = &one;
        Battlemap__SubmitRequest submit = BATTLEMAP__SUBMIT_REQUEST__INIT;
        submit.figures = &pointer;
        submit.n_figures = 1;
        Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
        request.version = BM_PROTOCOL_VERSION;
        request.body_case = BATTLEMAP__ENVELOPE__BODY_SUBMIT;
        request.submit = &submit;
        message = zmsg_new ();
        zmsg_addmem (message, &correlation, sizeof correlation);
        packed = bm_wire_pack (&request);
        zmsg_append (message, &packed);
        assert_int_equal (zmsg_send (&message, dealer), 0);
    }
    zclock_sleep (500);
    kill (server->pid, SIGTERM);
    kill (server->pid, SIGCONT);
    //  Every request is answered: a receipt, or UNAVAILABLE
    int receipts = 0, unavailable = 0, other = 0;
    bool *stored = calloc (S_QUEUED + 1, sizeof (bool));
    zsock_set_rcvtimeo (dealer, 10000);
    while (receipts + unavailable + other < S_QUEUED && (message = zmsg_recv (dealer))) {
        zframe_t *number = zmsg_pop (message);
        zframe_t *payload = zmsg_pop (message);
        Battlemap__Envelope *reply = battlemap__envelope__unpack (NULL, zframe_size (payload),
                                                                  zframe_data (payload));
        uint64_t which = 0;
        memcpy (&which, zframe_data (number), sizeof which);
        if (reply && reply->body_case == BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY) {
            receipts++;
            stored [which] = true;
        }
        else
        if (reply && reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR
        &&  reply->error->code == BATTLEMAP__ERROR_CODE__UNAVAILABLE)
            unavailable++;
        else
            other++;
        if (reply)
            battlemap__envelope__free_unpacked (reply, NULL);
        zframe_destroy (&number);
        zframe_destroy (&payload);
        zmsg_destroy (&message);
    }
    print_message ("  SIGTERM with %d requests queued: %d receipts, %d UNAVAILABLE, %d other,"
                   " %d unanswered\n", S_QUEUED, receipts, unavailable, other,
                   S_QUEUED - receipts - unavailable - other);
    assert_int_equal (receipts + unavailable, S_QUEUED);
    assert_true (unavailable > 0);
    zsock_destroy (&dealer);
    harness_stop (&server, true);
    //  What was acknowledged is stored; nothing else is
    server = harness_start (datadir, false);
    long count = harness_count (server, "SELECT count (*) FROM figure WHERE submission_id::text"
                                " LIKE '00000000-0000-4000-8003-%'", 0, NULL);
    print_message ("  after the restart: %ld stored of %d acknowledged\n", count, receipts);
    assert_int_equal (count, receipts);
    harness_stop (&server, false);
    free (stored);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_sigterm_answers_what_is_queued),
        cmocka_unit_test (test_embedded_postmaster_killed),
        cmocka_unit_test (test_external_database_restarted),
        cmocka_unit_test (test_server_killed_under_load),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
