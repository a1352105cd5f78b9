/* bench/warnings.c and bench/warnings_env.c against the rules of results-and-reports.md
 * 2.10, on small synthetic result documents (summary and warnings recomputed by
 * bench_result_finish, as merge does).
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "result.h"

/* One ok run: nv values of 10 ms each, fixed counters. Every run of a fixture starts
 * equal, so only what a test changes can vary. */
static json_t *
fixture_run(size_t nv)
{
    json_t *values = json_array();
    for (size_t i = 0; i < nv; i++)
        json_array_append_new(values, json_pack("{s:i,s:I,s:I}", "loops", 1, "wall_ns",
                                                (json_int_t)10000000, "cpu_ns",
                                                (json_int_t)10000000));
    return json_pack(
        "{s:s,s:o,s:{s:I,s:I,s:I,s:I,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,"
        "s:{s:[i,i,i],s:[i,i,i],s:[i,i,i],s:[i,i,i],s:[i,i,i]},s:I,s:f,s:f,s:I},"
        "s:{s:i,s:I,s:I,s:I,s:{s:I,s:n,s:n,s:n,s:I},s:s,s:{s:i,s:[[i,i,i,i,i,i]]},"
        "s:{s:s,s:i,s:i,s:[]}},s:{s:[],s:[]},s:{s:i}}",
        "status", "ok", "values", values, "metrics", "wall_ns",
        (json_int_t)(10000000 * nv), "cpu_user_ns", (json_int_t)9000000, "cpu_sys_ns",
        (json_int_t)1000000, "peak_rss_bytes", (json_int_t)50000000, "peak_rss_scope",
        "measured", "rss_end_bytes", (json_int_t)40000000, "rss_max_sampled_bytes",
        (json_int_t)40000000, "minor_faults", (json_int_t)100, "major_faults",
        (json_int_t)0, "ctx_voluntary", (json_int_t)1, "ctx_involuntary", (json_int_t)1,
        "allocations", (json_int_t)1000, "frees", (json_int_t)900, "frees_by_refcount",
        (json_int_t)800, "frees_by_gc", (json_int_t)100, "bytes_allocated",
        (json_int_t)64000, "gc", "collections", 1, 0, 0, "objects_examined", 50, 0, 0,
        "collected", 100, 0, 0, "uncollectable", 0, 0, 0, "time_ns", 1000, 0, 0,
        "gc_time_ns", (json_int_t)1000, "gc_time_share", 0.0001, "throughput_pct", 99.99,
        "sampler_overhead_ns", (json_int_t)0, "pauses", "count", 1, "total_ns",
        (json_int_t)1000, "min_ns", (json_int_t)1000, "max_ns", (json_int_t)1000,
        "percentiles_ns", "p50", (json_int_t)1000, "p90", "p99", "p99_9", "max",
        (json_int_t)1000, "percentile_method", "exact-nearest-rank", "histogram",
        "sub_buckets", 32, "bins", 992, 1007, 1, 1, 0, 0, "events", "policy", "all",
        "total", 1, "kept", 0, "rows", "mmu", "windows_ns", "utilization", "timeseries",
        "decimations", 0);
}

/* A result with n such runs on a quiet release build. */
static json_t *
fixture(size_t n, size_t nv)
{
    json_t *runs = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(runs, fixture_run(nv));
    return json_pack("{s:{s:{s:s,s:s},s:{s:n,s:b,s:f,s:i,s:i,s:{s:i}}},"
                     "s:{s:{s:s},s:i,s:{s:i,s:s}},s:o}",
                     "meta", "tool", "build_type", "release", "cflags",
                     "-DNDEBUG -std=c11 -O3", "host", "cpu_governor", "cpu_boost", 0,
                     "load_avg_1m", 0.0, "logical_cpus", 8, "users_logged_in", 1, "clock",
                     "resolution_ns", 1, "config", "scenario", "name", "fix", "seed", 1,
                     "measurement", "resamples", 0, "order", "abab", "runs", runs);
}

static json_t *
run_at(json_t *doc, size_t i)
{
    return json_array_get(json_object_get(doc, "runs"), i);
}

static void
set_metric(json_t *doc, size_t run, const char *key, json_int_t v)
{
    json_object_set_new(json_object_get(run_at(doc, run), "metrics"), key,
                        json_integer(v));
}

static void
set_gen(json_t *doc, size_t run, const char *key, size_t gen, json_int_t v)
{
    json_t *gc = json_object_get(json_object_get(run_at(doc, run), "metrics"), "gc");
    json_array_set_new(json_object_get(gc, key), gen, json_integer(v));
}

