/* Collector internals shared with the rest of the runtime: GC allocation (the gen0
 * count), tracking, generation state. Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#ifndef MMI_GC_INTERNAL_H
#define MMI_GC_INTERNAL_H
#ifndef MMI_BUILDING_RUNTIME
#error "gc/gc_internal.h is internal to libmm"
#endif

#include "object_internal.h"

/* A generation: a circular doubly linked list through the GC heads, with a sentinel. */
typedef struct mmi_gc_generation {
    mmi_gc_head head;
    uint32_t threshold;
    int64_t count;
} mmi_gc_generation;

/* A GC policy: a small const table chosen at runtime creation (style.md rule 3). */
typedef struct mmi_gc_policy {
    const char *name;
    /* After a GC allocation incremented count0: collect now (cpython311: inside the
     * allocation, before the new object is tracked) or set gc.pending. */
    void (*on_alloc)(mm_runtime *rt);
    /* At mm_gc_safepoint: run a pending collection. */
    void (*on_safepoint)(mm_runtime *rt);
    /* Explicit collection of generation g; returns m + n (gc.collect's value). */
    int64_t (*collect)(mm_runtime *rt, int generation, mm_gc_trigger trigger);
} mmi_gc_policy;

/* The table for a policy (gc/policy_*.c). Never NULL for a validated config. */
MMI_INTERNAL const mmi_gc_policy *mmi_gc_policy_for(mm_gc_policy policy);

/* Root set: long-lived slots (mm_root_add) and a shadow stack (mm_root_push/pop). */
typedef struct mmi_roots {
    mm_object ***fixed;
    size_t nfixed, cap_fixed;
    mm_object ***stack;
    size_t nstack, cap_stack;
} mmi_roots;

typedef struct mmi_gc_state {
    const mmi_gc_policy *policy;
    mmi_gc_generation generations[MM_GC_GENERATIONS];
    mmi_gc_generation permanent;
    mm_gc_generation_stats stats[MM_GC_GENERATIONS];
    size_t long_lived_total;
    size_t long_lived_pending;
    int enabled;
    int collecting;
    int pending;            /* a scheduled collection waits for a safepoint */
    unsigned debug;
    mm_object *garbage;     /* gc.garbage list (owned) */
    int deleting;           /* inside delete_garbage: frees count as freed_by_gc */
    int destroying;         /* runtime destroy: no finalizers, no weakref callbacks */
    uint64_t seq;
    size_t live_gc_bytes;   /* marksweep heap accounting */
    size_t marksweep_limit; /* marksweep: collect when live_gc_bytes exceeds it */
    mm_gc_event ev;         /* the collection in progress (hooks, counters) */
    mm_object **dict_scratch; /* full collections: survivor dicts (owned, malloc) */
    size_t dict_scratch_cap;
} mmi_gc_state;

MMI_INTERNAL int mmi_gc_init(mm_runtime *rt, const mm_config *cfg);
/* Untrack and free everything still tracked (runtime destroy; no finalizers). */
MMI_INTERNAL void mmi_gc_fini(mm_runtime *rt);

/* Allocate a GC object of nbytes (mmi_gc_head is added in front). Counts the gen0
 * allocation and, as the policy says, may collect before returning (CPython 3.11
 * collects inside the allocation, before the new object is tracked). The object
 * comes back untracked with its GC head zeroed. NULL on OOM. */
MMI_INTERNAL mm_object *mmi_gc_alloc(mm_runtime *rt, size_t nbytes, unsigned type_id);
/* Release the memory of an untracked GC object (PyObject_GC_Del): gen0 count -1,
 * floored at 0. nbytes as given to mmi_gc_alloc. */
MMI_INTERNAL void mmi_gc_free(mm_runtime *rt, mm_object *op, size_t nbytes,
                              unsigned type_id);
/* Append op at the tail of generation 0. op must be untracked. */
MMI_INTERNAL void mmi_gc_track(mm_runtime *rt, mm_object *op);
/* Unlink op from its generation list; idempotent. Keeps the FINALIZED bit. */
MMI_INTERNAL void mmi_gc_untrack(mm_runtime *rt, mm_object *op);

/* Re-derive the generation lists' invariants (each tracked object on exactly one list,
 * links consistent, no COLLECTING bit outside a collection). MM_OK or MM_EMISUSE. */
MMI_INTERNAL int mmi_gc_generations_check(mm_runtime *rt);
/* Emergency collection after a failed allocation (full; no-op while collecting). */
MMI_INTERNAL void mmi_gc_collect_emergency(mm_runtime *rt);

/* The CPython 3.11 collection of generation g (collect.c), counting into rt->gc.ev.
 * Returns m + n. Callers set gc.collecting. */
MMI_INTERNAL int64_t mmi_gc_collect_generation(mm_runtime *rt, int generation,
                                               mm_gc_trigger trigger);
/* Choose the generation as CPython's collect_generations and collect it. */
MMI_INTERNAL int64_t mmi_gc_collect_auto(mm_runtime *rt, mm_gc_trigger trigger);
/* Full collection that runs finalizers and weakref callbacks: shared by every policy
 * for mm_gc_collect and the emergency path. */
MMI_INTERNAL int64_t mmi_gc_collect_explicit(mm_runtime *rt, int generation,
                                             mm_gc_trigger trigger);

/* Called by deallocation when op (refcount 0, untracked) had weak references:
 * clears them and runs the callbacks of those still alive (weakref.c). */
MMI_INTERNAL void mmi_weakref_clear_refs(mm_runtime *rt, mm_object *op);
/* Clear op's weakrefs without calling their callbacks: the ones a finalizer created
 * while op was being deallocated (subtype_dealloc after tp_del). */
MMI_INTERNAL void mmi_weakref_clear_silently(mm_object *op);

#endif
