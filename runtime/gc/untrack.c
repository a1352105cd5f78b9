/* untrack_dicts of a full collection (cpython-reference.md 4.2), decided early: a
 * survivor dict is untracked when no key or value may be tracked once every tuple has
 * been looked at. The outcome is CPython's pass over young.
 * Design: docs/design/gc.md ("Fewer passes, same outcome").
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "gc/collect_internal.h"

static void
scratch_push(mm_runtime *rt, mmi_gc_commit *commit, mm_object *d)
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

enum { KEEP, UNTRACK, UNDECIDED };

/* What CPython's pass will decide for one key or value v, if it is known now. An
 * untracked tuple stays untracked; a tracked tuple that was committed already (or is
 * frozen) stays tracked; one still COLLECTING has not been looked at yet. */
static int
verdict_of(const mm_object *v)
{
    if (!mmi_is_gc(v))
        return UNTRACK;
    if (v->type != &mmi_tuple_type)
        return KEEP; /* may_be_tracked: every container but a tuple */
    if (!mmi_gc_tracked(v))
        return UNTRACK;
    return gcl_collecting(mmi_as_gc(v)) ? UNDECIDED : KEEP;
}

static int
dict_verdict(const mm_object *d)
{
    const mmi_dict_keys *k = ((const mmi_dict *)d)->keys;
    int v = UNTRACK;
    for (size_t i = 0; k && i < k->nentries; i++) {
        const mmi_dict_entry *e = &k->entries[i];
        int a, b;
        if (!e->key)
            continue;
        a = verdict_of(e->key);
        b = verdict_of(e->value);
        if (a == KEEP || b == KEEP)
            return KEEP;
        if (a == UNDECIDED || b == UNDECIDED)
            v = UNDECIDED;
    }
    return v;
}

/* Commit-time decision for survivor dict d, taken when move_unreachable commits it,
 * while its entries are still in cache. Returns 0 when d must be untracked now (the
 * caller unlinks it), 1 when it stays: tracked, or, holding a tuple not committed yet,
 * waiting in the scratch array for the pass after move_unreachable. Early untracking is
 * invisible: whether a dict is tracked changes no other decision. */
int
mmi_gc_commit_dict(mm_runtime *rt, mmi_gc_commit *commit, mm_object *d)
{
    int v = dict_verdict(d);
    if (v != UNDECIDED)
        return v == KEEP;
    scratch_push(rt, commit, d);
    return 1;
}

/* CPython's untrack_dicts step for one dict: 1 when it was untracked. */
static size_t
untrack_dict(mm_runtime *rt, mm_object *d)
{
    mmi_dict_maybe_untrack(rt, d);
    return !mmi_gc_tracked(d);
}

/* The pass after move_unreachable over the dicts left undecided. When the scratch
 * array could not grow, it walks young instead, as CPython's pass does. */
size_t
mmi_gc_untrack_dicts(mm_runtime *rt, mmi_gc_head *young, mmi_gc_commit *commit)
{
    size_t untracked = 0;
    if (!commit->dicts_lost) {
        for (size_t i = 0; i < commit->ndicts; i++)
            untracked += untrack_dict(rt, rt->gc.dict_scratch[i]);
        return untracked;
    }
    for (mmi_gc_head *g = gcl_next(young), *next; g != young; g = next) {
        mm_object *op = mmi_from_gc(g);
        next = gcl_next(g); /* before untracking unlinks g */
        if (op->type == &mmi_dict_type)
            untracked += untrack_dict(rt, op);
    }
    return untracked;
}
