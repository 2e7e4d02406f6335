/*  harness: run the real battlemapd for integration tests.

    Each server gets a fresh temporary data directory, so battlemapd starts
    its own PostgreSQL cluster there (the embedded default), binds
    tcp://127.0.0.1 on ephemeral ports and, unless asked not to, loads the
    shipped plans. Tests talk to it with the real client library and the
    real battlemap command, and read PostgreSQL directly to check what was
    stored.
*/
#ifndef HARNESS_H_INCLUDED
#define HARNESS_H_INCLUDED

#include "bm_client.h"
#include <libpq-fe.h>
#include <stdbool.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;                  //  battlemapd
    char datadir [256];         //  its data directory (and the cluster's)
    char router [128];          //  bound request endpoint
    char pub [128];             //  bound event endpoint
    char conninfo [512];        //  the embedded cluster's battlemap database
    PGconn *db;                 //  a connection for checks
    char keys [300];            //  the key folder: server.cert, admin.cert
    zcert_t *admin;             //  an administrator's key pair, enrolled at start
    char server_key [41];       //  the server's public key
} harness_t;

//  Start battlemapd. datadir NULL: a new temporary one. plans: load the
//  shipped Qingpu and Baoshan plans at start. Its reporting windows are not
//  enforced (--backfill): these tests send 2023 figures at any time. Fails
//  the test on error.
harness_t *
    harness_start (const char *datadir, bool plans);

//  The same with the server's own options instead of --backfill (e.g.
//  "--test-clock", "--clock", "2023-01-05T09:00:00+08:00"), NULL-terminated;
//  with "--db", CONNINFO the checks connect to that database
harness_t *
    harness_start_with (const char *datadir, bool plans, const char *option, ...);

//  Set the server's test clock; fails the test if refused
void
    harness_set_clock (harness_t *self, const char *time);

//  SIGTERM, wait for a clean exit (asserted), free. Keeps the data
//  directory when keep is true (to restart on it), else removes it.
void
    harness_stop (harness_t **self_p, bool keep);

//  SIGKILL, reap, free; the data directory is kept (to start again on it;
//  the embedded cluster shuts down by itself when its parent dies)
void
    harness_crash (harness_t **self_p);

//  A client connected to the server as its administrator
bm_client_t *
    harness_client (harness_t *self);

//  A client connected as the given key pair
bm_client_t *
    harness_client_as (harness_t *self, zcert_t *cert);

//  A new key pair, enrolled by the administrator with a role, a district
//  ("" for an administrator) and NULL-terminated unit names; the caller
//  destroys it
zcert_t *
    harness_enroll (harness_t *self, const char *name, const char *role,
                    const char *district, const char *unit, ...);

//  The administrator revokes the key (asserted)
void
    harness_revoke (harness_t *self, zcert_t *cert, const char *reason);

//  Loads the log with the events of `count` made-up figures, numbered from
//  `first`, 100 a request (industrial output of eight towns over the year)
void
    harness_fill (harness_t *self, int first, int count);

//  A subscription as the given key pair (the administrator's if NULL)
bm_watch_t *
    harness_watch (harness_t *self, const char *prefix, zcert_t *cert);

//  First column of the first row of a query, as a newly allocated string
//  ("" for no row, "NULL" for SQL NULL). Parameters are text.
char *
    harness_scalar (harness_t *self, const char *sql, int count, const char *const *params);

//  Integer shortcut of harness_scalar
long
    harness_count (harness_t *self, const char *sql, int count, const char *const *params);

//  Run a program (argv [0], NULL-terminated), capture its stdout and stderr
//  together in *output (caller frees; NULL: discarded) and return its exit
//  status; one still running after limit msecs is killed, said, and -1
int
    harness_run (const char *const argv [], int limit, char **output);

//  Run the battlemap command against this server with the given arguments
//  (NULL-terminated), capture its stdout and stderr together in *output
//  (caller frees) and return its exit status.
int
    harness_cli (harness_t *self, char **output, const char *arg, ...);

//  Path below the source tree ($BM_SOURCE_DIR)
char *
    harness_source_path (const char *relative);

//  A figure with the common fields set; strings are not copied
void
    harness_figure (Battlemap__Figure *figure, char *id, const char *unit,
                    const char *indicator, const char *measure, const char *period,
                    Battlemap__FigureKind kind, const char *value);

//  A DEALER socket connected to the server as its administrator, for
//  requests sent by hand (several in the server at once); the caller
//  destroys it
zsock_t *
    harness_dealer (harness_t *self);

//  Sends a SubmitRequest of the figures on a harness_dealer socket, without
//  waiting for its reply (asserted sent)
void
    harness_send_submit (zsock_t *dealer, Battlemap__Figure **figures, size_t count,
                         uint64_t correlation);

//  Remove a directory tree
void
    harness_remove_tree (const char *path);

#endif
