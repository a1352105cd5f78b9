/* The pymalloc-style allocator: CPython 3.11's obmalloc algorithm (size classes, pools,
 * arenas ordered fullest first, empty arenas unmapped) written for libmm. Blocks are
 * routed by their requested size, which every libmm free passes (sized deallocation),
 * so no address lookup is needed. Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "alloc/pool.h"
#include "runtime_internal.h"

static size_t
class_size(uint32_t szidx)
{
    return ((size_t)szidx + 1) << MMI_ALIGNMENT_SHIFT;
}

static uint32_t
class_of(size_t nbytes)
{
    return (uint32_t)((nbytes - 1) >> MMI_ALIGNMENT_SHIFT);
}

static mmi_pool_header *
pool_of(const mmi_pool_state *ps, const void *p)
{
    return (mmi_pool_header *)((uintptr_t)p & ~(uintptr_t)(ps->pool_size - 1));
}

/* ---- Used-pool lists ---- */

static void
used_push_front(mmi_pool_state *ps, mmi_pool_header *pool)
{
    mmi_pool_header *head = &ps->usedpools[pool->szidx];
    pool->nextpool = head->nextpool;
    pool->prevpool = head;
    head->nextpool->prevpool = pool;
    head->nextpool = pool;
}

static void
used_unlink(mmi_pool_header *pool)
{
    pool->prevpool->nextpool = pool->nextpool;
    pool->nextpool->prevpool = pool->prevpool;
}

/* ---- Arenas ---- */

/* Pointers into the descriptor vector are re-based after it moved. */
static void
arenas_rebase(mmi_pool_state *ps, uintptr_t old_base, mmi_arena *now, uint32_t nold)
{
    uintptr_t now_base = (uintptr_t)now;
#define REBASE(p) ((p) = (p) ? (mmi_arena *)((uintptr_t)(p) - old_base + now_base) : NULL)
    for (uint32_t i = 0; i < nold; i++) {
        REBASE(now[i].nextarena);
        REBASE(now[i].prevarena);
    }
    REBASE(ps->usable);
    for (int i = 0; i <= MMI_MAX_POOLS_IN_ARENA; i++)
        REBASE(ps->nfp2lasta[i]);
#undef REBASE
}


static mmi_arena *
arena_descriptor(mmi_pool_state *ps)
{
    if (!ps->unused) {
        uint32_t n = ps->narenas ? ps->narenas * 2 : MMI_INITIAL_ARENA_OBJECTS;
        uintptr_t old_base = (uintptr_t)ps->arenas;
        mmi_arena *a = realloc(ps->arenas, n * sizeof *a);
        if (!a)
            return NULL;
        ps->arenas = a;
        if (old_base && (uintptr_t)a != old_base)
            arenas_rebase(ps, old_base, a, ps->narenas);
        for (uint32_t i = ps->narenas; i < n; i++) {
            memset(&a[i], 0, sizeof a[i]);
            a[i].nextarena = i + 1 < n ? &a[i + 1] : NULL;
        }
        ps->unused = &a[ps->narenas];
        ps->narenas = n;
    }
    return ps->unused;
}

static mmi_arena *
arena_new(mmi_pool_state *ps)
{
    mmi_arena *a;
    void *mem;
    uintptr_t excess;
    if (!arena_descriptor(ps))
        return NULL;
    mem = mmap(NULL, ps->arena_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
               -1, 0);
    if (mem == MAP_FAILED)
        return NULL;
    a = ps->unused;
    ps->unused = a->nextarena;
    a->address = (uintptr_t)mem;
    a->nfreepools = (uint32_t)(ps->arena_size / ps->pool_size);
    a->freepools = NULL;
    a->pool_address = mem;
    excess = a->address & (ps->pool_size - 1);
    if (excess) { /* mmap gives pages, pools need pool alignment: lose the first */
        a->nfreepools--;
        a->pool_address += ps->pool_size - excess;
    }
    a->ntotalpools = a->nfreepools;
    a->nextarena = a->prevarena = NULL;
    ps->arenas_current++;
    ps->arenas_total++;
    if (ps->arenas_current > ps->arenas_highwater)
        ps->arenas_highwater = ps->arenas_current;
    if (ps->rt) /* NULL when the allocator is used alone (tests) */
        MMI_HOOK(ps->rt, arena, 1, a->address, ps->arena_size);
    return a;
}

