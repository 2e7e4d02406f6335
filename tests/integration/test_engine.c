/*  The engine: the state in memory equals what a fresh start builds from
    the database, after a whole simulated year; a turn in which one request
    fails keeps the others' receipts right and stores nothing of the failed
    one; requests that arrive while a commit is in flight are committed
    together, once it is settled; a follower catches up through many pages
    of the log whatever its key's limits, waiting where the server says so;
    the topic families are written when nothing waits. */

#include "harness.h"
#include "bm_follow.h"
#include "bm_plan.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

//  ---------------------------------------------------------------------------
//  Memory equals a rebuild

//  Every view the engine answers from memory, packed, with the time it was
//  computed left out; one line of description each, for a failure
typedef struct {
    zlistx_t *packed;           //  zchunk_t
    zlistx_t *names;            //  char *
    size_t entries;             //  history entries among them
} s_views_t;

static void
s_view (s_views_t *views, Battlemap__Envelope *reply, const char *format, ...)
{
    assert_non_null (reply);
    //  The time it was computed is left out of the comparison
    char **as_of = reply->body_case == BATTLEMAP__ENVELOPE__BODY_WALL_REPLY
                 ? &reply->wall_reply->as_of
                 : reply->body_case == BATTLEMAP__ENVELOPE__BODY_REPORT_REPLY
                 ? &reply->report_reply->as_of: NULL;
    char *computed = as_of? *as_of: NULL;
    if (as_of)
        *as_of = "";
    zframe_t *frame = bm_wire_pack (reply);
    if (as_of)
        *as_of = computed;
    zlistx_add_end (views->packed, zchunk_new (zframe_data (frame), zframe_size (frame)));
    zframe_destroy (&frame);
    va_list args;
    va_start (args, format);
    zlistx_add_end (views->names, zsys_vprintf (format, args));
    va_end (args);
    bm_wire_free (&reply);
}

static Battlemap__Envelope *
s_report (bm_client_t *client, Battlemap__ReportKind kind, const char *period)
{
    Battlemap__ReportRequest report = BATTLEMAP__REPORT_REQUEST__INIT;
    report.kind = kind;
    report.district = "qingpu";
    report.period = (char *) period;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_REPORT;
    request.report = &report;
    return bm_client_request (client, &request);
}

//  A cell's history: the rows the server keeps for it, read back
static Battlemap__Envelope *
s_history (bm_client_t *client, const char *unit, const bm_plan_indicator_t *indicator,
           const char *period, size_t *entries)
{
    Battlemap__HistoryRequest history = BATTLEMAP__HISTORY_REQUEST__INIT;
    history.district = "qingpu";
    history.unit = (char *) unit;
    history.indicator = indicator->code;
    history.measure = indicator->measure;
    history.period = (char *) period;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_HISTORY;
    request.history = &history;
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_HISTORY_REPLY);
    *entries += reply->history_reply->n_entries;
    return reply;
}

static s_views_t
s_capture (harness_t *server, const bm_plan_t *plan)
{
    s_views_t views = { zlistx_new (), zlistx_new (), 0 };
    zlistx_set_destructor (views.packed, (zlistx_destructor_fn *) zchunk_destroy);
    zlistx_set_destructor (views.names, (zlistx_destructor_fn *) zstr_free);
    bm_client_t *client = harness_client (server);
    for (int month = 1; month <= 12; month++) {
        char period [8];
        snprintf (period, sizeof period, "2023-%02d", month);
        s_view (&views, bm_client_wall (client, "qingpu", period, NULL, true),
                "wall --all %s", period);
        for (size_t index = 0; index < plan->unit_count; index++) {
            const char *unit = plan->units [index].name;
            s_view (&views, bm_client_wall (client, "qingpu", period, unit, false),
                    "wall %s %s", unit, period);
            if (month % 6 == 0)
                s_view (&views, bm_client_template (client, "qingpu", unit, period),
                        "template %s %s", unit, period);
            //  Every cell's history, in June and December
            for (size_t at = 0; month % 6 == 0 && at < plan->indicator_count; at++) {
                const bm_plan_indicator_t *indicator = plan->indicators + at;
                s_view (&views, s_history (client, unit, indicator, period, &views.entries),
                        "history %s %s %s %s", unit, indicator->code, indicator->measure,
                        period);
            }
        }
        s_view (&views, bm_client_ranking (client, "qingpu", period, "industrial-output", "",
                                           NULL, 0), "ranking %s", period);
        s_view (&views, s_report (client, BATTLEMAP__REPORT_KIND__TIMELINESS, period),
                "timeliness %s", period);
        s_view (&views, s_report (client, BATTLEMAP__REPORT_KIND__FORECAST_ACCURACY, period),
                "accuracy %s", period);
    }
    bm_client_destroy (&client);
    return views;
}

