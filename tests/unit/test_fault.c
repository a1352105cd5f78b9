/* Allocation-failure sweep (style.md rule 43, SQLite style): fail the Nth allocation,
 * once (transient) or from then on (persistent), for N = 1, 2, ... until the workload
 * completes; every failure must surface as an error, leak nothing, and leave the
 * runtime usable. Needs -Dfault_injection=true. Module: runtime/alloc/alloc.c.
 * SPDX-License-Identifier: MIT */
#include "harness.h"
#include "untrack_mix.h"

#include <stdio.h>

#define MMI_BUILDING_RUNTIME 1
#include "runtime_internal.h"

uint64_t mmi_alloc_fault_arm(mm_runtime *rt, uint64_t at, int persistent);

static int
gen_fn(mm_runtime *rt, mm_gen_frame *f, mm_object *sent, mm_gen_mode mode,
       mm_object **out)
{
    (void)sent;
    if (mode != MM_GEN_SEND || f->label)
        return MM_GEN_RETURN;
    f->label = 1;
    *out = mm_list_new(rt);
    return *out ? MM_GEN_YIELD : MM_ENOMEM;
}

/* Builds into root (a list); returns 0 when everything succeeded. */
static int
workload(mm_runtime *rt, mm_class *cls, mm_object *root)
{
    for (int i = 0; i < 30; i++) {
        mm_object *o = mm_instance_new(rt, cls), *s, *t, *a, *b, *g, *v;
        if (!o)
            return -1;
        if (mm_list_append_steal(rt, root, o) != MM_OK)
            return -1;
        s = mm_str_new(rt, "payload", 7);
        if (!s || mm_instance_setattr(rt, o, "name", s) != MM_OK) {
            mm_xdecref(rt, s);
            return -1;
        }
        t = mm_tuple_pack(rt, 1, &s);
        mm_decref(rt, s);
        if (!t || mm_instance_set_slot_steal(rt, o, 0, t) != MM_OK)
            return -1;
        a = mm_list_new(rt);
        b = mm_dict_new(rt);
        if (!a || !b || mm_list_append(rt, a, b) != MM_OK ||
            mm_dict_set_steal(rt, b, mm_int_new(rt, 1000 + i), mm_incref(rt, a)) !=
                MM_OK) {
            mm_xdecref(rt, a);
            mm_xdecref(rt, b);
            return -1;
        }
        mm_decref(rt, a);
        mm_decref(rt, b);
        if (mm_gen_new(rt, gen_fn, 1, NULL, &g) != MM_OK)
            return -1;
        v = NULL;
        if (mm_gen_next(rt, g, &v) != MM_OK) {
            mm_decref(rt, g);
            return -1;
        }
        mm_xdecref(rt, v);
        mm_decref(rt, g); /* closed on death */
    }
    mm_object *c = mm_deepcopy(rt, root);
    if (!c)
        return -1;
    mm_decref(rt, c);
    return 0;
}

static void
sweep(int persistent)
{
    for (uint64_t n = 1;; n++) {
        mm_runtime *rt;
        mm_class *cls;
        mm_class_spec spec = { .name = "F", .nslots = 2, .has_dict = 1 };
        mm_object *root;
        uint64_t injected;
        int rc;
        assert_int_equal(mm_runtime_new(&rt, NULL, NULL, 0), MM_OK);
        root = mm_list_new(rt);
        mmi_alloc_fault_arm(rt, n, persistent);
        rc = mm_class_new(rt, &spec, &cls) == MM_OK ? workload(rt, cls, root) : -1;
        injected = mmi_alloc_fault_arm(rt, 0, 0);
        if (rc != 0 && injected == 0)
            fail_msg("N=%llu: the workload failed without an injected failure",
                     (unsigned long long)n);
        mm_decref(rt, root);
        mm_gc_collect(rt, 2, NULL);
        if (mm_runtime_live_objects(rt) != 0) {
            mm_stats st;
            mm_stats_get(rt, &st);
            for (int t = 0; t < MM_T_COUNT; t++)
                fprintf(stderr, "%s:%lld ", mm_type_id_name((mm_type_id)t),
                        (long long)st.type_objects[t].current);
            fprintf(stderr, "\n");
        }
        if (mm_runtime_live_objects(rt) != 0 || mm_runtime_check(rt) != MM_OK)
            fail_msg("N=%llu (%s): %lld objects leaked or heap broken: %s",
                     (unsigned long long)n, persistent ? "persistent" : "transient",
                     (long long)mm_runtime_live_objects(rt), mm_errmsg(rt));
        mm_object *after = mm_list_new(rt); /* still usable */
        assert_non_null(after);
        mm_decref(rt, after);
        mm_runtime_destroy(rt);
        if (injected == 0) { /* the workload completed with no failure left to inject */
            printf("%s sweep: %llu failure points, all handled\n",
                   persistent ? "persistent" : "transient", (unsigned long long)(n - 1));
            break;
        }
        assert_true(n < 5000);
    }
}

static void
test_fault_transient(void **state)
{
    (void)state;
    sweep(0);
}

static void
test_fault_persistent(void **state)
{
    (void)state;
    sweep(1);
}

/* A full collection gathers the surviving dicts in a scratch array; when it cannot
 * grow, untrack_dicts walks young instead, with the same outcome. */
static void
mix_full_collect(int fail_scratch, char *tracked, size_t n)
{
    mm_runtime *rt;
    mm_object *root;
    int64_t found = -1;
    assert_int_equal(mm_runtime_new(&rt, NULL, NULL, 0), MM_OK);
    mm_gc_disable(rt);
    root = mm_list_new(rt);
    assert_int_equal(mix_build(rt, root, 777u, (int)n), 0);
    mmi_alloc_fault_arm(rt, fail_scratch ? 1 : 0, 0);
    assert_int_equal(mm_gc_collect(rt, 2, &found), MM_OK);
    /* The collection's first allocation is the scratch (the garbage has no
     * finalizers). */
    assert_int_equal(mmi_alloc_fault_arm(rt, 0, 0), fail_scratch ? 1 : 0);
    assert_true(found > 0);
    mix_finish(rt, root, tracked);
}

static void
test_fault_dict_scratch(void **state)
{
    enum { N = 2000 };
    static char with[N], without[N];
    (void)state;
    mix_full_collect(0, with, N);
    mix_full_collect(1, without, N);
    assert_memory_equal(with, without, N);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fault_transient),
        cmocka_unit_test(test_fault_persistent),
        cmocka_unit_test(test_fault_dict_scratch),
    };
    return cmocka_run_group_tests_name("fault", tests, NULL, NULL);
}
