/*  A clerk at a town fills the template in Excel on Chinese Windows: the
    file comes back in GBK with CRLF, a helper column deleted, values typed
    with full-width digits, thousands separators, stray spaces and units,
    and two mistakes. Every line gets its receipt, the good ones are
    stored, converted into the indicator's unit, and the wall shows them. */

#include "harness.h"
#include "bm_csv.h"
#include "bm_decimal.h"

#include <czmq.h>
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static harness_t *s_server;
static char s_folder [] = "/tmp/bm-clerk-XXXXXX";

static int
s_setup (void **state)
{
    s_server = harness_start (NULL, true);
    assert_non_null (mkdtemp (s_folder));
    return 0;
}

static int
s_teardown (void **state)
{
    harness_stop (&s_server, false);
    harness_remove_tree (s_folder);
    return 0;
}

//  What the clerk types, by indicator code; NULL: what the receipt says
static const struct {
    const char *indicator;
    const char *typed;
    const char *sent;               //  the value stored, NULL if refused
    const char *receipt;            //  in the line's receipt
} s_typed [] = {
    { "industrial-output", "8.5亿元", "8.5", "规模以上工业总产值 final 8.5 (typed “8.5亿元”)" },
    { "retail-sales", "６５．２", "65.2", "社会消费品零售总额 final 65.2 (typed “６５．２”)" },
    { "commodity-sales", "七十九点五", NULL,
      "column 5 “七十九点五”: not a number; write a number such as 79.5" },
    { "tax-district", "45000万元", "4.5", "区级税收收入 final 4.5 (typed “45000万元”)" },
    { "fixed-asset-investment", "795,000 万元", "79.5", "全社会固定资产投资 final 79.5" },
    { "infrastructure-investment", "\xe3\x80\x80" "4.2 ", "4.2", "基础设施投资 final 4.2" },
    { "contracted-fdi", "5000万元", NULL,
      "column 5 “5000万元”: 万元 is not the indicator's unit of measure, 万美元; "
      "write the value in 万美元" },
    { "new-enterprises", "1，100", "1100", "新设企业数 final 1100 (typed “1，100”)" },
    { "high-tech-export-share", "12.5％", "12.5", "高技术产品出口额比重 final 12.5" },
};
#define TYPED_COUNT (sizeof s_typed / sizeof s_typed [0])

//  Writes one CSV field, always quoted
static void
s_field (zchunk_t *out, const char *text, bool last)
{
    zchunk_extend (out, "\"", 1);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            zchunk_extend (out, "\"", 1);
        zchunk_extend (out, p, 1);
    }
    zchunk_extend (out, last? "\"\r\n": "\",", last? 3: 2);
}

//  Converts UTF-8 to GBK with iconv, as Excel saves "CSV" on Chinese Windows
static zchunk_t *
s_gbk (zchunk_t *utf8)
{
    iconv_t convert = iconv_open ("GBK", "UTF-8");
    assert_true (convert != (iconv_t) -1);
    size_t in_left = zchunk_size (utf8), out_limit = in_left * 2 + 16, out_left = out_limit;
    char *in = (char *) zchunk_data (utf8);
    char *out = malloc (out_limit), *at = out;
    if (iconv (convert, &in, &in_left, &at, &out_left) == (size_t) -1)
        fail_msg ("the filled template cannot be written in GBK");
    iconv_close (convert);
    zchunk_t *gbk = zchunk_new (out, (size_t) (at - out));
    free (out);
    return gbk;
}

//  The wall's actual of an indicator of 赵巷镇 in June
static char *
s_actual (const char *indicator)
{
    bm_client_t *client = harness_client (s_server);
    Battlemap__Envelope *reply = bm_client_wall (client, "qingpu", "2023-06", "赵巷镇", false);
    bm_client_destroy (&client);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, BATTLEMAP__ENVELOPE__BODY_WALL_REPLY);
    char *actual = NULL;
    Battlemap__WallReply *wall = reply->wall_reply;
    for (size_t task = 0; task < wall->n_tasks && !actual; task++)
        if (streq (wall->tasks [task]->indicator, indicator))
            actual = strdup (wall->tasks [task]->measures [0]->actual);
    bm_wire_free (&reply);
    if (!actual)
        fail_msg ("no %s on 赵巷镇's wall", indicator);
    return actual;
}

