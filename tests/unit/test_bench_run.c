/* bench/run_metrics.c and bench/run_pauses.c: the child's run object. MMU spans the
 * measured wall time (results-and-reports.md 2.7), not the recorder's elapsed time.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run_json.h"

#include <math.h>

#define MS 1000000ull

static double
util_at(json_t *mmu, uint64_t w_ns)
{
    json_t *w = json_object_get(mmu, "windows_ns");
    json_t *u = json_object_get(mmu, "utilization");
    for (size_t i = 0; i < json_array_size(w); i++)
        if ((uint64_t)json_integer_value(json_array_get(w, i)) == w_ns)
            return json_number_value(json_array_get(u, i));
    return NAN;
}

/* The spec's vector (T = 100 ms, a 10 ms pause at 50 ms) plus a pause that straddles T
 * (95..105 ms) and one after it (110..120 ms), as the recorder can log them: its clock
 * runs from the start of the measured phase and also covers the gaps between values, so
 * elapsed_ns (130 ms here) exceeds the measured wall time. Only pause time inside
 * [0, T] counts. */
static void
test_bench_run_mmu_spans_measured_wall(void **state)
{
    bench_pause_rec p[3] = { { .t_ns = 50 * MS, .dur_ns = 10 * MS },
                             { .t_ns = 95 * MS, .dur_ns = 10 * MS },
                             { .t_ns = 110 * MS, .dur_ns = 10 * MS } };
    bench_experiment e;
    bench_recorder rec;
    struct rusage ru;
    mm_stats st;
    mm_alloc_stats as;
    json_t *warmups = json_array(), *values = json_array(), *out, *run, *mmu, *w;
    static const uint64_t windows[] = { 1, 2, 5, 10, 20, 50, 100 };
    (void)state;
    memset(&e, 0, sizeof e);
    memset(&rec, 0, sizeof rec);
    memset(&ru, 0, sizeof ru);
    memset(&st, 0, sizeof st);
    memset(&as, 0, sizeof as);
    bench_measure_default(&e.m);
    e.set.alloc = MM_ALLOC_MALLOC;
    rec.m = &e.m;
    rec.pauses = p;
    rec.npauses = rec.pause_total = 3;
    rec.gen_count[0] = 3;
    rec.gen_time[0] = 30 * MS;
    rec.max_pause = 10 * MS;
    rec.elapsed_ns = 130 * MS;
    {
        bench_child_inputs in = { &e,  &rec, "malloc", warmups, values, &ru,     &ru,
                                  &st, &st,  &as,      &as,     0,      100 * MS };
        out = bench_child_run_json(&in);
    }
    run = json_object_get(out, "run");
    mmu = json_object_get(run, "mmu");
    w = json_object_get(mmu, "windows_ns");
    assert_int_equal(json_array_size(w), sizeof windows / sizeof windows[0]);
    for (size_t i = 0; i < json_array_size(w); i++)
        assert_true((uint64_t)json_integer_value(json_array_get(w, i)) ==
                    windows[i] * MS);
    assert_true(util_at(mmu, 10 * MS) == 0.0);
    assert_true(util_at(mmu, 20 * MS) == 0.5);
    assert_true(util_at(mmu, 50 * MS) == 0.7);   /* [50, 100]: 10 ms + 5 ms before T */
    assert_true(util_at(mmu, 100 * MS) == 0.85); /* the 110 ms pause is after T */
    /* The pause list itself is untouched: all three are reported. */
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(run, "pauses"), "count")), 3);
    json_decref(out);
    json_decref(warmups);
    json_decref(values);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_run_mmu_spans_measured_wall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
