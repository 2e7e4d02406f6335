/*  bm_utf8: strict UTF-8 validation.

    Plan files and protobuf strings must be well-formed UTF-8 as RFC 3629
    defines it: the shortest encoding of each code point, no UTF-16
    surrogates (U+D800..U+DFFF), nothing above U+10FFFF. A NUL byte is valid
    UTF-8 (U+0000); callers that store C strings check for it themselves.
*/
#ifndef BM_UTF8_H_INCLUDED
#define BM_UTF8_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

//  True if the `size` bytes at `text` are well-formed UTF-8. An empty
//  string is valid; text may be NULL when size is 0.
bool
    bm_utf8_valid (const char *text, size_t size);

//  The length of the longest well-formed prefix, which is the offset of the
//  first byte of the first ill-formed sequence (`size` if there is none).
size_t
    bm_utf8_valid_prefix (const char *text, size_t size);

#endif