static void
set_value_wall(json_t *doc, size_t run, size_t value, json_int_t wall_ns)
{
    json_t *v = json_array_get(json_object_get(run_at(doc, run), "values"), value);
    json_object_set_new(v, "wall_ns", json_integer(wall_ns));
}

/* Recompute summary and warnings; the k-th warning with this code (or NULL). */
static json_t *
warning(json_t *doc, const char *code, size_t k)
{
    json_t *w;
    size_t i;
    json_array_foreach(json_object_get(doc, "warnings"), i, w)
    {
        if (!strcmp(json_string_value(json_object_get(w, "code")), code) && k-- == 0)
            return w;
    }
    return NULL;
}

static size_t
count(json_t *doc, const char *code)
{
    size_t n = 0;
    while (warning(doc, code, n))
        n++;
    return n;
}

static const char *
message(json_t *w)
{
    return json_string_value(json_object_get(w, "message"));
}

/* ---- W_NEEDS_RUNS: per metric with delta > 0 ---- */

static void
test_bench_warnings_needs_runs_per_metric(void **state)
{
    json_t *doc = fixture(6, 1), *w;
    (void)state;
    for (size_t i = 0; i < 6; i++) {
        set_metric(doc, i, "peak_rss_bytes", 50000000 + (json_int_t)(i % 2) * 5000000);
        set_metric(doc, i, "bytes_allocated", 64000 + (json_int_t)i * 9000); /* delta 0 */
    }
    bench_result_finish(doc);
    assert_int_equal(count(doc, "W_NEEDS_RUNS"), 1);
    w = warning(doc, "W_NEEDS_RUNS", 0);
    assert_string_equal(json_string_value(json_object_get(w, "severity")), "info");
    assert_string_equal(json_string_value(json_object_get(w, "metric")),
                        "peak_rss_bytes");
    assert_non_null(strstr(message(w), "peak_rss_bytes"));
    assert_non_null(strstr(message(w), "2%"));
    /* n_req = ceil((2 x 1.96 x sd(ln x) / ln 1.02)^2), x = 3 x 50e6 and 3 x 55e6 */
    assert_true(json_number_value(json_object_get(w, "value")) == 107);
    assert_true(json_number_value(json_object_get(w, "threshold")) == 6);
    json_decref(doc);
}

/* ---- W_OUTLIERS: one per run, listing its metrics ---- */

static void
test_bench_warnings_outliers_one_per_run(void **state)
{
    json_t *doc = fixture(6, 1), *w;
    (void)state;
    set_metric(doc, 4, "peak_rss_bytes", 150000000);
    set_metric(doc, 4, "cpu_sys_ns", 9000000);
    set_metric(doc, 1, "major_faults", 7);
    bench_result_finish(doc);
    assert_int_equal(count(doc, "W_OUTLIERS"), 2);
    w = warning(doc, "W_OUTLIERS", 0);
    assert_int_equal(json_integer_value(json_object_get(w, "run")), 1);
    assert_string_equal(json_string_value(json_object_get(w, "metric")), "major_faults");
    w = warning(doc, "W_OUTLIERS", 1);
    assert_string_equal(json_string_value(json_object_get(w, "severity")), "info");
    assert_int_equal(json_integer_value(json_object_get(w, "run")), 4);
    assert_non_null(strstr(message(w), "peak_rss_bytes"));
    assert_non_null(strstr(message(w), "cpu_sys_ns"));
    assert_true(json_is_null(json_object_get(w, "metric"))); /* several: see message */
    json_decref(doc);

    doc = fixture(4, 1); /* n < 5: no outlier rule */
    set_metric(doc, 2, "peak_rss_bytes", 150000000);
    bench_result_finish(doc);
    assert_int_equal(count(doc, "W_OUTLIERS"), 0);
    json_decref(doc);
}

/* ---- W_NONDETERMINISTIC: allocations, collections (every generation), collected ---- */

static void
test_bench_warnings_nondeterministic_counters(void **state)
{
    json_t *doc = fixture(3, 1), *w;
    (void)state;
    bench_result_finish(doc);
    assert_int_equal(count(doc, "W_NONDETERMINISTIC"), 0);
    json_decref(doc);

    doc = fixture(3, 1);
    set_gen(doc, 2, "collections", 1, 1);
    bench_result_finish(doc);
    w = warning(doc, "W_NONDETERMINISTIC", 0);
    assert_non_null(w);
    assert_string_equal(json_string_value(json_object_get(w, "metric")),
                        "collections_gen1");
    assert_int_equal(json_integer_value(json_object_get(w, "run")), 2);
    json_decref(doc);

    doc = fixture(3, 1);
    set_gen(doc, 1, "collected", 0, 101);
    bench_result_finish(doc);
    w = warning(doc, "W_NONDETERMINISTIC", 0);
    assert_non_null(w);
    assert_string_equal(json_string_value(json_object_get(w, "metric")),
                        "collected_gen0");
    assert_non_null(strstr(message(w), "collected_gen0"));
    json_decref(doc);
}

