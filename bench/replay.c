/* `mmbench replay`: run a validation op script on libmm, print the observed result in
 * the schema of the case's `expected`, and optionally compare (results-and-reports.md
 * section 8.1). Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "replay.h"

static const char replay_usage[] =
    "usage: mmbench replay CASE.json [--gc cpython311|cpython313] [--freelists on|off]\n"
    "                      [--compare [--version 3.11.7|3.13.0] [--ignore KEY]...]\n"
    "\n"
    "Run an op script of the CPython validation oracle (format: "
    "docs/validation.md) on a\n"
    "fresh libmm runtime and print one JSON object with exactly the keys of the case's\n"
    "\"expected\" result on stdout.\n"
    "\n"
    "  --gc POLICY       cpython311 (default) or cpython313 (safepoint before every op)\n"
    "  --freelists on|off  CPython's per-type free lists (default on)\n"
    "  --compare         compare with the case's expected result (or --version's), list\n"
    "                    the differences on stderr; exit 1 on a mismatch\n"
    "  --version V       3.11.7 (default: \"expected\") or a key of the case's \"also\"\n"
    "  --ignore KEY      skip KEY wherever it appears (e.g. freelists); repeatable\n"
    "\n"
    "Exit status: 0 ran (and matched), 1 mismatch, 2 bad case file, "
    "flag or unsupported op.\n";

/* ---- Comparison ---- */

static int
ignored(const char *key, const char *const *ignore, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(key, ignore[i]) == 0)
            return 1;
    return 0;
}

static void
diff_line(FILE *out, const char *path, const json_t *want, const json_t *got)
{
    char *w, *g;
    if (!out)
        return;
    w = want ? json_dumps(want, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    g = got ? json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    fprintf(out, "  %s: expected %.200s, got %.200s\n", path, w ? w : "(missing)",
            g ? g : "(missing)");
    free(w);
    free(g);
}

static size_t
compare_at(const json_t *want, const json_t *got, char *path, size_t plen,
           const char *const *ignore, size_t nignore, FILE *out)
{
    size_t n = 0;
    if (json_is_object(want) && json_is_object(got)) {
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)want, key, v) {
            if (ignored(key, ignore, nignore))
                continue;
            snprintf(path + plen, 512 - plen, "/%s", key);
            n += compare_at(v, json_object_get(got, key), path, strlen(path), ignore,
                            nignore, out);
        }
        json_object_foreach((json_t *)got, key, v) {
            if (!json_object_get(want, key) && !ignored(key, ignore, nignore)) {
                snprintf(path + plen, 512 - plen, "/%s", key);
                diff_line(out, path, NULL, v);
                n++;
            }
        }
        path[plen] = '\0';
        return n;
    }
    if (json_is_array(want) && json_is_array(got) &&
        json_array_size(want) == json_array_size(got)) {
        for (size_t i = 0; i < json_array_size(want); i++) {
            snprintf(path + plen, 512 - plen, "/%zu", i);
            n += compare_at(json_array_get(want, i), json_array_get(got, i), path,
                            strlen(path), ignore, nignore, out);
        }
        path[plen] = '\0';
        return n;
    }
    if (want && got && json_equal((json_t *)want, (json_t *)got))
        return 0;
    diff_line(out, path[0] ? path : "/", want, got);
    return 1;
}

size_t
rp_compare(const json_t *expected, const json_t *actual, const char *const *ignore,
           size_t nignore, FILE *out)
{
    char path[512] = "";
    return compare_at(expected, actual, path, 0, ignore, nignore, out);
}

/* ---- Command ---- */

typedef struct replay_args {
    const char *case_path, *version;
    mm_gc_policy policy;
    int freelists, compare;
    const char *ignore[16];
    size_t nignore;
} replay_args;

static int
usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "mmbench: error: replay: %s%s%s\n", msg, arg ? " " : "",
            arg ? arg : "");
    fprintf(stderr, "see 'mmbench replay --help'\n");
    return 2;
}

