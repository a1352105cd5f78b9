/* Sweeps (4.8) and jobs (5.3): sweep points become settings in fill-in order (ends,
 * middle, quartiles); every job is one scenario with its settings, baseline first.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"
#include "util.h"


/* Fill-in order of k points (4.8): both ends, the middle, then the quartiles and so on
 * (breadth-first bisection), so a partial sweep already shows the trend. */
static void
fill_order(size_t k, size_t *out)
{
    size_t m = 0, qh = 0, qt = 0;
    size_t (*q)[2] = bench_xcalloc(2 * k + 2, sizeof *q);
    if (!k) {
        free(q);
        return;
    }
    out[m++] = 0;
    if (k > 1)
        out[m++] = k - 1;
    q[qt][0] = 0;
    q[qt++][1] = k - 1;
    while (qh < qt) {
        size_t lo = q[qh][0], hi = q[qh++][1], mid = (lo + hi) / 2;
        if (hi - lo < 2)
            continue;
        out[m++] = mid;
        q[qt][0] = lo;
        q[qt++][1] = mid;
        q[qt][0] = mid;
        q[qt++][1] = hi;
    }
    free(q);
}

static const char *const sweep_knobs[] = { "threshold0", "threshold1", "threshold2", "gc",
                                           "alloc", "freelists", "small_threshold" };
#define N_SWEEP_KNOBS (sizeof sweep_knobs / sizeof sweep_knobs[0])

static int
apply_point(bench_setting *st, const char *knob, json_t *v, char *label, size_t ln,
            const char *ptr, char *err, size_t n)
{
    char kerr[256], text[64];
    size_t len = strlen(label);
    if (!strncmp(knob, "threshold", 9)) {
        int g = knob[9] - '0';
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > UINT32_MAX)
            return bench_errf(err, n, "%s/%s: expected integers >= 0", ptr, knob);
        st->threshold[g] = (uint32_t)json_integer_value(v);
        snprintf(label + len, ln - len, "%st%d-%lld", len ? "-" : "", g,
                 (long long)json_integer_value(v));
        json_object_set(st->sweep, knob, v);
        return 0;
    }
    if (!strcmp(knob, "freelists")) {
        if (!json_is_boolean(v))
            return bench_errf(err, n, "%s/freelists: expected booleans", ptr);
        snprintf(text, sizeof text, "%s", json_is_true(v) ? "on" : "off");
    } else if (!strcmp(knob, "small_threshold")) {
        if (!json_is_integer(v))
            return bench_errf(err, n, "%s/small_threshold: expected integers (%u or %u)",
                              ptr, BENCH_SMALL_THRESHOLD_ALT,
                              BENCH_SMALL_THRESHOLD_DEFAULT);
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
    } else if (!json_is_string(v)) {
        return bench_errf(err, n, "%s/%s: expected strings", ptr, knob);
    } else {
        snprintf(text, sizeof text, "%s", json_string_value(v));
    }
    if (bench_setting_apply(st, knob, text, kerr, sizeof kerr) != 0)
        return bench_errf(err, n, "%s/%s: %s", ptr, knob, kerr);
    snprintf(label + len, ln - len, "%s%s-%s", len ? "-" : "",
             !strcmp(knob, "freelists")         ? "fl"
             : !strcmp(knob, "small_threshold") ? "st"
                                                : knob,
             text);
    json_object_set(st->sweep, knob, v);
    return 0;
}

static const bench_setting *
baseline_of(const bench_suite *s)
{
    for (size_t i = 0; i < s->ndeclared; i++)
        if (!strcmp(s->settings[i].label, s->baseline))
            return &s->settings[i];
    return &s->settings[0];
}

