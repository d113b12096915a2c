/* spawn(request, onExit): starts a child with clone(CLONE_VM), as glibc's posix_spawn does, so
 * the cost does not grow with the daemon's memory (fork copies its page tables: ~28 µs per
 * resident MiB). Unlike posix_spawn the daemon waits (CLONE_VFORK) only for the first spawn in a
 * turn of the event loop (see in_batch); for the others it goes on while the child sets itself
 * up and execs: starting 1000 programs, that wait was half of the main thread's time, and the
 * exec can run on another core. The child runs on its own stack
 * and the request's memory, which stay until the kernel says the child is done with the
 * daemon's memory (CLONE_CHILD_CLEARTID: cleared at its exec or exit); it makes only raw system
 * calls (child.c, rawsys.h). Where rawsys.h has no raw calls for the CPU, the clone adds
 * CLONE_VFORK and the daemon waits, as before.
 *
 * So a failure before execve (chdir, setuid, execve itself) is known after spawn() returns: it
 * comes with the exit, as the exit object's `error` (the child's tn_outcome). settingUp(pid) says
 * whether the child is still between clone and exec. Failures of the request, the pipes and the
 * clone are thrown. Returns { pid, stdin, stdout, stderr, startTime } (the daemon's ends of the
 * pipes, -1 where none); the exit is watched through a pidfd (watch.c). */
#include "tn.h"
#include "rawsys.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHILD_STACK (64 * 1024)

static int unshare_works(void);

/* Slots: low fds reserved at load time (each /dev/null when idle). A spawn dups the child's fds
 * into them and clones with CLONE_FILES, so the kernel does not copy the daemon's whole fd table
 * (thousands of log files and pipes with 1000 programs: each spawn paid for all of them, twice,
 * copying and then closing); the child keeps a private copy of only the fds below the slots.
 * Needs close_range(CLOSE_RANGE_UNSHARE), Linux 5.9, and a test child that uses it once at load;
 * elsewhere, or for more fds than slots, the table is copied as fork does. The child's sources
 * stay in the slots until the child has its own table (it says so: `unshared`); the next spawn,
 * or the child's exit, empties them. */
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
  if (slot_devnull < 0 || !kernel_at_least(5, 9) || !unshare_works()) return;
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

/* One spawn in flight: what the child runs on until it has exec'd or exited. */
typedef struct tn_job {
  tn_child c;
  tn_arena *arena;
  void *stack;
  pid_t pid;
  /* CLONE_CHILD_CLEARTID: nonzero until the kernel zeroes it (and wakes a futex on it) at the
   * child's exec or exit, when it lets go of the daemon's memory. */
  int tid;
  /* Set by the child once it has its own fd table (slots only). */
  int unshared;
  /* How many slots hold this child's sources (0: none). */
  int slotted;
  /* Its exit has been collected (watch.c): a child that failed is kept until then. */
  int exited;
  /* A wait for `unshared` timed out once (a child stopped before it ran): not waited for again. */
  int given_up;
  struct tn_job *next;
} tn_job;

static tn_job *inflight = NULL;
static tn_job *slot_holder = NULL;
/* Stacks are reused: unmapping one sends a TLB shootdown to every core running a child that
 * still shares the daemon's memory. */
#define SPARE_STACKS 8
static void *spare_stacks[SPARE_STACKS];
static int n_spare = 0;

static int job_done(tn_job *j) { return __atomic_load_n(&j->tid, __ATOMIC_ACQUIRE) == 0; }

/* The child failed before execve (it wrote why before it exited). */
static int job_failed(tn_job *j) {
  return j->c.outcome != NULL && __atomic_load_n(&j->c.outcome->err, __ATOMIC_ACQUIRE) != 0;
}

static void *take_stack(void) {
  if (n_spare > 0) return spare_stacks[--n_spare];
  void *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  return stack == MAP_FAILED ? NULL : stack;
}

static void give_stack(void *stack) {
  if (stack == NULL) return;
  if (n_spare < SPARE_STACKS) spare_stacks[n_spare++] = stack;
  else munmap(stack, CHILD_STACK);
}

/* Puts the child's sources into the slots. 0 if it cannot (then the fd table is copied). */
static int fill_slots(tn_child *c) {
  if (slots_ready != 1 || c->nfds > SLOTS) return 0;
  int saved[SLOTS];
  for (int i = 0; i < c->nfds; i++) {
    saved[i] = c->fds[i];
    if (c->fds[i] < 0) continue;
    if (dup3(c->fds[i], slot_fds[i], O_CLOEXEC) < 0) {
      while (i-- > 0) {
        if (saved[i] >= 0) dup3(slot_devnull, slot_fds[i], O_CLOEXEC);
        c->fds[i] = saved[i];
      }
      return 0;
    }
    c->fds[i] = slot_fds[i];
  }
  c->unshare_below = slot_top;
  return c->nfds > 0 ? c->nfds : 1;
}

