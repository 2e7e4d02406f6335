/*  bm_batch: everything one turn writes, in one transaction. */

#include "bm_batch.h"
#include "bm_arena.h"

#include <czmq.h>
#include <errno.h>
#include <string.h>

//  The tables, in the order their statements run (a figure may refer to
//  an exception of the same batch)
typedef enum {
    S_EXCEPTION, S_FIGURE, S_EVENT, S_FAMILY, S_ALERT, S_AUDIT, S_DEADLINE, S_SNAPSHOT,
    S_TABLES
} s_table_id_t;

#define S_COLUMNS   24          //  at most, in a table

//  A table's rows go in through one unnest over array parameters, its
//  columns typed as listed; `tail` follows the unnest: a column list for a
//  conversion, a conflict clause
typedef struct {
    const char *head;           //  INSERT INTO ... SELECT ... FROM unnest (
    const char *types [S_COLUMNS];  //  each column's array type
    int columns;
    const char *tail;           //  ) ...
    int binary;                 //  the bytea column, -1 if none
    int key;                    //  the column that identifies an object, -1 if none
} s_table_t;

static const s_table_t s_tables [S_TABLES] = {
    [S_EXCEPTION] = {
        "INSERT INTO window_exception (id, unit_id, period, kind, indicators, until, status,"
        " reason, requested_by, requested_at, decided_by, decided_at, decision_reason)"
        " SELECT id, unit_id, period, kind, indicators::text [], until, status, reason,"
        "  requested_by, requested_at, decided_by, decided_at, decision_reason FROM unnest (",
        { "bigint", "integer", "date", "text", "text", "timestamptz", "text", "text", "text",
          "timestamptz", "text", "timestamptz", "text" }, 13,
        ") AS u (id, unit_id, period, kind, indicators, until, status, reason, requested_by,"
        "  requested_at, decided_by, decided_at, decision_reason)"
        " ON CONFLICT (id) DO UPDATE SET until = EXCLUDED.until, status = EXCLUDED.status,"
        "  decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at,"
        "  decision_reason = EXCLUDED.decision_reason", -1, 0 },
    [S_FIGURE] = {
        "INSERT INTO figure (id, submission_id, content_hash, indicator_id, unit_id, period,"
        " kind, value, status, note, sender, late, exception_id, received_at, sender_key,"
        " confirmed) SELECT * FROM unnest (",
        { "bigint", "uuid", "text", "integer", "integer", "date", "text", "numeric", "text",
          "text", "text", "boolean", "bigint", "timestamptz", "text", "boolean" }, 16, ")",
        -1, -1 },
    [S_EVENT] = {
        "INSERT INTO event (seq, at, kind, topic, payload) SELECT * FROM unnest (",
        { "bigint", "timestamptz", "text", "text", "bytea" }, 5, ")", 4, -1 },
    [S_FAMILY] = {
        "INSERT INTO event_family (prefix, seq) SELECT * FROM unnest (",
        { "text", "bigint" }, 2, ") ON CONFLICT (prefix) DO UPDATE SET seq = EXCLUDED.seq",
        -1, 0 },
    [S_ALERT] = {
        "INSERT INTO alert (id, labels, rule, district, unit, indicator, measure, period, kind,"
        " severity, state, value, message, fired_at, updated_at, resolved_at, acked_at,"
        " acked_by, ack_reason, silenced_until, silenced_by, silence_reason, resolution)"
        " SELECT * FROM unnest (",
        { "bigint", "text", "text", "text", "text", "text", "text", "text", "text", "text",
          "text", "text", "text", "timestamptz", "timestamptz", "timestamptz", "timestamptz",
          "text", "text", "timestamptz", "text", "text", "text" }, 23,
        ") ON CONFLICT (id) DO UPDATE SET severity = EXCLUDED.severity, state = EXCLUDED.state,"
        "  resolution = EXCLUDED.resolution,"
        "  value = EXCLUDED.value, message = EXCLUDED.message, updated_at = EXCLUDED.updated_at,"
        "  resolved_at = EXCLUDED.resolved_at, acked_at = EXCLUDED.acked_at,"
        "  acked_by = EXCLUDED.acked_by, ack_reason = EXCLUDED.ack_reason,"
        "  silenced_until = EXCLUDED.silenced_until, silenced_by = EXCLUDED.silenced_by,"
        "  silence_reason = EXCLUDED.silence_reason", -1, 0 },
    [S_AUDIT] = {
        "INSERT INTO audit (at, public_key, name, action, outcome, reason, detail)"
        " SELECT * FROM unnest (",
        { "timestamptz", "text", "text", "text", "text", "text", "text" }, 7, ")", -1, -1 },
    [S_DEADLINE] = {
        "INSERT INTO deadline_passed (plan_id, period, kind, deadline, noted_at)"
        " SELECT * FROM unnest (",
        { "integer", "date", "text", "timestamptz", "timestamptz" }, 5,
        ") ON CONFLICT DO NOTHING", -1, -1 },
    [S_SNAPSHOT] = {
        "INSERT INTO snapshot (plan_id, period, taken_at, wall) SELECT * FROM unnest (",
        { "integer", "date", "timestamptz", "bytea" }, 4, ") ON CONFLICT DO NOTHING", 3, -1 }
};

