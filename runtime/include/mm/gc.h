/* The cycle collector: collect, thresholds, enable/disable, freeze, counts and stats,
 * roots. Design: docs/design/gc.md. Semantics mirror CPython 3.11's gc module
 * (../shared/spec/cpython-reference.md, section 4).
 * SPDX-License-Identifier: MIT */
#ifndef MM_GC_H
#define MM_GC_H

#include <stddef.h>
#include <stdint.h>

#include "mm/object.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MM_GC_GENERATIONS 3

/* Debug flags, as gc.DEBUG_*. Only SAVEALL changes behaviour (STATS is bench/'s job). */
#define MM_GC_DEBUG_SAVEALL 32u

/* Explicit collection of generation 0..2 (gc.collect(generation)); works while automatic
 * collection is disabled. Under marksweep every collection traces the whole heap,
 * whatever the generation. It runs finalizers and weakref callbacks and frees garbage,
 * so it may end any borrowed reference.
 * Returns: no reference; *out_found (may be NULL) = collected + uncollectable of this
 *          collection, or 0 when a collection is already running (none is started).
 * Errors:  MM_EINVAL (generation out of range; *out_found untouched), MM_EPOISONED
 *          (nothing collected; *out_found untouched). */
MM_API int mm_gc_collect(mm_runtime *rt, int generation, int64_t *out_found);

/* gc.enable(): automatic collections may run again. */
MM_API void mm_gc_enable(mm_runtime *rt);
/* gc.disable(): no automatic collection; mm_gc_collect and the emergency collection of
 * a failed allocation still run. */
MM_API void mm_gc_disable(mm_runtime *rt);
/* gc.isenabled().
 * Returns: 1 when automatic collection is enabled, else 0.
 * Errors:  none. */
MM_API int mm_gc_isenabled(const mm_runtime *rt);

/* gc.set_threshold(): set the first n (1..3) thresholds from t, the others keep theirs.
 * t[0] == 0 disables automatic collection (marksweep ignores thresholds: its trigger is
 * the heap limit).
 * Errors:  MM_EINVAL (t NULL or n outside 1..3; nothing changed). */
MM_API int mm_gc_set_threshold(mm_runtime *rt, const uint32_t *t, int n);
/* gc.get_threshold(): the three thresholds into t. */
MM_API void mm_gc_get_threshold(const mm_runtime *rt, uint32_t t[3]);
/* gc.get_count(): the three generation counts into count. */
MM_API void mm_gc_get_count(const mm_runtime *rt, int64_t count[3]);
/* Lengths of the three generation lists into sizes. O(tracked objects): walks them. */
MM_API void mm_gc_get_sizes(const mm_runtime *rt, size_t sizes[3]);
/* Bytes of the objects in each generation list: per object its type's fixed size plus
 * the GC head (variable parts such as generator frames and list/dict storage are
 * separate allocations and not counted). O(tracked objects): a sampler's getter, not a
 * hot-path call. Must not be called while a collection runs
 * (from gc_start to gc_stop). */
MM_API void mm_gc_get_bytes(const mm_runtime *rt, size_t bytes[3]);
/* long_lived_total and long_lived_pending, the gate of automatic full collections
 * (cpython311 and cpython313 run one only when pending >= total / 4). Either pointer may
 * be NULL. */
MM_API void mm_gc_get_long_lived(const mm_runtime *rt, size_t *total, size_t *pending);

typedef struct mm_gc_generation_stats {
    uint64_t collections;
    uint64_t collected;
    uint64_t uncollectable;
} mm_gc_generation_stats;

/* gc.get_stats(): cumulative per generation. */
MM_API void mm_gc_get_stats(const mm_runtime *rt, mm_gc_generation_stats out[3]);

/* gc.freeze(): move every tracked object to the permanent generation, which no
 * collection frees (marksweep traces from it); the counts restart at 0. */
