/*  bm_formula: parsing, the minus rule, exact evaluation, and every class of
    syntax error with the column it is reported at. */

#include "bm_formula.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define S_COUNT(array) (sizeof (array) / sizeof (array) [0])

//  The figures a formula may look up
typedef struct {
    const char *reference;
    const char *value;
} s_figure_t;

static const s_figure_t s_figures [] = {
    { "sei-output", "558.6" },
    { "industrial-output", "1855" },
    { "project-progress-jw:出让一批", "3" },
    { "project-progress-jw:开工一批", "4" },
    { "a", "10" },
    { "b", "3" },
    { "a-b", "7" },
    { "zero", "0" },
    { "5g-base", "12" },
    { "huge", "9000000000000" },
    { "x:（一）产业项目", "2.5" },
};

static bool
s_lookup (void *arg, const char *reference, bm_decimal_t *value)
{
    int *calls = arg;
    (*calls)++;
    for (size_t index = 0; index < S_COUNT (s_figures); index++)
        if (strcmp (s_figures [index].reference, reference) == 0)
            return bm_decimal_parse (s_figures [index].value, value, NULL) == 0;
    return false;
}

typedef struct {
    const char *text;
    const char *value;          //  NULL: evaluation fails
} s_value_case_t;

static const s_value_case_t s_value_cases [] = {
    //  Precedence, associativity, parentheses, unary minus
    { "2 + 3 * 4", "14" },
    { "(2 + 3) * 4", "20" },
    { "2 * 3 - 4 / 8", "5.5" },
    { "10 - 4 - 3", "3" },
    { "64 / 4 / 2", "8" },
    { "2 * (3 + 4) * 5", "70" },
    { "((((1))))", "1" },
    { "-2 * -3", "6" },
    { "- (2 + 3)", "-5" },
    { "--5", "5" },
    { "- - -5", "-5" },
    { "2 - -3", "5" },
    { "-a + 1", "-9" },
    { "0.5 + 0.25", "0.75" },
    //  The documents' formula, and composite measures
    { "sei-output / industrial-output * 100", "30.1132" },
    { "sei-output/industrial-output*100", "30.1132" },
    { "\t sei-output / industrial-output * 100 \n", "30.1132" },
    { "(project-progress-jw:出让一批 + project-progress-jw:开工一批) / 2", "3.5" },
    { "project-progress-jw:出让一批*2", "6" },
    { "x:（一）产业项目 * 2", "5" },
    //  The minus rule: a '-' between letters or digits is part of the code
    { "a-b", "7" },
    { "a - b", "7" },
    { "a -b", "7" },
    { "a- b", "7" },
    { "(a)-b", "7" },
    { "a-(b)", "7" },
    { "a--b", "13" },
    { "5g-base / 4", "3" },
    //  Rounding half away from zero at each product and quotient
    { "1 / 3", "0.333333" },
    { "2 / 3", "0.666667" },
    { "-2 / 3", "-0.666667" },
    { "1 / 3 * 3", "0.999999" },
    { "0.000001 / 2", "0.000001" },
    { "-0.000001 / 2", "-0.000001" },
    { "0.000001 * 0.5", "0.000001" },
    { "0.000003 * 0.5", "0.000002" },
    { "0.000001 * 0.4", "0" },
    { "huge * 1", "9000000000000" },
    //  No value
    { "a / zero", NULL },
    { "1 / (2 - 2)", NULL },
    { "a + missing", NULL },
    { "project-progress-jw:签约一批", NULL },
    { "huge * 2", NULL },
    { "huge + huge", NULL },
    { "-huge - huge", NULL },
    { "huge / 0.5", NULL },
    { "huge * huge / huge", NULL },
};

