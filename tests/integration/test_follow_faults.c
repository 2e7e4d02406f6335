/*  A follower loses nothing and keeps up. `battlemap watch --state FILE`,
    killed with SIGKILL at random moments while it prints the caught-up
    log and started again each time, prints every event of the log at
    least once and repeats at most one event a kill; the first events of a
    backlog of several pages are printed long before the last; a catch-up
    the server refuses for now (RATE_LIMITED, UNAVAILABLE) is asked again
    after the wait, said on stderr, and any other refusal ends watch with a
    message and a non-zero status. A fake server in this process (a ROUTER
    and a PUB under CURVE on 127.0.0.1) answers UNAVAILABLE and NOT_ALLOWED
    at will, which the real one does not do to a catch-up. */

#include "harness.h"
#include "bm_follow.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

#define S_KILLS         20          //  kills of watch in the first test
#define S_SMALL_FIGURES 700         //  a backlog of a few thousand events
#define S_LARGE_FIGURES 6000        //  ...and then of several pages
#define S_RUN_TIMEOUT   60000       //  msecs a watch may run at most
#define S_SLOW_READ     256         //  bytes a slow terminal takes at once
#define S_SLOW_PAUSE    1000        //  usecs it takes between
#define S_STALL_QUIET   30          //  msecs: the state file still, watch blocked
#define S_STALL_MAX     2000        //  msecs a terminal stalls at most
#define S_PIPE_BYTES    4096        //  what the pipe to a watch holds: a page

static harness_t *s_server;         //  shared: filled once, read by each test
static char s_work [300];           //  outputs and keys of the runs

//  The kinds every watch here prints: those each figure makes events of
static const char *s_kinds_sql =
    "(topic LIKE 'figure/%' OR topic LIKE 'completion/%' OR topic LIKE 'alert/%')";

//  ---------------------------------------------------------------------------
//  Running watch

//  Starts `battlemap watch` with the given arguments (NULL-terminated)
//  against a server, as the key in key_file, its stdout to the file `out`
//  or, given `reader`, to a pipe whose end to read is put there, and its
//  stderr to the file `err`; returns its pid
static pid_t
s_watch_start (const char *router, const char *pub, const char *key_file,
               const char *server_key, int *reader, const char *out, const char *err,
               const char *arg, ...)
{
    const char *argv [48];
    int argc = 0;
    argv [argc++] = getenv ("BATTLEMAP");
    argv [argc++] = "--server";
    argv [argc++] = router;
    argv [argc++] = "--events";
    argv [argc++] = pub;
    argv [argc++] = "--key";
    argv [argc++] = key_file;
    argv [argc++] = "--server-key";
    argv [argc++] = server_key;
    argv [argc++] = "watch";
    va_list args;
    va_start (args, arg);
    for (const char *next = arg; next && argc < 47; next = va_arg (args, const char *))
        argv [argc++] = next;
    va_end (args);
    argv [argc] = NULL;
    assert_non_null (argv [0]);
    int pipes [2] = { -1, -1 };
    if (reader) {
        assert_int_equal (pipe (pipes), 0);
        //  As little as a terminal holds: a page
        fcntl (pipes [1], F_SETPIPE_SZ, S_PIPE_BYTES);
    }
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        int out_fd = reader? pipes [1]: open (out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err_fd = open (err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out_fd < 0 || err_fd < 0)
            _exit (126);
        dup2 (out_fd, 1);
        dup2 (err_fd, 2);
        if (reader)
            close (pipes [0]);
        execv (argv [0], (char **) argv);
        _exit (127);
    }
    if (reader) {
        close (pipes [1]);
        *reader = pipes [0];
    }
    return pid;
}

//  Waits for watch to end by itself; its exit status (fails the test if
//  it runs past S_RUN_TIMEOUT or dies of a signal)
static int
s_watch_wait (pid_t pid)
{
    int status = 0;
    int64_t deadline = zclock_mono () + S_RUN_TIMEOUT;
    pid_t done = 0;
    while ((done = waitpid (pid, &status, WNOHANG)) == 0 && zclock_mono () < deadline)
        zclock_sleep (5);
    if (done != pid) {
        kill (pid, SIGKILL);
        waitpid (pid, &status, 0);
        fail_msg ("battlemap watch did not stop by itself within %d ms", S_RUN_TIMEOUT);
    }
    if (!WIFEXITED (status))
        fail_msg ("battlemap watch died (status %d)", status);
    return WEXITSTATUS (status);
}

