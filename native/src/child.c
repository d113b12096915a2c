/* The child between clone(CLONE_VM | CLONE_VFORK) and execve. It shares the daemon's memory while
 * the daemon's other threads keep running, so it only makes system calls on data the parent
 * prepared: no malloc, no stdio, no locks, and no libc wrapper that keeps process-wide state
 * (glibc's setuid() would signal the parent's threads: the raw system calls change only this
 * process). Failure: the errno and the step go into the shared tn_child, then _exit(127), which
 * the parent sees as soon as vfork returns. The order is supervisord's (process.py): a new
 * session, the fds, then the user, then the directory (as the user), then umask and execve. */
#include "tn.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif

#ifdef SYS_setgroups32
#define TN_SYS_SETGROUPS SYS_setgroups32
#define TN_SYS_SETRESGID SYS_setresgid32
#define TN_SYS_SETRESUID SYS_setresuid32
#else
#define TN_SYS_SETGROUPS SYS_setgroups
#define TN_SYS_SETRESGID SYS_setresgid
#define TN_SYS_SETRESUID SYS_setresuid
#endif

static void fail(tn_child *c, int stage) {
  c->err = errno;
  c->stage = stage;
  _exit(127);
}

/* Handlers point into the daemon's code: back to the default before anything can be delivered.
 * Ignored signals are reset too (SIGPIPE is ignored in Node), as libuv does for its children. */
static void reset_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; s++) {
    if (s == SIGKILL || s == SIGSTOP) continue;
    sigaction(s, &sa, NULL); /* glibc's reserved signals answer EINVAL: nothing to reset */
  }
}

static void close_from(tn_child *c, int lowest) {
  if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0) == 0) return;
  for (int fd = lowest; fd < c->max_fd; fd++) close(fd);
}

/* Child fd i <- parent fd fds[i]. Every source first moves above the targets, so that no dup2
 * overwrites a source still to be used; dup2 then clears close-on-exec on exactly the targets. */
static void setup_fds(tn_child *c) {
  for (int i = 0; i < c->nfds; i++) {
    int src = c->fds[i];
    if (src < 0 && i <= 2) src = c->devnull;
    c->scratch[i] = src < 0 ? -1 : fcntl(src, F_DUPFD_CLOEXEC, c->nfds);
    if (src >= 0 && c->scratch[i] < 0) fail(c, TN_STAGE_FDS);
  }
  for (int i = 0; i < c->nfds; i++) {
    if (c->scratch[i] < 0) {
      close(i);
    } else if (dup2(c->scratch[i], i) < 0) {
      fail(c, TN_STAGE_FDS);
    }
  }
  close_from(c, c->nfds);
}

static void set_ids(tn_child *c) {
  if (syscall(TN_SYS_SETGROUPS, c->ngroups, c->groups) < 0) fail(c, TN_STAGE_SETGROUPS);
  if (syscall(TN_SYS_SETRESGID, c->gid, c->gid, c->gid) < 0) fail(c, TN_STAGE_SETGID);
  if (syscall(TN_SYS_SETRESUID, c->uid, c->uid, c->uid) < 0) fail(c, TN_STAGE_SETUID);
}

static void set_rlimits(tn_child *c) {
  for (int i = 0; i < c->nrlimits; i++) {
    struct rlimit rl = {c->rlimits[i].soft, c->rlimits[i].hard};
    if (syscall(SYS_prlimit64, 0, c->rlimits[i].resource, &rl, NULL) < 0) fail(c, TN_STAGE_RLIMIT);
  }
}

/* Each slot has room for 20 digits and the NUL. */
static void write_pid(char *slot, long pid) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = (char)('0' + pid % 10);
    pid /= 10;
  } while (pid > 0 && n < 20);
  for (int i = 0; i < n; i++) slot[i] = digits[n - 1 - i];
  slot[n] = '\0';
}

int tn_child_main(void *arg) {
  tn_child *c = arg;
  reset_signals();
  /* Sharing the daemon's fd table (CLONE_FILES) spared copying all of it; nothing may change in
   * it, so the child first takes its own copy of the few fds below the slots. */
  if (c->unshare_below > 0 && syscall(SYS_close_range, (unsigned)c->unshare_below, ~0U, CLOSE_RANGE_UNSHARE) < 0)
    fail(c, TN_STAGE_UNSHARE);
  if (c->new_session && syscall(SYS_setsid) < 0) fail(c, TN_STAGE_SETSID);
  setup_fds(c);
  set_rlimits(c);
  if (c->set_ids) set_ids(c);
  if (c->cwd != NULL && syscall(SYS_chdir, c->cwd) < 0) fail(c, TN_STAGE_CHDIR);
  if (c->umask >= 0) syscall(SYS_umask, c->umask);
  if (c->n_pid_slots > 0) {
    long pid = syscall(SYS_getpid);
    for (int i = 0; i < c->n_pid_slots; i++) write_pid(c->pid_slots[i], pid);
  }
  /* The mask survives execve: the parent blocked everything around clone. */
  sigset_t none;
  sigemptyset(&none);
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, (NSIG - 1) / 8);
  syscall(SYS_execve, c->file, c->argv, c->envp);
  fail(c, TN_STAGE_EXEC);
  return 127;
}
