/* Intrusive doubly linked lists through the GC head (generation lists and the
 * collector's work lists). The low two bits of `prev` are flags and are preserved by
 * every operation here. Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#ifndef MMI_GCLIST_H
#define MMI_GCLIST_H
#ifndef MMI_BUILDING_RUNTIME
#error "gc/gclist.h is internal to libmm"
#endif

#include "object_internal.h"

/* During move_unreachable, bit 0 of `next` marks members of the unreachable list. */
#define MMI_NEXT_UNREACHABLE ((uintptr_t)1)
/* During a collection the upper bits of `prev` hold gc_refs. */
#define MMI_REFS_SHIFT 2

static inline mmi_gc_head *
gcl_next(const mmi_gc_head *g)
{
    return (mmi_gc_head *)g->next;
}

static inline mmi_gc_head *
gcl_prev(const mmi_gc_head *g)
{
    return (mmi_gc_head *)(g->prev & ~MMI_GC_FLAGS);
}

static inline void
gcl_set_prev(mmi_gc_head *g, mmi_gc_head *p)
{
    g->prev = (uintptr_t)p | (g->prev & MMI_GC_FLAGS);
}

static inline void
gcl_init(mmi_gc_head *list)
{
    list->next = list->prev = (uintptr_t)list;
}

static inline int
gcl_empty(const mmi_gc_head *list)
{
    return list->next == (uintptr_t)list;
}

/* Append node at the tail of list. */
static inline void
gcl_append(mmi_gc_head *node, mmi_gc_head *list)
{
    mmi_gc_head *last = (mmi_gc_head *)list->prev;
    gcl_set_prev(node, last);
    last->next = (uintptr_t)node;
    node->next = (uintptr_t)list;
    list->prev = (uintptr_t)node;
}

static inline void
gcl_remove(mmi_gc_head *node)
{
    mmi_gc_head *prev = gcl_prev(node), *next = gcl_next(node);
    prev->next = (uintptr_t)next;
    gcl_set_prev(next, prev);
    node->next = 0;
}

/* Move node from its list to the tail of list. */
static inline void
gcl_move(mmi_gc_head *node, mmi_gc_head *list)
{
    mmi_gc_head *prev = gcl_prev(node), *next = gcl_next(node);
    prev->next = (uintptr_t)next;
    gcl_set_prev(next, prev);
    gcl_append(node, list);
}

/* Append every node of from to the tail of to; from becomes empty. */
static inline void
gcl_merge(mmi_gc_head *from, mmi_gc_head *to)
{
    if (!gcl_empty(from)) {
        mmi_gc_head *to_last = (mmi_gc_head *)to->prev;
        mmi_gc_head *first = gcl_next(from), *last = (mmi_gc_head *)from->prev;
        to_last->next = (uintptr_t)first;
        gcl_set_prev(first, to_last);
        last->next = (uintptr_t)to;
        to->prev = (uintptr_t)last;
    }
    gcl_init(from);
}

static inline size_t
gcl_size(const mmi_gc_head *list)
{
    size_t n = 0;
    for (const mmi_gc_head *g = gcl_next(list); g != list; g = gcl_next(g))
        n++;
    return n;
}

/* A walk along a list is a chain of dependent loads, one per node, that the hardware
 * cannot run ahead of. Lists are mostly in allocation order, which for pool memory is
 * address order (or its reverse, after move_unreachable reorders young): extrapolate
 * the step from g to its successor and prefetch a few nodes further on. A wrong guess
 * costs a wasted prefetch, never a fault. */
static inline void
gcl_prefetch_ahead(const mmi_gc_head *g)
{
    uintptr_t here = (uintptr_t)g, next = g->next & ~MMI_NEXT_UNREACHABLE;
    __builtin_prefetch((const void *)(next + 3 * (next - here)));
}

/* ---- gc_refs and the COLLECTING flag (valid only during a collection) ---- */

static inline intptr_t
gcl_refs(const mmi_gc_head *g)
{
    return (intptr_t)(g->prev >> MMI_REFS_SHIFT);
}

static inline void
gcl_set_refs(mmi_gc_head *g, intptr_t refs)
{
    g->prev = (g->prev & MMI_GC_FLAGS) | ((uintptr_t)refs << MMI_REFS_SHIFT);
}

/* gc_refs := refs, COLLECTING set, FINALIZED kept. */
static inline void
gcl_reset_refs(mmi_gc_head *g, intptr_t refs)
{
    g->prev = (g->prev & MMI_GC_FINALIZED) | MMI_GC_COLLECTING |
              ((uintptr_t)refs << MMI_REFS_SHIFT);
}

static inline void
gcl_decref(mmi_gc_head *g)
{
    g->prev -= (uintptr_t)1 << MMI_REFS_SHIFT;
}

static inline int
gcl_collecting(const mmi_gc_head *g)
{
    return (g->prev & MMI_GC_COLLECTING) != 0;
}

static inline void
gcl_clear_collecting(mmi_gc_head *g)
{
    g->prev &= ~MMI_GC_COLLECTING;
}

#endif