static void
s_views_destroy (s_views_t *views)
{
    zlistx_destroy (&views->packed);
    zlistx_destroy (&views->names);
}

static char *
s_clock (harness_t *server)
{
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    request.clock = &clock;
    bm_client_t *client = harness_client (server);
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY);
    char *now = strdup (reply->clock_reply->now);
    bm_wire_free (&reply);
    return now;
}

static void
test_memory_equals_rebuild (void **state)
{
    harness_t *server = harness_start_with (NULL, true, "--test-clock", "--clock",
                                            "2023-01-02T09:00:00+08:00", NULL);
    char *plan_dir = harness_source_path ("deploy/plans/qingpu-2023");
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = bm_plan_parse_dir (plan_dir, errors);
    assert_non_null (plan);
    zlist_destroy (&errors);
    //  The README's simulated year: forecasts on the 20th, finals on the
    //  5th, the clock moving with them, every deadline passing
    char *output = NULL;
    int rc = harness_cli (server, &output, "simulate", "--plan", plan_dir, "--clock", NULL);
    if (rc)
        fail_msg ("simulate: %s", output);
    free (output);
    long figures = harness_count (server, "SELECT count (*) FROM figure", 0, NULL);
    long events = harness_count (server, "SELECT count (*) FROM event", 0, NULL);
    assert_true (figures > 10000);

    s_views_t live = s_capture (server, plan);
    char *now = s_clock (server);
    char datadir [256];
    snprintf (datadir, sizeof datadir, "%s", server->datadir);
    harness_stop (&server, true);
    server = harness_start_with (datadir, true, "--test-clock", "--clock", now, NULL);
    s_views_t rebuilt = s_capture (server, plan);

    assert_int_equal (zlistx_size (live.packed), zlistx_size (rebuilt.packed));
    zchunk_t *before = zlistx_first (live.packed), *after = zlistx_first (rebuilt.packed);
    const char *name = zlistx_first (live.names);
    size_t compared = 0;
    while (before && after) {
        if (zchunk_size (before) != zchunk_size (after)
        ||  memcmp (zchunk_data (before), zchunk_data (after), zchunk_size (before)))
            fail_msg ("%s differs after a fresh start (%zu bytes before, %zu after)", name,
                      zchunk_size (before), zchunk_size (after));
        compared++;
        before = zlistx_next (live.packed);
        after = zlistx_next (rebuilt.packed);
        name = zlistx_next (live.names);
    }
    //  The histories read figures: the rows kept live and rebuilt agree
    assert_true (live.entries > 1000);
    assert_int_equal (live.entries, rebuilt.entries);
    //  The start wrote nothing, and the server's counters continue
    assert_int_equal (harness_count (server, "SELECT count (*) FROM event", 0, NULL), events);
    print_message ("  %ld figures, %ld events: %zu views (%zu history entries) equal after a"
                   " fresh start\n", figures, events, compared, live.entries);
    s_views_destroy (&live);
    s_views_destroy (&rebuilt);
    free (now);
    free (plan_dir);
    bm_plan_destroy (&plan);
    harness_stop (&server, false);
}

//  ---------------------------------------------------------------------------
//  Requests sent by hand, each on a connection of its own, so that several
//  are in the server at once

