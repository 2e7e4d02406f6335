/*  bm_client_private: what the files of the client library share, and no
    program outside it uses.
*/
#ifndef BM_CLIENT_PRIVATE_H_INCLUDED
#define BM_CLIENT_PRIVATE_H_INCLUDED

#include "bm_client.h"
#include <czmq.h>

//  Makes a socket a CURVE client of the server
void
    bm_client_secure (zsock_t *socket, zcert_t *cert, const char *server_key);

//  The answer to a request the server's socket would drop without a word
//  (it closes the connection): TOO_LARGE, made here
Battlemap__Envelope *
    bm_client_too_large (size_t size);

#endif
