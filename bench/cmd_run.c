/* `mmbench run`: one scenario under one setting, `repeat` forked processes, one result
 * file (results-and-reports.md 2, 8.1). Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "experiment.h"
#include "meta.h"
#include "output.h"
#include "recorder.h"
#include "result.h"
#include "runner.h"
#include "suite.h"
#include "util.h"

static const char run_usage[] =
    "usage: mmbench run SCENARIO [options]\n"
    "\n"
    "Run SCENARIO under one GC setting: --repeat forked processes, each doing --warmup\n"
    "discarded values and --values measured values of --loops iterations. Writes one\n"
    "result file (mmbench/result/v1) and prints a short summary.\n"
    "\n"
    "Setting (also from MMBENCH_GC, MMBENCH_THRESHOLD, MMBENCH_ALLOC, "
    "MMBENCH_FREELISTS,\n"
    "MMBENCH_SMALL_THRESHOLD, MMBENCH_FREEZE; flags win):\n"
    "  --gc POLICY           cpython311 (default), cpython313, none, full, marksweep\n"
    "  --threshold T0,T1,T2  generation thresholds (default: the policy's, 700,10,10)\n"
    "  --alloc BACKEND       pool (default), malloc, private, mimalloc, jemalloc\n"
    "                        (mimalloc/jemalloc run the child under LD_PRELOAD and are\n"
    "                        verified; a mismatch exits 3)\n"
    "  --freelists on|off    CPython 3.11 per-type free lists (default on)\n"
    "  --small-threshold BYTES\n"
    "                        pool/private small-request threshold: 512 (default,\n"
    "                        CPython 3.8+) or 256 (the seed's); larger requests go\n"
    "                        to malloc\n"
    "  --freeze              gc.freeze() after setup, before the warmups\n"
    "  --label NAME          setting label (default derived from the knobs)\n"
    "  --suite FILE --setting LABEL\n"
    "                        take params, setting and measurement from a suite file\n"
    "Scenario:\n"
    "  --param K=V           scenario parameter (see 'mmbench describe SCENARIO')\n"
    "  --seed N              workload seed (default 1)\n"
    "Measurement:\n"
    "  --repeat N            processes (default 10)     --warmup N   (default 1)\n"
    "  --values N            values per process (3)     --loops N    (default 1)\n"
    "  --pin CPU             pin every process to CPU   --timeout S  (default 600)\n"
    "  --mem-limit BYTES     heap budget; beyond it a run ends with status 'limit'\n"
    "  --sample-interval MS  time-series interval (default 10)\n"
    "  --max-events N        per-pause rows kept (default 2000)\n"
    "  --arena-map           record the arena fragmentation map\n"
    "Output:\n"
    "  -o FILE|-             result file (default results/SCENARIO__LABEL.json); "
    "'-' = stdout\n"
    "  --pretty              indent the JSON\n"
    "  --force               overwrite an existing output file\n"
    "  --anonymize           null hostnames, LD_PRELOAD basenames only\n"
    "\n"
    "Exit status: 0 ok, 2 bad input, 3 allocator missing or not serving malloc,\n"
    "4 at least one run failed (the file is still written), 130/143 interrupted.\n";

enum {
    O_GC = 256, O_THRESHOLD, O_ALLOC, O_FREELISTS, O_SMALL_THRESHOLD, O_FREEZE, O_LABEL,
    O_PARAM, O_SEED, O_REPEAT, O_WARMUP, O_VALUES, O_LOOPS, O_PIN, O_TIMEOUT, O_MEMLIMIT,
    O_SAMPLE, O_MAXEV, O_ARENAMAP, O_PRETTY, O_FORCE, O_SUITE, O_SETTING, O_ANON, O_HELP
};

static const struct option run_opts[] = {
    { "gc", required_argument, 0, O_GC },
    { "threshold", required_argument, 0, O_THRESHOLD },
    { "alloc", required_argument, 0, O_ALLOC },
    { "freelists", required_argument, 0, O_FREELISTS },
    { "small-threshold", required_argument, 0, O_SMALL_THRESHOLD },
    { "freeze", no_argument, 0, O_FREEZE },
    { "label", required_argument, 0, O_LABEL },
    { "param", required_argument, 0, O_PARAM },
    { "seed", required_argument, 0, O_SEED },
    { "repeat", required_argument, 0, O_REPEAT },
    { "warmup", required_argument, 0, O_WARMUP },
    { "values", required_argument, 0, O_VALUES },
    { "loops", required_argument, 0, O_LOOPS },
    { "pin", required_argument, 0, O_PIN },
    { "timeout", required_argument, 0, O_TIMEOUT },
    { "mem-limit", required_argument, 0, O_MEMLIMIT },
    { "sample-interval", required_argument, 0, O_SAMPLE },
    { "max-events", required_argument, 0, O_MAXEV },
    { "arena-map", no_argument, 0, O_ARENAMAP },
    { "pretty", no_argument, 0, O_PRETTY },
    { "force", no_argument, 0, O_FORCE },
    { "suite", required_argument, 0, O_SUITE },
    { "setting", required_argument, 0, O_SETTING },
    { "anonymize", no_argument, 0, O_ANON },
    { "help", no_argument, 0, O_HELP },
    { 0, 0, 0, 0 },
};

typedef struct run_args {
    bench_experiment e;
    const char *out, *label, *suite, *setting;
    int pretty, force, anonymize, label_given;
    const char *params[SC_MAX_PARAMS * 4];
    size_t nparams;
} run_args;

static int
bad(const char *flag, const char *value, const char *want)
{
    fprintf(stderr, "mmbench: error: %s: expected %s, got '%s'\n", flag, want, value);
    return 2;
}

/* An integer option in lo..hi into *dst; want describes the range for the error. */
static int
u32_opt(const char *flag, const char *v, uint32_t lo, uint32_t hi, uint32_t *dst,
        const char *want)
{
    return bench_parse_u32(v, lo, hi, dst) ? bad(flag, v, want) : 0;
}

