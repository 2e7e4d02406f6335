/*  bm_wire: the framing and limits shared by server and clients. */

#include "bm_wire.h"
#include "bm_utf8.h"
#include "bm_i18n.h"

#include <string.h>

zframe_t *
bm_wire_pack (const Battlemap__Envelope *envelope)
{
    size_t size = battlemap__envelope__get_packed_size (envelope);
    zframe_t *frame = zframe_new (NULL, size);
    battlemap__envelope__pack (envelope, zframe_data (frame));
    return frame;
}

Battlemap__Envelope *
bm_wire_unpack (const byte *data, size_t size)
{
    return battlemap__envelope__unpack (NULL, size, data);
}

void
bm_wire_free (Battlemap__Envelope **envelope_p)
{
    if (*envelope_p) {
        battlemap__envelope__free_unpacked (*envelope_p, NULL);
        *envelope_p = NULL;
    }
}

static int
s_check_string (const char *text, const char *name, const char **field)
{
    if (!text)
        return 0;
    size_t size = strlen (text);
    if (size > BM_MAX_STRING || !bm_utf8_valid (text, size)) {
        *field = name;
        return -1;
    }
    return 0;
}

int
bm_wire_check_strings (const ProtobufCMessage *message, const char **field)
{
    const ProtobufCMessageDescriptor *descriptor = message->descriptor;
    for (unsigned index = 0; index < descriptor->n_fields; index++) {
        const ProtobufCFieldDescriptor *fd = descriptor->fields + index;
        const char *base = (const char *) message;
        if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t count = *(const size_t *) (base + fd->quantifier_offset);
            void *const *items = *(void *const *const *) (base + fd->offset);
            for (size_t item = 0; item < count; item++) {
                if (fd->type == PROTOBUF_C_TYPE_STRING
                &&  s_check_string (items [item], fd->name, field))
                    return -1;
                if (fd->type == PROTOBUF_C_TYPE_MESSAGE
                &&  bm_wire_check_strings (items [item], field))
                    return -1;
            }
            continue;
        }
        //  A oneof member that is not the chosen case holds garbage: skip it
        if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            uint32_t chosen = *(const uint32_t *) (base + fd->quantifier_offset);
            if (chosen != fd->id)
                continue;
        }
        if (fd->type == PROTOBUF_C_TYPE_STRING) {
            if (s_check_string (*(char *const *) (base + fd->offset), fd->name, field))
                return -1;
        }
        else
        if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
            const ProtobufCMessage *child = *(const ProtobufCMessage *const *) (base + fd->offset);
            if (child && bm_wire_check_strings (child, field))
                return -1;
        }
    }
    return 0;
}

//  Reads a varint at *at; false past the end or beyond ten bytes
static bool
s_varint (const byte *data, size_t size, size_t *at, uint64_t *value)
{
    *value = 0;
    for (int shift = 0; shift < 70 && *at < size; shift += 7) {
        byte next = data [(*at)++];
        *value |= (uint64_t) (next & 0x7f) << (shift < 64? shift: 63);
        if (!(next & 0x80))
            return true;
    }
    return false;
}

int
bm_wire_scan_nul (const ProtobufCMessageDescriptor *descriptor, const byte *data,
                  size_t size, const char **field)
{
    size_t at = 0;
    while (at < size) {
        uint64_t key, length;
        if (!s_varint (data, size, &at, &key))
            return -1;
        const ProtobufCFieldDescriptor *found =
            key >> 3 <= UINT32_MAX
            ? protobuf_c_message_descriptor_get_field (descriptor, (unsigned) (key >> 3)): NULL;
        switch (key & 7) {
            case 0:
                if (!s_varint (data, size, &at, &length))
                    return -1;
                break;
            case 1:
            case 5:
                at += (key & 7) == 1? 8: 4;
                break;
            case 2:
                if (!s_varint (data, size, &at, &length) || length > size - at)
                    return -1;
                if (found && found->type == PROTOBUF_C_TYPE_STRING
                &&  memchr (data + at, '\0', (size_t) length)) {
                    *field = found->name;
                    return -1;
                }
                if (found && found->type == PROTOBUF_C_TYPE_MESSAGE
                &&  bm_wire_scan_nul (found->descriptor, data + at, (size_t) length, field))
                    return -1;
                at += (size_t) length;
                break;
            default:
                return -1;
        }
    }
    return at == size? 0: -1;
}

//  protobuf-c's allocations from an arena, which frees them all at once
static void *
s_arena_alloc (void *arena, size_t size)
{
    return bm_arena_alloc ((bm_arena_t *) arena, size? size: 1);
}

static void
s_arena_free (void *arena, void *pointer)
{
}

Battlemap__Envelope *
bm_wire_decode_request (const byte *data, size_t size, Battlemap__ErrorCode *code,
                        char *message, size_t message_size)
{
    return bm_wire_decode_request_in (NULL, data, size, code, message, message_size);
}