/* Back to /dev/null, once the holder has its own copies (or is gone): the slots must not keep a
 * child's pipe ends open, or its output would never reach EOF. The holder gets a core within
 * microseconds to milliseconds; one that cannot run (SIGSTOPped before its first instruction) is
 * given up on after `patience_ms`, and not waited for again: the slots stay its own (until it
 * unshares or exits) and 0 says so. */
static int release_slots(int patience_ms) {
  tn_job *j = slot_holder;
  if (j == NULL) return 1;
  if (j->given_up) patience_ms = 0;
  for (int waited = 0; !__atomic_load_n(&j->unshared, __ATOMIC_ACQUIRE) && !job_done(j); waited++) {
    if (waited >= patience_ms) {
      j->given_up = patience_ms > 0 || j->given_up;
      return 0;
    }
    struct timespec ms = {0, 1000000};
    syscall(SYS_futex, &j->unshared, FUTEX_WAIT, 0, &ms, NULL, 0);
  }
  for (int i = 0; i < j->slotted && i < SLOTS; i++) dup3(slot_devnull, slot_fds[i], O_CLOEXEC);
  slot_holder = NULL;
  return 1;
}

static void free_job(tn_job *j) {
  give_stack(j->stack);
  tn_arena_free(j->arena);
  free(j);
}

/* Frees every job whose child no longer uses the daemon's memory; one that failed, once its exit
 * is collected (until then settingUp says it never ran its program). */
static void sweep(void) {
  if (slot_holder != NULL && job_done(slot_holder)) release_slots(0);
  tn_job **link = &inflight;
  while (*link != NULL) {
    tn_job *j = *link;
    if (j != slot_holder && job_done(j) && (j->exited || !job_failed(j))) {
      *link = j->next;
      free_job(j);
    } else {
      link = &j->next;
    }
  }
}

/* From watch.c, before the exit is reported: the slots let go of the child's pipe ends. */
void tn_spawn_exited(pid_t pid) {
  for (tn_job *j = inflight; j != NULL; j = j->next)
    if (j->pid == pid) j->exited = 1;
  if (slot_holder != NULL && slot_holder->pid == pid) release_slots(0);
  sweep();
}

/* True until the child has exec'd; a child that failed stays "setting up" until its exit is
 * collected, so that nothing counts it as running its program in between. */
int tn_setting_up(pid_t pid) {
  for (tn_job *j = inflight; j != NULL; j = j->next)
    if (j->pid == pid) return !job_done(j) || job_failed(j);
  return 0;
}

/* Whether this kernel lets a CLONE_FILES child take its own fd table (close_range with
 * CLOSE_RANGE_UNSHARE, Linux 5.9; a seccomp filter may refuse it still): asked once, at load,
 * of a child that does only that, so that no program's start fails on it. */
static int probe_main(void *arg) {
  (void)arg;
  long r = tn_raw3(SYS_close_range, ~0U, ~0U, CLOSE_RANGE_UNSHARE);
  for (;;) tn_raw1(SYS_exit_group, r == 0 ? 0 : 1);
  return 1;
}

