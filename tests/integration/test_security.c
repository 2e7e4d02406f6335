/*  Who is speaking: CURVE keys, roles and scopes, refusals and the audit.
    A peer with an unknown key cannot connect; a town cannot submit for
    another; a subscriber scoped to one town receives no other town's events;
    a revoked key is refused on an open connection; a non-administrator
    cannot load a plan or enrol a key; one key's flood is limited while
    another is served; key files are private and the server's secret key
    never reaches its log. */

#include "harness.h"
#include "bm_keys.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/stat.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

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

//  Audit rows for a key and action, refused
static long
s_refusals (const char *key, const char *action)
{
    const char *params [] = { key, action };
    return harness_count (s_server,
        "SELECT count (*) FROM audit WHERE public_key = $1 AND action = $2"
        " AND outcome = 'refused'", 2, params);
}

static Battlemap__Envelope *
s_submit_as (zcert_t *cert, const char *unit, const char *value)
{
    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    harness_figure (&figure, id, unit, "industrial-output", NULL, "2023-05",
                    BATTLEMAP__FIGURE_KIND__FINAL, value);
    Battlemap__Figure *figures [] = { &figure };
    bm_client_t *client = harness_client_as (s_server, cert);
    Battlemap__Envelope *reply = bm_client_submit (client, figures, 1);
    bm_client_destroy (&client);
    return reply;
}

static void
test_unknown_key_cannot_connect (void **state)
{
    zcert_t *stranger = zcert_new ();
    bm_client_t *client = harness_client_as (s_server, stranger);
    bm_client_set_timeout (client, 1500);
    Battlemap__Envelope *reply = bm_client_wall (client, "qingpu", "2023-05", "", false);
    bm_client_destroy (&client);
    assert_null (reply);
    //  The ZAP handler refused the handshake, and said so in the audit
    int64_t deadline = zclock_mono () + 10000;
    while (s_refusals (zcert_public_txt (stranger), "connect") == 0 && zclock_mono () < deadline)
        zclock_sleep (100);
    assert_true (s_refusals (zcert_public_txt (stranger), "connect") >= 1);
    zcert_destroy (&stranger);
}

static void
test_town_submits_only_for_itself (void **state)
{
    zcert_t *town = harness_enroll (s_server, "赵巷镇统计员", "submitter", "qingpu",
                                    "赵巷镇", NULL);
    Battlemap__Envelope *reply = s_submit_as (town, "赵巷镇", "7.1");
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY);
    bm_wire_free (&reply);
    reply = s_submit_as (town, "徐泾镇", "20");
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ERROR);
    assert_int_equal (reply->error->code, E (NOT_ALLOWED));
    //  The refusal names the key and the act, and nothing of 徐泾镇's data
    assert_non_null (strstr (reply->error->message, "赵巷镇统计员"));
    assert_null (strstr (reply->error->message, "63.6"));
    bm_wire_free (&reply);
    assert_int_equal (s_refusals (zcert_public_txt (town), "submit"), 1);
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM figure f JOIN unit u ON u.id = f.unit_id"
        " WHERE u.name = '徐泾镇'", 0, NULL), 0);
    //  Its figure is recorded as sent by its key
    const char *params [] = { zcert_public_txt (town) };
    assert_int_equal (harness_count (s_server,
        "SELECT count (*) FROM figure WHERE sender_key = $1", 1, params), 1);
    //  It reads its own wall, not another's, nor the district's
    bm_client_t *client = harness_client_as (s_server, town);
    reply = bm_client_wall (client, "qingpu", "2023-05", "赵巷镇", false);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    bm_wire_free (&reply);
    reply = bm_client_wall (client, "qingpu", "2023-05", "徐泾镇", false);
    assert_int_equal (reply->error->code, E (NOT_ALLOWED));
    bm_wire_free (&reply);
    reply = bm_client_wall (client, "qingpu", "2023-05", "", false);
    assert_int_equal (reply->error->code, E (NOT_ALLOWED));
    bm_wire_free (&reply);
    bm_client_destroy (&client);
    zcert_destroy (&town);
}

