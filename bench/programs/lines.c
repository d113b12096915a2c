/* Output generator and checker for the log workloads (W4, W4R) of bench/.
 *
 *   lines gen COUNT [START [WRITE]]
 *                              writes lines 0 … COUNT-1 to stdout, 100 bytes each, as fast as it can;
 *                              first writes its start time (CLOCK_MONOTONIC, ns) to the file START.
 *                              Without WRITE it writes 65,500 bytes (655 whole lines) at a time;
 *                              with WRITE it writes exactly WRITE bytes at a time, lines cut
 *                              anywhere, as a block-buffered program does (stdio: 4096 or 8192,
 *                              `yes | head -c`: 8192)
 *   lines check COUNT FILE...  reads FILE... in order as one stream (oldest first) and prints
 *                              {"bytes","lines","valid","malformed","lost","duplicated",
 *                               "out_of_order","split_lines"} as JSON
 *
 * Line n: its number in 10 decimal digits, a space, 88 letters 'a' + (n + j) % 26, a newline.
 * Every byte depends on n, so a torn, shifted or mixed-up line is caught, not only a missing one.
 * "split_lines" counts file boundaries that fall inside a line (a rotation that cut a line). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE 100
#define DIGITS 10
#define FILL (LINE - DIGITS - 2)
#define PER_CHUNK 655 /* 65,500 bytes per write */

static char letters[26 + FILL];

static void init_letters(void) {
  for (int i = 0; i < 26 + FILL; i++) letters[i] = (char)('a' + i % 26);
}

static void format_line(char *p, uint64_t n) {
  uint64_t v = n;
  for (int d = DIGITS - 1; d >= 0; d--) {
    p[d] = (char)('0' + v % 10);
    v /= 10;
  }
  p[DIGITS] = ' ';
  memcpy(p + DIGITS + 1, letters + n % 26, FILL);
  p[LINE - 1] = '\n';
}

static int write_all(int fd, const char *p, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

static int write_start_time(const char *path) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  char text[32];
  int len = snprintf(text, sizeof text, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || write_all(fd, text, (size_t)len) < 0) {
    perror("lines gen: start file");
    return -1;
  }
  close(fd);
  return 0;
}

/* stdio's shape: a buffer of `size` bytes, written whenever it is full. */
static int cmd_gen_blocks(uint64_t count, size_t size) {
  char *out = malloc(size);
  char line[LINE];
  size_t used = 0;
  if (out == NULL) return 2;
  for (uint64_t n = 0; n < count; n++) {
    format_line(line, n);
    for (size_t k = 0; k < LINE;) {
      size_t take = size - used < LINE - k ? size - used : LINE - k;
      memcpy(out + used, line + k, take);
      used += take;
      k += take;
      if (used == size) {
        if (write_all(1, out, used) < 0) return 1;
        used = 0;
      }
    }
  }
  int failed = used > 0 && write_all(1, out, used) < 0;
  free(out);
  if (failed) perror("lines gen: write");
  return failed;
}

static int cmd_gen(uint64_t count) {
  static char buf[PER_CHUNK * LINE];
  uint64_t n = 0;
  while (n < count) {
    size_t k = 0;
    while (k < PER_CHUNK && n < count) format_line(buf + k++ * LINE, n++);
    if (write_all(1, buf, k * LINE) < 0) {
      perror("lines gen: write");
      return 1;
    }
  }
  return 0;
}

struct tally {
  uint64_t bytes, lines, valid, malformed, duplicated, out_of_order, split_lines, distinct;
  int64_t max_seen;
};

static void take_line(struct tally *t, const char *p, size_t len, uint64_t count, uint8_t *seen) {
  t->lines++;
  if (len != LINE - 1) {
    t->malformed++;
    return;
  }
  uint64_t n = 0;
  for (int d = 0; d < DIGITS; d++) {
    if (p[d] < '0' || p[d] > '9') {
      t->malformed++;
      return;
    }
    n = n * 10 + (uint64_t)(p[d] - '0');
  }
  if (n >= count || p[DIGITS] != ' ' || memcmp(p + DIGITS + 1, letters + n % 26, FILL) != 0) {
    t->malformed++;
    return;
  }
  t->valid++;
  if (seen[n >> 3] & (1u << (n & 7))) {
    t->duplicated++;
    return;
  }
  seen[n >> 3] |= (uint8_t)(1u << (n & 7));
  t->distinct++;
  if ((int64_t)n < t->max_seen) t->out_of_order++;
  if ((int64_t)n > t->max_seen) t->max_seen = (int64_t)n;
}

static int cmd_check(uint64_t count, int nfiles, char **files) {
  uint8_t *seen = calloc((size_t)(count / 8 + 1), 1);
  static char buf[1 << 20];
  char part[4096];
  size_t plen = 0;
  int overlong = 0;
  struct tally t = {0};
  t.max_seen = -1;
  if (seen == NULL) return 2;
  for (int f = 0; f < nfiles; f++) {
    int fd = open(files[f], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      fprintf(stderr, "lines check: %s: %s\n", files[f], strerror(errno));
      return 2;
    }
    if (plen > 0 || overlong) t.split_lines++;
    for (;;) {
      ssize_t r = read(fd, buf, sizeof buf);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) {
        perror("lines check: read");
        return 2;
      }
      if (r == 0) break;
      t.bytes += (uint64_t)r;
      const char *p = buf, *end = buf + r;
      while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t seg = (size_t)((nl ? nl : end) - p);
        if (plen == 0 && !overlong && nl != NULL) {
          take_line(&t, p, seg, count, seen); /* the common case: a whole line inside the buffer */
        } else {
          if (plen + seg <= sizeof part) {
            memcpy(part + plen, p, seg);
            plen += seg;
          } else {
            overlong = 1;
          }
          if (nl != NULL) {
            if (overlong) {
              t.lines++;
              t.malformed++;
            } else {
              take_line(&t, part, plen, count, seen);
            }
            plen = 0;
            overlong = 0;
          }
        }
        p = nl ? nl + 1 : end;
      }
    }
    close(fd);
  }
  if (plen > 0 || overlong) { /* a torn last line */
    t.lines++;
    t.malformed++;
  }
  printf("{\"bytes\":%llu,\"lines\":%llu,\"valid\":%llu,\"malformed\":%llu,\"lost\":%llu,"
         "\"duplicated\":%llu,\"out_of_order\":%llu,\"split_lines\":%llu}\n",
         (unsigned long long)t.bytes, (unsigned long long)t.lines, (unsigned long long)t.valid,
         (unsigned long long)t.malformed, (unsigned long long)(count - t.distinct),
         (unsigned long long)t.duplicated, (unsigned long long)t.out_of_order,
         (unsigned long long)t.split_lines);
  free(seen);
  return 0;
}

int main(int argc, char **argv) {
  init_letters();
  if (argc >= 3 && strcmp(argv[1], "gen") == 0) {
    if (argc >= 4 && write_start_time(argv[3]) < 0) return 1;
    if (argc >= 5) return cmd_gen_blocks(strtoull(argv[2], NULL, 10), strtoull(argv[4], NULL, 10));
    return cmd_gen(strtoull(argv[2], NULL, 10));
  }
  if (argc >= 3 && strcmp(argv[1], "check") == 0)
    return cmd_check(strtoull(argv[2], NULL, 10), argc - 3, argv + 3);
  fprintf(stderr, "usage: lines gen COUNT [START [WRITE]] | lines check COUNT FILE...\n");
  return 2;
}
