/* comprehension: the temporaries of list comprehensions ([x * 2 for x in xs]) and of
 * list intersection/difference through a dict used as a set: short-lived list churn.
 * Design: docs/design/object-model.md (free lists).
 * SPDX-License-Identifier: MIT */
#include "common.h"

static const sc_param params[] = {
    { "rounds", SC_INT, 5000, 1, 1e8, "comprehension rounds" },
    { "len", SC_INT, 500, 1, 1e7, "length of the input lists" },
};

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    uint64_t rng = seed, rounds = (uint64_t)p->v[0], objs = 0;
    size_t len = (size_t)p->v[1];
    int rc = MM_OK;
    for (uint64_t r = 0; rc == MM_OK && r < rounds; r++) {
        mm_object *xs = mm_list_new(rt), *ys = mm_list_new(rt), *set = mm_dict_new(rt);
        mm_object *both = mm_list_new(rt), *only = mm_list_new(rt);
        rc = xs && ys && set && both && only ? SC_ROOTS(rt, &xs, &ys, &set, &both, &only)
                                             : MM_ENOMEM;
        int rooted = rc == MM_OK;
        for (size_t i = 0; rc == MM_OK && i < len; i++) /* xs = [x*2 for x in range] */
            rc = sc_append(rt, xs, mm_int_new(rt, (int64_t)(i * 2)));
        for (size_t i = 0; rc == MM_OK && i < len; i++)
            rc = sc_append(rt, ys, mm_int_new(rt, (int64_t)(sc_rand(&rng) % (4 * len))));
        for (size_t i = 0; rc == MM_OK && i < len; i++) { /* set(ys) */
            mm_object *y = mm_list_get(rt, ys, i);
            rc = mm_dict_set(rt, set, y, y);
            mm_decref(rt, y);
        }
        for (size_t i = 0; rc == MM_OK && i < len; i++) { /* [x for x in xs if x in s] */
            mm_object *x = mm_list_get(rt, xs, i), *hit = mm_dict_get(rt, set, x);
            rc = mm_list_append(rt, hit ? both : only, x);
            mm_xdecref(rt, hit);
            mm_decref(rt, x);
        }
        objs += 3 * len + 5;
        if (rooted)
            mm_root_pop(rt, 5);
        mm_xdecref(rt, xs);
        mm_xdecref(rt, ys);
        mm_xdecref(rt, set);
        mm_xdecref(rt, both);
        mm_xdecref(rt, only);
        mm_gc_safepoint(rt);
    }
    out->ops = rounds;
    out->objects = objs;
    return rc;
}

const scenario sc_comprehension = {
    "comprehension", "list-comprehension temporaries, list intersection and difference",
    1, params, 2, "rounds", run,
};
