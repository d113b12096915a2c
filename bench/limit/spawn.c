/* The physical limit for spawning: what posix_spawn can do with no daemon in the way.
 *
 *   spawn start N PROG ARGS...   spawn N copies of PROG (no wait), then SIGTERM them all and reap
 *                                them; prints {"spawn_s":…,"stop_s":…} (W1 and W6 of bench/)
 *   spawn repeat N PROG ARGS...  spawn PROG and wait for it, N times in a row (W3); PROG records
 *                                its own start times
 *
 * Built by bench/lib/tools.mjs with gcc at bench time. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static pid_t spawn_one(char **argv) {
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
  if (rc != 0) {
    fprintf(stderr, "spawn: posix_spawnp %s: %s\n", argv[0], strerror(rc));
    return -1;
  }
  return pid;
}

static int cmd_start(long n, char **argv) {
  pid_t *pids = calloc((size_t)n, sizeof(pid_t));
  if (pids == NULL) return 2;
  long spawned = 0;
  int failed = 0;
  double t0 = now_s();
  for (long i = 0; i < n; i++) {
    pids[i] = spawn_one(argv);
    if (pids[i] < 0) {
      failed = 1;
      break;
    }
    spawned++;
  }
  double t1 = now_s();
  for (long i = 0; i < spawned; i++) kill(pids[i], SIGTERM);
  for (long i = 0; i < spawned; i++) {
    while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR) {
    }
  }
  double t2 = now_s();
  printf("{\"spawned\":%ld,\"spawn_s\":%.6f,\"stop_s\":%.6f}\n", spawned, t1 - t0, t2 - t1);
  free(pids);
  return failed ? 1 : 0;
}

static int cmd_repeat(long n, char **argv) {
  double t0 = now_s();
  for (long i = 0; i < n; i++) {
    pid_t pid = spawn_one(argv);
    if (pid < 0) return 1;
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
  }
  printf("{\"runs\":%ld,\"total_s\":%.6f}\n", n, now_s() - t0);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: spawn start|repeat N PROG [ARGS...]\n");
    return 2;
  }
  long n = strtol(argv[2], NULL, 10);
  if (n <= 0) return 2;
  if (strcmp(argv[1], "start") == 0) return cmd_start(n, argv + 3);
  if (strcmp(argv[1], "repeat") == 0) return cmd_repeat(n, argv + 3);
  fprintf(stderr, "spawn: unknown mode %s\n", argv[1]);
  return 2;
}