//  The reply to what was sent on the socket, within 20 s (asserted)
static Battlemap__Envelope *
s_receive (zsock_t *socket)
{
    zsock_set_rcvtimeo (socket, 20000);
    zmsg_t *answer = zmsg_recv (socket);
    assert_non_null (answer);
    zframe_t *body = zmsg_last (answer);
    Battlemap__Envelope *reply = bm_wire_unpack (zframe_data (body), zframe_size (body));
    zmsg_destroy (&answer);
    assert_non_null (reply);
    return reply;
}

//  ---------------------------------------------------------------------------
//  A turn with a failure

static void
test_turn_with_a_failure (void **state)
{
    harness_t *server = harness_start (NULL, true);
    //  Twenty requests of five figures each, sent at once on twenty
    //  connections, so that the server takes them in the same turns; the
    //  eighth names a unit the district does not have, after four good
    //  figures, and is all or nothing
    const char *units [] = { "赵巷镇", "徐泾镇", "华新镇", "重固镇", "白鹤镇" };
    enum { REQUESTS = 20, FIGURES = 5, FAILING = 7 };
    char ids [REQUESTS][FIGURES][BM_CLIENT_ID_SIZE];
    zsock_t *sockets [REQUESTS];
    for (int index = 0; index < REQUESTS; index++)
        sockets [index] = harness_dealer (server);
    zclock_sleep (300);         //  the handshakes
    for (int index = 0; index < REQUESTS; index++) {
        Battlemap__Figure figures [FIGURES];
        Battlemap__Figure *pointers [FIGURES];
        char values [FIGURES][16], periods [FIGURES][8];
        for (int at = 0; at < FIGURES; at++) {
            snprintf (periods [at], sizeof periods [at], "2023-%02d", 1 + index % 12);
            snprintf (values [at], sizeof values [at], "%d.%d", 700 + index, at);
            harness_figure (figures + at, ids [index][at],
                            index == FAILING && at == 4? "不存在镇": units [at],
                            "industrial-output", NULL, periods [at],
                            BATTLEMAP__FIGURE_KIND__FINAL, values [at]);
            //  Values made up for load, not a unit's series: confirmed, so
            //  that the plausibility check lets them through
            figures [at].confirmed = true;
            pointers [at] = figures + at;
        }
        harness_send_submit (sockets [index], pointers, FIGURES, (uint64_t) index);
    }
    for (int index = 0; index < REQUESTS; index++) {
        Battlemap__Envelope *reply = s_receive (sockets [index]);
        if (index == FAILING) {
            assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ERROR);
            assert_int_equal (reply->error->code, E (UNKNOWN_UNIT));
            assert_int_equal (reply->error->index, 5);
        }
        else {
            assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY);
            assert_int_equal (reply->submit_reply->n_receipts, FIGURES);
            for (int at = 0; at < FIGURES; at++) {
                Battlemap__FigureReceipt *receipt = reply->submit_reply->receipts [at];
                assert_string_equal (receipt->id, ids [index][at]);
                assert_true (receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__CREATED
                          || receipt->outcome == BATTLEMAP__RECEIPT_OUTCOME__UPDATED);
                //  The row the receipt names holds this figure
                char row [24];
                snprintf (row, sizeof row, "%lld", (long long) receipt->figure_id);
                const char *params [] = { row, ids [index][at] };
                assert_int_equal (harness_count (server,
                    "SELECT count (*) FROM figure WHERE id = $1::bigint"
                    " AND submission_id = $2::uuid", 2, params), 1);
            }
        }
        bm_wire_free (&reply);
        zsock_destroy (&sockets [index]);
    }
    //  Nothing of the failed request, neither in the record nor in memory
    for (int at = 0; at < FIGURES; at++) {
        const char *params [] = { ids [FAILING][at] };
        assert_int_equal (harness_count (server,
            "SELECT count (*) FROM figure WHERE submission_id = $1::uuid", 1, params), 0);
    }
    bm_client_t *client = harness_client (server);
    char period [8];
    snprintf (period, sizeof period, "2023-%02d", 1 + FAILING % 12);
    Battlemap__Envelope *reply = bm_client_template (client, "qingpu", "赵巷镇", period);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_TEMPLATE_REPLY);
    for (size_t row = 0; row < reply->template_reply->n_rows; row++)
        if (streq (reply->template_reply->rows [row]->indicator, "industrial-output"))
            assert_string_not_equal (reply->template_reply->rows [row]->last_value, "707.0");
    bm_wire_free (&reply);
    bm_client_destroy (&client);
    assert_int_equal (harness_count (server, "SELECT count (*) FROM figure", 0, NULL),
                      (REQUESTS - 1) * FIGURES);
    harness_stop (&server, false);
}

