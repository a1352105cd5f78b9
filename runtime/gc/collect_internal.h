/* Phases of a collection shared between collect.c, finalize.c and weakref.c.
 * Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#ifndef MMI_COLLECT_INTERNAL_H
#define MMI_COLLECT_INTERNAL_H
#ifndef MMI_BUILDING_RUNTIME
#error "gc/collect_internal.h is internal to libmm"
#endif

#include "gc/gclist.h"
#include "runtime_internal.h"

/* Where the generations merged into a young list start, and their lengths (filled by
 * the update_refs walk): the list is generation `current` up to first[0], then
 * generation[0] up to first[1], and so on. */
typedef struct mmi_gc_segments {
    int current;                               /* generation of the first segment */
    int n;                                     /* boundaries that follow */
    mmi_gc_head *first[MM_GC_GENERATIONS - 1]; /* first node of each later segment */
    int generation[MM_GC_GENERATIONS - 1];     /* its generation */
    size_t *sizes;                             /* out: length per generation */
} mmi_gc_segments;

/* What move_unreachable does to each survivor as it commits it, which is the object's
 * final place in young: CPython's untrack_tuples, and for full collections its
 * untrack_dicts where the outcome is already known (gc/untrack.c). */
typedef struct mmi_gc_commit {
    int full;          /* a full collection: dicts too */
    size_t survivors;  /* committed and still tracked */
    size_t ndicts;     /* undecided dicts waiting in rt->gc.dict_scratch, in order */
    int dicts_lost;    /* the scratch could not grow: untrack_dicts walks young */
} mmi_gc_commit;

/* Survivor dict d of a full collection is being committed: 0 when CPython's
 * untrack_dicts will untrack it (the caller untracks it now), 1 when it stays tracked
 * or must wait for mmi_gc_untrack_dicts. */
MMI_INTERNAL int mmi_gc_commit_dict(mm_runtime *rt, mmi_gc_commit *commit, mm_object *d);
/* CPython's untrack_dicts for the dicts still undecided after move_unreachable (every
 * tuple has been looked at by then); returns how many it untracked. */
MMI_INTERNAL size_t mmi_gc_untrack_dicts(mm_runtime *rt, mmi_gc_head *young,
                                         mmi_gc_commit *commit);

/* update_refs + subtract_refs + move_unreachable on base; returns its length. segs may
 * be NULL. (The collection's own first pass is collect.c's deduce_young.) */
MMI_INTERNAL uint64_t mmi_gc_deduce_unreachable(mm_runtime *rt, mmi_gc_head *base,
                                                mmi_gc_head *unreachable,
                                                mmi_gc_segments *segs);
MMI_INTERNAL void mmi_gc_clear_unreachable_mask(mmi_gc_head *list);
/* What the garbage needs after the legacy-finalizer split (a conservative summary taken
 * on the same walk): phases it does not need are skipped, which changes nothing. */
#define MMI_GC_NEEDS_WEAKREFS 0x1u  /* a weakref, or an object with weakrefs to it */
#define MMI_GC_NEEDS_FINALIZE 0x2u  /* an object with a PEP 442 finalizer not yet run */
/* Clears the unreachable marks; moves objects with a legacy finalizer, and everything
 * unreachable they reach, to finalizers (initialised here). Returns MMI_GC_NEEDS_*;
 * *left = how many objects stay in unreachable. */
MMI_INTERNAL unsigned mmi_gc_move_legacy_finalizers(mm_runtime *rt,
                                                    mmi_gc_head *unreachable,
                                                    mmi_gc_head *finalizers,
                                                    size_t *left);
/* Non-zero when handle_weakrefs has work for op: op is a weakref or has weakrefs. */
MMI_INTERNAL int mmi_weakref_gc_involved(mm_object *op);
/* Clear weakrefs to unreachable objects; call callbacks of weakrefs outside the garbage.
 * Returns the number of weakrefs that died from their own callback (counted in m). */
MMI_INTERNAL int64_t mmi_gc_handle_weakrefs(mm_runtime *rt, mmi_gc_head *unreachable,
                                            mmi_gc_head *old);
/* Run each PEP 442 finalizer once (FINALIZED bit). */
MMI_INTERNAL void mmi_gc_finalize_garbage(mm_runtime *rt, mmi_gc_head *unreachable);
/* Re-check reachability after finalizers: resurrected objects (and what they reach)
 * go to old; the rest to still_unreachable. */
MMI_INTERNAL void mmi_gc_handle_resurrected(mm_runtime *rt, mmi_gc_head *unreachable,
                                            mmi_gc_head *still_unreachable,
                                            mmi_gc_head *old);
/* gc.garbage gets the legacy-finalizer objects (everything with SAVEALL); the group
 * joins old. Returns its size (n, uncollectable). */
MMI_INTERNAL int64_t mmi_gc_handle_legacy_finalizers(mm_runtime *rt,
                                                     mmi_gc_head *finalizers,
                                                     mmi_gc_head *old);

/* Everything after reachability: legacy finalizers, weakrefs, PEP 442 finalizers, the
 * resurrection re-check, deleting the garbage. Survivors join old. *m = collected,
 * *n = uncollectable, as CPython counts them. */
MMI_INTERNAL void mmi_gc_dispose(mm_runtime *rt, mmi_gc_head *unreachable,
                                 mmi_gc_head *old, int64_t *m, int64_t *n);
/* Break the cycles of collectable (clear); survivors move to old. */
MMI_INTERNAL void mmi_gc_delete_garbage(mm_runtime *rt, mmi_gc_head *collectable,
                                        mmi_gc_head *old);
/* Fill rt->gc.ev and call the gc_start / gc_stop hooks; event_end updates the stats. */
MMI_INTERNAL void mmi_gc_event_begin(mm_runtime *rt, int generation,
                                     mm_gc_trigger trigger);
MMI_INTERNAL void mmi_gc_event_end(mm_runtime *rt, int generation, int64_t m, int64_t n);

#endif
