/* The CPython 3.11 cycle collector, step for step (cpython-reference.md section 4.5).
 * Read mmi_gc_collect_generation first: it is the algorithm; the rest are its phases.
 * Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#include "gc/collect_internal.h"

/* ---- Phase 1: which objects are reachable from outside the young generation ---- */

/* Count g in the length of the merged generation it came from (*next: the boundary
 * to watch for). */
static inline void
segs_count(mmi_gc_segments *segs, const mmi_gc_head *g, int *next)
{
    if (*next < segs->n && g == segs->first[*next])
        segs->current = segs->generation[(*next)++];
    segs->sizes[segs->current]++;
}

/* gc_refs := refcount for every object of young (COLLECTING set). Returns how many.
 * With segs, also counts the merged generations' lengths on the way (no extra walk). */
static uint64_t
update_refs(mmi_gc_head *young, mmi_gc_segments *segs)
{
    uint64_t n = 0;
    int next = 0;
    for (mmi_gc_head *g = gcl_next(young); g != young; g = gcl_next(g), n++) {
        gcl_reset_refs(g, mmi_from_gc(g)->refcnt);
        if (segs)
            segs_count(segs, g, &next);
    }
    return n;
}

/* One reference to child from inside young: gc_refs - 1 if child is in young. With
 * full (a constant: each visitor below is its own specialisation), a tracked child not
 * reached yet is in young too and starts its count at -1
 * (see update_subtract_refs_full). */
static inline int
decref_child(mm_runtime *rt, mm_object *child, int full)
{
    rt->gc.ev.traverse_visits++;
    if (mmi_is_gc(child)) {
        mmi_gc_head *g = mmi_as_gc(child);
        if (gcl_collecting(g))
            gcl_decref(g);
        else if (full && g->next)
            g->prev = (g->prev & MMI_GC_FINALIZED) | MMI_GC_COLLECTING |
                      ((uintptr_t)-1 << MMI_REFS_SHIFT);
    }
    return 0;
}

static int
visit_decref(mm_object *child, void *arg)
{
    return decref_child(arg, child, 0);
}

/* Subtract references from inside young. Afterwards gc_refs >= 0 for every object and
 * counts only references from outside young (older generations, roots, untracked). */
static void
subtract_refs(mm_runtime *rt, mmi_gc_head *young)
{
    for (mmi_gc_head *g = gcl_next(young); g != young; g = gcl_next(g)) {
        mm_object *op = mmi_from_gc(g);
        op->type->traverse(op, visit_decref, rt);
    }
}

/* Full collections with nothing frozen: young holds every tracked object, so "child is
 * in young" is "child is tracked", known before the walk reaches the child. update_refs
 * and subtract_refs then fuse into one walk: a child not reached yet collects its
 * decrements as a negative gc_refs, and its refcount is added when the walk gets there.
 * Unsigned wrap-around keeps the flag bits intact; the result is the two passes'. */
static int
visit_decref_full(mm_object *child, void *arg)
{
    return decref_child(arg, child, 1);
}

static uint64_t
update_subtract_refs_full(mm_runtime *rt, mmi_gc_head *young, mmi_gc_segments *segs)
{
    uint64_t n = 0;
    int next = 0;
    for (mmi_gc_head *g = gcl_next(young); g != young; g = gcl_next(g), n++) {
        mm_object *op = mmi_from_gc(g);
        gcl_prefetch_ahead(g);
        if (gcl_collecting(g)) /* decrements are waiting: add the refcount to them */
            g->prev += (uintptr_t)op->refcnt << MMI_REFS_SHIFT;
        else
            gcl_reset_refs(g, op->refcnt);
        op->type->traverse(op, visit_decref_full, rt);
        segs_count(segs, g, &next);
    }
    return n;
}

typedef struct reach_ctx {
    mm_runtime *rt;
    mmi_gc_head *young;
} reach_ctx;

/* A reachable object refers to child: child is reachable too. A child already moved to
 * the unreachable list goes back to the tail of young, to be scanned again. */
static int
visit_reachable(mm_object *child, void *arg)
{
    reach_ctx *ctx = arg;
    mmi_gc_head *g;
    ctx->rt->gc.ev.traverse_visits++;
    if (!mmi_is_gc(child))
        return 0;
    g = mmi_as_gc(child);
    if (!gcl_collecting(g))
        return 0; /* other generation, or already scanned */
    if (g->next & MMI_NEXT_UNREACHABLE) {
        mmi_gc_head *prev = gcl_prev(g);
        mmi_gc_head *next = (mmi_gc_head *)(g->next & ~MMI_NEXT_UNREACHABLE);
        prev->next = g->next; /* keeps the unreachable mark on prev's link */
        gcl_set_prev(next, prev);
        gcl_append(g, ctx->young);
        gcl_set_refs(g, 1);
    } else if (gcl_refs(g) == 0) {
        gcl_set_refs(g, 1); /* not scanned yet: tell the scan it is reachable */
    }
    return 0;
}

