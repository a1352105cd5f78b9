/* Findings (results-and-reports.md 7.2): plain-language sentences from rules over the
 * results, the comparisons and LBO, each with its evidence and the chart that shows it.
 * SPDX-License-Identifier: MIT */
#include "findings.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "stats.h"
#include "util.h"

static void
add(json_t *out, const char *id, const char *sev, const char *scen, const char *setting,
    const char *chart, json_t *evidence, const char *fmt, ...)
{
    char text[512], anchor[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    snprintf(anchor, sizeof anchor, "chart-%s-%s-%s", chart, scen ? scen : "all",
             setting ? setting : "all");
    json_array_append_new(out, json_pack("{s:s,s:s,s:o,s:o,s:s,s:o,s:s}", "id", id, "severity",
                                         sev, "scenario", scen ? json_string(scen) : json_null(),
                                         "setting", setting ? json_string(setting) : json_null(),
                                         "text", text, "evidence", evidence, "chart", anchor));
}

static double
med(json_t *doc, const char *metric)
{
    char path[96];
    snprintf(path, sizeof path, "%s.median", metric);
    return bench_jnum(json_object_get(json_object_get(doc, "summary"), "metrics"), path);
}

static void
sum_gen(json_t *doc, const char *key, double out[3])
{
    json_t *runs = json_object_get(doc, "runs"), *r;
    size_t i;
    out[0] = out[1] = out[2] = 0;
    json_array_foreach(runs, i, r) {
        json_t *a = json_object_get(json_object_get(json_object_get(r, "metrics"), "gc"), key);
        if (strcmp(json_string_value(json_object_get(r, "status")), "ok"))
            continue;
        for (size_t g = 0; g < 3; g++)
            out[g] += json_number_value(json_array_get(a, g));
    }
}

/* Per scenario, on the baseline setting: generation dominance, GC share, MMU, refcount
 * dominance, uncollectable objects. */
static void
baseline_rules(const bench_results *r, json_t *doc, const char *scen, const char *set,
               json_t *out)
{
    double t[3], c[3], share = med(doc, "gc_time_share"), mmu = med(doc, "mmu_10ms");
    double rc = med(doc, "frees_by_refcount"), gc = med(doc, "frees_by_gc"), u[3];
    double total;
    (void)r;
    sum_gen(doc, "time_ns", t);
    sum_gen(doc, "collections", c);
    sum_gen(doc, "uncollectable", u);
    total = t[0] + t[1] + t[2];
    for (int g = 0; g < 3 && total > 0 && share >= 0.01; g++)
        if (t[g] >= 0.5 * total)
            add(out, "F-GEN-DOMINANT", "info", scen, NULL, "gc-share",
                json_pack("{s:i,s:f,s:f,s:f}", "generation", g, "share", t[g] / total,
                          "collections_gen", c[g], "collections_all", c[0] + c[1] + c[2]),
                "gen%d collections take %.0f%% of GC time in %s (%.0f of %.0f collections).",
                g, 100 * t[g] / total, scen, c[g], c[0] + c[1] + c[2]);
    if (share >= 0.10)
        add(out, "F-GC-SHARE", "warning", scen, NULL, "gc-share",
            json_pack("{s:f,s:s}", "gc_time_share", share, "setting", set),
            "GC takes %.0f%% of run time in %s under %s (throughput %.0f%%).", 100 * share, scen,
            set, 100 * (1 - share));
    if (isfinite(mmu) && mmu < 0.5)
        add(out, "F-MMU", "warning", scen, NULL, "mmu", json_pack("{s:f}", "mmu_10ms", mmu),
            "In the worst 10 ms window %s under %s ran only %.0f%% of the time.", scen, set,
            100 * mmu);
    if (rc + gc > 0 && rc / (rc + gc) >= 0.99)
        add(out, "F-RC-DOMINANT", "info", scen, set, "frees-split",
            json_pack("{s:f}", "refcount_share", rc / (rc + gc)),
            "Refcounting freed %.1f%% of objects in %s; the collector mostly scans survivors "
            "(consider freeze or higher thresholds).", 100 * rc / (rc + gc), scen);
    if (u[0] + u[1] + u[2] > 0)
        add(out, "F-UNCOLLECTABLE", "warning", scen, set, "gc-share",
            json_pack("{s:f}", "uncollectable", u[0] + u[1] + u[2]),
            "%.0f objects were uncollectable in %s (finalizers in cycles).", u[0] + u[1] + u[2],
            scen);
}

/* Heap after gen2 collections of the representative run: Theil-Sen slope with Sen's CI. */
static void
leak_rule(json_t *doc, const char *scen, const char *set, json_t *out)
{
    int ri = bench_representative_run(doc);
    json_t *rows, *row;
    size_t n = 0, i;
    double x[4096], y[4096], slope, icpt, lo, hi, span;
    if (ri < 0)
        return;
    rows = json_object_get(json_object_get(json_object_get(
        json_array_get(json_object_get(doc, "runs"), (size_t)ri), "pauses"), "events"), "rows");
    json_array_foreach(rows, i, row) {
        if (n == 4096 || json_integer_value(json_array_get(row, 2)) != 2)
            continue;
        x[n] = (double)json_integer_value(json_array_get(row, 0)) / 1e9;
        y[n++] = (double)json_integer_value(json_array_get(row, 7));
    }
    if (n < 5)
        return;
    bs_theil_sen(x, y, n, &slope, &icpt, &lo, &hi);
    span = x[n - 1] - x[0];
    if (isfinite(lo) && lo > 0 && slope * span > 0.05 * bs_mean(y, n))
        add(out, "F-LEAK", "warning", scen, set, "heap-collections",
            json_pack("{s:f,s:f,s:f}", "slope_bytes_per_s", slope, "lo", lo, "hi", hi),
            "Heap after full collections grows %.2f MiB/s in %s under %s (CI %.2f-%.2f): a "
            "leak or an unbounded cache.", slope / 1048576, scen, set, lo / 1048576,
            hi / 1048576);
}

static void
frag_rule(json_t *doc, const char *scen, const char *set, json_t *out)
{
    int ri = bench_representative_run(doc);
    json_t *p;
    double util, peak, end, total, used;
    if (ri < 0)
        return;
    p = json_object_get(json_array_get(json_object_get(doc, "runs"), (size_t)ri), "pools");
    if (!json_is_object(p))
        return;
    peak = bench_jnum(p, "arenas_peak");
    end = bench_jnum(p, "arenas_end");
    total = bench_jnum(p, "pools_total_end");
    used = bench_jnum(p, "pools_in_use_end");
    util = total > 0 ? used / total : NAN;
    if (isfinite(util) && util < 0.5 && end == peak && end >= 4)
        add(out, "F-FRAG", "info", scen, set, "pool-util",
            json_pack("{s:f,s:f}", "pool_utilization", util, "arenas_end", end),
            "Arenas are %.0f%% used in %s under %s but none was returned: fragmentation keeps "
            "%.0f MiB resident.", 100 * util, scen, set, end * (1 - util));
}

/* ---- rules over comparison rows ---- */

static json_t *
row_of(json_t *rows, const char *scen, const char *cand, const char *metric)
{
    json_t *r;
    size_t i;
    json_array_foreach(rows, i, r)
        if (!strcmp(json_string_value(json_object_get(r, "scenario")), scen) &&
            !strcmp(json_string_value(json_object_get(r, "candidate")), cand) &&
            !strcmp(json_string_value(json_object_get(r, "metric")), metric))
            return r;
    return NULL;
}

static const char *
verdict(json_t *r)
{
    json_t *v = json_object_get(r, "verdict");
    return json_is_string(v) ? json_string_value(v) : "";
}

static int
is_sweep_point(json_t *doc)
{
    json_t *sw = json_object_get(json_object_get(json_object_get(doc, "config"), "setting"),
                                 "sweep");
    return json_is_object(sw) && json_object_size(sw) > 0;
}

static void
describe_knobs(json_t *doc, char *out, size_t n)
{
    json_t *sw = json_object_get(json_object_get(json_object_get(doc, "config"), "setting"),
                                 "sweep"), *v;
    const char *k;
    size_t len = 0;
    out[0] = 0;
    json_object_foreach(sw, k, v) {
        char val[64];
        if (json_is_integer(v))
            snprintf(val, sizeof val, "%lld", (long long)json_integer_value(v));
        else if (json_is_string(v))
            snprintf(val, sizeof val, "%s", json_string_value(v));
        else
            snprintf(val, sizeof val, "%s", json_is_true(v) ? "on" : "off");
        len += (size_t)snprintf(out + len, n > len ? n - len : 0, "%s%s=%s", len ? ", " : "",
                                k, val);
    }
}

static void
sweep_best(json_t *doc, json_t *rows, const char *scen, const char *set, json_t *out)
{
    json_t *p99 = row_of(rows, scen, set, "pause_p99_ns");
    json_t *rss = row_of(rows, scen, set, "peak_rss_bytes");
    char knobs[256];
    if (!p99 || strcmp(verdict(p99), "better"))
        return;
    describe_knobs(doc, knobs, sizeof knobs);
    add(out, "F-SWEEP-BEST", "info", scen, set, "sweep-heatmap", json_deep_copy(p99),
        "Setting %s (%s) cut the p99 pause of %s by %.0f%% (95%% CI %.0f-%.0f%%) at %+.0f%% "
        "peak RSS.", set, knobs, scen, 100 * (1 - bench_jnum(p99, "ratio")),
        100 * (1 - bench_jnum(p99, "hi")), 100 * (1 - bench_jnum(p99, "lo")),
        rss ? 100 * (bench_jnum(rss, "ratio") - 1) : NAN);
}

static void
tradeoff(json_t *rows, const char *scen, const char *set, json_t *out)
{
    static const char *const prim[] = { "wall_ns_per_loop", "pause_p99_ns", "peak_rss_bytes" };
    static const char *const word[] = { "is faster", "has a shorter p99 pause",
                                        "uses less peak RSS" };
    static const char *const bad[] = { "is slower", "has a longer p99 pause",
                                       "uses more peak RSS" };
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            json_t *ra = row_of(rows, scen, set, prim[a]), *rb = row_of(rows, scen, set, prim[b]);
            if (a == b || !ra || !rb || strcmp(verdict(ra), "better") ||
                strcmp(verdict(rb), "worse"))
                continue;
            add(out, "F-TRADEOFF", "info", scen, set, "compare-forest",
                json_pack("{s:O,s:O}", "better", ra, "worse", rb),
                "%s in %s %s (%.0f%%) but %s (%+.0f%%).", set, scen, word[a],
                100 * fabs(1 - bench_jnum(ra, "ratio")), bad[b],
                100 * (bench_jnum(rb, "ratio") - 1));
            return;
        }
}

