/*  bm_loader_private: what the loader's two files share. bm_loader.c
    drives the load and reads the cycle's state and the figures;
    bm_loader_plans.c reads the plans. */
#ifndef BM_LOADER_PRIVATE_H_INCLUDED
#define BM_LOADER_PRIVATE_H_INCLUDED

#include "bm_engine.h"
#include "bm_store_load.h"

#include <libpq-fe.h>

//  One load in progress
typedef struct {
    bm_engine_t *engine;
    bm_book_t *book;
    bm_arena_t *arena;
    zhashx_t *units;            //  "id" -> bm_loader_unit_t
    zhashx_t *indicators;       //  "id" -> bm_book_indicator_t
    zlistx_t *rows;             //  rows gathered before they are counted
    zhashx_t *totals;           //  "id" -> the units' working totals against
                                //  the district's, by indicator
} bm_loader_t;

//  Where a unit's row stands in the book
typedef struct {
    bm_book_district_t *district;
    int index;
} bm_loader_unit_t;

//  Read the plans: districts, units, plans, indicators and formulas,
//  targets, milestones, baselines, tasks, rankings, holidays, and the
//  deadlines noted. 0 or -1.
int
    bm_loader_plans (bm_loader_t *self, PGconn *db);

//  The slot of a row's indicator and unit, made if needed; NULL if either
//  is unknown or they belong to different districts
bm_book_slot_t *
    bm_loader_slot (bm_loader_t *self, int64_t indicator_id, int64_t unit_id,
                    bm_book_indicator_t **indicator, int *unit);

//  The plan an indicator belongs to
bm_book_plan_t *
    bm_loader_plan_of (bm_loader_t *self, const bm_book_indicator_t *indicator);

//  "id" of a row, into buf (24 bytes)
char *
    bm_loader_id (int64_t id, char *buf);

#define COLUMN(name) bm_rows_column (rows, name)
#define TEXT(name) bm_rows_text (rows, row, COLUMN (name))
#define INT(name) bm_rows_int (rows, row, COLUMN (name))
#define BOOL(name) bm_rows_bool (rows, row, COLUMN (name))
#define ISNULL(name) bm_rows_null (rows, row, COLUMN (name))

#endif
