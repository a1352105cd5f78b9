/* Exporter: sweep charts (spec 4.8, 6.2; layouts in scripts/gnuplot/README.md), the
 * sweep-heatmap and the sweep-frontier of each sweep of the suite file (suite.json of
 * the results directory). Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "result.h"
#include "util.h"

static const char *
knob_name(json_t *sweep, int k)
{
    const char *key;
    json_t *v;
    int i = 0;
    json_object_foreach(json_object_get(sweep, "knobs"), key, v)
        if (i++ == k)
            return key;
    return NULL;
}

static void
value_text(json_t *v, char *out, size_t n)
{
    if (json_is_integer(v))
        snprintf(out, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_boolean(v))
        snprintf(out, n, "%s", json_is_true(v) ? "on" : "off");
    else if (json_is_string(v))
        snprintf(out, n, "%s", json_string_value(v));
    else
        snprintf(out, n, "NaN");
}

/* The result of the point (x, y) of the sweep (y ignored for one knob), or NULL: the
 * document of the sweep's scenario whose config.setting.sweep equals the point's
 * coordinates. */
static json_t *
point_doc(const exp_ctx *c, json_t *sweep, json_t *x, json_t *y)
{
    const char *scen = json_string_value(json_object_get(sweep, "scenario"));
    const char *k0 = knob_name(sweep, 0), *k1 = knob_name(sweep, 1);
    json_t *want = json_object(), *found = NULL;
    json_object_set(want, k0, x);
    if (k1)
        json_object_set(want, k1, y);
    for (size_t i = 0; i < c->r->ndocs && !found; i++) {
        json_t *cfg = json_object_get(c->r->docs[i], "config");
        const char *s =
            json_string_value(json_object_get(json_object_get(cfg, "scenario"), "name"));
        if (s && scen && !strcmp(s, scen) &&
            json_equal(json_object_get(json_object_get(cfg, "setting"), "sweep"), want))
            found = c->r->docs[i];
    }
    json_decref(want);
    return found;
}

static const char *
label_of(json_t *doc)
{
    return json_string_value(json_object_get(
        json_object_get(json_object_get(doc, "config"), "setting"), "label"));
}

/* ---- heatmap ---- */

static json_t *
compare_row(const exp_ctx *c, const char *scen, const char *cand, const char *metric)
{
    json_t *row;
    size_t i;
    json_array_foreach(c->compare_rows, i, row) {
        const char *s = json_string_value(json_object_get(row, "scenario"));
        const char *b = json_string_value(json_object_get(row, "baseline"));
        const char *k = json_string_value(json_object_get(row, "candidate"));
        const char *m = json_string_value(json_object_get(row, "metric"));
        if (s && b && k && m && !strcmp(s, scen) && !strcmp(b, c->r->baseline) &&
            !strcmp(k, cand) && !strcmp(m, metric))
            return row;
    }
    return NULL;
}

static void
cell_stats(const exp_ctx *c, json_t *bd, json_t *pd, const char *metric, double *v,
           const char **verdict)
{
    const bench_metric_def *d = bench_metric_find(metric);
    json_t *row = compare_row(
        c,
        json_string_value(json_object_get(
            json_object_get(json_object_get(pd, "config"), "scenario"), "name")),
        label_of(pd), metric);
    size_t nb = 0, nc = 0;
    double *b, *x;
    bs_welch w;
    if (row) {
        v[0] = bench_jnum(row, "ratio");
        v[1] = bench_jnum(row, "lo");
        v[2] = bench_jnum(row, "hi");
        *verdict = exp_or(json_string_value(json_object_get(row, "verdict")), "NaN");
        return;
    }
    b = exp_metric(bd, metric, &nb);
    x = exp_metric(pd, metric, &nc);
    if (bs_welch_log(b, nb, x, nc, &w) == 0) {
        v[0] = w.ratio, v[1] = w.lo, v[2] = w.hi;
        *verdict =
            bs_verdict_name(bs_verdict_of(w.ratio, w.lo, w.hi, d ? d->delta : 0.02,
                                          !d || strcmp(d->better, "higher"), nb, nc));
    } else {
        double mb = bs_median(b, nb), mc = bs_median(x, nc);
        v[0] = mb > 0 && mc > 0 ? mc / mb : NAN, v[1] = v[2] = NAN;
        *verdict = "insufficient-data";
    }
    free(b);
    free(x);
}

