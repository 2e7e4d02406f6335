/*  bm_subscriptions: distinct prefixes and subscriptions a minute are
    capped per key; a key over a cap is barred for a while, then free. */

#include "bm_subscriptions.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

static void
test_prefixes_capped (void **state)
{
    bm_subscriptions_t *subscriptions = bm_subscriptions_new (3, 100, 1000);
    assert_int_equal (bm_subscriptions_add (subscriptions, "k", "a/", 0), 0);
    assert_int_equal (bm_subscriptions_add (subscriptions, "k", "b/", 0), 0);
    //  The same prefix again (a reconnection) is not another
    assert_int_equal (bm_subscriptions_add (subscriptions, "k", "a/", 0), 0);
    assert_int_equal (bm_subscriptions_add (subscriptions, "k", "c/", 0), 0);
    //  An unsubscription frees its place
    bm_subscriptions_remove (subscriptions, "k", "c/");
    assert_int_equal (bm_subscriptions_add (subscriptions, "k", "d/", 0), 0);
    assert_false (bm_subscriptions_barred (subscriptions, "k", 0));
    assert_int_equal (bm_subscriptions_add (subscriptions, "k", "e/", 10), -1);
    assert_true (bm_subscriptions_barred (subscriptions, "k", 10));
    //  Another key is not held back
    assert_int_equal (bm_subscriptions_add (subscriptions, "other", "e/", 10), 0);
    //  Barred until the bar ends, even for what it had
    assert_int_equal (bm_subscriptions_add (subscriptions, "k", "a/", 500), -1);
    assert_true (bm_subscriptions_barred (subscriptions, "k", 1009));
    assert_false (bm_subscriptions_barred (subscriptions, "k", 1010));
    assert_int_equal (bm_subscriptions_add (subscriptions, "k", "a/", 1010), 0);
    bm_subscriptions_destroy (&subscriptions);
    assert_null (subscriptions);
}

static void
test_messages_capped_a_minute (void **state)
{
    bm_subscriptions_t *subscriptions = bm_subscriptions_new (10, 5, 1000);
    for (int count = 0; count < 5; count++)
        assert_int_equal (bm_subscriptions_add (subscriptions, "k", "a/", count), 0);
    //  A minute later the count starts again
    for (int count = 0; count < 5; count++)
        assert_int_equal (bm_subscriptions_add (subscriptions, "k", "a/", 60000 + count), 0);
    assert_int_equal (bm_subscriptions_add (subscriptions, "k", "a/", 60010), -1);
    //  After a reset (every subscriber dropped) counts start again; the bar stays
    bm_subscriptions_reset (subscriptions);
    assert_true (bm_subscriptions_barred (subscriptions, "k", 60020));
    bm_subscriptions_destroy (&subscriptions);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_prefixes_capped),
        cmocka_unit_test (test_messages_capped_a_minute),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
