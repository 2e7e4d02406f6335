/*  bm_pgcluster: a private PostgreSQL cluster run as a child of battlemapd.
    The header describes the layout of the data directory. */

#include "bm_pgcluster.h"
#include "bm_child.h"
#include "bm_pgfiles.h"

#include <czmq.h>
#include <libpq-fe.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define S_DATABASE          "battlemap"
#define S_SUPERUSER         "postgres"
#define S_PORT_STRING       "5432"      //  BM_PGCLUSTER_PORT, for libpq

//  Written once into a new cluster's postgresql.conf, where an operator may
//  change them. The settings that must hold for battlemapd to find the
//  server (sockets, port) are given on the postgres command line instead.
static const char *s_settings =
    "\n# ---- battlemap: settings for a small embedded server (edit freely) ----\n"
    "# listen_addresses, unix_socket_directories and port are set on the\n"
    "# postgres command line by battlemapd; changing them here has no effect.\n"
    "# fsync, synchronous_commit and full_page_writes stay on: a receipt\n"
    "# promises that the figure is safe on disk.\n"
    "shared_buffers = 32MB\n"
    "max_connections = 50\n"
    "max_wal_size = 256MB\n"
    "min_wal_size = 64MB\n"
    "log_line_prefix = '%m [%p] '\n";

//  Structure of our class

struct _bm_pgcluster_t {
    char *datadir;          //  absolute path of the directory we were given
    char *pgdata;           //  datadir/pgdata, the cluster
    char *sockdir;          //  directory of the Unix socket
    bool sockdir_is_temp;   //  sockdir is our fallback under /tmp
    char *logfile;          //  datadir/postgresql.log
    char *bindir;           //  holds initdb and postgres
    char *conninfo;         //  for the battlemap database
    bm_child_user_t runas;  //  the server's user, who runs initdb and postgres
    pid_t pid;              //  the postmaster, 0 when none runs
    int64_t starting;       //  when a restart began (zclock_mono), 0: not restarting
    off_t restart_log;      //  where the log stood at it
    int failures;           //  restarts in a row that failed
};


//  ---------------------------------------------------------------------
//  Strings

//  A libpq connection parameter value, quoted if it needs to be
static char *
s_conninfo_value (const char *value)
{
    if (*value && !strpbrk (value, " \t\n'\\"))
        return bm_child_sprintf ("%s", value);
    char *quoted = zmalloc (strlen (value) * 2 + 3);
    char *target = quoted;
    *target++ = '\'';
    for (const char *source = value; *source; source++) {
        if (*source == '\'' || *source == '\\')
            *target++ = '\\';
        *target++ = *source;
    }
    *target = '\'';
    return quoted;
}


//  ---------------------------------------------------------------------
//  The server's user: ourselves, or `postgres` when we are root

static int
s_runas_resolve (bm_child_user_t *runas)
{
    if (bm_child_user_resolve (runas, S_SUPERUSER)) {
        zsys_error ("battlemapd runs as root, which PostgreSQL refuses, and there is no "
                    "unprivileged 'postgres' system user to run its embedded database as: "
                    "create one (useradd --system --home-dir /var/lib/postgresql postgres), "
                    "run battlemapd as an ordinary user, or configure a connection string "
                    "to an existing database");
        return -1;
    }
    return 0;
}

//  The highest directory above and including path that runas cannot enter,
//  judged by mode bits, or NULL; for error messages
static char *
s_blocking_ancestor (const bm_child_user_t *runas, const char *path)
{
    char *prefix = bm_child_sprintf ("%s", path);
    size_t length = strlen (prefix);
    for (size_t end = 1; end <= length; end++) {
        if (end < length && prefix [end] != '/')
            continue;
        char saved = prefix [end];
        prefix [end] = 0;
        struct stat st;
        bool search = stat (prefix, &st) == 0
            && ((st.st_uid == runas->uid)? (st.st_mode & S_IXUSR)
             :  (st.st_gid == runas->gid)? (st.st_mode & S_IXGRP)
             :  (st.st_mode & S_IXOTH));
        if (!search)
            return prefix;
        prefix [end] = saved;
    }
    free (prefix);
    return NULL;
}


//  ---------------------------------------------------------------------
//  Running initdb and postgres (see bm_child)