static void
arena_release(mmi_pool_state *ps, mmi_arena *a)
{
    if (ps->rt)
        MMI_HOOK(ps->rt, arena, 0, a->address, ps->arena_size);
    munmap((void *)a->address, ps->arena_size);
    a->address = 0;
    a->nextarena = ps->unused;
    ps->unused = a;
    ps->arenas_current--;
}

static void
usable_unlink(mmi_pool_state *ps, mmi_arena *a)
{
    if (a->prevarena)
        a->prevarena->nextarena = a->nextarena;
    else
        ps->usable = a->nextarena;
    if (a->nextarena)
        a->nextarena->prevarena = a->prevarena;
}

/* ---- Allocation ---- */

/* Take a pool for class szidx from the fullest usable arena (A1 keeps it first). */
static mmi_pool_header *
pool_take(mmi_pool_state *ps)
{
    mmi_arena *a = ps->usable;
    mmi_pool_header *pool;
    if (!a) {
        if (!(a = arena_new(ps)))
            return NULL;
        ps->usable = a;
        ps->nfp2lasta[a->nfreepools] = a;
    }
    /* a has the fewest free pools; after this it still does, one fewer. */
    if (ps->nfp2lasta[a->nfreepools] == a)
        ps->nfp2lasta[a->nfreepools] = NULL;
    if (a->nfreepools > 1)
        ps->nfp2lasta[a->nfreepools - 1] = a;
    if (a->freepools) {
        pool = a->freepools;
        a->freepools = pool->nextpool;
    } else { /* carve a never-used pool */
        pool = (mmi_pool_header *)a->pool_address;
        pool->arenaindex = (uint32_t)(a - ps->arenas);
        pool->szidx = MMI_DUMMY_SIZE_IDX;
        a->pool_address += ps->pool_size;
    }
    if (--a->nfreepools == 0) { /* A2: a full arena leaves the list */
        ps->usable = a->nextarena;
        if (ps->usable)
            ps->usable->prevarena = NULL;
    }
    return pool;
}

static MMI_NOINLINE void *
alloc_from_new_pool(mmi_pool_state *ps, uint32_t szidx)
{
    size_t size = class_size(szidx);
    mmi_pool_header *pool = pool_take(ps);
    void *bp;
    if (!pool)
        return NULL;
    ps->pools_in_use[szidx]++;
    pool->count = 1;
    if (pool->szidx == szidx) { /* same class as before: header and free list intact */
        bp = pool->freeblock;
        pool->freeblock = *(void **)bp;
        used_push_front(ps, pool);
        return bp;
    }
    pool->szidx = szidx;
    bp = (char *)pool + MMI_POOL_OVERHEAD;
    pool->nextoffset = (uint32_t)(MMI_POOL_OVERHEAD + 2 * size);
    pool->maxnextoffset = (uint32_t)(ps->pool_size - size);
    pool->freeblock = (char *)bp + size;
    *(void **)pool->freeblock = NULL;
    used_push_front(ps, pool);
    return bp;
}

void *
mmi_pool_alloc(mmi_pool_state *ps, size_t nbytes)
{
    uint32_t szidx;
    mmi_pool_header *pool;
    void *bp;
    if (MMI_UNLIKELY(nbytes == 0 || nbytes > ps->threshold)) {
        bp = malloc(nbytes ? nbytes : 1);
        if (bp) {
            ps->large_allocs++;
            ps->large_bytes += nbytes;
        }
        return bp;
    }
    szidx = class_of(nbytes);
    pool = ps->usedpools[szidx].nextpool;
    if (MMI_UNLIKELY(pool == &ps->usedpools[szidx])) {
        bp = alloc_from_new_pool(ps, szidx);
        if (bp)
            ps->blocks_in_use[szidx]++;
        return bp;
    }
    ps->blocks_in_use[szidx]++;
    pool->count++;
    bp = pool->freeblock;
    pool->freeblock = *(void **)bp;
    if (!pool->freeblock) { /* free list empty: bump one virgin block, or the pool is full */
        if (pool->nextoffset <= pool->maxnextoffset) {
            pool->freeblock = (char *)pool + pool->nextoffset;
            pool->nextoffset += (uint32_t)class_size(szidx);
            *(void **)pool->freeblock = NULL;
        } else {
            used_unlink(pool);
        }
    }
    return bp;
}

/* ---- Free ---- */

/* An empty pool goes back to its arena; the arena moves right to keep A1, or is
 * unmapped when wholly free (but the last usable one is kept: bpo-37257). */
