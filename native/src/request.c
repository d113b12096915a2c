/* A spawn request from JavaScript (src/process/native.ts, NativeSpawnRequest) turned into the
 * tn_child the child runs on: strings and arrays copied into one arena, the supplementary groups
 * looked up (initgroups semantics: the user's groups from the group database, plus its gid), the
 * pipes created. Everything that can block or allocate happens here, in the parent. */
#include "tn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tn_arena {
  struct tn_arena *next;
  size_t used, size;
  char data[];
};

void *tn_alloc(tn_arena **arena, size_t size) {
  size = (size + 15) & ~(size_t)15;
  tn_arena *a = *arena;
  if (a == NULL || a->size - a->used < size) {
    size_t cap = size > 16384 ? size : 16384;
    tn_arena *fresh = malloc(sizeof(tn_arena) + cap);
    if (fresh == NULL) return NULL;
    fresh->next = a;
    fresh->used = 0;
    fresh->size = cap;
    *arena = a = fresh;
  }
  void *p = a->data + a->used;
  a->used += size;
  return p;
}

void tn_arena_free(tn_arena *arena) {
  while (arena != NULL) {
    tn_arena *next = arena->next;
    free(arena);
    arena = next;
  }
}

#define CHECK(call)                      \
  do {                                   \
    napi_status s_ = (call);             \
    if (s_ != napi_ok) return s_;        \
  } while (0)

static napi_status prop(napi_env env, napi_value obj, const char *name, napi_value *out) {
  return napi_get_named_property(env, obj, name, out);
}

static int is_nullish(napi_env env, napi_value v) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return 1;
  return t == napi_null || t == napi_undefined;
}

/* A JS string as a NUL-terminated C string; a string holding NUL is refused (it would be cut). */
static napi_status copy_string(napi_env env, napi_value v, tn_arena **arena, size_t extra, char **out) {
  size_t len = 0;
  CHECK(napi_get_value_string_utf8(env, v, NULL, 0, &len));
  char *buf = tn_alloc(arena, len + 1 + extra);
  if (buf == NULL) return napi_generic_failure;
  CHECK(napi_get_value_string_utf8(env, v, buf, len + 1, &len));
  if (strlen(buf) != len) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "strings passed to spawn must not contain null bytes");
    return napi_pending_exception;
  }
  *out = buf;
  return napi_ok;
}

static napi_status copy_strings(napi_env env, napi_value arr, tn_arena **arena, int reserve, char ***out,
                                uint32_t *count) {
  CHECK(napi_get_array_length(env, arr, count));
  char **list = tn_alloc(arena, sizeof(char *) * (*count + reserve + 1));
  if (list == NULL) return napi_generic_failure;
  for (uint32_t i = 0; i < *count; i++) {
    napi_value item;
    CHECK(napi_get_element(env, arr, i, &item));
    CHECK(copy_string(env, item, arena, 0, &list[i]));
  }
  list[*count] = NULL;
  *out = list;
  return napi_ok;
}

static napi_status get_int(napi_env env, napi_value obj, const char *name, int64_t *out) {
  napi_value v;
  CHECK(prop(env, obj, name, &v));
  return napi_get_value_int64(env, v, out);
}

/* LISTEN_PID=, WATCHDOG_PID=: appended to the environment with room for the child's pid. */
static napi_status pid_env(napi_env env, napi_value req, tn_arena **arena, tn_child *c, uint32_t n_env) {
  napi_value names;
  uint32_t count = 0;
  CHECK(prop(env, req, "pidEnv", &names));
  CHECK(napi_get_array_length(env, names, &count));
  c->pid_slots = tn_alloc(arena, sizeof(char *) * (count + 1));
  if (c->pid_slots == NULL) return napi_generic_failure;
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    char *entry;
    CHECK(napi_get_element(env, names, i, &item));
    CHECK(copy_string(env, item, arena, 22, &entry));
    size_t len = strlen(entry);
    entry[len] = '=';
    entry[len + 1] = '\0';
    c->pid_slots[i] = entry + len + 1;
    c->envp[n_env + i] = entry;
  }
  c->envp[n_env + count] = NULL;
  c->n_pid_slots = (int)count;
  return napi_ok;
}

/* The groups initgroups(3) would give the user: its passwd name looked up in the group database.
 * A uid without a passwd entry gets its gid alone. */
