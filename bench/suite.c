/* Suite file parsing and validation (5.2). Unknown keys are rejected with their JSON
 * pointer; params are typed as the scenario registry declares.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include "suite.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "util.h"

/* Every key of obj must be in allowed (NULL-terminated). */
static int
only_keys(json_t *obj, const char *ptr, const char *const *allowed, char *err, size_t n)
{
    const char *k;
    json_t *v;
    if (!json_is_object(obj))
        return bench_errf(err, n, "%s: expected an object", ptr);
    json_object_foreach(obj, k, v) {
        int ok = 0;
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = !strcmp(k, allowed[i]);
        if (!ok)
            return bench_errf(err, n, "%s/%s: unknown key", ptr, k);
    }
    return 0;
}

static int
get_name(json_t *obj, const char *key, const char *ptr, char *out, char *err, size_t n)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        return bench_errf(err, n, "%s/%s: expected a string", ptr, key);
    if (!bench_name_valid(json_string_value(v)))
        return bench_errf(err, n,
                          "%s/%s: '%s' is not a valid name ([a-z0-9][a-z0-9_.-]{0,63}, "
                          "no '__')",
                          ptr, key, json_string_value(v));
    snprintf(out, BENCH_NAME_MAX + 1, "%s", json_string_value(v));
    return 0;
}

static int
parse_params(json_t *params, const char *ptr, bench_suite_scenario *ss, char *err,
             size_t n)
{
    const char *k;
    json_t *v;
    sc_defaults(ss->sc, &ss->params);
    if (!params)
        return 0;
    if (!json_is_object(params))
        return bench_errf(err, n, "%s: expected an object", ptr);
    json_object_foreach(params, k, v) {
        char kv[200], perr[256];
        const sc_param *p = NULL;
        for (size_t i = 0; i < ss->sc->nparams; i++)
            if (!strcmp(ss->sc->params[i].name, k))
                p = &ss->sc->params[i];
        if (p && p->type == SC_INT && !json_is_integer(v))
            return bench_errf(err, n, "%s/%s: expected an integer", ptr, k);
        if (p && !json_is_number(v))
            return bench_errf(err, n, "%s/%s: expected a number", ptr, k);
        if (json_is_integer(v))
            snprintf(kv, sizeof kv, "%s=%lld", k, (long long)json_integer_value(v));
        else
            snprintf(kv, sizeof kv, "%s=%.17g", k, json_number_value(v));
        if (sc_param_set(ss->sc, &ss->params, kv, perr, sizeof perr) != 0)
            return bench_errf(err, n, "%s/%s: %s", ptr, k, perr);
    }
    return 0;
}

static int
parse_scenarios(json_t *arr, bench_suite *s, char *err, size_t n)
{
    static const char *const keys[] = { "name", "params", NULL };
    json_t *v;
    size_t i;
    if (!json_is_array(arr) || !json_array_size(arr))
        return bench_errf(err, n, "/scenarios: expected a non-empty array");
    s->scen = bench_xcalloc(json_array_size(arr), sizeof *s->scen);
    json_array_foreach(arr, i, v) {
        char ptr[64], name[BENCH_NAME_MAX + 1];
        snprintf(ptr, sizeof ptr, "/scenarios/%zu", i);
        if (only_keys(v, ptr, keys, err, n) || get_name(v, "name", ptr, name, err, n))
            return -1;
        if (!(s->scen[i].sc = sc_find(name)))
            return bench_errf(err, n, "%s/name: unknown scenario '%s'", ptr, name);
        for (size_t k = 0; k < i; k++)
            if (s->scen[k].sc == s->scen[i].sc)
                return bench_errf(err, n, "%s/name: scenario '%s' listed twice", ptr,
                                  name);
        snprintf(ptr, sizeof ptr, "/scenarios/%zu/params", i);
        if (parse_params(json_object_get(v, "params"), ptr, &s->scen[i], err, n))
            return -1;
        s->nscen++;
    }
    return 0;
}

