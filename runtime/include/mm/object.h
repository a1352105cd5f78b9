/* Object header, type descriptors and reference counting.
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#ifndef MM_OBJECT_H
#define MM_OBJECT_H

#include <stdint.h>

#include "mm/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mm_type mm_type;

/* Every object starts with this header. The layout is public only so that the
 * incref/decref fast paths can be inlined; never write the fields directly. */
struct mm_object {
    intptr_t refcnt;
    const mm_type *type;
};

/* Prefix of every mm_runtime, public for the inline fast paths only. */
typedef struct mm_runtime_head {
    uint64_t nincref; /* refcount increments (MM_STATS_LEVEL >= 2) */
    uint64_t ndecref; /* refcount decrements (MM_STATS_LEVEL >= 2) */
} mm_runtime_head;

#if MM_STATS_LEVEL >= 2
#define MM_RC_COUNT(rt, field) (((mm_runtime_head *)(rt))->field++)
#else
#define MM_RC_COUNT(rt, field) ((void)(rt))
#endif

/* Out-of-line slow path of mm_decref; do not call directly. At refcount zero op is
 * deallocated (deferred through the trashcan past 50 nested container deallocations);
 * below zero is misuse: reported through the error hook and the count restored.
 * Steals:  op (the reference mm_decref just released).
 * Errors:  none returned (misuse goes to the error hook as MM_EMISUSE). */
MM_API void mm_object_dealloc_slow(mm_runtime *rt, mm_object *op);

/* Debug builds (MM_DEBUG_LEVEL >= 1) fill freed memory with 0x55: an object whose type
 * pointer reads so was freed. MM_CHECK_ALIVE calls this to report that use after free
 * (what: "incref" or "decref"); op is not touched and the incref or decref is skipped.
 * Returns: no reference.
 * Errors:  none returned (reported to the error hook as MM_EMISUSE). */
MM_API void mm_object_misuse_slow(mm_runtime *rt, mm_object *op, const char *what);
#if MM_DEBUG_LEVEL >= 1
#define MM_FREED_PATTERN ((uintptr_t)0x5555555555555555u)
#define MM_CHECK_ALIVE(rt, op, what)                                                     \
    if ((uintptr_t)(op)->type == MM_FREED_PATTERN) {                                    \
        mm_object_misuse_slow((rt), (op), (what));                                      \
        return;                                                                          \
    }
#else
#define MM_CHECK_ALIVE(rt, op, what)
#endif

/* Add a strong reference to op (op must not be NULL), as mm_incref without the result.
 * Returns: no reference (the caller now owns one more reference to op).
 * Errors:  none (debug builds report an incref of freed memory, as mm_object_misuse_slow,
 *          and skip it). */
static inline void
mm_incref_void(mm_runtime *rt, mm_object *op)
{
    MM_CHECK_ALIVE(rt, op, "incref")
    MM_RC_COUNT(rt, nincref);
    op->refcnt++;
}

/* A new strong reference to op (op must not be NULL).
 * Returns: new reference (op itself).
 * Errors:  none (debug builds: as mm_incref_void). */
static inline mm_object *
mm_incref(mm_runtime *rt, mm_object *op)
{
    mm_incref_void(rt, op);
    return op;
}

/* Like mm_incref, NULL allowed.
 * Returns: new reference (op itself), or NULL when op is NULL.
 * Errors:  none. */
static inline mm_object *
mm_xincref(mm_runtime *rt, mm_object *op)
{
    if (op)
        mm_incref(rt, op);
    return op;
}

/* Release one strong reference (op must not be NULL). At zero the object is deallocated
 * at once: its finalizer (if any) runs, weak references are cleared and their callbacks
 * run, then its references are released (iteratively: depth does not become stack
 * depth). So any decref may end borrowed references.
 * Steals:  op.
 * Errors:  none; a decref below zero, or (debug builds) of freed memory, is reported
 *          through the error hook (MM_EMISUSE) and not executed. */
static inline void
mm_decref(mm_runtime *rt, mm_object *op)
{
    MM_CHECK_ALIVE(rt, op, "decref")
    MM_RC_COUNT(rt, ndecref);
    if (--op->refcnt <= 0)
        mm_object_dealloc_slow(rt, op);
}

/* Like mm_decref, NULL allowed.
 * Steals:  op (when not NULL).
 * Errors:  as mm_decref. */
static inline void
mm_xdecref(mm_runtime *rt, mm_object *op)
{
    if (op)
        mm_decref(rt, op);
}

/* *slot = value, then release the previous value (as Py_SETREF): the slot never points
 * at an object being torn down while its teardown code runs.
 * Steals:  value (may be NULL); the reference *slot held (if any) is released.
 * Errors:  none. */
static inline void
mm_setref(mm_runtime *rt, mm_object **slot, mm_object *value)
{
    mm_object *old = *slot;
    *slot = value;
    mm_xdecref(rt, old);
}

/* *slot = NULL, then release the previous value (as Py_CLEAR).
 * Returns: no reference; the reference *slot held (if any) is released.
 * Errors:  none. */
static inline void
mm_clear(mm_runtime *rt, mm_object **slot)
{
    mm_setref(rt, slot, (mm_object *)0);
}

/* The reference count, like sys.getrefcount(op) minus the argument's own reference.
 * Returns: no reference; the count (op must not be NULL).
 * Errors:  none. */
MM_API intptr_t mm_refcount(const mm_object *op);

/* The object's type name ("int", "list", "NoneType", a class name, ...).
 * Returns: no reference; a static string, or the class's copy of its name (valid until
 *          mm_runtime_destroy). op must not be NULL.
 * Errors:  none. */
MM_API const char *mm_type_name(const mm_object *op);

/* Built-in type identities, for per-type counters and cheap type tests. */
typedef enum mm_type_id {
    MM_T_INT = 0,
    MM_T_FLOAT,
    MM_T_STR,
    MM_T_TUPLE,
    MM_T_LIST,
    MM_T_DICT,
    MM_T_INSTANCE, /* instances of every mm_class */
    MM_T_WEAKREF,
    MM_T_GENERATOR,
    MM_T_FRAME,
    MM_T_OTHER,
    MM_T_COUNT
} mm_type_id;

/* The built-in type identity of op: MM_T_INSTANCE for instances of every class,
 * MM_T_OTHER for None.
 * Returns: no reference; the id (op must not be NULL).
 * Errors:  none. */
MM_API mm_type_id mm_type_id_of(const mm_object *op);
/* Static name of a type id ("int", ..., "other"); "other" for an id out of range. */
MM_API const char *mm_type_id_name(mm_type_id id);

#ifdef __cplusplus
}
#endif
#endif
