/* Environment and data-quality warnings (2.10): governor, boost, load, build type,
 * swapping, VmHWM scope, observer cost, truncation, sparse percentiles, failed runs,
 * blocked order, short values, heap not steady. Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "stats.h"
#include "summary.h"
#include "util.h"

/* Do these compiler flags define NDEBUG? The last -DNDEBUG[=...] or -UNDEBUG wins.
 * -1: unknown, no compiler flag at all (files before 2026-12-03 recorded meson options
 * such as " buildtype=release b_sanitize=none" here). */
static int
cflags_define_ndebug(const char *cflags)
{
    int on = 0, flags = 0;
    for (const char *p = cflags ? cflags : ""; *p;) {
        size_t len;
        p += strspn(p, " \t");
        len = strcspn(p, " \t");
        flags |= len > 1 && *p == '-';
        if ((len == 8 && !strncmp(p, "-DNDEBUG", 8)) ||
            (len > 9 && !strncmp(p, "-DNDEBUG=", 9)))
            on = 1;
        else if (len == 8 && !strncmp(p, "-UNDEBUG", 8))
            on = 0;
        p += len;
    }
    return flags ? on : -1;
}

/* W_LOAD's text; users_logged_in null (no utmp) is unknown, never 0 (2.2). */
static void
load_text(char *text, size_t n, double load, double cpus, double users)
{
    char lpart[96] = "load unknown", upart[64] = "users unknown";
    if (isfinite(load) && isfinite(cpus))
        snprintf(lpart, sizeof lpart, "load %.2f on %.0f CPUs", load, cpus);
    else if (isfinite(load))
        snprintf(lpart, sizeof lpart, "load %.2f", load);
    if (isfinite(users))
        snprintf(upart, sizeof upart, "%.0f user%s logged in", users,
                 users == 1 ? "" : "s");
    snprintf(text, n, "the machine was busy at start (%s, %s)", lpart, upart);
}

static void
host_warnings(json_t *result, json_t *w)
{
    json_t *meta = json_object_get(result, "meta"), *host = json_object_get(meta, "host");
    json_t *tool = json_object_get(meta, "tool");
    const char *gov = json_string_value(json_object_get(host, "cpu_governor"));
    const char *bt = json_string_value(json_object_get(tool, "build_type"));
    const char *cflags = json_string_value(json_object_get(tool, "cflags"));
    double load = bench_jnum(host, "load_avg_1m"),
           cpus = bench_jnum(host, "logical_cpus");
    double users = bench_jnum(host, "users_logged_in");
    char text[256];
    if (gov && strcmp(gov, "performance")) {
        snprintf(text, sizeof text, "CPU frequency governor is '%s', not 'performance'",
                 gov);
        bench_warn(w, "W_GOVERNOR", "warning", NULL, -1, NAN, NAN, "%s", text);
    }
    if (json_is_true(json_object_get(host, "cpu_boost")))
        bench_warn(w, "W_BOOST", "info", NULL, -1, NAN, NAN, "%s",
                   "CPU boost/turbo is on: frequencies vary with temperature");
    if ((isfinite(load) && isfinite(cpus) && load > 0.1 * cpus) ||
        (isfinite(users) && users > 1)) {
        load_text(text, sizeof text, load, cpus, users);
        bench_warn(w, "W_LOAD", "warning", NULL, -1, load, 0.1 * cpus, "%s", text);
    }
    if (bt && strcmp(bt, "release")) {
        snprintf(text, sizeof text, "built as '%s', not release: timings are not "
                 "representative", bt);
        bench_warn(w, "W_DEBUG_BUILD", "warning", NULL, -1, NAN, NAN, "%s", text);
    } else if (cflags_define_ndebug(cflags) == 0) {
        bench_warn(w, "W_DEBUG_BUILD", "warning", NULL, -1, NAN, NAN, "%s",
                   "NDEBUG is not defined (meta.tool.cflags): assertions are compiled "
                   "in, timings are not representative");
    }
}

