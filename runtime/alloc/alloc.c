/* The internal allocation interface: backend dispatch, counting, the emergency
 * collection on failure, and the fault-injection shim. Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/pool.h"
#include "runtime_internal.h"

static const mmi_backend *
backend_for(mm_alloc_kind kind)
{
    switch (kind) {
        case MM_ALLOC_POOL:
            return mmi_backend_pool();
        case MM_ALLOC_PRIVATE:
            return mmi_backend_private();
        case MM_ALLOC_MALLOC:
        case MM_ALLOC_MIMALLOC:
        case MM_ALLOC_JEMALLOC:
            return mmi_backend_malloc();
        default:
            return NULL;
    }
}

const char *
mm_alloc_malloc_provider(void)
{
    Dl_info info;
    void *(*fn)(size_t) = malloc;
    if (!dladdr(*(void **)&fn, &info) || !info.dli_fname)
        return "unknown";
    if (strstr(info.dli_fname, "mimalloc"))
        return "mimalloc";
    if (strstr(info.dli_fname, "jemalloc"))
        return "jemalloc";
    if (strstr(info.dli_fname, "libc.so"))
        return "glibc";
    return info.dli_fname;
}

/* mimalloc and jemalloc are never linked: the harness preloads them, and the runtime
 * refuses to pretend when they do not serve malloc. */
static int
check_preloaded(mm_runtime *rt, mm_alloc_kind kind)
{
    const char *want = kind == MM_ALLOC_MIMALLOC ? "mimalloc" : "jemalloc";
    if (kind != MM_ALLOC_MIMALLOC && kind != MM_ALLOC_JEMALLOC)
        return MM_OK;
    if (strcmp(mm_alloc_malloc_provider(), want) == 0)
        return MM_OK;
    return mmi_error_set(rt, MM_ENOTSUP,
                         "alloc: %s does not serve malloc in this process (it is %s); "
                         "run under LD_PRELOAD of lib%s.so.2 from Debian's lib%s-dev "
                         "(mmbench run --alloc %s does this)",
                         want, mm_alloc_malloc_provider(), want, want, want);
}

int
mmi_alloc_init(mm_runtime *rt, const mm_config *cfg)
{
    mmi_alloc_state *a = &rt->alloc;
    int rc;
    memset(a, 0, sizeof *a);
    a->budget = cfg->heap_budget ? (uint64_t)cfg->heap_budget : UINT64_MAX;
    a->be = backend_for(cfg->alloc);
    if (!a->be)
        return mmi_error_set(rt, MM_ENOTSUP, "alloc: unknown backend %d",
                             (int)cfg->alloc);
    rc = check_preloaded(rt, cfg->alloc);
    if (rc != MM_OK)
        return rc;
    rc = a->be->init(rt, cfg, &a->be_state);
    if (rc != MM_OK)
        return mmi_error_set(rt, rc, "alloc: backend '%s' failed to start", a->be->name);
    if (a->be == mmi_backend_pool())
        a->pool = a->be_state;
    return MM_OK;
}

void
mmi_alloc_fini(mm_runtime *rt)
{
    if (rt->alloc.be && rt->alloc.be_state)
        rt->alloc.be->fini(rt->alloc.be_state);
    rt->alloc.be_state = NULL;
}

#if MM_FAULT_INJECTION
#define MMI_FAULT_ARMED(a) ((a)->fault_at != 0)
/* Returns 1 when this allocation must fail (SQLite-style countdown). */
static int
fault_fires(mmi_alloc_state *a)
{
    if (!a->fault_at)
        return 0;
    a->fault_seq++;
    if (a->fault_seq < a->fault_at)
        return 0;
    if (a->fault_seq > a->fault_at && !a->fault_persistent)
        return 0;
    a->fault_failures++;
    return 1;
}
#else
#define MMI_FAULT_ARMED(a) 0
#endif

int
mmi_fault_fires(mm_runtime *rt)
{
#if MM_FAULT_INJECTION
    return fault_fires(&rt->alloc);
#else
    (void)rt;
    return 0;
#endif
}

/* Arm the shim: the allocation with ordinal `at` (1-based, counted from now) fails, and
 * with persistent every later one too; at == 0 disarms. Returns failures
 * injected so far. */
#if MM_FAULT_INJECTION
MMI_INTERNAL uint64_t mmi_alloc_fault_arm(mm_runtime *rt, uint64_t at, int persistent);
uint64_t
mmi_alloc_fault_arm(mm_runtime *rt, uint64_t at, int persistent)
{
    mmi_alloc_state *a = &rt->alloc;
    uint64_t n = a->fault_failures;
    a->fault_seq = 0;
    a->fault_at = at;
    a->fault_persistent = persistent;
    a->fault_failures = 0;
    return n;
}
#endif

/* The heap budget: one compare on the fast path (UINT64_MAX without a limit, 0 once the
 * runtime is poisoned: then every request fails here, and is no budget failure). */
