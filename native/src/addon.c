/* Module init and the exports (typed in src/process/native.ts):
 *   spawn(request, onExit), settingUp(pid), own(pid), disown(pid),
 *   setSubreaper(on), isSubreaper(), reapOrphans(), orphans(), startReaper(fn), stopReaper(),
 *   setrlimit(resource, soft, hard) for the daemon itself, RLIMIT (resource numbers),
 *   listenSocket(kind, address, port, backlog) (listen.c),
 *   unavailable: null, or why this kernel cannot run the native spawner (no pidfd_open). */
#include "tn.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static const char *const STAGES[] = {
    "none", "pipe", "fork", "pidfd_open", "setsid", "dup2", "close_range", "setrlimit",
    "setgroups", "setgid", "setuid", "chdir", "execve",
};

const char *tn_stage_name(int stage) {
  return stage >= 0 && stage < (int)(sizeof STAGES / sizeof *STAGES) ? STAGES[stage] : "unknown";
}

int tn_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

tn_state *tn_state_of(napi_env env) {
  void *data = NULL;
  napi_get_instance_data(env, &data);
  return data;
}

/* An Error as Node's own system errors are: message "<syscall> <CODE>", .code "ENOENT",
 * .errno (negative, as libuv's), .syscall. Thrown by spawn(), or carried by an exit (watch.c). */
napi_value tn_errno_error(napi_env env, int err, int stage) {
  const char *code = uv_err_name(-err);
  const char *syscall_name = stage == 0 ? "prctl" : tn_stage_name(stage);
  char message[256];
  snprintf(message, sizeof message, "%s %s (%s)", syscall_name, code, strerror(err));
  napi_value msg, error, v;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, NULL, msg, &error);
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, error, "code", v);
  napi_create_int32(env, -err, &v);
  napi_set_named_property(env, error, "errno", v);
  napi_create_string_utf8(env, syscall_name, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, error, "syscall", v);
  return error;
}

napi_value tn_throw_errno(napi_env env, int err, int stage) {
  napi_throw(env, tn_errno_error(env, err, stage));
  return NULL;
}

static napi_value js_setrlimit(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3];
  int32_t resource = 0;
  int64_t soft = -1, hard = -1;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 3 || napi_get_value_int32(env, args[0], &resource) != napi_ok ||
      napi_get_value_int64(env, args[1], &soft) != napi_ok || napi_get_value_int64(env, args[2], &hard) != napi_ok) {
    napi_throw_type_error(env, NULL, "setrlimit(resource, soft, hard) takes three numbers (-1: unlimited)");
    return NULL;
  }
  struct rlimit rl = {soft < 0 ? RLIM_INFINITY : (rlim_t)soft, hard < 0 ? RLIM_INFINITY : (rlim_t)hard};
  if (setrlimit(resource, &rl) != 0) return tn_throw_errno(env, errno, TN_STAGE_RLIMIT);
  return NULL;
}

/* mallocArenas(n): at most n glibc malloc arenas from now on (mallopt M_ARENA_MAX). Each thread
 * that allocates may otherwise get an arena of its own (V8's compiler and GC threads, libuv's
 * pool), each keeping freed memory: measured 4–5 MiB of a daemon with 1000 programs. */
static napi_value js_malloc_arenas(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg, out;
  int32_t n = 0;
  napi_get_cb_info(env, info, &argc, &arg, NULL, NULL);
  if (argc < 1 || napi_get_value_int32(env, arg, &n) != napi_ok || n < 1) {
    napi_throw_type_error(env, NULL, "mallocArenas(n) takes a count >= 1");
    return NULL;
  }
  napi_get_boolean(env, mallopt(M_ARENA_MAX, n) == 1, &out);
  return out;
}

/* trimMemory(): gives the free memory of every malloc arena back to the system (malloc_trim). */
static napi_value js_trim_memory(napi_env env, napi_callback_info info) {
  napi_value out;
  napi_get_boolean(env, malloc_trim(0) == 1, &out);
  return out;
}

static void add_fn(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_value v;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &v);
  napi_set_named_property(env, exports, name, v);
}

