/* Core object types: None, int, float, str, tuple, list, dict, classes and instances,
 * copies. Design: docs/design/object-model.md (copies: docs/design/generators.md, "Copy
 * and deepcopy"). Object parameters are borrowed unless a comment says Steals.
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

/* None.
 * Returns: new reference to the runtime's None singleton, never NULL (the runtime holds
 *          its own reference until mm_runtime_destroy).
 * Errors:  none. */
MM_API mm_object *mm_none(mm_runtime *rt);

/* ---- int ---- */

/* An int.
 * Returns: new reference; values -5..256 are the runtime's cached objects (identity
 *          equal, never NULL); NULL on out-of-memory.
 * Errors:  MM_ENOMEM (NULL returned; detail in mm_errmsg). */
MM_API mm_object *mm_int_new(mm_runtime *rt, int64_t value);
/* The value of an int.
 * Returns: no reference; *out = the value.
 * Errors:  MM_ETYPE (op NULL or not an int; *out unchanged, mm_errmsg not updated). */
MM_API int mm_int_value(const mm_object *op, int64_t *out);

/* ---- float ---- */

/* A float (from the float free list when possible).
 * Returns: new reference; NULL on out-of-memory.
 * Errors:  MM_ENOMEM (NULL returned; detail in mm_errmsg). */
MM_API mm_object *mm_float_new(mm_runtime *rt, double value);
/* The value of a float (an int is not converted).
 * Returns: no reference; *out = the value.
 * Errors:  MM_ETYPE (op NULL or not a float; *out unchanged, mm_errmsg not updated). */
MM_API int mm_float_value(const mm_object *op, double *out);

/* ---- str ---- */

/* A new str holding a copy of the nbytes bytes at data (which may contain NULs, and may
 * be NULL when nbytes is 0); the copy is NUL-terminated. Never interned.
 * Returns: new reference; NULL on error.
 * Errors:  MM_ENOMEM, MM_EINVAL (data NULL with nbytes > 0); NULL returned, detail in
 *          mm_errmsg. */
MM_API mm_object *mm_str_new(mm_runtime *rt, const char *data, size_t nbytes);
/* The interned string equal to the NUL-terminated text (created and interned on first
 * use). As in CPython 3.10+, the intern table's own references are not counted: a fresh
 * interned string has refcount 1, and it leaves the table when its last reference goes.
 * Returns: new reference (the same object for equal texts while it is alive); NULL on
 *          error.
 * Errors:  MM_ENOMEM, MM_EINVAL (text NULL); NULL returned, detail in mm_errmsg. */
MM_API mm_object *mm_str_intern(mm_runtime *rt, const char *text);
/* The bytes of a str, NUL-terminated; *nbytes (nbytes may be NULL) = their number.
 * Returns: no reference; a pointer into op, borrowed, valid while op is alive (as long as
 *          the caller holds its reference to op); NULL if op is NULL or not a str.
 * Errors:  none (NULL for a non-str; *nbytes then unchanged). */
MM_API const char *mm_str_data(const mm_object *op, size_t *nbytes);

/* ---- tuple ---- */

/* A tuple of the n objects at items (the tuple takes its own reference to each),
 * GC-tracked; a fresh allocation may run a collection. n == 0 gives the empty-tuple
 * singleton (items may then be NULL).
 * Returns: new reference; NULL on error.
 * Errors:  MM_ENOMEM, MM_EINVAL (items NULL or an item NULL; nothing taken); NULL
 *          returned, detail in mm_errmsg. */
MM_API mm_object *mm_tuple_pack(mm_runtime *rt, size_t n, mm_object *const *items);
/* len(tuple).
 * Returns: no reference; the number of items, 0 when tuple is NULL or not a tuple.
 * Errors:  none. */
MM_API size_t mm_tuple_len(const mm_object *tuple);
/* tuple[i].
 * Returns: new reference to item i; NULL on error.
 * Errors:  MM_ETYPE (not a tuple), MM_EINDEX (i >= length); NULL returned, detail in
 *          mm_errmsg. */
MM_API mm_object *mm_tuple_get(mm_runtime *rt, mm_object *tuple, size_t i);

/* ---- list ---- */

/* A new empty list (list free list first), GC-tracked; a fresh allocation may run a
 * collection.
 * Returns: new reference; NULL on out-of-memory.
 * Errors:  MM_ENOMEM (NULL returned; detail in mm_errmsg). */
MM_API mm_object *mm_list_new(mm_runtime *rt);
/* len(list).
 * Returns: no reference; the number of items, 0 when list is NULL or not a list.
 * Errors:  none. */
MM_API size_t mm_list_len(const mm_object *list);
/* list.append(item); the list takes its own reference (item stays the caller's).
 * Errors:  MM_ENOMEM (list unchanged), MM_ETYPE (not a list), MM_EINVAL (item NULL). */
