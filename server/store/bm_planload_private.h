/*  bm_planload_private: what the plan loader's files share. */
#ifndef BM_PLANLOAD_PRIVATE_H_INCLUDED
#define BM_PLANLOAD_PRIVATE_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_plan.h"
#include <czmq.h>
#include <libpq-fe.h>

//  One load in progress
typedef struct {
    PGconn *db;
    const bm_plan_t *plan;
    char district_id [24];
    char plan_id [24];
    char version [24];          //  the version new rows get
    const char *now;            //  the server's time, for created_at and superseded_at
    zhashx_t *unit_ids;         //  unit name -> "id"
    zhashx_t *indicator_ids;    //  "code\tmeasure" -> "id"
    zlistx_t *kept_targets;     //  ids of current targets named by the files
    zlistx_t *kept_milestones;
    zlistx_t *kept_baselines;
    bool changed;               //  anything changed
    bool inserted;              //  the plan is new
} bm_planload_t;

//  The row id of an indicator measure of this plan, or NULL
const char *
    bm_planload_indicator_id (bm_planload_t *load, const char *code, const char *measure);

//  Store the versioned rows: a changed row supersedes the current one, which
//  is kept; rows the files no longer name are superseded. 0 or -1.
int
    bm_planload_targets (bm_planload_t *load, Battlemap__PlanLoadReply *counts);
int
    bm_planload_milestones (bm_planload_t *load, Battlemap__PlanLoadReply *counts);
int
    bm_planload_baselines (bm_planload_t *load);

//  The rows replaced whole: formula operands, rankings, holidays. 0 or -1.
int
    bm_planload_operands (bm_planload_t *load);
int
    bm_planload_rankings (bm_planload_t *load);
int
    bm_planload_holidays (bm_planload_t *load);

#endif
