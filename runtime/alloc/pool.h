/* The pymalloc-style small-object allocator (CPython 3.11 obmalloc): 16-byte size
 * classes in pools carved from arenas, fullest arena first, empty arenas returned to the
 * OS. A pool_state is one independent allocator; the pool backend uses one, the private
 * backend one per type. Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#ifndef MMI_POOL_H
#define MMI_POOL_H
#ifndef MMI_BUILDING_RUNTIME
#error "alloc/pool.h is internal to libmm"
#endif

#include "alloc/alloc.h"

/* ---- Tunables (cpython-reference.md 2.2) ---- */
#define MMI_ALIGNMENT 16
#define MMI_ALIGNMENT_SHIFT 4
#define MMI_MAX_CLASSES 32           /* 512 / 16 */
#define MMI_POOL_OVERHEAD 48         /* the pool header, rounded up to 16 */
#define MMI_INITIAL_ARENA_OBJECTS 16
#define MMI_MAX_POOLS_IN_ARENA 64    /* 1 MiB / 16 KiB, and 256 KiB / 4 KiB */
#define MMI_DUMMY_SIZE_IDX 0xffff
_Static_assert(MMI_MAX_CLASSES <= MM_ALLOC_MAX_CLASSES, "stats table too small");

typedef struct mmi_pool_header mmi_pool_header;
typedef struct mmi_arena mmi_arena;

/* P1: a pool is "used" (on usedpools[szidx], 0 < count < capacity), "full" (on no list)
 * or "empty" (on its arena's freepools, count 0). */
struct mmi_pool_header {
    uint32_t count;               /* blocks allocated */
    uint32_t pad;
    void *freeblock;              /* free-list head, link in each block's first word */
    mmi_pool_header *nextpool, *prevpool;
    uint32_t arenaindex, szidx;
    uint32_t nextoffset, maxnextoffset; /* virgin-block bump pointer */
};
_Static_assert(sizeof(mmi_pool_header) <= MMI_POOL_OVERHEAD, "pool header too big");

/* A1: usable_arenas is sorted by nfreepools ascending; nfp2lasta[n] is the last arena
 * in it with exactly n free pools. A2: an arena with no free pool is on no list. */
struct mmi_arena {
    uintptr_t address;            /* 0: descriptor unused */
    char *pool_address;           /* next pool to carve */
    uint32_t nfreepools, ntotalpools;
    mmi_pool_header *freepools;   /* empty pools, LIFO */
    mmi_arena *nextarena, *prevarena;
};

typedef struct mmi_pool_state {
    mm_runtime *rt;               /* for the arena hook */
    size_t pool_size, arena_size, threshold;
    int keep_arenas;              /* private mode: never return an arena to the OS */
    mmi_pool_header usedpools[MMI_MAX_CLASSES]; /* sentinels of the used-pool lists */
    mmi_arena *arenas;            /* descriptor vector (indices are stable) */
    uint32_t narenas;             /* descriptors allocated */
    mmi_arena *unused;            /* free descriptors, linked through nextarena */
    mmi_arena *usable;            /* arenas with free pools, fullest first */
    mmi_arena *nfp2lasta[MMI_MAX_POOLS_IN_ARENA + 1];
    uint64_t arenas_current, arenas_total, arenas_highwater;
    uint64_t blocks_in_use[MMI_MAX_CLASSES];
    uint64_t pools_in_use[MMI_MAX_CLASSES];
    uint64_t large_allocs, large_bytes;
} mmi_pool_state;

MMI_INTERNAL int mmi_pool_init(mmi_pool_state *ps, mm_runtime *rt, const mm_config *cfg,
                               int keep_arenas);
MMI_INTERNAL void mmi_pool_fini(mmi_pool_state *ps);
MMI_INTERNAL void *mmi_pool_alloc(mmi_pool_state *ps, size_t nbytes);
/* nbytes as requested at allocation: it routes the block (sized free, no lookup). */
MMI_INTERNAL void mmi_pool_free(mmi_pool_state *ps, void *p, size_t nbytes);
MMI_INTERNAL void *mmi_pool_realloc(mmi_pool_state *ps, void *p, size_t old_nbytes,
                                    size_t nbytes);
/* Adds this allocator's figures to out. */
MMI_INTERNAL void mmi_pool_stats(const mmi_pool_state *ps, mm_alloc_stats *out);
MMI_INTERNAL void mmi_pool_visit(const mmi_pool_state *ps, mm_arena_visit_fn fn, void *arg);
/* Re-derive P1, A1, A2 and the block accounting. MM_OK or MM_EMISUSE. */
MMI_INTERNAL int mmi_pool_check(const mmi_pool_state *ps);

MMI_INTERNAL const mmi_backend *mmi_backend_pool(void);
MMI_INTERNAL const mmi_backend *mmi_backend_private(void);

#endif
