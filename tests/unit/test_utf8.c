/*  test_utf8: strict UTF-8 validation, valid text and every class of
    ill-formed sequence. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bm_utf8.h"

#include <string.h>

typedef struct {
    const char *name;
    const char *bytes;
    size_t size;
    size_t prefix;              //  expected length of the valid prefix
} sample_t;

#define SAMPLE(name, literal, prefix) { name, literal, sizeof (literal) - 1, prefix }
#define VALID(name, literal) { name, literal, sizeof (literal) - 1, sizeof (literal) - 1 }

static void
test_valid_text (void **state)
{
    static const sample_t samples [] = {
        VALID ("empty", ""),
        VALID ("ASCII", "industrial-output,1855"),
        VALID ("NUL is U+0000", "a\0b"),
        VALID ("Chinese", "青浦区规上工业总产值"),
        VALID ("punctuation", "青经发〔2023〕16号：不低于全市水平—"),
        VALID ("mixed scripts", "Größe café Ωμέγα Привет こんにちは 안녕"),
        VALID ("emoji, 4 bytes", "\xF0\x9F\x98\x80"),
        VALID ("U+007F", "\x7F"),
        VALID ("U+0080", "\xC2\x80"),
        VALID ("U+07FF", "\xDF\xBF"),
        VALID ("U+0800", "\xE0\xA0\x80"),
        VALID ("U+D7FF, before the surrogates", "\xED\x9F\xBF"),
        VALID ("U+E000, after the surrogates", "\xEE\x80\x80"),
        VALID ("U+FFFD", "\xEF\xBF\xBD"),
        VALID ("U+FFFF", "\xEF\xBF\xBF"),
        VALID ("U+10000", "\xF0\x90\x80\x80"),
        VALID ("U+10FFFF, the last", "\xF4\x8F\xBF\xBF"),
        VALID ("byte-order mark", "\xEF\xBB\xBFplan"),
    };
    for (size_t index = 0; index < sizeof (samples) / sizeof (samples [0]); index++) {
        const sample_t *sample = &samples [index];
        print_message ("%s\n", sample->name);
        assert_true (bm_utf8_valid (sample->bytes, sample->size));
        assert_int_equal (bm_utf8_valid_prefix (sample->bytes, sample->size), sample->size);
    }
    assert_true (bm_utf8_valid (NULL, 0));
}

static void
test_invalid_sequences (void **state)
{
    static const sample_t samples [] = {
        //  Continuation bytes with no lead
        SAMPLE ("lone continuation 0x80", "ab\x80", 2),
        SAMPLE ("lone continuation 0xBF", "\xBF", 0),
        SAMPLE ("two continuations", "\x80\x80", 0),
        //  Overlong encodings
        SAMPLE ("overlong NUL, C0 80", "\xC0\x80", 0),
        SAMPLE ("overlong 2 bytes, C1 BF", "\xC1\xBF", 0),
        SAMPLE ("overlong 3 bytes, E0 80 80", "\xE0\x80\x80", 0),
        SAMPLE ("overlong 3 bytes, E0 9F BF", "x\xE0\x9F\xBF", 1),
        SAMPLE ("overlong 4 bytes, F0 80 80 80", "\xF0\x80\x80\x80", 0),
        SAMPLE ("overlong 4 bytes, F0 8F BF BF", "\xF0\x8F\xBF\xBF", 0),
        //  UTF-16 surrogates
        SAMPLE ("high surrogate U+D800", "\xED\xA0\x80", 0),
        SAMPLE ("low surrogate U+DFFF", "\xED\xBF\xBF", 0),
        SAMPLE ("surrogate pair", "\xED\xA0\xBD\xED\xB8\x80", 0),
        //  Beyond U+10FFFF
        SAMPLE ("U+110000, F4 90 80 80", "\xF4\x90\x80\x80", 0),
        SAMPLE ("F5 lead", "\xF5\x80\x80\x80", 0),
        SAMPLE ("F7 lead", "\xF7\xBF\xBF\xBF", 0),
        SAMPLE ("5-byte lead F8", "\xF8\x88\x80\x80\x80", 0),
        SAMPLE ("6-byte lead FC", "\xFC\x84\x80\x80\x80\x80", 0),
        SAMPLE ("FE", "\xFE", 0),
        SAMPLE ("FF", "\xFF", 0),
        //  Truncated sequences
        SAMPLE ("2 bytes, cut", "ok\xC3", 2),
        SAMPLE ("3 bytes, cut after 1", "\xE9", 0),
        SAMPLE ("3 bytes, cut after 2", "青\xE9\x9D", 3),
        SAMPLE ("4 bytes, cut after 3", "\xF0\x9F\x98", 0),
        //  A lead followed by something other than a continuation
        SAMPLE ("2 bytes, ASCII second", "\xC3\x28", 0),
        SAMPLE ("3 bytes, ASCII second", "\xE4\x41\x80", 0),
        SAMPLE ("3 bytes, ASCII third", "\xE4\xB8\x41", 0),
        SAMPLE ("4 bytes, lead fourth", "\xF0\x9F\x98\xF0", 0),
        //  Text in another encoding
        SAMPLE ("GBK 青浦", "\xC7\xE0\xC6\xD6", 0),
        SAMPLE ("Latin-1 café", "caf\xE9", 3),
        SAMPLE ("CESU-8 emoji", "\xED\xA0\xBD\xED\xB8\x80", 0),
    };
    for (size_t index = 0; index < sizeof (samples) / sizeof (samples [0]); index++) {
        const sample_t *sample = &samples [index];
        print_message ("%s\n", sample->name);
        assert_false (bm_utf8_valid (sample->bytes, sample->size));
        assert_int_equal (bm_utf8_valid_prefix (sample->bytes, sample->size), sample->prefix);
    }
}

static void
test_size_is_respected (void **state)
{
    //  The size decides, not a terminator: a sequence cut by size is invalid
    const char *text = "青浦";
    assert_true (bm_utf8_valid (text, strlen (text)));
    assert_false (bm_utf8_valid (text, 2));
    assert_false (bm_utf8_valid (text, 4));
    assert_int_equal (bm_utf8_valid_prefix (text, 4), 3);
    assert_true (bm_utf8_valid (text, 3));
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_valid_text),
        cmocka_unit_test (test_invalid_sequences),
        cmocka_unit_test (test_size_is_respected),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
