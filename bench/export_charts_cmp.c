/* Exporter: per-scenario summary and comparison charts (spec 6.2; layouts in
 * scripts/gnuplot/README.md): gc-share, size-classes, compare-forest, nines-ratio.
 * Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "result.h"
#include "util.h"

/* ---- gc-share ---- */

static int
gc_share_row(exp_buf *b, json_t *doc, const char *set)
{
    size_t n = 0, *idx = exp_ok_runs(doc, &n);
    double *v = bench_xmalloc((n + 1) * sizeof *v), g[3];
    json_t *ci = json_object_get(
        json_object_get(json_object_get(json_object_get(doc, "summary"), "metrics"),
                        "throughput_pct"), "ci95");
    for (int k = 0; k < 3; k++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            json_t *run = exp_run(doc, (int)idx[i]);
            double t = json_number_value(json_array_get(
                json_object_get(json_object_get(json_object_get(run, "metrics"), "gc"),
                                "time_ns"), (size_t)k));
            double w = bench_jnum(run, "metrics.wall_ns");
            if (w > 0 && isfinite(t))
                v[m++] = 100.0 * t / w;
        }
        g[k] = m ? bs_mean(v, m) : NAN;
    }
    if (n) {
        /* Means, not medians: the four parts of a stacked bar must add up to 100 %,
         * and only means are additive (throughput = 100 - the GC shares, run by run). */
        double tp = 0;
        for (size_t i = 0; i < n; i++)
            tp += bench_jnum(exp_run(doc, (int)idx[i]), "metrics.throughput_pct") /
                  (double)n;
        eb_str(b, set);
        eb_num(b, tp);
        for (int k = 0; k < 3; k++)
            eb_num(b, g[k]);
        eb_num(b, json_is_object(ci) ? bench_jnum(ci, "lo") : NAN);
        eb_num(b, json_is_object(ci) ? bench_jnum(ci, "hi") : NAN);
        eb_end(b);
    }
    free(v);
    free(idx);
    return n > 0;
}

void
exp_ch_gc_share(exp_ctx *c, const char *scen)
{
    char name[512];
    exp_buf b;
    eb_init(&b);
    eb_header(
        &b, "setting mutator_pct gen0_pct gen1_pct gen2_pct throughput_lo throughput_hi");
    eb_block(&b, scen);
    for (size_t j = 0; j < c->r->nset; j++) {
        json_t *doc = bench_results_find(c->r, scen, c->r->settings[j]);
        if (doc)
            gc_share_row(&b, doc, c->r->settings[j]);
    }
    snprintf(name, sizeof name, "gc-share__%s", scen);
    exp_emit(
        c, "gc-share", scen, NULL, name, &b, 0, SIZE_MAX,
        "Medians over ok runs; error bar = bootstrap 95% CI of the median throughput "
        "(n >= 5).");
    eb_free(&b);
}

/* ---- size-classes ---- */

static void
size_block(exp_buf *b, json_t *doc)
{
    size_t n = 0, *idx = exp_ok_runs(doc, &n), nrow = 0;
    json_t *first = json_object_get(exp_run(doc, n ? (int)idx[0] : -1), "size_classes");
    double *sum;
    nrow = json_array_size(json_object_get(first, "rows"));
    sum = bench_xcalloc(3 * nrow + 1, sizeof *sum);
    for (size_t i = 0; i < n; i++) {
        json_t *sc = json_object_get(exp_run(doc, (int)idx[i]), "size_classes");
        int ca = exp_col(sc, "allocations"), cf = exp_col(sc, "frees"),
            cl = exp_col(sc, "live_end");
        for (size_t k = 0; k < nrow; k++) {
            json_t *row = json_array_get(json_object_get(sc, "rows"), k);
            sum[3 * k] += exp_cell(row, ca);
            sum[3 * k + 1] += exp_cell(row, cf);
            sum[3 * k + 2] += exp_cell(row, cl);
        }
    }
    for (size_t k = 0; k < nrow; k++) {
        json_t *row = json_array_get(json_object_get(first, "rows"), k);
        double hi = exp_cell(row, exp_col(first, "size_hi"));
        eb_int(b, exp_cell(row, exp_col(first, "size_lo")));
        eb_int(b, k + 1 == nrow || !(hi < 1e15) ? NAN : hi);
        for (int q = 0; q < 3; q++)
            eb_int(b, sum[3 * k + (size_t)q]);
        eb_end(b);
    }
    free(sum);
    free(idx);
}

