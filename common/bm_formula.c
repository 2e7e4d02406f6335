/*  bm_formula: the formula of a derived (ratio) indicator.

    The parser is recursive descent and compiles to a small stack program
    (reverse Polish), which evaluation runs with a fixed-size stack: the
    nesting limit bounds how deep that stack can grow.
*/

#include "bm_formula.h"
#include "bm_utf8.h"
#include "bm_i18n.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_NESTING_MAX   32                          //  parentheses
#define S_STACK_MAX     (2 * (S_NESTING_MAX + 1) + 1)
#define S_DECIMAL_LIMIT (BM_DECIMAL_MAX * BM_DECIMAL_SCALE + BM_DECIMAL_SCALE - 1)

typedef enum {
    S_PUSH_NUMBER,
    S_PUSH_REFERENCE,
    S_NEGATE,
    S_ADD,
    S_SUBTRACT,
    S_MULTIPLY,
    S_DIVIDE
} s_op_t;

typedef struct {
    s_op_t op;
    int64_t number;             //  S_PUSH_NUMBER: millionths
    size_t reference;           //  S_PUSH_REFERENCE: index into references
} s_instruction_t;

//  Structure of our class

struct _bm_formula_t {
    s_instruction_t *program;   //  reverse Polish
    size_t size;                //  instructions used
    size_t capacity;            //  instructions allocated
    char **references;          //  distinct references, "code[:measure]"
    size_t reference_count;
    size_t reference_capacity;
    size_t depth;               //  deepest the evaluation stack grows
};

//  --------------------------------------------------------------------------
//  Parser

typedef struct {
    const char *text;
    const char *at;             //  next character
    bm_formula_t *formula;      //  being built
    char *error;
    size_t error_size;
    bool failed;
    int nesting;                //  open parentheses
    size_t stack;               //  stack depth after the program so far
} s_parser_t;

//  The column of position, from 1. Columns count characters, not bytes:
//  a person counts 出让一批 as 4.
static size_t
s_column (const char *text, const char *position)
{
    size_t column = 1;
    for (const char *at = text; at < position; at++)
        if (((unsigned char) *at & 0xC0) != 0x80)
            column++;
    return column;
}

//  Record a syntax error at `position`, the first one only
static void
s_fail (s_parser_t *self, const char *position, const char *format, ...)
{
    if (self->failed)
        return;
    self->failed = true;
    if (!self->error || self->error_size == 0)
        return;
    int written = snprintf (self->error, self->error_size, _("at column %zu: "),
                            s_column (self->text, position));
    if (written < 0 || (size_t) written >= self->error_size)
        return;
    va_list args;
    va_start (args, format);
    vsnprintf (self->error + written, self->error_size - (size_t) written, format, args);
    va_end (args);
}

static void
s_emit (s_parser_t *self, s_op_t op, int64_t number, size_t reference)
{
    bm_formula_t *formula = self->formula;
    if (formula->size == formula->capacity) {
        size_t capacity = formula->capacity? formula->capacity * 2: 16;
        s_instruction_t *program = realloc (formula->program, capacity * sizeof *program);
        if (!program) {
            s_fail (self, self->at, _("out of memory"));
            return;
        }
        formula->program = program;
        formula->capacity = capacity;
    }
    formula->program [formula->size++] = (s_instruction_t) { op, number, reference };
    if (op == S_PUSH_NUMBER || op == S_PUSH_REFERENCE) {
        self->stack++;
        if (self->stack > formula->depth)
            formula->depth = self->stack;
    }
    else
    if (op != S_NEGATE)
        self->stack--;
}

//  The index of a reference, added if new; -1 when out of memory
static int
s_reference (s_parser_t *self, const char *start, size_t length)
{
    bm_formula_t *formula = self->formula;
    for (size_t index = 0; index < formula->reference_count; index++)
        if (strlen (formula->references [index]) == length
        &&  memcmp (formula->references [index], start, length) == 0)
            return (int) index;
    if (formula->reference_count == formula->reference_capacity) {
        size_t capacity = formula->reference_capacity? formula->reference_capacity * 2: 4;
        char **references = realloc (formula->references, capacity * sizeof *references);
        if (!references)
            return -1;
        formula->references = references;
        formula->reference_capacity = capacity;
    }
    char *reference = malloc (length + 1);
    if (!reference)
        return -1;
    memcpy (reference, start, length);
    reference [length] = '\0';
    formula->references [formula->reference_count] = reference;
    return (int) formula->reference_count++;
}

