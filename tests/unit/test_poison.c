/* A poisoned runtime (style.md rule 18): after a failed internal assertion every call
 * that can fail refuses with MM_EPOISONED and changes nothing, the hook hears one report,
 * and releasing references, the getters and mm_runtime_destroy keep working. The tests
 * poison the runtime by hand, as a failed MMI_ASSERT_INTERNAL would. Module: runtime.c
 * (the refusals live in each type's file). SPDX-License-Identifier: MIT */
#include "harness.h"

#define MMI_BUILDING_RUNTIME 1
#include "runtime_internal.h"

static void
poison(mm_runtime *rt)
{
    mmi_error_report(rt, MM_EPOISONED, __FILE__, __LINE__, "test: %s", "deliberate");
}

/* A refused call: MM_EPOISONED is the last error, and the hook was not called again. */
#define ASSERT_REFUSED(rt)                                                               \
    do {                                                                                 \
        assert_int_equal((rt)->last_error, MM_EPOISONED);                               \
        assert_non_null(strstr(mm_errmsg(rt), "poisoned"));                             \
        assert_int_equal(th_current.nerrors, 1);                                        \
        (rt)->last_error = MM_OK;                                                        \
    } while (0)

/* The heap is sound (the public mm_runtime_check refuses once poisoned), then destroy:
 * LeakSanitizer checks that it freed everything. */
static int
poison_teardown(void **state)
{
    th_state *st = *state;
    int ok = mmi_gc_generations_check(st->rt) == MM_OK &&
             mmi_alloc_check(st->rt) == MM_OK;
    mm_runtime_destroy(st->rt);
    if (!ok)
        fprintf(stderr, "heap check failed\n");
    return ok ? 0 : -1;
}

static int
setup_malloc(void **state)
{
    mm_config c;
    mm_config_default(&c);
    c.alloc = MM_ALLOC_MALLOC;
    return th_setup_with(state, &c);
}

static int
setup_private(void **state)
{
    mm_config c;
    mm_config_default(&c);
    c.alloc = MM_ALLOC_PRIVATE;
    return th_setup_with(state, &c);
}

static int
setup_cpython313(void **state)
{
    mm_config c;
    mm_config_default(&c);
    c.gc = MM_GC_CPYTHON313;
    c.threshold[0] = 1;
    c.threshold[1] = 10;
    c.threshold[2] = 10;
    return th_setup_with(state, &c);
}

static int
gen_fn(mm_runtime *rt, mm_gen_frame *f, mm_object *sent, mm_gen_mode mode,
       mm_object **out)
{
    (void)rt, (void)sent;
    if (mode != MM_GEN_SEND || f->label)
        return MM_GEN_RETURN;
    f->label = 1;
    *out = NULL;
    return MM_GEN_YIELD;
}

