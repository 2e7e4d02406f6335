/*  bm_csv: a CSV file read whole into rows of fields, with positions.

    libcsv reports a field when it ends and knows nothing of lines, so the
    reader feeds it the content in pieces that are either one structural
    byte (comma, quote, CR, LF) or a run of other bytes, and tracks lines
    itself: whenever libcsv is about to see the first byte of a field, the
    current line is that field's line.
*/

#include "bm_csv.h"
#include "bm_i18n.h"
#include "bm_utf8.h"
#include "bm_i18n.h"

#include <assert.h>
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Structure of our class

struct _bm_csv_t {
    bm_csv_row_t *rows;         //  data rows in file order
    size_t row_count;
    size_t row_limit;           //  allocated
};

//  A field of the row being read, before the row is stored
typedef struct {
    size_t offset;              //  into the reader's text buffer
    size_t size;
    int line;
} s_pending_t;

//  What the libcsv callbacks work with
typedef struct {
    bm_csv_t *csv;
    s_pending_t *fields;        //  fields of the row being read
    size_t field_count;
    size_t field_limit;
    char *text;                 //  their bytes, each followed by a NUL
    size_t text_size;
    size_t text_limit;
    int line;                   //  line of the next byte to feed
    bool in_row;                //  libcsv has begun a row
    bool field_next;            //  the next byte fed begins a field
    int field_line;             //  line of the field being read
    bool field_quoted;          //  it began with a quote
} s_reader_t;

static void *
s_grow (void *block, size_t *limit, size_t needed, size_t item_size)
{
    if (needed <= *limit)
        return block;
    size_t new_limit = *limit? *limit: 16;
    while (new_limit < needed)
        new_limit *= 2;
    block = realloc (block, new_limit * item_size);
    assert (block);             //  out of memory: nothing sensible to do
    *limit = new_limit;
    return block;
}

static bool
s_is_blank (const char *text, size_t size)
{
    for (size_t index = 0; index < size; index++)
        if (text [index] != ' ' && text [index] != '\t')
            return false;
    return true;
}


//  --------------------------------------------------------------------------
//  libcsv callbacks

static void
s_end_field (void *bytes, size_t size, void *data)
{
    s_reader_t *reader = (s_reader_t *) data;
    reader->text = (char *) s_grow (reader->text, &reader->text_limit,
                                    reader->text_size + size + 1, 1);
    if (size)
        memcpy (reader->text + reader->text_size, bytes, size);
    reader->text [reader->text_size + size] = '\0';

    reader->fields = (s_pending_t *) s_grow (reader->fields, &reader->field_limit,
                                             reader->field_count + 1,
                                             sizeof (s_pending_t));
    reader->fields [reader->field_count++] = (s_pending_t) {
        .offset = reader->text_size, .size = size, .line = reader->field_line
    };
    reader->text_size += size + 1;
    reader->field_next = true;
}

//  Store the row as one block: its field array, then the texts
static void
s_end_row (int terminator, void *data)
{
    s_reader_t *reader = (s_reader_t *) data;
    const char *first = reader->text + reader->fields [0].offset;
    bool comment = first [0] == '#';
    bool blank = true;
    for (size_t index = 0; index < reader->field_count && blank; index++)
        blank = s_is_blank (reader->text + reader->fields [index].offset,
                            reader->fields [index].size);

    if (!comment && !blank) {
        bm_csv_t *csv = reader->csv;
        size_t fields_size = reader->field_count * sizeof (bm_csv_field_t);
        char *block = (char *) malloc (fields_size + reader->text_size);
        assert (block);
        bm_csv_field_t *fields = (bm_csv_field_t *) block;
        char *texts = block + fields_size;
        memcpy (texts, reader->text, reader->text_size);
        for (size_t index = 0; index < reader->field_count; index++)
            fields [index] = (bm_csv_field_t) {
                .text = texts + reader->fields [index].offset,
                .size = reader->fields [index].size,
                .line = reader->fields [index].line,
                .column = (int) index + 1
            };
        csv->rows = (bm_csv_row_t *) s_grow (csv->rows, &csv->row_limit,
                                             csv->row_count + 1,
                                             sizeof (bm_csv_row_t));
        csv->rows [csv->row_count++] = (bm_csv_row_t) {
            .fields = fields, .count = reader->field_count, .line = fields [0].line
        };
    }
    reader->field_count = 0;
    reader->text_size = 0;
    reader->in_row = false;
    reader->field_next = true;
}

