/*  bm_formula: the formula of a derived (ratio) indicator, parsed once and
    evaluated on each unit's and period's actuals.

    A formula is written in indicators.csv, for instance

        sei-output / industrial-output * 100
        (project-progress-jw:出让一批 + project-progress-jw:开工一批) / 2

    Grammar (whitespace is free between tokens):

        expression = term { ("+" | "-") term }
        term       = factor { ("*" | "/") factor }
        factor     = { "-" } primary                  (unary minus)
        primary    = number | reference | "(" expression ")"
        reference  = code [ ":" measure ]

    A number is a plain decimal as bm_decimal_parse reads it (100, 0.5). A
    code is the indicator's code: lowercase ASCII letters, digits and '-',
    with at least one letter. A measure names one measure of a composite
    indicator: any UTF-8 up to a space, a parenthesis, an operator or the
    end.

    The minus rule: because codes contain '-', a '-' written directly
    between two letters or digits belongs to the word: `sei-output` is one
    code. Anywhere else it is an operator: write subtraction with spaces
    (`a - b`, `100 - rate`), or after ')' or before '(' (`(a)-b`, `a-(b)`).
    A word of digits and '-' alone (`100-5`) is an error that says so.

    Evaluation is exact: each product and each quotient is rounded half
    away from zero to the millionth, intermediate products in 128 bits.
    Nesting of parentheses is limited to 32 levels. Pure, no I/O.
*/
#ifndef BM_FORMULA_H_INCLUDED
#define BM_FORMULA_H_INCLUDED

#include "bm_decimal.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct _bm_formula_t bm_formula_t;

//  Parse a formula. Returns NULL on a syntax error, with a message naming
//  the column (in characters, from 1) in error when it is not NULL:
//  "at column 12: expected an indicator code or a number".
bm_formula_t *
    bm_formula_parse (const char *text, char *error, size_t error_size);

//  Destroy a formula; sets *self_p to NULL, safe to call twice.
void
    bm_formula_destroy (bm_formula_t **self_p);

//  How many distinct references the formula holds
size_t
    bm_formula_reference_count (const bm_formula_t *self);

//  The index-th distinct reference in order of first appearance, "code" or
//  "code:measure"; NULL when index is out of range.
const char *
    bm_formula_reference (const bm_formula_t *self, size_t index);

//  Gives the value of one reference ("code" or "code:measure"); returns
//  false when it has none.
typedef bool (bm_formula_lookup_fn) (void *arg, const char *reference,
                                     bm_decimal_t *value);

//  Evaluate the formula, asking lookup for each reference. Returns 0 with
//  *value set, or -1 when a reference has no value, on division by zero,
//  or when a result (intermediate or final) is out of the decimal range.
int
    bm_formula_evaluate (const bm_formula_t *self, bm_formula_lookup_fn *lookup,
                         void *arg, bm_decimal_t *value);

#endif
