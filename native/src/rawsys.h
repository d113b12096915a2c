/* System calls without libc, for the child between clone and execve. The child runs on the
 * daemon's memory while the daemon's main thread keeps running (no CLONE_VFORK), and with the
 * main thread's thread pointer: anything in libc that writes errno or other thread-local state
 * would write the main thread's. These return the kernel's result, a negative errno on failure,
 * and touch nothing else. Where this file has no implementation for the architecture, TN_RAW is
 * 0 and spawn.c keeps the parent waiting (CLONE_VFORK), where libc's wrappers are safe. */
#ifndef TN_RAWSYS_H
#define TN_RAWSYS_H

#include <sys/syscall.h>

/* close_range (Linux 5.9), for C libraries whose headers are older than the kernel. */
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif

#if defined(__x86_64__)
#define TN_RAW 1
static inline long tn_raw6(long n, long a, long b, long c, long d, long e, long f) {
  long ret;
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}
#elif defined(__aarch64__)
#define TN_RAW 1
static inline long tn_raw6(long n, long a, long b, long c, long d, long e, long f) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  register long x5 __asm__("x5") = f;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
  return x0;
}
#else
#define TN_RAW 0
#include <errno.h>
#include <unistd.h>
/* Only used under CLONE_VFORK, where the parent's thread sleeps and errno is safe to write. */
static inline long tn_raw6(long n, long a, long b, long c, long d, long e, long f) {
  long r = syscall(n, a, b, c, d, e, f);
  return r < 0 ? -errno : r;
}
#endif

#define tn_raw0(n) tn_raw6((n), 0, 0, 0, 0, 0, 0)
#define tn_raw1(n, a) tn_raw6((n), (long)(a), 0, 0, 0, 0, 0)
#define tn_raw2(n, a, b) tn_raw6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define tn_raw3(n, a, b, c) tn_raw6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define tn_raw4(n, a, b, c, d) tn_raw6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

#endif
