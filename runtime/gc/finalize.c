/* Finalization inside a collection: legacy finalizers (uncollectable groups), PEP 442
 * finalizers run once, and the resurrection re-check (cpython-reference.md 4.5 steps
 * 8, 10, 11, 14). Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#include "gc/collect_internal.h"

static int
visit_move(mm_object *child, void *arg)
{
    mmi_gc_head *to = arg;
    if (mmi_is_gc(child)) {
        mmi_gc_head *g = mmi_as_gc(child);
        if (gcl_collecting(g)) {
            gcl_move(g, to);
            gcl_clear_collecting(g);
        }
    }
    return 0;
}

/* What handle_weakrefs and finalize_garbage would find to do for op. */
static unsigned
needs_of(mm_object *op)
{
    unsigned needs = 0;
    if (op->type->finalize && !mmi_gc_finalized(op))
        needs |= MMI_GC_NEEDS_FINALIZE;
    if (mmi_weakref_gc_involved(op))
        needs |= MMI_GC_NEEDS_WEAKREFS;
    return needs;
}

unsigned
mmi_gc_move_legacy_finalizers(mm_runtime *rt, mmi_gc_head *unreachable,
                              mmi_gc_head *finalizers, size_t *left)
{
    mmi_gc_head *g, *next;
    unsigned needs = 0;
    size_t n = 0, moved = 0;
    (void)rt;
    gcl_init(finalizers);
    for (g = gcl_next(unreachable); g != unreachable; g = next) {
        mm_object *op = mmi_from_gc(g);
        g->next &= ~MMI_NEXT_UNREACHABLE;
        next = gcl_next(g);
        needs |= needs_of(op);
        n++;
        if (op->type->legacy_del) {
            gcl_clear_collecting(g);
            gcl_move(g, finalizers);
        }
    }
    /* Everything the finalizers reach is uncollectable too (the list grows as we go). */
    for (g = gcl_next(finalizers); g != finalizers; g = gcl_next(g)) {
        mm_object *op = mmi_from_gc(g);
        op->type->traverse(op, visit_move, finalizers);
        moved++;
    }
    *left = n - moved;
    return needs;
}

void
mmi_gc_finalize_garbage(mm_runtime *rt, mmi_gc_head *unreachable)
{
    mmi_gc_head seen;
    size_t before = gcl_size(unreachable);
    gcl_init(&seen);
    /* Always take the head: a finalizer may free any other member by refcount. */
    while (!gcl_empty(unreachable)) {
        mmi_gc_head *g = gcl_next(unreachable);
        mm_object *op = mmi_from_gc(g);
        gcl_move(g, &seen);
        if (op->type->finalize && !mmi_gc_finalized(op)) {
            mmi_gc_set_finalized(op);
            mm_incref(rt, op);
            op->type->finalize(rt, op);
            rt->gc.ev.finalizers_run++;
            mm_decref(rt, op);
        }
    }
    gcl_merge(&seen, unreachable);
    rt->gc.ev.freed_in_finalization += before - gcl_size(unreachable);
}

static void
clear_collecting_all(mmi_gc_head *list)
{
    for (mmi_gc_head *g = gcl_next(list); g != list; g = gcl_next(g))
        gcl_clear_collecting(g);
}

void
mmi_gc_handle_resurrected(mm_runtime *rt, mmi_gc_head *unreachable,
                          mmi_gc_head *still_unreachable, mmi_gc_head *old)
{
    clear_collecting_all(unreachable);
    mmi_gc_deduce_unreachable(rt, unreachable, still_unreachable, NULL);
    mmi_gc_clear_unreachable_mask(still_unreachable);
    /* What remains in unreachable was resurrected, or is reachable from something that
     * was: it survives, uncounted. */
    rt->gc.ev.resurrected += gcl_size(unreachable);
    gcl_merge(unreachable, old);
}

int64_t
mmi_gc_handle_legacy_finalizers(mm_runtime *rt, mmi_gc_head *finalizers, mmi_gc_head *old)
{
    int64_t n = 0;
    int saveall = (rt->gc.debug & MM_GC_DEBUG_SAVEALL) != 0;
    for (mmi_gc_head *g = gcl_next(finalizers); g != finalizers; g = gcl_next(g)) {
        mm_object *op = mmi_from_gc(g);
        n++;
        if (saveall || op->type->legacy_del)
            mm_list_append(rt, mm_gc_garbage_borrow(rt), op);
    }
    gcl_merge(finalizers, old);
    return n;
}