static void
run_flags(json_t *result, json_t *w, size_t *idx, size_t n)
{
    json_t *runs = json_object_get(result, "runs");
    double res_ns = bench_jnum(json_object_get(json_object_get(result, "meta"), "host"),
                               "clock.resolution_ns");
    int swap = 0, scope = 0, observer = 0, trunc = 0, bounded = 0, shortv = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_array_get(runs, idx[i]), *m = json_object_get(r, "metrics"), *v;
        json_t *p = json_object_get(r, "pauses");
        size_t k;
        swap |= bench_jnum(m, "major_faults") > 0;
        scope |=
            !strcmp(json_string_value(json_object_get(m, "peak_rss_scope")), "process");
        observer |=
            bench_jnum(m, "sampler_overhead_ns") > 0.01 * bench_jnum(m, "wall_ns");
        trunc |= !strcmp(json_string_value(json_object_get(p, "percentile_method")),
                         "histogram-upper-bound") ||
                 bench_jnum(r, "timeseries.decimations") >= 3;
        bounded |= !strcmp(json_string_value(json_object_get(json_object_get(p, "events"),
                                                             "policy")), "bounded");
        json_array_foreach(json_object_get(r, "values"), k, v) {
            double wall = bench_jnum(v, "wall_ns");
            shortv |= wall < 1e6 || (isfinite(res_ns) && wall < 1000 * res_ns);
        }
    }
    if (swap)
        bench_warn(
            w, "W_SWAP", "warning", "major_faults", -1, NAN, 0, "%s",
            "major page faults during measurement: the machine swapped or read files");
    if (scope)
        bench_warn(w, "W_RSS_SCOPE", "info", "peak_rss_bytes", -1, NAN, NAN, "%s",
                   "VmHWM could not be reset: peak RSS includes setup and warmups");
    if (observer)
        bench_warn(w, "W_OBSERVER", "warning", NULL, -1, NAN, 0.01, "%s",
                   "the sampler took more than 1% of wall time");
    if (trunc)
        bench_warn(
            w, "W_TRUNCATED", "warning", NULL, -1, NAN, NAN, "%s",
            "the in-memory pause cap was hit or the time series was halved 3+ times");
    if (bounded)
        bench_warn(w, "W_EVENTS_BOUNDED", "info", NULL, -1, NAN, NAN, "%s",
                   "more pauses than max_events: per-pause rows are a bounded sample");
    if (shortv)
        bench_warn(w, "W_SHORT_VALUE", "warning", "wall_ns_per_loop", -1, NAN, 1e6, "%s",
                   "a value took under 1 ms: raise --loops");
}

static void
status_warnings(json_t *result, json_t *w)
{
    static const char *const st[] = { "crashed", "timeout", "oom", "limit", "error" };
    json_t *runs = json_object_get(result, "runs"), *r;
    size_t counts[5] = { 0 }, i, total = 0;
    char text[256];
    size_t len = 0;
    json_array_foreach(runs, i, r) {
        const char *s = json_string_value(json_object_get(r, "status"));
        for (int k = 0; k < 5; k++)
            if (s && !strcmp(s, st[k])) {
                counts[k]++;
                total++;
            }
    }
    if (!total)
        return;
    len = (size_t)snprintf(text, sizeof text, "%zu runs failed:", total);
    for (int k = 0; k < 5 && len < sizeof text; k++)
        if (counts[k])
            len += (size_t)snprintf(text + len, sizeof text - len, " %zu %s", counts[k],
                                    st[k]);
    bench_warn(w, "W_FAILED_RUNS", "warning", NULL, -1, (double)total, 0, "%s", text);
}

static void
sparse_and_order(json_t *result, json_t *w)
{
    json_t *pp = json_object_get(json_object_get(result, "summary"), "pauses_pooled");
    json_t *pct = json_object_get(pp, "percentiles_ns");
    const char *order = json_string_value(json_object_get(
        json_object_get(json_object_get(result, "config"), "measurement"), "order"));
    if (json_is_null(json_object_get(pct, "p99")) && bench_jnum(pp, "count") > 0)
        bench_warn(w, "W_PERCENTILE_SPARSE", "info", "pause_p99_ns", -1,
                   bench_jnum(pp, "count"), 100, "%s",
                   "fewer than 100 pauses: p99 is undefined (null)");
    if (order && !strcmp(order, "blocked"))
        bench_warn(w, "W_BLOCKED_ORDER", "warning", NULL, -1, NAN, NAN, "%s",
                   "runs were not interleaved (order blocked): drift is not shared");
}

/* Theil-Sen slope of heap after gen2 collections, relative to its mean, per second. */
static void
steady(json_t *result, json_t *w, size_t *idx, size_t n)
{
    json_t *runs = json_object_get(result, "runs");
    char text[256];
    for (size_t i = 0; i < n; i++) {
        json_t *rows = json_object_get(
                   json_object_get(
                       json_object_get(json_array_get(runs, idx[i]), "pauses"), "events"),
                   "rows"),
               *row;
        size_t k, m = 0, cap = json_array_size(rows);
        double *x = bench_xmalloc((cap ? cap : 1) * sizeof *x),
               *y = bench_xmalloc((cap ? cap : 1) * sizeof *y);
        double slope, icpt, lo, hi;
        json_array_foreach(rows, k, row) {
            if (json_integer_value(json_array_get(row, 2)) != 2)
                continue;
            x[m] = (double)json_integer_value(json_array_get(row, 0)) / 1e9;
            y[m++] = (double)json_integer_value(json_array_get(row, 7));
        }
        if (m >= 5) {
            bs_theil_sen(x, y, m, &slope, &icpt, &lo, &hi);
            if (isfinite(slope) && slope > 0.01 * bs_mean(y, m)) {
                snprintf(text, sizeof text,
                         "heap after full collections grows %.0f bytes/s "
                         "(more than 1%%/s of its mean)",
                         slope);
                bench_warn(w, "W_NOT_STEADY", "info", NULL, (int)idx[i], slope,
                           0.01 * bs_mean(y, m), "%s", text);
                i = n;
            }
        }
        free(x);
        free(y);
    }
}

void
bench_env_warnings(json_t *result, json_t *w, size_t *idx, size_t n)
{
    host_warnings(result, w);
    run_flags(result, w, idx, n);
    status_warnings(result, w);
    sparse_and_order(result, w);
    steady(result, w, idx, n);
}