//  The state file as it is now: a rename gives it a new inode
static ino_t
s_inode (const char *path)
{
    struct stat info;
    return stat (path, &info) == 0? info.st_ino: 0;
}

//  Reads what watch prints, slowly, as a terminal would, into the file
//  `out`. Given a target, kills it with SIGKILL once that many lines are
//  read: at once (a moment somewhere in its cycle of print, flush, save),
//  or, stalled, after the terminal stops reading and watch has stopped
//  moving its place in the state file (blocked writing a line). Then
//  reads what it wrote before it died. True if it was killed.
static bool
s_read_slowly (pid_t pid, int reader, const char *out, size_t target, bool stalled,
               const char *state_file)
{
    FILE *file = fopen (out, "w");
    assert_non_null (file);
    size_t lines = 0;
    bool killing = false;
    int64_t deadline = zclock_mono () + S_RUN_TIMEOUT;
    char buffer [S_SLOW_READ];
    while (zclock_mono () < deadline) {
        struct pollfd item = { reader, POLLIN, 0 };
        if (poll (&item, 1, 100) <= 0)
            continue;
        ssize_t got = read (reader, buffer, sizeof buffer);
        if (got <= 0)
            break;              //  it ended, and everything it wrote is read
        assert_int_equal (fwrite (buffer, 1, (size_t) got, file), (size_t) got);
        for (ssize_t at = 0; at < got; at++)
            lines += buffer [at] == '\n';
        if (!killing && target && lines >= target) {
            if (stalled) {
                //  Quiet for S_STALL_QUIET ms, or S_STALL_MAX at most
                ino_t inode = s_inode (state_file);
                int64_t quiet = zclock_mono (), stop = quiet + S_STALL_MAX;
                while (zclock_mono () - quiet < S_STALL_QUIET && zclock_mono () < stop) {
                    usleep (500);
                    if (s_inode (state_file) != inode) {
                        inode = s_inode (state_file);
                        quiet = zclock_mono ();
                    }
                }
            }
            usleep ((useconds_t) randof (1000));
            kill (pid, SIGKILL);
            killing = true;
        }
        if (!killing)
            usleep (S_SLOW_PAUSE);
    }
    fclose (file);
    close (reader);
    int status;
    if (zclock_mono () >= deadline) {
        kill (pid, SIGKILL);
        waitpid (pid, &status, 0);
        fail_msg ("battlemap watch ran past %d ms", S_RUN_TIMEOUT);
    }
    waitpid (pid, &status, 0);
    if (killing)
        return WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL;
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        fail_msg ("battlemap watch failed (status %d)", status);
    return false;
}

static char *
s_slurp (const char *path)
{
    zchunk_t *chunk = zchunk_slurp (path, 0);
    if (!chunk)
        return strdup ("");
    char *text = (char *) malloc (zchunk_size (chunk) + 1);
    memcpy (text, zchunk_data (chunk), zchunk_size (chunk));
    text [zchunk_size (chunk)] = '\0';
    zchunk_destroy (&chunk);
    return text;
}

//  The sequence numbers of the whole lines ("#seq ...") watch printed,
//  in order; a line cut short by a kill is not one
static zlistx_t *
s_printed (const char *path)
{
    zlistx_t *seqs = zlistx_new ();
    char *text = s_slurp (path);
    char *line = text;
    char *end;
    while ((end = strchr (line, '\n'))) {
        if (*line == '#')
            zlistx_add_end (seqs, (void *) (uintptr_t) strtoull (line + 1, NULL, 10));
        line = end + 1;
    }
    free (text);
    return seqs;
}

static size_t
s_lines (const char *path)
{
    struct stat info;
    if (stat (path, &info) || info.st_size == 0)
        return 0;
    char *text = s_slurp (path);
    size_t lines = 0;
    for (char *at = text; (at = strchr (at, '\n')); at++)
        lines++;
    free (text);
    return lines;
}

//  Writes a key pair as a key file battlemap reads (the secret 0600)
static char *
s_key_file (zcert_t *cert, const char *name)
{
    char *path = zsys_sprintf ("%s/%s.cert", s_work, name);
    assert_int_equal (zcert_save (cert, path), 0);
    char *secret = zsys_sprintf ("%s_secret", path);
    assert_int_equal (chmod (secret, 0600), 0);
    free (secret);
    return path;
}

