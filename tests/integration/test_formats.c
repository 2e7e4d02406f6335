/*  The views in other formats: --format json parsed with json-c and
    --format csv parsed with libcsv, each checked against the server's reply
    and the text output; a bad --format refused; the meeting workbook
    (battlemap report meeting) converted by LibreOffice headless to CSV, sheet
    by sheet, and its cells checked against the wall's, and to PDF.
    The command runs in the C locale: statuses come out as the English
    msgids ("lagging"), which the zh_CN catalog turns into 滞后. */

#include "harness.h"

#include <czmq.h>
#include <csv.h>
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <cmocka.h>

#define FORECAST BATTLEMAP__FIGURE_KIND__FORECAST
#define FINAL    BATTLEMAP__FIGURE_KIND__FINAL

static harness_t *s_server;
static char *s_folder;              //  build/tests/formats: workbooks, LibreOffice's home

//  June: seven towns' forecasts and finals of 规上工业总产值; 徐泾镇 lags
static const char *s_towns [] = { "赵巷镇", "徐泾镇", "华新镇", "白鹤镇", "朱家角镇",
                                  "练塘镇", "重固镇" };
static const char *s_forecasts [] = { "8", "30", "112", "36", "45", "39", "2.4" };
static const char *s_finals [] = { "8.6", "5", "110", "36", "40", "39", "2.5" };

static void
s_send (Battlemap__FigureKind kind, const char **values)
{
    Battlemap__Figure figures [7], *pointers [7];
    char ids [7][BM_CLIENT_ID_SIZE];
    for (size_t index = 0; index < 7; index++) {
        harness_figure (&figures [index], ids [index], s_towns [index], "industrial-output",
                        NULL, "2023-06", kind, values [index]);
        figures [index].confirmed = true;
        pointers [index] = &figures [index];
    }
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_submit (client, pointers, 7);
    bm_client_destroy (&client);
    assert_non_null (reply);
    if (reply->body_case != BATTLEMAP__ENVELOPE__BODY_SUBMIT_REPLY)
        fail_msg ("refused: %s", reply->error->message);
    bm_wire_free (&reply);
}

static int
s_setup (void **state)
{
    //  The English source labels, whatever the machine's locale
    setenv ("LC_ALL", "C", 1);
    unsetenv ("LANGUAGE");
    s_server = harness_start (NULL, true);
    s_send (FORECAST, s_forecasts);
    s_send (FINAL, s_finals);
    s_folder = zsys_sprintf ("%s/tests/formats", getenv ("BM_BINARY_DIR"));
    harness_remove_tree (s_folder);
    zsys_dir_create ("%s", s_folder);
    return 0;
}

static int
s_teardown (void **state)
{
    harness_stop (&s_server, false);
    zstr_free (&s_folder);
    return 0;
}

//  ---------------------------------------------------------------------------
//  Parsed outputs

//  Runs the command with its NULL-terminated arguments, then "--format" and
//  format; returns the exit code, the output in *output
static int
s_run_argv (char **output, const char *format, const char *const *given)
{
    const char *argv [17] = { NULL };
    int argc = 0;
    while (given [argc] && argc < 14) {
        argv [argc] = given [argc];
        argc++;
    }
    argv [argc++] = "--format";
    argv [argc++] = format;
    return harness_cli (s_server, output, argv [0], argv [1], argv [2], argv [3], argv [4],
                        argv [5], argv [6], argv [7], argv [8], argv [9], argv [10],
                        argv [11], argv [12], argv [13], argv [14], argv [15], NULL);
}

static int
s_run (char **output, const char *format, const char *arg, va_list args)
{
    const char *argv [15] = { NULL };
    int argc = 0;
    for (const char *next = arg; next && argc < 14; next = va_arg (args, const char *))
        argv [argc++] = next;
    return s_run_argv (output, format, argv);
}