/* The survivor op is committed to young, which is its final place in the list: do
 * what CPython's untrack_tuples (every collection) does to it now, in the same order,
 * and decide dicts (full collections) where the outcome is already known.
 * Returns 0 when op must be untracked. */
static inline int
commit_survivor(mm_runtime *rt, mmi_gc_commit *commit, mm_object *op)
{
    if (op->type == &mmi_tuple_type) {
        if (mmi_tuple_can_untrack(op))
            return 0;
    } else if (op->type == &mmi_dict_type && commit->full) {
        if (!mmi_gc_commit_dict(rt, commit, op))
            return 0;
    }
    commit->survivors++;
    return 1;
}

/* Split young into reachable (stays, COLLECTING cleared, prev links restored) and
 * unreachable (moved, links marked MMI_NEXT_UNREACHABLE).
 * Invariant of the scan: everything left of g in young is reachable and scanned;
 * objects reached only through later ones are re-appended, which reorders young
 * toward "referrer before referent". */
static void
move_unreachable(mm_runtime *rt, mmi_gc_head *young, mmi_gc_head *unreachable,
                 mmi_gc_commit *commit)
{
    reach_ctx ctx = { rt, young };
    mmi_gc_head *prev = young, *g = gcl_next(young);
    while (g != young) {
        gcl_prefetch_ahead(g);
        if (gcl_refs(g) > 0) {
            mm_object *op = mmi_from_gc(g);
            op->type->traverse(op, visit_reachable, &ctx);
            if (commit && !commit_survivor(rt, commit, op)) {
                prev->next = g->next; /* untracked: unlinked, never becomes prev */
                g->next = 0;
                g->prev &= MMI_GC_FINALIZED;
                g = gcl_next(prev);
                continue;
            }
            gcl_set_prev(g, prev);
            gcl_clear_collecting(g);
            prev = g;
        } else {
            mmi_gc_head *last = gcl_prev(unreachable);
            prev->next = g->next;
            last->next = MMI_NEXT_UNREACHABLE | (uintptr_t)g;
            gcl_set_prev(g, last);
            g->next = MMI_NEXT_UNREACHABLE | (uintptr_t)unreachable;
            unreachable->prev = (uintptr_t)g;
        }
        g = gcl_next(prev);
    }
    young->prev = (uintptr_t)prev;
    unreachable->next &= ~MMI_NEXT_UNREACHABLE;
}

/* update_refs + subtract_refs + move_unreachable. Returns the number of objects. */
uint64_t
mmi_gc_deduce_unreachable(mm_runtime *rt, mmi_gc_head *base, mmi_gc_head *unreachable,
                          mmi_gc_segments *segs)
{
    uint64_t n;
    MMI_HOOK(rt, gc_phase, MM_GC_PHASE_UPDATE_REFS);
    n = update_refs(base, segs);
    subtract_refs(rt, base);
    gcl_init(unreachable);
    MMI_HOOK(rt, gc_phase, MM_GC_PHASE_MOVE_UNREACHABLE);
    move_unreachable(rt, base, unreachable, NULL);
    return n;
}

/* The collection's own deduce: as mmi_gc_deduce_unreachable, with the fused first walk
 * where it is exact (full collection, nothing frozen) and the survivors' untracking
 * done by move_unreachable (commit). */
static uint64_t
deduce_young(mm_runtime *rt, mmi_gc_head *young, mmi_gc_head *unreachable,
             mmi_gc_segments *segs, mmi_gc_commit *commit)
{
    uint64_t n;
    MMI_HOOK(rt, gc_phase, MM_GC_PHASE_UPDATE_REFS);
    if (commit->full && gcl_empty(&rt->gc.permanent.head)) {
        n = update_subtract_refs_full(rt, young, segs);
    } else {
        n = update_refs(young, segs);
        subtract_refs(rt, young);
    }
    gcl_init(unreachable);
    MMI_HOOK(rt, gc_phase, MM_GC_PHASE_MOVE_UNREACHABLE);
    move_unreachable(rt, young, unreachable, commit);
    return n;
}

/* Clear the unreachable marks left on the links of list (after move_unreachable). */
void
mmi_gc_clear_unreachable_mask(mmi_gc_head *list)
{
    for (mmi_gc_head *g = gcl_next(list); g != list; g = gcl_next(g))
        g->next &= ~MMI_NEXT_UNREACHABLE;
}

/* ---- Phase 2: untracking, promotion ---- */

