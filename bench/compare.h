/* The compare engine (results-and-reports.md 4): per-metric ratio candidate/baseline
 * with a 95% CI, Welch on logs + Mann-Whitney, bootstrap for pause percentiles and MMU,
 * differences for metrics that can be 0, verdicts with an equivalence band, Holm over
 * the family, LBO. Runs are the unit; nothing is pooled.
 * Design: docs/design/measurement.md ("Comparing").
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_COMPARE_H
#define BENCH_COMPARE_H

#include <jansson.h>

typedef struct bench_compare_opts {
    const char *const *metrics; /* NULL: the default set */
    size_t nmetrics;
    const char *const *effect_names; /* --min-effect overrides */
    const double *effect_values;
    size_t neffects;
    int force;    /* compare across host fingerprints */
    int paired;   /* --paired: per-round log differences */
} bench_compare_opts;

/* Append one row per metric comparing candidate c with baseline b (result documents of
 * the same scenario) to rows; warnings (W_MIXED_HOSTS, W_CROSS_NODE) to warnings.
 * Returns 0, or 2 with err set when the two are not the same scenario/params. */
int bench_compare_results(json_t *b, json_t *c, const bench_compare_opts *o, json_t *rows,
                          json_t *warnings, char *err, size_t n);
/* Fill p_holm over every row that has a p_welch (4.5). */
void bench_compare_holm(json_t *rows);
/* The "k of N significant; ~0.05 x N expected by chance" line. */
void bench_compare_holm_line(json_t *rows, char *out, size_t n);

/* Suite index (4.6) over rows: per (baseline, candidate, metric) with rows of two or
 * more scenarios, the geometric mean of the per-scenario ratios and its 95% bootstrap
 * CI over scenarios (null below 5), never a verdict. Seed and resamples come from
 * seed_doc's config (a baseline result; NULL: seed 0, 10000 resamples). Left out, by
 * scenario name in excluded: differences of values that include 0, undefined ratios,
 * not-comparable rows. New array of {baseline, candidate, metric, unit, better,
 * n_scenarios, geomean, lo, hi, resamples, excluded}. */
json_t *bench_compare_index(json_t *rows, json_t *seed_doc);
/* 1 when the row's notes include the string note. */
int bench_compare_row_has_note(json_t *row, const char *note);

/* LBO rows (4.7) for one scenario over its settings' results docs[0..n). New array of
 * {scenario, setting, cost_metric, lbo, lo, hi, baseline_setting}. */
json_t *bench_lbo_json(json_t *const *docs, size_t n, const char *metric);

/* The default metric list of compare. */
const char *const *bench_compare_default_metrics(size_t *n);

#endif
