/* `mmbench compare BASE CAND` (4, 8.1): files or directories matched by scenario and
 * setting; a table on stdout, mmbench/compare/v1 JSON, Markdown.
 * Design: docs/design/measurement.md ("Comparing").
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "compare.h"
#include "experiment.h"
#include "output.h"
#include "result.h"
#include "suite_run.h"
#include "util.h"

static const char compare_usage[] =
    "usage: mmbench compare BASE CAND [--metric M]... [--min-effect M=F]... [--paired]\n"
    "                       [--force] [--fail-on worse] [--json FILE|-] [--md FILE]\n"
    "\n"
    "Compare candidate CAND with baseline BASE: two result files, or two directories\n"
    "whose result files are paired by scenario and setting. Per metric: ratio\n"
    "candidate/baseline with a 95% CI (Welch on logs of the run-level values, Welch-\n"
    "Satterthwaite df; pause percentiles and MMU by bootstrap over runs; "
    "metrics that can\n"
    "be 0 as differences), a Mann-Whitney U cross-check, and a verdict against the\n"
    "minimum effect of interest: better, worse, negligible (real but small),\n"
    "no-difference (equivalent within the effect), inconclusive (not enough evidence\n"
    "either way; the table gives the runs a side that would decide it),\n"
    "insufficient-data (< 5 runs a side), not-comparable (other host). Directories with\n"
    "several scenarios also get the suite index: per setting and metric, the geometric\n"
    "mean of the per-scenario ratios with a 95% bootstrap CI over scenarios, "
    "no verdict.\n"
    "\n"
    "  --metric M         compare only these metrics (default: wall/cpu per loop, "
    "peak RSS,\n"
    "                     GC share, throughput, pause p50/p99/max, MMU 10 ms)\n"
    "  --min-effect M=F   minimum effect for metric M as a fraction (default 0.02 for\n"
    "                     times and RSS, 0.05 GC share and p50, 0.10 tail pauses)\n"
    "  --paired           pair run r of each side (same suite run and host): "
    "per-round log\n"
    "                     differences, one-sample t and Wilcoxon signed-rank\n"
    "  --force            compare across different host fingerprints\n"
    "  --fail-on worse    exit 5 when any verdict is worse\n"
    "  --json FILE|-      write mmbench/compare/v1     --md FILE  a Markdown table\n";

typedef struct cmp_args {
    const char *metrics[64], *eff_names[64], *json_out, *md_out;
    double eff_values[64];
    size_t nmetrics, neff;
    int force, paired, fail_worse;
} cmp_args;

static int
parse_effect(cmp_args *a, const char *v)
{
    char name[64];
    const char *eq = strchr(v, '=');
    if (!eq || (size_t)(eq - v) >= sizeof name || a->neff == 64) {
        fprintf(stderr,
                "mmbench: error: --min-effect: expected METRIC=FRACTION, got '%s'\n", v);
        return 2;
    }
    memcpy(name, v, (size_t)(eq - v));
    name[eq - v] = 0;
    if (!bench_metric_find(name)) {
        fprintf(stderr,
                "mmbench: error: --min-effect: unknown metric '%s' (see "
                "'mmbench list metrics')\n",
                name);
        return 2;
    }
    if (bench_parse_double(eq + 1, 0, 10, &a->eff_values[a->neff]) != 0) {
        fprintf(stderr,
                "mmbench: error: --min-effect: '%s' is not a fraction in [0, 10]\n",
                eq + 1);
        return 2;
    }
    a->eff_names[a->neff++] = bench_xstrdup(name);
    return 0;
}

static int
parse_cmp(int argc, char **argv, cmp_args *a)
{
    static const struct option opts[] = {
        { "metric", required_argument, 0, 'm' },
        { "min-effect", required_argument, 0, 'e' },
        { "paired", no_argument, 0, 'p' },
        { "force", no_argument, 0, 'f' },
        { "fail-on", required_argument, 0, 'F' },
        { "json", required_argument, 0, 'j' },
        { "md", required_argument, 0, 'd' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 },
    };
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
            case 'm':
                if (!bench_metric_find(optarg) || a->nmetrics == 64) {
                    fprintf(stderr, "mmbench: error: --metric: unknown metric '%s' (see "
                            "'mmbench list metrics')\n", optarg);
                    return 2;
                }
                a->metrics[a->nmetrics++] = optarg;
                break;
            case 'e': if (parse_effect(a, optarg)) return 2; break;
            case 'p': a->paired = 1; break;
            case 'f': a->force = 1; break;
            case 'F':
                if (strcmp(optarg, "worse")) {
                    fprintf(stderr,
                            "mmbench: error: --fail-on: only 'worse' is supported\n");
                    return 2;
                }
                a->fail_worse = 1;
                break;
            case 'j': a->json_out = optarg; break;
            case 'd': a->md_out = optarg; break;
            case 'h': fputs(compare_usage, stdout); return 0;
            default:
                fprintf(stderr,
                        "mmbench: error: compare: unknown or incomplete option '%s' "
                        "(see 'mmbench compare --help')\n",
                        argv[optind - 1]);
                return 2;
        }
    }
    if (optind != argc - 2) {
        fprintf(stderr, "mmbench: error: compare: expected BASE and CAND\n");
        return 2;
    }
    return -1;
}

static int
is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *
base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Pairs of (baseline file, candidate file): two files, or two directories matched by
 * file name (<scenario>__<setting>.json). */
