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

/* Copy a snapshot. Cost: O(size classes + arenas). Callable from hooks. */
MM_API void mm_alloc_stats_get(const mm_runtime *rt, mm_alloc_stats *out);

/* 1 when a request was refused because of cfg.heap_budget (then MM_ENOMEM means
 * "limit", not "the system ran out"). */
MM_API int mm_alloc_budget_exceeded(const mm_runtime *rt);

/* Visit every arena: used pools and free pools, for the arena fragmentation map.
 * The visitor must not allocate. */
typedef void (*mm_arena_visit_fn)(void *arg, uintptr_t addr, uint32_t npools_total,
                                  uint32_t npools_used, uint64_t blocks_in_use);
MM_API void mm_alloc_visit_arenas(const mm_runtime *rt, mm_arena_visit_fn fn, void *arg);

/* Which library serves malloc in this process: "glibc", "mimalloc", "jemalloc", or
 * the path of the library. Static string or owned by the dynamic linker. */
MM_API const char *mm_alloc_malloc_provider(void);

/* Raw memory from the runtime's allocator (for embedders that want to measure their own
 * buffers with the same backend). mm_mem_alloc returns NULL on OOM; 0 bytes is a large
 * request served by malloc, as CPython's PyObject_Malloc(0). mm_mem_free takes the
 * nbytes given to mm_mem_alloc; p may be NULL. */
MM_API void *mm_mem_alloc(mm_runtime *rt, size_t nbytes);
MM_API void mm_mem_free(mm_runtime *rt, void *p, size_t nbytes);

#ifdef __cplusplus
}
#endif
#endif