//  A table with a few rows takes them as VALUES of plain parameters rather
//  than unnest over arrays, which costs the database less: parsing an array
//  and expanding it cost more than the parameters themselves. pgbench, a
//  figure and three events, one client, prepared: 0.203 ms with the events
//  through unnest, 0.191 ms as three rows of VALUES.
#define S_VALUES_ROWS   BM_BATCH_VALUES_ROWS

//  The statements a batch is made of, each prepared once per connection and
//  named after what it writes: a small turn's insert per table and number
//  of rows as VALUES, the chain's mark and the two checks of the turn
//  before (see bm_batch_link_t); a large turn's one statement, by its check
//  and mark
#define S_CHAIN_MARK    "batch_chain"
#define S_CHECK_EVENT   "batch_check_event"
#define S_CHECK_CHAIN   "batch_check_chain"

static void
s_table_name (int id, int rows, char *name, size_t size)
{
    snprintf (name, size, "batch_%d_%d", id, rows);
}

//  A table's insert, its parameters numbered from `first`
static char *
s_table_sql (int id, int rows, int first, int *params)
{
    assert (id >= 0 && id < S_TABLES && rows >= 0 && rows <= S_VALUES_ROWS);
    const s_table_t *table = s_tables + id;
    //  The head ends with "unnest (" and the tail starts with ")"; rows as
    //  VALUES take the place of the unnest, under an alias
    size_t head = strlen (table->head) - (rows? strlen ("unnest ("): 0);
    assert (table->tail [0] == ')');
    //  Room for the head, the tail, "(VALUES ", " AS v", the rows'
    //  parentheses, and each column's ", $NNN::timestamptz []" (at most 23)
    char *sql = (char *) malloc (head + strlen (table->tail) + 64
                                 + (size_t) (rows? rows: 1) * (size_t) table->columns * 32);
    assert (sql);
    char *out = sql + sprintf (sql, "%.*s%s", (int) head, table->head, rows? "(VALUES ": "");
    int next = first;
    for (int row = 0; row < (rows? rows: 1); row++) {
        if (rows)
            out += sprintf (out, row? ", (": "(");
        for (int column = 0; column < table->columns; column++)
            out += sprintf (out, "%s$%d::%s%s", column? ", ": "", next++,
                            table->types [column], rows? "": " []");
        if (rows)
            out += sprintf (out, ")");
    }
    const char *tail = table->tail + 1;
    bool alias = strncmp (tail, " AS ", 4) == 0;
    sprintf (out, ")%s%s", rows && !alias? " AS v": "", tail);
    *params = next - first;
    return sql;
}

