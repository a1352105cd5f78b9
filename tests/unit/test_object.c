/* Refcounting rules of the seed (section 1.1, 1.2), shared immutables, deallocation
 * order, misuse reports. Module: runtime/object.c, runtime/types/{int,str,tuple}.c.
 * SPDX-License-Identifier: MIT */
#include "harness.h"

/* Bind: a second name for an object is one more reference; rebind and del drop it. */
static void
test_object_bind_rebind_del(void **state)
{
    mm_runtime *rt = RT;
    mm_object *a = mm_int_new(rt, 100000); /* a = 100000 */
    mm_object *b;
    assert_int_equal(mm_refcount(a), 1);
    b = mm_incref(rt, a); /* b = a */
    assert_ptr_equal(a, b);
    assert_int_equal(mm_refcount(a), 2);
    mm_setref(rt, &b, mm_float_new(rt, 1.5)); /* b = 1.5 (rebind) */
    assert_int_equal(mm_refcount(a), 1);
    mm_clear(rt, &b); /* del b */
    mm_decref(rt, a); /* del a: freed at once */
}

/* Container insert adds a reference; removal and the container's death drop it. */
static void
test_object_container_insert_and_scope_exit(void **state)
{
    mm_runtime *rt = RT;
    mm_object *x = mm_str_new(rt, "payload", 7);
    mm_object *l = mm_list_new(rt), *t, *d = mm_dict_new(rt), *k = mm_int_new(rt, 7);
    assert_int_equal(mm_list_append(rt, l, x), MM_OK);
    assert_int_equal(mm_refcount(x), 2);
    t = mm_tuple_pack(rt, 1, &x);
    assert_int_equal(mm_refcount(x), 3);
    assert_int_equal(mm_dict_set(rt, d, k, x), MM_OK);
    assert_int_equal(mm_refcount(x), 4);
    assert_int_equal(mm_list_remove(rt, l, x), MM_OK);
    assert_int_equal(mm_refcount(x), 3);
    mm_decref(rt, t); /* the tuple's scope ends: its items are released */
    assert_int_equal(mm_refcount(x), 2);
    assert_int_equal(mm_dict_del(rt, d, k), MM_OK);
    assert_int_equal(mm_refcount(x), 1);
    mm_decref(rt, l);
    mm_decref(rt, d);
    mm_decref(rt, k);
    mm_decref(rt, x);
}

/* Small ints -5..256 and interned strings are shared; others are new objects. */
static void
test_object_shared_immutables(void **state)
{
    mm_runtime *rt = RT;
    mm_object *a = mm_int_new(rt, 256), *b = mm_int_new(rt, 256);
    mm_object *c = mm_int_new(rt, 257), *d = mm_int_new(rt, 257);
    mm_object *m1 = mm_int_new(rt, -5), *m2 = mm_int_new(rt, -5);
    mm_object *s1 = mm_str_intern(rt, "name"), *s2 = mm_str_intern(rt, "name");
    mm_object *s3 = mm_str_new(rt, "name", 4), *e1 = mm_tuple_pack(rt, 0, NULL);
    mm_object *e2 = mm_tuple_pack(rt, 0, NULL);
    assert_ptr_equal(a, b);
    assert_ptr_not_equal(c, d);
    assert_true(mm_object_equal(c, d));
    assert_ptr_equal(m1, m2);
    assert_ptr_equal(s1, s2);
    assert_ptr_not_equal(s1, s3);
    assert_true(mm_object_equal(s1, s3));
    assert_ptr_equal(e1, e2);
    assert_false(mm_gc_is_tracked(e1));
    mm_object *objs[] = { a, b, c, d, m1, m2, s1, s2, s3, e1, e2 };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
        mm_decref(rt, objs[i]);
}

