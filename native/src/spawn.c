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
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILD_STACK (64 * 1024)

/* Signals stay blocked from before clone until the child has reset every handler: a signal
 * delivered in between would run the daemon's handler on the daemon's memory, in the child. */
static pid_t vfork_exec(tn_child *c, int *err) {
  void *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    *err = errno;
    return -1;
  }
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  pid_t pid = clone(tn_child_main, (char *)stack + CHILD_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, c);
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

static napi_value launch(napi_env env, tn_child *c, tn_pipes *p, napi_value on_exit) {
  int err = 0;
  if (needs_devnull(c)) {
    c->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (c->devnull < 0) err = errno;
  }
  pid_t pid = err != 0 ? -1 : vfork_exec(c, &err);
  if (c->devnull >= 0) close(c->devnull);
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
