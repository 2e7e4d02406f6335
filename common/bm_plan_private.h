/*  bm_plan_private: what the parts of the plan parser share.

    bm_plan.c            the driver: files, problems, the result, lookups
    bm_plan_table.c      one CSV table: its header, its fields, their checks
    bm_plan_define.c     plan.csv and units.csv
    bm_plan_indicator.c  indicators.csv: codes, measures, kinds, formulas
    bm_plan_kind.c       the kinds of indicator and what fits each
    bm_plan_refer.c      references from a row to units and indicators
    bm_plan_target.c     targets.csv, milestones.csv and tasks.csv
    bm_plan_judge.c      baselines.csv and rankings.csv
    bm_plan_cycle.c      the reporting cycle: deadline_rule and holidays.csv

    Not part of the API: only the parser's own sources include it.
*/
#ifndef BM_PLAN_PRIVATE_H_INCLUDED
#define BM_PLAN_PRIVATE_H_INCLUDED

#include "bm_csv.h"
#include "bm_evaluate.h"
#include "bm_plan.h"

//  File kinds, in the order problems are reported
typedef enum {
    BM_PLAN_FILE_PLAN = 0,
    BM_PLAN_FILE_UNITS,
    BM_PLAN_FILE_INDICATORS,
    BM_PLAN_FILE_TARGETS,
    BM_PLAN_FILE_MILESTONES,
    BM_PLAN_FILE_TASKS,
    BM_PLAN_FILE_BASELINES,
    BM_PLAN_FILE_RANKINGS,
    BM_PLAN_FILE_HOLIDAYS,
    BM_PLAN_FILE_KINDS
} bm_plan_file_kind_t;

#define BM_PLAN_MAX_COLUMNS 24          //  at most 32: a row's problems are bits

#define BM_PLAN_KINDS (BM_KIND_GROUP + 1)   //  kinds of indicator (bm_kind_t)

//  A problem, kept until all are sorted into file and line order
typedef struct {
    int file;                   //  bm_plan_file_kind_t, or -1 for the file set
    int line;                   //  0: the file as a whole
    int column;                 //  0: the line as a whole
    size_t sequence;            //  order of discovery, among equals
    char *text;                 //  "file:line:column: what is wrong"
} bm_plan_problem_t;

//  What one indicator code has, over its rows in indicators.csv
typedef struct {
    size_t first;               //  index of its first row in plan->indicators
    int line;                   //  line of that row
    size_t rows;
    bool composite;             //  its rows name measures
} bm_plan_code_t;

typedef struct {
    bm_plan_t *plan;            //  the result being built
    bm_plan_problem_t *problems;
    size_t problem_count;
    size_t problem_limit;
    zhashx_t *units;            //  unit name -> line in units.csv
    bool units_known;           //  units.csv was read: check references to it
    zhashx_t *codes;            //  indicator code -> bm_plan_code_t
    zhashx_t *measures;         //  "code\x1fmeasure" -> index + 1 in plan->indicators
    bool indicators_known;      //  indicators.csv was read: check references
} bm_plan_parser_t;

//  A column a file may have
typedef struct {
    const char *name;
    bool required;
    const char *hint;           //  how to fill it in, when it is empty
} bm_plan_column_t;

//  One file being read, and its current row
typedef struct {
    bm_plan_parser_t *parser;
    int file;                   //  bm_plan_file_kind_t
    const char *name;           //  file name for messages
    const bm_plan_column_t *columns;
    int column_count;
    int dash_column;            //  the column that may hold "—", or -1
    int position [BM_PLAN_MAX_COLUMNS];     //  field index of each column, -1 absent
    const bm_csv_row_t *header; //  NULL if the file has no rows
    const bm_csv_row_t *row;    //  the row being read
    unsigned reported;          //  columns of this row with a problem reported
} bm_plan_table_t;

//  ---------------------------------------------------------------------------
//  bm_plan.c

//  Record a problem at line:column of a file (line 0 or column 0 for the
//  file or the line as a whole). `name` is the file name to show.
void
    bm_plan_problem (bm_plan_parser_t *parser, int file, const char *name,
                     int line, int column, const char *format, ...)
    __attribute__ ((format (printf, 6, 7)));

//  "code\x1fmeasure", for the measures table; caller frees
char *
    bm_plan_measure_key (const char *code, const char *measure);

//  ---------------------------------------------------------------------------
//  bm_plan_table.c

//  Start reading a file: map its header row (or report it missing)
void
    bm_plan_table_start (bm_plan_table_t *self, bm_plan_parser_t *parser,
                         int file, const char *name, const bm_plan_column_t *columns,
                         int dash_column, const bm_csv_t *csv);

//  A field of any row, without checks ("" if absent)
const char *
    bm_plan_table_peek (bm_plan_table_t *self, const bm_csv_row_t *row, int column);

//  Move to a data row: checks the number of fields and misplaced "—"
void
    bm_plan_table_row (bm_plan_table_t *self, const bm_csv_row_t *row);

