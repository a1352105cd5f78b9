/* Warnings of a result file (2.10): instability and environment. They never change
 * numbers; they are stored, printed and shown in the report.
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
    json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "code", code,
                                         "severity", sev, "message", msg, "metric",
                                         metric ? json_string(metric) : json_null(), "run",
                                         run >= 0 ? json_integer(run) : json_null(), "value",
                                         bench_jreal(value), "threshold",
                                         bench_jreal(threshold)));
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
            snprintf(text, sizeof text, "%s: %s varies by %.1f%% between runs (CV >= 10%%)",
                     scen, ms[i], 100 * cv);
            bench_warn(w, "W_CV_HIGH", "warning", ms[i], -1, cv, 0.10, "%s", text);
        }
        if (isfinite(mean) && mean > 0 &&
            (fabs(mn - mean) >= 0.5 * mean || fabs(mx - mean) >= 0.5 * mean)) {
            snprintf(text, sizeof text, "%s: %s min or max is 50%% or more away from the mean",
                     scen, ms[i]);
            bench_warn(w, "W_MINMAX_FAR", "warning", ms[i], -1, mx / mean, 1.5, "%s", text);
        }
    }
}

static void
runs_warnings(json_t *result, json_t *w, size_t *idx, size_t n)
{
    char text[256];
    json_t *wall = stat_of(result, "wall_ns_per_loop");
    double sd = NAN;
    if (n < 10) {
        snprintf(text, sizeof text, n < 5 ? "only %zu ok runs: verdicts need 5 per side "
                                            "(insufficient-data)"
                                          : "%zu ok runs; 10 or more give tighter intervals",
                 n);
        bench_warn(w, "W_FEW_RUNS", n < 5 ? "warning" : "info", NULL, -1, (double)n,
                   n < 5 ? 5 : 10, "%s", text);
    }
    if (n >= 2) {
        double *x = bench_xmalloc(n * sizeof *x);
        bench_metric_values(result, "wall_ns_per_loop", idx, n, x);
        for (size_t i = 0; i < n; i++)
            x[i] = log(x[i]);
        sd = bs_stdev(x, n);
        free(x);
    }
    if (isfinite(sd)) {
        uint64_t need = bs_runs_needed(sd, 0.02);
        if (need > n) {
            snprintf(text, sizeof text, "%llu runs per side would resolve a 2%% change in "
                     "wall_ns_per_loop (have %zu)", (unsigned long long)need, n);
            bench_warn(w, "W_NEEDS_RUNS", "info", "wall_ns_per_loop", -1, (double)need, (double)n,
                 "%s", text);
        }
    }
    {
        json_t *out = json_object_get(wall, "outliers"), *o;
        size_t i;
        json_array_foreach(out, i, o) {
            snprintf(text, sizeof text, "run %lld is an outlier in wall_ns_per_loop "
                     "(modified z > 3.5); kept", (long long)json_integer_value(o));
            bench_warn(w, "W_OUTLIERS", "info", "wall_ns_per_loop", (int)json_integer_value(o), NAN,
                 3.5, "%s", text);
        }
    }
}

static void
drift_warmup(json_t *result, json_t *w, size_t *idx, size_t n)
{
    json_t *runs = json_object_get(result, "runs");
    double *x = bench_xmalloc((n ? n : 1) * sizeof *x), rho;
    size_t slow = 0, with_many = 0;
    bench_metric_values(result, "wall_ns_per_loop", idx, n, x);
    rho = n >= 8 ? bs_spearman_order(x, n) : NAN;
    if (isfinite(rho) && fabs(rho) >= 0.6)
        bench_warn(w, "W_DRIFT", "warning", "wall_ns_per_loop", -1, rho, 0.6,
             "%s", "wall time drifts with run order (Spearman |rho| >= 0.6): thermal or "
             "frequency drift");
    for (size_t i = 0; i < n; i++) {
        json_t *vals = json_object_get(json_array_get(runs, idx[i]), "values");
        size_t k = json_array_size(vals);
        double *v, med;
        if (k < 3)
            continue;
        v = bench_xmalloc(k * sizeof *v);
        for (size_t j = 0; j < k; j++)
            v[j] = bench_jnum(json_array_get(vals, j), "wall_ns") /
                   bench_jnum(json_array_get(vals, j), "loops");
        med = bs_median(v, k);
        with_many++;
        slow += v[0] >= 1.05 * med;
        free(v);
    }
    if (with_many && slow * 5 >= with_many * 4)
        bench_warn(w, "W_WARMUP", "warning", "wall_ns_per_loop", -1, NAN, 0.05, "%s",
             "the first measured value is 5% or more slower than the median in most runs: "
             "raise --warmup");
    free(x);
}

static void
determinism(json_t *result, json_t *w, size_t *idx, size_t n)
{
    static const char *const ms[] = { "allocations", "collections_gen0", "collections_gen2" };
    double *x = bench_xmalloc((n ? n : 1) * sizeof *x);
    for (int k = 0; k < 3; k++) {
        bench_metric_values(result, ms[k], idx, n, x);
        for (size_t i = 1; i < n; i++)
            if (x[i] != x[0]) {
                bench_warn(w, "W_NONDETERMINISTIC", "warning", ms[k], (int)idx[i], x[i], x[0],
                     "%s", "counters that the fixed seed fixes differ between runs");
                k = 3;
                break;
            }
    }
    free(x);
}

json_t *
bench_warnings_json(json_t *result)
{
    json_t *w = json_array();
    json_t *cfg = json_object_get(result, "config");
    const char *scen = json_string_value(json_object_get(json_object_get(cfg, "scenario"), "name"));
    size_t nruns = json_array_size(json_object_get(result, "runs"));
    size_t *idx = bench_xmalloc((nruns ? nruns : 1) * sizeof *idx);
    size_t n = bench_ok_runs(result, idx);
    spread_warnings(result, w, scen ? scen : "?");
    runs_warnings(result, w, idx, n);
    drift_warmup(result, w, idx, n);
    determinism(result, w, idx, n);
    bench_env_warnings(result, w, idx, n);
    free(idx);
    return w;
}