static void
s_assert_decimal (const char *text, const char *expected, const char *what)
{
    bm_decimal_t one, other;
    if (bm_decimal_parse (text, &one, NULL) || bm_decimal_parse (expected, &other, NULL)
    ||  bm_decimal_cmp (one, other) != 0)
        fail_msg ("%s: \"%s\", expected %s", what, text, expected);
}

static void
test_a_clerk_fills_the_template (void **state)
{
    //  The template: Chinese header, rows of one name told apart
    char *path = zsys_sprintf ("%s/赵巷镇-2023-06.csv", s_folder);
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "template", "--district", "qingpu", "--unit",
                          "赵巷镇", "--period", "2023-06", "--kind", "final", "--output", path,
                          NULL);
    assert_int_equal (rc, 0);
    free (output);
    zchunk_t *chunk = zchunk_slurp (path, 0);
    assert_non_null (chunk);
    bm_csv_error_t error;
    bm_csv_t *csv = bm_csv_parse ((const char *) zchunk_data (chunk), zchunk_size (chunk),
                                  &error);
    assert_memory_equal (zchunk_data (chunk), "\xef\xbb\xbf" "指标名称,", 16);
    zchunk_destroy (&chunk);
    assert_non_null (csv);
    const bm_csv_row_t *header = bm_csv_row (csv, 0);
    assert_string_equal (header->fields [4].text, "填报值（本年累计）");
    assert_string_equal (header->fields [12].text, "指标代码");

    //  Filled in as a clerk would, the 目标说明 column deleted, saved as
    //  GBK with CRLF
    zchunk_t *filled = zchunk_new (NULL, 4096);
    int lines [TYPED_COUNT] = { 0 };
    bool jw = false, swc = false;
    for (size_t index = 0; index < bm_csv_row_count (csv); index++) {
        const bm_csv_row_t *row = bm_csv_row (csv, index);
        const char *indicator = row->fields [12].text;
        jw |= streq (row->fields [1].text, "（big-investment-jw）");
        swc |= streq (row->fields [1].text, "（big-investment-swc）");
        for (size_t field = 0; field < row->count; field++) {
            const char *text = row->fields [field].text;
            for (size_t typed = 0; typed < TYPED_COUNT && field == 4 && index; typed++)
                if (streq (indicator, s_typed [typed].indicator)) {
                    text = s_typed [typed].typed;
                    lines [typed] = (int) index + 1;
                }
            if (field != 9)
                s_field (filled, text, field + 1 == row->count);
        }
    }
    assert_true (jw && swc);
    for (size_t typed = 0; typed < TYPED_COUNT; typed++)
        assert_int_not_equal (lines [typed], 0);
    size_t rows = bm_csv_row_count (csv);
    bm_csv_destroy (&csv);
    zchunk_t *gbk = s_gbk (filled);
    zchunk_destroy (&filled);
    FILE *file = fopen (path, "wb");
    assert_non_null (file);
    assert_int_equal (zchunk_write (gbk, file), 0);
    fclose (file);
    zchunk_destroy (&gbk);

    //  Sent: the two mistakes refused with line, column and fix, the rest
    //  stored as sent, exit code 1
    long before = harness_count (s_server, "SELECT count (*) FROM figure", 0, NULL);
    rc = harness_cli (s_server, &output, "submit", "--csv", path, NULL);
    print_message ("%s", output);
    assert_int_equal (rc, 1);
    size_t stored = 0;
    for (size_t typed = 0; typed < TYPED_COUNT; typed++) {
        char *expected = s_typed [typed].sent
            ? zsys_sprintf ("created   2023-06 赵巷镇 %s", s_typed [typed].receipt)
            : zsys_sprintf ("refused   line %d, %s", lines [typed], s_typed [typed].receipt);
        char *line = strstr (output, expected);
        if (!line)
            fail_msg ("no receipt \"%s\" in:\n%s", expected, output);
        if (s_typed [typed].sent) {
            char *number = zsys_sprintf ("(line %d)\n", lines [typed]);
            char *end = strchr (line, '\n');
            if (!strstr (line, number) || strstr (line, number) > end)
                fail_msg ("the receipt of %s does not name line %d", s_typed [typed].indicator,
                          lines [typed]);
            free (number);
            stored++;
        }
        free (expected);
    }
    char *skipped = zsys_sprintf ("%zu lines not filled in", rows - 1 - TYPED_COUNT);
    assert_non_null (strstr (output, skipped));
    assert_non_null (strstr (output, "skipped   lines "));
    free (skipped);
    free (output);
    assert_int_equal (harness_count (s_server, "SELECT count (*) FROM figure", 0, NULL),
                      before + (long) stored);

    //  What the wall shows: the values in the indicators' own units
    for (size_t typed = 0; typed < TYPED_COUNT; typed++) {
        if (!s_typed [typed].sent)
            continue;
        char *actual = s_actual (s_typed [typed].indicator);
        s_assert_decimal (actual, s_typed [typed].sent, s_typed [typed].indicator);
        free (actual);
    }
    free (path);
}