//  Report a problem with the current row at a column (its line, its
//  position); later checks of that column are skipped.
void
    bm_plan_table_fail (bm_plan_table_t *self, int column, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

//  True if the header has the column and no problem was reported for it
bool
    bm_plan_table_usable (bm_plan_table_t *self, int column);

//  The field's text, "" if absent
const char *
    bm_plan_table_text (bm_plan_table_t *self, int column);

//  A copy of the field's text, "" if absent; reports it if required and empty
char *
    bm_plan_table_string (bm_plan_table_t *self, int column);

//  Index of the field's text in `choices` (NULL-terminated), `fallback` if
//  it is empty and not required, -1 (reported) if it is none of them.
int
    bm_plan_table_choice (bm_plan_table_t *self, int column,
                          const char *const *choices, int fallback);

//  Parse the field as a decimal. Returns true if it has one; false if it
//  is empty (reported if required) or not a number (reported).
bool
    bm_plan_table_decimal (bm_plan_table_t *self, int column, bm_decimal_t *value);

//  Parse the field as a whole number in min..max. Returns true if valid;
//  false if empty (reported if required) or out of range (reported).
bool
    bm_plan_table_whole (bm_plan_table_t *self, int column, int min, int max,
                         int *value);

//  Check a field is an ASCII code (letters, digits, '-', '_', '.')
void
    bm_plan_table_code (bm_plan_table_t *self, int column);

//  Go back to a row read before, with the columns reported on it then
//  (self->reported as it was), to check what needed the rows after it
void
    bm_plan_table_revisit (bm_plan_table_t *self, const bm_csv_row_t *row,
                           unsigned reported);

//  ---------------------------------------------------------------------------
//  bm_plan_define.c

void
    bm_plan_read_header (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv);
void
    bm_plan_read_units (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv);

//  True if following parents (name -> parent name) from `start` leads back to it
bool
    bm_plan_in_cycle (zhashx_t *parents, const char *start);

//  ---------------------------------------------------------------------------
//  bm_plan_indicator.c

void
    bm_plan_read_indicators (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv);

//  ---------------------------------------------------------------------------
//  bm_plan_kind.c

//  The kinds of target (total, growth, level, qualitative), NULL-terminated
extern const char *const bm_plan_target_kinds [];

//  Read an indicator's kind from a column; returns it (a bm_kind_t), or -1
//  if it is empty or none of them (reported)
int
    bm_plan_read_kind (bm_plan_table_t *table, int column);

//  A kind (a bm_kind_t) in a sentence: "an amount", "a ratio", "qualitative"
const char *
    bm_plan_kind_phrase (int kind);

//  The indicator's kind (a bm_kind_t), or -1 if indicators.csv gave none
//  that is valid
int
    bm_plan_indicator_kind (const bm_plan_indicator_t *indicator);

//  Check a target of a kind (an index in bm_plan_target_kinds) fits its
//  indicator; reported at `column`.
void
    bm_plan_fit_target (bm_plan_table_t *table, int column,
                        const bm_plan_indicator_t *indicator, int target_kind);

//  Check the indicator may have milestones (amount), baselines (not group
//  or ratio), or be ranked (not group or qualitative); reported at `column`.
void
    bm_plan_fit_milestone (bm_plan_table_t *table, int column,
                           const bm_plan_indicator_t *indicator);
void
    bm_plan_fit_baseline (bm_plan_table_t *table, int column,
                          const bm_plan_indicator_t *indicator);
void
    bm_plan_fit_ranking (bm_plan_table_t *table, int column,
                         const bm_plan_indicator_t *indicator);

//  ---------------------------------------------------------------------------
//  bm_plan_refer.c

//  Check an indicator code and measure against indicators.csv; returns the
//  indicator's row, or NULL (reported unless indicators.csv is unusable).
const bm_plan_indicator_t *
    bm_plan_refer_indicator (bm_plan_table_t *table, int code_column, int measure_column,
                             const char *code, const char *measure);

//  Check a unit name: a unit of units.csv, or the district
void
    bm_plan_refer_unit (bm_plan_table_t *table, int column, const char *unit,
                        const char *what);

//  Report a row whose key an earlier row of the file has ("`what` is
//  already on line N"); remember it otherwise. True if it was a duplicate.
bool
    bm_plan_refer_duplicate (bm_plan_table_t *table, zhashx_t *seen, int column,
                             const char *key, const char *what);

//  "a, b, c" of the measures of a composite indicator; caller frees
char *
    bm_plan_measure_list (const bm_plan_t *plan, const char *code);

//  " measure \"M\"" for a measure, "" for none: for messages; caller frees
char *
    bm_plan_measure_phrase (const char *measure);

//  An array of `rows` elements of `size`, at least one, zeroed
void *
    bm_plan_allocate (size_t rows, size_t size);

//  ---------------------------------------------------------------------------
//  bm_plan_target.c

void
    bm_plan_read_targets (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv);
void
    bm_plan_read_milestones (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv);
void
    bm_plan_read_tasks (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv);

//  ---------------------------------------------------------------------------
//  bm_plan_judge.c

void
    bm_plan_read_baselines (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv);
void
    bm_plan_read_rankings (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv);

//  ---------------------------------------------------------------------------
//  bm_plan_cycle.c

//  Read plan.csv's deadline_rule from a column into the header's
void
    bm_plan_read_deadline_rule (bm_plan_table_t *table, int column);

//  plan.csv's reminder_days: distinct whole days, 1 to 27, comma-separated
void
    bm_plan_read_reminder_days (bm_plan_table_t *table, int column);
void
    bm_plan_read_holidays (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv);

#endif
