/* float: doubles, with CPython 3.11's float free list (100 entries, LIFO).
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#include "runtime_internal.h"

static void
float_dealloc(mm_runtime *rt, mm_object *op)
{
    mmi_object_count_free(rt, op->type, sizeof(mmi_float));
    if (!mmi_freelist_push(rt, &rt->types.fl_float, op))
        mmi_mem_free(rt, op, sizeof(mmi_float), MM_T_FLOAT);
}

const mm_type mmi_float_type = {
    .name = "float",
    .id = MM_T_FLOAT,
    .basic_size = sizeof(mmi_float),
    .dealloc = float_dealloc,
};

mm_object *
mm_float_new(mm_runtime *rt, double value)
{
    mmi_float *o = mmi_freelist_pop(rt, &rt->types.fl_float);
    if (!o) {
        o = mmi_mem_alloc(rt, sizeof(mmi_float), MM_T_FLOAT);
        if (!o)
            return NULL;
    }
    o->ob.refcnt = 1;
    o->ob.type = &mmi_float_type;
    o->value = value;
    mmi_object_count_new(rt, &mmi_float_type, sizeof(mmi_float));
    return &o->ob;
}

int
mm_float_value(const mm_object *op, double *out)
{
    if (!mmi_is_type(op, &mmi_float_type))
        return MM_ETYPE;
    *out = ((const mmi_float *)op)->value;
    return MM_OK;
}
