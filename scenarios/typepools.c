/* typepools: the seed's claim (1.3): create and free n ints, then create n floats. With
 * shared pools (--alloc pool) the floats reuse the ints' memory; with private per-type
 * pools (--alloc private) they cannot. The harness reads the allocator statistics.
 * Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#include "common.h"

static const sc_param params[] = {
    { "n", SC_INT, 3000000, 1, 1e8, "ints, then floats" },
};

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    uint64_t n = (uint64_t)p->v[0];
    mm_object *ints = mm_list_new(rt), *floats = mm_list_new(rt);
    int rc = ints && floats ? SC_ROOTS(rt, &ints, &floats) : MM_ENOMEM,
        rooted = rc == MM_OK;
    (void)seed;
    for (uint64_t i = 0; rc == MM_OK && i < n; i++)
        rc = sc_append(rt, ints, mm_int_new(rt, 1000 + (int64_t)i));
    if (ints)
        mm_list_clear(rt, ints); /* every int freed */
    for (uint64_t i = 0; rc == MM_OK && i < n; i++)
        rc = sc_append(rt, floats, mm_float_new(rt, (double)i + 0.5));
    if (rooted)
        mm_root_pop(rt, 2);
    mm_xdecref(rt, ints);
    mm_xdecref(rt, floats);
    out->ops = 2 * n;
    out->objects = 2 * n;
    return rc;
}

const scenario sc_typepools = {
    "typepools", "free n ints, then allocate n floats: shared vs private type pools", 1,
    params, 1, "objects", run,
};