static int
measure_opt(run_args *a, int c, const char *v)
{
    bench_measure *m = &a->e.m;
    double d;
    uint32_t u;
    uint64_t u64;
    switch (c) {
        case O_REPEAT:
            return u32_opt("--repeat", v, 1, 100000, &m->repeat, "an integer 1..100000");
        case O_WARMUP:
            return u32_opt("--warmup", v, 0, 1000, &m->warmup, "an integer 0..1000");
        case O_VALUES:
            return u32_opt("--values", v, 1, 100000, &m->values, "an integer 1..100000");
        case O_LOOPS:
            return u32_opt("--loops", v, 1, 1000000000, &m->loops, "an integer 1..1e9");
        case O_PIN:
            if (bench_parse_u32(v, 0, 4095, &u))
                return bad("--pin", v, "a CPU number");
            m->pin_cpu = (int)u;
            return 0;
        case O_TIMEOUT:
            return bench_parse_double(v, 0.001, 1e7, &m->timeout_s)
                       ? bad("--timeout", v, "seconds > 0")
                       : 0;
        case O_MEMLIMIT:
            if (bench_parse_u64(v, &u64) || u64 < 4096)
                return bad("--mem-limit", v, "bytes >= 4096");
            m->mem_limit_bytes = u64;
            return 0;
        case O_SAMPLE:
            if (bench_parse_double(v, 0.1, 1e6, &d))
                return bad("--sample-interval", v, "milliseconds >= 0.1");
            m->sample_interval_ns = (uint64_t)(d * 1e6);
            return 0;
        case O_MAXEV:
            if (bench_parse_u32(v, 0, 10000000, &m->max_events))
                return bad("--max-events", v, "an integer 0..1e7");
            if (m->top_n + m->reservoir > m->max_events) {
                m->top_n = m->max_events / 32;
                m->reservoir = m->max_events / 2;
            }
            return 0;
        default: return -1;
    }
}

static int
setting_opt(run_args *a, int c, const char *v)
{
    char err[256];
    static const char *const knob[] = { "gc", "threshold", "alloc", "freelists",
                                        "small_threshold" };
    if (c >= O_GC && c <= O_SMALL_THRESHOLD) {
        if (bench_setting_apply(&a->e.set, knob[c - O_GC], v, err, sizeof err) != 0) {
            fprintf(stderr, "mmbench: error: %s\n", err);
            return 2;
        }
        return 0;
    }
    return -1;
}

