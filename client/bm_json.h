/*  bm_json: any reply or event of the wire contract as JSON (json-c).

    One mapping for every view, so that `--format json` and the web wall's
    API say the same thing: keys are the proto field names (snake_case),
    repeated fields are arrays, nested messages are objects, enums are
    their value names in lower case ("created", "final"), booleans and
    integers are JSON booleans and numbers. Decimals stay strings ("83.8"),
    as the wire carries them, so no digit is lost or invented; an empty
    string is a value not given. Only the set case of a oneof appears.
    Bytes fields are left out.
*/
#ifndef BM_JSON_H_INCLUDED
#define BM_JSON_H_INCLUDED

#include "battlemap.pb-c.h"
#include <json-c/json.h>
#include <stdbool.h>

//  A new JSON object for the message, the caller's to put
json_object *
    bm_json_from_message (const ProtobufCMessage *message);

//  The message as JSON text, the caller's to free; pretty: indented
char *
    bm_json_text (const ProtobufCMessage *message, bool pretty);

#endif
