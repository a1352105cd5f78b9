/* bench/claims.c: the seed-claims document. Every claim has its keys and a known verdict
 * word, and each verdict agrees with the measured values it was computed from. Module:
 * bench/claims.c (+ claims_exp.c, claims_lang.c). No timing is asserted: for the GIL row
 * only the consistency of the reported ratios and the rule is checked.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "claims.h"

static json_t *claims_doc;

static int
group_setup(void **state)
{
    char err[512];
    (void)state;
    if (MM_STATS_LEVEL < 1)
        return 0; /* every test skips: no object counters in this build */
    claims_doc = bench_claims_run(err, sizeof err);
    if (!claims_doc) fprintf(stderr, "bench_claims_run: %s\n", err);
    return claims_doc ? 0 : -1;
}

static int
group_teardown(void **state)
{
    (void)state;
    json_decref(claims_doc);
    return 0;
}

static json_t *
claims_list(void)
{
    if (!claims_doc) skip();
    return json_object_get(claims_doc, "claims");
}

/* The claim with this id (fails the test when absent). */
static json_t *
claim(const char *id)
{
    json_t *c;
    size_t i;
    json_array_foreach(claims_list(), i, c)
    {
        if (!strcmp(json_string_value(json_object_get(c, "id")), id)) return c;
    }
    fail_msg("no claim %s", id);
    return NULL;
}

/* measured[key] as an integer; the key must exist and be an integer. */
static int64_t
mi(json_t *c, const char *key)
{
    json_t *v = json_object_get(json_object_get(c, "measured"), key);
    if (!json_is_integer(v))
        fail_msg("claim %s: measured.%s missing or not an integer",
                 json_string_value(json_object_get(c, "id")), key);
    return json_integer_value(v);
}

static double
mr(json_t *c, const char *key)
{
    json_t *v = json_object_get(json_object_get(c, "measured"), key);
    if (!json_is_real(v)) fail_msg("measured.%s missing or not a real", key);
    return json_real_value(v);
}

static const char *
verdict(json_t *c)
{
    return json_string_value(json_object_get(c, "verdict"));
}

/* The verdict of bench_claims_verdict_all over n conditions. */
static const char *
all_of(const int *conds, size_t n)
{
    size_t held = 0;
    for (size_t i = 0; i < n; i++)
        held += conds[i] != 0;
    return held == n ? "true" : held ? "partly" : "false";
}

/* ---- Shape ---- */

static void
test_bench_claims_document_shape(void **state)
{
    static const char *const ids[] = { "1.1",  "1.2",       "1.3a",       "1.3b",
                                       "1.3c", "2",         "2.1",        "2.2",
                                       "2.3",  "copy",      "singletons", "is-vs-eq",
                                       "gil",  "generators" };
    json_t *list = claims_list(), *c, *d;
    size_t i, j;
    (void)state;
    assert_string_equal(json_string_value(json_object_get(claims_doc, "schema")),
                        BENCH_CLAIMS_SCHEMA);
    assert_true(json_array_size(list) >= 12);
    for (i = 0; i < sizeof ids / sizeof ids[0]; i++)
        assert_non_null(claim(ids[i]));
    json_array_foreach(list, i, c)
    {
        json_array_foreach(list, j, d)
        {
            if (i != j)
                assert_string_not_equal(json_string_value(json_object_get(c, "id")),
                                        json_string_value(json_object_get(d, "id")));
        }
    }
}

static void
check_entry(json_t *c)
{
    static const char *const keys[] = { "id", "claim", "experiment", "text" };
    static const char *const words[] = { "true", "false", "partly", "outdated" };
    json_t *measured = json_object_get(c, "measured"), *v;
    const char *key;
    int known = 0;
    assert_int_equal(json_object_size(c), 6);
    for (size_t k = 0; k < 4; k++) {
        json_t *s = json_object_get(c, keys[k]);
        assert_true(json_is_string(s));
        assert_true(strlen(json_string_value(s)) > 0);
    }
    assert_true(json_is_object(measured));
    assert_true(json_object_size(measured) > 0);
    json_object_foreach(measured, key, v)
        assert_true(json_is_integer(v) || json_is_real(v));
    assert_true(json_is_string(json_object_get(c, "verdict")));
    for (size_t k = 0; k < 4; k++)
        known += !strcmp(verdict(c), words[k]);
    assert_int_equal(known, 1);
}

static void
test_bench_claims_entries_complete(void **state)
{
    json_t *c;
    size_t i;
    (void)state;
    json_array_foreach(claims_list(), i, c) check_entry(c);
}

/* ---- Reference counts, cycles, allocator ---- */