char *
bm_batch_table_sql (int id, int rows, int *params)
{
    return s_table_sql (id, rows, 1, params);
}

//  The check that the turn before left its mark, parameter `number`: it
//  divides by zero, failing the transaction, when the mark is missing
static char *
s_check_sql (const char *check, int number)
{
    return zsys_sprintf ("SELECT 1 / (SELECT count (*) FROM %s = $%d::bigint)::integer",
                         streq (check, S_CHECK_EVENT)? "event WHERE seq"
                                                     : "commit_chain WHERE turn", number);
}

//  The statement of a large turn: every table's insert over unnest (of
//  empty arrays for a table without rows) as a data-modifying WITH, the
//  chain's mark one too if `mark`, then the check of the turn before if
//  `check` (the whole statement sees the database as it was before it, so
//  the check reads the chain as the turn before left it). Its parameters:
//  the mark, each table's columns in turn, the check.
static char *
s_whole_sql (const char *check, bool mark, int *params)
{
    int next = 1;
    char *sql = zsys_sprintf ("WITH%s", mark? " chain AS (UPDATE commit_chain SET turn ="
                                              " $1::bigint),": "");
    next += mark;
    for (int id = 0; id < S_TABLES; id++) {
        int count;
        char *table = s_table_sql (id, 0, next, &count);
        char *grown = zsys_sprintf ("%s t%d AS (%s)%s", sql, id, table,
                                    id + 1 < S_TABLES? ",": "");
        free (table);
        free (sql);
        sql = grown;
        next += count;
    }
    char *tail = check? s_check_sql (check, next++): strdup ("SELECT 1");
    char *whole = zsys_sprintf ("%s %s", sql, tail);
    free (tail);
    free (sql);
    *params = next - 1;
    return whole;
}

typedef struct {
    char *data;                 //  NULL: SQL NULL
    size_t size;
} s_value_t;

typedef struct {
    s_value_t *values;          //  one per column
} s_row_t;

typedef struct {
    s_row_t **rows;             //  in the order queued
    size_t count;
    size_t capacity;
    zhashx_t *keys;             //  key -> its row, for keyed tables
    int columns;
} s_queue_t;

//  Structure of our class

struct _bm_batch_t {
    s_queue_t tables [S_TABLES];
    size_t rows;
    uint64_t last_seq;          //  of the events queued, 0 if none
    bm_arena_t *arena;          //  the rows and their values, until the reset
};

bm_batch_t *
bm_batch_new (void)
{
    bm_batch_t *self = (bm_batch_t *) zmalloc (sizeof (bm_batch_t));
    self->arena = bm_arena_new ();
    for (int table = 0; table < S_TABLES; table++) {
        self->tables [table].columns = s_tables [table].columns;
        if (s_tables [table].key >= 0) {
            self->tables [table].keys = zhashx_new ();
            zhashx_set_destructor (self->tables [table].keys, NULL);
        }
    }
    return self;
}

void
bm_batch_destroy (bm_batch_t **self_p)
{
    assert (self_p);
    bm_batch_t *self = *self_p;
    if (!self)
        return;
    for (int table = 0; table < S_TABLES; table++) {
        free (self->tables [table].rows);
        zhashx_destroy (&self->tables [table].keys);
    }
    bm_arena_destroy (&self->arena);
    free (self);
    *self_p = NULL;
}

void
bm_batch_reset (bm_batch_t *self)
{
    for (int table = 0; table < S_TABLES; table++) {
        self->tables [table].count = 0;
        if (self->tables [table].keys)
            zhashx_purge (self->tables [table].keys);
    }
    self->rows = 0;
    self->last_seq = 0;
    bm_arena_destroy (&self->arena);
    self->arena = bm_arena_new ();
}

bool
bm_batch_empty (bm_batch_t *self)
{
    return self->rows == 0;
}

size_t
bm_batch_rows (bm_batch_t *self)
{
    return self->rows;
}

uint64_t
bm_batch_witness (bm_batch_t *self)
{
    return self->last_seq;
}

