/* Weak references with callbacks. Design: docs/design/gc.md (weak references).
 * SPDX-License-Identifier: MIT */
#ifndef MM_WEAKREF_H
#define MM_WEAKREF_H

#include "mm/object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called once when the referent dies while the weakref is still alive, with a
 * borrowed reference to the (now cleared) weakref. May allocate and drop objects. */
typedef void (*mm_weakref_fn)(mm_runtime *rt, mm_object *weakref, void *arg);

/* Create a weak reference to target (an instance of a weakrefable class or a
 * generator). cb may be NULL. *out receives a new reference.
 * Errors: MM_ETYPE (target not weakrefable), MM_ENOMEM. */
MM_API int mm_weakref_new(mm_runtime *rt, mm_object *target, mm_weakref_fn cb, void *arg,
                          mm_object **out);
/* Returns: new reference to the referent, or NULL once it is dead. */
MM_API mm_object *mm_weakref_get(mm_runtime *rt, mm_object *weakref);
/* Number of weak references currently pointing at op. */
MM_API size_t mm_weakref_count(const mm_object *op);

#ifdef __cplusplus
}
#endif
#endif
