/* untrack_dicts of a full collection (cpython-reference.md 4.2): the survivor dicts,
 * gathered by move_unreachable in list order, are untracked when they hold nothing that
 * may be tracked. Walking only the dicts, not all of young, is the point; when the
 * scratch array cannot grow, the walk over young does the same work.
 * Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "gc/collect_internal.h"

void
mmi_gc_commit_dict(mm_runtime *rt, mmi_gc_commit *commit, mm_object *d)
{
    mmi_gc_state *gc = &rt->gc;
    if (commit->dicts_lost)
        return;
    if (commit->ndicts == gc->dict_scratch_cap) {
        size_t cap = gc->dict_scratch_cap ? 2 * gc->dict_scratch_cap : 1024;
        mm_object **a = NULL;
        if (cap <= SIZE_MAX / sizeof *a && !mmi_fault_fires(rt))
            a = realloc(gc->dict_scratch, cap * sizeof *a);
        if (!a) { /* not an error: untrack_dicts walks young instead */
            commit->dicts_lost = 1;
            return;
        }
        gc->dict_scratch = a;
        gc->dict_scratch_cap = cap;
    }
    gc->dict_scratch[commit->ndicts++] = d;
}

size_t
mmi_gc_untrack_dicts(mm_runtime *rt, mmi_gc_head *young, mmi_gc_commit *commit)
{
    size_t untracked = 0;
    if (!commit->dicts_lost) {
        for (size_t i = 0; i < commit->ndicts; i++) {
            mm_object *d = rt->gc.dict_scratch[i];
            mmi_dict_maybe_untrack(rt, d);
            untracked += !mmi_gc_tracked(d);
        }
        return untracked;
    }
    for (mmi_gc_head *g = gcl_next(young), *next; g != young; g = next) {
        mm_object *op = mmi_from_gc(g);
        next = gcl_next(g);
        if (op->type == &mmi_dict_type) {
            mmi_dict_maybe_untrack(rt, op);
            untracked += !mmi_gc_tracked(op);
        }
    }
    return untracked;
}
