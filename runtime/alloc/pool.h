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

/* The geometry's tunables are in tunables.h (MMI_ALIGNMENT, MMI_MAX_CLASSES, ...). */
#define MMI_DUMMY_SIZE_IDX 0xffff /* an empty pool's class: none yet */
_Static_assert(MMI_MAX_CLASSES <= MM_ALLOC_MAX_CLASSES, "stats table too small");

typedef struct mmi_pool_header mmi_pool_header;
typedef struct mmi_arena mmi_arena;

/* A pool's header. CPython keeps it in the pool's first 48 bytes; libmm keeps those bytes
 * reserved (so every capacity, and so every statistic, is CPython's) but puts the header
 * itself in its arena's header table: one 64-byte line per pool, in the arena's first
 * page, found from a block's address by arithmetic (mmi_pool_header_of). The tables
 * are dense, so the headers stay in cache where 16 KiB-aligned ones collide.
 * P1: a pool is "used" (on usedpools[szidx], 0 < count < capacity), "full" (on no list)
 * or "empty" (on its arena's freepools, count 0). */
struct mmi_pool_header {
    uint32_t count;               /* blocks allocated */
    uint32_t szidx;
    void *freeblock;              /* free-list head, link in each block's first word */
    mmi_pool_header *nextpool, *prevpool;
    char *mem;                    /* the pool itself (pool aligned) */
    uint32_t arenaindex;
    uint32_t nextoffset, maxnextoffset; /* virgin-block bump pointer */
} __attribute__((aligned(64)));
_Static_assert(sizeof(mmi_pool_header) == 64, "one cache line per pool header");

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
    uintptr_t arena_mask;         /* arena_size - 1: arenas sit in arena-aligned slots */
    unsigned pool_shift;          /* log2(pool_size) */
    intptr_t table_off;           /* header table (and mapping start) from the slot */
    size_t map_len;               /* bytes mapped per arena */
    mmi_pool_header usedpools[MMI_MAX_CLASSES]; /* sentinels of the used-pool lists */
    mmi_arena *arenas;            /* descriptor vector (indices are stable) */
    uint32_t narenas;             /* descriptors allocated */
    mmi_arena *unused;            /* free descriptors, linked through nextarena */
    mmi_arena *usable;            /* arenas with free pools, fullest first */
    mmi_arena *nfp2lasta[MMI_MAX_POOLS_IN_ARENA + 1];
    uint64_t arenas_current, arenas_total, arenas_highwater;
    uint64_t pools_in_use[MMI_MAX_CLASSES]; /* blocks in use: summed from the headers */
    uint64_t large_allocs, large_bytes;
} mmi_pool_state;

/* The header of the pool holding p (a block, or the pool's own address): entry
 * (p - slot) / pool_size of the table at slot + table_off, where slot is p's
 * arena-aligned slot. */
static inline mmi_pool_header *
mmi_pool_header_of(const mmi_pool_state *ps, const void *p)
{
    uintptr_t a = (uintptr_t)p;
    mmi_pool_header *table = (mmi_pool_header *)((a & ~ps->arena_mask) + ps->table_off);
    return table + ((a & ps->arena_mask) >> ps->pool_shift);
}

/* ---- The fast paths, inline so the allocation interface calls no function ---- */

/* Slow paths (pool.c): a large block or no used pool for the class; a large free; a
 * pool that became empty goes back to its arena. */
MMI_INTERNAL MMI_NOINLINE void *mmi_pool_alloc_slow(mmi_pool_state *ps, size_t nbytes);
MMI_INTERNAL MMI_NOINLINE void mmi_pool_free_large(mmi_pool_state *ps, void *p,
                                                   size_t nbytes);
MMI_INTERNAL MMI_NOINLINE void mmi_pool_release(mmi_pool_state *ps,
                                                mmi_pool_header *pool);

static inline size_t
mmi_pool_class_size(uint32_t szidx)
{
    return ((size_t)szidx + 1) << MMI_ALIGNMENT_SHIFT;
}

static inline uint32_t
mmi_pool_class_of(size_t nbytes)
{
    return (uint32_t)((nbytes - 1) >> MMI_ALIGNMENT_SHIFT);
}

