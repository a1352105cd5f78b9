/* dict: a real insertion-ordered hash table; tracking rules. Module: types/dict.c.
 * SPDX-License-Identifier: MIT */
#include "harness.h"

static void
test_dict_many_keys_insert_delete_reinsert(void **state)
{
    mm_runtime *rt = RT;
    mm_object *d = mm_dict_new(rt);
    const int n = 20000;
    for (int i = 0; i < n; i++)
        assert_int_equal(
            mm_dict_set_steal(rt, d, mm_int_new(rt, i), mm_int_new(rt, i * 2)), MM_OK);
    assert_int_equal(mm_dict_len(d), n);
    for (int i = 0; i < n; i += 2) {
        mm_object *k = mm_int_new(rt, i);
        assert_int_equal(mm_dict_del(rt, d, k), MM_OK);
        assert_int_equal(mm_dict_del(rt, d, k), MM_EKEY);
        mm_decref(rt, k);
    }
    assert_int_equal(mm_dict_len(d), n / 2);
    for (int i = 0; i < n; i++) {
        mm_object *k = mm_int_new(rt, i), *v = mm_dict_get(rt, d, k);
        int64_t x;
        if (i % 2) {
            assert_non_null(v);
            mm_int_value(v, &x);
            assert_int_equal(x, i * 2);
            mm_decref(rt, v);
        } else {
            assert_null(v);
        }
        mm_decref(rt, k);
    }
    /* Iteration keeps insertion order; a reinserted key goes to the end. */
    mm_dict_set_steal(rt, d, mm_int_new(rt, 0), mm_int_new(rt, -1));
    size_t pos = 0, seen = 0;
    mm_object *k, *v;
    int64_t prev = -1, x;
    while (mm_dict_next_borrow(rt, d, &pos, &k, &v)) {
        mm_int_value(k, &x);
        if (seen++ < (size_t)n / 2) {
            assert_true(x > prev);
            prev = x;
        } else {
            assert_int_equal(x, 0);
        }
    }
    assert_int_equal(seen, n / 2 + 1);
    mm_decref(rt, d);
}

static void
test_dict_str_keys_compare_by_value(void **state)
{
    mm_runtime *rt = RT;
    mm_object *d = mm_dict_new(rt), *k1 = mm_str_new(rt, "key", 3);
    mm_object *k2 = mm_str_new(rt, "key", 3), *v = mm_float_new(rt, 2.5), *got;
    mm_dict_set(rt, d, k1, v);
    got = mm_dict_get(rt, d, k2);
    assert_ptr_equal(got, v);
    mm_decref(rt, got);
    mm_dict_set(rt, d, k2, v); /* replaces: still one entry */
    assert_int_equal(mm_dict_len(d), 1);
    mm_decref(rt, d);
    mm_decref(rt, k1);
    mm_decref(rt, k2);
    mm_decref(rt, v);
}

/* Untracked until something that may be tracked is inserted; untracked again only by
 * a full collection. */
static void
test_dict_tracking_rules(void **state)
{
    mm_runtime *rt = RT;
    mm_object *d = mm_dict_new(rt), *k = mm_int_new(rt, 1), *l = mm_list_new(rt);
    mm_dict_set(rt, d, k, k);
    assert_false(mm_gc_is_tracked(d));
    mm_dict_set(rt, d, k, l);
    assert_true(mm_gc_is_tracked(d));
    mm_dict_set(rt, d, k, k); /* the list is gone, the dict stays tracked */
    assert_true(mm_gc_is_tracked(d));
    mm_gc_collect(rt, 0, NULL);
    assert_true(mm_gc_is_tracked(d));
    mm_gc_collect(rt, 2, NULL);
    assert_false(mm_gc_is_tracked(d));
    mm_decref(rt, d);
    mm_decref(rt, k);
    mm_decref(rt, l);
}

static uint64_t
requested(mm_runtime *rt)
{
    mm_alloc_stats a;
    mm_alloc_stats_get(rt, &a);
    return a.requested_bytes;
}

/* The table grows to used * 3 (GROWTH_RATE): from empty, CPython 3.11 resizes a dict of
 * int keys at the 1st, 6th, 11th and 22nd insert (sys.getsizeof, python3.11). */
static void
test_dict_grows_as_cpython(void **state)
{
    mm_runtime *rt = RT;
    mm_object *d = mm_dict_new(rt), *keys[26];
    int resized[26], n = 0;
    for (int i = 0; i < 26; i++)
        keys[i] = mm_int_new(rt, 1000 + i);
    uint64_t before = requested(rt);
    for (int i = 0; i < 26; i++) {
        assert_int_equal(mm_dict_set(rt, d, keys[i], keys[i]), MM_OK);
        uint64_t after = requested(rt);
        if (after != before)
            resized[n++] = i + 1;
        before = after;
    }
    assert_int_equal(n, 4);
    assert_int_equal(resized[0], 1);
    assert_int_equal(resized[1], 6);
    assert_int_equal(resized[2], 11);
    assert_int_equal(resized[3], 22);
    mm_decref(rt, d);
    for (int i = 0; i < 26; i++)
        mm_decref(rt, keys[i]);
}

/* dict_traverse visits each value, then its key: D = {K: V} with K = (V,), V = (int,).
 * The collection re-appends V before K, so untrack_tuples untracks both at once
 * (CPython 3.11: gc.is_tracked gives False, False after gc.collect(0)). */
static void
test_dict_traverse_value_then_key(void **state)
{
    mm_runtime *rt = RT;
    mm_object *i = mm_int_new(rt, 1000);
    mm_object *v = mm_tuple_pack(rt, 1, &i);
    mm_object *k = mm_tuple_pack(rt, 1, &v);
    mm_object *d = mm_dict_new(rt);
    assert_int_equal(mm_dict_set(rt, d, k, v), MM_OK);
    mm_decref(rt, k);
    mm_decref(rt, v);
    mm_decref(rt, i);
    mm_gc_collect(rt, 0, NULL);
    assert_false(mm_gc_is_tracked(k)); /* alive: d holds both */
    assert_false(mm_gc_is_tracked(v));
    mm_decref(rt, d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        TH_TEST(test_dict_many_keys_insert_delete_reinsert),
        TH_TEST(test_dict_str_keys_compare_by_value),
        TH_TEST(test_dict_tracking_rules),
        TH_TEST(test_dict_grows_as_cpython),
        TH_TEST(test_dict_traverse_value_then_key),
    };
    return cmocka_run_group_tests_name("dict", tests, NULL, NULL);
}