//  The sequence numbers of the log's events of the watched kinds, up to
//  `through`, and of one district if given
static zlistx_t *
s_log (uint64_t through, const char *district)
{
    char limit [24];
    snprintf (limit, sizeof limit, "%llu", (unsigned long long) through);
    char *sql = zsys_sprintf ("SELECT seq FROM event WHERE seq <= $1::bigint AND %s%s"
                              " ORDER BY seq", s_kinds_sql,
                              district? " AND split_part (topic, '/', 2) = $2": "");
    const char *params [] = { limit, district };
    PGresult *result = PQexecParams (s_server->db, sql, district? 2: 1, NULL, params,
                                     NULL, NULL, 0);
    free (sql);
    assert_int_equal (PQresultStatus (result), PGRES_TUPLES_OK);
    zlistx_t *seqs = zlistx_new ();
    for (int row = 0; row < PQntuples (result); row++)
        zlistx_add_end (seqs, (void *) (uintptr_t) strtoull (PQgetvalue (result, row, 0),
                                                             NULL, 10));
    PQclear (result);
    return seqs;
}

static uint64_t
s_latest (void)
{
    return (uint64_t) harness_count (s_server, "SELECT coalesce (max (seq), 0) FROM event",
                                     0, NULL);
}

//  Loads the log with the events of `count` figures, 100 a request
static void
s_fill (int first, int count)
{
    harness_fill (s_server, first, count);
}

//  The length of the shortest line in a file, `shortest` if none is shorter
static size_t
s_shortest_line (const char *path, size_t shortest)
{
    FILE *file = fopen (path, "r");
    assert_non_null (file);
    char *line = NULL;
    size_t size = 0;
    ssize_t length;
    while ((length = getline (&line, &size, file)) > 0)
        if ((size_t) length < shortest)
            shortest = (size_t) length;
    free (line);
    fclose (file);
    return shortest;
}

//  ---------------------------------------------------------------------------
//  Killed while catching up