//  ---------------------------------------------------------------------------
//  Group commit

//  Whether the database has a statement waiting for a lock
static bool
s_lock_waited (harness_t *server)
{
    return harness_count (server, "SELECT count (*) FROM pg_stat_activity"
                          " WHERE wait_event_type = 'Lock'", 0, NULL) > 0;
}

static void
test_group_commit (void **state)
{
    harness_t *server = harness_start (NULL, true);
    //  One request of one figure, whose commit another connection holds up
    //  with a lock on the figure table; then ten more, one every 20 ms, on
    //  connections of their own, while it is held up. They are committed
    //  together, in one transaction after the first, once the lock is let
    //  go; and no receipt comes before its commit.
    const char *units [] = { "赵巷镇", "徐泾镇", "华新镇", "重固镇", "白鹤镇" };
    enum { REQUESTS = 11 };
    char ids [REQUESTS][BM_CLIENT_ID_SIZE];
    zsock_t *sockets [REQUESTS];
    for (int index = 0; index < REQUESTS; index++)
        sockets [index] = harness_dealer (server);
    zclock_sleep (300);         //  the handshakes
    PGconn *locker = PQconnectdb (server->conninfo);
    assert_int_equal (PQstatus (locker), CONNECTION_OK);
    PGresult *result = PQexec (locker, "BEGIN; LOCK TABLE figure IN SHARE MODE");
    assert_int_equal (PQresultStatus (result), PGRES_COMMAND_OK);
    PQclear (result);
    for (int index = 0; index < REQUESTS; index++) {
        Battlemap__Figure figure;
        Battlemap__Figure *pointer = &figure;
        char period [8], value [16];
        snprintf (period, sizeof period, "2023-%02d", 1 + index / 5);
        snprintf (value, sizeof value, "%d.5", 600 + index);
        harness_figure (&figure, ids [index], units [index % 5], "industrial-output", NULL,
                        period, BATTLEMAP__FIGURE_KIND__FINAL, value);
        figure.confirmed = true;
        harness_send_submit (sockets [index], &pointer, 1, (uint64_t) index);
        if (index == 0) {
            //  Until the first one's commit waits for the lock
            int64_t deadline = zclock_mono () + 10000;
            while (!s_lock_waited (server) && zclock_mono () < deadline)
                zclock_sleep (10);
            assert_true (s_lock_waited (server));
        }
        else
            zclock_sleep (20);
    }
    zclock_sleep (300);
    //  Nothing is answered while nothing is committed
    for (int index = 0; index < REQUESTS; index++) {
        zmq_pollitem_t item = { zsock_resolve (sockets [index]), 0, ZMQ_POLLIN, 0 };
        assert_int_equal (zmq_poll (&item, 1, 0), 0);
    }
    result = PQexec (locker, "COMMIT");
    assert_int_equal (PQresultStatus (result), PGRES_COMMAND_OK);
    PQclear (result);
    PQfinish (locker);
    for (int index = 0; index < REQUESTS; index++) {
        Battlemap__Envelope *reply = s_receive (sockets [index]);
        if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR)
            fail_msg ("request %d refused: %s", index, reply->error->message);
        assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY);
        assert_int_equal (reply->submit_reply->n_receipts, 1);
        assert_int_equal (reply->submit_reply->receipts [0]->outcome,
                          BATTLEMAP__RECEIPT_OUTCOME__CREATED);
        bm_wire_free (&reply);
        zsock_destroy (&sockets [index]);
    }
    //  The transactions that stored them: the first's, and one for the ten
    char list [REQUESTS * (BM_CLIENT_ID_SIZE + 3) + 8] = "{";
    for (int index = 0; index < REQUESTS; index++)
        snprintf (list + strlen (list), sizeof list - strlen (list), "%s%s",
                  index? ",": "", ids [index]);
    strcat (list, "}");
    const char *params [] = { list, ids [0] };
    assert_int_equal (harness_count (server, "SELECT count (*) FROM figure"
                                     " WHERE submission_id = ANY ($1::uuid [])", 1, params),
                      REQUESTS);
    assert_int_equal (harness_count (server, "SELECT count (DISTINCT xmin::text) FROM figure"
                                     " WHERE submission_id = ANY ($1::uuid [])", 1, params), 2);
    assert_int_equal (harness_count (server, "SELECT count (*) FROM figure"
                                     " WHERE submission_id = ANY ($1::uuid [])"
                                     " AND xmin::text = (SELECT xmin::text FROM figure"
                                     " WHERE submission_id = $2::uuid)", 2, params), 1);
    harness_stop (&server, false);
}