//  The command's output parsed as JSON (fails the test otherwise)
static json_object *
s_json (const char *arg, ...)
{
    char *output = NULL;
    va_list args;
    va_start (args, arg);
    int rc = s_run (&output, "json", arg, args);
    va_end (args);
    if (rc != 0)
        fail_msg ("%s --format json: exit %d\n%s", arg, rc, output);
    json_object *parsed = json_tokener_parse (output);
    if (!parsed)
        fail_msg ("%s --format json is not JSON:\n%.2000s", arg, output);
    free (output);
    return parsed;
}

//  A CSV file as rows of fields
typedef struct {
    zlist_t *rows;              //  of zlist_t of strings
    zlist_t *row;               //  the row being read
} s_table_t;

static void
s_field (void *data, size_t size, void *arg)
{
    s_table_t *table = arg;
    if (!table->row) {
        table->row = zlist_new ();
        zlist_autofree (table->row);
    }
    char *text = zsys_sprintf ("%.*s", (int) size, data? (const char *) data: "");
    zlist_append (table->row, text);
    free (text);
}

static void
s_row_end (int terminator, void *arg)
{
    s_table_t *table = arg;
    if (!table->row)
        table->row = zlist_new ();
    zlist_append (table->rows, table->row);
    table->row = NULL;
}

static s_table_t *
s_table_parse (const char *text, size_t size)
{
    s_table_t *table = calloc (1, sizeof *table);
    table->rows = zlist_new ();
    struct csv_parser parser;
    assert_int_equal (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL), 0);
    if (csv_parse (&parser, text, size, s_field, s_row_end, table) != size
    ||  csv_fini (&parser, s_field, s_row_end, table) != 0)
        fail_msg ("not CSV (%s):\n%.1000s", csv_strerror (csv_error (&parser)), text);
    csv_free (&parser);
    return table;
}

static void
s_table_destroy (s_table_t **self_p)
{
    s_table_t *self = *self_p;
    if (!self)
        return;
    for (zlist_t *row = zlist_first (self->rows); row; row = zlist_next (self->rows))
        zlist_destroy (&row);
    zlist_destroy (&self->rows);
    free (self);
    *self_p = NULL;
}

//  The field of a row in the named column of the header row
static const char *
s_cell (s_table_t *table, zlist_t *header, zlist_t *row, const char *column)
{
    size_t index = 0;
    const char *name = zlist_first (header);
    while (name && !streq (name, column)) {
        name = zlist_next (header);
        index++;
    }
    if (!name)
        fail_msg ("no column %s", column);
    const char *field = zlist_first (row);
    for (size_t at = 0; at < index && field; at++)
        field = zlist_next (row);
    return field? field: "";
}

//  The command's CSV output: the byte order mark checked and skipped
static s_table_t *
s_csv (const char *arg, ...)
{
    char *output = NULL;
    va_list args;
    va_start (args, arg);
    int rc = s_run (&output, "csv", arg, args);
    va_end (args);
    if (rc != 0)
        fail_msg ("%s --format csv: exit %d\n%s", arg, rc, output);
    if (memcmp (output, "\xEF\xBB\xBF", 3) != 0)
        fail_msg ("%s --format csv has no UTF-8 byte order mark:\n%.200s", arg, output);
    s_table_t *table = s_table_parse (output + 3, strlen (output + 3));
    free (output);
    assert_true (zlist_size (table->rows) >= 1);
    return table;
}

//  The English label of a status (the C locale)
static const char *
s_label (const char *status)
{
    return streq (status, "on_track")? "on track"
         : streq (status, "at_risk")? "at risk"
         : streq (status, "not_reported")? "not reported"
         : streq (status, "no_milestone")? "no milestone"
         : streq (status, "no_baseline")? "no baseline"
         : streq (status, "no_target")? "no target"
         : status;
}

static const char *
s_string (json_object *object, const char *key)
{
    json_object *value = NULL;
    if (!json_object_object_get_ex (object, key, &value))
        fail_msg ("no \"%s\" in %s", key, json_object_to_json_string (object));
    return json_object_get_string (value);
}

