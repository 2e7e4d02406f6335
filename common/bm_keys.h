/*  bm_keys: CURVE key pairs on disk, for the server and its clients.

    A key pair is two files in CZMQ's certificate format: NAME.cert holds
    the public key and may be handed out; NAME.cert_secret holds the secret
    key too and is created readable by its owner only (0600). A secret key
    is never logged or printed.
*/
#ifndef BM_KEYS_H_INCLUDED
#define BM_KEYS_H_INCLUDED

#include <czmq.h>

//  Creates a key pair, saves it as DIR/NAME.cert and DIR/NAME.cert_secret
//  (DIR made 0700 if missing) and returns it. NULL and logs on failure, or
//  if the files exist already (keys are never overwritten).
zcert_t *
    bm_keys_create (const char *dir, const char *name);

//  Loads a key pair from NAME.cert_secret (NAME.cert or NAME.cert_secret
//  may be given). NULL and logs if there is no secret key, or if the secret
//  file can be read by others than its owner.
zcert_t *
    bm_keys_load_secret (const char *path);

//  A public key given as 40 characters of Z85 or as a certificate file:
//  writes the Z85 text into key (41 bytes). 0, or -1 and logs.
int
    bm_keys_public (const char *text_or_file, char *key);

#endif
