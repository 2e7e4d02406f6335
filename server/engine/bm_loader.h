/*  bm_loader: builds the engine's image of the database: at start, after
    a plan is loaded, and after a commit failed, so that memory never holds
    what the record does not. */
#ifndef BM_LOADER_H_INCLUDED
#define BM_LOADER_H_INCLUDED

#include "bm_engine.h"
#include <libpq-fe.h>

//  Empty the engine and fill it from the database. 0, or -1 (the engine is
//  then empty and not loaded).
int
    bm_loader_load (bm_engine_t *engine, PGconn *db);

#endif
