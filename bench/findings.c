/* Findings (results-and-reports.md 7.2): plain-language sentences from rules over the
 * results, the comparisons and LBO, each with its evidence and a link to a chart of the
 * page that shows it (docs/design/reports.md, "Findings").
 * SPDX-License-Identifier: MIT */
#include "findings.h"
#include "findings_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "stats.h"
#include "util.h"

/* ---- context and chart links ---- */


/* The anchor of an exported chart (chart, scen, key), or NULL when there is none. */
static const char *
chart_anchor(json_t *charts, const char *chart, const char *scen, const char *key)
{
    char want[1024];
    json_t *c;
    size_t i;
    snprintf(want, sizeof want, "chart-%s-%s-%s", chart, scen, key ? key : "");
    json_array_foreach(charts, i, c) {
        const char *a = json_string_value(json_object_get(c, "anchor"));
        const char *id = json_string_value(json_object_get(c, "chart"));
        const char *s = json_string_value(json_object_get(c, "scenario"));
        if (!a || !id || !s || strcmp(id, chart) || strcmp(s, scen))
            continue;
        if (key ? !strcmp(a, want) : json_is_null(json_object_get(c, "setting")))
            return a;
    }
    return NULL;
}

/* 7.1 and 7.3: a finding links to a chart anchor that exists in the page: the first of
 * links that was exported, else the scenario's chart section (charts-<scenario>). */
static void
link_of(const fnd_ctx *c, const char *scen, const fnd_link *links, char *out, size_t n)
{
    for (size_t i = 0; scen && links && links[i].chart; i++) {
        const char *a = chart_anchor(c->charts, links[i].chart, scen, links[i].key);
        if (a) {
            snprintf(out, n, "%s", a);
            return;
        }
    }
    snprintf(out, n, scen ? "charts-%s" : "charts", scen);
}

void
fnd_add(fnd_ctx *c, const char *id, const char *sev, const char *scen,
        const char *setting, const fnd_link *links, json_t *evidence, const char *fmt,
        ...)
{
    char text[2048], anchor[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    link_of(c, scen, links, anchor, sizeof anchor);
    json_array_append_new(c->out, json_pack("{s:s,s:s,s:o,s:o,s:s,s:o,s:s}", "id", id,
                                            "severity", sev, "scenario",
                                            scen ? json_string(scen) : json_null(),
                                            "setting",
                                            setting ? json_string(setting) : json_null(),
                                            "text", text, "evidence", evidence, "chart",
                                            anchor));
}

/* Append to the text out (n bytes, *len used so far); truncates, never overflows. */
static void __attribute__((format(printf, 4, 5)))
text_cat(char *out, size_t n, size_t *len, const char *fmt, ...)
{
    va_list ap;
    if (*len + 1 >= n)
        return;
    va_start(ap, fmt);
    *len += (size_t)vsnprintf(out + *len, n - *len, fmt, ap);
    va_end(ap);
    if (*len >= n)
        *len = n - 1;
}

double
fnd_med(json_t *doc, const char *metric)
{
    char path[96];
    snprintf(path, sizeof path, "%s.median", metric);
    return bench_jnum(json_object_get(json_object_get(doc, "summary"), "metrics"), path);
}

static void
sum_gen(json_t *doc, const char *key, double out[3])
{
    json_t *runs = json_object_get(doc, "runs"), *r;
    size_t i;
    out[0] = out[1] = out[2] = 0;
    json_array_foreach(runs, i, r) {
        json_t *a =
            json_object_get(json_object_get(json_object_get(r, "metrics"), "gc"), key);
        if (strcmp(json_string_value(json_object_get(r, "status")), "ok"))
            continue;
        for (size_t g = 0; g < 3; g++)
            out[g] += json_number_value(json_array_get(a, g));
    }
}

/* ---- rules over each setting, reported once per scenario ----
 * 7.2 does not restrict these rules to the baseline: each is evaluated on every setting,
 * and the settings of a scenario where it holds share one finding, worst first
 * (docs/design/reports.md, "Findings"). */

#define FND_MAXSET 256

/* The settings of one scenario (suite order) and their documents. */
typedef struct fnd_scen {
    const char *name;
    const char *set[FND_MAXSET];
    json_t *doc[FND_MAXSET];
    size_t n;
} fnd_scen;

/* The settings where one rule holds: value (the sort key) and evidence (owned). */
typedef struct fnd_group {
    const char *set[FND_MAXSET];
    double v[FND_MAXSET];
    json_t *ev[FND_MAXSET];
    size_t n;
} fnd_group;

/* Record a setting where the rule holds; ev gets "setting" first. Steals ev. */
static void
group_add(fnd_group *g, const char *set, double v, json_t *ev)
{
    json_t *e = json_pack("{s:s}", "setting", set);
    json_object_update(e, ev);
    json_decref(ev);
    if (g->n == FND_MAXSET) {
        json_decref(e);
        return;
    }
    g->set[g->n] = set;
    g->v[g->n] = v;
    g->ev[g->n++] = e;
}

/* Worst first (highest v when high, else lowest); ties keep suite order. */
static void
group_sort(fnd_group *g, int high)
{
    for (size_t i = 1; i < g->n; i++)
        for (size_t j = i;
             j > 0 && (high ? g->v[j] > g->v[j - 1] : g->v[j] < g->v[j - 1]); j--) {
            const char *s = g->set[j];
            double v = g->v[j];
            json_t *e = g->ev[j];
            g->set[j] = g->set[j - 1], g->v[j] = g->v[j - 1], g->ev[j] = g->ev[j - 1];
            g->set[j - 1] = s, g->v[j - 1] = v, g->ev[j - 1] = e;
        }
}

/* "; also under a (12%), b (11%)" for every setting but the worst ("" for one). */
static void
group_also(const fnd_group *g, const char *vfmt, double scale, char *out, size_t n)
{
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 1; i < g->n; i++) {
        char v[64];
        snprintf(v, sizeof v, vfmt, scale * g->v[i]);
        text_cat(out, n, &len, "%s%s (%s)", i == 1 ? "; also under " : ", ", g->set[i],
                 v);
    }
}

