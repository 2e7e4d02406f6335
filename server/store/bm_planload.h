/*  bm_planload: store a validated plan in PostgreSQL.

    The caller holds a transaction open around bm_planload_store so that a
    plan loads all or nothing. Loading the same plan again changes nothing;
    a target or milestone whose value changed gets a new version and the
    old row is kept, marked superseded (never deleted: figures and history
    refer to it). A target that disappeared from the files is superseded
    too. The plan's version goes up by one whenever anything changed.
*/
#ifndef BM_PLANLOAD_H_INCLUDED
#define BM_PLANLOAD_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_plan.h"
#include <libpq-fe.h>

//  Store the plan, stamping what changes with `now` (the server's time);
//  fills `counts`. Returns 0, or -1 with the reason logged.
int
    bm_planload_store (PGconn *db, const bm_plan_t *plan, const char *now,
                       Battlemap__PlanLoadReply *counts);

//  Parse, validate and store plan files in one transaction. Returns 0; 1
//  when the files are not a valid plan (every problem appended to errors,
//  nothing stored); -1 when the database failed (nothing stored). On
//  success counts->plan is a copy of the plan's code, for the caller to
//  free.
int
    bm_planload_files (PGconn *db, const bm_plan_file_t *files, size_t count, const char *now,
                       Battlemap__PlanLoadReply *counts, zlist_t *errors);

//  Load a plan folder at start-up (battlemapd --plans DIR). Returns 0 or -1.
int
    bm_planload_dir (PGconn *db, const char *path, const char *now);

#endif
