/* Weak references with callbacks. Design: docs/design/object-model.md (clearing when
 * the referent dies) and docs/design/gc.md (step 6, inside a collection).
 * SPDX-License-Identifier: MIT */
#ifndef MM_WEAKREF_H
#define MM_WEAKREF_H

#include "mm/object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called once when the referent dies while the weakref is still alive, with a
 * borrowed reference to the (now cleared) weakref. May allocate and drop objects. Not
 * called for a weakref that is garbage of the same collection, nor during
 * mm_runtime_destroy. */
typedef void (*mm_weakref_fn)(mm_runtime *rt, mm_object *weakref, void *arg);

/* A weak reference to target (an instance of a weakrefable class, or a generator); cb
 * (may be NULL) is called with arg as mm_weakref_fn says. Without cb, an existing
 * callback-less weakref to target is shared (as CPython's weakref.ref(x)). A new
 * weakref is a GC allocation, which may run a collection.
 * Returns: *out = new reference; *out = NULL on error.
 * Errors:  MM_ETYPE (target NULL or not weakrefable), MM_ENOMEM. */
MM_API int mm_weakref_new(mm_runtime *rt, mm_object *target, mm_weakref_fn cb, void *arg,
                          mm_object **out);
/* The referent (weakref()).
 * Returns: new reference to the referent; NULL once it is dead (also when weakref is
 *          NULL or not a weakref; nothing is recorded).
 * Errors:  none. */
MM_API mm_object *mm_weakref_get(mm_runtime *rt, mm_object *weakref);
/* weakref.getweakrefcount(op): weak references currently pointing at op. O(count).
 * Returns: no reference; the count, 0 when op's type is not weakrefable (op not NULL).
 * Errors:  none. */
MM_API size_t mm_weakref_count(const mm_object *op);

#ifdef __cplusplus
}
#endif
#endif
