/* Pieces of the summary shared with compare and report.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_SUMMARY_H
#define BENCH_SUMMARY_H

#include <jansson.h>

#include "stats.h"

/* Merge the histograms of the given runs into h (initialized by the caller). Returns 1
 * when every run kept every event. */
int bench_pool_histograms(json_t *result, const size_t *idx, size_t n, bs_hist *h);
json_t *bench_pauses_pooled_json(json_t *result, const size_t *idx, size_t n);
json_t *bench_mmu_worst_json(json_t *result, const size_t *idx, size_t n);

/* Append a warning object (2.10); fmt has one %s for text. NAN value/threshold = null. */
void bench_warn(json_t *arr, const char *code, const char *sev, const char *metric,
                int run, double value, double threshold, const char *fmt,
                const char *text);
/* Environment and data-quality warnings (warnings_env.c). */
void bench_env_warnings(json_t *result, json_t *w, size_t *idx, size_t n);

#endif
