/* The one internal allocation interface: every byte of object memory passes here, so
 * backends are interchangeable and counted in one place.
 * Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#ifndef MMI_ALLOC_H
#define MMI_ALLOC_H
#ifndef MMI_BUILDING_RUNTIME
#error "alloc/alloc.h is internal to libmm"
#endif

#include "mmi.h"

/* A backend: a const method table returned by the one function its file exports.
 * type_id lets the private backend keep per-type pools; the others ignore it.
 * alloc returns NULL on failure and never reports anything itself. */
typedef struct mmi_backend {
    const char *name;
    int (*init)(mm_runtime *rt, const mm_config *cfg, void **state);
    void (*fini)(void *state);
    void *(*alloc)(void *state, size_t nbytes, unsigned type_id);
    void (*free)(void *state, void *p, size_t nbytes, unsigned type_id);
    void *(*realloc)(void *state, void *p, size_t old_nbytes, size_t nbytes,
                     unsigned type_id);
    void (*stats)(const void *state, mm_alloc_stats *out);
    void (*visit_arenas)(const void *state, mm_arena_visit_fn fn, void *arg);
    int (*check)(const void *state); /* MM_OK or MM_EMISUSE */
} mmi_backend;

MMI_INTERNAL const mmi_backend *mmi_backend_malloc(void);

typedef struct mmi_alloc_state {
    const mmi_backend *be;
    void *be_state;
    struct mmi_pool_state *pool; /* be_state when be is the pool backend: called inline */
    uint64_t requested_bytes; /* live bytes as requested */
    uint64_t failed;
    uint64_t since_sample;
    uint64_t budget;          /* cfg.heap_budget, or UINT64_MAX without a limit */
    uint64_t budget_failures; /* requests refused by the heap budget */
    uint64_t size_allocs[MM_ALLOC_SIZE_BUCKETS];
    uint64_t size_frees[MM_ALLOC_SIZE_BUCKETS];
    int in_emergency;
#if MM_FAULT_INJECTION
    uint64_t fault_seq;       /* allocations seen since the shim was armed */
    uint64_t fault_at;        /* fail the allocation with this ordinal (1-based);
                               * 0 = off */
    int fault_persistent;     /* keep failing after the first failure */
    int fault_benign_depth;   /* inside mmi_benign_begin/end */
    uint64_t fault_failures;  /* failures injected */
#endif
} mmi_alloc_state;

MMI_INTERNAL int mmi_alloc_init(mm_runtime *rt, const mm_config *cfg);
MMI_INTERNAL void mmi_alloc_fini(mm_runtime *rt);

/* Allocate nbytes (> 0) of object memory. On failure runs one emergency collection
 * (unless one is running) and retries; then returns NULL with MM_ENOMEM recorded. */
MMI_INTERNAL void *mmi_mem_alloc(mm_runtime *rt, size_t nbytes, unsigned type_id);
/* Release memory from mmi_mem_alloc; nbytes and type_id as given at allocation. */
MMI_INTERNAL void mmi_mem_free(mm_runtime *rt, void *p, size_t nbytes, unsigned type_id);
/* Resize; on failure returns NULL and p is untouched. */
MMI_INTERNAL void *mmi_mem_realloc(mm_runtime *rt, void *p, size_t old_nbytes,
                                   size_t nbytes, unsigned type_id);

/* Refuse every later allocation, at no cost to the fast path: the heap budget drops to
 * 0, so its test sends each request to the general path, where the budget check fails
 * and, seeing rt->poisoned, records MM_EPOISONED instead of running the emergency
 * collection (not counted as a budget or out-of-memory failure). Frees go on as before;
 * shrinking reallocs too. Called once, when the runtime is poisoned. */
MMI_INTERNAL void mmi_alloc_poison(mm_runtime *rt);

/* For memory the runtime takes outside the backend (the collector's scratch): 1 when
 * the fault-injection shim says this allocation fails; always 0 in normal builds. */
MMI_INTERNAL int mmi_fault_fires(mm_runtime *rt);

/* The backend's checker (P1, A1, A2 and the block accounting for the pools): MM_OK,
 * or MM_EMISUSE with the message recorded. */
MMI_INTERNAL int mmi_alloc_check(mm_runtime *rt);

/* The runtime's own scratch outside the backend (deepcopy's work lists, class
 * descriptors): realloc(p, nbytes) through the fault-injection shim; on failure p is
 * untouched, mmi_oom has recorded MM_ENOMEM and NULL is returned. Release with free(). */
MMI_INTERNAL void *mmi_scratch_realloc(mm_runtime *rt, void *p, size_t nbytes);

/* Failures inside begin/end are harmless by design (a cache that cannot grow). */
MMI_INTERNAL void mmi_benign_begin(mm_runtime *rt);
MMI_INTERNAL void mmi_benign_end(mm_runtime *rt);
/* Every real out-of-memory passes here: a place for a breakpoint. */
MMI_INTERNAL MMI_NOINLINE void mmi_oom(mm_runtime *rt, size_t nbytes);

#endif
