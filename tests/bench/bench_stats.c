/*  bench_stats: latency samples and their percentiles; CPU and memory. */

#include "bench_stats.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

//  Structure of our class

struct _bench_samples_t {
    int64_t *values;            //  in the order added, until sorted
    size_t count;
    size_t capacity;
    bool sorted;                //  values are in ascending order
};

bench_samples_t *
bench_samples_new (void)
{
    bench_samples_t *self = (bench_samples_t *) zmalloc (sizeof (bench_samples_t));
    return self;
}

void
bench_samples_destroy (bench_samples_t **self_p)
{
    assert (self_p);
    bench_samples_t *self = *self_p;
    if (!self)
        return;
    free (self->values);
    free (self);
    *self_p = NULL;
}

void
bench_samples_add (bench_samples_t *self, int64_t value)
{
    if (self->count == self->capacity) {
        size_t capacity = self->capacity? self->capacity * 2: 1024;
        int64_t *values = (int64_t *) realloc (self->values, capacity * sizeof (int64_t));
        assert (values);
        self->values = values;
        self->capacity = capacity;
    }
    self->values [self->count++] = value;
    self->sorted = false;
}

void
bench_samples_merge (bench_samples_t *self, const bench_samples_t *other)
{
    for (size_t index = 0; index < other->count; index++)
        bench_samples_add (self, other->values [index]);
}

size_t
bench_samples_count (bench_samples_t *self)
{
    return self->count;
}

static int
s_compare (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return (x > y) - (x < y);
}

int64_t
bench_samples_percentile (bench_samples_t *self, double p)
{
    if (self->count == 0)
        return -1;
    if (!self->sorted) {
        qsort (self->values, self->count, sizeof (int64_t), s_compare);
        self->sorted = true;
    }
    //  Nearest rank: the smallest value with at least p% of them at or below
    size_t rank = (size_t) ((p / 100.0) * (double) self->count + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > self->count)
        rank = self->count;
    return self->values [rank - 1];
}

double
bench_samples_mean (bench_samples_t *self)
{
    if (self->count == 0)
        return -1;
    double sum = 0;
    for (size_t index = 0; index < self->count; index++)
        sum += (double) self->values [index];
    return sum / (double) self->count;
}

//  ---------------------------------------------------------------------------
//  /proc

typedef struct {
    pid_t ppid;
    unsigned long long utime, stime, cutime, cstime;    //  clock ticks
} s_stat_t;

//  Reads /proc/PID/stat; the command name may hold spaces and parentheses,
//  so the fields are read after its last ')'
static int
s_read_stat (pid_t pid, s_stat_t *stat)
{
    char path [64], buffer [1024];
    snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
    FILE *file = fopen (path, "r");
    if (!file)
        return -1;
    size_t size = fread (buffer, 1, sizeof buffer - 1, file);
    fclose (file);
    buffer [size] = '\0';
    char *rest = strrchr (buffer, ')');
    if (!rest)
        return -1;
    //  After the name: state ppid pgrp session tty tpgid flags minflt
    //  cminflt majflt cmajflt utime stime cutime cstime
    char state;
    int ppid;
    unsigned long long skip, utime, stime;
    long long cutime, cstime;
    int fields = sscanf (rest + 1, " %c %d %llu %llu %llu %llu %llu %llu %llu %llu %llu"
                         " %llu %llu %lld %lld", &state, &ppid, &skip, &skip, &skip, &skip,
                         &skip, &skip, &skip, &skip, &skip, &utime, &stime, &cutime, &cstime);
    if (fields != 15)
        return -1;
    stat->ppid = (pid_t) ppid;
    stat->utime = utime;
    stat->stime = stime;
    stat->cutime = cutime > 0? (unsigned long long) cutime: 0;
    stat->cstime = cstime > 0? (unsigned long long) cstime: 0;
    return 0;
}

static double
s_ticks (unsigned long long ticks)
{
    static long per_second = 0;
    if (!per_second)
        per_second = sysconf (_SC_CLK_TCK);
    return (double) ticks / (double) (per_second > 0? per_second: 100);
}

double
bench_cpu_process (pid_t pid)
{
    s_stat_t stat;
    if (pid <= 0 || s_read_stat (pid, &stat))
        return -1;
    return s_ticks (stat.utime + stat.stime + stat.cutime + stat.cstime);
}

