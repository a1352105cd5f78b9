/* Weak references with callbacks: cleared when the referent dies by refcount (callbacks
 * run at once) or is found unreachable by the collector (callbacks only for weakrefs
 * outside the garbage, after every weakref to the garbage was cleared).
 * Design: docs/design/object-model.md (death by refcount), gc.md (step 6, collections).
 * SPDX-License-Identifier: MIT */
#include "gc/collect_internal.h"

typedef struct mmi_weakref {
    mm_object ob;
    mm_object *target; /* borrowed; NULL once cleared */
    mm_weakref_fn cb;  /* NULL: no callback (or already consumed) */
    void *cb_arg;
    struct mmi_weakref *prev, *next; /* the referent's weakref list */
} mmi_weakref;

static mm_object **
list_of(mmi_weakref *wr)
{
    return mmi_weaklist(wr->target);
}

/* Unlink from the referent's list and forget the referent (clear_weakref). */
static void
wr_unlink(mmi_weakref *wr)
{
    mm_object **head;
    if (!wr->target)
        return;
    head = list_of(wr);
    if (*head == &wr->ob)
        *head = wr->next ? &wr->next->ob : NULL;
    if (wr->prev)
        wr->prev->next = wr->next;
    if (wr->next)
        wr->next->prev = wr->prev;
    wr->prev = wr->next = NULL;
    wr->target = NULL;
}

static void
wr_dealloc(mm_runtime *rt, mm_object *op)
{
    mmi_gc_untrack(rt, op);
    wr_unlink((mmi_weakref *)op);
    mmi_object_count_free(rt, op->type, sizeof(mmi_weakref));
    mmi_gc_free(rt, op, sizeof(mmi_weakref), MM_T_WEAKREF);
}

static int
wr_traverse(mm_object *op, mmi_visit_fn visit, void *arg)
{
    (void)op, (void)visit, (void)arg; /* the referent is weak; callbacks are C code */
    return 0;
}

static void
wr_clear(mm_runtime *rt, mm_object *op)
{
    mmi_weakref *wr = (mmi_weakref *)op;
    (void)rt;
    wr_unlink(wr);
    wr->cb = NULL;
}

static const mm_type weakref_type = {
    .name = "weakref",
    .id = MM_T_WEAKREF,
    .flags = MMI_TF_GC,
    .basic_size = sizeof(mmi_weakref),
    .dealloc = wr_dealloc,
    .traverse = wr_traverse,
    .clear = wr_clear,
};

static mmi_weakref *
first_of(mm_object *target)
{
    return (mmi_weakref *)*mmi_weaklist(target);
}

/* The callback-less "basic" ref, always first when present; NULL if none. */
static mmi_weakref *
basic_ref(mm_object *target)
{
    mmi_weakref *first = first_of(target);
    return first && !first->cb ? first : NULL;
}

int
mm_weakref_new(mm_runtime *rt, mm_object *target, mm_weakref_fn cb, void *arg,
               mm_object **out)
{
    mm_object **head = target ? mmi_weaklist(target) : NULL;
    mmi_weakref *basic, *wr;
    *out = NULL;
    if (MMI_POISONED(rt)) /* also the sharing below, which does not allocate */
        return mmi_poisoned_refuse(rt, "mm_weakref_new");
    if (!head)
        return mmi_error_set(rt, MM_ETYPE, "cannot create weak reference to '%s' object",
                             target ? target->type->name : "NULL");
    basic = basic_ref(target);
    if (!cb && basic) {
        *out = mm_incref(rt, &basic->ob); /* shared, as CPython's weakref.ref(x) */
        return MM_OK;
    }
    wr = (mmi_weakref *)mmi_gc_alloc(rt, sizeof(mmi_weakref), MM_T_WEAKREF);
    if (!wr) /* MM_ENOMEM, or MM_EPOISONED: the allocator recorded which */
        return rt->last_error;
    basic = basic_ref(target); /* the allocation may have collected the old one */
    *wr = (mmi_weakref){ .ob = { 1, &weakref_type }, .target = target, .cb = cb,
                         .cb_arg = arg };
    if (!cb || !basic) { /* insert at the head */
        wr->next = first_of(target);
        if (wr->next)
            wr->next->prev = wr;
        *head = &wr->ob;
    } else { /* right after the basic ref */
        wr->prev = basic;
        wr->next = basic->next;
        if (wr->next)
            wr->next->prev = wr;
        basic->next = wr;
    }
    mmi_object_count_new(rt, &weakref_type, sizeof(mmi_weakref));
    mmi_gc_track(rt, &wr->ob);
    *out = &wr->ob;
    return MM_OK;
}

mm_object *
mm_weakref_get(mm_runtime *rt, mm_object *weakref)
{
    mmi_weakref *wr = (mmi_weakref *)weakref;
    if (!weakref || weakref->type != &weakref_type || !wr->target)
        return NULL;
    return mm_incref(rt, wr->target);
}

size_t
mm_weakref_count(const mm_object *op)
{
    mm_object **head = mmi_weaklist((mm_object *)op);
    size_t n = 0;
    for (mmi_weakref *wr = head ? (mmi_weakref *)*head : NULL; wr; wr = wr->next)
        n++;
    return n;
}

