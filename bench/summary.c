/* The summary of a result file (2.9): run-level values -> stat objects, pooled pause
 * percentiles, worst MMU. Statistics use runs as the unit, never pooled values.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "stats.h"
#include "summary.h"
#include "util.h"

static const bench_metric_def metric_defs[] = {
    { "wall_ns_per_loop", "ns", "lower", 1, 0.02 },
    { "cpu_ns_per_loop", "ns", "lower", 1, 0.02 },
    { "peak_rss_bytes", "bytes", "lower", 1, 0.02 },
    { "gc_time_share", "ratio", "lower", 1, 0.05 },
    { "throughput_pct", "percent", "higher", 1, 0.01 },
    { "pause_p50_ns", "ns", "lower", 1, 0.05 },
    { "pause_p99_ns", "ns", "lower", 1, 0.10 },
    { "pause_max_ns", "ns", "lower", 1, 0.10 },
    { "pause_p90_ns", "ns", "lower", 0, 0.10 },
    { "pause_p99_9_ns", "ns", "lower", 0, 0.10 },
    { "gc_time_ns", "ns", "lower", 0, 0.05 },
    { "collections_gen0", "count", "none", 0, 0 },
    { "collections_gen1", "count", "none", 0, 0 },
    { "collections_gen2", "count", "none", 0, 0 },
    { "frees_by_gc", "count", "none", 0, 0 },
    { "frees_by_refcount", "count", "none", 0, 0 },
    { "allocations", "count", "none", 0, 0 },
    { "bytes_allocated", "bytes", "none", 0, 0 },
    { "mmu_1ms", "ratio", "higher", 0, 0.05 },
    { "mmu_10ms", "ratio", "higher", 0, 0.05 },
    { "mmu_100ms", "ratio", "higher", 0, 0.05 },
    { "major_faults", "count", "lower", 0, 0 },
    { "cpu_sys_ns", "ns", "lower", 0, 0.02 },
};

const bench_metric_def *
bench_metrics(size_t *n)
{
    *n = sizeof metric_defs / sizeof metric_defs[0];
    return metric_defs;
}

const bench_metric_def *
bench_metric_find(const char *name)
{
    for (size_t i = 0; i < sizeof metric_defs / sizeof metric_defs[0]; i++)
        if (!strcmp(metric_defs[i].name, name))
            return &metric_defs[i];
    return NULL;
}

static double
per_loop(json_t *run, const char *key)
{
    json_t *values = json_object_get(run, "values"), *v;
    size_t i, n = 0;
    double sum = 0;
    json_array_foreach(values, i, v) {
        double loops = bench_jnum(v, "loops"), x = bench_jnum(v, key);
        if (loops > 0 && isfinite(x)) {
            sum += x / loops;
            n++;
        }
    }
    return n ? sum / (double)n : NAN;
}

static double
mmu_at(json_t *run, double window_ns)
{
    json_t *mmu = json_object_get(run, "mmu");
    json_t *w = json_object_get(mmu, "windows_ns"),
           *u = json_object_get(mmu, "utilization");
    for (size_t i = 0; i < json_array_size(w); i++)
        if (json_number_value(json_array_get(w, i)) == window_ns)
            return json_number_value(json_array_get(u, i));
    return NAN;
}

static double
run_value(json_t *run, const char *m)
{
    static const char *const by_generation[] = { "collections_gen0", "collections_gen1",
                                        "collections_gen2" };
    if (!strcmp(m, "wall_ns_per_loop"))
        return per_loop(run, "wall_ns");
    if (!strcmp(m, "cpu_ns_per_loop"))
        return per_loop(run, "cpu_ns");
    if (!strncmp(m, "pause_", 6)) {
        char key[32];
        size_t len = strlen(m) - 6 - 3; /* strip "pause_" and "_ns" */
        if (len >= sizeof key)
            return NAN;
        memcpy(key, m + 6, len);
        key[len] = 0;
        return bench_jnum(
            json_object_get(json_object_get(run, "pauses"), "percentiles_ns"), key);
    }
    for (int g = 0; g < 3; g++)
        if (!strcmp(m, by_generation[g]))
            return json_number_value(json_array_get(
                json_object_get(json_object_get(json_object_get(run, "metrics"), "gc"),
                                "collections"),
                (size_t)g));
    if (!strcmp(m, "mmu_1ms"))
        return mmu_at(run, 1e6);
    if (!strcmp(m, "mmu_10ms"))
        return mmu_at(run, 1e7);
    if (!strcmp(m, "mmu_100ms"))
        return mmu_at(run, 1e8);
    return bench_jnum(json_object_get(run, "metrics"), m);
}

