/* Type descriptors, the GC header and object-level internals.
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#ifndef MMI_OBJECT_INTERNAL_H
#define MMI_OBJECT_INTERNAL_H
#ifndef MMI_BUILDING_RUNTIME
#error "object_internal.h is internal to libmm"
#endif

#include "mmi.h"

/* Visit one child reference; return non-zero to stop the traversal (returned). */
typedef int (*mmi_visit_fn)(mm_object *child, void *arg);

/* Type flags. */
#define MMI_TF_GC 0x1u          /* GC container: has an mmi_gc_head before the object */
#define MMI_TF_TRASHCAN 0x2u    /* deallocation may nest: goes through the trashcan */
#define MMI_TF_HEAPCLASS 0x4u   /* instances of an mm_class */

struct mm_type {
    const char *name;
    mm_type_id id;
    uint32_t flags;
    size_t basic_size;     /* bytes of the object (header included, GC head excluded) */
    size_t weaklist_offset; /* 0, or offset of an `mm_object *` weakref-list head */
    /* Tear down an object whose refcount reached zero and release its memory.
     * Called only by mmi_object_dealloc (through the trashcan), never directly. */
    void (*dealloc)(mm_runtime *rt, mm_object *op);
    /* Visit every strong reference the object holds (GC types). */
    int (*traverse)(mm_object *op, mmi_visit_fn visit, void *arg);
    /* Drop references to break cycles (GC types; tp_clear). */
    void (*clear)(mm_runtime *rt, mm_object *op);
    /* PEP 442 finalizer (tp_finalize), or NULL. Called at most once per object. */
    void (*finalize)(mm_runtime *rt, mm_object *op);
    /* Legacy finalizer (tp_del), or NULL: the collector treats holders
     * as uncollectable. */
    void (*legacy_del)(mm_runtime *rt, mm_object *op);
};

/* ---- GC header: two words before every GC object (CPython's PyGC_Head) ----
 * next: next object in its generation list; 0 <=> untracked.
 * prev: previous object; low 2 bits are flags: MMI_GC_FINALIZED (permanent),
 *       MMI_GC_COLLECTING (only during a collection, when the upper bits
 *       hold gc_refs). */
typedef struct mmi_gc_head {
    uintptr_t next;
    uintptr_t prev;
} mmi_gc_head;

#define MMI_GC_FINALIZED ((uintptr_t)1)
#define MMI_GC_COLLECTING ((uintptr_t)2)
#define MMI_GC_FLAGS ((uintptr_t)3)

static inline mmi_gc_head *
mmi_as_gc(const mm_object *op)
{
    return (mmi_gc_head *)op - 1;
}

static inline mm_object *
mmi_from_gc(mmi_gc_head *g)
{
    return (mm_object *)(g + 1);
}

static inline int
mmi_is_gc(const mm_object *op)
{
    return (op->type->flags & MMI_TF_GC) != 0;
}

static inline int
mmi_gc_tracked(const mm_object *op)
{
    return mmi_as_gc(op)->next != 0;
}

static inline int
mmi_gc_finalized(const mm_object *op)
{
    return (mmi_as_gc(op)->prev & MMI_GC_FINALIZED) != 0;
}

static inline void
mmi_gc_set_finalized(mm_object *op)
{
    mmi_as_gc(op)->prev |= MMI_GC_FINALIZED;
}

/* Weak-reference list head of op, or NULL when its type is not weakrefable. */
static inline mm_object **
mmi_weaklist(mm_object *op)
{
    size_t off = op->type->weaklist_offset;
    return off ? (mm_object **)((char *)op + off) : (mm_object **)0;
}

/* Count of the object's lifetime in the per-runtime counters (object.c). */
MMI_INTERNAL void mmi_object_count_new(mm_runtime *rt, const mm_type *type,
                                       size_t nbytes);
MMI_INTERNAL void mmi_object_count_free(mm_runtime *rt, const mm_type *type,
                                        size_t nbytes);

/* "May be tracked" (CPython _PyObject_GC_MAY_BE_TRACKED): a GC object that is not an
 * exact tuple currently untracked. */
MMI_INTERNAL int mmi_may_be_tracked(const mm_object *op);

#endif
