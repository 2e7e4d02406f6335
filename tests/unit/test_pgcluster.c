/*  test_pgcluster: the embedded PostgreSQL cluster, started for real.

    Every test works under one mkdtemp directory (mode 0755, so that the
    postgres user can reach it when the tests run as root) removed at the
    end, and is bounded in time by an alarm.
*/

#include "bm_pgcluster.h"

#include <czmq.h>
#include <libpq-fe.h>

#include <errno.h>
#include <ftw.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#   include <sys/prctl.h>
#endif
#include <cmocka.h>

#define S_TEST_SECONDS  90      //  a test still running after this fails

static char s_root [] = "/tmp/bm-pgtest-XXXXXX";

//  ---------------------------------------------------------------------
//  Helpers

static char *
s_path (const char *name)
{
    return zsys_sprintf ("%s/%s", s_root, name);
}

static int
s_remove_entry (const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    return remove (path);
}

static void
s_remove_tree (const char *path)
{
    nftw (path, s_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

//  Run sql and check its status; the caller clears the result
static PGresult *
s_exec (PGconn *conn, const char *sql, ExecStatusType expected)
{
    PGresult *result = PQexec (conn, sql);
    if (PQresultStatus (result) != expected)
        fail_msg ("%s: %s", sql, PQerrorMessage (conn));
    return result;
}

//  The single value a query returns, for the caller to free
static char *
s_query_value (PGconn *conn, const char *sql)
{
    PGresult *result = s_exec (conn, sql, PGRES_TUPLES_OK);
    assert_int_equal (PQntuples (result), 1);
    char *value = strdup (PQgetvalue (result, 0, 0));
    PQclear (result);
    return value;
}

static PGconn *
s_connect (bm_pgcluster_t *cluster)
{
    PGconn *conn = PQconnectdb (bm_pgcluster_conninfo (cluster));
    if (PQstatus (conn) != CONNECTION_OK)
        fail_msg ("cannot connect to %s: %s", bm_pgcluster_conninfo (cluster),
                  PQerrorMessage (conn));
    return conn;
}

static void
s_assert_gone (pid_t pid)
{
    assert_true (pid > 0);
    assert_int_equal (kill (pid, 0), -1);
    assert_int_equal (errno, ESRCH);
}

//  Reap every child (and adopted orphan) until none is left; bounded
static void
s_reap_all (int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    while (waitpid (-1, NULL, WNOHANG) >= 0 || errno != ECHILD) {
        if (zclock_mono () > deadline)
            fail_msg ("children still running after %d ms", timeout_ms);
        zclock_sleep (10);
    }
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
    return 0;
}

static int
s_group_teardown (void **state)
{
    s_remove_tree (s_root);
    return 0;
}


//  ---------------------------------------------------------------------
//  Tests

//  First start runs initdb; data survives a stop and a start
static void
test_start_query_restart (void **state)
{
    char *datadir = s_path ("cluster");
    int64_t started = zclock_mono ();
    bm_pgcluster_t *cluster = bm_pgcluster_new (datadir);
    int64_t first_ms = zclock_mono () - started;
    assert_non_null (cluster);
    assert_non_null (strstr (bm_pgcluster_conninfo (cluster), "dbname=battlemap"));
    assert_non_null (strstr (bm_pgcluster_conninfo (cluster), "user=postgres"));

    PGconn *conn = s_connect (cluster);
    PQclear (s_exec (conn, "CREATE TABLE figure (unit text PRIMARY KEY, amount numeric)",
                     PGRES_COMMAND_OK));
    PQclear (s_exec (conn, "INSERT INTO figure VALUES ('赵巷镇', 12.5), ('练塘镇', 7)",
                     PGRES_COMMAND_OK));
    PGresult *result = s_exec (conn, "SELECT unit, amount FROM figure ORDER BY amount DESC",
                               PGRES_TUPLES_OK);
    assert_int_equal (PQntuples (result), 2);
    assert_string_equal (PQgetvalue (result, 0, 0), "赵巷镇");
    assert_string_equal (PQgetvalue (result, 0, 1), "12.5");
    PQclear (result);
    PQfinish (conn);

    //  When root, the cluster belongs to postgres
    if (geteuid () == 0) {
        struct passwd *postgres = getpwnam ("postgres");
        struct stat st;
        assert_non_null (postgres);
        assert_int_equal (stat (bm_pgcluster_pgdata (cluster), &st), 0);
        assert_int_equal (st.st_uid, postgres->pw_uid);
    }
    pid_t pid = bm_pgcluster_pid (cluster);
    bm_pgcluster_destroy (&cluster);
    assert_null (cluster);
    bm_pgcluster_destroy (&cluster);
    s_assert_gone (pid);

    started = zclock_mono ();
    cluster = bm_pgcluster_new (datadir);
    int64_t restart_ms = zclock_mono () - started;
    assert_non_null (cluster);
    assert_int_not_equal (bm_pgcluster_pid (cluster), pid);
    conn = s_connect (cluster);
    char *value = s_query_value (conn, "SELECT sum(amount) FROM figure");
    assert_string_equal (value, "19.5");
    free (value);
    value = s_query_value (conn, "SELECT pg_encoding_to_char (encoding) FROM pg_database"
                                 " WHERE datname = current_database ()");
    assert_string_equal (value, "UTF8");
    free (value);
    value = s_query_value (conn, "SHOW listen_addresses");
    assert_string_equal (value, "");
    free (value);
    value = s_query_value (conn, "SHOW fsync");
    assert_string_equal (value, "on");
    free (value);
    value = s_query_value (conn, "SHOW shared_buffers");
    assert_string_equal (value, "32MB");
    free (value);
    PQfinish (conn);
    pid = bm_pgcluster_pid (cluster);
    bm_pgcluster_destroy (&cluster);
    s_assert_gone (pid);

    print_message ("first start (initdb) %d ms, restart %d ms\n",
                   (int) first_ms, (int) restart_ms);
    zstr_free (&datadir);
}

//  A second cluster object on a running cluster is refused, the first lives on
static void
test_second_instance_refused (void **state)
{
    char *datadir = s_path ("twice");
    bm_pgcluster_t *first = bm_pgcluster_new (datadir);
    assert_non_null (first);
    int64_t started = zclock_mono ();
    bm_pgcluster_t *second = bm_pgcluster_new (datadir);
    assert_null (second);
    print_message ("second instance refused in %d ms\n", (int) (zclock_mono () - started));
    assert_int_equal (PQping (bm_pgcluster_conninfo (first)), PQPING_OK);
    pid_t pid = bm_pgcluster_pid (first);
    bm_pgcluster_destroy (&first);
    s_assert_gone (pid);
    zstr_free (&datadir);
}

//  After a crash (postmaster killed, postmaster.pid left behind) the next
//  start recovers
static void
test_restart_after_crash (void **state)
{
#ifdef __linux__
    //  Adopt the killed postmaster's children, to see them all exit
    assert_int_equal (prctl (PR_SET_CHILD_SUBREAPER, 1), 0);
#endif
    char *datadir = s_path ("crash");
    bm_pgcluster_t *cluster = bm_pgcluster_new (datadir);
    assert_non_null (cluster);
    PGconn *conn = s_connect (cluster);
    PQclear (s_exec (conn, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)",
                     PGRES_COMMAND_OK));
    PQfinish (conn);
    pid_t pid = bm_pgcluster_pid (cluster);
    assert_int_equal (kill (pid, SIGKILL), 0);
    bm_pgcluster_destroy (&cluster);
    s_reap_all (10000);
    s_assert_gone (pid);
#ifdef __linux__
    assert_int_equal (prctl (PR_SET_CHILD_SUBREAPER, 0), 0);
#endif
    char *pidfile = zsys_sprintf ("%s/pgdata/postmaster.pid", datadir);
    assert_int_equal (access (pidfile, F_OK), 0);
    zstr_free (&pidfile);

    cluster = bm_pgcluster_new (datadir);
    assert_non_null (cluster);
    conn = s_connect (cluster);
    char *value = s_query_value (conn, "SELECT n FROM kept");
    assert_string_equal (value, "42");
    free (value);
    PQfinish (conn);
    bm_pgcluster_destroy (&cluster);
    zstr_free (&datadir);
}

//  The postmaster of a process that dies without destroying its cluster
//  shuts down by itself (Linux: parent-death signal)
static void
test_no_orphan_after_parent_dies (void **state)
{
#ifdef __linux__
    assert_int_equal (prctl (PR_SET_CHILD_SUBREAPER, 1), 0);
    char *datadir = s_path ("orphan");
    int pipe_fds [2];
    assert_int_equal (pipe (pipe_fds), 0);
    pid_t child = fork ();
    assert_true (child >= 0);
    if (child == 0) {
        //  Start a cluster, then end without destroying it. Through exec,
        //  so that valgrind has no leak to report about this process
        bm_pgcluster_t *cluster = bm_pgcluster_new (datadir);
        pid_t pid = cluster? bm_pgcluster_pid (cluster): 0;
        if (write (pipe_fds [1], &pid, sizeof pid) == sizeof pid)
            execl ("/bin/true", "true", (char *) NULL);
        _exit (1);
    }
    close (pipe_fds [1]);
    struct pollfd item = { pipe_fds [0], POLLIN, 0 };
    assert_int_equal (poll (&item, 1, 60000), 1);
    pid_t postmaster = 0;
    assert_int_equal (read (pipe_fds [0], &postmaster, sizeof postmaster), sizeof postmaster);
    close (pipe_fds [0]);
    assert_true (postmaster > 0);
    assert_int_equal (waitpid (child, NULL, 0), child);

    //  The postmaster is ours now (subreaper): it must exit on its own
    int64_t deadline = zclock_mono () + 30000;
    pid_t reaped = 0;
    while (reaped != postmaster && zclock_mono () < deadline) {
        reaped = waitpid (postmaster, NULL, WNOHANG);
        zclock_sleep (20);
    }
    assert_int_equal (reaped, postmaster);
    s_reap_all (10000);
    s_assert_gone (postmaster);
    assert_int_equal (prctl (PR_SET_CHILD_SUBREAPER, 0), 0);

    //  It shut down cleanly: a new start needs no crash recovery
    bm_pgcluster_t *cluster = bm_pgcluster_new (datadir);
    assert_non_null (cluster);
    bm_pgcluster_destroy (&cluster);
    zstr_free (&datadir);
#else
    skip ();
#endif
}

//  A data directory path too long for a Unix socket gets its socket in /tmp
static void
test_long_datadir (void **state)
{
    char *datadir = zsys_sprintf ("%s/%s", s_root,
        "a-data-directory-with-a-name-long-enough-to-overflow-a-unix-socket-path-by-far");
    bm_pgcluster_t *cluster = bm_pgcluster_new (datadir);
    assert_non_null (cluster);
    const char *conninfo = bm_pgcluster_conninfo (cluster);
    assert_memory_equal (conninfo, "host=/tmp/battlemap-pg-", 23);
    char *sockdir = strndup (conninfo + 5, strcspn (conninfo + 5, " "));
    PGconn *conn = s_connect (cluster);
    PQfinish (conn);
    bm_pgcluster_destroy (&cluster);
    assert_int_equal (access (sockdir, F_OK), -1);
    free (sockdir);
    zstr_free (&datadir);
}

//  A data directory that cannot be created, or is empty, is refused
static void
test_uncreatable_datadir (void **state)
{
    char *file = s_path ("plain-file");
    FILE *handle = fopen (file, "w");
    assert_non_null (handle);
    fclose (handle);
    char *datadir = zsys_sprintf ("%s/cluster", file);
    assert_null (bm_pgcluster_new (datadir));
    assert_null (bm_pgcluster_new (""));
    zstr_free (&datadir);
    zstr_free (&file);
}

//  As root, a parent directory postgres cannot enter is refused with a reason
static void
test_unreachable_datadir (void **state)
{
    if (geteuid () != 0)
        skip ();
    char *locked = s_path ("locked");
    assert_int_equal (mkdir (locked, 0700), 0);
    char *datadir = zsys_sprintf ("%s/cluster", locked);
    assert_null (bm_pgcluster_new (datadir));
    zstr_free (&datadir);
    zstr_free (&locked);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_start_query_restart, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_second_instance_refused, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_restart_after_crash, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_no_orphan_after_parent_dies, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_long_datadir, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_uncreatable_datadir, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_unreachable_datadir, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, s_group_setup, s_group_teardown);
}