static int
setting_knob(json_t *v, const char *key, const char *ptr, bench_setting *st, char *err,
             size_t n)
{
    char text[96], kerr[256];
    json_t *x = json_object_get(v, key);
    if (!x)
        return 0;
    if (!strcmp(key, "threshold")) {
        if (!json_is_array(x) || json_array_size(x) != 3)
            return bench_errf(err, n, "%s/threshold: expected [t0, t1, t2]", ptr);
        for (size_t i = 0; i < 3; i++) {
            json_t *t = json_array_get(x, i);
            if (!json_is_integer(t) || json_integer_value(t) < 0 ||
                json_integer_value(t) > UINT32_MAX)
                return bench_errf(err, n, "%s/threshold/%zu: expected an integer >= 0",
                                  ptr, i);
            st->threshold[i] = (uint32_t)json_integer_value(t);
        }
        return 0;
    }
    if (!strcmp(key, "freelists") || !strcmp(key, "freeze")) {
        if (!json_is_boolean(x))
            return bench_errf(err, n, "%s/%s: expected true or false", ptr, key);
        snprintf(text, sizeof text, "%s", json_is_true(x) ? "on" : "off");
    } else if (!strcmp(key, "small_threshold")) {
        if (!json_is_integer(x))
            return bench_errf(err, n,
                              "%s/small_threshold: expected an integer (%u or %u)", ptr,
                              BENCH_SMALL_THRESHOLD_ALT, BENCH_SMALL_THRESHOLD_DEFAULT);
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(x));
    } else if (!json_is_string(x)) {
        return bench_errf(err, n, "%s/%s: expected a string", ptr, key);
    } else {
        snprintf(text, sizeof text, "%s", json_string_value(x));
    }
    if (bench_setting_apply(st, key, text, kerr, sizeof kerr) != 0)
        return bench_errf(err, n, "%s/%s: %s", ptr, key, kerr);
    return 0;
}

static int
parse_settings(json_t *arr, bench_suite *s, size_t extra, char *err, size_t n)
{
    static const char *const keys[] = { "label", "gc", "threshold", "alloc", "freelists",
                                        "small_threshold", "freeze", NULL };
    json_t *v;
    size_t i;
    if (!json_is_array(arr) || !json_array_size(arr))
        return bench_errf(err, n, "/settings: expected a non-empty array");
    s->settings = bench_xcalloc(json_array_size(arr) + extra, sizeof *s->settings);
    json_array_foreach(arr, i, v) {
        char ptr[64];
        bench_setting *st = &s->settings[i];
        snprintf(ptr, sizeof ptr, "/settings/%zu", i);
        bench_setting_default(st);
        s->nsettings++;
        if (only_keys(v, ptr, keys, err, n) ||
            get_name(v, "label", ptr, st->label, err, n))
            return -1;
        /* gc first: it resolves the default thresholds */
        for (size_t k = 1; keys[k]; k++)
            if (setting_knob(v, keys[k], ptr, st, err, n))
                return -1;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(s->settings[k].label, st->label))
                return bench_errf(err, n, "%s/label: '%s' used twice", ptr, st->label);
    }
    s->ndeclared = s->nsettings;
    return 0;
}


static size_t
sweep_points(json_t *sweeps)
{
    size_t total = 0, i;
    json_t *sw;
    json_array_foreach(sweeps, i, sw) {
        size_t pts = 1;
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(sw, "knobs"), k, v)
            pts *= json_is_array(v) ? json_array_size(v) + 1 : 1;
        total += pts;
    }
    return total;
}

/* jobs {per: "scenario"|"sweep-chunk", chunk: integer >= 1} (5.2). */
static int
parse_jobs(json_t *jobs, const char *const *keys, char *err, size_t n)
{
    json_t *per = json_object_get(jobs, "per"), *chunk = json_object_get(jobs, "chunk");
    if (only_keys(jobs, "/jobs", keys, err, n))
        return -1;
    if (per && (!json_is_string(per) || (strcmp(json_string_value(per), "scenario") &&
                                         strcmp(json_string_value(per), "sweep-chunk"))))
        return bench_errf(err, n, "/jobs/per: expected \"scenario\" or \"sweep-chunk\", "
                          "got %s%s%s", json_is_string(per) ? "'" : "",
                          json_is_string(per) ? json_string_value(per) : "a non-string",
                          json_is_string(per) ? "'" : "");
    if (chunk && (!json_is_integer(chunk) || json_integer_value(chunk) < 1))
        return bench_errf(err, n, "/jobs/chunk: expected an integer >= 1");
    return 0;
}

