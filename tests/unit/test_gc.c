/* The collector: cycles, generations, thresholds, finalizers, resurrection, legacy
 * finalizers, SAVEALL, freeze, weak references, policies and hook events.
 * Module: runtime/gc/. Exact counts are skipped in gc_torture builds, where a full
 * collection runs at every allocation.
 * SPDX-License-Identifier: MIT */
#include "harness.h"
#include "untrack_mix.h"

static mm_class *
klass(mm_runtime *rt, const char *name, mm_finalize_fn fin, mm_finalize_fn legacy)
{
    mm_class *cls;
    mm_class_spec spec = { .name = name, .nslots = 4, .weakrefable = 1, .finalize = fin,
                           .legacy_del = legacy };
    assert_int_equal(mm_class_new(rt, &spec, &cls), MM_OK);
    return cls;
}

static void
link_slot(mm_runtime *rt, mm_object *from, uint32_t i, mm_object *to)
{
    assert_int_equal(mm_instance_set_slot_steal(rt, from, i, mm_incref(rt, to)), MM_OK);
}

static int64_t
collect(mm_runtime *rt, int g)
{
    int64_t n = -1;
    assert_int_equal(mm_gc_collect(rt, g, &n), MM_OK);
    return n;
}

static void
test_gc_cycles_of_every_shape(void **state)
{
    mm_runtime *rt = RT;
    mm_class *cls = klass(rt, "C", NULL, NULL);
    mm_object *self = mm_instance_new(rt, cls), *ring[50], *d = mm_dict_new(rt);
    mm_object *k = mm_int_new(rt, 1);
    link_slot(rt, self, 0, self); /* self-cycle */
    for (int i = 0; i < 50; i++)
        ring[i] = mm_list_new(rt);
    for (int i = 0; i < 50; i++)
        mm_list_append(rt, ring[i], ring[(i + 1) % 50]); /* long ring */
    mm_dict_set(rt, d, k, d);                              /* dict holding itself */
    mm_decref(rt, self);
    for (int i = 0; i < 50; i++)
        mm_decref(rt, ring[i]);
    mm_decref(rt, d);
    mm_decref(rt, k);
#if !MM_GC_TORTURE
    assert_int_equal(collect(rt, 2), 52);
#else
    collect(rt, 2);
#endif
    assert_int_equal(mm_runtime_live_objects(rt), 0);
}

/* Cycles reachable from a live root are not garbage. */
static void
test_gc_reachable_cycles_survive(void **state)
{
    mm_runtime *rt = RT;
    mm_object *root = mm_list_new(rt), *a = mm_list_new(rt), *b = mm_list_new(rt);
    mm_list_append(rt, a, b);
    mm_list_append(rt, b, a);
    mm_list_append_steal(rt, root, a);
    mm_decref(rt, b);
    assert_int_equal(collect(rt, 2), 0);
    assert_int_equal(mm_runtime_live_objects(rt), 3);
    mm_list_clear(rt, root);
    assert_int_equal(collect(rt, 2), 2);
    mm_decref(rt, root);
}

/* Survivors are promoted; an older generation is a root for younger collections. */
static void
test_gc_generations_and_floating_garbage(void **state)
{
    mm_runtime *rt = RT;
    mm_object *old = mm_list_new(rt), *young;
    size_t sizes[3];
    collect(rt, 2); /* old is now in generation 2 */
    young = mm_list_new(rt);
    mm_list_append(rt, old, young);
    mm_list_append(rt, young, old);
    mm_decref(rt, old);
    mm_decref(rt, young);
#if !MM_GC_TORTURE
    assert_int_equal(collect(rt, 0), 0); /* old keeps young alive: floating garbage */
    mm_gc_get_sizes(rt, sizes);
    assert_int_equal(sizes[1], 1);
    assert_int_equal(sizes[2], 1);
    assert_int_equal(collect(rt, 1), 0);
    assert_int_equal(collect(rt, 2), 2);
#else
    (void)sizes;
    collect(rt, 2);
#endif
    assert_int_equal(mm_runtime_live_objects(rt), 0);
}

