/* Generation lists: GC allocation and the gen0 count, tracking, the gc module's simple
 * getters and setters, freeze, the garbage list, roots, and tear-down.
 * Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "gc/gclist.h"
#include "runtime_internal.h"

int
mmi_gc_init(mm_runtime *rt, const mm_config *cfg)
{
    mmi_gc_state *gc = &rt->gc;
    for (int g = 0; g < MM_GC_GENERATIONS; g++) {
        gcl_init(&gc->generations[g].head);
        gc->generations[g].threshold = cfg->threshold[g];
        gc->generations[g].count = 0;
    }
    gcl_init(&gc->permanent.head);
    gc->enabled = 1;
    gc->policy = mmi_gc_policy_for(cfg->gc);
    gc->marksweep_limit = cfg->marksweep_heap_limit;
    return gc->policy ? MM_OK : MM_EINVAL;
}

/* Break every remaining cycle and free what refcounting then releases; objects still
 * referenced from outside the heap (a leak by the embedder) are untracked and left. */
static void
free_list_of(mm_runtime *rt, mmi_gc_head *list)
{
    while (!gcl_empty(list)) {
        mmi_gc_head *g = gcl_next(list);
        mm_object *op = mmi_from_gc(g);
        op->refcnt++;
        if (op->type->clear)
            op->type->clear(rt, op);
        if (gcl_next(list) == g)
            mmi_gc_untrack(rt, op);
        mm_decref(rt, op);
    }
}

void
mmi_gc_fini(mm_runtime *rt)
{
    mmi_gc_state *gc = &rt->gc;
    mmi_gc_head all;
    gc->destroying = 1;
    gc->enabled = 0;
    mm_clear(rt, &gc->garbage);
    gcl_init(&all);
    for (int g = 0; g < MM_GC_GENERATIONS; g++)
        gcl_merge(&gc->generations[g].head, &all);
    gcl_merge(&gc->permanent.head, &all);
    free_list_of(rt, &all);
    free(gc->dict_scratch);
    gc->dict_scratch = NULL;
    gc->dict_scratch_cap = 0;
}

/* ---- Allocation and tracking ---- */

mm_object *
mmi_gc_alloc(mm_runtime *rt, size_t nbytes, unsigned type_id)
{
    mmi_gc_head *g = mmi_mem_alloc(rt, sizeof(mmi_gc_head) + nbytes, type_id);
    if (MMI_UNLIKELY(!g))
        return NULL;
    g->next = g->prev = 0;
    rt->gc.live_gc_bytes += nbytes;
    rt->gc.generations[0].count++;
    MMI_STAT_INC(rt, gc_allocs);
    rt->gc.policy->on_alloc(rt);
    return mmi_from_gc(g);
}

void
mmi_gc_free(mm_runtime *rt, mm_object *op, size_t nbytes, unsigned type_id)
{
    if (rt->gc.generations[0].count > 0)
        rt->gc.generations[0].count--;
    rt->gc.live_gc_bytes -= nbytes;
    mmi_mem_free(rt, mmi_as_gc(op), sizeof(mmi_gc_head) + nbytes, type_id);
}

void
mmi_gc_track(mm_runtime *rt, mm_object *op)
{
    MMI_ASSERT_INTERNAL(rt, !mmi_gc_tracked(op));
    gcl_append(mmi_as_gc(op), &rt->gc.generations[0].head);
}

void
mmi_gc_untrack(mm_runtime *rt, mm_object *op)
{
    mmi_gc_head *g = mmi_as_gc(op);
    (void)rt;
    if (!g->next)
        return;
    gcl_remove(g);
    g->prev &= MMI_GC_FINALIZED;
}

/* ---- gc module surface ---- */

void
mm_gc_enable(mm_runtime *rt)
{
    if (MMI_POISONED(rt)) {
        mmi_poisoned_refuse(rt, "mm_gc_enable");
        return;
    }
    rt->gc.enabled = 1;
}

void
mm_gc_disable(mm_runtime *rt)
{
    if (MMI_POISONED(rt)) {
        mmi_poisoned_refuse(rt, "mm_gc_disable");
        return;
    }
    rt->gc.enabled = 0;
}

int
mm_gc_isenabled(const mm_runtime *rt)
{
    return rt->gc.enabled;
}