static void
test_poison_reports_once(void **state)
{
    mm_runtime *rt = RT;
    mm_stats st;
    poison(rt);
    assert_int_equal(th_current.nerrors, 1);
    assert_int_equal(th_current.last_code, MM_EPOISONED);
    assert_non_null(strstr(th_current.last_text, "deliberate"));
    /* A second failed assertion is recorded, not reported again. */
    mmi_error_report(rt, MM_EPOISONED, __FILE__, __LINE__, "test: second");
    assert_int_equal(th_current.nerrors, 1);
    mm_stats_get(rt, &st);
    assert_int_equal(st.misuse.total, 1);
    assert_int_equal(mm_runtime_check(rt), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    /* The refusal quotes the first report. */
    assert_null(mm_list_new(rt));
    assert_non_null(strstr(mm_errmsg(rt), "deliberate"));
    ASSERT_REFUSED(rt);
}

/* Fill the free lists, so that a constructor could get memory without the allocator. */
static void
fill_freelists(mm_runtime *rt)
{
    mm_object *f = mm_float_new(rt, 1.5), *l = mm_list_new(rt), *d = mm_dict_new(rt);
    mm_object *t = mm_tuple_pack(rt, 1, &f);
    assert_non_null(f);
    assert_non_null(l);
    assert_non_null(d);
    assert_non_null(t);
    mm_decref(rt, t);
    mm_decref(rt, f);
    mm_decref(rt, l);
    mm_decref(rt, d);
}

static void
check_constructors_refuse(mm_runtime *rt)
{
    mm_class_spec spec = { .name = "C", .nslots = 1, .weakrefable = 1 };
    mm_class *cls, *cls2;
    mm_object *inst, *wr, *wr2, *lst, *one = mm_int_new(rt, 1), *out;
    mm_alloc_stats before, after;
    mm_gc_generation_stats gs_before[3], gs_after[3];
    int64_t live;

    assert_int_equal(mm_class_new(rt, &spec, &cls), MM_OK);
    inst = mm_instance_new(rt, cls);
    lst = mm_list_new(rt);
    assert_non_null(inst);
    assert_non_null(lst);
    assert_int_equal(mm_weakref_new(rt, inst, NULL, NULL, &wr), MM_OK);
    fill_freelists(rt);
    poison(rt);
    live = mm_runtime_live_objects(rt);
    mm_alloc_stats_get(rt, &before);
    mm_gc_get_stats(rt, gs_before);

    assert_null(mm_int_new(rt, 100000));
    ASSERT_REFUSED(rt);
    assert_null(mm_float_new(rt, 2.5));
    ASSERT_REFUSED(rt);
    assert_null(mm_str_new(rt, "abc", 3));
    ASSERT_REFUSED(rt);
    assert_null(mm_str_intern(rt, "abc"));
    ASSERT_REFUSED(rt);
    assert_null(mm_tuple_pack(rt, 1, &one));
    ASSERT_REFUSED(rt);
    assert_null(mm_list_new(rt));
    ASSERT_REFUSED(rt);
    assert_null(mm_dict_new(rt));
    ASSERT_REFUSED(rt);
    assert_null(mm_instance_new(rt, cls));
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_class_new(rt, &spec, &cls2), MM_EPOISONED);
    assert_null(cls2);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_gen_new(rt, gen_fn, 1, NULL, &out), MM_EPOISONED);
    assert_null(out);
    ASSERT_REFUSED(rt);
    /* Also the callback-less weakref, which would only be shared. */
    assert_int_equal(mm_weakref_new(rt, inst, NULL, NULL, &wr2), MM_EPOISONED);
    assert_null(wr2);
    ASSERT_REFUSED(rt);
    assert_null(mm_copy(rt, lst));
    ASSERT_REFUSED(rt);
    assert_null(mm_copy(rt, one)); /* an atom: copy would return it, but refuses */
    ASSERT_REFUSED(rt);
    assert_null(mm_deepcopy(rt, lst));
    ASSERT_REFUSED(rt);
    assert_null(mm_mem_alloc(rt, 24));
    ASSERT_REFUSED(rt);
    assert_null(mm_mem_alloc(rt, 0));
    ASSERT_REFUSED(rt);
    assert_null(mm_mem_alloc(rt, 1 << 20));
    ASSERT_REFUSED(rt);

    /* Nothing changed: no object, no failure counted as out-of-memory or over budget,
     * no emergency collection. */
    assert_int_equal(mm_runtime_live_objects(rt), live);
    mm_alloc_stats_get(rt, &after);
    assert_int_equal(after.requested_bytes, before.requested_bytes);
    assert_int_equal(after.failed_allocs, before.failed_allocs);
    assert_int_equal(after.budget_failures, 0);
    assert_int_equal(mm_alloc_budget_exceeded(rt), 0);
    mm_gc_get_stats(rt, gs_after);
    assert_memory_equal(gs_before, gs_after, sizeof gs_before);

    /* Objects that already exist are still handed out (a new reference is an incref). */
    out = mm_int_new(rt, 7);
    assert_non_null(out);
    mm_decref(rt, out);
    out = mm_tuple_pack(rt, 0, NULL);
    assert_non_null(out);
    mm_decref(rt, out);
    out = mm_weakref_get(rt, wr);
    assert_ptr_equal(out, inst);
    mm_decref(rt, out);
    assert_int_equal(th_current.nerrors, 1);

    /* Releasing works: everything made before the poisoning is freed. */
    mm_decref(rt, wr);
    mm_decref(rt, inst);
    mm_decref(rt, lst);
    mm_decref(rt, one);
    assert_int_equal(mm_runtime_live_objects(rt), 0);
}

