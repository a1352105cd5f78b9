/* Compare engine: difference rows for metrics that can be 0, Holm over the family, and
 * LBO (4.2, 4.5, 4.7). Design: docs/design/measurement.md ("Comparing").
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_internal.h"
#include "stats.h"
#include "util.h"

static int
cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double
median_of_resample(const double *x, size_t n, bs_rng *r, double *tmp)
{
    for (size_t i = 0; i < n; i++)
        tmp[i] = x[bs_rng_below(r, n)];
    return bs_median(tmp, n);
}

void
bench_cmp_diff_row(json_t *r, const bench_metric_def *d, json_t *b, json_t *c,
                   json_t *notes)
{
    double *vb, *vc, mb, mc, lo = NAN, hi = NAN, *ds, *tmp;
    size_t nb = bench_cmp_values(b, d->name, &vb, NULL);
    size_t nc = bench_cmp_values(c, d->name, &vc, NULL);
    unsigned R = 2000, k = 0;
    const char *v = "insufficient-data";
    bs_rng rng;
    mb = nb ? bs_median(vb, nb) : NAN;
    mc = nc ? bs_median(vc, nc) : NAN;
    ds = bench_xmalloc((R + 1) * sizeof *ds);
    tmp = bench_xmalloc((nb + nc + 1) * sizeof *tmp);
    bs_rng_seed(&rng,
                (uint64_t)json_integer_value(
                    json_object_get(json_object_get(b, "config"), "seed")),
                d->name);
    for (; k < R && nb >= 2 && nc >= 2; k++)
        ds[k] =
            median_of_resample(vc, nc, &rng, tmp) - median_of_resample(vb, nb, &rng, tmp);
    if (k) {
        qsort(ds, k, sizeof *ds, cmp_d);
        lo = bs_quantile_sorted(ds, k, 0.025);
        hi = bs_quantile_sorted(ds, k, 0.975);
    }
    if (nb >= 5 && nc >= 5 && isfinite(lo)) {
        int lower = strcmp(d->better, "higher") != 0;
        if (lo > 0 || hi < 0)
            v = (hi < 0) == lower ? "better" : "worse";
        else
            v = "inconclusive";
    }
    json_object_set_new(r, "ratio", mb > 0 ? bench_jreal(mc / mb) : json_null());
    json_object_set_new(r, "lo", bench_jreal(lo));
    json_object_set_new(r, "hi", bench_jreal(hi));
    json_object_set_new(r, "method", json_string("diff"));
    json_object_set_new(r, "difference", bench_jreal(mc - mb));
    json_object_set_new(r, "t", json_null());
    json_object_set_new(r, "df", json_null());
    json_object_set_new(r, "p_welch", json_null());
    json_object_set_new(r, "p_mwu", json_null());
    json_object_set_new(r, "p_holm", json_null());
    json_object_set_new(r, "verdict", json_string(v));
    json_array_append_new(notes,
                          json_string("values include 0: difference of medians with "
                                      "a bootstrap CI (lo/hi are differences)"));
    free(vb);
    free(vc);
    free(ds);
    free(tmp);
}

void
bench_compare_holm(json_t *rows)
{
    size_t n = json_array_size(rows), i;
    double *p = bench_xmalloc((n + 1) * sizeof *p),
           *adj = bench_xmalloc((n + 1) * sizeof *adj);
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *pw = json_object_get(row, "p_welch");
        p[i] = json_is_number(pw) ? json_number_value(pw) : NAN;
    }
    bs_holm(p, n, adj);
    json_array_foreach(rows, i, row)
        json_object_set_new(row, "p_holm", bench_jreal(adj[i]));
    free(p);
    free(adj);
}

void
bench_compare_holm_line(json_t *rows, char *out, size_t n)
{
    size_t fam = 0, sig = 0, i;
    char chance[32], *end;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *ph = json_object_get(row, "p_holm");
        if (!json_is_number(ph))
            continue;
        fam++;
        sig += json_number_value(ph) < 0.05;
    }
    /* 0.05 x N has at most two decimals: print them, without trailing zeros (~0.05,
     * ~0.1, ~10.5, ~2), never rounded away. */
    snprintf(chance, sizeof chance, "%.2f", 0.05 * (double)fam);
    end = chance + strlen(chance); /* "%.2f" always has the point: the loop stops there */
    while (end[-1] == '0')
        *--end = 0;
    if (end[-1] == '.')
        end[-1] = 0;
    snprintf(out, n, "%zu of %zu tests significant after Holm; ~%s expected by chance "
             "without correction", sig, fam, chance);
}

/* ---- LBO (4.7) ---- */

