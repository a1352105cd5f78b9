/* Core object types: int, float, str, tuple, list, dict, None, classes and instances.
 * Ownership follows docs/design/object-model.md: constructors and getters return new
 * references, `_steal` consumes its argument on every path (NULL included), other
 * parameters are borrowed.
 * SPDX-License-Identifier: MIT */
#ifndef MM_TYPES_H
#define MM_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "mm/object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- None ---- */

/* Returns: new reference to the runtime's None singleton (never freed). */
MM_API mm_object *mm_none(mm_runtime *rt);

/* ---- int ---- */

/* Returns: new reference; values -5..256 are shared cached objects (identity equal);
 * NULL on out-of-memory. */
MM_API mm_object *mm_int_new(mm_runtime *rt, int64_t value);
/* Value of an int. Errors: MM_ETYPE if op is not an int (then *out is unchanged). */
MM_API int mm_int_value(const mm_object *op, int64_t *out);

/* ---- float ---- */

/* Returns: new reference (from the float free list when possible); NULL on OOM. */
MM_API mm_object *mm_float_new(mm_runtime *rt, double value);
MM_API int mm_float_value(const mm_object *op, double *out);

/* ---- str ---- */

/* Returns: new reference to a new string holding a copy of nbytes bytes; NULL on OOM. */
MM_API mm_object *mm_str_new(mm_runtime *rt, const char *data, size_t nbytes);
/* Returns: new reference to the interned string equal to the NUL-terminated text
 * (created and interned on first use). As in CPython 3.10+, the intern table's own
 * references are not counted: a fresh interned string has refcount 1, and it leaves the
 * table when its last reference goes. */
MM_API mm_object *mm_str_intern(mm_runtime *rt, const char *text);
/* Bytes of a str (NUL-terminated), borrowed for the string's lifetime; NULL if not a str. */
MM_API const char *mm_str_data(const mm_object *op, size_t *nbytes);

/* ---- tuple ---- */

/* Returns: new reference to a tuple of n items copied from items (each increfed);
 * n == 0 gives the empty-tuple singleton. NULL on OOM. items may be NULL when n == 0. */
MM_API mm_object *mm_tuple_pack(mm_runtime *rt, size_t n, mm_object *const *items);
MM_API size_t mm_tuple_len(const mm_object *tuple);
/* Returns: new reference to item i, or NULL (MM_EINDEX/MM_ETYPE in mm_errmsg). */
MM_API mm_object *mm_tuple_get(mm_runtime *rt, mm_object *tuple, size_t i);

/* ---- list ---- */

/* Returns: new reference to a new empty list (list free list first); NULL on OOM. */
MM_API mm_object *mm_list_new(mm_runtime *rt);
MM_API size_t mm_list_len(const mm_object *list);
/* Append item (increfed). Errors: MM_ENOMEM (list unchanged), MM_ETYPE. */
MM_API int mm_list_append(mm_runtime *rt, mm_object *list, mm_object *item);
/* Append. Steals: item, on every path. Errors: MM_ENOMEM, MM_ETYPE, MM_EINVAL (NULL). */
MM_API int mm_list_append_steal(mm_runtime *rt, mm_object *list, mm_object *item);
/* Returns: new reference to item i, or NULL (index out of range or not a list). */
MM_API mm_object *mm_list_get(mm_runtime *rt, mm_object *list, size_t i);
/* list[i] = item; the old item is released after the store. Steals: item.
 * Errors: MM_EINDEX, MM_ETYPE. */
MM_API int mm_list_set_steal(mm_runtime *rt, mm_object *list, size_t i, mm_object *item);
/* Remove the first item identical to item (`is`). Errors: MM_EKEY (absent), MM_ETYPE. */
MM_API int mm_list_remove(mm_runtime *rt, mm_object *list, mm_object *item);
/* Remove item i and return it. Returns: new reference, or NULL (MM_EINDEX). */
MM_API mm_object *mm_list_pop(mm_runtime *rt, mm_object *list, size_t i);
/* Drop every item (list stays). Errors: MM_ETYPE. */
MM_API int mm_list_clear(mm_runtime *rt, mm_object *list);

/* ---- dict (insertion-ordered hash table; int and str keys hash by value, every
 * other key by identity) ---- */

/* Returns: new reference to a new empty dict (dict free list first; untracked until
 * a value that may be tracked is inserted); NULL on OOM. */
MM_API mm_object *mm_dict_new(mm_runtime *rt);
MM_API size_t mm_dict_len(const mm_object *dict);
/* d[key] = value (both increfed; a replaced value is released after the store).
 * Errors: MM_ENOMEM (dict unchanged), MM_ETYPE. */
