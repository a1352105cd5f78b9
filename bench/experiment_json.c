/* Reading experiments back from JSON: the measured child's spec and a suite's
 * "measurement" object. Errors name the JSON pointer. Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "experiment.h"

json_t *
bench_experiment_to_spec(const bench_experiment *e)
{
    return json_pack(
        "{s:s,s:o,s:{s:s,s:s,s:[I,I,I],s:s,s:b,s:I,s:b},s:o,s:I}", "scenario",
        e->sc->name, "params", bench_params_json(e->sc, &e->params), "setting", "label",
        e->set.label, "gc", mm_gc_policy_name(e->set.gc), "threshold",
        (json_int_t)e->set.threshold[0], (json_int_t)e->set.threshold[1],
        (json_int_t)e->set.threshold[2], "alloc", mm_alloc_kind_name(e->set.alloc),
        "freelists", e->set.freelists, "small_threshold",
        (json_int_t)e->set.small_threshold, "freeze", e->set.freeze, "measurement",
        bench_measure_json(&e->m), "seed", (json_int_t)e->seed);
}

static int
spec_fail(char *err, size_t n, const char *what)
{
    snprintf(err, n, "child spec: %s", what);
    return -1;
}

static int
spec_params(json_t *params, bench_experiment *e, char *err, size_t n)
{
    const char *k;
    json_t *v;
    sc_defaults(e->sc, &e->params);
    json_object_foreach(params, k, v) {
        char kv[160];
        if (json_is_integer(v))
            snprintf(kv, sizeof kv, "%s=%lld", k, (long long)json_integer_value(v));
        else if (json_is_real(v))
            snprintf(kv, sizeof kv, "%s=%.17g", k, json_real_value(v));
        else
            return spec_fail(err, n, "parameter is not a number");
        if (sc_param_set(e->sc, &e->params, kv, err, n) != 0)
            return -1;
    }
    return 0;
}

int
bench_experiment_from_spec(json_t *spec, bench_experiment *e, char *err, size_t n)
{
    const char *scn, *label, *gc, *alloc;
    json_t *params, *mobj;
    json_int_t t0, t1, t2, st, seed;
    int fl, fz;
    if (json_unpack(spec, "{s:s,s:o,s:{s:s,s:s,s:[I,I,I],s:s,s:b,s:I,s:b},s:o,s:I}",
                    "scenario", &scn, "params", &params, "setting", "label", &label, "gc",
                    &gc, "threshold", &t0, &t1, &t2, "alloc", &alloc, "freelists", &fl,
                    "small_threshold", &st, "freeze", &fz, "measurement", &mobj, "seed",
                    &seed) != 0)
        return spec_fail(err, n, "malformed");
    memset(e, 0, sizeof *e);
    e->sc = sc_find(scn);
    if (!e->sc)
        return spec_fail(err, n, "unknown scenario");
    if (spec_params(params, e, err, n) != 0)
        return -1;
    bench_setting_default(&e->set);
    snprintf(e->set.label, sizeof e->set.label, "%s", label);
    if (mm_gc_policy_parse(gc, &e->set.gc) != MM_OK ||
        mm_alloc_kind_parse(alloc, &e->set.alloc) != MM_OK)
        return spec_fail(err, n, "bad gc or alloc");
    e->set.threshold[0] = (uint32_t)t0;
    e->set.threshold[1] = (uint32_t)t1;
    e->set.threshold[2] = (uint32_t)t2;
    e->set.freelists = fl;
    if (st != BENCH_SMALL_THRESHOLD_DEFAULT && st != BENCH_SMALL_THRESHOLD_ALT)
        return spec_fail(err, n, "bad small_threshold");
    e->set.small_threshold = (uint32_t)st;
    e->set.freeze = fz;
    e->seed = (uint64_t)seed;
    return bench_measure_from_json(mobj, "/measurement", &e->m, err, n);
}

/* ---- measurement objects ---- */

typedef struct mknob {
    const char *key;
    char kind;           /* 'u' u32, 'U' u64, 'b' bool, 'o' order, 'c' cpu, 'd' double */
    size_t off;
    double min, max;
} mknob;

