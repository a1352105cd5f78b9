/* Shallow copy and deepcopy (with a memo table: shared substructures stay shared and
 * cycles keep their shape) of lists, dicts, tuples and instances. Deepcopy is iterative
 * (explicit stacks), so depth does not become C stack depth.
 * Design: docs/design/generators.md (copy section).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "runtime_internal.h"

static int
is_copyable(const mm_object *op)
{
    return op->type == &mmi_list_type || op->type == &mmi_dict_type ||
           op->type == &mmi_tuple_type || (op->type->flags & MMI_TF_HEAPCLASS);
}

/* ---- Shallow ---- */

static mm_object *
copy_dict_items(mm_runtime *rt, mm_object *src, mm_object *dst)
{
    size_t pos = 0;
    mm_object *k, *v;
    while (dst && mm_dict_next_borrow(rt, src, &pos, &k, &v))
        if (mm_dict_set(rt, dst, k, v) != MM_OK)
            mm_clear(rt, &dst);
    return dst;
}

static mm_object *
copy_instance(mm_runtime *rt, mm_object *src)
{
    mm_class *cls = mm_instance_class(src);
    mm_object *dst = mm_instance_new(rt, cls), *d;
    for (uint32_t i = 0; dst && i < mm_instance_nslots(src); i++)
        mm_instance_set_slot_steal(rt, dst, i, mm_instance_get_slot(rt, src, i));
    if (dst && cls->dict_offset &&
        (d = *(mm_object **)((char *)src + cls->dict_offset))) {
        mm_object *nd = copy_dict_items(rt, d, mm_dict_new(rt));
        if (!nd)
            mm_clear(rt, &dst);
        else
            mm_setref(rt, (mm_object **)((char *)dst + cls->dict_offset), nd);
    }
    return dst;
}

/* A copy made while the runtime got poisoned may have missed refused steps: dropped. */
static mm_object *
copy_refused(mm_runtime *rt, mm_object *result, const char *what)
{
    mm_xdecref(rt, result);
    mmi_poisoned_refuse(rt, what);
    return NULL;
}

static mm_object *
copy_shallow(mm_runtime *rt, mm_object *op)
{
    mm_object *dst;
    if (op->type == &mmi_list_type) {
        dst = mm_list_new(rt);
        for (size_t i = 0; dst && i < mm_list_len(op); i++)
            if (mm_list_append(rt, dst, ((mmi_list *)op)->items[i]) != MM_OK)
                mm_clear(rt, &dst);
        return dst;
    }
    if (op->type == &mmi_dict_type)
        return copy_dict_items(rt, op, mm_dict_new(rt));
    if (op->type->flags & MMI_TF_HEAPCLASS)
        return copy_instance(rt, op);
    return mm_incref(rt, op); /* immutable or not copyable: the object itself */
}

mm_object *
mm_copy(mm_runtime *rt, mm_object *op)
{
    mm_object *dst;
    if (MMI_POISONED(rt))
        return copy_refused(rt, NULL, "mm_copy");
    dst = copy_shallow(rt, op);
    if (MMI_POISONED(rt))
        return copy_refused(rt, dst, "mm_copy");
    return dst;
}

/* ---- Deep ---- */

typedef struct deep {
    mm_runtime *rt;
    mm_object *memo;   /* original -> copy (identity-keyed: containers hash by address) */
    mm_object **order; /* post-order of the originals */
    size_t norder, cap;
    int failed;
} deep;

/* Borrowed copy of a child: the memo's copy for containers, the object itself else. */
static mm_object *
mapped(deep *d, mm_object *child)
{
    mm_object *c;
    if (!is_copyable(child))
        return child;
    c = mm_dict_get(d->rt, d->memo, child);
    if (c)
        mm_decref(d->rt, c); /* the memo keeps it alive */
    return c;
}

typedef struct frame_stack {
    mm_runtime *rt;
    mm_object **objs;
    size_t n, cap;
} frame_stack;

static int
push(frame_stack *s, mm_object *op)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        mm_object **a = mmi_scratch_realloc(s->rt, s->objs, cap * sizeof *a);
        if (!a)
            return MM_ENOMEM;
        s->objs = a;
        s->cap = cap;
    }
    s->objs[s->n++] = op;
    return MM_OK;
}

static int
visit_push(mm_object *child, void *arg)
{
    return push(arg, child) != MM_OK;
}

static int
order_add(deep *d, mm_object *op)
{
    if (d->norder == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        mm_object **a = mmi_scratch_realloc(d->rt, d->order, cap * sizeof *a);
        if (!a)
            return MM_ENOMEM;
        d->order = a;
        d->cap = cap;
    }
    d->order[d->norder++] = op;
    return MM_OK;
}

static mm_object *
shell_for(mm_runtime *rt, mm_object *op)
{
    if (op->type == &mmi_tuple_type)
        return mm_none(rt); /* built in phase 2, once its items exist */
    if (op->type == &mmi_list_type)
        return mm_list_new(rt);
    if (op->type == &mmi_dict_type)
        return mm_dict_new(rt);
    return mm_instance_new(rt, mm_instance_class(op));
}

