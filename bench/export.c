/* Exporter core (spec 6.1, scripts/gnuplot/README.md): the chart catalogue, the TSV
 * buffer, writing data files and their `charts` entries, and shared readers.
 * Design: docs/design/reports.md ("The pipeline").
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "export_internal.h"
#include "output.h"
#include "result.h"
#include "util.h"

/* ---- buffer ---- */

void
eb_init(exp_buf *b)
{
    memset(b, 0, sizeof *b);
}

void
eb_free(exp_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

void
eb_printf(exp_buf *b, const char *fmt, ...)
{
    va_list ap;
    int k;
    va_start(ap, fmt);
    k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    if (b->len + (size_t)k + 1 > b->cap) {
        b->cap = (b->len + (size_t)k + 1) * 2 + 256;
        b->s = bench_xrealloc(b->s, b->cap);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)k;
}

void
eb_puts(exp_buf *b, const char *s)
{
    eb_printf(b, "%s", s);
}

void
eb_header(exp_buf *b, const char *cols)
{
    eb_puts(b, "# ");
    for (const char *p = cols; *p; p++)
        eb_printf(b, "%c", *p == ' ' ? '\t' : *p);
    eb_puts(b, "\n");
}

void
eb_block(exp_buf *b, const char *name)
{
    if (b->blocks++)
        eb_puts(b, "\n\n");
    eb_printf(b, "# series=%s\n", name);
}

static void
sep(exp_buf *b)
{
    if (b->fields++)
        eb_puts(b, "\t");
}

/* One number in the given format, NaN when not finite (6.1); -0 prints as 0. */
static void
eb_real(exp_buf *b, double v, const char *fmt)
{
    sep(b);
    if (isfinite(v))
        eb_printf(b, fmt, v == 0 ? 0.0 : v);
    else
        eb_puts(b, "NaN");
}

void
eb_num(exp_buf *b, double v)
{
    eb_real(b, v, "%.6g");
}

void
eb_time(exp_buf *b, double v)
{
    eb_real(b, v, "%.9g");
}

void
eb_int(exp_buf *b, double v)
{
    eb_real(b, v, "%.0f");
}

void
eb_str(exp_buf *b, const char *s)
{
    sep(b);
    eb_puts(b, s && *s ? s : "NaN");
}

void
eb_end(exp_buf *b)
{
    eb_puts(b, "\n");
    b->fields = 0;
    b->rows++;
}

/* ---- catalogue ---- */

static const char *const chart_ids[] = {
    "pause-timeline", "pause-histogram", "pause-nines", "mmu", "heap-timeline",
    "heap-collections", "alloc-survival", "gc-share", "size-classes", "pool-util",
    "compare-forest", "sweep-heatmap", "sweep-frontier", "arena-map", "frees-split",
    "pause-work", "nines-ratio", NULL,
};

static const char *const chart_questions[] = {
    "When do pauses happen, how long are they?",
    "What shape has the pause distribution?",
    "How bad is the tail?",
    "What share of any window w does the program get?",
    "How do generations and RSS evolve?",
    "Does live memory keep growing?",
    "How fast is allocation, how much survives a young collection?",
    "Where does the time go?",
    "Which sizes dominate?",
    "How full are pools and arenas over time?",
    "Which metrics changed, how much, how sure?",
    "How does a metric respond to two knobs?",
    "Which settings are worth having?",
    "Where and when is memory fragmented?",
    "Who frees objects, refcounting or the collector, and when?",
    "Is pause time proportional to objects examined?",
    "At which percentile does the candidate win or lose?",
};

const char *const *
bench_chart_ids(void)
{
    return chart_ids;
}

const char *
bench_chart_question(const char *id)
{
    for (size_t i = 0; chart_ids[i]; i++)
        if (id && !strcmp(id, chart_ids[i]))
            return chart_questions[i];
    return NULL;
}

/* ---- writing ---- */

/* Data file names (data/<name>.tsv), the name argument of exp_emit:
 *   per (scenario, setting): <chart>__<scenario>__<setting>   pause-timeline,
 *       heap-timeline, heap-collections, alloc-survival, pool-util, arena-map,
 *       frees-split
 *   per scenario: <chart>__<scenario>   pause-histogram, pause-nines, mmu, gc-share,
 *       size-classes, pause-work, nines-ratio (block per setting, baseline block empty)
 *   compare-forest__<scenario>__<candidate>: one file per comparison (candidate vs its
 *       baseline, from compare_rows), rows <scenario>/<metric>
 *   sweep-heatmap__<scenario>__<sweep>-<metric> (two-knob sweeps; metric wall_ns_per_loop
 *       and pause_p99_ns), sweep-frontier__<scenario>__<sweep> */
int
exp_emit(exp_ctx *c, const char *chart, const char *scen, const char *setting,
         const char *name, exp_buf *b, size_t dense, size_t png_above,
         const char *caption)
{
    char path[4096], file[1024], anchor[1024];
    json_t *e;
    if (!b->rows || c->err)
        return 0;
    snprintf(path, sizeof path, "%s/%s.tsv", c->datadir, name);
    if (bench_output_text(path, b->s, b->len) != 0) {
        c->err = 1;
        return 0;
    }
    snprintf(file, sizeof file, "data/%s.tsv", name);
    {   /* chart-<chart>-<scenario>-<third part of the name, i.e. setting, or "all"> */
        const char *third = strstr(name + strlen(chart) + 2, "__");
        snprintf(anchor, sizeof anchor, "chart-%s-%s-%s", chart, scen,
                 third ? third + 2 : setting ? setting : "all");
    }
    e = json_pack(
        "{s:s, s:s, s:o, s:s, s:s, s:I, s:s, s:s, s:s}", "chart", chart, "scenario", scen,
        "setting", setting ? json_string(setting) : json_null(), "file", file, "name",
        name, "rows", (json_int_t)b->rows, "term", dense > png_above ? "png" : "svg",
        "caption", caption ? caption : "", "anchor", anchor);
    json_array_append_new(c->charts, e);
    return 1;
}

void
exp_emit_extra(exp_ctx *c, const char *key, json_t *value)
{
    size_t n = json_array_size(c->charts);
    if (n)
        json_object_set(json_array_get(c->charts, n - 1), key, value);
    json_decref(value);
}

static int
wanted(const char *id, const char *const *only, size_t nonly)
{
    if (!only || !nonly)
        return 1;
    for (size_t i = 0; i < nonly; i++)
        if (!strcmp(only[i], id))
            return 1;
    return 0;
}

typedef void (*per_setting_fn)(exp_ctx *, const char *, const char *, json_t *);
typedef void (*per_scen_fn)(exp_ctx *, const char *);

static const struct {
    const char *id;
    per_setting_fn set;
    per_scen_fn scen;
} chart_fns[] = {
    { "pause-timeline", exp_ch_pause_timeline, NULL },
    { "pause-histogram", NULL, exp_ch_pause_histogram },
    { "pause-nines", NULL, exp_ch_pause_nines },
    { "mmu", NULL, exp_ch_mmu },
    { "heap-timeline", exp_ch_heap_timeline, NULL },
    { "heap-collections", exp_ch_heap_collections, NULL },
    { "alloc-survival", exp_ch_alloc_survival, NULL },
    { "gc-share", NULL, exp_ch_gc_share },
    { "size-classes", NULL, exp_ch_size_classes },
    { "pool-util", exp_ch_pool_util, NULL },
    { "compare-forest", NULL, exp_ch_compare_forest },
    { "arena-map", exp_ch_arena_map, NULL },
    { "frees-split", exp_ch_frees_split, NULL },
    { "pause-work", NULL, exp_ch_pause_work },
    { "nines-ratio", NULL, exp_ch_nines_ratio },
};

static void
export_chart(exp_ctx *c, size_t k)
{
    const bench_results *r = c->r;
    for (size_t i = 0; i < r->nscen && !c->err; i++) {
        if (chart_fns[k].scen) {
            chart_fns[k].scen(c, r->scenarios[i]);
            continue;
        }
        for (size_t j = 0; j < r->nset && !c->err; j++) {
            json_t *doc = bench_results_find(r, r->scenarios[i], r->settings[j]);
            if (doc)
                chart_fns[k].set(c, r->scenarios[i], r->settings[j], doc);
        }
    }
}

int
bench_export_tsv(const bench_results *r, json_t *compare_rows, const char *const *only,
                 size_t nonly, const char *datadir, json_t *charts)
{
    exp_ctx c = { r, compare_rows, datadir, charts, 0 };
    json_t *sw;
    size_t i;
    if (bench_mkdirs(datadir) != 0) {
        perror(datadir);
        return 1;
    }
    for (size_t k = 0; chart_ids[k] && !c.err; k++) {
        if (!wanted(chart_ids[k], only, nonly))
            continue;
        if (!strcmp(chart_ids[k], "sweep-heatmap") ||
            !strcmp(chart_ids[k], "sweep-frontier")) {
            json_array_foreach(json_object_get(r->suite, "sweeps"), i, sw) {
                if (chart_ids[k][6] == 'h')
                    exp_ch_sweep_heatmap(&c, sw);
                else
                    exp_ch_sweep_frontier(&c, sw);
            }
            continue;
        }
        for (size_t f = 0; f < sizeof chart_fns / sizeof chart_fns[0]; f++)
            if (!strcmp(chart_fns[f].id, chart_ids[k]))
                export_chart(&c, f);
    }
    return c.err;
}

/* ---- readers ---- */

int
exp_col(json_t *table, const char *name)
{
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(table, "columns"), i, v)
        if (json_is_string(v) && !strcmp(json_string_value(v), name))
            return (int)i;
    return -1;
}

