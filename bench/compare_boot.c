/* Compare engine: host matching, bootstrap rows (pause percentiles, MMU), difference
 * rows, Holm and LBO (4.1, 4.2, 4.5, 4.7).
 * Design: docs/design/measurement.md ("Comparing").
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_internal.h"
#include "stats.h"
#include "summary.h"
#include "util.h"

static const char *
host_str(json_t *doc, const char *key)
{
    json_t *x =
        json_object_get(json_object_get(json_object_get(doc, "meta"), "host"), key);
    return json_is_string(x) ? json_string_value(x) : "";
}

int
bench_cmp_hosts(json_t *b, json_t *c, int force, json_t *warnings)
{
    int same = !strcmp(host_str(b, "fingerprint"), host_str(c, "fingerprint"));
    if (strcmp(host_str(b, "hostname"), host_str(c, "hostname")))
        bench_warn(warnings, "W_CROSS_NODE", "warning", NULL, -1, NAN, NAN, "%s",
                   "baseline and candidate ran on different hosts");
    if (same)
        return 1;
    if (force) {
        bench_warn(warnings, "W_MIXED_HOSTS", "warning", NULL, -1, NAN, NAN, "%s",
                   "compared across different host fingerprints (--force)");
        return 1;
    }
    return 0;
}

uint64_t
bench_cmp_runs_needed(const double *b, size_t nb, const double *c, size_t nc,
                      double delta)
{
    double *lb = bench_xmalloc((nb + nc + 1) * sizeof *lb), sb, sc;
    for (size_t i = 0; i < nb; i++)
        lb[i] = log(b[i]);
    for (size_t i = 0; i < nc; i++)
        lb[nb + i] = log(c[i]);
    sb = bs_stdev(lb, nb);
    sc = bs_stdev(lb + nb, nc);
    free(lb);
    return bs_runs_needed(fmax(isfinite(sb) ? sb : 0, isfinite(sc) ? sc : 0), delta);
}

/* ---- bootstrap of a group statistic over runs ---- */

typedef struct group {
    json_t *doc;
    size_t *idx, n;
} group;

static void
group_init(group *g, json_t *doc)
{
    size_t nr = json_array_size(json_object_get(doc, "runs"));
    g->doc = doc;
    g->idx = bench_xmalloc((nr ? nr : 1) * sizeof *g->idx);
    g->n = bench_ok_runs(doc, g->idx);
}

/* The group statistic over runs idx[0..n): merged-histogram percentile, max, or worst
 * MMU. NAN when undefined. */
static double
group_stat(json_t *doc, const char *metric, const size_t *idx, size_t n)
{
    double v[1024];
    if (!strncmp(metric, "mmu_", 4) || !strcmp(metric, "pause_max_ns")) {
        double worst = NAN;
        size_t k = n < 1024 ? n : 1024;
        bench_metric_values(doc, metric, idx, k, v);
        for (size_t i = 0; i < k; i++)
            if (isfinite(v[i]))
                worst = !isfinite(worst) ? v[i]
                        : !strncmp(metric, "mmu_", 4) ? fmin(worst, v[i])
                                                      : fmax(worst, v[i]);
        return worst;
    }
    {
        bs_hist h;
        uint32_t p5 = !strcmp(metric, "pause_p50_ns")   ? BS_P50
                      : !strcmp(metric, "pause_p90_ns") ? BS_P90
                      : !strcmp(metric, "pause_p99_ns") ? BS_P99
                                                        : BS_P99_9;
        double out = NAN;
        bs_hist_init(&h, 32);
        bench_pool_histograms(doc, idx, n, &h);
        if (h.total && bs_percentile_defined(h.total, p5))
            out = (double)bs_hist_percentile(&h, p5);
        bs_hist_free(&h);
        return out;
    }
}