static size_t
pair_inputs(const char *b, const char *c, char ***pb, char ***pc)
{
    size_t nb, nc, n = 0;
    char **fb, **fc;
    if (!is_dir(b) || !is_dir(c)) {
        *pb = bench_xcalloc(1, sizeof **pb);
        *pc = bench_xcalloc(1, sizeof **pc);
        (*pb)[0] = bench_xstrdup(b);
        (*pc)[0] = bench_xstrdup(c);
        return 1;
    }
    fb = bench_list_results(b, &nb);
    fc = bench_list_results(c, &nc);
    *pb = bench_xcalloc(nb + 1, sizeof **pb);
    *pc = bench_xcalloc(nb + 1, sizeof **pc);
    for (size_t i = 0; i < nb; i++)
        for (size_t k = 0; k < nc; k++)
            if (!strcmp(base_name(fb[i]), base_name(fc[k]))) {
                (*pb)[n] = bench_xstrdup(fb[i]);
                (*pc)[n++] = bench_xstrdup(fc[k]);
            }
    bench_free_list(fb, nb);
    bench_free_list(fc, nc);
    return n;
}

/* An undefined number in tables: an en dash, never "nan". */
#define CMP_UNDEF "\xe2\x80\x93"

static void
fmt_num(char *out, size_t n, const char *fmt, double v)
{
    if (isfinite(v))
        snprintf(out, n, fmt, v);
    else
        snprintf(out, n, "%s", CMP_UNDEF);
}

/* s padded to width columns, right- or left-aligned; UTF-8 aware (CMP_UNDEF is one
 * column in three bytes). */
static void
put_cell(FILE *f, const char *s, int width, int left)
{
    int cols = 0;
    for (const char *p = s; *p; p++)
        cols += ((unsigned char)*p & 0xC0) != 0x80;
    if (!left)
        fprintf(f, "%*s", width > cols ? width - cols : 0, "");
    fputs(s, f);
    if (left)
        fprintf(f, "%*s", width > cols ? width - cols : 0, "");
}

static const char *
jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

static void
fmt_ratio(json_t *r, char *out, size_t n)
{
    double ratio = bench_jnum(r, "ratio"), lo = bench_jnum(r, "lo"),
           hi = bench_jnum(r, "hi");
    const char *m = json_string_value(json_object_get(r, "method"));
    char d[32], l[32], h[32];
    if (m && !strcmp(m, "diff")) {
        double diff = bench_jnum(r, "difference");
        /* lo/hi of a difference row are differences, except on a deterministic row
         * (lo = hi = the exact ratio): no spread, so its difference CI is the point. */
        if (bench_compare_row_has_note(r, "deterministic"))
            lo = hi = diff;
        fmt_num(d, sizeof d, "%+.4g", diff);
        fmt_num(l, sizeof l, "%+.4g", lo);
        fmt_num(h, sizeof h, "%+.4g", hi);
        if (!isfinite(diff))
            snprintf(out, n, "%s", CMP_UNDEF);
        else if (isfinite(lo) && isfinite(hi))
            snprintf(out, n, "diff %s [%s, %s]", d, l, h);
        else
            snprintf(out, n, "diff %s [no CI]", d);
    } else if (isfinite(lo)) {
        snprintf(out, n, "%.4f [%.4f, %.4f]", ratio, lo, hi);
    } else if (isfinite(ratio)) {
        snprintf(out, n, "%.4f [no CI]", ratio);
    } else {
        snprintf(out, n, "%s", CMP_UNDEF);
    }
}

/* The verdict; an inconclusive one with the runs per side that would decide it (4.4). */
static void
fmt_verdict(json_t *r, char *out, size_t n)
{
    const char *v = json_string_value(json_object_get(r, "verdict"));
    json_t *need = json_object_get(r, "runs_needed");
    if (v && !strcmp(v, "inconclusive") && json_is_integer(need))
        snprintf(out, n, "%s (needs ~%lld runs a side)", v,
                 (long long)json_integer_value(need));
    else
        snprintf(out, n, "%s", v ? v : CMP_UNDEF);
}

