/* None: one singleton per runtime, refcounted, never freed before destroy.
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#include "runtime_internal.h"

static void
none_dealloc(mm_runtime *rt, mm_object *op)
{
    mmi_object_count_free(rt, op->type, sizeof(mm_object));
    mmi_mem_free(rt, op, sizeof(mm_object), MM_T_OTHER);
}

const mm_type mmi_none_type = {
    .name = "NoneType",
    .id = MM_T_OTHER,
    .basic_size = sizeof(mm_object),
    .dealloc = none_dealloc,
};

mm_object *
mm_none(mm_runtime *rt)
{
    return mm_incref(rt, rt->types.none);
}

MMI_INTERNAL int mmi_none_init(mm_runtime *rt);
int
mmi_none_init(mm_runtime *rt)
{
    mm_object *o = mmi_mem_alloc(rt, sizeof(mm_object), MM_T_OTHER);
    if (!o)
        return MM_ENOMEM;
    o->refcnt = 1;
    o->type = &mmi_none_type;
    mmi_object_count_new(rt, &mmi_none_type, sizeof(mm_object));
    rt->types.none = o;
    return MM_OK;
}