static void
s_report_spawn_failure (const bm_child_user_t *runas, char *const argv [], const char *cwd,
                        const char *logfile, bm_child_failure_t failure)
{
    const char *reason = strerror (failure.error);
    if (failure.step == BM_CHILD_STEP_FORK)
        zsys_error ("cannot start %s: %s", argv [0], reason);
    else
    if (failure.step == BM_CHILD_STEP_CHDIR) {
        char *blocker = s_blocking_ancestor (runas, cwd);
        zsys_error ("user %s, which runs PostgreSQL, cannot enter %s (%s)%s%s: make every "
                    "directory above the data directory searchable by it (chmod o+x), or "
                    "choose a data directory it can reach", runas->name, cwd, reason,
                    blocker? "; it is stopped at ": "", blocker? blocker: "");
        free (blocker);
    }
    else
    if (failure.step == BM_CHILD_STEP_EXEC)
        zsys_error ("cannot run %s as user %s (%s): check the PostgreSQL installation "
                    "or BM_PG_BINDIR", argv [0], runas->name, reason);
    else
    if (failure.step == BM_CHILD_STEP_STDIO)
        zsys_error ("cannot send the output of %s to %s (%s)", argv [0], logfile, reason);
    else
        zsys_error ("cannot become user %s to run %s (%s at step %d): battlemapd must run "
                    "as root or as an ordinary user", runas->name, argv [0], reason,
                    (int) failure.step);
}

//  Run argv[0] as the server user in a session of its own, in cwd, with
//  stdin from /dev/null and stdout and stderr to log_fd. Returns its pid,
//  or -1 and logs why.
static pid_t
s_spawn (const bm_child_user_t *runas, char *const argv [], const char *cwd,
         int log_fd, const char *logfile)
{
    bm_child_failure_t failure;
    pid_t pid = bm_child_spawn (runas, argv, cwd, log_fd, &failure);
    if (pid < 0)
        s_report_spawn_failure (runas, argv, cwd, logfile, failure);
    return pid;
}

//  Shut the postmaster down and reap it: fast shutdown, then immediate
//  shutdown, then SIGKILL, which cannot fail, so the last wait blocks
static void
s_stop (pid_t pid, const char *pgdata)
{
    if (bm_child_signal (pid, SIGINT, BM_PGCLUSTER_STOP_TIMEOUT * 1000))
        return;
    zsys_warning ("PostgreSQL (pid %d) on %s ignored a fast shutdown for %d s; sending "
                  "SIGQUIT (immediate shutdown: the next start recovers from the WAL)",
                  (int) pid, pgdata, BM_PGCLUSTER_STOP_TIMEOUT);
    if (bm_child_signal (pid, SIGQUIT, 5000))
        return;
    zsys_warning ("PostgreSQL (pid %d) on %s ignored SIGQUIT; sending SIGKILL", (int) pid, pgdata);
    bm_child_kill (pid);
}


//  ---------------------------------------------------------------------
//  Creating, checking and starting the cluster

static PGPing
s_ping (const char *sockdir, const char *port)
{
    const char *keywords [] = { "host", "port", "dbname", "user", NULL };
    const char *values [] = { sockdir, port, "postgres", S_SUPERUSER, NULL };
    return PQpingParams (keywords, values, 0);
}

//  postmaster.pid split into its lines: pid, data directory, start time,
//  port, socket directory, listen address, shared memory key, status (the
//  missing ones NULL). Returns the text they point into, or NULL.
static char *
s_pidfile_read (bm_pgcluster_t *self, char *lines [8])
{
    char *pidfile = bm_child_sprintf ("%s/postmaster.pid", self->pgdata);
    char *text = bm_pgfiles_read_small (pidfile);
    free (pidfile);
    memset (lines, 0, 8 * sizeof (char *));
    for (int index = 0, start = 0; text && index < 8 && text [start]; index++) {
        lines [index] = text + start;
        start += strcspn (text + start, "\n");
        if (text [start])
            text [start++] = 0;
    }
    return text;
}

#define S_ORPHAN_WAIT_MS 5000

