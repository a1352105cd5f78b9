/* Statistics (like sys._debugmallocstats), the arena visitor and the invariant checker
 * of the pool allocator. Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "alloc/pool.h"
#include "runtime_internal.h"

/* The arena's first pool (the carved ones run up to pool_address). */
static const char *
first_pool(const mmi_pool_state *ps, const mmi_arena *a)
{
    uintptr_t size = ps->pool_size;
    return (const char *)((a->address + size - 1) / size * size);
}

/* Blocks in use per class, summed from the pool headers as CPython's
 * _PyObject_DebugMallocStats does: the fast paths keep no per-class counter. O(pools),
 * one header line per pool, and the headers are dense. */
static void
count_blocks(const mmi_pool_state *ps, uint64_t blocks[MMI_MAX_CLASSES])
{
    memset(blocks, 0, MMI_MAX_CLASSES * sizeof *blocks);
    for (uint32_t i = 0; i < ps->narenas; i++) {
        const mmi_arena *a = &ps->arenas[i];
        if (!a->address)
            continue;
        for (const char *p = first_pool(ps, a); p < a->pool_address; p += ps->pool_size) {
            const mmi_pool_header *h = mmi_pool_header_of(ps, p);
            if (h->count) /* used or full; empty pools keep an old szidx */
                blocks[h->szidx] += h->count;
        }
    }
}

void
mmi_pool_stats(const mmi_pool_state *ps, mm_alloc_stats *out)
{
    uint32_t nclasses = (uint32_t)(ps->threshold >> MMI_ALIGNMENT_SHIFT);
    uint64_t unused_pools = 0, blocks[MMI_MAX_CLASSES];
    count_blocks(ps, blocks);
    out->nclasses = nclasses;
    for (uint32_t i = 0; i < nclasses; i++) {
        size_t size = mmi_pool_class_size(i);
        uint64_t per_pool = (ps->pool_size - MMI_POOL_OVERHEAD) / size;
        uint64_t avail = ps->pools_in_use[i] * per_pool - blocks[i];
        mm_alloc_class_stats *c = &out->classes[i];
        c->block_size = (uint32_t)size;
        c->pools += ps->pools_in_use[i];
        c->blocks_in_use += blocks[i];
        c->blocks_avail += avail;
        out->bytes_in_allocated_blocks += blocks[i] * size;
        out->bytes_in_available_blocks += avail * size;
        out->bytes_pool_headers += ps->pools_in_use[i] * MMI_POOL_OVERHEAD;
        out->bytes_quantization +=
            ps->pools_in_use[i] * ((ps->pool_size - MMI_POOL_OVERHEAD) % size);
    }
    for (uint32_t i = 0; i < ps->narenas; i++) {
        const mmi_arena *a = &ps->arenas[i];
        if (!a->address)
            continue;
        unused_pools += a->nfreepools;
        if (a->ntotalpools < ps->arena_size / ps->pool_size)
            out->bytes_arena_alignment += ps->pool_size;
    }
    out->unused_pools += unused_pools;
    out->arenas_allocated_total += ps->arenas_total;
    out->arenas_reclaimed += ps->arenas_total - ps->arenas_current;
    out->arenas_highwater += ps->arenas_highwater;
    out->arenas_current += ps->arenas_current;
    out->bytes_mapped += ps->arenas_current * ps->arena_size;
    out->large_allocs += ps->large_allocs;
    out->large_bytes += ps->large_bytes;
}

void
mmi_pool_visit(const mmi_pool_state *ps, mm_arena_visit_fn fn, void *arg)
{
    for (uint32_t i = 0; i < ps->narenas; i++) {
        const mmi_arena *a = &ps->arenas[i];
        uint64_t blocks = 0;
        if (!a->address)
            continue;
        for (const char *p = first_pool(ps, a); p < a->pool_address; p += ps->pool_size)
            blocks += mmi_pool_header_of(ps, p)->count;
        fn(arg, a->address, a->ntotalpools, a->ntotalpools - a->nfreepools, blocks);
    }
}

/* P1 for one used pool: 0 < count < capacity; free list inside the pool, aligned to
 * its class; count + free blocks + virgin blocks = capacity. */
static int
check_pool(const mmi_pool_state *ps, const mmi_pool_header *pool, uint32_t szidx)
{
    size_t size = mmi_pool_class_size(szidx);
    uint64_t cap = (ps->pool_size - MMI_POOL_OVERHEAD) / size, nfree = 0, virgin;
    const char *lo = pool->mem + MMI_POOL_OVERHEAD;
    if (pool->szidx != szidx || pool->count == 0 || pool->count >= cap)
        return MM_EMISUSE;
    for (const char *b = pool->freeblock; b; b = *(void *const *)b) {
        if (b < lo || b >= pool->mem + ps->pool_size ||
            (size_t)(b - lo) % size != 0 || ++nfree > cap)
            return MM_EMISUSE;
    }
    virgin = (pool->nextoffset <= ps->pool_size - size)
                 ? (ps->pool_size - pool->nextoffset) / size
                 : 0;
    return pool->count + nfree + virgin == cap ? MM_OK : MM_EMISUSE;
}

int
mmi_pool_check(const mmi_pool_state *ps)
{
    uint64_t pools = 0, in_pools = 0;
    uint32_t prev_nf = 0;
    for (uint32_t i = 0; i < MMI_MAX_CLASSES; i++) {
        const mmi_pool_header *head = &ps->usedpools[i];
        for (const mmi_pool_header *p = head->nextpool; p != head; p = p->nextpool)
            if (check_pool(ps, p, i) != MM_OK)
                return MM_EMISUSE;
        pools += ps->pools_in_use[i];
    }
    for (const mmi_arena *a = ps->usable; a; a = a->nextarena) { /* A1, A2 */
        if (a->nfreepools == 0 || a->nfreepools < prev_nf || !a->address)
            return MM_EMISUSE;
        if (ps->nfp2lasta[a->nfreepools] == a && a->nextarena &&
            a->nextarena->nfreepools == a->nfreepools)
            return MM_EMISUSE;
        prev_nf = a->nfreepools;
    }
    for (uint32_t i = 0; i < ps->narenas; i++)
        if (ps->arenas[i].address)
            in_pools += ps->arenas[i].ntotalpools - ps->arenas[i].nfreepools;
    return in_pools == pools ? MM_OK : MM_EMISUSE;
}