//  Spaces are data (RFC 4180): libcsv would otherwise trim them
static int
s_never_space (unsigned char c)
{
    return 0;
}


//  --------------------------------------------------------------------------
//  Parsing

static bool
s_is_structural (unsigned char c)
{
    return c == ',' || c == '"' || c == '\r' || c == '\n';
}

static void
s_set_error (bm_csv_error_t *error, int line, int column, const char *format, ...)
    __attribute__ ((format (printf, 4, 5)));

static void
s_set_error (bm_csv_error_t *error, int line, int column, const char *format, ...)
{
    error->line = line;
    error->column = column;
    va_list args;
    va_start (args, format);
    vsnprintf (error->message, sizeof (error->message), format, args);
    va_end (args);
}

//  Where the first byte we must refuse is (NUL or not UTF-8), or size
static size_t
s_first_bad_byte (const char *content, size_t size)
{
    //  Empty content may come as a NULL pointer (protobuf-c's empty bytes)
    if (size == 0)
        return 0;
    size_t limit = bm_utf8_valid_prefix (content, size);
    const char *nul = (const char *) memchr (content, '\0', limit);
    return nul? (size_t) (nul - content): limit;
}

bm_csv_t *
bm_csv_parse (const char *content, size_t size, bm_csv_error_t *error)
{
    assert (content || size == 0);
    assert (error);
    *error = (bm_csv_error_t) { 0 };

    bm_csv_t *self = (bm_csv_t *) calloc (1, sizeof (bm_csv_t));
    assert (self);
    s_reader_t reader = {
        .csv = self, .line = 1, .field_next = true, .field_line = 1
    };
    struct csv_parser parser;
    if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        snprintf (error->message, sizeof error->message, _("out of memory"));
        free (self);
        return NULL;
    }
    csv_set_space_func (&parser, s_never_space);

    const unsigned char *bytes = (const unsigned char *) content;
    size_t offset = 0;
    if (size >= 3 && bytes [0] == 0xEF && bytes [1] == 0xBB && bytes [2] == 0xBF)
        offset = 3;
    size_t limit = s_first_bad_byte (content, size);
    bool after_cr = false;
    bool failed = false;

    while (offset < limit) {
        unsigned char c = bytes [offset];
        if (!reader.in_row && c == '#') {
            //  A comment runs to the end of its line, whatever it holds
            while (offset < limit && bytes [offset] != '\n' && bytes [offset] != '\r')
                offset++;
            after_cr = false;
            continue;
        }
        size_t run = 1;
        if (!s_is_structural (c))
            while (offset + run < limit && !s_is_structural (bytes [offset + run]))
                run++;
        if (reader.field_next && (reader.in_row || (c != '\r' && c != '\n'))) {
            reader.field_next = false;
            reader.in_row = true;
            reader.field_line = reader.line;
            reader.field_quoted = c == '"';
        }
        size_t parsed = csv_parse (&parser, bytes + offset, run,
                                   s_end_field, s_end_row, &reader);
        if (parsed < run) {
            int column = (int) reader.field_count + 1;
            if (csv_error (&parser) != CSV_EPARSE)
                s_set_error (error, reader.line, column, "%s",
                             csv_strerror (csv_error (&parser)));
            else
            if (reader.field_quoted)
                s_set_error (error, reader.line, column,
                             _("text after the closing quote of a quoted field: "
                             "write a quote inside a quoted field twice (\"\")"));
            else
                s_set_error (error, reader.line, column,
                             _("quote inside an unquoted field: quote the whole "
                             "field and write the quote twice (\"\")"));
            failed = true;
            break;
        }
        if (c == '\n' && !after_cr)
            reader.line++;
        else
        if (c == '\r')
            reader.line++;
        after_cr = c == '\r';
        offset += run;
    }
    if (!failed && limit < size) {
        int column = reader.in_row? (int) reader.field_count + 1: 1;
        if (bytes [limit] == 0)
            s_set_error (error, reader.line, column,
                         _("NUL byte: the file is not text, or not UTF-8 "
                         "(save it as CSV UTF-8)"));
        else
            s_set_error (error, reader.line, column,
                         _("not valid UTF-8 (byte 0x%02X): save the file as "
                         "CSV UTF-8"), bytes [limit]);
        failed = true;
    }
    if (!failed
    &&  csv_fini (&parser, s_end_field, s_end_row, &reader) != 0) {
        s_set_error (error, reader.field_line, (int) reader.field_count + 1,
                     _("quoted field is never closed: add the closing quote"));
        failed = true;
    }
    csv_free (&parser);
    free (reader.fields);
    free (reader.text);
    if (failed)
        bm_csv_destroy (&self);
    return self;
}