/* Emit the group as one finding: setting = the worst, evidence = the worst's evidence
 * plus "settings" (every setting's, worst first); links = each setting's chart of the
 * ids in per_set (in order), then the scenario's chart scen_chart. */
static void
group_emit(fnd_ctx *c, fnd_group *g, const char *id, const char *sev, const char *scen,
           const char *const *per_set, const char *scen_chart, const char *text)
{
    fnd_link links[FND_MAXLINKS];
    json_t *ev = json_deep_copy(g->ev[0]), *all = json_array();
    size_t nl = 0;
    for (size_t k = 0; per_set && per_set[k]; k++)
        for (size_t i = 0; i < g->n && nl + 2 < FND_MAXLINKS; i++)
            links[nl++] = (fnd_link){ per_set[k], g->set[i] };
    links[nl++] = (fnd_link){ scen_chart, NULL };
    links[nl] = (fnd_link){ NULL, NULL };
    for (size_t i = 0; i < g->n; i++)
        json_array_append_new(all, g->ev[i]);
    json_object_set_new(ev, "settings", all);
    fnd_add(c, id, sev, scen, g->set[0], links, ev, "%s", text);
    g->n = 0;
}

static void
gc_share_rule(fnd_ctx *c, const fnd_scen *s)
{
    fnd_group g = { .n = 0 };
    char also[1024], text[1536];
    double share;
    for (size_t k = 0; k < s->n; k++)
        if ((share = fnd_med(s->doc[k], "gc_time_share")) >= 0.10)
            group_add(&g, s->set[k], share, json_pack("{s:f}", "gc_time_share", share));
    if (!g.n)
        return;
    group_sort(&g, 1);
    group_also(&g, "%.0f%%", 100, also, sizeof also);
    snprintf(text, sizeof text,
             "GC takes %.0f%% of run time in %s under %s (throughput %.0f%%)%s.",
             100 * g.v[0], s->name, g.set[0], 100 * (1 - g.v[0]), also);
    group_emit(c, &g, "F-GC-SHARE", "warning", s->name, NULL, "gc-share", text);
}

