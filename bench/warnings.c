/* Warnings of a result file (2.10): instability and environment. They never change
 * numbers; they are stored, printed and shown in the report.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "stats.h"
#include "summary.h"
#include "util.h"

void
bench_warn(json_t *arr, const char *code, const char *sev, const char *metric, int run,
     double value, double threshold, const char *fmt, const char *text)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, text ? text : "");
    json_array_append_new(
        arr,
        json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "code", code, "severity", sev,
                  "message", msg, "metric", metric ? json_string(metric) : json_null(),
                  "run", run >= 0 ? json_integer(run) : json_null(), "value",
                  bench_jreal(value), "threshold", bench_jreal(threshold)));
}

static json_t *
stat_of(json_t *result, const char *metric)
{
    return json_object_get(json_object_get(json_object_get(result, "summary"), "metrics"),
                           metric);
}

static void
spread_warnings(json_t *result, json_t *w, const char *scen)
{
    static const char *const ms[] = { "wall_ns_per_loop", "cpu_ns_per_loop" };
    char text[256];
    for (int i = 0; i < 2; i++) {
        json_t *s = stat_of(result, ms[i]);
        double mean = bench_jnum(s, "mean"), cv = bench_jnum(s, "cv");
        double mn = bench_jnum(s, "min"), mx = bench_jnum(s, "max");
        if (isfinite(cv) && cv >= 0.10) {
            snprintf(text, sizeof text,
                     "%s: %s varies by %.1f%% between runs (CV >= 10%%)", scen, ms[i],
                     100 * cv);
            bench_warn(w, "W_CV_HIGH", "warning", ms[i], -1, cv, 0.10, "%s", text);
        }
        if (isfinite(mean) && mean > 0 &&
            (fabs(mn - mean) >= 0.5 * mean || fabs(mx - mean) >= 0.5 * mean)) {
            snprintf(text, sizeof text,
                     "%s: %s min or max is 50%% or more away from the mean", scen, ms[i]);
            bench_warn(w, "W_MINMAX_FAR", "warning", ms[i], -1, mx / mean, 1.5, "%s",
                       text);
        }
    }
}

static void
few_runs(json_t *w, size_t n)
{
    char text[256];
    if (n >= 10)
        return;
    snprintf(text, sizeof text, n < 5 ? "only %zu ok runs: verdicts need 5 per side "
                                        "(insufficient-data)"
                                      : "%zu ok runs; 10 or more give tighter intervals",
             n);
    bench_warn(w, "W_FEW_RUNS", n < 5 ? "warning" : "info", NULL, -1, (double)n,
               n < 5 ? 5 : 10, "%s", text);
}

/* W_NEEDS_RUNS, per metric with a minimum effect delta > 0 (4.4): the runs per side that
 * give a 95% CI of half-width delta/2, ceil((2 x 1.96 x sd(ln x) / ln(1+delta))^2), when
 * that is more than the metric's n (its runs with a value). Skipped where ln is undefined
 * (a value <= 0) or n < 2. */
static void
needs_runs(json_t *result, json_t *w, const size_t *idx, size_t n)
{
    size_t nd;
    const bench_metric_def *defs = bench_metrics(&nd);
    double *x = bench_xmalloc((n ? n : 1) * sizeof *x);
    char text[256];
    for (size_t k = 0; k < nd; k++) {
        size_t m = 0, i;
        uint64_t need;
        if (!(defs[k].delta > 0))
            continue;
        bench_metric_values(result, defs[k].name, idx, n, x);
        for (i = 0; i < n; i++) {
            if (!isfinite(x[i]))
                continue; /* undefined in that run, e.g. a null percentile */
            if (!(x[i] > 0))
                break;
            x[m++] = log(x[i]);
        }
        if (i < n || m < 2)
            continue;
        need = bs_runs_needed(bs_stdev(x, m), defs[k].delta);
        if (need <= m)
            continue;
        snprintf(text, sizeof text,
                 "%llu runs per side would resolve a %g%% change in %s (have %zu)",
                 (unsigned long long)need, 100 * defs[k].delta, defs[k].name, m);
        bench_warn(w, "W_NEEDS_RUNS", "info", defs[k].name, -1, (double)need, (double)m,
                   "%s", text);
    }
    free(x);
}

/* W_OUTLIERS: one warning per run that some summary metric flags (modified z > 3.5, only
 * for n >= 5: the stats' `outliers`), listing those metrics. metric is that metric when
 * there is one, null when there are several. The runs are kept. */
static void
outliers(json_t *result, json_t *w, size_t nruns)
{
    json_t *summary = json_object_get(result, "summary"), *st, *o;
    json_t *metrics = json_object_get(summary, "metrics");
    const char *name, *only = NULL;
    char list[400], text[480];
    for (size_t r = 0; r < nruns; r++) {
        size_t len = 0, nm = 0, i;
        list[0] = 0;
        json_object_foreach(metrics, name, st) {
            json_array_foreach(json_object_get(st, "outliers"), i, o) {
                if ((size_t)json_integer_value(o) != r)
                    continue;
                if (len < sizeof list)
                    len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                            nm ? ", " : "", name);
                only = name;
                nm++;
                break;
            }
        }
        if (!nm)
            continue;
        snprintf(text, sizeof text,
                 "run %zu is an outlier (modified z > 3.5) in %s; kept", r, list);
        bench_warn(w, "W_OUTLIERS", "info", nm == 1 ? only : NULL, (int)r, NAN, 3.5, "%s",
                   text);
    }
}

