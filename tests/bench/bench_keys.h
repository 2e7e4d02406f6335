/*  bench_keys: a pool of CURVE key pairs, one per benchmark connection.

    The server limits each key's request rate, so every connection of the
    benchmark speaks with its own key. Key pairs are made in memory and
    enrolled on first use by the administrator (role admin: an
    administrator may submit for any unit and follow any topic).
*/
#ifndef BENCH_KEYS_H_INCLUDED
#define BENCH_KEYS_H_INCLUDED

#include "bench.h"

//  admin: the administrator's client, not taken over
bench_keys_t *
    bench_keys_new (bm_client_t *admin);

void
    bench_keys_destroy (bench_keys_t **self_p);

//  The key pair at index, enrolled now if it is new; NULL (and a message
//  on stderr) if the server refused to enrol it. Not for threads: fetch
//  the keys before starting them.
zcert_t *
    bench_keys_get (bench_keys_t *self, size_t index);

//  How many keys were enrolled
size_t
    bench_keys_size (bench_keys_t *self);

#endif
