/* `mmbench merge` (5.3, 5.4): fold job directories (DIR/jobs/NAME) or other results into
 * DIR, and `--exclude` runs with a reason. Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "experiment.h"
#include "output.h"
#include "result.h"
#include "suite.h"
#include "suite_run.h"
#include "util.h"

static const char merge_usage[] =
    "usage: mmbench merge DIR [IN_DIR|FILE...] [--force]\n"
    "       mmbench merge DIR --exclude SCENARIO__SETTING:RUNS --reason TEXT\n"
    "\n"
    "Without inputs, fold DIR/jobs/*/ (from 'mmbench job') into DIR; with inputs, fold\n"
    "their result files into DIR. Runs of the same scenario and "
    "setting concatenate when\n"
    "the setting hash and the host fingerprint match; otherwise the merge is refused\n"
    "(exit 2) and nothing is written. --force keeps "
    "different fingerprints (W_MIXED_HOSTS).\n"
    "--exclude marks runs (comma list of run indexes) as excluded with --reason; they\n"
    "stay in the file and leave the statistics. index.json is rebuilt last.\n";

static void
add_dir(const char *dir, char ***all, size_t *n)
{
    size_t k;
    char **files = bench_list_results(dir, &k);
    *all = bench_xrealloc(*all, (*n + k + 1) * sizeof **all);
    for (size_t i = 0; i < k; i++)
        (*all)[(*n)++] = files[i];
    free(files);
}

static int
gather(const char *dir, char **in, int nin, char ***all, size_t *n)
{
    struct stat st;
    if (nin == 0) {
        char jobs[4096];
        struct dirent **ents;
        int m;
        snprintf(jobs, sizeof jobs, "%s/jobs", dir);
        m = scandir(jobs, &ents, NULL, alphasort);
        if (m < 0) {
            fprintf(stderr, "mmbench: error: %s: no jobs directory to merge\n", jobs);
            return 2;
        }
        for (int i = 0; i < m; i++) {
            char sub[8192];
            if (ents[i]->d_name[0] != '.') {
                snprintf(sub, sizeof sub, "%s/%s", jobs, ents[i]->d_name);
                add_dir(sub, all, n);
            }
            free(ents[i]);
        }
        free(ents);
        return 0;
    }
    for (int i = 0; i < nin; i++) {
        if (stat(in[i], &st) != 0) {
            fprintf(stderr, "mmbench: error: %s: no such file or directory\n", in[i]);
            return 2;
        }
        if (S_ISDIR(st.st_mode)) {
            add_dir(in[i], all, n);
        } else {
            *all = bench_xrealloc(*all, (*n + 2) * sizeof **all);
            (*all)[(*n)++] = bench_xstrdup(in[i]);
        }
    }
    return 0;
}


/* A copy of run marked excluded, the key where the schema has it (after "error"). */
static json_t *
run_excluded(json_t *run, const char *reason)
{
    json_t *out = json_object(), *v;
    const char *k;
    json_object_foreach(run, k, v) {
        if (!strcmp(k, "excluded"))
            continue;
        json_object_set(out, k, v);
        if (!strcmp(k, "error"))
            json_object_set_new(out, "excluded", json_string(reason));
    }
    if (!json_object_get(out, "excluded"))
        json_object_set_new(out, "excluded", json_string(reason));
    return out;
}

static int
exclude_runs(const char *dir, const char *spec, const char *reason)
{
    char pair[512], path[4096], err[1024], *colon, *save = NULL;
    json_t *doc, *runs;
    int rc;
    snprintf(pair, sizeof pair, "%s", spec);
    colon = strrchr(pair, ':');
    if (!colon || !strstr(pair, "__") || !colon[1]) {
        fprintf(stderr, "mmbench: error: --exclude: expected SCENARIO__SETTING:RUNS, got "
                "'%s'\n", spec);
        return 2;
    }
    *colon = 0;
    snprintf(path, sizeof path, "%s/%s.json", dir, pair);
    if (!(doc = bench_result_load(path, err, sizeof err))) {
        fprintf(stderr, "mmbench: error: %s\n", err);
        return 2;
    }
    runs = json_object_get(doc, "runs");
    for (char *t = strtok_r(colon + 1, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        uint32_t k;
        if (bench_parse_u32(t, 0, (uint32_t)json_array_size(runs) - 1, &k) != 0) {
            fprintf(stderr, "mmbench: error: --exclude: run '%s' is not an index of %s "
                    "(0..%zu)\n", t, path, json_array_size(runs) - 1);
            json_decref(doc);
            return 2;
        }
        json_array_set_new(runs, k, run_excluded(json_array_get(runs, k), reason));
    }
    bench_result_finish(doc);
    rc = bench_output_write(path, doc, 0);
    json_decref(doc);
    return rc;
}

static void
index_ids(const char *dir, char *id, size_t n, char *base, size_t bn)
{
    char path[4096];
    json_t *idx;
    const char *slash = strrchr(dir, '/');
    snprintf(path, sizeof path, "%s/index.json", dir);
    idx = json_load_file(path, 0, NULL);
    snprintf(id, n, "%s", slash && slash[1] ? slash + 1 : dir);
    base[0] = 0;
    if (json_is_string(json_object_get(idx, "suite_id")))
        snprintf(id, n, "%s", json_string_value(json_object_get(idx, "suite_id")));
    if (json_is_string(json_object_get(idx, "baseline")))
        snprintf(base, bn, "%s", json_string_value(json_object_get(idx, "baseline")));
    json_decref(idx);
}

int
bench_cmd_merge(int argc, char **argv)
{
    static const struct option opts[] = {
        { "force", no_argument, 0, 'F' },
        { "exclude", required_argument, 0, 'X' },
        { "reason", required_argument, 0, 'R' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 },
    };
    const char *exclude = NULL, *reason = NULL, *dir;
    char **all = NULL, id[256], base[128];
    size_t n = 0;
    int c, force = 0, rc;
    struct stat st;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'F')
            force = 1;
        else if (c == 'X')
            exclude = optarg;
        else if (c == 'R')
            reason = optarg;
        else if (c == 'h') {
            fputs(merge_usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "mmbench: error: merge: unknown or incomplete option '%s'\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind >= argc || (exclude != NULL) != (reason != NULL) ||
        (exclude && optind != argc - 1)) {
        fprintf(stderr,
                "mmbench: error: merge: expected DIR [INPUTS...], or DIR --exclude "
                "PAIR:RUNS --reason TEXT\n");
        return 2;
    }
    dir = argv[optind];
    /* A missing DIR with inputs is created by bench_merge_files once every input has
     * been validated: a refused merge creates nothing (8.3). */
    if (stat(dir, &st) == 0 ? !S_ISDIR(st.st_mode) : (exclude || argc - optind == 1)) {
        fprintf(stderr, "mmbench: error: %s: not a directory\n", dir);
        return 2;
    }
    index_ids(dir, id, sizeof id, base, sizeof base);
    if (exclude)
        rc = exclude_runs(dir, exclude, reason);
    else {
        rc = gather(dir, argv + optind + 1, argc - optind - 1, &all, &n);
        if (!rc && !n) {
            fprintf(stderr, "mmbench: error: nothing to merge\n");
            rc = 2;
        }
        if (!rc)
            rc = bench_merge_files(dir, all, n, force);
        bench_free_list(all, n);
    }
    if (!rc)
        rc = bench_index_rebuild(dir, id, base[0] ? base : NULL);
    return rc;
}
