/* bench/'s allocation helpers and atomic file writing.
 * Design: docs/design/measurement.md ("Files that survive crashes").
 * SPDX-License-Identifier: MIT */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Noreturn void
bench_oom(void)
{
    fputs("mmbench: fatal: out of memory\n", stderr);
    abort();
}

void *
bench_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        bench_oom();
    return p;
}

void *
bench_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        bench_oom();
    return p;
}

void *
bench_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        bench_oom();
    return p;
}

char *
bench_xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        bench_oom();
    return d;
}

int
bench_write_atomic(const char *path, const char *data, size_t len)
{
    char *dcopy = bench_xstrdup(path), *bcopy = bench_xstrdup(path);
    const char *dir = dirname(dcopy), *base = basename(bcopy);
    size_t tn = strlen(dir) + strlen(base) + 64;
    char *tmp = bench_xmalloc(tn);
    int fd, rc = -1, saved = 0;
    snprintf(tmp, tn, "%s/.%s.tmp.%ld", dir, base, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        size_t off = 0;
        while (off < len) {
            ssize_t w = write(fd, data + off, len - off);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        if (off == len && fsync(fd) == 0 && close(fd) == 0) {
            fd = -1;
            if (rename(tmp, path) == 0) {
                int dfd = open(dir, O_RDONLY | O_DIRECTORY);
                if (dfd >= 0) {
                    fsync(dfd);
                    close(dfd);
                }
                rc = 0;
            }
        }
        saved = errno;
        if (fd >= 0)
            close(fd);
        if (rc != 0)
            unlink(tmp);
        errno = saved;
    }
    free(tmp);
    free(dcopy);
    free(bcopy);
    return rc;
}

char *
bench_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rbe");
    size_t cap = 0, k;
    char *buf = NULL;
    *len = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (*len + 65536 + 1 > cap)
            buf = bench_xrealloc(buf, cap = 2 * (*len + 65536 + 1));
        k = fread(buf + *len, 1, 65536, f);
        *len += k;
        if (k < 65536)
            break;
    }
    fclose(f);
    buf[*len] = 0;
    return buf;
}

int
bench_errf(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -1;
}