static json_object *
s_array (json_object *object, const char *key)
{
    json_object *value = NULL;
    if (!json_object_object_get_ex (object, key, &value)
    ||  !json_object_is_type (value, json_type_array))
        fail_msg ("no array \"%s\"", key);
    return value;
}

//  The wall's measure of 规上工业总产值 (the district's)
static json_object *
s_industrial_output (json_object *wall)
{
    json_object *tasks = s_array (wall, "tasks");
    for (size_t index = 0; index < json_object_array_length (tasks); index++) {
        json_object *measures = s_array (json_object_array_get_idx (tasks, index), "measures");
        for (size_t item = 0; item < json_object_array_length (measures); item++) {
            json_object *measure = json_object_array_get_idx (measures, item);
            if (streq (s_string (measure, "indicator"), "industrial-output"))
                return measure;
        }
    }
    fail_msg ("no industrial-output on the wall");
    return NULL;
}

//  ---------------------------------------------------------------------------

static void
test_wall (void **state)
{
    json_object *wall = s_json ("wall", "--district", "qingpu", "--period", "2023-06", NULL);
    json_object *measure = s_industrial_output (wall);
    //  8.6 + 5 + 110 + 36 + 40 + 39 + 2.5
    assert_string_equal (s_string (measure, "actual"), "241.1");
    const char *rate = s_string (measure, "vs_milestone");
    const char *status = s_string (measure, "status");
    assert_true (*rate);

    //  The text wall shows the same figures
    char *text = NULL;
    assert_int_equal (harness_cli (s_server, &text, "wall", "--district", "qingpu", "--period",
                                   "2023-06", NULL), 0);
    char *percent = zsys_sprintf ("%s%%", rate);
    if (!strstr (text, "241.1") || !strstr (text, percent) || !strstr (text, s_label (status)))
        fail_msg ("text wall lacks 241.1, %s or %s:\n%.3000s", percent, s_label (status), text);
    free (percent);
    free (text);

    //  The CSV: a header, one row per cell, the same values
    s_table_t *table = s_csv ("wall", "--district", "qingpu", "--period", "2023-06", NULL);
    zlist_t *header = zlist_first (table->rows);
    assert_string_equal (zlist_first (header), "区");
    size_t cells = 0;
    json_object *tasks = s_array (wall, "tasks");
    for (size_t index = 0; index < json_object_array_length (tasks); index++)
        cells += json_object_array_length (
            s_array (json_object_array_get_idx (tasks, index), "measures"));
    assert_int_equal (zlist_size (table->rows), cells + 1);
    bool found = false;
    for (zlist_t *row = zlist_next (table->rows); row; row = zlist_next (table->rows)) {
        assert_string_equal (s_cell (table, header, row, "期间"), "2023-06");
        const char *rates [] = { "预期完成率(%)", "年度完成率(%)" };
        for (size_t index = 0; index < 2; index++)
            assert_null (strchr (s_cell (table, header, row, rates [index]), '%'));
        if (!streq (s_cell (table, header, row, "指标代码"), "industrial-output"))
            continue;
        found = true;
        assert_string_equal (s_cell (table, header, row, "指标"), "规模以上工业总产值");
        assert_string_equal (s_cell (table, header, row, "累计完成"), "241.1");
        assert_string_equal (s_cell (table, header, row, "预期完成率(%)"), rate);
        assert_string_equal (s_cell (table, header, row, "年度完成率(%)"),
                             s_string (measure, "vs_annual"));
        assert_string_equal (s_cell (table, header, row, "状态"), s_label (status));
        assert_string_equal (s_cell (table, header, row, "已报单位数"),
                             s_string (measure, "units_reported"));
    }
    assert_true (found);
    s_table_destroy (&table);
    json_object_put (wall);
}