static void
drift_warmup(json_t *result, json_t *w, size_t *idx, size_t n)
{
    json_t *runs = json_object_get(result, "runs");
    double *x = bench_xmalloc((n ? n : 1) * sizeof *x), rho;
    size_t slow = 0, with_values = 0;
    bench_metric_values(result, "wall_ns_per_loop", idx, n, x);
    rho = n >= 8 ? bs_spearman_order(x, n) : NAN;
    if (isfinite(rho) && fabs(rho) >= 0.6)
        bench_warn(w, "W_DRIFT", "warning", "wall_ns_per_loop", -1, rho, 0.6,
             "%s", "wall time drifts with run order (Spearman |rho| >= 0.6): thermal or "
             "frequency drift");
    /* W_WARMUP counts every run; with one value the first is the median, never slower. */
    for (size_t i = 0; i < n; i++) {
        json_t *vals = json_object_get(json_array_get(runs, idx[i]), "values");
        size_t k = json_array_size(vals);
        double *v, med;
        if (k == 0)
            continue;
        v = bench_xmalloc(k * sizeof *v);
        for (size_t j = 0; j < k; j++)
            v[j] = bench_jnum(json_array_get(vals, j), "wall_ns") /
                   bench_jnum(json_array_get(vals, j), "loops");
        med = bs_median(v, k);
        with_values++;
        slow += v[0] >= 1.05 * med;
        free(v);
    }
    if (with_values && slow * 5 >= with_values * 4)
        bench_warn(
            w, "W_WARMUP", "warning", "wall_ns_per_loop", -1, NAN, 0.05, "%s",
            "the first measured value is 5% or more slower than the median in most runs: "
            "raise --warmup");
    free(x);
}

/* Counter k of a run: allocations, then collections and collected of each generation. */
static const char *const fixed_counters[] = {
    "allocations",    "collections_gen0", "collections_gen1", "collections_gen2",
    "collected_gen0", "collected_gen1",   "collected_gen2",
};

static double
fixed_counter(json_t *run, int k)
{
    json_t *m = json_object_get(run, "metrics");
    if (k == 0)
        return bench_jnum(m, "allocations");
    return json_number_value(json_array_get(
        json_object_get(json_object_get(m, "gc"), k <= 3 ? "collections" : "collected"),
        (size_t)((k - 1) % 3)));
}

/* W_NONDETERMINISTIC: one warning naming every counter that a fixed seed fixes and that
 * differs between runs; metric, run, value and threshold describe the first of them
 * (the first run that differs from the first run). */
static void
determinism(json_t *result, json_t *w, size_t *idx, size_t n)
{
    json_t *runs = json_object_get(result, "runs");
    const int nk = (int)(sizeof fixed_counters / sizeof fixed_counters[0]);
    char list[256], text[400];
    size_t len = 0;
    int first = -1;
    size_t first_run = 0;
    double first_v = 0, first_ref = 0;
    list[0] = 0;
    for (int k = 0; k < nk && n; k++) {
        double ref = fixed_counter(json_array_get(runs, idx[0]), k);
        for (size_t i = 1; i < n; i++) {
            double v = fixed_counter(json_array_get(runs, idx[i]), k);
            if (v == ref)
                continue;
            if (first < 0) {
                first = k;
                first_run = idx[i];
                first_v = v;
                first_ref = ref;
            }
            if (len < sizeof list)
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                        len ? ", " : "", fixed_counters[k]);
            break;
        }
    }
    if (first < 0)
        return;
    snprintf(text, sizeof text,
             "counters that the fixed seed fixes differ between runs: %s", list);
    bench_warn(w, "W_NONDETERMINISTIC", "warning", fixed_counters[first], (int)first_run,
               first_v, first_ref, "%s", text);
}

json_t *
bench_warnings_json(json_t *result)
{
    json_t *w = json_array();
    json_t *cfg = json_object_get(result, "config");
    const char *scen =
        json_string_value(json_object_get(json_object_get(cfg, "scenario"), "name"));
    size_t nruns = json_array_size(json_object_get(result, "runs"));
    size_t *idx = bench_xmalloc((nruns ? nruns : 1) * sizeof *idx);
    size_t n = bench_ok_runs(result, idx);
    spread_warnings(result, w, scen ? scen : "?");
    few_runs(w, n);
    needs_runs(result, w, idx, n);
    outliers(result, w, nruns);
    drift_warmup(result, w, idx, n);
    determinism(result, w, idx, n);
    bench_env_warnings(result, w, idx, n);
    free(idx);
    return w;
}