static int
parse_args(int argc, char **argv, replay_args *a)
{
    memset(a, 0, sizeof *a);
    a->freelists = 1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = strcmp(arg, "--gc") == 0 || strcmp(arg, "--freelists") == 0 ||
                    strcmp(arg, "--version") == 0 || strcmp(arg, "--ignore") == 0;
        if (takes && !val)
            return usage_error("missing value for", arg);
        if (strcmp(arg, "--gc") == 0) {
            if (mm_gc_policy_parse(val, &a->policy) != MM_OK ||
                (a->policy != MM_GC_CPYTHON311 && a->policy != MM_GC_CPYTHON313))
                return usage_error("--gc must be cpython311 or cpython313, got", val);
        } else if (strcmp(arg, "--freelists") == 0) {
            if (strcmp(val, "on") && strcmp(val, "off"))
                return usage_error("--freelists must be on or off, got", val);
            a->freelists = strcmp(val, "on") == 0;
        } else if (strcmp(arg, "--version") == 0) {
            a->version = val;
        } else if (strcmp(arg, "--ignore") == 0) {
            if (a->nignore == sizeof a->ignore / sizeof a->ignore[0])
                return usage_error("too many --ignore", NULL);
            a->ignore[a->nignore++] = val;
        } else if (strcmp(arg, "--compare") == 0) {
            a->compare = 1;
            continue;
        } else if (arg[0] == '-') {
            return usage_error("unknown flag", arg);
        } else if (a->case_path) {
            return usage_error("more than one case file:", arg);
        } else {
            a->case_path = arg;
            continue;
        }
        i++;
    }
    if (!a->case_path)
        return usage_error("missing CASE.json", NULL);
    if ((a->version || a->nignore) && !a->compare)
        return usage_error("--version and --ignore go with --compare", NULL);
    return 0;
}

static const json_t *
expected_of(const rp_case *c, const char *version, char *err, size_t n)
{
    const json_t *e;
    if (!version || strcmp(version, "3.11.7") == 0)
        e = json_object_get(c->root, "expected");
    else
        e = json_object_get(json_object_get(c->root, "also"), version);
    if (!json_is_object(e))
        snprintf(err, n, "no expected result for version %s in the case",
                 version ? version : "3.11.7");
    return json_is_object(e) ? e : NULL;
}

int
bench_cmd_replay(int argc, char **argv)
{
    replay_args a;
    rp_case c;
    char err[512];
    const json_t *expected = NULL;
    json_t *result;
    int rc;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(replay_usage, stdout);
            return 0;
        }
    if ((rc = parse_args(argc, argv, &a)) != 0)
        return rc;
    if (rp_case_load(a.case_path, &c, err, sizeof err) != 0) {
        fprintf(stderr, "mmbench: error: %s\n", err);
        rp_case_free(&c);
        return 2;
    }
    if (a.compare && !(expected = expected_of(&c, a.version, err, sizeof err))) {
        fprintf(stderr, "mmbench: error: %s: %s\n", a.case_path, err);
        rp_case_free(&c);
        return 2;
    }
    result = rp_case_run(&c, a.policy, a.freelists, err, sizeof err);
    if (!result) {
        fprintf(stderr, "mmbench: error: %s: %s\n", a.case_path, err);
        rp_case_free(&c);
        return 2;
    }
    json_dumpf(result, stdout, JSON_COMPACT);
    fputc('\n', stdout);
    rc = 0;
    if (expected) {
        size_t n = rp_compare(expected, result, a.ignore, a.nignore, NULL);
        if (n) {
            fprintf(stderr, "%s: %zu difference%s from %s:\n", a.case_path, n,
                    n == 1 ? "" : "s", a.version ? a.version : "3.11.7");
            rp_compare(expected, result, a.ignore, a.nignore, stderr);
            rc = 1;
        }
    }
    json_decref(result);
    rp_case_free(&c);
    return rc;
}
