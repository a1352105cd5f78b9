/* tuple: fixed-size immutable containers; the empty tuple is a singleton; free lists per
 * length as CPython 3.11 (push 1..20, pop 1..19); untracked by the collector when they
 * hold nothing that may be tracked. Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#include "runtime_internal.h"

static size_t
tuple_nbytes(size_t n)
{
    return sizeof(mmi_tuple) + n * sizeof(mm_object *);
}

static void
tuple_dealloc(mm_runtime *rt, mm_object *op)
{
    mmi_tuple *t = (mmi_tuple *)op;
    size_t n = t->n;
    mmi_gc_untrack(rt, op);
    for (size_t i = n; i-- > 0;)
        mm_xdecref(rt, t->items[i]);
    mmi_object_count_free(rt, op->type, tuple_nbytes(n));
    if (n == 0 || n > MMI_TUPLE_FREELIST_LENGTHS ||
        !mmi_freelist_push(rt, &rt->types.fl_tuple[n - 1], op))
        mmi_gc_free(rt, op, tuple_nbytes(n), MM_T_TUPLE);
}

static int
tuple_traverse(mm_object *op, mmi_visit_fn visit, void *arg)
{
    mmi_tuple *t = (mmi_tuple *)op;
    for (size_t i = t->n; i-- > 0;) { /* last to first, as CPython: the order in
                                        which the collector re-appends young objects */
        if (t->items[i]) {
            int rc = visit(t->items[i], arg);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* No clear function, as CPython: tuples are immutable, so a cycle through a tuple
 * always has a mutable member whose clear breaks it. */
const mm_type mmi_tuple_type = {
    .name = "tuple",
    .id = MM_T_TUPLE,
    .flags = MMI_TF_GC | MMI_TF_TRASHCAN,
    .basic_size = sizeof(mmi_tuple),
    .dealloc = tuple_dealloc,
    .traverse = tuple_traverse,
};

/* New untracked tuple with NULL items (n >= 1); from the free list when n <= 19. */
mm_object *
mmi_tuple_alloc(mm_runtime *rt, size_t n)
{
    mmi_tuple *t = NULL;
    if (n < MMI_TUPLE_FREELIST_LENGTHS)
        t = mmi_freelist_pop(rt, &rt->types.fl_tuple[n - 1]);
    if (!t) {
        t = (mmi_tuple *)mmi_gc_alloc(rt, tuple_nbytes(n), MM_T_TUPLE);
        if (!t)
            return NULL;
    }
    t->ob.refcnt = 1;
    t->ob.type = &mmi_tuple_type;
    t->n = n;
    for (size_t i = 0; i < n; i++)
        t->items[i] = NULL;
    mmi_object_count_new(rt, &mmi_tuple_type, tuple_nbytes(n));
    return &t->ob;
}

mm_object *
mm_tuple_pack(mm_runtime *rt, size_t n, mm_object *const *items)
{
    mm_object *op;
    if (n == 0)
        return mm_incref(rt, rt->types.empty_tuple);
    for (size_t i = 0; i < n; i++) {
        if (!items || !items[i]) {
            mmi_error_set(rt, MM_EINVAL, "mm_tuple_pack: item %zu is NULL", i);
            return NULL;
        }
    }
    op = mmi_tuple_alloc(rt, n);
    if (!op)
        return NULL;
    for (size_t i = 0; i < n; i++)
        ((mmi_tuple *)op)->items[i] = mm_incref(rt, items[i]);
    mmi_gc_track(rt, op);
    return op;
}

size_t
mm_tuple_len(const mm_object *tuple)
{
    return mmi_is_type(tuple, &mmi_tuple_type) ? ((const mmi_tuple *)tuple)->n : 0;
}

mm_object *
mm_tuple_get(mm_runtime *rt, mm_object *tuple, size_t i)
{
    if (!mmi_is_type(tuple, &mmi_tuple_type)) {
        mmi_error_set(rt, MM_ETYPE, "mm_tuple_get: not a tuple");
        return NULL;
    }
    if (i >= ((mmi_tuple *)tuple)->n) {
        mmi_error_set(rt, MM_EINDEX, "mm_tuple_get: index %zu out of range", i);
        return NULL;
    }
    return mm_xincref(rt, ((mmi_tuple *)tuple)->items[i]);
}

int
mmi_tuple_can_untrack(const mm_object *op)
{
    const mmi_tuple *t = (const mmi_tuple *)op;
    for (size_t i = 0; i < t->n; i++) {
        const mm_object *it = t->items[i];
        if (!it || mmi_may_be_tracked(it))
            return 0;
    }
    return 1;
}

int
mmi_may_be_tracked(const mm_object *op)
{
    if (!mmi_is_gc(op))
        return 0;
    if (op->type == &mmi_tuple_type)
        return mmi_gc_tracked(op);
    return 1;
}

/* The empty tuple: allocated once at init, never tracked, never freed before destroy. */
MMI_INTERNAL int mmi_empty_tuple_init(mm_runtime *rt);
int
mmi_empty_tuple_init(mm_runtime *rt)
{
    mmi_tuple *t = (mmi_tuple *)mmi_gc_alloc(rt, tuple_nbytes(0), MM_T_TUPLE);
    if (!t)
        return MM_ENOMEM;
    t->ob.refcnt = 1;
    t->ob.type = &mmi_tuple_type;
    t->n = 0;
    mmi_object_count_new(rt, &mmi_tuple_type, tuple_nbytes(0));
    rt->types.empty_tuple = &t->ob;
    return MM_OK;
}
