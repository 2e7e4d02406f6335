/*  cli: what the battlemap subcommands share. */
#ifndef CLI_H_INCLUDED
#define CLI_H_INCLUDED

#include "bm_client.h"
#include <czmq.h>
#include <stdbool.h>
#include <stdio.h>

//  Exit codes
#define CLI_OK          0
#define CLI_REFUSED     1       //  the server answered with an error
#define CLI_USAGE       2       //  bad command line or input file
#define CLI_UNREACHABLE 3       //  no answer from the server
#define CLI_UNAVAILABLE 4       //  the server stayed unavailable or busy: try later
#define CLI_KEY_REFUSED 5       //  the handshake failed: our key is refused, or
                                //  --server-key is not the server's

typedef struct {
    const char *server;         //  request endpoint(s), comma-separated
    const char *events;         //  event endpoint
    int timeout;                //  msecs per attempt
    const char *key_file;       //  our key pair (certificate with its secret)
    const char *server_key;     //  the server's public key: Z85 or a certificate file
    zcert_t *cert;              //  loaded by cli_keys
    char server_public [41];
} cli_context_t;

//  Loads our key pair and the server's public key; prints why not and
//  returns -1 when they cannot be had
int
    cli_keys (cli_context_t *context);

typedef int (cli_command_fn) (cli_context_t *context, int argc, char *argv []);

cli_command_fn cli_plan;
cli_command_fn cli_submit;
cli_command_fn cli_outbox;
cli_command_fn cli_template;
cli_command_fn cli_watch;
cli_command_fn cli_wall;
cli_command_fn cli_ranking;
cli_command_fn cli_clock;
cli_command_fn cli_exception;
cli_command_fn cli_history;
cli_command_fn cli_report;
cli_command_fn cli_keygen;
cli_command_fn cli_enroll;
cli_command_fn cli_revoke;
cli_command_fn cli_identities;
cli_command_fn cli_alerts;
cli_command_fn cli_simulate;
cli_command_fn cli_serve;

//  A client for the context's server, or NULL after printing why
bm_client_t *
    cli_connect (cli_context_t *context);

//  Prints a reply that is an error (or no reply) and returns the exit code;
//  returns -1 when the reply is of the expected body and nothing was printed.
//  No reply is explained by how the last request of a client from
//  cli_connect failed: a refused key, a failed handshake, or no answer.
int
    cli_check_reply (const char *command, Battlemap__Envelope *reply,
                     Battlemap__Envelope__BodyCase expected);

//  Columns `text` takes on a terminal (CJK characters take two)
int
    cli_display_width (const char *text);

//  Print text padded with spaces to `width` columns (never truncated)
void
    cli_print_padded (FILE *out, const char *text, int width, bool right);

//  Write one CSV field, quoted when needed, followed by `separator`
void
    cli_csv_field (FILE *out, const char *text, char separator);

//  Today's period (YYYY-MM) in Asia/Shanghai, by this computer's clock
void
    cli_current_period (char *period);

//  When `period` is empty (no --period given): the server's month, which
//  is not this computer's when the server runs on a test clock (or this
//  computer's clock is wrong); this computer's if the server cannot say
void
    cli_default_period (bm_client_t *client, char *period);

#endif
