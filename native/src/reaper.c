/* tend as PID 1 or as a subreaper: orphans re-parented to the daemon are reaped here, and only
 * them. waitpid(-1) would also take the exit statuses that watch.c (our pidfds) and libuv
 * (child_process) wait for, so a child is waited for only if it is not in the owned set.
 * Cheap path first: waitid(P_ALL, WNOWAIT) peeks at one zombie without reaping it; an orphan is
 * reaped at once. If the zombie it shows is owned, it hides the others: then each direct child
 * (from /proc/self/task/TID/children, or /proc/PID/stat where that file is missing) that is not
 * owned is waited for with WNOHANG. Triggered by SIGCHLD (a uv_signal beside libuv's own),
 * debounced, so that pidfds and libuv collect their children first. */
#include "tn.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEBOUNCE_MS 10

struct tn_reaper {
  uv_signal_t signal;
  uv_timer_t timer;
  napi_env env;
  napi_ref on_reaped;
  int closing;
  int open_handles;
};

typedef struct {
  pid_t *pids;
  siginfo_t *infos;
  size_t count, cap;
} tn_list;

static int push(tn_list *l, pid_t pid, const siginfo_t *si) {
  if (l->count == l->cap) {
    size_t cap = l->cap == 0 ? 16 : l->cap * 2;
    pid_t *pids = realloc(l->pids, cap * sizeof(pid_t));
    if (pids == NULL) return -1;
    l->pids = pids;
    siginfo_t *infos = realloc(l->infos, cap * sizeof(siginfo_t));
    if (infos == NULL) return -1;
    l->infos = infos;
    l->cap = cap;
  }
  l->pids[l->count] = pid;
  if (si != NULL) l->infos[l->count] = *si;
  l->count++;
  return 0;
}

static void list_free(tn_list *l) {
  free(l->pids);
  free(l->infos);
}

static void read_children_file(const char *path, tn_list *out) {
  FILE *f = fopen(path, "re");
  if (f == NULL) return;
  int pid;
  while (fscanf(f, "%d", &pid) == 1) push(out, pid, NULL);
  fclose(f);
}

/* Every thread's children: a child belongs to the thread that forked it (libuv's threads too). */
static int children_from_tasks(tn_list *out) {
  DIR *d = opendir("/proc/self/task");
  if (d == NULL) return -1;
  char path[300];
  snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
  if (access(path, R_OK) != 0) {
    closedir(d);
    return -1;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!isdigit((unsigned char)e->d_name[0])) continue;
    snprintf(path, sizeof path, "/proc/self/task/%s/children", e->d_name);
    read_children_file(path, out);
  }
  closedir(d);
  return 0;
}

/* Kernels without CONFIG_PROC_CHILDREN: every process whose parent is us. */
static void children_from_stat(tn_list *out) {
  DIR *d = opendir("/proc");
  if (d == NULL) return;
  pid_t self = getpid();
  struct dirent *e;
  char path[300], buf[512];
  while ((e = readdir(d)) != NULL) {
    if (!isdigit((unsigned char)e->d_name[0])) continue;
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    FILE *f = fopen(path, "re");
    if (f == NULL) continue;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *close_paren = strrchr(buf, ')');
    char state;
    int ppid;
    if (close_paren != NULL && sscanf(close_paren + 1, " %c %d", &state, &ppid) == 2 && ppid == self)
      push(out, atoi(e->d_name), NULL);
  }
  closedir(d);
}

static void direct_children(tn_list *out) {
  if (children_from_tasks(out) != 0) children_from_stat(out);
}

static int reap_pid(pid_t pid, siginfo_t *si) {
  memset(si, 0, sizeof *si);
  return waitid(P_PID, pid, si, WEXITED | WNOHANG) == 0 && si->si_pid == pid;
}

static void reap_all(tn_list *reaped) {
  for (int guard = 0; guard < 100000; guard++) {
    siginfo_t peek, si;
    memset(&peek, 0, sizeof peek);
    if (waitid(P_ALL, 0, &peek, WEXITED | WNOHANG | WNOWAIT) != 0 || peek.si_pid == 0) return;
    if (!tn_is_owned(peek.si_pid)) {
      if (!reap_pid(peek.si_pid, &si)) return;
      push(reaped, si.si_pid, &si);
      continue;
    }
    tn_list kids = {0};
    direct_children(&kids);
    for (size_t i = 0; i < kids.count; i++) {
      if (!tn_is_owned(kids.pids[i]) && reap_pid(kids.pids[i], &si)) push(reaped, si.si_pid, &si);
    }
    list_free(&kids);
    return;
  }
}

