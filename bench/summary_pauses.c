/* Pooled pause percentiles and worst MMU over the runs of a result (2.9).
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "stats.h"
#include "summary.h"
#include "util.h"

/* Merge the histograms of the given runs into h. Returns 1 when every run kept every
 * event (pooled percentiles can then be exact). */
int
bench_pool_histograms(json_t *result, const size_t *idx, size_t n, bs_hist *h)
{
    json_t *runs = json_object_get(result, "runs");
    int all_kept = 1;
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_object_get(json_array_get(runs, idx[i]), "pauses");
        json_t *bins = json_object_get(json_object_get(p, "histogram"), "bins"), *b;
        json_t *ev = json_object_get(p, "events");
        uint64_t maxv = (uint64_t)bench_jnum(p, "max_ns");
        size_t k;
        if (strcmp(json_string_value(json_object_get(ev, "policy")), "all"))
            all_kept = 0;
        json_array_foreach(bins, k, b) {
            bs_hist_row row;
            row.lo = (uint64_t)json_integer_value(json_array_get(b, 0));
            row.hi = (uint64_t)json_integer_value(json_array_get(b, 1));
            row.count = (uint64_t)json_integer_value(json_array_get(b, 2));
            for (int g = 0; g < 3; g++)
                row.gen[g] =
                    (uint64_t)json_integer_value(json_array_get(b, (size_t)(3 + g)));
            bs_hist_add_row(h, &row, maxv);
        }
    }
    return all_kept;
}

/* Exact pooled nearest rank from every run's event rows (all kept). */
static uint64_t *
pooled_durations(json_t *result, const size_t *idx, size_t n, size_t *count)
{
    json_t *runs = json_object_get(result, "runs");
    size_t cap = 1024, len = 0;
    uint64_t *d = bench_xmalloc(cap * sizeof *d);
    for (size_t i = 0; i < n; i++) {
        json_t *rows = json_object_get(
                   json_object_get(
                       json_object_get(json_array_get(runs, idx[i]), "pauses"), "events"),
                   "rows"),
               *row;
        size_t k;
        json_array_foreach(rows, k, row) {
            if (len == cap)
                d = bench_xrealloc(d, (cap *= 2) * sizeof *d);
            d[len++] = (uint64_t)json_integer_value(json_array_get(row, 1));
        }
    }
    *count = len;
    return d;
}

json_t *
bench_pauses_pooled_json(json_t *result, const size_t *idx, size_t n)
{
    static const uint32_t ps[] = { BS_P50, BS_P90, BS_P99, BS_P99_9 };
    static const char *const keys[] = { "p50", "p90", "p99", "p99_9" };
    bs_hist h;
    int exact;
    size_t nd = 0;
    uint64_t *d = NULL;
    json_t *pct = json_object();
    bs_hist_init(&h, 32);
    exact = bench_pool_histograms(result, idx, n, &h);
    if (exact)
        d = pooled_durations(result, idx, n, &nd);
    if (exact && nd != h.total)
        exact = 0;
    for (int i = 0; i < 4; i++) {
        int def = h.total && bs_percentile_defined(h.total, ps[i]);
        uint64_t v = 0;
        if (def)
            v = exact ? bs_kth_u64(d, nd, bs_rank(nd, ps[i]))
                      : bs_hist_percentile(&h, ps[i]);
        json_object_set_new(pct, keys[i],
                            def ? json_integer((json_int_t)v) : json_null());
    }
    json_object_set_new(pct, "max",
                        h.total ? json_integer((json_int_t)h.max_value) : json_null());
    {
        uint64_t total = 0, count = h.total;
        json_t *runs = json_object_get(result, "runs");
        for (size_t i = 0; i < n; i++)
            total +=
                (uint64_t)bench_jnum(json_array_get(runs, idx[i]), "pauses.total_ns");
        free(d);
        bs_hist_free(&h); /* zeroes h.total: count was taken before */
        return json_pack("{s:I,s:I,s:o,s:s,s:f}", "count", (json_int_t)count, "total_ns",
                         (json_int_t)total, "percentiles_ns", pct, "method",
                         exact ? "exact-nearest-rank" : "histogram-upper-bound",
                         "relative_error", exact ? 0.0 : 1.0 / 32);
    }
}

/* Per window present in every run, the minimum utilization over runs. */
json_t *
bench_mmu_worst_json(json_t *result, const size_t *idx, size_t n)
{
    json_t *runs = json_object_get(result, "runs");
    json_t *win = json_array(), *util = json_array();
    size_t nw = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t k = json_array_size(json_object_get(
            json_object_get(json_array_get(runs, idx[i]), "mmu"), "windows_ns"));
        nw = k < nw ? k : nw;
    }
    if (!n)
        nw = 0;
    for (size_t w = 0; w < nw; w++) {
        double worst = 1;
        json_t *first = json_object_get(json_array_get(runs, idx[0]), "mmu");
        for (size_t i = 0; i < n; i++) {
            json_t *m = json_object_get(json_array_get(runs, idx[i]), "mmu");
            double u =
                json_number_value(json_array_get(json_object_get(m, "utilization"), w));
            worst = u < worst ? u : worst;
        }
        json_array_append(win, json_array_get(json_object_get(first, "windows_ns"), w));
        json_array_append_new(util, json_real(worst));
    }
    return json_pack("{s:o,s:o}", "windows_ns", win, "utilization", util);
}