static void
test_ranking (void **state)
{
    json_object *ranking = s_json ("ranking", "--district", "qingpu", "--period", "2023-06",
                                   "--indicator", "industrial-output", NULL);
    json_object *rows = s_array (ranking, "rows");
    assert_true (json_object_array_length (rows) >= 7);
    s_table_t *table = s_csv ("ranking", "--district", "qingpu", "--period", "2023-06",
                              "--indicator", "industrial-output", NULL);
    zlist_t *header = zlist_first (table->rows);
    assert_int_equal (zlist_size (table->rows), json_object_array_length (rows) + 1);
    zlist_t *row = zlist_next (table->rows);
    bool xujing = false;
    for (size_t index = 0; index < json_object_array_length (rows); index++) {
        json_object *one = json_object_array_get_idx (rows, index);
        assert_string_equal (s_cell (table, header, row, "单位"), s_string (one, "unit"));
        assert_string_equal (s_cell (table, header, row, "完成率(%)"), s_string (one, "rate"));
        assert_string_equal (s_cell (table, header, row, "累计完成"), s_string (one, "actual"));
        assert_string_equal (s_cell (table, header, row, "后位预警"),
                             json_object_get_boolean (json_object_object_get (one, "warned"))
                             ? "yes": "no");
        //  徐泾镇 sent 5: last
        if (streq (s_string (one, "unit"), "徐泾镇")) {
            xujing = true;
            assert_int_equal (index, 6);
            assert_string_equal (s_cell (table, header, row, "后位预警"), "yes");
        }
        row = zlist_next (table->rows);
    }
    assert_true (xujing);
    s_table_destroy (&table);
    json_object_put (ranking);
}

static void
test_alerts (void **state)
{
    json_object *reply = s_json ("alerts", "--district", "qingpu", "--period", "2023-06",
                                 "--indicator", "industrial-output", NULL);
    json_object *alerts = s_array (reply, "alerts");
    assert_true (json_object_array_length (alerts) > 0);
    s_table_t *table = s_csv ("alerts", "--district", "qingpu", "--period", "2023-06",
                              "--indicator", "industrial-output", NULL);
    zlist_t *header = zlist_first (table->rows);
    assert_int_equal (zlist_size (table->rows), json_object_array_length (alerts) + 1);
    zlist_t *row = zlist_next (table->rows);
    bool lagging = false;
    for (size_t index = 0; index < json_object_array_length (alerts); index++) {
        json_object *one = json_object_array_get_idx (alerts, index);
        //  Indicators by their names, not codes
        assert_string_equal (s_cell (table, header, row, "指标"), "规模以上工业总产值");
        assert_string_equal (s_cell (table, header, row, "编号"), s_string (one, "id"));
        assert_string_equal (s_cell (table, header, row, "单位"), s_string (one, "unit"));
        assert_string_equal (s_cell (table, header, row, "数值"), s_string (one, "value"));
        //  The district's sum, 241.1 of 890.4 expected, lags
        if (streq (s_string (one, "rule"), "lagging")
        &&  streq (s_string (one, "unit"), "全区")) {
            lagging = true;
            assert_string_equal (s_cell (table, header, row, "规则"), "lagging");
        }
        row = zlist_next (table->rows);
    }
    if (!lagging)
        fail_msg ("no lagging alert of 全区:\n%.3000s",
                  json_object_to_json_string_ext (alerts, JSON_C_TO_STRING_PRETTY));
    s_table_destroy (&table);
    //  The text names the indicator too
    char *text = NULL;
    assert_int_equal (harness_cli (s_server, &text, "alerts", "--district", "qingpu",
                                   "--period", "2023-06", "--indicator", "industrial-output",
                                   NULL), 0);
    assert_non_null (strstr (text, "规模以上工业总产值"));
    free (text);
    json_object_put (reply);
}