static void
test_kill_while_catching_up (void **state)
{
    s_fill (0, S_SMALL_FIGURES);
    uint64_t latest = s_latest ();
    zlistx_t *expected = s_log (latest, NULL);
    size_t events = zlistx_size (expected);
    assert_true (events > 2000);
    char *admin = zsys_sprintf ("%s/admin.cert", s_server->keys);
    char *server_key = zsys_sprintf ("%s/server.cert", s_server->keys);
    char *state_file = zsys_sprintf ("%s/watch.state", s_work);
    //  How many times each event was printed ("seq" -> count), and what
    //  each run printed
    zhashx_t *counts = zhashx_new ();
    zlistx_t *runs = zlistx_new ();
    zlistx_set_destructor (runs, (zlistx_destructor_fn *) zlistx_destroy);
    size_t printed = 0;
    size_t shortest = 32;       //  bytes a line has at least: lowered if a run prints a shorter one
    int kills = 0, run = 0;
    while (true) {
        char *out = zsys_sprintf ("%s/kill-%02d.out", s_work, run);
        char *err = zsys_sprintf ("%s/kill-%02d.err", s_work, run);
        int reader;
        pid_t pid = s_watch_start (s_server->router, s_server->pub, admin, server_key,
                                   &reader, out, err, "--kind", "figure", "--kind",
                                   "completion", "--kind", "alert", "--since", "0",
                                   "--state", state_file, "--until-caught-up", NULL);
        size_t target = 0;
        if (kills < S_KILLS) {
            //  Somewhere in what is left, spread over the kills to come,
            //  and always short of its end: a watch killed has printed
            //  what the pipe held too (`margin` lines at most), and one
            //  that reaches the end exits by itself instead. Each kill to
            //  come keeps margin + 1 events in reserve.
            size_t remaining = (size_t) (S_KILLS - kills);
            size_t margin = S_PIPE_BYTES / shortest;
            size_t left = events > printed? events - printed: 0;
            size_t reserve = remaining * (margin + 1);
            size_t budget = left > reserve? (left - reserve) / remaining: 0;
            target = 1 + (size_t) randof ((int) (budget > 1? budget: 1));
        }
        //  Half the kills while the terminal reads, half while it stalls
        bool killed = s_read_slowly (pid, reader, out, target, run % 2, state_file);
        shortest = s_shortest_line (out, shortest);
        zlistx_t *seqs = s_printed (out);
        //  In order within a run
        uint64_t previous = 0;
        for (void *seq = zlistx_first (seqs); seq; seq = zlistx_next (seqs)) {
            if ((uintptr_t) seq <= previous)
                fail_msg ("run %d printed #%llu after #%llu", run,
                          (unsigned long long) (uintptr_t) seq, (unsigned long long) previous);
            previous = (uintptr_t) seq;
            char name [24];
            snprintf (name, sizeof name, "%llu", (unsigned long long) previous);
            uintptr_t seen = (uintptr_t) zhashx_lookup (counts, name);
            if (seen)
                zhashx_update (counts, name, (void *) (seen + 1));
            else {
                zhashx_insert (counts, name, (void *) 1);
                if (previous <= latest)
                    printed++;
            }
        }
        zlistx_add_end (runs, seqs);
        free (out);
        free (err);
        run++;
        if (killed)
            kills++;
        else
        if (kills >= S_KILLS)
            break;              //  the last run went to the end
        assert_true (run < 3 * S_KILLS);
    }
    //  Every event of the backlog printed, none twice but at a kill
    size_t missed = 0, repeated = 0;
    uint64_t first_missed = 0;
    for (void *seq = zlistx_first (expected); seq; seq = zlistx_next (expected)) {
        char name [24];
        snprintf (name, sizeof name, "%llu", (unsigned long long) (uintptr_t) seq);
        if (!zhashx_lookup (counts, name) && !missed++)
            first_missed = (uintptr_t) seq;
    }
    for (void *count = zhashx_first (counts); count; count = zhashx_next (counts))
        repeated += (uintptr_t) count - 1;
    //  At most the last line of a killed run comes again in the next
    size_t most_at_a_kill = 0;
    zlistx_t *before = zlistx_first (runs);
    for (zlistx_t *after = zlistx_next (runs); after;
         before = after, after = zlistx_next (runs)) {
        size_t again = 0;
        for (void *seq = zlistx_first (after); seq; seq = zlistx_next (after))
            if (zlistx_find (before, seq))
                again++;
            else
                break;
        if (again > most_at_a_kill)
            most_at_a_kill = again;
    }
    print_message ("  kills %d, events %zu, missed %zu, repeated %zu (at most %zu at a kill),"
                   " %d runs\n", kills, events, missed, repeated, most_at_a_kill, run);
    if (missed)
        fail_msg ("%zu events of the backlog were never printed, the first #%llu", missed,
                  (unsigned long long) first_missed);
    assert_int_equal (kills, S_KILLS);
    assert_true (repeated <= (size_t) kills);
    assert_true (most_at_a_kill <= 1);
    zlistx_destroy (&runs);
    zhashx_destroy (&counts);
    zlistx_destroy (&expected);
    free (admin);
    free (server_key);
    free (state_file);
}

//  ---------------------------------------------------------------------------
//  Keeping up: the first page is printed before the next ones are read

static void
test_first_event_before_the_end (void **state)
{
    s_fill (S_SMALL_FIGURES, S_LARGE_FIGURES);
    uint64_t latest = s_latest ();
    //  Pages are 10000 events of the log
    assert_true (latest > 30000);
    zlistx_t *log = s_log (latest, NULL);
    size_t events = zlistx_size (log);
    zlistx_destroy (&log);
    char *admin = zsys_sprintf ("%s/admin.cert", s_server->keys);
    char *server_key = zsys_sprintf ("%s/server.cert", s_server->keys);
    const char *argv [] = { getenv ("BATTLEMAP"), "--server", s_server->router,
                            "--events", s_server->pub, "--key", admin,
                            "--server-key", server_key, "watch", "--kind", "figure",
                            "--kind", "completion", "--kind", "alert", "--since", "0",
                            "--until-caught-up", NULL };
    int pipes [2];
    assert_int_equal (pipe (pipes), 0);
    int64_t started = zclock_usecs ();
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        dup2 (pipes [1], 1);
        close (pipes [0]);
        close (pipes [1]);
        execv (argv [0], (char **) argv);
        _exit (127);
    }
    close (pipes [1]);
    int64_t first = 0;
    size_t lines = 0;
    char buffer [65536];
    ssize_t got;
    while ((got = read (pipes [0], buffer, sizeof buffer)) > 0)
        for (ssize_t at = 0; at < got; at++)
            if (buffer [at] == '\n' && !lines++)
                first = zclock_usecs () - started;
    int64_t ended = zclock_usecs () - started;
    close (pipes [0]);
    int status;
    waitpid (pid, &status, 0);
    assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    print_message ("  %zu events in %llu of the log (%llu pages): first printed after %.3f s,"
                   " the catch-up ended after %.3f s\n", lines, (unsigned long long) latest,
                   (unsigned long long) (latest + 9999) / 10000, first / 1e6, ended / 1e6);
    assert_true (lines >= events);
    //  Well before the end: within the first fifth
    assert_true (first > 0);
    assert_true (first * 5 < ended);

    //  What a state file costs: each event's place written, synced and
    //  renamed before the next is printed
    char *state_file = zsys_sprintf ("%s/count.state", s_work);
    char *out = zsys_sprintf ("%s/count.out", s_work);
    char *err = zsys_sprintf ("%s/count.err", s_work);
    started = zclock_usecs ();
    pid = s_watch_start (s_server->router, s_server->pub, admin, server_key, NULL, out, err,
                         "--kind", "figure", "--kind", "completion", "--kind", "alert",
                         "--since", "0", "--state", state_file, "--count", "2000", NULL);
    assert_int_equal (s_watch_wait (pid), 0);
    ended = zclock_usecs () - started;
    assert_int_equal (s_lines (out), 2000);
    print_message ("  with --state: 2000 events in %.3f s (%.0f a second)\n", ended / 1e6,
                   2000 / (ended / 1e6));
    free (state_file);
    free (out);
    free (err);
    free (admin);
    free (server_key);
}

