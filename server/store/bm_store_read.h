/*  bm_store_read: what the server reads from the record itself, rather
    than from its state in memory: a resent figure's row, a cell's whole
    history, the frozen walls, the event log for catch-up, and the alerts
    with their past. Replies are filled from the caller's arena.
*/
#ifndef BM_STORE_READ_H_INCLUDED
#define BM_STORE_READ_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_arena.h"
#include "bm_batch.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

//  The reads that come often, to prepare on each connection (bm_store)
typedef struct {
    const char *name;
    const char *sql;
    int params;
} bm_store_statement_t;

extern const bm_store_statement_t bm_store_read_statements [];

//  The figure of a row (the server holds each submission id's row,
//  bm_idset): 1 and its content hash (41 bytes) and when it was received
//  (ISO 8601); 0 if there is no such row; -1 if the database could not say
int
    bm_store_figure (PGconn *db, int64_t row, char *hash, char *received_at,
                     size_t received_size);

//  Every figure of a cell, by their rows (the server keeps each cell's),
//  oldest first, with the value each replaced. 0 or -1.
int
    bm_store_history (PGconn *db, bm_arena_t *arena, const int64_t *ids, size_t count,
                      Battlemap__HistoryReply *reply);

//  The wall frozen for a plan's month: the reply and when it was taken,
//  from the arena; NULL if there is none (or on error, logged)
Battlemap__WallReply *
    bm_store_snapshot (PGconn *db, bm_arena_t *arena, int plan_id, const char *period,
                       char **taken_at);

//  Events after `since`, at most `limit` of them and about `bytes` of
//  payload, in order. For each, `keep` says whether the caller wants it;
//  *through is the last sequence number read, *more whether the limit
//  stopped the read. 0 or -1.
typedef bool (bm_store_keep_fn) (void *arg, const char *topic);

int
    bm_store_events (PGconn *db, bm_arena_t *arena, uint64_t since, uint32_t limit,
                     size_t bytes, bm_store_keep_fn *keep, void *arg,
                     Battlemap__CatchupReply *reply, bool *more);

//  Alerts of a district, filtered as the request says (unit, indicator,
//  period, severity and rule: "" for all), firing only unless `resolved`;
//  or the one with `id` (not 0). Oldest first. 0 or -1.
int
    bm_store_alerts (PGconn *db, bm_arena_t *arena, int64_t id,
                     const Battlemap__AlertRequest *filter, Battlemap__AlertReply *reply);

#endif
