/*  bm_pgfiles: the files of the embedded PostgreSQL (see bm_pgcluster).

    Finding the server binaries, the log file that initdb and postgres
    write to, and the small file and directory helpers bm_pgcluster needs.
    Files made as root are handed to the server's user (see bm_child).
    A returned char * is the caller's to free.
*/
#ifndef BM_PGFILES_H_INCLUDED
#define BM_PGFILES_H_INCLUDED

#include "bm_child.h"

#include <stdbool.h>
#include <sys/types.h>

//  Up to 4 KB of a small file as a string, or NULL if it cannot be read
char *
    bm_pgfiles_read_small (const char *path);

//  Create dir and any missing parents (0755); dir itself gets `mode`. Sets
//  *created when dir itself was made. Returns 0, or -1 with errno set.
int
    bm_pgfiles_mkdir_p (const char *dir, mode_t mode, bool *created);

//  rm -rf path. Returns 0, or -1 with errno set.
int
    bm_pgfiles_remove_tree (const char *path);

//  Hand a file we made (as root) to the server's user. Returns 0, or -1
//  and logs why.
int
    bm_pgfiles_give (const bm_child_user_t *runas, const char *path);

//  The directory holding initdb and postgres, or NULL and logs why.
//  $BM_PG_BINDIR, else the Debian directory of the version that made an
//  existing cluster in pgdata (a newer server cannot open it), else the
//  highest Debian version, else PATH. Debian's pg_config may name the
//  client's directory, which holds no postgres, so it is not asked.
char *
    bm_pgfiles_find_bindir (const char *pgdata);

//  Open the log for appending, moving a big one aside first, and hand it
//  to runas. *offset is where this run's output begins. Returns the
//  descriptor, or -1 and logs why (naming datadir, which holds the log).
int
    bm_pgfiles_log_open (const char *logfile, const char *datadir,
                         const bm_child_user_t *runas, off_t *offset);

//  The end of what the log holds past offset, indented, for an error message
char *
    bm_pgfiles_log_tail (const char *logfile, off_t offset);

//  Write a timestamped line "battlemap: note" to the log open on fd
void
    bm_pgfiles_log_note (int fd, const char *note);

#endif