/* Phase 1: find every container reachable from root; the memo maps each to an empty
 * shell (None for tuples) and `order` lists them. */
static int
deep_discover(deep *d, mm_object *root)
{
    frame_stack s = { .rt = d->rt };
    int rc = push(&s, root);
    while (rc == MM_OK && s.n) {
        mm_object *op = s.objs[--s.n], *shell, *seen;
        if (!is_copyable(op))
            continue;
        if ((seen = mm_dict_get(d->rt, d->memo, op)) != NULL) {
            mm_decref(d->rt, seen);
            continue;
        }
        shell = shell_for(d->rt, op);
        if (!shell ||
            mm_dict_set_steal(d->rt, d->memo, mm_incref(d->rt, op), shell) != MM_OK ||
            order_add(d, op) != MM_OK || op->type->traverse(op, visit_push, &s))
            rc = MM_ENOMEM;
    }
    free(s.objs);
    return rc;
}

/* Phase 2: tuples, from the copies of their items. A tuple item that is a tuple is
 * built first: recursion only along tuple-in-tuple nesting (no cycle can pass only
 * through immutable tuples). */
static int
deep_tuple(deep *d, mm_object *t)
{
    mm_object *cur = mapped(d, t), **items, *nt;
    size_t n = mm_tuple_len(t);
    int rc = MM_OK;
    if (cur != d->rt->types.none)
        return MM_OK; /* built already */
    items = mmi_scratch_realloc(d->rt, NULL, (n ? n : 1) * sizeof *items);
    if (!items)
        return MM_ENOMEM;
    memset(items, 0, (n ? n : 1) * sizeof *items);
    for (size_t i = 0; rc == MM_OK && i < n; i++) {
        mm_object *it = ((mmi_tuple *)t)->items[i];
        if (it->type == &mmi_tuple_type)
            rc = deep_tuple(d, it);
        items[i] = mapped(d, it);
    }
    nt = rc == MM_OK ? mm_tuple_pack(d->rt, n, items) : NULL;
    free(items);
    if (!nt)
        return MM_ENOMEM;
    return mm_dict_set_steal(d->rt, d->memo, mm_incref(d->rt, t), nt);
}

static int
deep_fill_dict(deep *d, mm_object *src, mm_object *dst)
{
    size_t pos = 0;
    mm_object *k, *v;
    while (mm_dict_next_borrow(d->rt, src, &pos, &k, &v))
        if (mm_dict_set(d->rt, dst, mapped(d, k), mapped(d, v)) != MM_OK)
            return MM_ENOMEM;
    return MM_OK;
}

/* Phase 3: fill every mutable shell with the copies of the original's children. */
static int
deep_fill(deep *d, mm_object *op)
{
    mm_runtime *rt = d->rt;
    mm_object *dst = mapped(d, op);
    if (op->type == &mmi_list_type) {
        for (size_t i = 0; i < mm_list_len(op); i++)
            if (mm_list_append(rt, dst, mapped(d, ((mmi_list *)op)->items[i])) != MM_OK)
                return MM_ENOMEM;
    } else if (op->type == &mmi_dict_type) {
        return deep_fill_dict(d, op, dst);
    } else if (op->type->flags & MMI_TF_HEAPCLASS) {
        mm_class *cls = mm_instance_class(op);
        mm_object **slots = (mm_object **)((char *)op + cls->slots_offset), *sd;
        for (uint32_t i = 0; i < cls->spec.nslots; i++)
            if (slots[i])
                mm_instance_set_slot_steal(rt, dst, i,
                                           mm_incref(rt, mapped(d, slots[i])));
        if (cls->dict_offset && (sd = *(mm_object **)((char *)op + cls->dict_offset))) {
            mm_object *nd = mm_dict_new(rt);
            if (!nd || deep_fill_dict(d, sd, nd) != MM_OK) {
                mm_xdecref(rt, nd);
                return MM_ENOMEM;
            }
            mm_setref(rt, (mm_object **)((char *)dst + cls->dict_offset), nd);
        }
    }
    return MM_OK;
}

mm_object *
mm_deepcopy(mm_runtime *rt, mm_object *op)
{
    deep d = { rt, NULL, NULL, 0, 0, 0 };
    mm_object *result = NULL;
    int rc;
    if (MMI_POISONED(rt))
        return copy_refused(rt, NULL, "mm_deepcopy");
    d.memo = mm_dict_new(rt);
    rc = d.memo ? deep_discover(&d, op) : MM_ENOMEM;
    for (size_t i = 0; rc == MM_OK && i < d.norder; i++)
        if (d.order[i]->type == &mmi_tuple_type)
            rc = deep_tuple(&d, d.order[i]);
    for (size_t i = 0; rc == MM_OK && i < d.norder; i++)
        rc = deep_fill(&d, d.order[i]);
    if (rc == MM_OK)
        result = mm_incref(rt, mapped(&d, op));
    else
        mmi_error_set(rt, MM_ENOMEM, "mm_deepcopy: out of memory");
    free(d.order);
    mm_xdecref(rt, d.memo);
    if (MMI_POISONED(rt))
        return copy_refused(rt, result, "mm_deepcopy");
    return result;
}