static int
over_budget(mm_runtime *rt, size_t nbytes)
{
    mmi_alloc_state *a = &rt->alloc;
    if (MMI_LIKELY(a->requested_bytes + nbytes <= a->budget))
        return 0;
    if (!rt->poisoned)
        a->budget_failures++;
    return 1;
}

void
mmi_alloc_poison(mm_runtime *rt)
{
    rt->alloc.budget = 0;
}

static void *
backend_alloc(mm_runtime *rt, size_t nbytes, unsigned type_id)
{
    if (over_budget(rt, nbytes))
        return NULL;
#if MM_FAULT_INJECTION
    if (fault_fires(&rt->alloc))
        return NULL;
#endif
    if (MMI_LIKELY(rt->alloc.pool != NULL))
        return mmi_pool_alloc(rt->alloc.pool, nbytes);
    return rt->alloc.be->alloc(rt->alloc.be_state, nbytes, type_id);
}

int
mmi_alloc_check(mm_runtime *rt)
{
    return rt->alloc.be->check ? rt->alloc.be->check(rt->alloc.be_state) : MM_OK;
}

void *
mmi_scratch_realloc(mm_runtime *rt, void *p, size_t nbytes)
{
    void *q = mmi_fault_fires(rt) ? NULL : realloc(p, nbytes ? nbytes : 1);
    if (!q)
        mmi_oom(rt, nbytes);
    return q;
}

void
mmi_oom(mm_runtime *rt, size_t nbytes)
{
    rt->alloc.failed++;
    if (rt->cfg.heap_budget && rt->alloc.requested_bytes + nbytes > rt->cfg.heap_budget)
        mmi_error_set(rt, MM_ENOMEM,
                      "heap budget of %llu bytes exceeded allocating %zu bytes",
                      (unsigned long long)rt->cfg.heap_budget, nbytes);
    else
        mmi_error_set(rt, MM_ENOMEM, "out of memory allocating %zu bytes", nbytes);
}

/* A request failed: out of memory, or refused because the runtime is poisoned (which
 * may also have happened during the emergency collection). */
static void
alloc_failed(mm_runtime *rt, size_t nbytes)
{
    if (MMI_UNLIKELY(rt->poisoned))
        mmi_poisoned_refuse(rt, "allocation");
    else
        mmi_oom(rt, nbytes);
}

static MMI_NOINLINE void *
alloc_slow(mm_runtime *rt, size_t nbytes, unsigned type_id)
{
    void *p = NULL;
    if (!rt->alloc.in_emergency && !rt->gc.collecting && !rt->poisoned) {
        rt->alloc.in_emergency = 1;
        mmi_gc_collect_emergency(rt);
        rt->alloc.in_emergency = 0;
        p = backend_alloc(rt, nbytes, type_id);
    }
    if (!p)
        alloc_failed(rt, nbytes);
    return p;
}

#if MM_STATS_LEVEL >= 1
/* Branch-free: (n - 1) / 16 clamped to the "large" bucket (n == 0 wraps to large too:
 * like CPython, the pool sends 0 to malloc). */
static inline unsigned
size_bucket(size_t nbytes)
{
    size_t b = (nbytes - 1) >> 4;
    return b < MM_ALLOC_SIZE_BUCKETS - 1 ? (unsigned)b : MM_ALLOC_SIZE_BUCKETS - 1;
}
#endif

static void
alloc_count(mm_runtime *rt, size_t nbytes)
{
    mmi_alloc_state *a = &rt->alloc;
#if MM_STATS_LEVEL >= 1
    a->size_allocs[size_bucket(nbytes)]++; /* their sum is the number of calls */
#endif
    a->requested_bytes += nbytes;
#if MM_HOOKS
    if (rt->cfg.sample_every && ++a->since_sample >= rt->cfg.sample_every) {
        a->since_sample = 0;
        MMI_HOOK(rt, sample, rt);
    }
#endif
}

/* Everything but the pool's common case: the budget, fault injection, other backends,
 * a new pool or a large block, the emergency collection. */
static MMI_NOINLINE void *
mem_alloc_general(mm_runtime *rt, size_t nbytes, unsigned type_id)
{
    void *p = backend_alloc(rt, nbytes, type_id);
    if (MMI_UNLIKELY(!p)) {
        p = alloc_slow(rt, nbytes, type_id);
        if (!p)
            return NULL;
    }
#if MM_DEBUG_LEVEL >= 1
    memset(p, 0xAA, nbytes);
#endif
    alloc_count(rt, nbytes);
    /* debug_level 3: the allocator re-derived after each new pool or large block */
    MMI_ASSERT_EXPENSIVE(rt, mmi_alloc_check(rt) == MM_OK);
    return p;
}

#if MM_HOOKS
/* The sampling hook is due: a call kept off the fast path, so that stays a leaf. */
static MMI_NOINLINE void *
alloc_sample(mm_runtime *rt, void *p)
{
    rt->alloc.since_sample = 0;
    MMI_HOOK(rt, sample, rt);
    return p;
}
#endif