static void
resample(const group *g, bs_rng *r, size_t *out)
{
    for (size_t i = 0; i < g->n; i++)
        out[i] = g->idx[bs_rng_below(r, g->n)];
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

unsigned
bench_cmp_resamples(json_t *doc)
{
    double r = bench_jnum(json_object_get(doc, "config"), "measurement.resamples");
    return isfinite(r) && r >= 0 && r <= 1e6 ? (unsigned)r : 10000;
}

/* W_NEEDS_RUNS over the run-level values of metric; 0 unless every value is > 0. */
static uint64_t
boot_runs_needed(json_t *b, json_t *c, const char *metric, double delta)
{
    double *vb, *vc;
    size_t nb = bench_cmp_values(b, metric, &vb, NULL);
    size_t nc = bench_cmp_values(c, metric, &vc, NULL);
    uint64_t need = 0;
    int positive = nb > 0 && nc > 0;
    for (size_t i = 0; i < nb; i++)
        positive &= vb[i] > 0;
    for (size_t i = 0; i < nc; i++)
        positive &= vc[i] > 0;
    if (positive)
        need = bench_cmp_runs_needed(vb, nb, vc, nc, delta);
    free(vb);
    free(vc);
    return need;
}

void
bench_cmp_bootstrap_row(json_t *r, const bench_metric_def *d, json_t *b, json_t *c,
                        double delta, json_t *notes)
{
    group gb, gc;
    unsigned R = bench_cmp_resamples(b) < 2000 ? bench_cmp_resamples(b) : 2000, kept = 0;
    double sb, sc, ratio, lo = NAN, hi = NAN, *rs;
    size_t *tb, *tc;
    bs_rng rng;
    bs_verdict v;
    group_init(&gb, b);
    group_init(&gc, c);
    sb = group_stat(b, d->name, gb.idx, gb.n);
    sc = group_stat(c, d->name, gc.idx, gc.n);
    ratio = sb > 0 ? sc / sb : NAN;
    tb = bench_xmalloc((gb.n + 1) * sizeof *tb);
    tc = bench_xmalloc((gc.n + 1) * sizeof *tc);
    rs = bench_xmalloc((R + 1) * sizeof *rs);
    bs_rng_seed(&rng,
                (uint64_t)json_integer_value(
                    json_object_get(json_object_get(b, "config"), "seed")),
                d->name);
    for (unsigned i = 0; i < R && gb.n && gc.n && isfinite(ratio); i++) {
        double xb, xc;
        resample(&gb, &rng, tb);
        resample(&gc, &rng, tc);
        xb = group_stat(b, d->name, tb, gb.n);
        xc = group_stat(c, d->name, tc, gc.n);
        if (xb > 0 && isfinite(xc))
            rs[kept++] = xc / xb;
    }
    if (kept >= 100) {
        qsort(rs, kept, sizeof *rs, cmp_double);
        lo = bs_quantile_sorted(rs, kept, 0.025);
        hi = bs_quantile_sorted(rs, kept, 0.975);
    }
    json_object_set_new(r, "ratio", bench_jreal(ratio));
    json_object_set_new(r, "lo", bench_jreal(lo));
    json_object_set_new(r, "hi", bench_jreal(hi));
    json_object_set_new(r, "method", json_string("bootstrap"));
    json_object_set_new(r, "t", json_null());
    json_object_set_new(r, "df", json_null());
    json_object_set_new(r, "p_welch", json_null());
    json_object_set_new(r, "p_mwu", json_null());
    json_object_set_new(r, "p_holm", json_null());
    json_object_set_new(r, "median_b", bench_jreal(sb));
    json_object_set_new(r, "median_c", bench_jreal(sc));
    v = isfinite(lo) ? bs_verdict_of(ratio, lo, hi, delta,
                                     strcmp(d->better, "higher") != 0, gb.n, gc.n)
                     : BS_INSUFFICIENT;
    if (!isfinite(ratio))
        json_array_append_new(notes, json_string("statistic undefined (too few pauses)"));
    if (v == BS_INCONCLUSIVE)
        bench_cmp_needs_runs(r, notes, boot_runs_needed(b, c, d->name, delta));
    json_object_set_new(r, "verdict", json_string(bs_verdict_name(v)));
    free(tb);
    free(tc);
    free(rs);
    free(gb.idx);
    free(gc.idx);
}