static void
mmu_rule(fnd_ctx *c, const fnd_scen *s)
{
    fnd_group g = { .n = 0 };
    char also[1024], text[1536];
    double mmu;
    for (size_t k = 0; k < s->n; k++)
        if (isfinite(mmu = fnd_med(s->doc[k], "mmu_10ms")) && mmu < 0.5)
            group_add(&g, s->set[k], mmu, json_pack("{s:f}", "mmu_10ms", mmu));
    if (!g.n)
        return;
    group_sort(&g, 0);
    group_also(&g, "%.0f%%", 100, also, sizeof also);
    snprintf(text, sizeof text,
             "In the worst 10 ms window %s under %s ran only %.0f%% of the time%s.",
             s->name, g.set[0], 100 * g.v[0], also);
    group_emit(c, &g, "F-MMU", "warning", s->name, NULL, "mmu", text);
}

/* One finding per generation that takes >= 50% of GC time under some setting (settings
 * where GC takes under 1% of run time are left out: nothing to dominate). */
static void
gen_rule(fnd_ctx *c, const fnd_scen *s)
{
    for (int gen = 0; gen < 3; gen++) {
        fnd_group g = { .n = 0 };
        char also[1024], text[1536];
        double c0 = 0, call = 0;
        for (size_t k = 0; k < s->n; k++) {
            double t[3], n[3], total;
            sum_gen(s->doc[k], "time_ns", t);
            sum_gen(s->doc[k], "collections", n);
            total = t[0] + t[1] + t[2];
            if (!(total > 0 && fnd_med(s->doc[k], "gc_time_share") >= 0.01 &&
                  t[gen] >= 0.5 * total))
                continue;
            if (!g.n || t[gen] / total > g.v[0])
                c0 = n[gen], call = n[0] + n[1] + n[2];
            group_add(&g, s->set[k], t[gen] / total,
                      json_pack("{s:i,s:f,s:f,s:f}", "generation", gen, "share",
                                t[gen] / total, "collections_gen", n[gen],
                                "collections_all", n[0] + n[1] + n[2]));
        }
        if (!g.n)
            continue;
        group_sort(&g, 1);
        group_also(&g, "%.0f%%", 100, also, sizeof also);
        snprintf(text, sizeof text,
                 "gen%d collections take %.0f%% of GC time in %s under %s (%.0f of %.0f "
                 "collections)%s.",
                 gen, 100 * g.v[0], s->name, g.set[0], c0, call, also);
        group_emit(c, &g, "F-GEN-DOMINANT", "info", s->name, NULL, "gc-share", text);
    }
}

static void
rc_rule(fnd_ctx *c, const fnd_scen *s)
{
    static const char *const charts[] = { "frees-split", "alloc-survival", NULL };
    fnd_group g = { .n = 0 };
    char also[1024], text[1536];
    for (size_t k = 0; k < s->n; k++) {
        double rc = fnd_med(s->doc[k], "frees_by_refcount");
        double gc = fnd_med(s->doc[k], "frees_by_gc");
        if (rc + gc > 0 && rc / (rc + gc) >= 0.99)
            group_add(&g, s->set[k], rc / (rc + gc),
                      json_pack("{s:f}", "refcount_share", rc / (rc + gc)));
    }
    if (!g.n)
        return;
    group_sort(&g, 1);
    group_also(&g, "%.1f%%", 100, also, sizeof also);
    snprintf(text, sizeof text,
             "Refcounting freed %.1f%% of objects in %s under %s%s; the collector mostly "
             "scans survivors (consider freeze or higher thresholds).",
             100 * g.v[0], s->name, g.set[0], also);
    group_emit(c, &g, "F-RC-DOMINANT", "info", s->name, charts, "gc-share", text);
}

