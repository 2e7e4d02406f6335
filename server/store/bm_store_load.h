/*  bm_store_load: the queries the engine's image of the database is built
    from, and a reader that gives their columns by name.

    bm_store_load runs one of them and hands each row to a callback; the
    figures, which can be millions, are read through a cursor in chunks and
    in the order they were stored, so that replaying them leaves every cell
    as the record has it.
*/
#ifndef BM_STORE_LOAD_H_INCLUDED
#define BM_STORE_LOAD_H_INCLUDED

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum {
    BM_LOAD_DISTRICTS,          //  id code name
    BM_LOAD_UNITS,              //  id district_id name kind parent_id
    BM_LOAD_PLANS,              //  id district_id code year title forecast_day final_day
                                //  deadline_rule reminder_days bottom_warned
    BM_LOAD_INDICATORS,         //  id plan_id code measure name unit_of_measure additive
                                //  direction kind formula on_track_tenths at_risk_tenths
                                //  pace position
    BM_LOAD_OPERANDS,           //  indicator_id operand_id
    BM_LOAD_TARGETS,            //  indicator_id unit_id role kind comparator no_target
                                //  value text (current ones; working first)
    BM_LOAD_MILESTONES,         //  indicator_id unit_id month value text
    BM_LOAD_BASELINES,          //  indicator_id unit_id month value
    BM_LOAD_TASKS,              //  plan_id level seq title leaders sections indicator_code
                                //  measures overall note (区级 first, by seq)
    BM_LOAD_RANKINGS,           //  plan_id name bottom indicator_id weight
    BM_LOAD_HOLIDAYS,           //  plan_id day working
    BM_LOAD_DEADLINES,          //  plan_id month kind
    BM_LOAD_EXCEPTIONS,         //  id unit_id district unit period kind indicators until
                                //  status reason requested_by requested_at decided_by
                                //  decided_at decision_reason
    BM_LOAD_ALERTS,             //  the firing ones: id labels severity value message
                                //  fired_at updated_at acked_at acked_by ack_reason
                                //  silenced_until silenced_by silence_reason
    BM_LOAD_FIGURES,            //  id submission_id indicator_id unit_id year month final
                                //  value status received_at (by id)
    BM_LOAD_FAMILIES,           //  prefix seq (the marker: prefix "")
    BM_LOAD_TAIL,               //  seq topic of the events after the marker, by seq
    BM_LOAD_COUNTERS,           //  figure alert exception event: the last of each
    BM_LOADS
} bm_load_t;

typedef struct _bm_rows_t bm_rows_t;

//  Called for each row; returns 0 to go on, -1 to stop (the load fails)
typedef int (bm_load_fn) (void *arg, bm_rows_t *rows, int row);

//  Run a query and hand every row to fn. 0, or -1 (logged).
int
    bm_store_load (PGconn *db, bm_load_t what, bm_load_fn *fn, void *arg);

//  A column's number, by name (cached by the name's address, so pass the
//  same literal each time); asserts on a name the query does not have,
//  which is a programming error. Times are read as seconds since the
//  epoch (bm_rows_int), NULL as 0.
int
    bm_rows_column (bm_rows_t *rows, const char *name);

//  A field as text, "" for SQL NULL
const char *
    bm_rows_text (bm_rows_t *rows, int row, int column);

bool
    bm_rows_null (bm_rows_t *rows, int row, int column);

int64_t
    bm_rows_int (bm_rows_t *rows, int row, int column);

bool
    bm_rows_bool (bm_rows_t *rows, int row, int column);

#endif
