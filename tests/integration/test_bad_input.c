/*  Every bad input gets a clear, typed error, changes nothing, and the
    server keeps serving. */

#include "harness.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static harness_t *s_server;

static int
s_setup (void **state)
{
    s_server = harness_start (NULL, true);
    return 0;
}

static int
s_teardown (void **state)
{
    harness_stop (&s_server, false);
    return 0;
}

static long
s_figures (void)
{
    return harness_count (s_server, "SELECT count (*) FROM figure", 0, NULL);
}

//  The server still answers a good request
static void
s_still_serving (void)
{
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_wall (client, "qingpu", "2023-01", "", false);
    bm_client_destroy (&client);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    bm_wire_free (&reply);
}

//  Asserts that a reply is an error of `code` whose message holds `needle`
static void
s_assert_error (Battlemap__Envelope *reply, Battlemap__ErrorCode code, const char *needle)
{
    assert_non_null (reply);
    if (reply->body_case != BATTLEMAP__ENVELOPE__BODY_ERROR)
        fail_msg ("expected %s, got body %d", bm_wire_error_name (code), reply->body_case);
    if (reply->error->code != code)
        fail_msg ("expected %s, got %s: %s", bm_wire_error_name (code),
                  bm_wire_error_name (reply->error->code), reply->error->message);
    if (needle && !strstr (reply->error->message, needle))
        fail_msg ("message \"%s\" does not mention \"%s\"", reply->error->message, needle);
}

typedef struct {
    const char *name;
    const char *district;
    const char *unit;
    const char *indicator;
    const char *measure;
    const char *period;
    Battlemap__FigureKind kind;
    const char *value;
    Battlemap__MilestoneStatus status;
    const char *id;             //  NULL: a fresh UUID
    Battlemap__ErrorCode code;
    const char *needle;         //  the message names the problem
} s_case_t;

#define FORECAST BATTLEMAP__FIGURE_KIND__FORECAST
#define FINAL    BATTLEMAP__FIGURE_KIND__FINAL
#define E(name)  BATTLEMAP__ERROR_CODE__##name
#define S(name)  BATTLEMAP__MILESTONE_STATUS__##name

