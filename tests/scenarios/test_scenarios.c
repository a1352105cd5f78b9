/* Every registered scenario runs at a small size under every policy (marksweep with a
 * small heap limit: a missing root is reported in debug builds) and allocator, returns
 * MM_OK, counts work, and leaves nothing alive; bad parameters give clear messages.
 * Module: scenarios/.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "scenario.h"

/* Small sizes (the defaults take 0.2-2 s each in a release build). */
static const char *const small[][5] = {
    { "churn", "ops=20000", "live=500", NULL },
    { "cycles", "n=3000", "shape=2", "ring=7" },
    { "trees", "depth=8", "longlived=8", NULL },
    { "generators", "n=300", NULL, NULL },
    { "longlived", "cache=2000", "temps=5000", "freeze=1" },
    { "fragmentation", "n=5000", "keep=7", NULL },
    { "typepools", "n=20000", NULL, NULL },
    { "deepchain", "depth=100000", NULL, NULL },
    { "copy", "copies=50", "width=4", "depth=3" },
    { "comprehension", "rounds=50", "len=200", NULL },
    { "calls", "calls=3000", "nkwargs=7", "keep=0.3", "ring=50" },
    { "webapp", "requests=2000", "cyclic=0.3", "sessions=50" },
    { "threads", "threads=3", "ops=3000", "batch=50" },
};

static int misuse_reports;
static char misuse_text[256];

static void
on_error(void *arg, int code, const char *file, int line, const char *text)
{
    (void)arg, (void)code, (void)file, (void)line;
    if (misuse_reports++ == 0)
        snprintf(misuse_text, sizeof misuse_text, "%s", text);
}

static void
run_one(const scenario *s, mm_gc_policy policy, mm_alloc_kind alloc)
{
    sc_values v;
    sc_counts counts = { 0, 0 };
    mm_config cfg;
    mm_runtime *rt;
    char err[256];
    size_t row = 0;
    while (row < sizeof small / sizeof small[0] && strcmp(small[row][0], s->name))
        row++;
    assert_true(row < sizeof small / sizeof small[0]); /* every scenario has a size */
    sc_defaults(s, &v);
    for (int k = 1; k < 5 && small[row][k]; k++)
        assert_int_equal(sc_param_set(s, &v, small[row][k], err, sizeof err), 0);
    mm_config_default(&cfg);
    cfg.gc = policy;
    cfg.alloc = alloc;
    cfg.marksweep_heap_limit = 64 << 10; /* collect often: missing roots show up */
    cfg.on_error = on_error;
    misuse_reports = 0;
    assert_int_equal(mm_runtime_new(&rt, &cfg, err, sizeof err), MM_OK);
    if (s->run(rt, &v, 42, &counts) != MM_OK)
        fail_msg("%s under %s/%s: %s", s->name, mm_gc_policy_name(policy),
                 mm_alloc_kind_name(alloc), mm_errmsg(rt));
    assert_true(counts.ops > 0);
    if (misuse_reports)
        fail_msg("%s under %s: %d reports, first: %s", s->name, mm_gc_policy_name(policy),
                 misuse_reports, misuse_text);
    mm_gc_collect(rt, 2, NULL);
    if (mm_runtime_live_objects(rt) != 0)
        fail_msg("%s under %s/%s left %lld objects", s->name, mm_gc_policy_name(policy),
                 mm_alloc_kind_name(alloc), (long long)mm_runtime_live_objects(rt));
    assert_int_equal(mm_runtime_check(rt), MM_OK);
    mm_runtime_destroy(rt);
}

static void
test_scenarios_run_clean(void **state)
{
    static const mm_gc_policy policies[] = { MM_GC_CPYTHON311, MM_GC_CPYTHON313,
                                             MM_GC_FULL, MM_GC_NONE, MM_GC_MARKSWEEP };
    static const mm_alloc_kind allocs[] = { MM_ALLOC_POOL, MM_ALLOC_PRIVATE,
                                            MM_ALLOC_MALLOC };
    size_t n;
    const scenario *const *r = sc_registry(&n);
    (void)state;
    for (size_t i = 0; i < n; i++) {
        for (size_t p = 0; p < sizeof policies / sizeof policies[0]; p++)
            run_one(r[i], policies[p], MM_ALLOC_POOL);
        for (size_t a = 1; a < sizeof allocs / sizeof allocs[0]; a++)
            run_one(r[i], MM_GC_CPYTHON311, allocs[a]);
    }
    /* threads with one runtime per thread (the shared case ran above). */
    const scenario *t = sc_find("threads");
    sc_values v;
    sc_counts c = { 0, 0 };
    char err[128];
    mm_runtime *rt;
    sc_defaults(t, &v);
    assert_int_equal(sc_param_set(t, &v, "shared=0", err, sizeof err), 0);
    assert_int_equal(sc_param_set(t, &v, "ops=3000", err, sizeof err), 0);
    assert_int_equal(mm_runtime_new(&rt, NULL, NULL, 0), MM_OK);
    assert_int_equal(t->run(rt, &v, 1, &c), MM_OK);
    assert_int_equal(c.ops, 2 * 3000);
    assert_int_equal(mm_runtime_live_objects(rt), 0);
    mm_runtime_destroy(rt);
}

