/*  bench_stats: latency samples and their percentiles; CPU time and memory
    of processes, read from /proc.
*/
#ifndef BENCH_STATS_H_INCLUDED
#define BENCH_STATS_H_INCLUDED

#include "bench.h"

//  A growing set of samples (microseconds)
bench_samples_t *
    bench_samples_new (void);

void
    bench_samples_destroy (bench_samples_t **self_p);

void
    bench_samples_add (bench_samples_t *self, int64_t value);

//  Appends every sample of other
void
    bench_samples_merge (bench_samples_t *self, const bench_samples_t *other);

size_t
    bench_samples_count (bench_samples_t *self);

//  The p-th percentile (0..100, nearest rank), -1 when there are no samples
int64_t
    bench_samples_percentile (bench_samples_t *self, double p);

//  The mean, -1 when there are no samples
double
    bench_samples_mean (bench_samples_t *self);

//  The baseline of a phase run in rounds of equal length with the baseline
//  run before, between and after them (count runs, count - 1 rounds): the
//  mean over the rounds of the two runs beside each, so that the runs at
//  either end count half. -1 if there are fewer than two runs or one
//  failed (not above 0); *low and *high get the lowest and highest run.
double
    bench_beside_baseline (const double *tps, int count, double *low, double *high);

//  CPU time (user + system) of one process, in seconds, with what its
//  children that it waited for used; -1 if it is gone
double
    bench_cpu_process (pid_t pid);

//  CPU time of a PostgreSQL cluster: the postmaster with its reaped
//  children (backends that have exited) and every live child. -1 if the
//  postmaster is gone.
double
    bench_cpu_cluster (pid_t postmaster);

//  Resident memory of a process in KiB (VmRSS), -1 if it is gone
long
    bench_rss_kib (pid_t pid);

void
    bench_stats_test (bool verbose);

#endif
