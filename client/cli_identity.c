/*  battlemap keygen, enroll, revoke, identities: who may speak. */

#include "cli.h"
#include "bm_keys.h"
#include "bm_i18n.h"

#include <czmq.h>
#include <getopt.h>
#include <string.h>

int
cli_keygen (cli_context_t *context, int argc, char *argv [])
{
    const char *usage =
        _("usage: battlemap keygen NAME [--dir DIR]\n"
        "\n"
        "Make a CURVE key pair: DIR/NAME.cert (the public key: send it to the bureau)\n"
        "and DIR/NAME.cert_secret (the secret key, readable by you only: never send it).\n"
        "DIR defaults to the current folder. Existing files are never overwritten.\n");
    const char *dir = ".";
    const char *name = NULL;
    for (int index = 1; index < argc; index++) {
        if (streq (argv [index], "--help") || streq (argv [index], "-h")) {
            fputs (usage, stdout);
            return CLI_OK;
        }
        if (streq (argv [index], "--dir") && index + 1 < argc)
            dir = argv [++index];
        else
        if (!name && argv [index][0] != '-')
            name = argv [index];
        else {
            fputs (usage, stderr);
            return CLI_USAGE;
        }
    }
    if (!name || strchr (name, '/')) {
        fputs (usage, stderr);
        return CLI_USAGE;
    }
    zcert_t *cert = bm_keys_create (dir, name);
    if (!cert)
        return CLI_USAGE;
    printf (_("%s/%s.cert\npublic key %s\n"), dir, name, zcert_public_txt (cert));
    zcert_destroy (&cert);
    return CLI_OK;
}

static void
s_print_identity (const Battlemap__Identity *identity)
{
    printf ("%s  %-10s %s", identity->public_key, identity->role, identity->name);
    if (*identity->district)
        printf ("  %s", identity->district);
    for (size_t index = 0; index < identity->n_units; index++)
        printf ("%s%s", index? ", ": " ", identity->units [index]);
    if (*identity->revoked_at)
        printf (_("  REVOKED %s by %s: %s"), identity->revoked_at, identity->revoked_by,
                identity->revoke_reason);
    printf ("\n");
}

static int
s_send (cli_context_t *context, const char *command, Battlemap__IdentityRequest *identity)
{
    bm_client_t *client = cli_connect (context);
    if (!client)
        return CLI_USAGE;
    Battlemap__Envelope request = BATTLEMAP__ENVELOPE__INIT;
    request.body_case = BATTLEMAP__ENVELOPE__BODY_IDENTITY;
    request.identity = identity;
    Battlemap__Envelope *reply = bm_client_request (client, &request);
    bm_client_destroy (&client);
    int rc = cli_check_reply (command, reply, BATTLEMAP__ENVELOPE__BODY_IDENTITY_REPLY);
    if (rc < 0) {
        for (size_t index = 0; index < reply->identity_reply->n_identities; index++)
            s_print_identity (reply->identity_reply->identities [index]);
        rc = CLI_OK;
    }
    bm_wire_free (&reply);
    return rc;
}

int
cli_enroll (cli_context_t *context, int argc, char *argv [])
{
    const char *usage =
        _("usage: battlemap enroll --public-key CERT|KEY --name NAME --role ROLE\n"
        "                        [--district D] [--unit U]...\n"
        "\n"
        "Register a public key (its .cert file, or 40 characters of Z85) with a role:\n"
        "  submitter   reports for the --unit(s) of --district\n"
        "  subscriber  receives and reads --district, or only its --unit(s)\n"
        "  admin       the bureau: everything\n"
        "Enrolling a known key again replaces its role and scope (and lifts a\n"
        "revocation). Administrators only; every act is audited.\n");
    Battlemap__IdentityRequest identity = BATTLEMAP__IDENTITY_REQUEST__INIT;
    identity.action = BATTLEMAP__IDENTITY_ACTION__ENROLL;
    char *units [256];
    char key [41] = "";
    static const struct option options [] = {
        { "public-key", required_argument, NULL, 'p' },
        { "name", required_argument, NULL, 'n' },
        { "role", required_argument, NULL, 'r' },
        { "district", required_argument, NULL, 'D' },
        { "unit", required_argument, NULL, 'u' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'p':
                if (bm_keys_public (optarg, key))
                    return CLI_USAGE;
                break;
            case 'n': identity.name = optarg; break;
            case 'r': identity.role = optarg; break;
            case 'D': identity.district = optarg; break;
            case 'u':
                if (identity.n_units == 256)
                    return CLI_USAGE;
                units [identity.n_units++] = optarg;
                break;
            case 'h': fputs (usage, stdout); return CLI_OK;
            default:  fputs (usage, stderr); return CLI_USAGE;
        }
    }
    if (!*key || optind < argc) {
        fputs (usage, stderr);
        return CLI_USAGE;
    }
    identity.public_key = key;
    identity.units = units;
    return s_send (context, "enroll", &identity);
}

int
cli_revoke (cli_context_t *context, int argc, char *argv [])
{
    const char *usage =
        _("usage: battlemap revoke --public-key CERT|KEY --reason TEXT\n"
        "\n"
        "Revoke a key: its next request is refused, even on a connection opened\n"
        "before, and every subscriber is made to reconnect so that a revoked one is\n"
        "shut out. Administrators only; audited.\n");
    Battlemap__IdentityRequest identity = BATTLEMAP__IDENTITY_REQUEST__INIT;
    identity.action = BATTLEMAP__IDENTITY_ACTION__REVOKE;
    char key [41] = "";
    static const struct option options [] = {
        { "public-key", required_argument, NULL, 'p' },
        { "reason", required_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (option) {
            case 'p':
                if (bm_keys_public (optarg, key))
                    return CLI_USAGE;
                break;
            case 'r': identity.reason = optarg; break;
            case 'h': fputs (usage, stdout); return CLI_OK;
            default:  fputs (usage, stderr); return CLI_USAGE;
        }
    }
    if (!*key || optind < argc) {
        fputs (usage, stderr);
        return CLI_USAGE;
    }
    identity.public_key = key;
    return s_send (context, "revoke", &identity);
}

int
cli_identities (cli_context_t *context, int argc, char *argv [])
{
    if (argc > 1) {
        fputs (_("usage: battlemap identities\n\nList every enrolled key, revoked ones "
               "included (administrators only).\n"), streq (argv [1], "--help")? stdout: stderr);
        return streq (argv [1], "--help")? CLI_OK: CLI_USAGE;
    }
    Battlemap__IdentityRequest identity = BATTLEMAP__IDENTITY_REQUEST__INIT;
    identity.action = BATTLEMAP__IDENTITY_ACTION__LIST_IDENTITIES;
    return s_send (context, "identities", &identity);
}
