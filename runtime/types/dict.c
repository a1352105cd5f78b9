/* dict: insertion-ordered hash tables (an index of slots into a dense entries array),
 * untracked until a key or value that may be tracked is inserted, with CPython 3.11's
 * dict and keys free lists (80 each). Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "runtime_internal.h"

#define IX_EMPTY (-1)
#define IX_DUMMY (-2)

/* ---- Keys tables ---- */

static size_t
keys_usable(size_t nslots)
{
    return (nslots << 1) / 3;
}

static size_t
keys_nbytes(size_t nslots)
{
    return sizeof(mmi_dict_keys) + nslots * sizeof(int32_t) +
           keys_usable(nslots) * sizeof(mmi_dict_entry);
}

static mmi_dict_keys *
keys_new(mm_runtime *rt, size_t nslots)
{
    mmi_dict_keys *k = NULL;
    if (nslots == MMI_DICT_MIN_SLOTS)
        k = mmi_freelist_pop(rt, &rt->types.fl_dict_keys);
    if (!k)
        k = mmi_mem_alloc(rt, keys_nbytes(nslots), MM_T_DICT);
    if (!k)
        return NULL;
    k->nslots = nslots;
    k->nentries = 0;
    k->usable = keys_usable(nslots);
    k->str_only = 1;
    k->entries = (mmi_dict_entry *)((char *)k + sizeof(mmi_dict_keys) +
                                    nslots * sizeof(int32_t));
    for (size_t i = 0; i < nslots; i++)
        k->index[i] = IX_EMPTY;
    return k;
}

void
mmi_dict_keys_free(mm_runtime *rt, mmi_dict_keys *k)
{
    mmi_mem_free(rt, k, keys_nbytes(k->nslots), MM_T_DICT);
}

/* Release a detached keys table: every key and value, first to last. */
static void
keys_release(mm_runtime *rt, mmi_dict_keys *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->nentries; i++) {
        mm_xdecref(rt, k->entries[i].key);
        mm_xdecref(rt, k->entries[i].value);
    }
    if (!(k->nslots == MMI_DICT_MIN_SLOTS && k->str_only &&
          mmi_freelist_push(rt, &rt->types.fl_dict_keys, k)))
        mmi_dict_keys_free(rt, k);
}

