/* trees: GCBench / binary-trees: one long-lived tree plus many short-lived ones.
 * Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#include "common.h"

static const sc_param params[] = {
    { "depth", SC_INT, 16, 4, 22, "depth of the largest short-lived trees" },
    { "longlived", SC_INT, 16, 1, 22, "depth of the long-lived tree" },
};

/* A node is a list of its two children (leaves are empty lists). Built iteratively
 * level by level, bottom up, so depth never becomes C stack depth. The lists held only
 * by C variables are roots while other objects are allocated. */
static mm_object *
tree(mm_runtime *rt, int depth, uint64_t *nodes)
{
    size_t width = (size_t)1 << depth;
    mm_object *level = mm_list_new(rt), *up = NULL, *node = NULL, *root = NULL;
    if (!level || SC_ROOTS(rt, &level, &up, &node) != MM_OK) {
        mm_xdecref(rt, level);
        return NULL;
    }
    for (size_t i = 0; level && i < width; i++)
        if (sc_append(rt, level, mm_list_new(rt)) != MM_OK)
            mm_clear(rt, &level);
    *nodes += width;
    for (int d = depth; level && d > 0; d--) {
        size_t n = mm_list_len(level);
        up = mm_list_new(rt);
        for (size_t i = 0; up && i < n; i += 2) {
            node = mm_list_new(rt);
            if (!node || sc_append(rt, node, mm_list_get(rt, level, i)) != MM_OK ||
                sc_append(rt, node, mm_list_get(rt, level, i + 1)) != MM_OK ||
                mm_list_append(rt, up, node) != MM_OK)
                mm_clear(rt, &up);
            mm_clear(rt, &node);
        }
        *nodes += n / 2;
        mm_setref(rt, &level, up); /* level takes over up's reference */
        up = NULL;
    }
    if (level)
        root = mm_list_get(rt, level, 0);
    mm_clear(rt, &level);
    mm_root_pop(rt, 3);
    return root;
}

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    int depth = (int)p->v[0];
    uint64_t nodes = 0, trees = 0;
    mm_object *ll = tree(rt, (int)p->v[1], &nodes);
    (void)seed;
    if (!ll || SC_ROOTS(rt, &ll) != MM_OK) {
        mm_xdecref(rt, ll);
        return MM_ENOMEM;
    }
    for (int d = 4; d <= depth; d += 2) {
        for (int i = 0; i < 1 << (depth - d + 2); i++, trees++) {
            mm_object *t = tree(rt, d, &nodes);
            if (!t) {
                mm_root_pop(rt, 1);
                mm_decref(rt, ll);
                return MM_ENOMEM;
            }
            mm_decref(rt, t);
            mm_gc_safepoint(rt);
        }
    }
    mm_root_pop(rt, 1);
    mm_decref(rt, ll);
    out->ops = trees;
    out->objects = nodes;
    return MM_OK;
}

const scenario sc_trees = {
    "trees", "binary-trees / GCBench: a long-lived tree and many short-lived ones", 1,
    params, 2, "short-lived trees", run,
};
