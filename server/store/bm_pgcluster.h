/*  bm_pgcluster: a private PostgreSQL cluster run as a child of battlemapd.

    When no connection string is configured, battlemapd keeps its database in
    a directory of its own. bm_pgcluster_new creates the cluster there on the
    first start (initdb), starts the postmaster as a child process, waits
    until it accepts connections and creates the `battlemap` database.

    Layout of `datadir` (if missing, created with mode 0700 and owned by the
    server's user, see below):

        datadir/pgdata/          the cluster (PGDATA); made by initdb in
                                 pgdata.initdb/ and renamed when complete, so
                                 an interrupted initdb never looks like a
                                 cluster
        datadir/run/             the Unix socket (mode 0700: with trust
                                 authentication, reaching the socket is being
                                 superuser, so only the server user may)
        datadir/postgresql.log   everything initdb and postgres print; moved
                                 to postgresql.log.old when past 16 MB

    A Unix socket path must fit in 108 bytes. When datadir/run is longer than
    BM_PGCLUSTER_SOCKDIR_MAX, the socket goes to a fresh private directory
    /tmp/battlemap-pg-XXXXXX instead, removed again by destroy.

    The server listens on that socket only (no TCP), port 5432 (the port
    only names the socket file). The binaries are taken from $BM_PG_BINDIR if
    set, else from /usr/lib/postgresql/<version>/bin (the version that made
    an existing cluster, otherwise the highest installed), else from PATH.

    PostgreSQL refuses to run as root: when battlemapd runs as root, initdb
    and postgres run as the `postgres` system user (which must exist), and
    the directories above are handed to it; it must be able to enter every
    parent directory of datadir. Otherwise they run as battlemapd's user.
    A new cluster gets UTF8, locale C, data checksums, trust authentication
    (safe: see run/) and superuser `postgres`; modest memory settings are
    appended to its postgresql.conf, where they may be changed.

    The postmaster runs in a session of its own (a Ctrl-C on the terminal
    reaches battlemapd only, which shuts the cluster down in order) and, on
    Linux, receives SIGINT (fast shutdown) if the thread that started it
    dies, so a crashed battlemapd leaves no orphan behind. Create the cluster
    from a thread that lives as long as the cluster: the main thread.
*/
#ifndef BM_PGCLUSTER_H_INCLUDED
#define BM_PGCLUSTER_H_INCLUDED

#include <sys/types.h>

#define BM_PGCLUSTER_PORT           5432
#define BM_PGCLUSTER_SOCKDIR_MAX    85      //  bytes, leaves room for "/.s.PGSQL.5432"
#define BM_PGCLUSTER_START_TIMEOUT  60      //  seconds; crash recovery may replay WAL
#define BM_PGCLUSTER_STOP_TIMEOUT   30      //  seconds of fast shutdown before SIGQUIT
#define BM_PGCLUSTER_INITDB_TIMEOUT 120     //  seconds
#define BM_PGCLUSTER_RESTARTS       10      //  failed starts in a row before giving up

typedef struct _bm_pgcluster_t bm_pgcluster_t;

//  Start (creating it first if needed) the PostgreSQL cluster in datadir as
//  a child process, and create the battlemap database if it is missing.
//  Returns NULL and logs why on failure (nothing is left running).
bm_pgcluster_t *
    bm_pgcluster_new (const char *datadir);

//  Fast shutdown (SIGINT to the postmaster), wait for it to exit (SIGQUIT,
//  then SIGKILL, if it will not), free. Safe to call twice.
void
    bm_pgcluster_destroy (bm_pgcluster_t **self_p);

//  Keeps the cluster running; call it every second or so. When the
//  postmaster has died (killed, crashed), it is started again, without
//  waiting for it: the calls that follow see it come up. Returns 0 while it
//  runs and accepts connections, 1 while it is being started again, -1 once
//  BM_PGCLUSTER_RESTARTS starts in a row have failed (then give up: exit,
//  so that a supervisor starts battlemapd and its cluster afresh).
int
    bm_pgcluster_keep (bm_pgcluster_t *self);

//  libpq connection string for the battlemap database, e.g.
//  "host=/var/lib/battlemap/run port=5432 dbname=battlemap user=postgres"
const char *
    bm_pgcluster_conninfo (bm_pgcluster_t *self);

//  The postmaster's process id.
pid_t
    bm_pgcluster_pid (bm_pgcluster_t *self);

//  The cluster directory (PGDATA), absolute.
const char *
    bm_pgcluster_pgdata (bm_pgcluster_t *self);

//  The server's log file, absolute.
const char *
    bm_pgcluster_logfile (bm_pgcluster_t *self);

#endif
