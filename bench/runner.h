/* The parent side of a measurement: fork + exec one child per run, time it, kill it
 * after the timeout, classify how it ended (2.4). Interleaves the settings of one
 * scenario in rounds (3). Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_RUNNER_H
#define BENCH_RUNNER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "experiment.h"

/* Set by the SIGINT/SIGTERM handler (the signal number); 0 otherwise. */
extern volatile sig_atomic_t bench_interrupted;
/* Install handlers that only set bench_interrupted. */
void bench_install_signal_handlers(void);

typedef struct bench_runner {
    const char *job;      /* job name or NULL */
    const char *log_dir;  /* where failed runs' stderr goes (NULL: not kept) */
    int progress;         /* print [i/N] lines on stderr */
    int anonymize;        /* runs[].hostname null (--anonymize, 2.2) */
    size_t done, total;   /* progress counters across a whole suite */
    double started;       /* seconds, for the ETA */
} bench_runner;

/* How one child process went. */
typedef struct bench_child_result {
    pid_t pid;
    int spawn_failed, spawn_errno;
    int timed_out;
    int wstatus;
    uint64_t duration_ns;  /* fork to reap */
    char *out, *err;       /* NUL-terminated captures of stdout and stderr */
    size_t out_len, err_len;
} bench_child_result;

/* Fork + exec `mmbench __child SPEC`, capture its output, reap it. */
void bench_child_spawn_collect(const bench_experiment *e, json_t *spec,
                               bench_child_result *res);
void bench_child_result_free(bench_child_result *res);
/* The last non-empty line of a capture (the child's error message); caller frees. */
char *bench_child_last_line(const char *data, size_t len);

/* Pre-flight (2.3): checks that pin_cpu (if any) is a CPU this process may run on, then a
 * child verifies the allocator. Returns 0 and the resolved string; 2 for an unusable
 * pin_cpu, 3 after printing both libraries' names, 1 on a system failure. */
int bench_preflight(const bench_experiment *e, char *resolved, size_t n);

/* One process run of e. Returns the run object (every key of the schema's run except
 * index), never NULL; *resolved gets what served allocations when the run is ok. */
json_t *bench_run_once(bench_runner *br, const bench_experiment *e, int round, int slot,
                       char *resolved, size_t n);

/* Run `repeat` rounds over the settings exps[0..n) (same scenario) in the order of
 * e->m.order; runs_out[i] receives the run array of setting i (new references).
 * Returns 0, or the signal number when interrupted (runs_out then hold what finished). */
int bench_run_rounds(bench_runner *br, const bench_experiment *exps, size_t n,
                     json_t **runs_out, char (*resolved)[512], uint64_t order_seed);

#endif
