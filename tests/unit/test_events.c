/*  bm_events: sequence numbers, family links, the families written when
    due, and rebuilt after a restart from what was written plus the log's
    tail. */

#include "bm_events.h"
#include "bm_wire.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

//  Queues an event on a topic; returns its seq and copies its family links
static uint64_t
s_queue (bm_events_t *events, bm_turn_t *turn, const char *topic, uint64_t *prevs,
         size_t *levels)
{
    Battlemap__Event event = BATTLEMAP__EVENT__INIT;
    event.kind = "completion";
    bm_events_queue (events, turn, topic, "2023-06-01T09:00:00+08:00", &event);
    //  The links travel in the packed event, as subscribers get them
    assert_true (turn->event_count > 0);
    zmsg_t *message = bm_turn_message (turn, turn->event_count - 1);
    char *published = zmsg_popstr (message);
    assert_string_equal (published, topic);
    zstr_free (&published);
    zframe_t *frame = zmsg_last (message);
    Battlemap__Envelope *envelope = bm_wire_unpack (zframe_data (frame), zframe_size (frame));
    assert_non_null (envelope);
    assert_int_equal (envelope->event->seq, event.seq);
    *levels = envelope->event->n_family_prev;
    for (size_t level = 0; level < *levels; level++)
        prevs [level] = envelope->event->family_prev [level];
    bm_wire_free (&envelope);
    zmsg_destroy (&message);
    return event.seq;
}

static void
test_family_links (void **state)
{
    bm_events_t *events = bm_events_new ();
    bm_events_set_latest (events, 100);
    bm_turn_t *turn = bm_turn_new ();
    uint64_t prevs [8];
    size_t levels;
    assert_int_equal (s_queue (events, turn, "completion/qingpu/赵巷镇/output/", prevs, &levels),
                      101);
    assert_int_equal (levels, 4);
    for (size_t level = 0; level < 4; level++)
        assert_int_equal (prevs [level], 0);
    assert_int_equal (s_queue (events, turn, "figure/qingpu/赵巷镇/output/", prevs, &levels), 102);
    assert_int_equal (prevs [0], 0);
    //  Another unit of the same kind and district: linked at two levels
    assert_int_equal (s_queue (events, turn, "completion/qingpu/徐泾镇/output/", prevs, &levels),
                      103);
    assert_int_equal (prevs [0], 101);
    assert_int_equal (prevs [1], 101);
    assert_int_equal (prevs [2], 0);
    assert_int_equal (prevs [3], 0);
    //  The same topic again: linked at every level, over the figure between
    assert_int_equal (s_queue (events, turn, "completion/qingpu/赵巷镇/output/", prevs, &levels),
                      104);
    assert_int_equal (prevs [0], 103);
    assert_int_equal (prevs [1], 103);
    assert_int_equal (prevs [2], 101);
    assert_int_equal (prevs [3], 101);
    //  Not committed yet: the latest committed is still 100
    assert_int_equal (bm_events_latest (events), 100);
    bm_events_committed_to (events, bm_events_last (events));
    assert_int_equal (bm_events_latest (events), 104);
    //  Four events and no family rows in the batch until the families are
    //  flushed, with the marker
    assert_int_equal (bm_batch_rows (turn->batch), 4);
    bm_events_flush (events, turn, 0);
    //  completion/…/赵巷镇/output/ and figure/…/赵巷镇/output/ at four levels
    //  each, 徐泾镇's two of its own, and the marker
    assert_int_equal (bm_batch_rows (turn->batch), 4 + (4 + 4 + 2) + 1);
    bm_turn_destroy (&turn);
    bm_events_destroy (&events);
}

static void
test_families_after_a_restart (void **state)
{
    //  Written: the families as of event 104 and the marker; the log holds
    //  two events after it. The rebuilt chains continue as the first ones.
    bm_events_t *events = bm_events_new ();
    bm_events_set_latest (events, 106);
    bm_events_set_family (events, "completion/", 104);
    bm_events_set_family (events, "completion/qingpu/", 104);
    bm_events_set_family (events, "completion/qingpu/赵巷镇/", 104);
    bm_events_set_family (events, "completion/qingpu/赵巷镇/output/", 104);
    bm_events_set_family (events, "", 104);
    bm_events_follow (events, 105, "completion/qingpu/徐泾镇/output/");
    bm_events_follow (events, 106, "alert/qingpu/徐泾镇/output/warning/");
    bm_turn_t *turn = bm_turn_new ();
    uint64_t prevs [8];
    size_t levels;
    assert_int_equal (s_queue (events, turn, "completion/qingpu/赵巷镇/output/", prevs, &levels),
                      107);
    assert_int_equal (prevs [0], 105);
    assert_int_equal (prevs [1], 105);
    assert_int_equal (prevs [2], 104);
    assert_int_equal (prevs [3], 104);
    //  What the tail moved is written at the next flush, so the next
    //  marker never passes a family the table does not hold
    bm_batch_reset (turn->batch);
    bm_events_flush (events, turn, 0);
    //  The tail's: completion/…/徐泾镇/output/ at four levels, the alert at
    //  five; the new event's two of 赵巷镇; and the marker
    assert_int_equal (bm_batch_rows (turn->batch), (4 + 5) + 2 + 1);
    bm_turn_destroy (&turn);
    bm_events_destroy (&events);
}

static void
test_flush_by_age (void **state)
{
    //  Written a moment ago (a new log counts as written): families that
    //  moved since wait until they are BM_EVENTS_FLUSH_IDLE old, or longer
    bm_events_t *events = bm_events_new ();
    bm_turn_t *turn = bm_turn_new ();
    uint64_t prevs [8];
    size_t levels;
    s_queue (events, turn, "figure/qingpu/赵巷镇/output/", prevs, &levels);
    bm_batch_reset (turn->batch);
    bm_events_flush (events, turn, BM_EVENTS_FLUSH_IDLE);
    bm_events_flush (events, turn, BM_EVENTS_FLUSH_BUSY);
    assert_int_equal (bm_batch_rows (turn->batch), 0);
    //  Due at once: its four levels and the marker
    bm_events_flush (events, turn, 0);
    assert_int_equal (bm_batch_rows (turn->batch), 4 + 1);
    //  Nothing moved since: nothing to write, however late
    bm_batch_reset (turn->batch);
    bm_events_flush (events, turn, 0);
    assert_int_equal (bm_batch_rows (turn->batch), 0);
    //  Written just now: not yet due again
    s_queue (events, turn, "figure/qingpu/徐泾镇/output/", prevs, &levels);
    bm_batch_reset (turn->batch);
    bm_events_flush (events, turn, BM_EVENTS_FLUSH_IDLE);
    assert_int_equal (bm_batch_rows (turn->batch), 0);
    zclock_sleep (BM_EVENTS_FLUSH_IDLE + 50);
    bm_events_flush (events, turn, BM_EVENTS_FLUSH_BUSY);
    assert_int_equal (bm_batch_rows (turn->batch), 0);
    bm_events_flush (events, turn, BM_EVENTS_FLUSH_IDLE);
    //  The four levels it moved (two shared with 赵巷镇's), and the marker
    assert_int_equal (bm_batch_rows (turn->batch), 4 + 1);
    bm_turn_destroy (&turn);
    bm_events_destroy (&events);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_family_links),
        cmocka_unit_test (test_families_after_a_restart),
        cmocka_unit_test (test_flush_by_age),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
