/* A seeded mix of tuples and dicts whose untracking depends on the order CPython's
 * untrack_tuples / untrack_dicts passes meet them (dicts holding tuples, tuples holding
 * dicts, nesting, cross references), plus cyclic garbage. Two collectors that must agree
 * build the same mix and compare which objects stay tracked (test_gc.c, test_fault.c).
 * SPDX-License-Identifier: MIT */
#ifndef MM_TEST_UNTRACK_MIX_H
#define MM_TEST_UNTRACK_MIX_H

#include <stdint.h>
#include <stdlib.h>

#include <mm/mm.h>

static uint32_t
mix_rand(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 16;
}

/* One container built from atoms and earlier items of root; new reference or NULL. */
static mm_object *
mix_one(mm_runtime *rt, mm_object *root, uint32_t *seed)
{
    size_t n = mm_list_len(root);
    mm_object *a = mm_int_new(rt, (int64_t)mix_rand(seed)), *b, *o = NULL;
    b = n ? mm_list_get(rt, root, mix_rand(seed) % n) : mm_int_new(rt, 7);
    switch (mix_rand(seed) % 6) {
    case 0: { /* tuple of an atom and an earlier item */
        mm_object *items[2] = { a, b };
        o = mm_tuple_pack(rt, 2, items);
        break;
    }
    case 1: /* dict of an atom to an earlier item */
        o = mm_dict_new(rt);
        if (o && mm_dict_set(rt, o, a, b) != MM_OK)
            mm_clear(rt, &o);
        break;
    case 2: { /* tuple of atoms only */
        mm_object *items[2] = { a, a };
        o = mm_tuple_pack(rt, 2, items);
        break;
    }
    case 3: /* dict of atoms only */
        o = mm_dict_new(rt);
        if (o && mm_dict_set(rt, o, a, a) != MM_OK)
            mm_clear(rt, &o);
        break;
    case 4: { /* a dict holding tuples made before and after it: its fate waits for
               * the later tuple's (committed after the dict) */
        mm_object *items[2] = { a, a }, *t0 = mm_tuple_pack(rt, 2, items), *t1 = NULL;
        int ok;
        o = mm_dict_new(rt);
        ok = o && t0 && mm_dict_set(rt, o, a, t0) == MM_OK &&
             (t1 = mm_tuple_pack(rt, 2, items)) != NULL &&
             mm_dict_set(rt, o, t0, t1) == MM_OK;
        if (!ok)
            mm_clear(rt, &o);
        mm_xdecref(rt, t0);
        mm_xdecref(rt, t1);
        break;
    }
    default: /* a list: always tracked */
        o = mm_list_new(rt);
        if (o && mm_list_append(rt, o, b) != MM_OK)
            mm_clear(rt, &o);
        break;
    }
    mm_xdecref(rt, a);
    mm_xdecref(rt, b);
    return o;
}

/* Appends n containers to root and makes n / 10 garbage 2-cycles; 0 or -1. */
static int
mix_build(mm_runtime *rt, mm_object *root, uint32_t seed, int n)
{
    for (int i = 0; i < n; i++) {
        mm_object *o = mix_one(rt, root, &seed);
        if (!o || mm_list_append_steal(rt, root, o) != MM_OK)
            return -1;
        if (i % 10 == 0) {
            mm_object *x = mm_list_new(rt), *y = mm_dict_new(rt), *k = mm_int_new(rt, i);
            int rc = x && y && k && mm_list_append(rt, x, y) == MM_OK &&
                             mm_dict_set(rt, y, k, x) == MM_OK
                         ? 0
                         : -1;
            mm_xdecref(rt, x);
            mm_xdecref(rt, y);
            mm_xdecref(rt, k);
            if (rc)
                return -1;
        }
    }
    return 0;
}

/* tracked[i] := is root[i] tracked. */
static void
mix_tracked(mm_runtime *rt, mm_object *root, char *tracked)
{
    for (size_t i = 0; i < mm_list_len(root); i++) {
        mm_object *o = mm_list_get(rt, root, i);
        tracked[i] = (char)mm_gc_is_tracked(o);
        mm_decref(rt, o);
    }
}

/* The end of every mix run: record the tracked flags, drop the root, destroy rt. */
static void
mix_finish(mm_runtime *rt, mm_object *root, char *tracked)
{
    mix_tracked(rt, root, tracked);
    mm_decref(rt, root);
    mm_runtime_destroy(rt);
}

#endif
