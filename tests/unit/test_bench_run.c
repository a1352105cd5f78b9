/* bench/run_metrics.c, run_pauses.c and pause_pick.c: the child's run object. MMU spans
 * the measured wall time (results-and-reports.md 2.7), not the recorder's elapsed time;
 * the event rows chosen online are the ones 2.6.4 defines, in bounded memory.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run_json.h"

#include <math.h>
#include <stdlib.h>

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
    const bench_pause_rec p[3] = { { .t_ns = 50 * MS, .dur_ns = 10 * MS },
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
    memset(&ru, 0, sizeof ru);
    memset(&st, 0, sizeof st);
    memset(&as, 0, sizeof as);
    bench_measure_default(&e.m);
    e.set.alloc = MM_ALLOC_MALLOC;
    bench_recorder_init(&rec, NULL, &e.m, 1);
    for (int i = 0; i < 3; i++)
        bench_recorder_add_pause(&rec, &p[i]);
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
    bench_recorder_free(&rec);
    json_decref(warmups);
    json_decref(values);
}

/* A pause stream with ties and full collections: pause i lasts (i * 7919) % 97 us. */
static bench_pause_rec
synth(uint64_t i)
{
    bench_pause_rec p = { .t_ns = i * MS, .dur_ns = (i * 7919 % 97) * 1000, .gen = 0 };
    if (i % 13 == 5)
        p.gen = 2;
    else if (i % 5 == 1)
        p.gen = 1;
    p.examined = i;
    return p;
}

static bench_pick_row *
pick(uint64_t n, uint64_t seed, const bench_measure *m, size_t *nrows, int *bounded)
{
    bench_pick k;
    bench_pick_row *rows;
    bench_pick_init(&k, m, seed);
    for (uint64_t i = 0; i < n; i++) {
        bench_pause_rec p = synth(i);
        bench_pick_add(&k, &p);
    }
    /* bounded memory whatever n: the candidates only */
    assert_true(k.nall <= m->max_events && k.noldest <= m->max_events / 4);
    assert_true(k.ntop <= m->top_n && k.nres <= (size_t)m->top_n + m->reservoir);
    rows = bench_pick_rows(&k, nrows, bounded);
    bench_pick_free(&k);
    return rows;
}

/* Up to max_events pauses: every one, policy "all", in time order. */
static void
test_bench_pick_all(void **state)
{
    bench_measure m;
    size_t n;
    int bounded;
    bench_pick_row *rows;
    (void)state;
    bench_measure_default(&m);
    rows = pick(m.max_events, 1, &m, &n, &bounded);
    assert_false(bounded);
    assert_int_equal(n, m.max_events);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i].p.examined, i);
        assert_int_equal(rows[i].kept, BENCH_KEPT_ALL);
    }
    free(rows);
}

static int
cmp_longest(const void *a, const void *b)
{
    const bench_pause_rec *x = a, *y = b;
    if (x->dur_ns != y->dur_ns)
        return x->dur_ns > y->dur_ns ? -1 : 1;
    return x->examined < y->examined ? -1 : 1;
}

/* Beyond max_events: the first max_events/4 full collections, the top_n longest of the
 * others (earliest first among equal ones), and `reservoir` distinct others from the
 * rest, sorted by time; the same seed gives the same rows. Checked against the choice
 * made offline from the whole stream. */