static void
test_poison_constructors_refuse(void **state)
{
    check_constructors_refuse(RT);
}

/* Without pools every allocation takes the general path: refused there too. */
static void
test_poison_constructors_refuse_malloc(void **state)
{
    check_constructors_refuse(RT);
}

static void
test_poison_constructors_refuse_private(void **state)
{
    check_constructors_refuse(RT);
}

static void
test_poison_mutators_refuse(void **state)
{
    mm_runtime *rt = RT;
    mm_class_spec spec = { .name = "C", .nslots = 2, .has_dict = 1 };
    mm_class *cls;
    mm_object *l = mm_list_new(rt), *d = mm_dict_new(rt), *k = mm_str_intern(rt, "key");
    mm_object *v = mm_float_new(rt, 3.0), *inst, *got;
    intptr_t v_refs;

    assert_int_equal(mm_class_new(rt, &spec, &cls), MM_OK);
    inst = mm_instance_new(rt, cls);
    assert_non_null(inst);
    assert_int_equal(mm_list_append(rt, l, v), MM_OK);
    assert_int_equal(mm_dict_set(rt, d, k, v), MM_OK);
    assert_int_equal(mm_instance_set_slot_steal(rt, inst, 0, mm_incref(rt, v)), MM_OK);
    assert_int_equal(mm_instance_setattr(rt, inst, "attr", v), MM_OK);
    poison(rt);
    v_refs = mm_refcount(v);

    assert_int_equal(mm_list_append(rt, l, v), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    /* The _steal calls refuse but still release what they steal. */
    assert_int_equal(mm_list_append_steal(rt, l, mm_incref(rt, v)), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_list_set_steal(rt, l, 0, mm_incref(rt, v)), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_list_remove(rt, l, v), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_null(mm_list_pop(rt, l, 0));
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_list_clear(rt, l), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_dict_set(rt, d, v, v), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_dict_set_steal(rt, d, mm_incref(rt, v), mm_incref(rt, v)),
                     MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_dict_del(rt, d, k), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_instance_set_slot_steal(rt, inst, 1, mm_incref(rt, v)),
                     MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_instance_setattr(rt, inst, "other", v), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_instance_delattr(rt, inst, "attr"), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_null(mm_instance_getattr(rt, inst, "attr"));
    ASSERT_REFUSED(rt);

    /* Nothing changed. */
    assert_int_equal(mm_refcount(v), v_refs);
    assert_int_equal(mm_list_len(l), 1);
    assert_int_equal(mm_dict_len(d), 1);
    /* The getters of existing objects work. */
    got = mm_list_get(rt, l, 0);
    assert_ptr_equal(got, v);
    mm_decref(rt, got);
    got = mm_dict_get(rt, d, k);
    assert_ptr_equal(got, v);
    mm_decref(rt, got);
    got = mm_instance_get_slot(rt, inst, 0);
    assert_ptr_equal(got, v);
    mm_decref(rt, got);
    assert_null(mm_instance_get_slot(rt, inst, 1));
    assert_int_equal(mm_refcount(v), v_refs);
    assert_int_equal(th_current.nerrors, 1);

    /* Releasing works, the interned key included (it leaves the intern table). */
    mm_decref(rt, inst);
    mm_decref(rt, d);
    mm_decref(rt, l);
    mm_decref(rt, k);
    assert_int_equal(mm_refcount(v), 1);
    mm_decref(rt, v);
    assert_int_equal(mm_runtime_live_objects(rt), 0);
}

static void
test_poison_collector_refuses(void **state)
{
    mm_runtime *rt = RT;
    mm_object *a = mm_list_new(rt), *b = mm_list_new(rt), *g, *out = NULL, *slot = NULL;
    mm_object *stack_slot = NULL;
    uint32_t t[3], t_new[3] = { 5, 5, 5 }, t_after[3];
    int64_t count[3], count_after[3], found = -1;
    mm_gc_generation_stats gs[3], gs_after[3];
    size_t frozen;

    assert_non_null(a);
    assert_non_null(b);
    /* A cycle: garbage the collector would free. */
    assert_int_equal(mm_list_append(rt, a, b), MM_OK);
    assert_int_equal(mm_list_append(rt, b, a), MM_OK);
    assert_int_equal(mm_gen_new(rt, gen_fn, 1, NULL, &g), MM_OK);
    assert_int_equal(mm_root_add(rt, &slot), MM_OK);
    mm_gc_set_debug(rt, 0);
    poison(rt);
    mm_gc_get_threshold(rt, t);
    mm_gc_get_count(rt, count);
    mm_gc_get_stats(rt, gs);
    frozen = mm_gc_get_freeze_count(rt);
    mm_decref(rt, a);
    mm_decref(rt, b);

    assert_int_equal(mm_gc_collect(rt, 2, &found), MM_EPOISONED);
    assert_int_equal(found, -1);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_gc_collect(rt, 7, NULL), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_gc_safepoint(rt), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_gc_set_threshold(rt, t_new, 3), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    mm_gc_disable(rt);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_gc_isenabled(rt), 1);
    mm_gc_enable(rt);
    ASSERT_REFUSED(rt);
    mm_gc_set_debug(rt, MM_GC_DEBUG_SAVEALL);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_gc_get_debug(rt), 0);
    mm_gc_freeze(rt);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_gc_get_freeze_count(rt), frozen);
    mm_gc_unfreeze(rt);
    ASSERT_REFUSED(rt);
    mm_gc_garbage_clear(rt);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_root_add(rt, &slot), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_root_push(rt, &stack_slot), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_gen_next(rt, g, &out), MM_EPOISONED);
    assert_null(out);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_gen_send(rt, g, NULL, &out), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_gen_throw(rt, g, &out), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_gen_close(rt, g), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    assert_int_equal(mm_gen_get_state(g), MM_GEN_CREATED);

    /* Nothing changed; the cycle was not collected. */
    mm_gc_get_threshold(rt, t_after);
    assert_memory_equal(t, t_after, sizeof t);
    mm_gc_get_count(rt, count_after);
    assert_memory_equal(count, count_after, sizeof count);
    mm_gc_get_stats(rt, gs_after);
    assert_memory_equal(gs, gs_after, sizeof gs);
    assert_int_equal(mm_runtime_live_objects(rt), 3);

    /* Unregistering still works (cleanup), and so does a decref. */
    assert_int_equal(mm_root_remove(rt, &slot), MM_OK);
    mm_decref(rt, g);
    assert_int_equal(mm_runtime_live_objects(rt), 2); /* the cycle: freed by destroy */
    assert_int_equal(th_current.nerrors, 1);
}

