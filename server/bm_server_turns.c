/*  bm_server_turns: a turn closed, sent to be committed, and settled.

    The replies of a turn are held until its commit is settled, then sent;
    then its events are published. Part of bm_server (bm_server_private.h).
*/

#include "bm_server_private.h"
#include "bm_loader.h"
#include "bm_wire.h"
#include "bm_i18n.h"

#define S_TURNS_IN_FLIGHT 2     //  turns the database commits while the next is built

//  ---------------------------------------------------------------------------
//  Turns

//  Frees a held reply
void
bm_server_held_destroy (bm_server_held_t **held_p)
{
    bm_server_held_t *held = *held_p;
    if (held) {
        zframe_destroy (&held->identity);
        zframe_destroy (&held->correlation);
        zframe_destroy (&held->reply);
        free (held);
        *held_p = NULL;
    }
}

//  A packed error, for a reply that cannot stand
static zframe_t *
s_error_frame (Battlemap__ErrorCode code, const char *message)
{
    Battlemap__Error error = BATTLEMAP__ERROR__INIT;
    error.code = code;
    error.message = (char *) message;
    if (code == E (UNAVAILABLE))
        error.retry_after_ms = BM_SERVER_RETRY_MS;
    Battlemap__Envelope reply = BATTLEMAP__ENVELOPE__INIT;
    reply.version = BM_PROTOCOL_VERSION;
    reply.body_case = BATTLEMAP__ENVELOPE__BODY_ERROR;
    reply.error = &error;
    return bm_wire_pack (&reply);
}

//  A turn answered long after its first request arrived is logged, with
//  where the time went, as Redis's slow log does: building the answers in
//  memory (with the time the turn stayed open for the commit before it),
//  writing the batch, the database (the turns before it, then its own
//  commit), sending the replies
static void
s_log_slow (bm_server_t *self, const bm_server_flight_t *flight, int64_t settled)
{
    int64_t replied = zclock_usecs ();
    if (!flight->figures || replied - flight->opened < 1000 * (int64_t) self->slow_turn_ms)
        return;
    zsys_warning ("slow turn: %zu figures answered %.1f ms after the first request was taken:"
                  " engine %.1f ms, batch %.1f ms, database %.1f ms, replies %.1f ms",
                  flight->figures, (replied - flight->opened) / 1000.0,
                  (flight->closed - flight->opened) / 1000.0,
                  (flight->sent - flight->closed) / 1000.0, (settled - flight->sent) / 1000.0,
                  (replied - settled) / 1000.0);
}

//  Sends a settled turn's replies, then publishes its events; a turn that
//  was not committed is answered with an error and announces nothing
static void
s_release (bm_server_t *self, bm_server_flight_t *flight, bool committed)
{
    if (committed)
        bm_events_committed_to (bm_engine_events (self->engine), flight->seq);
    else
    if (zlist_size (flight->held))
        zsys_error ("a turn of %zu requests could not be stored; answering them with an"
                    " error", zlist_size (flight->held));
    //  A refusal stands (it stored nothing); an answer that reports what
    //  was not committed does not
    bool away = !bm_store_ok (self->store);
    int64_t settled = zclock_usecs ();
    bm_server_held_t *held;
    while ((held = (bm_server_held_t *) zlist_pop (flight->held))) {
        if (!committed && !held->error) {
            zframe_destroy (&held->reply);
            held->reply = away
                ? s_error_frame (E (UNAVAILABLE), _("the database went away before this was"
                                 " committed: it may not be stored; send it again (a figure"
                                 " is stored once however often it is sent)"))
                : s_error_frame (E (INTERNAL), _("the database did not commit this; send it"
                                 " again"));
        }
        zmsg_t *answer = zmsg_new ();
        zmsg_append (answer, &held->identity);
        zmsg_append (answer, &held->correlation);
        zmsg_append (answer, &held->reply);
        if (zmsg_send (&answer, self->router))
            zsys_warning ("reply to a departed client dropped");
        zmsg_destroy (&answer);
        bm_server_held_destroy (&held);
    }
    s_log_slow (self, flight, settled);
    //  Events go out only now: stored, committed, answered
    for (size_t index = 0; committed && index < flight->turn->event_count; index++) {
        zmsg_t *event = bm_turn_message (flight->turn, index);
        zmsg_send (&event, self->pub);
    }
    zlist_destroy (&flight->held);
    zlistx_delete (self->flight_turns, zlistx_find (self->flight_turns, flight->turn));
    bm_turn_destroy (&flight->turn);
    free (flight);
}