static void
heatmap_file(exp_ctx *c, json_t *sweep, json_t *bd, const char *metric)
{
    const char *scen = json_string_value(json_object_get(sweep, "scenario"));
    const char *sw = json_string_value(json_object_get(sweep, "name"));
    json_t *xs = json_object_get(json_object_get(sweep, "knobs"), knob_name(sweep, 0));
    json_t *ys = json_object_get(json_object_get(sweep, "knobs"), knob_name(sweep, 1));
    char name[600], block[300], cap[600];
    exp_buf b;
    eb_init(&b);
    eb_header(&b, "xi yi x_value y_value ratio lo hi verdict");
    snprintf(block, sizeof block, "%s,%s", knob_name(sweep, 0), knob_name(sweep, 1));
    eb_block(&b, block);
    for (size_t i = 0; i < json_array_size(xs); i++)
        for (size_t j = 0; j < json_array_size(ys); j++) {
            json_t *pd =
                point_doc(c, sweep, json_array_get(xs, i), json_array_get(ys, j));
            const char *st = pd ? exp_worst_status(pd) : NULL, *verdict = NULL;
            double v[3] = { NAN, NAN, NAN };
            char xt[64], yt[64], rt[64];
            if (!pd)
                continue;
            if (!strcmp(st, "ok"))
                cell_stats(c, bd, pd, metric, v, &verdict);
            value_text(json_array_get(xs, i), xt, sizeof xt);
            value_text(json_array_get(ys, j), yt, sizeof yt);
            snprintf(rt, sizeof rt, "%.3f", v[0]);
            eb_int(&b, (double)i);
            eb_int(&b, (double)j);
            eb_str(&b, xt);
            eb_str(&b, yt);
            eb_str(&b, isfinite(v[0]) ? rt : "NaN");
            eb_num(&b, v[1]);
            eb_num(&b, v[2]);
            eb_str(&b, verdict ? verdict : st);
            eb_end(&b);
        }
    snprintf(cap, sizeof cap,
             "%s of each point / baseline %s with its 95%% CI; a dot marks cells without "
             "a better/worse verdict; blank cells are infeasible.",
             metric, c->r->baseline);
    snprintf(name, sizeof name, "sweep-heatmap__%s__%s-%s", scen, sw, metric);
    if (exp_emit(c, "sweep-heatmap", scen, NULL, name, &b, 1, 0, cap)) {
        exp_emit_extra(c, "sweep", json_string(sw));
        exp_emit_extra(c, "metric", json_string(metric));
    }
    eb_free(&b);
}

/* sweep-heatmap__<scenario>__<sweep>-<metric>: two-knob sweeps only, metric
 * wall_ns_per_loop and pause_p99_ns; ratio vs the suite baseline from the caller's
 * compare rows when present, else Welch on logs of run-level values (4.2) with the 4.4
 * verdict; infeasible points (any non-excluded run not ok) show their worst status. */
void
exp_ch_sweep_heatmap(exp_ctx *c, json_t *sweep)
{
    const char *scen = json_string_value(json_object_get(sweep, "scenario"));
    json_t *bd =
        scen && c->r->baseline ? bench_results_find(c->r, scen, c->r->baseline) : NULL;
    if (!bd || json_object_size(json_object_get(sweep, "knobs")) != 2 ||
        !json_is_string(json_object_get(sweep, "name")))
        return;
    heatmap_file(c, sweep, bd, "wall_ns_per_loop");
    heatmap_file(c, sweep, bd, "pause_p99_ns");
}

/* ---- frontier ---- */

typedef struct front_row {
    json_t *doc;
    double tp, p99, rss;
    const char *status;
    int pareto;
} front_row;

static size_t
frontier_rows(const exp_ctx *c, json_t *sweep, front_row *rows, size_t cap)
{
    json_t *xs = json_object_get(json_object_get(sweep, "knobs"), knob_name(sweep, 0));
    json_t *ys = knob_name(sweep, 1) ? json_object_get(json_object_get(sweep, "knobs"),
                                                       knob_name(sweep, 1))
                                     : NULL;
    const char *scen = json_string_value(json_object_get(sweep, "scenario"));
    json_t *bd = c->r->baseline ? bench_results_find(c->r, scen, c->r->baseline) : NULL;
    size_t n = 0, ny = ys ? json_array_size(ys) : 1;
    for (size_t i = 0; i < json_array_size(xs); i++)
        for (size_t j = 0; j < ny && n < cap; j++) {
            json_t *pd =
                point_doc(c, sweep, json_array_get(xs, i), json_array_get(ys, j));
            if (pd)
                rows[n++].doc = pd;
        }
    if (bd && !json_is_false(json_object_get(sweep, "include_baseline")) && n < cap) {
        int dup = 0;
        for (size_t k = 0; k < n; k++)
            dup |= rows[k].doc == bd;
        if (!dup)
            rows[n++].doc = bd;
    }
    return n;
}