void
exp_ch_size_classes(exp_ctx *c, const char *scen)
{
    char name[512];
    exp_buf b;
    eb_init(&b);
    eb_header(&b, "size_lo size_hi allocations frees live_end");
    for (size_t j = 0; j < c->r->nset; j++) {
        json_t *doc = bench_results_find(c->r, scen, c->r->settings[j]);
        eb_block(&b, c->r->settings[j]);
        if (doc)
            size_block(&b, doc);
    }
    snprintf(name, sizeof name, "size-classes__%s", scen);
    exp_emit(c, "size-classes", scen, NULL, name, &b, 0, SIZE_MAX,
             "Summed over ok runs; zero counts are not drawn on the log axis.");
    eb_free(&b);
}

/* ---- compare-forest ---- */

static const char *
rstr(json_t *row, const char *k)
{
    json_t *v = json_object_get(row, k);
    return json_is_string(v) ? json_string_value(v) : "";
}

static double
rnum(json_t *row, const char *k)
{
    json_t *v = json_object_get(row, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static void
forest_file(exp_ctx *c, const char *scen, const char *cand)
{
    char name[512], block[600] = "", pf[64], cap[256] = "", base[300] = "";
    size_t i, omitted = 0;
    json_t *row;
    exp_buf b;
    eb_init(&b);
    eb_header(&b, "label ratio lo hi verdict p_holm delta");
    json_array_foreach(c->compare_rows, i, row) {
        char label[600];
        double ratio = rnum(row, "ratio"), lo = rnum(row, "lo"), hi = rnum(row, "hi");
        if (strcmp(rstr(row, "scenario"), scen) || strcmp(rstr(row, "candidate"), cand))
            continue;
        if (!*block) {
            snprintf(block, sizeof block, "%s-vs-%s", cand, rstr(row, "baseline"));
            snprintf(base, sizeof base, "%s", rstr(row, "baseline"));
            eb_block(&b, block);
        }
        if (!(ratio > 0)) {
            omitted++;
            continue;
        }
        snprintf(label, sizeof label, "%s/%s", scen, rstr(row, "metric"));
        snprintf(pf, sizeof pf, "%.2g", rnum(row, "p_holm"));
        eb_str(&b, label);
        eb_num(&b, ratio);
        eb_num(&b, lo > 0 && hi > 0 ? lo : NAN);
        eb_num(&b, lo > 0 && hi > 0 ? hi : NAN);
        eb_str(&b, rstr(row, "verdict"));
        eb_str(&b, isfinite(rnum(row, "p_holm")) ? pf : "NaN");
        eb_num(&b, rnum(row, "delta"));
        eb_end(&b);
    }
    if (omitted)
        snprintf(cap, sizeof cap, "%zu metrics without a defined ratio left out.",
                 omitted);
    snprintf(name, sizeof name, "compare-forest__%s__%s", scen, cand);
    if (exp_emit(c, "compare-forest", scen, cand, name, &b, 0, SIZE_MAX, cap))
        exp_emit_extra(c, "baseline", json_string(base));
    eb_free(&b);
}

/* compare-forest: one file per (scenario, candidate), compare-forest__<scenario>__<cand>,
 * from the caller's compare rows (skipped when there are none); label
 * <scenario>/<metric>, block <candidate>-vs-<baseline>. */
void
exp_ch_compare_forest(exp_ctx *c, const char *scen)
{
    if (!json_is_array(c->compare_rows))
        return;
    for (size_t j = 0; j < c->r->nset && !c->err; j++)
        forest_file(c, scen, c->r->settings[j]);
}

/* ---- nines-ratio ---- */

static const uint32_t ratio_p5[] = { 50000, 90000, 99000, 99900, 99990 };

static void
ratio_ci(exp_pool *pb, exp_pool *pc, json_t *doc, const char *purpose, double *lo,
         double *hi)
{
    enum { R = 1000 };
    double *rs = bench_xmalloc(5 * R * sizeof *rs);
    size_t *tb = bench_xmalloc((pb->nrun + 1) * sizeof *tb), kept[5] = { 0 };
    size_t *tc = bench_xmalloc((pc->nrun + 1) * sizeof *tc);
    bs_rng rng;
    bs_rng_seed(&rng, exp_seed(doc), purpose);
    for (int q = 0; q < 5; q++)
        lo[q] = hi[q] = NAN;
    for (unsigned i = 0; i < R && pb->nrun >= 2 && pc->nrun >= 2; i++) {
        for (size_t k = 0; k < pb->nrun; k++)
            tb[k] = (size_t)bs_rng_below(&rng, pb->nrun);
        for (size_t k = 0; k < pc->nrun; k++)
            tc[k] = (size_t)bs_rng_below(&rng, pc->nrun);
        for (int q = 0; q < 5; q++) {
            double xb = exp_pool_pct(pb, tb, pb->nrun, ratio_p5[q]);
            double xc = exp_pool_pct(pc, tc, pc->nrun, ratio_p5[q]);
            if (xb > 0 && isfinite(xc))
                rs[q * R + kept[q]++] = xc / xb;
        }
    }
    for (int q = 0; q < 5; q++) {
        double *s = rs + q * R;
        if (kept[q] < 100)
            continue;
        for (size_t a = 1; a < kept[q]; a++)
            for (size_t z = a; z > 0 && s[z] < s[z - 1]; z--) {
                double t = s[z];
                s[z] = s[z - 1];
                s[z - 1] = t;
            }
        lo[q] = bs_quantile_sorted(s, kept[q], 0.025);
        hi[q] = bs_quantile_sorted(s, kept[q], 0.975);
    }
    free(rs);
    free(tb);
    free(tc);
}

static void
ratio_block(exp_buf *b, json_t *bd, json_t *cd, const char *set, size_t *omitted)
{
    size_t nb = 0, nc = 0, *ib = exp_ok_runs(bd, &nb), *ic = exp_ok_runs(cd, &nc);
    size_t *all = bench_xmalloc((nb + nc + 1) * sizeof *all);
    exp_pool pb, pc;
    double lo[5], hi[5];
    char purpose[600];
    for (size_t i = 0; i < nb + nc; i++)
        all[i] = i;
    exp_pool_init(&pb, bd, ib, nb);
    exp_pool_init(&pc, cd, ic, nc);
    snprintf(purpose, sizeof purpose, "export/nines-ratio/%s", set);
    ratio_ci(&pb, &pc, bd, purpose, lo, hi);
    for (int q = 0; q < 5; q++) {
        double xb = exp_pool_pct(&pb, all, nb, ratio_p5[q]);
        double xc = exp_pool_pct(&pc, all, nc, ratio_p5[q]), p = ratio_p5[q] / 100000.0;
        if (!isfinite(xb) || !isfinite(xc))
            continue;
        if (!(xb > 0 && xc > 0)) {
            (*omitted)++;
            continue;
        }
        eb_num(b, p);
        eb_num(b, -log10(1 - p));
        eb_num(b, xc / xb);
        eb_num(b, lo[q] > 0 ? lo[q] : NAN);
        eb_num(b, hi[q] > 0 ? hi[q] : NAN);
        eb_num(b, q == 0 ? 0.05 : 0.10);
        eb_end(b);
    }
    exp_pool_free(&pb);
    exp_pool_free(&pc);
    free(all);
    free(ib);
    free(ic);
}

/* nines-ratio: one file per scenario, block per setting (the baseline's empty), computed
 * here from the result files against the results set's baseline (bootstrap over runs of
 * both sides, 1000 resamples, seeded from the baseline's config.seed), so `export` draws
 * it without a compare step. */
void
exp_ch_nines_ratio(exp_ctx *c, const char *scen)
{
    char name[512], cap[600];
    const char *base = c->r->baseline;
    json_t *bd = base ? bench_results_find(c->r, scen, base) : NULL;
    size_t omitted = 0;
    exp_buf b;
    if (!bd)
        return;
    snprintf(cap, sizeof cap, "Each setting vs the baseline %s: ratio of pooled "
             "percentiles, bootstrap 95%% CI over runs; band = minimum effect.", base);
    eb_init(&b);
    eb_header(&b, "p nines ratio lo hi delta");
    for (size_t j = 0; j < c->r->nset; j++) {
        json_t *doc = bench_results_find(c->r, scen, c->r->settings[j]);
        eb_block(&b, c->r->settings[j]);
        if (doc && doc != bd)
            ratio_block(&b, bd, doc, c->r->settings[j], &omitted);
    }
    exp_omitted(cap, sizeof cap, omitted, "percentiles");
    snprintf(name, sizeof name, "nines-ratio__%s", scen);
    if (exp_emit(c, "nines-ratio", scen, NULL, name, &b, 0, SIZE_MAX, cap))
        exp_emit_extra(c, "baseline", json_string(base));
    eb_free(&b);
}
