/* Pieces of the compare engine shared between its files.
 * Design: docs/design/measurement.md ("Comparing").
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_COMPARE_INTERNAL_H
#define BENCH_COMPARE_INTERNAL_H

#include <jansson.h>

#include "result.h"

/* Run-level values (finite only) of metric over doc's ok runs; caller frees *out (and
 * *idx_out when not NULL). Returns the count. */
size_t bench_cmp_values(json_t *doc, const char *metric, double **out, size_t **idx_out);
/* 1 when the hosts are comparable (same fingerprint, or forced: then W_MIXED_HOSTS);
 * W_CROSS_NODE when hostnames differ. */
int bench_cmp_hosts(json_t *b, json_t *c, int force, json_t *warnings);
/* Pause percentiles and MMU: bootstrap over runs (4.2). */
void bench_cmp_bootstrap_row(json_t *r, const bench_metric_def *d, json_t *b, json_t *c,
                             double delta, json_t *notes);
/* Metrics that can be 0: difference of medians with a bootstrap CI. */
void bench_cmp_diff_row(json_t *r, const bench_metric_def *d, json_t *b, json_t *c,
                        json_t *notes);
/* Runs per side for a CI half-width of delta/2 (W_NEEDS_RUNS formula). */
uint64_t bench_cmp_runs_needed(const double *b, size_t nb, const double *c, size_t nc,
                               double delta);
/* An inconclusive row's runs per side (0: undefined, nothing added): sets runs_needed
 * and the note "about N runs per side would decide it" (4.4). */
void bench_cmp_needs_runs(json_t *r, json_t *notes, uint64_t runs);
/* config.measurement.resamples of doc (10000 when absent or out of range). */
unsigned bench_cmp_resamples(json_t *doc);

/* --paired: per-round log differences, one-sample t and Wilcoxon signed-rank. 0, or -1
 * with fewer than 2 pairs (compare_paired.c). */
int bench_cmp_paired_row(json_t *r, const bench_metric_def *d, json_t *b, json_t *c,
                         double delta, json_t *notes);
size_t bench_cmp_pairs(json_t *b, json_t *c, const char *metric, double *lb, double *lc,
                       size_t cap);

#endif