//  ---------------------------------------------------------------------------
//  Refused: for now, or for good

static void
test_rate_limited_waits (void **state)
{
    //  The server gives this key 4 ms of its time a second (16 at once):
    //  walls use them up, and the first page of the log is refused until
    //  the key has time again; the pages after may go past it too
    zcert_t *wall = harness_enroll (s_server, "大屏", "subscriber", "qingpu", NULL);
    bm_client_t *client = harness_client_as (s_server, wall);
    bm_client_set_patience (client, 1);         //  the refusal itself, not a retry
    int walls = 0;
    bool limited = false;
    while (!limited && walls < 1000) {
        Battlemap__Envelope *reply = bm_client_wall (client, "qingpu", "2023-03", NULL, true);
        assert_non_null (reply);
        limited = reply->body_case == BATTLEMAP__ENVELOPE__BODY_ERROR
               && reply->error->code == E (RATE_LIMITED);
        bm_wire_free (&reply);
        walls++;
    }
    bm_client_destroy (&client);
    assert_true (limited);
    char *key = s_key_file (wall, "wall");
    char *server_key = zsys_sprintf ("%s/server.cert", s_server->keys);
    char *out = zsys_sprintf ("%s/limited.out", s_work);
    char *err = zsys_sprintf ("%s/limited.err", s_work);
    uint64_t latest = s_latest ();
    zlistx_t *expected = s_log (latest, "qingpu");
    int64_t started = zclock_mono ();
    pid_t pid = s_watch_start (s_server->router, s_server->pub, key, server_key, NULL, out,
                               err, "--district", "qingpu", "--kind", "figure", "--kind",
                               "completion", "--kind", "alert", "--since", "0",
                               "--until-caught-up", NULL);
    int rc = s_watch_wait (pid);
    int64_t took = zclock_mono () - started;
    char *said = s_slurp (err);
    zlistx_t *seqs = s_printed (out);
    size_t waits = 0;
    for (char *at = said; (at = strstr (at, "RATE_LIMITED")); at++)
        waits++;
    print_message ("  rate-limited key (%d walls to use up its time): %zu events printed"
                   " of %zu, told to wait %zu times, %lld ms; exit %d\n", walls,
                   zlistx_size (seqs), zlistx_size (expected), waits, (long long) took, rc);
    if (rc != 0)
        fail_msg ("watch failed: %s", said);
    assert_true (waits > 0);
    assert_non_null (strstr (said, "asks to wait"));
    //  Everything, once, in order
    assert_true (zlistx_size (seqs) >= zlistx_size (expected));
    void *seq = zlistx_first (seqs);
    for (void *want = zlistx_first (expected); want; want = zlistx_next (expected)) {
        assert_non_null (seq);
        assert_int_equal ((uintptr_t) seq, (uintptr_t) want);
        seq = zlistx_next (seqs);
    }
    zlistx_destroy (&seqs);
    zlistx_destroy (&expected);
    free (said);
    free (out);
    free (err);
    free (key);
    free (server_key);
    zcert_destroy (&wall);
}