/* count0 rises with each GC allocation; crossing threshold0 collects generation 0. */
static void
test_gc_threshold_schedule(void **state)
{
    mm_runtime *rt = RT;
    uint32_t t[3] = { 10, 10, 10 };
    mm_gc_generation_stats st[3];
    mm_object *keep = mm_list_new(rt);
    int64_t count[3];
    assert_int_equal(mm_gc_set_threshold(rt, t, 3), MM_OK);
    mm_gc_get_count(rt, count);
#if !MM_GC_TORTURE
    assert_int_equal(count[0], 1);
    for (int i = 0; i < 10; i++)
        mm_list_append_steal(rt, keep, mm_list_new(rt));
    mm_gc_get_stats(rt, st);
    assert_int_equal(st[0].collections, 1); /* the 11th allocation collected */
    mm_gc_disable(rt);
    for (int i = 0; i < 100; i++)
        mm_list_append_steal(rt, keep, mm_list_new(rt));
    mm_gc_get_stats(rt, st);
    assert_int_equal(st[0].collections, 1); /* disabled: counts run past threshold */
    mm_gc_enable(rt);
#else
    (void)st;
    (void)count;
#endif
    mm_decref(rt, keep);
}

static int finalized, legacy_calls;
static mm_object *saved;

static void
fin(mm_runtime *rt, mm_object *self, void *arg)
{
    (void)rt, (void)self, (void)arg;
    finalized++;
}

static void
fin_resurrect(mm_runtime *rt, mm_object *self, void *arg)
{
    (void)arg;
    finalized++;
    saved = mm_incref(rt, self);
}

static void
legacy(mm_runtime *rt, mm_object *self, void *arg)
{
    (void)rt, (void)self, (void)arg;
    legacy_calls++;
}

static void
test_gc_finalizers_run_once(void **state)
{
    mm_runtime *rt = RT;
    mm_class *cls = klass(rt, "F", fin, NULL);
    mm_object *a = mm_instance_new(rt, cls), *b = mm_instance_new(rt, cls);
    finalized = 0;
    link_slot(rt, a, 0, b);
    link_slot(rt, b, 0, a);
    mm_decref(rt, a);
    mm_decref(rt, b);
    collect(rt, 2);
    assert_int_equal(finalized, 2);
    assert_int_equal(mm_runtime_live_objects(rt), 0);
}

static void
test_gc_resurrection(void **state)
{
    mm_runtime *rt = RT;
    mm_class *cls = klass(rt, "R", fin_resurrect, NULL);
    mm_object *r = mm_instance_new(rt, cls), *tail = mm_list_new(rt);
    finalized = 0;
    saved = NULL;
    link_slot(rt, r, 0, r);
    link_slot(rt, r, 1, tail);
    mm_decref(rt, r);
    mm_decref(rt, tail);
    assert_int_equal(collect(rt, 2), 0); /* resurrected: nothing counted */
    assert_int_equal(finalized, 1);
    assert_ptr_equal(saved, r);
    assert_true(mm_gc_is_finalized(r));
    mm_clear(rt, &saved);
    assert_int_equal(collect(rt, 2), 2); /* garbage again, not finalized twice */
    assert_int_equal(finalized, 1);
}

static void
test_gc_legacy_finalizers_are_uncollectable(void **state)
{
    mm_runtime *rt = RT;
    mm_class *cls = klass(rt, "L", NULL, legacy);
    mm_object *l = mm_instance_new(rt, cls), *m = mm_list_new(rt);
    legacy_calls = 0;
    link_slot(rt, l, 0, m);
    mm_list_append(rt, m, l);
    mm_decref(rt, l);
    mm_decref(rt, m);
    assert_int_equal(collect(rt, 2), 2); /* uncollectable, counted in n */
    assert_int_equal(mm_list_len(mm_gc_garbage_borrow(rt)), 1);
    assert_int_equal(legacy_calls, 0);
    mm_gc_garbage_clear(rt);
    assert_int_equal(collect(rt, 2), 2);
    /* Break the group by hand, as a program would: the legacy finalizer then runs. */
    mm_object *g = mm_list_get(rt, mm_gc_garbage_borrow(rt), 0);
    mm_gc_garbage_clear(rt);
    mm_instance_set_slot_steal(rt, g, 0, NULL);
    mm_decref(rt, g);
    assert_int_equal(legacy_calls, 1);
    assert_int_equal(mm_runtime_live_objects(rt), 0);
}