static void
test_reports (void **state)
{
    json_object *report = s_json ("report", "timeliness", "--district", "qingpu", "--period",
                                  "2023-06", NULL);
    json_object *rows = s_array (report, "timeliness");
    s_table_t *table = s_csv ("report", "timeliness", "--district", "qingpu", "--period",
                              "2023-06", NULL);
    zlist_t *header = zlist_first (table->rows);
    assert_int_equal (zlist_size (table->rows), json_object_array_length (rows) + 1);
    zlist_t *row = zlist_next (table->rows);
    for (size_t index = 0; index < json_object_array_length (rows); index++) {
        json_object *one = json_object_array_get_idx (rows, index);
        assert_string_equal (s_cell (table, header, row, "单位"), s_string (one, "unit"));
        assert_string_equal (s_cell (table, header, row, "类别"), s_string (one, "kind"));
        long expected = atol (s_string (one, "expected"));
        long on_time = atol (s_string (one, "on_time"));
        assert_int_equal (atol (s_cell (table, header, row, "应报")), expected);
        assert_int_equal (atol (s_cell (table, header, row, "按时")), on_time);
        const char *rate = s_cell (table, header, row, "及时率(%)");
        if (expected) {
            assert_true (fabs (atof (rate) - 100.0 * on_time / expected) < 0.051);
            assert_null (strchr (rate, '%'));
        }
        else
            assert_string_equal (rate, "");
        row = zlist_next (table->rows);
    }
    s_table_destroy (&table);
    json_object_put (report);

    report = s_json ("report", "forecast-accuracy", "--district", "qingpu", "--period",
                     "2023-06", NULL);
    rows = s_array (report, "accuracy");
    table = s_csv ("report", "forecast-accuracy", "--district", "qingpu", "--period",
                   "2023-06", NULL);
    header = zlist_first (table->rows);
    assert_int_equal (zlist_size (table->rows), json_object_array_length (rows) + 1);
    row = zlist_next (table->rows);
    bool xujing = false;
    for (size_t index = 0; index < json_object_array_length (rows); index++) {
        json_object *one = json_object_array_get_idx (rows, index);
        assert_string_equal (s_cell (table, header, row, "单位"), s_string (one, "unit"));
        assert_string_equal (s_cell (table, header, row, "得分"), s_string (one, "score"));
        //  An indicator's row names it, as the wall does
        if (streq (s_string (one, "indicator"), "industrial-output"))
            assert_string_equal (s_cell (table, header, row, "指标"), "规模以上工业总产值");
        //  徐泾镇: 30 forecast, 5 final: 500% off, scored 0
        if (streq (s_string (one, "unit"), "徐泾镇") && !*s_string (one, "indicator")) {
            xujing = true;
            assert_string_equal (s_string (one, "score"), "0.0");
        }
        row = zlist_next (table->rows);
    }
    assert_true (xujing);
    s_table_destroy (&table);
    json_object_put (report);
}

static void
test_history (void **state)
{
    json_object *history = s_json ("history", "--district", "qingpu", "--unit", "赵巷镇",
                                   "--indicator", "industrial-output", "--period", "2023-06",
                                   NULL);
    json_object *entries = s_array (history, "entries");
    assert_int_equal (json_object_array_length (entries), 2);
    assert_string_equal (s_string (json_object_array_get_idx (entries, 0), "kind"),
                         "forecast");
    s_table_t *table = s_csv ("history", "--district", "qingpu", "--unit", "赵巷镇",
                              "--indicator", "industrial-output", "--period", "2023-06", NULL);
    zlist_t *header = zlist_first (table->rows);
    assert_int_equal (zlist_size (table->rows), 3);
    zlist_t *row = zlist_next (table->rows);
    assert_string_equal (s_cell (table, header, row, "类别"), "forecast");
    assert_string_equal (s_cell (table, header, row, "数值"), "8");
    row = zlist_next (table->rows);
    assert_string_equal (s_cell (table, header, row, "类别"), "final");
    assert_string_equal (s_cell (table, header, row, "数值"), "8.6");
    assert_string_equal (s_cell (table, header, row, "收到时间"),
                         s_string (json_object_array_get_idx (entries, 1), "received_at"));
    s_table_destroy (&table);
    json_object_put (history);
}