static inline void
mmi_pool_used_push(mmi_pool_state *ps, mmi_pool_header *pool)
{
    mmi_pool_header *head = &ps->usedpools[pool->szidx];
    pool->nextpool = head->nextpool;
    pool->prevpool = head;
    head->nextpool->prevpool = pool;
    head->nextpool = pool;
}

static inline void
mmi_pool_used_unlink(mmi_pool_header *pool)
{
    pool->prevpool->nextpool = pool->nextpool;
    pool->nextpool->prevpool = pool->prevpool;
}

/* The common case only: a small block from the first used pool of its class. NULL
 * when the block is large or the class has no used pool: then mmi_pool_alloc_slow. */
static inline void *
mmi_pool_alloc_try(mmi_pool_state *ps, size_t nbytes)
{
    uint32_t szidx;
    mmi_pool_header *pool;
    void *bp;
    if (MMI_UNLIKELY(nbytes - 1 >= ps->threshold))
        return NULL;
    szidx = mmi_pool_class_of(nbytes) & (MMI_MAX_CLASSES - 1); /* the mask: for the
                                                  compiler, which cannot see threshold */
    pool = ps->usedpools[szidx].nextpool;
    if (MMI_UNLIKELY(pool == &ps->usedpools[szidx]))
        return NULL;
    pool->count++;
    bp = pool->freeblock;
    pool->freeblock = *(void **)bp;
    if (!pool->freeblock) { /* free list empty: bump one virgin block,
                               or the pool is full */
        if (pool->nextoffset <= pool->maxnextoffset) {
            pool->freeblock = pool->mem + pool->nextoffset;
            pool->nextoffset += (uint32_t)mmi_pool_class_size(szidx);
            *(void **)pool->freeblock = NULL;
        } else {
            mmi_pool_used_unlink(pool);
        }
    }
    return bp;
}

/* nbytes > 0 (0 is served as 1 by the slow path). */
static inline void *
mmi_pool_alloc(mmi_pool_state *ps, size_t nbytes)
{
    void *bp = mmi_pool_alloc_try(ps, nbytes);
    return MMI_LIKELY(bp != NULL) ? bp : mmi_pool_alloc_slow(ps, nbytes);
}

/* nbytes as requested at allocation: it routes the block (sized free, no lookup). */
static inline void
mmi_pool_free(mmi_pool_state *ps, void *p, size_t nbytes)
{
    mmi_pool_header *pool;
    void *lastfree;
    if (MMI_UNLIKELY(nbytes - 1 >= ps->threshold)) {
        mmi_pool_free_large(ps, p, nbytes);
        return;
    }
    pool = mmi_pool_header_of(ps, p);
    lastfree = pool->freeblock;
    *(void **)p = lastfree;
    pool->freeblock = p;
    pool->count--;
    if (!lastfree) /* it was full: used again, first in line */
        mmi_pool_used_push(ps, pool);
    else if (MMI_UNLIKELY(pool->count == 0))
        mmi_pool_release(ps, pool);
}

MMI_INTERNAL int mmi_pool_init(mmi_pool_state *ps, mm_runtime *rt, const mm_config *cfg,
                               int keep_arenas);
MMI_INTERNAL void mmi_pool_fini(mmi_pool_state *ps);
MMI_INTERNAL void *mmi_pool_realloc(mmi_pool_state *ps, void *p, size_t old_nbytes,
                                    size_t nbytes);
/* Adds this allocator's figures to out. */
MMI_INTERNAL void mmi_pool_stats(const mmi_pool_state *ps, mm_alloc_stats *out);
MMI_INTERNAL void mmi_pool_visit(const mmi_pool_state *ps, mm_arena_visit_fn fn,
                                 void *arg);
/* Re-derive P1, A1, A2 and the block accounting. MM_OK or MM_EMISUSE. */
MMI_INTERNAL int mmi_pool_check(const mmi_pool_state *ps);

MMI_INTERNAL const mmi_backend *mmi_backend_pool(void);
MMI_INTERNAL const mmi_backend *mmi_backend_private(void);

#endif