MM_API int mm_list_append(mm_runtime *rt, mm_object *list, mm_object *item);
/* list.append(item), handing the caller's reference to the list.
 * Steals:  item, on every path (also on error; a NULL item is MM_EINVAL).
 * Errors:  MM_ENOMEM (list unchanged), MM_ETYPE (not a list), MM_EINVAL (item NULL). */
MM_API int mm_list_append_steal(mm_runtime *rt, mm_object *list, mm_object *item);
/* list[i].
 * Returns: new reference to item i; NULL on error.
 * Errors:  MM_ETYPE (not a list), MM_EINDEX (i >= length); NULL returned, detail in
 *          mm_errmsg. */
MM_API mm_object *mm_list_get(mm_runtime *rt, mm_object *list, size_t i);
/* list[i] = item; the old item is released after the store (and may be freed then).
 * Steals:  item, on every path (also on error).
 * Errors:  MM_EINDEX (i >= length), MM_ETYPE (not a list), MM_EINVAL (item NULL). */
MM_API int mm_list_set_steal(mm_runtime *rt, mm_object *list, size_t i, mm_object *item);
/* Remove the first item identical to item (`is`, not ==) and release the list's
 * reference to it (the caller's reference to item is untouched).
 * Errors:  MM_EKEY (absent), MM_ETYPE (not a list). */
MM_API int mm_list_remove(mm_runtime *rt, mm_object *list, mm_object *item);
/* list.pop(i): remove item i; the later items move down.
 * Returns: new reference (the list's, handed over); NULL on error.
 * Errors:  MM_ETYPE (not a list), MM_EINDEX (i >= length); NULL returned, detail in
 *          mm_errmsg. */
MM_API mm_object *mm_list_pop(mm_runtime *rt, mm_object *list, size_t i);
/* list.clear(): the items are released last to first (and may be freed); the list
 * stays.
 * Errors:  MM_ETYPE (not a list). */
MM_API int mm_list_clear(mm_runtime *rt, mm_object *list);

/* ---- dict (insertion-ordered hash table; int, float and str keys compare by value,
 * 1 == 1.0 as in Python, every other key by identity) ---- */

/* A new empty dict (dict free list first). It stays untracked until a key or value that
 * may be tracked is inserted; a fresh allocation may run a collection.
 * Returns: new reference; NULL on out-of-memory.
 * Errors:  MM_ENOMEM (NULL returned; detail in mm_errmsg). */
MM_API mm_object *mm_dict_new(mm_runtime *rt);
/* len(dict).
 * Returns: no reference; the number of entries, 0 when dict is NULL or not a dict.
 * Errors:  none. */
MM_API size_t mm_dict_len(const mm_object *dict);
/* d[key] = value; the dict takes its own references (key and value stay the caller's).
 * When an equal key is present it is kept and only the value replaced; the replaced
 * value is released after the store.
 * Errors:  MM_ENOMEM (dict unchanged), MM_ETYPE (not a dict), MM_EINVAL (key or value
 *          NULL). */
MM_API int mm_dict_set(mm_runtime *rt, mm_object *dict, mm_object *key, mm_object *value);
/* As mm_dict_set, handing the caller's references to the dict (when an equal key is
 * present, the key passed is released).
 * Steals:  key and value, on every path (also on error, also when one is NULL).
 * Errors:  as mm_dict_set. */
MM_API int mm_dict_set_steal(mm_runtime *rt, mm_object *dict, mm_object *key,
                             mm_object *value);
/* d[key].
 * Returns: new reference to the value; NULL on error.
 * Errors:  MM_EKEY (absent), MM_ETYPE (not a dict); NULL returned, detail in mm_errmsg
 *          (a NULL key gives NULL with nothing recorded). */
MM_API mm_object *mm_dict_get(mm_runtime *rt, mm_object *dict, mm_object *key);
/* del d[key]: the entry's key and value are released (and may be freed).
 * Errors:  MM_EKEY (absent, or key NULL), MM_ETYPE (not a dict). */
MM_API int mm_dict_del(mm_runtime *rt, mm_object *dict, mm_object *key);
/* Iterate in insertion order: start with *pos = 0; each call stores the next entry in
 * *key and *value (either may be NULL) and advances *pos. Deleting entries meanwhile is
 * safe; an insertion may rebuild the table, after which *pos means nothing. It borrows
 * (style.md rule 12) as PyDict_Next does: a walk of a dict, such as deepcopy's, would
 * otherwise pay an incref and a decref per entry. Works on a poisoned runtime.
 * Returns: 1 with borrowed references in *key and *value, 0 when no entry remains (or
 *          dict is not a dict). The borrows last while the dict holds them: *value until
 *          that entry is deleted or its value replaced, *key until the entry is deleted,
 *          both until the dict is cleared (by the collector too) or freed. Any decref,
 *          collection or generator step that runs a finalizer may do that.
 * Errors:  none. */
MM_API int mm_dict_next_borrow(mm_runtime *rt, mm_object *dict, size_t *pos,
                               mm_object **key, mm_object **value);

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