MM_API void mm_gc_freeze(mm_runtime *rt);
/* gc.unfreeze(): move the permanent generation into generation 2. */
MM_API void mm_gc_unfreeze(mm_runtime *rt);
/* gc.get_freeze_count(): objects in the permanent generation. O(n): walks it. */
MM_API size_t mm_gc_get_freeze_count(const mm_runtime *rt);

/* gc.set_debug(flags): only MM_GC_DEBUG_SAVEALL changes behaviour; the other bits are
 * kept and returned by mm_gc_get_debug. */
MM_API void mm_gc_set_debug(mm_runtime *rt, unsigned flags);
/* gc.get_debug(): the flags last set. */
MM_API unsigned mm_gc_get_debug(const mm_runtime *rt);

/* gc.garbage: an untracked list to which collections append the uncollectable objects
 * (with SAVEALL, every object they found unreachable). Borrowed (style.md rule 12): the
 * runtime holds the list from mm_runtime_new to mm_runtime_destroy, so no borrow can
 * outlive it.
 * Returns: borrowed reference to that list, never NULL after mm_runtime_new succeeded,
 *          valid until mm_runtime_destroy: the runtime holds it all along, and
 *          collections and mm_gc_garbage_clear change only its items (take an item
 *          with mm_list_get: a new reference, which outlives a clear).
 * Errors:  none. */
MM_API mm_object *mm_gc_garbage_borrow(mm_runtime *rt);
/* Empty gc.garbage: its references are released last to first, which may free objects
 * (running their finalizers and weakref callbacks); the list itself stays. */
MM_API void mm_gc_garbage_clear(mm_runtime *rt);

/* gc.is_tracked(op): op is a GC object on a generation list or the permanent one.
 * Returns: no reference; 1 if tracked, else 0 (always 0 for int, float, str and None;
 *          tuples and dicts can be untracked by the collector or never tracked).
 * Errors:  none (op must be a live object, not NULL). */
MM_API int mm_gc_is_tracked(const mm_object *op);
/* gc.is_finalized(op): op's PEP 442 finalizer has run (the FINALIZED bit: instances of a
 * class with finalize, generators closed by their finalizer).
 * Returns: no reference; 1 if finalized, else 0 (always 0 for non-GC objects).
 * Errors:  none (op must be a live object, not NULL). */
MM_API int mm_gc_is_finalized(const mm_object *op);

/* Safepoint: under cpython313, the only policy that defers collections, run the
 * collection that crossing threshold0 left pending (unless automatic collection is
 * disabled or a collection is running); for every other policy a cheap no-op. Like
 * mm_gc_collect, a collection may end any borrowed reference.
 * Errors:  MM_EPOISONED only (mm/runtime.h, "A poisoned runtime"); else always MM_OK. */
MM_API int mm_gc_safepoint(mm_runtime *rt);

/* ---- Roots (needed by the marksweep policy; harmless for the others) ---- */

/* Register a long-lived root slot: marksweep reads *slot at each collection, so it may
 * change and may be NULL. The same slot may be added twice (then removed twice).
 * Returns: no reference: roots own none, *slot's reference stays the caller's.
 * Errors:  MM_ENOMEM (nothing registered). */
MM_API int mm_root_add(mm_runtime *rt, mm_object **slot);
/* Unregister one registration of slot made with mm_root_add.
 * Errors:  MM_EKEY (slot was not added). */
MM_API int mm_root_remove(mm_runtime *rt, mm_object **slot);
/* Shadow stack: push a slot for the current C scope, read as mm_root_add's; pop it with
 * mm_root_pop before the scope ends.
 * Returns: no reference: roots own none, *slot's reference stays the caller's.
 * Errors:  MM_ENOMEM (nothing pushed). */
MM_API int mm_root_push(mm_runtime *rt, mm_object **slot);
/* Pop the last n slots of the shadow stack. Popping more than were pushed is misuse:
 * reported through the error hook (MM_EMISUSE), and the stack is emptied. */
MM_API void mm_root_pop(mm_runtime *rt, size_t n);

#ifdef __cplusplus
}
#endif
#endif
