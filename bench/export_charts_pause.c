/* Exporter: per-scenario pause charts over pooled runs (spec 6.2; layouts in
 * scripts/gnuplot/README.md): pause-histogram, pause-nines, mmu, pause-work, and the
 * pooled-percentile helper (exact nearest rank when every run kept every event, else the
 * merged histogram's upper bound, like summary.pauses_pooled).
 * Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "result.h"
#include "summary.h"
#include "util.h"

/* ---- pooled percentiles ---- */

static unsigned
sub_buckets(json_t *doc, const size_t *idx, size_t n)
{
    json_t *runs = json_object_get(doc, "runs");
    double s =
        n ? bench_jnum(json_array_get(runs, idx[0]), "pauses.histogram.sub_buckets") : 32;
    return s == 16 || s == 64 || s == 128 ? (unsigned)s : 32;
}

void
exp_pool_init(exp_pool *p, json_t *doc, const size_t *idx, size_t n)
{
    unsigned S = sub_buckets(doc, idx, n);
    memset(p, 0, sizeof *p);
    p->nrun = n;
    p->exact = 1;
    p->vals = bench_xcalloc(n + 1, sizeof *p->vals);
    p->nvals = bench_xcalloc(n + 1, sizeof *p->nvals);
    p->hist = bench_xcalloc(n + 1, sizeof *p->hist);
    p->max = bench_xcalloc(n + 1, sizeof *p->max);
    for (size_t i = 0; i < n; i++) {
        json_t *run = exp_run(doc, (int)idx[i]), *ev = exp_events(run), *row;
        int cd = exp_col(ev, "duration_ns");
        size_t k;
        bs_hist_init(&p->hist[i], S);
        if (!bench_pool_histograms(doc, &idx[i], 1, &p->hist[i]))
            p->exact = 0;
        p->max[i] = p->hist[i].max_value;
        p->vals[i] = bench_xmalloc((json_array_size(json_object_get(ev, "rows")) + 1) *
                                   sizeof **p->vals);
        json_array_foreach(json_object_get(ev, "rows"), k, row)
            p->vals[i][p->nvals[i]++] = (uint64_t)exp_cell(row, cd);
        if (p->nvals[i] != p->hist[i].total)
            p->exact = 0;
    }
}

void
exp_pool_free(exp_pool *p)
{
    for (size_t i = 0; i < p->nrun; i++) {
        free(p->vals[i]);
        bs_hist_free(&p->hist[i]);
    }
    free(p->vals);
    free(p->nvals);
    free(p->hist);
    free(p->max);
    free(p->buf);
    memset(p, 0, sizeof *p);
}

uint64_t
exp_pool_count(exp_pool *p, const size_t *pick, size_t k)
{
    uint64_t n = 0;
    for (size_t i = 0; i < k; i++)
        n += p->hist[pick[i]].total;
    return n;
}

double
exp_pool_pct(exp_pool *p, const size_t *pick, size_t k, uint32_t p5)
{
    uint64_t n = exp_pool_count(p, pick, k), mx = 0, v;
    if (!n)
        return NAN;
    for (size_t i = 0; i < k; i++)
        mx = p->max[pick[i]] > mx ? p->max[pick[i]] : mx;
    if (p5 >= 100000u)
        return (double)mx;
    if (!bs_percentile_defined(n, p5))
        return NAN;
    if (p->exact) {
        size_t len = 0;
        if (n > p->bufcap)
            p->buf = bench_xrealloc(p->buf, (p->bufcap = n) * sizeof *p->buf);
        for (size_t i = 0; i < k; i++) {
            memcpy(p->buf + len, p->vals[pick[i]], p->nvals[pick[i]] * sizeof *p->buf);
            len += p->nvals[pick[i]];
        }
        v = bs_kth_u64(p->buf, len, bs_rank(len, p5));
    } else {
        bs_hist h;
        bs_hist_init(&h, p->hist[0].S);
        for (size_t i = 0; i < k; i++)
            bs_hist_merge(&h, &p->hist[pick[i]]);
        v = bs_hist_percentile(&h, p5);
        bs_hist_free(&h);
    }
    return (double)v;
}