static void
test_bad_format (void **state)
{
    const char *commands [][6] = {
        { "wall", "--district", "qingpu", NULL },
        { "ranking", "--district", "qingpu", "--indicator", "industrial-output", NULL },
        { "alerts", "--district", "qingpu", NULL },
        { "history", "--district", "qingpu", NULL },
        { "report", "timeliness", "--district", "qingpu", NULL },
        { "report", "forecast-accuracy", "--district", "qingpu", NULL },
    };
    for (size_t index = 0; index < 6; index++) {
        const char *const *command = commands [index];
        char *output = NULL;
        int rc = s_run_argv (&output, "xlsx", command);
        assert_int_equal (rc, 2);
        if (!strstr (output, "\"xlsx\" is not a format") || !strstr (output, "--format text")
        ||  !strstr (output, "--format csv") || !strstr (output, "--format json"))
            fail_msg ("%s --format xlsx:\n%s", command [0], output);
        free (output);
    }
}

//  ---------------------------------------------------------------------------
//  The meeting workbook

//  LibreOffice headless, with a profile of its own in the build directory
//  (it runs as root, and beside other tests); bounded by timeout(1)
static void
s_libreoffice (const char *filter, const char *file)
{
    char *command = zsys_sprintf (
        "cd '%s' && LC_ALL=C.UTF-8 HOME='%s/home' timeout 240 libreoffice "
        "-env:UserInstallation=file://%s/profile --headless --norestore "
        "--convert-to '%s' --outdir '%s' '%s' >'%s/libreoffice.log' 2>&1",
        s_folder, s_folder, s_folder, filter, s_folder, file, s_folder);
    int rc = system (command);
    if (rc != 0)
        fail_msg ("libreoffice failed (%d): %s", rc, command);
    free (command);
}

//  A sheet of the converted workbook, and its text as LibreOffice wrote it
static s_table_t *
s_sheet (const char *sheet, char **text)
{
    char *path = zsys_sprintf ("%s/2023-06-%s.csv", s_folder, sheet);
    zchunk_t *chunk = zchunk_slurp (path, 0);
    if (!chunk)
        fail_msg ("LibreOffice wrote no %s", path);
    *text = zsys_sprintf ("%.*s", (int) zchunk_size (chunk), (char *) zchunk_data (chunk));
    zchunk_destroy (&chunk);
    free (path);
    return s_table_parse (*text, strlen (*text));
}

//  The row (after the title, the time and the header) whose column holds text
static zlist_t *
s_row_with (s_table_t *table, size_t column, const char *text)
{
    size_t index = 0;
    for (zlist_t *row = zlist_first (table->rows); row; row = zlist_next (table->rows))
        if (index++ >= 3) {
            const char *field = zlist_first (row);
            for (size_t at = 0; at < column && field; at++)
                field = zlist_next (row);
            if (field && streq (field, text))
                return row;
        }
    return NULL;
}

//  A number LibreOffice wrote: a cell formatted as a percent keeps its sign
static double
s_fraction (const char *text)
{
    size_t length = strlen (text);
    return length && text [length - 1] == '%'? atof (text) / 100: atof (text);
}

static const char *
s_at (zlist_t *row, size_t column)
{
    const char *field = zlist_first (row);
    for (size_t at = 0; at < column && field; at++)
        field = zlist_next (row);
    return field? field: "";
}

