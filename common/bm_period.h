/*  bm_period: a reporting period, one calendar month (YYYY-MM). */
#ifndef BM_PERIOD_H_INCLUDED
#define BM_PERIOD_H_INCLUDED

#include <stdbool.h>

#define BM_PERIOD_STR_MAX 8     //  "2023-06" and the terminator

typedef struct {
    int year;               //  1900..9999
    int month;              //  1..12
} bm_period_t;

//  Parse exactly "YYYY-MM". Returns 0, or -1 with *error set.
int
    bm_period_parse (const char *text, bm_period_t *period, const char **error);

//  Format as "YYYY-MM" into buf (BM_PERIOD_STR_MAX bytes). Returns buf.
char *
    bm_period_format (bm_period_t period, char *buf);

//  Negative, zero or positive as a is before, equal to or after b.
int
    bm_period_cmp (bm_period_t a, bm_period_t b);

//  The period `months` later (or earlier, if negative).
bm_period_t
    bm_period_add (bm_period_t period, int months);

#endif