/* ---- pause-histogram ---- */

static void
hist_block(exp_buf *b, json_t *doc, size_t *omitted)
{
    size_t n = 0, *idx = exp_ok_runs(doc, &n);
    bs_hist h;
    double cum = 0;
    bs_hist_init(&h, sub_buckets(doc, idx, n));
    bench_pool_histograms(doc, idx, n, &h);
    for (size_t i = 0; i < h.n; i++) {
        double frac = (double)h.rows[i].count / (double)h.total;
        cum += frac;
        if (h.rows[i].lo == 0) {
            *omitted += h.rows[i].count;
            continue;
        }
        eb_time(b, (double)h.rows[i].lo / 1e6);
        eb_time(b, ((double)h.rows[i].hi + 1) / 1e6);
        eb_int(b, (double)h.rows[i].count);
        eb_num(b, frac);
        eb_num(b, fmin(cum, 1.0));
        eb_end(b);
    }
    bs_hist_free(&h);
    free(idx);
}

void
exp_ch_pause_histogram(exp_ctx *c, const char *scen)
{
    char name[512], cap[512] = "Merged histograms of all ok runs (log2-linear bins).";
    size_t omitted = 0;
    exp_buf b;
    eb_init(&b);
    eb_header(&b, "lo_ms hi_ms count frac cum_frac");
    for (size_t j = 0; j < c->r->nset; j++) {
        json_t *doc = bench_results_find(c->r, scen, c->r->settings[j]);
        eb_block(&b, c->r->settings[j]);
        if (doc)
            hist_block(&b, doc, &omitted);
    }
    exp_omitted(cap, sizeof cap, omitted, "pauses of 0 ns");
    snprintf(name, sizeof name, "pause-histogram__%s", scen);
    exp_emit(c, "pause-histogram", scen, NULL, name, &b, 0, SIZE_MAX, cap);
    eb_free(&b);
}

/* ---- pause-nines ---- */

static const uint32_t nines_p5[] = { 50000, 90000, 99000, 99900, 99990 };

/* Bootstrap over runs of the pooled percentiles (and max, index 5): lo/hi[6]. */
static void
nines_ci(exp_pool *p, json_t *doc, const char *purpose, double *lo, double *hi)
{
    unsigned R = 1000;
    double *rs = bench_xmalloc(6 * R * sizeof *rs);
    size_t *pick = bench_xmalloc((p->nrun + 1) * sizeof *pick), kept[6] = { 0 };
    bs_rng rng;
    for (int q = 0; q < 6; q++)
        lo[q] = hi[q] = NAN;
    if (p->nrun < 5) {
        free(rs);
        free(pick);
        return;
    }
    bs_rng_seed(&rng, exp_seed(doc), purpose);
    for (unsigned i = 0; i < R; i++) {
        for (size_t k = 0; k < p->nrun; k++)
            pick[k] = (size_t)bs_rng_below(&rng, p->nrun);
        for (int q = 0; q < 6; q++) {
            double v = exp_pool_pct(p, pick, p->nrun, q < 5 ? nines_p5[q] : 100000u);
            if (isfinite(v))
                rs[q * R + kept[q]++] = v;
        }
    }
    for (int q = 0; q < 6; q++) {
        if (kept[q] < R / 2)
            continue;
        for (size_t a = 1; a < kept[q]; a++) /* insertion sort: R is small */
            for (size_t z = a; z > 0 && rs[q * R + z] < rs[q * R + z - 1]; z--) {
                double t = rs[q * R + z];
                rs[q * R + z] = rs[q * R + z - 1];
                rs[q * R + z - 1] = t;
            }
        lo[q] = bs_quantile_sorted(rs + q * R, kept[q], 0.025);
        hi[q] = bs_quantile_sorted(rs + q * R, kept[q], 0.975);
    }
    free(rs);
    free(pick);
}

