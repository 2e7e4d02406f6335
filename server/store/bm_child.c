/*  bm_child: run a program as a child process, as another user if need be,
    and wait for it, signal it and reap it. */

#include "bm_child.h"

#include <czmq.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#   include <sys/prctl.h>
#endif

//  ---------------------------------------------------------------------
//  The user a child runs as: ourselves, or another one when we are root

int
bm_child_user_resolve (bm_child_user_t *self, const char *name_when_root)
{
    assert (self);
    assert (name_when_root);
    char buffer [16384];
    struct passwd entry, *found = NULL;
    if (geteuid () != 0) {
        self->uid = geteuid ();
        self->gid = getegid ();
        getpwuid_r (self->uid, &entry, buffer, sizeof buffer, &found);
        self->name = found? bm_child_sprintf ("%s", found->pw_name)
                          : bm_child_sprintf ("uid %d", (int) self->uid);
        return 0;
    }
    getpwnam_r (name_when_root, &entry, buffer, sizeof buffer, &found);
    if (!found || found->pw_uid == 0)
        return -1;
    self->switch_user = true;
    self->name = bm_child_sprintf ("%s", found->pw_name);
    self->uid = found->pw_uid;
    self->gid = found->pw_gid;
    //  initgroups would read /etc/group after fork, which is unsafe in a
    //  threaded process: fetch the list now, setgroups it in the child
    self->ngroups = 16;
    self->groups = zmalloc (self->ngroups * sizeof (gid_t));
    int wanted = self->ngroups;
    while (getgrouplist (self->name, self->gid, self->groups, &wanted) < 0) {
        self->ngroups = wanted;
        self->groups = realloc (self->groups, wanted * sizeof (gid_t));
        assert (self->groups);
    }
    self->ngroups = wanted;
    return 0;
}

void
bm_child_user_free (bm_child_user_t *self)
{
    assert (self);
    zstr_free (&self->name);
    free (self->groups);
    self->groups = NULL;
}


//  ---------------------------------------------------------------------
//  Between fork and exec

static _Noreturn void
s_child_fail (int report, bm_child_step_t step)
{
    bm_child_failure_t failure = { step, errno };
    ssize_t written = write (report, &failure, sizeof failure);
    (void) written;
    _exit (127);
}

