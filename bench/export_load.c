/* Exporter: loading a results set (a suite directory or loose result files), ordering its
 * scenarios and settings like the suite, and the representative run (spec 6.1).
 * Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "export.h"
#include "export_internal.h"
#include "result.h"
#include "suite_run.h"
#include "util.h"

static const char *
jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *
doc_scenario(json_t *d)
{
    return jstr(json_object_get(json_object_get(d, "config"), "scenario"), "name");
}

static const char *
doc_setting(json_t *d)
{
    return jstr(json_object_get(json_object_get(d, "config"), "setting"), "label");
}

static void
add_name(char ***list, size_t *n, const char *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*list)[i], s))
            return;
    *list = bench_xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = bench_xstrdup(s);
}

/* Names only kept when some document uses them. */
static void
add_used(bench_results *r, char ***list, size_t *n, const char *s, int scen)
{
    for (size_t i = 0; s && i < r->ndocs; i++)
        if (!strcmp(scen ? doc_scenario(r->docs[i]) : doc_setting(r->docs[i]), s)) {
            add_name(list, n, s);
            return;
        }
}

static json_t *
load_optional(const char *dir, const char *name)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (stat(path, &st) != 0)
        return NULL;
    return json_load_file(path, 0, NULL);
}

/* Setting labels in the order of DIR/jobs.tsv (third column, comma list). */
static void
order_from_jobs(bench_results *r)
{
    char path[4096], line[8192];
    FILE *f;
    snprintf(path, sizeof path, "%s/jobs.tsv", r->dir);
    if (!(f = fopen(path, "r")))
        return;
    while (fgets(line, sizeof line, f)) {
        char *save = NULL, *col = strtok_r(line, "\t\n", &save);
        for (int k = 1; col && k < 3; k++)
            col = strtok_r(NULL, "\t\n", &save);
        for (char *s2 = NULL, *l = col ? strtok_r(col, ",", &s2) : NULL; l;
             l = strtok_r(NULL, ",", &s2))
            add_used(r, &r->settings, &r->nset, l, 0);
    }
    fclose(f);
}

static void
order_names(bench_results *r)
{
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(r->suite, "scenarios"), i, v)
        add_used(r, &r->scenarios, &r->nscen, jstr(v, "name"), 1);
    json_array_foreach(json_object_get(r->suite, "settings"), i, v)
        add_used(r, &r->settings, &r->nset, jstr(v, "label"), 0);
    if (r->dir)
        order_from_jobs(r);
    for (i = 0; i < r->ndocs; i++) {
        add_name(&r->scenarios, &r->nscen, doc_scenario(r->docs[i]));
        add_name(&r->settings, &r->nset, doc_setting(r->docs[i]));
    }
    r->baseline = jstr(r->suite, "baseline");
    for (i = 0; !r->baseline && i < r->ndocs; i++)
        r->baseline =
            jstr(json_object_get(json_object_get(r->docs[i], "config"), "setting"),
                 "baseline");
}

static int
add_doc(bench_results *r, const char *path)
{
    char err[1024];
    json_t *d = bench_result_load(path, err, sizeof err);
    if (!d) {
        fprintf(stderr, "mmbench: error: %s\n", err);
        return 2;
    }
    bench_result_finish(d); /* the stored summary is a cache, never the source (2.1) */
    r->docs = bench_xrealloc(r->docs, (r->ndocs + 1) * sizeof *r->docs);
    r->paths = bench_xrealloc(r->paths, (r->ndocs + 1) * sizeof *r->paths);
    r->docs[r->ndocs] = d;
    r->paths[r->ndocs++] = bench_xstrdup(path);
    return 0;
}

static int
add_dir(bench_results *r, const char *dir)
{
    size_t n = 0;
    char **list = bench_list_results(dir, &n);
    int rc = 0;
    if (!n) {
        fprintf(stderr,
                "mmbench: error: %s: no result files (<scenario>__<setting>.json)\n",
                dir);
        rc = 2;
    }
    for (size_t i = 0; i < n && !rc; i++)
        rc = add_doc(r, list[i]);
    bench_free_list(list, n);
    if (!r->dir) {
        r->dir = bench_xstrdup(dir);
        r->suite = load_optional(dir, "suite.json");
        r->index = load_optional(dir, "index.json");
    }
    return rc;
}

int
bench_results_load(char **paths, size_t n, bench_results *out)
{
    int rc = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n && !rc; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            fprintf(stderr, "mmbench: error: %s: %s\n", paths[i], strerror(errno));
            rc = 2;
        } else if (S_ISDIR(st.st_mode)) {
            rc = add_dir(out, paths[i]);
        } else {
            rc = add_doc(out, paths[i]);
        }
    }
    if (!rc && !out->ndocs) {
        fprintf(stderr, "mmbench: error: no result files given\n");
        rc = 2;
    }
    if (rc) {
        bench_results_free(out);
        return rc;
    }
    order_names(out);
    return 0;
}

void
bench_results_free(bench_results *r)
{
    for (size_t i = 0; i < r->ndocs; i++) {
        json_decref(r->docs[i]);
        free(r->paths[i]);
    }
    for (size_t i = 0; i < r->nscen; i++)
        free(r->scenarios[i]);
    for (size_t i = 0; i < r->nset; i++)
        free(r->settings[i]);
    free(r->docs);
    free(r->paths);
    free(r->scenarios);
    free(r->settings);
    json_decref(r->suite);
    json_decref(r->index);
    free(r->dir);
    memset(r, 0, sizeof *r);
}

json_t *
bench_results_find(const bench_results *r, const char *scenario, const char *setting)
{
    for (size_t i = 0; i < r->ndocs; i++) {
        const char *sc = doc_scenario(r->docs[i]), *se = doc_setting(r->docs[i]);
        if (sc && se && !strcmp(sc, scenario) && !strcmp(se, setting))
            return r->docs[i];
    }
    return NULL;
}

int
bench_representative_run(json_t *doc)
{
    size_t n = 0, *idx = exp_ok_runs(doc, &n), m = 0;
    double *v = bench_xmalloc((n + 1) * sizeof *v);
    int best = -1;
    bench_metric_values(doc, "wall_ns_per_loop", idx, n, v);
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            idx[m] = idx[i], v[m++] = v[i];
    /* insertion sort by (value, run position): stable and deterministic */
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && (v[j] < v[j - 1] || (v[j] == v[j - 1] &&
                                                         idx[j] < idx[j - 1])); j--) {
            double t = v[j];
            size_t ti = idx[j];
            v[j] = v[j - 1], idx[j] = idx[j - 1];
            v[j - 1] = t, idx[j - 1] = ti;
        }
    if (m)
        best = (int)idx[(m - 1) / 2];
    free(v);
    free(idx);
    return best;
}