static int
parse_opt(run_args *a, int c, const char *v)
{
    int rc = setting_opt(a, c, v);
    if (rc >= 0)
        return rc;
    rc = measure_opt(a, c, v);
    if (rc >= 0)
        return rc;
    switch (c) {
        case O_FREEZE: a->e.set.freeze = 1; return 0;
        case O_LABEL: a->label = v; a->label_given = 1; return 0;
        case O_PARAM:
            if (a->nparams == sizeof a->params / sizeof a->params[0])
                return bad("--param", v, "fewer --param flags");
            a->params[a->nparams++] = v;
            return 0;
        case O_SEED:
            return bench_parse_u64(v, &a->e.seed)
                       ? bad("--seed", v, "an integer 0..2^63-1")
                       : 0;
        case O_ARENAMAP: a->e.m.arena_map = 1; return 0;
        case O_PRETTY: a->pretty = 1; return 0;
        case O_FORCE: a->force = 1; return 0;
        case O_ANON: a->anonymize = 1; return 0;
        case O_SUITE: a->suite = v; return 0;
        case O_SETTING: a->setting = v; return 0;
        default: return 2;
    }
}

typedef struct opt_item {
    int c;
    const char *v;
} opt_item;

/* Pass 1: collect options (so --suite loads before the other flags apply). */
static int
collect_opts(int argc, char **argv, opt_item *items, size_t *n, run_args *a)
{
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", run_opts, NULL)) != -1) {
        if (c == 'h' || c == O_HELP) {
            fputs(run_usage, stdout);
            return 0;
        }
        if (c == '?' || c == ':') {
            fprintf(stderr, "mmbench: error: run: unknown or incomplete option '%s' (see "
                    "'mmbench run --help')\n", argv[optind - 1]);
            return 2;
        }
        if (c == 'o')
            a->out = optarg;
        else if (c == O_SUITE)
            a->suite = optarg;
        else if (c == O_SETTING)
            a->setting = optarg;
        else
            items[(*n)++] = (opt_item){ c, optarg };
    }
    return -1;
}

static int
apply_params(run_args *a)
{
    char err[256];
    for (size_t i = 0; i < a->nparams; i++)
        if (sc_param_set(a->e.sc, &a->e.params, a->params[i], err, sizeof err) != 0) {
            fprintf(stderr, "mmbench: error: %s\n", err);
            return 2;
        }
    return 0;
}

static int
resolve_args(int argc, char **argv, run_args *a)
{
    opt_item *items = bench_xcalloc((size_t)argc, sizeof *items);
    size_t n = 0;
    char err[512];
    int rc = collect_opts(argc, argv, items, &n, a);
    if (rc < 0 && optind != argc - 1) {
        fprintf(stderr,
                "mmbench: error: run: expected exactly one SCENARIO (see "
                "'mmbench run --help')\n");
        rc = 2;
    }
    if (rc < 0 && !(a->e.sc = sc_find(argv[optind]))) {
        fprintf(stderr, "mmbench: error: unknown scenario '%s' (see 'mmbench list')\n",
                argv[optind]);
        rc = 2;
    }
    if (rc < 0) {
        sc_defaults(a->e.sc, &a->e.params);
        if ((a->suite != NULL) != (a->setting != NULL)) {
            fprintf(stderr, "mmbench: error: --suite and --setting go together\n");
            rc = 2;
        } else if (a->suite && bench_suite_experiment(a->suite, a->e.sc->name, a->setting,
                                                      &a->e, err, sizeof err) != 0) {
            fprintf(stderr, "mmbench: error: %s\n", err);
            rc = 2;
        } else if (bench_setting_apply_env(&a->e.set, err, sizeof err) != 0) {
            fprintf(stderr, "mmbench: error: %s\n", err);
            rc = 2;
        }
        if (a->setting)
            a->label = a->e.set.label;
    }
    for (size_t i = 0; rc < 0 && i < n; i++)
        if (parse_opt(a, items[i].c, items[i].v) != 0)
            rc = 2;
    free(items);
    if (rc < 0 && apply_params(a) != 0)
        rc = 2;
    return rc;
}

static int
finish_label(run_args *a)
{
    if (a->label_given || a->setting) {
        if (!bench_name_valid(a->label)) {
            fprintf(stderr, "mmbench: error: --label: '%s' is not a valid name "
                    "([a-z0-9][a-z0-9_.-]{0,63}, no '__')\n", a->label);
            return 2;
        }
        snprintf(a->e.set.label, sizeof a->e.set.label, "%s", a->label);
    } else {
        bench_setting_auto_label(&a->e.set, a->e.set.label, sizeof a->e.set.label);
    }
    if (a->e.m.top_n + a->e.m.reservoir > a->e.m.max_events) {
        fprintf(stderr,
                "mmbench: error: top_n + reservoir must not exceed --max-events\n");
        return 2;
    }
    return 0;
}

