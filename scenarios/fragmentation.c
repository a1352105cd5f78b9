/* fragmentation: mixed sizes allocated, most freed (every k-th kept), then a second
 * wave: pools and arenas that cannot be released, and what the allocator reuses.
 * Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#include "common.h"

static const sc_param params[] = {
    { "n", SC_INT, 500000, 1, 1e8, "objects in each wave" },
    { "keep", SC_INT, 10, 1, 1e6, "keep every k-th object of the first wave" },
};

static mm_object *
sized(mm_runtime *rt, uint64_t *rng)
{
    static const char text[513] = { 0 };
    size_t n = 1 + sc_rand(rng) % 480; /* strs of 1..480 bytes: every size class */
    return mm_str_new(rt, text, n);
}

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    uint64_t rng = seed, n = (uint64_t)p->v[0], keep = (uint64_t)p->v[1];
    mm_object *wave = mm_list_new(rt), *kept = mm_list_new(rt);
    int rc = wave && kept ? SC_ROOTS(rt, &wave, &kept) : MM_ENOMEM, rooted = rc == MM_OK;
    for (uint64_t i = 0; rc == MM_OK && i < n; i++)
        rc = sc_append(rt, wave, sized(rt, &rng));
    for (uint64_t i = 0; rc == MM_OK && i < n; i += keep) {
        mm_object *o = mm_list_get(rt, wave, (size_t)i);
        rc = sc_append(rt, kept, o);
    }
    if (wave)
        mm_list_clear(rt, wave); /* most of the first wave goes */
    for (uint64_t i = 0; rc == MM_OK && i < n; i++)
        rc = sc_append(rt, wave, sized(rt, &rng));
    if (rooted)
        mm_root_pop(rt, 2);
    mm_xdecref(rt, wave);
    mm_xdecref(rt, kept);
    out->ops = 2 * n;
    out->objects = 2 * n;
    return rc;
}

const scenario sc_fragmentation = {
    "fragmentation", "mixed sizes, most freed, a second wave: arena release and reuse", 1,
    params, 2, "allocations", run,
};
