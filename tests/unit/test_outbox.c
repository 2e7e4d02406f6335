/*  test_outbox: the outbox on the sender's disk: queue, list, remove,
    reopen, keys and servers kept apart, the sending lock, bad files. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bm_outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_A   "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
#define KEY_B   "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
#define SERVER  "tcp://127.0.0.1:7301"

static char s_folder [64];

static int
s_setup (void **state)
{
    snprintf (s_folder, sizeof s_folder, "/tmp/bm-outbox-XXXXXX");
    assert_non_null (mkdtemp (s_folder));
    return 0;
}

static int
s_teardown (void **state)
{
    char *command = zsys_sprintf ("rm -rf '%s'", s_folder);
    assert_int_equal (system (command), 0);
    free (command);
    return 0;
}

//  A path in the test folder, to free
static char *
s_path (const char *name)
{
    return zsys_sprintf ("%s/%s", s_folder, name);
}

static bm_outbox_t *
s_open (const char *path, const char *key, const char *server)
{
    char *error = NULL;
    bm_outbox_t *outbox = bm_outbox_new (path, key, server, &error);
    if (!outbox)
        fail_msg ("cannot open %s: %s", path, error);
    return outbox;
}

//  A figure of 赵巷镇 with the given id, period and value; strings static
static void
s_figure (Battlemap__Figure *figure, const char *id, const char *period, const char *value)
{
    battlemap__figure__init (figure);
    figure->id = (char *) id;
    figure->district = "qingpu";
    figure->unit = "赵巷镇";
    figure->indicator = "industrial-output";
    figure->period = (char *) period;
    figure->kind = BATTLEMAP__FIGURE_KIND__FINAL;
    figure->value = (char *) value;
    figure->note = "三月正式数";
}

//  The ids waiting (of our key and server), in order, joined by spaces
static char *
s_ids (bm_outbox_t *outbox)
{
    zlistx_t *entries = bm_outbox_list (outbox, 0, 0, 0, false);
    assert_non_null (entries);
    char *ids = strdup ("");
    for (bm_outbox_entry_t *entry = zlistx_first (entries); entry;
         entry = zlistx_next (entries)) {
        char *joined = zsys_sprintf ("%s%s%s", ids, *ids? " ": "", entry->id);
        free (ids);
        ids = joined;
    }
    zlistx_destroy (&entries);
    return ids;
}

static void
s_assert_ids (bm_outbox_t *outbox, const char *expected)
{
    char *ids = s_ids (outbox);
    assert_string_equal (ids, expected);
    free (ids);
}

static void
test_add_list_remove (void **state)
{
    char *path = s_path ("add.sqlite");
    bm_outbox_t *outbox = s_open (path, KEY_A, SERVER);
    assert_int_equal (bm_outbox_count (outbox, 0), 0);

    Battlemap__Figure figures [3];
    s_figure (figures + 0, "id-1", "2023-01", "1.4");
    s_figure (figures + 1, "id-2", "2023-02", "2.9");
    s_figure (figures + 2, "id-3", "2023-03", "4.3");
    figures [2].status = BATTLEMAP__MILESTONE_STATUS__IN_PROGRESS;
    Battlemap__Figure *pointers [] = { figures, figures + 1, figures + 2 };
    int lines [] = { 2, 3, 5 };
    int64_t first = 0;
    assert_int_equal (bm_outbox_add (outbox, pointers, 3, "/tmp/赵巷镇.csv", lines, &first), 0);
    assert_true (first > 0);
    assert_int_equal (bm_outbox_count (outbox, 0), 3);
    assert_int_equal (bm_outbox_count (outbox, first + 1), 1);

    //  Listed in order, with everything needed to send them again
    zlistx_t *entries = bm_outbox_list (outbox, 0, 0, 0, false);
    assert_non_null (entries);
    assert_int_equal (zlistx_size (entries), 3);
    bm_outbox_entry_t *entry = zlistx_first (entries);
    assert_int_equal (entry->seq, first);
    assert_string_equal (entry->id, "id-1");
    assert_string_equal (entry->figure->id, "id-1");
    assert_string_equal (entry->figure->unit, "赵巷镇");
    assert_string_equal (entry->figure->value, "1.4");
    assert_string_equal (entry->figure->note, "三月正式数");
    assert_int_equal (entry->figure->kind, BATTLEMAP__FIGURE_KIND__FINAL);
    assert_string_equal (entry->csv, "/tmp/赵巷镇.csv");
    assert_int_equal (entry->line, 2);
    assert_int_equal (entry->attempts, 0);
    assert_non_null (strstr (entry->queued, "+08:00"));
    assert_string_equal (entry->public_key, KEY_A);
    assert_string_equal (entry->server, SERVER);
    entry = zlistx_last (entries);
    assert_int_equal (entry->figure->status, BATTLEMAP__MILESTONE_STATUS__IN_PROGRESS);
    assert_int_equal (entry->line, 5);
    zlistx_destroy (&entries);

    //  A range and a limit, as batches are read
    entries = bm_outbox_list (outbox, first + 1, 0, 1, false);
    assert_int_equal (zlistx_size (entries), 1);
    assert_string_equal (((bm_outbox_entry_t *) zlistx_first (entries))->id, "id-2");
    //  One attempt counted for that batch
    bm_outbox_entry_t *batch [] = { zlistx_first (entries) };
    assert_int_equal (bm_outbox_attempted (outbox, batch, 1), 0);
    assert_int_equal (batch [0]->attempts, 1);
    zlistx_destroy (&entries);

    //  Removed by id, in one transaction; an id not waiting is ignored
    const char *answered [] = { "id-1", "id-3", "id-9" };
    assert_int_equal (bm_outbox_remove (outbox, answered, 3), 0);
    s_assert_ids (outbox, "id-2");

    //  A figure without a CSV has no file and line
    Battlemap__Figure single;
    s_figure (&single, "id-4", "2023-04", "5.8");
    Battlemap__Figure *single_pointer = &single;
    int64_t next = 0;
    assert_int_equal (bm_outbox_add (outbox, &single_pointer, 1, NULL, NULL, &next), 0);
    assert_true (next > first + 2);
    entries = bm_outbox_list (outbox, next, 0, 0, false);
    entry = zlistx_first (entries);
    assert_string_equal (entry->id, "id-4");
    assert_null (entry->csv);
    assert_int_equal (entry->line, 0);
    zlistx_destroy (&entries);
    bm_outbox_destroy (&outbox);
    bm_outbox_destroy (&outbox);
    assert_null (outbox);
    free (path);
}

static void
test_survives_reopen (void **state)
{
    char *path = s_path ("deep/er/reopen.sqlite");
    bm_outbox_t *outbox = s_open (path, KEY_A, SERVER);
    //  Missing folders are made, for our user only
    char *folder = s_path ("deep/er");
    struct stat status;
    assert_int_equal (stat (folder, &status), 0);
    assert_int_equal (status.st_mode & 0777, 0700);
    free (folder);
    Battlemap__Figure figure;
    s_figure (&figure, "id-reopen", "2023-05", "7.2");
    Battlemap__Figure *pointer = &figure;
    int64_t first;
    assert_int_equal (bm_outbox_add (outbox, &pointer, 1, NULL, NULL, &first), 0);
    zlistx_t *entries = bm_outbox_list (outbox, 0, 0, 0, false);
    bm_outbox_entry_t *batch [] = { zlistx_first (entries) };
    assert_int_equal (bm_outbox_attempted (outbox, batch, 1), 0);
    zlistx_destroy (&entries);
    bm_outbox_destroy (&outbox);

    outbox = s_open (path, KEY_A, SERVER);
    entries = bm_outbox_list (outbox, 0, 0, 0, false);
    assert_int_equal (zlistx_size (entries), 1);
    bm_outbox_entry_t *entry = zlistx_first (entries);
    assert_string_equal (entry->id, "id-reopen");
    assert_string_equal (entry->figure->value, "7.2");
    assert_int_equal (entry->attempts, 1);
    assert_int_equal (entry->seq, first);
    zlistx_destroy (&entries);
    //  Seqs go on rising after the last row is removed: what an earlier
    //  run left is always below what a later run queues
    const char *ids [] = { "id-reopen" };
    assert_int_equal (bm_outbox_remove (outbox, ids, 1), 0);
    bm_outbox_destroy (&outbox);
    outbox = s_open (path, KEY_A, SERVER);
    assert_int_equal (bm_outbox_count (outbox, 0), 0);
    s_figure (&figure, "id-later", "2023-06", "8.1");
    int64_t later;
    assert_int_equal (bm_outbox_add (outbox, &pointer, 1, NULL, NULL, &later), 0);
    assert_true (later > first);
    bm_outbox_destroy (&outbox);
    free (path);
}

static void
test_keys_and_servers_kept_apart (void **state)
{
    char *path = s_path ("keys.sqlite");
    bm_outbox_t *a = s_open (path, KEY_A, SERVER);
    bm_outbox_t *b = s_open (path, KEY_B, SERVER);
    bm_outbox_t *elsewhere = s_open (path, KEY_A, "tcp://127.0.0.1:7401");
    Battlemap__Figure figure;
    Battlemap__Figure *pointer = &figure;
    int64_t first;
    s_figure (&figure, "id-a", "2023-03", "4.3");
    assert_int_equal (bm_outbox_add (a, &pointer, 1, NULL, NULL, &first), 0);
    //  The same id under another key is another row
    s_figure (&figure, "id-a", "2023-03", "9.9");
    assert_int_equal (bm_outbox_add (b, &pointer, 1, NULL, NULL, &first), 0);
    s_figure (&figure, "id-b", "2023-03", "4.4");
    assert_int_equal (bm_outbox_add (b, &pointer, 1, NULL, NULL, &first), 0);

    s_assert_ids (a, "id-a");
    s_assert_ids (b, "id-a id-b");
    s_assert_ids (elsewhere, "");
    assert_int_equal (bm_outbox_count (a, 0), 1);
    assert_int_equal (bm_outbox_count (b, 0), 2);
    assert_int_equal (bm_outbox_count (elsewhere, 0), 0);
    assert_int_equal (bm_outbox_count_all (elsewhere), 3);
    zlistx_t *all = bm_outbox_list (elsewhere, 0, 0, 0, true);
    assert_int_equal (zlistx_size (all), 3);
    zlistx_destroy (&all);
    zlistx_t *entries = bm_outbox_list (b, 0, 0, 1, false);
    assert_string_equal (((bm_outbox_entry_t *) zlistx_first (entries))->figure->value, "9.9");
    zlistx_destroy (&entries);

    //  Removing under one key leaves the other's row of the same id
    const char *ids [] = { "id-a" };
    assert_int_equal (bm_outbox_remove (elsewhere, ids, 1), 0);
    assert_int_equal (bm_outbox_remove (b, ids, 1), 0);
    s_assert_ids (a, "id-a");
    s_assert_ids (b, "id-b");
    bm_outbox_destroy (&a);
    bm_outbox_destroy (&b);
    bm_outbox_destroy (&elsewhere);
    free (path);
}

static void
test_same_id_queued_once (void **state)
{
    char *path = s_path ("same.sqlite");
    bm_outbox_t *outbox = s_open (path, KEY_A, SERVER);
    Battlemap__Figure figures [2];
    s_figure (figures + 0, "id-same", "2023-03", "4.3");
    s_figure (figures + 1, "id-other", "2023-04", "5.1");
    Battlemap__Figure *pointers [] = { figures, figures + 1 };
    int64_t first;
    assert_int_equal (bm_outbox_add (outbox, pointers, 1, NULL, NULL, &first), 0);
    //  The same figure again (a second run with --id) is not queued twice
    assert_int_equal (bm_outbox_add (outbox, pointers, 2, NULL, NULL, &first), 0);
    s_assert_ids (outbox, "id-same id-other");
    //  Another figure under a waiting id: an error, and nothing of the
    //  transaction is queued
    Battlemap__Figure changed [2];
    s_figure (changed + 0, "id-new", "2023-05", "6.0");
    s_figure (changed + 1, "id-same", "2023-03", "4.4");
    Battlemap__Figure *changed_pointers [] = { changed, changed + 1 };
    assert_int_equal (bm_outbox_add (outbox, changed_pointers, 2, NULL, NULL, &first), -1);
    print_message ("%s\n", bm_outbox_error (outbox));
    assert_non_null (strstr (bm_outbox_error (outbox), "id-same"));
    assert_non_null (strstr (bm_outbox_error (outbox), "other content"));
    s_assert_ids (outbox, "id-same id-other");
    bm_outbox_destroy (&outbox);
    free (path);
}

static void
test_sending_lock (void **state)
{
    char *path = s_path ("lock.sqlite");
    bm_outbox_t *first = s_open (path, KEY_A, SERVER);
    bm_outbox_t *second = s_open (path, KEY_A, SERVER);
    assert_int_equal (bm_outbox_lock (first, false), 0);
    assert_int_equal (bm_outbox_lock (first, false), 0);
    //  Held: the other is told, and may list and queue meanwhile
    assert_int_equal (bm_outbox_lock (second, false), 1);
    Battlemap__Figure figure;
    s_figure (&figure, "id-locked", "2023-03", "4.3");
    Battlemap__Figure *pointer = &figure;
    int64_t seq;
    assert_int_equal (bm_outbox_add (second, &pointer, 1, NULL, NULL, &seq), 0);
    assert_int_equal (bm_outbox_count (first, 0), 1);
    //  Let go when the holder closes
    bm_outbox_destroy (&first);
    assert_int_equal (bm_outbox_lock (second, false), 0);
    bm_outbox_destroy (&second);
    char *lock = zsys_sprintf ("%s.lock", path);
    assert_true (zsys_file_exists (lock));
    free (lock);
    free (path);
}

static void
test_corrupt_file (void **state)
{
    char *path = s_path ("corrupt.sqlite");
    FILE *file = fopen (path, "w");
    assert_non_null (file);
    for (int index = 0; index < 400; index++)
        fputs ("district,unit,indicator,measure\n", file);
    fclose (file);
    char *error = NULL;
    bm_outbox_t *outbox = bm_outbox_new (path, KEY_A, SERVER, &error);
    assert_null (outbox);
    assert_non_null (error);
    print_message ("%s\n", error);
    assert_non_null (strstr (error, path));
    assert_non_null (strstr (error, "not a battlemap outbox or is damaged"));
    assert_non_null (strstr (error, "move it aside"));
    free (error);
    free (path);
}

static void
test_unwritable_file (void **state)
{
    //  A folder that is a file: no one can write there, root included
    char *blocker = s_path ("blocker");
    FILE *file = fopen (blocker, "w");
    assert_non_null (file);
    fclose (file);
    char *path = s_path ("blocker/outbox.sqlite");
    char *error = NULL;
    bm_outbox_t *outbox = bm_outbox_new (path, KEY_A, SERVER, &error);
    assert_null (outbox);
    print_message ("%s\n", error);
    assert_non_null (strstr (error, path));
    assert_non_null (strstr (error, "--outbox FILE"));
    free (error);
    free (path);

    //  A read-only database (only for a user that permissions bind)
    path = s_path ("readonly.sqlite");
    outbox = s_open (path, KEY_A, SERVER);
    bm_outbox_destroy (&outbox);
    char *wal = zsys_sprintf ("%s-wal", path);
    char *shm = zsys_sprintf ("%s-shm", path);
    unlink (wal);
    unlink (shm);
    assert_int_equal (chmod (path, 0400), 0);
    if (geteuid () != 0) {
        error = NULL;
        outbox = bm_outbox_new (path, KEY_A, SERVER, &error);
        assert_null (outbox);
        print_message ("%s\n", error);
        assert_non_null (strstr (error, path));
        free (error);
    }
    chmod (path, 0600);
    free (wal);
    free (shm);
    free (path);
    free (blocker);
}

static void
test_default_path (void **state)
{
    setenv ("BATTLEMAP_OUTBOX", "/srv/outbox.sqlite", 1);
    char *path = bm_outbox_default_path ();
    assert_string_equal (path, "/srv/outbox.sqlite");
    free (path);
    unsetenv ("BATTLEMAP_OUTBOX");
    setenv ("XDG_STATE_HOME", "/home/unit/state", 1);
    path = bm_outbox_default_path ();
    assert_string_equal (path, "/home/unit/state/battlemap/outbox.sqlite");
    free (path);
    unsetenv ("XDG_STATE_HOME");
    setenv ("HOME", "/home/unit", 1);
    path = bm_outbox_default_path ();
    assert_string_equal (path, "/home/unit/.local/state/battlemap/outbox.sqlite");
    free (path);
    unsetenv ("HOME");
    assert_null (bm_outbox_default_path ());
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_add_list_remove),
        cmocka_unit_test (test_survives_reopen),
        cmocka_unit_test (test_keys_and_servers_kept_apart),
        cmocka_unit_test (test_same_id_queued_once),
        cmocka_unit_test (test_sending_lock),
        cmocka_unit_test (test_corrupt_file),
        cmocka_unit_test (test_unwritable_file),
        cmocka_unit_test (test_default_path),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
