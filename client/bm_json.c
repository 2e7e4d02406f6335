/*  bm_json: protobuf-c messages walked through their descriptors. */

#include "bm_json.h"

#include <assert.h>
#include <czmq.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static json_object *
    s_value (const ProtobufCFieldDescriptor *field, const void *member);

//  The enum value's name in lower case ("ON_TIME" → "on_time")
static json_object *
s_enum (const ProtobufCEnumDescriptor *descriptor, int value)
{
    const ProtobufCEnumValue *named =
        protobuf_c_enum_descriptor_get_value (descriptor, value);
    if (!named)
        return json_object_new_int (value);
    char name [64];
    size_t length = strlen (named->name);
    if (length >= sizeof name)
        length = sizeof name - 1;
    for (size_t index = 0; index < length; index++)
        name [index] = (char) tolower ((unsigned char) named->name [index]);
    name [length] = 0;
    return json_object_new_string (name);
}

static json_object *
s_value (const ProtobufCFieldDescriptor *field, const void *member)
{
    switch (field->type) {
        case PROTOBUF_C_TYPE_INT32:
        case PROTOBUF_C_TYPE_SINT32:
        case PROTOBUF_C_TYPE_SFIXED32:
            return json_object_new_int (*(const int32_t *) member);
        case PROTOBUF_C_TYPE_UINT32:
        case PROTOBUF_C_TYPE_FIXED32:
            return json_object_new_int64 (*(const uint32_t *) member);
        case PROTOBUF_C_TYPE_INT64:
        case PROTOBUF_C_TYPE_SINT64:
        case PROTOBUF_C_TYPE_SFIXED64:
            return json_object_new_int64 (*(const int64_t *) member);
        case PROTOBUF_C_TYPE_UINT64:
        case PROTOBUF_C_TYPE_FIXED64:
            return json_object_new_uint64 (*(const uint64_t *) member);
        case PROTOBUF_C_TYPE_FLOAT:
            return json_object_new_double (*(const float *) member);
        case PROTOBUF_C_TYPE_DOUBLE:
            return json_object_new_double (*(const double *) member);
        case PROTOBUF_C_TYPE_BOOL:
            return json_object_new_boolean (*(const protobuf_c_boolean *) member);
        case PROTOBUF_C_TYPE_ENUM:
            return s_enum (field->descriptor, *(const int *) member);
        case PROTOBUF_C_TYPE_STRING: {
            const char *text = *(char * const *) member;
            return json_object_new_string (text? text: "");
        }
        case PROTOBUF_C_TYPE_MESSAGE: {
            const ProtobufCMessage *nested = *(ProtobufCMessage * const *) member;
            return nested? bm_json_from_message (nested): NULL;
        }
        case PROTOBUF_C_TYPE_BYTES:
            break;
    }
    return NULL;
}

static size_t
s_size (ProtobufCType type)
{
    switch (type) {
        case PROTOBUF_C_TYPE_INT64:
        case PROTOBUF_C_TYPE_SINT64:
        case PROTOBUF_C_TYPE_SFIXED64:
        case PROTOBUF_C_TYPE_UINT64:
        case PROTOBUF_C_TYPE_FIXED64:
            return 8;
        case PROTOBUF_C_TYPE_DOUBLE:
            return sizeof (double);
        case PROTOBUF_C_TYPE_BOOL:
            return sizeof (protobuf_c_boolean);
        case PROTOBUF_C_TYPE_ENUM:
            return sizeof (int);
        case PROTOBUF_C_TYPE_STRING:
        case PROTOBUF_C_TYPE_MESSAGE:
            return sizeof (void *);
        case PROTOBUF_C_TYPE_BYTES:
            return sizeof (ProtobufCBinaryData);
        default:
            return 4;
    }
}

json_object *
bm_json_from_message (const ProtobufCMessage *message)
{
    assert (message && message->descriptor);
    const ProtobufCMessageDescriptor *descriptor = message->descriptor;
    json_object *object = json_object_new_object ();
    for (unsigned index = 0; index < descriptor->n_fields; index++) {
        const ProtobufCFieldDescriptor *field = descriptor->fields + index;
        if (field->type == PROTOBUF_C_TYPE_BYTES)
            continue;
        const char *base = (const char *) message;
        const void *member = base + field->offset;
        if (field->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t count = *(const size_t *) (base + field->quantifier_offset);
            const char *items = *(char * const *) member;
            json_object *array = json_object_new_array_ext ((int) count);
            for (size_t item = 0; item < count; item++) {
                json_object *value = s_value (field, items + item * s_size (field->type));
                json_object_array_add (array, value? value: json_object_new_null ());
            }
            json_object_object_add (object, field->name, array);
            continue;
        }
        if (field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            uint32_t chosen = *(const uint32_t *) (base + field->quantifier_offset);
            if (chosen != field->id)
                continue;
        }
        json_object *value = s_value (field, member);
        if (value || field->type != PROTOBUF_C_TYPE_MESSAGE)
            json_object_object_add (object, field->name, value);
    }
    return object;
}

char *
bm_json_text (const ProtobufCMessage *message, bool pretty)
{
    json_object *object = bm_json_from_message (message);
    int flags = JSON_C_TO_STRING_NOSLASHESCAPE
              | (pretty? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
                       : JSON_C_TO_STRING_PLAIN);
    char *text = strdup (json_object_to_json_string_ext (object, flags));
    json_object_put (object);
    return text;
}
