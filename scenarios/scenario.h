/* The scenario interface: each scenario is one C file exporting one const descriptor
 * (name, description, typed parameters with defaults and ranges, run function).
 * Design: docs/design/measurement.md (how the harness measures a scenario).
 * SPDX-License-Identifier: MIT */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include <mm/mm.h>

#define SC_MAX_PARAMS 8

typedef enum sc_type {
    SC_INT,  /* integer in [min, max] */
    SC_REAL, /* real in [min, max] */
} sc_type;

typedef struct sc_param {
    const char *name;
    sc_type type;
    double def, min, max;
    const char *help;
} sc_param;

/* Resolved parameter values, in the descriptor's order. */
typedef struct sc_values {
    double v[SC_MAX_PARAMS];
} sc_values;

/* What one run did (the harness turns these into rates). */
typedef struct sc_counts {
    uint64_t ops;     /* scenario-defined unit of work (documented per scenario) */
    uint64_t objects; /* objects the scenario created */
} sc_counts;

typedef struct scenario {
    const char *name;
    const char *description;
    unsigned version; /* bumped whenever the workload changes */
    const sc_param *params;
    size_t nparams;
    const char *ops_unit; /* what sc_counts.ops counts */
    /* Run the workload once on rt with the given parameters and seed. Everything it
     * creates is released before it returns. MM_OK or an MM_E* error. It uses only
     * libmm's public API, returns counts, and never prints, times or sleeps (style.md
     * rule 4): the harness measures it. Every GC object it holds only in a C variable
     * while it allocates others must be registered as a root (SC_ROOTS / mm_root_push,
     * or mm_root_add across threads): the marksweep policy marks from roots alone.
     * tests/scenarios runs every scenario under marksweep with a small heap limit in
     * debug builds, where a missing root is reported. */
    int (*run)(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out);
} scenario;

/* The registry, in a fixed order. */
const scenario *const *sc_registry(size_t *n);
const scenario *sc_find(const char *name);
/* Defaults into v. */
void sc_defaults(const scenario *s, sc_values *v);
/* Apply "k=v": 0, or -1 with a message naming the problem (unknown parameter with a
 * suggestion, bad number, out of range). */
int sc_param_set(const scenario *s, sc_values *v, const char *kv, char *err, size_t n);

/* Small deterministic generator for the workloads (xorshift64*). */
static inline uint64_t
sc_rand(uint64_t *state)
{
    uint64_t x = *state ? *state : 0x9e3779b97f4a7c15u;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545f4914f6cdd1du;
}

#endif
