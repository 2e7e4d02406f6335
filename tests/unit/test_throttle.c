/*  bm_throttle: a source leaves at most `burst` traces an interval, the
    rest is counted and given with its next trace, and the table of
    sources stays within its bound however many sources come. */

#include "bm_throttle.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

static void
test_burst_then_held (void **state)
{
    bm_throttle_t *throttle = bm_throttle_new (1000, 3, 100);
    uint64_t held = 99;
    int passed = 0;
    for (int event = 0; event < 1000; event++)
        passed += bm_throttle_pass (throttle, "key-a", 5000, &held);
    assert_int_equal (passed, 3);
    assert_int_equal (held, 0);
    //  Another source is not held back by the first
    assert_true (bm_throttle_pass (throttle, "key-b", 5000, &held));
    //  Within the interval: still held
    assert_false (bm_throttle_pass (throttle, "key-a", 5999, &held));
    //  The next interval: a trace, with the count of what was held
    assert_true (bm_throttle_pass (throttle, "key-a", 6000, &held));
    assert_int_equal (held, 998);
    assert_true (bm_throttle_pass (throttle, "key-a", 6001, &held));
    assert_int_equal (held, 0);
    bm_throttle_destroy (&throttle);
    assert_null (throttle);
}

static void
test_sources_bounded (void **state)
{
    bm_throttle_t *throttle = bm_throttle_new (1000, 1, 50);
    char name [32];
    for (int source = 0; source < 10000; source++) {
        snprintf (name, sizeof name, "peer-%d", source);
        //  every new source leaves its first trace
        assert_true (bm_throttle_pass (throttle, name, source, NULL));
        assert_true (bm_throttle_size (throttle) <= 50);
    }
    bm_throttle_destroy (&throttle);
}

static void
test_trace_counts_what_was_held (void **state)
{
    bm_throttle_t *throttle = bm_throttle_new (1000, 1, 10);
    char *trace = bm_throttle_trace (throttle, "peer", 0, "refused");
    assert_string_equal (trace, "refused");
    free (trace);
    assert_null (bm_throttle_trace (throttle, "peer", 10, "refused"));
    assert_null (bm_throttle_trace (throttle, "peer", 20, "refused"));
    trace = bm_throttle_trace (throttle, "peer", 1000, "refused");
    assert_string_equal (trace, "refused (2 more since the last row)");
    free (trace);
    bm_throttle_destroy (&throttle);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_burst_then_held),
        cmocka_unit_test (test_sources_bounded),
        cmocka_unit_test (test_trace_counts_what_was_held),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