static const s_case_t s_cases [] = {
    { "unknown district", "shanghai", "赵巷镇", "industrial-output", "", "2023-05",
      FINAL, "5", 0, NULL, E (UNKNOWN_DISTRICT), "shanghai" },
    { "unknown unit", "qingpu", "赵巷", "industrial-output", "", "2023-05",
      FINAL, "5", 0, NULL, E (UNKNOWN_UNIT), "赵巷" },
    { "unit of another district", "baoshan", "赵巷镇", "industrial-output", "", "2023-05",
      FINAL, "5", 0, NULL, E (UNKNOWN_UNIT), "赵巷镇" },
    { "unknown indicator", "qingpu", "赵巷镇", "gdp-per-capita", "", "2023-05",
      FINAL, "5", 0, NULL, E (UNKNOWN_INDICATOR), "gdp-per-capita" },
    { "unknown measure", "qingpu", "全区", "project-progress-jw", "拆除一批", "2023-05",
      FINAL, "5", 0, NULL, E (UNKNOWN_MEASURE), "拆除一批" },
    { "composite without measure", "qingpu", "全区", "project-progress-jw", "", "2023-05",
      FINAL, "5", 0, NULL, E (UNKNOWN_MEASURE), "出让一批" },
    { "measure on a single indicator", "qingpu", "赵巷镇", "industrial-output", "出让一批",
      "2023-05", FINAL, "5", 0, NULL, E (UNKNOWN_MEASURE), "出让一批" },
    { "period outside the plan", "qingpu", "赵巷镇", "industrial-output", "", "2024-01",
      FINAL, "5", 0, NULL, E (PERIOD_OUTSIDE_PLAN), "2023" },
    { "malformed period", "qingpu", "赵巷镇", "industrial-output", "", "2023-13",
      FINAL, "5", 0, NULL, E (MALFORMED), "2023-13" },
    { "period without month", "qingpu", "赵巷镇", "industrial-output", "", "2023",
      FINAL, "5", 0, NULL, E (MALFORMED), "YYYY-MM" },
    { "unit with a dash (no target)", "qingpu", "赵巷镇", "transport-revenue", "", "2023-05",
      FINAL, "5", 0, NULL, E (NO_TARGET), "赵巷镇 has no target" },
    { "unit absent from the table", "qingpu", "白鹤镇", "rural-demo-villages", "",
      "2023-05", FINAL, "1", 0, NULL, E (NO_TARGET), "白鹤镇 has no target" },
    { "non-numeric value", "qingpu", "赵巷镇", "industrial-output", "", "2023-05",
      FINAL, "五", 0, NULL, E (BAD_VALUE), "五" },
    { "NaN", "qingpu", "赵巷镇", "industrial-output", "", "2023-05",
      FINAL, "NaN", 0, NULL, E (BAD_VALUE), "NaN" },
    { "infinity", "qingpu", "赵巷镇", "industrial-output", "", "2023-05",
      FINAL, "inf", 0, NULL, E (BAD_VALUE), "inf" },
    { "exponent", "qingpu", "赵巷镇", "industrial-output", "", "2023-05",
      FINAL, "1e3", 0, NULL, E (BAD_VALUE), "1e3" },
    { "thousands separator", "qingpu", "赵巷镇", "industrial-output", "", "2023-05",
      FINAL, "1,000", 0, NULL, E (BAD_VALUE), "1,000" },
    { "too many decimals", "qingpu", "赵巷镇", "industrial-output", "", "2023-05",
      FINAL, "1.0000001", 0, NULL, E (BAD_VALUE), "decimals" },
    { "too large", "qingpu", "赵巷镇", "industrial-output", "", "2023-05",
      FINAL, "99999999999999999999", 0, NULL, E (BAD_VALUE), "too large" },
    { "no value and no status", "qingpu", "赵巷镇", "industrial-output", "", "2023-05",
      FINAL, "", 0, NULL, E (BAD_VALUE), "no value" },
    //  The largest decimal twice would overflow the district's sum: a
    //  unit's figure is bounded so that the sum of all of them fits
    { "beyond what the district's sum can hold", "qingpu", "赵巷镇", "industrial-output", "",
      "2023-05", FINAL, "9000000000000", 0, NULL, E (BAD_VALUE), "largest figure" },
    { "a negative cumulative amount", "qingpu", "赵巷镇", "retail-sales", "", "2023-05",
      FINAL, "-5", 0, NULL, E (BAD_VALUE), "not below zero" },
    { "status where the milestone is a number", "qingpu", "赵巷镇", "industrial-output", "",
      "2023-05", FINAL, "", S (DONE), NULL, E (TEXT_MILESTONE), "send a number" },
    { "kind unset", "qingpu", "赵巷镇", "industrial-output", "", "2023-05",
      0, "5", 0, NULL, E (MALFORMED), "forecast or final" },
    { "id not a UUID", "qingpu", "赵巷镇", "industrial-output", "", "2023-05",
      FINAL, "5", 0, "figure-1", E (MALFORMED), "UUID" },
    { "unknown status value", "qingpu", "全区", "zjtx-new", "", "2023-06",
      FINAL, "", 7, NULL, E (MALFORMED), "status" },
};

static void
test_each_bad_figure_refused (void **state)
{
    long before = s_figures ();
    for (size_t index = 0; index < sizeof s_cases / sizeof s_cases [0]; index++) {
        const s_case_t *bad = s_cases + index;
        Battlemap__Figure figure;
        char id [BM_CLIENT_ID_SIZE];
        harness_figure (&figure, id, bad->unit, bad->indicator, bad->measure, bad->period,
                        bad->kind, bad->value);
        figure.district = (char *) bad->district;
        figure.status = bad->status;
        if (bad->id)
            figure.id = (char *) bad->id;
        Battlemap__Figure *figures [] = { &figure };
        bm_client_t *client = harness_client (s_server);
        Battlemap__Envelope *reply = bm_client_submit (client, figures, 1);
        bm_client_destroy (&client);
        print_message ("  %s: %s\n", bad->name,
                       reply && reply->error? reply->error->message: "(no error)");
        s_assert_error (reply, bad->code, bad->needle);
        assert_int_equal (reply->error->index, 1);
        bm_wire_free (&reply);
    }
    assert_int_equal (s_figures (), before);
    s_still_serving ();
}