/* ---- W_WARMUP: first value >= 5% slower than the run's median in >= 80% of runs ---- */

static void
test_bench_warnings_warmup_any_value_count(void **state)
{
    json_t *doc = fixture(5, 2);
    (void)state;
    /* 2 values: median = (12 + 10) / 2 = 11 ms, first = 12 ms, 9.1% slower. */
    for (size_t i = 0; i < 4; i++)
        set_value_wall(doc, i, 0, 12000000);
    bench_result_finish(doc);
    assert_int_equal(count(doc, "W_WARMUP"), 1); /* 4 of 5 runs */
    json_decref(doc);

    doc = fixture(5, 2);
    for (size_t i = 0; i < 3; i++)
        set_value_wall(doc, i, 0, 12000000);
    bench_result_finish(doc);
    assert_int_equal(count(doc, "W_WARMUP"), 0); /* 3 of 5 runs */
    json_decref(doc);

    doc = fixture(5, 1); /* one value: the first is the median */
    bench_result_finish(doc);
    assert_int_equal(count(doc, "W_WARMUP"), 0);
    json_decref(doc);
}

/* ---- W_DEBUG_BUILD: build_type not release, or NDEBUG undefined ---- */

static void
set_tool(json_t *doc, const char *build_type, const char *cflags)
{
    json_t *tool = json_object_get(json_object_get(doc, "meta"), "tool");
    json_object_set_new(tool, "build_type", json_string(build_type));
    json_object_set_new(tool, "cflags", json_string(cflags));
}

static void
test_bench_warnings_debug_build_checks_ndebug(void **state)
{
    static const struct {
        const char *build_type, *cflags;
        size_t warns;
    } cases[] = {
        { "release", "-DNDEBUG -std=c11 -O3", 0 },
        { "release", "-std=c11 -O3 -DNDEBUG=1", 0 },
        { "release", "-std=c11 -O3", 1 },
        { "release", "-DNDEBUG -std=c11 -O3 -UNDEBUG", 1 },
        { "release", "-DNDEBUGX -O3", 1 },
        { "debug", "-DNDEBUG -std=c11 -O0 -g", 1 },
        { "release", " buildtype=release b_sanitize=none", 0 }, /* older files: unknown */
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *doc = fixture(2, 1);
        set_tool(doc, cases[i].build_type, cases[i].cflags);
        bench_result_finish(doc);
        if (count(doc, "W_DEBUG_BUILD") != cases[i].warns)
            fail_msg("build_type %s, cflags '%s': %zu W_DEBUG_BUILD", cases[i].build_type,
                     cases[i].cflags, count(doc, "W_DEBUG_BUILD"));
        json_decref(doc);
    }
}

/* ---- W_LOAD: users_logged_in null is unknown, never 0 ---- */

static void
set_host(json_t *doc, double load, json_t *users)
{
    json_t *host = json_object_get(json_object_get(doc, "meta"), "host");
    json_object_set_new(host, "load_avg_1m", json_real(load));
    json_object_set_new(host, "users_logged_in", users);
}

static void
test_bench_warnings_load_users_unknown(void **state)
{
    json_t *doc = fixture(2, 1), *w;
    (void)state;
    set_host(doc, 4.0, json_null());
    bench_result_finish(doc);
    w = warning(doc, "W_LOAD", 0);
    assert_non_null(w);
    assert_null(strstr(message(w), "0 users"));
    assert_non_null(strstr(message(w), "load 4.00"));
    json_decref(doc);

    doc = fixture(2, 1);
    set_host(doc, 0.0, json_integer(3));
    bench_result_finish(doc);
    w = warning(doc, "W_LOAD", 0);
    assert_non_null(w);
    assert_non_null(strstr(message(w), "3 users logged in"));
    json_decref(doc);

    doc = fixture(2, 1);
    set_host(doc, 0.0, json_null());
    bench_result_finish(doc);
    assert_int_equal(count(doc, "W_LOAD"), 0);
    json_decref(doc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_warnings_needs_runs_per_metric),
        cmocka_unit_test(test_bench_warnings_outliers_one_per_run),
        cmocka_unit_test(test_bench_warnings_nondeterministic_counters),
        cmocka_unit_test(test_bench_warnings_warmup_any_value_count),
        cmocka_unit_test(test_bench_warnings_debug_build_checks_ndebug),
        cmocka_unit_test(test_bench_warnings_load_users_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