static void
print_table(json_t *rows, FILE *f, int md)
{
    json_t *r;
    size_t i;
    if (md)
        fprintf(f,
                "| scenario | baseline | candidate | metric | median baseline | median "
                "candidate | ratio [95%% CI] | verdict |\n"
                "|---|---|---|---|---|---|---|---|\n");
    else
        fprintf(f, "%-14s %-22s %-18s %12s %12s  %-30s %s\n", "scenario", "candidate",
                "metric", "baseline", "candidate", "ratio [95% CI]", "verdict");
    json_array_foreach(rows, i, r) {
        char ratio[96], verdict[96], mb[32], mc[32];
        fmt_ratio(r, ratio, sizeof ratio);
        fmt_verdict(r, verdict, sizeof verdict);
        fmt_num(mb, sizeof mb, "%.6g", bench_jnum(r, "median_b"));
        fmt_num(mc, sizeof mc, "%.6g", bench_jnum(r, "median_c"));
        if (md) {
            fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", jstr(r, "scenario"),
                    jstr(r, "baseline"), jstr(r, "candidate"), jstr(r, "metric"), mb, mc,
                    ratio, verdict);
            continue;
        }
        fprintf(f, "%-14s %-22s %-18s ", jstr(r, "scenario"), jstr(r, "candidate"),
                jstr(r, "metric"));
        put_cell(f, mb, 12, 0);
        fputc(' ', f);
        put_cell(f, mc, 12, 0);
        fputs("  ", f);
        put_cell(f, ratio, 30, 1);
        fprintf(f, " %s\n", verdict);
    }
}

/* One line of the suite index: the value with its CI, and the scenarios left out by
 * name while they fit (in the table at most 3), else their count. */
static void
index_line(json_t *x, FILE *f, int md)
{
    json_t *ex = json_object_get(x, "excluded"), *e;
    double gm = bench_jnum(x, "geomean"), lo = bench_jnum(x, "lo");
    long long n = (long long)json_integer_value(json_object_get(x, "n_scenarios"));
    char val[96], left[256] = "";
    size_t k, nex = json_array_size(ex), len = 0;
    if (isfinite(lo))
        snprintf(val, sizeof val, "%.4f [%.4f, %.4f]", gm, lo, bench_jnum(x, "hi"));
    else if (isfinite(gm))
        snprintf(val, sizeof val, "%.4f [no CI: < 5 scenarios]", gm);
    else
        snprintf(val, sizeof val, "%s", CMP_UNDEF);
    json_array_foreach(ex, k, e)
        if (len < sizeof left)
            len += (size_t)snprintf(left + len, sizeof left - len, "%s%s", k ? ", " : "",
                                    json_string_value(e));
    if ((!md && nex > 3) || len >= sizeof left)
        snprintf(left, sizeof left, "%zu scenarios", nex);
    if (md) {
        fprintf(f, "| %s | %s | %s | %lld | %s | %s |\n", jstr(x, "baseline"),
                jstr(x, "candidate"), jstr(x, "metric"), n, val, nex ? left : CMP_UNDEF);
        return;
    }
    fprintf(f, "%-22s %-18s %9lld  ", jstr(x, "candidate"), jstr(x, "metric"), n);
    put_cell(f, val, nex ? 30 : 0, 1);
    fprintf(f, "%s%s\n", nex ? " " : "", left);
}

/* The suite index (4.6) after the rows: a summary with its CI, no verdict column. */
static void
print_index(json_t *index, FILE *f, int md)
{
    json_t *x;
    size_t i;
    if (!json_array_size(index))
        return;
    if (md)
        fprintf(f, "\n## Suite index\n\nGeometric mean of the per-scenario ratios with a "
                "95%% bootstrap CI over scenarios (%lld resamples): a summary, never a "
                "verdict. Left out: differences of values that include 0, undefined "
                "ratios, other hosts.\n\n| baseline | candidate | metric | scenarios | "
                "index [95%% CI] | left out |\n|---|---|---|---|---|---|\n",
                (long long)bench_jnum(json_array_get(index, 0), "resamples"));
    else
        fprintf(f, "\nSuite index: geometric mean of the per-scenario ratios, 95%% "
                "bootstrap CI over scenarios (a summary, no verdict)\n"
                "%-22s %-18s %9s  %-30s %s\n",
                "candidate", "metric", "scenarios", "index [95% CI]", "left out");
    json_array_foreach(index, i, x)
        index_line(x, f, md);
}

static int
write_md(const char *path, json_t *rows, json_t *index, const char *holm)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int rc;
    fprintf(m, "# mmbench compare\n\n");
    print_table(rows, m, 1);
    fprintf(m, "\n%s\n", holm);
    print_index(index, m, 1);
    fclose(m);
    rc = bench_output_text(path, buf, len);
    free(buf);
    return rc;
}

