/* cycles: garbage cycles of several shapes, some hanging off live roots, so refcounting
 * cannot free them and the collector must. Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#include "common.h"

static const sc_param params[] = {
    { "n", SC_INT, 1500000, 1, 1e9, "cycles to create and drop" },
    { "shape", SC_INT, 0, 0, 2, "0: 2-cycles of lists, 1: self-cycles, 2: rings" },
    { "ring", SC_INT, 100, 2, 1e6, "ring length (shape 2)" },
    { "rooted", SC_REAL, 0.1, 0, 1,
      "fraction of cycles kept reachable from a live root" },
};

static int
make_cycle(mm_runtime *rt, int shape, size_t ring, mm_object **out)
{
    mm_object *first = mm_list_new(rt), *cur = first;
    int rc = first ? SC_ROOTS(rt, &first) : MM_ENOMEM;
    int rooted = rc == MM_OK;
    size_t len = shape == 0 ? 2 : shape == 1 ? 1 : ring;
    for (size_t i = 1; rc == MM_OK && i < len; i++) {
        mm_object *next = mm_list_new(rt);
        rc = next ? mm_list_append_steal(rt, cur, next) : MM_ENOMEM;
        cur = next;
    }
    if (rc == MM_OK)
        rc = mm_list_append(rt, cur, first); /* close the cycle */
    if (rooted)
        mm_root_pop(rt, 1);
    *out = first;
    return rc;
}

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    uint64_t rng = seed, n = (uint64_t)p->v[0];
    mm_object *roots = mm_list_new(rt);
    int rc = roots ? SC_ROOTS(rt, &roots) : MM_ENOMEM;
    int rooted = rc == MM_OK;
    size_t len = p->v[1] == 0 ? 2 : p->v[1] == 1 ? 1 : (size_t)p->v[2];
    for (uint64_t i = 0; rc == MM_OK && i < n; i++) {
        mm_object *c = NULL;
        rc = make_cycle(rt, (int)p->v[1], (size_t)p->v[2], &c);
        if (rc == MM_OK && (double)(sc_rand(&rng) % 1000000) < p->v[3] * 1e6)
            rc = mm_list_append(rt, roots, c);
        mm_xdecref(rt, c);
        if (mm_list_len(roots) > 1000) /* rooted cycles live a while, then go */
            mm_list_clear(rt, roots);
        mm_gc_safepoint(rt);
    }
    out->ops = n;
    out->objects = n * len;
    if (rooted)
        mm_root_pop(rt, 1);
    mm_xdecref(rt, roots);
    mm_gc_collect(rt, 2, NULL);
    return rc;
}

const scenario sc_cycles = {
    "cycles",
    "garbage cycles (2-cycles, self-cycles, long rings), some hanging off live roots", 1,
    params, 4, "cycles", run,
};
