/* str: immutable byte strings with a cached hash, and the interning table.
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "runtime_internal.h"

static size_t
str_nbytes(size_t len)
{
    return sizeof(mmi_str) + len + 1;
}

static void
str_dealloc(mm_runtime *rt, mm_object *op)
{
    size_t n = str_nbytes(((mmi_str *)op)->len);
    if (((mmi_str *)op)->interned) { /* out of the table, whose two references were not
                                        counted: give them back for the deletion */
        op->refcnt = 3;
        mmi_dict_del(rt, rt->types.interned, op); /* also when poisoned */
        op->refcnt = 0;
    }
    mmi_object_count_free(rt, op->type, n);
    mmi_mem_free(rt, op, n, MM_T_STR);
}

const mm_type mmi_str_type = {
    .name = "str",
    .id = MM_T_STR,
    .basic_size = sizeof(mmi_str),
    .dealloc = str_dealloc,
};

/* FNV-1a, 64-bit. */
static uint64_t
str_hash_bytes(const char *data, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)data[i];
        h *= 0x100000001b3u;
    }
    return h;
}

mm_object *
mm_str_new(mm_runtime *rt, const char *data, size_t nbytes)
{
    size_t n = str_nbytes(nbytes);
    mmi_str *s;
    if (!data && nbytes) {
        mmi_error_set(rt, MM_EINVAL, "mm_str_new: NULL data");
        return NULL;
    }
    s = mmi_mem_alloc(rt, n, MM_T_STR);
    if (!s)
        return NULL;
    s->ob.refcnt = 1;
    s->ob.type = &mmi_str_type;
    s->len = nbytes;
    s->hash = str_hash_bytes(data, nbytes);
    s->interned = 0;
    if (nbytes)
        memcpy(s->data, data, nbytes);
    s->data[nbytes] = '\0';
    mmi_object_count_new(rt, &mmi_str_type, n);
    return &s->ob;
}

const char *
mm_str_data(const mm_object *op, size_t *nbytes)
{
    const mmi_str *s = (const mmi_str *)op;
    if (!mmi_is_type(op, &mmi_str_type))
        return NULL;
    if (nbytes)
        *nbytes = s->len;
    return s->data;
}

/* Runtime teardown: the table's references count again, so releasing it frees what
 * nothing else holds. */
void
mmi_str_interned_fini(mm_runtime *rt)
{
    size_t pos = 0;
    mm_object *k, *v;
    while (rt->types.interned &&
           mm_dict_next_borrow(rt, rt->types.interned, &pos, &k, &v)) {
        k->refcnt += 2;
        ((mmi_str *)k)->interned = 0;
    }
}

mm_object *
mm_str_intern(mm_runtime *rt, const char *text)
{
    mm_object *s, *found;
    if (!text) {
        mmi_error_set(rt, MM_EINVAL, "mm_str_intern: NULL text");
        return NULL;
    }
    s = mm_str_new(rt, text, strlen(text));
    if (!s)
        return NULL;
    found = mm_dict_get(rt, rt->types.interned, s);
    if (found) {
        mm_decref(rt, s);
        return found;
    }
    if (mm_dict_set(rt, rt->types.interned, s, s) != MM_OK) {
        mm_decref(rt, s);
        return NULL;
    }
    /* As CPython 3.10+: the table's key and value references are not counted, so an
     * interned string dies with its last outside reference (str_dealloc removes it). */
    s->refcnt -= 2;
    ((mmi_str *)s)->interned = 1;
    return s;
}

uint64_t
mmi_object_hash(const mm_object *op)
{
    if (op->type == &mmi_str_type)
        return ((const mmi_str *)op)->hash;
    if (op->type == &mmi_int_type)
        return (uint64_t)((const mmi_int *)op)->value;
    if (op->type == &mmi_float_type) {
        double d = ((const mmi_float *)op)->value;
        int64_t i = (int64_t)d;
        if ((double)i == d)
            return (uint64_t)i; /* 1.0 == 1: same hash, as Python */
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return bits ^ (bits >> 29);
    }
    return (uint64_t)(uintptr_t)op >> 4;
}

int
mm_object_equal(const mm_object *a, const mm_object *b)
{
    if (a == b)
        return 1;
    if (a->type == &mmi_str_type && b->type == &mmi_str_type) {
        const mmi_str *x = (const mmi_str *)a, *y = (const mmi_str *)b;
        return x->hash == y->hash && x->len == y->len &&
               memcmp(x->data, y->data, x->len) == 0;
    }
    if ((a->type == &mmi_int_type || a->type == &mmi_float_type) &&
        (b->type == &mmi_int_type || b->type == &mmi_float_type)) {
        if (a->type == &mmi_int_type && b->type == &mmi_int_type)
            return ((const mmi_int *)a)->value == ((const mmi_int *)b)->value;
        double x = a->type == &mmi_int_type ? (double)((const mmi_int *)a)->value
                                            : ((const mmi_float *)a)->value;
        double y = b->type == &mmi_int_type ? (double)((const mmi_int *)b)->value
                                            : ((const mmi_float *)b)->value;
        return x == y;
    }
    return 0;
}
