/* Allocation-failure sweep over every scenario at a small size (issue 9, style.md rule
 * 43): fail the Nth allocation (transient and persistent) for N = 1, 2, ... until the
 * scenario completes; each failure must come back as an error, leak nothing, keep the
 * heap sound and the runtime usable. Needs -Dfault_injection=true.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "scenario.h"

uint64_t mmi_alloc_fault_arm(mm_runtime *rt, uint64_t at, int persistent);

static const char *const tiny[][5] = {
    { "churn", "ops=300", "live=40", NULL },
    { "cycles", "n=60", "shape=2", "ring=5" },
    { "trees", "depth=4", "longlived=4", NULL },
    { "generators", "n=10", "fab=6", NULL },
    { "longlived", "cache=40", "temps=60", "freeze=1" },
    { "fragmentation", "n=60", "keep=5", NULL },
    { "typepools", "n=80", NULL, NULL },
    { "deepchain", "depth=200", NULL, NULL },
    { "copy", "copies=3", "width=3", "depth=2" },
    { "comprehension", "rounds=3", "len=20", NULL },
    { "calls", "calls=30", "nkwargs=7", "keep=0.5", "ring=4" },
    { "webapp", "requests=30", "cyclic=0.5", "sessions=5" },
    { "threads", "threads=2", "ops=100", "batch=10" },
};

static uint64_t
sweep(const scenario *s, const sc_values *v, int persistent)
{
    for (uint64_t n = 1;; n++) {
        mm_runtime *rt;
        sc_counts c = { 0, 0 };
        uint64_t injected;
        int rc;
        assert_int_equal(mm_runtime_new(&rt, NULL, NULL, 0), MM_OK);
        mmi_alloc_fault_arm(rt, n, persistent);
        rc = s->run(rt, v, 7, &c);
        injected = mmi_alloc_fault_arm(rt, 0, 0);
        if (rc != MM_OK && injected == 0)
            fail_msg("%s N=%llu: failed (%d) with no injected failure", s->name,
                     (unsigned long long)n, rc);
        mm_gc_collect(rt, 2, NULL);
        if (mm_runtime_live_objects(rt) != 0 || mm_runtime_check(rt) != MM_OK)
            fail_msg("%s N=%llu (%s): %lld objects left or heap broken", s->name,
                     (unsigned long long)n, persistent ? "persistent" : "transient",
                     (long long)mm_runtime_live_objects(rt));
        mm_object *after = mm_list_new(rt);
        assert_non_null(after);
        mm_decref(rt, after);
        mm_runtime_destroy(rt);
        if (injected == 0)
            return n - 1;
        if (n > 20000)
            fail_msg("%s: more than 20000 failure points", s->name);
    }
}

static void
test_scenario_faults_every_scenario(void **state)
{
    size_t n;
    const scenario *const *r = sc_registry(&n);
    (void)state;
    for (size_t i = 0; i < n; i++) {
        const scenario *s = r[i];
        sc_values v;
        char err[128];
        size_t row = 0;
        while (row < sizeof tiny / sizeof tiny[0] && strcmp(tiny[row][0], s->name))
            row++;
        assert_true(row < sizeof tiny / sizeof tiny[0]);
        sc_defaults(s, &v);
        for (int k = 1; k < 5 && tiny[row][k]; k++)
            assert_int_equal(sc_param_set(s, &v, tiny[row][k], err, sizeof err), 0);
        uint64_t t = sweep(s, &v, 0), p = sweep(s, &v, 1);
        printf("%-14s %llu failure points (transient), %llu (persistent), all handled\n",
               s->name, (unsigned long long)t, (unsigned long long)p);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_faults_every_scenario),
    };
    return cmocka_run_group_tests_name("scenario_faults", tests, NULL, NULL);
}
