/*  bm_arena: allocations that live as long as one request, from blocks. */

#include "bm_arena.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static void
test_zeroed_and_aligned (void **state)
{
    bm_arena_t *arena = bm_arena_new ();
    //  Small, odd-sized, and one larger than a block: each zeroed, aligned,
    //  and apart from the others
    size_t sizes [] = { 1, 3, 17, 0, 4096, 100000, 8, 5000, 1 };
    unsigned char *blocks [9];
    for (size_t index = 0; index < 9; index++) {
        blocks [index] = bm_arena_alloc (arena, sizes [index]);
        assert_int_equal ((uintptr_t) blocks [index] % _Alignof (max_align_t), 0);
        for (size_t byte = 0; byte < sizes [index]; byte++)
            assert_int_equal (blocks [index][byte], 0);
        memset (blocks [index], (int) index + 1, sizes [index]);
    }
    for (size_t index = 0; index < 9; index++)
        for (size_t byte = 0; byte < sizes [index]; byte++)
            assert_int_equal (blocks [index][byte], index + 1);
    bm_arena_destroy (&arena);
    assert_null (arena);
    bm_arena_destroy (&arena);
}

static void
test_strings (void **state)
{
    bm_arena_t *arena = bm_arena_new ();
    assert_string_equal (bm_arena_strdup (arena, NULL), "");
    char *texts [2000];
    for (int index = 0; index < 2000; index++)
        texts [index] = bm_arena_printf (arena, "%d:%s", index, "赵巷镇规上工业总产值");
    //  One that does not fit in what is left of a block
    char *long_text = bm_arena_printf (arena, "%0*d", 20000, 7);
    assert_int_equal (strlen (long_text), 20000);
    for (int index = 0; index < 2000; index++) {
        char expected [64];
        snprintf (expected, sizeof expected, "%d:%s", index, "赵巷镇规上工业总产值");
        assert_string_equal (texts [index], expected);
    }
    //  What follows a printf is zeroed still
    unsigned char *after = bm_arena_alloc (arena, 64);
    for (int byte = 0; byte < 64; byte++)
        assert_int_equal (after [byte], 0);
    void **array = bm_arena_array (arena, 3, 24);
    for (int index = 0; index < 3; index++)
        assert_non_null (array [index]);
    bm_arena_destroy (&arena);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_zeroed_and_aligned),
        cmocka_unit_test (test_strings),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