Battlemap__Envelope *
bm_wire_decode_request_in (bm_arena_t *arena, const byte *data, size_t size,
                           Battlemap__ErrorCode *code, char *message, size_t message_size)
{
    ProtobufCAllocator allocator = { s_arena_alloc, s_arena_free, arena };
    Battlemap__Envelope *envelope = NULL;
    const char *field = NULL;
    *code = BATTLEMAP__ERROR_CODE__MALFORMED;
    if (size == 0)
        snprintf (message, message_size, _("empty message"));
    else
    if (size > BM_MAX_MESSAGE) {
        *code = BATTLEMAP__ERROR_CODE__TOO_LARGE;
        snprintf (message, message_size, _("message of %zu bytes is over the limit of %d bytes"),
                  size, BM_MAX_MESSAGE);
    }
    else
    if (!(envelope = battlemap__envelope__unpack (arena? &allocator: NULL, size, data)))
        snprintf (message, message_size,
                  _("not a battlemap message (protobuf Envelope expected)"));
    else
    if (envelope->version != BM_PROTOCOL_VERSION)
        snprintf (message, message_size,
                  _("protocol version %u is not supported (this server speaks %d)"),
                  envelope->version, BM_PROTOCOL_VERSION);
    else
    if (!bm_wire_is_request (envelope)) {
        *code = BATTLEMAP__ERROR_CODE__UNKNOWN_TYPE;
        snprintf (message, message_size,
                  _("message type %d is not a request this server answers"),
                  (int) envelope->body_case);
    }
    else
    if (bm_wire_check_strings (&envelope->base, &field))
        snprintf (message, message_size,
                  _("field %s is not valid UTF-8 or is longer than %d bytes"),
                  field, BM_MAX_STRING);
    else
    if (bm_wire_scan_nul (&battlemap__envelope__descriptor, data, size, &field))
        snprintf (message, message_size,
                  _("field %s holds a NUL byte: text never does (what follows it would "
                  "be lost)"), field? field: "(unreadable)");
    else
        return envelope;
    if (!arena)
        bm_wire_free (&envelope);
    return NULL;
}

bool
bm_wire_is_request (const Battlemap__Envelope *envelope)
{
    switch (envelope->body_case) {
        case BATTLEMAP__ENVELOPE__BODY_SUBMIT:
        case BATTLEMAP__ENVELOPE__BODY_PLAN_LOAD:
        case BATTLEMAP__ENVELOPE__BODY_WALL:
        case BATTLEMAP__ENVELOPE__BODY_TEMPLATE:
        case BATTLEMAP__ENVELOPE__BODY_RANKING:
        case BATTLEMAP__ENVELOPE__BODY_CLOCK:
        case BATTLEMAP__ENVELOPE__BODY_EXCEPTION:
        case BATTLEMAP__ENVELOPE__BODY_HISTORY:
        case BATTLEMAP__ENVELOPE__BODY_REPORT:
        case BATTLEMAP__ENVELOPE__BODY_IDENTITY:
        case BATTLEMAP__ENVELOPE__BODY_CATCHUP:
        case BATTLEMAP__ENVELOPE__BODY_ALERT:
            return true;
        default:
            return false;
    }
}

const char *
bm_wire_error_name (Battlemap__ErrorCode code)
{
    const ProtobufCEnumValue *value =
        protobuf_c_enum_descriptor_get_value (&battlemap__error_code__descriptor, code);
    return value? value->name: "UNKNOWN";
}

const char *
bm_wire_kind_name (Battlemap__FigureKind kind)
{
    return kind == BATTLEMAP__FIGURE_KIND__FORECAST? "forecast"
         : kind == BATTLEMAP__FIGURE_KIND__FINAL? "final": "";
}

Battlemap__FigureKind
bm_wire_kind_parse (const char *text)
{
    if (streq (text, "forecast") || streq (text, "预报"))
        return BATTLEMAP__FIGURE_KIND__FORECAST;
    if (streq (text, "final") || streq (text, "正式") || streq (text, "终报"))
        return BATTLEMAP__FIGURE_KIND__FINAL;
    return BATTLEMAP__FIGURE_KIND__FIGURE_KIND_UNSPECIFIED;
}

const char *
bm_wire_status_name (Battlemap__MilestoneStatus status)
{
    return status == BATTLEMAP__MILESTONE_STATUS__NOT_STARTED? "not_started"
         : status == BATTLEMAP__MILESTONE_STATUS__IN_PROGRESS? "in_progress"
         : status == BATTLEMAP__MILESTONE_STATUS__DONE? "done": "";
}

Battlemap__MilestoneStatus
bm_wire_status_parse (const char *text)
{
    if (streq (text, "not_started") || streq (text, "未开始"))
        return BATTLEMAP__MILESTONE_STATUS__NOT_STARTED;
    if (streq (text, "in_progress") || streq (text, "推进中") || streq (text, "进行中"))
        return BATTLEMAP__MILESTONE_STATUS__IN_PROGRESS;
    if (streq (text, "done") || streq (text, "已完成"))
        return BATTLEMAP__MILESTONE_STATUS__DONE;
    return BATTLEMAP__MILESTONE_STATUS__MILESTONE_STATUS_UNSPECIFIED;
}
