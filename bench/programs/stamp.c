/* The measured program of W3: appends its start time (CLOCK_MONOTONIC, ns) as one line to the
 * file named by argv[1], then exits 1 at once, so its supervisor restarts it. C, so that no
 * interpreter start-up is part of the restart interval. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  if (argc < 2) return 2;
  char line[32];
  int len = snprintf(line, sizeof line, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
  int fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return 3;
  if (write(fd, line, (size_t)len) != len) return 4;
  close(fd);
  return 1;
}