static void
test_a_value_on_the_command_line (void **state)
{
    //  160000万元 where the indicator is in 亿元: 16 sent, and shown
    char *output = NULL;
    int rc = harness_cli (s_server, &output, "submit", "--district", "qingpu", "--unit",
                          "赵巷镇", "--indicator", "goods-trade", "--period", "2023-06",
                          "--kind", "final", "--value", "１６０，０００万元", NULL);
    if (rc != 0)
        fail_msg ("160000万元: %s", output);
    assert_non_null (strstr (output, "货物贸易总额 final 16 (typed “１６０，０００万元”)"));
    free (output);
    char *actual = s_actual ("goods-trade");
    s_assert_decimal (actual, "16", "goods-trade");
    free (actual);
    //  Refused before anything is sent, naming the fix
    const struct { const char *typed; const char *message; } bad [] = {
        { "七十九点五", "--value “七十九点五”: not a number; write a number such as 79.5" },
        { "12.5%", "a percentage, but the indicator is measured in 亿元; write the value in 亿元" },
        { "79,5", "write decimals with a point" },
    };
    for (size_t index = 0; index < sizeof bad / sizeof bad [0]; index++) {
        rc = harness_cli (s_server, &output, "submit", "--district", "qingpu", "--unit",
                          "赵巷镇", "--indicator", "goods-trade", "--period", "2023-06",
                          "--kind", "final", "--value", bad [index].typed, NULL);
        assert_int_equal (rc, 2);
        if (!strstr (output, bad [index].message))
            fail_msg ("%s: %s", bad [index].typed, output);
        free (output);
    }
    actual = s_actual ("goods-trade");
    s_assert_decimal (actual, "16", "goods-trade after the refusals");
    free (actual);
}

static void
test_files_that_cannot_be_read (void **state)
{
    //  Saved as "Unicode text", and a header nobody knows: refused whole,
    //  with the fix
    const struct { const char *content; size_t size; const char *message; } files [] = {
        { "\xff\xfe" "d\0i\0", 6, "save it again as CSV" },
        { "区代码,报送单位,价值\nqingpu,赵巷镇,5\n", 0, "unknown column “价值”" },
    };
    for (size_t index = 0; index < sizeof files / sizeof files [0]; index++) {
        char *path = zsys_sprintf ("%s/bad-%zu.csv", s_folder, index);
        FILE *file = fopen (path, "wb");
        size_t size = files [index].size? files [index].size: strlen (files [index].content);
        assert_int_equal (fwrite (files [index].content, 1, size, file), size);
        fclose (file);
        char *output = NULL;
        int rc = harness_cli (s_server, &output, "submit", "--csv", path, NULL);
        assert_int_equal (rc, 2);
        if (!strstr (output, files [index].message))
            fail_msg ("%s: %s", path, output);
        free (output);
        free (path);
    }
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_a_clerk_fills_the_template),
        cmocka_unit_test (test_a_value_on_the_command_line),
        cmocka_unit_test (test_files_that_cannot_be_read),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
