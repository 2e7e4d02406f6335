/*  cli_sheet: the CSV a clerk fills in, as `battlemap template` writes it
    and `battlemap submit --csv` reads it back.

    The template is for people first: the Chinese indicator name, what
    tells rows of the same name apart (the measure, the task), the unit of
    measure, this month's milestone and the value to fill in on the left;
    the codes the server needs on the right; a Chinese header row; UTF-8
    with a byte-order mark so that Excel and WPS open it. Columns are found
    by their header, Chinese or the codes of the first layout (district,
    unit, indicator, ... value), so a clerk may reorder or delete the
    columns only read by people.

    Reading never refuses a whole file for one line: each filled-in line
    becomes a figure or a refusal that names the line, the column and the
    fix. Values are read as clerks type them (bm_clerk).
*/
#ifndef CLI_SHEET_H_INCLUDED
#define CLI_SHEET_H_INCLUDED

#include "bm_client.h"
#include "bm_clerk.h"
#include <stdio.h>

//  The columns a figure is read from
typedef enum {
    CLI_SHEET_DISTRICT, CLI_SHEET_UNIT, CLI_SHEET_INDICATOR, CLI_SHEET_MEASURE,
    CLI_SHEET_PERIOD, CLI_SHEET_KIND, CLI_SHEET_VALUE, CLI_SHEET_STATUS, CLI_SHEET_NOTE,
    CLI_SHEET_ID, CLI_SHEET_CONFIRMED, CLI_SHEET_COLUMNS
} cli_sheet_column_t;

//  One figure to send: a filled-in line of a CSV, or the command line's
typedef struct {
    int line;                   //  1-based line in the file, 0 for the command line
    char *cells [CLI_SHEET_COLUMNS];    //  trimmed; "" where absent
    int positions [CLI_SHEET_COLUMNS];  //  1-based column in the file, 0 if absent
    bm_clerk_value_t typed;     //  the value as read
    char value [BM_CLERK_NUMBER_MAX];   //  the value sent
    char id [BM_CLIENT_ID_SIZE];
    Battlemap__Figure figure;   //  its strings point into this line
    char *problem;              //  why it is refused here, NULL if it is not
} cli_sheet_line_t;

typedef struct {
    cli_sheet_line_t *lines;    //  the filled-in lines, in file order
    size_t count;
    int *unfilled;              //  lines with neither value nor status
    size_t unfilled_count;
    const char *encoding;       //  "UTF-8" or "GB18030"
} cli_sheet_t;

//  Writes the template of a TemplateReply for figures of `kind`
void
    cli_sheet_write (FILE *out, const Battlemap__TemplateReply *reply, const char *kind);

//  Reads a CSV (UTF-8, or GBK as Excel saves it). Returns 0, or -1 after
//  printing on stderr why the file as a whole cannot be read (no file, no
//  header, an unknown column).
int
    cli_sheet_read (const char *path, cli_sheet_t *sheet);

//  Makes one line from the command line's fields (NULL where not given)
void
    cli_sheet_line (cli_sheet_line_t *line, const char *cells [CLI_SHEET_COLUMNS]);

//  Brings values typed with a unit (79.5亿元, 12.5%) into their indicator's
//  unit of measure, which the server's template of the unit and period
//  says; a value that cannot be brought gets its problem. Returns 0, or -1
//  when the server did not answer (`command` names the command in what is
//  printed, and *exit_code is set to the exit code).
int
    cli_sheet_convert (cli_sheet_line_t *lines, size_t count, bm_client_t *client,
                       const char *command, int *exit_code);

//  The lines of unfilled rows as ranges ("5-9, 12") into buf
char *
    cli_sheet_ranges (const int *lines, size_t count, char *buf, size_t size);

void
    cli_sheet_line_free (cli_sheet_line_t *line);

void
    cli_sheet_free (cli_sheet_t *sheet);

#endif