static bool
s_is_space (char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static bool
s_is_word (char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static void
s_skip_spaces (s_parser_t *self)
{
    while (s_is_space (*self->at))
        self->at++;
}

//  A word: letters, digits and '.', and '-' between two letters or digits.
//  It is a number when it has neither letter nor '-', else a reference.
static void
s_word (s_parser_t *self)
{
    const char *start = self->at;
    const char *end = start;
    bool letter = false, hyphen = false, dot = false;
    while (s_is_word (*end) || *end == '.'
       || (*end == '-' && end > start && s_is_word (end [-1]) && s_is_word (end [1]))) {
        letter |= *end >= 'a' && *end <= 'z';
        hyphen |= *end == '-';
        dot |= *end == '.';
        end++;
    }
    int length = (int) (end - start);
    if (!letter && !hyphen) {
        char buffer [BM_DECIMAL_STR_MAX];
        bm_decimal_t number;
        const char *problem = _("number too large");
        if ((size_t) length < sizeof buffer) {
            memcpy (buffer, start, (size_t) length);
            buffer [length] = '\0';
            if (bm_decimal_parse (buffer, &number, &problem) == 0) {
                self->at = end;
                s_emit (self, S_PUSH_NUMBER, number.micros, 0);
                return;
            }
        }
        s_fail (self, start, "'%.*s': %s", length, start, problem);
        return;
    }
    if (!letter) {
        s_fail (self, start, _("'%.*s' is neither a number nor an indicator code"
                " (put spaces around a minus: a - b)"), length, start);
        return;
    }
    if (dot || !s_is_word (*start)) {
        s_fail (self, start, _("'%.*s' is neither a number nor an indicator code"),
                length, start);
        return;
    }
    if (*end == ':') {
        //  A measure: any UTF-8 up to a space, a parenthesis or an operator
        const char *measure = end + 1;
        end = measure;
        while (*end && !s_is_space (*end) && !strchr ("()+-*/", *end))
            end++;
        if (end == measure) {
            s_fail (self, measure, _("expected a measure name after ':'"));
            return;
        }
    }
    int index = s_reference (self, start, (size_t) (end - start));
    if (index < 0) {
        s_fail (self, start, _("out of memory"));
        return;
    }
    self->at = end;
    s_emit (self, S_PUSH_REFERENCE, 0, (size_t) index);
}

static void s_expression (s_parser_t *self);

static void
s_primary (s_parser_t *self)
{
    s_skip_spaces (self);
    const char *start = self->at;
    if (*start == '(') {
        if (++self->nesting > S_NESTING_MAX) {
            s_fail (self, start, _("more than %d nested parentheses"), S_NESTING_MAX);
            return;
        }
        self->at++;
        s_expression (self);
        if (self->failed)
            return;
        s_skip_spaces (self);
        if (*self->at != ')') {
            s_fail (self, self->at, _("expected ')' to close the '(' at column %zu"),
                    s_column (self->text, start));
            return;
        }
        self->at++;
        self->nesting--;
    }
    else
    if (s_is_word (*start) || *start == '.')
        s_word (self);
    else
        s_fail (self, start, _("expected an indicator code or a number"));
}

//  factor = { "-" } primary
static void
s_factor (s_parser_t *self)
{
    size_t minuses = 0;
    for (s_skip_spaces (self); *self->at == '-'; s_skip_spaces (self)) {
        minuses++;
        self->at++;
    }
    s_primary (self);
    if (!self->failed && minuses % 2)
        s_emit (self, S_NEGATE, 0, 0);
}

//  term = factor { ("*" | "/") factor }
static void
s_term (s_parser_t *self)
{
    s_factor (self);
    while (!self->failed) {
        s_skip_spaces (self);
        char op = *self->at;
        if (op != '*' && op != '/')
            break;
        self->at++;
        s_factor (self);
        if (!self->failed)
            s_emit (self, op == '*'? S_MULTIPLY: S_DIVIDE, 0, 0);
    }
}

//  expression = term { ("+" | "-") term }
static void
s_expression (s_parser_t *self)
{
    s_term (self);
    while (!self->failed) {
        s_skip_spaces (self);
        char op = *self->at;
        if (op != '+' && op != '-')
            break;
        self->at++;
        s_term (self);
        if (!self->failed)
            s_emit (self, op == '+'? S_ADD: S_SUBTRACT, 0, 0);
    }
}

//  --------------------------------------------------------------------------
//  Formula

bm_formula_t *
bm_formula_parse (const char *text, char *error, size_t error_size)
{
    if (error && error_size)
        *error = '\0';
    bm_formula_t *self = calloc (1, sizeof *self);
    if (!self) {
        if (error && error_size)
            snprintf (error, error_size, _("out of memory"));
        return NULL;
    }
    if (!text)
        text = "";
    s_parser_t parser = {
        .text = text, .at = text, .formula = self,
        .error = error, .error_size = error_size
    };
    size_t length = strlen (text);
    size_t valid = bm_utf8_valid_prefix (text, length);
    if (valid < length)
        s_fail (&parser, text + valid, _("not valid UTF-8"));
    else {
        s_expression (&parser);
        s_skip_spaces (&parser);
        if (*parser.at == ')')
            s_fail (&parser, parser.at, _("')' without a matching '('"));
        else
        if (*parser.at)
            s_fail (&parser, parser.at,
                    _("expected an operator (+ - * /) or the end of the formula"));
    }
    if (parser.failed) {
        bm_formula_destroy (&self);
        return NULL;
    }
    assert (parser.stack == 1);
    assert (self->depth <= S_STACK_MAX);
    return self;
}

void
bm_formula_destroy (bm_formula_t **self_p)
{
    assert (self_p);
    bm_formula_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->reference_count; index++)
        free (self->references [index]);
    free (self->references);
    free (self->program);
    free (self);
    *self_p = NULL;
}

size_t
bm_formula_reference_count (const bm_formula_t *self)
{
    assert (self);
    return self->reference_count;
}

const char *
bm_formula_reference (const bm_formula_t *self, size_t index)
{
    assert (self);
    return index < self->reference_count? self->references [index]: NULL;
}

int
bm_formula_evaluate (const bm_formula_t *self, bm_formula_lookup_fn *lookup,
                     void *arg, bm_decimal_t *value)
{
    assert (self);
    assert (value);
    assert (lookup || self->reference_count == 0);
    int64_t stack [S_STACK_MAX];
    size_t top = 0;
    for (size_t index = 0; index < self->size; index++) {
        const s_instruction_t *instruction = self->program + index;
        if (instruction->op == S_PUSH_NUMBER) {
            stack [top++] = instruction->number;
            continue;
        }
        if (instruction->op == S_PUSH_REFERENCE) {
            bm_decimal_t reference;
            if (!lookup (arg, self->references [instruction->reference], &reference)
            ||  reference.micros < -S_DECIMAL_LIMIT || reference.micros > S_DECIMAL_LIMIT)
                return -1;
            stack [top++] = reference.micros;
            continue;
        }
        if (instruction->op == S_NEGATE) {
            stack [top - 1] = -stack [top - 1];
            continue;
        }
        __int128 left = stack [top - 2];
        __int128 right = stack [top - 1];
        __int128 result = 0;
        switch (instruction->op) {
            case S_ADD:      result = left + right; break;
            case S_SUBTRACT: result = left - right; break;
            case S_MULTIPLY: result = bm_decimal_divide (left * right, BM_DECIMAL_SCALE); break;
            case S_DIVIDE:
                if (right == 0)
                    return -1;
                result = bm_decimal_divide (left * BM_DECIMAL_SCALE, right);
                break;
            default:
                assert (false);
        }
        if (result < -S_DECIMAL_LIMIT || result > S_DECIMAL_LIMIT)
            return -1;
        stack [top - 2] = (int64_t) result;
        top--;
    }
    assert (top == 1);
    value->micros = stack [0];
    return 0;
}