static void
nines_block(exp_buf *b, json_t *doc, const char *set, size_t *omitted)
{
    size_t n = 0, *idx = exp_ok_runs(doc, &n),
           *all = bench_xmalloc((n + 1) * sizeof *all);
    exp_pool p;
    double lo[6], hi[6], cnt;
    char purpose[600];
    for (size_t i = 0; i < n; i++)
        all[i] = i;
    exp_pool_init(&p, doc, idx, n);
    cnt = (double)exp_pool_count(&p, all, n);
    snprintf(purpose, sizeof purpose, "export/pause-nines/%s", set);
    if (cnt > 0)
        nines_ci(&p, doc, purpose, lo, hi);
    for (int q = 0; q < 6 && cnt > 0; q++) {
        double v = exp_pool_pct(&p, all, n, q < 5 ? nines_p5[q] : 100000u);
        double pp = q < 5 ? nines_p5[q] / 100000.0 : 1 - 1 / cnt;
        if (!isfinite(v))
            continue;
        if (!(v > 0)) {
            (*omitted)++;
            continue;
        }
        eb_num(b, pp);
        eb_num(b, q < 5 ? -log10(1 - pp) : log10(cnt));
        eb_time(b, v / 1e6);
        eb_time(b, lo[q] / 1e6);
        eb_time(b, hi[q] / 1e6);
        eb_end(b);
    }
    exp_pool_free(&p);
    free(all);
    free(idx);
}

void
exp_ch_pause_nines(exp_ctx *c, const char *scen)
{
    char name[512], cap[512] =
                        "Pooled nearest-rank percentiles of all ok runs; last point "
                        "= max; band = bootstrap 95% CI over runs (n >= 5).";
    size_t omitted = 0;
    exp_buf b;
    eb_init(&b);
    eb_header(&b, "p nines pause_ms lo_ms hi_ms");
    for (size_t j = 0; j < c->r->nset; j++) {
        json_t *doc = bench_results_find(c->r, scen, c->r->settings[j]);
        eb_block(&b, c->r->settings[j]);
        if (doc)
            nines_block(&b, doc, c->r->settings[j], &omitted);
    }
    exp_omitted(cap, sizeof cap, omitted, "percentiles");
    snprintf(name, sizeof name, "pause-nines__%s", scen);
    exp_emit(c, "pause-nines", scen, NULL, name, &b, 0, SIZE_MAX, cap);
    eb_free(&b);
}

/* ---- mmu ---- */

static double
run_mmu(json_t *run, double w)
{
    json_t *m = json_object_get(run, "mmu"), *ws = json_object_get(m, "windows_ns");
    for (size_t i = 0; i < json_array_size(ws); i++)
        if (json_number_value(json_array_get(ws, i)) == w)
            return json_number_value(
                json_array_get(json_object_get(m, "utilization"), i));
    return NAN;
}

static void
mmu_block(exp_buf *b, json_t *doc)
{
    json_t *mw = json_object_get(json_object_get(doc, "summary"), "mmu_worst");
    json_t *ws = json_object_get(mw, "windows_ns");
    size_t n = 0, *idx = exp_ok_runs(doc, &n);
    double *v = bench_xmalloc((n + 1) * sizeof *v), maxp = NAN;
    for (size_t k = 0; k < n; k++) {
        double m = bench_jnum(exp_run(doc, (int)idx[k]), "pauses.max_ns");
        if (isfinite(m))
            maxp = isfinite(maxp) ? fmax(maxp, m) : m;
    }
    for (size_t i = 0; i < json_array_size(ws); i++) {
        double w = json_number_value(json_array_get(ws, i));
        size_t m = 0;
        for (size_t k = 0; k < n; k++) {
            double u = run_mmu(exp_run(doc, (int)idx[k]), w);
            if (isfinite(u))
                v[m++] = u;
        }
        eb_time(b, w / 1e6);
        eb_num(b,
               json_number_value(json_array_get(json_object_get(mw, "utilization"), i)));
        eb_num(b, bs_median(v, m));
        eb_time(b, maxp / 1e6);
        eb_end(b);
    }
    free(v);
    free(idx);
}

