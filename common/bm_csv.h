/*  bm_csv: a CSV file read whole into rows of fields, with positions.

    RFC 4180 over libcsv in strict mode: fields are separated by commas,
    rows by LF, CRLF or CR; a field holding a comma, quote or line break is
    quoted and a quote inside is written twice. Spaces are part of a field.
    A leading UTF-8 byte-order mark is skipped. The content must be UTF-8
    without NUL bytes.

    Comments and blank rows are left out: a row whose first field starts
    with '#' is a comment (an unquoted '#' at the start of a row makes the
    rest of that line a comment, quotes and all), and so is a row whose
    fields are all empty or blank.

    Every field knows the 1-based line it starts on (line breaks inside
    quoted fields count) and its 1-based column, its position in its row,
    so that errors can say "targets.csv:12:7".

    bm_csv_utf8 takes a file as Excel or WPS saves it on Chinese Windows:
    "CSV" there is GBK, which is read as GB18030 (its superset) with glibc's
    iconv and converted to UTF-8.
*/
#ifndef BM_CSV_H_INCLUDED
#define BM_CSV_H_INCLUDED

#include <stddef.h>

typedef struct {
    const char *text;           //  NUL-terminated; owned by the bm_csv_t
    size_t size;                //  bytes, without the terminator
    int line;                   //  1-based line where the field starts
    int column;                 //  1-based position in its row
} bm_csv_field_t;

typedef struct {
    const bm_csv_field_t *fields;
    size_t count;               //  at least 1
    int line;                   //  line of its first field
} bm_csv_row_t;

typedef struct {
    int line;                   //  1-based
    int column;                 //  1-based field position
    char message [160];         //  what is wrong and how to fix it
} bm_csv_error_t;

typedef struct _bm_csv_t bm_csv_t;

//  Parse `size` bytes of CSV. Returns the rows, or NULL with `error` filled
//  in at the first problem: malformed quoting, an unclosed quoted field,
//  bytes that are not UTF-8, a NUL byte.
bm_csv_t *
    bm_csv_parse (const char *content, size_t size, bm_csv_error_t *error);

//  The content as UTF-8, in a new buffer the caller frees (its size, not
//  counting the NUL after it, in *utf8_size): a copy when it is UTF-8 (a BOM
//  is left for bm_csv_parse to skip), else the content read as GB18030 and
//  converted. *encoding (may be NULL) is set to "UTF-8" or "GB18030".
//  Returns NULL with `error` filled in when it is neither, or UTF-16 (what
//  Excel saves as "Unicode text").
char *
    bm_csv_utf8 (const char *content, size_t size, size_t *utf8_size,
                 const char **encoding, bm_csv_error_t *error);

void
    bm_csv_destroy (bm_csv_t **self_p);

//  Number of rows, comments and blank rows left out
size_t
    bm_csv_row_count (const bm_csv_t *self);

//  The row at 0-based `index`, in file order
const bm_csv_row_t *
    bm_csv_row (const bm_csv_t *self, size_t index);

#endif