//  A postmaster.pid alone proves nothing: a crash leaves one behind, and
//  PostgreSQL itself finds its process gone. So ask the server the file
//  names whether it answers, and leave every other case to PostgreSQL.
static int
s_check_not_running (bm_pgcluster_t *self)
{
    char *lines [8];
    char *text = s_pidfile_read (self, lines);
    //  A server still shutting down (its battlemapd just died, and this is
    //  the restart) gets the time a fast shutdown may take
    int64_t deadline = zclock_mono () + BM_PGCLUSTER_STOP_TIMEOUT * 1000;
    while (lines [7] && strncmp (lines [7], "stopping", 8) == 0 && atoi (lines [0]) > 0
       &&  kill (atoi (lines [0]), 0) == 0 && zclock_mono () < deadline) {
        zclock_sleep (100);
        free (text);
        text = s_pidfile_read (self, lines);
    }
    int rc = 0;
    //  A server that answers may be one whose battlemapd has just died and
    //  which is about to shut down (it is told when its parent dies): give
    //  it a moment to say it is stopping, then wait for it as above
    int64_t patience = zclock_mono () + S_ORPHAN_WAIT_MS;
    while (lines [4] && lines [3] && *lines [4] == '/' && zclock_mono () < patience) {
        PGPing ping = s_ping (lines [4], lines [3]);
        if (ping != PQPING_OK && ping != PQPING_REJECT)
            break;
        zclock_sleep (100);
        free (text);
        text = s_pidfile_read (self, lines);
        while (lines [7] && strncmp (lines [7], "stopping", 8) == 0 && atoi (lines [0]) > 0
           &&  kill (atoi (lines [0]), 0) == 0 && zclock_mono () < deadline) {
            zclock_sleep (100);
            free (text);
            text = s_pidfile_read (self, lines);
        }
    }
    if (lines [4] && lines [3] && *lines [4] == '/') {
        PGPing ping = s_ping (lines [4], lines [3]);
        if (ping == PQPING_OK || ping == PQPING_REJECT) {
            zsys_error ("a PostgreSQL server (pid %s) is already running on %s, with its "
                        "socket in %s: stop it first (kill -INT %s), or give this battlemapd "
                        "another data directory", lines [0], self->pgdata, lines [4], lines [0]);
            rc = -1;
        }
    }
    free (text);
    return rc;
}

static int
s_sockdir_prepare (bm_pgcluster_t *self)
{
    char *sockdir = bm_child_sprintf ("%s/run", self->datadir);
    if (strlen (sockdir) > BM_PGCLUSTER_SOCKDIR_MAX) {
        free (sockdir);
        char template [] = "/tmp/battlemap-pg-XXXXXX";
        if (!mkdtemp (template)) {
            zsys_error ("cannot create a socket directory under /tmp (%s), needed because "
                        "%s/run is too long for a Unix socket path: choose a shorter data "
                        "directory", strerror (errno), self->datadir);
            return -1;
        }
        self->sockdir = bm_child_sprintf ("%s", template);
        self->sockdir_is_temp = true;
        zsys_info ("%s/run is too long for a Unix socket path; PostgreSQL's socket goes to %s",
                   self->datadir, self->sockdir);
    }
    else {
        self->sockdir = sockdir;
        struct stat st;
        if ((mkdir (sockdir, 0700) && errno != EEXIST)
        ||  lstat (sockdir, &st) || !S_ISDIR (st.st_mode)) {
            zsys_error ("cannot create the socket directory %s (%s): remove what is in the "
                        "way or make %s writable", sockdir, strerror (errno), self->datadir);
            return -1;
        }
    }
    if (bm_pgfiles_give (&self->runas, self->sockdir))
        return -1;
    if (chmod (self->sockdir, 0700)) {
        zsys_error ("cannot make the socket directory %s private (chmod: %s): it belongs to "
                    "another user; remove it", self->sockdir, strerror (errno));
        return -1;
    }
    return 0;
}