int
bench_metric_values(json_t *result, const char *metric, const size_t *idx, size_t n,
                    double *out)
{
    json_t *runs = json_object_get(result, "runs");
    if (!bench_metric_find(metric))
        return -1;
    for (size_t i = 0; i < n; i++)
        out[i] = run_value(json_array_get(runs, idx[i]), metric);
    return 0;
}

static json_t *
stat_json(const bench_metric_def *d, const double *all, const size_t *idx, size_t nall,
          uint64_t seed, unsigned resamples)
{
    double *x = bench_xmalloc((nall ? nall : 1) * sizeof *x), lo, hi, mean, sd;
    size_t *pos = bench_xmalloc((nall ? nall : 1) * sizeof *pos), n = 0, *out, nout;
    json_t *o, *outl = json_array(), *ci = json_null();
    char purpose[64];
    bs_rng rng;
    for (size_t i = 0; i < nall; i++)
        if (isfinite(all[i])) {
            pos[n] = idx[i];
            x[n++] = all[i];
        }
    mean = n ? bs_mean(x, n) : NAN;
    sd = bs_stdev(x, n);
    snprintf(purpose, sizeof purpose, "bootstrap:%s", d->name);
    bs_rng_seed(&rng, seed, purpose);
    out = bench_xmalloc((n ? n : 1) * sizeof *out);
    nout = bs_outliers(x, n, out);
    for (size_t i = 0; i < nout; i++)
        json_array_append_new(outl, json_integer((json_int_t)pos[out[i]]));
    if (n >= 5 && resamples > 0) {
        bs_bootstrap_median_ci(x, n, resamples, &rng, &lo, &hi);
        if (isfinite(lo) && isfinite(hi))
            ci = json_pack("{s:f,s:f,s:f,s:s,s:s,s:i}", "level", 0.95, "lo", lo, "hi", hi,
                           "statistic", "median", "method", "bootstrap-percentile",
                           "resamples", (int)resamples);
    }
    {
        double mn = INFINITY, mx = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            mn = x[i] < mn ? x[i] : mn;
            mx = x[i] > mx ? x[i] : mx;
        }
        o = json_pack(
            "{s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "unit", d->unit, "better",
            d->better, "n", (json_int_t)n, "mean", bench_jreal(mean), "median",
            bench_jreal(n ? bs_median(x, n) : NAN), "stdev", bench_jreal(sd), "min",
            bench_jreal(n ? mn : NAN), "max", bench_jreal(n ? mx : NAN), "cv",
            bench_jreal(mean != 0 ? sd / mean : NAN), "ci95", ci, "outliers", outl);
    }
    free(x);
    free(pos);
    free(out);
    return o;
}

static json_t *
metrics_json(json_t *result, const size_t *idx, size_t n)
{
    size_t nd;
    const bench_metric_def *defs = bench_metrics(&nd);
    json_t *config = json_object_get(result, "config");
    uint64_t seed = (uint64_t)json_integer_value(json_object_get(config, "seed"));
    double rs = bench_jnum(config, "measurement.resamples");
    unsigned resamples = isfinite(rs) && rs >= 0 ? (unsigned)rs : 10000;
    double *v = bench_xmalloc((n ? n : 1) * sizeof *v);
    json_t *o = json_object();
    for (size_t k = 0; k < nd; k++) {
        bench_metric_values(result, defs[k].name, idx, n, v);
        json_object_set_new(o, defs[k].name,
                            stat_json(&defs[k], v, idx, n, seed, resamples));
    }
    free(v);
    return o;
}

json_t *
bench_summary_json(json_t *result)
{
    json_t *runs = json_object_get(result, "runs"), *run, *excluded = json_array(), *o;
    size_t nruns = json_array_size(runs),
           *idx = bench_xmalloc((nruns ? nruns : 1) * sizeof *idx);
    size_t n = bench_ok_runs(result, idx), i, failed = 0;
    json_array_foreach(runs, i, run) {
        json_t *ex = json_object_get(run, "excluded");
        if (ex && !json_is_null(ex))
            json_array_append_new(excluded, json_integer((json_int_t)i));
        else if (strcmp(json_string_value(json_object_get(run, "status")), "ok"))
            failed++;
    }
    o = json_pack("{s:I,s:I,s:o,s:o,s:o,s:o}", "runs_ok", (json_int_t)n, "runs_failed",
                  (json_int_t)failed, "runs_excluded", excluded, "metrics",
                  metrics_json(result, idx, n), "pauses_pooled",
                  bench_pauses_pooled_json(result, idx, n), "mmu_worst",
                  bench_mmu_worst_json(result, idx, n));
    free(idx);
    return o;
}
