/* Result files (mmbench/result/v1): building, summarizing, warnings, reading back.
 * Contract: results-and-reports.md 2, 3 and result.schema.json.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_RESULT_H
#define BENCH_RESULT_H

#include <time.h>

#include <jansson.h>

#include "experiment.h"

#define BENCH_RESULT_SCHEMA "mmbench/result/v1"
#define BENCH_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10))

typedef struct bench_result_ctx {
    json_t *tool, *host, *env; /* borrowed */
    const char *suite_id;      /* or NULL */
    const char *baseline;      /* baseline label or NULL */
    int argc;
    char **argv;
    struct timespec started, finished;
} bench_result_ctx;

/* A complete result file for experiment e from its runs (stolen). New reference. */
json_t *bench_result_build(const bench_experiment *e, const bench_result_ctx *ctx,
                           const char *resolved, json_t *runs);

/* Recompute index numbering, status, summary and warnings from runs and meta/config
 * (used after building, merging and excluding). */
void bench_result_finish(json_t *result);

/* Summary (2.9) of a result's runs. New reference. */
json_t *bench_summary_json(json_t *result);
/* Warnings (2.10) of a result whose summary is filled. New reference (array). */
json_t *bench_warnings_json(json_t *result);

/* Helpers: a number at a dotted path ("metrics.peak_rss_bytes"), NAN if absent/null. */
double bench_jnum(json_t *o, const char *path);
/* json_real, or null when not finite (section 1). */
json_t *bench_jreal(double v);

/* Ok, non-excluded runs of a result: fills idx (capacity = number of runs) with run
 * positions and returns how many. */
size_t bench_ok_runs(json_t *result, size_t *idx);

/* Run-level values of a summary metric for the given runs (NAN where undefined);
 * returns 0, or -1 for an unknown metric. */
int bench_metric_values(json_t *result, const char *metric, const size_t *idx, size_t n,
                        double *out);

/* Metric catalogue: name, unit, better; NULL-terminated iteration. */
typedef struct bench_metric_def {
    const char *name, *unit, *better;
    int required;
    double delta; /* default minimum effect of interest (4.4) */
} bench_metric_def;
const bench_metric_def *bench_metrics(size_t *n);
const bench_metric_def *bench_metric_find(const char *name);

/* Read and validate a result file (2, 8.3). Returns the document, or NULL after
 * writing "path: /pointer: problem" into err. */
json_t *bench_result_load(const char *path, char *err, size_t n);
/* Validate an in-memory document; 0 or -1 with the JSON pointer in err. */
int bench_result_validate(json_t *doc, char *err, size_t n);

#endif
