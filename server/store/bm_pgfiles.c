/*  bm_pgfiles: the files of the embedded PostgreSQL: its binaries, its log,
    and small file and directory helpers. */

#include "bm_pgfiles.h"

#include <czmq.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define S_DEBIAN_ROOT       "/usr/lib/postgresql"
#define S_LOG_ROTATE_SIZE   (16 * 1024 * 1024)
#define S_LOG_TAIL_BYTES    1500


//  ---------------------------------------------------------------------
//  Small files and directories

char *
bm_pgfiles_read_small (const char *path)
{
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *text = zmalloc (4097);
    ssize_t size = read (fd, text, 4096);
    close (fd);
    if (size < 0) {
        free (text);
        return NULL;
    }
    text [size] = 0;
    return text;
}

int
bm_pgfiles_mkdir_p (const char *dir, mode_t mode, bool *created)
{
    *created = false;
    char *path = bm_child_sprintf ("%s", dir);
    size_t length = strlen (path);
    while (length > 1 && path [length - 1] == '/')
        path [--length] = 0;
    int rc = 0;
    for (char *slash = strchr (path + 1, '/'); slash && rc == 0;
         slash = strchr (slash + 1, '/')) {
        *slash = 0;
        if (mkdir (path, 0755) && errno != EEXIST)
            rc = -1;
        *slash = '/';
    }
    if (rc == 0 && mkdir (path, mode) == 0) {
        *created = true;
        rc = chmod (path, mode);        //  whatever the umask
    }
    else
    if (rc == 0 && errno != EEXIST)
        rc = -1;
    struct stat st;
    if (rc == 0 && stat (path, &st) == 0 && !S_ISDIR (st.st_mode)) {
        errno = ENOTDIR;
        rc = -1;
    }
    free (path);
    return rc;
}

static int
s_remove_entry (const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void) st, (void) type, (void) ftw;     //  nftw's callback, only path is needed
    return remove (path) == 0 || errno == ENOENT? 0: -1;
}

