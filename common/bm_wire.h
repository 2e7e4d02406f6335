/*  bm_wire: the framing and limits shared by server and clients.

    A request travels DEALER -> ROUTER as two frames, [correlation][envelope];
    the reply comes back with the same correlation frame, so that a client
    that retried can tell a late answer from the current one. Events travel
    PUB -> SUB as [topic][envelope]. protobuf-c accepts invalid UTF-8, an
    empty buffer and an unset oneof, so every envelope is checked here after
    unpacking, before anything reads it.
*/
#ifndef BM_WIRE_H_INCLUDED
#define BM_WIRE_H_INCLUDED

#include "battlemap.pb-c.h"
#include "bm_arena.h"
#include <czmq.h>
#include <stdbool.h>

#define BM_PROTOCOL_VERSION     1
#define BM_MAX_MESSAGE          (8 * 1024 * 1024)   //  larger: TOO_LARGE error
#define BM_SOCKET_MAX_MESSAGE   (16 * 1024 * 1024)  //  larger: dropped by libzmq
#define BM_MAX_BATCH            2000                //  figures in one submit: taking
                                                    //  one holds the server's loop
                                                    //  about 0.2 s at most
#define BM_MAX_STRING           4096                //  bytes in one string field
#define BM_CORRELATION_SIZE     8

//  Pack an envelope into a new frame.
zframe_t *
    bm_wire_pack (const Battlemap__Envelope *envelope);

//  Unpack; NULL if the bytes are not an Envelope. Free with bm_wire_free.
Battlemap__Envelope *
    bm_wire_unpack (const byte *data, size_t size);

void
    bm_wire_free (Battlemap__Envelope **envelope_p);

//  Check every string in a message tree: valid UTF-8, at most
//  BM_MAX_STRING bytes. (protobuf-c ends a string at its first NUL byte;
//  bm_wire_scan_nul finds those in the bytes.)
//  Returns 0, or -1 and names the field.
int
    bm_wire_check_strings (const ProtobufCMessage *message, const char **field);

//  Scan a message's bytes for a string field holding a NUL byte (protobuf-c
//  would cut it there, silently: "赵巷镇\0徐泾镇" would be stored as 赵巷镇).
//  Returns 0, or -1 with *field naming it (left as it was when the bytes
//  themselves are not a message).
int
    bm_wire_scan_nul (const ProtobufCMessageDescriptor *descriptor, const byte *data,
                      size_t size, const char **field);

//  The server's whole decode-and-validate path for a request's bytes: size,
//  protobuf, protocol version, a request body, every string (UTF-8, length,
//  no NUL byte). Returns the envelope (free with bm_wire_free), or NULL with
//  *code and message (a sentence for the client) set.
Battlemap__Envelope *
    bm_wire_decode_request (const byte *data, size_t size, Battlemap__ErrorCode *code,
                            char *message, size_t message_size);

//  The same, with every part of the envelope allocated in `arena`, which
//  frees it (not bm_wire_free): a figure's strings are a few of the
//  hundreds of allocations a large submission took one by one
Battlemap__Envelope *
    bm_wire_decode_request_in (bm_arena_t *arena, const byte *data, size_t size,
                               Battlemap__ErrorCode *code, char *message, size_t message_size);

//  True for bodies a client may send
bool
    bm_wire_is_request (const Battlemap__Envelope *envelope);

//  Symbolic name of an error code ("UNKNOWN_UNIT")
const char *
    bm_wire_error_name (Battlemap__ErrorCode code);

//  "forecast"/"final" and back; 0 for unknown text
const char *
    bm_wire_kind_name (Battlemap__FigureKind kind);
Battlemap__FigureKind
    bm_wire_kind_parse (const char *text);

//  "not_started"/"in_progress"/"done" and back; 0 for unknown text
const char *
    bm_wire_status_name (Battlemap__MilestoneStatus status);
Battlemap__MilestoneStatus
    bm_wire_status_parse (const char *text);

#endif
