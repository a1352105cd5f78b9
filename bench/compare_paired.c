/* `compare --paired` (4.1): when both sides come from the same suite rounds on the same
 * host, run r of the baseline and run r of the candidate share a time window, so the
 * per-round log differences are the sample: one-sample t (df = rounds - 1) for the ratio
 * and its CI, and the Wilcoxon signed-rank test as the distribution-free cross-check.
 * Design: docs/design/measurement.md ("Comparing").
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_internal.h"
#include "stats.h"
#include "util.h"

/* Run-level value of metric per (job, round) key, for ok runs. */
static int
round_value(json_t *doc, const char *metric, const char *job, json_int_t round,
            double *out)
{
    json_t *runs = json_object_get(doc, "runs"), *r;
    size_t i;
    json_array_foreach(runs, i, r) {
        json_t *j = json_object_get(r, "job");
        const char *js = json_is_string(j) ? json_string_value(j) : "";
        if (strcmp(json_string_value(json_object_get(r, "status")), "ok") ||
            json_integer_value(json_object_get(r, "round")) != round || strcmp(js, job))
            continue;
        bench_metric_values(doc, metric, &i, 1, out);
        return isfinite(*out) && *out > 0;
    }
    return 0;
}

/* Pairs (b_i, c_i) of runs from the same job and round; returns how many. */
size_t
bench_cmp_pairs(json_t *b, json_t *c, const char *metric, double *lb, double *lc,
                size_t cap)
{
    json_t *runs = json_object_get(b, "runs"), *r;
    size_t i, n = 0;
    json_array_foreach(runs, i, r) {
        json_t *j = json_object_get(r, "job");
        const char *js = json_is_string(j) ? json_string_value(j) : "";
        json_int_t round = json_integer_value(json_object_get(r, "round"));
        double vb, vc;
        if (n == cap || !round_value(b, metric, js, round, &vb) ||
            !round_value(c, metric, js, round, &vc))
            continue;
        lb[n] = log(vb);
        lc[n++] = log(vc);
    }
    return n;
}

/* Fill r with the paired statistics of metric; 0, or -1 when fewer than 2 pairs. */
int
bench_cmp_paired_row(json_t *r, const bench_metric_def *d, json_t *b, json_t *c,
                     double delta, json_t *notes)
{
    size_t cap = json_array_size(json_object_get(b, "runs")) + 1, n;
    double *lb = bench_xmalloc(cap * sizeof *lb), *lc = bench_xmalloc(cap * sizeof *lc);
    double *diff = bench_xmalloc(cap * sizeof *diff), mean, sd, se, t, q, p, pw;
    bs_verdict v;
    n = bench_cmp_pairs(b, c, d->name, lb, lc, cap);
    for (size_t i = 0; i < n; i++)
        diff[i] = lc[i] - lb[i];
    free(lb);
    free(lc);
    if (n < 2) {
        free(diff);
        return -1;
    }
    mean = bs_mean(diff, n);
    sd = bs_stdev(diff, n);
    se = sd / sqrt((double)n);
    t = se > 0 ? mean / se : NAN;
    q = bs_t_quantile(0.975, (double)(n - 1));
    p = se > 0 ? 2 * (1 - bs_t_cdf(fabs(t), (double)(n - 1))) : NAN;
    pw = bs_signed_rank_p(diff, n);
    free(diff);
    json_object_set_new(r, "ratio", bench_jreal(exp(mean)));
    json_object_set_new(r, "lo", bench_jreal(exp(mean - q * se)));
    json_object_set_new(r, "hi", bench_jreal(exp(mean + q * se)));
    json_object_set_new(r, "method", json_string("paired-log"));
    json_object_set_new(r, "t", bench_jreal(t));
    json_object_set_new(r, "df", json_real((double)(n - 1)));
    json_object_set_new(r, "p_welch", bench_jreal(p));
    json_object_set_new(r, "p_mwu", bench_jreal(pw));
    json_object_set_new(r, "p_holm", json_null());
    json_object_set_new(r, "n_b", json_integer((json_int_t)n));
    json_object_set_new(r, "n_c", json_integer((json_int_t)n));
    v = se > 0 ? bs_verdict_of(exp(mean), exp(mean - q * se), exp(mean + q * se), delta,
                               strcmp(d->better, "higher") != 0, n, n)
               : BS_INSUFFICIENT;
    if ((v == BS_BETTER || v == BS_WORSE) && ((p < 0.05) != (pw < 0.05))) {
        v = BS_INCONCLUSIVE;
        json_array_append_new(notes,
                              json_string(n < 6 ? "tests disagree: the signed-rank test "
                                                  "cannot reach 5% with fewer than "
                                                  "6 pairs; run more rounds"
                                                : "tests disagree"));
    }
    if (v == BS_INCONCLUSIVE) /* the W_NEEDS_RUNS formula on the sd of the differences */
        bench_cmp_needs_runs(r, notes, bs_runs_needed(sd, delta));
    json_array_append_new(notes, json_string("paired by round (p_mwu holds the Wilcoxon "
                                             "signed-rank p)"));
    json_object_set_new(r, "verdict", json_string(bs_verdict_name(v)));
    return 0;
}
