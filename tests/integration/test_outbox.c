/*  Nothing a unit sends is lost: the real battlemap command, killed with
    SIGKILL in the middle of a CSV, and facing a server that does not
    answer, leaves its figures in the outbox; `battlemap outbox send` and
    the next `battlemap submit` send them, and every figure is stored
    exactly once. */

#include "harness.h"
#include "bm_outbox.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <signal.h>
#include <sys/wait.h>

static harness_t *s_server;
static char s_folder [64];          //  the outbox and the CSV
static char *s_outbox_path;

static int
s_setup (void **state)
{
    s_server = harness_start (NULL, true);
    snprintf (s_folder, sizeof s_folder, "/tmp/bm-outbox-XXXXXX");
    assert_non_null (mkdtemp (s_folder));
    //  Every battlemap the tests run uses this outbox
    s_outbox_path = zsys_sprintf ("%s/state/outbox.sqlite", s_folder);
    setenv ("BATTLEMAP_OUTBOX", s_outbox_path, 1);
    return 0;
}

static int
s_teardown (void **state)
{
    if (s_server)
        kill (s_server->pid, SIGCONT);
    harness_stop (&s_server, false);
    harness_remove_tree (s_folder);
    zstr_free (&s_outbox_path);
    return 0;
}

//  The outbox as the command sees it: the administrator's key, this server
static bm_outbox_t *
s_outbox (void)
{
    char *error = NULL;
    bm_outbox_t *outbox = bm_outbox_new (s_outbox_path, zcert_public_txt (s_server->admin),
                                         s_server->router, &error);
    if (!outbox)
        fail_msg ("cannot open the outbox: %s", error);
    return outbox;
}

static long
s_waiting (void)
{
    bm_outbox_t *outbox = s_outbox ();
    long count = bm_outbox_count (outbox, 0);
    bm_outbox_destroy (&outbox);
    return count;
}

//  Units and annual targets (亿元) of two indicators of the Qingpu plan
typedef struct {
    const char *indicator;
    const char *unit;
    double target;
} s_target_t;

static const s_target_t s_targets [] = {
    { "industrial-output", "赵巷镇", 17.2 }, { "industrial-output", "徐泾镇", 63.6 },
    { "industrial-output", "华新镇", 227.4 }, { "industrial-output", "重固镇", 5.0 },
    { "industrial-output", "白鹤镇", 71.9 }, { "industrial-output", "朱家角镇", 89.3 },
    { "industrial-output", "练塘镇", 78.2 }, { "industrial-output", "金泽镇", 52.2 },
    { "industrial-output", "青浦工业园区", 1195.0 }, { "industrial-output", "西虹桥公司", 33.8 },
    { "industrial-output", "青发集团", 22.8 }, { "industrial-output", "文旅公司", 8.1 },
    { "retail-sales", "赵巷镇", 135.0 }, { "retail-sales", "徐泾镇", 58.0 },
    { "retail-sales", "华新镇", 60.5 }, { "retail-sales", "重固镇", 21.5 },
    { "retail-sales", "白鹤镇", 18.5 }, { "retail-sales", "朱家角镇", 28.0 },
    { "retail-sales", "练塘镇", 14.5 }, { "retail-sales", "金泽镇", 12.0 },
    { "retail-sales", "夏阳街道", 46.0 }, { "retail-sales", "盈浦街道", 65.0 },
    { "retail-sales", "香花桥街道", 66.0 }, { "retail-sales", "青浦工业园区", 10.0 },
    { "retail-sales", "新城公司", 1.0 }, { "retail-sales", "西虹桥公司", 52.0 },
    { "retail-sales", "青发集团", 1.5 }, { "retail-sales", "文旅公司", 1.0 },
};
#define S_TARGETS (sizeof s_targets / sizeof s_targets [0])

//  Writes a CSV of every month's forecast and final of those cells, on
//  course for the target and rising, each row with its own note; returns
//  the number of rows
static size_t
s_write_csv (const char *path)
{
    FILE *file = fopen (path, "w");
    assert_non_null (file);
    fprintf (file, "district,unit,indicator,measure,period,kind,value,status,note\n");
    size_t rows = 0;
    for (size_t cell = 0; cell < S_TARGETS; cell++)
        for (int month = 1; month <= 12; month++) {
            double forecast = s_targets [cell].target * month / 12;
            fprintf (file, "qingpu,%s,%s,,2023-%02d,forecast,%.2f,,outbox row %zu\n",
                     s_targets [cell].unit, s_targets [cell].indicator, month, forecast,
                     ++rows);
            fprintf (file, "qingpu,%s,%s,,2023-%02d,final,%.2f,,outbox row %zu\n",
                     s_targets [cell].unit, s_targets [cell].indicator, month,
                     forecast + 0.01, ++rows);
        }
    fclose (file);
    return rows;
}