static void
test_subscriber_sees_only_its_scope (void **state)
{
    zcert_t *watcher = harness_enroll (s_server, "赵巷镇党委", "subscriber", "qingpu",
                                       "赵巷镇", NULL);
    //  Its own town's prefix is applied; the whole district's is not
    bm_watch_t *own = harness_watch (s_server, "completion/qingpu/赵巷镇/", watcher);
    bm_watch_t *greedy = harness_watch (s_server, "completion/qingpu/", watcher);
    zclock_sleep (500);
    Battlemap__Envelope *reply = s_submit_as (s_server->admin, "徐泾镇", "21");
    bm_wire_free (&reply);
    reply = s_submit_as (s_server->admin, "赵巷镇", "7.3");
    bm_wire_free (&reply);
    char *topic = NULL;
    Battlemap__Envelope *event = bm_watch_recv (own, 3000, &topic);
    assert_non_null (event);
    assert_string_equal (topic, "completion/qingpu/赵巷镇/industrial-output/");
    bm_wire_free (&event);
    zstr_free (&topic);
    //  Nothing else arrives: not 徐泾镇's, not the district's
    event = bm_watch_recv (own, 1000, &topic);
    assert_null (event);
    event = bm_watch_recv (greedy, 1000, &topic);
    assert_null (event);
    assert_true (s_refusals (zcert_public_txt (watcher), "subscribe") >= 1);
    bm_watch_destroy (&own);
    bm_watch_destroy (&greedy);
    zcert_destroy (&watcher);
}

static void
test_new_scope_applies_to_open_subscriptions (void **state)
{
    zcert_t *watcher = harness_enroll (s_server, "青浦大屏", "subscriber", "qingpu", NULL);
    bm_watch_t *watch = harness_watch (s_server, "completion/qingpu/", watcher);
    zclock_sleep (500);
    Battlemap__Envelope *reply = s_submit_as (s_server->admin, "赵巷镇", "7.5");
    bm_wire_free (&reply);
    char *topic = NULL;
    Battlemap__Envelope *event = bm_watch_recv (watch, 3000, &topic);
    assert_non_null (event);
    bm_wire_free (&event);
    zstr_free (&topic);
    while ((event = bm_watch_recv (watch, 300, NULL)))
        bm_wire_free (&event);
    //  The bureau moves the key to Baoshan: Qingpu's events stop at once
    Battlemap__IdentityRequest identity = BATTLEMAP__IDENTITY_REQUEST__INIT;
    identity.action = BATTLEMAP__IDENTITY_ACTION__ENROLL;
    identity.public_key = (char *) zcert_public_txt (watcher);
    identity.name = "宝山大屏";
    identity.role = "subscriber";
    identity.district = "baoshan";
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_IDENTITY;
    request.identity = &identity;
    bm_client_t *admin = harness_client (s_server);
    reply = bm_client_request (admin, &request);
    bm_client_destroy (&admin);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_IDENTITY_REPLY);
    bm_wire_free (&reply);
    zclock_sleep (500);             //  the subscription comes back, and is refused
    reply = s_submit_as (s_server->admin, "赵巷镇", "7.6");
    bm_wire_free (&reply);
    event = bm_watch_recv (watch, 1500, &topic);
    if (event)
        fail_msg ("an event of the old scope arrived after the scope changed: %s", topic);
    assert_true (s_refusals (zcert_public_txt (watcher), "subscribe") >= 1);
    bm_watch_destroy (&watch);
    zcert_destroy (&watcher);
}