double
exp_cell(json_t *row, int col)
{
    json_t *v = col < 0 ? NULL : json_array_get(row, (size_t)col);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *
exp_cells(json_t *row, int col)
{
    json_t *v = col < 0 ? NULL : json_array_get(row, (size_t)col);
    return json_is_string(v) ? json_string_value(v) : "";
}

json_t *
exp_run(json_t *doc, int i)
{
    return i < 0 ? NULL : json_array_get(json_object_get(doc, "runs"), (size_t)i);
}

json_t *
exp_events(json_t *run)
{
    return json_object_get(json_object_get(run, "pauses"), "events");
}

json_t *
exp_series(json_t *run)
{
    return json_object_get(run, "timeseries");
}

size_t *
exp_ok_runs(json_t *doc, size_t *n)
{
    size_t nr = json_array_size(json_object_get(doc, "runs"));
    size_t *idx = bench_xmalloc((nr + 1) * sizeof *idx);
    *n = bench_ok_runs(doc, idx);
    return idx;
}

double *
exp_metric(json_t *doc, const char *metric, size_t *n)
{
    size_t k = 0, *idx = exp_ok_runs(doc, &k), m = 0;
    double *v = bench_xmalloc((k + 1) * sizeof *v);
    if (bench_metric_values(doc, metric, idx, k, v) != 0)
        k = 0;
    for (size_t i = 0; i < k; i++)
        if (isfinite(v[i]))
            v[m++] = v[i];
    free(idx);
    *n = m;
    return v;
}

double
exp_median_metric(json_t *doc, const char *metric)
{
    size_t n = 0;
    double *v = exp_metric(doc, metric, &n), m = bs_median(v, n);
    free(v);
    return m;
}

uint64_t
exp_seed(json_t *doc)
{
    json_t *s = json_object_get(json_object_get(doc, "config"), "seed");
    return json_is_integer(s) ? (uint64_t)json_integer_value(s) : 0;
}

void
exp_rep_text(json_t *doc, int rep, char *out, size_t n)
{
    size_t nr = json_array_size(json_object_get(doc, "runs"));
    snprintf(out, n, "Representative run: run %d of %zu, median wall time", rep + 1, nr);
}

const char *
exp_worst_status(json_t *doc)
{
    static const char *const order[] = { "crashed", "error", "timeout", "oom", "limit" };
    int worst = 5;
    json_t *run;
    size_t i;
    json_array_foreach(json_object_get(doc, "runs"), i, run) {
        const char *s = json_string_value(json_object_get(run, "status"));
        if (json_is_string(json_object_get(run, "excluded")) || !s)
            continue;
        for (int k = 0; k < worst; k++)
            if (!strcmp(s, order[k]))
                worst = k;
    }
    return worst < 5 ? order[worst] : "ok";
}

void
exp_omitted(char *cap, size_t n, size_t omitted, const char *what)
{
    size_t len = strlen(cap);
    if (omitted && len < n)
        snprintf(cap + len, n - len, "%s%zu %s <= 0 omitted (log axis).", len ? " " : "",
                 omitted, what);
}