static void
test_bench_pick_bounded_matches_offline(void **state)
{
    bench_measure m;
    const uint64_t N = 20000;
    size_t n, n2, nothers = 0, noldest = 0, ntop = 0, nres = 0;
    int bounded;
    bench_pick_row *rows, *again;
    bench_pause_rec *others = malloc(N * sizeof *others);
    unsigned char *is_top = calloc(N, 1), *seen = calloc(N, 1);
    (void)state;
    bench_measure_default(&m);
    m.max_events = 200;
    m.top_n = 16;
    m.reservoir = 100;
    for (uint64_t i = 0, g2 = 0; i < N; i++) {
        bench_pause_rec p = synth(i);
        if (p.gen == 2 && g2 < m.max_events / 4)
            g2++;
        else
            others[nothers++] = p;
    }
    qsort(others, nothers, sizeof *others, cmp_longest);
    for (size_t i = 0; i < m.top_n; i++)
        is_top[others[i].examined] = 1;
    rows = pick(N, 42, &m, &n, &bounded);
    assert_true(bounded);
    assert_int_equal(n, m.max_events / 4 + m.top_n + m.reservoir);
    for (size_t i = 0; i < n; i++) {
        uint64_t id = rows[i].p.examined;
        assert_false(seen[id]);
        seen[id] = 1;
        if (i)
            assert_true(rows[i - 1].p.t_ns < rows[i].p.t_ns);
        if (rows[i].kept == BENCH_KEPT_OLDEST) {
            assert_int_equal(rows[i].p.gen, 2);
            assert_int_equal(id % 13, 5);
            assert_true(id / 13 < m.max_events / 4); /* the first ones */
            noldest++;
        } else if (rows[i].kept == BENCH_KEPT_TOP) {
            assert_true(is_top[id]);
            ntop++;
        } else {
            assert_int_equal(rows[i].kept, BENCH_KEPT_RESERVOIR);
            assert_false(is_top[id]);
            assert_false(id % 13 == 5 && id / 13 < m.max_events / 4);
            nres++;
        }
    }
    assert_int_equal(noldest, m.max_events / 4);
    assert_int_equal(ntop, m.top_n);
    assert_int_equal(nres, m.reservoir);
    again = pick(N, 42, &m, &n2, &bounded);
    assert_int_equal(n2, n);
    assert_memory_equal(again, rows, n * sizeof *rows);
    free(again);
    free(rows);
    free(others);
    free(is_top);
    free(seen);
}

/* The reservoir rows are a uniform sample of the rest (the others without the 20
 * longest): over 4000 seeds each of the 540 rest pauses is drawn close to
 * 4000 x 100 / 540 = 741 times (binomial sd 25.0; the bound is 6 sd). */
static void
test_bench_pick_reservoir_uniform(void **state)
{
    bench_measure m;
    const uint64_t N = 600;
    unsigned *hits = calloc(N, sizeof *hits);
    unsigned char *is_top = calloc(N, 1);
    bench_pause_rec *others = malloc(N * sizeof *others);
    size_t nothers = 0;
    double expect = 4000.0 * 100 / 540;
    (void)state;
    bench_measure_default(&m);
    m.max_events = 160; /* the first 40 of the 47 full collections are "oldest" */
    m.top_n = 20;
    m.reservoir = 100;
    for (uint64_t i = 0; i < N; i++)
        if (!(i % 13 == 5 && i / 13 < m.max_events / 4))
            others[nothers++] = synth(i);
    assert_int_equal(nothers, 560);
    qsort(others, nothers, sizeof *others, cmp_longest);
    for (size_t i = 0; i < m.top_n; i++)
        is_top[others[i].examined] = 1;
    for (uint64_t seed = 1; seed <= 4000; seed++) {
        size_t n;
        int bounded;
        bench_pick_row *rows = pick(N, seed, &m, &n, &bounded);
        for (size_t i = 0; i < n; i++)
            if (rows[i].kept == BENCH_KEPT_RESERVOIR)
                hits[rows[i].p.examined]++;
        free(rows);
    }
    for (uint64_t i = 0; i < N; i++) {
        if (is_top[i] || (i % 13 == 5 && i / 13 < m.max_events / 4))
            assert_int_equal(hits[i], 0);
        else
            assert_true(fabs(hits[i] - expect) < 6 * 25.0);
    }
    free(hits);
    free(is_top);
    free(others);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_run_mmu_spans_measured_wall),
        cmocka_unit_test(test_bench_pick_all),
        cmocka_unit_test(test_bench_pick_bounded_matches_offline),
        cmocka_unit_test(test_bench_pick_reservoir_uniform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