//  Queues a row of text values, the binary one at the table's binary column
static void
s_add (bm_batch_t *self, s_table_id_t id, const char *const *values,
       const void *binary_data, size_t binary_size)
{
    s_queue_t *table = self->tables + id;
    s_value_t *row = bm_arena_alloc (self->arena, (size_t) table->columns * sizeof (s_value_t));
    for (int column = 0; column < table->columns; column++) {
        if (column == s_tables [id].binary) {
            row [column].data = bm_arena_alloc (self->arena, binary_size);
            if (binary_size)
                memcpy (row [column].data, binary_data, binary_size);
            row [column].size = binary_size;
        }
        else
        if (values [column]) {
            row [column].size = strlen (values [column]);
            row [column].data = bm_arena_alloc (self->arena, row [column].size + 1);
            memcpy (row [column].data, values [column], row [column].size + 1);
        }
    }
    //  An object queued again: its state now replaces the one queued
    //  before, in its place
    s_row_t *existing = table->keys? zhashx_lookup (table->keys, values [s_tables [id].key])
                                   : NULL;
    if (existing) {
        existing->values = row;
        return;
    }
    s_row_t *entry = bm_arena_alloc (self->arena, sizeof (s_row_t));
    entry->values = row;
    if (table->count == table->capacity) {
        table->capacity = table->capacity? 2 * table->capacity: 64;
        table->rows = (s_row_t **) realloc (table->rows, table->capacity * sizeof (s_row_t *));
        assert (table->rows);
    }
    table->rows [table->count++] = entry;
    if (table->keys)
        zhashx_insert (table->keys, values [s_tables [id].key], entry);
    self->rows++;
}

void
bm_batch_figure (bm_batch_t *self, const char *const values [16])
{
    s_add (self, S_FIGURE, values, NULL, 0);
}

void
bm_batch_event (bm_batch_t *self, uint64_t seq, const char *at, const char *kind,
                const char *topic, const void *payload, size_t size)
{
    char number [24];
    snprintf (number, sizeof number, "%llu", (unsigned long long) seq);
    const char *values [] = { number, at, kind, topic, NULL };
    s_add (self, S_EVENT, values, payload, size);
    if (seq > self->last_seq)
        self->last_seq = seq;
}

void
bm_batch_family (bm_batch_t *self, const char *prefix, uint64_t seq)
{
    char number [24];
    snprintf (number, sizeof number, "%llu", (unsigned long long) seq);
    const char *values [] = { prefix, number };
    s_add (self, S_FAMILY, values, NULL, 0);
}

void
bm_batch_alert (bm_batch_t *self, const char *const values [23])
{
    s_add (self, S_ALERT, values, NULL, 0);
}

void
bm_batch_audit (bm_batch_t *self, const char *const values [7])
{
    s_add (self, S_AUDIT, values, NULL, 0);
}

void
bm_batch_deadline (bm_batch_t *self, const char *const values [5])
{
    s_add (self, S_DEADLINE, values, NULL, 0);
}

void
bm_batch_snapshot (bm_batch_t *self, const char *plan_id, const char *period,
                   const char *taken_at, const void *wall, size_t size)
{
    const char *values [] = { plan_id, period, taken_at, NULL };
    s_add (self, S_SNAPSHOT, values, wall, size);
}

void
bm_batch_exception (bm_batch_t *self, const char *const values [13])
{
    s_add (self, S_EXCEPTION, values, NULL, 0);
}

//  ---------------------------------------------------------------------------
//  Commit