/* The pool's common case stays a leaf function: the rest is one tail call away. */
void *
mmi_mem_alloc(mm_runtime *rt, size_t nbytes, unsigned type_id)
{
    mmi_alloc_state *a = &rt->alloc;
    void *p;
    if (MMI_UNLIKELY(!a->pool || a->requested_bytes + nbytes > a->budget ||
                     MMI_FAULT_ARMED(a) || MM_DEBUG_LEVEL >= 1))
        return mem_alloc_general(rt, nbytes, type_id);
    p = mmi_pool_alloc_try(a->pool, nbytes);
    if (MMI_UNLIKELY(!p))
        return mem_alloc_general(rt, nbytes, type_id);
#if MM_STATS_LEVEL >= 1
    a->size_allocs[(nbytes - 1) >> MMI_ALIGNMENT_SHIFT]++; /* small: its own bucket */
#endif
    a->requested_bytes += nbytes;
#if MM_HOOKS
    if (MMI_UNLIKELY(rt->cfg.sample_every && ++a->since_sample >= rt->cfg.sample_every))
        return alloc_sample(rt, p);
#endif
    return p;
}

void
mmi_mem_free(mm_runtime *rt, void *p, size_t nbytes, unsigned type_id)
{
#if MM_DEBUG_LEVEL >= 1
    memset(p, 0x55, nbytes);
#endif
#if MM_STATS_LEVEL >= 1
    rt->alloc.size_frees[size_bucket(nbytes)]++;
#endif
    rt->alloc.requested_bytes -= nbytes;
    if (MMI_LIKELY(rt->alloc.pool != NULL))
        mmi_pool_free(rt->alloc.pool, p, nbytes);
    else
        rt->alloc.be->free(rt->alloc.be_state, p, nbytes, type_id);
}

void *
mmi_mem_realloc(mm_runtime *rt, void *p, size_t old_nbytes, size_t nbytes,
                unsigned type_id)
{
    void *q;
    if (nbytes > old_nbytes && over_budget(rt, nbytes - old_nbytes)) {
        alloc_failed(rt, nbytes - old_nbytes);
        return NULL;
    }
#if MM_FAULT_INJECTION
    if (fault_fires(&rt->alloc)) {
        mmi_oom(rt, nbytes);
        return NULL;
    }
#endif
    q = rt->alloc.be->realloc(rt->alloc.be_state, p, old_nbytes, nbytes, type_id);
    if (!q) {
        mmi_oom(rt, nbytes);
        return NULL;
    }
    rt->alloc.requested_bytes += nbytes - old_nbytes;
#if MM_STATS_LEVEL >= 1
    rt->alloc.size_frees[size_bucket(old_nbytes)]++;
    rt->alloc.size_allocs[size_bucket(nbytes)]++;
#endif
    return q;
}

void
mmi_benign_begin(mm_runtime *rt)
{
#if MM_FAULT_INJECTION
    rt->alloc.fault_benign_depth++;
#else
    (void)rt;
#endif
}

void
mmi_benign_end(mm_runtime *rt)
{
#if MM_FAULT_INJECTION
    rt->alloc.fault_benign_depth--;
#else
    (void)rt;
#endif
}

/* ---- Public surface ---- */

void
mm_alloc_stats_get(const mm_runtime *rt, mm_alloc_stats *out)
{
    memset(out, 0, sizeof *out);
    out->backend = mm_alloc_kind_name(rt->cfg.alloc);
    if (rt->alloc.be->stats)
        rt->alloc.be->stats(rt->alloc.be_state, out);
    out->requested_bytes = rt->alloc.requested_bytes;
    for (int b = 0; b < MM_ALLOC_SIZE_BUCKETS; b++) {
        out->alloc_calls += rt->alloc.size_allocs[b];
        out->free_calls += rt->alloc.size_frees[b];
    }
    out->failed_allocs = rt->alloc.failed;
    out->budget_failures = rt->alloc.budget_failures;
    memcpy(out->size_allocs, rt->alloc.size_allocs, sizeof out->size_allocs);
    memcpy(out->size_frees, rt->alloc.size_frees, sizeof out->size_frees);
}

int
mm_alloc_budget_exceeded(const mm_runtime *rt)
{
    return rt->alloc.budget_failures != 0;
}

void
mm_alloc_visit_arenas(const mm_runtime *rt, mm_arena_visit_fn fn, void *arg)
{
    if (rt->alloc.be->visit_arenas)
        rt->alloc.be->visit_arenas(rt->alloc.be_state, fn, arg);
}

void *
mm_mem_alloc(mm_runtime *rt, size_t nbytes)
{
    /* 0: to malloc, as PyObject_Malloc(0) */
    return mmi_mem_alloc(rt, nbytes, MM_T_OTHER);
}

void
mm_mem_free(mm_runtime *rt, void *p, size_t nbytes)
{
    if (p)
        mmi_mem_free(rt, p, nbytes, MM_T_OTHER);
}