static void
test_revoked_key_refused_mid_connection (void **state)
{
    zcert_t *town = harness_enroll (s_server, "练塘镇统计员", "submitter", "qingpu",
                                    "练塘镇", NULL);
    zcert_t *watcher = harness_enroll (s_server, "练塘镇观察", "subscriber", "qingpu",
                                       "练塘镇", NULL);
    bm_client_t *client = harness_client_as (s_server, town);
    bm_watch_t *watch = harness_watch (s_server, "completion/qingpu/练塘镇/", watcher);
    zclock_sleep (500);
    Battlemap__Envelope *reply = bm_client_wall (client, "qingpu", "2023-05", "练塘镇", false);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    bm_wire_free (&reply);
    //  The bureau revokes both keys
    for (int index = 0; index < 2; index++) {
        Battlemap__IdentityRequest revoke = BATTLEMAP__IDENTITY_REQUEST__INIT;
        revoke.action = BATTLEMAP__IDENTITY_ACTION__REVOKE;
        revoke.public_key = (char *) zcert_public_txt (index? watcher: town);
        revoke.reason = "人员调离";
        Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
        request.body_case = BATTLEMAP__ENVELOPE__BODY_IDENTITY;
        request.identity = &revoke;
        bm_client_t *admin = harness_client (s_server);
        reply = bm_client_request (admin, &request);
        bm_client_destroy (&admin);
        assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_IDENTITY_REPLY);
        assert_true (*reply->identity_reply->identities [0]->revoked_at);
        bm_wire_free (&reply);
    }
    //  The same connection: refused on its next message
    reply = bm_client_wall (client, "qingpu", "2023-05", "练塘镇", false);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_ERROR);
    assert_int_equal (reply->error->code, E (NOT_ALLOWED));
    assert_non_null (strstr (reply->error->message, "revoked"));
    bm_wire_free (&reply);
    bm_client_destroy (&client);
    assert_true (s_refusals (zcert_public_txt (town), "request") >= 1);
    //  The revoked subscriber was dropped and cannot come back
    zclock_sleep (500);
    reply = s_submit_as (s_server->admin, "练塘镇", "30");
    bm_wire_free (&reply);
    Battlemap__Envelope *event = bm_watch_recv (watch, 1500, NULL);
    assert_null (event);
    //  Its reconnection is refused at the handshake, and audited; under load
    //  the attempt may take a while, so wait for it (bounded)
    int64_t deadline = zclock_mono () + 10000;
    while (s_refusals (zcert_public_txt (watcher), "connect") == 0 && zclock_mono () < deadline)
        zclock_sleep (100);
    assert_true (s_refusals (zcert_public_txt (watcher), "connect") >= 1);
    bm_watch_destroy (&watch);
    zcert_destroy (&town);
    zcert_destroy (&watcher);
}

static void
test_only_administrators_load_plans_and_enrol (void **state)
{
    zcert_t *town = harness_enroll (s_server, "金泽镇统计员", "submitter", "qingpu",
                                    "金泽镇", NULL);
    zcert_t *watcher = harness_enroll (s_server, "区领导", "subscriber", "qingpu", NULL);
    zcert_t *keys [] = { town, watcher };
    for (int index = 0; index < 2; index++) {
        const char *key = zcert_public_txt (keys [index]);
        bm_client_t *client = harness_client_as (s_server, keys [index]);
        Battlemap__PlanFile file = BATTLEMAP__PLAN_FILE__INIT;
        file.name = "plan.csv";
        Battlemap__PlanFile *files [] = { &file };
        Battlemap__PlanLoadRequest load = BATTLEMAP__PLAN_LOAD_REQUEST__INIT;
        load.files = files;
        load.n_files = 1;
        Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
        request.body_case = BATTLEMAP__ENVELOPE__BODY_PLAN_LOAD;
        request.plan_load = &load;
        Battlemap__Envelope *reply = bm_client_request (client, &request);
        assert_int_equal (reply->error->code, E (NOT_ALLOWED));
        bm_wire_free (&reply);
        Battlemap__IdentityRequest enroll = BATTLEMAP__IDENTITY_REQUEST__INIT;
        enroll.action = BATTLEMAP__IDENTITY_ACTION__ENROLL;
        enroll.public_key = (char *) key;
        enroll.name = "自封管理员";
        enroll.role = "admin";
        Battlemap__Envelope promote = BATTLEMAP__ENVELOPE__INIT;
        promote.body_case = BATTLEMAP__ENVELOPE__BODY_IDENTITY;
        promote.identity = &enroll;
        reply = bm_client_request (client, &promote);
        assert_int_equal (reply->error->code, E (NOT_ALLOWED));
        bm_wire_free (&reply);
        bm_client_destroy (&client);
        assert_int_equal (s_refusals (key, "plan_load"), 1);
        assert_int_equal (s_refusals (key, "identity"), 1);
        const char *params [] = { key };
        char *role = harness_scalar (s_server,
            "SELECT role FROM identity WHERE public_key = $1", 1, params);
        assert_string_equal (role, index? "subscriber": "submitter");
        free (role);
    }
    //  The district-wide subscriber may read the district's wall
    bm_client_t *client = harness_client_as (s_server, watcher);
    Battlemap__Envelope *reply = bm_client_wall (client, "qingpu", "2023-05", "", false);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    bm_wire_free (&reply);
    bm_client_destroy (&client);
    zcert_destroy (&town);
    zcert_destroy (&watcher);
}

