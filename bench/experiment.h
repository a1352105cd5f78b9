/* What one measurement is: a scenario with typed parameters, a GC setting, the
 * measurement knobs and the seed. Shared by run, suite, job and the measured child.
 * Names follow results-and-reports.md 2.3 and 5.2 (normative).
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_EXPERIMENT_H
#define BENCH_EXPERIMENT_H

#include <stdint.h>

#include <jansson.h>
#include <mm/mm.h>

#include "scenario.h"

#define BENCH_NAME_MAX 64

/* How --mem-limit is enforced (2.4): libmm's heap budget, plus RLIMIT_AS except under
 * sanitizers (ASan reserves terabytes of address space). */
#ifdef MMBENCH_SANITIZE
#define BENCH_MEM_LIMIT_ENFORCEMENT "heap-budget"
#else
#define BENCH_MEM_LIMIT_ENFORCEMENT "heap-budget+rlimit-as"
#endif

/* The setting knobs (style.md rule 34): one table from which the --flags, the
 * MMBENCH_<NAME> environment overrides (NAME = the suite key in capitals), --help and
 * the suite/sweep keys are derived.
 * X(flag, suite_key, sweep_knob, metavar, help) */
#define BENCH_SETTING_KNOBS(X)                                                           \
    X("gc", "gc", "gc", "POLICY",                                                        \
      "GC policy: cpython311 (default), cpython313, none, full, marksweep")              \
    X("threshold", "threshold", "threshold0|threshold1|threshold2", "T0,T1,T2",          \
      "generation thresholds, three non-negative integers (default: the policy's)")      \
    X("alloc", "alloc", "alloc", "BACKEND",                                              \
      "allocator: pool (default), malloc, private, mimalloc, jemalloc")                  \
    X("freelists", "freelists", "freelists", "on|off",                                   \
      "per-type free lists (default on)")                                                \
    X("small-threshold", "small_threshold", "small_threshold", "BYTES",                  \
      "pool/private small-request threshold: 512 (default) or 256 (the seed's)")         \
    X("freeze", "freeze", "-", "", "gc.freeze() after setup, before measuring")

/* The small-request threshold (mm_config.small_threshold): its default and the other
 * value libmm accepts. Requests above it are "large" (served by malloc). */
#define BENCH_SMALL_THRESHOLD_DEFAULT 512u
#define BENCH_SMALL_THRESHOLD_ALT 256u

typedef struct bench_setting {
    char label[BENCH_NAME_MAX + 1];
    mm_gc_policy gc;
    uint32_t threshold[3]; /* always resolved (policy default when not given) */
    mm_alloc_kind alloc;
    int freelists;
    uint32_t small_threshold; /* 256 or 512 (BENCH_SMALL_THRESHOLD_DEFAULT) */
    int freeze;
    json_t *sweep; /* owned: sweep coordinates, or NULL */
} bench_setting;

enum { BENCH_ORDER_ABAB = 0, BENCH_ORDER_RANDOM, BENCH_ORDER_BLOCKED };

/* config.measurement (2.3); defaults of section 3. */
typedef struct bench_measure {
    uint32_t repeat, warmup, values, loops;
    int order;
    int pin_cpu; /* -1: no pinning */
    uint64_t sample_interval_ns;
    uint32_t max_samples, max_events, top_n, reservoir;
    double timeout_s;
    uint64_t mem_limit_bytes; /* 0: none */
    int peak_rss_reset;
    uint32_t resamples;
    int arena_map;
} bench_measure;

typedef struct bench_experiment {
    const scenario *sc;
    sc_values params;
    bench_setting set;
    bench_measure m;
    uint64_t seed;
} bench_experiment;

void bench_setting_default(bench_setting *s);
void bench_setting_clear(bench_setting *s);
void bench_setting_copy(bench_setting *dst, const bench_setting *src);
void bench_measure_default(bench_measure *m);

/* Is name a valid scenario/setting/job name (2.1: [a-z0-9][a-z0-9_.-]{0,63}, no "__")? */
int bench_name_valid(const char *name);
/* A label derived from the knobs ("cpython311", "t0-2000", "none-malloc", ...). */
void bench_setting_auto_label(const bench_setting *s, char *out, size_t n);

/* Apply one knob value given as text (flags, env). 0, or -1 with a message. */
int bench_setting_apply(bench_setting *s, const char *knob, const char *value, char *err,
                        size_t n);
/* Apply MMBENCH_GC, MMBENCH_THRESHOLD, MMBENCH_ALLOC, MMBENCH_FREELISTS,
 * MMBENCH_SMALL_THRESHOLD, MMBENCH_FREEZE. */
int bench_setting_apply_env(bench_setting *s, char *err, size_t n);
/* Parse "t0,t1,t2" strictly. 0 or -1. */
int bench_parse_threshold(const char *text, uint32_t out[3]);
/* Policy default thresholds. */
void bench_policy_thresholds(mm_gc_policy gc, uint32_t out[3]);

/* Parse strictly: full consumption, no sign, overflow checked. 0 or -1. */
int bench_parse_u64(const char *text, uint64_t *out);
int bench_parse_u32(const char *text, uint32_t min, uint32_t max, uint32_t *out);
int bench_parse_double(const char *text, double min, double max, double *out);

/* JSON of config.scenario.params, typed per the registry (new reference). */
json_t *bench_params_json(const scenario *sc, const sc_values *v);
/* config (2.3) without setting.hash filled in when hash is NULL (new reference). */
json_t *bench_config_json(const bench_experiment *e, const char *baseline,
                          const char *resolved_alloc);
/* setting.hash of 2.3 into out ("sha256:..."). */
void bench_setting_hash(const bench_experiment *e, char out[72]);

/* The child's specification: everything the measured process needs, as JSON. */
json_t *bench_experiment_to_spec(const bench_experiment *e);
/* Inverse; 0, or -1 with a message. e->set.sweep is not restored. */
int bench_experiment_from_spec(json_t *spec, bench_experiment *e, char *err, size_t n);

/* Measurement knobs from a suite's "measurement" object (unknown keys rejected with the
 * JSON pointer prefix given). 0 or -1. */
int bench_measure_from_json(json_t *obj, const char *ptr, bench_measure *m, char *err,
                            size_t n);
json_t *bench_measure_json(const bench_measure *m);

#endif