static void
test_meeting (void **state)
{
    char *xlsx = zsys_sprintf ("%s/2023-06.xlsx", s_folder);
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "report", "meeting", "--district", "qingpu",
                          "--period", "2023-06", "--output", xlsx, NULL);
    if (rc != 0)
        fail_msg ("report meeting: exit %d\n%s", rc, output);
    free (output);
    zfile_t *file = zfile_new (NULL, xlsx);
    assert_true (zfile_cursize (file) > 2000);
    zfile_destroy (&file);

    //  Every sheet to CSV: UTF-8, text cells quoted, numbers as numbers, raw
    //  values (not as shown; a percent still has its sign), all sheets
    //  (token 12: -1)
    s_libreoffice ("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,false,false,"
                   "false,-1", xlsx);
    json_object *wall = s_json ("wall", "--district", "qingpu", "--period", "2023-06", NULL);
    json_object *measure = s_industrial_output (wall);

    //  作战图: the cells of 规模以上工业总产值 are the wall's, numbers as numbers
    char *text = NULL;
    s_table_t *table = s_sheet ("作战图", &text);
    assert_non_null (strstr (s_at (zlist_first (table->rows), 0), "青浦区 2023年6月"));
    zlist_t *row = s_row_with (table, 3, "规模以上工业总产值");
    assert_non_null (row);
    assert_string_equal (s_at (row, 8), "241.1");
    double rate = atof (s_string (measure, "vs_milestone")) / 100;
    assert_true (fabs (s_fraction (s_at (row, 9)) - rate) < 1e-9);
    assert_string_equal (s_at (row, 11), s_label (s_string (measure, "status")));
    //  June's column (1月..6月 after 牵头科室) shows the same status
    assert_string_equal (s_at (row, 18), s_label (s_string (measure, "status")));
    //  Quoted were only the text cells: the actual and the rate are numbers
    assert_non_null (strstr (text, ",241.1,"));
    char *unquoted = zsys_sprintf (",%s,", s_at (row, 9));
    assert_non_null (strstr (text, unquoted));
    free (unquoted);
    s_table_destroy (&table);
    free (text);

    //  汇总: the tasks counted by status
    table = s_sheet ("汇总", &text);
    json_object *tasks = s_array (wall, "tasks");
    long lagging = 0;
    for (size_t index = 0; index < json_object_array_length (tasks); index++) {
        json_object *task = json_object_array_get_idx (tasks, index);
        json_object *measures = s_array (task, "measures");
        const char *status = json_object_array_length (measures) > 1
                           ? s_string (task, "overall_status")
                           : s_string (json_object_array_get_idx (measures, 0), "status");
        lagging += streq (status, "lagging");
    }
    row = s_row_with (table, 0, "lagging");
    assert_non_null (row);
    assert_int_equal (atol (s_at (row, 1)), lagging);
    row = s_row_with (table, 0, "合计");
    assert_int_equal (atol (s_at (row, 1)), json_object_array_length (tasks));
    //  徐泾镇 is in the bottom five of 规模以上工业总产值
    row = s_row_with (table, 0, "规模以上工业总产值");
    assert_non_null (row);
    assert_non_null (strstr (s_at (row, 1), "徐泾镇"));
    s_table_destroy (&table);
    free (text);

    //  排名: the ranking's rates
    table = s_sheet ("排名", &text);
    json_object *ranking = s_json ("ranking", "--district", "qingpu", "--period", "2023-06",
                                   "--indicator", "industrial-output", NULL);
    json_object *rows = s_array (ranking, "rows");
    for (size_t index = 0; index < json_object_array_length (rows); index++) {
        json_object *one = json_object_array_get_idx (rows, index);
        row = s_row_with (table, 2, s_string (one, "unit"));
        assert_non_null (row);
        assert_string_equal (s_at (row, 0), "规模以上工业总产值");
        assert_true (fabs (s_fraction (s_at (row, 3)) - atof (s_string (one, "rate")) / 100)
                     < 1e-9);
    }
    json_object_put (ranking);
    s_table_destroy (&table);
    free (text);

    //  及时率: each unit's forecasts on time over those expected
    table = s_sheet ("及时率", &text);
    json_object *report = s_json ("report", "timeliness", "--district", "qingpu", "--period",
                                  "2023-06", NULL);
    rows = s_array (report, "timeliness");
    size_t checked = 0;
    for (size_t index = 0; index < json_object_array_length (rows); index++) {
        json_object *one = json_object_array_get_idx (rows, index);
        row = s_row_with (table, 0, s_string (one, "unit"));
        assert_non_null (row);
        size_t column = streq (s_string (one, "kind"), "final")? 6: 1;
        long expected = atol (s_string (one, "expected"));
        assert_int_equal (atol (s_at (row, column)), expected);
        if (expected) {
            double ratio = (double) atol (s_string (one, "on_time")) / expected;
            assert_true (fabs (s_fraction (s_at (row, column + 4)) - ratio) < 1e-6);
            checked++;
        }
    }
    assert_true (checked > 0);
    json_object_put (report);
    s_table_destroy (&table);
    free (text);

    //  预测准确率: 徐泾镇's average score, 0
    table = s_sheet ("预测准确率", &text);
    row = s_row_with (table, 1, "徐泾镇");
    assert_non_null (row);
    assert_string_equal (s_at (row, 2), "0");
    assert_non_null (s_row_with (table, 4, "规模以上工业总产值"));
    s_table_destroy (&table);
    free (text);

    //  预警: the month's firing alerts, indicators by name
    table = s_sheet ("预警", &text);
    json_object *alerts = s_json ("alerts", "--district", "qingpu", "--period", "2023-06",
                                  NULL);
    assert_int_equal (zlist_size (table->rows) - 3,
                      json_object_array_length (s_array (alerts, "alerts")));
    row = s_row_with (table, 4, "徐泾镇");
    assert_non_null (row);
    json_object_put (alerts);
    s_table_destroy (&table);
    free (text);
    json_object_put (wall);
    free (xlsx);
}

