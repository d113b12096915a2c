/* Exits through the event loop: each child's pidfd is polled by libuv (uv_poll), becomes readable
 * when the child exits, and waitid(P_PIDFD) collects exactly that child with its rusage. No
 * SIGCHLD handler and no waitpid(-1): libuv's own children (child_process) are never touched, and
 * libuv's SIGCHLD handling only ever waits for its own pids. */
#include "tn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

typedef struct tn_watch_t {
  uv_poll_t poll;
  napi_env env;
  napi_ref on_exit;
  pid_t pid;
  int pidfd;
  /* How the child's setup ended (spawn.c); NULL for children watched without one. */
  tn_outcome *outcome;
  struct tn_watch_t *prev, *next;
} tn_watch_t;

static tn_watch_t *watches = NULL;

static void unlink_watch(tn_watch_t *w) {
  if (w->prev != NULL) w->prev->next = w->next;
  else watches = w->next;
  if (w->next != NULL) w->next->prev = w->prev;
  w->prev = w->next = NULL;
}

static void free_handle(uv_handle_t *handle) { free(handle->data); }

static void on_closed(uv_handle_t *handle) {
  tn_watch_t *w = handle->data;
  close(w->pidfd);
  free(w->outcome);
  free(w);
}

/* A child that failed before execve exits 127 after writing why: the exit then carries the
 * error spawn() would have thrown ({ code: 'ENOENT', syscall: 'chdir', message }). */
static void add_setup_error(napi_env env, napi_value exit_obj, const tn_outcome *outcome) {
  int err = outcome == NULL ? 0 : __atomic_load_n(&outcome->err, __ATOMIC_ACQUIRE);
  if (err == 0) return;
  int stage = __atomic_load_n(&outcome->stage, __ATOMIC_ACQUIRE);
  napi_set_named_property(env, exit_obj, "error", tn_errno_error(env, err, stage));
}

/* waitid(P_PIDFD) where the kernel has it (5.4), else wait4 on the pid, which is as exact: the
 * pid cannot be reused while it is our unreaped zombie. */
static int collect(tn_watch_t *w, siginfo_t *si, struct rusage *ru) {
  memset(si, 0, sizeof *si);
  memset(ru, 0, sizeof *ru);
  if (syscall(SYS_waitid, P_PIDFD, w->pidfd, si, WEXITED | WNOHANG, ru) == 0) return si->si_pid != 0;
  if (errno != EINVAL) return errno == ECHILD ? -1 : 0;
  int status;
  pid_t got = wait4(w->pid, &status, WNOHANG, ru);
  if (got <= 0) return got < 0 ? -1 : 0;
  si->si_pid = got;
  if (WIFEXITED(status)) {
    si->si_code = CLD_EXITED;
    si->si_status = WEXITSTATUS(status);
  } else {
    si->si_code = WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED;
    si->si_status = WTERMSIG(status);
  }
  return 1;
}

static void set_num(napi_env env, napi_value obj, const char *name, double value) {
  napi_value v;
  napi_create_double(env, value, &v);
  napi_set_named_property(env, obj, name, v);
}

static void set_nullable(napi_env env, napi_value obj, const char *name, int present, int value) {
  napi_value v;
  if (present) napi_create_int32(env, value, &v);
  else napi_get_null(env, &v);
  napi_set_named_property(env, obj, name, v);
}

/* { pid, code, signal, core, userSec, systemSec, maxRssKiB }: code is null after a signal and
 * signal (a number) null after an exit; rusage null when unknown. */
napi_value tn_exit_object(napi_env env, pid_t pid, const siginfo_t *si, const struct rusage *ru) {
  napi_value obj, v;
  napi_create_object(env, &obj);
  set_num(env, obj, "pid", pid);
  int exited = si != NULL && si->si_code == CLD_EXITED;
  int killed = si != NULL && (si->si_code == CLD_KILLED || si->si_code == CLD_DUMPED);
  set_nullable(env, obj, "code", exited, si == NULL ? 0 : si->si_status);
  set_nullable(env, obj, "signal", killed, si == NULL ? 0 : si->si_status);
  napi_get_boolean(env, si != NULL && si->si_code == CLD_DUMPED, &v);
  napi_set_named_property(env, obj, "core", v);
  if (ru == NULL) return obj;
  set_num(env, obj, "userSec", (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6);
  set_num(env, obj, "systemSec", (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6);
  set_num(env, obj, "maxRssKiB", (double)ru->ru_maxrss);
  return obj;
}

/* Calls into JavaScript from a libuv callback: microtasks run after it, and an exception goes to
 * 'uncaughtException' as it would from any other callback. */
void tn_call(napi_env env, napi_value fn, size_t argc, napi_value *argv) {
  tn_state *state = tn_state_of(env);
  napi_value recv;
  napi_get_global(env, &recv);
  napi_status st = napi_make_callback(env, state->async_context, recv, fn, argc, argv, NULL);
  if (st == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  tn_watch_t *w = handle->data;
  siginfo_t si;
  struct rusage ru;
  int got = collect(w, &si, &ru);
  if (got == 0) return;
  uv_poll_stop(&w->poll);
  unlink_watch(w);
  tn_disown(w->pid);
  tn_spawn_exited(w->pid);
  napi_env env = w->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value fn, exit_obj;
  napi_get_reference_value(env, w->on_exit, &fn);
  napi_delete_reference(env, w->on_exit);
  exit_obj = tn_exit_object(env, w->pid, got > 0 ? &si : NULL, got > 0 ? &ru : NULL);
  add_setup_error(env, exit_obj, w->outcome);
  uv_close((uv_handle_t *)&w->poll, on_closed);
  if (fn != NULL) tn_call(env, fn, 1, &exit_obj);
  napi_close_handle_scope(env, scope);
}

/* On success the watch owns `outcome` (freed with it); on failure the caller still does. */
int tn_watch(napi_env env, pid_t pid, int pidfd, napi_value on_exit, tn_outcome *outcome) {
  tn_watch_t *w = calloc(1, sizeof *w);
  if (w == NULL) return ENOMEM;
  w->env = env;
  w->pid = pid;
  w->pidfd = pidfd;
  int err = uv_poll_init(tn_state_of(env)->loop, &w->poll, pidfd);
  if (err != 0) {
    free(w);
    return -err;
  }
  w->poll.data = w;
  err = uv_poll_start(&w->poll, UV_READABLE, on_readable);
  if (err != 0) {
    uv_close((uv_handle_t *)&w->poll, free_handle);
    return -err;
  }
  w->outcome = outcome;
  napi_create_reference(env, on_exit, 1, &w->on_exit);
  w->next = watches;
  if (watches != NULL) watches->prev = w;
  watches = w;
  return 0;
}

/* At environment teardown: stop watching (the children are left to the guardian). */
void tn_watch_close_all(void) {
  while (watches != NULL) {
    tn_watch_t *w = watches;
    unlink_watch(w);
    uv_poll_stop(&w->poll);
    uv_close((uv_handle_t *)&w->poll, on_closed);
  }
}
