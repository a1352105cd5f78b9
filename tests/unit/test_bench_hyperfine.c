/* hyperfine 1.15 exports (results-and-reports.md 5.5, 8.4.7): string parameters map back
 * to setting labels; truncated exports and nonzero exit codes are refused.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hyperfine.h"

static const char *const labels[] = { "cpython311", "t0-2000" };

/* Shaped like hyperfine 1.15's --export-json: parameters are strings. */
static json_t *
export_doc(int n_results, int bad_exit, int truncated)
{
    json_t *results = json_array();
    for (int i = 0; i < n_results; i++) {
        json_t *times = json_pack("[f,f,f]", 0.101, 0.099, 0.1);
        json_t *codes = json_pack("[i,i,i]", 0, bad_exit && i == 1 ? 1 : 0, 0);
        if (truncated && i == 1)
            json_array_remove(codes, 2);
        json_array_append_new(results, json_pack(
            "{s:s,s:f,s:f,s:f,s:f,s:o,s:o,s:{s:s}}", "command", "mmbench run trees ...",
            "mean", 0.1, "stddev", 0.001, "user", 0.09, "system", 0.01, "times", times,
            "exit_codes", codes, "parameters", "setting", labels[i]));
    }
    return json_pack("{s:o}", "results", results);
}

static void
test_hyperfine_accepts_string_parameters(void **state)
{
    char err[256];
    json_t *doc = export_doc(2, 0, 0);
    (void)state;
    assert_int_equal(bench_hyperfine_check(doc, labels, 2, err, sizeof err), 0);
    json_decref(doc);
}

static void
test_hyperfine_refuses_nonzero_exit(void **state)
{
    char err[256];
    json_t *doc = export_doc(2, 1, 0);
    (void)state;
    assert_int_equal(bench_hyperfine_check(doc, labels, 2, err, sizeof err), -1);
    assert_non_null(strstr(err, "exit_codes"));
    json_decref(doc);
}

static void
test_hyperfine_refuses_truncated(void **state)
{
    char err[256];
    json_t *doc = export_doc(1, 0, 0), *doc2 = export_doc(2, 0, 1);
    (void)state;
    /* interrupted: hyperfine rewrote the file after the first command only */
    assert_int_equal(bench_hyperfine_check(doc, labels, 2, err, sizeof err), -1);
    assert_non_null(strstr(err, "expected 2 entries"));
    assert_int_equal(bench_hyperfine_check(doc2, labels, 2, err, sizeof err), -1);
    json_decref(doc);
    json_decref(doc2);
}

static void
test_hyperfine_refuses_wrong_label(void **state)
{
    char err[256];
    static const char *const other[] = { "cpython311", "t0-5000" };
    json_t *doc = export_doc(2, 0, 0);
    (void)state;
    assert_int_equal(bench_hyperfine_check(doc, other, 2, err, sizeof err), -1);
    assert_non_null(strstr(err, "parameters/setting"));
    json_decref(doc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hyperfine_accepts_string_parameters),
        cmocka_unit_test(test_hyperfine_refuses_nonzero_exit),
        cmocka_unit_test(test_hyperfine_refuses_truncated),
        cmocka_unit_test(test_hyperfine_refuses_wrong_label),
    };
    return cmocka_run_group_tests_name("hyperfine", tests, NULL, NULL);
}