static void
uncollectable_rule(fnd_ctx *c, const fnd_scen *s)
{
    fnd_group g = { .n = 0 };
    char also[1024], text[1536];
    for (size_t k = 0; k < s->n; k++) {
        double u[3];
        sum_gen(s->doc[k], "uncollectable", u);
        if (u[0] + u[1] + u[2] > 0)
            group_add(&g, s->set[k], u[0] + u[1] + u[2],
                      json_pack("{s:f}", "uncollectable", u[0] + u[1] + u[2]));
    }
    if (!g.n)
        return;
    group_sort(&g, 1);
    group_also(&g, "%.0f", 1, also, sizeof also);
    snprintf(text, sizeof text,
             "%.0f objects were uncollectable in %s under %s (finalizers in cycles)%s.",
             g.v[0], s->name, g.set[0], also);
    group_emit(c, &g, "F-UNCOLLECTABLE", "warning", s->name, NULL, "gc-share", text);
}

/* Pool utilization of the representative run's end state, NAN without pool data; the
 * arenas at the end, and whether none was returned (end = peak, at least 4). */
static double
frag_util(json_t *doc, double *end, int *kept)
{
    int ri = bench_representative_run(doc);
    json_t *p = ri < 0 ? NULL
                       : json_object_get(json_array_get(json_object_get(doc, "runs"),
                                                        (size_t)ri), "pools");
    double total, used;
    if (!json_is_object(p))
        return NAN;
    *end = bench_jnum(p, "arenas_end");
    *kept = *end == bench_jnum(p, "arenas_peak") && *end >= 4;
    total = bench_jnum(p, "pools_total_end");
    used = bench_jnum(p, "pools_in_use_end");
    return total > 0 ? used / total : NAN;
}

static void
frag_rule(fnd_ctx *c, const fnd_scen *s)
{
    static const char *const charts[] = { "pool-util", "arena-map", NULL };
    fnd_group g = { .n = 0 };
    char also[1024], text[1536];
    double end0 = 0;
    for (size_t k = 0; k < s->n; k++) {
        double end = 0, util;
        int kept = 0;
        util = frag_util(s->doc[k], &end, &kept);
        if (!(isfinite(util) && util < 0.5 && kept))
            continue;
        if (!g.n || util < g.v[0])
            end0 = end;
        group_add(&g, s->set[k], util,
                  json_pack("{s:f,s:f}", "pool_utilization", util, "arenas_end", end));
    }
    if (!g.n)
        return;
    group_sort(&g, 0);
    group_also(&g, "%.0f%% used", 100, also, sizeof also);
    snprintf(text, sizeof text,
             "Arenas are %.0f%% used in %s under %s but none was returned: fragmentation "
             "keeps %.0f MiB resident%s.",
             100 * g.v[0], s->name, g.set[0], end0 * (1 - g.v[0]), also);
    group_emit(c, &g, "F-FRAG", "info", s->name, charts, "gc-share", text);
}

static void
lbo_rule(fnd_ctx *c, const fnd_scen *s, json_t *lbo)
{
    fnd_group g = { .n = 0 };
    char also[1024], text[1536];
    json_t *r, *worst;
    size_t i;
    json_array_foreach(lbo, i, r) {
        double v = bench_jnum(r, "lbo");
        const char *scen = json_string_value(json_object_get(r, "scenario"));
        const char *set = json_string_value(json_object_get(r, "setting"));
        if (scen && set && !strcmp(scen, s->name) && isfinite(v) && v >= 0.10)
            group_add(&g, set, v, json_deep_copy(r));
    }
    if (!g.n)
        return;
    group_sort(&g, 1);
    group_also(&g, "%.0f%%", 100, also, sizeof also);
    worst = g.ev[0];
    snprintf(text, sizeof text,
             "%s under %s costs at least %.0f%% (95%% CI %.0f-%.0f%%) over the cheapest "
             "distilled cost (baseline: %s)%s.",
             s->name, g.set[0], 100 * g.v[0], 100 * bench_jnum(worst, "lo"),
             100 * bench_jnum(worst, "hi"),
             json_string_value(json_object_get(worst, "baseline_setting")), also);
    group_emit(c, &g, "F-LBO", "info", s->name, NULL, "gc-share", text);
}

