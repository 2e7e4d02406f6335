/*  bm_outbox: the figures a unit has sent and the server has not yet
    answered, kept in an SQLite file on the sender's disk. */

#include "bm_outbox.h"
#include "bm_i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define S_SCHEMA_VERSION    1
#define S_BUSY_TIMEOUT      10000   //  msecs to wait for another writer

static const char *s_schema =
    "CREATE TABLE IF NOT EXISTS figure ("
    "    seq         INTEGER PRIMARY KEY AUTOINCREMENT,"
    "    id          TEXT NOT NULL,"            //  client-chosen submission id
    "    public_key  TEXT NOT NULL,"            //  our key, Z85
    "    server      TEXT NOT NULL,"            //  the request endpoint
    "    district    TEXT NOT NULL,"
    "    unit        TEXT NOT NULL,"
    "    indicator   TEXT NOT NULL,"
    "    measure     TEXT NOT NULL,"
    "    period      TEXT NOT NULL,"
    "    kind        TEXT NOT NULL,"
    "    value       TEXT NOT NULL,"
    "    status      TEXT NOT NULL,"
    "    csv         TEXT,"                     //  the CSV file, NULL if none
    "    line        INTEGER,"                  //  its line there
    "    queued_at   TEXT NOT NULL,"            //  ISO 8601, +08:00
    "    attempts    INTEGER NOT NULL DEFAULT 0,"
    "    content     BLOB NOT NULL,"            //  packed Battlemap__Figure
    "    UNIQUE (public_key, server, id)"
    ");";

//  Structure of our class

struct _bm_outbox_t {
    sqlite3 *db;
    char *path;                 //  the database file
    char *public_key;           //  whose figures we send
    char *server;               //  and where to
    int lock_fd;                //  FILE.lock while we hold it, else -1
    char *error;                //  why the last call failed
};

//  ---------------------------------------------------------------------------
//  Errors and helpers

static void
s_set_error (bm_outbox_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *message = zsys_vprintf (format, args);
    va_end (args);
    free (self->error);
    self->error = message;
}

//  Sets the error from SQLite's last message, saying what we were doing
static void
s_sql_error (bm_outbox_t *self, const char *doing)
{
    s_set_error (self, _("the outbox %s: %s failed: %s"), self->path, doing,
                 sqlite3_errmsg (self->db));
}

static int
s_exec (bm_outbox_t *self, const char *sql, const char *doing)
{
    if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        s_sql_error (self, doing);
        return -1;
    }
    return 0;
}

static void
s_rollback (bm_outbox_t *self)
{
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3_stmt *
s_prepare (bm_outbox_t *self, const char *sql, const char *doing)
{
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2 (self->db, sql, -1, &statement, NULL) != SQLITE_OK) {
        s_sql_error (self, doing);
        return NULL;
    }
    return statement;
}

//  Now, in Asia/Shanghai (UTC+8 all year)
static void
s_now (char *text, size_t size)
{
    time_t now = time (NULL) + 8 * 3600;
    struct tm parts;
    gmtime_r (&now, &parts);
    strftime (text, size, "%Y-%m-%dT%H:%M:%S+08:00", &parts);
}

//  Makes the folders above the file, mode 0700; 0 or -1 with errno
static int
s_make_folders (const char *path)
{
    char *folder = strdup (path);
    int rc = 0;
    for (char *slash = strchr (folder + 1, '/'); slash && rc == 0;
         slash = strchr (slash + 1, '/')) {
        *slash = '\0';
        if (mkdir (folder, 0700) && errno != EEXIST)
            rc = -1;
        *slash = '/';
    }
    free (folder);
    return rc;
}

//  ---------------------------------------------------------------------------
//  Opening and closing

char *
bm_outbox_default_path (void)
{
    const char *path = getenv ("BATTLEMAP_OUTBOX");
    if (path && *path)
        return strdup (path);
    const char *state = getenv ("XDG_STATE_HOME");
    if (state && *state == '/')
        return zsys_sprintf ("%s/battlemap/outbox.sqlite", state);
    const char *home = getenv ("HOME");
    if (home && *home)
        return zsys_sprintf ("%s/.local/state/battlemap/outbox.sqlite", home);
    return NULL;
}

