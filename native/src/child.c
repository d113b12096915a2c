/* The child between clone(CLONE_VM) and execve. It shares the daemon's memory, and (TN_RAW) the
 * daemon's main thread runs on beside it, so it only makes raw system calls (rawsys.h) on data
 * the parent prepared: no malloc, no stdio, no locks, no errno, and no libc wrapper that keeps
 * process-wide state (glibc's setuid() would signal the parent's threads: the raw system calls
 * change only this process). Failure: the errno and the step go into the tn_child and its
 * tn_outcome, then exit 127, which the exit report shows (watch.c). The order is supervisord's
 * (process.py): a new session, the fds, then the user, then the directory (as the user), then
 * umask and execve. */
#include "tn.h"
#include "rawsys.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>

#ifdef SYS_setgroups32
#define TN_SYS_SETGROUPS SYS_setgroups32
#define TN_SYS_SETRESGID SYS_setresgid32
#define TN_SYS_SETRESUID SYS_setresuid32
#else
#define TN_SYS_SETGROUPS SYS_setgroups
#define TN_SYS_SETRESGID SYS_setresgid
#define TN_SYS_SETRESUID SYS_setresuid
#endif

/* The kernel's struct sigaction (not libc's): handler, flags, restorer, a 64-bit mask. */
struct tn_ksigaction {
  void *handler;
  unsigned long flags;
  void *restorer;
  unsigned long mask;
};

static void fail(tn_child *c, int stage, long ret) {
  if (c->outcome != NULL) {
    __atomic_store_n(&c->outcome->stage, stage, __ATOMIC_RELAXED);
    __atomic_store_n(&c->outcome->err, (int)-ret, __ATOMIC_RELEASE);
  }
  for (;;) tn_raw1(SYS_exit_group, 127);
}

/* A signal whose default is a core dump must not take its default while the child still shares
 * the daemon's memory: before Linux 5.16 the dump kills every process on that memory (the
 * daemon too), and after it the core would be the daemon's memory. Until execve resets it, such
 * a signal (a stop signal of SIGQUIT sent while the child sets up, a fault) ends the child as if
 * it had died by that signal, without a dump. The handler never returns, so the restorer that
 * x86-64 requires is never called. */
static int dumps_core(long s) {
  return s == SIGQUIT || s == SIGILL || s == SIGTRAP || s == SIGABRT || s == SIGBUS || s == SIGFPE ||
         s == SIGSEGV || s == SIGSYS || s == SIGXCPU || s == SIGXFSZ;
}

static void die_by(int sig) {
  for (;;) tn_raw1(SYS_exit_group, 128 + sig);
}

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

#if TN_RAW
/* Handlers point into the daemon's code: back to the default before anything can be delivered.
 * Ignored signals are reset too (SIGPIPE is ignored in Node), as libuv does for its children.
 * The signals the kernel refuses (SIGKILL, SIGSTOP) answer EINVAL: nothing to reset. */
static void reset_signals(void) {
  struct tn_ksigaction dfl, die;
  memset(&dfl, 0, sizeof dfl);
  memset(&die, 0, sizeof die);
  die.handler = (void *)die_by;
  die.flags = SA_RESTORER;
  die.restorer = (void *)die_by;
  die.mask = ~0UL;
  for (long s = 1; s < NSIG; s++) {
    if (s == SIGKILL || s == SIGSTOP) continue;
    tn_raw4(SYS_rt_sigaction, s, dumps_core(s) ? &die : &dfl, 0, sizeof dfl.mask);
  }
}

static void unblock_signals(void) {
  unsigned long none = 0;
  tn_raw4(SYS_rt_sigprocmask, SIG_SETMASK, &none, 0, sizeof none);
}
#else
/* Without raw system calls the daemon waits (CLONE_VFORK), so libc's wrappers, which know this
 * architecture's signal set, are safe here. */
#include <signal.h>
static void reset_signals(void) {
  struct sigaction dfl, die;
  memset(&dfl, 0, sizeof dfl);
  memset(&die, 0, sizeof die);
  dfl.sa_handler = SIG_DFL;
  die.sa_handler = die_by;
  sigfillset(&die.sa_mask);
  for (int s = 1; s < NSIG; s++) {
    if (s == SIGKILL || s == SIGSTOP) continue;
    sigaction(s, dumps_core(s) ? &die : &dfl, NULL);
  }
}