static int
parse_top(json_t *doc, bench_suite *s, char *err, size_t n)
{
    static const char *const keys[] = { "schema", "name", "baseline", "scenarios",
                                        "settings", "sweeps", "measurement", "hyperfine",
                                        "jobs", NULL };
    static const char *const hf_keys[] = { "enabled", "runs", "warmup", NULL };
    static const char *const job_keys[] = { "per", "chunk", NULL };
    json_t *schema = json_object_get(doc, "schema"),
           *hf = json_object_get(doc, "hyperfine");
    json_t *sweeps = json_object_get(doc, "sweeps");
    if (only_keys(doc, "", keys, err, n))
        return -1;
    if (schema && (!json_is_string(schema) ||
                   strcmp(json_string_value(schema), "mmbench/suite/v1")))
        return bench_errf(err, n, "/schema: expected \"mmbench/suite/v1\"");
    if (get_name(doc, "name", "", s->name, err, n) ||
        get_name(doc, "baseline", "", s->baseline, err, n) ||
        parse_scenarios(json_object_get(doc, "scenarios"), s, err, n) ||
        parse_settings(json_object_get(doc, "settings"), s, sweep_points(sweeps), err, n))
        return -1;
    if (json_object_get(doc, "measurement") &&
        bench_measure_from_json(json_object_get(doc, "measurement"), "/measurement",
                                &s->m, err, n))
        return -1;
    if (hf) {
        if (only_keys(hf, "/hyperfine", hf_keys, err, n))
            return -1;
        s->hf_enabled = json_is_true(json_object_get(hf, "enabled"));
        if (json_object_get(hf, "runs") && !json_is_integer(json_object_get(hf, "runs")))
            return bench_errf(err, n, "/hyperfine/runs: expected an integer");
        if (json_object_get(hf, "runs"))
            s->hf_runs = (uint32_t)json_integer_value(json_object_get(hf, "runs"));
        if (json_object_get(hf, "warmup"))
            s->hf_warmup = (uint32_t)json_integer_value(json_object_get(hf, "warmup"));
    }
    if (json_object_get(doc, "jobs") &&
        parse_jobs(json_object_get(doc, "jobs"), job_keys, err, n))
        return -1;
    if (sweeps && bench_suite_parse_sweeps(sweeps, s, err, n))
        return -1;
    return 0;
}

int
bench_suite_load(const char *path, bench_suite *s, char *err, size_t n)
{
    json_error_t jerr;
    char ebuf[512], hash[72];
    int found = 0;
    memset(s, 0, sizeof *s);
    bench_measure_default(&s->m);
    s->seed = 1;
    s->hf_runs = 3;
    s->hf_warmup = 1;
    s->doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!s->doc)
        return bench_errf(err, n, "%s: line %d: %s", path, jerr.line, jerr.text);
    if (parse_top(s->doc, s, ebuf, sizeof ebuf) != 0)
        return bench_errf(err, n, "%s: %s", path, ebuf);
    for (size_t i = 0; i < s->ndeclared; i++)
        found |= !strcmp(s->settings[i].label, s->baseline);
    if (!found)
        return bench_errf(err, n, "%s: /baseline: no setting is labelled '%s'", path,
                          s->baseline);
    {
        char *text = bench_canonical_json(s->doc);
        bench_sha256(text, strlen(text), hash);
        free(text);
        memcpy(s->sha8, hash + 7, 8);
        s->sha8[8] = 0;
    }
    bench_suite_make_jobs(s);
    return 0;
}

void
bench_suite_free(bench_suite *s)
{
    for (size_t i = 0; i < s->nsettings; i++)
        bench_setting_clear(&s->settings[i]);
    for (size_t i = 0; i < s->njobs; i++)
        free(s->jobs[i].settings);
    free(s->jobs);
    free(s->sweeps);
    free(s->settings);
    free(s->scen);
    json_decref(s->doc);
    memset(s, 0, sizeof *s);
}