/* cpython313 leaves a collection pending for the next safepoint: poisoning cancels it. */
static void
test_poison_safepoint_pending(void **state)
{
    mm_runtime *rt = RT;
    mm_object *l = mm_list_new(rt), *m = mm_list_new(rt);
    mm_gc_generation_stats gs[3], gs_after[3];
    assert_non_null(l);
    assert_non_null(m); /* threshold0 = 1: pending now (unless gc_torture collected) */
    poison(rt);
    mm_gc_get_stats(rt, gs);
    assert_int_equal(mm_gc_safepoint(rt), MM_EPOISONED);
    ASSERT_REFUSED(rt);
    mm_gc_get_stats(rt, gs_after);
    assert_memory_equal(gs, gs_after, sizeof gs);
    mm_decref(rt, l);
    mm_decref(rt, m);
    assert_int_equal(mm_runtime_live_objects(rt), 0);
}

static int finalized;
static void *finalizer_alloc = (void *)1;

static void
finalize_fn(mm_runtime *rt, mm_object *self, void *arg)
{
    (void)self, (void)arg;
    finalized++;
    finalizer_alloc = mm_list_new(rt); /* refused */
}

static int callbacks;

static void
weakref_cb(mm_runtime *rt, mm_object *weakref, void *arg)
{
    (void)rt, (void)weakref, (void)arg;
    callbacks++;
}