static void
call_callback(mm_runtime *rt, mmi_weakref *wr, mm_weakref_fn cb, void *arg)
{
    if (!rt->gc.destroying)
        cb(rt, &wr->ob, arg);
}

/* ---- Refcount death of a referent (PyObject_ClearWeakRefs) ---- */

/* Fallback without the temporary tuple: one weakref at a time, each held alive. */
static void
clear_refs_one_by_one(mm_runtime *rt, mm_object *op)
{
    mmi_weakref *wr;
    while ((wr = first_of(op)) != NULL) {
        mm_weakref_fn cb = wr->cb;
        int alive = wr->ob.refcnt > 0;
        wr->cb = NULL;
        if (alive)
            mm_incref(rt, &wr->ob);
        wr_unlink(wr);
        if (alive && cb)
            call_callback(rt, wr, cb, wr->cb_arg);
        if (alive)
            mm_decref(rt, &wr->ob);
    }
}

void
mmi_weakref_clear_refs(mm_runtime *rt, mm_object *op)
{
    size_t count, i = 0;
    mm_object *tuple;
    mmi_weakref *wr = basic_ref(op);
    if (wr) /* the basic ref is cleared first and never counted */
        wr_unlink(wr);
    count = mm_weakref_count(op);
    wr = first_of(op);
    if (!count)
        return;
    /* 3.11 calls a lone callback directly; 3.13 always builds the tuple. */
    if (count == 1 && rt->cfg.gc != MM_GC_CPYTHON313) {
        mm_weakref_fn cb = wr->cb;
        wr->cb = NULL;
        wr_unlink(wr);
        if (cb && wr->ob.refcnt > 0)
            call_callback(rt, wr, cb, wr->cb_arg);
        return;
    }
    /* CPython 3.11 holds the weakrefs in a temporary 2*count tuple while it calls the
     * callbacks: a real GC allocation (or tuple free-list pop) that the oracle sees. */
    tuple = count ? mmi_tuple_alloc(rt, 2 * count) : NULL;
    if (!tuple) {
        clear_refs_one_by_one(rt, op);
        return;
    }
    mmi_gc_track(rt, tuple);
    for (mmi_weakref *next; wr; wr = next, i++) {
        next = wr->next;
        if (wr->ob.refcnt > 0 && wr->cb) {
            ((mmi_tuple *)tuple)->items[2 * i] = mm_incref(rt, &wr->ob);
            ((mmi_tuple *)tuple)->items[2 * i + 1] = mm_none(rt);
        } else {
            wr->cb = NULL;
        }
        wr_unlink(wr);
    }
    for (i = 0; i < count; i++) {
        mmi_weakref *w = (mmi_weakref *)((mmi_tuple *)tuple)->items[2 * i];
        if (w) {
            mm_weakref_fn cb = w->cb;
            w->cb = NULL;
            call_callback(rt, w, cb, w->cb_arg);
        }
    }
    mm_decref(rt, tuple);
}

void
mmi_weakref_clear_silently(mm_object *op)
{
    mmi_weakref *wr;
    while ((wr = first_of(op)) != NULL)
        wr_clear(NULL, &wr->ob); /* the type's clear: unlinked, callback dropped */
}

/* ---- Inside a collection (handle_weakrefs) ---- */

int
mmi_weakref_gc_involved(mm_object *op)
{
    mm_object **head;
    return op->type == &weakref_type || ((head = mmi_weaklist(op)) && *head);
}

int64_t
mmi_gc_handle_weakrefs(mm_runtime *rt, mmi_gc_head *unreachable, mmi_gc_head *old)
{
    mmi_gc_head to_call, *g, *next;
    int64_t freed = 0;
    gcl_init(&to_call);
    for (g = gcl_next(unreachable); g != unreachable; g = next) {
        mm_object *op = mmi_from_gc(g), **head;
        mmi_weakref *wr;
        next = gcl_next(g);
        if (op->type == &weakref_type)
            wr_unlink((mmi_weakref *)op); /* garbage weakrefs never call back */
        if (!(head = mmi_weaklist(op)))
            continue;
        while ((wr = (mmi_weakref *)*head) != NULL) {
            wr_unlink(wr);
            if (!wr->cb || gcl_collecting(mmi_as_gc(&wr->ob)))
                continue; /* no callback, or the weakref is garbage too */
            mm_incref(rt, &wr->ob);
            gcl_move(mmi_as_gc(&wr->ob), &to_call);
        }
    }
    /* Callbacks only now: none can reach an unreachable object through a weakref. */
    while (!gcl_empty(&to_call)) {
        mmi_weakref *wr;
        mm_weakref_fn cb;
        g = gcl_next(&to_call);
        wr = (mmi_weakref *)mmi_from_gc(g);
        cb = wr->cb;
        wr->cb = NULL;
        call_callback(rt, wr, cb, wr->cb_arg);
        rt->gc.ev.weakref_callbacks++;
        mm_decref(rt, &wr->ob);
        if (gcl_next(&to_call) == g)
            gcl_move(g, old);
        else
            freed++;
    }
    return freed;
}
