/* Allocator backends and their statistics. Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#ifndef MM_ALLOC_H
#define MM_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "mm/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MM_ALLOC_MAX_CLASSES 64
/* Request-size buckets counted by the allocation interface for every backend: bucket i
 * (0..31) holds requests of 16*i+1 .. 16*(i+1) bytes, bucket 32 everything larger. */
#define MM_ALLOC_SIZE_BUCKETS 33

typedef struct mm_alloc_class_stats {
    uint32_t block_size;
    uint64_t pools;          /* used + full pools of this class */
    uint64_t blocks_in_use;
    uint64_t blocks_avail;   /* free blocks in those pools, virgin blocks included */
} mm_alloc_class_stats;

/* Snapshot of the allocator, like sys._debugmallocstats(). For backends without
 * pools only the byte and large-allocation fields are filled. */
typedef struct mm_alloc_stats {
    const char *backend;            /* static name */
    uint32_t nclasses;
    mm_alloc_class_stats classes[MM_ALLOC_MAX_CLASSES];
    uint64_t arenas_allocated_total;
    uint64_t arenas_reclaimed;
    uint64_t arenas_highwater;
    uint64_t arenas_current;
    uint64_t bytes_in_allocated_blocks;
    uint64_t bytes_in_available_blocks;
    uint64_t unused_pools;
    uint64_t bytes_pool_headers;
    uint64_t bytes_quantization;
    uint64_t bytes_arena_alignment;
    uint64_t bytes_mapped;          /* arenas * arena size */
    uint64_t large_allocs;          /* requests above the small threshold, live */
    uint64_t large_bytes;
    uint64_t requested_bytes;       /* live bytes as requested by callers */
    uint64_t alloc_calls;           /* sum of size_allocs (stats >= basic) */
    uint64_t free_calls;            /* sum of size_frees (stats >= basic) */
    uint64_t failed_allocs;
    uint64_t budget_failures;       /* requests refused by cfg.heap_budget */
    uint64_t size_allocs[MM_ALLOC_SIZE_BUCKETS]; /* cumulative requests per size bucket
                                                  * (stats >= basic; 0 with stats=off) */
    uint64_t size_frees[MM_ALLOC_SIZE_BUCKETS];  /* cumulative frees per size bucket */
} mm_alloc_stats;

/* Copy a snapshot of the allocator into *out (every field overwritten). Cost: O(size
 * classes + arenas); callable from hooks (it neither allocates nor changes rt). */
MM_API void mm_alloc_stats_get(const mm_runtime *rt, mm_alloc_stats *out);

/* Whether a request went over cfg.heap_budget (then MM_ENOMEM means "limit", not "the
 * system ran out").
 * Returns: 1 once any request was refused by the budget (also when the retry after the
 *          emergency collection then succeeded; it stays 1), else 0.
 * Errors:  none. */
MM_API int mm_alloc_budget_exceeded(const mm_runtime *rt);

/* Called once per arena with its address, its pools (total and used) and the blocks in
 * use in them. It must not allocate or change the runtime. */
typedef void (*mm_arena_visit_fn)(void *arg, uintptr_t addr, uint32_t npools_total,
                                  uint32_t npools_used, uint64_t blocks_in_use);
/* Visit every arena (the arena fragmentation map); backends without arenas (malloc,
 * mimalloc, jemalloc) call fn never. Callable from hooks. */
MM_API void mm_alloc_visit_arenas(const mm_runtime *rt, mm_arena_visit_fn fn, void *arg);

/* Which library serves malloc in this process.
 * Returns: "glibc", "mimalloc", "jemalloc" or "unknown" (static strings), or else the
 *          path of that library (owned by the dynamic linker: valid while it is loaded).
 * Errors:  none ("unknown" when dladdr cannot tell). */
MM_API const char *mm_alloc_malloc_provider(void);

/* Raw memory from the runtime's allocator, for embedders that want their own buffers
 * measured with the same backend. 0 bytes is a large request served by malloc, as
 * CPython's PyObject_Malloc(0). A failed request gets one emergency collection (none
 * while a collection runs; it can run finalizers and weakref callbacks) before it fails.
 * Returns: the block (uninitialised), or NULL.
 * Errors:  MM_ENOMEM (NULL: out of memory or over cfg.heap_budget; detail in
 *          mm_errmsg). */
MM_API void *mm_mem_alloc(mm_runtime *rt, size_t nbytes);
/* Give back a block of mm_mem_alloc; nbytes must be the size it was requested with
 * (sized deallocation). p may be NULL (then nothing happens). */
MM_API void mm_mem_free(mm_runtime *rt, void *p, size_t nbytes);

#ifdef __cplusplus
}
#endif
#endif
