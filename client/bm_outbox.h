/*  bm_outbox: the figures a unit has sent and the server has not yet
    answered, kept in an SQLite file on the sender's disk.

    Every figure is written here, in one transaction with the others of its
    run, before it is sent, and removed only when its receipt arrives (any
    outcome: stored, updated, unchanged, refused). A request that got no
    answer, a server that could not serve it, or a sender killed on the way
    leaves its figures here; sending them again later is safe because each
    keeps its client-chosen id, and the server answers 'unchanged' for an id
    it has already stored with the same content.

    A row keeps the packed Battlemap__Figure, exactly the bytes to send
    again, and readable columns beside it (district, unit, indicator,
    measure, period, kind, value, status, the CSV file and line, when it was
    queued, how many times it was sent), so that `sqlite3 FILE` shows what
    waits. Rows are kept apart by our public key and the server's endpoint:
    an outbox only ever sends a row to the server it was meant for, as the
    key it was meant to be signed with.

    The file is in WAL mode with a busy timeout, so that two processes may
    queue and list at once. Sending is serialised by an exclusive flock on
    FILE.lock (not on FILE itself: closing any descriptor of the database
    would drop SQLite's own POSIX locks): the holder sends, another sender
    waits for it or is told it is busy. The kernel drops the lock of a
    killed process, so a kill -9 never leaves the outbox locked.
*/
#ifndef BM_OUTBOX_H_INCLUDED
#define BM_OUTBOX_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_client.h"
#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  One figure waiting in the outbox
typedef struct {
    int64_t seq;                //  order of queueing, over the whole file
    char id [BM_CLIENT_ID_SIZE];    //  client-chosen submission id
    Battlemap__Figure *figure;  //  unpacked from the stored bytes
    char *csv;                  //  the CSV file it came from, NULL if none
    int line;                   //  its line there, 0 if none
    char queued [32];           //  when it was queued, ISO 8601 in +08:00
    int attempts;               //  requests that carried it so far
    char *public_key;           //  the key it is sent as (Z85)
    char *server;               //  the endpoint it is sent to
} bm_outbox_entry_t;

typedef struct _bm_outbox_t bm_outbox_t;

//  The outbox file to use when none is given: $BATTLEMAP_OUTBOX, else
//  ${XDG_STATE_HOME:-$HOME/.local/state}/battlemap/outbox.sqlite. NULL when
//  neither the variable nor HOME is set. The caller frees it.
char *
    bm_outbox_default_path (void);

//  Open (creating it and its missing folders, mode 0700) the outbox at
//  `path` for the figures sent as `public_key` to `server`. NULL on failure,
//  with *error set to a message naming the file and the fix, to free.
bm_outbox_t *
    bm_outbox_new (const char *path, const char *public_key, const char *server,
                   char **error);

//  Close the outbox (and release its lock); safe to call twice
void
    bm_outbox_destroy (bm_outbox_t **self_p);

//  The file's path
const char *
    bm_outbox_path (bm_outbox_t *self);

//  Why the last call failed
const char *
    bm_outbox_error (bm_outbox_t *self);

//  Take the exclusive sending lock. wait: block until the holder lets go.
//  Returns 0 when held, 1 when another process holds it (only if !wait),
//  -1 on error.
int
    bm_outbox_lock (bm_outbox_t *self, bool wait);

//  Queue figures in one transaction: all of them or none. csv and lines
//  (may be NULL) say where they came from. An id already waiting with the
//  same content is not queued twice; with other content it is an error and
//  nothing is queued. Sets *first to the seq of the first queued figure
//  (later ones follow). Returns 0, or -1 with the error set.
int
    bm_outbox_add (bm_outbox_t *self, Battlemap__Figure **figures, size_t count,
                   const char *csv, const int *lines, int64_t *first);

//  Figures waiting for our key and server, of seq below `before` (0: all);
//  -1 on error
long
    bm_outbox_count (bm_outbox_t *self, int64_t before);

//  Figures waiting for every key and server; -1 on error
long
    bm_outbox_count_all (bm_outbox_t *self);

//  Waiting figures of our key and server with from <= seq <= to (to 0: no
//  bound), in order, at most `limit` (0: no limit); all: of every key and
//  server. Returns a list of bm_outbox_entry_t that frees its entries, or
//  NULL on error.
zlistx_t *
    bm_outbox_list (bm_outbox_t *self, int64_t from, int64_t to, size_t limit, bool all);

//  Count one more attempt for each of `count` entries, in one transaction
int
    bm_outbox_attempted (bm_outbox_t *self, bm_outbox_entry_t **entries, size_t count);

//  Remove the figures of our key and server with these ids, in one
//  transaction. Ids not waiting are ignored. Returns 0 or -1.
int
    bm_outbox_remove (bm_outbox_t *self, const char **ids, size_t count);

void
    bm_outbox_entry_destroy (bm_outbox_entry_t **self_p);

#endif