static void
frontier_sort(front_row *rows, size_t n)
{
    for (size_t a = 1; a < n; a++)
        for (size_t z = a; z > 0; z--) {
            double x = rows[z].tp, y = rows[z - 1].tp;
            front_row t;
            if (!(isfinite(x) && (!isfinite(y) || x < y)))
                break;
            t = rows[z], rows[z] = rows[z - 1], rows[z - 1] = t;
        }
}

static size_t
frontier_fill(front_row *rows, size_t n, size_t *dropped)
{
    double *tp = bench_xcalloc(n + 1, sizeof *tp), *p = bench_xcalloc(n + 1, sizeof *p);
    double *rs = bench_xcalloc(n + 1, sizeof *rs);
    int *on = bench_xcalloc(n + 1, sizeof *on);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        front_row *f = &rows[i];
        f->status = exp_worst_status(f->doc);
        f->tp = exp_median_metric(f->doc, "throughput_pct");
        f->p99 = exp_median_metric(f->doc, "pause_p99_ns") / 1e6;
        f->rss = exp_median_metric(f->doc, "peak_rss_bytes") / 1048576.0;
        if (!strcmp(f->status, "ok") &&
            !(isfinite(f->tp) && f->p99 > 0 && isfinite(f->rss))) {
            (*dropped)++;
            continue;
        }
        rows[m++] = *f;
    }
    for (size_t i = 0; i < m; i++) {
        int ok = !strcmp(rows[i].status, "ok");
        tp[i] = ok ? rows[i].tp : NAN, p[i] = ok ? rows[i].p99 : NAN;
        rs[i] = ok ? rows[i].rss : NAN;
    }
    bs_pareto(tp, p, rs, m, on);
    for (size_t i = 0; i < m; i++)
        rows[i].pareto = on[i];
    free(tp), free(p), free(rs), free(on);
    return m;
}

/* sweep-frontier__<scenario>__<sweep>: the points plus the baseline (unless the sweep
 * says include_baseline: false); ok rows need all three medians (rows without a p99 are
 * left out and counted in the caption). */
void
exp_ch_sweep_frontier(exp_ctx *c, json_t *sweep)
{
    const char *scen = json_string_value(json_object_get(sweep, "scenario"));
    const char *sw = json_string_value(json_object_get(sweep, "name"));
    size_t cap = c->r->ndocs + 1, dropped = 0, n;
    front_row *rows;
    char name[600], cap_text[600];
    exp_buf b;
    if (!scen || !sw || !knob_name(sweep, 0))
        return;
    rows = bench_xcalloc(cap, sizeof *rows);
    n = frontier_fill(rows, frontier_rows(c, sweep, rows, cap), &dropped);
    frontier_sort(rows, n);
    eb_init(&b);
    eb_header(&b, "setting throughput_pct p99_ms peak_rss_mib pareto status");
    eb_block(&b, sw);
    for (size_t i = 0; i < n; i++) {
        eb_str(&b, label_of(rows[i].doc));
        eb_num(&b, rows[i].tp);
        eb_time(&b, rows[i].p99);
        eb_num(&b, rows[i].rss);
        eb_int(&b, rows[i].pareto);
        eb_str(&b, rows[i].status);
        eb_end(&b);
    }
    snprintf(
        cap_text, sizeof cap_text,
        "Medians over ok runs; Pareto set = no other "
        "setting at least as good on throughput, p99 and peak RSS and better on one.");
    if (dropped)
        snprintf(cap_text + strlen(cap_text), sizeof cap_text - strlen(cap_text),
                 " %zu settings without a p99 pause left out.", dropped);
    snprintf(name, sizeof name, "sweep-frontier__%s__%s", scen, sw);
    if (exp_emit(c, "sweep-frontier", scen, NULL, name, &b, 0, SIZE_MAX, cap_text))
        exp_emit_extra(c, "sweep", json_string(sw));
    eb_free(&b);
    free(rows);
}
