/* bench/meta.c: SHA-256 vector, canonical JSON, the host and tool objects against the
 * schema's key lists, fingerprint stability, env allow-list, UTC formats.
 * SPDX-License-Identifier: MIT */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "meta.h"

/* result.schema.json $defs.host.properties and $defs.tool.properties, in order. */
static const char *const host_keys[] = {
    "hostname",     "fingerprint",    "cpu_model",   "arch",         "logical_cpus",
    "physical_cores", "numa_nodes",   "mem_total_bytes", "page_size_bytes", "thp",
    "kernel",       "os_release",     "libc",        "cpu_governor", "cpu_boost",
    "smt_active",   "aslr",           "virtualization", "load_avg_1m", "users_logged_in",
    "clock",
};
static const char *const tool_keys[] = {
    "name",   "version", "git_commit",      "git_dirty",        "build_type",
    "compiler", "cflags", "ldflags",        "jansson_version",  "build_fingerprint",
};

static int
matches(const char *s, const char *pattern)
{
    regex_t re;
    int rc;
    assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    rc = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return rc;
}

/* obj has exactly the keys of list, in that order. */
static void
assert_keys(const json_t *obj, const char *const *list, size_t n)
{
    const char *key;
    json_t *v;
    size_t i = 0;
    assert_true(json_is_object(obj));
    assert_int_equal(json_object_size(obj), n);
    json_object_foreach((json_t *)obj, key, v) {
        (void)v;
        assert_true(i < n);
        assert_string_equal(key, list[i]);
        i++;
    }
}

static const char sha256_re[] = "^sha256:[0-9a-f]{64}$";

