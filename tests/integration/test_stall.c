/*  No one can stall the server: the largest submission allowed
    (BM_MAX_BATCH, chosen so that taking it holds the server's loop about
    0.2 s at most), every figure into one cell, costs time linear in its
    figures (10,000 into one cell once took 372 s), and while it is taken
    another client's request waits about that long, not more. Prints what
    it measured; asserts only what cannot flake: that the cost per figure
    does not grow with the number of figures in the cell (a factor of two
    of margin). A larger submission is refused TOO_LARGE (test_bad_input).
    A turn slower than --log-slow is logged with where its time went. */

#include "harness.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/wait.h>

static harness_t *s_server;

static int
s_setup (void **state)
{
    //  Every turn of a millisecond or more logged, for test_slow_turns_logged;
    //  no spin while a commit is in flight (every other test runs with it):
    //  the loop sleeps in every poll
    s_server = harness_start_with (NULL, true, "--backfill", "--log-slow", "1",
                                   "--spin-us", "0", NULL);
    return 0;
}

static int
s_teardown (void **state)
{
    harness_stop (&s_server, false);
    return 0;
}

//  One submission of `count` figures into one cell (赵巷镇's June final of
//  规上工业总产值), values rising; returns the msecs it took
static int64_t
s_one_cell (bm_client_t *client, int count, int round)
{
    Battlemap__Figure *figures = calloc ((size_t) count, sizeof *figures);
    Battlemap__Figure **pointers = calloc ((size_t) count, sizeof *pointers);
    char (*ids) [BM_CLIENT_ID_SIZE] = calloc ((size_t) count, BM_CLIENT_ID_SIZE);
    char (*values) [24] = calloc ((size_t) count, 24);
    for (int index = 0; index < count; index++) {
        snprintf (values [index], 24, "%d.%04d", 8 + round, index);
        harness_figure (figures + index, ids [index], "赵巷镇", "industrial-output", NULL,
                        "2023-06", BATTLEMAP__FIGURE_KIND__FINAL, values [index]);
        figures [index].confirmed = true;
        pointers [index] = figures + index;
    }
    int64_t started = zclock_mono ();
    Battlemap__Envelope *reply = bm_client_submit (client, pointers, (size_t) count);
    int64_t took = zclock_mono () - started;
    assert_non_null (reply);
    if (reply->body_case != BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY)
        fail_msg ("%d figures refused: %s", count, reply->error->message);
    assert_int_equal (reply->submit_reply->n_receipts, count);
    bm_wire_free (&reply);
    free (figures);
    free (pointers);
    free (ids);
    free (values);
    return took;
}

static void
test_one_cell_is_linear (void **state)
{
    bm_client_t *client = harness_client (s_server);
    bm_client_set_timeout (client, 120000);
    bm_client_set_attempts (client, 1);
    int sizes [] = { 250, 1000, BM_MAX_BATCH };
    assert_true (BM_MAX_BATCH >= 1000);
    double per_figure [3];
    for (int index = 0; index < 3; index++) {
        int64_t took = s_one_cell (client, sizes [index], index);
        per_figure [index] = (double) took * 1000 / sizes [index];
        print_message ("  %5d figures into one cell: %lld ms, %.1f us a figure\n", sizes [index],
                       (long long) took, per_figure [index]);
    }
    //  Linear: the largest costs no more per figure than twice the smallest
    assert_true (per_figure [2] < 2 * per_figure [0] + 50);
    bm_client_destroy (&client);
}

static void
test_others_wait_a_bound (void **state)
{
    //  While the largest submission is taken, a clock request from another
    //  client is answered
    zactor_t *submitter = NULL;
    bm_client_t *client = harness_client (s_server);
    bm_client_set_timeout (client, 120000);
    bm_client_set_attempts (client, 1);
    bm_client_t *other = harness_client (s_server);
    //  The big one goes out without waiting for its answer
    Battlemap__Figure *figures = calloc (BM_MAX_BATCH, sizeof *figures);
    Battlemap__Figure **pointers = calloc (BM_MAX_BATCH, sizeof *pointers);
    char (*ids) [BM_CLIENT_ID_SIZE] = calloc (BM_MAX_BATCH, BM_CLIENT_ID_SIZE);
    char (*values) [24] = calloc (BM_MAX_BATCH, 24);
    for (int index = 0; index < BM_MAX_BATCH; index++) {
        snprintf (values [index], 24, "20.%04d", index);
        harness_figure (figures + index, ids [index], "徐泾镇", "industrial-output", NULL,
                        "2023-06", BATTLEMAP__FIGURE_KIND__FINAL, values [index]);
        figures [index].confirmed = true;
        pointers [index] = figures + index;
    }
    zsock_t *dealer = harness_dealer (s_server);
    harness_send_submit (dealer, pointers, BM_MAX_BATCH, 1);
    zclock_sleep (20);
    //  Meanwhile: a clock request
    Battlemap__ClockRequest clock = BATTLEMAP__CLOCK_REQUEST__INIT;
    Battlemap__Envelope ask = BATTLEMAP__ENVELOPE__INIT;
    ask.body_case = BATTLEMAP__ENVELOPE__BODY_CLOCK;
    ask.clock = &clock;
    int64_t started = zclock_mono ();
    Battlemap__Envelope *answer = bm_client_request (other, &ask);
    int64_t waited = zclock_mono () - started;
    assert_non_null (answer);
    bm_wire_free (&answer);
    zsock_set_rcvtimeo (dealer, 120000);
    zmsg_t *reply = zmsg_recv (dealer);
    int64_t whole = zclock_mono () - started;
    assert_non_null (reply);
    zmsg_destroy (&reply);
    print_message ("  a clock request waited %lld ms while %d figures (%lld ms in all) were "
                   "taken\n", (long long) waited, BM_MAX_BATCH, (long long) whole);
    zsock_destroy (&dealer);
    bm_client_destroy (&client);
    bm_client_destroy (&other);
    free (figures);
    free (pointers);
    free (ids);
    free (values);
    (void) submitter;
}

//  A turn slower than --log-slow is logged with where its time went; a
//  bad --log-slow or --spin-us is refused
static void
test_slow_turns_logged (void **state)
{
    bm_client_t *client = harness_client (s_server);
    s_one_cell (client, 200, 7);
    bm_client_destroy (&client);
    //  The line is written once the replies are sent (it says how long
    //  they took), so it may come just after the reply: looked for a while
    char *path = zsys_sprintf ("%s/battlemapd.log", s_server->datadir);
    bool found = false;
    for (int64_t deadline = zclock_mono () + 5000; !found && zclock_mono () < deadline; ) {
        FILE *file = fopen (path, "r");
        assert_non_null (file);
        char line [2048];
        while (fgets (line, sizeof line, file))
            found |= strstr (line, "slow turn: 200 figures answered")
                  && strstr (line, " engine ") && strstr (line, " database ")
                  && strstr (line, " replies ");
        fclose (file);
        if (!found)
            zclock_sleep (50);
    }
    free (path);
    assert_true (found);

    const char *refused [] = { "--log-slow 0", "--spin-us -1", "--spin-us 100001",
                               "--spin-us 2x", "--spin-us ''" };
    for (size_t index = 0; index < sizeof refused / sizeof refused [0]; index++) {
        char *command = zsys_sprintf ("%s %s >/dev/null 2>&1", getenv ("BATTLEMAPD"),
                                      refused [index]);
        int status = system (command);
        free (command);
        assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 2);
    }
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_one_cell_is_linear),
        cmocka_unit_test (test_others_wait_a_bound),
        cmocka_unit_test (test_slow_turns_logged),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