//  ---------------------------------------------------------------------------
//  Catch-up through many pages, limited

static const char *s_prefixes [] = { "completion/qingpu/", "alert/qingpu/", NULL };

//  Loads the log with the events of `count` figures, 100 a request
static void
s_fill_log (harness_t *server, int count)
{
    harness_fill (server, 0, count);
}

//  Follows from 0 to the end; checks it got exactly the log's events of
//  its prefixes, in order
static uint64_t
s_follow_all (harness_t *server, zcert_t *cert, long *events)
{
    bm_follow_t *follow = bm_follow_new (server->router, server->pub, cert,
                                         server->server_key, s_prefixes, 0, false, NULL, 0);
    assert_non_null (follow);
    zlistx_t *seen = zlistx_new ();
    //  Until it holds the whole log: a page it waits for is not the end
    uint64_t latest = (uint64_t) harness_count (server, "SELECT max (seq) FROM event", 0, NULL);
    int64_t deadline = zclock_mono () + 120000;
    while (bm_follow_cursor (follow) < latest && zclock_mono () < deadline) {
        Battlemap__Envelope *envelope = bm_follow_recv (follow, 1000, NULL);
        if (envelope) {
            zlistx_add_end (seen, (void *) (uintptr_t) envelope->event->seq);
            bm_wire_free (&envelope);
        }
        else
        if (bm_follow_error (follow))
            fail_msg ("the follower failed: %s", bm_follow_error (follow));
    }
    PGresult *result = PQexec (server->db,
        "SELECT seq FROM event WHERE topic LIKE 'completion/qingpu/%'"
        " OR topic LIKE 'alert/qingpu/%' ORDER BY seq");
    assert_int_equal (PQresultStatus (result), PGRES_TUPLES_OK);
    if ((size_t) PQntuples (result) != zlistx_size (seen))
        fail_msg ("the log holds %d events, the follower got %zu", PQntuples (result),
                  zlistx_size (seen));
    int row = 0;
    for (void *seq = zlistx_first (seen); seq; seq = zlistx_next (seen), row++)
        assert_int_equal ((uintptr_t) seq, strtoull (PQgetvalue (result, row, 0), NULL, 10));
    *events = PQntuples (result);
    PQclear (result);
    zlistx_destroy (&seen);
    uint64_t catchups = bm_follow_catchups (follow);
    bm_follow_destroy (&follow);
    return catchups;
}

