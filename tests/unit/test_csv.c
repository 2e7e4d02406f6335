/*  test_csv: the CSV reader, its quoting, comments and positions. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bm_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Parse a literal (NUL bytes included), which must succeed
#define PARSE(literal) s_parse (literal, sizeof (literal) - 1)

static bm_csv_t *
s_parse (const char *content, size_t size)
{
    bm_csv_error_t error;
    bm_csv_t *csv = bm_csv_parse (content, size, &error);
    if (!csv)
        fail_msg ("%d:%d: %s", error.line, error.column, error.message);
    return csv;
}

//  Assert a field's text and position
static void
s_assert_field (bm_csv_t *csv, size_t row, size_t column, const char *text,
                int line)
{
    assert_true (row < bm_csv_row_count (csv));
    const bm_csv_row_t *csv_row = bm_csv_row (csv, row);
    assert_true (column < csv_row->count);
    const bm_csv_field_t *field = &csv_row->fields [column];
    assert_string_equal (field->text, text);
    assert_int_equal (field->size, strlen (text));
    assert_int_equal (field->line, line);
    assert_int_equal (field->column, (int) column + 1);
}

//  Assert that parsing fails at line:column with a message holding `words`
#define PARSE_FAILS(literal, line, column, words) \
    s_parse_fails (literal, sizeof (literal) - 1, line, column, words)

static void
s_parse_fails (const char *content, size_t size, int line, int column, const char *words)
{
    bm_csv_error_t error;
    bm_csv_t *csv = bm_csv_parse (content, size, &error);
    if (csv) {
        bm_csv_destroy (&csv);
        fail_msg ("parsed, but should fail at %d:%d", line, column);
    }
    print_message ("%d:%d: %s\n", error.line, error.column, error.message);
    assert_int_equal (error.line, line);
    assert_int_equal (error.column, column);
    assert_non_null (strstr (error.message, words));
}

static void
test_plain_rows (void **state)
{
    bm_csv_t *csv = PARSE ("unit,kind\n赵巷镇,town\n经委,department\n");
    assert_int_equal (bm_csv_row_count (csv), 3);
    s_assert_field (csv, 0, 0, "unit", 1);
    s_assert_field (csv, 0, 1, "kind", 1);
    s_assert_field (csv, 1, 0, "赵巷镇", 2);
    s_assert_field (csv, 2, 1, "department", 3);
    assert_int_equal (bm_csv_row (csv, 2)->line, 3);
    assert_int_equal (bm_csv_row (csv, 2)->count, 2);
    bm_csv_destroy (&csv);
    assert_null (csv);
    bm_csv_destroy (&csv);
}

static void
test_quoting (void **state)
{
    bm_csv_t *csv = PARSE ("a,b,c\n"
                           "\"商务委、经委、科委\",\"x, y\",\"96 \"\"以上\"\"\"\n"
                           "\"\",\"\"\"\",plain\n");
    assert_int_equal (bm_csv_row_count (csv), 3);
    s_assert_field (csv, 1, 0, "商务委、经委、科委", 2);
    s_assert_field (csv, 1, 1, "x, y", 2);
    s_assert_field (csv, 1, 2, "96 \"以上\"", 2);
    s_assert_field (csv, 2, 0, "", 3);
    s_assert_field (csv, 2, 1, "\"", 3);
    s_assert_field (csv, 2, 2, "plain", 3);
    bm_csv_destroy (&csv);
}

static void
test_quoted_line_breaks (void **state)
{
    //  Lines count inside quoted fields, LF and CRLF alike
    bm_csv_t *csv = PARSE ("title,leaders\n"
                           "\"first line\nsecond line\",张三\n"
                           "\"one\r\ntwo\r\nthree\",\"李四\n王五\"\n"
                           "after,all\n");
    assert_int_equal (bm_csv_row_count (csv), 4);
    s_assert_field (csv, 1, 0, "first line\nsecond line", 2);
    s_assert_field (csv, 1, 1, "张三", 3);
    assert_int_equal (bm_csv_row (csv, 1)->line, 2);
    s_assert_field (csv, 2, 0, "one\r\ntwo\r\nthree", 4);
    s_assert_field (csv, 2, 1, "李四\n王五", 6);
    s_assert_field (csv, 3, 0, "after", 8);
    s_assert_field (csv, 3, 1, "all", 8);
    bm_csv_destroy (&csv);
}

static void
test_byte_order_mark (void **state)
{
    bm_csv_t *csv = PARSE ("\xEF\xBB\xBFplan,year\nqingpu-2023,2023\n");
    assert_int_equal (bm_csv_row_count (csv), 2);
    s_assert_field (csv, 0, 0, "plan", 1);
    s_assert_field (csv, 1, 1, "2023", 2);
    bm_csv_destroy (&csv);

    //  Only a leading mark is removed
    csv = PARSE ("a\n\xEF\xBB\xBF" "b\n");
    s_assert_field (csv, 1, 0, "\xEF\xBB\xBF" "b", 2);
    bm_csv_destroy (&csv);
}

static void
test_comments_and_blank_rows (void **state)
{
    bm_csv_t *csv = PARSE ("# 来源：青经发〔2023〕16号, \"附件1\" 第3页\n"
                           "code,name\n"
                           "\n"
                           "#,a comment row, with fields\n"
                           "\"# a quoted comment\",\"spanning\nlines\"\n"
                           ",,\n"
                           "  ,\t\n"
                           "gdp,地区生产总值\n"
                           "\r\n"
                           "   # not a comment,x\n");
    assert_int_equal (bm_csv_row_count (csv), 3);
    s_assert_field (csv, 0, 0, "code", 2);
    s_assert_field (csv, 1, 0, "gdp", 9);
    s_assert_field (csv, 1, 1, "地区生产总值", 9);
    s_assert_field (csv, 2, 0, "   # not a comment", 11);
    bm_csv_destroy (&csv);

    //  A '#' later in a row is data
    csv = PARSE ("a,b\nx,#1\n");
    s_assert_field (csv, 1, 1, "#1", 2);
    bm_csv_destroy (&csv);

    //  Nothing but comments
    csv = PARSE ("# only\n#comments\n");
    assert_int_equal (bm_csv_row_count (csv), 0);
    bm_csv_destroy (&csv);
}

static void
test_line_endings (void **state)
{
    const char *contents [] = {
        "a,b\r\n1,2\r\n3,4\r\n",        //  CRLF
        "a,b\n1,2\n3,4\n",              //  LF
        "a,b\r1,2\r3,4\r",              //  CR
        "a,b\n1,2\r\n3,4",              //  mixed, no final line break
    };
    for (size_t index = 0; index < sizeof (contents) / sizeof (contents [0]); index++) {
        bm_csv_t *csv = s_parse (contents [index], strlen (contents [index]));
        assert_int_equal (bm_csv_row_count (csv), 3);
        s_assert_field (csv, 0, 1, "b", 1);
        s_assert_field (csv, 1, 0, "1", 2);
        s_assert_field (csv, 1, 1, "2", 2);
        s_assert_field (csv, 2, 0, "3", 3);
        s_assert_field (csv, 2, 1, "4", 3);
        bm_csv_destroy (&csv);
    }
}

static void
test_empty_fields (void **state)
{
    bm_csv_t *csv = PARSE ("a,b,c,d\n,x,,\n,,,y\n");
    assert_int_equal (bm_csv_row_count (csv), 3);
    const bm_csv_row_t *row = bm_csv_row (csv, 1);
    assert_int_equal (row->count, 4);
    s_assert_field (csv, 1, 0, "", 2);
    s_assert_field (csv, 1, 1, "x", 2);
    s_assert_field (csv, 1, 2, "", 2);
    s_assert_field (csv, 1, 3, "", 2);
    assert_int_equal (bm_csv_row (csv, 2)->count, 4);
    s_assert_field (csv, 2, 3, "y", 3);
    bm_csv_destroy (&csv);
}

static void
test_spaces_are_data (void **state)
{
    bm_csv_t *csv = PARSE ("a,b\n 1855 , 赵巷镇\t\n");
    s_assert_field (csv, 1, 0, " 1855 ", 2);
    s_assert_field (csv, 1, 1, " 赵巷镇\t", 2);
    bm_csv_destroy (&csv);
}

static void
test_final_line_break (void **state)
{
    bm_csv_t *csv = PARSE ("a,b\n1,2");
    assert_int_equal (bm_csv_row_count (csv), 2);
    s_assert_field (csv, 1, 1, "2", 2);
    bm_csv_destroy (&csv);

    csv = PARSE ("a,b\n1,\"2\"");
    s_assert_field (csv, 1, 1, "2", 2);
    bm_csv_destroy (&csv);

    csv = PARSE ("a,b\n1,");
    assert_int_equal (bm_csv_row (csv, 1)->count, 2);
    s_assert_field (csv, 1, 1, "", 2);
    bm_csv_destroy (&csv);

    csv = PARSE ("a,b\n1,2\n\n\n");
    assert_int_equal (bm_csv_row_count (csv), 2);
    bm_csv_destroy (&csv);

    csv = PARSE ("");
    assert_int_equal (bm_csv_row_count (csv), 0);
    bm_csv_destroy (&csv);

    csv = PARSE ("\xEF\xBB\xBF");
    assert_int_equal (bm_csv_row_count (csv), 0);
    bm_csv_destroy (&csv);
}

static void
test_long_fields (void **state)
{
    //  Fields far longer than libcsv's buffer block
    size_t size = 100000;
    char *content = (char *) malloc (size + 16);
    memcpy (content, "a\n\"", 3);
    for (size_t index = 3; index < size; index++)
        content [index] = index % 100 == 0? '\n': 'x';
    memcpy (content + size, "\",b\n", 4);
    bm_csv_t *csv = s_parse (content, size + 4);
    assert_int_equal (bm_csv_row_count (csv), 2);
    const bm_csv_row_t *row = bm_csv_row (csv, 1);
    assert_int_equal (row->fields [0].size, size - 3);
    assert_int_equal (row->fields [0].line, 2);
    assert_int_equal (row->fields [1].line, 2 + (int) (size / 100) - 1);
    bm_csv_destroy (&csv);
    free (content);
}

static void
test_malformed_quoting (void **state)
{
    PARSE_FAILS ("a,b\n1,2\nx,ab\"c\"\n", 3, 2, "quote inside an unquoted field");
    PARSE_FAILS ("a,b\n\"abc\"x,1\n", 2, 1, "after the closing quote");
    PARSE_FAILS ("a,b\n\"abc\" ,1\n", 2, 1, "after the closing quote");
    PARSE_FAILS ("a,b\n1,\"never\nclosed\n", 2, 2, "never closed");
    PARSE_FAILS ("a,b\n\"x\nx\",\"y\ny\"z\n", 4, 2, "after the closing quote");
}

static void
test_bad_bytes (void **state)
{
    PARSE_FAILS ("a,b\n1,2\n3,\xC7\xE0\xC6\xD6\n", 3, 2, "not valid UTF-8 (byte 0xC7)");
    PARSE_FAILS ("a,b\n1,\"x\ny\xFF\"\n", 3, 2, "not valid UTF-8 (byte 0xFF)");
    PARSE_FAILS ("\xEF\xBB\xBF" "a\n# caf\xE9\n", 2, 1, "not valid UTF-8");
    PARSE_FAILS ("a,b\n\xED\xA0\x80,1\n", 2, 1, "not valid UTF-8");
    PARSE_FAILS ("a,b\n1,2\0\n", 2, 2, "NUL byte");
    PARSE_FAILS ("\xFF\xFE" "a\0,\0b\0", 1, 1, "not valid UTF-8");
}

//  protobuf-c hands over empty bytes as a NULL pointer: no rows, no fault
//  (found by the fuzz harness: memchr on NULL)
static void
test_empty_content_from_null (void **state)
{
    bm_csv_error_t error;
    bm_csv_t *csv = bm_csv_parse (NULL, 0, &error);
    assert_non_null (csv);
    assert_int_equal (bm_csv_row_count (csv), 0);
    bm_csv_destroy (&csv);
}

static void
test_utf8_or_gbk (void **state)
{
    //  UTF-8 with a BOM: copied as it is
    bm_csv_error_t error;
    const char *encoding = NULL;
    size_t size = 0;
    const char utf8 [] = "\xEF\xBB\xBF" "赵巷镇,七十\r\n";
    char *text = bm_csv_utf8 (utf8, sizeof utf8 - 1, &size, &encoding, &error);
    assert_non_null (text);
    assert_string_equal (encoding, "UTF-8");
    assert_int_equal (size, sizeof utf8 - 1);
    assert_string_equal (text, utf8);
    free (text);

    //  GBK as Excel saves it on Chinese Windows: converted, CRLF kept
    const char gbk [] = "\xD5\xD4\xCF\xEF\xD5\xF2,\xC6\xDF\xCA\xAE\r\n"
                        "a,\xA3\xB1\xA3\xB2\r\n";
    text = bm_csv_utf8 (gbk, sizeof gbk - 1, &size, &encoding, &error);
    assert_non_null (text);
    assert_string_equal (encoding, "GB18030");
    assert_string_equal (text, "赵巷镇,七十\r\na,１２\r\n");
    assert_int_equal (size, strlen (text));
    bm_csv_t *csv = bm_csv_parse (text, size, &error);
    assert_non_null (csv);
    assert_int_equal (bm_csv_row_count (csv), 2);
    s_assert_field (csv, 0, 0, "赵巷镇", 1);
    s_assert_field (csv, 1, 1, "１２", 2);
    bm_csv_destroy (&csv);
    free (text);

    //  Neither: the line of the first bad byte
    const char bad [] = "a,b\nc,\x80\xFF\n";
    assert_null (bm_csv_utf8 (bad, sizeof bad - 1, &size, &encoding, &error));
    assert_int_equal (error.line, 2);
    assert_non_null (strstr (error.message, "UTF-8"));

    //  UTF-16 ("Unicode text"): refused with the fix
    const char utf16 [] = "\xFF\xFE" "a\0,\0b\0";
    assert_null (bm_csv_utf8 (utf16, sizeof utf16 - 1, &size, &encoding, &error));
    assert_non_null (strstr (error.message, "UTF-16"));
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_plain_rows),
        cmocka_unit_test (test_quoting),
        cmocka_unit_test (test_quoted_line_breaks),
        cmocka_unit_test (test_byte_order_mark),
        cmocka_unit_test (test_comments_and_blank_rows),
        cmocka_unit_test (test_line_endings),
        cmocka_unit_test (test_empty_fields),
        cmocka_unit_test (test_spaces_are_data),
        cmocka_unit_test (test_final_line_break),
        cmocka_unit_test (test_long_fields),
        cmocka_unit_test (test_malformed_quoting),
        cmocka_unit_test (test_bad_bytes),
        cmocka_unit_test (test_empty_content_from_null),
        cmocka_unit_test (test_utf8_or_gbk),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