/* Run calls (keep=0: no survivors) on a default runtime; the free lists it leaves. */
static void
calls_freelists(const char *nargs, const char *nkwargs, mm_freelist_counts *fl)
{
    const scenario *s = sc_find("calls");
    const char *const kv[] = { "calls=3000", "keep=0", nargs, nkwargs };
    sc_values v;
    sc_counts c = { 0, 0 };
    char err[128];
    mm_runtime *rt;
    assert_non_null(s);
    sc_defaults(s, &v);
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        assert_int_equal(sc_param_set(s, &v, kv[i], err, sizeof err), 0);
    assert_int_equal(mm_runtime_new(&rt, NULL, NULL, 0), MM_OK);
    assert_int_equal(s->run(rt, &v, 3, &c), MM_OK);
    assert_int_equal(c.ops, 3000);
    assert_int_equal(mm_runtime_live_objects(rt), 0);
    mm_freelist_counts_get(rt, fl);
    mm_runtime_destroy(rt);
}

/* calls reuses one args tuple, one kwargs dict and one keys table per call through the
 * free lists, as CPython 3.11's calls do: nothing else is left on them. 20-item tuples
 * are pushed but never popped (3.11), so they pile up to the cap; a kwargs dict that
 * outgrows the smallest keys table still returns that table (freed at the resize). */
static void
test_scenarios_calls_freelists(void **state)
{
    mm_freelist_counts fl;
    (void)state;
    calls_freelists("nargs=3", "nkwargs=2", &fl);
    assert_int_equal(fl.tuple[2], 1); /* args */
    assert_int_equal(fl.tuple[1], 1); /* the result pair */
    assert_int_equal(fl.dict, 1);
    assert_int_equal(fl.dict_keys, 1);
    calls_freelists("nargs=20", "nkwargs=0", &fl);
    assert_int_equal(fl.tuple[19], 2000);
    assert_int_equal(fl.dict, 0); /* f(*args): no kwargs dict */
    assert_int_equal(fl.dict_keys, 0);
    calls_freelists("nargs=0", "nkwargs=7", &fl);
    for (size_t i = 0; i < 20; i++)
        assert_int_equal(fl.tuple[i], i == 1); /* the empty tuple is a singleton */
    assert_int_equal(fl.dict, 1);
    assert_int_equal(fl.dict_keys, 1);
}

static void
test_scenarios_bad_params(void **state)
{
    const scenario *s = sc_find("trees");
    sc_values v;
    char err[256];
    (void)state;
    assert_non_null(s);
    assert_null(sc_find("tres"));
    sc_defaults(s, &v);
    assert_int_equal(sc_param_set(s, &v, "depht=5", err, sizeof err), -1);
    assert_non_null(strstr(err, "did you mean 'depth'"));
    assert_int_equal(sc_param_set(s, &v, "depth=99", err, sizeof err), -1);
    assert_non_null(strstr(err, "out of range [4, 22]"));
    assert_int_equal(sc_param_set(s, &v, "depth=4.5", err, sizeof err), -1);
    assert_non_null(strstr(err, "not an integer"));
    assert_int_equal(sc_param_set(s, &v, "depth", err, sizeof err), -1);
    assert_non_null(strstr(err, "k=v"));
    assert_int_equal(sc_param_set(s, &v, "depth=6", err, sizeof err), 0);
    assert_true(v.v[0] == 6);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenarios_run_clean),
        cmocka_unit_test(test_scenarios_calls_freelists),
        cmocka_unit_test(test_scenarios_bad_params),
    };
    return cmocka_run_group_tests_name("scenarios", tests, NULL, NULL);
}
