/*  The embedded default: battlemapd starts its own PostgreSQL in its data
    directory, stops it cleanly with itself, and finds everything again when
    started on the same directory. */

#include "harness.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <signal.h>
#include <errno.h>

//  The postmaster's pid from its pid file, or 0
static pid_t
s_postmaster (const char *datadir)
{
    char *path = zsys_sprintf ("%s/db/pgdata/postmaster.pid", datadir);
    FILE *file = fopen (path, "r");
    free (path);
    if (!file)
        return 0;
    int pid = 0;
    if (fscanf (file, "%d", &pid) != 1)
        pid = 0;
    fclose (file);
    return (pid_t) pid;
}

static void
test_data_survives_restart (void **state)
{
    harness_t *server = harness_start (NULL, true);
    char datadir [256];
    snprintf (datadir, sizeof datadir, "%s", server->datadir);
    pid_t postmaster = s_postmaster (datadir);
    assert_true (postmaster > 0);
    assert_int_equal (kill (postmaster, 0), 0);

    Battlemap__Figure figure;
    char id [BM_CLIENT_ID_SIZE];
    harness_figure (&figure, id, "朱家角镇", "retail-sales", NULL, "2023-02",
                    BATTLEMAP__FIGURE_KIND__FINAL, "4.6");
    Battlemap__Figure *figures [] = { &figure };
    bm_client_t *client = harness_client (server);
    Battlemap__Envelope *reply = bm_client_submit (client, figures, 1);
    bm_client_destroy (&client);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY);
    int64_t row = reply->submit_reply->receipts [0]->figure_id;
    char *received_at = strdup (reply->submit_reply->receipts [0]->received_at);
    bm_wire_free (&reply);
    harness_stop (&server, true);

    //  PostgreSQL went down with battlemapd
    assert_int_equal (kill (postmaster, 0), -1);
    assert_int_equal (errno, ESRCH);

    //  Same directory: the figure is there, the resend is answered, the
    //  plans reload without change and migrations do not run twice
    server = harness_start (datadir, true);
    client = harness_client (server);
    reply = bm_client_submit (client, figures, 1);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY);
    assert_int_equal (reply->submit_reply->receipts [0]->outcome,
                      BATTLEMAP__RECEIPT_OUTCOME__UNCHANGED);
    //  Answered with the row it was stored in (the id found in memory,
    //  filled from the record at start, and the row read by its key)
    assert_int_equal (reply->submit_reply->receipts [0]->figure_id, row);
    assert_string_equal (reply->submit_reply->receipts [0]->received_at, received_at);
    free (received_at);
    bm_wire_free (&reply);
    reply = bm_client_wall (client, "qingpu", "2023-02", "朱家角镇", false);
    bm_client_destroy (&client);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    bool found = false;
    for (size_t task = 0; task < reply->wall_reply->n_tasks; task++)
        if (streq (reply->wall_reply->tasks [task]->indicator, "retail-sales")) {
            assert_string_equal (reply->wall_reply->tasks [task]->measures [0]->actual, "4.6");
            found = true;
        }
    assert_true (found);
    bm_wire_free (&reply);
    //  Each shipped migration applied exactly once
    char *migrations = harness_source_path ("deploy/migrations");
    zdir_t *dir = zdir_new (migrations, NULL);
    assert_non_null (dir);
    long shipped = (long) zdir_count (dir);
    zdir_destroy (&dir);
    free (migrations);
    assert_true (shipped >= 2);
    assert_int_equal (harness_count (server,
        "SELECT count (*) FROM schema_migrations", 0, NULL), shipped);
    assert_int_equal (harness_count (server,
        "SELECT max (version) FROM schema_migrations", 0, NULL), shipped);
    assert_int_equal (harness_count (server,
        "SELECT version FROM plan WHERE code = 'qingpu-2023'", 0, NULL), 1);
    //  The append-only tables are vacuumed in small steps (migration 14)
    assert_int_equal (harness_count (server,
        "SELECT count (*) FROM pg_class WHERE relname IN ('figure', 'event', 'audit')"
        " AND reloptions @> ARRAY ['autovacuum_vacuum_insert_scale_factor=0',"
        " 'autovacuum_vacuum_insert_threshold=10000']", 0, NULL), 3);
    harness_stop (&server, false);
}