int
bm_pgfiles_remove_tree (const char *path)
{
    if (nftw (path, s_remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 || errno == ENOENT)
        return 0;
    return -1;
}

int
bm_pgfiles_give (const bm_child_user_t *runas, const char *path)
{
    if (runas->switch_user && chown (path, runas->uid, runas->gid)) {
        zsys_error ("cannot hand %s to user %s (chown: %s): check the file system "
                    "holding it allows ownership changes", path, runas->name, strerror (errno));
        return -1;
    }
    return 0;
}


//  ---------------------------------------------------------------------
//  Finding the PostgreSQL server binaries

static bool
s_bindir_ok (const char *bindir)
{
    char *initdb = bm_child_sprintf ("%s/initdb", bindir);
    char *postgres = bm_child_sprintf ("%s/postgres", bindir);
    bool ok = access (initdb, X_OK) == 0 && access (postgres, X_OK) == 0;
    free (initdb);
    free (postgres);
    return ok;
}

//  "15" or "9.6" as a number that sorts, or -1 if the name is no version
static long
s_version_key (const char *name)
{
    char *end;
    long major = strtol (name, &end, 10);
    long minor = 0;
    if (end == name || major < 0)
        return -1;
    if (*end == '.')
        minor = strtol (end + 1, &end, 10);
    return *end? -1: major * 100 + minor;
}

char *
bm_pgfiles_find_bindir (const char *pgdata)
{
    const char *forced = getenv ("BM_PG_BINDIR");
    if (forced && *forced) {
        if (s_bindir_ok (forced))
            return bm_child_sprintf ("%s", forced);
        zsys_error ("BM_PG_BINDIR=%s holds no executable initdb and postgres: point it at "
                    "the bin directory of a PostgreSQL server (e.g. %s/15/bin), or unset it",
                    forced, S_DEBIAN_ROOT);
        return NULL;
    }
    char *version_file = bm_child_sprintf ("%s/PG_VERSION", pgdata);
    char *made_by = bm_pgfiles_read_small (version_file);
    free (version_file);
    if (made_by)
        made_by [strcspn (made_by, " \r\n")] = 0;

    char *best = NULL;
    long best_key = -1;
    DIR *dir = opendir (S_DEBIAN_ROOT);
    struct dirent *entry;
    while (dir && (entry = readdir (dir))) {
        long key = s_version_key (entry->d_name);
        if (key < 0)
            continue;
        if (made_by && streq (made_by, entry->d_name))
            key = LONG_MAX;
        char *bindir = bm_child_sprintf ("%s/%s/bin", S_DEBIAN_ROOT, entry->d_name);
        if (key > best_key && s_bindir_ok (bindir)) {
            free (best);
            best = bindir;
            best_key = key;
        }
        else
            free (bindir);
    }
    if (dir)
        closedir (dir);
    free (made_by);

    const char *path = getenv ("PATH");
    char *copy = bm_child_sprintf ("%s", path? path: "");
    char *saveptr = NULL;
    for (char *item = strtok_r (copy, ":", &saveptr); item && !best;
         item = strtok_r (NULL, ":", &saveptr))
        if (*item == '/' && s_bindir_ok (item))
            best = bm_child_sprintf ("%s", item);
    free (copy);
    if (!best)
        zsys_error ("no PostgreSQL server found: neither %s/<version>/bin nor PATH holds "
                    "initdb and postgres; install it (apt install postgresql) or set "
                    "BM_PG_BINDIR to its bin directory", S_DEBIAN_ROOT);
    return best;
}


//  ---------------------------------------------------------------------
//  The log file

int
bm_pgfiles_log_open (const char *logfile, const char *datadir,
                     const bm_child_user_t *runas, off_t *offset)
{
    struct stat st;
    if (stat (logfile, &st) == 0 && st.st_size > S_LOG_ROTATE_SIZE) {
        char *old = bm_child_sprintf ("%s.old", logfile);
        rename (logfile, old);
        free (old);
    }
    int fd = open (logfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0 || fstat (fd, &st)) {
        zsys_error ("cannot open the PostgreSQL log %s (%s): make %s writable",
                    logfile, strerror (errno), datadir);
        if (fd >= 0)
            close (fd);
        return -1;
    }
    if (bm_pgfiles_give (runas, logfile)) {
        close (fd);
        return -1;
    }
    *offset = st.st_size;
    return fd;
}

char *
bm_pgfiles_log_tail (const char *logfile, off_t offset)
{
    char *text = NULL;
    struct stat st;
    int fd = open (logfile, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && fstat (fd, &st) == 0) {
        off_t start = st.st_size < offset? 0: offset;
        bool cut = st.st_size - start > S_LOG_TAIL_BYTES;
        if (cut)
            start = st.st_size - S_LOG_TAIL_BYTES;
        text = zmalloc (st.st_size - start + 1);
        ssize_t size = pread (fd, text, st.st_size - start, start);
        text [size > 0? size: 0] = 0;
        if (cut && strchr (text, '\n'))
            memmove (text, strchr (text, '\n') + 1, strlen (strchr (text, '\n') + 1) + 1);
    }
    if (fd >= 0)
        close (fd);
    if (!text || !*text) {
        free (text);
        return bm_child_sprintf (" (nothing)");
    }
    //  Each line on a line of its own, indented under the message
    size_t lines = 1;
    for (char *scan = text; *scan; scan++)
        lines += *scan == '\n';
    char *result = zmalloc (strlen (text) + lines * 5 + 1);
    char *target = result;
    char *saveptr = NULL;
    for (char *line = strtok_r (text, "\n", &saveptr); line;
         line = strtok_r (NULL, "\n", &saveptr))
        target += sprintf (target, "\n    %s", line);
    free (text);
    return result;
}

void
bm_pgfiles_log_note (int fd, const char *note)
{
    char stamp [32];
    time_t now = time (NULL);
    struct tm local;
    strftime (stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", localtime_r (&now, &local));
    char *line = bm_child_sprintf ("%s battlemap: %s\n", stamp, note);
    ssize_t written = write (fd, line, strlen (line));
    (void) written;
    free (line);
}
