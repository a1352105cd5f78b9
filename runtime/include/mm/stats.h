/* Counters of a runtime: a versioned snapshot, copied in O(size classes), and the
 * free-list occupancy. Design: docs/design/object-model.md ("Stats and hooks").
 * SPDX-License-Identifier: MIT */
#ifndef MM_STATS_H
#define MM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "mm/object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Rises on every incompatible change of mm_stats. */
#define MM_STATS_VERSION 1

typedef struct mm_stat_gauge {
    int64_t current;
    int64_t peak;
    int64_t total; /* cumulative increments */
} mm_stat_gauge;

typedef struct mm_stat_counter {
    uint64_t total;
} mm_stat_counter;

/* X(name, kind, doc) for the scalar statistics; kind is gauge or counter. */
#define MM_STATS_SCALARS(X)                                                              \
    X(objects, gauge, "live objects (all types)")                                       \
    X(object_bytes, gauge, "bytes of live objects as requested from the allocator")     \
    X(incref, counter, "refcount increments (stats=detailed builds only)")              \
    X(decref, counter, "refcount decrements (stats=detailed builds only)")              \
    X(freed_by_refcount, counter, "objects freed because their count reached zero")     \
    X(freed_by_gc, counter, "objects freed while the collector cleared garbage")        \
    X(gc_allocs, counter, "allocations through the GC allocator (gen0 count +1)")       \
    X(trashcan_deferred, counter, "deallocations deferred by the trashcan")             \
    X(misuse, counter, "API misuse reports (decref below zero, use after free, ...)")

typedef struct mm_stats {
    uint32_t version; /* MM_STATS_VERSION */
#define MM_STATS_FIELD_gauge(name) mm_stat_gauge name;
#define MM_STATS_FIELD_counter(name) mm_stat_counter name;
#define MM_STATS_FIELD(name, kind, doc) MM_STATS_FIELD_##kind(name)
    MM_STATS_SCALARS(MM_STATS_FIELD)
#undef MM_STATS_FIELD
#undef MM_STATS_FIELD_gauge
#undef MM_STATS_FIELD_counter
    mm_stat_gauge type_objects[MM_T_COUNT]; /* live/peak/allocated per built-in type */
    mm_stat_counter type_freed[MM_T_COUNT];
} mm_stats;

/* Copy a snapshot of the counters into *out (a struct copy); callable from hooks. */
MM_API void mm_stats_get(const mm_runtime *rt, mm_stats *out);
/* Set every gauge's peak to its current value (start of a measured phase). */
MM_API void mm_stats_reset_peaks(mm_runtime *rt);

/* Free-list occupancy (CPython 3.11's per-type free lists), as the oracle reports it. */
typedef struct mm_freelist_counts {
    uint32_t list;
    uint32_t dict;
    uint32_t dict_keys;
    uint32_t floats;
    uint32_t tuple[20]; /* free tuples of length 1..20 */
} mm_freelist_counts;

/* Copy the free-list occupancy into *out; callable from hooks. */
MM_API void mm_freelist_counts_get(const mm_runtime *rt, mm_freelist_counts *out);

#ifdef __cplusplus
}
#endif
#endif