#define MOFF(f) offsetof(bench_measure, f)
static const mknob mknobs[] = {
    { "repeat", 'u', MOFF(repeat), 1, 100000 },
    { "warmup", 'u', MOFF(warmup), 0, 1000 },
    { "values", 'u', MOFF(values), 1, 100000 },
    { "loops", 'u', MOFF(loops), 1, 1e9 },
    { "order", 'o', MOFF(order), 0, 0 },
    { "pin_cpu", 'c', MOFF(pin_cpu), 0, 4095 },
    { "sample_interval_ns", 'U', MOFF(sample_interval_ns), 100000, 1e12 },
    { "max_samples", 'u', MOFF(max_samples), 16, 1000000 },
    { "max_events", 'u', MOFF(max_events), 0, 10000000 },
    { "top_n", 'u', MOFF(top_n), 0, 10000000 },
    { "reservoir", 'u', MOFF(reservoir), 0, 10000000 },
    { "timeout_s", 'd', MOFF(timeout_s), 0.001, 1e7 },
    { "mem_limit_bytes", 'U', MOFF(mem_limit_bytes), 4096, 9.2e18 },
    { "mem_limit_enforcement", 'x', 0, 0, 0 },
    { "peak_rss_reset", 'b', MOFF(peak_rss_reset), 0, 1 },
    { "resamples", 'u', MOFF(resamples), 0, 1000000 },
    { "arena_map", 'b', MOFF(arena_map), 0, 1 },
};

static int
knob_fail(char *err, size_t n, const char *ptr, const char *key, const char *what)
{
    snprintf(err, n, "%s/%s: %s", ptr, key, what);
    return -1;
}

static int
set_number(const mknob *k, json_t *v, bench_measure *m, const char *ptr, char *err,
           size_t n)
{
    char *base = (char *)m + k->off;
    double d;
    if (k->kind == 'd') {
        if (json_is_null(v)) {
            *(double *)(void *)base = 0;
            return 0;
        }
        if (!json_is_number(v))
            return knob_fail(err, n, ptr, k->key, "expected a number");
        d = json_number_value(v);
        if (!(d >= k->min && d <= k->max))
            return knob_fail(err, n, ptr, k->key, "out of range");
        *(double *)(void *)base = d;
        return 0;
    }
    if ((k->kind == 'c' || k->kind == 'U') && json_is_null(v)) {
        if (k->kind == 'c')
            *(int *)(void *)base = -1;
        else
            *(uint64_t *)(void *)base = 0;
        return 0;
    }
    if (!json_is_integer(v))
        return knob_fail(err, n, ptr, k->key, "expected an integer");
    d = (double)json_integer_value(v);
    if (json_integer_value(v) < 0 || d < k->min || d > k->max) {
        char what[96];
        snprintf(what, sizeof what, "expected an integer in [%.0f, %.0f], got %lld",
                 k->min, k->max, (long long)json_integer_value(v));
        return knob_fail(err, n, ptr, k->key, what);
    }
    if (k->kind == 'u')
        *(uint32_t *)(void *)base = (uint32_t)json_integer_value(v);
    else if (k->kind == 'U')
        *(uint64_t *)(void *)base = (uint64_t)json_integer_value(v);
    else
        *(int *)(void *)base = (int)json_integer_value(v);
    return 0;
}

static int
set_knob(const mknob *k, json_t *v, bench_measure *m, const char *ptr, char *err,
         size_t n)
{
    static const char *const orders[] = { "abab", "random", "blocked" };
    if (k->kind == 'x')
        return 0; /* derived, recorded for readers */
    if (k->kind == 'b') {
        if (!json_is_boolean(v))
            return knob_fail(err, n, ptr, k->key, "expected true or false");
        *(int *)(void *)((char *)m + k->off) = json_is_true(v);
        return 0;
    }
    if (k->kind == 'o') {
        for (int i = 0; i < 3; i++)
            if (json_is_string(v) && !strcmp(json_string_value(v), orders[i])) {
                m->order = i;
                return 0;
            }
        return knob_fail(err, n, ptr, k->key,
                         "expected \"abab\", \"random\" or \"blocked\"");
    }
    return set_number(k, v, m, ptr, err, n);
}

int
bench_measure_from_json(json_t *obj, const char *ptr, bench_measure *m, char *err,
                        size_t n)
{
    const char *key;
    json_t *v;
    if (!json_is_object(obj)) {
        snprintf(err, n, "%s: expected an object", ptr);
        return -1;
    }
    json_object_foreach(obj, key, v) {
        size_t i;
        for (i = 0; i < sizeof mknobs / sizeof mknobs[0]; i++)
            if (!strcmp(key, mknobs[i].key))
                break;
        if (i == sizeof mknobs / sizeof mknobs[0])
            return knob_fail(err, n, ptr, key, "unknown key");
        if (set_knob(&mknobs[i], v, m, ptr, err, n) != 0)
            return -1;
    }
    if ((uint64_t)m->top_n + m->reservoir > m->max_events) {
        snprintf(err, n, "%s: top_n + reservoir (%u) must not exceed max_events (%u)",
                 ptr, m->top_n + m->reservoir, m->max_events);
        return -1;
    }
    return 0;
}
