/* `mmbench suite` and `mmbench job` (8.1, 5.1-5.3). Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "claims.h"
#include "hyperfine.h"
#include "meta.h"
#include "output.h"
#include "recorder.h"
#include "result.h"
#include "suite_run.h"
#include "util.h"

static const char suite_usage[] =
    "usage: mmbench suite SUITE.json [-o DIR] [--only SCENARIO]... [--emit-jobs FILE]\n"
    "                     [--resume] [--pretty] [--anonymize]\n"
    "\n"
    "Run every job of a suite file (mmbench/suite/v1): each scenario with its settings\n"
    "interleaved in rounds (AB BA ...), plus the suite's sweeps, each job with the\n"
    "baseline. Results go to DIR (default results/<suite-id>): one result file per\n"
    "scenario x setting, index.json, suite.json, jobs.tsv, jobs/<job>/, logs/.\n"
    "\n"
    "  -o DIR            results directory (with --resume: the one to continue)\n"
    "  --only SCENARIO   run only this scenario's jobs (repeatable)\n"
    "  --emit-jobs FILE  write the job list (job_id, scenario, settings, rounds, "
    "command;\n"
    "                    tab separated, no header) for GNU parallel or Slurm, "
    "create DIR\n"
    "                    with suite.json, and run nothing\n"
    "  --resume          skip jobs whose result files exist and validate\n"
    "  --pretty          indent JSON      --anonymize  null hostnames\n"
    "\n"
    "Progress ([i/N] scenario setting round, ETA) goes to stderr when it is a terminal.\n"
    "Ctrl-C keeps every completed job and a consistent index (exit 130).\n"
    "Exit: 0 ok, 2 bad suite file or flags, 3 allocator or hyperfine missing, "
    "4 failed runs.\n";

typedef struct suite_args {
    const char *file, *out, *emit;
    const char *only[64];
    size_t nonly;
    int resume, pretty, anonymize;
} suite_args;

static int
parse_suite_args(int argc, char **argv, suite_args *a)
{
    static const struct option opts[] = {
        { "only", required_argument, 0, 'O' }, { "emit-jobs", required_argument, 0, 'E' },
        { "resume", no_argument, 0, 'R' },     { "pretty", no_argument, 0, 'P' },
        { "anonymize", no_argument, 0, 'A' },  { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 },
    };
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
            case 'o': a->out = optarg; break;
            case 'O':
                if (a->nonly == 64 || !sc_find(optarg)) {
                    fprintf(stderr, "mmbench: error: --only: unknown scenario '%s'\n",
                            optarg);
                    return 2;
                }
                a->only[a->nonly++] = optarg;
                break;
            case 'E': a->emit = optarg; break;
            case 'R': a->resume = 1; break;
            case 'P': a->pretty = 1; break;
            case 'A': a->anonymize = 1; break;
            case 'h': fputs(suite_usage, stdout); return 0;
            default:
                fprintf(stderr,
                        "mmbench: error: suite: unknown or incomplete option '%s' "
                        "(see 'mmbench suite --help')\n",
                        argv[optind - 1]);
                return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "mmbench: error: suite: expected one SUITE.json\n");
        return 2;
    }
    a->file = argv[optind];
    return -1;
}

static int
job_selected(const suite_args *a, const bench_suite *s, const bench_job *j)
{
    if (!a->nonly)
        return 1;
    for (size_t i = 0; i < a->nonly; i++)
        if (!strcmp(a->only[i], s->scen[j->scen].sc->name))
            return 1;
    return 0;
}

/* jobs.tsv (5.3): job_id, scenario, settings (baseline first), rounds, command. */
static char *
jobs_tsv(const bench_suite *s, const char *dir)
{
    size_t cap = 4096, len = 0;
    char *t = bench_xmalloc(cap);
    t[0] = 0;
    for (size_t i = 0; i < s->njobs; i++) {
        const bench_job *j = &s->jobs[i];
        char line[8192];
        size_t l = (size_t)snprintf(line, sizeof line, "%s\t%s\t", j->id,
                                    s->scen[j->scen].sc->name);
        for (size_t k = 0; k < j->nsettings && l < sizeof line; k++)
            l += (size_t)snprintf(line + l, sizeof line - l, "%s%s", k ? "," : "",
                                  s->settings[j->settings[k]].label);
        if (l < sizeof line)
            l += (size_t)snprintf(line + l, sizeof line - l,
                                  "\t%u\tmmbench job %s/suite.json %s -o %s/jobs/%s\n",
                                  s->m.repeat, dir, j->id, dir, j->id);
        if (len + l + 1 > cap)
            t = bench_xrealloc(t, cap = 2 * (len + l + 1));
        memcpy(t + len, line, l + 1);
        len += l;
    }
    return t;
}