//  A text array literal of one column: {"a","b",NULL}
static char *
s_text_array (const s_queue_t *queue, int column, size_t *size)
{
    size_t capacity = 64;
    for (size_t index = 0; index < queue->count; index++) {
        const s_value_t *value = queue->rows [index]->values + column;
        capacity += value->data? 2 * value->size + 3: 5;
    }
    char *text = (char *) malloc (capacity);
    assert (text);
    char *out = text;
    *out++ = '{';
    bool first = true;
    for (size_t index = 0; index < queue->count; index++) {
        const s_value_t *row = queue->rows [index]->values;
        if (!first)
            *out++ = ',';
        first = false;
        if (!row [column].data) {
            memcpy (out, "NULL", 4);
            out += 4;
            continue;
        }
        *out++ = '"';
        for (size_t index = 0; index < row [column].size; index++) {
            char c = row [column].data [index];
            if (c == '"' || c == '\\')
                *out++ = '\\';
            *out++ = c;
        }
        *out++ = '"';
    }
    *out++ = '}';
    *out = '\0';
    *size = (size_t) (out - text);
    return text;
}

static void
s_put_int32 (byte *out, uint32_t value)
{
    out [0] = (byte) (value >> 24);
    out [1] = (byte) (value >> 16);
    out [2] = (byte) (value >> 8);
    out [3] = (byte) value;
}

//  The element types sent as binary arrays, by their OIDs in pg_type:
//  those whose binary form is their text's bytes or a plain integer. The
//  others (uuid, date, timestamptz, numeric) go as text.
static uint32_t
s_binary_type (const char *type)
{
    return streq (type, "text")? 25: streq (type, "bytea")? 17: streq (type, "bigint")? 20
         : streq (type, "integer")? 23: streq (type, "boolean")? 16: 0;
}

//  One element's binary form (at most 8 bytes for the numbers), its size;
//  -1 if the text is not one of its type
static int
s_binary_number (uint32_t type, const char *text, byte *out)
{
    if (type == 16) {
        bool truth = streq (text, "true") || streq (text, "t");
        if (!truth && !streq (text, "false") && !streq (text, "f"))
            return -1;
        out [0] = truth;
        return 1;
    }
    char *end;
    errno = 0;
    long long number = strtoll (text, &end, 10);
    if (errno || end == text || *end)
        return -1;
    if (type == 23) {
        if (number < INT32_MIN || number > INT32_MAX)
            return -1;
        s_put_int32 (out, (uint32_t) (int32_t) number);
        return 4;
    }
    s_put_int32 (out, (uint32_t) ((uint64_t) number >> 32));
    s_put_int32 (out + 4, (uint32_t) number);
    return 8;
}

//  A column in PostgreSQL's binary array format (array_send): ndim, has
//  nulls, element type, the dimension and its lower bound, then each
//  element's length (-1: NULL) and bytes. Parsing a text array costs the
//  database more: every byte is scanned for quotes and separators, every
//  element goes through its type's input function. NULL if a value is not
//  of the column's type (the column then goes as text, for the database to
//  refuse).
static char *
s_binary_array (const s_queue_t *queue, int column, uint32_t type, size_t *size)
{
    size_t count = queue->count;
    size_t capacity = 20;
    bool nulls = false;
    for (size_t index = 0; index < count; index++) {
        const s_value_t *value = queue->rows [index]->values + column;
        capacity += 4 + (type == 25 || type == 17? value->size: 8);
        nulls |= value->data == NULL;
    }
    byte *data = (byte *) malloc (capacity);
    assert (data);
    byte *out = data;
    s_put_int32 (out, count? 1: 0);
    s_put_int32 (out + 4, nulls);
    s_put_int32 (out + 8, type);
    out += 12;
    if (count) {
        s_put_int32 (out, (uint32_t) count);
        s_put_int32 (out + 4, 1);
        out += 8;
    }
    for (size_t index = 0; index < count; index++) {
        const s_value_t *value = queue->rows [index]->values + column;
        int length = (int) value->size;
        if (!value->data)
            length = -1;
        else
        if (type == 25 || type == 17)
            memcpy (out + 4, value->data, value->size);
        else
        if ((length = s_binary_number (type, value->data, out + 4)) < 0) {
            free (data);
            return NULL;
        }
        s_put_int32 (out, (uint32_t) length);
        out += 4 + (length > 0? length: 0);
    }
    *size = (size_t) (out - data);
    return (char *) data;
}