static void
pools_rule(json_t *doc, json_t *rows, const char *scen, const char *set, json_t *out)
{
    json_t *alloc = json_object_get(json_object_get(doc, "config"), "allocator");
    json_t *r = row_of(rows, scen, set, "peak_rss_bytes");
    double mb, mc;
    if (!r || strcmp(json_string_value(json_object_get(alloc, "backend")), "private"))
        return;
    if (strcmp(verdict(r), "worse") && strcmp(verdict(r), "better"))
        return;
    mb = bench_jnum(r, "median_b");
    mc = bench_jnum(r, "median_c");
    add(out, "F-POOLS", "info", scen, set, "compare-forest", json_deep_copy(r),
        mc > mb ? "Private per-type pools kept %.1f MiB more peak RSS than shared pools in %s "
                  "(%.1f vs %.1f MiB)."
                : "Private per-type pools used %.1f MiB less peak RSS than shared pools in %s "
                  "(%.1f vs %.1f MiB).",
        fabs(mc - mb) / 1048576, scen, mc / 1048576, mb / 1048576);
}

/* Comparison verdicts on the primary metrics: better/worse/no-difference as findings,
 * inconclusive ones collected apart. */
static void
verdict_rows(json_t *rows, json_t *out, json_t *incon)
{
    static const char *const prim[] = { "wall_ns_per_loop", "pause_p99_ns", "peak_rss_bytes" };
    static const char *const name[] = { "wall time per loop", "p99 pause", "peak RSS" };
    json_t *r;
    size_t i;
    json_array_foreach(rows, i, r) {
        const char *m = json_string_value(json_object_get(r, "metric")), *v = verdict(r);
        const char *scen = json_string_value(json_object_get(r, "scenario"));
        const char *cand = json_string_value(json_object_get(r, "candidate"));
        int k;
        for (k = 0; k < 3 && strcmp(m, prim[k]); k++)
            ;
        if (k == 3)
            continue;
        if (!strcmp(v, "inconclusive")) {
            json_array_append(incon, r);
        } else if (!strcmp(v, "better") || !strcmp(v, "worse")) {
            add(out, "F-COMPARE", !strcmp(v, "worse") ? "warning" : "info", scen, cand,
                "compare-forest", json_deep_copy(r),
                "%s: %s under %s is %s than under %s: ratio %.3f (95%% CI %.3f-%.3f).", scen,
                name[k], cand, !strcmp(v, "worse") ? "worse" : "better",
                json_string_value(json_object_get(r, "baseline")), bench_jnum(r, "ratio"),
                bench_jnum(r, "lo"), bench_jnum(r, "hi"));
        } else if (!strcmp(v, "no-difference") && k == 0) {
            add(out, "F-COMPARE", "info", scen, cand, "compare-forest", json_deep_copy(r),
                "%s: no significant difference in %s between %s and %s (ratio %.3f, 95%% CI "
                "%.3f-%.3f, within +-%.0f%%).", scen, name[k], cand,
                json_string_value(json_object_get(r, "baseline")), bench_jnum(r, "ratio"),
                bench_jnum(r, "lo"), bench_jnum(r, "hi"), 100 * bench_jnum(r, "delta"));
        }
    }
}