//  Starts the battlemap command against the server, its output to a file;
//  returns its pid
static pid_t
s_start_cli (const char *output, const char *arg, ...)
{
    char *key = zsys_sprintf ("%s/admin.cert", s_server->keys);
    char *server_key = zsys_sprintf ("%s/server.cert", s_server->keys);
    const char *argv [32] = {
        getenv ("BATTLEMAP"), "--server", s_server->router, "--key", key,
        "--server-key", server_key, "--timeout", "20000"
    };
    int argc = 9;
    va_list args;
    va_start (args, arg);
    for (const char *next = arg; next && argc < 31; next = va_arg (args, const char *))
        argv [argc++] = next;
    va_end (args);
    argv [argc] = NULL;
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        int fd = open (output, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2 (fd, 1);
        dup2 (fd, 2);
        execv (argv [0], (char **) argv);
        _exit (127);
    }
    free (key);
    free (server_key);
    return pid;
}

//  Lines of `text` holding `word`
static size_t
s_count_lines (const char *text, const char *word)
{
    size_t count = 0;
    for (const char *line = text; line && *line; ) {
        const char *end = strchr (line, '\n');
        size_t length = end? (size_t) (end - line): strlen (line);
        char *copy = strndup (line, length);
        if (strstr (copy, word))
            count++;
        free (copy);
        line = end? end + 1: NULL;
    }
    return count;
}

static void
test_killed_in_the_middle_of_a_csv (void **state)
{
    char *csv = zsys_sprintf ("%s/figures.csv", s_folder);
    size_t rows = s_write_csv (csv);
    assert_true (rows > 500);               //  two batches at least
    char *output_path = zsys_sprintf ("%s/killed.out", s_folder);

    //  Send the CSV; once the first batch is answered (its figures gone from
    //  the outbox), freeze the server so that the command waits for the
    //  answer to the next, and kill it there
    pid_t cli = s_start_cli (output_path, "submit", "--csv", csv, NULL);
    bm_outbox_t *outbox = s_outbox ();
    long waiting = 0;
    bool queued = false, stopped = false;
    int64_t deadline = zclock_mono () + 120000;
    while (zclock_mono () < deadline) {
        waiting = bm_outbox_count (outbox, 0);
        queued |= waiting == (long) rows;
        if (queued && waiting < (long) rows) {
            assert_int_equal (kill (s_server->pid, SIGSTOP), 0);
            stopped = true;
            break;
        }
        int status;
        if (waitpid (cli, &status, WNOHANG) == cli)
            fail_msg ("battlemap submit ended (status %d) before it could be stopped "
                      "mid-send; %ld waiting", status, waiting);
        zclock_sleep (1);
    }
    assert_true (stopped);
    zclock_sleep (800);                     //  the next batch is on its way
    assert_int_equal (kill (cli, SIGKILL), 0);
    int status;
    assert_int_equal (waitpid (cli, &status, 0), cli);
    assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
    assert_int_equal (kill (s_server->pid, SIGCONT), 0);
    long left = bm_outbox_count (outbox, 0);
    bm_outbox_destroy (&outbox);
    long acknowledged = (long) rows - left;
    print_message ("  CSV rows %zu; acknowledged before the kill %ld; left in the outbox %ld\n",
                   rows, acknowledged, left);
    assert_true (left > 0);
    assert_true (acknowledged >= 500);

    //  The listing shows each waiting figure, sent once already
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "outbox", "--outbox", s_outbox_path, NULL);
    if (rc)
        fail_msg ("outbox: %s", output);
    assert_int_equal (s_count_lines (output, " queued "), (size_t) left);
    assert_int_equal (s_count_lines (output, "attempts 1"), (size_t) left);
    assert_int_equal (s_count_lines (output, csv), (size_t) left);
    //  Keep the ids listed, to find them stored
    zlistx_t *ids = zlistx_new ();
    zlistx_set_destructor (ids, (zlistx_destructor_fn *) zstr_free);
    for (char *line = output; line && *line; ) {
        char *end = strchr (line, '\n');
        if (strnlen (line, 42) == 42 && strncmp (line + 36, " 2023-", 6) == 0)
            zlistx_add_end (ids, strndup (line, 36));
        line = end? end + 1: NULL;
    }
    if (zlistx_size (ids) != (size_t) left)
        fail_msg ("%zu ids in the listing:\n%s", zlistx_size (ids), output);
    free (output);

    //  Sent again: exit 0, the outbox empty
    rc = harness_cli (s_server, &output, "outbox", "send", "--outbox", s_outbox_path, NULL);
    if (rc)
        fail_msg ("outbox send (%d): %s", rc, output);
    size_t created = s_count_lines (output, "created ") + s_count_lines (output, "updated ");
    size_t unchanged = s_count_lines (output, "unchanged ");
    assert_int_equal (created + unchanged, (size_t) left);
    assert_int_equal (s_count_lines (output, "refused"), 0);
    free (output);
    assert_int_equal (s_waiting (), 0);

    //  Every row stored exactly once, under the ids it was queued with
    long stored = harness_count (s_server,
        "SELECT count (DISTINCT note) FROM figure WHERE note LIKE 'outbox row %'", 0, NULL);
    long figures = harness_count (s_server,
        "SELECT count (*) FROM figure WHERE note LIKE 'outbox row %'", 0, NULL);
    long duplicates = figures - stored;
    long missing = (long) rows - stored;
    long reused = harness_count (s_server,
        "SELECT count (*) FROM (SELECT submission_id FROM figure GROUP BY submission_id"
        " HAVING count (*) > 1) AS twice", 0, NULL);
    for (char *id = zlistx_first (ids); id; id = zlistx_next (ids)) {
        const char *params [] = { id };
        assert_int_equal (harness_count (s_server,
            "SELECT count (*) FROM figure WHERE submission_id = $1", 1, params), 1);
    }
    print_message ("  outbox send: %zu stored now, %zu answered unchanged (the killed "
                   "command's request, served once the server resumed)\n", created, unchanged);
    print_message ("  stored %ld of %zu rows; duplicates %ld; missing %ld; ids stored twice "
                   "%ld; left in the outbox %ld\n", stored, rows, duplicates, missing, reused,
                   s_waiting ());
    assert_int_equal (duplicates, 0);
    assert_int_equal (missing, 0);
    assert_int_equal (reused, 0);

    //  Nothing waits: `outbox send` says so and exits 0
    rc = harness_cli (s_server, &output, "outbox", "send", NULL);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (output, "is empty"));
    free (output);
    zlistx_destroy (&ids);
    free (output_path);
    free (csv);
}

