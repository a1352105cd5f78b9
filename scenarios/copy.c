/* copy: shallow vs deep copies of nested containers (the memo table's cost).
 * Design: docs/design/generators.md ("Copy and deepcopy").
 * SPDX-License-Identifier: MIT */
#include "common.h"

static const sc_param params[] = {
    { "copies", SC_INT, 10000, 1, 1e8, "copies to make" },
    { "width", SC_INT, 8, 1, 1000, "children per container" },
    { "depth", SC_INT, 3, 1, 10, "nesting depth" },
    { "deep", SC_INT, 1, 0, 1, "1: deepcopy, 0: shallow copy" },
};

static mm_object *
nested(mm_runtime *rt, int width, int depth, uint64_t *rng)
{
    mm_object *l = mm_list_new(rt);
    if (!l || SC_ROOTS(rt, &l) != MM_OK) {
        mm_xdecref(rt, l);
        return NULL;
    }
    for (int i = 0; l && i < width; i++) {
        mm_object *c =
            depth > 1 ? nested(rt, width, depth - 1, rng) : sc_small_object(rt, rng);
        if (sc_append(rt, l, c) != MM_OK)
            mm_clear(rt, &l);
    }
    mm_root_pop(rt, 1);
    return l;
}

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    uint64_t rng = seed, copies = (uint64_t)p->v[0];
    mm_object *src = nested(rt, (int)p->v[1], (int)p->v[2], &rng);
    int rc = src ? SC_ROOTS(rt, &src) : MM_ENOMEM, rooted = rc == MM_OK;
    for (uint64_t i = 0; rc == MM_OK && i < copies; i++) {
        mm_object *c = p->v[3] != 0 ? mm_deepcopy(rt, src) : mm_copy(rt, src);
        rc = c ? MM_OK : MM_ENOMEM;
        mm_xdecref(rt, c);
        mm_gc_safepoint(rt);
    }
    if (rooted)
        mm_root_pop(rt, 1);
    mm_xdecref(rt, src);
    out->ops = copies;
    out->objects = copies;
    return rc;
}

const scenario sc_copy = {
    "copy", "shallow vs deep copies of nested containers", 1, params, 4, "copies", run,
};
