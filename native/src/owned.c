/* The children that are not orphans: the ones this addon spawned (until their exit is collected)
 * and the ones libuv spawned for child_process (registered from JavaScript with own/disown). The
 * reaper waits only for children outside this set, so it never takes an exit status that
 * watch.c or libuv is waiting for. An open-addressing set: a lookup per child per reap. */
#include "tn.h"

#include <stdlib.h>

#define EMPTY 0
#define TOMBSTONE -1

static pid_t *slots = NULL;
static size_t capacity = 0, used = 0, live = 0;

static size_t slot_of(pid_t pid, size_t cap) { return ((size_t)pid * 2654435761u) & (cap - 1); }

static void insert(pid_t *table, size_t cap, pid_t pid) {
  size_t i = slot_of(pid, cap);
  while (table[i] != EMPTY && table[i] != TOMBSTONE) i = (i + 1) & (cap - 1);
  table[i] = pid;
}

static int grow(void) {
  size_t cap = capacity == 0 ? 256 : (live * 4 > capacity ? capacity * 2 : capacity);
  pid_t *table = calloc(cap, sizeof(pid_t));
  if (table == NULL) return -1;
  for (size_t i = 0; i < capacity; i++)
    if (slots[i] != EMPTY && slots[i] != TOMBSTONE) insert(table, cap, slots[i]);
  free(slots);
  slots = table;
  capacity = cap;
  used = live;
  return 0;
}

int tn_is_owned(pid_t pid) {
  if (capacity == 0 || pid <= 0) return 0;
  for (size_t i = slot_of(pid, capacity), n = 0; n < capacity; i = (i + 1) & (capacity - 1), n++) {
    if (slots[i] == EMPTY) return 0;
    if (slots[i] == pid) return 1;
  }
  return 0;
}

void tn_own(pid_t pid) {
  if (pid <= 0 || tn_is_owned(pid)) return;
  if ((used + 1) * 2 > capacity && grow() != 0) return;
  insert(slots, capacity, pid);
  used++;
  live++;
}

void tn_disown(pid_t pid) {
  if (capacity == 0 || pid <= 0) return;
  for (size_t i = slot_of(pid, capacity), n = 0; n < capacity; i = (i + 1) & (capacity - 1), n++) {
    if (slots[i] == EMPTY) return;
    if (slots[i] == pid) {
      slots[i] = TOMBSTONE;
      live--;
      return;
    }
  }
}

static pid_t pid_arg(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  int32_t pid = 0;
  if (napi_get_cb_info(env, info, &argc, &arg, NULL, NULL) != napi_ok || argc < 1) return 0;
  if (napi_get_value_int32(env, arg, &pid) != napi_ok) return 0;
  return pid;
}

napi_value tn_js_own(napi_env env, napi_callback_info info) {
  tn_own(pid_arg(env, info));
  return NULL;
}

napi_value tn_js_disown(napi_env env, napi_callback_info info) {
  tn_disown(pid_arg(env, info));
  return NULL;
}