double
bench_cpu_cluster (pid_t postmaster)
{
    //  A backend that exited and was reaped is in the postmaster's cutime;
    //  one reaped while its siblings are read would be missed, so the
    //  reading is taken again until the postmaster reaped none meanwhile
    for (int attempt = 0; attempt < 100; attempt++) {
        s_stat_t before, after;
        if (postmaster <= 0 || s_read_stat (postmaster, &before))
            return -1;
        unsigned long long ticks = before.utime + before.stime + before.cutime + before.cstime;
        DIR *dir = opendir ("/proc");
        if (!dir)
            return -1;
        struct dirent *entry;
        while ((entry = readdir (dir))) {
            char *end;
            long pid = strtol (entry->d_name, &end, 10);
            if (*end || pid <= 0)
                continue;
            s_stat_t child;
            if (s_read_stat ((pid_t) pid, &child) == 0 && child.ppid == postmaster)
                ticks += child.utime + child.stime + child.cutime + child.cstime;
        }
        closedir (dir);
        if (s_read_stat (postmaster, &after))
            return -1;
        if (after.cutime + after.cstime == before.cutime + before.cstime)
            return s_ticks (ticks);
    }
    return -1;
}

long
bench_rss_kib (pid_t pid)
{
    char path [64], line [256];
    snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
    FILE *file = fopen (path, "r");
    if (!file)
        return -1;
    long rss = -1;
    while (fgets (line, sizeof line, file))
        if (strncmp (line, "VmRSS:", 6) == 0) {
            rss = strtol (line + 6, NULL, 10);
            break;
        }
    fclose (file);
    return rss;
}

double
bench_beside_baseline (const double *tps, int count, double *low, double *high)
{
    double sum = 0;
    *low = *high = count > 0? tps [0]: -1;
    for (int index = 0; index < count; index++) {
        if (tps [index] <= 0)
            return -1;
        sum += tps [index] * (index == 0 || index == count - 1? 0.5: 1);
        *low = tps [index] < *low? tps [index]: *low;
        *high = tps [index] > *high? tps [index]: *high;
    }
    return count >= 2? sum / (count - 1): -1;
}

//  ---------------------------------------------------------------------------

void
bench_stats_test (bool verbose)
{
    printf (" * bench_stats: ");
    bench_samples_t *samples = bench_samples_new ();
    BENCH_CHECK (bench_samples_percentile (samples, 50) == -1);
    for (int value = 100; value >= 1; value--)
        bench_samples_add (samples, value);
    BENCH_CHECK (bench_samples_count (samples) == 100);
    BENCH_CHECK (bench_samples_percentile (samples, 50) == 50);
    BENCH_CHECK (bench_samples_percentile (samples, 99) == 99);
    BENCH_CHECK (bench_samples_percentile (samples, 100) == 100);
    BENCH_CHECK (bench_samples_percentile (samples, 0) == 1);
    BENCH_CHECK (bench_samples_mean (samples) == 50.5);
    bench_samples_t *more = bench_samples_new ();
    bench_samples_add (more, 1000);
    bench_samples_merge (samples, more);
    BENCH_CHECK (bench_samples_percentile (samples, 100) == 1000);
    bench_samples_destroy (&more);
    bench_samples_destroy (&samples);
    bench_samples_destroy (&samples);
    //  Rounds beside runs of 2,000, 3,000, 2,000 and 1,000 tps: 2,500, 2,500
    //  and 1,500
    double low, high;
    BENCH_CHECK (bench_beside_baseline ((double []) { 2000, 3000, 2000, 1000 }, 4, &low, &high)
                 == 6500.0 / 3);
    BENCH_CHECK (low == 1000 && high == 3000);
    BENCH_CHECK (bench_beside_baseline ((double []) { 1800, 2200 }, 2, &low, &high) == 2000);
    BENCH_CHECK (bench_beside_baseline ((double []) { 1800 }, 1, &low, &high) == -1);
    BENCH_CHECK (bench_beside_baseline ((double []) { 1800, -1, 2200 }, 3, &low, &high) == -1);
    BENCH_CHECK (bench_cpu_process (getpid ()) >= 0);
    BENCH_CHECK (bench_rss_kib (getpid ()) > 0);
    if (verbose)
        printf ("(cpu %.2f s) ", bench_cpu_process (getpid ()));
    printf ("OK\n");
}
