/* spawn(request, onExit): starts a child with clone(CLONE_VM | CLONE_VFORK), as glibc's
 * posix_spawn does, so the cost does not grow with the daemon's memory (fork copies its page
 * tables: ~28 µs per resident MiB). The calling thread sleeps until the child has exec'd or
 * failed; a failure is known here, synchronously, with the step that failed. The exit is then
 * watched through a pidfd (watch.c). Returns { pid, stdin, stdout, stderr } (the daemon's ends of
 * the pipes, -1 where none). */
#include "tn.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILD_STACK (64 * 1024)

/* Slots: low fds reserved at load time (each /dev/null when idle). A spawn dups the child's fds
 * into them and clones with CLONE_FILES, so the kernel does not copy the daemon's whole fd table
 * (thousands of log files and pipes with 1000 programs: each spawn paid for all of them, twice,
 * copying and then closing); the child keeps a private copy of only the fds below the slots.
 * Needs close_range(CLOSE_RANGE_UNSHARE), Linux 5.9; elsewhere, or for more fds than slots, the
 * table is copied as fork does. */
#define SLOTS 11
static int slot_fds[SLOTS];
static int slot_devnull = -1;
static int slot_top = 0;
static int slots_ready = 0;

static int kernel_at_least(int major, int minor) {
  struct utsname u;
  int ma = 0, mi = 0;
  if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &ma, &mi) != 2) return 0;
  return ma > major || (ma == major && mi >= minor);
}

void tn_slots_init(void) {
  if (slots_ready != 0) return;
  slots_ready = -1;
  slot_devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (slot_devnull < 0 || !kernel_at_least(5, 9)) return;
  slot_top = slot_devnull + 1;
  for (int i = 0; i < SLOTS; i++) {
    slot_fds[i] = fcntl(slot_devnull, F_DUPFD_CLOEXEC, 3);
    if (slot_fds[i] < 0) {
      while (i-- > 0) close(slot_fds[i]);
      return;
    }
    if (slot_fds[i] >= slot_top) slot_top = slot_fds[i] + 1;
  }
  slots_ready = 1;
}

/* Puts the child's sources into the slots; `saved` keeps the originals. 0 if it cannot. */
static int fill_slots(tn_child *c, int *saved) {
  if (slots_ready != 1 || c->nfds > SLOTS) return 0;
  for (int i = 0; i < c->nfds; i++) {
    saved[i] = c->fds[i];
    if (c->fds[i] < 0) continue;
    if (dup3(c->fds[i], slot_fds[i], O_CLOEXEC) < 0) {
      while (i-- > 0)
        if (saved[i] >= 0) dup3(slot_devnull, slot_fds[i], O_CLOEXEC);
      return 0;
    }
    c->fds[i] = slot_fds[i];
  }
  c->unshare_below = slot_top;
  return 1;
}

/* Back to /dev/null: the slots must not keep the child's pipe ends open (EOF would never come). */
static void empty_slots(tn_child *c, const int *saved) {
  for (int i = 0; i < c->nfds; i++) {
    if (saved[i] >= 0) dup3(slot_devnull, slot_fds[i], O_CLOEXEC);
    c->fds[i] = saved[i];
  }
  c->unshare_below = 0;
}

/* Signals stay blocked from before clone until the child has reset every handler: a signal
 * delivered in between would run the daemon's handler on the daemon's memory, in the child. */
static pid_t vfork_exec(tn_child *c, int *err) {
  int flags = CLONE_VM | CLONE_VFORK | SIGCHLD | (c->unshare_below > 0 ? CLONE_FILES : 0);
  void *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    *err = errno;
    return -1;
  }
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  pid_t pid = clone(tn_child_main, (char *)stack + CHILD_STACK, flags, c);
  *err = pid < 0 ? errno : 0;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  munmap(stack, CHILD_STACK);
  return pid;
}

