/*  bm_utf8: strict UTF-8 validation.

    The accepted sequences are those of the Unicode Standard, table 3-7
    ("well-formed UTF-8 byte sequences"): the second byte's range depends
    on the first, which is what rules out overlongs (C0, C1, E0 80..9F,
    F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF
    (F4 90.., F5..FF).
*/

#include "bm_utf8.h"

//  Length of the well-formed sequence at `p` (at most `left` bytes), or 0
static size_t
s_sequence (const unsigned char *p, size_t left)
{
    unsigned char lead = p [0];
    if (lead < 0x80)
        return 1;

    size_t length;
    unsigned char low = 0x80;       //  range of the second byte
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2;
    else
    if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            low = 0xA0;             //  no overlongs below U+0800
        else
        if (lead == 0xED)
            high = 0x9F;            //  no surrogates
    }
    else
    if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            low = 0x90;             //  no overlongs below U+10000
        else
        if (lead == 0xF4)
            high = 0x8F;            //  nothing above U+10FFFF
    }
    else
        return 0;                   //  80..C1 (continuation, overlong), F5..FF

    if (left < length)
        return 0;
    if (p [1] < low || p [1] > high)
        return 0;
    for (size_t index = 2; index < length; index++)
        if (p [index] < 0x80 || p [index] > 0xBF)
            return 0;
    return length;
}

bool
bm_utf8_valid (const char *text, size_t size)
{
    return bm_utf8_valid_prefix (text, size) == size;
}

size_t
bm_utf8_valid_prefix (const char *text, size_t size)
{
    const unsigned char *bytes = (const unsigned char *) text;
    size_t offset = 0;
    while (offset < size) {
        //  Plain ASCII runs are the common case in plan files and protobuf
        if (bytes [offset] < 0x80) {
            offset++;
            continue;
        }
        size_t length = s_sequence (bytes + offset, size - offset);
        if (length == 0)
            break;
        offset += length;
    }
    return offset;
}