static void
test_gc_saveall(void **state)
{
    mm_runtime *rt = RT;
    mm_object *a = mm_list_new(rt);
    mm_list_append(rt, a, a);
    mm_decref(rt, a);
    mm_gc_set_debug(rt, MM_GC_DEBUG_SAVEALL);
    assert_int_equal(collect(rt, 2), 1);
    assert_int_equal(mm_list_len(mm_gc_garbage_borrow(rt)), 1);
    mm_gc_set_debug(rt, 0);
    mm_gc_garbage_clear(rt);
    assert_int_equal(collect(rt, 2), 1);
}

static void
test_gc_freeze_unfreeze(void **state)
{
    mm_runtime *rt = RT;
    mm_object *a = mm_list_new(rt);
    size_t sizes[3];
    mm_list_append(rt, a, a);
    mm_decref(rt, a);
    mm_gc_freeze(rt);
    assert_int_equal(mm_gc_get_freeze_count(rt), 1);
    assert_int_equal(collect(rt, 2), 0); /* frozen objects are never examined */
    mm_gc_unfreeze(rt);
    mm_gc_get_sizes(rt, sizes);
    assert_int_equal(sizes[2], 1);
    assert_int_equal(collect(rt, 2), 1);
}

static int callbacks;

static void
wr_cb(mm_runtime *rt, mm_object *wr, void *arg)
{
    (void)rt, (void)arg;
    assert_null(mm_weakref_get(rt, wr)); /* cleared before the callback */
    callbacks++;
}

static void
test_gc_weakrefs_cleared_with_callbacks(void **state)
{
    mm_runtime *rt = RT;
    mm_class *cls = klass(rt, "W", NULL, NULL);
    mm_object *a = mm_instance_new(rt, cls), *b = mm_instance_new(rt, cls), *w1, *w2,
              *got;
    callbacks = 0;
    assert_int_equal(mm_weakref_new(rt, a, wr_cb, NULL, &w1), MM_OK);
    assert_int_equal(mm_weakref_new(rt, b, wr_cb, NULL, &w2), MM_OK);
    got = mm_weakref_get(rt, w1);
    assert_ptr_equal(got, a);
    mm_decref(rt, got);
    mm_decref(rt, b); /* refcount death: callback at once */
    assert_int_equal(callbacks, 1);
    link_slot(rt, a, 0, a);
    mm_decref(rt, a); /* a cycle: the collector clears w1 and calls back */
    collect(rt, 2);
    assert_int_equal(callbacks, 2);
    assert_null(mm_weakref_get(rt, w1));
    mm_decref(rt, w1);
    mm_decref(rt, w2);
    mm_object *i = mm_int_new(rt, 1000), *w3 = NULL;
    assert_int_equal(mm_weakref_new(rt, i, NULL, NULL, &w3), MM_ETYPE);
    mm_decref(rt, i);
}

/* The basic weakref is held only by a garbage cycle, and the allocation of a second
 * weakref (with a callback) triggers the collection that frees it: the new weakref
 * must be linked into the target's list as it is after that collection (CPython's
 * weakref___new__ looks the basic ref up again after tp_alloc). */
static void
test_gc_weakref_new_survives_its_own_collection(void **state)
{
    mm_runtime *rt = RT;
    mm_class *cls = klass(rt, "W", NULL, NULL);
    mm_object *x = mm_instance_new(rt, cls), *basic, *w, *l = mm_list_new(rt);
    int64_t count[3];
    assert_int_equal(mm_weakref_new(rt, x, NULL, NULL, &basic), MM_OK);
    mm_list_append(rt, l, l);
    mm_list_append(rt, l, basic);
    mm_decref(rt, basic);
    mm_decref(rt, l);
    mm_gc_get_count(rt, count);
    uint32_t t[1] = { (uint32_t)count[0] }; /* the next GC allocation collects */
    assert_int_equal(mm_gc_set_threshold(rt, t, 1), MM_OK);
    callbacks = 0;
    assert_int_equal(mm_weakref_new(rt, x, wr_cb, NULL, &w), MM_OK);
    assert_int_equal(mm_weakref_count(x), 1);
    mm_decref(rt, x);
    assert_int_equal(callbacks, 1);
    assert_null(mm_weakref_get(rt, w));
    mm_decref(rt, w);
}