static void
lbo_rule(const bench_results *res, json_t *lbo, json_t *out)
{
    json_t *r;
    size_t i;
    json_array_foreach(lbo, i, r) {
        double v = bench_jnum(r, "lbo");
        const char *scen = json_string_value(json_object_get(r, "scenario"));
        const char *set = json_string_value(json_object_get(r, "setting"));
        if (isfinite(v) && v >= 0.10 && res->baseline && !strcmp(set, res->baseline))
            add(out, "F-LBO", "info", scen, set, "gc-share", json_deep_copy(r),
                "%s under %s costs at least %.0f%% (95%% CI %.0f-%.0f%%) over the cheapest "
                "distilled cost (baseline: %s).", scen, set, 100 * v,
                100 * bench_jnum(r, "lo"), 100 * bench_jnum(r, "hi"),
                json_string_value(json_object_get(r, "baseline_setting")));
    }
}

static void
frontier_rule(const bench_results *r, json_t *out)
{
    json_t *sweeps = json_object_get(r->suite, "sweeps"), *sw;
    size_t i;
    json_array_foreach(sweeps, i, sw) {
        const char *scen = json_string_value(json_object_get(sw, "scenario"));
        double thr[64], p99[64], rss[64];
        int on[64];
        const char *labels[64];
        size_t n = 0, k, non = 0;
        char list[512] = "";
        for (k = 0; k < r->ndocs && n < 64; k++) {
            json_t *d = r->docs[k];
            if (strcmp(json_string_value(json_object_get(json_object_get(json_object_get(d,
                    "config"), "scenario"), "name")), scen) || !is_sweep_point(d))
                continue;
            labels[n] = json_string_value(json_object_get(json_object_get(json_object_get(d,
                "config"), "setting"), "label"));
            thr[n] = med(d, "throughput_pct");
            p99[n] = med(d, "pause_p99_ns");
            if (!isfinite(p99[n]))
                p99[n] = med(d, "pause_max_ns");
            rss[n++] = med(d, "peak_rss_bytes");
        }
        if (n < 3)
            continue;
        bs_pareto(thr, p99, rss, n, on);
        for (k = 0; k < n; k++)
            if (on[k]) {
                size_t len = strlen(list);
                snprintf(list + len, sizeof list - len, "%s%s", non++ ? ", " : "", labels[k]);
            }
        add(out, "F-FRONTIER", "info", scen, NULL, "sweep-frontier",
            json_pack("{s:i,s:i}", "on_frontier", (int)non, "points", (int)n),
            "%zu of %zu settings of sweep %s are on the trade-off frontier (throughput, p99 "
            "pause, peak RSS): %s.", non, n, json_string_value(json_object_get(sw, "name")),
            list);
    }
}

