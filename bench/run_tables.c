/* Row tables of a run: time series, arena map, size classes, pools (2.4, 2.8).
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "run_json.h"
#include "util.h"

json_t *
bench_timeseries_json(const bench_recorder *r)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < r->nts; i++) {
        json_t *row = json_array();
        for (int c = 0; c < BENCH_TS_COLS; c++)
            json_array_append_new(row, json_integer((json_int_t)r->ts[i][c]));
        json_array_append_new(rows, row);
    }
    return json_pack("{s:I,s:i,s:[s,s,s,s,s,s,s,s,s,s,s,s],s:o}", "interval_ns",
                     (json_int_t)r->interval_ns, "decimations", (int)r->decimations,
                     "columns", "t_ns", "gen0_bytes", "gen1_bytes", "gen2_bytes",
                     "rss_bytes", "live_objects", "allocations", "bytes_allocated",
                     "frees_by_refcount", "frees_by_gc", "arenas", "pools_in_use", "rows",
                     rows);
}

/* One entry per arena in creation order; more than 1024 arenas: neighbours averaged. */
json_t *
bench_arena_map_json(const bench_recorder *r)
{
    size_t per = r->narenas > 1024 ? (r->narenas + 1023) / 1024 : 1;
    json_t *ts, *used;
    if (!r->m->arena_map)
        return json_null();
    ts = json_array();
    used = json_array();
    for (size_t s = 0; s < r->namap; s++) {
        json_t *row = json_array();
        for (size_t a = 0; a < r->narenas; a += per) {
            int64_t sum = 0, cnt = 0;
            for (size_t k = a; k < a + per && k < r->narenas; k++) {
                int32_t v = k < r->amap_len[s] ? r->amap[s][k] : -1;
                if (v >= 0) {
                    sum += v;
                    cnt++;
                }
            }
            json_array_append_new(row, json_integer(cnt ? (sum + cnt / 2) / cnt : -1));
        }
        json_array_append_new(ts, json_integer((json_int_t)r->amap_t[s]));
        json_array_append_new(used, row);
    }
    return json_pack("{s:o,s:i,s:o}", "t_ns", ts, "arenas_per_row", (int)per, "used_pct",
                     used);
}

unsigned
bench_large_bucket(const mm_alloc_stats *a, mm_alloc_kind kind)
{
    int pooled = kind == MM_ALLOC_POOL || kind == MM_ALLOC_PRIVATE;
    if (pooled && a->nclasses >= 1 && a->nclasses < MM_ALLOC_SIZE_BUCKETS)
        return a->nclasses;
    return MM_ALLOC_SIZE_BUCKETS - 1;
}

json_t *
bench_size_classes_json(const mm_alloc_stats *b, const mm_alloc_stats *a,
                        unsigned large_from)
{
    json_t *rows = json_array();
    if (large_from < 1 || large_from > MM_ALLOC_SIZE_BUCKETS - 1)
        large_from = MM_ALLOC_SIZE_BUCKETS - 1;
    for (unsigned i = 0; i <= large_from; i++) {
        /* bucket large_from stands for all the buckets from it on: the large requests */
        unsigned last = i == large_from ? MM_ALLOC_SIZE_BUCKETS - 1 : i;
        uint64_t al = 0, fr = 0, live = 0;
        for (unsigned k = i; k <= last; k++) {
            al += a->size_allocs[k] - b->size_allocs[k];
            fr += a->size_frees[k] - b->size_frees[k];
            live += a->size_allocs[k] >= a->size_frees[k]
                        ? a->size_allocs[k] - a->size_frees[k]
                        : 0;
        }
        if (!al && !fr && !live)
            continue;
        json_array_append_new(
            rows, json_pack("[I,I,I,I,I]", (json_int_t)(16 * i + 1),
                            (json_int_t)(i == large_from ? INT64_MAX : 16 * (i + 1)),
                            (json_int_t)al, (json_int_t)fr, (json_int_t)live));
    }
    return json_pack("{s:[s,s,s,s,s],s:o}", "columns", "size_lo", "size_hi",
                     "allocations", "frees", "live_end", "rows", rows);
}

json_t *
bench_pools_json(const mm_alloc_stats *b, const mm_alloc_stats *a, mm_alloc_kind kind)
{
    uint64_t pools = 0, blocks = 0, avail = 0, per_arena = (1u << 20) / 16384;
    double util;
    if (kind != MM_ALLOC_POOL && kind != MM_ALLOC_PRIVATE)
        return json_null();
    for (uint32_t c = 0; c < a->nclasses; c++) {
        pools += a->classes[c].pools;
        blocks += a->classes[c].blocks_in_use;
        avail += a->classes[c].blocks_avail;
    }
    util = blocks + avail ? (double)blocks / (double)(blocks + avail) : -1;
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "arenas_allocated",
                     (json_int_t)(a->arenas_allocated_total - b->arenas_allocated_total),
                     "arenas_freed",
                     (json_int_t)(a->arenas_reclaimed - b->arenas_reclaimed),
                     "arenas_peak", (json_int_t)a->arenas_highwater, "arenas_end",
                     (json_int_t)a->arenas_current, "pools_in_use_end", (json_int_t)pools,
                     "pools_total_end", (json_int_t)(a->arenas_current * per_arena),
                     "block_utilization_end", util >= 0 ? json_real(util) : json_null());
}