/* Refcounting alone cannot free a cycle (seed 1.2); the collector does. */
static void
test_object_cycle_survives_refcounting(void **state)
{
    mm_runtime *rt = RT;
    mm_object *a = mm_list_new(rt), *b = mm_list_new(rt);
    int64_t found;
    mm_list_append(rt, a, b);
    mm_list_append(rt, b, a);
    mm_decref(rt, a);
    mm_decref(rt, b);
#if !MM_GC_TORTURE
    assert_int_equal(mm_runtime_live_objects(rt), 2);
    assert_int_equal(mm_gc_collect(rt, 2, &found), MM_OK);
    assert_int_equal(found, 2);
#else
    mm_gc_collect(rt, 2, &found);
#endif
    assert_int_equal(mm_runtime_live_objects(rt), 0);
}

static int order[8], norder;

static void
record_finalizer(mm_runtime *rt, mm_object *self, void *arg)
{
    mm_object *tag = mm_instance_get_slot(rt, self, 1);
    int64_t v;
    (void)arg;
    mm_int_value(tag, &v);
    order[norder++] = (int)v;
    mm_decref(rt, tag);
}

/* The parent is finalized first, then its children are released before its memory. */
static void
test_object_dealloc_order(void **state)
{
    mm_runtime *rt = RT;
    mm_class *cls;
    mm_class_spec spec = { .name = "Node", .nslots = 2, .finalize = record_finalizer };
    mm_object *parent, *child;
    norder = 0;
    assert_int_equal(mm_class_new(rt, &spec, &cls), MM_OK);
    parent = mm_instance_new(rt, cls);
    child = mm_instance_new(rt, cls);
    mm_instance_set_slot_steal(rt, parent, 1, mm_int_new(rt, 1));
    mm_instance_set_slot_steal(rt, child, 1, mm_int_new(rt, 2));
    mm_instance_set_slot_steal(rt, parent, 0, child); /* parent owns child */
    mm_decref(rt, parent);
    assert_int_equal(norder, 2);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 2);
}

/* A decref below zero is reported through the error hook, never a crash. */
static void
test_object_decref_below_zero_reported(void **state)
{
    th_state *st = *state;
    mm_runtime *rt = RT;
    mm_object *l = mm_list_new(rt);
    mm_decref(rt, l); /* freed to the list free list: its memory is still ours */
    assert_int_equal(st->nerrors, 0);
    mm_decref(rt, l); /* misuse */
    assert_int_equal(st->nerrors, 1);
    assert_int_equal(st->last_code, MM_EMISUSE);
    assert_non_null(strstr(st->last_text, "decref"));
    mm_stats s;
    mm_stats_get(rt, &s);
    assert_int_equal(s.misuse.total, 1);
}

/* Debug builds detect a decref of an object whose memory was freed. */
static void
test_object_use_after_free_reported(void **state)
{
#if MM_DEBUG_LEVEL >= 1
    th_state *st = *state;
    mm_runtime *rt = RT;
    mm_class *cls;
    mm_class_spec spec = { .name = "Gone", .nslots = 1 };
    assert_int_equal(mm_class_new(rt, &spec, &cls), MM_OK);
    mm_object *o = mm_instance_new(rt, cls); /* no free list: memory goes back */
    mm_decref(rt, o);
    mm_decref(rt, o); /* use after free: reported, nothing done */
    assert_int_equal(st->nerrors, 1);
    assert_non_null(strstr(st->last_text, "already freed"));
#else
    (void)state;
    skip(); /* release builds do not fill freed memory */
#endif
}

/* Dropping the head of a deep chain frees it with a bounded stack (trashcan). */
static void
test_object_deep_chain_frees(void **state)
{
    mm_runtime *rt = RT;
    mm_object *head = mm_list_new(rt);
    mm_stats s;
#if MM_GC_TORTURE
    const int depth = 2000; /* a full collection per allocation: keep it small */
#else
    const int depth = 200000;
#endif
    for (int i = 0; i < depth; i++) {
        mm_object *l = mm_list_new(rt);
        mm_list_append_steal(rt, l, head);
        head = l;
    }
    mm_decref(rt, head);
    mm_stats_get(rt, &s);
    assert_true(s.trashcan_deferred.total > 0);
    assert_int_equal(mm_runtime_live_objects(rt), 0);
}

