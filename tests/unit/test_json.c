/*  test_json: replies and events as JSON, the one mapping of --format json
    and the web wall's API. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bm_json.h"

#include <stdlib.h>
#include <string.h>

static void
test_wall_reply (void **state)
{
    Battlemap__WallMeasure measure = BATTLEMAP__WALL_MEASURE__INIT;
    measure.actual = "83.8";
    measure.units_reported = 9;
    measure.status = "lagging";
    char *units [] = { "赵巷镇", "\"quoted\"" };
    measure.units_missing = units;
    measure.n_units_missing = 2;
    Battlemap__WallMeasure *measures [] = { &measure };
    Battlemap__WallTask task = BATTLEMAP__WALL_TASK__INIT;
    task.title = "规上工业总产值";
    task.measures = measures;
    task.n_measures = 1;
    Battlemap__WallTask *tasks [] = { &task };
    Battlemap__WallReply wall = BATTLEMAP__WALL_REPLY__INIT;
    wall.tasks = tasks;
    wall.n_tasks = 1;
    wall.period = "2023-06";
    Battlemap__Envelope envelope = BATTLEMAP__ENVELOPE__INIT;
    envelope.body_case = BATTLEMAP__ENVELOPE__BODY_WALL_REPLY;
    envelope.wall_reply = &wall;

    char *text = bm_json_text (&envelope.base, false);
    json_object *parsed = json_tokener_parse (text);
    assert_true (parsed);
    json_object *reply, *value;
    assert_true (json_object_object_get_ex (parsed, "wall_reply", &reply));
    //  Only the set case of the oneof
    assert_true (!json_object_object_get_ex (parsed, "submit_reply", &value));
    assert_true (json_object_object_get_ex (reply, "period", &value));
    assert_string_equal (json_object_get_string (value), "2023-06");
    json_object *first = json_object_array_get_idx (
        json_object_object_get (reply, "tasks"), 0);
    assert_string_equal (json_object_get_string (json_object_object_get (first, "title")),
                   "规上工业总产值");
    json_object *cell = json_object_array_get_idx (
        json_object_object_get (first, "measures"), 0);
    assert_string_equal (json_object_get_string (json_object_object_get (cell, "actual")), "83.8");
    assert_true (json_object_get_int (json_object_object_get (cell, "units_reported")) == 9);
    assert_true (json_object_get_boolean (json_object_object_get (cell, "beside")) == 0);
    json_object *missing = json_object_object_get (cell, "units_missing");
    assert_true (json_object_array_length (missing) == 2);
    assert_string_equal (json_object_get_string (json_object_array_get_idx (missing, 1)),
                   "\"quoted\"");
    json_object_put (parsed);
    free (text);
}

static void
test_receipt (void **state)
{
    //  Enums by name, in lower case
    json_object *parsed, *value;
    char *text;
    Battlemap__FigureReceipt receipt = BATTLEMAP__FIGURE_RECEIPT__INIT;
    receipt.outcome = BATTLEMAP__RECEIPT_OUTCOME__UPDATED;
    receipt.figure_id = 1234567890123;
    text = bm_json_text (&receipt.base, true);
    parsed = json_tokener_parse (text);
    assert_string_equal (json_object_get_string (json_object_object_get (parsed, "outcome")),
                   "updated");
    assert_true (json_object_get_int64 (json_object_object_get (parsed, "figure_id"))
            == 1234567890123);
    //  An unset nested message is left out
    assert_true (!json_object_object_get_ex (parsed, "error", &value));
    json_object_put (parsed);
    free (text);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_wall_reply),
        cmocka_unit_test (test_receipt),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
