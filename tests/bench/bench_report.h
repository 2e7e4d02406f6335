/*  bench_report: the baseline's figures by name, and the final table.

    The baseline file holds one "name value" pair a line, as run.sh writes
    it from pgbench ("sub1cte.16.tps 20123.4"). The table has one row a
    measure: battlemapd's figure, the baseline's, their ratio, the target
    the issue sets (if any) and whether it is met, and notes.
*/
#ifndef BENCH_REPORT_H_INCLUDED
#define BENCH_REPORT_H_INCLUDED

#include "bench.h"

bench_report_t *
    bench_report_new (void);

void
    bench_report_destroy (bench_report_t **self_p);

//  Reads name-value pairs; 0, or -1 if the file cannot be read
int
    bench_report_load_baseline (bench_report_t *self, const char *path);

//  A baseline figure by name, or -1 if there is none
double
    bench_report_baseline (bench_report_t *self, const char *format, ...);

//  A heading between rows
void
    bench_report_section (bench_report_t *self, const char *title);

//  A row; any text may be NULL (shown as "-")
void
    bench_report_row (bench_report_t *self, const char *measure, const char *server,
                      const char *baseline, const char *ratio, const char *target,
                      const char *verdict, const char *notes);

//  Keeps a figure for the values file ("name value" a line)
void
    bench_report_value (bench_report_t *self, const char *name, double value);

//  Prints the table
void
    bench_report_print (bench_report_t *self, FILE *file);

//  Writes the values kept; 0 or -1
int
    bench_report_save_values (bench_report_t *self, const char *path);

void
    bench_report_test (bool verbose);

#endif