static void
test_bench_claims_refcounts(void **state)
{
    json_t *c = claim("1.1");
    int64_t r0 = mi(c, "refcount_initial");
    (void)state;
    assert_int_equal(mi(c, "refcount_after_bind"), r0 + 1);
    assert_int_equal(mi(c, "refcount_after_list_insert"), r0 + 2);
    assert_int_equal(mi(c, "refcount_after_dict_insert"), r0 + 3);
    assert_int_equal(mi(c, "refcount_after_del"), r0 + 2);
    assert_int_equal(mi(c, "refcount_inside_call"), r0 + 3);
    assert_int_equal(mi(c, "refcount_after_call"), r0 + 2);
    assert_int_equal(mi(c, "refcount_after_rebind"), mi(c, "refcount_before_rebind") - 1);
    assert_int_equal(mi(c, "refcount_after_container_removal"), r0);
    assert_true(mi(c, "refcount_cached_int_7") > 1);
    assert_string_equal(verdict(c), "true");
}

static void
test_bench_claims_cycles(void **state)
{
    json_t *c = claim("1.2");
    (void)state;
    assert_int_equal(mi(c, "objects_freed_by_one_decref"), mi(c, "chain_objects"));
    assert_int_equal(mi(c, "cycle_objects_live_after_del"), 2);
    assert_int_equal(mi(c, "cycle_objects_found_by_collector"), 2);
    assert_int_equal(mi(c, "objects_live_after_collect"), 0);
    assert_string_equal(verdict(c), "true");
}

static void
test_bench_claims_allocator(void **state)
{
    json_t *t = claim("1.3a"), *a = claim("1.3b"), *p = claim("1.3c");
    (void)state;
    assert_int_equal(mi(t, "large_allocs_300_bytes_default"), 0);
    assert_int_equal(mi(t, "large_allocs_600_bytes_default"), 1);
    assert_int_equal(mi(t, "large_allocs_300_bytes_threshold_256"), 1);
    assert_int_equal(mi(t, "small_threshold_default_bytes"), 512);
    assert_string_equal(verdict(t), "outdated");
    assert_int_equal(mi(a, "bytes_mapped_after_scattered_free"),
                     mi(a, "bytes_mapped_ints_live"));
    assert_true(mi(a, "bytes_mapped_after_full_free") < mi(a, "bytes_mapped_ints_live"));
    assert_true(mi(a, "arenas_returned_to_os") > 0);
    assert_string_equal(verdict(a), "partly");
    assert_true(mi(p, "bytes_growth_for_floats_shared") <
                mi(p, "bytes_growth_for_floats_private"));
    assert_int_equal(mi(p, "float_reused_int_block_shared"), 1);
    assert_int_equal(mi(p, "float_reused_int_block_private"), 0);
    assert_string_equal(verdict(p), "outdated");
}

/* ---- The collector ---- */

static void
test_bench_claims_collector_design(void **state)
{
    json_t *d = claim("2"), *r = claim("2.1");
    (void)state;
    assert_true(mi(d, "objects_found_cpython311") >= 2);
    assert_int_equal(mi(d, "unregistered_object_weakref_alive_cpython311"), 1);
    assert_int_equal(mi(d, "rooted_list_len_after_collect_marksweep"), 1);
    assert_string_equal(verdict(d), "partly");
    int64_t rc = mi(r, "objects_freed_by_refcount"), gc = mi(r, "objects_freed_by_gc");
    assert_true(rc + gc <= mi(r, "objects_allocated"));
    assert_true(fabs(mr(r, "refcount_free_share") - (double)rc / (double)(rc + gc)) <
                1e-9);
    int conds[] = { mr(r, "refcount_free_share") >= 0.5,
                    gc >= 2 * mi(r, "cycles_created") };
    assert_string_equal(verdict(r), all_of(conds, 2));
}

static void
test_bench_claims_marksweep_rule(void **state)
{
    json_t *c = claim("2.2");
    int64_t limit = mi(c, "heap_limit_bytes");
    int64_t first = mi(c, "bytes_allocated_before_first_collection_marksweep");
    int64_t ms = mi(c, "collections_marksweep");
    (void)state;
    int ok = 10 * first >= 9 * limit && first <= 2 * limit && ms >= 1 &&
             ms <= mi(c, "bytes_allocated_marksweep") / limit + 1;
    int by_count = 2 * mi(c, "collections_cpython311") >=
                   mi(c, "gc_allocs_cpython311") / (mi(c, "threshold0_cpython311") + 1);
    assert_string_equal(verdict(c), !ok ? "false" : by_count ? "partly" : "true");
#if !MM_GC_TORTURE /* there every GC allocation collects */
    assert_string_equal(verdict(c), "partly");
#endif
}

