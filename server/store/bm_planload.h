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
#include "bm_request.h"
#include <libpq-fe.h>

//  Store the plan; fills `counts`. Returns 0, or -1 with the reason logged.
int
    bm_planload_store (PGconn *db, const bm_plan_t *plan, Battlemap__PlanLoadReply *counts);

//  Parse, validate and store plan files in one transaction (the server's
//  handler for PlanLoadRequest).
int
    bm_planload_handle (bm_request_t *request, const Battlemap__PlanLoadRequest *load);

//  Load a plan folder at start-up (battlemapd --plans DIR). Returns 0 or -1.
int
    bm_planload_dir (PGconn *db, const char *path);

#endif