//  Releases, in order, the turns at the head of the flight that are settled:
//  those that wrote nothing once all before them are, and the one the
//  database answered for. A failed turn fails every one after it.
void
bm_server_turn_settled (void *arg, int64_t number, bool committed)
{
    bm_server_t *self = (bm_server_t *) arg;
    bm_server_flight_t *flight;
    while ((flight = (bm_server_flight_t *) zlist_first (self->flight))) {
        if (flight->number > 0 && flight->number != number)
            break;
        zlist_pop (self->flight);
        bool ok = !self->failing && (flight->number <= 0? flight->number == 0: committed);
        self->failing |= !ok;
        bool answered = flight->number == number;
        s_release (self, flight, ok);
        if (answered)
            number = 0;         //  only turns that wrote nothing after it
    }
}

//  Whether the turn being built holds a share (1/divisor) of the requests or
//  of the figures a turn may take
static bool
s_holds (bm_server_t *self, size_t divisor)
{
    return zlist_size (self->held) >= BM_TURN_REQUESTS / divisor
        || self->turn_figures >= BM_TURN_FIGURES / divisor;
}

bool
bm_server_turn_full (bm_server_t *self)
{
    return s_holds (self, 1);
}

bool
bm_server_turn_taken (bm_server_t *self)
{
    return self->turn_opened || zlist_size (self->held) || !bm_batch_empty (self->turn->batch);
}

//  While a commit is in flight, a small turn stays open and takes what
//  arrives until that commit is settled, then goes with all of it in one
//  commit. Sent at once instead, each small turn would be committed on its
//  own after the one before it on the one connection, a disk flush each: at
//  1,000 requests of one figure a second, nearly one commit a request. One
//  connection with 8 requests of one figure in flight, benchmark phases of
//  10 s on one machine: 3,466 and 3,584 figures/s sent at once, 4,036 and
//  4,471 held open. A turn of half the bound or more goes at once, to be
//  committed after those in flight: its statements, not the flush, are most
//  of its commit, and the database works on it while the engine builds the
//  next.
bool
bm_server_turn_due (bm_server_t *self)
{
    return !bm_store_in_flight (self->store) || s_holds (self, 2);
}

//  Closes the turn being built: sends what it wrote to be committed (after
//  those in flight, which it waits for beyond S_TURNS_IN_FLIGHT) and keeps
//  its replies until the commit is settled; one that wrote nothing is
//  answered as soon as every turn before it is
void
bm_server_turn_close (bm_server_t *self)
{
    bm_events_flush (bm_engine_events (self->engine), self->turn, BM_EVENTS_FLUSH_BUSY);
    bm_server_flight_t *flight = (bm_server_flight_t *) zmalloc (sizeof (bm_server_flight_t));
    flight->turn = self->turn;
    flight->held = self->held;
    flight->seq = bm_events_last (bm_engine_events (self->engine));
    flight->figures = self->turn_figures;
    flight->closed = zclock_usecs ();
    flight->opened = self->turn_opened? self->turn_opened: flight->closed;
    self->turn_opened = 0;
    self->turn = bm_turn_new ();
    self->held = zlist_new ();
    self->turn_figures = 0;
    if (!bm_batch_empty (flight->turn->batch)) {
        while (bm_store_in_flight (self->store) >= S_TURNS_IN_FLIGHT)
            bm_store_collect (self->store, true, bm_server_turn_settled, self);
        flight->number = bm_store_send (self->store, flight->turn->batch);
    }
    flight->sent = zclock_usecs ();
    zlist_append (self->flight, flight);
    zlistx_add_end (self->flight_turns, flight->turn);
    //  Settled at once if nothing before it waits
    bm_server_turn_settled (self, 0, false);
    //  A revoked subscriber must not stay connected: every subscriber is
    //  dropped and has to reconnect, through the ZAP handler again (the
    //  others resubscribe by themselves and catch up on what they missed)
    if (self->rebind && bm_server_pub_bind (self, self->pub_endpoint))
        zsys_error ("could not bind the event socket again at %s", self->pub_endpoint);
    self->rebind = false;
}

