/* Settings, measurement knobs and their JSON forms. Contract: results-and-reports.md
 * 2.3 (config), 3 (defaults), 5.2 (suite keys). Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include "experiment.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "util.h"

void
bench_policy_thresholds(mm_gc_policy gc, uint32_t out[3])
{
    out[0] = gc == MM_GC_CPYTHON313 ? 2000 : 700;
    out[1] = 10;
    out[2] = 10;
}

void
bench_setting_default(bench_setting *s)
{
    memset(s, 0, sizeof *s);
    s->gc = MM_GC_CPYTHON311;
    bench_policy_thresholds(s->gc, s->threshold);
    s->alloc = MM_ALLOC_POOL;
    s->freelists = 1;
    s->small_threshold = BENCH_SMALL_THRESHOLD_DEFAULT;
}

void
bench_setting_clear(bench_setting *s)
{
    json_decref(s->sweep);
    s->sweep = NULL;
}

void
bench_setting_copy(bench_setting *dst, const bench_setting *src)
{
    *dst = *src;
    dst->sweep = src->sweep ? json_deep_copy(src->sweep) : NULL;
}

void
bench_measure_default(bench_measure *m)
{
    memset(m, 0, sizeof *m);
    m->repeat = 10;
    m->warmup = 1;
    m->values = 3;
    m->loops = 1;
    m->order = BENCH_ORDER_ABAB;
    m->pin_cpu = -1;
    m->sample_interval_ns = 10000000;
    m->max_samples = 1000;
    m->max_events = 2000;
    m->top_n = 64;
    m->reservoir = 1024;
    m->timeout_s = 600;
    m->peak_rss_reset = 1;
    m->resamples = 10000;
}

int
bench_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > BENCH_NAME_MAX || strstr(name, "__"))
        return 0;
    if (!(islower((unsigned char)name[0]) || isdigit((unsigned char)name[0])))
        return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!(islower(c) || isdigit(c) || c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

void
bench_setting_auto_label(const bench_setting *s, char *out, size_t n)
{
    uint32_t def[3];
    size_t len;
    bench_policy_thresholds(s->gc, def);
    len = (size_t)snprintf(out, n, "%s", mm_gc_policy_name(s->gc));
    if (memcmp(def, s->threshold, sizeof def) != 0 && len < n)
        len += (size_t)snprintf(out + len, n - len, "-t%u-%u-%u", s->threshold[0],
                                s->threshold[1], s->threshold[2]);
    if (s->alloc != MM_ALLOC_POOL && len < n)
        len += (size_t)snprintf(out + len, n - len, "-%s", mm_alloc_kind_name(s->alloc));
    if (!s->freelists && len < n)
        len += (size_t)snprintf(out + len, n - len, "-nofreelists");
    /* others: no pools */
    if (s->small_threshold != BENCH_SMALL_THRESHOLD_DEFAULT && len < n &&
        (s->alloc == MM_ALLOC_POOL || s->alloc == MM_ALLOC_PRIVATE))
        len += (size_t)snprintf(out + len, n - len, "-st%u", s->small_threshold);
    if (s->freeze && len < n)
        snprintf(out + len, n - len, "-freeze");
}

int
bench_parse_u64(const char *text, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (!text || !isdigit((unsigned char)text[0]))
        return -1;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno || *end || v > (unsigned long long)INT64_MAX)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int
bench_parse_u32(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
    uint64_t v;
    if (bench_parse_u64(text, &v) != 0 || v < min || v > max)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

int
bench_parse_double(const char *text, double min, double max, double *out)
{
    char *end;
    double v;
    if (!text || !*text || isspace((unsigned char)text[0]))
        return -1;
    errno = 0;
    v = strtod(text, &end);
    if (errno || *end || !isfinite(v) || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int
bench_parse_threshold(const char *text, uint32_t out[3])
{
    char buf[96], *parts[3], *save = NULL;
    int i = 0;
    if (strlen(text) >= sizeof buf)
        return -1;
    snprintf(buf, sizeof buf, "%s", text);
    if (buf[0] == ',' || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,"))
        return -1;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (i == 3)
            return -1;
        parts[i++] = tok;
    }
    if (i != 3)
        return -1;
    for (i = 0; i < 3; i++)
        if (bench_parse_u32(parts[i], 0, UINT32_MAX, &out[i]) != 0)
            return -1;
    return 0;
}

static int
parse_onoff(const char *v, int *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "1"))
        *out = 1;
    else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "0"))
        *out = 0;
    else
        return -1;
    return 0;
}

