/* Reference counting slow paths, deallocation through the trashcan, per-type counters.
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#include "runtime_internal.h"

/* Nesting depth after which container deallocations are deferred (CPython's
 * _PyTrash_UNWIND_LEVEL): bounds C recursion to this many dealloc frames. */

/* ---- Counters ---- */

static void
gauge_add(mm_stat_gauge *g, int64_t n)
{
    g->current += n;
    if (n > 0)
        g->total += n;
    if (g->current > g->peak)
        g->peak = g->current;
}

void
mmi_object_count_new(mm_runtime *rt, const mm_type *type, size_t nbytes)
{
#if MM_STATS_LEVEL >= 1
    gauge_add(&rt->stats.objects, 1);
    gauge_add(&rt->stats.object_bytes, (int64_t)nbytes);
    gauge_add(&rt->stats.type_objects[type->id], 1);
#else
    (void)rt, (void)type, (void)nbytes;
#endif
}

void
mmi_object_count_free(mm_runtime *rt, const mm_type *type, size_t nbytes)
{
#if MM_STATS_LEVEL >= 1
    gauge_add(&rt->stats.objects, -1);
    gauge_add(&rt->stats.object_bytes, -(int64_t)nbytes);
    gauge_add(&rt->stats.type_objects[type->id], -1);
    rt->stats.type_freed[type->id].total++;
    if (rt->gc.deleting)
        rt->stats.freed_by_gc.total++;
    else
        rt->stats.freed_by_refcount.total++;
#else
    (void)rt, (void)type, (void)nbytes;
#endif
}

/* ---- Trashcan ----
 * A deferred object has refcount 0, is untracked, and is linked through the upper bits
 * of its GC head's prev word (the low flag bits are kept), so `next == 0` still says
 * "untracked". Only GC containers are deferred: atoms have no children. */

static void
trash_push(mm_runtime *rt, mm_object *op)
{
    mmi_gc_head *g = mmi_as_gc(op);
    mmi_gc_untrack(rt, op);
    g->prev = (uintptr_t)rt->trash.later | (g->prev & MMI_GC_FLAGS);
    rt->trash.later = op;
    MMI_STAT_INC(rt, trashcan_deferred);
}

static mm_object *
trash_pop(mm_runtime *rt)
{
    mm_object *op = rt->trash.later;
    mmi_gc_head *g = mmi_as_gc(op);
    rt->trash.later = (mm_object *)(g->prev & ~MMI_GC_FLAGS);
    g->prev &= MMI_GC_FLAGS;
    return op;
}

/* Run deferred deallocations until none is left; each may defer more. */
static void
trash_drain(mm_runtime *rt)
{
    rt->trash.depth++;
    while (rt->trash.later) {
        mm_object *op = trash_pop(rt);
        op->type->dealloc(rt, op);
    }
    rt->trash.depth--;
}

static MMI_NOINLINE void
object_misuse(mm_runtime *rt, mm_object *op)
{
    MMI_MISUSE(rt, "decref of a %s object whose refcount is already %ld (%s)",
               op->type ? op->type->name : "?", (long)op->refcnt + 1,
               op->refcnt + 1 == 0 ? "object already deallocated" : "below zero");
    op->refcnt++;
}

void
mm_object_misuse_slow(mm_runtime *rt, mm_object *op, const char *what)
{
    MMI_MISUSE(rt, "%s of an object at %p that was already freed (use after free)", what,
               (void *)op);
}

void
mm_object_dealloc_slow(mm_runtime *rt, mm_object *op)
{
    if (MMI_UNLIKELY(op->refcnt < 0)) {
        object_misuse(rt, op);
        return;
    }
    if ((op->type->flags & MMI_TF_TRASHCAN) && rt->trash.depth >= MMI_TRASH_LIMIT) {
        trash_push(rt, op);
        return;
    }
    rt->trash.depth++;
    op->type->dealloc(rt, op);
    rt->trash.depth--;
    if (rt->trash.depth == 0 && rt->trash.later)
        trash_drain(rt);
}

/* ---- Queries ---- */

intptr_t
mm_refcount(const mm_object *op)
{
    return op->refcnt;
}

const char *
mm_type_name(const mm_object *op)
{
    return op->type->name;
}

mm_type_id
mm_type_id_of(const mm_object *op)
{
    return op->type->id;
}

const char *
mm_type_id_name(mm_type_id id)
{
    static const char *const names[MM_T_COUNT] = {
        "int", "float", "str", "tuple", "list", "dict", "instance", "weakref",
        "generator", "frame", "other",
    };
    return (unsigned)id < MM_T_COUNT ? names[id] : "other";
}