static void
test_bench_claims_generations(void **state)
{
    json_t *c = claim("2.3");
    int64_t n0 = mi(c, "gen0_objects_at_start");
    (void)state;
    assert_int_equal(mi(c, "gen1_objects_after_collect0"), n0);
    assert_int_equal(mi(c, "gen2_objects_after_collect1"), n0);
    assert_true(mi(c, "objects_examined_young") < mi(c, "objects_examined_full"));
    assert_int_equal(mi(c, "old_garbage_objects_left_by_young_collections"), 2);
    assert_int_equal(mi(c, "old_garbage_objects_freed_by_full"), 2);
    int rarer = mi(c, "gen0_collections") > mi(c, "gen1_collections") &&
                mi(c, "gen1_collections") > mi(c, "gen2_collections");
    assert_string_equal(verdict(c), rarer ? "true" : "partly");
#if !MM_GC_TORTURE
    assert_true(rarer);
#endif
}

/* ---- Language-topic rows ---- */

static void
test_bench_claims_copy_and_caches(void **state)
{
    json_t *c = claim("copy"), *s = claim("singletons");
    (void)state;
    assert_int_equal(mi(c, "objects_new_shallow_copy"), 1);
    assert_int_equal(mi(c, "refcount_inner_after_shallow"),
                     mi(c, "refcount_inner_before") + 1);
    assert_int_equal(mi(c, "objects_new_deep_copy"), 1 + mi(c, "inner_lists"));
    assert_int_equal(mi(c, "deep_shares_inner"), 0);
    assert_string_equal(verdict(c), "true");
    assert_int_equal(mi(s, "instances_alive_after_collect"), mi(s, "instances_created"));
    assert_int_equal(mi(s, "tracked_objects_after_freeze"), 0);
    assert_string_equal(verdict(s), "true");
}

static void
test_bench_claims_identity(void **state)
{
    json_t *c = claim("is-vs-eq");
    (void)state;
    assert_int_equal(mi(c, "ints_identical_in_minus5_to_256"), 262);
    assert_int_equal(mi(c, "int_257_identical"), 0);
    assert_int_equal(mi(c, "int_minus6_identical"), 0);
    assert_int_equal(mi(c, "int_257_equal"), 1);
    assert_int_equal(mi(c, "interned_str_identical"), 1);
    assert_int_equal(mi(c, "new_str_identical"), 0);
    assert_string_equal(verdict(c), "true");
}

static void
test_bench_claims_threads_rule(void **state)
{
    json_t *c = claim("gil");
    double t1 = (double)mi(c, "ns_one_thread");
    double ts = (double)mi(c, "ns_two_threads_one_runtime_one_lock");
    double s = mr(c, "speedup_two_threads_one_lock");
    (void)state;
    assert_true(t1 > 0 && ts > 0 && mi(c, "ns_two_threads_runtime_each") > 0);
    assert_true(fabs(s - 2 * t1 / ts) < 1e-6 * s);
    assert_string_equal(verdict(c), s <= 1.25 ? "true" : "false");
}

static void
test_bench_claims_generators(void **state)
{
    json_t *c = claim("generators");
    (void)state;
    assert_int_equal(mi(c, "values_yielded"), mi(c, "fab_max"));
    assert_int_equal(mi(c, "values_matching_fibonacci"), mi(c, "fab_max"));
    assert_int_equal(mi(c, "last_value"), 55);
    assert_true(mi(c, "objects_live_after_abandon") >= 2);
    assert_int_equal(mi(c, "objects_live_after_collect"), 0);
    assert_int_equal(mi(c, "generator_closes"), 1);
    assert_string_equal(verdict(c), "true");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_claims_document_shape),
        cmocka_unit_test(test_bench_claims_entries_complete),
        cmocka_unit_test(test_bench_claims_refcounts),
        cmocka_unit_test(test_bench_claims_cycles),
        cmocka_unit_test(test_bench_claims_allocator),
        cmocka_unit_test(test_bench_claims_collector_design),
        cmocka_unit_test(test_bench_claims_marksweep_rule),
        cmocka_unit_test(test_bench_claims_generations),
        cmocka_unit_test(test_bench_claims_copy_and_caches),
        cmocka_unit_test(test_bench_claims_identity),
        cmocka_unit_test(test_bench_claims_threads_rule),
        cmocka_unit_test(test_bench_claims_generators),
    };
    return cmocka_run_group_tests_name("bench_claims", tests, group_setup,
                                       group_teardown);
}