static void
unstable_rule(json_t *doc, const char *scen, const char *set, json_t *out)
{
    static const char *const codes[] = { "W_CV_HIGH", "W_MINMAX_FAR", "W_DRIFT", "W_WARMUP",
                                         "W_NONDETERMINISTIC", "W_OBSERVER", "W_FAILED_RUNS" };
    json_t *w;
    size_t i;
    json_array_foreach(json_object_get(doc, "warnings"), i, w) {
        const char *c = json_string_value(json_object_get(w, "code"));
        for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
            if (!strcmp(c, codes[k])) {
                add(out, "F-UNSTABLE", "warning", scen, set, "gc-share", json_deep_copy(w),
                    "Results for %s under %s are not clean: %s; run with more repeats or on "
                    "a quiet machine.", scen, set,
                    json_string_value(json_object_get(w, "message")));
                return;
            }
    }
}

static int
rank(const char *id)
{
    static const char *const order[] = { "F-LEAK", "F-UNCOLLECTABLE", "F-GC-SHARE", "F-MMU",
                                         "F-SWEEP-BEST", "F-TRADEOFF", "F-POOLS", "F-LBO",
                                         "F-COMPARE", "F-FRAG", "F-GEN-DOMINANT",
                                         "F-RC-DOMINANT", "F-FRONTIER", "F-UNSTABLE" };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (!strcmp(order[i], id))
            return (int)i;
    return 99;
}