static void
test_flood_is_limited_per_key (void **state)
{
    zcert_t *flooder = harness_enroll (s_server, "失控脚本", "subscriber", "qingpu", NULL);
    bm_client_t *client = harness_client_as (s_server, flooder);
    bm_client_set_patience (client, 0);     //  RATE_LIMITED answered, not waited out
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    request.clock = &clock;
    int limited = 0, served = 0;
    for (int index = 0; index < 600; index++) {
        Battlemap__Envelope *reply = bm_client_request (client, &request);
        assert_non_null (reply);
        if (reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR) {
            assert_int_equal (reply->error->code, E (RATE_LIMITED));
            limited++;
        }
        else
            served++;
        bm_wire_free (&reply);
    }
    bm_client_destroy (&client);
    print_message ("  600 requests: %d served, %d limited\n", served, limited);
    assert_true (limited > 0);
    assert_true (served >= 200);
    //  Another key is served at once
    client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_CLOCK_REPLY);
    bm_wire_free (&reply);
    bm_client_destroy (&client);
    zcert_destroy (&flooder);
}

//  Lines of the server's log holding `text`
static int
s_log_lines (const char *text)
{
    char *path = zsys_sprintf ("%s/battlemapd.log", s_server->datadir);
    FILE *file = fopen (path, "r");
    free (path);
    int count = 0;
    char line [2048];
    while (file && fgets (line, sizeof line, file))
        count += strstr (line, text) != NULL;
    if (file)
        fclose (file);
    return count;
}

static long
s_audit_rows (const char *action, const char *reason)
{
    const char *params [] = { action, reason };
    return harness_count (s_server, "SELECT count (*) FROM audit WHERE action = $1"
                          " AND reason = $2", 2, params);
}

//  A connection as the key, made now
static zsock_t *
s_dealer (zcert_t *cert)
{
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    zcert_apply (cert, dealer);
    zsock_set_curve_serverkey (dealer, s_server->server_key);
    zsock_set_rcvtimeo (dealer, 2000);
    zsock_set_sndtimeo (dealer, 2000);
    zsock_set_sndhwm (dealer, 10000);
    zsock_set_linger (dealer, 0);
    assert_int_equal (zsock_connect (dealer, "%s", s_server->router), 0);
    return dealer;
}

//  Sends `count` messages of `frames` frames (the last a clock request) on
//  the connection, without waiting, then reads the answers
static void
s_burst (zsock_t *dealer, int count, int frames)
{
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.version = BM_PROTOCOL_VERSION;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    request.clock = &clock;
    for (int index = 0; index < count; index++) {
        zmsg_t *message = zmsg_new ();
        uint64_t correlation = (uint64_t) index;
        for (int frame = 0; frame + 1 < frames; frame++)
            zmsg_addmem (message, &correlation, sizeof correlation);
        zframe_t *packed = bm_wire_pack (&request);
        zmsg_append (message, &packed);
        if (zmsg_send (&message, dealer))
            zmsg_destroy (&message);
    }
    zmsg_t *answer;
    int answers = 0;
    while (answers < count && (answer = zmsg_recv (dealer))) {
        answers++;
        zmsg_destroy (&answer);
    }
}

