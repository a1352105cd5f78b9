/* Shared setup for the cmocka unit tests: a fresh runtime per test, an error hook that
 * records reports, and the leak check at teardown (style.md rule 41).
 * SPDX-License-Identifier: MIT */
#ifndef TESTS_HARNESS_H
#define TESTS_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mm/mm.h>

typedef struct th_state {
    mm_runtime *rt;
    int nerrors;
    int last_code;
    char last_text[256];
} th_state;

static inline void
th_on_error(void *arg, int code, const char *file, int line, const char *text)
{
    th_state *st = arg;
    (void)file, (void)line;
    st->nerrors++;
    st->last_code = code;
    snprintf(st->last_text, sizeof st->last_text, "%s", text);
}

static th_state th_current;

static inline int
th_setup_with(void **state, const mm_config *cfg)
{
    mm_config c;
    char err[256];
    if (cfg)
        c = *cfg;
    else
        mm_config_default(&c);
    memset(&th_current, 0, sizeof th_current);
    c.on_error = th_on_error;
    c.error_arg = &th_current;
    if (mm_runtime_new(&th_current.rt, &c, err, sizeof err) != MM_OK) {
        fprintf(stderr, "runtime: %s\n", err);
        return -1;
    }
    *state = &th_current;
    return 0;
}

static inline int
th_setup(void **state)
{
    return th_setup_with(state, NULL);
}

/* The leak check: the test dropped (and collected) everything it made. */
static inline int
th_teardown(void **state)
{
    th_state *st = *state;
    int64_t live = mm_runtime_live_objects(st->rt);
    int ok = mm_runtime_check(st->rt) == MM_OK;
    mm_runtime_destroy(st->rt);
    if (live != 0)
        fprintf(stderr, "leak check: %lld objects still alive\n", (long long)live);
    if (!ok)
        fprintf(stderr, "heap check failed\n");
    return live == 0 && ok ? 0 : -1;
}

#define RT (((th_state *)*state)->rt)
#define TH_TEST(fn) cmocka_unit_test_setup_teardown(fn, th_setup, th_teardown)

#endif