//  Sends raw bytes as the envelope
static Battlemap__Envelope *
s_raw (const void *data, size_t size)
{
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_request_raw (client, data, size);
    bm_client_destroy (&client);
    return reply;
}

static void
test_refusals_are_audited (void **state)
{
    //  Each refusal above left a row: who, what, when, why
    const char *params [] = { zcert_public_txt (s_server->admin) };
    assert_true (harness_count (s_server,
        "SELECT count (*) FROM audit WHERE public_key = $1 AND outcome = 'refused'"
        " AND action = 'submit' AND reason = 'UNKNOWN_UNIT'", 1, params) >= 2);
    assert_true (harness_count (s_server,
        "SELECT count (*) FROM audit WHERE public_key = $1 AND outcome = 'refused'"
        " AND reason = 'BAD_VALUE' AND detail LIKE '%NaN%'", 1, params) >= 1);
}

static void
test_malformed_messages (void **state)
{
    long before = s_figures ();
    //  Not protobuf at all
    const char garbage [] = "\xff\xff\xff\xff this is not a battlemap message";
    Battlemap__Envelope *reply = s_raw (garbage, sizeof garbage);
    s_assert_error (reply, E (MALFORMED), "not a battlemap message");
    bm_wire_free (&reply);
    //  Empty
    reply = s_raw ("", 0);
    s_assert_error (reply, E (MALFORMED), "empty");
    bm_wire_free (&reply);
    //  A valid envelope with nothing in it: no version, no body
    Battlemap__Envelope empty = BATTLEMAP__ENVELOPE__INIT;
    empty.version = 1;
    zframe_t *frame = bm_wire_pack (&empty);
    reply = s_raw (zframe_data (frame), zframe_size (frame));
    zframe_destroy (&frame);
    s_assert_error (reply, E (UNKNOWN_TYPE), NULL);
    bm_wire_free (&reply);
    //  Wrong protocol version
    Battlemap__WallRequest wall = BATTLEMAP__WALL_REQUEST__INIT;
    wall.district = "qingpu";
    wall.period = "2023-01";
    Battlemap__Envelope versioned = BATTLEMAP__ENVELOPE__INIT;
    versioned.version = 99;
    versioned.body_case = BATTLEMAP__ENVELOPE__BODY_WALL;
    versioned.wall = &wall;
    frame = bm_wire_pack (&versioned);
    reply = s_raw (zframe_data (frame), zframe_size (frame));
    zframe_destroy (&frame);
    s_assert_error (reply, E (MALFORMED), "version 99");
    bm_wire_free (&reply);
    //  A reply type sent as a request
    Battlemap__Error error = BATTLEMAP__ERROR__INIT;
    Battlemap__Envelope backwards = BATTLEMAP__ENVELOPE__INIT;
    backwards.body_case = BATTLEMAP__ENVELOPE__BODY_ERROR;
    backwards.error = &error;
    bm_client_t *client = harness_client (s_server);
    reply = bm_client_request (client, &backwards);
    bm_client_destroy (&client);
    s_assert_error (reply, E (UNKNOWN_TYPE), NULL);
    bm_wire_free (&reply);
    //  An unknown field number (a newer or hostile client): body unset
    const byte unknown [] = { 0x08, 0x01, 0xfa, 0x3e, 0x02, 'h', 'i' };
    reply = s_raw (unknown, sizeof unknown);
    s_assert_error (reply, E (UNKNOWN_TYPE), NULL);
    bm_wire_free (&reply);
    //  Invalid UTF-8 in a string field
    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    harness_figure (&figure, id, "\xe8\xb5", "industrial-output", NULL, "2023-05",
                    FINAL, "5");
    Battlemap__Figure *figures [] = { &figure };
    client = harness_client (s_server);
    reply = bm_client_submit (client, figures, 1);
    bm_client_destroy (&client);
    s_assert_error (reply, E (MALFORMED), "UTF-8");
    bm_wire_free (&reply);
    //  An over-long string
    char *long_note = malloc (BM_MAX_STRING + 2);
    memset (long_note, 'x', BM_MAX_STRING + 1);
    long_note [BM_MAX_STRING + 1] = '\0';
    harness_figure (&figure, id, "赵巷镇", "industrial-output", NULL, "2023-05", FINAL, "5");
    figure.note = long_note;
    client = harness_client (s_server);
    reply = bm_client_submit (client, figures, 1);
    bm_client_destroy (&client);
    free (long_note);
    s_assert_error (reply, E (MALFORMED), "note");
    bm_wire_free (&reply);
    //  An empty submission
    client = harness_client (s_server);
    reply = bm_client_submit (client, NULL, 0);
    bm_client_destroy (&client);
    s_assert_error (reply, E (MALFORMED), "no figures");
    bm_wire_free (&reply);
    assert_int_equal (s_figures (), before);
    s_still_serving ();
}