/* Compare every pair into rows, warns and lbo; *seed_doc gets a reference to the first
 * baseline (its seed and resamples drive the suite index). */
static int
compare_all(char **pb, char **pc, size_t n, const cmp_args *a, json_t *rows,
            json_t *warns, json_t *lbo, json_t **seed_doc)
{
    bench_compare_opts o;
    memset(&o, 0, sizeof o);
    o.metrics = a->nmetrics ? a->metrics : NULL;
    o.nmetrics = a->nmetrics;
    o.effect_names = a->eff_names;
    o.effect_values = a->eff_values;
    o.neffects = a->neff;
    o.force = a->force;
    o.paired = a->paired;
    for (size_t i = 0; i < n; i++) {
        char err[1024];
        json_t *b = bench_result_load(pb[i], err, sizeof err), *c = NULL;
        int rc = 0;
        if (!b || !(c = bench_result_load(pc[i], err, sizeof err))) {
            fprintf(stderr, "mmbench: error: %s\n", err);
            rc = 2;
        } else if (bench_compare_results(b, c, &o, rows, warns, err, sizeof err) != 0) {
            fprintf(stderr, "mmbench: error: %s\n", err);
            rc = 2;
        } else {
            /* LBO over the two settings (4.7): cost over the cheapest distilled cost */
            json_t *docs[2] = { b, c }, *l = bench_lbo_json(docs, 2, "wall_ns_per_loop");
            json_array_extend(lbo, l);
            json_decref(l);
            if (!*seed_doc)
                *seed_doc = json_incref(b);
        }
        json_decref(b);
        json_decref(c);
        if (rc)
            return rc;
    }
    return 0;
}

/* Past 60 lines (style.md rule 29): option parsing, then the command's steps in order,
 * each a call or a check with its message; no part is used anywhere else. */
int
bench_cmd_compare(int argc, char **argv)
{
    cmp_args a;
    char **pb, **pc, holm[160];
    size_t n, i;
    json_t *rows, *warns, *lbo, *r, *seed_doc = NULL, *index = NULL;
    int rc, worse = 0;
    memset(&a, 0, sizeof a);
    if ((rc = parse_cmp(argc, argv, &a)) >= 0) {
        for (i = 0; i < a.neff; i++)
            free((char *)a.eff_names[i]);
        return rc;
    }
    rows = json_array();
    warns = json_array();
    lbo = json_array();
    if ((a.json_out && bench_output_check(a.json_out, 1)) ||
        (a.md_out && bench_output_check(a.md_out, 1))) {
        json_decref(rows);
        json_decref(warns);
        json_decref(lbo);
        return 2;
    }
    n = pair_inputs(argv[optind], argv[optind + 1], &pb, &pc);
    if (!n) {
        fprintf(stderr, "mmbench: error: no result files in common between %s and %s\n",
                argv[optind], argv[optind + 1]);
        rc = 2;
    } else {
        rc = compare_all(pb, pc, n, &a, rows, warns, lbo, &seed_doc);
    }
    bench_free_list(pb, n);
    bench_free_list(pc, n);
    if (!rc) {
        bench_compare_holm(rows);
        bench_compare_holm_line(rows, holm, sizeof holm);
        index = bench_compare_index(rows, seed_doc);
        json_array_foreach(rows, i, r)
            worse |= !strcmp(json_string_value(json_object_get(r, "verdict")), "worse");
        if (!a.json_out || strcmp(a.json_out, "-")) {
            print_table(rows, stdout, 0);
            printf("%s\n", holm);
            print_index(index, stdout, 0);
        }
        if (a.json_out) {
            json_t *doc = json_pack("{s:s,s:s,s:s,s:O,s:O,s:O,s:O}", "schema",
                                    "mmbench/compare/v1", "baseline", argv[optind],
                                    "candidate", argv[optind + 1], "rows", rows, "lbo",
                                    lbo, "index", index, "warnings", warns);
            rc = bench_output_write(a.json_out, doc, 0);
            json_decref(doc);
        }
        if (!rc && a.md_out)
            rc = write_md(a.md_out, rows, index, holm);
    }
    json_array_foreach(warns, i, r)
        fprintf(stderr, "mmbench: warning: %s: %s\n",
                json_string_value(json_object_get(r, "code")),
                json_string_value(json_object_get(r, "message")));
    json_decref(rows);
    json_decref(warns);
    json_decref(lbo);
    json_decref(index);
    json_decref(seed_doc);
    for (i = 0; i < a.neff; i++)
        free((char *)a.eff_names[i]);
    return rc ? rc : (a.fail_worse && worse) ? 5 : 0;
}
