/* longlived: a singleton-style instance cache that grows then stays (promotion into the
 * oldest generation, optional freeze), with short-lived temporaries around it.
 * Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#include "common.h"

static const sc_param params[] = {
    { "cache", SC_INT, 500000, 1, 1e8, "instances kept in the cache" },
    { "temps", SC_INT, 5000000, 0, 1e9, "temporaries allocated afterwards" },
    { "freeze", SC_INT, 0, 0, 1, "1: gc freeze once the cache is built" },
};

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    mm_class *cls;
    mm_class_spec spec = { .name = "Singleton", .nslots = 2, .has_dict = 1 };
    mm_object *cache = mm_dict_new(rt);
    uint64_t rng = seed, n = (uint64_t)p->v[0], temps = (uint64_t)p->v[1];
    int rc = cache ? SC_ROOTS(rt, &cache) : MM_ENOMEM, rooted = rc == MM_OK;
    if (rc == MM_OK)
        rc = mm_class_new(rt, &spec, &cls);
    for (uint64_t i = 0; rc == MM_OK && i < n; i++) {
        mm_object *o = mm_instance_new(rt, cls), *k = mm_int_new(rt, (int64_t)i);
        if (o)
            mm_instance_set_slot_steal(rt, o, 0, mm_str_new(rt, "config", 6));
        rc = mm_dict_set_steal(rt, cache, k, o); /* steals both, NULL included */
        if (rc == MM_EINVAL)
            rc = MM_ENOMEM; /* k or o was NULL: their allocation failed */
        mm_gc_safepoint(rt);
    }
    if (rc == MM_OK && p->v[2] != 0)
        mm_gc_freeze(rt);
    for (uint64_t i = 0; rc == MM_OK && i < temps; i++) {
        mm_object *t = sc_small_object(rt, &rng);
        rc = t ? MM_OK : MM_ENOMEM;
        mm_xdecref(rt, t);
        mm_gc_safepoint(rt);
    }
    mm_gc_unfreeze(rt);
    if (rooted)
        mm_root_pop(rt, 1);
    mm_xdecref(rt, cache);
    out->ops = n + temps;
    out->objects = 2 * n + temps;
    return rc;
}

const scenario sc_longlived = {
    "longlived", "an instance cache that grows then stays (promotion, freeze), plus "
    "temporaries", 1, params, 3, "objects", run,
};