//  A turn goes as a few plain statements while each table has at most
//  S_VALUES_ROWS rows, otherwise as one statement of data-modifying WITHs
//  over arrays (s_whole_sql). For a small turn, plain statements cost the
//  database less: pgbench, one client, prepared, a figure and three
//  events, 0.164 ms a transaction as one statement against 0.157 ms as two
//  in a pipeline (four alternating runs of 5 s); battlemapd, one client
//  with one request in flight, the database's part of a turn (the server's
//  own timing, medians of six paired runs): 155-172 us against 161-183 us,
//  lower in five pairs of six, by 7 us on average. For 100
//  figures a turn, plain statements over arrays were slower in three of
//  four paired runs (1 connection, 2 in flight: 48,776-51,332 against
//  51,478-56,870 figures/s), so a large turn stays one statement. Its
//  inserts into tables without rows, over empty arrays, cost nothing
//  measurable (pgbench, 100 figures and 300 events, with and without six
//  of them: 1.76-2.04 ms against 1.76-1.85 ms, four runs each).

//  Sends one statement already prepared, its parameters given as they are
static int
s_execute (PGconn *conn, const char *name, int params, char **values, int *lengths,
           int *formats)
{
    return PQsendQueryPrepared (conn, name, params, (const char *const *) values, lengths,
                                formats, 0) == 1? 0: -1;
}

//  A number as a parameter, formatted into `text`
static void
s_number (long long number, char *text, size_t size, char **value, int *length)
{
    *length = snprintf (text, size, "%lld", number);
    *value = text;
}

//  A table's parameters: each row's own values in turn as VALUES (NULL:
//  SQL NULL), not owned here; otherwise an array a column, allocated (the
//  caller frees the first `columns` values). Returns how many.
static int
s_table_params (bm_batch_t *self, int id, int rows, char **values, int *lengths,
                int *formats)
{
    const s_table_t *table = s_tables + id;
    const s_queue_t *queue = self->tables + id;
    int param = 0;
    for (int row = 0; row < (rows? rows: 1); row++)
        for (int column = 0; column < table->columns; column++, param++) {
            size_t size;
            bool binary = column == table->binary;
            if (rows) {
                const s_value_t *value = queue->rows [row]->values + column;
                values [param] = value->data;
                size = value->size;
            }
            else {
                uint32_t type = s_binary_type (table->types [column]);
                values [param] = type? s_binary_array (queue, column, type, &size): NULL;
                binary = values [param] != NULL;
                if (!binary)
                    values [param] = s_text_array (queue, column, &size);
            }
            lengths [param] = (int) size;
            formats [param] = binary? 1: 0;
        }
    return param;
}

//  Prepares a statement on the connection, and notes it there; frees the SQL
static int
s_prepare (PGconn *conn, zhashx_t *prepared, const char *name, char *sql, int params)
{
    int rc = PQsendPrepare (conn, name, sql, params, NULL) == 1? 0: -1;
    if (rc == 0)
        zhashx_insert (prepared, name, prepared);
    free (sql);
    return rc;
}

