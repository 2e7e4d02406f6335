/*  bm_server_private: what the files of bm_server share.

    bm_server.c sets the server up, tears it down and runs its loop (with
    the database watch and recovery); bm_server_turns.c closes turns, sends
    them to be committed and releases their replies and events when they
    are settled; bm_server_requests.c takes a request or a subscription
    through its checks to its handler. Nothing outside these files includes
    this header.
*/
#ifndef BM_SERVER_PRIVATE_H_INCLUDED
#define BM_SERVER_PRIVATE_H_INCLUDED

#include "bm_server.h"
#include "bm_clock.h"
#include "bm_engine.h"
#include "bm_identity.h"
#include "bm_limiter.h"
#include "bm_pgcluster.h"
#include "bm_store.h"
#include "bm_subscriptions.h"
#include "bm_throttle.h"
#include "bm_turn.h"

#include <czmq.h>

#define E(name) BATTLEMAP__ERROR_CODE__##name

//  A reply held until its turn is committed
typedef struct {
    zframe_t *identity;         //  the peer's routing id
    zframe_t *correlation;      //  as it came, or empty
    zframe_t *reply;            //  the packed reply
    bool error;                 //  it is an error: it stands whether or not its
                                //  turn is committed
} bm_server_held_t;

//  Structure of our class

struct _bm_server_t {
    bm_store_t *store;          //  the database
    bm_engine_t *engine;        //  the state, in memory
    bm_clock_t *clock;          //  the server's time
    bm_keyring_t *keyring;      //  the keys enrolled
    zsock_t *router;            //  requests in, replies out
    zsock_t *pub;               //  events out (an XPUB, subscriptions by hand)
    char *pub_endpoint;         //  where it is bound, to bind it again
    zsock_t *zap;               //  the ZAP handler: who may connect

    zcert_t *cert;              //  the server's key pair
    bm_limiter_t *requests;     //  requests a key may send
    bm_limiter_t *time;         //  server time a key may take, microseconds
    int rate_limit;             //  requests a second a key
    int time_limit;             //  ms of server time a second a key
    int slow_turn_ms;           //  turns slower than this are logged
    int64_t spin_us;            //  polled without sleeping while a commit is in flight,
                                //  and this long after the sockets last had something
    int64_t active_at;          //  usecs: when they last had something
    int64_t turn_opened;        //  usecs: the turn's first request was taken
    bm_throttle_t *limited;     //  one audit row a second a key for its rate refusals
    bm_throttle_t *traces;      //  how often one key or peer may be audited and logged
    bm_subscriptions_t *subscriptions;  //  what each key subscribes, within caps
    bool verbose;
    uint64_t served;            //  requests answered since start
    bm_turn_t *turn;            //  what the turn being built writes and publishes
    zlist_t *held;              //  bm_server_held_t: its replies
    size_t turn_figures;        //  figures submitted in it
    zlist_t *flight;            //  bm_server_flight_t: turns sent, waiting for their commit
    zlistx_t *flight_turns;     //  their bm_turn_t, oldest first, for resends
    bool failing;               //  a turn failed: the state must be read again
    bool rebind;                //  a key was revoked: subscribers must reconnect
    bm_pgcluster_t *cluster;    //  the embedded cluster, or NULL
    int exit_code;              //  what bm_server_run returns
    int64_t outage;             //  since when the database is away (zclock_mono), 0: it is not
    uint64_t unavailable;       //  requests answered UNAVAILABLE in this outage
};

//  A turn closed and sent, until its commit is settled
typedef struct {
    int64_t number;             //  its turn in the commit chain; 0: it wrote
                                //  nothing; -1: it could not be sent
    bm_turn_t *turn;            //  its events and figures
    zlist_t *held;              //  its replies
    uint64_t seq;               //  the last event it holds
    size_t figures;             //  figures it took
    int64_t opened;             //  usecs: its first request was taken
    int64_t closed;             //  usecs: closed, its batch built
    int64_t sent;               //  usecs: its batch sent to the database
} bm_server_flight_t;

//  ---------------------------------------------------------------------------
//  Set-up (bm_server.c)

//  (Re)creates and binds the event socket
int
    bm_server_pub_bind (bm_server_t *self, const char *endpoint);

//  ---------------------------------------------------------------------------
//  Turns (bm_server_turns.c)

//  Whether the turn being built holds as many requests or figures as a turn
//  may take
bool
    bm_server_turn_full (bm_server_t *self);

//  Whether the turn being built has taken anything
bool
    bm_server_turn_taken (bm_server_t *self);

//  Whether the turn being built is to be closed now: when no commit is in
//  flight, or when it holds half as much as it may
bool
    bm_server_turn_due (bm_server_t *self);

//  Frees a held reply
void
    bm_server_held_destroy (bm_server_held_t **held_p);

//  Releases the turns at the head of the flight that are settled; the
//  callback of bm_store_collect, with the server as its argument
void
    bm_server_turn_settled (void *arg, int64_t number, bool committed);

//  Closes the turn being built and sends it to be committed
void
    bm_server_turn_close (bm_server_t *self);

//  When nothing waits on the database and the sockets were quiet for a
//  moment: writes the topic families that moved, in a turn of their own
//  (bm_events_flush)
void
    bm_server_turn_families (bm_server_t *self);

//  Msecs until the families may be written by bm_server_turn_families, if
//  nothing comes before; -1 if none moved, or something else must happen
//  first (a commit, the database back)
int64_t
    bm_server_turn_families_due (bm_server_t *self);

//  Closes the turn and waits until everything sent is settled
void
    bm_server_turn_drain (bm_server_t *self);

//  At the end: the requests still queued are told to come again
void
    bm_server_turn_away (bm_server_t *self);

//  ---------------------------------------------------------------------------
//  Requests (bm_server_requests.c)

//  Whether requests can be served
bool
    bm_server_available (bm_server_t *self);

//  Takes one request from the router and holds its reply in the turn
void
    bm_server_request_handle (bm_server_t *self);

//  Takes one (un)subscription from the event socket
void
    bm_server_subscription_handle (bm_server_t *self);

#endif