static napi_status init_groups(tn_arena **arena, tn_child *c) {
  struct passwd pw, *found = NULL;
  char buf[4096];
  int n = 64;
  c->groups = tn_alloc(arena, sizeof(gid_t));
  c->groups[0] = c->gid;
  c->ngroups = 1;
  if (getpwuid_r(c->uid, &pw, buf, sizeof buf, &found) != 0 || found == NULL) return napi_ok;
  for (int attempt = 0; attempt < 8; attempt++) {
    gid_t *list = tn_alloc(arena, sizeof(gid_t) * (size_t)n);
    if (list == NULL) return napi_generic_failure;
    int got = n;
    if (getgrouplist(pw.pw_name, c->gid, list, &got) >= 0) {
      c->groups = list;
      c->ngroups = got;
      return napi_ok;
    }
    n = got > n ? got : n * 2;
  }
  return napi_ok;
}

static napi_status identity(napi_env env, napi_value req, tn_arena **arena, tn_child *c) {
  int64_t uid, gid, umask;
  CHECK(get_int(env, req, "uid", &uid));
  CHECK(get_int(env, req, "gid", &gid));
  CHECK(get_int(env, req, "umask", &umask));
  c->umask = (int)umask;
  if (uid < 0) return napi_ok;
  c->set_ids = 1;
  c->uid = (uid_t)uid;
  c->gid = (gid_t)(gid < 0 ? 0 : gid);
  return init_groups(arena, c);
}

static napi_status rlimits(napi_env env, napi_value req, tn_arena **arena, tn_child *c) {
  napi_value list;
  uint32_t count = 0;
  CHECK(prop(env, req, "rlimits", &list));
  CHECK(napi_get_array_length(env, list, &count));
  c->rlimits = tn_alloc(arena, sizeof(tn_rlimit) * (count + 1));
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    int64_t resource, soft, hard;
    CHECK(napi_get_element(env, list, i, &item));
    CHECK(get_int(env, item, "resource", &resource));
    CHECK(get_int(env, item, "soft", &soft));
    CHECK(get_int(env, item, "hard", &hard));
    c->rlimits[i].resource = (int)resource;
    c->rlimits[i].soft = soft < 0 ? RLIM_INFINITY : (rlim_t)soft;
    c->rlimits[i].hard = hard < 0 ? RLIM_INFINITY : (rlim_t)hard;
  }
  c->nrlimits = (int)count;
  return napi_ok;
}

static int mode_of(napi_env env, napi_value req, const char *name) {
  napi_value v;
  char buf[16] = "";
  size_t len;
  if (prop(env, req, name, &v) != napi_ok) return 0;
  if (napi_get_value_string_utf8(env, v, buf, sizeof buf, &len) != napi_ok) return 0;
  if (strcmp(buf, "pipe") == 0) return 1;
  if (strcmp(buf, "stdout") == 0) return 2;
  return 0;
}

void tn_close_pipes(tn_pipes *p, int parent_ends_too) {
  /* With stderr into stdout, ends 1 and 2 are the same fd. */
  if (p->child_ends[2] == p->child_ends[1]) p->child_ends[2] = -1;
  for (int i = 0; i < 3; i++) {
    if (p->child_ends[i] >= 0) close(p->child_ends[i]);
    p->child_ends[i] = -1;
  }
  if (!parent_ends_too) return;
  if (p->stdin_fd >= 0) close(p->stdin_fd);
  if (p->stdout_fd >= 0) close(p->stdout_fd);
  if (p->stderr_fd >= 0) close(p->stderr_fd);
  p->stdin_fd = p->stdout_fd = p->stderr_fd = -1;
}

/* A 64 KiB pipe makes a program that writes 64 KiB at a time and the daemon take turns: the
 * writer fills the pipe and sleeps until the reader has emptied it, so neither runs while the
 * other does, and every read is followed by a file write of its own. Reading alone, measured:
 * 0.65–0.78 GiB/s with 64 KiB against 2.4–3.1 GiB/s with 128 KiB or more; through the whole
 * pipeline (1 GiB to a log file, 8 runs each, interleaved), median 562 MiB/s with 64 KiB, 671
 * with 128 KiB, 630 with 256 KiB (more pages in flight, no fewer turns). Output pipes are grown
 * to 128 KiB where the daemon is root of the initial user namespace. Not otherwise: an
 * unprivileged user's pipes share a budget (fs.pipe-user-pages-soft, 64 MiB), and once it is
 * spent every new pipe gets two pages, so bigger pipes for the first programs would mean tiny
 * ones for the rest. The kernel allocates the pages as data arrives, so an idle pipe costs
 * nothing more. A refusal (a lowered fs.pipe-max-size) keeps the pipe as it is. */
#define OUTPUT_PIPE_BYTES (128 * 1024)

/* Root of the initial user namespace only: root in a rootless container is unprivileged to the
 * kernel's pipe accounting (CAP_SYS_RESOURCE counts in the initial namespace), so its pipes share
 * the budget too. The identity uid_map is how the initial namespace looks from inside. */