/* Add the points of one sweep (one or two knobs) as settings. */
static int
add_points(bench_suite *s, json_t *knobs, const char *ptr, bench_sweep *si, char *err,
           size_t n)
{
    const char *names[2] = { NULL, NULL };
    json_t *vals[2] = { NULL, NULL }, *v;
    size_t nk = 0, len[2] = { 1, 1 }, *ord[2];
    const char *k;
    json_object_foreach(knobs, k, v) {
        int ok = 0;
        for (size_t i = 0; i < N_SWEEP_KNOBS; i++)
            ok |= !strcmp(k, sweep_knobs[i]);
        if (!ok)
            return bench_errf(err, n,
                              "%s/knobs/%s: unknown knob (threshold0, threshold1, "
                              "threshold2, gc, alloc, freelists, small_threshold)",
                              ptr, k);
        if (nk == 2)
            return bench_errf(err, n, "%s/knobs: at most two knobs", ptr);
        if (!json_is_array(v) || !json_array_size(v))
            return bench_errf(err, n, "%s/knobs/%s: expected a non-empty array", ptr, k);
        names[nk] = k;
        vals[nk] = v;
        len[nk++] = json_array_size(v);
    }
    if (!nk)
        return bench_errf(err, n, "%s/knobs: expected one or two knobs", ptr);
    for (int a = 0; a < 2; a++) {
        ord[a] = bench_xcalloc(len[a], sizeof *ord[a]);
        fill_order(len[a], ord[a]);
    }
    si->first = s->nsettings;
    for (size_t i = 0; i < len[0]; i++)
        for (size_t j = 0; j < len[1]; j++) {
            bench_setting *st = &s->settings[s->nsettings];
            char label[BENCH_NAME_MAX + 1] = "";
            bench_setting_copy(st, baseline_of(s));
            st->sweep = json_object();
            s->nsettings++;
            if (apply_point(st, names[0], json_array_get(vals[0], ord[0][i]), label,
                            sizeof label, ptr, err, n) ||
                (nk == 2 && apply_point(st, names[1], json_array_get(vals[1], ord[1][j]),
                                        label, sizeof label, ptr, err, n))) {
                free(ord[0]);
                free(ord[1]);
                return -1;
            }
            snprintf(st->label, sizeof st->label, "%s", label);
        }
    si->count = s->nsettings - si->first;
    free(ord[0]);
    free(ord[1]);
    return 0;
}

static int
parse_one_sweep(bench_suite *s, json_t *sw, size_t i, bench_sweep *si, char *err,
                size_t n)
{
    char ptr[64];
    const char *k;
    json_t *v, *name = json_object_get(sw, "name"),
               *scen = json_object_get(sw, "scenario");
    snprintf(ptr, sizeof ptr, "/sweeps/%zu", i);
    if (!json_is_object(sw))
        return bench_errf(err, n, "%s: expected an object", ptr);
    json_object_foreach(sw, k, v)
        if (strcmp(k, "name") && strcmp(k, "scenario") && strcmp(k, "knobs") &&
            strcmp(k, "include_baseline"))
            return bench_errf(err, n, "%s/%s: unknown key", ptr, k);
    if (!json_is_string(name) || !bench_name_valid(json_string_value(name)))
        return bench_errf(err, n, "%s/name: expected a valid name", ptr);
    snprintf(si->name, sizeof si->name, "%s", json_string_value(name));
    si->scen = SIZE_MAX;
    for (size_t j = 0; j < s->nscen && json_is_string(scen); j++)
        if (!strcmp(s->scen[j].sc->name, json_string_value(scen)))
            si->scen = j;
    if (si->scen == SIZE_MAX)
        return bench_errf(err, n, "%s/scenario: not one of the suite's scenarios", ptr);
    if (json_object_get(sw, "include_baseline") &&
        !json_is_boolean(json_object_get(sw, "include_baseline")))
        return bench_errf(err, n, "%s/include_baseline: expected true or false", ptr);
    return add_points(s, json_object_get(sw, "knobs"), ptr, si, err, n);
}

static int
check_labels(const bench_suite *s, char *err, size_t n)
{
    for (size_t i = s->ndeclared; i < s->nsettings; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(s->settings[i].label, s->settings[j].label))
                return bench_errf(err, n,
                                  "/sweeps: point '%s' repeats the label "
                                  "of another setting",
                                  s->settings[i].label);
    return 0;
}

