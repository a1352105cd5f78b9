/* Suite files (mmbench/suite/v1, results-and-reports.md 5.2), their jobs (5.3) and the
 * results directory with its index (5.1). Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_SUITE_H
#define BENCH_SUITE_H

#include <jansson.h>

#include "experiment.h"

typedef struct bench_suite_scenario {
    const scenario *sc;
    sc_values params;
} bench_suite_scenario;

/* One job: one scenario with its settings, interleaved on one host (5.3). */
typedef struct bench_job {
    char id[BENCH_NAME_MAX + 1];
    size_t scen;        /* index into scen[] */
    size_t *settings;   /* indexes into settings[], baseline first */
    size_t nsettings;
} bench_job;

/* A sweep: its points are settings[first .. first+count) of scenario scen. */
typedef struct bench_sweep {
    char name[BENCH_NAME_MAX + 1];
    size_t scen, first, count;
} bench_sweep;

typedef struct bench_suite {
    char name[BENCH_NAME_MAX + 1];
    char baseline[BENCH_NAME_MAX + 1];
    bench_suite_scenario *scen;
    size_t nscen;
    bench_setting *settings; /* declared settings, then every sweep point */
    size_t nsettings, ndeclared;
    bench_sweep *sweeps;
    size_t nsweeps;
    bench_job *jobs;
    size_t njobs;
    bench_measure m;
    uint64_t seed;
    int hf_enabled;
    uint32_t hf_runs, hf_warmup;
    json_t *doc;             /* the file as read */
    char sha8[9];            /* first 8 hex of the file's sha256 */
} bench_suite;

/* Load and validate; errors name the file and JSON pointer. 0 or -1. */
int bench_suite_load(const char *path, bench_suite *s, char *err, size_t n);
void bench_suite_free(bench_suite *s);
/* The experiment of (scenario, setting label) in a suite file. 0 or -1. */
int bench_suite_experiment(const char *path, const char *scenario, const char *label,
                           bench_experiment *e, char *err, size_t n);
/* Fill e for job j's k-th setting. */
void bench_suite_job_experiment(const bench_suite *s, const bench_job *j, size_t k,
                                bench_experiment *e);
/* Find a job by id (NULL if none). */
const bench_job *bench_suite_find_job(const bench_suite *s, const char *id);

/* Rebuild DIR/index.json from the result files in DIR (5.1). 0 or 1. */
int bench_index_rebuild(const char *dir, const char *suite_id, const char *baseline);

/* Internal to suite.c / suite_jobs.c: sweeps into settings, settings into jobs. */
int bench_suite_parse_sweeps(json_t *arr, bench_suite *s, char *err, size_t n);
int bench_suite_make_jobs(bench_suite *s);

int bench_cmd_suite(int argc, char **argv);
int bench_cmd_job(int argc, char **argv);

#endif