static void
test_values (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_value_cases); index++) {
        const s_value_case_t *c = s_value_cases + index;
        char error [128];
        bm_formula_t *formula = bm_formula_parse (c->text, error, sizeof error);
        if (!formula)
            fail_msg ("'%s': %s", c->text, error);
        assert_string_equal (error, "");
        int calls = 0;
        bm_decimal_t value = { -42 };
        int rc = bm_formula_evaluate (formula, s_lookup, &calls, &value);
        char buf [BM_DECIMAL_STR_MAX];
        if (c->value && rc != 0)
            fail_msg ("'%s': no value, expected %s", c->text, c->value);
        if (!c->value && rc != -1)
            fail_msg ("'%s': %s, expected no value", c->text, bm_decimal_format (value, buf));
        if (c->value && strcmp (bm_decimal_format (value, buf), c->value) != 0)
            fail_msg ("'%s': %s, expected %s", c->text, buf, c->value);
        bm_formula_destroy (&formula);
        assert_null (formula);
        bm_formula_destroy (&formula);      //  safe twice
    }
}

static void
test_references (void **state)
{
    char error [128];
    bm_formula_t *formula = bm_formula_parse (
        "a + b * a - (project-progress-jw:出让一批 + project-progress-jw:开工一批"
        " + project-progress-jw:出让一批) / a-b", error, sizeof error);
    assert_non_null (formula);
    assert_int_equal (bm_formula_reference_count (formula), 5);
    assert_string_equal (bm_formula_reference (formula, 0), "a");
    assert_string_equal (bm_formula_reference (formula, 1), "b");
    assert_string_equal (bm_formula_reference (formula, 2), "project-progress-jw:出让一批");
    assert_string_equal (bm_formula_reference (formula, 3), "project-progress-jw:开工一批");
    assert_string_equal (bm_formula_reference (formula, 4), "a-b");
    assert_null (bm_formula_reference (formula, 5));
    //  10 + 30 - 10 / 7 = 40 - 1.428571
    int calls = 0;
    bm_decimal_t value;
    assert_int_equal (bm_formula_evaluate (formula, s_lookup, &calls, &value), 0);
    assert_int_equal (value.micros, 38571429);
    assert_int_equal (calls, 7);
    bm_formula_destroy (&formula);

    //  Constants only: no lookup needed
    formula = bm_formula_parse ("100", error, sizeof error);
    assert_non_null (formula);
    assert_int_equal (bm_formula_reference_count (formula), 0);
    assert_null (bm_formula_reference (formula, 0));
    assert_int_equal (bm_formula_evaluate (formula, NULL, NULL, &value), 0);
    assert_int_equal (value.micros, 100000000);
    bm_formula_destroy (&formula);
}

typedef struct {
    const char *text;
    const char *error;
} s_error_case_t;

static const s_error_case_t s_error_cases [] = {
    //  An operand expected
    { "", "at column 1: expected an indicator code or a number" },
    { "   ", "at column 4: expected an indicator code or a number" },
    { "a +", "at column 4: expected an indicator code or a number" },
    { "a + * b", "at column 5: expected an indicator code or a number" },
    { "+a", "at column 1: expected an indicator code or a number" },
    { "()", "at column 2: expected an indicator code or a number" },
    { "Sei-output", "at column 1: expected an indicator code or a number" },
    { "出让 + a", "at column 1: expected an indicator code or a number" },
    { "a * -", "at column 6: expected an indicator code or a number" },
    //  An operator or the end expected
    { "a b", "at column 3: expected an operator (+ - * /) or the end of the formula" },
    { "a % b", "at column 3: expected an operator (+ - * /) or the end of the formula" },
    { "2 (a)", "at column 3: expected an operator (+ - * /) or the end of the formula" },
    { "a :m", "at column 3: expected an operator (+ - * /) or the end of the formula" },
    { "project-progress-jw:出让一批 出让",
      "at column 26: expected an operator (+ - * /) or the end of the formula" },
    //  Parentheses
    { "(a + b", "at column 7: expected ')' to close the '(' at column 1" },
    { "a * (b + (a - b)", "at column 17: expected ')' to close the '(' at column 5" },
    { "a + b)", "at column 6: ')' without a matching '('" },
    //  Words that are neither a number nor a code
    { "a + 1.2345678", "at column 5: '1.2345678': more than 6 decimals" },
    { "1.", "at column 1: '1.': no digits after the decimal point" },
    { ".5", "at column 1: '.5': not a plain decimal number" },
    { "1.2.3", "at column 1: '1.2.3': not a plain decimal number" },
    { "99999999999999", "at column 1: '99999999999999': number too large" },
    { "123456789012345678901234567890123", "at column 1: "
      "'123456789012345678901234567890123': number too large" },
    { "1.5x", "at column 1: '1.5x' is neither a number nor an indicator code" },
    { "a.b", "at column 1: 'a.b' is neither a number nor an indicator code" },
    { "2 * 100-5", "at column 5: '100-5' is neither a number nor an indicator code"
      " (put spaces around a minus: a - b)" },
    //  Measures
    { "code: + 1", "at column 6: expected a measure name after ':'" },
    { "code:", "at column 6: expected a measure name after ':'" },
    //  Encoding
    { "a + \xff", "at column 5: not valid UTF-8" },
    { "出让一批:\xe5\x87", "at column 6: not valid UTF-8" },
};

