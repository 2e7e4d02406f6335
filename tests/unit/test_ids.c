/*  test_ids: the submission ids a sender makes (version 7 UUIDs, in the
    order they are made) and the server's set of the ids it has stored,
    for ids of every version a sender may use. */

#include "bm_client.h"
#include "bm_idset.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#define S_IDS 20000

static uint64_t
s_now_ms (void)
{
    struct timespec now;
    clock_gettime (CLOCK_REALTIME, &now);
    return (uint64_t) now.tv_sec * 1000 + (uint64_t) now.tv_nsec / 1000000;
}

//  Each id is a lower-case UUID of version 7 with the RFC 4122 variant,
//  starting with the time it was made; each is greater than the one
//  before it, as text and as bytes alike
static void
test_new_ids_are_version_7_and_grow (void **state)
{
    static char ids [S_IDS][40];
    uint64_t before = s_now_ms ();
    for (int index = 0; index < S_IDS; index++)
        bm_client_new_id (ids [index]);
    uint64_t after = s_now_ms ();
    for (int index = 0; index < S_IDS; index++) {
        const char *id = ids [index];
        assert_int_equal (strlen (id), 36);
        for (int at = 0; at < 36; at++)
            if (at == 8 || at == 13 || at == 18 || at == 23)
                assert_int_equal (id [at], '-');
            else
                assert_true (isxdigit ((unsigned char) id [at]) && !isupper ((unsigned char) id [at]));
        assert_int_equal (id [14], '7');
        assert_non_null (strchr ("89ab", id [19]));
        char prefix [13];
        memcpy (prefix, id, 8);
        memcpy (prefix + 8, id + 9, 4);
        prefix [12] = '\0';
        uint64_t made = strtoull (prefix, NULL, 16);
        //  Ids made faster than the clock moves run ahead of it a little
        assert_true (made >= before && made <= after + 1000);
        if (index)
            if (strcmp (ids [index - 1], id) >= 0)
                fail_msg ("id %d (%s) does not follow %s", index, id, ids [index - 1]);
        unsigned char bytes [16], previous [16];
        assert_int_equal (bm_idset_parse (id, bytes), 0);
        if (index) {
            assert_int_equal (bm_idset_parse (ids [index - 1], previous), 0);
            assert_true (memcmp (previous, bytes, 16) < 0);
        }
    }
}

//  SplitMix64's finalizer: a number that looks random, one for each index
static uint64_t
s_mix (uint64_t value)
{
    value += 0x9E3779B97F4A7C15ULL;
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
    return value ^ (value >> 31);
}