static void
test_oversized_messages (void **state)
{
    //  Over the server's limit but under the socket's: a typed error
    size_t size = BM_MAX_MESSAGE + 1024;
    byte *big = calloc (1, size);
    Battlemap__Envelope *reply = s_raw (big, size);
    s_assert_error (reply, E (TOO_LARGE), "over the limit");
    bm_wire_free (&reply);
    free (big);
    //  Over the socket's cap, which would drop the connection without an
    //  answer: the client says so itself, and sends nothing
    size = BM_SOCKET_MAX_MESSAGE + 1024;
    big = calloc (1, size);
    bm_client_t *client = harness_client (s_server);
    bm_client_set_timeout (client, 1500);
    reply = bm_client_request_raw (client, big, size);
    bm_client_destroy (&client);
    s_assert_error (reply, E (TOO_LARGE), "send less at once");
    bm_wire_free (&reply);
    //  Sent anyway, by a client of its own: the server drops that
    //  connection and goes on serving everyone else
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    zcert_apply (s_server->admin, dealer);
    zsock_set_curve_serverkey (dealer, s_server->server_key);
    zsock_set_linger (dealer, 0);
    zsock_set_rcvtimeo (dealer, 1500);
    assert_int_equal (zsock_connect (dealer, "%s", s_server->router), 0);
    zmsg_t *message = zmsg_new ();
    uint64_t correlation = 1;
    zmsg_addmem (message, &correlation, sizeof correlation);
    zmsg_addmem (message, big, size);
    assert_int_equal (zmsg_send (&message, dealer), 0);
    message = zmsg_recv (dealer);
    assert_null (message);
    zsock_destroy (&dealer);
    free (big);
    //  Too many figures in one submission
    size_t count = BM_MAX_BATCH + 1;
    Battlemap__Figure *figures = calloc (count, sizeof *figures);
    Battlemap__Figure **pointers = calloc (count, sizeof *pointers);
    for (size_t index = 0; index < count; index++) {
        battlemap__figure__init (figures + index);
        pointers [index] = figures + index;
    }
    client = harness_client (s_server);
    reply = bm_client_submit (client, pointers, count);
    bm_client_destroy (&client);
    s_assert_error (reply, E (TOO_LARGE), "at most");
    bm_wire_free (&reply);
    free (figures);
    free (pointers);
    s_still_serving ();
}

static void
test_badly_framed_request (void **state)
{
    //  One frame instead of [correlation][envelope]
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert_non_null (dealer);
    zcert_apply (s_server->admin, dealer);
    zsock_set_curve_serverkey (dealer, s_server->server_key);
    assert_int_equal (zsock_connect (dealer, "%s", s_server->router), 0);
    zsock_set_rcvtimeo (dealer, 5000);
    zstr_send (dealer, "hello");
    zmsg_t *reply = zmsg_recv (dealer);
    assert_non_null (reply);
    assert_int_equal (zmsg_size (reply), 2);
    zmsg_first (reply);
    zframe_t *body = zmsg_next (reply);
    Battlemap__Envelope *envelope = bm_wire_unpack (zframe_data (body), zframe_size (body));
    s_assert_error (envelope, E (MALFORMED), "two frames");
    bm_wire_free (&envelope);
    zmsg_destroy (&reply);
    zsock_destroy (&dealer);
    s_still_serving ();
}

