/*  bm_keys: CURVE key pairs on disk, for the server and its clients. */

#include "bm_keys.h"
#include "bm_i18n.h"

#include <sys/stat.h>

zcert_t *
bm_keys_create (const char *dir, const char *name)
{
    char *path = zsys_sprintf ("%s/%s.cert", dir, name);
    char *secret = zsys_sprintf ("%s_secret", path);
    zcert_t *cert = NULL;
    if (zsys_file_exists (path) || zsys_file_exists (secret))
        zsys_error ("%s exists already: keys are never overwritten", path);
    else
    if (zsys_dir_create ("%s", dir) != 0)
        zsys_error ("cannot create %s", dir);
    else {
        //  The secret file must never exist, even for an instant, with
        //  permissions wider than the owner's
        mode_t saved = umask (077);
        cert = zcert_new ();
        zcert_set_meta (cert, "name", "%s", name);
        int rc = cert? zcert_save (cert, path): -1;
        umask (saved);
        if (rc == 0)
            rc = chmod (path, 0644) | chmod (secret, 0600);
        if (rc) {
            zsys_error ("cannot write the key pair %s", path);
            zcert_destroy (&cert);
        }
    }
    free (path);
    free (secret);
    return cert;
}

zcert_t *
bm_keys_load_secret (const char *path)
{
    size_t length = strlen (path);
    char *secret = length > 7 && streq (path + length - 7, "_secret")
                 ? strdup (path): zsys_sprintf ("%s_secret", path);
    char *base = strndup (secret, strlen (secret) - 7);
    zcert_t *cert = NULL;
    struct stat info;
    if (stat (secret, &info) != 0)
        zsys_error ("no secret key at %s (make one with `battlemap keygen`)", secret);
    else
    if (info.st_mode & 077)
        zsys_error ("%s can be read by others: chmod 600 it, and treat the key as leaked",
                    secret);
    else {
        cert = zcert_load (base);
        if (cert && streq (zcert_secret_txt (cert),
                           "0000000000000000000000000000000000000000")) {
            zsys_error ("%s holds no secret key", secret);
            zcert_destroy (&cert);
        }
    }
    free (secret);
    free (base);
    return cert;
}

int
bm_keys_public (const char *text_or_file, char *key)
{
    if (strlen (text_or_file) == 40 && !zsys_file_exists (text_or_file)) {
        byte decoded [32];
        if (zmq_z85_decode (decoded, text_or_file)) {
            snprintf (key, 41, "%s", text_or_file);
            return 0;
        }
    }
    zcert_t *cert = zcert_load (text_or_file);
    if (!cert) {
        zsys_error ("%s is neither a public key nor a certificate file", text_or_file);
        return -1;
    }
    snprintf (key, 41, "%s", zcert_public_txt (cert));
    zcert_destroy (&cert);
    return 0;
}
