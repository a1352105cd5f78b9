/* bench/'s allocation helpers: abort on out-of-memory (only bench/ may), and small
 * shared utilities. Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H
#include <stddef.h>
/* "mmbench: fatal: out of memory" and abort(): the one way bench/ dies of OOM. */
_Noreturn void bench_oom(void);
void *bench_xmalloc(size_t n);
void *bench_xcalloc(size_t n, size_t size);
void *bench_xrealloc(void *p, size_t n);
char *bench_xstrdup(const char *s);
/* Write data to path atomically (temp file in the same directory, fsync, rename).
 * Returns 0 or -1 with errno set. */
int bench_write_atomic(const char *path, const char *data, size_t len);
/* Format an error message into err (n bytes); returns -1
 * (for `return bench_errf(...)`). */
int bench_errf(char *err, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The whole file (NUL-terminated, length in *len), or NULL if it cannot be read. */
char *bench_read_file(const char *path, size_t *len);
#endif
