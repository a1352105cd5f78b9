/* bench/'s allocation helpers: abort on out-of-memory (only bench/ may), and small
 * shared utilities. SPDX-License-Identifier: MIT */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H
#include <stddef.h>
void *bench_xmalloc(size_t n);
void *bench_xcalloc(size_t n, size_t size);
void *bench_xrealloc(void *p, size_t n);
char *bench_xstrdup(const char *s);
/* Write data to path atomically (temp file in the same directory, fsync, rename).
 * Returns 0 or -1 with errno set. */
int bench_write_atomic(const char *path, const char *data, size_t len);
#endif
