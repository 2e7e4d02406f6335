/*  bm_server: battlemapd's sockets and its loop.

    One ROUTER takes requests ([identity][correlation][envelope]) and one
    XPUB sends events ([topic][envelope]). Both are CURVE servers; the ZAP
    handler (bm_zap) admits only enrolled keys, every request is checked
    against its key's role and scope (bm_identity), and subscriptions are
    applied by hand (XPUB_MANUAL) only within the key's scope.

    The loop works in turns. A turn takes the requests waiting (up to a
    bound), dispatches each through the request table (bm_requests) against
    the engine's state in memory, and queues every change in the turn's
    batch. At the end of the turn the batch is committed in one transaction,
    then every reply of the turn is sent, then its events are published:
    no reply precedes the commit of what it reports, and sequence numbers
    follow commit order. A request that reads the record itself, or writes
    it in a transaction of its own, first ends the turn so far. If a commit
    fails, every request of the turn is answered with an error, nothing is
    published, and the engine is built again from the database.

    While the database is away (its connection lost, the state not read
    again yet), every request is answered UNAVAILABLE with retry_after_ms at
    once, without waiting for the database: keys are checked against what
    the server holds in memory, so no key is refused for it. The server
    notices a lost connection within a second even when idle, reconnects on
    a timer of its own (every BM_SERVER_RECOVER_MS), and restarts an
    embedded cluster whose postmaster died (bm_pgcluster_keep), or exits 1
    when it cannot. On SIGTERM the turn in progress is finished and every
    request still queued is answered UNAVAILABLE.
*/
#ifndef BM_SERVER_H_INCLUDED
#define BM_SERVER_H_INCLUDED

#include <stdbool.h>

#define BM_TURN_REQUESTS    256     //  requests in one turn at most
#define BM_TURN_FIGURES     200     //  figures in one turn, about: a turn is
                                    //  built while the one before commits, and
                                    //  replies wait while it is built

#define BM_SERVER_RECOVER_MS    250     //  how often recovery is tried while the
                                        //  database is away
#define BM_SERVER_RETRY_MS      1000    //  retry_after_ms of an UNAVAILABLE answer
#define BM_SERVER_SLOW_TURN_MS  1000    //  a turn slower than this is logged
#define BM_SERVER_SPIN_US       300     //  how long the loop polls without sleeping
                                        //  for a commit's answer or a request

typedef struct {
    const char *router_endpoint;    //  e.g. "tcp://127.0.0.1:7301" or "tcp://127.0.0.1:*"
    const char *pub_endpoint;       //  e.g. "tcp://127.0.0.1:7302"
    const char *conninfo;           //  libpq connection string
    const char *endpoints_file;     //  if set, the bound endpoints are written here
    const char **plan_dirs;         //  NULL-terminated; loaded at start
    const char *clock_start;        //  ISO 8601 time the clock starts at, NULL: now
    bool test_clock;                //  the clock is frozen and clients may set it
    bool backfill;                  //  reporting windows are not enforced
    const char *keys_dir;           //  the server's key pair: server.cert(_secret),
                                    //  created there on the first start
    const char **admins;            //  NULL-terminated certificate files (or Z85 keys)
                                    //  enrolled as administrators at start
    int rate_limit;                 //  requests a key may send a second (0: the default)
    int time_limit;                 //  ms of server time a key may take a second (0: default)
    int slow_turn_ms;               //  a turn answered this long after its first request
                                    //  arrived is logged, with where the time went
                                    //  (0: BM_SERVER_SLOW_TURN_MS)
    int spin_us;                    //  while a commit is in flight, and after the
                                    //  sockets last had something, the loop polls
                                    //  without sleeping for this long, yielding the CPU
                                    //  to any thread ready to run (0: BM_SERVER_SPIN_US;
                                    //  negative: never)
    struct _bm_pgcluster_t *cluster;    //  the embedded cluster, kept running; NULL
                                        //  for a database of its own
    bool verbose;
} bm_server_config_t;

typedef struct _bm_server_t bm_server_t;

//  Connect to the database, apply migrations, load plans, build the state,
//  bind sockets. Returns NULL and logs why on failure.
bm_server_t *
    bm_server_new (const bm_server_config_t *config);

void
    bm_server_destroy (bm_server_t **self_p);

//  Serve until interrupted (SIGINT/SIGTERM). Returns 0, or 1 when the
//  embedded cluster could not be kept running (a supervisor should start
//  battlemapd again).
int
    bm_server_run (bm_server_t *self);

#endif