static int may_grow_pipes(void) {
  static int known = -1;
  if (known >= 0) return known;
  known = 0;
  if (geteuid() != 0) return known;
  int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return known;
  char buf[128];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return known;
  buf[n] = '\0';
  unsigned long inside = 1, outside = 1, count = 0;
  if (sscanf(buf, "%lu %lu %lu", &inside, &outside, &count) == 3 && inside == 0 && outside == 0 &&
      count == 4294967295UL && strchr(buf, '\n') == buf + strlen(buf) - 1)
    known = 1;
  return known;
}

static void grow_output_pipe(int fd) {
  if (may_grow_pipes()) (void)fcntl(fd, F_SETPIPE_SZ, OUTPUT_PIPE_BYTES);
}

/* Pipes are close-on-exec on both ends: only the dup2 in the child makes its end inheritable, so
 * no other child (libuv's, a concurrent one) can hold a copy that would delay EOF. Pipes, not
 * socket pairs as child_process makes: a program that opens /dev/stdout (nginx's access_log, a
 * shell's `> /dev/stderr`) gets ENXIO on a socket, and supervisord gives its children pipes. */
static int make_pipes(napi_env env, napi_value req, tn_pipes *p) {
  int modes[3] = {mode_of(env, req, "stdin"), mode_of(env, req, "stdout"), mode_of(env, req, "stderr")};
  int fds[2];
  if (modes[0] == 1) {
    if (pipe2(fds, O_CLOEXEC) < 0) return errno;
    p->child_ends[0] = fds[0];
    p->stdin_fd = fds[1];
  }
  for (int i = 1; i <= 2; i++) {
    if (modes[i] != 1) continue;
    if (pipe2(fds, O_CLOEXEC) < 0) return errno;
    grow_output_pipe(fds[0]);
    p->child_ends[i] = fds[1];
    if (i == 1) p->stdout_fd = fds[0];
    else p->stderr_fd = fds[0];
  }
  if (modes[2] == 2) p->child_ends[2] = p->child_ends[1];
  return 0;
}

static napi_status fd_map(napi_env env, napi_value req, tn_arena **arena, tn_child *c, tn_pipes *p) {
  napi_value extra;
  uint32_t count = 0;
  CHECK(prop(env, req, "extraFds", &extra));
  CHECK(napi_get_array_length(env, extra, &count));
  c->nfds = 3 + (int)count;
  c->fds = tn_alloc(arena, sizeof(int) * (size_t)c->nfds);
  c->scratch = tn_alloc(arena, sizeof(int) * (size_t)c->nfds);
  for (int i = 0; i < 3; i++) c->fds[i] = p->child_ends[i];
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    int32_t fd;
    CHECK(napi_get_element(env, extra, i, &item));
    CHECK(napi_get_value_int32(env, item, &fd));
    c->fds[3 + i] = fd;
  }
  return napi_ok;
}

static napi_status strings(napi_env env, napi_value req, tn_arena **arena, tn_child *c) {
  napi_value v, names;
  uint32_t n, n_pid = 0;
  CHECK(prop(env, req, "file", &v));
  CHECK(copy_string(env, v, arena, 0, (char **)&c->file));
  CHECK(prop(env, req, "argv", &v));
  CHECK(copy_strings(env, v, arena, 0, &c->argv, &n));
  CHECK(prop(env, req, "pidEnv", &names));
  CHECK(napi_get_array_length(env, names, &n_pid));
  CHECK(prop(env, req, "env", &v));
  CHECK(copy_strings(env, v, arena, (int)n_pid, &c->envp, &n));
  CHECK(pid_env(env, req, arena, c, n));
  CHECK(prop(env, req, "cwd", &v));
  c->cwd = NULL;
  if (!is_nullish(env, v)) CHECK(copy_string(env, v, arena, 0, (char **)&c->cwd));
  return napi_ok;
}

napi_status tn_parse_request(napi_env env, napi_value req, tn_arena **arena, tn_child *c, tn_pipes *p,
                             int *err, int *stage) {
  napi_value v;
  bool flag = false;
  CHECK(strings(env, req, arena, c));
  CHECK(identity(env, req, arena, c));
  CHECK(rlimits(env, req, arena, c));
  CHECK(prop(env, req, "newSession", &v));
  CHECK(napi_get_value_bool(env, v, &flag));
  c->new_session = flag;
  struct rlimit nofile;
  c->max_fd = getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < 65536 ? (int)nofile.rlim_cur : 65536;
  *err = make_pipes(env, req, p);
  if (*err != 0) {
    *stage = TN_STAGE_PIPE;
    return napi_ok;
  }
  return fd_map(env, req, arena, c, p);
}