static void reap_failed(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

/* Field 22 of /proc/PID/stat (clock ticks after boot): with the pid, it names this process for
 * good (the daemon's records of its children); read here, it costs a few µs instead of a file
 * read from JavaScript. 0 where /proc cannot tell. */
static double start_time(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  char *p = strrchr(buf, ')');
  for (int field = 2; p != NULL && field < 22; field++) p = strchr(p + 1, ' ');
  return p == NULL ? 0 : strtod(p + 1, NULL);
}

static napi_value result(napi_env env, pid_t pid, tn_pipes *p) {
  napi_value obj, v;
  napi_create_object(env, &obj);
  napi_create_int32(env, pid, &v);
  napi_set_named_property(env, obj, "pid", v);
  napi_create_int32(env, p->stdin_fd, &v);
  napi_set_named_property(env, obj, "stdin", v);
  napi_create_int32(env, p->stdout_fd, &v);
  napi_set_named_property(env, obj, "stdout", v);
  napi_create_int32(env, p->stderr_fd, &v);
  napi_set_named_property(env, obj, "stderr", v);
  napi_create_double(env, start_time(pid), &v);
  napi_set_named_property(env, obj, "startTime", v);
  return obj;
}

static int needs_devnull(const tn_child *c) {
  for (int i = 0; i < 3 && i < c->nfds; i++)
    if (c->fds[i] < 0) return 1;
  return 0;
}

/* After a successful exec: a pidfd to learn of the exit; without one the child cannot be
 * watched, so it is killed and the spawn fails (EMFILE is the likely cause). */
static napi_value watch_or_kill(napi_env env, pid_t pid, tn_pipes *p, napi_value on_exit) {
  int pidfd = tn_pidfd_open(pid);
  if (pidfd < 0) {
    int err = errno;
    kill(pid, SIGKILL);
    reap_failed(pid);
    tn_close_pipes(p, 1);
    return tn_throw_errno(env, err, TN_STAGE_PIDFD);
  }
  tn_own(pid);
  int err = tn_watch(env, pid, pidfd, on_exit);
  if (err != 0) {
    tn_disown(pid);
    close(pidfd);
    kill(pid, SIGKILL);
    reap_failed(pid);
    tn_close_pipes(p, 1);
    return tn_throw_errno(env, err, TN_STAGE_PIDFD);
  }
  return result(env, pid, p);
}

/* One clone; with slots first, and if this kernel refuses CLOSE_RANGE_UNSHARE after all, the
 * slots are given up and the spawn is tried again without them. */
static pid_t clone_child(tn_child *c, int *err) {
  int saved[SLOTS];
  int slotted = fill_slots(c, saved);
  pid_t pid = vfork_exec(c, err);
  if (!slotted) return pid;
  empty_slots(c, saved);
  if (pid < 0 || c->err == 0 || c->stage != TN_STAGE_UNSHARE) return pid;
  reap_failed(pid);
  slots_ready = -1;
  c->err = 0;
  c->stage = 0;
  return vfork_exec(c, err);
}

static napi_value launch(napi_env env, tn_child *c, tn_pipes *p, napi_value on_exit) {
  int err = 0;
  int own_devnull = 0;
  if (needs_devnull(c)) {
    c->devnull = slot_devnull >= 0 ? slot_devnull : open("/dev/null", O_RDWR | O_CLOEXEC);
    own_devnull = slot_devnull < 0;
    if (c->devnull < 0) err = errno;
  }
  pid_t pid = err != 0 ? -1 : clone_child(c, &err);
  if (own_devnull && c->devnull >= 0) close(c->devnull);
  tn_close_pipes(p, 0);
  if (pid < 0) {
    tn_close_pipes(p, 1);
    return tn_throw_errno(env, err, TN_STAGE_FORK);
  }
  if (c->err != 0) {
    reap_failed(pid);
    tn_close_pipes(p, 1);
    return tn_throw_errno(env, c->err, c->stage);
  }
  return watch_or_kill(env, pid, p, on_exit);
}

napi_value tn_spawn(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  napi_valuetype t;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 2) {
    napi_throw_type_error(env, NULL, "spawn(request, onExit) takes two arguments");
    return NULL;
  }
  if (napi_typeof(env, args[1], &t) != napi_ok || t != napi_function) {
    napi_throw_type_error(env, NULL, "spawn: onExit must be a function");
    return NULL;
  }
  tn_arena *arena = NULL;
  tn_child c;
  memset(&c, 0, sizeof c);
  c.devnull = -1;
  tn_pipes p = {-1, -1, -1, {-1, -1, -1}};
  int err = 0, stage = 0;
  napi_status st = tn_parse_request(env, args[0], &arena, &c, &p, &err, &stage);
  napi_value out = NULL;
  if (st != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_type_error(env, NULL, "spawn: invalid request");
    tn_close_pipes(&p, 1);
  } else if (err != 0) {
    tn_close_pipes(&p, 1);
    out = tn_throw_errno(env, err, stage);
  } else {
    out = launch(env, &c, &p, args[1]);
  }
  tn_arena_free(arena);
  return out;
}