//  initdb into pgdata.initdb, tune it, then rename it to pgdata, so that
//  an interrupted initdb never passes for a cluster
static int
s_initdb (bm_pgcluster_t *self, int log_fd, off_t log_offset)
{
    char *staging = bm_child_sprintf ("%s.initdb", self->pgdata);
    char *initdb = bm_child_sprintf ("%s/initdb", self->bindir);
    char *pgdata_arg = bm_child_sprintf ("--pgdata=%s", staging);
    char *argv [] = { initdb, pgdata_arg, "--username=" S_SUPERUSER, "--encoding=UTF8",
                      "--locale=C", "--auth=trust", "--data-checksums", NULL };
    int rc = -1;
    if (bm_pgfiles_remove_tree (staging) || mkdir (staging, 0700))
        zsys_error ("cannot prepare %s for initdb (%s): make %s writable",
                    staging, strerror (errno), self->datadir);
    else
    if (bm_pgfiles_give (&self->runas, staging) == 0) {
        zsys_info ("creating a PostgreSQL cluster in %s (initdb, as user %s)",
                   self->pgdata, self->runas.name);
        bm_pgfiles_log_note (log_fd, "initdb");
        pid_t pid = s_spawn (&self->runas, argv, staging, log_fd, self->logfile);
        int status = 0;
        if (pid > 0 && !bm_child_wait (pid, BM_PGCLUSTER_INITDB_TIMEOUT * 1000, &status)) {
            bm_child_kill (pid);
            zsys_error ("initdb did not finish within %d s in %s; is the disk that slow?",
                        BM_PGCLUSTER_INITDB_TIMEOUT, staging);
        }
        else
        if (pid > 0 && (status == -1 || !WIFEXITED (status) || WEXITSTATUS (status))) {
            char *how = bm_child_status_text (status);
            char *tail = bm_pgfiles_log_tail (self->logfile, log_offset);
            zsys_error ("initdb could not create a PostgreSQL cluster in %s (%s); it said, "
                        "in %s:%s", staging, how, self->logfile, tail);
            free (how);
            free (tail);
        }
        else
        if (pid > 0)
            rc = 0;
    }
    if (rc == 0) {
        char *conf = bm_child_sprintf ("%s/postgresql.conf", staging);
        FILE *file = fopen (conf, "a");
        if (!file || fputs (s_settings, file) < 0 || fflush (file) || fsync (fileno (file))) {
            zsys_error ("cannot append battlemap's settings to %s (%s)", conf, strerror (errno));
            rc = -1;
        }
        if (file)
            fclose (file);
        free (conf);
    }
    if (rc == 0 && rename (staging, self->pgdata)) {
        zsys_error ("cannot rename the new cluster %s to %s (%s): move %s away if it holds "
                    "no cluster", staging, self->pgdata, strerror (errno), self->pgdata);
        rc = -1;
    }
    if (rc == 0) {
        bm_pgfiles_log_note (log_fd, "initdb done, the cluster moved to pgdata");
        int dir_fd = open (self->datadir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd >= 0) {
            fsync (dir_fd);             //  make the rename durable
            close (dir_fd);
        }
    }
    free (staging);
    free (initdb);
    free (pgdata_arg);
    return rc;
}

static int
s_start (bm_pgcluster_t *self, int log_fd)
{
    char *postgres = bm_child_sprintf ("%s/postgres", self->bindir);
    //  unix_socket_directories is a list: quote the item, doubling quotes
    char *sockets = zmalloc (strlen (self->sockdir) * 2 + 32);
    char *target = sockets + sprintf (sockets, "unix_socket_directories=\"");
    for (const char *source = self->sockdir; *source; source++) {
        if (*source == '"')
            *target++ = '"';
        *target++ = *source;
    }
    *target = '"';
    char *argv [] = { postgres, "-D", self->pgdata, "-c", "listen_addresses=",
                      "-c", sockets, "-c", "port=" S_PORT_STRING,
                      "-c", "cluster_name=battlemap", NULL };
    bm_pgfiles_log_note (log_fd, "starting postgres");
    self->pid = s_spawn (&self->runas, argv, self->pgdata, log_fd, self->logfile);
    if (self->pid < 0)
        self->pid = 0;
    free (postgres);
    free (sockets);
    return self->pid > 0? 0: -1;
}

//  Whether to ping yet: once postmaster.pid names our child and says it is
//  ready, as pg_ctl checks. A ping earlier makes the server log a FATAL
//  "the database system is starting up". Servers before PostgreSQL 10
//  write no status: those are pinged after a while.
static bool
s_pidfile_ready (bm_pgcluster_t *self, int64_t waited_ms)
{
    char *lines [8];
    char *text = s_pidfile_read (self, lines);
    bool ready = lines [0] && atoi (lines [0]) == self->pid
              && (lines [7]? strncmp (lines [7], "ready", 5) == 0: waited_ms > 3000);
    free (text);
    return ready;
}

