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
            d[i] = r->pauses[i].dur_ns;
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

/* ---- event selection (2.6.4) ---- */

enum { K_NONE = 0, K_ALL, K_TOP, K_OLDEST, K_RESERVOIR };
static const char *const kept_names[] = { "", "all", "top", "oldest", "reservoir" };

static int
cmp_dur_desc(const void *a, const void *b, void *arg)
{
    const bench_pause_rec *p = arg;
    uint64_t x = p[*(const size_t *)a].dur_ns, y = p[*(const size_t *)b].dur_ns;
    return x < y ? 1 : x > y ? -1 : 0;
}

static void
select_bounded(const bench_recorder *r, uint64_t seed, unsigned char *kind)
{
    const bench_measure *m = r->m;
    size_t n = r->npauses, noldest = 0, *idx = bench_xmalloc((n ? n : 1) * sizeof *idx);
    size_t nidx = 0, seen = 0;
    bs_rng rng;
    for (size_t i = 0; i < n && noldest < m->max_events / 4; i++)
        if (r->pauses[i].gen == 2) {
            kind[i] = K_OLDEST;
            noldest++;
        }
    for (size_t i = 0; i < n; i++)
        if (!kind[i])
            idx[nidx++] = i;
    qsort_r(idx, nidx, sizeof *idx, cmp_dur_desc, r->pauses);
    for (size_t i = 0; i < nidx && i < m->top_n; i++)
        kind[idx[i]] = K_TOP;
    /* Algorithm R over the rest, in time order. */
    bs_rng_seed(&rng, seed, "reservoir");
    nidx = 0;
    for (size_t i = 0; i < n; i++) {
        if (kind[i])
            continue;
        if (nidx < m->reservoir) {
            idx[nidx++] = i;
        } else {
            uint64_t j = bs_rng_below(&rng, seen + 1);
            if (j < m->reservoir)
                idx[j] = i;
        }
        seen++;
    }
    for (size_t i = 0; i < nidx; i++)
        kind[idx[i]] = K_RESERVOIR;
    free(idx);
}

static json_t *
events_json(const bench_recorder *r, uint64_t seed)
{
    size_t n = r->npauses, kept = 0;
    unsigned char *kind = bench_xcalloc(n ? n : 1, 1);
    int bounded = n > r->m->max_events;
    json_t *rows = json_array();
    if (bounded)
        select_bounded(r, seed, kind);
    else
        memset(kind, K_ALL, n);
    for (size_t i = 0; i < n; i++) {
        const bench_pause_rec *p = &r->pauses[i];
        if (!kind[i])
            continue;
        kept++;
        json_array_append_new(
            rows,
            json_pack("[I,I,i,I,I,I,I,I,s]", (json_int_t)p->t_ns, (json_int_t)p->dur_ns,
                      (int)p->gen, (json_int_t)p->examined, (json_int_t)p->collected,
                      (json_int_t)p->uncollectable, (json_int_t)p->heap_before,
                      (json_int_t)p->heap_after, kept_names[kind[i]]));
    }
    free(kind);
    return json_pack("{s:s,s:I,s:I,s:[s,s,s,s,s,s,s,s,s],s:o}", "policy",
                     bounded ? "bounded" : "all", "total", (json_int_t)r->pause_total,
                     "kept", (json_int_t)kept, "columns", "t_ns", "duration_ns",
                     "generation", "objects_examined", "collected", "uncollectable",
                     "heap_before_bytes", "heap_after_bytes", "kept", "rows", rows);
}

json_t *
bench_pauses_json(const bench_recorder *r, uint64_t seed)
{
    bs_hist h;
    uint64_t minv = UINT64_MAX, total = 0;
    json_t *o;
    bs_hist_init(&h, 32);
    for (size_t i = 0; i < r->npauses; i++) {
        bs_hist_add(&h, r->pauses[i].dur_ns, r->pauses[i].gen);
        if (r->pauses[i].dur_ns < minv)
            minv = r->pauses[i].dur_ns;
    }
    for (int g = 0; g < 3; g++)
        total += r->gen_time[g];
    o = json_pack(
        "{s:I,s:I,s:o,s:o,s:o,s:s,s:o,s:o}", "count", (json_int_t)r->pause_total,
        "total_ns", (json_int_t)total, "min_ns", nullable_u64(r->npauses > 0, minv),
        "max_ns", nullable_u64(r->pause_total > 0, r->max_pause), "percentiles_ns",
        percentiles_json(r, &h), "percentile_method",
        r->npauses == r->pause_total ? "exact-nearest-rank" : "histogram-upper-bound",
        "histogram", histogram_json(&h), "events", events_json(r, seed));
    bs_hist_free(&h);
    return o;
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
        p[np].dur_ns = r->pauses[i].dur_ns;
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