/* Per ok run: cost (metric) and pause time per loop. Returns how many runs. */
static size_t
lbo_runs(json_t *doc, const char *metric, double **cost, double **pause)
{
    json_t *runs = json_object_get(doc, "runs");
    size_t nr = json_array_size(runs), *idx = bench_xmalloc((nr + 1) * sizeof *idx), n,
           m = 0;
    double *c = bench_xmalloc((nr + 1) * sizeof *c),
           *p = bench_xmalloc((nr + 1) * sizeof *p);
    n = bench_ok_runs(doc, idx);
    bench_metric_values(doc, metric, idx, n, c);
    for (size_t i = 0; i < n; i++) {
        json_t *run = json_array_get(runs, idx[i]), *v;
        size_t k;
        double loops = 0, gc = bench_jnum(run, "metrics.gc_time_ns");
        json_array_foreach(json_object_get(run, "values"), k, v)
            loops += bench_jnum(v, "loops");
        if (loops > 0 && isfinite(c[i]) && isfinite(gc)) {
            c[m] = c[i];
            p[m++] = gc / loops;
        }
    }
    free(idx);
    *cost = c;
    *pause = p;
    return m;
}

typedef struct lbo_set {
    double *cost, *pause;
    size_t n;
    int feasible;
} lbo_set;

/* LBO of every setting from medians of (possibly resampled) runs; the baseline index. */
static int
lbo_once(const lbo_set *s, size_t n, bs_rng *rng, double *lbo, double *tmp)
{
    double cost[256], pause[256];
    int feas[256];
    for (size_t i = 0; i < n && i < 256; i++) {
        for (size_t k = 0; k < s[i].n; k++)
            tmp[k] = s[i].cost[rng ? bs_rng_below(rng, s[i].n) : k];
        cost[i] = s[i].n ? bs_median(tmp, s[i].n) : NAN;
        for (size_t k = 0; k < s[i].n; k++)
            tmp[k] = s[i].pause[rng ? bs_rng_below(rng, s[i].n) : k];
        pause[i] = s[i].n ? bs_median(tmp, s[i].n) : NAN;
        feas[i] = s[i].feasible && s[i].n > 0;
    }
    return bs_lbo(cost, pause, feas, n < 256 ? n : 256, lbo);
}

json_t *
bench_lbo_json(json_t *const *docs, size_t n, const char *metric)
{
    lbo_set *s = bench_xcalloc(n + 1, sizeof *s);
    double *lbo = bench_xmalloc((n + 1) * sizeof *lbo), *tmp, **boot;
    size_t maxn = 1;
    unsigned R = 1000, kept = 0;
    int base;
    bs_rng rng;
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        s[i].n = lbo_runs(docs[i], metric, &s[i].cost, &s[i].pause);
        s[i].feasible =
            !strcmp(json_string_value(json_object_get(docs[i], "status")), "complete");
        maxn = s[i].n > maxn ? s[i].n : maxn;
    }
    tmp = bench_xmalloc(maxn * sizeof *tmp);
    base = lbo_once(s, n, NULL, lbo, tmp);
    boot = bench_xcalloc(n + 1, sizeof *boot);
    for (size_t i = 0; i < n; i++)
        boot[i] = bench_xmalloc(R * sizeof **boot);
    bs_rng_seed(&rng, n ? (uint64_t)json_integer_value(json_object_get(
                              json_object_get(docs[0], "config"), "seed")) : 0, "lbo");
    for (unsigned r = 0; r < R && base >= 0; r++) {
        double l[256];
        if (lbo_once(s, n, &rng, l, tmp) < 0)
            continue;
        for (size_t i = 0; i < n; i++)
            boot[i][kept] = l[i];
        kept++;
    }
    for (size_t i = 0; base >= 0 && i < n; i++) {
        json_t *cfg = json_object_get(docs[i], "config");
        double lo = NAN, hi = NAN;
        if (kept >= 100) {
            qsort(boot[i], kept, sizeof **boot, cmp_d);
            lo = bs_quantile_sorted(boot[i], kept, 0.025);
            hi = bs_quantile_sorted(boot[i], kept, 0.975);
        }
        json_array_append_new(
            out, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:s}", "scenario",
                           json_string_value(
                               json_object_get(json_object_get(cfg, "scenario"), "name")),
                           "setting",
                           json_string_value(
                               json_object_get(json_object_get(cfg, "setting"), "label")),
                           "cost_metric", metric, "lbo", bench_jreal(lbo[i]), "lo",
                           bench_jreal(lo), "hi", bench_jreal(hi), "baseline_setting",
                           json_string_value(json_object_get(
                               json_object_get(json_object_get(docs[base], "config"),
                                               "setting"),
                               "label"))));
    }
    for (size_t i = 0; i < n; i++) {
        free(s[i].cost);
        free(s[i].pause);
        free(boot[i]);
    }
    free(boot);
    free(s);
    free(lbo);
    free(tmp);
    return out;
}
