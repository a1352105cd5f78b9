/* deepchain: a very deep chain of lists, freed from its head (the trashcan at work).
 * Design: docs/design/object-model.md (the trashcan).
 * SPDX-License-Identifier: MIT */
#include "common.h"

static const sc_param params[] = {
    { "depth", SC_INT, 2000000, 1, 1e8, "lists in the chain" },
};

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    uint64_t depth = (uint64_t)p->v[0];
    mm_object *head = mm_list_new(rt);
    int rc = head ? SC_ROOTS(rt, &head) : MM_ENOMEM, rooted = rc == MM_OK;
    (void)seed;
    for (uint64_t i = 1; rc == MM_OK && i < depth; i++) {
        mm_object *l = mm_list_new(rt);
        if (!l) {
            rc = MM_ENOMEM;
            break;
        }
        rc = mm_list_append_steal(rt, l, head); /* steals the old head on every path */
        head = l;
    }
    if (rooted)
        mm_root_pop(rt, 1);
    mm_xdecref(rt, head);
    out->ops = depth;
    out->objects = depth;
    return rc;
}

const scenario sc_deepchain = {
    "deepchain", "a deep chain of lists freed from its head (bounded stack)", 1, params,
    1, "lists", run,
};