int
bench_setting_apply(bench_setting *s, const char *knob, const char *value, char *err,
                    size_t n)
{
    if (!strcmp(knob, "gc")) {
        uint32_t def_old[3];
        bench_policy_thresholds(s->gc, def_old);
        if (mm_gc_policy_parse(value, &s->gc) != MM_OK) {
            snprintf(err, n, "--gc: unknown policy '%s' (cpython311, cpython313, none, "
                     "full, marksweep)", value);
            return -1;
        }
        if (!memcmp(def_old, s->threshold, sizeof def_old))
            bench_policy_thresholds(s->gc, s->threshold);
    } else if (!strcmp(knob, "threshold")) {
        if (bench_parse_threshold(value, s->threshold) != 0) {
            snprintf(err, n, "--threshold: expected three non-negative integers like "
                     "700,10,10, got '%s'", value);
            return -1;
        }
    } else if (!strcmp(knob, "alloc")) {
        if (mm_alloc_kind_parse(value, &s->alloc) != MM_OK) {
            snprintf(err, n, "--alloc: unknown backend '%s' (pool, malloc, private, "
                     "mimalloc, jemalloc)", value);
            return -1;
        }
    } else if (!strcmp(knob, "freelists")) {
        if (parse_onoff(value, &s->freelists) != 0) {
            snprintf(err, n, "--freelists: expected on or off, got '%s'", value);
            return -1;
        }
    } else if (!strcmp(knob, "small_threshold")) {
        uint32_t v;
        if (bench_parse_u32(value, 0, UINT32_MAX, &v) != 0 ||
            (v != BENCH_SMALL_THRESHOLD_DEFAULT && v != BENCH_SMALL_THRESHOLD_ALT)) {
            snprintf(err, n, "--small-threshold: expected %u or %u (bytes), got '%s'",
                     BENCH_SMALL_THRESHOLD_ALT, BENCH_SMALL_THRESHOLD_DEFAULT, value);
            return -1;
        }
        s->small_threshold = v;
    } else if (!strcmp(knob, "freeze")) {
        if (parse_onoff(value, &s->freeze) != 0) {
            snprintf(err, n, "--freeze: expected on or off, got '%s'", value);
            return -1;
        }
    } else {
        snprintf(err, n, "unknown setting knob '%s'", knob);
        return -1;
    }
    return 0;
}

int
bench_setting_apply_env(bench_setting *s, char *err, size_t n)
{
#define BENCH_KNOB_NAME(flag, suite_key, sweep, metavar, help) suite_key,
    static const char *const knobs[] = { BENCH_SETTING_KNOBS(BENCH_KNOB_NAME) };
#undef BENCH_KNOB_NAME
    for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++) {
        char name[32];
        const char *v;
        size_t k;
        snprintf(name, sizeof name, "MMBENCH_%s", knobs[i]); /* MMBENCH_SMALL_THRESHOLD */
        for (k = 8; name[k]; k++)
            name[k] = (char)toupper((unsigned char)name[k]);
        v = getenv(name);
        if (v && bench_setting_apply(s, knobs[i], v, err, n) != 0) {
            size_t len = strlen(err);
            snprintf(err + len, n - len, " (from %s)", name);
            return -1;
        }
    }
    return 0;
}

json_t *
bench_params_json(const scenario *sc, const sc_values *v)
{
    json_t *o = json_object();
    for (size_t i = 0; i < sc->nparams; i++) {
        const sc_param *p = &sc->params[i];
        json_object_set_new(o, p->name,
                            p->type == SC_INT ? json_integer((json_int_t)v->v[i])
                                              : json_real(v->v[i]));
    }
    return o;
}

static json_t *
allocator_json(const bench_experiment *e, const char *resolved)
{
    int pooled = e->set.alloc == MM_ALLOC_POOL || e->set.alloc == MM_ALLOC_PRIVATE;
    json_t *o = json_object();
    json_object_set_new(o, "backend", json_string(mm_alloc_kind_name(e->set.alloc)));
    if (resolved)
        json_object_set_new(o, "resolved", json_string(resolved));
    json_object_set_new(o, "arena_bytes", pooled ? json_integer(1 << 20) : json_null());
    json_object_set_new(o, "pool_bytes", pooled ? json_integer(16384) : json_null());
    json_object_set_new(o, "alignment_bytes", pooled ? json_integer(16) : json_null());
    /* Only the pooled backends have a threshold; at the default this block, and so the
     * setting hash, is what it was before the threshold became a setting. */
    json_object_set_new(o, "small_request_threshold_bytes",
                        pooled ? json_integer(e->set.small_threshold) : json_null());
    return o;
}