static void
test_refusals_cannot_flood_the_audit (void **state)
{
    //  300 connection attempts from keys nobody enrolled, as fast as they go
    long rows = s_audit_rows ("connect", "key not enrolled or revoked");
    int lines = s_log_lines ("connection refused");
    int64_t started = zclock_mono ();
    zsock_t *dealers [300];
    for (int index = 0; index < 300; index++) {
        zcert_t *stranger = zcert_new ();
        dealers [index] = zsock_new (ZMQ_DEALER);
        zcert_apply (stranger, dealers [index]);
        zsock_set_curve_serverkey (dealers [index], s_server->server_key);
        zsock_set_linger (dealers [index], 0);
        assert_int_equal (zsock_connect (dealers [index], "%s", s_server->router), 0);
        zcert_destroy (&stranger);
    }
    zclock_sleep (1500);
    for (int index = 0; index < 300; index++)
        zsock_destroy (&dealers [index]);
    //  A row a peer holds the audit's rows back until the turn commits
    zcert_t *town = harness_enroll (s_server, "泖港观察", "subscriber", "qingpu", NULL);
    zcert_destroy (&town);
    long seconds = (zclock_mono () - started) / 1000 + 1;
    rows = s_audit_rows ("connect", "key not enrolled or revoked") - rows;
    lines = s_log_lines ("connection refused") - lines;
    print_message ("  300 attempts from unenrolled keys in %ld s: %ld audit rows, %d log lines\n",
                   seconds, rows, lines);
    assert_true (rows >= 1 && rows <= seconds * 5);
    assert_true (lines >= 1 && lines <= seconds * 5);

    //  A revoked key sending 3000 requests on its open connection, and
    //  1000 malformed messages from an enrolled one
    zcert_t *revoked = harness_enroll (s_server, "调离人员", "subscriber", "qingpu", NULL);
    zcert_t *sloppy = harness_enroll (s_server, "坏脚本", "subscriber", "qingpu", NULL);
    zsock_t *open = s_dealer (revoked);
    s_burst (open, 1, 2);           //  connected, and answered, before the revocation
    harness_revoke (s_server, revoked, "人员调离");
    started = zclock_mono ();
    long revoked_rows = s_refusals (zcert_public_txt (revoked), "request");
    s_burst (open, 3000, 2);
    zsock_t *other = s_dealer (sloppy);
    s_burst (other, 1000, 3);
    zsock_destroy (&other);
    zcert_t *flush = harness_enroll (s_server, "泖港观察二", "subscriber", "qingpu", NULL);
    zcert_destroy (&flush);
    seconds = (zclock_mono () - started) / 1000 + 1;
    revoked_rows = s_refusals (zcert_public_txt (revoked), "request") - revoked_rows;
    long malformed_rows = s_refusals (zcert_public_txt (sloppy), "request");
    print_message ("  3000 requests from a revoked key and 1000 malformed in %ld s: %ld and %ld"
                   " audit rows\n", seconds, revoked_rows, malformed_rows);
    assert_true (revoked_rows >= 1 && revoked_rows <= seconds * 5);
    assert_true (malformed_rows >= 1 && malformed_rows <= seconds * 5);
    zsock_destroy (&open);
    zcert_destroy (&revoked);
    zcert_destroy (&sloppy);
}

static void
test_subscriptions_are_capped (void **state)
{
    zcert_t *hostile = harness_enroll (s_server, "订阅脚本", "subscriber", "qingpu", NULL);
    zcert_t *wall = harness_enroll (s_server, "徐泾镇大屏", "subscriber", "qingpu", "徐泾镇",
                                    NULL);
    bm_watch_t *watch = harness_watch (s_server, "completion/qingpu/徐泾镇/", wall);
    zclock_sleep (300);
    Battlemap__Envelope *before = s_submit_as (s_server->admin, "徐泾镇", "21.5");
    bm_wire_free (&before);
    before = bm_watch_recv (watch, 5000, NULL);
    assert_non_null (before);       //  the wall gets its events
    bm_wire_free (&before);
    //  A subscriber within its scope, sending ever new prefixes
    zsock_t *sub = zsock_new (ZMQ_SUB);
    zcert_apply (hostile, sub);
    zsock_set_curve_serverkey (sub, s_server->server_key);
    zsock_set_subscribe (sub, "completion/qingpu/赵巷镇/");
    assert_int_equal (zsock_connect (sub, "%s", s_server->pub), 0);
    zclock_sleep (300);
    for (int index = 0; index < 200; index++) {
        char prefix [64];
        snprintf (prefix, sizeof prefix, "completion/qingpu/赵巷镇/x%d/", index);
        zsock_set_subscribe (sub, prefix);
    }
    //  Refused, audited once, barred; everyone else comes back
    int64_t deadline = zclock_mono () + 10000;
    while (s_refusals (zcert_public_txt (hostile), "subscribe") == 0
       &&  zclock_mono () < deadline)
        zclock_sleep (100);
    const char *params [] = { zcert_public_txt (hostile) };
    long capped = harness_count (s_server, "SELECT count (*) FROM audit WHERE public_key = $1"
                                 " AND reason = 'too many subscriptions'", 1, params);
    print_message ("  200 prefixes from one key: %ld audit rows for the cap\n", capped);
    assert_int_equal (capped, 1);
    //  The others reconnect and subscribe again (a SUB socket does so when
    //  its program next calls into it: bm_follow notices what it missed
    //  meanwhile by the heartbeat's sequence numbers and catches up)
    Battlemap__Envelope *missed = bm_watch_recv (watch, 1000, NULL);
    if (missed)
        bm_wire_free (&missed);
    Battlemap__Envelope *reply = s_submit_as (s_server->admin, "徐泾镇", "22");
    bm_wire_free (&reply);
    reply = s_submit_as (s_server->admin, "赵巷镇", "7.7");
    bm_wire_free (&reply);
    Battlemap__Envelope *event = bm_watch_recv (watch, 5000, NULL);
    assert_non_null (event);        //  the wall still gets its events
    bm_wire_free (&event);
    zsock_set_rcvtimeo (sub, 1500);
    zmsg_t *message = zmsg_recv (sub);
    assert_null (message);          //  the barred key gets none
    zsock_destroy (&sub);
    bm_watch_destroy (&watch);
    zcert_destroy (&hostile);
    zcert_destroy (&wall);
}