static int unshare_works(void) {
  void *stack = take_stack();
  if (stack == NULL) return 0;
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  pid_t pid = clone(probe_main, (char *)stack + CHILD_STACK, CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  int status = 1;
  if (pid > 0)
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  give_stack(stack);
  return pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
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

/* Spawns since the event loop last went to poll: the first waits for its child's exec, as
 * posix_spawn does (CLONE_VFORK); those after it in the same turn of the loop (`start all`, a
 * group, a pool) do not, and their children exec on the other cores while the daemon goes on.
 * Measured: a lone restart is faster when the daemon waits (the child runs at once where the
 * daemon ran; on a virtual machine another, idle core takes long to wake), a batch of 1000
 * starts is faster when it does not (docs/performance.md). */
static int spawns_this_turn = 0;
static uv_prepare_t *turn_handle = NULL;

static void on_turn(uv_prepare_t *handle) {
  (void)handle;
  spawns_this_turn = 0;
}

static int in_batch(napi_env env) {
  if (turn_handle == NULL) {
    turn_handle = calloc(1, sizeof *turn_handle);
    if (turn_handle == NULL || uv_prepare_init(tn_state_of(env)->loop, turn_handle) != 0 ||
        uv_prepare_start(turn_handle, on_turn) != 0) {
      free(turn_handle);
      turn_handle = NULL;
      return 0;
    }
    uv_unref((uv_handle_t *)turn_handle);
  }
  return spawns_this_turn++ > 0;
}

void tn_spawner_close(void) {
  if (turn_handle == NULL) return;
  uv_close((uv_handle_t *)turn_handle, (uv_close_cb)free);
  turn_handle = NULL;
}

/* Signals stay blocked from before clone until the child is about to exec: a signal delivered
 * in between would run the daemon's handler on the daemon's memory, in the child. */
static pid_t clone_child(tn_job *job, int wait_exec, int *err) {
  tn_child *c = &job->c;
  int flags = CLONE_VM | SIGCHLD | CLONE_CHILD_CLEARTID | (wait_exec || !TN_RAW ? CLONE_VFORK : 0) |
              (c->unshare_below > 0 ? CLONE_FILES : 0);
  job->tid = -1;
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  pid_t pid = clone(tn_child_main, (char *)job->stack + CHILD_STACK, flags, c, NULL, NULL, &job->tid);
  *err = pid < 0 ? errno : 0;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return pid;
}

/* The pid is ours; without a pidfd the child cannot be watched, so it is killed and the spawn
 * fails (EMFILE is the likely cause). */
static napi_value watch_or_kill(napi_env env, pid_t pid, tn_pipes *p, tn_outcome *outcome, napi_value on_exit) {
  int pidfd = tn_pidfd_open(pid);
  int err = pidfd < 0 ? errno : 0;
  if (err == 0) {
    tn_own(pid);
    err = tn_watch(env, pid, pidfd, on_exit, outcome);
    if (err == 0) return result(env, pid, p);
    tn_disown(pid);
    close(pidfd);
  }
  kill(pid, SIGKILL);
  reap_failed(pid);
  tn_spawn_exited(pid);
  free(outcome);
  tn_close_pipes(p, 1);
  return tn_throw_errno(env, err, TN_STAGE_PIDFD);
}

/* Takes the job: on success it stays in flight until the child is done with it. */
static napi_value launch(napi_env env, tn_job *job, tn_pipes *p, napi_value on_exit) {
  tn_child *c = &job->c;
  sweep();
  int err = 0;
  int own_devnull = 0;
  if (needs_devnull(c)) {
    c->devnull = slot_devnull >= 0 ? slot_devnull : open("/dev/null", O_RDWR | O_CLOEXEC);
    own_devnull = slot_devnull < 0;
    if (c->devnull < 0) err = errno;
  }
  job->stack = err == 0 ? take_stack() : NULL;
  if (err == 0 && job->stack == NULL) err = ENOMEM;
  tn_outcome *outcome = err == 0 ? calloc(1, sizeof *outcome) : NULL;
  if (err == 0 && outcome == NULL) err = ENOMEM;
  pid_t pid = -1;
  if (err == 0) {
    c->outcome = outcome;
    int free_slots = slots_ready == 1 && c->nfds <= SLOTS && release_slots(100);
    job->slotted = free_slots ? fill_slots(c) : 0;
    if (job->slotted) c->unshared = &job->unshared;
    pid = clone_child(job, !in_batch(env), &err);
    if (pid < 0 && job->slotted) {
      slot_holder = job;
      job->unshared = 1;
      release_slots(0);
    }
  }
  /* The child has its own copies (its fd table, or the slots): the daemon's go now. */
  if (own_devnull && c->devnull >= 0) close(c->devnull);
  tn_close_pipes(p, 0);
  if (pid < 0) {
    free(outcome);
    tn_close_pipes(p, 1);
    free_job(job);
    return tn_throw_errno(env, err, TN_STAGE_FORK);
  }
  job->pid = pid;
  job->next = inflight;
  inflight = job;
  if (job->slotted) slot_holder = job;
  return watch_or_kill(env, pid, p, outcome, on_exit);
}

napi_value tn_js_setting_up(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg, out;
  int32_t pid = 0;
  if (napi_get_cb_info(env, info, &argc, &arg, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_int32(env, arg, &pid) != napi_ok) {
    napi_throw_type_error(env, NULL, "settingUp(pid) takes a pid");
    return NULL;
  }
  napi_get_boolean(env, tn_setting_up(pid), &out);
  return out;
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
  tn_job *job = calloc(1, sizeof *job);
  if (job == NULL) return tn_throw_errno(env, ENOMEM, TN_STAGE_FORK);
  job->c.devnull = -1;
  tn_pipes p = {-1, -1, -1, {-1, -1, -1}};
  int err = 0, stage = 0;
  napi_status st = tn_parse_request(env, args[0], &job->arena, &job->c, &p, &err, &stage);
  if (st != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_type_error(env, NULL, "spawn: invalid request");
    tn_close_pipes(&p, 1);
    free_job(job);
    return NULL;
  }
  if (err != 0) {
    tn_close_pipes(&p, 1);
    free_job(job);
    return tn_throw_errno(env, err, stage);
  }
  return launch(env, job, &p, args[1]);
}
