/* Running suite jobs. Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_SUITE_RUN_H
#define BENCH_SUITE_RUN_H

#include "runner.h"
#include "suite.h"

typedef struct bench_job_ctx {
    const char *outdir;   /* where the job's result files go */
    const char *suite_id;
    json_t *tool, *host, *env;
    int argc;
    char **argv;
    int pretty;
} bench_job_ctx;

/* Pre-flight every setting of job j: exit code 3 on an allocator mismatch, 2 for an
 * unusable pin_cpu (bench_preflight). */
int bench_job_preflight(const bench_suite *s, const bench_job *j, char (*resolved)[512]);
/* Run job j (pre-flight first, then its directory); 0, 4 (failed runs, files written),
 * 1 (I/O), 2 or 3 (pre-flight, nothing created), or 128+signal. */
int bench_job_run(const bench_suite *s, const bench_job *j, const bench_job_ctx *jc,
                  bench_runner *br);

/* Merge (5.4): fold result files into dir. inputs: result files. 0, 2 (refused), 1. */
int bench_merge_files(const char *dir, char **inputs, size_t n, int force);
/* Every result file directly inside dir (sorted); caller frees with bench_free_list. */
char **bench_list_results(const char *dir, size_t *n);
void bench_free_list(char **list, size_t n);

#endif
