/* Helpers shared by the HTML and Markdown writers. Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "report.h"
#include "result.h"
#include "util.h"

void
bench_html_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
            case '<': fputs("&lt;", f); break;
            case '>': fputs("&gt;", f); break;
            case '&': fputs("&amp;", f); break;
            case '"': fputs("&quot;", f); break;
            default: fputc(*s, f);
        }
    }
}

const char *
bench_doc_str(json_t *doc, const char *a, const char *b, const char *c)
{
    json_t *x = json_object_get(doc, a);
    if (b)
        x = json_object_get(x, b);
    if (c)
        x = json_object_get(x, c);
    return json_is_string(x) ? json_string_value(x) : "";
}

double
bench_doc_median(json_t *doc, const char *metric)
{
    char path[96];
    snprintf(path, sizeof path, "%s.median", metric);
    return bench_jnum(json_object_get(json_object_get(doc, "summary"), "metrics"), path);
}

/* Split an absolute path into components (in place); returns how many. */
static size_t
components(char *p, char **parts, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(p, "/", &save); t && n < max; t = strtok_r(NULL, "/", &save))
        parts[n++] = t;
    return n;
}

void
bench_relpath(const char *from, const char *to, char *out, size_t n)
{
    char a[PATH_MAX], b[PATH_MAX], *pa[256], *pb[256];
    size_t na, nb, common = 0, len = 0;
    if (!realpath(from, a) || !realpath(to, b)) {
        snprintf(out, n, "%s", to);
        return;
    }
    na = components(a, pa, 256);
    nb = components(b, pb, 256);
    while (common < na && common < nb && !strcmp(pa[common], pb[common]))
        common++;
    out[0] = 0;
    for (size_t i = common; i < na; i++)
        len += (size_t)snprintf(out + len, n > len ? n - len : 0, "../");
    for (size_t i = common; i < nb; i++)
        len += (size_t)snprintf(out + len, n > len ? n - len : 0, "%s%s", pb[i],
                                i + 1 < nb ? "/" : "");
}

void
bench_file_sha256(const char *path, char out[72])
{
    size_t len;
    char *buf = bench_read_file(path, &len);
    out[0] = 0;
    if (!buf)
        return;
    bench_sha256(buf, len, out);
    free(buf);
}