static void
test_errors (void **state)
{
    for (size_t index = 0; index < S_COUNT (s_error_cases); index++) {
        const s_error_case_t *c = s_error_cases + index;
        char error [160] = "untouched";
        bm_formula_t *formula = bm_formula_parse (c->text, error, sizeof error);
        if (formula)
            fail_msg ("'%s' parsed", c->text);
        if (strcmp (error, c->error) != 0)
            fail_msg ("'%s': \"%s\", expected \"%s\"", c->text, error, c->error);
    }
    //  NULL text; no error buffer; a short one is cut, not overrun
    char error [16];
    assert_null (bm_formula_parse (NULL, error, sizeof error));
    assert_string_equal (error, "at column 1: ex");
    assert_null (bm_formula_parse ("a +", NULL, 0));
    char tiny [4] = "xyz";
    assert_null (bm_formula_parse ("a +", tiny, 3));
    assert_string_equal (tiny, "at");
}

static void
test_nesting (void **state)
{
    char text [200];
    char error [128];
    //  32 levels parse and evaluate, 33 do not
    for (int levels = 32; levels <= 33; levels++) {
        int length = 0;
        for (int level = 0; level < levels; level++)
            length += snprintf (text + length, sizeof text - (size_t) length, "(1 + ");
        length += snprintf (text + length, sizeof text - (size_t) length, "1");
        for (int level = 0; level < levels; level++)
            text [length++] = ')';
        text [length] = '\0';
        bm_formula_t *formula = bm_formula_parse (text, error, sizeof error);
        if (levels == 32) {
            assert_non_null (formula);
            bm_decimal_t value;
            assert_int_equal (bm_formula_evaluate (formula, NULL, NULL, &value), 0);
            assert_int_equal (value.micros, 33 * 1000000LL);
            bm_formula_destroy (&formula);
        }
        else {
            assert_null (formula);
            assert_string_equal (error, "at column 161: more than 32 nested parentheses");
        }
    }
    //  Right-nested chains keep the stack within its bound
    int length = 0;
    for (int level = 0; level < 32; level++)
        length += snprintf (text + length, sizeof text - (size_t) length, "1*(1+");
    text [length++] = '1';
    for (int level = 0; level < 32; level++)
        text [length++] = ')';
    text [length] = '\0';
    bm_formula_t *formula = bm_formula_parse (text, error, sizeof error);
    assert_non_null (formula);
    bm_decimal_t value;
    assert_int_equal (bm_formula_evaluate (formula, NULL, NULL, &value), 0);
    assert_int_equal (value.micros, 33 * 1000000LL);
    bm_formula_destroy (&formula);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_values),
        cmocka_unit_test (test_references),
        cmocka_unit_test (test_errors),
        cmocka_unit_test (test_nesting),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
