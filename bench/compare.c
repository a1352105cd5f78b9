/* Compare engine: matching, per-metric method choice and verdicts (4.1-4.5).
 * Design: docs/design/measurement.md ("Comparing").
 * SPDX-License-Identifier: MIT */
#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_internal.h"
#include "result.h"
#include "stats.h"
#include "util.h"

static const char *const default_metrics[] = {
    "wall_ns_per_loop", "cpu_ns_per_loop", "peak_rss_bytes", "gc_time_share",
    "throughput_pct", "pause_p50_ns", "pause_p99_ns", "pause_max_ns", "mmu_10ms",
};

const char *const *
bench_compare_default_metrics(size_t *n)
{
    *n = sizeof default_metrics / sizeof default_metrics[0];
    return default_metrics;
}

static const char *
jget(json_t *o, const char *a, const char *b)
{
    json_t *x = json_object_get(json_object_get(o, a), b);
    return json_is_string(x) ? json_string_value(x) : "";
}

static double
min_effect(const bench_compare_opts *o, const bench_metric_def *d)
{
    for (size_t i = 0; i < o->neffects; i++)
        if (!strcmp(o->effect_names[i], d->name))
            return o->effect_values[i];
    return d->delta;
}

/* Run-level values of metric for the ok runs of doc; returns how many are finite. */
size_t
bench_cmp_values(json_t *doc, const char *metric, double **out, size_t **idx_out)
{
    size_t nr = json_array_size(json_object_get(doc, "runs")), n, m = 0;
    size_t *idx = bench_xmalloc((nr ? nr : 1) * sizeof *idx);
    double *v = bench_xmalloc((nr ? nr : 1) * sizeof *v);
    n = bench_ok_runs(doc, idx);
    bench_metric_values(doc, metric, idx, n, v);
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            v[m] = v[i];
            idx[m++] = idx[i];
        }
    *out = v;
    if (idx_out)
        *idx_out = idx;
    else
        free(idx);
    return m;
}

static int
same_experiment(json_t *b, json_t *c, char *err, size_t n)
{
    json_t *sb = json_object_get(json_object_get(b, "config"), "scenario");
    json_t *sc = json_object_get(json_object_get(c, "config"), "scenario");
    if (strcmp(jget(json_object_get(b, "config"), "scenario", "name"),
               jget(json_object_get(c, "config"), "scenario", "name")) ||
        !json_equal(json_object_get(sb, "version"), json_object_get(sc, "version")) ||
        !json_equal(json_object_get(sb, "params"), json_object_get(sc, "params"))) {
        snprintf(err, n, "not the same scenario, version and params: %s vs %s",
                 json_string_value(json_object_get(b, "id")),
                 json_string_value(json_object_get(c, "id")));
        return -1;
    }
    return 0;
}

static json_t *
row_base(json_t *b, json_t *c, const bench_metric_def *d, size_t nb, size_t nc, double mb,
         double mc, double delta)
{
    json_t *r = json_object();
    json_object_set_new(r, "scenario", json_string(jget(json_object_get(b, "config"),
                                                        "scenario", "name")));
    json_object_set_new(r, "baseline", json_string(jget(json_object_get(b, "config"),
                                                        "setting", "label")));
    json_object_set_new(r, "candidate", json_string(jget(json_object_get(c, "config"),
                                                         "setting", "label")));
    json_object_set_new(r, "metric", json_string(d->name));
    json_object_set_new(r, "unit", json_string(d->unit));
    json_object_set_new(r, "better", json_string(d->better));
    json_object_set_new(r, "n_b", json_integer((json_int_t)nb));
    json_object_set_new(r, "n_c", json_integer((json_int_t)nc));
    json_object_set_new(r, "median_b", bench_jreal(mb));
    json_object_set_new(r, "median_c", bench_jreal(mc));
    json_object_set_new(r, "delta", json_real(delta));
    return r;
}

static void
set_stats(json_t *r, const char *method, double ratio, double lo, double hi, double t,
          double df, double pw, double pm)
{
    json_object_set_new(r, "ratio", bench_jreal(ratio));
    json_object_set_new(r, "lo", bench_jreal(lo));
    json_object_set_new(r, "hi", bench_jreal(hi));
    json_object_set_new(r, "method", json_string(method));
    json_object_set_new(r, "t", bench_jreal(t));
    json_object_set_new(r, "df", bench_jreal(df));
    json_object_set_new(r, "p_welch", bench_jreal(pw));
    json_object_set_new(r, "p_mwu", bench_jreal(pm));
    json_object_set_new(r, "p_holm", json_null());
}

static int
all_positive(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(x[i] > 0))
            return 0;
    return 1;
}

static int
constant(const double *x, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (x[i] != x[0])
            return 0;
    return 1;
}

static bs_verdict
verdict_for(const bench_metric_def *d, double r, double lo, double hi, double delta,
            size_t nb, size_t nc)
{
    return bs_verdict_of(r, lo, hi, delta, strcmp(d->better, "higher") != 0, nb, nc);
}