static void
suite_id(const bench_suite *s, char *out, size_t n)
{
    struct timespec now;
    char stamp[32];
    clock_gettime(CLOCK_REALTIME, &now);
    bench_utc_compact(&now, stamp, sizeof stamp);
    snprintf(out, n, "%s-%s-%s", s->name, stamp, s->sha8);
}

/* Pre-flight (2.3) of every setting the selected jobs use, once each, before anything
 * exists: a missing allocator (3) or an unusable pin_cpu (2) writes nothing. */
static int
preflight_all(const suite_args *a, const bench_suite *s)
{
    char *seen = bench_xcalloc(s->nsettings + 1, 1), resolved[512];
    int rc = 0;
    for (size_t i = 0; i < s->njobs && !rc; i++) {
        const bench_job *j = &s->jobs[i];
        if (!job_selected(a, s, j))
            continue;
        for (size_t k = 0; k < j->nsettings && !rc; k++) {
            bench_experiment e;
            if (seen[j->settings[k]])
                continue;
            seen[j->settings[k]] = 1;
            bench_suite_job_experiment(s, j, k, &e);
            rc = bench_preflight(&e, resolved, sizeof resolved);
            bench_setting_clear(&e.set);
        }
    }
    free(seen);
    return rc;
}

/* Everything that can refuse the command, checked before anything is created (8.3):
 * hyperfine (3), an existing DIR without --resume (2), then the pre-flight. */
static int
suite_checks(const suite_args *a, const bench_suite *s, const char *dir)
{
    struct stat st;
    if (s->hf_enabled && !a->emit && bench_hyperfine_version(NULL, 0) != 0) {
        fprintf(stderr, "mmbench: error: the suite enables hyperfine, but hyperfine was "
                "not found (Debian: apt-get install hyperfine)\n");
        return 3;
    }
    if (!a->resume && stat(dir, &st) == 0) {
        fprintf(stderr, "mmbench: error: %s: exists (use --resume to continue it)\n",
                dir);
        return 2;
    }
    return a->emit ? 0 : preflight_all(a, s);
}

