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

/* Explicit collection of generation 0..2 (gc.collect(generation)).
 * *out_found (may be NULL) receives collected + uncollectable of this collection; 0 if
 * a collection is already running. Works while automatic collection is disabled.
 * Errors: MM_EINVAL (generation out of range). */
MM_API int mm_gc_collect(mm_runtime *rt, int generation, int64_t *out_found);

MM_API void mm_gc_enable(mm_runtime *rt);
MM_API void mm_gc_disable(mm_runtime *rt);
MM_API int mm_gc_isenabled(const mm_runtime *rt);

/* Set the first n (1..3) thresholds; t[0] == 0 disables automatic collection.
 * Errors: MM_EINVAL. */
MM_API int mm_gc_set_threshold(mm_runtime *rt, const uint32_t *t, int n);
MM_API void mm_gc_get_threshold(const mm_runtime *rt, uint32_t t[3]);
/* gc.get_count(). */
MM_API void mm_gc_get_count(const mm_runtime *rt, int64_t count[3]);
/* Lengths of the three generation lists. */
MM_API void mm_gc_get_sizes(const mm_runtime *rt, size_t sizes[3]);
/* Bytes of the objects in each generation list: per object its type's fixed size plus
 * the GC head (variable parts such as generator frames and list/dict storage are
 * separate allocations and not counted). O(tracked objects): a sampler's getter, not a
 * hot-path call. Must not be called while a collection runs (from gc_start to gc_stop). */
MM_API void mm_gc_get_bytes(const mm_runtime *rt, size_t bytes[3]);
MM_API void mm_gc_get_long_lived(const mm_runtime *rt, size_t *total, size_t *pending);

typedef struct mm_gc_gen_stats {
    uint64_t collections;
    uint64_t collected;
    uint64_t uncollectable;
} mm_gc_gen_stats;

/* gc.get_stats(): cumulative per generation. */
MM_API void mm_gc_get_stats(const mm_runtime *rt, mm_gc_gen_stats out[3]);

/* gc.freeze() / gc.unfreeze() / gc.get_freeze_count(). */
MM_API void mm_gc_freeze(mm_runtime *rt);
MM_API void mm_gc_unfreeze(mm_runtime *rt);
MM_API size_t mm_gc_get_freeze_count(const mm_runtime *rt);

MM_API void mm_gc_set_debug(mm_runtime *rt, unsigned flags);
MM_API unsigned mm_gc_get_debug(const mm_runtime *rt);

/* gc.garbage: uncollectable objects (or everything, with SAVEALL).
 * Returns: borrowed reference to the runtime's garbage list (valid until destroy). */
MM_API mm_object *mm_gc_garbage(mm_runtime *rt);
/* Empty gc.garbage (releases its references; may free objects). */
MM_API void mm_gc_garbage_clear(mm_runtime *rt);

MM_API int mm_gc_is_tracked(const mm_object *op);
MM_API int mm_gc_is_finalized(const mm_object *op);

/* Safepoint: for policies that schedule collections (cpython313, marksweep), run a
 * pending collection now. Harmless and cheap for the others. Errors: none (MM_OK). */
MM_API int mm_gc_safepoint(mm_runtime *rt);

/* ---- Roots (needed by the marksweep policy; harmless for the others) ---- */

/* Register a long-lived root slot (*slot may change and may be NULL). Errors: MM_ENOMEM. */
MM_API int mm_root_add(mm_runtime *rt, mm_object **slot);
/* Unregister a slot added with mm_root_add. Errors: MM_EKEY. */
MM_API int mm_root_remove(mm_runtime *rt, mm_object **slot);
/* Shadow stack: push a slot for the current C scope; pop the last n. Errors: MM_ENOMEM. */
MM_API int mm_root_push(mm_runtime *rt, mm_object **slot);
MM_API void mm_root_pop(mm_runtime *rt, size_t n);

#ifdef __cplusplus
}
#endif
#endif