/* Deterministic metric (no variance on either side): equal or not, no p-value (4.4). */
static void
deterministic(json_t *r, const bench_metric_def *d, double vb, double vc, size_t nb,
              size_t nc, json_t *notes)
{
    double ratio = vb != 0 ? vc / vb : NAN;
    int lower = strcmp(d->better, "higher") != 0;
    const char *v = vb == vc ? "no-difference"
                    : (vc < vb) == lower ? "better"
                                         : "worse";
    set_stats(r, "diff", ratio, ratio, ratio, NAN, NAN, NAN, NAN);
    json_object_set_new(r, "difference", bench_jreal(vc - vb));
    if (nb < 5 || nc < 5)
        v = "insufficient-data";
    json_object_set_new(r, "verdict", json_string(v));
    json_array_append_new(notes, json_string("deterministic"));
}

void
bench_cmp_needs_runs(json_t *r, json_t *notes, uint64_t runs)
{
    char t[96];
    if (!runs) /* no spread, or delta 0: no number of runs fits the band */
        return;
    if (runs > (uint64_t)INT64_MAX)
        runs = (uint64_t)INT64_MAX;
    json_object_set_new(r, "runs_needed", json_integer((json_int_t)runs));
    snprintf(t, sizeof t, "about %llu runs per side would decide it",
             (unsigned long long)runs);
    json_array_append_new(notes, json_string(t));
}

static void
welch_row(json_t *r, const bench_metric_def *d, const double *b, size_t nb,
          const double *c, size_t nc, double delta, json_t *notes)
{
    bs_welch w;
    double U, pm;
    bs_verdict v;
    int ok = bs_welch_log(b, nb, c, nc, &w);
    bs_mann_whitney(b, nb, c, nc, &U, &pm);
    set_stats(r, "welch-log", w.ratio, w.lo, w.hi, w.t, w.df, w.p, pm);
    v = ok == 0 ? verdict_for(d, w.ratio, w.lo, w.hi, delta, nb, nc) : BS_INSUFFICIENT;
    if ((v == BS_BETTER || v == BS_WORSE) && ((w.p < 0.05) != (pm < 0.05))) {
        v = BS_INCONCLUSIVE;
        json_array_append_new(notes, json_string("tests disagree"));
    }
    if (v == BS_INCONCLUSIVE && ok == 0)
        bench_cmp_needs_runs(r, notes, bench_cmp_runs_needed(b, nb, c, nc, delta));
    json_object_set_new(r, "verdict", json_string(bs_verdict_name(v)));
}

/* --paired is valid only for results of the same suite run on one host (4.1). */
static int
paired_invalid(json_t *b, json_t *c, char *err, size_t n)
{
    json_t *mb = json_object_get(b, "meta"), *mc = json_object_get(c, "meta");
    json_t *sb = json_object_get(mb, "suite_id"), *sc = json_object_get(mc, "suite_id");
    if (!json_is_string(sb) || !json_equal(sb, sc) ||
        !json_equal(json_object_get(json_object_get(mb, "host"), "fingerprint"),
                    json_object_get(json_object_get(mc, "host"), "fingerprint"))) {
        snprintf(err, n,
                 "--paired needs both results from the same suite run on one host "
                 "(same meta.suite_id and host fingerprint); %s and %s are not",
                 json_string_value(json_object_get(b, "id")),
                 json_string_value(json_object_get(c, "id")));
        return 1;
    }
    return 0;
}

int
bench_compare_results(json_t *b, json_t *c, const bench_compare_opts *o, json_t *rows,
                      json_t *warnings, char *err, size_t n)
{
    size_t nm;
    const char *const *ms = o->metrics ? o->metrics : bench_compare_default_metrics(&nm);
    int comparable;
    if (o->metrics)
        nm = o->nmetrics;
    if (same_experiment(b, c, err, n) != 0)
        return 2;
    if (o->paired && paired_invalid(b, c, err, n))
        return 2;
    comparable = bench_cmp_hosts(b, c, o->force, warnings);
    for (size_t i = 0; i < nm; i++) {
        const bench_metric_def *d = bench_metric_find(ms[i]);
        double *vb, *vc;
        size_t nb = bench_cmp_values(b, d->name, &vb, NULL);
        size_t nc = bench_cmp_values(c, d->name, &vc, NULL);
        double delta = min_effect(o, d);
        json_t *r = row_base(b, c, d, nb, nc, nb ? bs_median(vb, nb) : NAN,
                             nc ? bs_median(vc, nc) : NAN, delta);
        json_t *notes = json_array();
        if (!strncmp(d->name, "pause_", 6) || !strncmp(d->name, "mmu_", 4))
            bench_cmp_bootstrap_row(r, d, b, c, delta, notes);
        else if (nb && nc && constant(vb, nb) && constant(vc, nc))
            deterministic(r, d, vb[0], vc[0], nb, nc, notes);
        else if (o->paired && all_positive(vb, nb) && all_positive(vc, nc) &&
                 bench_cmp_paired_row(r, d, b, c, delta, notes) == 0)
            ; /* paired by round */
        else if (all_positive(vb, nb) && all_positive(vc, nc))
            welch_row(r, d, vb, nb, vc, nc, delta, notes);
        else
            bench_cmp_diff_row(r, d, b, c, notes);
        if (!comparable)
            json_object_set_new(r, "verdict", json_string("not-comparable"));
        json_object_set_new(r, "notes", notes);
        json_array_append_new(rows, r);
        free(vb);
        free(vc);
    }
    return 0;
}