static void
test_catchup_many_pages_limited (void **state)
{
    //  A server that gives each key 4 ms of its time a second (16 at
    //  once), and 10 requests a second (20 at once): a page of the log
    //  takes it a few ms
    harness_t *server = harness_start_with (NULL, true, "--backfill", "--time-limit", "4",
                                            "--rate-limit", "10", NULL);
    s_fill_log (server, 8000);
    long total = harness_count (server, "SELECT count (*) FROM event", 0, NULL);
    assert_true (total > 25000);
    zcert_t *wall = harness_enroll (server, "大屏", "subscriber", "qingpu", NULL);
    //  The key has used up its requests: the catch-up is not counted
    bm_client_t *client = harness_client_as (server, wall);
    bm_client_set_patience (client, 0);     //  RATE_LIMITED answered, not waited out
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    request.clock = &clock;
    int limited = 0;
    for (int index = 0; index < 40; index++) {
        Battlemap__Envelope *reply = bm_client_request (client, &request);
        limited += reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR
                && reply->error->code == E (RATE_LIMITED);
        bm_wire_free (&reply);
    }
    bm_client_destroy (&client);
    assert_true (limited > 0);
    //  Two followers on the same key, one after the other: its 16 ms run
    //  out and pages are refused, with the time to wait, and retried
    const char *params [] = { zcert_public_txt (wall) };
    const char *refusals = "SELECT count (*) FROM audit WHERE public_key = $1"
                           " AND reason = 'RATE_LIMITED'";
    zclock_sleep (1100);        //  refusals are audited once a second a key
    long before = harness_count (server, refusals, 1, params);
    long events = 0;
    uint64_t catchups = 0;
    int64_t started = zclock_mono ();
    for (int follower = 0; follower < 2; follower++)
        catchups += s_follow_all (server, wall, &events);
    long refused = harness_count (server, refusals, 1, params) - before;
    print_message ("  %ld events in the log, %ld of the followers' prefixes: 2 followers,"
                   " %llu catch-up requests in %ld ms, refused pages audited in %ld rows\n",
                   total, events, (unsigned long long) catchups,
                   (long) (zclock_mono () - started), refused);
    assert_true (catchups > 2 * 3);
    assert_true (refused > 0);
    zcert_destroy (&wall);
    harness_stop (&server, false);
}

//  ---------------------------------------------------------------------------
//  The topic families are written when nothing waits

static void
test_families_written_when_idle (void **state)
{
    harness_t *server = harness_start (NULL, true);
    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    harness_figure (&figure, id, "赵巷镇", "industrial-output", NULL, "2023-03",
                    BATTLEMAP__FIGURE_KIND__FINAL, "150.2");
    figure.confirmed = true;
    Battlemap__Figure *figures [] = { &figure };
    bm_client_t *client = harness_client (server);
    Battlemap__Envelope *reply = bm_client_submit (client, figures, 1);
    int64_t answered = zclock_mono ();
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY);
    bm_wire_free (&reply);
    long last = harness_count (server, "SELECT max (seq) FROM event", 0, NULL);
    long figure_seq = harness_count (server, "SELECT max (seq) FROM event"
                                     " WHERE topic LIKE 'figure/qingpu/%'", 0, NULL);
    assert_true (figure_seq > 0 && figure_seq <= last);
    //  With nothing else to do, the server writes the families that moved
    //  in a turn of their own, a second after it last wrote them (a turn of
    //  requests carries them only after five seconds without a pause)
    long marker = 0;
    while (zclock_mono () - answered < 3000) {
        marker = harness_count (server, "SELECT coalesce (max (seq), 0) FROM event_family"
                                " WHERE prefix = ''", 0, NULL);
        if (marker >= last)
            break;
        zclock_sleep (50);
    }
    assert_true (marker >= last);
    assert_int_equal (harness_count (server, "SELECT seq FROM event_family"
                                     " WHERE prefix = 'figure/qingpu/'", 0, NULL), figure_seq);
    bm_client_destroy (&client);
    harness_stop (&server, false);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_memory_equals_rebuild),
        cmocka_unit_test (test_turn_with_a_failure),
        cmocka_unit_test (test_group_commit),
        cmocka_unit_test (test_catchup_many_pages_limited),
        cmocka_unit_test (test_families_written_when_idle),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
