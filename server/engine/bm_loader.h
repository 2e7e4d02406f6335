/*  bm_loader: builds the engine's image of the database (bm_engine_load). */
#ifndef BM_LOADER_H_INCLUDED
#define BM_LOADER_H_INCLUDED

#include "bm_engine.h"
#include <libpq-fe.h>

//  Fill an empty engine from the database. 0 or -1.
int
    bm_loader_run (bm_engine_t *engine, PGconn *db);

#endif
