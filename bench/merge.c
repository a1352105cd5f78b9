/* Merging result files (5.4) and rebuilding a results directory's index (5.1).
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "meta.h"
#include "output.h"
#include "report.h"
#include "result.h"
#include "suite_run.h"
#include "util.h"

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
bench_list_results(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **list = NULL;
    size_t cap = 0;
    *n = 0;
    if (!d)
        return NULL;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json") ||
            !strstr(de->d_name, "__"))
            continue;
        if (*n == cap)
            list = bench_xrealloc(list, (cap = cap ? 2 * cap : 16) * sizeof *list);
        list[*n] = bench_xmalloc(strlen(dir) + len + 2);
        sprintf(list[*n], "%s/%s", dir, de->d_name);
        (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(list, *n, sizeof *list, cmp_str);
    return list;
}

void
bench_free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

static const char *
jstr(json_t *o, const char *a, const char *b)
{
    json_t *x = json_object_get(json_object_get(o, a), b);
    return json_is_string(x) ? json_string_value(x) : "";
}

static json_t *
index_entry(json_t *doc, const char *file, const char *sha)
{
    json_t *summary = json_object_get(doc, "summary"), *hosts = json_array(), *run;
    size_t i;
    json_array_foreach(json_object_get(doc, "runs"), i, run) {
        json_t *h = json_object_get(run, "hostname");
        int seen = 0;
        for (size_t k = 0; k < json_array_size(hosts) && json_is_string(h); k++)
            seen |= json_equal(json_array_get(hosts, k), h);
        if (json_is_string(h) && !seen)
            json_array_append(hosts, h);
    }
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:O,s:O,s:O}", "file", file, "scenario",
                     jstr(json_object_get(doc, "config"), "scenario", "name"), "setting",
                     jstr(json_object_get(doc, "config"), "setting", "label"), "sha256",
                     sha, "host_fingerprint",
                     jstr(json_object_get(doc, "meta"), "host", "fingerprint"),
                     "hostnames", hosts, "status", json_object_get(doc, "status"),
                     "runs_ok", json_object_get(summary, "runs_ok"), "runs_failed",
                     json_object_get(summary, "runs_failed"));
}

static json_t *
hyperfine_entries(const char *dir)
{
    char hdir[4096];
    DIR *d;
    struct dirent *de;
    json_t *arr = json_array();
    snprintf(hdir, sizeof hdir, "%s/hyperfine", dir);
    if (!(d = opendir(hdir)))
        return arr;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        char path[8192], sha[72], scen[256];
        if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json"))
            continue;
        snprintf(path, sizeof path, "%s/%s", hdir, de->d_name);
        snprintf(scen, sizeof scen, "%.*s", (int)(len - 5), de->d_name);
        bench_file_sha256(path, sha);
        json_array_append_new(arr,
                              json_pack("{s:s+,s:s,s:s}", "file", "hyperfine/",
                                        de->d_name, "scenario", scen, "sha256", sha));
    }
    closedir(d);
    return arr;
}

int
bench_index_rebuild(const char *dir, const char *suite_id, const char *baseline)
{
    size_t n;
    char **files = bench_list_results(dir, &n), path[4096], created[40];
    json_t *entries = json_array(), *hosts = json_object(), *idx;
    struct timespec now;
    int rc;
    for (size_t i = 0; i < n; i++) {
        char err[512], sha[72];
        json_t *doc = bench_result_load(files[i], err, sizeof err);
        if (!doc)
            continue; /* only complete, valid files are indexed */
        bench_file_sha256(files[i], sha);
        json_array_append_new(entries, index_entry(doc, strrchr(files[i], '/') + 1, sha));
        json_object_set(hosts, jstr(json_object_get(doc, "meta"), "host", "fingerprint"),
                        json_object_get(json_object_get(doc, "meta"), "host"));
        json_decref(doc);
    }
    bench_free_list(files, n);
    clock_gettime(CLOCK_REALTIME, &now);
    bench_utc_string(&now, created, sizeof created);
    idx = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "schema", "mmbench/suite-index/v1",
                    "suite_id", suite_id, "created_utc", created, "baseline",
                    baseline ? baseline : "", "hosts", hosts, "entries", entries,
                    "hyperfine", hyperfine_entries(dir));
    snprintf(path, sizeof path, "%s/index.json", dir);
    rc = bench_output_write(path, idx, 1);
    json_decref(idx);
    return rc;
}