/* Slot of key in the index, or of the first free slot on its probe path. */
static size_t
keys_probe(const mmi_dict_keys *k, const mm_object *key, uint64_t hash, int *found)
{
    size_t mask = k->nslots - 1, i = (size_t)hash & mask, perturb = (size_t)hash;
    size_t first_free = (size_t)-1;
    for (;;) {
        int32_t ix = k->index[i];
        if (ix == IX_EMPTY) {
            *found = 0;
            return first_free != (size_t)-1 ? first_free : i;
        }
        if (ix == IX_DUMMY) {
            if (first_free == (size_t)-1)
                first_free = i;
        } else {
            const mmi_dict_entry *e = &k->entries[ix];
            if (e->hash == hash && mm_object_equal(e->key, key)) {
                *found = 1;
                return i;
            }
        }
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* Rebuild into a table sized for `used` live entries (CPython's GROWTH_RATE used*3). */
static int
dict_resize(mm_runtime *rt, mmi_dict *d)
{
    size_t want = d->used * MMI_DICT_GROWTH_RATE, nslots = MMI_DICT_MIN_SLOTS;
    mmi_dict_keys *old = d->keys, *k;
    while (nslots < want)
        nslots <<= 1;
    k = keys_new(rt, nslots);
    if (!k)
        return MM_ENOMEM;
    k->str_only = old ? old->str_only : 1;
    for (size_t i = 0; old && i < old->nentries; i++) {
        mmi_dict_entry *e = &old->entries[i];
        int found;
        size_t slot;
        if (!e->key)
            continue;
        slot = keys_probe(k, e->key, e->hash, &found);
        k->index[slot] = (int32_t)k->nentries;
        k->entries[k->nentries++] = *e;
        k->usable--;
    }
    if (old) {
        old->nentries = 0; /* entries moved, nothing to release */
        keys_release(rt, old);
    }
    d->keys = k;
    return MM_OK;
}

/* ---- The type ---- */

static void
dict_dealloc(mm_runtime *rt, mm_object *op)
{
    mmi_dict *d = (mmi_dict *)op;
    mmi_dict_keys *k = d->keys;
    mmi_gc_untrack(rt, op);
    d->keys = NULL;
    d->used = 0;
    keys_release(rt, k);
    mmi_object_count_free(rt, op->type, sizeof(mmi_dict));
    if (!mmi_freelist_push(rt, &rt->types.fl_dict, op))
        mmi_gc_free(rt, op, sizeof(mmi_dict), MM_T_DICT);
}

static int
dict_traverse(mm_object *op, mmi_visit_fn visit, void *arg)
{
    mmi_dict_keys *k = ((mmi_dict *)op)->keys;
    for (size_t i = 0; k && i < k->nentries; i++) {
        mmi_dict_entry *e = &k->entries[i];
        int rc;
        if (!e->key)
            continue;
        if ((rc = visit(e->value, arg)) != 0) /* value first, then key, as CPython */
            return rc;
        if (mmi_is_gc(e->key) && (rc = visit(e->key, arg)) != 0)
            return rc;
    }
    return 0;
}

static void
dict_clear_items(mm_runtime *rt, mm_object *op)
{
    mmi_dict *d = (mmi_dict *)op;
    mmi_dict_keys *k = d->keys;
    d->keys = NULL;
    d->used = 0;
    keys_release(rt, k);
}

const mm_type mmi_dict_type = {
    .name = "dict",
    .id = MM_T_DICT,
    .flags = MMI_TF_GC | MMI_TF_TRASHCAN,
    .basic_size = sizeof(mmi_dict),
    .dealloc = dict_dealloc,
    .traverse = dict_traverse,
    .clear = dict_clear_items,
};

mm_object *
mm_dict_new(mm_runtime *rt)
{
    mmi_dict *d = mmi_freelist_pop(rt, &rt->types.fl_dict);
    if (!d) {
        d = (mmi_dict *)mmi_gc_alloc(rt, sizeof(mmi_dict), MM_T_DICT);
        if (!d)
            return NULL;
    }
    d->ob.refcnt = 1;
    d->ob.type = &mmi_dict_type;
    d->used = 0;
    d->keys = NULL; /* like CPython's shared empty keys: no table until
                     * the first insert */
    mmi_object_count_new(rt, &mmi_dict_type, sizeof(mmi_dict));
    return &d->ob;
}

static mmi_dict *
as_dict(mm_runtime *rt, mm_object *op, const char *fn)
{
    if (!mmi_is_type(op, &mmi_dict_type)) {
        mmi_error_set(rt, MM_ETYPE, "%s: not a dict", fn);
        return NULL;
    }
    return (mmi_dict *)op;
}

size_t
mm_dict_len(const mm_object *dict)
{
    return mmi_is_type(dict, &mmi_dict_type) ? ((const mmi_dict *)dict)->used : 0;
}

/* Insert or replace; steals key and value on success only. */
static int
dict_insert(mm_runtime *rt, mmi_dict *d, mm_object *key, mm_object *value)
{
    uint64_t hash = mmi_object_hash(key);
    int found = 0;
    size_t slot = 0;
    if (d->keys)
        slot = keys_probe(d->keys, key, hash, &found);
    if (found) {
        mmi_dict_entry *e = &d->keys->entries[d->keys->index[slot]];
        mm_object *old = e->value;
        e->value = value;
        mm_decref(rt, key);
        mm_decref(rt, old);
        return MM_OK;
    }
    if (!d->keys || d->keys->usable == 0) { /* insertion_resize: sized for used * 3 */
        int rc = dict_resize(rt, d);
        if (rc != MM_OK)
            return rc;
    }
    slot = keys_probe(d->keys, key, hash, &found);
    d->keys->index[slot] = (int32_t)d->keys->nentries;
    d->keys->entries[d->keys->nentries++] = (mmi_dict_entry){ hash, key, value };
    d->keys->usable--;
    if (key->type != &mmi_str_type)
        d->keys->str_only = 0;
    d->used++;
    return MM_OK;
}

/* mm_dict_set_steal past the poisoned-runtime test. */
static int
dict_set_steal(mm_runtime *rt, mm_object *dict, mm_object *key, mm_object *value)
{
    mmi_dict *d;
    int rc = MM_OK;
    if (!key || !value)
        rc = mmi_error_set(rt, MM_EINVAL, "mm_dict_set: NULL key or value");
    else if (!(d = as_dict(rt, dict, "mm_dict_set")))
        rc = MM_ETYPE;
    else {
        /* MAINTAIN_TRACKING: track once something that may be tracked goes in. */
        int track = !mmi_gc_tracked(dict) &&
                    (mmi_may_be_tracked(key) || mmi_may_be_tracked(value));
        rc = dict_insert(rt, d, key, value);
        if (rc == MM_OK) {
            if (track)
                mmi_gc_track(rt, dict);
            return MM_OK;
        }
    }
    mm_xdecref(rt, key);
    mm_xdecref(rt, value);
    return rc;
}

int
mm_dict_set_steal(mm_runtime *rt, mm_object *dict, mm_object *key, mm_object *value)
{
    if (MMI_POISONED(rt)) { /* refused, but stolen all the same */
        mm_xdecref(rt, key);
        mm_xdecref(rt, value);
        return mmi_poisoned_refuse(rt, "mm_dict_set");
    }
    return dict_set_steal(rt, dict, key, value);
}

int
mm_dict_set(mm_runtime *rt, mm_object *dict, mm_object *key, mm_object *value)
{
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_dict_set");
    if (!key || !value)
        return mmi_error_set(rt, MM_EINVAL, "mm_dict_set: NULL key or value");
    return dict_set_steal(rt, dict, mm_incref(rt, key), mm_incref(rt, value));
}

mm_object *
mm_dict_get(mm_runtime *rt, mm_object *dict, mm_object *key)
{
    mmi_dict *d = as_dict(rt, dict, "mm_dict_get");
    int found = 0;
    size_t slot;
    if (!d || !key)
        return NULL;
    if (d->keys) {
        slot = keys_probe(d->keys, key, mmi_object_hash(key), &found);
        if (found)
            return mm_incref(rt, d->keys->entries[d->keys->index[slot]].value);
    }
    mmi_error_set(rt, MM_EKEY, "mm_dict_get: key not found");
    return NULL;
}

int
mm_dict_del(mm_runtime *rt, mm_object *dict, mm_object *key)
{
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_dict_del");
    return mmi_dict_del(rt, dict, key);
}

int
mmi_dict_del(mm_runtime *rt, mm_object *dict, mm_object *key)
{
    mmi_dict *d = as_dict(rt, dict, "mm_dict_del");
    int found = 0;
    size_t slot;
    mmi_dict_entry *e;
    mm_object *k, *v;
    if (!d)
        return MM_ETYPE;
    if (key && d->keys)
        slot = keys_probe(d->keys, key, mmi_object_hash(key), &found);
    if (!found)
        return mmi_error_set(rt, MM_EKEY, "mm_dict_del: key not found");
    e = &d->keys->entries[d->keys->index[slot]];
    d->keys->index[slot] = IX_DUMMY;
    k = e->key;
    v = e->value;
    e->key = e->value = NULL;
    d->used--;
    mm_decref(rt, k);
    mm_decref(rt, v);
    return MM_OK;
}

int
mm_dict_next_borrow(mm_runtime *rt, mm_object *dict, size_t *pos, mm_object **key,
                    mm_object **value)
{
    mmi_dict_keys *k;
    (void)rt;
    if (!mmi_is_type(dict, &mmi_dict_type))
        return 0;
    k = ((mmi_dict *)dict)->keys;
    while (k && *pos < k->nentries) {
        mmi_dict_entry *e = &k->entries[(*pos)++];
        if (e->key) {
            if (key)
                *key = e->key;
            if (value)
                *value = e->value;
            return 1;
        }
    }
    return 0;
}

void
mmi_dict_maybe_untrack(mm_runtime *rt, mm_object *op)
{
    mmi_dict_keys *k = ((mmi_dict *)op)->keys;
    for (size_t i = 0; k && i < k->nentries; i++) {
        mmi_dict_entry *e = &k->entries[i];
        if (e->key && (mmi_may_be_tracked(e->key) || mmi_may_be_tracked(e->value)))
            return;
    }
    mmi_gc_untrack(rt, op);
}