static void
test_keys_are_private_and_never_logged (void **state)
{
    //  The server's secret key file is the owner's alone
    char *secret = zsys_sprintf ("%s/server.cert_secret", s_server->keys);
    struct stat info;
    assert_int_equal (stat (secret, &info), 0);
    assert_int_equal (info.st_mode & 0777, 0600);
    zcert_t *server = zcert_load (secret);
    free (secret);
    assert_non_null (server);
    //  and its secret never appears in the server's log
    char *log = zsys_sprintf ("%s/battlemapd.log", s_server->datadir);
    zchunk_t *chunk = zchunk_slurp (log, 0);
    assert_non_null (chunk);
    char *text = zchunk_strdup (chunk);
    assert_null (strstr (text, zcert_secret_txt (server)));
    assert_non_null (strstr (text, zcert_public_txt (server)));
    free (text);
    zchunk_destroy (&chunk);
    free (log);
    zcert_destroy (&server);

    //  bm_keys makes private secret files and refuses ones others can read
    char directory [] = "/tmp/bm-keys-XXXXXX";
    assert_non_null (mkdtemp (directory));
    char *sub = zsys_sprintf ("%s/towns", directory);
    zcert_t *cert = bm_keys_create (sub, "赵巷镇");
    assert_non_null (cert);
    char *path = zsys_sprintf ("%s/赵巷镇.cert_secret", sub);
    assert_int_equal (stat (path, &info), 0);
    assert_int_equal (info.st_mode & 0777, 0600);
    assert_null (bm_keys_create (sub, "赵巷镇"));             //  never overwritten
    zcert_t *loaded = bm_keys_load_secret (path);
    assert_non_null (loaded);
    assert_string_equal (zcert_secret_txt (loaded), zcert_secret_txt (cert));
    zcert_destroy (&loaded);
    assert_int_equal (chmod (path, 0644), 0);
    assert_null (bm_keys_load_secret (path));
    zcert_destroy (&cert);
    free (path);
    free (sub);
    harness_remove_tree (directory);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_unknown_key_cannot_connect),
        cmocka_unit_test (test_town_submits_only_for_itself),
        cmocka_unit_test (test_subscriber_sees_only_its_scope),
        cmocka_unit_test (test_new_scope_applies_to_open_subscriptions),
        cmocka_unit_test (test_revoked_key_refused_mid_connection),
        cmocka_unit_test (test_only_administrators_load_plans_and_enrol),
        cmocka_unit_test (test_flood_is_limited_per_key),
        cmocka_unit_test (test_refusals_cannot_flood_the_audit),
        cmocka_unit_test (test_subscriptions_are_capped),
        cmocka_unit_test (test_keys_are_private_and_never_logged),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