static void unblock_signals(void) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}
#endif

/* The parent may go on with the fd slots once the child has its own fd table. */
static void signal_unshared(tn_child *c) {
  if (c->unshared == NULL) return;
  __atomic_store_n(c->unshared, 1, __ATOMIC_RELEASE);
  tn_raw6(SYS_futex, (long)c->unshared, FUTEX_WAKE, 1, 0, 0, 0);
}

static void close_from(tn_child *c, int lowest) {
  if (tn_raw3(SYS_close_range, (unsigned)lowest, ~0U, 0) == 0) return;
  for (int fd = lowest; fd < c->max_fd; fd++) tn_raw1(SYS_close, fd);
}

/* Child fd i <- parent fd fds[i]. Every source first moves above the targets, so that no dup
 * overwrites a source still to be used; dup3 then clears close-on-exec on exactly the targets. */
static void setup_fds(tn_child *c) {
  for (int i = 0; i < c->nfds; i++) {
    int src = c->fds[i];
    if (src < 0 && i <= 2) src = c->devnull;
    long fd = src < 0 ? -1 : tn_raw3(SYS_fcntl, src, F_DUPFD_CLOEXEC, c->nfds);
    if (src >= 0 && fd < 0) fail(c, TN_STAGE_FDS, fd);
    c->scratch[i] = (int)fd;
  }
  for (int i = 0; i < c->nfds; i++) {
    if (c->scratch[i] < 0) {
      tn_raw1(SYS_close, i);
    } else {
      long r = tn_raw3(SYS_dup3, c->scratch[i], i, 0);
      if (r < 0) fail(c, TN_STAGE_FDS, r);
    }
  }
  close_from(c, c->nfds);
}

static void set_ids(tn_child *c) {
  long r = tn_raw2(TN_SYS_SETGROUPS, c->ngroups, c->groups);
  if (r < 0) fail(c, TN_STAGE_SETGROUPS, r);
  r = tn_raw3(TN_SYS_SETRESGID, c->gid, c->gid, c->gid);
  if (r < 0) fail(c, TN_STAGE_SETGID, r);
  r = tn_raw3(TN_SYS_SETRESUID, c->uid, c->uid, c->uid);
  if (r < 0) fail(c, TN_STAGE_SETUID, r);
}

static void set_rlimits(tn_child *c) {
  for (int i = 0; i < c->nrlimits; i++) {
    struct rlimit rl = {c->rlimits[i].soft, c->rlimits[i].hard};
    long r = tn_raw4(SYS_prlimit64, 0, c->rlimits[i].resource, &rl, 0);
    if (r < 0) fail(c, TN_STAGE_RLIMIT, r);
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
  /* Sharing the daemon's fd table (CLONE_FILES) spared copying all of it; nothing may change in
   * it, so the child first takes its own copy of the few fds below the slots. */
  if (c->unshare_below > 0) {
    long r = tn_raw3(SYS_close_range, (unsigned)c->unshare_below, ~0U, CLOSE_RANGE_UNSHARE);
    signal_unshared(c);
    if (r < 0) fail(c, TN_STAGE_UNSHARE, r);
  }
  /* The session first: a stop sent to the group from now on reaches the child. */
  if (c->new_session) {
    long r = tn_raw0(SYS_setsid);
    if (r < 0) fail(c, TN_STAGE_SETSID, r);
  }
  reset_signals();
  setup_fds(c);
  set_rlimits(c);
  if (c->set_ids) set_ids(c);
  if (c->cwd != NULL) {
    long r = tn_raw1(SYS_chdir, c->cwd);
    if (r < 0) fail(c, TN_STAGE_CHDIR, r);
  }
  if (c->umask >= 0) tn_raw1(SYS_umask, c->umask);
  if (c->n_pid_slots > 0) {
    long pid = tn_raw0(SYS_getpid);
    for (int i = 0; i < c->n_pid_slots; i++) write_pid(c->pid_slots[i], pid);
  }
  /* The mask survives execve: the parent blocked everything around clone. */
  unblock_signals();
  long r = tn_raw3(SYS_execve, c->file, c->argv, c->envp);
  fail(c, TN_STAGE_EXEC, r);
  return 127;
}