static void
test_refused_for_good (void **state)
{
    //  No event is beyond 2^63 - 1: the server answers MALFORMED
    char *admin = zsys_sprintf ("%s/admin.cert", s_server->keys);
    char *server_key = zsys_sprintf ("%s/server.cert", s_server->keys);
    char *out = zsys_sprintf ("%s/malformed.out", s_work);
    char *err = zsys_sprintf ("%s/malformed.err", s_work);
    pid_t pid = s_watch_start (s_server->router, s_server->pub, admin, server_key, NULL, out,
                               err, "--since", "9223372036854775808", "--until-caught-up",
                               NULL);
    int rc = s_watch_wait (pid);
    char *said = s_slurp (err);
    print_message ("  refused: exit %d, %s", rc, said);
    assert_int_equal (rc, 1);
    assert_non_null (strstr (said, "MALFORMED"));
    assert_int_equal (s_lines (out), 0);
    free (said);
    free (out);
    free (err);
    free (admin);
    free (server_key);
}

//  A subscriber revoked while it watches: told, not left silent for good
static void
test_revoked_while_watching (void **state)
{
    zcert_t *cert = harness_enroll (s_server, "被撤销的大屏", "subscriber", "qingpu", NULL);
    char *key_file = zsys_sprintf ("%s/revoked.cert", s_work);
    assert_int_equal (zcert_save (cert, key_file), 0);
    char *server_key = zsys_sprintf ("%s/server.cert", s_server->keys);
    char *out = zsys_sprintf ("%s/revoked.out", s_work);
    char *err = zsys_sprintf ("%s/revoked.err", s_work);
    pid_t pid = s_watch_start (s_server->router, s_server->pub, key_file, server_key, NULL,
                               out, err, "--district", "qingpu", NULL);
    zclock_sleep (1500);
    assert_int_equal (waitpid (pid, NULL, WNOHANG), 0);     //  watching
    harness_revoke (s_server, cert, "人员调离");
    int64_t revoked = zclock_mono ();
    int rc = s_watch_wait (pid);
    char *said = s_slurp (err);
    print_message ("  revoked while watching: exit %d after %lld ms: %s", rc,
                   (long long) (zclock_mono () - revoked), said);
    assert_int_not_equal (rc, 0);
    assert_non_null (strstr (said, "key"));
    free (said);
    free (out);
    free (err);
    free (server_key);
    free (key_file);
    zcert_destroy (&cert);
}

//  ---------------------------------------------------------------------------
//  A fake server: refuses the first catch-ups as told, then pages a log

#define S_FAKE_EVENTS   150         //  in its log
#define S_FAKE_PAGE     40          //  a page

typedef struct {
    int refusals;                   //  catch-ups refused first
    Battlemap__ErrorCode code;      //  ...with this code
    uint32_t retry_after;           //  ...and this wait
    char router [128];              //  bound endpoints
    char pub [128];
    char public_key [41];
    int64_t asked [64];             //  when each catch-up came (zclock_mono)
    int asked_count;
} s_fake_t;

//  A page of the log after `since`
static zframe_t *
s_fake_page (uint64_t since)
{
    Battlemap__CatchupReply page = BATTLEMAP__CATCHUP_REPLY__INIT;
    char *topics [S_FAKE_PAGE];
    ProtobufCBinaryData events [S_FAKE_PAGE];
    zframe_t *frames [S_FAKE_PAGE];
    uint64_t seq = since;
    while (seq < S_FAKE_EVENTS && page.n_events < S_FAKE_PAGE) {
        seq++;
        Battlemap__Event event = BATTLEMAP__EVENT__INIT;
        event.seq = seq;
        event.at = "2023-03-01T09:00:00+08:00";
        event.kind = "completion";
        Battlemap__Envelope envelope = BATTLEMAP__ENVELOPE__INIT;
        envelope.body_case = BATTLEMAP__ENVELOPE__BODY_EVENT;
        envelope.event = &event;
        frames [page.n_events] = bm_wire_pack (&envelope);
        topics [page.n_events] = "completion/qingpu/赵巷镇/industrial-output/";
        events [page.n_events].data = zframe_data (frames [page.n_events]);
        events [page.n_events].len = zframe_size (frames [page.n_events]);
        page.n_events++;
    }
    page.n_topics = page.n_events;
    page.topics = topics;
    page.events = events;
    page.through = seq;
    page.more = seq < S_FAKE_EVENTS;
    page.latest = S_FAKE_EVENTS;
    Battlemap__Envelope reply = BATTLEMAP__ENVELOPE__INIT;
    reply.version = BM_PROTOCOL_VERSION;
    reply.body_case = BATTLEMAP__ENVELOPE__BODY_CATCHUP_REPLY;
    reply.catchup_reply = &page;
    zframe_t *frame = bm_wire_pack (&reply);
    for (size_t index = 0; index < page.n_events; index++)
        zframe_destroy (&frames [index]);
    return frame;
}