int
mm_gc_set_threshold(mm_runtime *rt, const uint32_t *t, int n)
{
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_gc_set_threshold");
    if (!t || n < 1 || n > MM_GC_GENERATIONS)
        return mmi_error_set(rt, MM_EINVAL,
                             "mm_gc_set_threshold: give 1 to 3 thresholds");
    for (int g = 0; g < n; g++)
        rt->gc.generations[g].threshold = t[g];
    return MM_OK;
}

void
mm_gc_get_threshold(const mm_runtime *rt, uint32_t t[3])
{
    for (int g = 0; g < MM_GC_GENERATIONS; g++)
        t[g] = rt->gc.generations[g].threshold;
}

void
mm_gc_get_count(const mm_runtime *rt, int64_t count[3])
{
    for (int g = 0; g < MM_GC_GENERATIONS; g++)
        count[g] = rt->gc.generations[g].count;
}

void
mm_gc_get_sizes(const mm_runtime *rt, size_t sizes[3])
{
    for (int g = 0; g < MM_GC_GENERATIONS; g++)
        sizes[g] = gcl_size(&rt->gc.generations[g].head);
}

void
mm_gc_get_bytes(const mm_runtime *rt, size_t bytes[3])
{
    for (int g = 0; g < MM_GC_GENERATIONS; g++) {
        const mmi_gc_head *list = &rt->gc.generations[g].head;
        size_t sum = 0;
        for (const mmi_gc_head *h = gcl_next(list); h != list; h = gcl_next(h))
            sum += mmi_from_gc((mmi_gc_head *)h)->type->basic_size + sizeof(mmi_gc_head);
        bytes[g] = sum;
    }
}

void
mm_gc_get_long_lived(const mm_runtime *rt, size_t *total, size_t *pending)
{
    if (total)
        *total = rt->gc.long_lived_total;
    if (pending)
        *pending = rt->gc.long_lived_pending;
}

void
mm_gc_get_stats(const mm_runtime *rt, mm_gc_generation_stats out[3])
{
    memcpy(out, rt->gc.stats, sizeof rt->gc.stats);
}

void
mm_gc_freeze(mm_runtime *rt)
{
    if (MMI_POISONED(rt)) {
        mmi_poisoned_refuse(rt, "mm_gc_freeze");
        return;
    }
    for (int g = 0; g < MM_GC_GENERATIONS; g++) {
        gcl_merge(&rt->gc.generations[g].head, &rt->gc.permanent.head);
        rt->gc.generations[g].count = 0;
    }
}

void
mm_gc_unfreeze(mm_runtime *rt)
{
    if (MMI_POISONED(rt)) {
        mmi_poisoned_refuse(rt, "mm_gc_unfreeze");
        return;
    }
    gcl_merge(&rt->gc.permanent.head, &rt->gc.generations[MM_GC_GENERATIONS - 1].head);
}

size_t
mm_gc_get_freeze_count(const mm_runtime *rt)
{
    return gcl_size(&rt->gc.permanent.head);
}

void
mm_gc_set_debug(mm_runtime *rt, unsigned flags)
{
    if (MMI_POISONED(rt)) {
        mmi_poisoned_refuse(rt, "mm_gc_set_debug");
        return;
    }
    rt->gc.debug = flags;
}

unsigned
mm_gc_get_debug(const mm_runtime *rt)
{
    return rt->gc.debug;
}

mm_object *
mm_gc_garbage_borrow(mm_runtime *rt)
{
    if (!rt->gc.garbage)
        rt->gc.garbage = mm_list_new(rt);
    return rt->gc.garbage;
}

void
mm_gc_garbage_clear(mm_runtime *rt)
{
    if (MMI_POISONED(rt)) {
        mmi_poisoned_refuse(rt, "mm_gc_garbage_clear");
        return;
    }
    if (rt->gc.garbage)
        mm_list_clear(rt, rt->gc.garbage);
}

int
mm_gc_is_tracked(const mm_object *op)
{
    return mmi_is_gc(op) && mmi_gc_tracked(op);
}

int
mm_gc_is_finalized(const mm_object *op)
{
    return mmi_is_gc(op) && mmi_gc_finalized(op);
}

/* Only cpython313 sets gc.pending, and poisoning sets it for every policy: the refusal
 * costs the fast path nothing. */
static MMI_NOINLINE int
safepoint_slow(mm_runtime *rt)
{
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_gc_safepoint");
    if (rt->gc.policy->on_safepoint)
        rt->gc.policy->on_safepoint(rt);
    return MM_OK;
}

