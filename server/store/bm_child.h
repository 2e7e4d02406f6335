/*  bm_child: run a program as a child process, as another user if need be,
    and wait for it, signal it and reap it.

    Made for the embedded PostgreSQL (see bm_pgcluster), whose initdb and
    postgres refuse to run as root: when battlemapd runs as root, children
    run as an unprivileged system user instead.

    A child runs in a session of its own (a Ctrl-C on the terminal reaches
    battlemapd only), inherits no descriptor but stdin, stdout and stderr,
    starts with default signal dispositions and nothing blocked, and, on
    Linux, receives SIGINT if the thread that started it dies, so that a
    crashed battlemapd leaves no orphan behind. Start children from a
    thread that lives as long as they do.

    If the child fails before exec (it cannot become the user, enter its
    directory, ...), it tells the parent which step failed and why through
    a pipe, so the caller can say what to fix. This module logs nothing:
    only the caller knows what the program is for.

    Pids passed to the functions below are children of ours. A child not
    yet reaped keeps its pid, so bm_child_signal looks before it signals:
    the pid of a child already reaped may belong to someone else by now.
*/
#ifndef BM_CHILD_H_INCLUDED
#define BM_CHILD_H_INCLUDED

#include <stdbool.h>
#include <sys/types.h>

//  Who a child runs as. Filled by bm_child_user_resolve, read freely,
//  released by bm_child_user_free.
typedef struct {
    bool switch_user;       //  we are root and become this user in the child
    char *name;             //  user name, for messages
    uid_t uid;              //  its user id
    gid_t gid;              //  its primary group
    gid_t *groups;          //  its supplementary groups, when switching
    int ngroups;            //  how many
} bm_child_user_t;

//  Where a child gave up before exec (or the parent, before or at fork)
typedef enum {
    BM_CHILD_STEP_FORK = 0,     //  in the parent: descriptors, pipe or fork
    BM_CHILD_STEP_SETSID,       //  a session of its own
    BM_CHILD_STEP_SETGROUPS,    //  becoming the user: supplementary groups,
    BM_CHILD_STEP_SETGID,       //  primary group,
    BM_CHILD_STEP_SETUID,       //  user id
    BM_CHILD_STEP_PDEATHSIG,    //  SIGINT on the parent's death, or the
                                //  parent already gone (errno ESRCH)
    BM_CHILD_STEP_CHDIR,        //  entering the working directory
    BM_CHILD_STEP_STDIO,        //  setting up stdin, stdout and stderr
    BM_CHILD_STEP_EXEC          //  exec itself
} bm_child_step_t;

//  Why bm_child_spawn failed
typedef struct {
    bm_child_step_t step;   //  what was being done
    int error;              //  errno it failed with
} bm_child_failure_t;

//  Children run as ourselves; or, when we run as root, as the system user
//  named name_when_root. Returns 0, or -1 (logging nothing) when we are
//  root and that user does not exist or is root itself. Call
//  bm_child_user_free afterwards either way.
int
    bm_child_user_resolve (bm_child_user_t *self, const char *name_when_root);

//  Free what bm_child_user_resolve allocated. Safe to call twice.
void
    bm_child_user_free (bm_child_user_t *self);

//  Run argv[0] (a path, not looked up in PATH) with argv as user, in cwd,
//  with stdin from /dev/null and stdout and stderr to out_fd, as described
//  above. out_fd is not closed. Returns the child's pid once it has
//  exec'd; or -1 and fills *failure, any child already reaped.
pid_t
    bm_child_spawn (const bm_child_user_t *user, char *const argv [], const char *cwd,
                    int out_fd, bm_child_failure_t *failure);

//  Wait up to timeout_ms (0: just look) for our child pid to exit. Returns
//  true and sets *status, as waitpid does, once it has exited and been
//  reaped (-1 if someone else reaped it); false meanwhile.
bool
    bm_child_wait (pid_t pid, int timeout_ms, int *status);

//  Unless our child pid has exited already, send it signum, then wait up
//  to timeout_ms for it to exit. Returns true once it has exited and been
//  reaped, false if it is still running.
bool
    bm_child_signal (pid_t pid, int signum, int timeout_ms);

//  SIGKILL our child pid and reap it. Blocks until it is gone, which it
//  will be: SIGKILL cannot be caught or ignored.
void
    bm_child_kill (pid_t pid);

//  A child's wait status in words, e.g. "exit code 1" or "killed by signal
//  9". The caller frees the string.
char *
    bm_child_status_text (int status);

//  Like zsys_sprintf, but running out of memory is fatal, as in zmalloc,
//  so it never returns NULL. The caller frees the string. Shared with
//  bm_pgcluster and bm_pgfiles, which format many paths and messages.
char *
    bm_child_sprintf (const char *format, ...);

#endif