MM_API int mm_dict_set(mm_runtime *rt, mm_object *dict, mm_object *key, mm_object *value);
/* As mm_dict_set. Steals: key and value, on every path. */
MM_API int mm_dict_set_steal(mm_runtime *rt, mm_object *dict, mm_object *key,
                             mm_object *value);
/* Returns: new reference to d[key], or NULL if absent (MM_EKEY) or not a dict. */
MM_API mm_object *mm_dict_get(mm_runtime *rt, mm_object *dict, mm_object *key);
/* del d[key]. Errors: MM_EKEY, MM_ETYPE. */
MM_API int mm_dict_del(mm_runtime *rt, mm_object *dict, mm_object *key);
/* Iterate in insertion order: start with *pos = 0; returns 1 and borrowed key/value
 * (valid until the dict is mutated) while items remain, then 0. */
MM_API int mm_dict_next(mm_object *dict, size_t *pos, mm_object **key, mm_object **value);

/* ---- classes and instances ---- */

typedef struct mm_class mm_class;

/* A finalizer: called with a borrowed reference to self (refcount >= 1). It may store
 * a new reference to self somewhere (resurrection). It must not decref self. */
typedef void (*mm_finalize_fn)(mm_runtime *rt, mm_object *self, void *arg);

typedef struct mm_class_spec {
    const char *name;          /* copied */
    uint32_t nslots;           /* fixed slots, like __slots__ (0..MM_CLASS_MAX_SLOTS) */
    int has_dict;              /* 1: instances carry an attribute dict (like __dict__) */
    int weakrefable;           /* 1: weak references allowed (like __weakref__) */
    mm_finalize_fn finalize;   /* PEP 442 __del__: run once, may resurrect; or NULL */
    mm_finalize_fn legacy_del; /* legacy tp_del: cycles holding it are uncollectable */
    void *arg;                 /* passed to finalize / legacy_del */
} mm_class_spec;

#define MM_CLASS_MAX_SLOTS 64

/* Define a class. The runtime owns it until destroy. *out is borrowed.
 * Errors: MM_EINVAL (bad spec, message names the field), MM_ENOMEM. */
MM_API int mm_class_new(mm_runtime *rt, const mm_class_spec *spec, mm_class **out);
MM_API const char *mm_class_name(const mm_class *cls);

/* Returns: new reference to a new instance (all slots empty), GC-tracked; NULL on OOM. */
MM_API mm_object *mm_instance_new(mm_runtime *rt, mm_class *cls);
MM_API mm_class *mm_instance_class(const mm_object *inst);
MM_API uint32_t mm_instance_nslots(const mm_object *inst);
/* Returns: new reference to slot i's value, or NULL if empty/out of range. */
MM_API mm_object *mm_instance_get_slot(mm_runtime *rt, mm_object *inst, uint32_t i);
/* inst.slot[i] = value (NULL empties it); old value released after the store.
 * Steals: value. Errors: MM_EINDEX, MM_ETYPE. */
MM_API int mm_instance_set_slot_steal(mm_runtime *rt, mm_object *inst, uint32_t i,
                                      mm_object *value);
/* Attribute dict access (class with has_dict). name is interned.
 * Errors: MM_ETYPE (no dict), MM_ENOMEM. */
MM_API int mm_instance_setattr(mm_runtime *rt, mm_object *inst, const char *name,
                               mm_object *value);
/* Returns: new reference or NULL (MM_EKEY) . */
MM_API mm_object *mm_instance_getattr(mm_runtime *rt, mm_object *inst, const char *name);
MM_API int mm_instance_delattr(mm_runtime *rt, mm_object *inst, const char *name);

/* ---- copy ---- */

/* copy.copy(op): a new list/dict/instance holding the same references; tuples and
 * atoms are returned as they are. Returns: new reference, NULL on OOM. */
MM_API mm_object *mm_copy(mm_runtime *rt, mm_object *op);
/* copy.deepcopy(op) with a memo table: every list, dict, tuple and instance reachable
 * from op is copied once (shared substructures stay shared, cycles keep their shape);
 * atoms, weakrefs and generators are shared. Iterative: depth is not stack depth
 * (except tuples nested directly in tuples). Returns: new reference, NULL on OOM. */
MM_API mm_object *mm_deepcopy(mm_runtime *rt, mm_object *op);

/* Identity and value equality for the hashable atoms (int, float, str); identity for
 * the rest. */
MM_API int mm_object_equal(const mm_object *a, const mm_object *b);

#ifdef __cplusplus
}
#endif
#endif
