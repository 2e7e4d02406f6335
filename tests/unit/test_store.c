/*  test_store: the writer's turns on a real PostgreSQL (the embedded
    cluster, under a mkdtemp directory removed at the end).

    Turns go out pipelined: one may be sent while the one before it still
    commits. Whatever the shape of the two, the later one must never be
    stored on top of one that failed, and a turn sent when nothing is in
    flight stands on its own.
*/

#include "bm_pgcluster.h"
#include "bm_store.h"

#include <czmq.h>
#include <libpq-fe.h>

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <unistd.h>
#include <cmocka.h>

#define S_TEST_SECONDS  90      //  a test still running after this fails

static char s_root [] = "/tmp/bm-storetest-XXXXXX";
static bm_pgcluster_t *s_cluster;

static int
s_remove_entry (const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    return remove (path);
}

//  What the settled callback saw, in order
typedef struct {
    int64_t turns [16];
    bool committed [16];
    int count;
} s_settled_t;

static void
s_on_settled (void *arg, int64_t turn, bool committed)
{
    s_settled_t *settled = (s_settled_t *) arg;
    assert_true (settled->count < 16);
    settled->turns [settled->count] = turn;
    settled->committed [settled->count] = committed;
    settled->count++;
}

//  Waits until nothing is in flight
static void
s_settle_all (bm_store_t *store, s_settled_t *settled)
{
    while (bm_store_collect (store, true, s_on_settled, settled))
        ;
}

static void
s_event (bm_batch_t *batch, uint64_t seq)
{
    const char payload [] = "payload";
    bm_batch_event (batch, seq, "2023-03-05 10:00:00+08", "figure", "figure/qingpu/练塘镇/",
                    payload, sizeof payload - 1);
}

//  An audit row: `at` bad makes the whole turn fail
static void
s_audit (bm_batch_t *batch, const char *at, const char *detail)
{
    const char *values [7] = { at, "key", "练塘镇", "submit", "done", "", detail };
    bm_batch_audit (batch, values);
}

//  A turn's one row: an event, or an audit row
static void
s_one (bm_batch_t *batch, bool event, uint64_t seq, const char *at, const char *detail)
{
    if (event)
        s_event (batch, seq);
    else
        s_audit (batch, at, detail);
}

static long
s_count (bm_store_t *store, const char *sql)
{
    PGresult *result = PQexec (bm_store_db (store), sql);
    if (PQresultStatus (result) != PGRES_TUPLES_OK)
        fail_msg ("%s: %s", sql, PQerrorMessage (bm_store_db (store)));
    long count = atol (PQgetvalue (result, 0, 0));
    PQclear (result);
    return count;
}

static int64_t
s_send (bm_store_t *store, bm_batch_t *batch)
{
    int64_t turn = bm_store_send (store, batch);
    assert_true (turn > 0);
    bm_batch_reset (batch);
    return turn;
}

//  Sends a turn with nothing else in flight and waits for it: whether it
//  was committed
static bool
s_commit (bm_store_t *store, bm_batch_t *batch)
{
    s_send (store, batch);
    s_settled_t settled = { { 0 }, { 0 }, 0 };
    s_settle_all (store, &settled);
    assert_int_equal (settled.count, 1);
    return settled.committed [0];
}

static int
s_setup (void **state)
{
    alarm (S_TEST_SECONDS);
    return 0;
}

static int
s_teardown (void **state)
{
    alarm (0);
    return 0;
}

static int
s_group_setup (void **state)
{
    if (!mkdtemp (s_root) || chmod (s_root, 0755))
        return -1;
    char *datadir = zsys_sprintf ("%s/cluster", s_root);
    s_cluster = bm_pgcluster_new (datadir);
    free (datadir);
    return s_cluster? 0: -1;
}

