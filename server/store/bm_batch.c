/*  bm_batch: everything one turn writes, in one transaction. */

#include "bm_batch.h"

#include <czmq.h>
#include <string.h>

//  The tables, in the order their statements run (a figure may refer to
//  an exception of the same batch)
typedef enum {
    S_EXCEPTION, S_FIGURE, S_EVENT, S_FAMILY, S_ALERT, S_AUDIT, S_DEADLINE, S_SNAPSHOT,
    S_TABLES
} s_table_id_t;

const bm_batch_statement_t bm_batch_statements [] = {
    { "batch_exception",
      "INSERT INTO window_exception (id, unit_id, period, kind, indicators, until, status,"
      " reason, requested_by, requested_at, decided_by, decided_at, decision_reason)"
      " SELECT id, unit_id, period, kind, indicators::text [], until, status, reason,"
      "  requested_by, requested_at, decided_by, decided_at, decision_reason"
      " FROM unnest ($1::bigint [], $2::integer [], $3::date [], $4::text [], $5::text [],"
      "  $6::timestamptz [], $7::text [], $8::text [], $9::text [], $10::timestamptz [],"
      "  $11::text [], $12::timestamptz [], $13::text [])"
      " AS u (id, unit_id, period, kind, indicators, until, status, reason, requested_by,"
      "  requested_at, decided_by, decided_at, decision_reason)"
      " ON CONFLICT (id) DO UPDATE SET until = EXCLUDED.until, status = EXCLUDED.status,"
      "  decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at,"
      "  decision_reason = EXCLUDED.decision_reason", 13 },
    { "batch_figure",
      "INSERT INTO figure (id, submission_id, content_hash, indicator_id, unit_id, period,"
      " kind, value, status, note, sender, late, exception_id, received_at, sender_key)"
      " SELECT * FROM unnest ($1::bigint [], $2::uuid [], $3::text [], $4::integer [],"
      "  $5::integer [], $6::date [], $7::text [], $8::numeric [], $9::text [], $10::text [],"
      "  $11::text [], $12::boolean [], $13::bigint [], $14::timestamptz [], $15::text [])",
      15 },
    { "batch_event",
      "INSERT INTO event (seq, at, kind, topic, payload)"
      " SELECT * FROM unnest ($1::bigint [], $2::timestamptz [], $3::text [], $4::text [],"
      "  $5::bytea [])", 5 },
    { "batch_family",
      "INSERT INTO event_family (prefix, seq) SELECT * FROM unnest ($1::text [], $2::bigint [])"
      " ON CONFLICT (prefix) DO UPDATE SET seq = EXCLUDED.seq", 2 },
    { "batch_alert",
      "INSERT INTO alert (id, labels, rule, district, unit, indicator, measure, period, kind,"
      " severity, state, value, message, fired_at, updated_at, resolved_at, acked_at,"
      " acked_by, ack_reason, silenced_until, silenced_by, silence_reason)"
      " SELECT * FROM unnest ($1::bigint [], $2::text [], $3::text [], $4::text [],"
      "  $5::text [], $6::text [], $7::text [], $8::text [], $9::text [], $10::text [],"
      "  $11::text [], $12::text [], $13::text [], $14::timestamptz [], $15::timestamptz [],"
      "  $16::timestamptz [], $17::timestamptz [], $18::text [], $19::text [],"
      "  $20::timestamptz [], $21::text [], $22::text [])"
      " ON CONFLICT (id) DO UPDATE SET severity = EXCLUDED.severity, state = EXCLUDED.state,"
      "  value = EXCLUDED.value, message = EXCLUDED.message, updated_at = EXCLUDED.updated_at,"
      "  resolved_at = EXCLUDED.resolved_at, acked_at = EXCLUDED.acked_at,"
      "  acked_by = EXCLUDED.acked_by, ack_reason = EXCLUDED.ack_reason,"
      "  silenced_until = EXCLUDED.silenced_until, silenced_by = EXCLUDED.silenced_by,"
      "  silence_reason = EXCLUDED.silence_reason", 22 },
    { "batch_audit",
      "INSERT INTO audit (at, public_key, name, action, outcome, reason, detail)"
      " SELECT * FROM unnest ($1::timestamptz [], $2::text [], $3::text [], $4::text [],"
      "  $5::text [], $6::text [], $7::text [])", 7 },
    { "batch_deadline",
      "INSERT INTO deadline_passed (plan_id, period, kind, deadline, noted_at)"
      " SELECT * FROM unnest ($1::integer [], $2::date [], $3::text [], $4::timestamptz [],"
      "  $5::timestamptz []) ON CONFLICT DO NOTHING", 5 },
    { "batch_snapshot",
      "INSERT INTO snapshot (plan_id, period, taken_at, wall)"
      " SELECT * FROM unnest ($1::integer [], $2::date [], $3::timestamptz [], $4::bytea [])"
      " ON CONFLICT DO NOTHING", 4 },
    { NULL, NULL, 0 }
};