/* A legacy tp_del that makes a weakref to its dying object: subtype_dealloc clears it
 * (without its callback) before the memory goes. */
static mm_object *late_ref;

static void
del_makes_weakref(mm_runtime *rt, mm_object *self, void *arg)
{
    (void)arg;
    assert_int_equal(mm_weakref_new(rt, self, wr_cb, NULL, &late_ref), MM_OK);
}

static void
test_gc_weakref_made_in_legacy_del_is_cleared(void **state)
{
    mm_runtime *rt = RT;
    mm_class *cls = klass(rt, "L", NULL, del_makes_weakref);
    mm_object *x = mm_instance_new(rt, cls);
    callbacks = 0;
    late_ref = NULL;
    mm_decref(rt, x);
    assert_non_null(late_ref);
    assert_null(mm_weakref_get(rt, late_ref));
    assert_int_equal(callbacks, 0);
    mm_decref(rt, late_ref);
}

/* A weakref-keyed cache (like weakref.WeakKeyDictionary): entries vanish when their key
 * object dies, by refcount or in a collection, through the weakref's callback. */
typedef struct cache {
    mm_object *map; /* dict: weakref -> value */
} cache;

static void
cache_evict(mm_runtime *rt, mm_object *wr, void *arg)
{
    cache *c = arg;
    mm_dict_del(rt, c->map, wr);
}

static void
test_gc_weakref_keyed_cache(void **state)
{
    mm_runtime *rt = RT;
    mm_class *cls = klass(rt, "Key", NULL, NULL);
    cache c = { mm_dict_new(rt) };
    mm_object *keys[10];
    for (int i = 0; i < 10; i++) {
        mm_object *wr, *v = mm_list_new(rt);
        keys[i] = mm_instance_new(rt, cls);
        assert_int_equal(mm_weakref_new(rt, keys[i], cache_evict, &c, &wr), MM_OK);
        assert_int_equal(mm_dict_set_steal(rt, c.map, wr, v), MM_OK);
    }
    assert_int_equal(mm_dict_len(c.map), 10);
    for (int i = 0; i < 5; i++)
        mm_decref(rt, keys[i]); /* refcount deaths evict at once */
    assert_int_equal(mm_dict_len(c.map), 5);
    for (int i = 5; i < 10; i++) { /* the rest die in cycles: the collector evicts */
        link_slot(rt, keys[i], 0, keys[i]);
        mm_decref(rt, keys[i]);
    }
    collect(rt, 2);
    assert_int_equal(mm_dict_len(c.map), 0);
    mm_decref(rt, c.map);
}

static int starts, stops;
static mm_gc_event last_stop;

static void
on_start(void *arg, const mm_gc_event *ev)
{
    (void)arg, (void)ev;
    starts++;
}

static void
on_stop(void *arg, const mm_gc_event *ev)
{
    (void)arg;
    stops++;
    last_stop = *ev;
}

static void
test_gc_hook_events(void **state)
{
    mm_runtime *rt = RT;
    mm_hooks h = { .gc_start = on_start, .gc_stop = on_stop };
    mm_object *a = mm_list_new(rt), *b = mm_list_new(rt);
    starts = stops = 0;
    mm_hooks_set(rt, &h);
    mm_list_append(rt, a, b);
    mm_list_append(rt, b, a);
    mm_decref(rt, a);
    mm_decref(rt, b);
    collect(rt, 1);
    mm_hooks_set(rt, NULL);
#if MM_GC_TORTURE
    collect(rt, 2); /* torture promoted them to generation 2 */
#endif
    if (!mm_hooks_available())
        return;
#if !MM_GC_TORTURE
    assert_int_equal(starts, 1);
    assert_int_equal(stops, 1);
    assert_int_equal(last_stop.generation, 1);
    assert_int_equal(last_stop.trigger, MM_GC_TRIGGER_EXPLICIT);
    assert_int_equal(last_stop.collected, 2);
    assert_int_equal(last_stop.examined, 2);
    assert_int_equal(last_stop.size_before[0] + last_stop.size_before[1], 2);
    assert_int_equal(last_stop.size_after[0], 0);
    assert_int_equal(last_stop.size_after[1], 0);
    assert_true(last_stop.size_before[2] == SIZE_MAX);
#endif
}

