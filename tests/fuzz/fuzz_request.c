/*  fuzz_request: the bytes of one request, as the server's ROUTER receives
    them, through bm_wire_decode_request, the whole decode-and-validate
    path the server runs before any handler.

    A refused message must come back with an error code and a sentence for
    the client. An accepted one must be a request the server answers, of
    this protocol version, and must survive the trip the other way: packed
    again, it decodes and validates again, to the same body, and packs to
    the same bytes (short of one protobuf-c quirk, see s_has_field_zero). A PlanLoadRequest's files then go through
    bm_plan_parse, as bm_planload_handle does before it touches the
    database. Nothing may crash, leak or hit undefined behaviour.
*/

#include "bm_wire.h"
#include "bm_plan.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#ifdef NDEBUG
#   error "the fuzz targets check with assert: build them without NDEBUG"
#endif

//  True if the message tree holds an unknown field numbered 0. protobuf-c
//  1.4 refuses field number 0 only in a one-byte tag: written as an
//  overlong varint (0x81 0x00) it is kept as an unknown field, then packed
//  as the one-byte tag 0x01 that unpacking refuses. The server never packs
//  a request again, so this is protobuf-c's to fix, not a finding here.
static bool
s_has_field_zero (const ProtobufCMessage *message)
{
    for (unsigned index = 0; index < message->n_unknown_fields; index++)
        if (message->unknown_fields [index].tag == 0)
            return true;
    const ProtobufCMessageDescriptor *descriptor = message->descriptor;
    const char *base = (const char *) message;
    for (unsigned index = 0; index < descriptor->n_fields; index++) {
        const ProtobufCFieldDescriptor *field = descriptor->fields + index;
        if (field->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        if (field->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t count = *(const size_t *) (base + field->quantifier_offset);
            void *const *items = *(void *const *const *) (base + field->offset);
            for (size_t item = 0; item < count; item++)
                if (s_has_field_zero ((const ProtobufCMessage *) items [item]))
                    return true;
            continue;
        }
        if ((field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        &&  *(const uint32_t *) (base + field->quantifier_offset) != field->id)
            continue;
        const ProtobufCMessage *child = *(const ProtobufCMessage *const *) (base + field->offset);
        if (child && s_has_field_zero (child))
            return true;
    }
    return false;
}

//  What bm_planload_handle does with the files, short of the database
static void
s_parse_plan (const Battlemap__PlanLoadRequest *load)
{
    if (load->n_files == 0)
        return;                 //  refused before parsing: "no plan files were sent"
    bm_plan_file_t *files = (bm_plan_file_t *) calloc (load->n_files, sizeof *files);
    assert (files);
    for (size_t index = 0; index < load->n_files; index++) {
        files [index].name = load->files [index]->name;
        files [index].content = (const char *) load->files [index]->content.data;
        files [index].size = load->files [index]->content.len;
    }
    zlist_t *errors = zlist_new ();
    zlist_autofree (errors);
    bm_plan_t *plan = bm_plan_parse (files, load->n_files, errors);
    //  Either a plan or at least one problem, never both
    assert (plan? zlist_size (errors) == 0: zlist_size (errors) > 0);
    assert (zlist_size (errors) <= BM_PLAN_MAX_ERRORS);
    bm_plan_destroy (&plan);
    zlist_destroy (&errors);
    free (files);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    Battlemap__ErrorCode code = BATTLEMAP__ERROR_CODE__ERROR_CODE_UNSPECIFIED;
    char message [256] = "";
    Battlemap__Envelope *envelope =
        bm_wire_decode_request (data, size, &code, message, sizeof message);
    if (!envelope) {
        //  The client is told what kind of refusal, and why
        assert (code == BATTLEMAP__ERROR_CODE__MALFORMED
             || code == BATTLEMAP__ERROR_CODE__UNKNOWN_TYPE
             || code == BATTLEMAP__ERROR_CODE__TOO_LARGE);
        assert (*message);
        return 0;
    }
    assert (envelope->version == BM_PROTOCOL_VERSION);
    assert (bm_wire_is_request (envelope));

    //  The round trip: pack, decode and validate again, pack again
    zframe_t *packed = bm_wire_pack (envelope);
    assert (packed);
    Battlemap__Envelope *again = bm_wire_decode_request (
        zframe_data (packed), zframe_size (packed), &code, message, sizeof message);
    assert (again || s_has_field_zero (&envelope->base));
    if (again) {
        assert (again->version == envelope->version);
        assert (again->body_case == envelope->body_case);
        zframe_t *repacked = bm_wire_pack (again);
        assert (repacked);
        assert (zframe_eq (packed, repacked));
        zframe_destroy (&repacked);
        bm_wire_free (&again);
    }

    if (envelope->body_case == BATTLEMAP__ENVELOPE__BODY_PLAN_LOAD)
        s_parse_plan (envelope->plan_load);

    zframe_destroy (&packed);
    bm_wire_free (&envelope);
    return 0;
}
