/* Merge rules (5.4): same pair + same setting hash + same host fingerprint -> runs
 * concatenated; anything else refused (exit 2) unless --force for mixed hosts. All
 * inputs are validated before anything is written. Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "output.h"
#include "result.h"
#include "suite_run.h"
#include "summary.h"
#include "util.h"

typedef struct input {
    const char *path;
    json_t *doc;
    char sha[72];
    char key[160]; /* scenario__setting */
    int dup;
} input;

static const char *
jpath(json_t *o, const char *a, const char *b, const char *c)
{
    json_t *x = json_object_get(json_object_get(o, a), b);
    if (c)
        x = json_object_get(x, c);
    return json_is_string(x) ? json_string_value(x) : "";
}

static int
load_inputs(input *in, char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char err[1024];
        char *text;
        in[i].path = paths[i];
        in[i].doc = bench_result_load(paths[i], err, sizeof err);
        if (!in[i].doc) {
            fprintf(stderr, "mmbench: error: %s\n", err);
            return 2;
        }
        text = json_dumps(in[i].doc, JSON_COMPACT | JSON_SORT_KEYS);
        bench_sha256(text, strlen(text), in[i].sha);
        free(text);
        snprintf(in[i].key, sizeof in[i].key, "%s__%s",
                 jpath(in[i].doc, "config", "scenario", "name"),
                 jpath(in[i].doc, "config", "setting", "label"));
        for (size_t k = 0; k < i; k++)
            if (!strcmp(in[k].sha, in[i].sha)) {
                fprintf(stderr, "mmbench: info: %s duplicates %s; kept once\n", paths[i],
                        in[k].path);
                in[i].dup = 1;
            }
    }
    return 0;
}

/* Print the host fields that differ. */
static void
host_diff(json_t *a, json_t *b)
{
    static const char *const keys[] = { "cpu_model", "arch", "logical_cpus",
                                        "mem_total_bytes", "kernel", "libc",
                                        "cpu_governor", "cpu_boost", "smt_active" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!json_equal(json_object_get(a, keys[i]), json_object_get(b, keys[i])))
            fprintf(stderr, "  host.%s differs\n", keys[i]);
}

static int
check_group(input *in, size_t n, const char *key, int force, int *mixed)
{
    input *first = NULL;
    for (size_t i = 0; i < n; i++) {
        if (in[i].dup || strcmp(in[i].key, key))
            continue;
        if (!first) {
            first = &in[i];
            continue;
        }
        if (strcmp(jpath(first->doc, "config", "setting", "hash"),
                   jpath(in[i].doc, "config", "setting", "hash"))) {
            fprintf(stderr,
                    "mmbench: error: %s: /config/setting/hash differs from %s: "
                    "not the same experiment\n",
                    in[i].path, first->path);
            return 2;
        }
        if (strcmp(jpath(first->doc, "meta", "host", "fingerprint"),
                   jpath(in[i].doc, "meta", "host", "fingerprint"))) {
            if (!force) {
                fprintf(stderr,
                        "mmbench: error: %s: /meta/host/fingerprint differs from %s "
                        "(use --force to keep both):\n",
                        in[i].path, first->path);
                host_diff(json_object_get(json_object_get(first->doc, "meta"), "host"),
                          json_object_get(json_object_get(in[i].doc, "meta"), "host"));
                return 2;
            }
            *mixed = 1;
        }
    }
    return 0;
}

static int
same_run(json_t *a, json_t *b)
{
    return json_equal(json_object_get(a, "pid"), json_object_get(b, "pid")) &&
           json_equal(json_object_get(a, "hostname"), json_object_get(b, "hostname")) &&
           json_equal(json_object_get(a, "started_utc"),
                      json_object_get(b, "started_utc"));
}

static json_t *
merge_group(input *in, size_t n, const char *key, int mixed)
{
    json_t *out = NULL, *runs = NULL, *from = json_array();
    int hosts_differ = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *r;
        size_t k;
        if (in[i].dup || strcmp(in[i].key, key))
            continue;
        if (!out) {
            out = json_deep_copy(in[i].doc);
            runs = json_array();
        } else if (strcmp(jpath(out, "meta", "host", "hostname"),
                          jpath(in[i].doc, "meta", "host", "hostname"))) {
            hosts_differ = 1;
        }
        json_array_append_new(
            from,
            json_pack("{s:s,s:s,s:O}", "file", in[i].path, "sha256", in[i].sha,
                      "hostname",
                      json_object_get(
                          json_object_get(json_object_get(in[i].doc, "meta"), "host"),
                          "hostname")));
        json_array_foreach(json_object_get(in[i].doc, "runs"), k, r) {
            int seen = 0;
            for (size_t m = 0; m < json_array_size(runs) && !seen; m++)
                seen = same_run(json_array_get(runs, m), r);
            if (!seen)
                json_array_append(runs, r);
        }
    }
    json_object_set_new(out, "runs", runs);
    json_object_set_new(json_object_get(out, "meta"), "merged_from", from);
    if (hosts_differ)
        json_object_set_new(json_object_get(json_object_get(out, "meta"), "host"),
                            "hostname", json_null());
    bench_result_finish(out);
    if (mixed)
        bench_warn(json_object_get(out, "warnings"), "W_MIXED_HOSTS", "warning", NULL, -1,
                   0, 0, "%s", "merged with --force across different host fingerprints");
    return out;
}

int
bench_merge_files(const char *dir, char **paths, size_t n, int force)
{
    input *in = bench_xcalloc(n ? n : 1, sizeof *in);
    json_t **outs = bench_xcalloc(n ? n : 1, sizeof *outs);
    size_t nout = 0;
    int rc = load_inputs(in, paths, n);
    for (size_t i = 0; i < n && !rc; i++) {
        int first = 1, mixed = 0;
        for (size_t k = 0; k < i; k++)
            first &= strcmp(in[k].key, in[i].key) != 0;
        if (!first || in[i].dup)
            continue;
        rc = check_group(in, n, in[i].key, force, &mixed);
        if (!rc)
            outs[nout++] = merge_group(in, n, in[i].key, mixed);
    }
    if (!rc && nout && bench_mkdirs(dir) != 0) { /* only now: everything validated */
        fprintf(stderr, "mmbench: error: %s: cannot create\n", dir);
        rc = 1;
    }
    for (size_t i = 0; i < nout && !rc; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s__%s.json", dir,
                 jpath(outs[i], "config", "scenario", "name"),
                 jpath(outs[i], "config", "setting", "label"));
        rc = bench_output_write(path, outs[i], 0);
    }
    for (size_t i = 0; i < nout; i++)
        json_decref(outs[i]);
    for (size_t i = 0; i < n; i++)
        json_decref(in[i].doc);
    free(outs);
    free(in);
    return rc;
}