/* Deallocation still runs finalizers and weakref callbacks; what they allocate is
 * refused. Free lists no longer fill: memory goes back to the allocator. */
static void
test_poison_decref_still_frees(void **state)
{
    mm_runtime *rt = RT;
    mm_class_spec spec = { .name = "F", .weakrefable = 1, .finalize = finalize_fn };
    mm_class *cls;
    mm_object *inst, *wr, *f, *l, *big;
    mm_alloc_stats a, b;
    mm_freelist_counts fc;

    assert_int_equal(mm_class_new(rt, &spec, &cls), MM_OK);
    inst = mm_instance_new(rt, cls);
    assert_non_null(inst);
    assert_int_equal(mm_weakref_new(rt, inst, weakref_cb, NULL, &wr), MM_OK);
    f = mm_float_new(rt, 1.0);
    l = mm_list_new(rt);
    big = mm_int_new(rt, 123456);
    assert_non_null(f);
    assert_non_null(l);
    assert_non_null(big);
    assert_int_equal(mm_list_append_steal(rt, l, big), MM_OK);
    poison(rt);
    mm_alloc_stats_get(rt, &a);

    finalized = callbacks = 0;
    mm_decref(rt, inst);
    assert_int_equal(finalized, 1);
    assert_null(finalizer_alloc);
    assert_int_equal(callbacks, 1);
    assert_null(mm_weakref_get(rt, wr));
    mm_decref(rt, wr);
    mm_decref(rt, f);
    mm_decref(rt, l);
    assert_int_equal(mm_runtime_live_objects(rt), 0);
    mm_freelist_counts_get(rt, &fc);
    assert_int_equal(fc.floats, 0);
    assert_int_equal(fc.list, 0);
    mm_alloc_stats_get(rt, &b);
    assert_true(b.requested_bytes < a.requested_bytes);
    assert_int_equal(b.failed_allocs, a.failed_allocs);
    assert_int_equal(th_current.nerrors, 1);
    /* Misuse is still reported: it is the caller's bug, not the poisoning. */
    mm_root_pop(rt, 1);
    assert_int_equal(th_current.nerrors, 2);
    assert_int_equal(th_current.last_code, MM_EMISUSE);
}

#if MM_DEBUG_LEVEL >= 2
/* A defensive branch that fails reports to rt and poisons it. */
static void
test_poison_always_never(void **state)
{
    mm_runtime *rt = RT;
    int broken = 0;
    assert_int_equal(MMI_NEVER(rt, !broken), 1);
    assert_int_equal(rt->poisoned, 1);
    assert_int_equal(th_current.nerrors, 1);
    assert_non_null(strstr(th_current.last_text, "NEVER"));
    assert_int_equal(MMI_ALWAYS(rt, broken), 0);
    assert_int_equal(th_current.nerrors, 1);
    assert_null(mm_dict_new(rt));
    ASSERT_REFUSED(rt);
}
#endif

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_poison_reports_once, th_setup,
                                        poison_teardown),
        cmocka_unit_test_setup_teardown(test_poison_constructors_refuse, th_setup,
                                        poison_teardown),
        cmocka_unit_test_setup_teardown(test_poison_constructors_refuse_malloc,
                                        setup_malloc, poison_teardown),
        cmocka_unit_test_setup_teardown(test_poison_constructors_refuse_private,
                                        setup_private, poison_teardown),
        cmocka_unit_test_setup_teardown(test_poison_mutators_refuse, th_setup,
                                        poison_teardown),
        cmocka_unit_test_setup_teardown(test_poison_collector_refuses, th_setup,
                                        poison_teardown),
        cmocka_unit_test_setup_teardown(test_poison_safepoint_pending, setup_cpython313,
                                        poison_teardown),
        cmocka_unit_test_setup_teardown(test_poison_decref_still_frees, th_setup,
                                        poison_teardown),
#if MM_DEBUG_LEVEL >= 2
        cmocka_unit_test_setup_teardown(test_poison_always_never, th_setup,
                                        poison_teardown),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