//  Opens the database, sets it up and checks it can be written; -1 with
//  the error set
static int
s_open (bm_outbox_t *self)
{
    if (s_make_folders (self->path)) {
        s_set_error (self, _("cannot make the folder of the outbox %s: %s; give another file "
                     "with --outbox FILE or BATTLEMAP_OUTBOX"), self->path, strerror (errno));
        return -1;
    }
    int rc = sqlite3_open_v2 (self->path, &self->db,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        s_set_error (self, _("cannot open the outbox %s: %s; give a writable file with "
                     "--outbox FILE or BATTLEMAP_OUTBOX"), self->path,
                     self->db? sqlite3_errmsg (self->db): sqlite3_errstr (rc));
        return -1;
    }
    sqlite3_busy_timeout (self->db, S_BUSY_TIMEOUT);
    if (sqlite3_db_readonly (self->db, "main") == 1) {
        s_set_error (self, _("the outbox %s is read-only: make it writable, or give another "
                     "file with --outbox FILE"), self->path);
        return -1;
    }
    //  The first statement reads the file: a file that is not a database
    //  fails here
    sqlite3_stmt *statement = NULL;
    rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &statement, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step (statement);
    if (rc != SQLITE_ROW) {
        int code = sqlite3_errcode (self->db);
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
            s_set_error (self, _("the outbox %s is not a battlemap outbox or is damaged (%s): "
                         "move it aside (mv %s %s.broken) and run again, then send again "
                         "what it held"), self->path, sqlite3_errmsg (self->db),
                         self->path, self->path);
        else
            s_set_error (self, _("cannot use the outbox %s: %s; give a writable file with "
                         "--outbox FILE or BATTLEMAP_OUTBOX"), self->path,
                         sqlite3_errmsg (self->db));
        sqlite3_finalize (statement);
        return -1;
    }
    sqlite3_finalize (statement);
    //  A committed figure survives a power cut, not only a killed process
    if (s_exec (self, "PRAGMA synchronous = FULL", _("setting synchronous"))
    ||  s_exec (self, "BEGIN IMMEDIATE", _("starting the set-up")))
        return -1;
    statement = s_prepare (self, "PRAGMA user_version", _("reading the version"));
    int version = statement && sqlite3_step (statement) == SQLITE_ROW?
                  sqlite3_column_int (statement, 0): -1;
    sqlite3_finalize (statement);
    if (version > S_SCHEMA_VERSION) {
        s_set_error (self, _("the outbox %s was made by a newer battlemap (version %d): use "
                     "that one to send what it holds"), self->path, version);
        s_rollback (self);
        return -1;
    }
    char *version_sql = zsys_sprintf ("PRAGMA user_version = %d", S_SCHEMA_VERSION);
    rc = version < 0
      || s_exec (self, s_schema, _("creating the table"))
      || s_exec (self, version_sql, _("setting the version"))
      || s_exec (self, "COMMIT", _("finishing the set-up"));
    free (version_sql);
    if (rc) {
        s_rollback (self);
        return -1;
    }
    return 0;
}

bm_outbox_t *
bm_outbox_new (const char *path, const char *public_key, const char *server, char **error)
{
    assert (path && public_key && server);
    bm_outbox_t *self = (bm_outbox_t *) zmalloc (sizeof (bm_outbox_t));
    self->path = strdup (path);
    self->public_key = strdup (public_key);
    self->server = strdup (server);
    self->lock_fd = -1;
    if (s_open (self)) {
        if (error)
            *error = self->error? strdup (self->error): NULL;
        bm_outbox_destroy (&self);
    }
    return self;
}

void
bm_outbox_destroy (bm_outbox_t **self_p)
{
    assert (self_p);
    bm_outbox_t *self = *self_p;
    if (!self)
        return;
    sqlite3_close (self->db);
    if (self->lock_fd >= 0)
        close (self->lock_fd);
    free (self->path);
    free (self->public_key);
    free (self->server);
    free (self->error);
    free (self);
    *self_p = NULL;
}

const char *
bm_outbox_path (bm_outbox_t *self)
{
    return self->path;
}

const char *
bm_outbox_error (bm_outbox_t *self)
{
    return self->error? self->error: "";
}

//  ---------------------------------------------------------------------------
//  The sending lock