/* One summary figure into buf: the median scaled and formatted with its unit, or "n/a"
 * when the metric has no value (no pause under policy none). */
static const char *
fig(char *buf, size_t n, json_t *m, const char *path, double scale, const char *fmt)
{
    double v = bench_jnum(m, path);
    if (!isfinite(v))
        return "n/a";
    snprintf(buf, n, fmt, v * scale);
    return buf;
}

static void
print_summary(json_t *doc, FILE *f)
{
    json_t *sum = json_object_get(doc, "summary");
    json_t *m = json_object_get(sum, "metrics");
    long long ok = (long long)json_integer_value(json_object_get(sum, "runs_ok"));
    char a[32], b[32], c[32], d[32], e[32];
    const char *id = json_string_value(json_object_get(doc, "id"));
    if (ok == 0) {
        fprintf(f, "%s: 0 ok runs (the runs' status and error are in the file)\n", id);
        return;
    }
    fprintf(f,
            "%s: %lld ok runs, wall/loop median %s, GC share %s, pause p50 %s max %s, "
            "peak RSS %s\n",
            id, ok, fig(a, sizeof a, m, "wall_ns_per_loop.median", 1e-6, "%.3f ms"),
            fig(b, sizeof b, m, "gc_time_share.median", 100, "%.1f%%"),
            fig(c, sizeof c, m, "pause_p50_ns.median", 1e-3, "%.0f us"),
            fig(d, sizeof d, m, "pause_max_ns.median", 1e-3, "%.0f us"),
            fig(e, sizeof e, m, "peak_rss_bytes.median", 1.0 / 1048576, "%.1f MiB"));
}

/* Past 60 lines (style.md rule 29): option parsing, then the command's steps in order,
 * each a call or a check with its message; no part is used anywhere else. */
int
bench_cmd_run(int argc, char **argv)
{
    run_args a;
    char resolved[1][512], outpath[4096];
    bench_runner br;
    bench_result_ctx ctx;
    json_t *runs[1], *doc, *tool, *host, *env;
    int rc, sig, failed;
    memset(&a, 0, sizeof a);
    bench_setting_default(&a.e.set);
    bench_measure_default(&a.e.m);
    a.e.seed = 1;
    rc = resolve_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (finish_label(&a) != 0)
        return 2;
    if (!a.out) {
        snprintf(outpath, sizeof outpath, "results/%s__%s.json", a.e.sc->name,
                 a.e.set.label);
        a.out = outpath;
    }
    /* pre-flight first: bench_output_check creates the output's directory */
    rc = bench_preflight(&a.e, resolved[0], sizeof resolved[0]);
    if (rc != 0)
        return rc;
    if (bench_output_check(a.out, a.force) != 0)
        return 2;
    memset(&br, 0, sizeof br);
    br.total = a.e.m.repeat;
    br.progress = isatty(2);
    br.anonymize = a.anonymize;
    br.started = (double)bench_now_ns() / 1e9;
    bench_install_signal_handlers();
    memset(&ctx, 0, sizeof ctx);
    clock_gettime(CLOCK_REALTIME, &ctx.started);
    sig = bench_run_rounds(&br, &a.e, 1, runs, resolved, a.e.seed);
    clock_gettime(CLOCK_REALTIME, &ctx.finished);
    if (sig) {
        json_decref(runs[0]);
        fprintf(stderr, "mmbench: interrupted; nothing written\n");
        return 128 + sig;
    }
    tool = bench_tool_json();
    host = bench_host_json(a.anonymize);
    env = bench_env_json(a.anonymize);
    ctx.tool = tool;
    ctx.host = host;
    ctx.env = env;
    ctx.argc = argc + 1;
    ctx.argv = argv - 1;
    doc = bench_result_build(&a.e, &ctx, resolved[0], runs[0]);
    failed = strcmp(json_string_value(json_object_get(doc, "status")), "complete") != 0;
    rc = bench_output_write(a.out, doc, a.pretty);
    if (rc == 0 && strcmp(a.out, "-"))
        print_summary(doc, stdout);
    bench_print_warnings(doc);
    json_decref(doc);
    json_decref(tool);
    json_decref(host);
    json_decref(env);
    bench_setting_clear(&a.e.set);
    return rc ? rc : failed ? 4 : 0;
}