//  The families are written this long after the sockets last had
//  something: not as soon as a turn is answered, when its replies are still
//  on their way to their clients and would wait for a CPU while the server
//  and PostgreSQL write the families (about 3 ms for a second of figures).
//  Ten requests of 100 figures a second, 20 s: the two slowest of 200 came
//  2.3 ms late to their client, and each was the one answered just before
//  the families were written. When no such quiet comes (a request every
//  millisecond), they are written in the first idle moment after
//  S_FAMILIES_PATIENCE more.
#define S_FAMILIES_QUIET_US     2000
#define S_FAMILIES_PATIENCE     1000

//  Something else has to happen before the families can be written
static bool
s_families_wait (bm_server_t *self)
{
    return bm_store_in_flight (self->store) || self->failing || zlist_size (self->held)
        || !bm_batch_empty (self->turn->batch) || !bm_server_available (self);
}

int64_t
bm_server_turn_families_due (bm_server_t *self)
{
    int64_t age = bm_events_unflushed (bm_engine_events (self->engine));
    if (age < 0 || s_families_wait (self))
        return -1;
    if (age >= BM_EVENTS_FLUSH_IDLE + S_FAMILIES_PATIENCE)
        return 0;               //  waited long enough for a quiet moment
    int64_t aged = BM_EVENTS_FLUSH_IDLE - age;
    int64_t quiet = (self->active_at + S_FAMILIES_QUIET_US - zclock_usecs () + 999) / 1000;
    int64_t due = aged > quiet? aged: quiet;
    return due > 0? due: 0;
}

void
bm_server_turn_families (bm_server_t *self)
{
    if (bm_server_turn_families_due (self) != 0)
        return;
    bm_events_flush (bm_engine_events (self->engine), self->turn, BM_EVENTS_FLUSH_IDLE);
    if (!bm_batch_empty (self->turn->batch))
        bm_server_turn_close (self);
}

//  Closes the turn and waits until everything sent is settled; then, if a
//  turn failed, reads the state again from the record
void
bm_server_turn_drain (bm_server_t *self)
{
    bm_server_turn_close (self);
    while (bm_store_in_flight (self->store))
        bm_store_collect (self->store, true, bm_server_turn_settled, self);
    if (!self->failing)
        return;
    zsys_warning ("reading the state again from the database");
    if (bm_store_ok (self->store) && bm_store_resume (self->store) == 0
    &&  bm_loader_load (self->engine, bm_store_db (self->store)) == 0)
        self->failing = false;
}

#define S_QUIET_MS      100
#define S_TURN_AWAY_MS  2000

//  At the end: the requests still queued are told to come again
void
bm_server_turn_away (bm_server_t *self)
{
    size_t count = 0;
    //  What the sockets hold, and what still arrives until they are quiet
    //  for S_QUIET_MS (at most S_TURN_AWAY_MS in all)
    zmq_pollitem_t item = { zsock_resolve (self->router), 0, ZMQ_POLLIN, 0 };
    int64_t deadline = zclock_mono () + S_TURN_AWAY_MS;
    while (zclock_mono () < deadline && zmq_poll (&item, 1, S_QUIET_MS) == 1
       &&  (item.revents & ZMQ_POLLIN)) {
        zmsg_t *message = zmsg_recv (self->router);
        if (!message)
            break;
        zframe_t *identity = zmsg_pop (message);
        zframe_t *correlation = zmsg_pop (message);
        zmsg_destroy (&message);
        if (!identity || !correlation) {
            zframe_destroy (&identity);
            zframe_destroy (&correlation);
            continue;
        }
        Battlemap__Error error = BATTLEMAP__ERROR__INIT;
        error.code = E (UNAVAILABLE);
        error.message = _("the server is stopping; nothing was stored. Send the request"
                          " again in a moment");
        error.retry_after_ms = BM_SERVER_RETRY_MS;
        Battlemap__Envelope reply = BATTLEMAP__ENVELOPE__INIT;
        reply.version = BM_PROTOCOL_VERSION;
        reply.body_case = BATTLEMAP__ENVELOPE__BODY_ERROR;
        reply.error = &error;
        zmsg_t *answer = zmsg_new ();
        zmsg_append (answer, &identity);
        zmsg_append (answer, &correlation);
        zframe_t *packed = bm_wire_pack (&reply);
        zmsg_append (answer, &packed);
        zmsg_send (&answer, self->router);
        zmsg_destroy (&answer);
        count++;
    }
    if (count)
        zsys_info ("stopping: %zu queued requests answered UNAVAILABLE", count);
}