static void
test_server_not_answering (void **state)
{
    //  Frozen, the server takes the request and never answers
    assert_int_equal (kill (s_server->pid, SIGSTOP), 0);
    char *output = NULL;
    int64_t started = zclock_mono ();
    int rc = harness_cli (s_server, &output, "--timeout", "1000", "submit",
                          "--district", "qingpu", "--unit", "赵巷镇", "--indicator", "tax-total",
                          "--period", "2023-03", "--kind", "final", "--value", "7.81", NULL);
    int64_t took = zclock_mono () - started;
    assert_int_equal (kill (s_server->pid, SIGCONT), 0);
    print_message ("  no answer: exit %d after %lld ms (3 attempts of 1000 ms)\n", rc,
                   (long long) took);
    print_message ("%s", output);
    assert_int_equal (rc, 3);
    assert_true (took < 3 * 1000 + 5000);
    assert_non_null (strstr (output, "no answer from the server"));
    assert_non_null (strstr (output, "stays in the outbox"));
    assert_non_null (strstr (output, "battlemap outbox send"));
    free (output);
    assert_int_equal (s_waiting (), 1);

    //  The next submit of another figure sends the old one first
    rc = harness_cli (s_server, &output, "submit", "--district", "qingpu",
                      "--unit", "徐泾镇", "--indicator", "tax-total", "--period", "2023-03",
                      "--kind", "final", "--value", "16.42", NULL);
    print_message ("%s", output);
    if (rc)
        fail_msg ("next submit (%d): %s", rc, output);
    assert_non_null (strstr (output, "sending 1 figure left in the outbox from an earlier run"));
    char *old = strstr (output, "2023-03 赵巷镇 税收总收入 final 7.81");
    char *new = strstr (output, "2023-03 徐泾镇 税收总收入 final 16.42");
    assert_non_null (old);
    assert_non_null (new);
    assert_true (old < new);
    free (output);
    assert_int_equal (s_waiting (), 0);
    long old_stored = harness_count (s_server,
        "SELECT count (*) FROM figure f JOIN unit u ON u.id = f.unit_id JOIN indicator i"
        " ON i.id = f.indicator_id WHERE i.code = 'tax-total' AND u.name = '赵巷镇'"
        " AND f.value = 7.81", 0, NULL);
    long new_stored = harness_count (s_server,
        "SELECT count (*) FROM figure f JOIN unit u ON u.id = f.unit_id JOIN indicator i"
        " ON i.id = f.indicator_id WHERE i.code = 'tax-total' AND u.name = '徐泾镇'"
        " AND f.value = 16.42", 0, NULL);
    print_message ("  stored: the waiting figure %ld time(s), the new one %ld; left in the "
                   "outbox %ld\n", old_stored, new_stored, s_waiting ());
    assert_int_equal (old_stored, 1);
    assert_int_equal (new_stored, 1);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_server_not_answering),
        cmocka_unit_test (test_killed_in_the_middle_of_a_csv),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
