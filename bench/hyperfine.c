/* hyperfine 1.15 driver (5.5). Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include "hyperfine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output.h"
#include "util.h"

int
bench_hyperfine_version(char *out, size_t n)
{
    char line[128] = "";
    FILE *p = popen("hyperfine --version 2>/dev/null", "r");
    int rc;
    if (!p)
        return -1;
    if (!fgets(line, sizeof line, p))
        line[0] = 0;
    rc = pclose(p);
    if (rc != 0 || strncmp(line, "hyperfine ", 10))
        return -1;
    if (out)
        snprintf(out, n, "%s", line + 10);
    if (out && strchr(out, '\n'))
        *strchr(out, '\n') = 0;
    return 0;
}

int
bench_hyperfine_check(json_t *doc, const char *const *labels, size_t n, char *err,
                      size_t en)
{
    json_t *results = json_object_get(doc, "results"), *r;
    size_t i;
    if (!json_is_array(results) || json_array_size(results) != n) {
        snprintf(err, en, "/results: expected %zu entries (one per setting), got %zu", n,
                 json_array_size(results));
        return -1;
    }
    json_array_foreach(results, i, r) {
        json_t *p = json_object_get(json_object_get(r, "parameters"), "setting");
        json_t *codes = json_object_get(r, "exit_codes"), *c,
               *times = json_object_get(r, "times");
        size_t k;
        if (!json_is_string(p) || strcmp(json_string_value(p), labels[i])) {
            snprintf(err, en, "/results/%zu/parameters/setting: expected \"%s\"", i,
                     labels[i]);
            return -1;
        }
        if (!json_is_array(codes) || !json_is_array(times) ||
            json_array_size(codes) != json_array_size(times) || !json_array_size(times)) {
            snprintf(err, en, "/results/%zu: times and exit_codes missing or truncated",
                     i);
            return -1;
        }
        json_array_foreach(codes, k, c)
            if (!json_is_integer(c) || json_integer_value(c) != 0) {
                snprintf(err, en, "/results/%zu/exit_codes/%zu: command failed", i, k);
                return -1;
            }
    }
    return 0;
}

static int
run_hyperfine(const bench_suite *s, const char *suite_file, const char *tmp,
              const char *scen, const char *labels)
{
    char exe[4096], cmd[8192], warm[16], runs[16];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    pid_t pid;
    int st;
    if (len <= 0)
        return -1;
    exe[len] = 0;
    snprintf(cmd, sizeof cmd, "%s run %s --suite %s --setting {setting} --repeat 1 "
             "--warmup 0 -o -", exe, scen, suite_file);
    snprintf(warm, sizeof warm, "%u", s->hf_warmup);
    snprintf(runs, sizeof runs, "%u", s->hf_runs < 2 ? 2 : s->hf_runs);
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", 1);
        if (devnull >= 0)
            dup2(devnull, 1);
        execlp("hyperfine", "hyperfine", "-N", "--style", "basic", "--warmup", warm,
               "--runs", runs, "--export-json", tmp, "-L", "setting", labels, cmd,
               (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int
selected(const char *scen, const char *const *only, size_t nonly)
{
    for (size_t i = 0; i < nonly; i++)
        if (!strcmp(only[i], scen))
            return 1;
    return nonly == 0;
}

static int
one_scenario(const bench_suite *s, const bench_job *j, const char *suite_file,
             const char *dir)
{
    const char *scen = s->scen[j->scen].sc->name;
    const char **labels = bench_xcalloc(j->nsettings, sizeof *labels);
    char tmp[4096], final[4096], list[4096] = "", err[512];
    size_t len = 0;
    json_t *doc;
    int rc = 1;
    for (size_t k = 0; k < j->nsettings; k++) {
        labels[k] = s->settings[j->settings[k]].label;
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? "," : "",
                                labels[k]);
    }
    snprintf(tmp, sizeof tmp, "%s/hyperfine/.%s.json.tmp", dir, scen);
    snprintf(final, sizeof final, "%s/hyperfine/%s.json", dir, scen);
    if (run_hyperfine(s, suite_file, tmp, scen, list) != 0)
        fprintf(stderr, "mmbench: error: hyperfine failed for %s\n", scen);
    else if (!(doc = json_load_file(tmp, 0, NULL)))
        fprintf(stderr, "mmbench: error: %s: unreadable hyperfine export\n", tmp);
    else {
        if (bench_hyperfine_check(doc, labels, j->nsettings, err, sizeof err) != 0)
            fprintf(stderr, "mmbench: error: hyperfine export for %s refused: %s\n", scen,
                    err);
        else if (rename(tmp, final) != 0)
            fprintf(stderr, "mmbench: error: %s: %s\n", final, strerror(errno));
        else
            rc = 0;
        json_decref(doc);
    }
    if (rc)
        unlink(tmp);
    free(labels);
    return rc;
}

int
bench_hyperfine_suite(const bench_suite *s, const char *suite_file, const char *dir,
                      const char *const *only, size_t nonly)
{
    char hdir[4096], frozen[4096];
    int rc = 0;
    snprintf(hdir, sizeof hdir, "%s/hyperfine", dir);
    snprintf(frozen, sizeof frozen, "%s/suite.json", dir);
    (void)suite_file;
    if (bench_mkdirs(hdir) != 0)
        return 1;
    /* The first nscen jobs are the per-scenario jobs (suite_jobs.c). */
    for (size_t i = 0; i < s->nscen; i++)
        if (selected(s->scen[s->jobs[i].scen].sc->name, only, nonly))
            rc |= one_scenario(s, &s->jobs[i], frozen, dir);
    return rc ? 1 : 0;
}