int
mm_gc_safepoint(mm_runtime *rt)
{
    if (MMI_UNLIKELY(rt->gc.pending))
        return safepoint_slow(rt);
    return MM_OK;
}

int
mm_gc_collect(mm_runtime *rt, int generation, int64_t *out_found)
{
    int64_t n;
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_gc_collect");
    if (generation < 0 || generation >= MM_GC_GENERATIONS)
        return mmi_error_set(rt, MM_EINVAL,
                             "mm_gc_collect: generation %d (must be 0, 1 or 2)",
                             generation);
    n = rt->gc.collecting ? 0 : rt->gc.policy->collect(rt, generation,
                                                       MM_GC_TRIGGER_EXPLICIT);
    if (out_found)
        *out_found = n;
    return MM_OK;
}

void
mmi_gc_collect_emergency(mm_runtime *rt)
{
    if (!rt->gc.collecting && !rt->gc.destroying)
        rt->gc.policy->collect(rt, MM_GC_GENERATIONS - 1, MM_GC_TRIGGER_EMERGENCY);
}

/* ---- Invariants ---- */

/* G1: every list is a consistent circular doubly linked list; G2: no member carries
 * COLLECTING outside a collection; G3: every member is a live GC object. */
static int
check_list(mm_runtime *rt, const mmi_gc_head *list, const char *name)
{
    const mmi_gc_head *prev = list;
    for (const mmi_gc_head *g = gcl_next(list); g != list; g = gcl_next(g)) {
        const mm_object *op = mmi_from_gc((mmi_gc_head *)g);
        if (!g->next || gcl_prev(g) != prev)
            return mmi_error_set(rt, MM_EMISUSE, "G1: %s list links broken", name);
        if (!rt->gc.collecting && gcl_collecting(g))
            return mmi_error_set(rt, MM_EMISUSE, "G2: COLLECTING set in %s", name);
        if (op->refcnt <= 0 || !mmi_is_gc(op))
            return mmi_error_set(rt, MM_EMISUSE, "G3: dead or non-GC object in %s", name);
        prev = g;
    }
    if ((const mmi_gc_head *)list->prev != prev)
        return mmi_error_set(rt, MM_EMISUSE, "G1: %s tail link broken", name);
    return MM_OK;
}

int
mmi_gc_generations_check(mm_runtime *rt)
{
    static const char *const names[] = { "generation 0", "generation 1", "generation 2" };
    int rc = MM_OK;
    for (int g = 0; g < MM_GC_GENERATIONS && rc == MM_OK; g++)
        rc = check_list(rt, &rt->gc.generations[g].head, names[g]);
    if (rc == MM_OK)
        rc = check_list(rt, &rt->gc.permanent.head, "permanent generation");
    return rc;
}

/* ---- Roots ---- */

static int
slots_push(mm_runtime *rt, mm_object ****arr, size_t *n, size_t *cap, mm_object **slot)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        mm_object ***a = mmi_scratch_realloc(rt, *arr, ncap * sizeof **arr);
        if (!a)
            return MM_ENOMEM;
        *arr = a;
        *cap = ncap;
    }
    (*arr)[(*n)++] = slot;
    return MM_OK;
}

int
mm_root_add(mm_runtime *rt, mm_object **slot)
{
    mmi_roots *r = &rt->roots;
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_root_add");
    return slots_push(rt, &r->fixed, &r->nfixed, &r->cap_fixed, slot);
}

int
mm_root_remove(mm_runtime *rt, mm_object **slot)
{
    mmi_roots *r = &rt->roots;
    for (size_t i = r->nfixed; i-- > 0;) {
        if (r->fixed[i] == slot) {
            r->fixed[i] = r->fixed[--r->nfixed];
            return MM_OK;
        }
    }
    return mmi_error_set(rt, MM_EKEY, "mm_root_remove: slot was not added");
}

int
mm_root_push(mm_runtime *rt, mm_object **slot)
{
    mmi_roots *r = &rt->roots;
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_root_push");
    return slots_push(rt, &r->stack, &r->nstack, &r->cap_stack, slot);
}

void
mm_root_pop(mm_runtime *rt, size_t n)
{
    mmi_roots *r = &rt->roots;
    if (n > r->nstack) {
        MMI_MISUSE(rt, "mm_root_pop: popping %zu of %zu roots", n, r->nstack);
        n = r->nstack;
    }
    r->nstack -= n;
}
