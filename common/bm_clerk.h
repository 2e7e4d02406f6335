/*  bm_clerk: what a clerk types into a value cell, read as a decimal.

    A clerk fills the template in Excel or WPS, often with a Chinese input
    method on: full-width digits and punctuation (１２３．４, －5, ８０％),
    thousands separators (1,234.5 and 1，234.5), stray spaces (U+3000 too)
    and the unit written after the number (79.5亿元, 12.5%). bm_clerk_parse
    reads such a cell into a plain decimal and the unit typed after it;
    bm_clerk_convert brings it into the indicator's own unit of measure:
    the same unit as is, a unit of the same family by exact decimal scaling
    (795000万元 is 79.5亿元, 3万人 is 30000人), anything else refused naming
    the unit expected. Everything else is refused with the problem and its
    fix: a Chinese numeral (七十九点五), a decimal comma (79,5), a space
    between digits, more than six decimals.

    Pure functions: no I/O, no allocation.
*/
#ifndef BM_CLERK_H_INCLUDED
#define BM_CLERK_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

#define BM_CLERK_NUMBER_MAX  64     //  a number as read, NUL included
#define BM_CLERK_UNIT_MAX    64     //  the unit typed after it, NUL included

//  Why a cell is refused
typedef enum {
    BM_CLERK_OK = 0,
    BM_CLERK_EMPTY,             //  nothing but spaces
    BM_CLERK_NOT_A_NUMBER,      //  七十九点五, 约80, 1.2E+05
    BM_CLERK_SPACE_INSIDE,      //  1 234.5
    BM_CLERK_GROUPING,          //  79,5 or 1,23: a comma that does not group thousands
    BM_CLERK_DECIMALS,          //  more than six decimals
    BM_CLERK_RANGE,             //  too large to hold
    BM_CLERK_NO_UNIT,           //  a unit typed, but the indicator has none to compare
    BM_CLERK_UNIT_MISMATCH,     //  a unit of another family (公顷 for 亩, % for 亿元)
    BM_CLERK_INEXACT            //  the conversion would need more than six decimals
} bm_clerk_problem_t;

//  A cell as read: the number in ASCII and the unit typed after it
typedef struct {
    char number [BM_CLERK_NUMBER_MAX];  //  "-1234.50": digits as typed, no separators
    char unit [BM_CLERK_UNIT_MAX];      //  "亿元", "%" or ""
} bm_clerk_value_t;

//  Reads what a clerk typed. Returns BM_CLERK_OK with `value` filled in,
//  or the problem.
bm_clerk_problem_t
    bm_clerk_parse (const char *typed, bm_clerk_value_t *value);

//  Brings a value read by bm_clerk_parse into `unit_of_measure` (the
//  indicator's, "" if it has none) and writes the decimal the server takes
//  into `out` (at least BM_CLERK_NUMBER_MAX bytes): the number as typed when
//  no unit or the indicator's own was typed, else the exact conversion
//  ("79.5"). Returns BM_CLERK_OK or the problem.
bm_clerk_problem_t
    bm_clerk_convert (const bm_clerk_value_t *value, const char *unit_of_measure,
                      char *out);

//  Whether converting the value needs the indicator's unit of measure: a
//  unit was typed after the number
bool
    bm_clerk_needs_unit (const bm_clerk_value_t *value);

//  The problem and its fix, in the user's language, into `buf`: e.g. "not
//  a number; write a number such as 79.5". `unit_of_measure` is the
//  indicator's ("" when not known), `value` the cell as read (may be NULL).
//  Returns buf.
char *
    bm_clerk_explain (bm_clerk_problem_t problem, const bm_clerk_value_t *value,
                      const char *unit_of_measure, char *buf, size_t size);

//  Removes leading and trailing spaces (ASCII white space, U+3000, U+00A0
//  and the other Unicode spaces a spreadsheet leaves) in place; returns text
char *
    bm_clerk_trim (char *text);

#endif
