/* Reduction of the pause record into the run's `pauses` and `mmu` objects (2.6, 2.7):
 * exact nearest-rank percentiles, the log2-linear histogram, the bounded event sample.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "run_json.h"
#include "stats.h"
#include "util.h"

static json_t *
nullable_u64(int have, uint64_t v)
{
    return have ? json_integer((json_int_t)v) : json_null();
}

static json_t *
percentiles_json(const bench_recorder *r, const bs_hist *h)
{
    static const uint32_t ps[] = { BS_P50, BS_P90, BS_P99, BS_P99_9 };
    static const char *const keys[] = { "p50", "p90", "p99", "p99_9" };
    json_t *o = json_object();
    uint64_t n = r->pause_total;
    int exact = r->npauses == r->pause_total;
    uint64_t *d = NULL;
    if (exact && n) {
        d = bench_xmalloc(n * sizeof *d);
        for (size_t i = 0; i < n; i++)
            d[i] = bench_pause_dur(&r->pauses[i]);
    }
    for (int i = 0; i < 4; i++) {
        int def = n && bs_percentile_defined(n, ps[i]);
        uint64_t v = 0;
        if (def)
            v = exact ? bs_kth_u64(d, n, bs_rank(n, ps[i]))
                      : bs_hist_percentile(h, ps[i]);
        json_object_set_new(o, keys[i], nullable_u64(def, v));
    }
    json_object_set_new(o, "max", nullable_u64(n > 0, r->max_pause));
    free(d);
    return o;
}

static json_t *
histogram_json(const bs_hist *h)
{
    json_t *bins = json_array();
    for (size_t i = 0; i < h->n; i++) {
        const bs_hist_row *b = &h->rows[i];
        json_array_append_new(
            bins, json_pack("[I,I,I,I,I,I]", (json_int_t)b->lo, (json_int_t)b->hi,
                            (json_int_t)b->count, (json_int_t)b->gen[0],
                            (json_int_t)b->gen[1], (json_int_t)b->gen[2]));
    }
    return json_pack("{s:s,s:i,s:s,s:o}", "scheme", "log2-linear", "sub_buckets",
                     (int)h->S, "unit", "ns", "bins", bins);
}

/* ---- event rows (2.6.4), chosen online by the recorder's picker ---- */

static const char *const kept_names[] = { "", "all", "top", "oldest", "reservoir" };

static json_t *
events_json(const bench_recorder *r)
{
    size_t n;
    int bounded;
    bench_pick_row *picked = bench_pick_rows(&r->pick, &n, &bounded);
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        const bench_pause_rec *p = &picked[i].p;
        json_array_append_new(
            rows,
            json_pack("[I,I,i,I,I,I,I,I,s]", (json_int_t)p->t_ns, (json_int_t)p->dur_ns,
                      (int)p->gen, (json_int_t)p->examined, (json_int_t)p->collected,
                      (json_int_t)p->uncollectable, (json_int_t)p->heap_before,
                      (json_int_t)p->heap_after, kept_names[picked[i].kept]));
    }
    free(picked);
    return json_pack("{s:s,s:I,s:I,s:[s,s,s,s,s,s,s,s,s],s:o}", "policy",
                     bounded ? "bounded" : "all", "total", (json_int_t)r->pause_total,
                     "kept", (json_int_t)n, "columns", "t_ns", "duration_ns",
                     "generation", "objects_examined", "collected", "uncollectable",
                     "heap_before_bytes", "heap_after_bytes", "kept", "rows", rows);
}

json_t *
bench_pauses_json(const bench_recorder *r)
{
    uint64_t total = 0;
    const bs_hist *h = &r->hist;
    for (int g = 0; g < 3; g++)
        total += r->gen_time[g];
    return json_pack(
        "{s:I,s:I,s:o,s:o,s:o,s:s,s:o,s:o}", "count", (json_int_t)r->pause_total,
        "total_ns", (json_int_t)total, "min_ns",
        nullable_u64(r->pause_total > 0, r->min_pause), "max_ns",
        nullable_u64(r->pause_total > 0, r->max_pause), "percentiles_ns",
        percentiles_json(r, h), "percentile_method",
        r->npauses == r->pause_total ? "exact-nearest-rank" : "histogram-upper-bound",
        "histogram", histogram_json(h), "events", events_json(r));
}

/* 2.7 counts only pause time inside [0, T]. The recorder's clock also covers its opening
 * sample and the gaps between values, so the last pauses can end after T (they are cut
 * at T) or start after it (they are left out). */
json_t *
bench_mmu_json(const bench_recorder *r, uint64_t T)
{
    uint64_t w[16];
    size_t nw = bs_mmu_windows(T, w), np = 0;
    bs_pause *p = bench_xmalloc((r->npauses ? r->npauses : 1) * sizeof *p);
    json_t *win = json_array(), *util = json_array();
    for (size_t i = 0; i < r->npauses && r->pauses[i].t_ns < T; i++) {
        p[np].start_ns = r->pauses[i].t_ns;
        p[np].dur_ns = bench_pause_dur(&r->pauses[i]);
        if (p[np].dur_ns > T - p[np].start_ns)
            p[np].dur_ns = T - p[np].start_ns;
        np++;
    }
    for (size_t i = 0; i < nw; i++) {
        double u = bs_mmu(p, np, T, w[i]);
        json_array_append_new(win, json_integer((json_int_t)w[i]));
        json_array_append_new(util, json_real((double)(int64_t)(u * 1e6 + 0.5) / 1e6));
    }
    free(p);
    return json_pack("{s:o,s:o}", "windows_ns", win, "utilization", util);
}
