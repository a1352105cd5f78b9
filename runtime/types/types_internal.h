/* Per-runtime state of the built-in types: singletons, caches, free lists, classes,
 * and the object layouts the collector and other types need.
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#ifndef MMI_TYPES_INTERNAL_H
#define MMI_TYPES_INTERNAL_H
#ifndef MMI_BUILDING_RUNTIME
#error "types/types_internal.h is internal to libmm"
#endif

#include "object_internal.h"

/* The small-int range and the free-list caps are in tunables.h. */

/* One generic LIFO free list: a cap and counters; a type only declares its cap
 * (style.md rule 33). Items are linked through their first pointer-sized word after
 * the object header's refcount (the type field), which a dead object does not need. */
typedef struct mmi_freelist {
    void *head;
    uint32_t n;
    uint32_t cap;
    uint64_t pushes, pops, drops, clears;
} mmi_freelist;
/* How many free lists a runtime has: float, list, dict, dict keys, and the tuples'. */
#define MMI_FREELIST_KINDS (4 + MMI_TUPLE_FREELIST_LENGTHS)

/* ---- Object layouts ---- */

typedef struct mmi_int {
    mm_object ob;
    int64_t value;
} mmi_int;

typedef struct mmi_float {
    mm_object ob;
    double value;
} mmi_float;

typedef struct mmi_str {
    mm_object ob;
    size_t len;
    uint64_t hash;
    int interned;
    char data[];
} mmi_str;

typedef struct mmi_tuple {
    mm_object ob;
    size_t n;
    mm_object *items[];
} mmi_tuple;

typedef struct mmi_list {
    mm_object ob;
    size_t n;
    size_t cap;
    mm_object **items;
} mmi_list;

typedef struct mmi_dict_entry {
    uint64_t hash;
    mm_object *key;   /* NULL: deleted entry */
    mm_object *value;
} mmi_dict_entry;

/* Keys table: an index of nslots (power of two) int32 slots (-1 empty, -2 dummy) and an
 * entries array of 2/3 * nslots, in insertion order. */
typedef struct mmi_dict_keys {
    size_t nslots;
    size_t nentries; /* used entries, deleted ones included */
    size_t usable;   /* entries still free */
    int str_only;    /* every key ever inserted is a str (keys free list eligibility) */
    mmi_dict_entry *entries; /* inside the same block, after index[] */
    int32_t index[];
} mmi_dict_keys;

typedef struct mmi_dict {
    mm_object ob;
    size_t used;
    mmi_dict_keys *keys;
} mmi_dict;

struct mm_class {
    mm_type type; /* instances' type: must stay first */
    struct mm_class *next;
    mm_class_spec spec;
    char *name;
    size_t slots_offset;
    size_t dict_offset;     /* 0: no attribute dict */
};

typedef struct mmi_instance {
    mm_object ob;
    /* then: mm_object *slots[nslots]; [mm_object *dict]; [mm_object *weaklist] */
} mmi_instance;

typedef struct mmi_types_state {
    mm_object *none;
    mm_object *empty_tuple;
    mm_object *small_ints[MMI_SMALLINT_MAX - MMI_SMALLINT_MIN + 1];
    mm_object *interned; /* dict str -> str; holds a reference to each */
    struct mm_class *classes; /* classes owned by the runtime */
    int freelists_on;
    mmi_freelist fl_float, fl_list, fl_dict, fl_dict_keys;
    mmi_freelist fl_tuple[MMI_TUPLE_FREELIST_LENGTHS];
    int64_t baseline_objects; /* objects the runtime itself holds after init */
} mmi_types_state;

/* ---- Type objects ---- */
MMI_INTERNAL extern const mm_type mmi_int_type;
MMI_INTERNAL extern const mm_type mmi_float_type;
MMI_INTERNAL extern const mm_type mmi_str_type;
/* Teardown: the intern table's uncounted references count again (str.c). */
MMI_INTERNAL void mmi_str_interned_fini(mm_runtime *rt);
MMI_INTERNAL extern const mm_type mmi_tuple_type;
MMI_INTERNAL extern const mm_type mmi_list_type;
MMI_INTERNAL extern const mm_type mmi_dict_type;
MMI_INTERNAL extern const mm_type mmi_none_type;

static inline int
mmi_is_type(const mm_object *op, const mm_type *t)
{
    return op && op->type == t;
}

MMI_INTERNAL int mmi_types_init(mm_runtime *rt);
MMI_INTERNAL void mmi_types_fini(mm_runtime *rt);

/* ---- Free lists (freelist.c) ---- */
MMI_INTERNAL void mmi_freelist_init(mmi_freelist *fl, uint32_t cap);
/* Push a dead object's memory; returns 0 when full or disabled (caller frees it). */
MMI_INTERNAL int mmi_freelist_push(mm_runtime *rt, mmi_freelist *fl, void *mem);
/* Pop memory, or NULL when empty or disabled. */
MMI_INTERNAL void *mmi_freelist_pop(mm_runtime *rt, mmi_freelist *fl);
/* Empty every per-type free list (full collections, destroy); parked lists too. */
MMI_INTERNAL void mmi_freelists_clear(mm_runtime *rt);
/* Poisoning: set every free list aside in rt->parked_freelists (O(1) each: nothing is
 * freed or walked) and stop filling them, so constructors, which pop without checking,
 * reach the allocator, which refuses. mmi_freelists_clear frees the parked memory. */
MMI_INTERNAL void mmi_freelists_park(mm_runtime *rt);

/* ---- Helpers the collector and other types use ---- */
MMI_INTERNAL uint64_t mmi_object_hash(const mm_object *op);
/* May t be untracked: every item non-NULL and not possibly tracked (CPython 4.2)? The
 * collector untracks such tuples as it commits survivors (gc/collect.c). */
MMI_INTERNAL int mmi_tuple_can_untrack(const mm_object *t);
/* Untrack d if no key or value may be tracked (full collections only). */
MMI_INTERNAL void mmi_dict_maybe_untrack(mm_runtime *rt, mm_object *d);
MMI_INTERNAL mm_object *mmi_tuple_alloc(mm_runtime *rt, size_t n);
MMI_INTERNAL void mmi_dict_keys_free(mm_runtime *rt, mmi_dict_keys *k);
/* del d[key] without the poisoned-runtime refusal of mm_dict_del: for deallocation
 * (an interned str leaving the table), which must keep working. Errors as mm_dict_del. */
MMI_INTERNAL int mmi_dict_del(mm_runtime *rt, mm_object *dict, mm_object *key);
/* Releases the memory of a dead GC object of a fixed-size type. */
MMI_INTERNAL void mmi_gc_object_free(mm_runtime *rt, mm_object *op, size_t nbytes);
/* Shared dealloc for class instances and their finalizer protocol (instance.c). */
MMI_INTERNAL int mmi_instance_call_finalizer(mm_runtime *rt, mm_object *op);

#endif