//  Until the server accepts connections, it fails, or time runs out
static int
s_wait_ready (bm_pgcluster_t *self, off_t log_offset)
{
    int64_t started = zclock_mono ();
    int64_t deadline = started + BM_PGCLUSTER_START_TIMEOUT * 1000;
    int pause = 5;
    while (true) {
        int status;
        if (bm_child_wait (self->pid, 0, &status)) {
            self->pid = 0;
            char *how = bm_child_status_text (status);
            char *tail = bm_pgfiles_log_tail (self->logfile, log_offset);
            zsys_error ("PostgreSQL stopped while starting on %s (%s)%s; it said, in %s:%s",
                        self->pgdata, how, strstr (tail, "lock file")
                        ? ": another server holds its lock files, stop it first": "",
                        self->logfile, tail);
            free (how);
            free (tail);
            return -1;
        }
        PGPing ping = s_pidfile_ready (self, zclock_mono () - started)
                    ? s_ping (self->sockdir, S_PORT_STRING): PQPING_NO_RESPONSE;
        if (ping == PQPING_OK)
            return 0;
        if (zclock_mono () >= deadline || ping == PQPING_NO_ATTEMPT) {
            char *tail = bm_pgfiles_log_tail (self->logfile, log_offset);
            zsys_error ("PostgreSQL on %s did not accept connections in %s within %d s; it "
                        "said, in %s:%s", self->pgdata, self->sockdir,
                        BM_PGCLUSTER_START_TIMEOUT, self->logfile, tail);
            free (tail);
            return -1;
        }
        zclock_sleep (pause);
        pause = pause < 100? pause * 2: 100;
    }
}

static int
s_create_database (bm_pgcluster_t *self)
{
    const char *keywords [] = { "host", "port", "dbname", "user", NULL };
    const char *values [] = { self->sockdir, S_PORT_STRING, "postgres", S_SUPERUSER, NULL };
    PGconn *conn = PQconnectdbParams (keywords, values, 0);
    if (PQstatus (conn) != CONNECTION_OK) {
        zsys_error ("cannot connect to PostgreSQL on %s: %s", self->pgdata, PQerrorMessage (conn));
        PQfinish (conn);
        return -1;
    }
    const char *params [] = { S_DATABASE };
    PGresult *result = PQexecParams (conn, "SELECT 1 FROM pg_database WHERE datname = $1",
                                     1, NULL, params, NULL, NULL, 0);
    int rc = PQresultStatus (result) == PGRES_TUPLES_OK? 0: -1;
    bool missing = rc == 0 && PQntuples (result) == 0;
    if (rc)
        zsys_error ("cannot list the databases on %s: %s", self->pgdata, PQerrorMessage (conn));
    PQclear (result);
    if (missing) {
        zsys_info ("creating database " S_DATABASE " in %s", self->pgdata);
        result = PQexec (conn, "CREATE DATABASE " S_DATABASE
                               " ENCODING 'UTF8' TEMPLATE template0");
        const char *sqlstate = PQresultErrorField (result, PG_DIAG_SQLSTATE);
        //  42P04 duplicate_database: another process was quicker, fine
        if (PQresultStatus (result) != PGRES_COMMAND_OK
        &&  !(sqlstate && streq (sqlstate, "42P04"))) {
            zsys_error ("cannot create database " S_DATABASE " in %s: %s",
                        self->pgdata, PQerrorMessage (conn));
            rc = -1;
        }
        PQclear (result);
    }
    PQfinish (conn);
    return rc;
}


//  ---------------------------------------------------------------------
//  Public API

bm_pgcluster_t *
bm_pgcluster_new (const char *datadir)
{
    assert (datadir);
    if (!*datadir) {
        zsys_error ("no data directory given for the embedded PostgreSQL");
        return NULL;
    }
    bm_pgcluster_t *self = (bm_pgcluster_t *) zmalloc (sizeof (bm_pgcluster_t));
    bool created = false;
    if (s_runas_resolve (&self->runas))
        goto failed;
    if (bm_pgfiles_mkdir_p (datadir, 0700, &created)
    ||  !(self->datadir = realpath (datadir, NULL))) {
        zsys_error ("cannot create the data directory %s (%s): create it yourself, or "
                    "choose a path battlemapd may write to", datadir, strerror (errno));
        goto failed;
    }
    if (created && bm_pgfiles_give (&self->runas, self->datadir))
        goto failed;
    self->pgdata = bm_child_sprintf ("%s/pgdata", self->datadir);
    self->logfile = bm_child_sprintf ("%s/postgresql.log", self->datadir);
    if (s_check_not_running (self)
    ||  !(self->bindir = bm_pgfiles_find_bindir (self->pgdata))
    ||  s_sockdir_prepare (self))
        goto failed;

    off_t log_offset;
    int log_fd = bm_pgfiles_log_open (self->logfile, self->datadir, &self->runas,
                                      &log_offset);
    if (log_fd < 0)
        goto failed;
    char *version_file = bm_child_sprintf ("%s/PG_VERSION", self->pgdata);
    bool exists = access (version_file, F_OK) == 0;
    free (version_file);
    int rc = exists? 0: s_initdb (self, log_fd, log_offset);
    if (rc == 0)
        rc = s_start (self, log_fd);
    close (log_fd);
    if (rc || s_wait_ready (self, log_offset) || s_create_database (self))
        goto failed;

    char *host = s_conninfo_value (self->sockdir);
    self->conninfo = bm_child_sprintf ("host=%s port=%d dbname=" S_DATABASE
                                       " user=" S_SUPERUSER, host, BM_PGCLUSTER_PORT);
    free (host);
    zsys_info ("PostgreSQL (pid %d, %s) runs on %s", (int) self->pid, self->bindir, self->pgdata);
    return self;

failed:
    bm_pgcluster_destroy (&self);
    return NULL;
}