static int
s_group_teardown (void **state)
{
    bm_pgcluster_destroy (&s_cluster);
    nftw (s_root, s_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

//  ---------------------------------------------------------------------
//  Tests

//  A large turn's rows beside its one row: more audit rows than go as
//  VALUES, so that the turn is one statement over arrays
static void
s_fill (bm_batch_t *batch, bool large)
{
    for (int row = 0; large && row <= BM_BATCH_VALUES_ROWS; row++)
        s_audit (batch, "2023-03-05 10:00:00+08", "filler");
}

//  Two turns in flight at once, of each pair of shapes (with events, or
//  without), small (plain statements) and large (one statement): both
//  commit; then the first of such a pair fails, and the second, sent while
//  the first was in flight, is not stored
static void
test_turn_after_a_failed_one_fails (void **state)
{
    bm_store_t *store = bm_store_new (bm_pgcluster_conninfo (s_cluster));
    assert_non_null (store);
    bm_batch_t *batch = bm_batch_new ();
    s_settled_t settled = { { 0 }, { 0 }, 0 };
    uint64_t seq = 0;

    for (int large = 0; large < 2; large++) {
        //  Good pairs: event then event, event then none, none then event,
        //  none then none
        for (int shape = 0; shape < 4; shape++) {
            seq += (shape & 2)? 1: 0;
            s_one (batch, shape & 2, seq, "2023-03-05 10:00:00+08", "first");
            s_fill (batch, large);
            int64_t first = s_send (store, batch);
            assert_int_equal (bm_store_in_flight (store), 1);
            seq += (shape & 1)? 1: 0;
            s_one (batch, shape & 1, seq, "2023-03-05 10:00:01+08", "second");
            s_fill (batch, large);
            int64_t second = s_send (store, batch);
            assert_int_equal (bm_store_in_flight (store), 2);
            settled.count = 0;
            s_settle_all (store, &settled);
            assert_int_equal (settled.count, 2);
            assert_int_equal (settled.turns [0], first);
            assert_int_equal (settled.turns [1], second);
            assert_true (settled.committed [0]);
            assert_true (settled.committed [1]);
        }
        assert_int_equal (s_count (store, "SELECT count (*) FROM event"), seq);
        assert_int_equal (s_count (store, "SELECT count (*) FROM audit"
                                          " WHERE detail <> 'filler'"), 4 * (large + 1));
        assert_int_equal (s_count (store, "SELECT count (*) FROM audit"
                                          " WHERE detail = 'filler'"),
                          large * 8 * (BM_BATCH_VALUES_ROWS + 1));
        long audits = s_count (store, "SELECT count (*) FROM audit");

        //  Failing pairs: the first fails (an audit row whose time is not a
        //  time, with or without the next events), the second is sent while
        //  it is in flight and must not be stored
        for (int shape = 0; shape < 4; shape++) {
            if (shape & 2)
                s_event (batch, seq + 1);
            s_audit (batch, "not a time", "bad");
            s_fill (batch, large);
            s_send (store, batch);
            s_one (batch, shape & 1, seq + 2, "2023-03-05 10:00:02+08", "after a failed turn");
            s_fill (batch, large);
            s_send (store, batch);
            settled.count = 0;
            s_settle_all (store, &settled);
            assert_int_equal (settled.count, 2);
            assert_false (settled.committed [0]);
            assert_false (settled.committed [1]);
            assert_int_equal (s_count (store, "SELECT count (*) FROM event"), seq);
            assert_int_equal (s_count (store, "SELECT count (*) FROM audit"), audits);
            assert_int_equal (bm_store_resume (store), 0);
        }
    }

    //  A turn sent with nothing in flight after a failed one stands alone
    s_audit (batch, "not a time", "bad");
    assert_false (s_commit (store, batch));
    assert_int_equal (bm_store_resume (store), 0);
    s_event (batch, ++seq);
    assert_true (s_commit (store, batch));
    assert_int_equal (s_count (store, "SELECT count (*) FROM event"), seq);

    bm_batch_destroy (&batch);
    bm_store_destroy (&store);
}

//  A figure, `n` making it unique, with its column `column` (if not -1)
//  replaced by `value`
static void
s_figure (bm_batch_t *batch, int n, int column, const char *value)
{
    char id [16], at [32], uuid [40];
    snprintf (id, sizeof id, "%d", 1000 + n);
    snprintf (at, sizeof at, "2023-03-05 10:00:%02d+08", n % 60);
    snprintf (uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", n);
    const char *values [16] = { id, uuid, "hash", "3", "17", "2023-03-01", "final", "12.5",
                                NULL, "说明", "练塘镇", "false", NULL, at, "key", "true" };
    if (column >= 0)
        values [column] = value;
    bm_batch_figure (batch, values);
}

//  An alert, the same way
static void
s_alert (bm_batch_t *batch, int n, int column, const char *value)
{
    char id [16], at [32], labels [48];
    snprintf (id, sizeof id, "%d", 1000 + n);
    snprintf (at, sizeof at, "2023-03-05 10:00:%02d+08", n % 60);
    snprintf (labels, sizeof labels, "lagging|qingpu|练塘镇|%d", n);
    const char *values [23] = { id, labels, "lagging", "qingpu", "练塘镇", "industrial-output",
                                "", "2023-03", "final", "warning", "firing", "80.5",
                                "练塘镇 滞后", at, at, NULL, NULL, "", "", NULL, "", "", "" };
    if (column >= 0)
        values [column] = value;
    bm_batch_alert (batch, values);
}

//  One row of each table, by its queue function; `n` makes it unique
static void
s_row (bm_batch_t *batch, int table, int n)
{
    char id [16], at [32];
    snprintf (id, sizeof id, "%d", 1000 + n);
    snprintf (at, sizeof at, "2023-03-05 10:00:%02d+08", n % 60);
    switch (table) {
        case 0: {
            const char *values [13] = { id, "1", "2023-03-01", "final", "{a,b}", at,
                                        "requested", "停电", "练塘镇", at, "", NULL, "" };
            bm_batch_exception (batch, values);
            break;
        }
        case 1:
            s_figure (batch, n, -1, NULL);
            break;
        case 2:
            s_event (batch, (uint64_t) n);
            break;
        case 3:
            bm_batch_family (batch, n % 2? "figure/": "figure/qingpu/", (uint64_t) n);
            break;
        case 4:
            s_alert (batch, n, -1, NULL);
            break;
        case 5:
            s_audit (batch, at, "row");
            break;
        case 6: {
            const char *values [5] = { "1", "2023-03-01", "final", at, at };
            bm_batch_deadline (batch, values);
            break;
        }
        default:
            bm_batch_snapshot (batch, "1", "2023-03-01", at, "wall", 4);
    }
}

//  Every table's statement, for a few rows (VALUES) and for more (unnest):
//  each is prepared on the real schema, and the tables that refer to no
//  other are written both ways
static void
test_every_table_both_ways (void **state)
{
    bm_store_t *store = bm_store_new (bm_pgcluster_conninfo (s_cluster));
    assert_non_null (store);
    bm_batch_t *batch = bm_batch_new ();
    for (int table = 0; table < 8; table++)
        for (int rows = 1; rows <= 6; rows++) {
            for (int row = 0; row < rows; row++)
                s_row (batch, table, 900000 + 10 * table + row);
            int params;
            char *sql = bm_batch_table_sql (table, rows <= BM_BATCH_VALUES_ROWS? rows: 0,
                                            &params);
            PGresult *result = PQprepare (bm_store_db (store), "", sql, params, NULL);
            if (PQresultStatus (result) != PGRES_COMMAND_OK)
                fail_msg ("table %d, %d rows: %s\n%s", table, rows,
                          PQerrorMessage (bm_store_db (store)), sql);
            PQclear (result);
            free (sql);
            bm_batch_reset (batch);
        }
    //  Figures, events, families, alerts and audit rows: one of each in a
    //  turn, then two, four (the most as VALUES) and five (unnest)
    const char *count_sql [] = {
        "SELECT count (*) FROM figure WHERE id >= 1000",
        "SELECT count (*) FROM event WHERE seq >= 500000",
        "SELECT count (*) FROM alert WHERE id >= 1000",
        "SELECT count (*) FROM audit WHERE detail = 'row'"
    };
    int n = 500000;
    int turns [] = { 1, 2, 4, 5 };
    for (size_t turn = 0; turn < sizeof turns / sizeof turns [0]; turn++) {
        for (int row = 0; row < turns [turn]; row++, n++)
            for (int table = 1; table <= 5; table++)
                s_row (batch, table, n);
        assert_true (s_commit (store, batch));
    }
    for (size_t index = 0; index < sizeof count_sql / sizeof count_sql [0]; index++)
        assert_int_equal (s_count (store, count_sql [index]), 12);
    //  NULL stays NULL, text stays text, through either form
    assert_int_equal (s_count (store, "SELECT count (*) FROM figure WHERE id >= 1000"
                                      " AND status IS NULL AND exception_id IS NULL"
                                      " AND note = '说明' AND value = 12.5 AND confirmed"
                                      " AND NOT late AND indicator_id = 3 AND unit_id = 17"),
                      12);
    //  Text that a text array would have to quote and escape, as it was
    const char *awkward = "\"引号\", {括号}, 反斜杠 \\ 'NULL' NULL";
    for (int row = 0; row < 5; row++)
        s_audit (batch, "2023-03-05 10:00:00+08", awkward);
    assert_true (s_commit (store, batch));
    const char *params [] = { awkward };
    PGresult *result = PQexecParams (bm_store_db (store), "SELECT count (*) FROM audit"
                                     " WHERE detail = $1", 1, NULL, params, NULL, NULL, 0);
    assert_int_equal (PQresultStatus (result), PGRES_TUPLES_OK);
    assert_string_equal (PQgetvalue (result, 0, 0), "5");
    PQclear (result);
    assert_int_equal (s_count (store, "SELECT count (*) FROM event WHERE seq >= 500000"
                                      " AND payload = 'payload'::bytea"), 12);
    //  Each row in its place: the families' last one queued wins
    assert_int_equal (s_count (store, "SELECT max (seq) FROM event_family"
                                      " WHERE prefix = 'figure/'"), 500011);
    assert_int_equal (s_count (store, "SELECT count (*) FROM figure WHERE id >= 1000"
                                      " AND submission_id::text = '00000000-0000-4000-8000-'"
                                      "  || lpad ((id - 1000)::text, 12, '0')"), 12);
    assert_int_equal (s_count (store, "SELECT count (*) FROM alert WHERE id >= 1000"
                                      " AND labels = 'lagging|qingpu|练塘镇|' || (id - 1000)"), 12);
    bm_batch_destroy (&batch);
    bm_store_destroy (&store);
}

//  The rules of a figure's and an alert's columns (kinds, statuses, the
//  first of a month) hold in the database itself, through either form: a
//  turn with one row that breaks one is not committed, and stores nothing
static void
test_database_refuses_what_the_rules_forbid (void **state)
{
    bm_store_t *store = bm_store_new (bm_pgcluster_conninfo (s_cluster));
    assert_non_null (store);
    bm_batch_t *batch = bm_batch_new ();
    //  column, the bad value; figure columns first, then alert columns
    struct {
        int column;
        const char *value;
    } figure_bad [] = { { 5, "2023-03-02" }, { 6, "estimate" }, { 8, "finished" } },
      alert_bad [] = { { 2, "late" }, { 9, "fatal" }, { 10, "open" }, { 22, "gone" } };
    size_t figures = sizeof figure_bad / sizeof figure_bad [0];
    size_t alerts = sizeof alert_bad / sizeof alert_bad [0];
    int n = 700000;
    for (size_t bad = 0; bad < figures + alerts; bad++)
        for (int rows = 1; rows <= 2; rows++) {
            //  The last row of the turn breaks the rule
            for (int row = 0; row < rows; row++, n++) {
                bool breaks = row == rows - 1;
                if (bad < figures)
                    s_figure (batch, n, breaks? figure_bad [bad].column: -1,
                              figure_bad [bad].value);
                else
                    s_alert (batch, n, breaks? alert_bad [bad - figures].column: -1,
                             alert_bad [bad - figures].value);
            }
            if (s_commit (store, batch))
                fail_msg ("rule %zu, %d rows: committed", bad, rows);
            assert_int_equal (bm_store_resume (store), 0);
        }
    assert_int_equal (s_count (store, "SELECT count (*) FROM figure WHERE id >= 700000"), 0);
    assert_int_equal (s_count (store, "SELECT count (*) FROM alert WHERE id >= 700000"), 0);
    //  The same rows with nothing broken are stored, in both forms
    for (int rows = 1; rows <= 2; rows++) {
        for (int row = 0; row < rows; row++, n++)
            s_row (batch, 1, n);
        assert_true (s_commit (store, batch));
    }
    assert_int_equal (s_count (store, "SELECT count (*) FROM figure WHERE id >= 700000"), 3);
    bm_batch_destroy (&batch);
    bm_store_destroy (&store);
}

//  Every shape of turn commits, and the writer keeps one statement per
//  table and number of rows, however many shapes the turns take: the
//  statements met are used again, not prepared per shape
static void
test_prepared_statements_stay_bounded (void **state)
{
    bm_store_t *store = bm_store_new (bm_pgcluster_conninfo (s_cluster));
    assert_non_null (store);
    bm_batch_t *batch = bm_batch_new ();
    //  Turns of one to four rows of figures, events, alerts and audit rows,
    //  and one or two families (a family is one row whatever is queued for
    //  it): 512 shapes, as VALUES all of them, of which 300 are sent
    int turns = 300;
    int n = 800000, rows = 0;
    for (int turn = 0; turn <= turns; turn++) {
        //  The last turn has the first turn's shape again
        int shape = turn < turns? turn: 0;
        const int tables [] = { 1, 2, 4, 5, 3 };
        for (int index = 0; index < 5; index++) {
            int base = tables [index] == 3? 2: 4;
            int count = 1 + shape % base;
            shape /= base;
            for (int row = 0; row < count; row++, n++)
                s_row (batch, tables [index], n);
            rows += tables [index] == 1? count: 0;
        }
        if (!s_commit (store, batch))
            fail_msg ("turn %d was not committed", turn);
    }
    //  Four tables with one to four rows, and the families with one or two
    assert_int_equal (bm_store_prepared (store), 4 * 4 + 2);
    assert_int_equal (s_count (store, "SELECT count (*) FROM figure WHERE id >= 801000"), rows);
    bm_batch_destroy (&batch);
    bm_store_destroy (&store);
}

//  The single-writer lock, as battlemapd takes it
#define S_WRITER_LOCK "SELECT pg_advisory_lock (7273470062)"

//  Another connection, in a thread of its own, holds the lock for 400 ms
//  once it has it, then closes
typedef struct {
    int ready [2];              //  it writes 'y' once it holds the lock, 'n' if it cannot
} s_holder_t;

static void *
s_hold_lock (void *arg)
{
    s_holder_t *holder = (s_holder_t *) arg;
    PGconn *db = PQconnectdb (bm_pgcluster_conninfo (s_cluster));
    PGresult *result = PQexec (db, S_WRITER_LOCK);
    bool locked = PQresultStatus (result) == PGRES_TUPLES_OK;
    PQclear (result);
    if (write (holder->ready [1], locked? "y": "n", 1) == 1 && locked)
        usleep (400 * 1000);
    PQfinish (db);
    return NULL;
}

//  A writer that has just stopped may still hold the lock a moment: the
//  next one waits for it; one that stays is refused
static void
test_writer_lock_waited_for (void **state)
{
    s_holder_t holder;
    assert_int_equal (pipe (holder.ready), 0);
    pthread_t thread;
    assert_int_equal (pthread_create (&thread, NULL, s_hold_lock, &holder), 0);
    char answer = 0;
    assert_int_equal (read (holder.ready [0], &answer, 1), 1);
    assert_int_equal (answer, 'y');
    int64_t started = zclock_mono ();
    bm_store_t *store = bm_store_new (bm_pgcluster_conninfo (s_cluster));
    int64_t waited = zclock_mono () - started;
    assert_int_equal (pthread_join (thread, NULL), 0);
    close (holder.ready [0]);
    close (holder.ready [1]);
    assert_non_null (store);
    assert_true (waited >= 100);
    //  While this one serves, another is refused
    bm_store_t *second = bm_store_new (bm_pgcluster_conninfo (s_cluster));
    assert_null (second);
    bm_store_destroy (&store);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_turn_after_a_failed_one_fails, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_every_table_both_ways, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_database_refuses_what_the_rules_forbid,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_prepared_statements_stay_bounded, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_writer_lock_waited_for, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, s_group_setup, s_group_teardown);
}