int
bm_outbox_lock (bm_outbox_t *self, bool wait)
{
    if (self->lock_fd >= 0)
        return 0;
    char *lock_path = zsys_sprintf ("%s.lock", self->path);
    int fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        s_set_error (self, _("cannot open the outbox's lock %s: %s"), lock_path,
                     strerror (errno));
        free (lock_path);
        return -1;
    }
    int rc;
    while ((rc = flock (fd, LOCK_EX | (wait? 0: LOCK_NB))) == -1 && errno == EINTR)
        ;
    if (rc == -1) {
        int busy = errno == EWOULDBLOCK;
        if (!busy)
            s_set_error (self, _("cannot lock %s: %s"), lock_path, strerror (errno));
        close (fd);
        free (lock_path);
        return busy? 1: -1;
    }
    free (lock_path);
    self->lock_fd = fd;
    return 0;
}

//  ---------------------------------------------------------------------------
//  Queueing

//  Compares the waiting row of `id` with our packed content: 0 same, 1
//  different, -1 error
static int
s_same_content (bm_outbox_t *self, const char *id, const uint8_t *data, size_t size)
{
    sqlite3_stmt *statement = s_prepare (self,
        "SELECT content FROM figure WHERE public_key = ?1 AND server = ?2 AND id = ?3",
        _("reading a waiting figure"));
    if (!statement)
        return -1;
    sqlite3_bind_text (statement, 1, self->public_key, -1, SQLITE_STATIC);
    sqlite3_bind_text (statement, 2, self->server, -1, SQLITE_STATIC);
    sqlite3_bind_text (statement, 3, id, -1, SQLITE_STATIC);
    int rc = -1;
    if (sqlite3_step (statement) == SQLITE_ROW) {
        const void *stored = sqlite3_column_blob (statement, 0);
        size_t stored_size = (size_t) sqlite3_column_bytes (statement, 0);
        rc = stored_size == size && (size == 0 || memcmp (stored, data, size) == 0)? 0: 1;
    }
    else
        s_sql_error (self, _("reading a waiting figure"));
    sqlite3_finalize (statement);
    return rc;
}

int
bm_outbox_add (bm_outbox_t *self, Battlemap__Figure **figures, size_t count,
               const char *csv, const int *lines, int64_t *first)
{
    if (s_exec (self, "BEGIN IMMEDIATE", _("starting to queue figures")))
        return -1;
    sqlite3_stmt *next = s_prepare (self,
        "SELECT max (coalesce ((SELECT max (seq) FROM figure), 0),"
        "            coalesce ((SELECT seq FROM sqlite_sequence WHERE name = 'figure'), 0)) + 1",
        _("reading the next seq"));
    if (!next || sqlite3_step (next) != SQLITE_ROW) {
        s_sql_error (self, _("reading the next seq"));
        sqlite3_finalize (next);
        s_rollback (self);
        return -1;
    }
    int64_t next_seq = sqlite3_column_int64 (next, 0);
    sqlite3_finalize (next);
    sqlite3_stmt *insert = s_prepare (self,
        "INSERT INTO figure (id, public_key, server, district, unit, indicator, measure,"
        " period, kind, value, status, csv, line, queued_at, content)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
        " ON CONFLICT (public_key, server, id) DO NOTHING",
        _("queueing a figure"));
    if (!insert) {
        s_rollback (self);
        return -1;
    }
    char queued [32];
    s_now (queued, sizeof queued);
    int rc = 0;
    for (size_t index = 0; index < count && rc == 0; index++) {
        Battlemap__Figure *figure = figures [index];
        assert (figure->id && *figure->id);
        size_t size = battlemap__figure__get_packed_size (figure);
        uint8_t *data = (uint8_t *) malloc (size? size: 1);
        battlemap__figure__pack (figure, data);
        sqlite3_reset (insert);
        sqlite3_bind_text (insert, 1, figure->id, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 2, self->public_key, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 3, self->server, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 4, figure->district, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 5, figure->unit, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 6, figure->indicator, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 7, figure->measure, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 8, figure->period, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 9, bm_wire_kind_name (figure->kind), -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 10, figure->value, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 11, figure->status?
                           bm_wire_status_name (figure->status): "", -1, SQLITE_STATIC);
        if (csv) {
            sqlite3_bind_text (insert, 12, csv, -1, SQLITE_STATIC);
            sqlite3_bind_int (insert, 13, lines? lines [index]: 0);
        }
        else {
            sqlite3_bind_null (insert, 12);
            sqlite3_bind_null (insert, 13);
        }
        sqlite3_bind_text (insert, 14, queued, -1, SQLITE_STATIC);
        sqlite3_bind_blob (insert, 15, data, (int) size, SQLITE_STATIC);
        if (sqlite3_step (insert) != SQLITE_DONE) {
            s_sql_error (self, _("queueing a figure"));
            rc = -1;
        }
        else
        if (sqlite3_changes (self->db) == 0) {
            //  Already waiting: the same figure is sent once; another
            //  figure under the same id would be refused as ID_REUSED
            int same = s_same_content (self, figure->id, data, size);
            if (same == 1)
                s_set_error (self, _("the id %s is already waiting in the outbox %s with other "
                             "content: send it first (battlemap outbox send), or give this "
                             "figure another id"), figure->id, self->path);
            rc = same == 0? 0: -1;
        }
        free (data);
    }
    sqlite3_finalize (insert);
    if (rc == 0)
        rc = s_exec (self, "COMMIT", _("committing the queued figures"));
    if (rc) {
        s_rollback (self);
        return -1;
    }
    if (first)
        *first = next_seq;
    return 0;
}