//  Which column of a table is binary (bytea) and which is its key
static const int s_binary [S_TABLES] = { -1, -1, 4, -1, -1, -1, -1, 3 };
static const int s_key [S_TABLES] = { 0, -1, -1, 0, 0, -1, -1, -1 };

typedef struct {
    char *data;                 //  NULL: SQL NULL
    size_t size;
} s_value_t;

typedef struct {
    s_value_t *values;          //  one per column
    int columns;
} s_row_t;

typedef struct {
    zlistx_t *rows;             //  s_row_t, in the order queued
    zhashx_t *keys;             //  key -> its row, for keyed tables
    int columns;
} s_table_t;

//  Structure of our class

struct _bm_batch_t {
    s_table_t tables [S_TABLES];
    size_t rows;
};

static void
s_values_free (s_row_t *row)
{
    for (int column = 0; column < row->columns; column++)
        free (row->values [column].data);
    free (row->values);
    row->values = NULL;
}

static void
s_row_destroy (s_row_t **row_p)
{
    if (*row_p) {
        s_values_free (*row_p);
        free (*row_p);
        *row_p = NULL;
    }
}

bm_batch_t *
bm_batch_new (void)
{
    bm_batch_t *self = (bm_batch_t *) zmalloc (sizeof (bm_batch_t));
    for (int table = 0; table < S_TABLES; table++) {
        self->tables [table].rows = zlistx_new ();
        zlistx_set_destructor (self->tables [table].rows,
                               (zlistx_destructor_fn *) s_row_destroy);
        self->tables [table].columns = bm_batch_statements [table].params;
        if (s_key [table] >= 0) {
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
        zlistx_destroy (&self->tables [table].rows);
        zhashx_destroy (&self->tables [table].keys);
    }
    free (self);
    *self_p = NULL;
}

void
bm_batch_reset (bm_batch_t *self)
{
    for (int table = 0; table < S_TABLES; table++) {
        zlistx_purge (self->tables [table].rows);
        if (self->tables [table].keys)
            zhashx_purge (self->tables [table].keys);
    }
    self->rows = 0;
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

//  Queues a row of text values, the binary one at the table's binary column
static void
s_add (bm_batch_t *self, s_table_id_t id, const char *const *values,
       const void *binary_data, size_t binary_size)
{
    s_table_t *table = self->tables + id;
    s_value_t *row = (s_value_t *) zmalloc ((size_t) table->columns * sizeof (s_value_t));
    for (int column = 0; column < table->columns; column++) {
        if (column == s_binary [id]) {
            row [column].data = (char *) malloc (binary_size? binary_size: 1);
            assert (row [column].data);
            if (binary_size)
                memcpy (row [column].data, binary_data, binary_size);
            row [column].size = binary_size;
        }
        else
        if (values [column]) {
            row [column].data = strdup (values [column]);
            row [column].size = strlen (values [column]);
        }
    }
    //  An object queued again: its state now replaces the one queued
    //  before, in its place
    s_row_t *existing = table->keys? zhashx_lookup (table->keys, values [s_key [id]]): NULL;
    if (existing) {
        s_values_free (existing);
        existing->values = row;
        return;
    }
    s_row_t *entry = (s_row_t *) zmalloc (sizeof (s_row_t));
    entry->values = row;
    entry->columns = table->columns;
    zlistx_add_end (table->rows, entry);
    if (table->keys)
        zhashx_insert (table->keys, values [s_key [id]], entry);
    self->rows++;
}

void
bm_batch_figure (bm_batch_t *self, const char *const values [15])
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
bm_batch_alert (bm_batch_t *self, const char *const values [22])
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
s_text_array (zlistx_t *rows, int column, size_t *size)
{
    size_t capacity = 64;
    for (s_row_t *row = zlistx_first (rows); row; row = zlistx_next (rows))
        capacity += row->values [column].data? 2 * row->values [column].size + 3: 5;
    char *text = (char *) malloc (capacity);
    assert (text);
    char *out = text;
    *out++ = '{';
    bool first = true;
    for (s_row_t *entry = zlistx_first (rows); entry; entry = zlistx_next (rows)) {
        const s_value_t *row = entry->values;
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

//  A bytea[] in PostgreSQL's binary array format (array_send): ndim, has
//  nulls, element type (bytea, 17), the dimension and its lower bound, then
//  each element's length and bytes
static char *
s_binary_array (zlistx_t *rows, int column, size_t *size)
{
    size_t count = zlistx_size (rows);
    size_t capacity = 20;
    for (s_row_t *row = zlistx_first (rows); row; row = zlistx_next (rows))
        capacity += 4 + row->values [column].size;
    byte *data = (byte *) malloc (capacity);
    assert (data);
    byte *out = data;
    s_put_int32 (out, count? 1: 0);
    s_put_int32 (out + 4, 0);
    s_put_int32 (out + 8, 17);
    out += 12;
    if (count) {
        s_put_int32 (out, (uint32_t) count);
        s_put_int32 (out + 4, 1);
        out += 8;
    }
    for (s_row_t *entry = zlistx_first (rows); entry; entry = zlistx_next (rows)) {
        const s_value_t *value = entry->values + column;
        s_put_int32 (out, (uint32_t) value->size);
        if (value->size)
            memcpy (out + 4, value->data, value->size);
        out += 4 + value->size;
    }
    *size = (size_t) (out - data);
    return (char *) data;
}

//  Sends one table's statement into the pipeline
static int
s_send (bm_batch_t *self, PGconn *conn, int id)
{
    s_table_t *table = self->tables + id;
    int columns = table->columns;
    char *values [24] = { NULL };
    int lengths [24] = { 0 }, formats [24] = { 0 };
    for (int column = 0; column < columns; column++) {
        size_t size;
        bool binary = column == s_binary [id];
        values [column] = binary? s_binary_array (table->rows, column, &size)
                                : s_text_array (table->rows, column, &size);
        lengths [column] = (int) size;
        formats [column] = binary? 1: 0;
    }
    int rc = PQsendQueryPrepared (conn, bm_batch_statements [id].name, columns,
                                  (const char *const *) values, lengths, formats, 0)? 0: -1;
    if (rc)
        zsys_error ("database: cannot send %s: %s", bm_batch_statements [id].name,
                    PQerrorMessage (conn));
    for (int column = 0; column < columns; column++)
        free (values [column]);
    return rc;
}

int
bm_batch_commit (bm_batch_t *self, PGconn *conn)
{
    if (self->rows == 0)
        return 0;
    if (!PQenterPipelineMode (conn)) {
        zsys_error ("database: cannot enter pipeline mode: %s", PQerrorMessage (conn));
        return -1;
    }
    int rc = 0;
    for (int id = 0; rc == 0 && id < S_TABLES; id++)
        if (zlistx_size (self->tables [id].rows))
            rc = s_send (self, conn, id);
    //  Without a sync in the pipeline there is nothing to wait for
    bool synced = !PQpipelineSync (conn);
    if (synced)
        rc = -1;
    //  Each statement answers with its result, then a NULL; the sync last
    while (!synced) {
        PGresult *result = PQgetResult (conn);
        if (!result) {
            if (PQstatus (conn) != CONNECTION_OK) {
                zsys_error ("database: connection lost while committing");
                rc = -1;
                break;
            }
            continue;
        }
        ExecStatusType status = PQresultStatus (result);
        if (status == PGRES_PIPELINE_SYNC)
            synced = true;
        else
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            if (status != PGRES_PIPELINE_ABORTED) {
                const char *sqlstate = PQresultErrorField (result, PG_DIAG_SQLSTATE);
                zsys_error ("database: batch of %zu rows not stored: %s (SQLSTATE %s)",
                            self->rows, PQresultErrorMessage (result),
                            sqlstate? sqlstate: "none");
            }
            rc = -1;
        }
        PQclear (result);
    }
    if (PQstatus (conn) == CONNECTION_OK && !PQexitPipelineMode (conn))
        zsys_error ("database: cannot leave pipeline mode: %s", PQerrorMessage (conn));
    return rc;
}