static void add_rlimits(napi_env env, napi_value exports) {
  static const struct {
    const char *name;
    int value;
  } limits[] = {
      {"CORE", RLIMIT_CORE},       {"CPU", RLIMIT_CPU},         {"DATA", RLIMIT_DATA},
      {"FSIZE", RLIMIT_FSIZE},     {"MEMLOCK", RLIMIT_MEMLOCK}, {"NOFILE", RLIMIT_NOFILE},
      {"NPROC", RLIMIT_NPROC},     {"STACK", RLIMIT_STACK},     {"AS", RLIMIT_AS},
      {"MSGQUEUE", RLIMIT_MSGQUEUE}, {"NICE", RLIMIT_NICE},     {"RTPRIO", RLIMIT_RTPRIO},
      {"SIGPENDING", RLIMIT_SIGPENDING},
  };
  napi_value obj, v;
  napi_create_object(env, &obj);
  for (size_t i = 0; i < sizeof limits / sizeof *limits; i++) {
    napi_create_int32(env, limits[i].value, &v);
    napi_set_named_property(env, obj, limits[i].name, v);
  }
  napi_set_named_property(env, exports, "RLIMIT", obj);
}

/* pidfd_open came with Linux 5.3: without it there is no race-free way to watch an exit. The
 * addon keeps process-wide state (the fd slots, the owned pids, the watchers) that only the main
 * thread may use: in a worker thread it declares itself unavailable. */
static void add_availability(napi_env env, napi_value exports, uv_loop_t *loop) {
  napi_value v;
  if (loop != uv_default_loop()) {
    napi_create_string_utf8(env, "it runs in the main thread only", NAPI_AUTO_LENGTH, &v);
    napi_set_named_property(env, exports, "unavailable", v);
    return;
  }
  int fd = tn_pidfd_open(getpid());
  if (fd >= 0) {
    close(fd);
    napi_get_null(env, &v);
  } else {
    char why[160];
    snprintf(why, sizeof why, "pidfd_open: %s (Linux 5.3 or later is needed)", uv_err_name(-errno));
    napi_create_string_utf8(env, why, NAPI_AUTO_LENGTH, &v);
  }
  napi_set_named_property(env, exports, "unavailable", v);
}

static void cleanup(void *arg) {
  tn_state *state = arg;
  tn_watch_close_all();
  tn_spawner_close();
  tn_reaper_close(state);
}

static void finalize_state(napi_env env, void *data, void *hint) { free(data); }

NAPI_MODULE_INIT() {
  tn_state *state = calloc(1, sizeof *state);
  napi_value resource, name;
  napi_get_uv_event_loop(env, &state->loop);
  napi_create_object(env, &resource);
  napi_create_reference(env, resource, 1, &state->async_resource);
  napi_create_string_utf8(env, "tend:native", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, resource, name, &state->async_context);
  napi_set_instance_data(env, state, finalize_state, NULL);
  napi_add_env_cleanup_hook(env, cleanup, state);
  if (state->loop == uv_default_loop()) tn_slots_init();
  add_fn(env, exports, "spawn", tn_spawn);
  add_fn(env, exports, "settingUp", tn_js_setting_up);
  add_fn(env, exports, "own", tn_js_own);
  add_fn(env, exports, "disown", tn_js_disown);
  add_fn(env, exports, "setSubreaper", tn_set_subreaper);
  add_fn(env, exports, "isSubreaper", tn_is_subreaper);
  add_fn(env, exports, "reapOrphans", tn_reap_orphans);
  add_fn(env, exports, "orphans", tn_children);
  add_fn(env, exports, "startReaper", tn_start_reaper);
  add_fn(env, exports, "stopReaper", tn_stop_reaper);
  add_fn(env, exports, "setrlimit", js_setrlimit);
  add_fn(env, exports, "mallocArenas", js_malloc_arenas);
  add_fn(env, exports, "trimMemory", js_trim_memory);
  tn_add_format(env, exports);
  add_fn(env, exports, "listenSocket", tn_listen_socket);
  add_rlimits(env, exports);
  add_availability(env, exports, state->loop);
  return exports;
}
