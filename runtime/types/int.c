/* int: 64-bit integers; -5..256 are shared cached objects (CPython's small ints).
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#include "runtime_internal.h"

static void
int_dealloc(mm_runtime *rt, mm_object *op)
{
    mmi_object_count_free(rt, op->type, sizeof(mmi_int));
    mmi_mem_free(rt, op, sizeof(mmi_int), MM_T_INT);
}

const mm_type mmi_int_type = {
    .name = "int",
    .id = MM_T_INT,
    .basic_size = sizeof(mmi_int),
    .dealloc = int_dealloc,
};

static mm_object *
int_alloc(mm_runtime *rt, int64_t value)
{
    mmi_int *o = mmi_mem_alloc(rt, sizeof(mmi_int), MM_T_INT);
    if (!o)
        return NULL;
    o->ob.refcnt = 1;
    o->ob.type = &mmi_int_type;
    o->value = value;
    mmi_object_count_new(rt, &mmi_int_type, sizeof(mmi_int));
    return &o->ob;
}

mm_object *
mm_int_new(mm_runtime *rt, int64_t value)
{
    if (value >= MMI_SMALLINT_MIN && value <= MMI_SMALLINT_MAX) {
        mm_object *cached = rt->types.small_ints[value - MMI_SMALLINT_MIN];
        if (MMI_ALWAYS(rt, cached))
            return mm_incref(rt, cached);
    }
    return int_alloc(rt, value);
}

int
mm_int_value(const mm_object *op, int64_t *out)
{
    if (!mmi_is_type(op, &mmi_int_type))
        return MM_ETYPE;
    *out = ((const mmi_int *)op)->value;
    return MM_OK;
}

/* Called from mmi_types_init: the cache holds one reference to each small int. */
MMI_INTERNAL int mmi_int_cache_init(mm_runtime *rt);
int
mmi_int_cache_init(mm_runtime *rt)
{
    for (int64_t v = MMI_SMALLINT_MIN; v <= MMI_SMALLINT_MAX; v++) {
        mm_object *o = int_alloc(rt, v);
        if (!o)
            return MM_ENOMEM;
        rt->types.small_ints[v - MMI_SMALLINT_MIN] = o;
    }
    return MM_OK;
}