//  A small turn: the statements not yet prepared on the connection first (a
//  statement that fails skips what follows it until the sync, and one
//  prepared after it would be missing from then on), then, in one
//  transaction, the check of the turn before (which reads the chain before
//  this turn marks it), the tables in their order, the mark
static int
s_send_plain (bm_batch_t *self, PGconn *conn, zhashx_t *prepared, const char *check,
              long long checked, bool mark, long long turn)
{
    int rc = 0, params;
    char name [32];
    if (check && !zhashx_lookup (prepared, check))
        rc |= s_prepare (conn, prepared, check, s_check_sql (check, 1), 1);
    for (int id = 0; id < S_TABLES; id++) {
        int rows = (int) self->tables [id].count;
        s_table_name (id, rows, name, sizeof name);
        if (rows && !zhashx_lookup (prepared, name)) {
            char *sql = bm_batch_table_sql (id, rows, &params);
            rc |= s_prepare (conn, prepared, name, sql, params);
        }
    }
    if (mark && !zhashx_lookup (prepared, S_CHAIN_MARK))
        rc |= s_prepare (conn, prepared, S_CHAIN_MARK,
                         strdup ("UPDATE commit_chain SET turn = $1::bigint"), 1);
    char text [24], *values [S_VALUES_ROWS * S_COLUMNS];
    int lengths [S_VALUES_ROWS * S_COLUMNS], formats [S_VALUES_ROWS * S_COLUMNS] = { 0 };
    if (rc == 0 && check) {
        s_number (checked, text, sizeof text, values, lengths);
        rc = s_execute (conn, check, 1, values, lengths, formats);
    }
    for (int id = 0; rc == 0 && id < S_TABLES; id++) {
        int rows = (int) self->tables [id].count;
        if (!rows)
            continue;
        s_table_name (id, rows, name, sizeof name);
        params = s_table_params (self, id, rows, values, lengths, formats);
        rc = s_execute (conn, name, params, values, lengths, formats);
    }
    if (rc == 0 && mark) {
        s_number (turn, text, sizeof text, values, lengths);
        formats [0] = 0;
        rc = s_execute (conn, S_CHAIN_MARK, 1, values, lengths, formats);
    }
    return rc;
}

//  A large turn: one statement, prepared first if it is not yet
static int
s_send_whole (bm_batch_t *self, PGconn *conn, zhashx_t *prepared, const char *check,
              long long checked, bool mark, long long turn)
{
    char name [32];
    snprintf (name, sizeof name, "batch_whole_%s_%d",
              check? streq (check, S_CHECK_EVENT)? "event": "chain": "none", mark);
    int rc = 0, params = mark + (check? 1: 0);
    for (int id = 0; id < S_TABLES; id++)
        params += s_tables [id].columns;
    if (!zhashx_lookup (prepared, name)) {
        int count;
        char *sql = s_whole_sql (check, mark, &count);
        assert (count == params);
        rc = s_prepare (conn, prepared, name, sql, params);
    }
    char **values = (char **) zmalloc ((size_t) params * sizeof (char *));
    int *lengths = (int *) zmalloc ((size_t) params * sizeof (int));
    int *formats = (int *) zmalloc ((size_t) params * sizeof (int));
    char mark_text [24], check_text [24];
    int param = 0;
    if (mark) {
        s_number (turn, mark_text, sizeof mark_text, values + param, lengths + param);
        param++;
    }
    int arrays = param;
    for (int id = 0; id < S_TABLES; id++)
        param += s_table_params (self, id, 0, values + param, lengths + param,
                                 formats + param);
    int tables_end = param;
    if (check)
        s_number (checked, check_text, sizeof check_text, values + param, lengths + param);
    if (rc == 0)
        rc = s_execute (conn, name, params, values, lengths, formats);
    for (int index = arrays; index < tables_end; index++)
        free (values [index]);
    free (values);
    free (lengths);
    free (formats);
    return rc;
}

int
bm_batch_send (bm_batch_t *self, PGconn *conn, zhashx_t *prepared,
               const bm_batch_link_t *link)
{
    const char *check = link->witness? S_CHECK_EVENT: link->previous? S_CHECK_CHAIN: NULL;
    long long checked = link->witness? (long long) link->witness: (long long) link->previous;
    bool mark = self->last_seq == 0;
    bool small = true;
    for (int id = 0; id < S_TABLES; id++)
        small &= self->tables [id].count <= S_VALUES_ROWS;
    int rc = small? s_send_plain (self, conn, prepared, check, checked, mark, link->turn)
                  : s_send_whole (self, conn, prepared, check, checked, mark, link->turn);
    if (rc == 0 && !PQpipelineSync (conn))
        rc = -1;
    if (rc)
        zsys_error ("database: cannot send a batch: %s", PQerrorMessage (conn));
    return rc;
}
