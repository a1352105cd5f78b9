/* Start-up and tear-down of the built-in types' per-runtime state.
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#include "runtime_internal.h"

MMI_INTERNAL int mmi_none_init(mm_runtime *rt);
MMI_INTERNAL int mmi_int_cache_init(mm_runtime *rt);
MMI_INTERNAL int mmi_empty_tuple_init(mm_runtime *rt);
MMI_INTERNAL void mmi_classes_free(mm_runtime *rt);

static void
freelists_init(mmi_types_state *ts)
{
    mmi_freelist_init(&ts->fl_float, MMI_FREELIST_FLOAT);
    mmi_freelist_init(&ts->fl_list, MMI_FREELIST_LIST);
    mmi_freelist_init(&ts->fl_dict, MMI_FREELIST_DICT);
    mmi_freelist_init(&ts->fl_dict_keys, MMI_FREELIST_DICT_KEYS);
    for (size_t i = 0; i < MMI_TUPLE_FREELIST_LENGTHS; i++)
        mmi_freelist_init(&ts->fl_tuple[i], MMI_FREELIST_TUPLE);
}

int
mmi_types_init(mm_runtime *rt)
{
    mmi_types_state *ts = &rt->types;
    int rc;
    freelists_init(ts);
    ts->freelists_on = rt->cfg.freelists;
    if ((rc = mmi_none_init(rt)) != MM_OK || (rc = mmi_int_cache_init(rt)) != MM_OK ||
        (rc = mmi_empty_tuple_init(rt)) != MM_OK)
        goto fail;
    ts->interned = mm_dict_new(rt);
    rt->gc.garbage = mm_list_new(rt);
    if (!ts->interned || !rt->gc.garbage) {
        rc = MM_ENOMEM;
        goto fail;
    }
    /* gc.garbage is a root of the runtime, never examined by a collection. */
    mmi_gc_untrack(rt, rt->gc.garbage);
    /* The runtime's own objects are not the program's: start counting from zero. */
    for (int g = 0; g < MM_GC_GENERATIONS; g++)
        rt->gc.generations[g].count = 0;
    ts->baseline_objects = rt->stats.objects.current;
    return MM_OK;
fail:
    mmi_types_fini(rt);
    return rc;
}

static void
release(mm_runtime *rt, mm_object **slot)
{
    mm_object *op = *slot;
    *slot = NULL;
    if (op)
        mm_decref(rt, op);
}

void
mmi_types_fini(mm_runtime *rt)
{
    mmi_types_state *ts = &rt->types;
    mmi_str_interned_fini(rt);
    release(rt, &ts->interned);
    for (size_t i = 0; i < sizeof ts->small_ints / sizeof ts->small_ints[0]; i++)
        release(rt, &ts->small_ints[i]);
    release(rt, &ts->empty_tuple);
    release(rt, &ts->none);
    mmi_freelists_clear(rt);
    mmi_classes_free(rt);
}

int64_t
mm_runtime_live_objects(const mm_runtime *rt)
{
    return rt->stats.objects.current - rt->types.baseline_objects;
}