/* Define a class from spec (spec and its name are copied).
 * Returns: *out = the class, borrowed: classes are not objects and have no refcount, the
 *          runtime owns it until mm_runtime_destroy; *out = NULL on error.
 * Errors:  MM_EINVAL (spec NULL, empty name, nslots > MM_CLASS_MAX_SLOTS; the message
 *          names the field), MM_ENOMEM. */
MM_API int mm_class_new(mm_runtime *rt, const mm_class_spec *spec, mm_class **out);
/* The class's name.
 * Returns: the class's own copy, valid until mm_runtime_destroy. */
MM_API const char *mm_class_name(const mm_class *cls);

/* A new instance of cls (every slot empty, no attribute dict yet), GC-tracked; the GC
 * allocation may run a collection.
 * Returns: new reference; NULL on out-of-memory.
 * Errors:  MM_ENOMEM (NULL returned; detail in mm_errmsg). */
MM_API mm_object *mm_instance_new(mm_runtime *rt, mm_class *cls);
/* The class of an instance.
 * Returns: no reference; the class (the runtime owns it until mm_runtime_destroy), or
 *          NULL when inst is NULL or not an instance.
 * Errors:  none. */
MM_API mm_class *mm_instance_class(const mm_object *inst);
/* The number of fixed slots of inst's class.
 * Returns: no reference; nslots, 0 when inst is NULL or not an instance.
 * Errors:  none. */
MM_API uint32_t mm_instance_nslots(const mm_object *inst);
/* inst.slot[i].
 * Returns: new reference to the slot's value; NULL when the slot is empty (nothing
 *          recorded) or on error.
 * Errors:  MM_ETYPE (not an instance), MM_EINDEX (i >= nslots); NULL returned, detail in
 *          mm_errmsg. */
MM_API mm_object *mm_instance_get_slot(mm_runtime *rt, mm_object *inst, uint32_t i);
/* inst.slot[i] = value (NULL empties the slot); the old value is released after the
 * store (and may be freed then).
 * Steals:  value, on every path (also on error).
 * Errors:  MM_ETYPE (not an instance), MM_EINDEX (i >= nslots). */
MM_API int mm_instance_set_slot_steal(mm_runtime *rt, mm_object *inst, uint32_t i,
                                      mm_object *value);
/* inst.name = value, in the attribute dict (created on first use) of a class with
 * has_dict; name is interned. The dict takes its own reference to value (value stays the
 * caller's); a replaced value is released after the store.
 * Errors:  MM_ETYPE (inst not an instance, or its class has no dict), MM_ENOMEM (the
 *          dict, interning name, or the store), MM_EINVAL (name or value NULL). */
MM_API int mm_instance_setattr(mm_runtime *rt, mm_object *inst, const char *name,
                               mm_object *value);
/* inst.name, from the attribute dict (name is interned for the lookup).
 * Returns: new reference to the value; NULL on error.
 * Errors:  MM_EKEY (no such attribute; also when inst is not an instance or has no
 *          attribute dict), MM_EINVAL (name NULL, inst having a dict), MM_ENOMEM
 *          (interning name); NULL returned, detail in mm_errmsg. */
MM_API mm_object *mm_instance_getattr(mm_runtime *rt, mm_object *inst, const char *name);
/* del inst.name: the entry's key and value are released (and may be freed).
 * Errors:  MM_EKEY (no such attribute; also when inst is not an instance or has no
 *          attribute dict), MM_EINVAL (name NULL), MM_ENOMEM (interning name). */
MM_API int mm_instance_delattr(mm_runtime *rt, mm_object *inst, const char *name);

/* ---- copy ---- */

/* copy.copy(op): a new list, dict or instance (same class and slots, a new attribute
 * dict) holding the same references; any other object (tuple, atom, weakref, generator)
 * is returned as it is. op must not be NULL.
 * Returns: new reference (to the copy, or to op itself); NULL on out-of-memory.
 * Errors:  MM_ENOMEM (NULL returned, nothing leaked; detail in mm_errmsg). */
MM_API mm_object *mm_copy(mm_runtime *rt, mm_object *op);
/* copy.deepcopy(op) with a memo table: every list, dict, tuple and instance reachable
 * from op is copied once (shared substructures stay shared, cycles keep their shape);
 * atoms, weakrefs and generators are shared. Iterative: depth is not stack depth
 * (except tuples nested directly in tuples). op must not be NULL.
 * Returns: new reference; NULL on out-of-memory.
 * Errors:  MM_ENOMEM (NULL returned, nothing leaked; detail in mm_errmsg). */
MM_API mm_object *mm_deepcopy(mm_runtime *rt, mm_object *op);

/* a == b: int, float and str compare by value (1 == 1.0, as in Python), every other
 * object by identity. Neither may be NULL.
 * Returns: no reference; 1 if equal, else 0.
 * Errors:  none. */
MM_API int mm_object_equal(const mm_object *a, const mm_object *b);

#ifdef __cplusplus
}
#endif
#endif
