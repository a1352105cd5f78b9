/* Shallow copy and deepcopy: sharing, cycles, shapes. Module: runtime/types/copy.c.
 * SPDX-License-Identifier: MIT */
#include "harness.h"

/* a = [7, b, t]; b = {1: a, 2: inst}; t = (a, b); inst.slot0 = t: every kind, cycles,
 * and shared substructure (b reached from a and from t). */
static mm_object *
build(mm_runtime *rt, mm_class *cls)
{
    mm_object *a = mm_list_new(rt), *b = mm_dict_new(rt),
              *inst = mm_instance_new(rt, cls);
    mm_object *k1 = mm_int_new(rt, 1), *k2 = mm_int_new(rt, 2), *t, *items[2];
    mm_list_append_steal(rt, a, mm_int_new(rt, 7));
    mm_list_append(rt, a, b);
    mm_dict_set(rt, b, k1, a);
    mm_dict_set(rt, b, k2, inst);
    items[0] = a;
    items[1] = b;
    t = mm_tuple_pack(rt, 2, items);
    mm_list_append(rt, a, t);
    mm_instance_set_slot_steal(rt, inst, 0, t);
    mm_decref(rt, b);
    mm_decref(rt, inst);
    mm_decref(rt, k1);
    mm_decref(rt, k2);
    return a;
}

static mm_class *
cls_new(mm_runtime *rt)
{
    mm_class *cls;
    mm_class_spec spec = { .name = "Box", .nslots = 2 };
    assert_int_equal(mm_class_new(rt, &spec, &cls), MM_OK);
    return cls;
}

static void
test_copy_deepcopy_keeps_shape_shares_nothing(void **state)
{
    mm_runtime *rt = RT;
    mm_object *a = build(rt, cls_new(rt)), *c = mm_deepcopy(rt, a);
    mm_object *cb, *ct, *cinst, *k1 = mm_int_new(rt, 1), *k2 = mm_int_new(rt, 2), *x;
    mm_object *seven, *oseven;
    assert_non_null(c);
    assert_ptr_not_equal(c, a);
    cb = mm_list_get(rt, c, 1);
    ct = mm_list_get(rt, c, 2);
    assert_int_equal(mm_type_id_of(cb), MM_T_DICT);
    assert_int_equal(mm_type_id_of(ct), MM_T_TUPLE);
    x = mm_dict_get(rt, cb, k1);
    assert_ptr_equal(x, c); /* the cycle a -> b -> a is kept */
    mm_decref(rt, x);
    x = mm_tuple_get(rt, ct, 1);
    assert_ptr_equal(x, cb); /* b shared between a and t, in the copy too */
    mm_decref(rt, x);
    cinst = mm_dict_get(rt, cb, k2);
    x = mm_instance_get_slot(rt, cinst, 0);
    assert_ptr_equal(x, ct);
    mm_decref(rt, x);
    mm_object *ob = mm_list_get(rt, a, 1), *oinst = mm_dict_get(rt, ob, k2);
    assert_ptr_not_equal(cb, ob); /* nothing shared with the original */
    assert_ptr_not_equal(cinst, oinst);
    seven = mm_list_get(rt, c, 0);
    oseven = mm_list_get(rt, a, 0);
    assert_ptr_equal(seven, oseven); /* atoms are shared, as Python's deepcopy */
    mm_object *drop[] = { cb, ct, cinst, ob, oinst, seven, oseven, k1, k2, a, c };
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        mm_decref(rt, drop[i]);
    mm_gc_collect(rt, 2, NULL);
}

static void
test_copy_shallow_shares_children(void **state)
{
    mm_runtime *rt = RT;
    mm_object *a = build(rt, cls_new(rt)), *c = mm_copy(rt, a), *x, *y;
    assert_ptr_not_equal(a, c);
    assert_int_equal(mm_list_len(c), 3);
    x = mm_list_get(rt, a, 1);
    y = mm_list_get(rt, c, 1);
    assert_ptr_equal(x, y);
    mm_decref(rt, x);
    mm_decref(rt, y);
    mm_object *e = mm_tuple_pack(rt, 0, NULL), *ec = mm_copy(rt, e);
    assert_ptr_equal(e, ec); /* immutable: the object itself */
    mm_decref(rt, e);
    mm_decref(rt, ec);
    mm_decref(rt, a);
    mm_decref(rt, c);
    mm_gc_collect(rt, 2, NULL);
}

/* Deep structures copy with explicit stacks, not C recursion. */
static void
test_copy_deep_chain(void **state)
{
    mm_runtime *rt = RT;
    mm_object *head = mm_list_new(rt), *c;
#if MM_GC_TORTURE
    const int depth = 1000;
#else
    const int depth = 100000;
#endif
    for (int i = 0; i < depth; i++) {
        mm_object *l = mm_list_new(rt);
        mm_list_append_steal(rt, l, head);
        head = l;
    }
    c = mm_deepcopy(rt, head);
    assert_non_null(c);
    assert_int_equal(mm_runtime_live_objects(rt), 2 * (depth + 1));
    mm_decref(rt, c);
    mm_decref(rt, head);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        TH_TEST(test_copy_deepcopy_keeps_shape_shares_nothing),
        TH_TEST(test_copy_shallow_shares_children),
        TH_TEST(test_copy_deep_chain),
    };
    return cmocka_run_group_tests_name("copy", tests, NULL, NULL);
}