/* Create DIR with suite.json (frozen copy) and jobs.tsv. 0 or exit code. */
static int
prepare_dir(const bench_suite *s, const char *dir)
{
    char path[4096], *text;
    int rc;
    if (bench_mkdirs(dir) != 0) {
        fprintf(stderr, "mmbench: error: %s: cannot create\n", dir);
        return 1;
    }
    snprintf(path, sizeof path, "%s/suite.json", dir);
    text = json_dumps(s->doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    rc = bench_output_text(path, text, strlen(text));
    free(text);
    if (rc)
        return rc;
    snprintf(path, sizeof path, "%s/jobs.tsv", dir);
    text = jobs_tsv(s, dir);
    rc = bench_output_text(path, text, strlen(text));
    free(text);
    return rc;
}

static int
job_done(const bench_suite *s, const bench_job *j, const char *dir)
{
    for (size_t k = 0; k < j->nsettings; k++) {
        char path[4096], err[512];
        json_t *doc;
        snprintf(path, sizeof path, "%s/jobs/%s/%s__%s.json", dir, j->id,
                 s->scen[j->scen].sc->name, s->settings[j->settings[k]].label);
        doc = bench_result_load(path, err, sizeof err);
        if (!doc)
            return 0;
        json_decref(doc);
    }
    return 1;
}

/* Merge every job directory into dir and rebuild the index. */
static int
merge_and_index(const bench_suite *s, const char *dir, const char *id)
{
    char jobs_dir[4096];
    size_t total = 0;
    char **all = NULL;
    int rc;
    for (size_t i = 0; i < s->njobs; i++) {
        size_t n;
        char **files;
        snprintf(jobs_dir, sizeof jobs_dir, "%s/jobs/%s", dir, s->jobs[i].id);
        files = bench_list_results(jobs_dir, &n);
        all = bench_xrealloc(all, (total + n + 1) * sizeof *all);
        for (size_t k = 0; k < n; k++)
            all[total++] = files[k];
        free(files);
    }
    rc = total ? bench_merge_files(dir, all, total, 0) : 0;
    bench_free_list(all, total);
    if (bench_index_rebuild(dir, id, s->baseline) != 0 && !rc)
        rc = 1;
    return rc;
}

static size_t
count_runs(const suite_args *a, const bench_suite *s)
{
    size_t total = 0;
    for (size_t i = 0; i < s->njobs; i++)
        if (job_selected(a, s, &s->jobs[i]))
            total += s->jobs[i].nsettings * s->m.repeat;
    return total;
}

static int
run_jobs(const suite_args *a, const bench_suite *s, const char *dir, const char *id,
         int argc, char **argv)
{
    bench_runner br;
    bench_job_ctx jc;
    char outdir[4096], logs[4096];
    int rc = 0, failed = 0;
    memset(&br, 0, sizeof br);
    memset(&jc, 0, sizeof jc);
    snprintf(logs, sizeof logs, "%s/logs", dir);
    bench_mkdirs(logs);
    br.log_dir = logs;
    br.progress = isatty(2);
    br.anonymize = a->anonymize;
    br.total = count_runs(a, s);
    br.started = (double)bench_now_ns() / 1e9;
    jc.suite_id = id;
    jc.tool = bench_tool_json();
    jc.host = bench_host_json(a->anonymize);
    jc.env = bench_env_json(a->anonymize);
    jc.argc = argc + 1;
    jc.argv = argv - 1;
    jc.pretty = a->pretty;
    jc.outdir = outdir;
    for (size_t i = 0; i < s->njobs && !bench_interrupted && (rc == 0 || rc == 4); i++) {
        const bench_job *j = &s->jobs[i];
        if (!job_selected(a, s, j) || (a->resume && job_done(s, j, dir))) {
            br.done += job_selected(a, s, j) ? j->nsettings * s->m.repeat : 0;
            continue;
        }
        snprintf(outdir, sizeof outdir, "%s/jobs/%s", dir, j->id);
        rc = bench_job_run(s, j, &jc, &br);
        failed |= rc == 4;
        if (rc == 0 || rc == 4) {
            int mrc = merge_and_index(s, dir, id);
            rc = mrc ? mrc : rc;
        }
    }
    json_decref(jc.tool);
    json_decref(jc.host);
    json_decref(jc.env);
    if (rc == 0 && failed)
        rc = 4;
    return rc;
}

/* One line per warning code over the suite's result files (each file keeps its own). */
static void
warning_digest(const char *dir)
{
    size_t n;
    char **files = bench_list_results(dir, &n);
    json_t *counts = json_object();
    const char *code;
    json_t *v;
    for (size_t i = 0; i < n; i++) {
        json_t *doc = json_load_file(files[i], 0, NULL), *w;
        size_t k;
        json_array_foreach(json_object_get(doc, "warnings"), k, w) {
            const char *c = json_string_value(json_object_get(w, "code"));
            const char *sev = json_string_value(json_object_get(w, "severity"));
            if (c && sev && strcmp(sev, "info"))
                json_object_set_new(counts, c, json_integer(
                    json_integer_value(json_object_get(counts, c)) + 1));
        }
        json_decref(doc);
    }
    json_object_foreach(counts, code, v)
        fprintf(stderr,
                "mmbench: warning: %s in %lld of %zu result files (details in each "
                "file and the report)\n",
                code, (long long)json_integer_value(v), n);
    json_decref(counts);
    bench_free_list(files, n);
}

/* The seed-claim experiments (in-process, fresh runtimes) beside the results. */
static int
write_claims(const char *dir)
{
    char path[4096], err[256];
    json_t *doc = bench_claims_run(err, sizeof err);
    int rc;
    if (!doc) {
        fprintf(stderr, "mmbench: error: claims: %s\n", err);
        return 1;
    }
    snprintf(path, sizeof path, "%s/claims.json", dir);
    rc = bench_output_write(path, doc, 1);
    json_decref(doc);
    return rc;
}

static void
resume_id(const char *dir, char *id, size_t n)
{
    char path[4096];
    json_t *idx;
    const char *slash = strrchr(dir, '/');
    snprintf(path, sizeof path, "%s/index.json", dir);
    idx = json_load_file(path, 0, NULL);
    if (idx && json_is_string(json_object_get(idx, "suite_id")))
        snprintf(id, n, "%s", json_string_value(json_object_get(idx, "suite_id")));
    else
        snprintf(id, n, "%s", slash ? slash + 1 : dir);
    json_decref(idx);
}

/* Past 60 lines (style.md rule 29): option parsing, then the command's steps in order,
 * each a call or a check with its message; no part is used anywhere else. */
int
bench_cmd_suite(int argc, char **argv)
{
    suite_args a;
    bench_suite s;
    char err[1024], id[256], dir[4096];
    int rc;
    memset(&a, 0, sizeof a);
    rc = parse_suite_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (bench_suite_load(a.file, &s, err, sizeof err) != 0) {
        fprintf(stderr, "mmbench: error: %s\n", err);
        bench_suite_free(&s);
        return 2;
    }
    if (a.resume && !a.out) {
        fprintf(stderr, "mmbench: error: --resume needs -o DIR (the suite directory)\n");
        bench_suite_free(&s);
        return 2;
    }
    if (a.resume)
        resume_id(a.out, id, sizeof id);
    else
        suite_id(&s, id, sizeof id);
    snprintf(dir, sizeof dir, "%s", a.out ? a.out : "results/");
    if (!a.out)
        snprintf(dir, sizeof dir, "results/%s", id);
    rc = suite_checks(&a, &s, dir);
    if (!rc)
        rc = prepare_dir(&s, dir);
    if (rc) {
        bench_suite_free(&s);
        return rc;
    }
    if (a.emit) {
        char *text = jobs_tsv(&s, dir);
        rc = bench_output_check(a.emit, 1);
        if (!rc)
            rc = bench_output_text(a.emit, text, strlen(text));
        free(text);
        if (!rc)
            rc = bench_index_rebuild(dir, id, s.baseline);
        bench_suite_free(&s);
        return rc;
    }
    bench_install_signal_handlers();
    rc = run_jobs(&a, &s, dir, id, argc, argv);
    if (bench_interrupted) {
        bench_index_rebuild(dir, id, s.baseline);
        fprintf(stderr, "mmbench: interrupted; completed jobs kept in %s\n", dir);
        rc = 128 + bench_interrupted;
    }
    if (!bench_interrupted && (rc == 0 || rc == 4)) {
        int crc = write_claims(dir);
        rc = crc ? crc : rc;
    }
    if (!bench_interrupted && (rc == 0 || rc == 4) && s.hf_enabled) {
        int hrc = bench_hyperfine_suite(&s, a.file, dir, a.only, a.nonly);
        rc = hrc ? hrc : rc;
        bench_index_rebuild(dir, id, s.baseline);
    }
    if (rc == 0 || rc == 4) {
        warning_digest(dir);
        printf("%s\n", dir);
    }
    bench_suite_free(&s);
    return rc;
}

static const char job_usage[] =
    "usage: mmbench job SUITE.json JOB_ID|--line N -o DIR [--pretty] [--anonymize]\n"
    "\n"
    "Run one job of a suite (a line of 'mmbench suite --emit-jobs'): "
    "one scenario with its\n"
    "settings interleaved on this host. Writes one result file per setting into DIR;\n"
    "'mmbench merge RESULTS_DIR' folds the job directories together.\n";

/* Past 60 lines (style.md rule 29): option parsing, then the command's steps in order,
 * each a call or a check with its message; no part is used anywhere else. */
int
bench_cmd_job(int argc, char **argv)
{
    static const struct option opts[] = {
        { "line", required_argument, 0, 'L' },
        { "pretty", no_argument, 0, 'P' },
        { "anonymize", no_argument, 0, 'A' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 },
    };
    const char *out = NULL, *line = NULL, *jid = NULL;
    int c, pretty = 0, anon = 0, rc;
    bench_suite s;
    bench_runner br;
    bench_job_ctx jc;
    const bench_job *j = NULL;
    char err[1024];
    uint32_t ln = 0;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else if (c == 'L')
            line = optarg;
        else if (c == 'P')
            pretty = 1;
        else if (c == 'A')
            anon = 1;
        else if (c == 'h') {
            fputs(job_usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "mmbench: error: job: unknown or incomplete option '%s'\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind < argc - 2 || optind > argc - 1 ||
        (line != NULL) == (optind == argc - 2) || !out) {
        fprintf(stderr,
                "mmbench: error: job: expected SUITE.json, JOB_ID or --line N, "
                "and -o DIR\n");
        return 2;
    }
    if (bench_suite_load(argv[optind], &s, err, sizeof err) != 0) {
        fprintf(stderr, "mmbench: error: %s\n", err);
        bench_suite_free(&s);
        return 2;
    }
    if (line && (bench_parse_u32(line, 1, (uint32_t)s.njobs, &ln) != 0))
        fprintf(stderr, "mmbench: error: --line: expected 1..%zu, got '%s'\n", s.njobs,
                line);
    else if (!line && !(j = bench_suite_find_job(&s, jid = argv[optind + 1])))
        fprintf(stderr, "mmbench: error: no job '%s' in %s\n", jid, argv[optind]);
    if (line && ln)
        j = &s.jobs[ln - 1];
    if (!j) {
        bench_suite_free(&s);
        return 2;
    }
    memset(&br, 0, sizeof br);
    memset(&jc, 0, sizeof jc);
    br.progress = isatty(2);
    br.anonymize = anon;
    br.total = j->nsettings * s.m.repeat;
    br.started = (double)bench_now_ns() / 1e9;
    jc.outdir = out;
    jc.tool = bench_tool_json();
    jc.host = bench_host_json(anon);
    jc.env = bench_env_json(anon);
    jc.argc = argc + 1;
    jc.argv = argv - 1;
    jc.pretty = pretty;
    bench_install_signal_handlers();
    rc = bench_job_run(&s, j, &jc, &br);
    json_decref(jc.tool);
    json_decref(jc.host);
    json_decref(jc.env);
    bench_suite_free(&s);
    return rc;
}