/* The warnings of severity "warning" of doc (new reference, possibly empty). */
static json_t *
doc_warnings(json_t *doc)
{
    json_t *out = json_array(), *w;
    size_t i;
    json_array_foreach(json_object_get(doc, "warnings"), i, w) {
        const char *sev = json_string_value(json_object_get(w, "severity"));
        if (sev && !strcmp(sev, "warning"))
            json_array_append(out, w);
    }
    return out;
}

/* Per distinct code of the group's warnings (in order of first appearance): "CODE under
 * a, b: first message" (or "under all N settings"), joined by ". ". */
static void
unstable_text(const fnd_group *g, size_t nset, char *out, size_t n)
{
    json_t *codes = json_array(), *by = json_object(), *w, *e;
    size_t len = 0, i, k;
    for (size_t a = 0; a < g->n; a++)
        json_array_foreach(json_object_get(g->ev[a], "warnings"), i, w) {
            const char *code = json_string_value(json_object_get(w, "code"));
            const char *msg = json_string_value(json_object_get(w, "message"));
            json_t *sets;
            if (!code)
                continue;
            if (!(e = json_object_get(by, code))) {
                e = json_pack("{s:s,s:[]}", "message", msg ? msg : "", "settings");
                json_object_set_new(by, code, e);
                json_array_append_new(codes, json_string(code));
            }
            sets = json_object_get(e, "settings");
            k = json_array_size(sets);
            if (!k || strcmp(json_string_value(json_array_get(sets, k - 1)), g->set[a]))
                json_array_append_new(sets, json_string(g->set[a]));
        }
    out[0] = 0;
    json_array_foreach(codes, i, w) {
        json_t *x, *sets;
        e = json_object_get(by, json_string_value(w));
        sets = json_object_get(e, "settings");
        text_cat(out, n, &len, "%s%s under ", i ? ". " : "", json_string_value(w));
        if (json_array_size(sets) == nset && nset > 1)
            text_cat(out, n, &len, "all %zu settings", nset);
        else
            json_array_foreach(sets, k, x)
                text_cat(out, n, &len, "%s%s", k ? ", " : "", json_string_value(x));
        text_cat(out, n, &len, ": %s", json_string_value(json_object_get(e, "message")));
    }
    json_decref(codes);
    json_decref(by);
}

/* 7.2: any warning of severity warning makes the results of its setting unstable. */
static void
unstable_rule(fnd_ctx *c, const fnd_scen *s)
{
    fnd_group g = { .n = 0 };
    char list[1536], text[2048];
    for (size_t k = 0; k < s->n; k++) {
        json_t *w = doc_warnings(s->doc[k]);
        if (json_array_size(w))
            group_add(&g, s->set[k], (double)json_array_size(w),
                      json_pack("{s:o}", "warnings", w));
        else
            json_decref(w);
    }
    if (!g.n)
        return;
    unstable_text(&g, s->n, list, sizeof list);
    snprintf(text, sizeof text,
             "Results for %s are not clean. %s. Run with more repeats or on a quiet "
             "machine.", s->name, list);
    group_emit(c, &g, "F-UNSTABLE", "warning", s->name, NULL, "gc-share", text);
}

static void
scenario_rules(fnd_ctx *c, const char *scen, json_t *lbo)
{
    fnd_scen s;
    s.name = scen;
    s.n = 0;
    for (size_t k = 0; k < c->r->nset && s.n < FND_MAXSET; k++) {
        json_t *d = bench_results_find(c->r, scen, c->r->settings[k]);
        if (d) {
            s.set[s.n] = c->r->settings[k];
            s.doc[s.n++] = d;
        }
    }
    gen_rule(c, &s);
    gc_share_rule(c, &s);
    mmu_rule(c, &s);
    rc_rule(c, &s);
    uncollectable_rule(c, &s);
    frag_rule(c, &s);
    if (lbo)
        lbo_rule(c, &s, lbo);
    unstable_rule(c, &s);
}

/* ---- rules over one result ---- */

/* Heap after gen2 collections of the representative run: Theil-Sen slope with Sen's
 * CI. */