static void
s_fake_actor (zsock_t *pipe, void *arg)
{
    s_fake_t *self = (s_fake_t *) arg;
    zcert_t *cert = zcert_new ();
    zsock_t *router = zsock_new (ZMQ_ROUTER);
    zsock_t *pub = zsock_new (ZMQ_PUB);
    zcert_apply (cert, router);
    zcert_apply (cert, pub);
    zsock_set_curve_server (router, 1);
    zsock_set_curve_server (pub, 1);
    int router_port = zsock_bind (router, "tcp://127.0.0.1:*");
    int pub_port = zsock_bind (pub, "tcp://127.0.0.1:*");
    snprintf (self->router, sizeof self->router, "tcp://127.0.0.1:%d", router_port);
    snprintf (self->pub, sizeof self->pub, "tcp://127.0.0.1:%d", pub_port);
    snprintf (self->public_key, sizeof self->public_key, "%s", zcert_public_txt (cert));
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, router, NULL);
    while (true) {
        void *which = zpoller_wait (poller, -1);
        if (which != router)
            break;              //  $TERM, or interrupted
        zmsg_t *message = zmsg_recv (router);
        zframe_t *identity = zmsg_pop (message);
        zframe_t *correlation = zmsg_pop (message);
        zframe_t *body = zmsg_pop (message);
        zmsg_destroy (&message);
        Battlemap__Envelope *request = body? bm_wire_unpack (zframe_data (body),
                                                             zframe_size (body)): NULL;
        zframe_destroy (&body);
        zframe_t *answer = NULL;
        if (request && request->body_case == BATTLEMAP__ENVELOPE__BODY_CATCHUP) {
            if (self->asked_count < 64)
                self->asked [self->asked_count] = zclock_mono ();
            if (self->asked_count++ < self->refusals) {
                Battlemap__Error error = BATTLEMAP__ERROR__INIT;
                error.code = self->code;
                error.message = "the fake server says no";
                error.retry_after_ms = self->retry_after;
                Battlemap__Envelope reply = BATTLEMAP__ENVELOPE__INIT;
                reply.version = BM_PROTOCOL_VERSION;
                reply.body_case = BATTLEMAP__ENVELOPE__BODY_ERROR;
                reply.error = &error;
                answer = bm_wire_pack (&reply);
            }
            else
                answer = s_fake_page (request->catchup->since);
        }
        bm_wire_free (&request);
        if (answer && identity && correlation) {
            zmsg_t *reply = zmsg_new ();
            zmsg_append (reply, &identity);
            zmsg_append (reply, &correlation);
            zmsg_append (reply, &answer);
            zmsg_send (&reply, router);
        }
        zframe_destroy (&identity);
        zframe_destroy (&correlation);
        zframe_destroy (&answer);
    }
    zpoller_destroy (&poller);
    zsock_destroy (&router);
    zsock_destroy (&pub);
    zcert_destroy (&cert);
}

static void
test_unavailable_library (void **state)
{
    //  The first catch-up answered UNAVAILABLE, asking for 200 ms
    s_fake_t fake = { .refusals = 1, .code = E (UNAVAILABLE), .retry_after = 200 };
    zactor_t *actor = zactor_new (s_fake_actor, &fake);
    zcert_t *cert = zcert_new ();
    const char *prefixes [] = { "completion/", NULL };
    bm_follow_t *follow = bm_follow_new (fake.router, fake.pub, cert, fake.public_key,
                                         prefixes, 0, false, NULL, 0);
    assert_non_null (follow);
    uint64_t expected = 1;
    int64_t deadline = zclock_mono () + 10000;
    while (!bm_follow_caught_up (follow) && zclock_mono () < deadline) {
        Battlemap__Envelope *envelope = bm_follow_recv (follow, 1000, NULL);
        if (bm_follow_error (follow))
            fail_msg ("the follower failed: %s", bm_follow_error (follow));
        if (envelope) {
            assert_int_equal (envelope->event->seq, expected);
            expected++;
            bm_wire_free (&envelope);
        }
    }
    uint64_t waits = bm_follow_waits (follow);
    bm_follow_destroy (&follow);
    zactor_destroy (&actor);
    zcert_destroy (&cert);
    int64_t waited = fake.asked [1] - fake.asked [0];
    print_message ("  UNAVAILABLE then pages: %llu events, %d catch-ups, %llu wait, asked"
                   " again after %lld ms\n", (unsigned long long) expected - 1,
                   fake.asked_count, (unsigned long long) waits, (long long) waited);
    assert_int_equal (expected - 1, S_FAKE_EVENTS);
    assert_int_equal (waits, 1);
    assert_true (waited >= 200);
    //  One refusal, then the pages
    assert_int_equal (fake.asked_count, 1 + (S_FAKE_EVENTS + S_FAKE_PAGE - 1) / S_FAKE_PAGE);
}