static void
test_meeting_pdf (void **state)
{
    //  --output x.pdf: the PDF alone
    char *pdf = zsys_sprintf ("%s/会议.pdf", s_folder);
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "report", "meeting", "--district", "qingpu",
                          "--period", "2023-06", "--output", pdf, NULL);
    if (rc != 0)
        fail_msg ("report meeting --output %s: exit %d\n%s", pdf, rc, output);
    free (output);
    zchunk_t *chunk = zchunk_slurp (pdf, 0);
    assert_non_null (chunk);
    assert_memory_equal (zchunk_data (chunk), "%PDF", 4);
    zchunk_destroy (&chunk);
    char *xlsx = zsys_sprintf ("%s/会议.xlsx", s_folder);
    assert_false (zsys_file_exists (xlsx));
    free (xlsx);
    free (pdf);

    //  Without LibreOffice: a clear refusal, nothing asked of the server
    setenv ("BATTLEMAP_LIBREOFFICE", "/nonexistent/libreoffice", 1);
    pdf = zsys_sprintf ("%s/none.xlsx", s_folder);
    rc = harness_cli (s_server, &output, "report", "meeting", "--district", "qingpu",
                      "--period", "2023-06", "--output", pdf, "--pdf", NULL);
    unsetenv ("BATTLEMAP_LIBREOFFICE");
    assert_int_equal (rc, 2);
    assert_non_null (strstr (output, "LibreOffice"));
    assert_non_null (strstr (output, "libreoffice-calc-nogui"));
    free (output);
    free (pdf);
    //  A name that is neither .xlsx nor .pdf
    rc = harness_cli (s_server, &output, "report", "meeting", "--district", "qingpu",
                      "--output", "report.doc", NULL);
    assert_int_equal (rc, 2);
    assert_non_null (strstr (output, "FILE.xlsx"));
    free (output);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_wall),
        cmocka_unit_test (test_ranking),
        cmocka_unit_test (test_alerts),
        cmocka_unit_test (test_reports),
        cmocka_unit_test (test_history),
        cmocka_unit_test (test_bad_format),
        cmocka_unit_test (test_meeting),
        cmocka_unit_test (test_meeting_pdf),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