static int
cmp_finding(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int rx = rank(json_string_value(json_object_get(x, "id")));
    int ry = rank(json_string_value(json_object_get(y, "id")));
    return rx - ry;
}

/* Stable order: by rule rank, then insertion order. */
static json_t *
sorted(json_t *arr)
{
    size_t n = json_array_size(arr), i;
    json_t **v = bench_xmalloc((n + 1) * sizeof *v), *out = json_array();
    for (i = 0; i < n; i++)
        v[i] = json_array_get(arr, i);
    for (i = 1; i < n; i++) /* insertion sort keeps equal ranks in order */
        for (size_t j = i; j > 0 && cmp_finding(&v[j - 1], &v[j]) > 0; j--) {
            json_t *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    for (i = 0; i < n; i++)
        json_array_append(out, v[i]);
    free(v);
    return out;
}

json_t *
bench_findings(const bench_results *r, json_t *rows, json_t *lbo)
{
    json_t *out = json_array(), *incon = json_array(), *res;
    for (size_t k = 0; k < r->ndocs; k++) {
        json_t *d = r->docs[k], *cfg = json_object_get(d, "config");
        const char *scen = json_string_value(json_object_get(json_object_get(cfg, "scenario"), "name"));
        const char *set = json_string_value(json_object_get(json_object_get(cfg, "setting"), "label"));
        int is_base = r->baseline && !strcmp(set, r->baseline);
        if (is_base)
            baseline_rules(r, d, scen, set, out);
        leak_rule(d, scen, set, out);
        if (is_base)
            frag_rule(d, scen, set, out);
        unstable_rule(d, scen, set, out);
        if (rows && !is_base) {
            if (is_sweep_point(d))
                sweep_best(d, rows, scen, set, out);
            tradeoff(rows, scen, set, out);
            pools_rule(d, rows, scen, set, out);
        }
    }
    if (rows)
        verdict_rows(rows, out, incon);
    if (lbo)
        lbo_rule(r, lbo, out);
    frontier_rule(r, out);
    res = json_pack("{s:o,s:o}", "findings", sorted(out), "inconclusive", incon);
    json_decref(out);
    return res;
}