/* Survivors move to the older generation; a full collection resets the long-lived
 * bookkeeping that decides when the next one may run (cpython-reference.md 4.4).
 * Tuples were untracked as move_unreachable committed them, and most dicts of a full
 * collection too; the undecided dicts only now, after every tuple. */
static void
promote(mm_runtime *rt, int generation, mmi_gc_head *young, mmi_gc_head *old,
        mmi_gc_commit *commit)
{
    mmi_gc_state *gc = &rt->gc;
    size_t n = commit->survivors;
    if (young != old) {
        if (generation == MM_GC_GENERATIONS - 2)
            gc->long_lived_pending += n;
        gc->ev.promoted = n;
        gcl_merge(young, old);
    } else {
        n -= mmi_gc_untrack_dicts(rt, young, commit);
        gc->long_lived_pending = 0;
        gc->long_lived_total = n;
    }
}

/* ---- Phase 3: deleting the garbage ---- */

/* Break the cycles of collectable by clearing each object; refcounting frees them.
 * An object that survives its clear (still the head) moves to old. */
void
mmi_gc_delete_garbage(mm_runtime *rt, mmi_gc_head *collectable, mmi_gc_head *old)
{
    mmi_gc_state *gc = &rt->gc;
    gc->deleting = 1;
    while (!gcl_empty(collectable)) {
        mmi_gc_head *g = gcl_next(collectable);
        mm_object *op = mmi_from_gc(g);
        if (gc->debug & MM_GC_DEBUG_SAVEALL) {
            mm_list_append(rt, mm_gc_garbage_borrow(rt), op);
        } else if (op->type->clear) {
            mm_incref(rt, op);
            op->type->clear(rt, op);
            mm_decref(rt, op);
        }
        if (gcl_next(collectable) == g) {
            gcl_clear_collecting(g);
            gcl_move(g, old);
        }
    }
    gc->deleting = 0;
}

/* ---- The collection ---- */

void
mmi_gc_event_begin(mm_runtime *rt, int generation, mm_gc_trigger trigger)
{
    mmi_gc_state *gc = &rt->gc;
    mm_gc_event *ev = &gc->ev;
    *ev = (mm_gc_event){ 0 };
    ev->generation = generation;
    ev->trigger = trigger;
    ev->seq = ++gc->seq;
    /* Older generations are not walked (a walk of the whole heap per young collection
     * would dominate its pause); the collected ones are measured as the collection
     * goes. Hooks that need every length call mm_gc_get_sizes. */
    for (int i = 0; i < MM_GC_GENERATIONS; i++) {
        ev->count_before[i] = gc->generations[i].count;
        ev->size_before[i] = SIZE_MAX;
        ev->size_after[i] = SIZE_MAX;
    }
    ev->long_lived_total_before = gc->long_lived_total;
    ev->long_lived_pending_before = gc->long_lived_pending;
    MMI_HOOK(rt, gc_start, ev);
}

void
mmi_gc_event_end(mm_runtime *rt, int generation, int64_t m, int64_t n)
{
    mmi_gc_state *gc = &rt->gc;
    gc->ev.collected = (uint64_t)m;
    gc->ev.uncollectable = (uint64_t)n;
    gc->stats[generation].collections++;
    gc->stats[generation].collected += (uint64_t)m;
    gc->stats[generation].uncollectable += (uint64_t)n;
    /* The collected generations hold only what finalizers allocated: cheap to count.
     * A full collection's survivors stay in generation 2 (long_lived_total). */
    for (int i = 0; i < generation || (i == generation && i < MM_GC_GENERATIONS - 1); i++)
        gc->ev.size_after[i] = gcl_size(&gc->generations[i].head);
    /* debug_level 3 (style.md rule 21): the whole heap re-derived
     * after each collection */
    MMI_ASSERT_EXPENSIVE(rt, mmi_gc_generations_check(rt) == MM_OK);
    MMI_ASSERT_EXPENSIVE(rt, mmi_alloc_check(rt) == MM_OK);
    MMI_HOOK(rt, gc_stop, &gc->ev);
}

/* The counts of cpython-reference.md 4.3: the next older generation counts this
 * collection; this one and the younger ones restart from zero. */
static void
update_counts(mmi_gc_state *gc, int generation)
{
    if (generation + 1 < MM_GC_GENERATIONS)
        gc->generations[generation + 1].count += 1;
    for (int i = 0; i <= generation; i++)
        gc->generations[i].count = 0;
}