//  ---------------------------------------------------------------------------
//  Reading

static long
s_count (bm_outbox_t *self, int64_t before, bool all)
{
    sqlite3_stmt *statement = s_prepare (self,
        "SELECT count (*) FROM figure WHERE (?3 OR (public_key = ?1 AND server = ?2))"
        " AND (?4 = 0 OR seq < ?4)", _("counting waiting figures"));
    if (!statement)
        return -1;
    sqlite3_bind_text (statement, 1, self->public_key, -1, SQLITE_STATIC);
    sqlite3_bind_text (statement, 2, self->server, -1, SQLITE_STATIC);
    sqlite3_bind_int (statement, 3, all);
    sqlite3_bind_int64 (statement, 4, before);
    long count = -1;
    if (sqlite3_step (statement) == SQLITE_ROW)
        count = (long) sqlite3_column_int64 (statement, 0);
    else
        s_sql_error (self, _("counting waiting figures"));
    sqlite3_finalize (statement);
    return count;
}

long
bm_outbox_count (bm_outbox_t *self, int64_t before)
{
    return s_count (self, before, false);
}

long
bm_outbox_count_all (bm_outbox_t *self)
{
    return s_count (self, 0, true);
}

static void
s_entry_destructor (void **item)
{
    bm_outbox_entry_destroy ((bm_outbox_entry_t **) item);
}

static char *
s_column_strdup (sqlite3_stmt *statement, int column)
{
    const unsigned char *text = sqlite3_column_text (statement, column);
    return text? strdup ((const char *) text): NULL;
}