//  --------------------------------------------------------------------------
//  Encodings

//  The 1-based line of byte `offset`: in UTF-8 and in GB18030 alike a
//  line feed byte is always a line feed (their other bytes are >= 0x30)
static int
s_line_at (const char *content, size_t offset)
{
    int line = 1;
    for (size_t index = 0; index < offset; index++)
        line += content [index] == '\n';
    return line;
}

char *
bm_csv_utf8 (const char *content, size_t size, size_t *utf8_size,
             const char **encoding, bm_csv_error_t *error)
{
    const char *dummy;
    encoding = encoding? encoding: &dummy;
    *error = (bm_csv_error_t) { .line = 1, .column = 1 };
    const unsigned char *bytes = (const unsigned char *) content;
    if (size >= 2 && ((bytes [0] == 0xFF && bytes [1] == 0xFE)
                  ||  (bytes [0] == 0xFE && bytes [1] == 0xFF))) {
        snprintf (error->message, sizeof error->message, "%s",
                  _("saved as Unicode text (UTF-16); save it again as CSV"));
        return NULL;
    }
    if (bm_utf8_valid (content, size)) {
        char *copy = malloc (size + 1);
        assert (copy);
        if (size)
            memcpy (copy, content, size);
        copy [size] = '\0';
        *utf8_size = size;
        *encoding = "UTF-8";
        return copy;
    }
    //  Not UTF-8: GBK as Excel saves it on Chinese Windows, read as GB18030
    iconv_t convert = iconv_open ("UTF-8", "GB18030");
    if (convert == (iconv_t) -1) {
        size_t bad = bm_utf8_valid_prefix (content, size);
        error->line = s_line_at (content, bad);
        snprintf (error->message, sizeof error->message, "%s",
                  _("not UTF-8, and GB18030 cannot be read here; save it as CSV UTF-8"));
        return NULL;
    }
    //  A GB18030 character takes at most 4 bytes in UTF-8 as in GB18030,
    //  and a byte of one takes at most 3
    size_t limit = size * 3 + 1;
    char *out = malloc (limit);
    assert (out);
    char *in = (char *) content;
    size_t in_left = size;
    char *at = out;
    size_t out_left = limit - 1;
    size_t done = iconv (convert, &in, &in_left, &at, &out_left);
    if (done != (size_t) -1)
        done = iconv (convert, NULL, NULL, &at, &out_left);
    iconv_close (convert);
    if (done == (size_t) -1 || in_left > 0) {
        error->line = s_line_at (content, (size_t) (in - content));
        snprintf (error->message, sizeof error->message, "%s",
                  _("neither UTF-8 nor GBK/GB18030 text; save it as CSV UTF-8 (or CSV)"));
        free (out);
        return NULL;
    }
    *at = '\0';
    *utf8_size = (size_t) (at - out);
    *encoding = "GB18030";
    return out;
}

void
bm_csv_destroy (bm_csv_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        bm_csv_t *self = *self_p;
        for (size_t index = 0; index < self->row_count; index++)
            free ((void *) self->rows [index].fields);
        free (self->rows);
        free (self);
        *self_p = NULL;
    }
}

size_t
bm_csv_row_count (const bm_csv_t *self)
{
    assert (self);
    return self->row_count;
}

const bm_csv_row_t *
bm_csv_row (const bm_csv_t *self, size_t index)
{
    assert (self);
    assert (index < self->row_count);
    return &self->rows [index];
}
