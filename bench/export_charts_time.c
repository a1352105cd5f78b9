/* Exporter: per-(scenario, setting) time charts of the representative run (spec 6.1,
 * 6.2; layouts in scripts/gnuplot/README.md): pause-timeline, heap-timeline,
 * heap-collections, alloc-survival, pool-util, arena-map, frees-split.
 * Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "result.h"
#include "util.h"

#define MIB 1048576.0

static void
file_name(char *out, size_t n, const char *chart, const char *scen, const char *set)
{
    snprintf(out, n, "%s__%s__%s", chart, scen, set);
}

/* The representative run of doc, or NULL; its caption text in rep. */
static json_t *
rep_run(json_t *doc, char *rep, size_t n)
{
    int i = bench_representative_run(doc);
    if (i < 0)
        return NULL;
    exp_rep_text(doc, i, rep, n);
    return exp_run(doc, i);
}

void
exp_ch_pause_timeline(exp_ctx *c, const char *scen, const char *set, json_t *doc)
{
    char name[512], cap[1024];
    json_t *run = rep_run(doc, cap, sizeof cap), *ev = exp_events(run), *row;
    int ct = exp_col(ev, "t_ns"), cd = exp_col(ev, "duration_ns"),
        cg = exp_col(ev, "generation"), co = exp_col(ev, "objects_examined"),
        ck = exp_col(ev, "kept");
    size_t i, shown = 0, omitted = 0;
    exp_buf b;
    if (!run)
        return;
    eb_init(&b);
    eb_header(&b, "t_s pause_ms objects_examined kept");
    for (int g = 0; g < 3; g++) {
        char bn[8];
        snprintf(bn, sizeof bn, "gen%d", g);
        eb_block(&b, bn);
        json_array_foreach(json_object_get(ev, "rows"), i, row) {
            if (exp_cell(row, cg) != g)
                continue;
            if (!(exp_cell(row, cd) > 0)) {
                omitted++;
                continue;
            }
            eb_time(&b, exp_cell(row, ct) / 1e9);
            eb_time(&b, exp_cell(row, cd) / 1e6);
            eb_int(&b, exp_cell(row, co));
            eb_str(&b, exp_cells(row, ck));
            eb_end(&b);
            shown++;
        }
    }
    snprintf(
        cap + strlen(cap), sizeof cap - strlen(cap), ". %zu of %.0f pauses shown%s.",
        shown, bench_jnum(run, "pauses.count"),
        !strcmp(exp_or(json_string_value(json_object_get(ev, "policy")), ""), "bounded")
            ? " (bounded sample)"
            : "");
    exp_omitted(cap, sizeof cap, omitted, "pauses of 0 ns");
    file_name(name, sizeof name, "pause-timeline", scen, set);
    exp_emit(c, "pause-timeline", scen, set, name, &b, b.rows, 2000, cap);
    eb_free(&b);
}

void
exp_ch_heap_timeline(exp_ctx *c, const char *scen, const char *set, json_t *doc)
{
    char name[512], cap[1024];
    json_t *run = rep_run(doc, cap, sizeof cap), *ts = exp_series(run), *row;
    int ct = exp_col(ts, "t_ns"), c0 = exp_col(ts, "gen0_bytes"),
        c1 = exp_col(ts, "gen1_bytes"), c2 = exp_col(ts, "gen2_bytes"),
        cr = exp_col(ts, "rss_bytes");
    size_t i;
    exp_buf b;
    if (!run)
        return;
    eb_init(&b);
    eb_header(&b, "t_s gen0_mib gen01_mib gen012_mib rss_mib");
    eb_block(&b, set);
    json_array_foreach(json_object_get(ts, "rows"), i, row) {
        double g0 = exp_cell(row, c0), g1 = exp_cell(row, c1), g2 = exp_cell(row, c2);
        eb_time(&b, exp_cell(row, ct) / 1e9);
        eb_num(&b, g0 / MIB);
        eb_num(&b, (g0 + g1) / MIB);
        eb_num(&b, (g0 + g1 + g2) / MIB);
        eb_num(&b, exp_cell(row, cr) / MIB);
        eb_end(&b);
    }
    strncat(cap, ".", sizeof cap - strlen(cap) - 1);
    file_name(name, sizeof name, "heap-timeline", scen, set);
    exp_emit(c, "heap-timeline", scen, set, name, &b, 0, SIZE_MAX, cap);
    eb_free(&b);
}

/* The Theil-Sen fit block of heap-collections and its caption text. */
static void
heap_fit(exp_buf *b, const double *x, const double *y, size_t n, char *cap, size_t cn)
{
    double slope, icpt, lo, hi;
    size_t len = strlen(cap);
    eb_block(b, "fit");
    eb_header(b, "t_s fit_mib");
    if (n < 2) {
        snprintf(cap + len, cn - len, " Fewer than 2 gen2 collections: no trend line.");
        return;
    }
    bs_theil_sen(x, y, n, &slope, &icpt, &lo, &hi);
    eb_time(b, x[0]);
    eb_num(b, icpt + slope * x[0]);
    eb_end(b);
    eb_time(b, x[n - 1]);
    eb_num(b, icpt + slope * x[n - 1]);
    eb_end(b);
    if (n >= 5 && isfinite(lo))
        snprintf(cap + len, cn - len, " Theil-Sen slope of heap after gen2 collections: "
                 "%.4g MiB/s (Sen 95%% CI %.4g to %.4g, %zu points).", slope, lo, hi, n);
    else
        snprintf(cap + len, cn - len, " Theil-Sen slope of heap after gen2 collections: "
                 "%.4g MiB/s (%zu points, too few for a CI).", slope, n);
}

