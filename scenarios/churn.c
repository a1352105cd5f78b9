/* churn: small-object allocation and release in a live working set (random
 * replacement), with a Python-like mix of ints, floats, strs, tuples, lists, dicts.
 * Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#include "common.h"

static const sc_param params[] = {
    { "ops", SC_INT, 5000000, 1, 1e9, "replacements to perform" },
    { "live", SC_INT, 10000, 1, 1e7, "objects kept alive (the working set)" },
};

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    size_t live = (size_t)p->v[1];
    uint64_t rng = seed, ops = (uint64_t)p->v[0];
    mm_object *set = mm_list_new(rt);
    int rc = set ? SC_ROOTS(rt, &set) : MM_ENOMEM;
    int rooted = rc == MM_OK;
    for (size_t i = 0; rc == MM_OK && i < live; i++)
        rc = sc_append(rt, set, sc_small_object(rt, &rng));
    for (uint64_t k = 0; rc == MM_OK && k < ops; k++) {
        mm_object *o = sc_small_object(rt, &rng);
        rc = o ? mm_list_set_steal(rt, set, sc_rand(&rng) % live, o) : MM_ENOMEM;
        mm_gc_safepoint(rt);
    }
    out->ops = ops;
    out->objects = ops + live;
    if (rooted)
        mm_root_pop(rt, 1);
    mm_xdecref(rt, set);
    return rc;
}

const scenario sc_churn = {
    "churn", "small-object alloc/free churn in a live working set (Python-like size mix)",
    1, params, 2, "replacements", run,
};