/* The event's per-generation sizes come from the collection's own walk. */
static void
test_gc_event_sizes_per_generation(void **state)
{
    mm_runtime *rt = RT;
    mm_hooks h = { .gc_start = on_start, .gc_stop = on_stop };
    mm_object *keep = mm_list_new(rt);
    collect(rt, 2); /* keep: generation 2 */
    mm_list_append_steal(rt, keep, mm_list_new(rt));
    collect(rt, 0); /* that one: generation 1 */
    mm_list_append_steal(rt, keep, mm_list_new(rt));
    mm_list_append_steal(rt, keep, mm_list_new(rt)); /* two in generation 0 */
    mm_hooks_set(rt, &h);
    collect(rt, 2);
    mm_hooks_set(rt, NULL);
    if (mm_hooks_available()) {
#if !MM_GC_TORTURE
        assert_int_equal(last_stop.size_before[0], 2);
        assert_int_equal(last_stop.size_before[1], 1);
        assert_int_equal(last_stop.size_before[2], 1);
        assert_int_equal(last_stop.examined, 4);
#endif
        assert_int_equal(last_stop.size_after[0], 0);
        assert_int_equal(last_stop.size_after[1], 0);
    }
    mm_decref(rt, keep);
}

static mm_runtime *
runtime_with(mm_gc_policy policy)
{
    mm_config c;
    mm_runtime *rt;
    mm_config_default(&c);
    c.gc = policy;
    c.marksweep_heap_limit = 64 << 10;
    assert_int_equal(mm_runtime_new(&rt, &c, NULL, 0), MM_OK);
    return rt;
}

/* Churn 2-cycles; returns the automatic collections of each generation. */
static void
churn_cycles(mm_runtime *rt, int n, mm_gc_generation_stats st[3])
{
    for (int i = 0; i < n; i++) {
        mm_object *a = mm_list_new(rt), *b = mm_list_new(rt);
        mm_list_append(rt, a, b);
        mm_list_append(rt, b, a);
        mm_decref(rt, a);
        mm_decref(rt, b);
        mm_gc_safepoint(rt);
    }
    mm_gc_get_stats(rt, st);
}

static void
test_gc_policies(void **state)
{
    mm_gc_generation_stats st[3];
    mm_runtime *rt;
    (void)state;
    rt = runtime_with(MM_GC_NONE); /* cycles leak until an explicit collection */
    churn_cycles(rt, 5000, st);
    assert_int_equal(st[0].collections + st[1].collections + st[2].collections, 0);
    assert_int_equal(mm_runtime_live_objects(rt), 10000);
    mm_runtime_destroy(rt);
#if !MM_GC_TORTURE
    rt = runtime_with(MM_GC_FULL); /* only full collections */
    churn_cycles(rt, 5000, st);
    assert_int_equal(st[0].collections + st[1].collections, 0);
    assert_true(st[2].collections > 0);
    mm_runtime_destroy(rt);
    rt = runtime_with(MM_GC_CPYTHON313); /* threshold0 2000, at safepoints */
    churn_cycles(rt, 5000, st);
    assert_int_equal(mm_runtime_config(rt)->threshold[0], 2000);
    assert_true(st[0].collections >= 4);
    mm_runtime_destroy(rt);
#endif
    rt = runtime_with(MM_GC_MARKSWEEP); /* heap limit triggers mark-sweep */
    churn_cycles(rt, 5000, st);
    assert_true(st[2].collections > 0);
    assert_true(mm_runtime_live_objects(rt) < 10000);
    mm_runtime_destroy(rt);
}

