/* Policy marksweep: the seed's root-tracing collector. When live GC bytes exceed the
 * heap limit, mark everything reachable from the registered roots (mm_root_add /
 * mm_root_push, the permanent generation, gc.garbage) and sweep the rest. Sweeping
 * reuses the CPython phases for weakrefs, finalizers and cycle breaking.
 * Design: docs/design/gc.md (marksweep).
 * SPDX-License-Identifier: MIT */
#include "gc/collect_internal.h"
#include "gc/policy.h"

/* Mark one object: an unmarked candidate (COLLECTING) moves to the marked list. */
static int
visit_mark(mm_object *child, void *arg)
{
    mmi_gc_head *marked = arg;
    if (mmi_is_gc(child) && gcl_collecting(mmi_as_gc(child))) {
        gcl_clear_collecting(mmi_as_gc(child));
        gcl_move(mmi_as_gc(child), marked);
    }
    return 0;
}

static void
mark_slots(mm_object ***slots, size_t n, mmi_gc_head *marked)
{
    for (size_t i = 0; i < n; i++)
        if (*slots[i])
            visit_mark(*slots[i], marked);
}

/* Trace from the roots; afterwards heap holds only unmarked objects. Invariant of the
 * scan: every object left of g in marked has been traversed. */
static void
mark(mm_runtime *rt, mmi_gc_head *heap, mmi_gc_head *marked)
{
    mmi_gc_head *g;
    for (g = gcl_next(heap); g != heap; g = gcl_next(g))
        g->prev |= MMI_GC_COLLECTING;
    mark_slots(rt->roots.fixed, rt->roots.nfixed, marked);
    mark_slots(rt->roots.stack, rt->roots.nstack, marked);
    if (rt->gc.garbage)
        visit_mark(rt->gc.garbage, marked);
    for (g = gcl_next(&rt->gc.permanent.head); g != &rt->gc.permanent.head;
         g = gcl_next(g))
        mmi_from_gc(g)->type->traverse(mmi_from_gc(g), visit_mark, marked);
    for (g = gcl_next(marked); g != marked; g = gcl_next(g)) {
        rt->gc.ev.traverse_visits++;
        mmi_from_gc(g)->type->traverse(mmi_from_gc(g), visit_mark, marked);
    }
}

#if MM_DEBUG_LEVEL >= 1
/* An unmarked object with references from outside the unmarked set is held by a C
 * variable that was never registered as a root: report it and keep it (and what it
 * reaches) instead of freeing live memory. */
static void
check_missing_roots(mm_runtime *rt, mmi_gc_head *heap, mmi_gc_head *marked)
{
    mmi_gc_head unreachable;
    mmi_gc_deduce_unreachable(rt, heap, &unreachable, NULL);
    mmi_gc_clear_unreachable_mask(&unreachable);
    if (!gcl_empty(heap))
        MMI_MISUSE(rt, "marksweep: %zu unmarked objects are referenced from outside the "
                   "heap (missing mm_root_add/mm_root_push); kept alive",
                   gcl_size(heap));
    gcl_merge(heap, marked);
    gcl_merge(&unreachable, heap);
}
#endif

/* One root-tracing collection. Returns objects freed. */
static int64_t
marksweep_run(mm_runtime *rt, mm_gc_trigger trigger)
{
    mmi_gc_state *gc = &rt->gc;
    mmi_gc_head heap, marked;
    mmi_gc_head *old = &gc->generations[MM_GC_GENERATIONS - 1].head;
    int64_t m, n;

    mmi_gc_event_begin(rt, MM_GC_GENERATIONS - 1, trigger);
    gcl_init(&heap);
    gcl_init(&marked);
    for (int i = 0; i < MM_GC_GENERATIONS; i++) {
        gcl_merge(&gc->generations[i].head, &heap);
        gc->generations[i].count = 0;
    }
    MMI_HOOK(rt, gc_phase, MM_GC_PHASE_UPDATE_REFS);
    mark(rt, &heap, &marked);
#if MM_DEBUG_LEVEL >= 1
    check_missing_roots(rt, &heap, &marked);
#endif
    gc->ev.promoted = gcl_size(&marked);
    gcl_merge(&marked, old);
    /* heap now holds the unmarked objects, COLLECTING set: sweep them as garbage. */
    mmi_gc_dispose(rt, &heap, old, &m, &n);
    mmi_freelists_clear(rt);
    mmi_gc_event_end(rt, MM_GC_GENERATIONS - 1, m, n);
    return m + n;
}

static void
marksweep_on_alloc(mm_runtime *rt)
{
    mmi_gc_state *gc = &rt->gc;
    if (mmi_gc_torture_step(rt))
        return;
    if (gc->live_gc_bytes > gc->marksweep_limit && gc->enabled && !gc->collecting) {
        gc->collecting = 1;
        marksweep_run(rt, MM_GC_TRIGGER_HEAP_LIMIT);
        gc->collecting = 0;
        /* Grow the limit when most of the heap is live, as tracing collectors do. */
        if (gc->live_gc_bytes > gc->marksweep_limit / 2)
            gc->marksweep_limit = gc->live_gc_bytes * 2;
    }
}

static int64_t
marksweep_collect(mm_runtime *rt, int generation, mm_gc_trigger trigger)
{
    int64_t n;
    (void)generation;
    rt->gc.collecting = 1;
    n = marksweep_run(rt, trigger);
    rt->gc.collecting = 0;
    return n;
}

static const mmi_gc_policy marksweep_policy = {
    .name = "marksweep",
    .on_alloc = marksweep_on_alloc,
    .on_safepoint = NULL,
    .collect = marksweep_collect,
};

const mmi_gc_policy *
mmi_gc_policy_marksweep(void)
{
    return &marksweep_policy;
}
