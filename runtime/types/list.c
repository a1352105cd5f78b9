/* list: growable arrays of references, with CPython 3.11's list free list (80, LIFO;
 * only the list object is kept, the items array is freed).
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "runtime_internal.h"

static void
items_free(mm_runtime *rt, mm_object **items, size_t cap)
{
    if (items)
        mmi_mem_free(rt, items, cap * sizeof(mm_object *), MM_T_LIST);
}

/* Detach the items, then release them last to first (list_dealloc, _list_clear). */
static void
list_release_items(mm_runtime *rt, mmi_list *l)
{
    mm_object **items = l->items;
    size_t n = l->n, cap = l->cap;
    l->items = NULL;
    l->n = l->cap = 0;
    for (size_t i = n; i-- > 0;)
        mm_xdecref(rt, items[i]);
    items_free(rt, items, cap);
}

static void
list_dealloc(mm_runtime *rt, mm_object *op)
{
    mmi_gc_untrack(rt, op);
    list_release_items(rt, (mmi_list *)op);
    mmi_object_count_free(rt, op->type, sizeof(mmi_list));
    if (!mmi_freelist_push(rt, &rt->types.fl_list, op))
        mmi_gc_free(rt, op, sizeof(mmi_list), MM_T_LIST);
}

static int
list_traverse(mm_object *op, mmi_visit_fn visit, void *arg)
{
    mmi_list *l = (mmi_list *)op;
    for (size_t i = l->n; i-- > 0;) { /* last to first, as CPython: the order in
                                        which the collector re-appends young objects */
        if (l->items[i]) {
            int rc = visit(l->items[i], arg);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static void
list_clear_items(mm_runtime *rt, mm_object *op)
{
    list_release_items(rt, (mmi_list *)op);
}

const mm_type mmi_list_type = {
    .name = "list",
    .id = MM_T_LIST,
    .flags = MMI_TF_GC | MMI_TF_TRASHCAN,
    .basic_size = sizeof(mmi_list),
    .dealloc = list_dealloc,
    .traverse = list_traverse,
    .clear = list_clear_items,
};

mm_object *
mm_list_new(mm_runtime *rt)
{
    mmi_list *l = mmi_freelist_pop(rt, &rt->types.fl_list);
    if (!l) {
        l = (mmi_list *)mmi_gc_alloc(rt, sizeof(mmi_list), MM_T_LIST);
        if (!l)
            return NULL;
    }
    l->ob.refcnt = 1;
    l->ob.type = &mmi_list_type;
    l->n = l->cap = 0;
    l->items = NULL;
    mmi_object_count_new(rt, &mmi_list_type, sizeof(mmi_list));
    mmi_gc_track(rt, &l->ob);
    return &l->ob;
}

static mmi_list *
as_list(mm_runtime *rt, mm_object *op, const char *fn)
{
    if (!mmi_is_type(op, &mmi_list_type)) {
        mmi_error_set(rt, MM_ETYPE, "%s: not a list", fn);
        return NULL;
    }
    return (mmi_list *)op;
}

size_t
mm_list_len(const mm_object *list)
{
    return mmi_is_type(list, &mmi_list_type) ? ((const mmi_list *)list)->n : 0;
}

/* Make room for one more item with CPython's over-allocation pattern. */
static int
list_grow(mm_runtime *rt, mmi_list *l)
{
    size_t want = l->n + 1;
    size_t cap = (want + (want >> 3) + 6) & ~(size_t)3;
    mm_object **items;
    if (l->items)
        items = mmi_mem_realloc(rt, l->items, l->cap * sizeof(mm_object *),
                                cap * sizeof(mm_object *), MM_T_LIST);
    else
        items = mmi_mem_alloc(rt, cap * sizeof(mm_object *), MM_T_LIST);
    if (!items)
        return MM_ENOMEM;
    l->items = items;
    l->cap = cap;
    return MM_OK;
}

/* mm_list_append_steal past the poisoned-runtime test. */
static int
list_append_steal(mm_runtime *rt, mm_object *list, mm_object *item)
{
    mmi_list *l = as_list(rt, list, "mm_list_append");
    int rc = MM_OK;
    if (!item)
        return mmi_error_set(rt, MM_EINVAL, "mm_list_append: NULL item");
    if (!l)
        rc = MM_ETYPE;
    else if (l->n == l->cap)
        rc = list_grow(rt, l);
    if (rc != MM_OK) {
        mm_decref(rt, item);
        return rc;
    }
    l->items[l->n++] = item;
    return MM_OK;
}

int
mm_list_append_steal(mm_runtime *rt, mm_object *list, mm_object *item)
{
    if (MMI_POISONED(rt)) { /* refused, but stolen all the same */
        mm_xdecref(rt, item);
        return mmi_poisoned_refuse(rt, "mm_list_append");
    }
    return list_append_steal(rt, list, item);
}

int
mm_list_append(mm_runtime *rt, mm_object *list, mm_object *item)
{
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_list_append");
    if (!item)
        return mmi_error_set(rt, MM_EINVAL, "mm_list_append: NULL item");
    return list_append_steal(rt, list, mm_incref(rt, item));
}

mm_object *
mm_list_get(mm_runtime *rt, mm_object *list, size_t i)
{
    mmi_list *l = as_list(rt, list, "mm_list_get");
    if (!l)
        return NULL;
    if (i >= l->n) {
        mmi_error_set(rt, MM_EINDEX, "mm_list_get: index %zu out of range", i);
        return NULL;
    }
    return mm_incref(rt, l->items[i]);
}

int
mm_list_set_steal(mm_runtime *rt, mm_object *list, size_t i, mm_object *item)
{
    mmi_list *l;
    int rc = MM_OK;
    if (MMI_POISONED(rt)) {
        mm_xdecref(rt, item);
        return mmi_poisoned_refuse(rt, "mm_list_set");
    }
    l = as_list(rt, list, "mm_list_set");
    if (!item)
        rc = mmi_error_set(rt, MM_EINVAL, "mm_list_set: NULL item");
    else if (!l)
        rc = MM_ETYPE;
    else if (i >= l->n)
        rc = mmi_error_set(rt, MM_EINDEX, "mm_list_set: index %zu out of range", i);
    if (rc != MM_OK) {
        mm_xdecref(rt, item);
        return rc;
    }
    mm_setref(rt, &l->items[i], item);
    return MM_OK;
}

mm_object *
mm_list_pop(mm_runtime *rt, mm_object *list, size_t i)
{
    mmi_list *l;
    mm_object *item;
    if (MMI_POISONED(rt)) {
        mmi_poisoned_refuse(rt, "mm_list_pop");
        return NULL;
    }
    if (!(l = as_list(rt, list, "mm_list_pop")))
        return NULL;
    if (i >= l->n) {
        mmi_error_set(rt, MM_EINDEX, "mm_list_pop: index %zu out of range", i);
        return NULL;
    }
    item = l->items[i];
    memmove(&l->items[i], &l->items[i + 1], (l->n - i - 1) * sizeof(mm_object *));
    l->n--;
    return item;
}

int
mm_list_remove(mm_runtime *rt, mm_object *list, mm_object *item)
{
    mmi_list *l;
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_list_remove");
    if (!(l = as_list(rt, list, "mm_list_remove")))
        return MM_ETYPE;
    for (size_t i = 0; i < l->n; i++) {
        if (l->items[i] == item) {
            mm_decref(rt, mm_list_pop(rt, list, i));
            return MM_OK;
        }
    }
    return mmi_error_set(rt, MM_EKEY, "mm_list_remove: item not in list");
}

int
mm_list_clear(mm_runtime *rt, mm_object *list)
{
    mmi_list *l;
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_list_clear");
    if (!(l = as_list(rt, list, "mm_list_clear")))
        return MM_ETYPE;
    list_release_items(rt, l);
    return MM_OK;
}