static void
test_sha256_fips_vector(void **state)
{
    char out[BENCH_SHA256_STR];
    (void)state;
    bench_sha256("abc", 3, out);
    assert_string_equal(
        out, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    bench_sha256("", 0, out);
    assert_string_equal(
        out, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_canonical_json(void **state)
{
    json_t *v = json_pack("{s:i,s:[i,s],s:{s:b,s:n},s:f}", "zeta", 1, "alpha", 2, "x",
                          "mid", "b", 1, "a", "pi", 3.14159265358979);
    char *s = bench_canonical_json(v), h1[BENCH_SHA256_STR], h2[BENCH_SHA256_STR];
    (void)state;
    assert_string_equal(s, "{\"alpha\":[2,\"x\"],\"mid\":{\"a\":null,\"b\":true},"
                           "\"pi\":3.141592654,\"zeta\":1}");
    assert_null(strchr(s, ' '));
    bench_sha256_json(v, h1);
    bench_sha256(s, strlen(s), h2);
    assert_string_equal(h1, h2);
    free(s);
    json_decref(v);
}

static void
test_host_keys_and_fingerprint(void **state)
{
    json_t *a = bench_host_json(0), *b = bench_host_json(0), *copy;
    const char *fa = json_string_value(json_object_get(a, "fingerprint"));
    char again[BENCH_SHA256_STR], altered[BENCH_SHA256_STR];
    (void)state;
    assert_keys(a, host_keys, sizeof host_keys / sizeof host_keys[0]);
    assert_non_null(fa);
    assert_true(matches(fa, sha256_re));
    assert_string_equal(fa, json_string_value(json_object_get(b, "fingerprint")));
    bench_host_fingerprint(a, again);
    assert_string_equal(fa, again);
    copy = json_deep_copy(a);
    json_object_set_new(copy, "cpu_model", json_string("Altered CPU 9000"));
    bench_host_fingerprint(copy, altered);
    assert_string_not_equal(fa, altered);
    /* hostname and load are not part of the fingerprint */
    json_object_set_new(copy, "cpu_model", json_incref(json_object_get(a, "cpu_model")));
    json_object_set_new(copy, "hostname", json_string("another-node"));
    json_object_set_new(copy, "load_avg_1m", json_real(99.0));
    bench_host_fingerprint(copy, altered);
    assert_string_equal(fa, altered);
    json_decref(copy);
    json_decref(a);
    json_decref(b);
}

static void
test_host_nested_objects(void **state)
{
    json_t *h = bench_host_json(0);
    json_t *clock = json_object_get(h, "clock"), *libc = json_object_get(h, "libc");
    json_t *kernel = json_object_get(h, "kernel");
    (void)state;
    assert_int_equal(json_object_size(clock), 2);
    assert_string_equal(json_string_value(json_object_get(clock, "id")),
                        "CLOCK_MONOTONIC");
    assert_non_null(json_object_get(clock, "resolution_ns"));
    assert_int_equal(json_object_size(libc), 2);
    assert_true(json_is_string(json_object_get(libc, "name")));
    assert_non_null(json_object_get(libc, "version"));
    assert_int_equal(json_object_size(kernel), 3);
    assert_true(json_is_string(json_object_get(kernel, "release")));
    json_decref(h);
}

static void
test_host_anonymize(void **state)
{
    json_t *plain = bench_host_json(0), *anon = bench_host_json(1);
    (void)state;
    assert_true(json_is_null(json_object_get(anon, "hostname")));
    assert_keys(anon, host_keys, sizeof host_keys / sizeof host_keys[0]);
    assert_string_equal(json_string_value(json_object_get(plain, "fingerprint")),
                        json_string_value(json_object_get(anon, "fingerprint")));
    json_decref(plain);
    json_decref(anon);
}

static void
test_tool(void **state)
{
    json_t *t = bench_tool_json();
    const char *fp = json_string_value(json_object_get(t, "build_fingerprint"));
    (void)state;
    assert_keys(t, tool_keys, sizeof tool_keys / sizeof tool_keys[0]);
    assert_string_equal(json_string_value(json_object_get(t, "name")), "mmbench");
    assert_true(matches(json_string_value(json_object_get(t, "version")),
                        "^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?$"));
    assert_true(matches(json_string_value(json_object_get(t, "compiler")),
                        "^(gcc|clang|unknown) [0-9]"));
    assert_non_null(fp);
    assert_true(matches(fp, sha256_re));
    json_decref(t);
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer) /* clang */
#define TEST_HAS_ASAN 1
#endif
#endif
#ifndef TEST_HAS_ASAN
#define TEST_HAS_ASAN 0
#endif

/* meta.tool.cflags are the compiler's flags, and agree with what this file (compiled by
 * the same build with the same flags) sees: optimization, NDEBUG, sanitizers. */
static void
test_tool_cflags(void **state)
{
    json_t *t = bench_tool_json();
    const char *cf = json_string_value(json_object_get(t, "cflags"));
    (void)state;
    assert_non_null(cf);
    assert_false(matches(cf, "(^| )[a-z_]+=")); /* no meson option names */
#ifdef NDEBUG
    assert_true(matches(cf, "(^| )-DNDEBUG( |$)"));
#else
    assert_false(matches(cf, "(^| )-DNDEBUG( |$)"));
#endif
#ifdef __OPTIMIZE__
    assert_true(matches(cf, "(^| )-O([1-3gsz]|fast)( |$)"));
#else
    assert_false(matches(cf, "(^| )-O([1-3gsz]|fast)( |$)"));
#endif
#if defined(__SANITIZE_ADDRESS__) || TEST_HAS_ASAN
    assert_true(matches(cf, "(^| )-fsanitize=[a-z,]*address"));
#else
    assert_false(matches(cf, "(^| )-fsanitize=[a-z,]*address"));
#endif
    json_decref(t);
}

static void
test_env_allow_list(void **state)
{
    json_t *env;
    (void)state;
    setenv("MMBENCH_X", "1", 1);
    setenv("SECRET_TOKEN", "2", 1);
    setenv("LD_PRELOAD", "/a/b/libx.so", 1);
    env = bench_env_json(0);
    assert_string_equal(json_string_value(json_object_get(env, "MMBENCH_X")), "1");
    assert_null(json_object_get(env, "SECRET_TOKEN"));
    assert_string_equal(json_string_value(json_object_get(env, "LD_PRELOAD")),
                        "/a/b/libx.so");
    json_decref(env);
    env = bench_env_json(1);
    assert_string_equal(json_string_value(json_object_get(env, "LD_PRELOAD")), "libx.so");
    assert_string_equal(json_string_value(json_object_get(env, "MMBENCH_X")), "1");
    assert_null(json_object_get(env, "SECRET_TOKEN"));
    json_decref(env);
    unsetenv("LD_PRELOAD"); /* would otherwise reach the sanitizer's own checks */
    unsetenv("MMBENCH_X");
    unsetenv("SECRET_TOKEN");
    assert_true(bench_env_allowed("MALLOC_CONF"));
    assert_true(bench_env_allowed("MIMALLOC_SHOW_STATS"));
    assert_true(bench_env_allowed("LANG"));
    assert_false(bench_env_allowed("LANGUAGE"));
    assert_false(bench_env_allowed("PATH"));
    assert_false(bench_env_allowed("LD_LIBRARY_PATH"));
}

static void
test_preload_basenames(void **state)
{
    char *s = bench_preload_basenames("/usr/lib/a.so:libb.so /x/y/c.so.2  ::/d/");
    (void)state;
    assert_string_equal(s, "a.so:libb.so c.so.2  ::");
    free(s);
    s = bench_preload_basenames("");
    assert_string_equal(s, "");
    free(s);
}

static void
test_utc_strings(void **state)
{
    struct timespec ts = {.tv_sec = 1700000000, .tv_nsec = 123456789}, now;
    char s[40], c[32];
    (void)state;
    bench_utc_string(&ts, s, sizeof s);
    assert_string_equal(s, "2023-11-14T22:13:20.123Z");
    bench_utc_compact(&ts, c, sizeof c);
    assert_string_equal(c, "20231114T221320Z");
    clock_gettime(CLOCK_REALTIME, &now);
    bench_utc_string(&now, s, sizeof s);
    assert_true(matches(
        s, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$"));
    bench_utc_compact(&now, c, sizeof c);
    assert_true(matches(c, "^[0-9]{8}T[0-9]{6}Z$"));
    bench_utc_string(&ts, s, 10); /* too small: empty, never truncated */
    assert_string_equal(s, "");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_fips_vector),
        cmocka_unit_test(test_canonical_json),
        cmocka_unit_test(test_host_keys_and_fingerprint),
        cmocka_unit_test(test_host_nested_objects),
        cmocka_unit_test(test_host_anonymize),
        cmocka_unit_test(test_tool),
        cmocka_unit_test(test_tool_cflags),
        cmocka_unit_test(test_env_allow_list),
        cmocka_unit_test(test_preload_basenames),
        cmocka_unit_test(test_utc_strings),
    };
    if (getenv("MMBENCH_META_PRINT")) {
        json_t *h = bench_host_json(0), *t = bench_tool_json();
        json_dumpf(h, stdout, JSON_INDENT(1));
        fputc('\n', stdout);
        json_dumpf(t, stdout, JSON_INDENT(1));
        fputc('\n', stdout);
        json_decref(h);
        json_decref(t);
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
