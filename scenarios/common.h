/* Helpers shared by the scenario files (public API only).
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef SC_COMMON_H
#define SC_COMMON_H

#include "scenario.h"

/* Append a new object (stolen) to list; MM_ENOMEM when item is NULL. */
static inline int
sc_append(mm_runtime *rt, mm_object *list, mm_object *item)
{
    return item ? mm_list_append_steal(rt, list, item) : MM_ENOMEM;
}

/* A small object of a Python-like mix: int, float, str, tuple, list or dict. */
static inline mm_object *
sc_small_object(mm_runtime *rt, uint64_t *rng)
{
    uint64_t r = sc_rand(rng);
    mm_object *o, *items[2];
    switch (r % 6) {
        case 0: return mm_int_new(rt, (int64_t)(r >> 40));
        case 1: return mm_float_new(rt, (double)(r >> 40) * 0.5);
        case 2: return mm_str_new(rt, "a string of some length", 1 + (r >> 8) % 23);
        case 3:
            items[0] = mm_int_new(rt, 1);
            items[1] = mm_int_new(rt, 2);
            o = mm_tuple_pack(rt, 2, items);
            mm_decref(rt, items[0]);
            mm_decref(rt, items[1]);
            return o;
        case 4:
            o = mm_list_new(rt);
            if (o && mm_list_append_steal(rt, o, mm_int_new(rt, 7)) != MM_OK)
                mm_clear(rt, &o);
            return o;
        default:
            o = mm_dict_new(rt);
            if (o && mm_dict_set_steal(rt, o, mm_str_intern(rt, "k"), mm_int_new(rt, 1)))
                mm_clear(rt, &o);
            return o;
    }
}

/* Register C-held object slots as roots (the marksweep policy marks only from roots;
 * the other policies ignore them). All or none: MM_ENOMEM pops what was pushed. */
static inline int
sc_roots(mm_runtime *rt, size_t n, mm_object **const *slots)
{
    for (size_t i = 0; i < n; i++) {
        if (mm_root_push(rt, slots[i]) != MM_OK) {
            mm_root_pop(rt, i);
            return MM_ENOMEM;
        }
    }
    return MM_OK;
}
#define SC_ROOTS(rt, ...)                                                                \
    sc_roots((rt), sizeof((mm_object **const[]){ __VA_ARGS__ }) / sizeof(mm_object **),  \
             (mm_object **const[]){ __VA_ARGS__ })
#define SC_NROOTS(...)                                                                   \
    (sizeof((mm_object **const[]){ __VA_ARGS__ }) / sizeof(mm_object **))

#endif