/* marksweep keeps what registered roots reach and frees the rest. */
static void
test_gc_marksweep_roots(void **state)
{
    mm_runtime *rt = runtime_with(MM_GC_MARKSWEEP);
    mm_object *root = mm_list_new(rt), *garbage = mm_list_new(rt);
    (void)state;
    assert_int_equal(mm_root_add(rt, &root), MM_OK);
    mm_list_append_steal(rt, root, mm_list_new(rt));
    mm_list_append(rt, garbage, garbage);
    mm_clear(rt, &garbage);
    assert_int_equal(collect(rt, 2), 1);
    assert_int_equal(mm_runtime_live_objects(rt), 2);
    assert_int_equal(mm_root_remove(rt, &root), MM_OK);
    mm_decref(rt, root);
    assert_int_equal(mm_runtime_live_objects(rt), 0);
    mm_runtime_destroy(rt);
}

static void
test_gc_bad_generation(void **state)
{
    int64_t n;
    assert_int_equal(mm_gc_collect(RT, 3, &n), MM_EINVAL);
    assert_int_equal(mm_gc_collect(RT, -1, &n), MM_EINVAL);
}

/* A full collection with nothing frozen fuses update_refs and subtract_refs; with a
 * frozen object it runs them apart. Tuples and dicts are untracked as survivors are
 * committed. Either way the outcome is CPython's: the same objects collected and the
 * same ones left tracked, for a mix whose untracking depends on pass order. */
static void
run_mix(int freeze_one, int64_t found[2], char *tracked, size_t n)
{
    mm_runtime *rt;
    assert_int_equal(mm_runtime_new(&rt, NULL, NULL, 0), MM_OK);
    mm_gc_disable(rt);
    if (freeze_one) {
        mm_object *frozen = mm_list_new(rt);
        mm_gc_freeze(rt);
        mm_decref(rt, frozen);
    }
    mm_object *root = mm_list_new(rt);
    assert_int_equal(mix_build(rt, root, 12345u, (int)n), 0);
    found[0] = collect(rt, 0);
    found[1] = collect(rt, 2);
    assert_int_equal(mm_list_len(root), n);
    mix_finish(rt, root, tracked);
}

static void
test_gc_fused_passes_match_separate(void **state)
{
    enum { N = 3000 };
    int64_t fused[2], apart[2];
    static char t_fused[N], t_apart[N];
    int untracked = 0;
    (void)state;
    run_mix(0, fused, t_fused, N);
    run_mix(1, apart, t_apart, N);
    assert_int_equal(fused[0], apart[0]);
    assert_int_equal(fused[1], apart[1]);
    assert_memory_equal(t_fused, t_apart, N);
    for (int i = 0; i < N; i++)
        untracked += !t_fused[i];
    assert_true(untracked > N / 10); /* the mix does exercise untracking */
    assert_true(untracked < N);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        TH_TEST(test_gc_cycles_of_every_shape),
        TH_TEST(test_gc_reachable_cycles_survive),
        TH_TEST(test_gc_generations_and_floating_garbage),
        TH_TEST(test_gc_threshold_schedule),
        TH_TEST(test_gc_finalizers_run_once),
        TH_TEST(test_gc_resurrection),
        TH_TEST(test_gc_legacy_finalizers_are_uncollectable),
        TH_TEST(test_gc_saveall),
        TH_TEST(test_gc_freeze_unfreeze),
        TH_TEST(test_gc_weakrefs_cleared_with_callbacks),
        TH_TEST(test_gc_weakref_new_survives_its_own_collection),
        TH_TEST(test_gc_weakref_made_in_legacy_del_is_cleared),
        TH_TEST(test_gc_hook_events),
        TH_TEST(test_gc_weakref_keyed_cache),
        TH_TEST(test_gc_event_sizes_per_generation),
        cmocka_unit_test(test_gc_policies),
        cmocka_unit_test(test_gc_marksweep_roots),
        TH_TEST(test_gc_bad_generation),
        cmocka_unit_test(test_gc_fused_passes_match_separate),
    };
    return cmocka_run_group_tests_name("gc", tests, NULL, NULL);
}