void
exp_ch_heap_collections(exp_ctx *c, const char *scen, const char *set, json_t *doc)
{
    char name[512], cap[1024];
    json_t *run = rep_run(doc, cap, sizeof cap), *ev = exp_events(run), *row;
    int ct = exp_col(ev, "t_ns"), cg = exp_col(ev, "generation"),
        cb = exp_col(ev, "heap_before_bytes"), ca = exp_col(ev, "heap_after_bytes");
    size_t i, n = 0, nrow = json_array_size(json_object_get(ev, "rows")), dense;
    double *x, *y;
    exp_buf b;
    if (!run)
        return;
    x = bench_xmalloc((nrow + 1) * sizeof *x);
    y = bench_xmalloc((nrow + 1) * sizeof *y);
    eb_init(&b);
    eb_header(&b, "t_s before_mib after_mib gen");
    eb_block(&b, "collections");
    json_array_foreach(json_object_get(ev, "rows"), i, row) {
        double t = exp_cell(row, ct) / 1e9, after = exp_cell(row, ca) / MIB;
        eb_time(&b, t);
        eb_num(&b, exp_cell(row, cb) / MIB);
        eb_num(&b, after);
        eb_int(&b, exp_cell(row, cg));
        eb_end(&b);
        if (exp_cell(row, cg) == 2 && isfinite(after))
            x[n] = t, y[n++] = after;
    }
    dense = b.rows;
    strncat(cap, ".", sizeof cap - strlen(cap) - 1);
    heap_fit(&b, x, y, n, cap, sizeof cap);
    file_name(name, sizeof name, "heap-collections", scen, set);
    exp_emit(c, "heap-collections", scen, set, name, &b, dense, 2000, cap);
    eb_free(&b);
    free(x);
    free(y);
}

void
exp_ch_alloc_survival(exp_ctx *c, const char *scen, const char *set, json_t *doc)
{
    char name[512], cap[1024];
    json_t *run = rep_run(doc, cap, sizeof cap), *ts = exp_series(run),
           *ev = exp_events(run), *rows = json_object_get(ts, "rows"), *row;
    int ct = exp_col(ts, "t_ns"), cb = exp_col(ts, "bytes_allocated"),
        et = exp_col(ev, "t_ns"), eg = exp_col(ev, "generation"),
        eo = exp_col(ev, "objects_examined"), ec = exp_col(ev, "collected"),
        ek = exp_col(ev, "kept");
    size_t i;
    exp_buf b;
    if (!run)
        return;
    eb_init(&b);
    eb_header(&b, "t_s alloc_mib_s");
    eb_block(&b, "alloc");
    for (i = 1; i < json_array_size(rows); i++) {
        json_t *p = json_array_get(rows, i - 1), *q = json_array_get(rows, i);
        double dt = (exp_cell(q, ct) - exp_cell(p, ct)) / 1e9;
        if (!(dt > 0))
            continue;
        eb_time(&b, exp_cell(q, ct) / 1e9);
        eb_num(&b, (exp_cell(q, cb) - exp_cell(p, cb)) / MIB / dt);
        eb_end(&b);
    }
    eb_block(&b, "survival");
    eb_header(&b, "t_s survival_pct");
    json_array_foreach(json_object_get(ev, "rows"), i, row) {
        const char *k = exp_cells(row, ek);
        double x = exp_cell(row, eo);
        if (exp_cell(row, eg) != 0 || (strcmp(k, "all") && strcmp(k, "reservoir")) ||
            !(x > 0))
            continue;
        eb_time(&b, exp_cell(row, et) / 1e9);
        eb_num(&b, 100.0 * (x - exp_cell(row, ec)) / x);
        eb_end(&b);
    }
    strncat(cap, ". Survival from gen0 collections of the unbiased sample (kept all or "
            "reservoir).", sizeof cap - strlen(cap) - 1);
    file_name(name, sizeof name, "alloc-survival", scen, set);
    exp_emit(c, "alloc-survival", scen, set, name, &b, 0, SIZE_MAX, cap);
    eb_free(&b);
}

/* Pools per arena: config.allocator arena/pool bytes, else the run's end counts. */
static double
pools_per_arena(json_t *doc, json_t *run)
{
    json_t *a = json_object_get(json_object_get(doc, "config"), "allocator");
    double ab = bench_jnum(a, "arena_bytes"), pb = bench_jnum(a, "pool_bytes");
    double te = bench_jnum(run, "pools.pools_total_end"),
           ae = bench_jnum(run, "pools.arenas_end");
    if (ab > 0 && pb > 0)
        return floor(ab / pb);
    return ae > 0 ? te / ae : NAN;
}