void
bm_pgcluster_destroy (bm_pgcluster_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        bm_pgcluster_t *self = *self_p;
        if (self->pid > 0)
            s_stop (self->pid, self->pgdata);
        if (self->sockdir_is_temp && bm_pgfiles_remove_tree (self->sockdir))
            zsys_warning ("cannot remove the socket directory %s (%s)",
                          self->sockdir, strerror (errno));
        bm_child_user_free (&self->runas);
        zstr_free (&self->datadir);
        zstr_free (&self->pgdata);
        zstr_free (&self->sockdir);
        zstr_free (&self->logfile);
        zstr_free (&self->bindir);
        zstr_free (&self->conninfo);
        free (self);
        *self_p = NULL;
    }
}

//  Spawns the postmaster again, on the cluster as it was left
static int
s_restart (bm_pgcluster_t *self)
{
    int log_fd = bm_pgfiles_log_open (self->logfile, self->datadir, &self->runas,
                                      &self->restart_log);
    if (log_fd < 0)
        return -1;
    int rc = s_start (self, log_fd);
    close (log_fd);
    if (rc == 0)
        self->starting = zclock_mono ();
    return rc;
}

int
bm_pgcluster_keep (bm_pgcluster_t *self)
{
    assert (self);
    int status;
    if (self->pid > 0 && bm_child_wait (self->pid, 0, &status)) {
        char *how = bm_child_status_text (status);
        char *tail = bm_pgfiles_log_tail (self->logfile, self->restart_log);
        if (self->starting) {
            self->failures++;
            zsys_error ("PostgreSQL stopped again while starting on %s (%s; %d of %d); it"
                        " said, in %s:%s", self->pgdata, how, self->failures,
                        BM_PGCLUSTER_RESTARTS, self->logfile, tail);
        }
        else
            zsys_error ("PostgreSQL (pid %d) on %s has stopped (%s): starting it again",
                        (int) self->pid, self->pgdata, how);
        free (how);
        free (tail);
        self->pid = 0;
        self->starting = 0;
    }
    if (self->failures >= BM_PGCLUSTER_RESTARTS)
        return -1;
    if (self->pid == 0) {
        if (s_restart (self)) {
            self->failures++;
            return self->failures >= BM_PGCLUSTER_RESTARTS? -1: 1;
        }
        return 1;
    }
    if (!self->starting)
        return 0;
    int64_t waited = zclock_mono () - self->starting;
    if (s_pidfile_ready (self, waited) && s_ping (self->sockdir, S_PORT_STRING) == PQPING_OK) {
        zsys_info ("PostgreSQL (pid %d) runs again on %s", (int) self->pid, self->pgdata);
        self->starting = 0;
        self->failures = 0;
        return 0;
    }
    if (waited > BM_PGCLUSTER_START_TIMEOUT * 1000) {
        zsys_error ("PostgreSQL on %s did not accept connections within %d s of its restart",
                    self->pgdata, BM_PGCLUSTER_START_TIMEOUT);
        s_stop (self->pid, self->pgdata);
        self->pid = 0;
        self->starting = 0;
        self->failures++;
    }
    return self->failures >= BM_PGCLUSTER_RESTARTS? -1: 1;
}

const char *
bm_pgcluster_conninfo (bm_pgcluster_t *self)
{
    assert (self);
    return self->conninfo;
}

pid_t
bm_pgcluster_pid (bm_pgcluster_t *self)
{
    assert (self);
    return self->pid;
}

const char *
bm_pgcluster_pgdata (bm_pgcluster_t *self)
{
    assert (self);
    return self->pgdata;
}

const char *
bm_pgcluster_logfile (bm_pgcluster_t *self)
{
    assert (self);
    return self->logfile;
}