int
bench_suite_parse_sweeps(json_t *arr, bench_suite *s, char *err, size_t n)
{
    json_t *sw;
    size_t i;
    if (!json_is_array(arr))
        return bench_errf(err, n, "/sweeps: expected an array");
    s->sweeps = bench_xcalloc(json_array_size(arr) + 1, sizeof *s->sweeps);
    json_array_foreach(arr, i, sw) {
        if (parse_one_sweep(s, sw, i, &s->sweeps[i], err, n))
            return -1;
        s->nsweeps++;
    }
    return check_labels(s, err, n);
}

static void
add_job(bench_suite *s, const char *id, size_t scen, size_t base, size_t first,
        size_t count, int declared)
{
    bench_job *j = &s->jobs[s->njobs++];
    snprintf(j->id, sizeof j->id, "%s", id);
    j->scen = scen;
    j->settings = bench_xcalloc(count + s->ndeclared + 1, sizeof *j->settings);
    j->settings[j->nsettings++] = base;
    if (declared)
        for (size_t i = 0; i < s->ndeclared; i++)
            if (i != base)
                j->settings[j->nsettings++] = i;
    for (size_t i = first; i < first + count; i++)
        j->settings[j->nsettings++] = i;
}

int
bench_suite_make_jobs(bench_suite *s)
{
    size_t base = 0, chunk = 0;
    json_t *jobs = json_object_get(s->doc, "jobs");
    if (json_is_string(json_object_get(jobs, "per")) &&
        !strcmp(json_string_value(json_object_get(jobs, "per")), "sweep-chunk") &&
        json_is_integer(json_object_get(jobs, "chunk")) &&
        json_integer_value(json_object_get(jobs, "chunk")) > 0)
        chunk = (size_t)json_integer_value(json_object_get(jobs, "chunk"));
    for (size_t i = 0; i < s->ndeclared; i++)
        if (!strcmp(s->settings[i].label, s->baseline))
            base = i;
    s->jobs = bench_xcalloc(s->nscen + s->nsettings + 1, sizeof *s->jobs);
    for (size_t i = 0; i < s->nscen; i++)
        add_job(s, s->scen[i].sc->name, i, base, 0, 0, 1);
    for (size_t w = 0; w < s->nsweeps; w++) {
        const bench_sweep *sw = &s->sweeps[w];
        size_t step = chunk ? chunk : sw->count;
        for (size_t off = 0, k = 1; off < sw->count; off += step, k++) {
            char id[BENCH_NAME_MAX + 32];
            size_t cnt = sw->count - off < step ? sw->count - off : step;
            if (step == sw->count)
                snprintf(id, sizeof id, "%s", sw->name);
            else
                snprintf(id, sizeof id, "%s-%zu", sw->name, k);
            add_job(s, id, sw->scen, base, sw->first + off, cnt, 0);
        }
    }
    return 0;
}

const bench_job *
bench_suite_find_job(const bench_suite *s, const char *id)
{
    for (size_t i = 0; i < s->njobs; i++)
        if (!strcmp(s->jobs[i].id, id))
            return &s->jobs[i];
    return NULL;
}

void
bench_suite_job_experiment(const bench_suite *s, const bench_job *j, size_t k,
                           bench_experiment *e)
{
    memset(e, 0, sizeof *e);
    e->sc = s->scen[j->scen].sc;
    e->params = s->scen[j->scen].params;
    bench_setting_copy(&e->set, &s->settings[j->settings[k]]);
    e->m = s->m;
    e->seed = s->seed;
}

int
bench_suite_experiment(const char *path, const char *scenario, const char *label,
                       bench_experiment *e, char *err, size_t n)
{
    bench_suite s;
    int rc = -1;
    if (bench_suite_load(path, &s, err, n) != 0) {
        bench_suite_free(&s);
        return -1;
    }
    for (size_t j = 0; j < s.njobs && rc; j++) {
        if (strcmp(s.scen[s.jobs[j].scen].sc->name, scenario))
            continue;
        for (size_t k = 0; k < s.jobs[j].nsettings && rc; k++)
            if (!strcmp(s.settings[s.jobs[j].settings[k]].label, label)) {
                bench_suite_job_experiment(&s, &s.jobs[j], k, e);
                rc = 0;
            }
    }
    if (rc)
        snprintf(err, n, "%s: no setting '%s' for scenario '%s'", path, label, scenario);
    bench_suite_free(&s);
    return rc;
}