static json_t *
gc_json(const bench_setting *s)
{
    return json_pack("{s:s,s:[I,I,I],s:b,s:b}", "policy", mm_gc_policy_name(s->gc),
                     "thresholds", (json_int_t)s->threshold[0],
                     (json_int_t)s->threshold[1], (json_int_t)s->threshold[2], "freeze",
                     s->freeze, "enabled", s->gc != MM_GC_NONE);
}

static const char *const order_names[] = { "abab", "random", "blocked" };

static json_t *
nullable_int(int have, json_int_t v)
{
    return have ? json_integer(v) : json_null();
}

json_t *
bench_measure_json(const bench_measure *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "repeat", json_integer(m->repeat));
    json_object_set_new(o, "warmup", json_integer(m->warmup));
    json_object_set_new(o, "values", json_integer(m->values));
    json_object_set_new(o, "loops", json_integer(m->loops));
    json_object_set_new(o, "order", json_string(order_names[m->order]));
    json_object_set_new(o, "pin_cpu", nullable_int(m->pin_cpu >= 0, m->pin_cpu));
    json_object_set_new(o, "sample_interval_ns",
                        json_integer((json_int_t)m->sample_interval_ns));
    json_object_set_new(o, "max_samples", json_integer(m->max_samples));
    json_object_set_new(o, "max_events", json_integer(m->max_events));
    json_object_set_new(o, "top_n", json_integer(m->top_n));
    json_object_set_new(o, "reservoir", json_integer(m->reservoir));
    json_object_set_new(o, "timeout_s",
                        m->timeout_s > 0 ? json_real(m->timeout_s) : json_null());
    json_object_set_new(
        o, "mem_limit_bytes",
        nullable_int(m->mem_limit_bytes != 0, (json_int_t)m->mem_limit_bytes));
    json_object_set_new(o, "mem_limit_enforcement",
                        m->mem_limit_bytes ? json_string(BENCH_MEM_LIMIT_ENFORCEMENT)
                                           : json_null());
    json_object_set_new(o, "peak_rss_reset", json_boolean(m->peak_rss_reset));
    json_object_set_new(o, "resamples", json_integer(m->resamples));
    json_object_set_new(o, "arena_map", json_boolean(m->arena_map));
    return o;
}

void
bench_setting_hash(const bench_experiment *e, char out[72])
{
    json_t *alloc = allocator_json(e, NULL);
    json_t *o = json_pack("{s:{s:s,s:i,s:o},s:o,s:o,s:b,s:I,s:{s:i,s:i}}", "scenario",
                          "name", e->sc->name, "version", (int)e->sc->version, "params",
                          bench_params_json(e->sc, &e->params), "gc", gc_json(&e->set),
                          "allocator", alloc, "free_lists", e->set.freelists, "seed",
                          (json_int_t)e->seed, "measurement", "warmup", (int)e->m.warmup,
                          "loops", (int)e->m.loops);
    bench_sha256_json(o, out);
    json_decref(o);
}

json_t *
bench_config_json(const bench_experiment *e, const char *baseline, const char *resolved)
{
    char hash[72];
    json_t *setting;
    bench_setting_hash(e, hash);
    setting = json_pack("{s:s,s:s,s:o,s:O}", "label", e->set.label, "hash", hash,
                        "baseline", baseline ? json_string(baseline) : json_null(),
                        "sweep", e->set.sweep ? e->set.sweep : json_null());
    return json_pack("{s:{s:s,s:i,s:o},s:o,s:o,s:o,s:b,s:I,s:o}", "scenario", "name",
                     e->sc->name, "version", (int)e->sc->version, "params",
                     bench_params_json(e->sc, &e->params), "setting", setting, "gc",
                     gc_json(&e->set), "allocator", allocator_json(e, resolved),
                     "free_lists", e->set.freelists, "seed", (json_int_t)e->seed,
                     "measurement", bench_measure_json(&e->m));
}