//  The set holds what was added and nothing else, for time-ordered ids
//  (whose first bytes hardly change), random ids and name-based ones
static void
test_idset_holds_ids_of_every_version (void **state)
{
    bm_idset_t *set = bm_idset_new ();
    static char ids [3 * S_IDS][40];
    for (int index = 0; index < S_IDS; index++) {
        bm_client_new_id (ids [index]);
        //  Version 4: random-looking but for the version, the variant and
        //  the index at the end, which keeps each one apart (not rand (),
        //  which the uuid library may seed again from the clock)
        uint64_t mixed = s_mix ((uint64_t) index + 1);
        snprintf (ids [S_IDS + index], 40, "%08x-%04x-4%03x-%04x-%012x",
                  (unsigned) (mixed >> 32), (unsigned) (mixed >> 16) & 0xffff,
                  (unsigned) mixed & 0xfff, 0x8000 | (unsigned) (mixed >> 40 & 0x3fff),
                  (unsigned) index);
        char text [32];
        snprintf (text, sizeof text, "row %d", index);
        bm_client_content_id (text, ids [2 * S_IDS + index]);
    }
    //  Each with its row: the index plus 1000
    for (int index = 0; index < 3 * S_IDS; index++)
        assert_int_equal (bm_idset_add (set, ids [index], 1000 + index), 1000 + index);
    assert_int_equal (bm_idset_size (set), 3 * S_IDS);
    for (int index = 0; index < 3 * S_IDS; index++)
        assert_int_equal (bm_idset_find (set, ids [index]), 1000 + index);
    //  Ids never added: made later, or one byte away from one that was
    char other [40];
    for (int index = 0; index < 1000; index++) {
        bm_client_new_id (other);
        assert_int_equal (bm_idset_find (set, other), 0);
        memcpy (other, ids [index * 7], 37);
        other [35] = other [35] == '0'? '1': '0';
        assert_int_equal (bm_idset_find (set, other), 0);
    }
    //  Again, with another row: no second copy, and the first row kept
    assert_int_equal (bm_idset_add (set, ids [0], 5), 1000);
    assert_int_equal (bm_idset_find (set, ids [0]), 1000);
    assert_int_equal (bm_idset_size (set), 3 * S_IDS);
    //  The nil UUID is an id like any other; text that is no UUID is none
    const char *nil = "00000000-0000-0000-0000-000000000000";
    assert_int_equal (bm_idset_find (set, nil), 0);
    assert_int_equal (bm_idset_add (set, nil, 7), 7);
    assert_int_equal (bm_idset_add (set, nil, 8), 7);
    assert_int_equal (bm_idset_find (set, nil), 7);
    assert_int_equal (bm_idset_size (set), 3 * S_IDS + 1);
    assert_int_equal (bm_idset_add (set, "not-a-uuid", 9), -1);
    assert_int_equal (bm_idset_find (set, "not-a-uuid"), 0);
    bm_idset_destroy (&set);
}

//  The set doubles a step at a time: the insert that starts a growth moves
//  a few slots, not all of them, and every id stays found, through four
//  growths, while the table before is still being moved
static void
test_idset_grows_a_step_at_a_time (void **state)
{
    bm_idset_t *set = bm_idset_new ();
    enum { S_COUNT = 5000 };
    static unsigned char ids [S_COUNT][16];
    for (size_t index = 0; index < S_COUNT; index++) {
        uint64_t high = s_mix (2 * index + 1), low = s_mix (2 * index + 2);
        memcpy (ids [index], &high, 8);
        memcpy (ids [index] + 8, &low, 8);
    }
    size_t growths = 0, before = 0;
    for (size_t index = 0; index < S_COUNT; index++) {
        bm_idset_insert (set, ids [index], (int64_t) index + 1);
        size_t growing = bm_idset_growing (set);
        if (growing > before)
            growths++;          //  a growth started: the old table is nearly all left
        else
            assert_true (before - growing <= 64);
        before = growing;
        //  Every id added so far is found, the next ones are not, also
        //  while a growth is under way
        if (growing || index % 97 == 0) {
            for (size_t seen = 0; seen <= index; seen++)
                assert_int_equal (bm_idset_row (set, ids [seen]), seen + 1);
            for (size_t next = index + 1; next < S_COUNT && next < index + 50; next++)
                assert_int_equal (bm_idset_row (set, ids [next]), 0);
        }
    }
    //  1,024 slots grew at 512 ids, 2,048 at 1,024, 4,096 at 2,048, 8,192 at 4,096
    assert_int_equal (growths, 4);
    assert_int_equal (bm_idset_size (set), S_COUNT);
    //  Added again: moved, not added, each with the row it had
    for (size_t index = 0; index < S_COUNT; index++)
        assert_int_equal (bm_idset_insert (set, ids [index], 99999), index + 1);
    assert_int_equal (bm_idset_size (set), S_COUNT);
    assert_int_equal (bm_idset_growing (set), 0);
    for (size_t index = 0; index < S_COUNT; index++)
        assert_int_equal (bm_idset_row (set, ids [index]), index + 1);
    bm_idset_destroy (&set);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_new_ids_are_version_7_and_grow),
        cmocka_unit_test (test_idset_holds_ids_of_every_version),
        cmocka_unit_test (test_idset_grows_a_step_at_a_time),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
