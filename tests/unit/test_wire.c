/*  bm_wire: the server's decode-and-validate path for a request's bytes.
    A string holding a NUL byte is refused, wherever it is in the tree of
    messages (protobuf-c would cut it there silently: "赵巷镇\0徐泾镇" would
    be stored as 赵巷镇); everything else a valid request holds passes. */

#include "bm_wire.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

//  A submission of one figure, packed; `unit` and `id` may hold an 'X'
//  that the test turns into a NUL in the bytes
static zframe_t *
s_submission (const char *unit, const char *id, const char *note)
{
    Battlemap__Figure figure = BATTLEMAP__FIGURE__INIT;
    figure.id = (char *) id;
    figure.district = "qingpu";
    figure.unit = (char *) unit;
    figure.indicator = "industrial-output";
    figure.period = "2023-06";
    figure.kind = BATTLEMAP__FIGURE_KIND__FINAL;
    figure.value = "9.4";
    figure.note = (char *) note;
    Battlemap__Figure *figures [] = { &figure };
    Battlemap__SubmitRequest submit = BATTLEMAP__SUBMIT_REQUEST__INIT;
    submit.figures = figures;
    submit.n_figures = 1;
    Battlemap__Envelope envelope = BATTLEMAP__ENVELOPE__INIT;
    envelope.version = BM_PROTOCOL_VERSION;
    envelope.body_case = BATTLEMAP__ENVELOPE__BODY_SUBMIT;
    envelope.submit = &submit;
    return bm_wire_pack (&envelope);
}

//  Replace the first occurrence of `marker` in the frame by a NUL
static void
s_nul_at (zframe_t *frame, const char *marker)
{
    byte *data = zframe_data (frame);
    size_t size = zframe_size (frame), length = strlen (marker);
    for (size_t at = 0; at + length <= size; at++)
        if (memcmp (data + at, marker, length) == 0) {
            data [at] = 0;
            return;
        }
    fail_msg ("%s is not in the bytes", marker);
}

//  Decoded as the server decodes (into the request's arena) and on the heap:
//  the same answer both ways
static void
s_expect (zframe_t *frame, bool valid, const char *needle)
{
    Battlemap__ErrorCode code = 0, arena_code = 0;
    char message [256] = "", arena_message [256] = "";
    Battlemap__Envelope *envelope = bm_wire_decode_request (zframe_data (frame),
                                                            zframe_size (frame), &code,
                                                            message, sizeof message);
    bm_arena_t *arena = bm_arena_new ();
    Battlemap__Envelope *in_arena = bm_wire_decode_request_in (arena, zframe_data (frame),
        zframe_size (frame), &arena_code, arena_message, sizeof arena_message);
    assert_int_equal (envelope != NULL, in_arena != NULL);
    if (envelope) {
        zframe_t *heap_bytes = bm_wire_pack (envelope);
        zframe_t *arena_bytes = bm_wire_pack (in_arena);
        assert_true (zframe_eq (heap_bytes, arena_bytes));
        zframe_destroy (&heap_bytes);
        zframe_destroy (&arena_bytes);
    }
    else {
        assert_int_equal (code, arena_code);
        assert_string_equal (message, arena_message);
    }
    bm_arena_destroy (&arena);
    if (valid) {
        if (!envelope)
            fail_msg ("refused: %s", message);
        bm_wire_free (&envelope);
    }
    else {
        if (envelope)
            fail_msg ("accepted, expected a refusal naming %s", needle);
        assert_int_equal (code, BATTLEMAP__ERROR_CODE__MALFORMED);
        if (!strstr (message, needle))
            fail_msg ("\"%s\" does not name %s", message, needle);
    }
}

static void
test_nul_refused (void **state)
{
    const char *uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    //  A valid submission passes
    zframe_t *frame = s_submission ("赵巷镇", uuid, "三月正式数");
    s_expect (frame, true, NULL);
    zframe_destroy (&frame);
    //  A unit name with a NUL inside: 赵巷镇\0徐泾镇
    frame = s_submission ("赵巷镇~徐泾镇", uuid, "");
    s_nul_at (frame, "~");
    s_expect (frame, false, "unit");
    zframe_destroy (&frame);
    //  An id followed by junk: UUID\0junk
    char *id = zsys_sprintf ("%s~junk", uuid);
    frame = s_submission ("赵巷镇", id, "");
    s_nul_at (frame, "~junk");
    s_expect (frame, false, "id");
    zframe_destroy (&frame);
    free (id);
    //  A NUL as the last byte of a note
    frame = s_submission ("赵巷镇", uuid, "备注~");
    s_nul_at (frame, "~");
    s_expect (frame, false, "note");
    zframe_destroy (&frame);
}

static void
test_scan_walks_every_wire_type (void **state)
{
    //  An envelope with varints (version, kind), nested messages and
    //  strings: nothing to find
    zframe_t *frame = s_submission ("赵巷镇", "0f8fad5b-d9cb-469f-a165-70867728950e", "");
    const char *field = NULL;
    assert_int_equal (bm_wire_scan_nul (&battlemap__envelope__descriptor, zframe_data (frame),
                                        zframe_size (frame), &field), 0);
    assert_null (field);
    //  Cut short inside a length-delimited field: not a message
    assert_int_equal (bm_wire_scan_nul (&battlemap__envelope__descriptor, zframe_data (frame),
                                        zframe_size (frame) - 3, &field), -1);
    zframe_destroy (&frame);
    //  Bytes (not strings) may hold NULs: a plan file's content
    Battlemap__PlanFile file = BATTLEMAP__PLAN_FILE__INIT;
    file.name = "plan.csv";
    file.content.data = (uint8_t *) "a\0b";
    file.content.len = 3;
    Battlemap__PlanFile *files [] = { &file };
    Battlemap__PlanLoadRequest load = BATTLEMAP__PLAN_LOAD_REQUEST__INIT;
    load.files = files;
    load.n_files = 1;
    Battlemap__Envelope envelope = BATTLEMAP__ENVELOPE__INIT;
    envelope.version = BM_PROTOCOL_VERSION;
    envelope.body_case = BATTLEMAP__ENVELOPE__BODY_PLAN_LOAD;
    envelope.plan_load = &load;
    frame = bm_wire_pack (&envelope);
    assert_int_equal (bm_wire_scan_nul (&battlemap__envelope__descriptor, zframe_data (frame),
                                        zframe_size (frame), &field), 0);
    zframe_destroy (&frame);
}

//  A kind and a milestone status as clerks write them, in English or Chinese
static void
test_words_parsed (void **state)
{
    const char *finals [] = { "final", "终报", "正式" };
    for (size_t index = 0; index < 3; index++)
        assert_int_equal (bm_wire_kind_parse (finals [index]), BATTLEMAP__FIGURE_KIND__FINAL);
    assert_int_equal (bm_wire_kind_parse ("预报"), BATTLEMAP__FIGURE_KIND__FORECAST);
    assert_int_equal (bm_wire_kind_parse ("final "),
                      BATTLEMAP__FIGURE_KIND__FIGURE_KIND_UNSPECIFIED);
    const char *progress [] = { "in_progress", "推进中", "进行中" };
    for (size_t index = 0; index < 3; index++)
        assert_int_equal (bm_wire_status_parse (progress [index]),
                          BATTLEMAP__MILESTONE_STATUS__IN_PROGRESS);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_nul_refused),
        cmocka_unit_test (test_scan_walks_every_wire_type),
        cmocka_unit_test (test_words_parsed),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