void
mmi_gc_dispose(mm_runtime *rt, mmi_gc_head *unreachable, mmi_gc_head *old, int64_t *m,
               int64_t *n)
{
    mmi_gc_head finalizers, final_unreachable;
    mm_gc_event *ev = &rt->gc.ev;
    uint64_t ran_before = ev->finalizers_run + ev->weakref_callbacks;
    /* Legacy finalizers and all they reach are uncollectable. The same walk tells which
     * of the next phases have anything to do; the others are skipped (no-ops). */
    size_t left;
    unsigned needs = mmi_gc_move_legacy_finalizers(rt, unreachable, &finalizers, &left);
    /* Weak references to garbage are cleared before any finalizer can see them. */
    MMI_HOOK(rt, gc_phase, MM_GC_PHASE_WEAKREFS);
    *m = needs & MMI_GC_NEEDS_WEAKREFS ? mmi_gc_handle_weakrefs(rt, unreachable, old) : 0;
    /* PEP 442 finalizers, once per object; they may resurrect. */
    MMI_HOOK(rt, gc_phase, MM_GC_PHASE_FINALIZERS);
    if (needs & MMI_GC_NEEDS_FINALIZE)
        mmi_gc_finalize_garbage(rt, unreachable);
    /* Only code that ran (a finalizer, a weakref callback) can resurrect anything: with
     * none, the re-check would find every object still unreachable. */
    MMI_HOOK(rt, gc_phase, MM_GC_PHASE_RESURRECTION);
    if (ev->finalizers_run + ev->weakref_callbacks != ran_before) {
        mmi_gc_handle_resurrected(rt, unreachable, &final_unreachable, old);
        left = gcl_size(&final_unreachable);
    } else {
        gcl_init(&final_unreachable);
        gcl_merge(unreachable, &final_unreachable);
    }
    /* What is still unreachable is garbage: break its cycles. */
    *m += (int64_t)left;
    MMI_HOOK(rt, gc_phase, MM_GC_PHASE_DELETE);
    mmi_gc_delete_garbage(rt, &final_unreachable, old);
    *n = mmi_gc_handle_legacy_finalizers(rt, &finalizers, old);
}

int64_t
mmi_gc_collect_generation(mm_runtime *rt, int generation, mm_gc_trigger trigger)
{
    mmi_gc_state *gc = &rt->gc;
    mmi_gc_head *young = &gc->generations[generation].head, *old;
    mmi_gc_head unreachable;
    int64_t m, n;

    mmi_gc_event_begin(rt, generation, trigger);
    update_counts(gc, generation);
    /* Young = generation g with the younger lists appended in order 0..g-1 (their
     * lengths are cheap to take now; generation g's follows from examined). */
    mmi_gc_segments segs = { .current = generation, .sizes = gc->ev.size_before };
    for (int i = 0; i <= generation; i++)
        segs.sizes[i] = 0;
    for (int i = 0; i < generation; i++) {
        if (!gcl_empty(&gc->generations[i].head)) {
            segs.first[segs.n] = gcl_next(&gc->generations[i].head);
            segs.generation[segs.n++] = i;
        }
        gcl_merge(&gc->generations[i].head, young);
    }
    old = generation < MM_GC_GENERATIONS - 1 ? &gc->generations[generation + 1].head
                                             : young;

    /* Everything in young that only young references is unreachable. */
    mmi_gc_commit commit = { .full = young == old };
    gc->ev.examined = deduce_young(rt, young, &unreachable, &segs, &commit);
    MMI_HOOK(rt, gc_phase, MM_GC_PHASE_UNTRACK);
    promote(rt, generation, young, old, &commit);

    /* The unreachable objects: finalized, re-checked, and freed or kept. */
    mmi_gc_dispose(rt, &unreachable, old, &m, &n);
    if (generation == MM_GC_GENERATIONS - 1) {
        MMI_HOOK(rt, gc_phase, MM_GC_PHASE_FREELISTS);
        mmi_freelists_clear(rt);
    }
    mmi_gc_event_end(rt, generation, m, n);
    return m + n;
}

int64_t
mmi_gc_collect_auto(mm_runtime *rt, mm_gc_trigger trigger)
{
    mmi_gc_state *gc = &rt->gc;
    for (int i = MM_GC_GENERATIONS - 1; i >= 0; i--) {
        if (gc->generations[i].count <= (int64_t)gc->generations[i].threshold)
            continue;
        /* Full collections only when enough survivors are pending (issue #4074). */
        if (i == MM_GC_GENERATIONS - 1 &&
            gc->long_lived_pending < gc->long_lived_total / MMI_GC_LONG_LIVED_DIVISOR)
            continue;
        return mmi_gc_collect_generation(rt, i, trigger);
    }
    return 0;
}

int64_t
mmi_gc_collect_explicit(mm_runtime *rt, int generation, mm_gc_trigger trigger)
{
    int64_t n;
    rt->gc.collecting = 1;
    n = mmi_gc_collect_generation(rt, generation, trigger);
    rt->gc.collecting = 0;
    return n;
}