static void
leak_rule(fnd_ctx *c, json_t *doc, const char *scen, const char *set)
{
    const fnd_link links[] = { { "heap-collections", set }, { "heap-timeline", set },
                               { NULL, NULL } };
    int ri = bench_representative_run(doc);
    json_t *rows, *row;
    size_t n = 0, i;
    double x[4096], y[4096], slope, icpt, lo, hi, span;
    if (ri < 0)
        return;
    rows = json_object_get(
        json_object_get(
            json_object_get(json_array_get(json_object_get(doc, "runs"), (size_t)ri),
                            "pauses"),
            "events"),
        "rows");
    json_array_foreach(rows, i, row) {
        if (n == 4096 || json_integer_value(json_array_get(row, 2)) != 2)
            continue;
        x[n] = (double)json_integer_value(json_array_get(row, 0)) / 1e9;
        y[n++] = (double)json_integer_value(json_array_get(row, 7));
    }
    if (n < 5)
        return;
    bs_theil_sen(x, y, n, &slope, &icpt, &lo, &hi);
    span = x[n - 1] - x[0];
    if (isfinite(lo) && lo > 0 && slope * span > 0.05 * bs_mean(y, n))
        fnd_add(
            c, "F-LEAK", "warning", scen, set, links,
            json_pack("{s:f,s:f,s:f}", "slope_bytes_per_s", slope, "lo", lo, "hi", hi),
            "Heap after full collections grows %.2f MiB/s in %s under %s (CI %.2f-%.2f): "
            "a leak or an unbounded cache.",
            slope / 1048576, scen, set, lo / 1048576, hi / 1048576);
}

static int
rank(const char *id)
{
    static const char *const order[] = { "F-LEAK", "F-UNCOLLECTABLE", "F-GC-SHARE",
                                         "F-MMU", "F-SWEEP-BEST", "F-TRADEOFF", "F-POOLS",
                                         "F-LBO", "F-COMPARE", "F-FRAG", "F-GEN-DOMINANT",
                                         "F-RC-DOMINANT", "F-FRONTIER", "F-UNSTABLE" };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (!strcmp(order[i], id))
            return (int)i;
    return 99;
}

static int
cmp_finding(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int rx = rank(json_string_value(json_object_get(x, "id")));
    int ry = rank(json_string_value(json_object_get(y, "id")));
    return rx - ry;
}

/* Stable order: by rule rank, then insertion order. */
static json_t *
sorted(json_t *arr)
{
    size_t n = json_array_size(arr), i;
    json_t **v = bench_xmalloc((n + 1) * sizeof *v), *out = json_array();
    for (i = 0; i < n; i++)
        v[i] = json_array_get(arr, i);
    for (i = 1; i < n; i++) /* insertion sort keeps equal ranks in order */
        for (size_t j = i; j > 0 && cmp_finding(&v[j - 1], &v[j]) > 0; j--) {
            json_t *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    for (i = 0; i < n; i++)
        json_array_append(out, v[i]);
    free(v);
    return out;
}

json_t *
bench_findings(const bench_results *r, json_t *rows, json_t *lbo, json_t *charts)
{
    fnd_ctx c = { r, charts, json_array() };
    json_t *incon = json_array(), *res;
    for (size_t s = 0; s < r->nscen; s++)
        scenario_rules(&c, r->scenarios[s], lbo);
    for (size_t k = 0; k < r->ndocs; k++) {
        json_t *d = r->docs[k], *cfg = json_object_get(d, "config");
        const char *scen =
            json_string_value(json_object_get(json_object_get(cfg, "scenario"), "name"));
        const char *set =
            json_string_value(json_object_get(json_object_get(cfg, "setting"), "label"));
        leak_rule(&c, d, scen, set);
        if (rows && !(r->baseline && !strcmp(set, r->baseline))) {
            if (fnd_is_sweep_point(d))
                fnd_sweep_best(&c, d, rows, scen, set);
            fnd_tradeoff(&c, rows, scen, set);
            fnd_pools_rule(&c, d, rows, scen, set);
        }
    }
    if (rows)
        fnd_verdict_rows(&c, rows, incon);
    fnd_frontier_rule(&c);
    res = json_pack("{s:o,s:o}", "findings", sorted(c.out), "inconclusive", incon);
    json_decref(c.out);
    return res;
}