/* _steal consumes its argument on every path, NULL included. */
static void
test_object_steal_on_error_paths(void **state)
{
    mm_runtime *rt = RT;
    mm_object *notlist = mm_dict_new(rt), *item = mm_str_new(rt, "x", 1);
    assert_int_equal(mm_list_append_steal(rt, notlist, item), MM_ETYPE);
    assert_int_equal(mm_list_append_steal(rt, notlist, NULL), MM_EINVAL);
    assert_int_equal(mm_runtime_live_objects(rt), 1); /* only the dict */
    mm_decref(rt, notlist);
}

static void
test_object_config_errors_name_the_knob(void **state)
{
    mm_config c;
    mm_runtime *rt2 = NULL;
    char err[256];
    (void)state;
    mm_config_default(&c);
    c.small_threshold = 300;
    assert_int_equal(mm_runtime_new(&rt2, &c, err, sizeof err), MM_EINVAL);
    assert_null(rt2);
    assert_non_null(strstr(err, "small_threshold"));
    mm_config_default(&c);
    c.alloc = MM_ALLOC_MIMALLOC; /* not preloaded in the test process */
    assert_int_equal(mm_runtime_new(&rt2, &c, err, sizeof err), MM_ENOTSUP);
    assert_non_null(strstr(err, "libmimalloc-dev"));
}

/* Several runtimes coexist and do not share state. */
static void
test_object_runtimes_are_independent(void **state)
{
    mm_runtime *other;
    mm_object *a, *b;
    assert_int_equal(mm_runtime_new(&other, NULL, NULL, 0), MM_OK);
    a = mm_int_new(RT, 5);
    b = mm_int_new(other, 5);
    assert_ptr_not_equal(a, b);
    mm_decref(RT, a);
    mm_decref(other, b);
    assert_int_equal(mm_runtime_live_objects(other), 0);
    mm_runtime_destroy(other);
}

/* --mem-limit: the heap budget refuses requests beyond it with MM_ENOMEM (after one
 * emergency collection), says so, and the runtime stays usable. */
static void
test_object_heap_budget(void **state)
{
    mm_runtime *rt;
    mm_config cfg;
    mm_object *list, *x;
    mm_alloc_stats as;
    int appended = 0, rc = MM_OK;
    (void)state;
    mm_config_default(&cfg);
    cfg.heap_budget = 64 * 1024;
    assert_int_equal(mm_runtime_new(&rt, &cfg, NULL, 0), MM_OK);
    list = mm_list_new(rt);
    assert_non_null(list);
    while (rc == MM_OK && appended < 100000) {
        x = mm_int_new(rt, 1000 + appended);
        if (!x)
            break;
        rc = mm_list_append_steal(rt, list, x);
        appended++;
    }
    assert_true(appended < 100000);
    assert_int_equal(mm_alloc_budget_exceeded(rt), 1);
    assert_non_null(strstr(mm_errmsg(rt), "heap budget"));
    mm_alloc_stats_get(rt, &as);
    assert_true(as.requested_bytes <= cfg.heap_budget);
    assert_true(as.budget_failures >= 1);
    mm_decref(rt, list);
    x = mm_int_new(rt, 123456); /* room again after the list is gone */
    assert_non_null(x);
    mm_decref(rt, x);
    assert_int_equal(mm_runtime_live_objects(rt), 0);
    mm_runtime_destroy(rt);
}

/* Per-generation byte totals follow the objects through collections (the torture build
 * collects at every allocation, so only states right after an explicit collection are
 * checked). */
