/* Safe output files (8.3).
 * Design: docs/design/measurement.md ("Files that survive crashes").
 * SPDX-License-Identifier: MIT */
#include "output.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "result.h"
#include "util.h"

int
bench_mkdirs(const char *path)
{
    char *p = bench_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
        free(p);
        return -1;
    }
    free(p);
    return 0;
}

int
bench_output_check(const char *path, int force)
{
    struct stat st;
    char *d;
    if (!strcmp(path, "-"))
        return 0;
    if (!*path) {
        fprintf(stderr, "mmbench: error: -o: empty path\n");
        return 2;
    }
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fprintf(stderr, "mmbench: error: %s: is a directory\n", path);
            return 2;
        }
        if (S_ISREG(st.st_mode) && !force) {
            fprintf(stderr, "mmbench: error: %s: exists (use --force to overwrite)\n",
                    path);
            return 2;
        }
        return 0;
    }
    d = bench_xstrdup(path);
    if (bench_mkdirs(dirname(d)) != 0) {
        fprintf(stderr, "mmbench: error: %s: cannot create its directory: %s\n", path,
                strerror(errno));
        free(d);
        return 2;
    }
    free(d);
    return 0;
}

static int
write_direct(const char *path, const char *text, size_t len)
{
    FILE *f = !strcmp(path, "-") ? stdout : fopen(path, "we");
    int ok;
    if (!f) {
        fprintf(stderr, "mmbench: error: %s: %s\n", path, strerror(errno));
        return 1;
    }
    ok = fwrite(text, 1, len, f) == len;
    ok = (f == stdout ? fflush(f) : fclose(f)) == 0 && ok;
    if (!ok)
        fprintf(stderr, "mmbench: error: %s: write failed: %s\n", path, strerror(errno));
    return ok ? 0 : 1;
}

int
bench_output_text(const char *path, const char *text, size_t len)
{
    struct stat st;
    if (!strcmp(path, "-") || (stat(path, &st) == 0 && !S_ISREG(st.st_mode)))
        return write_direct(path, text, len);
    if (bench_write_atomic(path, text, len) != 0) {
        fprintf(stderr, "mmbench: error: %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int
bench_output_write(const char *path, json_t *doc, int pretty)
{
    size_t flags = pretty ? (JSON_INDENT(2) | JSON_REAL_PRECISION(10)) : BENCH_JSON_FLAGS;
    char *text = json_dumps(doc, flags);
    size_t len;
    int rc;
    if (!text) {
        fprintf(stderr, "mmbench: error: %s: cannot serialize\n", path);
        return 1;
    }
    len = strlen(text);
    text = bench_xrealloc(text, len + 2);
    text[len++] = '\n';
    text[len] = 0;
    rc = bench_output_text(path, text, len);
    free(text);
    return rc;
}

/* 2.10: every warning, info included, one line each. */
void
bench_print_warnings(json_t *doc)
{
    json_t *w;
    size_t i;
    json_array_foreach(json_object_get(doc, "warnings"), i, w) {
        const char *sev = json_string_value(json_object_get(w, "severity"));
        fprintf(stderr, "mmbench: %s: %s: %s\n", sev ? sev : "warning",
                json_string_value(json_object_get(w, "code")),
                json_string_value(json_object_get(w, "message")));
    }
}