//  Between fork and exec: only async-signal-safe calls, no allocation (the
//  parent may have threads holding locks).
static _Noreturn void
s_child (const bm_child_user_t *user, char *const argv [], const char *cwd,
         int devnull, int out, int report, int max_fd, pid_t parent)
{
    //  A session of our own: the terminal's Ctrl-C reaches battlemapd only
    if (setsid () < 0)
        s_child_fail (report, BM_CHILD_STEP_SETSID);
    if (user->switch_user) {
        if (setgroups (user->ngroups, user->groups))
            s_child_fail (report, BM_CHILD_STEP_SETGROUPS);
        if (setgid (user->gid))
            s_child_fail (report, BM_CHILD_STEP_SETGID);
        if (setuid (user->uid))
            s_child_fail (report, BM_CHILD_STEP_SETUID);
    }
#ifdef __linux__
    //  Fast shutdown when the thread that started us dies, so that a
    //  crashed battlemapd leaves no orphan. After setuid, which clears it.
    if (prctl (PR_SET_PDEATHSIG, SIGINT))
        s_child_fail (report, BM_CHILD_STEP_PDEATHSIG);
    if (getppid () != parent) {
        errno = ESRCH;
        s_child_fail (report, BM_CHILD_STEP_PDEATHSIG);
    }
#endif
    if (chdir (cwd))
        s_child_fail (report, BM_CHILD_STEP_CHDIR);
    if (dup2 (devnull, 0) < 0 || dup2 (out, 1) < 0 || dup2 (out, 2) < 0)
        s_child_fail (report, BM_CHILD_STEP_STDIO);
    //  Inherit no other descriptor: a listening socket of battlemapd's
    //  kept open by the postmaster would outlive battlemapd
    if (report > 3 && close_range (3, report - 1, 0))
        for (int fd = 3; fd < report; fd++)
            close (fd);
    if (close_range (report + 1, ~0U, 0))
        for (int fd = report + 1; fd < max_fd; fd++)
            close (fd);
    //  Default dispositions, nothing blocked: postgres relies on SIGINT,
    //  SIGTERM, SIGQUIT, SIGCHLD and SIGUSR1 reaching it
    struct sigaction action;
    memset (&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset (&action.sa_mask);
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction (sig, &action, NULL);     //  fails harmlessly on reserved ones
    sigset_t none;
    sigemptyset (&none);
    sigprocmask (SIG_SETMASK, &none, NULL);
    execv (argv [0], argv);
    s_child_fail (report, BM_CHILD_STEP_EXEC);
}


//  ---------------------------------------------------------------------
//  Starting, waiting, signalling and reaping

pid_t
bm_child_spawn (const bm_child_user_t *user, char *const argv [], const char *cwd,
                int out_fd, bm_child_failure_t *failure)
{
    assert (user);
    assert (argv && argv [0]);
    assert (cwd);
    assert (failure);
    //  Every descriptor the child uses sits above 2, so that setting up
    //  0..2 cannot clobber one of them
    int pipe_fds [2] = { -1, -1 };
    int devnull = open ("/dev/null", O_RDONLY | O_CLOEXEC);
    int devnull_high = devnull < 0? -1: fcntl (devnull, F_DUPFD_CLOEXEC, 3);
    int out = fcntl (out_fd, F_DUPFD_CLOEXEC, 3);
    int report = -1;
    if (pipe2 (pipe_fds, O_CLOEXEC) == 0)
        report = fcntl (pipe_fds [1], F_DUPFD_CLOEXEC, 3);
    if (devnull >= 0)
        close (devnull);
    if (pipe_fds [1] >= 0)
        close (pipe_fds [1]);
    struct rlimit limit;
    int max_fd = getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < 65536
               ? (int) limit.rlim_cur: 65536;
    pid_t pid = -1;
    int fork_error = 0;
    if (devnull_high >= 0 && out >= 0 && report >= 0) {
        //  Signals stay blocked until the child has reset our handlers
        sigset_t all, saved;
        sigfillset (&all);
        pthread_sigmask (SIG_SETMASK, &all, &saved);
        pid_t parent = getpid ();
        pid = fork ();
        if (pid == 0)
            s_child (user, argv, cwd, devnull_high, out, report, max_fd, parent);
        fork_error = errno;
        pthread_sigmask (SIG_SETMASK, &saved, NULL);
    }
    else
        fork_error = errno;
    if (devnull_high >= 0)
        close (devnull_high);
    if (out >= 0)
        close (out);
    if (report >= 0)
        close (report);
    if (pid < 0) {
        failure->step = BM_CHILD_STEP_FORK;
        failure->error = fork_error;
        if (pipe_fds [0] >= 0)
            close (pipe_fds [0]);
        return -1;
    }
    //  The pipe closes on exec, or carries the reason the child gave up
    bm_child_failure_t reported;
    ssize_t size;
    do
        size = read (pipe_fds [0], &reported, sizeof reported);
    while (size < 0 && errno == EINTR);
    close (pipe_fds [0]);
    if (size == sizeof reported) {
        while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
            ;
        *failure = reported;
        return -1;
    }
    return pid;
}

bool
bm_child_wait (pid_t pid, int timeout_ms, int *status)
{
    assert (pid > 0);
    assert (status);
    int64_t deadline = zclock_mono () + timeout_ms;
    int pause = 1;
    while (true) {
        int wstatus;
        pid_t rc = waitpid (pid, &wstatus, WNOHANG);
        if (rc == pid) {
            *status = wstatus;
            return true;
        }
        if (rc < 0 && errno == ECHILD) {
            *status = -1;
            return true;
        }
        if (zclock_mono () >= deadline)
            return false;
        zclock_sleep (pause);
        pause = pause < 50? pause * 2: 50;
    }
}

bool
bm_child_signal (pid_t pid, int signum, int timeout_ms)
{
    int status;
    //  Signal only a child not yet reaped: its pid cannot have been reused
    if (bm_child_wait (pid, 0, &status))
        return true;
    kill (pid, signum);
    return bm_child_wait (pid, timeout_ms, &status);
}

void
bm_child_kill (pid_t pid)
{
    assert (pid > 0);
    kill (pid, SIGKILL);
    while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

char *
bm_child_status_text (int status)
{
    if (status == -1)
        return bm_child_sprintf ("exit status lost: is SIGCHLD ignored?");
    if (WIFEXITED (status))
        return bm_child_sprintf ("exit code %d", WEXITSTATUS (status));
    if (WIFSIGNALED (status))
        return bm_child_sprintf ("killed by signal %d", WTERMSIG (status));
    return bm_child_sprintf ("status %d", status);
}


//  ---------------------------------------------------------------------
//  Strings

char *
bm_child_sprintf (const char *format, ...)
{
    va_list argptr;
    va_start (argptr, format);
    char *string = zsys_vprintf (format, argptr);
    va_end (argptr);
    if (!string) {
        fprintf (stderr, "bm_child_sprintf: out of memory\n");
        abort ();
    }
    return string;
}