static void
pool_release(mmi_pool_state *ps, mmi_pool_header *pool)
{
    mmi_arena *a = &ps->arenas[pool->arenaindex], *lastnf;
    uint32_t nf;
    used_unlink(pool);
    ps->pools_in_use[pool->szidx]--;
    pool->nextpool = a->freepools;
    a->freepools = pool;
    nf = a->nfreepools;
    lastnf = ps->nfp2lasta[nf];
    if (lastnf == a) { /* a was the last with nf: its left neighbour may take over */
        mmi_arena *p = a->prevarena;
        ps->nfp2lasta[nf] = p && p->nfreepools == nf ? p : NULL;
    }
    a->nfreepools = ++nf;
    if (nf == a->ntotalpools && a->nextarena && !ps->keep_arenas) {
        usable_unlink(ps, a);
        arena_release(ps, a);
        return;
    }
    if (nf == 1) { /* it was full: it is now the fullest usable arena */
        a->nextarena = ps->usable;
        a->prevarena = NULL;
        if (ps->usable)
            ps->usable->prevarena = a;
        ps->usable = a;
        if (!ps->nfp2lasta[1])
            ps->nfp2lasta[1] = a;
        return;
    }
    if (!ps->nfp2lasta[nf])
        ps->nfp2lasta[nf] = a;
    if (a == lastnf)
        return; /* still in order */
    /* Move a to just after lastnf, the last arena that had its old count. */
    usable_unlink(ps, a);
    a->prevarena = lastnf;
    a->nextarena = lastnf->nextarena;
    if (a->nextarena)
        a->nextarena->prevarena = a;
    lastnf->nextarena = a;
}

void
mmi_pool_free(mmi_pool_state *ps, void *p, size_t nbytes)
{
    mmi_pool_header *pool;
    void *lastfree;
    if (MMI_UNLIKELY(nbytes == 0 || nbytes > ps->threshold)) {
        ps->large_allocs--;
        ps->large_bytes -= nbytes;
        free(p);
        return;
    }
    pool = pool_of(ps, p);
    ps->blocks_in_use[pool->szidx]--;
    lastfree = pool->freeblock;
    *(void **)p = lastfree;
    pool->freeblock = p;
    pool->count--;
    if (MMI_UNLIKELY(!lastfree)) /* it was full: used again, first in line */
        used_push_front(ps, pool);
    else if (MMI_UNLIKELY(pool->count == 0))
        pool_release(ps, pool);
}

void *
mmi_pool_realloc(mmi_pool_state *ps, void *p, size_t old_nbytes, size_t nbytes)
{
    int old_small = old_nbytes && old_nbytes <= ps->threshold;
    int new_small = nbytes && nbytes <= ps->threshold;
    void *q;
    if (!old_small && !new_small) { /* both large: the system realloc */
        q = realloc(p, nbytes);
        if (q)
            ps->large_bytes += nbytes - old_nbytes;
        return q;
    }
    if (old_small && new_small) {
        size_t size = class_size(class_of(old_nbytes));
        /* Keep the block when it fits and shrinks by less than 25 % (2.8). */
        if (nbytes <= size && 4 * nbytes > 3 * size)
            return p;
    }
    /* Move (a large block shrinking into the small range moves too: blocks are routed
     * by size, so libmm cannot leave it in malloc as CPython does). */
    q = mmi_pool_alloc(ps, nbytes);
    if (!q)
        return NULL;
    memcpy(q, p, old_nbytes < nbytes ? old_nbytes : nbytes);
    mmi_pool_free(ps, p, old_nbytes);
    return q;
}

/* ---- Lifecycle ---- */

int
mmi_pool_init(mmi_pool_state *ps, mm_runtime *rt, const mm_config *cfg, int keep_arenas)
{
    memset(ps, 0, sizeof *ps);
    ps->rt = rt;
    ps->pool_size = cfg->pool_size;
    ps->arena_size = cfg->arena_size;
    ps->threshold = cfg->small_threshold;
    ps->keep_arenas = keep_arenas;
    for (int i = 0; i < MMI_MAX_CLASSES; i++)
        ps->usedpools[i].nextpool = ps->usedpools[i].prevpool = &ps->usedpools[i];
    return MM_OK;
}

void
mmi_pool_fini(mmi_pool_state *ps)
{
    for (uint32_t i = 0; i < ps->narenas; i++)
        if (ps->arenas[i].address)
            munmap((void *)ps->arenas[i].address, ps->arena_size);
    free(ps->arenas);
    ps->arenas = NULL;
}
