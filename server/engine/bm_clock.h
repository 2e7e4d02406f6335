/*  bm_clock: the server's time, injectable.

    Deadlines are judged by this clock, and figures, exceptions, events and
    snapshots are stamped with it, never with PostgreSQL's now(). By default
    it is the system clock. --clock TIME starts it at TIME and lets it run.
    --test-clock freezes it (at TIME, or at the system time) and lets clients
    set it with a ClockRequest, so that a test or a simulation can play a
    whole reporting year in seconds.
*/
#ifndef BM_CLOCK_H_INCLUDED
#define BM_CLOCK_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>

typedef struct _bm_clock_t bm_clock_t;

//  start: NULL for the system time, else an ISO 8601 time (bm_time_parse).
//  settable: frozen, set only through bm_clock_set. NULL on a bad time.
bm_clock_t *
    bm_clock_new (const char *start, bool settable);

void
    bm_clock_destroy (bm_clock_t **self_p);

//  Seconds since the epoch (UTC)
int64_t
    bm_clock_now (bm_clock_t *self);

bool
    bm_clock_settable (bm_clock_t *self);

//  Set a settable clock. Returns 0, or -1 if it is not settable.
int
    bm_clock_set (bm_clock_t *self, int64_t now);

//  The time as a PostgreSQL timestamptz literal ("2023-06-28T12:00:00+08:00")
char *
    bm_clock_text (bm_clock_t *self, char *buf);

#endif
