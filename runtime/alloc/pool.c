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

/* ---- Used-pool lists ---- */

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

/* Map map_len bytes starting table_off from an arena-aligned slot: reserve a slot's
 * worth more, then return the two ends. 0 on failure. */
static uintptr_t
map_arena(const mmi_pool_state *ps)
{
    size_t reserve = ps->map_len + ps->arena_size;
    char *raw = mmap(NULL, reserve, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    uintptr_t start, end;
    if (raw == MAP_FAILED)
        return 0;
    start = (((uintptr_t)raw - ps->table_off + ps->arena_mask) & ~ps->arena_mask) +
            ps->table_off;
    end = start + ps->map_len;
    if (start > (uintptr_t)raw)
        munmap(raw, start - (uintptr_t)raw);
    if (end < (uintptr_t)raw + reserve)
        munmap((void *)end, (uintptr_t)raw + reserve - end);
    return start;
}

static mmi_arena *
arena_new(mmi_pool_state *ps)
{
    mmi_arena *a;
    uintptr_t map, excess;
    if (!arena_descriptor(ps))
        return NULL;
    if (!(map = map_arena(ps)))
        return NULL;
    a = ps->unused;
    ps->unused = a->nextarena;
    /* CPython's arena address: with 16 KiB pools the table page is the start of the
     * partial first pool CPython loses (63 pools, as from most mmaps); with 4 KiB pools
     * the arena is pool aligned (64 pools, as always in CPython) and the table page
     * sits just before it. */
    a->address = ps->table_off > 0 ? map : map + MMI_HEADER_PAGE;
    a->nfreepools = (uint32_t)(ps->arena_size / ps->pool_size);
    a->freepools = NULL;
    a->pool_address = (char *)a->address;
    excess = a->address & (ps->pool_size - 1);
    if (excess) { /* a page-aligned start: the partial first pool is lost */
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

/* The start of a's mapping: its table page. */
static uintptr_t
arena_map(const mmi_pool_state *ps, const mmi_arena *a)
{
    return (a->address & ~ps->arena_mask) + ps->table_off;
}

static void
arena_release(mmi_pool_state *ps, mmi_arena *a)
{
    if (ps->rt)
        MMI_HOOK(ps->rt, arena, 0, a->address, ps->arena_size);
    munmap((void *)arena_map(ps, a), ps->map_len);
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
        pool = mmi_pool_header_of(ps, a->pool_address);
        pool->mem = a->pool_address;
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

static void *
alloc_from_new_pool(mmi_pool_state *ps, uint32_t szidx)
{
    size_t size = mmi_pool_class_size(szidx);
    mmi_pool_header *pool = pool_take(ps);
    void *bp;
    if (!pool)
        return NULL;
    ps->pools_in_use[szidx]++;
    pool->count = 1;
    if (pool->szidx == szidx) { /* same class as before: header and free list intact */
        bp = pool->freeblock;
        pool->freeblock = *(void **)bp;
        mmi_pool_used_push(ps, pool);
        return bp;
    }
    pool->szidx = szidx;
    bp = pool->mem + MMI_POOL_OVERHEAD;
    pool->nextoffset = (uint32_t)(MMI_POOL_OVERHEAD + 2 * size);
    pool->maxnextoffset = (uint32_t)(ps->pool_size - size);
    pool->freeblock = (char *)bp + size;
    *(void **)pool->freeblock = NULL;
    mmi_pool_used_push(ps, pool);
    return bp;
}

void *
mmi_pool_alloc_slow(mmi_pool_state *ps, size_t nbytes)
{
    void *bp;
    if (nbytes == 0 || nbytes > ps->threshold) {
        bp = malloc(nbytes ? nbytes : 1);
        if (bp) {
            ps->large_allocs++;
            ps->large_bytes += nbytes;
        }
        return bp;
    }
    return alloc_from_new_pool(ps, mmi_pool_class_of(nbytes));
}

/* ---- Free ---- */

/* An empty pool goes back to its arena; the arena moves right to keep A1, or is
 * unmapped when wholly free (but the last usable one is kept: bpo-37257). */
void
mmi_pool_release(mmi_pool_state *ps, mmi_pool_header *pool)
{
    mmi_arena *a = &ps->arenas[pool->arenaindex], *lastnf;
    uint32_t nf;
    mmi_pool_used_unlink(pool);
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
mmi_pool_free_large(mmi_pool_state *ps, void *p, size_t nbytes)
{
    ps->large_allocs--;
    ps->large_bytes -= nbytes;
    free(p);
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
        size_t size = mmi_pool_class_size(mmi_pool_class_of(old_nbytes));
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
    ps->arena_mask = cfg->arena_size - 1;
    ps->pool_shift = (unsigned)__builtin_ctzll(cfg->pool_size);
    if (cfg->pool_size > MMI_HEADER_PAGE) { /* the table fills the lost first page */
        ps->table_off = MMI_HEADER_PAGE;
        ps->map_len = cfg->arena_size;
    } else { /* no pool is lost: the table page comes before the arena */
        ps->table_off = -(intptr_t)MMI_HEADER_PAGE;
        ps->map_len = cfg->arena_size + MMI_HEADER_PAGE;
    }
    for (int i = 0; i < MMI_MAX_CLASSES; i++)
        ps->usedpools[i].nextpool = ps->usedpools[i].prevpool = &ps->usedpools[i];
    return MM_OK;
}

void
mmi_pool_fini(mmi_pool_state *ps)
{
    for (uint32_t i = 0; i < ps->narenas; i++)
        if (ps->arenas[i].address)
            munmap((void *)arena_map(ps, &ps->arenas[i]), ps->map_len);
    free(ps->arenas);
    ps->arenas = NULL;
}
