/* The one generic LIFO free list, and clearing every per-type list.
 * Design: docs/design/object-model.md (free lists).
 * SPDX-License-Identifier: MIT */
#include "runtime_internal.h"

/* A dead object's memory links to the next through its type field. */
static void **
fl_link(void *mem)
{
    return (void **)&((mm_object *)mem)->type;
}

void
mmi_freelist_init(mmi_freelist *fl, uint32_t cap)
{
    fl->head = NULL;
    fl->n = 0;
    fl->cap = cap;
    fl->pushes = fl->pops = fl->drops = fl->clears = 0;
}

int
mmi_freelist_push(mm_runtime *rt, mmi_freelist *fl, void *mem)
{
    if (!rt->types.freelists_on || fl->n >= fl->cap) {
        fl->drops++;
        return 0;
    }
    ((mm_object *)mem)->refcnt = 0;
    *fl_link(mem) = fl->head;
    fl->head = mem;
    fl->n++;
    fl->pushes++;
    return 1;
}

void *
mmi_freelist_pop(mm_runtime *rt, mmi_freelist *fl)
{
    void *mem = fl->head;
    (void)rt;
    if (!mem)
        return NULL;
    fl->head = *fl_link(mem);
    fl->n--;
    fl->pops++;
    return mem;
}

/* Free list number i (0 .. MMI_FREELIST_KINDS - 1), as rt->parked_freelists numbers
 * them. */
static mmi_freelist *
freelist_at(mm_runtime *rt, size_t i)
{
    mmi_types_state *ts = &rt->types;
    mmi_freelist *fixed[] = { &ts->fl_float, &ts->fl_list, &ts->fl_dict,
                              &ts->fl_dict_keys };
    return i < 4 ? fixed[i] : &ts->fl_tuple[i - 4];
}

/* Give the memory parked by mmi_freelists_park back to its lists, for draining. */
static void
freelists_unpark(mm_runtime *rt)
{
    for (size_t i = 0; i < MMI_FREELIST_KINDS; i++) {
        mmi_freelist *fl = freelist_at(rt, i);
        void *mem;
        while ((mem = rt->parked_freelists[i]) != NULL) {
            rt->parked_freelists[i] = *fl_link(mem);
            *fl_link(mem) = fl->head;
            fl->head = mem;
            fl->n++;
        }
    }
}

/* Empty one list; is_gc says whether the memory carries a GC head. */
static void
freelist_drain(mm_runtime *rt, mmi_freelist *fl, int is_gc, size_t nbytes,
               unsigned type_id)
{
    void *mem;
    while ((mem = mmi_freelist_pop(rt, fl)) != NULL) {
        if (is_gc)
            mmi_gc_free(rt, (mm_object *)mem, nbytes, type_id);
        else
            mmi_mem_free(rt, mem, nbytes, type_id);
    }
    fl->clears++;
}

void
mmi_freelists_clear(mm_runtime *rt)
{
    mmi_types_state *ts = &rt->types;
    void *keys;
    if (MMI_UNLIKELY(rt->poisoned))
        freelists_unpark(rt);
    freelist_drain(rt, &ts->fl_float, 0, sizeof(mmi_float), MM_T_FLOAT);
    freelist_drain(rt, &ts->fl_list, 1, sizeof(mmi_list), MM_T_LIST);
    freelist_drain(rt, &ts->fl_dict, 1, sizeof(mmi_dict), MM_T_DICT);
    for (size_t i = 0; i < MMI_TUPLE_FREELIST_LENGTHS; i++)
        freelist_drain(rt, &ts->fl_tuple[i], 1,
                       sizeof(mmi_tuple) + (i + 1) * sizeof(mm_object *), MM_T_TUPLE);
    while ((keys = mmi_freelist_pop(rt, &ts->fl_dict_keys)) != NULL)
        mmi_dict_keys_free(rt, (mmi_dict_keys *)keys);
    ts->fl_dict_keys.clears++;
}

void
mmi_freelists_park(mm_runtime *rt)
{
    rt->types.freelists_on = 0; /* dead objects' memory goes back to the allocator */
    for (size_t i = 0; i < MMI_FREELIST_KINDS; i++) {
        mmi_freelist *fl = freelist_at(rt, i);
        rt->parked_freelists[i] = fl->head;
        fl->head = NULL;
        fl->n = 0;
    }
}

void
mm_freelist_counts_get(const mm_runtime *rt, mm_freelist_counts *out)
{
    const mmi_types_state *ts = &rt->types;
    out->list = ts->fl_list.n;
    out->dict = ts->fl_dict.n;
    out->dict_keys = ts->fl_dict_keys.n;
    out->floats = ts->fl_float.n;
    for (size_t i = 0; i < MMI_TUPLE_FREELIST_LENGTHS; i++)
        out->tuple[i] = ts->fl_tuple[i].n;
}
