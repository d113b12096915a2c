/* tend's native seam: shared declarations. Every file is one concern:
 *   addon.c    module init, exports, errors as JS exceptions
 *   request.c  a JS spawn request -> a tn_child (strings, arrays, pipes), all in the parent
 *   spawn.c    clone(CLONE_VM): the parent side, and the spawns in flight
 *   child.c    what runs in the child between clone and execve (raw syscalls only, rawsys.h)
 *   watch.c    exits through pidfd_open + uv_poll + waitid(P_PIDFD)
 *   owned.c    the pids that are not orphans (ours, libuv's): the reaper never waits for them
 *   reaper.c   PR_SET_CHILD_SUBREAPER and reaping re-parented orphans
 *   format.c   the per-line work of log timestamps and JSON log lines (no state, no syscalls)
 *   listen.c   listening sockets the daemon holds for socket activation
 */
#ifndef TN_H
#define TN_H

#include <node_api.h>
#include <uv.h>
#include <signal.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

/* Where the child failed, for the error message the daemon writes (supervisord's words). */
enum tn_stage {
  TN_STAGE_NONE = 0,
  TN_STAGE_PIPE,
  TN_STAGE_FORK,
  TN_STAGE_PIDFD,
  TN_STAGE_SETSID,
  TN_STAGE_FDS,
  TN_STAGE_UNSHARE,
  TN_STAGE_RLIMIT,
  TN_STAGE_SETGROUPS,
  TN_STAGE_SETGID,
  TN_STAGE_SETUID,
  TN_STAGE_CHDIR,
  TN_STAGE_EXEC,
};

const char *tn_stage_name(int stage);

typedef struct {
  int resource;
  rlim_t soft;
  rlim_t hard;
} tn_rlimit;

/* How a child's setup ended, for the exit report: written by the child before it exits 127,
 * read once the child's pidfd says it has exited (so after the write), freed with its watch. */
typedef struct {
  int err;
  int stage;
} tn_outcome;

/* Everything the child needs, prepared by the parent: the child runs on the parent's memory
 * (CLONE_VM) and must not allocate, lock or call into anything that keeps global state. */
typedef struct {
  const char *file;
  char **argv;
  char **envp;
  /* Digits of the child's own pid go here (LISTEN_PID=, WATCHDOG_PID=): 21 bytes each. */
  char **pid_slots;
  int n_pid_slots;
  const char *cwd;
  int umask; /* -1: inherit */
  int set_ids;
  uid_t uid;
  gid_t gid;
  gid_t *groups;
  int ngroups;
  /* Child fd i comes from parent fd fds[i]; -1 is /dev/null for 0..2 and closed above. */
  int *fds;
  int *scratch; /* nfds ints the child may write */
  int nfds;
  int devnull;
  tn_rlimit *rlimits;
  int nrlimits;
  int new_session;
  int max_fd; /* upper bound for closing fds where close_range is missing */
  /* > 0: the child was cloned with CLONE_FILES and first takes a private copy of only the fds
   * below this (close_range CLOSE_RANGE_UNSHARE), where spawn.c put its sources (slots). */
  int unshare_below;
  /* Where the child writes why it failed, before it exits 127 (see tn_outcome). */
  tn_outcome *outcome;
  /* Slots only: the child sets it (and wakes a futex on it) once it has its own fd table. */
  int *unshared;
} tn_child;

/* A bump allocator for one request: freed once the child is done with it (spawn.c). */
typedef struct tn_arena tn_arena;
void *tn_alloc(tn_arena **arena, size_t size);
void tn_arena_free(tn_arena *arena);

/* The parent's ends of the child's stdio pipes, -1 where there is none. */
typedef struct {
  int stdin_fd;
  int stdout_fd;
  int stderr_fd;
  /* The child's ends, closed by the parent once the child has exec'd. */
  int child_ends[3];
} tn_pipes;

/* Per-instance state (napi_set_instance_data). */
typedef struct {
  uv_loop_t *loop;
  napi_async_context async_context;
  napi_ref async_resource;
  struct tn_reaper *reaper;
} tn_state;

tn_state *tn_state_of(napi_env env);

/* request.c */
napi_status tn_parse_request(napi_env env, napi_value req, tn_arena **arena, tn_child *child,
                             tn_pipes *pipes, int *err, int *stage);
void tn_close_pipes(tn_pipes *pipes, int parent_ends_too);

/* child.c */
int tn_child_main(void *arg);

/* spawn.c */
napi_value tn_spawn(napi_env env, napi_callback_info info);
napi_value tn_js_setting_up(napi_env env, napi_callback_info info);
void tn_slots_init(void);
void tn_spawn_exited(pid_t pid);
void tn_spawner_close(void);
int tn_setting_up(pid_t pid);

/* watch.c */
int tn_watch(napi_env env, pid_t pid, int pidfd, napi_value on_exit, tn_outcome *outcome);
void tn_watch_close_all(void);
napi_value tn_exit_object(napi_env env, pid_t pid, const siginfo_t *si, const struct rusage *ru);
void tn_call(napi_env env, napi_value fn, size_t argc, napi_value *argv);

/* owned.c */
void tn_own(pid_t pid);
void tn_disown(pid_t pid);
int tn_is_owned(pid_t pid);
napi_value tn_js_own(napi_env env, napi_callback_info info);
napi_value tn_js_disown(napi_env env, napi_callback_info info);

/* reaper.c */
napi_value tn_set_subreaper(napi_env env, napi_callback_info info);
napi_value tn_is_subreaper(napi_env env, napi_callback_info info);
napi_value tn_reap_orphans(napi_env env, napi_callback_info info);
napi_value tn_start_reaper(napi_env env, napi_callback_info info);
napi_value tn_stop_reaper(napi_env env, napi_callback_info info);
napi_value tn_children(napi_env env, napi_callback_info info);
void tn_reaper_close(tn_state *state);

/* format.c */
void tn_add_format(napi_env env, napi_value exports);

/* addon.c */
napi_value tn_errno_error(napi_env env, int err, int stage);
napi_value tn_throw_errno(napi_env env, int err, int stage);
napi_value tn_listen_socket(napi_env env, napi_callback_info info);
int tn_pidfd_open(pid_t pid);

#endif