zlistx_t *
bm_outbox_list (bm_outbox_t *self, int64_t from, int64_t to, size_t limit, bool all)
{
    sqlite3_stmt *statement = s_prepare (self,
        "SELECT seq, id, public_key, server, csv, line, queued_at, attempts, content"
        " FROM figure WHERE (?3 OR (public_key = ?1 AND server = ?2))"
        " AND seq >= ?4 AND (?5 = 0 OR seq <= ?5) ORDER BY seq LIMIT ?6",
        _("listing waiting figures"));
    if (!statement)
        return NULL;
    sqlite3_bind_text (statement, 1, self->public_key, -1, SQLITE_STATIC);
    sqlite3_bind_text (statement, 2, self->server, -1, SQLITE_STATIC);
    sqlite3_bind_int (statement, 3, all);
    sqlite3_bind_int64 (statement, 4, from);
    sqlite3_bind_int64 (statement, 5, to);
    sqlite3_bind_int64 (statement, 6, limit? (sqlite3_int64) limit: -1);
    zlistx_t *entries = zlistx_new ();
    zlistx_set_destructor (entries, s_entry_destructor);
    int rc;
    while ((rc = sqlite3_step (statement)) == SQLITE_ROW) {
        bm_outbox_entry_t *entry = (bm_outbox_entry_t *) zmalloc (sizeof (bm_outbox_entry_t));
        entry->seq = sqlite3_column_int64 (statement, 0);
        snprintf (entry->id, sizeof entry->id, "%s",
                  (const char *) sqlite3_column_text (statement, 1));
        entry->public_key = s_column_strdup (statement, 2);
        entry->server = s_column_strdup (statement, 3);
        entry->csv = s_column_strdup (statement, 4);
        entry->line = sqlite3_column_int (statement, 5);
        snprintf (entry->queued, sizeof entry->queued, "%s",
                  (const char *) sqlite3_column_text (statement, 6));
        entry->attempts = sqlite3_column_int (statement, 7);
        const void *content = sqlite3_column_blob (statement, 8);
        size_t size = (size_t) sqlite3_column_bytes (statement, 8);
        entry->figure = battlemap__figure__unpack (NULL, size, (const uint8_t *) content);
        zlistx_add_end (entries, entry);
        if (!entry->figure) {
            s_set_error (self, _("the outbox %s holds a figure that cannot be read (seq %lld, "
                         "id %s): delete it with sqlite3 and send that figure again"),
                         self->path, (long long) entry->seq, entry->id);
            break;
        }
    }
    sqlite3_finalize (statement);
    bm_outbox_entry_t *last = (bm_outbox_entry_t *) zlistx_last (entries);
    if (rc != SQLITE_DONE && !(last && !last->figure))
        s_sql_error (self, _("listing waiting figures"));
    if (rc != SQLITE_DONE)
        zlistx_destroy (&entries);
    return entries;
}

//  ---------------------------------------------------------------------------
//  Sending and receipts

int
bm_outbox_attempted (bm_outbox_t *self, bm_outbox_entry_t **entries, size_t count)
{
    if (s_exec (self, "BEGIN IMMEDIATE", _("counting an attempt")))
        return -1;
    sqlite3_stmt *update = s_prepare (self,
        "UPDATE figure SET attempts = attempts + 1 WHERE seq = ?1", _("counting an attempt"));
    int rc = update? 0: -1;
    for (size_t index = 0; index < count && rc == 0; index++) {
        sqlite3_reset (update);
        sqlite3_bind_int64 (update, 1, entries [index]->seq);
        if (sqlite3_step (update) == SQLITE_DONE)
            entries [index]->attempts++;
        else {
            s_sql_error (self, _("counting an attempt"));
            rc = -1;
        }
    }
    sqlite3_finalize (update);
    if (rc == 0)
        rc = s_exec (self, "COMMIT", _("counting an attempt"));
    if (rc)
        s_rollback (self);
    return rc;
}

int
bm_outbox_remove (bm_outbox_t *self, const char **ids, size_t count)
{
    if (s_exec (self, "BEGIN IMMEDIATE", _("removing answered figures")))
        return -1;
    sqlite3_stmt *delete = s_prepare (self,
        "DELETE FROM figure WHERE public_key = ?1 AND server = ?2 AND id = ?3",
        _("removing answered figures"));
    int rc = delete? 0: -1;
    for (size_t index = 0; index < count && rc == 0; index++) {
        sqlite3_reset (delete);
        sqlite3_bind_text (delete, 1, self->public_key, -1, SQLITE_STATIC);
        sqlite3_bind_text (delete, 2, self->server, -1, SQLITE_STATIC);
        sqlite3_bind_text (delete, 3, ids [index], -1, SQLITE_STATIC);
        if (sqlite3_step (delete) != SQLITE_DONE) {
            s_sql_error (self, _("removing answered figures"));
            rc = -1;
        }
    }
    sqlite3_finalize (delete);
    if (rc == 0)
        rc = s_exec (self, "COMMIT", _("removing answered figures"));
    if (rc)
        s_rollback (self);
    return rc;
}

void
bm_outbox_entry_destroy (bm_outbox_entry_t **self_p)
{
    assert (self_p);
    bm_outbox_entry_t *self = *self_p;
    if (!self)
        return;
    if (self->figure)
        battlemap__figure__free_unpacked (self->figure, NULL);
    free (self->csv);
    free (self->public_key);
    free (self->server);
    free (self);
    *self_p = NULL;
}
