/*  cli_format: --format text|csv|json, shared by the commands that show a view.

    json is the server's reply as bm_json maps it (the one mapping the web
    wall uses too). csv is UTF-8 with a byte order mark, so that Excel and
    WPS open it as UTF-8: one header row, then one row per cell or row,
    numbers as plain numbers (no % sign), codes as the words of cli_labels.
*/
#ifndef CLI_FORMAT_H_INCLUDED
#define CLI_FORMAT_H_INCLUDED

#include "bm_client.h"
#include <stdio.h>

typedef enum {
    CLI_FORMAT_TEXT,
    CLI_FORMAT_CSV,
    CLI_FORMAT_JSON
} cli_format_t;

//  The line every command's usage gives the option
#define CLI_FORMAT_USAGE \
    "  --format FORMAT   text (the default), csv (UTF-8 with a BOM, for Excel and\n" \
    "                    WPS) or json (the server's reply, as the web wall's API)\n"

//  Reads a --format value into *format; prints the formats there are and
//  returns -1 when it is none of them
int
    cli_format_parse (const char *command, const char *text, cli_format_t *format);

//  Prints the message as JSON, indented, with a final newline
void
    cli_format_json (FILE *out, const ProtobufCMessage *message);

//  part / whole in percent to one decimal, rounded half away from zero
//  ("95.5"); empty when whole is 0
void
    cli_format_percent (char *text, size_t size, unsigned part, unsigned whole);

//  Starts a CSV file: the UTF-8 byte order mark
void
    cli_csv_bom (FILE *out);

//  Writes one CSV row. `types` has one letter a field: s a string, u an
//  unsigned int, d an int64_t, b a bool (是/否), p a percent string without
//  its sign (as given: "100.2" stays "100.2")
void
    cli_csv_row (FILE *out, const char *types, ...);

//  Writes the header row: NULL-terminated column names
void
    cli_csv_header (FILE *out, const char *name, ...);

#endif
