/*  bm_exceptions: the exceptions to the reporting windows, in memory: a
    window the bureau reopened, or an extension a unit asked for and the
    bureau granted or refused. A figure outside its window passes only
    under a granted exception for its unit, period, kind and indicator that
    is still open.
*/
#ifndef BM_EXCEPTIONS_H_INCLUDED
#define BM_EXCEPTIONS_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_arena.h"
#include "bm_batch.h"
#include "bm_period.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int64_t id;
    int unit_id;                //  the unit's row
    const char *district;       //  district code
    const char *unit;           //  unit name
    bm_period_t period;
    bool final;                 //  the final's window, else the forecast's
    char **indicators;          //  codes; none: all of the unit's
    size_t indicator_count;
    int64_t until;              //  open until then
    const char *status;         //  requested | granted | refused
    const char *reason;
    const char *requested_by;
    int64_t requested_at;
    const char *decided_by;     //  "" until decided
    int64_t decided_at;         //  0 until decided
    const char *decision_reason;
} bm_exception_t;

typedef struct _bm_exceptions_t bm_exceptions_t;

bm_exceptions_t *
    bm_exceptions_new (void);

void
    bm_exceptions_destroy (bm_exceptions_t **self_p);

//  Add a copy of an exception; returns the copy
bm_exception_t *
    bm_exceptions_add (bm_exceptions_t *self, const bm_exception_t *exception);

//  The exception with this id, NULL if none
bm_exception_t *
    bm_exceptions_find (bm_exceptions_t *self, int64_t id);

//  Record a decision on a request (copies the strings)
void
    bm_exceptions_decide (bm_exceptions_t *self, bm_exception_t *exception, bool grant,
                          const char *by, int64_t at, const char *reason, int64_t until);

//  The granted exception still open at `now` for the unit, period, kind
//  and indicator, the one open longest; NULL if none
const bm_exception_t *
    bm_exceptions_open (bm_exceptions_t *self, int unit_id, bm_period_t period, bool final,
                        const char *indicator, int64_t now);

//  In order of id: first, then next until NULL
const bm_exception_t *
    bm_exceptions_first (bm_exceptions_t *self);
const bm_exception_t *
    bm_exceptions_next (bm_exceptions_t *self);

//  Queue its row (whole) in a batch
void
    bm_exceptions_queue (const bm_exception_t *exception, bm_batch_t *batch);

//  Fill a reply's exception, strings from the arena
void
    bm_exceptions_fill (const bm_exception_t *exception, bm_arena_t *arena,
                        Battlemap__WindowException *out);

#endif