static void
test_unavailable_and_not_allowed_watch (void **state)
{
    zcert_t *cert = zcert_new ();
    char *key = s_key_file (cert, "fake-client");
    char *out = zsys_sprintf ("%s/fake.out", s_work);
    char *err = zsys_sprintf ("%s/fake.err", s_work);

    //  Refused for now, twice: waits, says so, then prints everything
    s_fake_t fake = { .refusals = 2, .code = E (UNAVAILABLE), .retry_after = 200 };
    zactor_t *actor = zactor_new (s_fake_actor, &fake);
    pid_t pid = s_watch_start (fake.router, fake.pub, key, fake.public_key, NULL, out, err,
                               "--kind", "completion", "--since", "0", "--until-caught-up",
                               NULL);
    int rc = s_watch_wait (pid);
    zactor_destroy (&actor);
    char *said = s_slurp (err);
    zlistx_t *seqs = s_printed (out);
    int64_t waited = fake.asked [2] - fake.asked [0];
    print_message ("  watch, UNAVAILABLE twice: exit %d, %zu events, asked again after"
                   " %lld ms in all\n%s", rc, zlistx_size (seqs), (long long) waited, said);
    assert_int_equal (rc, 0);
    assert_int_equal (zlistx_size (seqs), S_FAKE_EVENTS);
    assert_non_null (strstr (said, "UNAVAILABLE"));
    assert_non_null (strstr (said, "asks to wait"));
    //  At least 200 ms, then longer (backoff): 200 + 400
    assert_true (fake.asked [1] - fake.asked [0] >= 200);
    assert_true (fake.asked [2] - fake.asked [1] >= 400);
    zlistx_destroy (&seqs);
    free (said);

    //  Refused for good: a message and a non-zero status, nothing printed
    s_fake_t refusing = { .refusals = 1000, .code = E (NOT_ALLOWED) };
    actor = zactor_new (s_fake_actor, &refusing);
    pid = s_watch_start (refusing.router, refusing.pub, key, refusing.public_key, NULL, out,
                         err, "--kind", "completion", "--since", "0", NULL);
    rc = s_watch_wait (pid);
    zactor_destroy (&actor);
    said = s_slurp (err);
    print_message ("  watch, NOT_ALLOWED: exit %d, %s", rc, said);
    assert_int_equal (rc, 1);
    assert_non_null (strstr (said, "NOT_ALLOWED"));
    assert_int_equal (refusing.asked_count, 1);
    assert_int_equal (s_lines (out), 0);
    free (said);
    free (out);
    free (err);
    free (key);
    zcert_destroy (&cert);
}

//  ---------------------------------------------------------------------------

static int
s_setup (void **state)
{
    //  Each key of this server but the administrator's gets 4 ms of its
    //  time a second
    s_server = harness_start_with (NULL, true, "--backfill", "--time-limit", "4", NULL);
    snprintf (s_work, sizeof s_work, "%s/follow", s_server->datadir);
    return mkdir (s_work, 0755);
}

static int
s_teardown (void **state)
{
    harness_stop (&s_server, false);
    return 0;
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_kill_while_catching_up),
        cmocka_unit_test (test_first_event_before_the_end),
        cmocka_unit_test (test_rate_limited_waits),
        cmocka_unit_test (test_refused_for_good),
        cmocka_unit_test (test_revoked_while_watching),
        cmocka_unit_test (test_unavailable_library),
        cmocka_unit_test (test_unavailable_and_not_allowed_watch),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