void
exp_ch_mmu(exp_ctx *c, const char *scen)
{
    char name[512];
    exp_buf b;
    eb_init(&b);
    eb_header(&b, "window_ms mmu_worst mmu_median max_pause_ms");
    for (size_t j = 0; j < c->r->nset; j++) {
        json_t *doc = bench_results_find(c->r, scen, c->r->settings[j]);
        eb_block(&b, c->r->settings[j]);
        if (doc)
            mmu_block(&b, doc);
    }
    snprintf(name, sizeof name, "mmu__%s", scen);
    exp_emit(
        c, "mmu", scen, NULL, name, &b, 0, SIZE_MAX,
        "Worst (solid) = minimum over ok runs, median (dotted) over ok runs; dashed line "
        "= the setting's longest pause.");
    eb_free(&b);
}

/* ---- pause-work ---- */

typedef struct work_fit {
    char series[300];
    int gen;
    double a, b;
} work_fit;

/* One data block: kept all/reservoir events of generation g over ok runs. Returns 1 and
 * fills f when the block has >= 2 distinct objects_examined. */
static int
work_block(exp_buf *b, json_t *doc, int g, size_t *omitted, work_fit *f)
{
    size_t n = 0, *idx = exp_ok_runs(doc, &n), m = 0, cap = 64, distinct = 0;
    double *x = bench_xmalloc(cap * sizeof *x), *y = bench_xmalloc(cap * sizeof *y);
    for (size_t k = 0; k < n; k++) {
        json_t *ev = exp_events(exp_run(doc, (int)idx[k])), *row;
        int cg = exp_col(ev, "generation"), co = exp_col(ev, "objects_examined"),
            cd = exp_col(ev, "duration_ns"), ck = exp_col(ev, "kept");
        size_t i;
        json_array_foreach(json_object_get(ev, "rows"), i, row) {
            const char *kept = exp_cells(row, ck);
            if (exp_cell(row, cg) != g ||
                (strcmp(kept, "all") && strcmp(kept, "reservoir")))
                continue;
            if (!(exp_cell(row, co) > 0) || !(exp_cell(row, cd) > 0)) {
                (*omitted)++;
                continue;
            }
            if (m == cap) {
                x = bench_xrealloc(x, (cap *= 2) * sizeof *x);
                y = bench_xrealloc(y, cap * sizeof *y);
            }
            x[m] = exp_cell(row, co);
            y[m] = exp_cell(row, cd) / 1e6;
            distinct += m && x[m] != x[0] && distinct == 0;
            eb_int(b, x[m]);
            eb_time(b, y[m]);
            eb_end(b);
            m++;
        }
    }
    f->gen = g;
    if (distinct)
        bs_ols(x, y, m, &f->a, &f->b);
    free(x);
    free(y);
    free(idx);
    return distinct > 0;
}

void
exp_ch_pause_work(exp_ctx *c, const char *scen)
{
    char name[512], cap[512] =
                        "Unbiased sample (kept all or reservoir) of every ok run; "
                        "lines: ordinary least squares per setting and generation.";
    size_t omitted = 0, nfit = 0, dense;
    work_fit *fits = bench_xcalloc(3 * c->r->nset + 1, sizeof *fits);
    exp_buf b;
    eb_init(&b);
    eb_header(&b, "objects_examined pause_ms");
    for (size_t j = 0; j < c->r->nset; j++) {
        json_t *doc = bench_results_find(c->r, scen, c->r->settings[j]);
        for (int g = 0; doc && g < 3; g++) {
            work_fit *f = &fits[nfit];
            snprintf(f->series, sizeof f->series, "%s/gen%d", c->r->settings[j], g);
            eb_block(&b, f->series);
            nfit += work_block(&b, doc, g, &omitted, f);
        }
    }
    dense = b.rows;
    eb_block(&b, "fit");
    eb_header(&b, "series gen ns_per_object intercept_ms");
    for (size_t i = 0; i < nfit && dense; i++) {
        eb_str(&b, fits[i].series);
        eb_int(&b, fits[i].gen);
        eb_num(&b, fits[i].b * 1e6);
        eb_num(&b, fits[i].a);
        eb_end(&b);
    }
    exp_omitted(cap, sizeof cap, omitted, "events with 0 objects or 0 ns");
    snprintf(name, sizeof name, "pause-work__%s", scen);
    if (dense)
        exp_emit(c, "pause-work", scen, NULL, name, &b, dense, 3000, cap);
    free(fits);
    eb_free(&b);
}