static void
test_object_gc_bytes_per_generation(void **state)
{
    size_t sizes[3], bytes[3], total = 0;
    mm_object *lists[10];
    for (int i = 0; i < 10; i++)
        lists[i] = mm_list_new(RT);
    mm_gc_get_sizes(RT, sizes);
    mm_gc_get_bytes(RT, bytes);
    for (int g = 0; g < 3; g++)
        total += bytes[g];
    assert_true(sizes[0] + sizes[1] + sizes[2] >= 10);
    assert_true(total >= 10 * (sizeof(mm_object) + 2 * sizeof(void *)));
    assert_int_equal(total % 8, 0);
    mm_gc_collect(RT, 2, NULL);
    mm_gc_get_sizes(RT, sizes);
    mm_gc_get_bytes(RT, bytes);
    assert_int_equal(bytes[0], 0);
    assert_int_equal(bytes[1], 0);
    assert_true(sizes[2] >= 10);
    assert_true(bytes[2] >= 10 * (sizeof(mm_object) + 2 * sizeof(void *)));
    for (int i = 0; i < 10; i++)
        mm_decref(RT, lists[i]);
}

/* mm_mem_alloc(0) is a large request, as PyObject_Malloc(0) (pymalloc_alloc sends
 * nbytes - 1 >= threshold to PyMem_RawMalloc): no pool block is taken. */
static void
test_object_mem_alloc_zero_goes_to_malloc(void **state)
{
    mm_runtime *rt = RT;
    mm_alloc_stats a, b;
    mm_alloc_stats_get(rt, &a);
    void *p = mm_mem_alloc(rt, 0);
    assert_non_null(p);
    mm_alloc_stats_get(rt, &b);
    assert_int_equal(b.classes[0].blocks_in_use, a.classes[0].blocks_in_use);
    assert_int_equal(b.large_allocs, a.large_allocs + 1);
    mm_mem_free(rt, p, 0);
    mm_alloc_stats_get(rt, &b);
    assert_int_equal(b.large_allocs, a.large_allocs);
}

/* Interned strings are mortal, as in CPython 3.10+: the table's references are not
 * counted (sys.getrefcount(sys.intern(s)) - 1 is 1 in 3.11), and a string leaves the
 * table with its last reference. */
static void
test_object_interned_strings_are_mortal(void **state)
{
    mm_runtime *rt = RT;
    int64_t live = mm_runtime_live_objects(rt);
    mm_object *a = mm_str_intern(rt, "mortal-name"),
              *b = mm_str_intern(rt, "mortal-name");
    assert_ptr_equal(a, b);
    assert_int_equal(mm_refcount(a), 2);
    mm_decref(rt, b);
    assert_int_equal(mm_refcount(a), 1);
    assert_int_equal(mm_runtime_live_objects(rt), live + 1);
    mm_decref(rt, a); /* freed and out of the table */
    assert_int_equal(mm_runtime_live_objects(rt), live);
    a = mm_str_intern(rt, "mortal-name");
    assert_int_equal(mm_refcount(a), 1);
    assert_int_equal(mm_runtime_live_objects(rt), live + 1);
    mm_decref(rt, a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        TH_TEST(test_object_bind_rebind_del),
        TH_TEST(test_object_mem_alloc_zero_goes_to_malloc),
        TH_TEST(test_object_interned_strings_are_mortal),
        TH_TEST(test_object_container_insert_and_scope_exit),
        TH_TEST(test_object_shared_immutables),
        TH_TEST(test_object_cycle_survives_refcounting),
        TH_TEST(test_object_dealloc_order),
        TH_TEST(test_object_decref_below_zero_reported),
        TH_TEST(test_object_deep_chain_frees),
        TH_TEST(test_object_use_after_free_reported),
        TH_TEST(test_object_steal_on_error_paths),
        TH_TEST(test_object_config_errors_name_the_knob),
        TH_TEST(test_object_runtimes_are_independent),
        cmocka_unit_test(test_object_heap_budget),
        TH_TEST(test_object_gc_bytes_per_generation),
    };
    return cmocka_run_group_tests_name("object", tests, NULL, NULL);
}