static void
test_bad_wall_and_template_requests (void **state)
{
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_wall (client, "nowhere", "2023-06", "", false);
    s_assert_error (reply, E (UNKNOWN_DISTRICT), "nowhere");
    bm_wire_free (&reply);
    reply = bm_client_wall (client, "qingpu", "2031-06", "", false);
    s_assert_error (reply, E (PERIOD_OUTSIDE_PLAN), "2031");
    bm_wire_free (&reply);
    reply = bm_client_wall (client, "qingpu", "June", "", false);
    s_assert_error (reply, E (MALFORMED), "June");
    bm_wire_free (&reply);
    reply = bm_client_template (client, "qingpu", "不存在镇", "2023-06");
    s_assert_error (reply, E (UNKNOWN_UNIT), "不存在镇");
    bm_wire_free (&reply);
    bm_client_destroy (&client);
}

//  Events carry the value as stored, not as typed
static void
test_events_carry_canonical_values (void **state)
{
    bm_watch_t *watch = harness_watch (s_server, "figure/qingpu/白鹤镇/", NULL);
    zclock_sleep (500);
    bm_client_t *client = harness_client (s_server);
    const char *typed [] = { "+12", "007", "12.50" };
    const char *stored [] = { "12", "7", "12.50" };     //  as numeric holds them
    const char *periods [] = { "2023-03", "2023-04", "2023-05" };
    for (int index = 0; index < 3; index++) {
        Battlemap__Figure figure;
        char id [BM_CLIENT_ID_SIZE];
        harness_figure (&figure, id, "白鹤镇", "industrial-output", NULL, periods [index],
                        BATTLEMAP__FIGURE_KIND__FINAL, typed [index]);
        figure.confirmed = true;
        Battlemap__Figure *figures [] = { &figure };
        Battlemap__Envelope *reply = bm_client_submit (client, figures, 1);
        assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY);
        bm_wire_free (&reply);
        Battlemap__Envelope *event = bm_watch_recv (watch, 3000, NULL);
        assert_non_null (event);
        assert_int_equal (event->event->payload_case, BATTLEMAP__EVENT__PAYLOAD_FIGURE);
        assert_string_equal (event->event->figure->value, stored [index]);
        bm_wire_free (&event);
    }
    bm_client_destroy (&client);
    bm_watch_destroy (&watch);
}

//  Odd input the server once answered wrongly
static void
test_odd_input (void **state)
{
    bm_client_t *client = harness_client (s_server);
    //  A catch-up from beyond any sequence number: MALFORMED, not a
    //  database error a client would retry forever
    Battlemap__CatchupRequest catchup = BATTLEMAP__CATCHUP_REQUEST__INIT;
    catchup.since = UINT64_MAX;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CATCHUP;
    request.catchup = &catchup;
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    s_assert_error (reply, E (MALFORMED), "18446744073709551615");
    bm_wire_free (&reply);
    catchup.since = (uint64_t) INT64_MAX + 1;
    reply = bm_client_request (client, &request);
    s_assert_error (reply, E (MALFORMED), "beyond any sequence number");
    bm_wire_free (&reply);
    bm_client_destroy (&client);
    s_still_serving ();
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_odd_input),
        cmocka_unit_test (test_each_bad_figure_refused),
        cmocka_unit_test (test_refusals_are_audited),
        cmocka_unit_test (test_events_carry_canonical_values),
        cmocka_unit_test (test_malformed_messages),
        cmocka_unit_test (test_oversized_messages),
        cmocka_unit_test (test_badly_framed_request),
        cmocka_unit_test (test_bad_wall_and_template_requests),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