void
exp_ch_pool_util(exp_ctx *c, const char *scen, const char *set, json_t *doc)
{
    char name[512], cap[1024];
    json_t *run = rep_run(doc, cap, sizeof cap), *ts = exp_series(run), *row;
    int ct = exp_col(ts, "t_ns"), ca = exp_col(ts, "arenas"),
        cp = exp_col(ts, "pools_in_use");
    double ppa = pools_per_arena(doc, run), any = 0;
    size_t i;
    exp_buf b;
    if (!run)
        return;
    json_array_foreach(json_object_get(ts, "rows"), i, row)
        any += exp_cell(row, ca) > 0;
    if (!any)
        return; /* no arenas: the backend has no pools (malloc, mimalloc, jemalloc) */
    eb_init(&b);
    eb_header(&b, "t_s arenas pools_in_use pools_total util_pct");
    eb_block(&b, set);
    json_array_foreach(json_object_get(ts, "rows"), i, row) {
        double tot = exp_cell(row, ca) * ppa;
        eb_time(&b, exp_cell(row, ct) / 1e9);
        eb_int(&b, exp_cell(row, ca));
        eb_int(&b, exp_cell(row, cp));
        eb_int(&b, tot);
        eb_num(&b, tot > 0 ? 100.0 * exp_cell(row, cp) / tot : NAN);
        eb_end(&b);
    }
    snprintf(cap + strlen(cap), sizeof cap - strlen(cap),
             ". Pools total = mapped arenas x %.0f pools per arena.", ppa);
    file_name(name, sizeof name, "pool-util", scen, set);
    exp_emit(c, "pool-util", scen, set, name, &b, 0, SIZE_MAX, cap);
    eb_free(&b);
}

void
exp_ch_arena_map(exp_ctx *c, const char *scen, const char *set, json_t *doc)
{
    char name[512], cap[1024];
    json_t *run = rep_run(doc, cap, sizeof cap), *am = json_object_get(run, "arena_map");
    json_t *ts = json_object_get(am, "t_ns"), *used = json_object_get(am, "used_pct"),
           *snap;
    size_t A = 0, i;
    exp_buf b;
    if (!run || !json_is_object(am))
        return;
    json_array_foreach(used, i, snap)
        if (json_array_size(snap) > A)
            A = json_array_size(snap);
    if (!A)
        return;
    eb_init(&b);
    eb_header(&b, "ti ai t_s used_pct");
    eb_block(&b, set);
    json_array_foreach(used, i, snap) {
        for (size_t a = 0; a < A; a++) {
            json_t *v = json_array_get(snap, a);
            double u = json_is_number(v) ? json_number_value(v) : -1;
            eb_int(&b, (double)i);
            eb_int(&b, (double)a);
            eb_time(&b, json_number_value(json_array_get(ts, i)) / 1e9);
            eb_num(&b, u >= 0 ? u : NAN);
            eb_end(&b);
        }
    }
    snprintf(cap + strlen(cap), sizeof cap - strlen(cap),
             ". %zu snapshots x %zu arena rows (%.0f arenas per row); grey = unmapped.",
             json_array_size(used), A, fmax(1, bench_jnum(am, "arenas_per_row")));
    file_name(name, sizeof name, "arena-map", scen, set);
    exp_emit(c, "arena-map", scen, set, name, &b, 1, 0, cap);
    eb_free(&b);
}

void
exp_ch_frees_split(exp_ctx *c, const char *scen, const char *set, json_t *doc)
{
    char name[512], cap[1024];
    json_t *run = rep_run(doc, cap, sizeof cap), *ts = exp_series(run),
           *rows = json_object_get(ts, "rows");
    int ct = exp_col(ts, "t_ns"), cr = exp_col(ts, "frees_by_refcount"),
        cg = exp_col(ts, "frees_by_gc");
    exp_buf b;
    if (!run)
        return;
    eb_init(&b);
    eb_header(&b, "t_s rc_per_s gc_per_s gc_share_pct");
    eb_block(&b, set);
    for (size_t i = 1; i < json_array_size(rows); i++) {
        json_t *p = json_array_get(rows, i - 1), *q = json_array_get(rows, i);
        double dt = (exp_cell(q, ct) - exp_cell(p, ct)) / 1e9;
        double rc = exp_cell(q, cr) - exp_cell(p, cr),
               gc = exp_cell(q, cg) - exp_cell(p, cg);
        if (!(dt > 0))
            continue;
        eb_time(&b, exp_cell(q, ct) / 1e9);
        eb_num(&b, rc / dt);
        eb_num(&b, gc / dt);
        eb_num(&b, rc + gc > 0 ? 100.0 * gc / (rc + gc) : NAN);
        eb_end(&b);
    }
    strncat(cap, ".", sizeof cap - strlen(cap) - 1);
    file_name(name, sizeof name, "frees-split", scen, set);
    if (b.rows >= 2) /* one interval draws no area */
        exp_emit(c, "frees-split", scen, set, name, &b, 0, SIZE_MAX, cap);
    eb_free(&b);
}