//  Starts battlemapd on a connection string and waits until it serves;
//  returns its pid
static pid_t
s_start_external (const char *conninfo, const char *directory, const char *endpoints,
                  const char *plans)
{
    pid_t pid = fork ();
    if (pid == 0) {
        const char *argv [] = { getenv ("BATTLEMAPD"), "--db", conninfo,
                                "--data-dir", directory,
                                "--router", "tcp://127.0.0.1:*", "--pub", "tcp://127.0.0.1:*",
                                "--endpoints-file", endpoints, "--plans", plans, NULL };
        int null = open ("/dev/null", O_WRONLY);
        dup2 (null, 1);
        dup2 (null, 2);
        execv (argv [0], (char **) argv);
        _exit (127);
    }
    //  Serving once it has written its endpoints
    int64_t deadline = zclock_mono () + 30000;
    while (zclock_mono () < deadline && !zsys_file_exists (endpoints))
        zclock_sleep (50);
    assert_true (zsys_file_exists (endpoints));
    return pid;
}

//  Starts battlemapd on a connection string with its output in `log`;
//  returns its pid
static pid_t
s_start_logged (const char *conninfo, const char *directory, const char *log)
{
    pid_t pid = fork ();
    if (pid == 0) {
        const char *argv [] = { getenv ("BATTLEMAPD"), "--db", conninfo,
                                "--data-dir", directory,
                                "--router", "tcp://127.0.0.1:*", "--pub", "tcp://127.0.0.1:*",
                                NULL };
        int out = open (log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2 (out, 1);
        dup2 (out, 2);
        execv (argv [0], (char **) argv);
        _exit (127);
    }
    return pid;
}

//  What a file holds, as a string to free
static char *
s_slurp (const char *path)
{
    zchunk_t *chunk = zchunk_slurp (path, 0);
    assert_non_null (chunk);
    char *text = zchunk_strdup (chunk);
    zchunk_destroy (&chunk);
    return text;
}

static void
test_external_database (void **state)
{
    //  Given a connection string, battlemapd uses that server and starts
    //  no cluster of its own: point a second battlemapd at another database
    //  of the first one's PostgreSQL
    harness_t *embedded = harness_start (NULL, false);
    PGresult *created = PQexec (embedded->db, "CREATE DATABASE battlemap_second");
    assert_int_equal (PQresultStatus (created), PGRES_COMMAND_OK);
    PQclear (created);
    char *second = zsys_sprintf ("%s dbname=battlemap_second", embedded->conninfo);
    char directory [] = "/tmp/bm-ext-XXXXXX";
    assert_non_null (mkdtemp (directory));
    char *endpoints = zsys_sprintf ("%s/endpoints", directory);
    char *plans = harness_source_path ("deploy/plans/baoshan-2023");
    pid_t pid = s_start_external (second, directory, endpoints, plans);
    //  The plan it loaded is in the database it was given
    PGconn *db = PQconnectdb (second);
    assert_int_equal (PQstatus (db), CONNECTION_OK);
    PGresult *result = PQexec (db, "SELECT count (*) FROM plan WHERE code = 'baoshan-2023'");
    assert_int_equal (PQresultStatus (result), PGRES_TUPLES_OK);
    assert_string_equal (PQgetvalue (result, 0, 0), "1");
    PQclear (result);
    PQfinish (db);
    char *cluster = zsys_sprintf ("%s/pgdata", directory);
    assert_false (zsys_file_exists (cluster));
    kill (pid, SIGTERM);
    int status;
    waitpid (pid, &status, 0);
    assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

    //  One server a database: the engine numbers events and rows itself,
    //  which only one writer can do. A second battlemapd on the first one's
    //  database refuses to start, and says why.
    char *log = zsys_sprintf ("%s/second.log", directory);
    pid = s_start_logged (embedded->conninfo, directory, log);
    waitpid (pid, &status, 0);
    assert_true (WIFEXITED (status) && WEXITSTATUS (status) != 0);
    char *text = s_slurp (log);
    assert_non_null (strstr (text, "another battlemapd is serving this database"));
    free (text);
    free (log);
    harness_remove_tree (directory);
    free (cluster);
    free (plans);
    free (endpoints);
    free (second);
    harness_stop (&embedded, false);
}

//  The figure table keeps no foreign keys (they cost a row lock per figure
//  on the hot path): a figure naming an indicator no plan has can only mean
//  a damaged record, and battlemapd refuses to start on it, saying so
static void
test_damaged_record (void **state)
{
    harness_t *embedded = harness_start (NULL, false);
    PGresult *created = PQexec (embedded->db, "CREATE DATABASE battlemap_damaged");
    assert_int_equal (PQresultStatus (created), PGRES_COMMAND_OK);
    PQclear (created);
    char *damaged = zsys_sprintf ("%s dbname=battlemap_damaged", embedded->conninfo);
    char directory [] = "/tmp/bm-damaged-XXXXXX";
    assert_non_null (mkdtemp (directory));
    char *endpoints = zsys_sprintf ("%s/endpoints", directory);
    char *plans = harness_source_path ("deploy/plans/baoshan-2023");
    pid_t pid = s_start_external (damaged, directory, endpoints, plans);
    kill (pid, SIGTERM);
    int status;
    waitpid (pid, &status, 0);
    assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

    //  Two rows of one submission id (the table has no index on it: the
    //  server keeps an id to one figure), then a figure row of a real unit,
    //  for an indicator id no plan has
    PGconn *db = PQconnectdb (damaged);
    assert_int_equal (PQstatus (db), CONNECTION_OK);
    PGresult *result = PQexec (db,
        "INSERT INTO figure (submission_id, content_hash, indicator_id, unit_id, period, kind,"
        " value) SELECT '0195d1a0-0000-7000-8000-00000000d0d0', '', (SELECT min (id) FROM"
        " indicator), (SELECT min (id) FROM unit), '2023-06-01', 'final', 1"
        " FROM generate_series (1, 2)");
    assert_int_equal (PQresultStatus (result), PGRES_COMMAND_OK);
    PQclear (result);
    result = PQexec (db,
        "INSERT INTO figure (submission_id, content_hash, indicator_id, unit_id, period, kind,"
        " value) SELECT gen_random_uuid (), '', 987654, min (id), '2023-06-01', 'final', 1"
        " FROM unit");
    assert_int_equal (PQresultStatus (result), PGRES_COMMAND_OK);
    PQclear (result);
    PQfinish (db);

    char *log = zsys_sprintf ("%s/damaged.log", directory);
    pid = s_start_logged (damaged, directory, log);
    //  It must stop by itself; one still serving after 30 s is stopped
    int64_t deadline = zclock_mono () + 30000;
    while (waitpid (pid, &status, WNOHANG) == 0) {
        if (zclock_mono () > deadline) {
            kill (pid, SIGKILL);
            waitpid (pid, &status, 0);
            fail_msg ("battlemapd served a database holding a figure of no plan");
        }
        zclock_sleep (50);
    }
    assert_true (WIFEXITED (status) && WEXITSTATUS (status) != 0);
    char *text = s_slurp (log);
    if (!strstr (text, "names indicator 987654") || !strstr (text, "the database is damaged")
    ||  !strstr (text, "carries the id 0195d1a0-0000-7000-8000-00000000d0d0 of figure"))
        fail_msg ("battlemapd said:\n%s", text);
    free (text);
    free (log);
    harness_remove_tree (directory);
    free (plans);
    free (endpoints);
    free (damaged);
    harness_stop (&embedded, false);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_data_survives_restart),
        cmocka_unit_test (test_external_database),
        cmocka_unit_test (test_damaged_record),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
