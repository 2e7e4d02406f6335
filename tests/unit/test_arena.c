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

//  Blocks given back are used again, zeroed: small ones and those of one
//  large allocation, each as large as asked
static void
test_blocks_reused_zeroed (void **state)
{
    //  Two allocations too large for a block, of different powers of two,
    //  one above the largest block kept, and small ones after them
    size_t sizes [] = { 30000, 300000, 2000000, 64, 5000 };
    const size_t count = sizeof sizes / sizeof sizes [0];
    unsigned char *first [5];
    //  None kept from the tests before
    bm_arena_release_spares ();
    bm_arena_t *arena = bm_arena_new ();
    for (size_t index = 0; index < count; index++) {
        first [index] = bm_arena_alloc (arena, sizes [index]);
        memset (first [index], 0xa5, sizes [index]);
    }
    bm_arena_destroy (&arena);
    for (int round = 0; round < 3; round++) {
        arena = bm_arena_new ();
        for (size_t index = 0; index < count; index++) {
            //  Larger each round, within the same power of two
            size_t size = sizes [index] + (size_t) round * 100;
            unsigned char *memory = bm_arena_alloc (arena, size);
            for (size_t byte = 0; byte < size; byte++)
                if (memory [byte] != 0)
                    fail_msg ("round %d, %zu bytes: byte %zu is %d", round, size, byte,
                              memory [byte]);
            if (index <= 1)
                assert_ptr_equal (memory, first [index]);
            memset (memory, 0x5a, size);
        }
        bm_arena_destroy (&arena);
    }
    bm_arena_release_spares ();
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_zeroed_and_aligned),
        cmocka_unit_test (test_strings),
        cmocka_unit_test (test_blocks_reused_zeroed),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