static napi_value exits_array(napi_env env, tn_list *l) {
  napi_value arr;
  napi_create_array_with_length(env, l->count, &arr);
  for (size_t i = 0; i < l->count; i++) {
    napi_set_element(env, arr, (uint32_t)i, tn_exit_object(env, l->pids[i], &l->infos[i], NULL));
  }
  return arr;
}

napi_value tn_reap_orphans(napi_env env, napi_callback_info info) {
  tn_list reaped = {0};
  reap_all(&reaped);
  napi_value arr = exits_array(env, &reaped);
  list_free(&reaped);
  return arr;
}

/* Direct children that are not owned: orphans, alive or not yet reaped. */
napi_value tn_children(napi_env env, napi_callback_info info) {
  tn_list kids = {0};
  direct_children(&kids);
  napi_value arr;
  napi_create_array(env, &arr);
  uint32_t n = 0;
  for (size_t i = 0; i < kids.count; i++) {
    if (tn_is_owned(kids.pids[i])) continue;
    napi_value v;
    napi_create_int32(env, kids.pids[i], &v);
    napi_set_element(env, arr, n++, v);
  }
  list_free(&kids);
  return arr;
}

napi_value tn_set_subreaper(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  bool on = true;
  napi_get_cb_info(env, info, &argc, &arg, NULL, NULL);
  if (argc >= 1) napi_get_value_bool(env, arg, &on);
  if (prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0) != 0) return tn_throw_errno(env, errno, 0);
  return NULL;
}

napi_value tn_is_subreaper(napi_env env, napi_callback_info info) {
  int value = 0;
  napi_value out;
  prctl(PR_GET_CHILD_SUBREAPER, &value, 0, 0, 0);
  napi_get_boolean(env, value != 0, &out);
  return out;
}

static void on_timer(uv_timer_t *timer) {
  struct tn_reaper *r = timer->data;
  tn_list reaped = {0};
  reap_all(&reaped);
  if (reaped.count > 0 && !r->closing) {
    napi_handle_scope scope;
    napi_open_handle_scope(r->env, &scope);
    napi_value fn, arr = exits_array(r->env, &reaped);
    napi_get_reference_value(r->env, r->on_reaped, &fn);
    if (fn != NULL) tn_call(r->env, fn, 1, &arr);
    napi_close_handle_scope(r->env, scope);
  }
  list_free(&reaped);
}

static void on_sigchld(uv_signal_t *handle, int signum) {
  struct tn_reaper *r = handle->data;
  if (!uv_is_active((uv_handle_t *)&r->timer)) uv_timer_start(&r->timer, on_timer, DEBOUNCE_MS, 0);
}

/* startReaper(onReaped): onReaped(exits[]) after each batch; also looks once at start. The
 * handles are unref'd: the reaper never keeps the daemon alive by itself. */
napi_value tn_start_reaper(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value fn;
  napi_valuetype t;
  tn_state *state = tn_state_of(env);
  if (napi_get_cb_info(env, info, &argc, &fn, NULL, NULL) != napi_ok || argc < 1 ||
      napi_typeof(env, fn, &t) != napi_ok || t != napi_function) {
    napi_throw_type_error(env, NULL, "startReaper(onReaped) takes a function");
    return NULL;
  }
  if (state->reaper != NULL) {
    napi_throw_error(env, NULL, "the reaper is already running");
    return NULL;
  }
  struct tn_reaper *r = calloc(1, sizeof *r);
  r->env = env;
  napi_create_reference(env, fn, 1, &r->on_reaped);
  uv_signal_init(state->loop, &r->signal);
  uv_timer_init(state->loop, &r->timer);
  r->signal.data = r->timer.data = r;
  uv_signal_start(&r->signal, on_sigchld, SIGCHLD);
  uv_unref((uv_handle_t *)&r->signal);
  uv_unref((uv_handle_t *)&r->timer);
  uv_timer_start(&r->timer, on_timer, 0, 0);
  state->reaper = r;
  return NULL;
}

static void free_reaper(uv_handle_t *handle) {
  struct tn_reaper *r = handle->data;
  if (--r->open_handles == 0) free(r);
}

void tn_reaper_close(tn_state *state) {
  struct tn_reaper *r = state->reaper;
  if (r == NULL) return;
  state->reaper = NULL;
  r->closing = 1;
  r->open_handles = 2;
  uv_close((uv_handle_t *)&r->signal, free_reaper);
  uv_close((uv_handle_t *)&r->timer, free_reaper);
}

napi_value tn_stop_reaper(napi_env env, napi_callback_info info) {
  tn_state *state = tn_state_of(env);
  if (state->reaper != NULL) napi_delete_reference(env, state->reaper->on_reaped);
  tn_reaper_close(state);
  return NULL;
}
