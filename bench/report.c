/* `mmbench report`: load results, compare every setting with the baseline, export TSV,
 * draw with gnuplot, derive findings, write index.html + report.md + JSON into a temp
 * directory and rename it into place (7, 8.3); SIGINT/SIGTERM remove the temp directory.
 * Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#include "report.h"

#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "findings.h"
#include "meta.h"
#include "output.h"
#include "plot.h"
#include "result.h"
#include "runner.h"
#include "util.h"

static const char report_usage[] =
    "usage: mmbench report DIR|FILE... [-o OUT_DIR] [--baseline LABEL] [--png-only]\n"
    "                      [--require-charts] [--force]\n"
    "\n"
    "Write a self-contained report of a results directory (or result files): OUT_DIR/\n"
    "index.html (works offline: inline CSS, charts embedded as data: images), report.md\n"
    "(the same sections in Markdown), findings.json, compare.json, "
    "data/*.tsv (what each\n"
    "chart shows, computed by mmbench) and plots/ (the images and the "
    "gnuplot scripts that\n"
    "drew them). Every setting is compared with the baseline of its scenario.\n"
    "\n"
    "  -o OUT_DIR        output directory (default reports/<suite-id>)\n"
    "  --baseline LABEL  baseline setting (default: the suite's)\n"
    "  --png-only        draw every chart as PNG\n"
    "  --require-charts  exit 3 when gnuplot 5 is missing (default: tables only, "
    "a banner)\n"
    "  --force           replace an existing OUT_DIR\n"
    "\n"
    "Running it twice on the same files gives byte-identical output. index.html above\n"
    "20 MiB gets a warning on stderr. SIGINT/SIGTERM: nothing written, exit 130/143.\n";

/* 8.3: the handlers only set bench_interrupted (runner.c); the report checks it between
 * steps. 128 + the signal once interrupted, else 0. */
static int
stopped(void)
{
    return bench_interrupted ? 128 + bench_interrupted : 0;
}

static json_t *
compare_all(bench_report *rep)
{
    static const char *const metrics[] = {
        "wall_ns_per_loop", "cpu_ns_per_loop", "peak_rss_bytes", "gc_time_share",
        "throughput_pct",   "pause_p50_ns",    "pause_p90_ns",   "pause_p99_ns",
        "pause_p99_9_ns",   "pause_max_ns",    "mmu_10ms"
    };
    bench_compare_opts o;
    json_t *rows = json_array(), *warns = json_array();
    const bench_results *r = &rep->res;
    memset(&o, 0, sizeof o);
    o.metrics = metrics;
    o.nmetrics = sizeof metrics / sizeof metrics[0];
    rep->lbo = json_array();
    for (size_t s = 0; s < r->nscen && r->baseline && !stopped(); s++) {
        json_t *base = bench_results_find(r, r->scenarios[s], r->baseline);
        json_t *docs[256];
        size_t nd = 0;
        for (size_t k = 0; k < r->nset && nd < 256; k++) {
            json_t *d = bench_results_find(r, r->scenarios[s], r->settings[k]);
            char err[256];
            if (!d)
                continue;
            docs[nd++] = d;
            if (base && d != base)
                bench_compare_results(base, d, &o, rows, warns, err, sizeof err);
        }
        if (nd > 1) {
            json_t *l = bench_lbo_json(docs, nd, "wall_ns_per_loop");
            json_array_extend(rep->lbo, l);
            json_decref(l);
        }
    }
    bench_compare_holm(rows);
    bench_compare_holm_line(rows, rep->holm, sizeof rep->holm);
    rep->cmp_warnings = warns;
    return rows;
}

/* compare/v1's "candidate" for a report: every setting compared with the baseline. */
static json_t *
candidates(const bench_report *rep)
{
    json_t *out = json_array();
    for (size_t k = 0; k < rep->res.nset; k++)
        if (!rep->res.baseline || strcmp(rep->res.settings[k], rep->res.baseline))
            json_array_append_new(out, json_string(rep->res.settings[k]));
    return out;
}

/* The suite index (4.6), seeded by the first scenario's baseline result, as compare. */
static json_t *
suite_index(const bench_report *rep)
{
    const bench_results *r = &rep->res;
    json_t *seed = r->nscen && r->baseline
                       ? bench_results_find(r, r->scenarios[0], r->baseline) : NULL;
    return bench_compare_index(rep->rows, seed);
}

/* Draw every exported chart; entries get "image" (plots/<name>.<ext>) or "error". */
static void
draw_all(bench_report *rep)
{
    json_t *c;
    size_t i;
    char plots[4096];
    snprintf(plots, sizeof plots, "%s/plots", rep->work);
    bench_mkdirs(plots);
    json_array_foreach(rep->charts, i, c) {
        const char *id = json_string_value(json_object_get(c, "chart"));
        const char *name = json_string_value(json_object_get(c, "name"));
        const char *term =
            rep->png_only ? "png" : json_string_value(json_object_get(c, "term"));
        char script[4096], data[4096], out[4096], rel[512], err[512], copy[4096],
            title[512];
        snprintf(script, sizeof script, "%s/%s.gp", bench_gnuplot_dir(), id);
        snprintf(data, sizeof data, "%s/%s", rep->work,
                 json_string_value(json_object_get(c, "file")));
        snprintf(rel, sizeof rel, "plots/%s.%s", name, term);
        snprintf(out, sizeof out, "%s/%s", rep->work, rel);
        snprintf(title, sizeof title, "%s (%s%s%s)", bench_chart_question(id),
                 json_string_value(json_object_get(c, "scenario")),
                 json_is_string(json_object_get(c, "setting")) ? ", " : "",
                 json_is_string(json_object_get(c, "setting"))
                     ? json_string_value(json_object_get(c, "setting")) : "");
        snprintf(copy, sizeof copy, "%s/%s.gp", plots, id);
        if (access(copy, F_OK) != 0) {
            FILE *in = fopen(script, "re"), *o = fopen(copy, "we");
            char buf[8192];
            size_t k;
            while (in && o && (k = fread(buf, 1, sizeof buf, in)) > 0)
                fwrite(buf, 1, k, o);
            if (in)
                fclose(in);
            if (o)
                fclose(o);
        }
        json_object_set_new(c, "script", json_pack("s++", "plots/", id, ".gp"));
        if (!rep->have_gnuplot || stopped())
            continue;
        if (bench_gnuplot_draw(script, data, out, title, term, err, sizeof err) == 0)
            json_object_set_new(c, "image", json_string(rel));
        else
            json_object_set_new(c, "error", json_string(err));
    }
}

static int
write_json(const char *dir, const char *name, json_t *doc)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return bench_output_write(path, doc, 1);
}

/* 7.3: warn above 20 MiB ($MMBENCH_REPORT_WARN_BYTES overrides the limit, for tests). */
static void
size_warning(const bench_report *rep)
{
    const char *env = getenv("MMBENCH_REPORT_WARN_BYTES");
    double limit = env && *env ? strtod(env, NULL) : 20.0 * 1048576;
    if ((double)rep->html_bytes <= limit)
        return;
    fprintf(stderr,
            "mmbench: warning: %s/index.html is %.1f MiB, above the %.1f MiB a report "
            "should stay under (browsers open it slowly); report.md shows the same "
            "charts from %s/plots/\n",
            rep->out, (double)rep->html_bytes / 1048576, limit / 1048576, rep->out);
}

static int
write_page(bench_report *rep, const char *name, int md)
{
    char path[4096], *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int rc;
    rc = md ? bench_report_md(rep, m) : bench_report_html(rep, m);
    fclose(m);
    snprintf(path, sizeof path, "%s/%s", rep->work, name);
    if (!rc)
        rc = bench_output_text(path, buf, len);
    if (!md)
        rep->html_bytes = len;
    free(buf);
    return rc;
}

static void
load_claims(bench_report *rep)
{
    char path[4096];
    if (!rep->res.dir)
        return;
    snprintf(path, sizeof path, "%s/claims.json", rep->res.dir);
    rep->claims = json_load_file(path, 0, NULL);
    if (rep->claims && !json_is_array(json_object_get(rep->claims, "claims"))) {
        json_decref(rep->claims);
        rep->claims = NULL;
    }
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    remove(path);
    return 0; /* keep going: remove what can be removed */
}

/* Remove a directory tree we created (work dirs, a replaced report), without a shell:
 * a child `rm` would share the terminal's SIGINT. */
static void
rmtree(const char *dir)
{
    if (dir[0] && strcmp(dir, "/"))
        nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int
build(bench_report *rep)
{
    char data[4096];
    json_t *doc;
    int rc;
    snprintf(data, sizeof data, "%s/data", rep->work);
    if (bench_mkdirs(data) != 0) {
        fprintf(stderr, "mmbench: error: %s: %s\n", data, strerror(errno));
        return 1;
    }
    rep->rows = compare_all(rep);
    rep->index = suite_index(rep);
    rep->charts = json_array();
    if ((rc = stopped()) != 0)
        return rc;
    rc = bench_export_tsv(&rep->res, rep->rows, NULL, 0, data, rep->charts);
    if (!rc)
        rc = stopped();
    if (rc)
        return rc;
    draw_all(rep);
    if ((rc = stopped()) != 0)
        return rc;
    rep->findings = bench_findings(&rep->res, rep->rows, rep->lbo, rep->charts);
    load_claims(rep);
    doc = json_pack(
        "{s:s,s:o,s:o,s:O,s:O,s:s,s:O,s:O}", "schema", "mmbench/compare/v1", "baseline",
        rep->res.baseline ? json_string(rep->res.baseline) : json_null(), "candidate",
        candidates(rep), "rows", rep->rows, "lbo", rep->lbo, "holm", rep->holm, "index",
        rep->index, "warnings", rep->cmp_warnings);
    rc = write_json(rep->work, "compare.json", doc);
    json_decref(doc);
    if (!rc)
        rc = write_json(rep->work, "findings.json", rep->findings);
    if (!rc)
        rc = write_page(rep, "index.html", 0);
    if (!rc)
        rc = write_page(rep, "report.md", 1);
    return rc ? rc : stopped();
}

/* Move the finished work directory to out (replacing an old report with --force). */
static int
install(bench_report *rep)
{
    char old[4200];
    struct stat st;
    if (stat(rep->out, &st) == 0) {
        snprintf(old, sizeof old, "%s.old.%ld", rep->out, (long)getpid());
        if (rename(rep->out, old) != 0) {
            fprintf(stderr, "mmbench: error: %s: %s\n", rep->out, strerror(errno));
            return 1;
        }
        if (rename(rep->work, rep->out) != 0) {
            rename(old, rep->out);
            fprintf(stderr, "mmbench: error: %s: %s\n", rep->out, strerror(errno));
            return 1;
        }
        rmtree(old);
        return 0;
    }
    if (rename(rep->work, rep->out) != 0) {
        fprintf(stderr, "mmbench: error: %s: %s\n", rep->out, strerror(errno));
        return 1;
    }
    return 0;
}

static int
prepare_out(bench_report *rep, int force, char *defout, size_t n)
{
    struct stat st;
    char *parent;
    if (!rep->out) {
        const char *id =
            rep->res.index
                ? json_string_value(json_object_get(rep->res.index, "suite_id"))
                : NULL;
        snprintf(defout, n, "reports/%s", id ? id : "report");
        rep->out = defout;
    }
    if (stat(rep->out, &st) == 0 && !force) {
        fprintf(stderr, "mmbench: error: %s: exists (use --force to replace it)\n",
                rep->out);
        return 2;
    }
    parent = bench_xstrdup(rep->out);
    if (bench_mkdirs(dirname(parent)) != 0) {
        fprintf(stderr, "mmbench: error: %s: cannot create its directory\n", rep->out);
        free(parent);
        return 2;
    }
    free(parent);
    snprintf(rep->work, sizeof rep->work, "%s.tmp.%ld", rep->out, (long)getpid());
    return 0;
}

static void
report_free(bench_report *rep)
{
    json_decref(rep->rows);
    json_decref(rep->index);
    json_decref(rep->cmp_warnings);
    json_decref(rep->lbo);
    json_decref(rep->charts);
    json_decref(rep->findings);
    json_decref(rep->claims);
    bench_results_free(&rep->res);
}

/* --baseline must name a setting of the results: 0, or 2 after the message. */
static int
use_baseline(bench_report *rep, const char *baseline)
{
    int found = 0;
    if (!baseline)
        return 0;
    for (size_t i = 0; i < rep->res.nset; i++)
        found |= !strcmp(rep->res.settings[i], baseline);
    if (!found) {
        fprintf(stderr, "mmbench: error: --baseline: no setting '%s' in the results\n",
                baseline);
        return 2;
    }
    rep->res.baseline = baseline;
    return 0;
}

/* Build the report in OUT.tmp.PID and install it; on any failure or signal the temp
 * directory goes and nothing is written. */
static int
run_report(bench_report *rep, int force, int require, char *defout, size_t n)
{
    int rc;
    rep->have_gnuplot = bench_gnuplot_available(rep->gnuplot_version,
                                                sizeof rep->gnuplot_version);
    if (!rep->have_gnuplot && require) {
        fprintf(stderr, "mmbench: error: gnuplot 5 not found and --require-charts given "
                "(Debian: apt-get install gnuplot-nox)\n");
        return 3;
    }
    if ((rc = prepare_out(rep, force, defout, n)) != 0)
        return rc;
    bench_install_signal_handlers();
    rc = build(rep);
    if (!rc)
        rc = stopped();
    if (!rc)
        rc = install(rep);
    if (rc)
        rmtree(rep->work);
    if (rc > 128)
        fprintf(stderr, "mmbench: interrupted; nothing written\n");
    if (!rc) {
        if (!rep->have_gnuplot)
            fprintf(stderr,
                    "mmbench: warning: charts were not drawn: gnuplot 5 not found "
                    "(Debian: apt-get install gnuplot-nox)\n");
        size_warning(rep);
        printf("%s/index.html\n", rep->out);
    }
    return rc;
}

int
bench_cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        { "baseline", required_argument, 0, 'b' }, { "png-only", no_argument, 0, 'p' },
        { "require-charts", no_argument, 0, 'r' }, { "force", no_argument, 0, 'f' },
        { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
    };
    bench_report rep;
    const char *baseline = NULL;
    char defout[4096];
    int c, force = 0, require = 0, rc;
    memset(&rep, 0, sizeof rep);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
            case 'o': rep.out = optarg; break;
            case 'b': baseline = optarg; break;
            case 'p': rep.png_only = 1; break;
            case 'r': require = 1; break;
            case 'f': force = 1; break;
            case 'h': fputs(report_usage, stdout); return 0;
            default:
                fprintf(stderr,
                        "mmbench: error: report: unknown or incomplete option '%s' "
                        "(see 'mmbench report --help')\n",
                        argv[optind - 1]);
                return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr,
                "mmbench: error: report: expected a results directory or files\n");
        return 2;
    }
    if ((rc = bench_results_load(argv + optind, (size_t)(argc - optind), &rep.res)) !=
        0) {
        report_free(&rep);
        return rc;
    }
    rc = use_baseline(&rep, baseline);
    if (!rc)
        rc = run_report(&rep, force, require, defout, sizeof defout);
    report_free(&rep);
    return rc;
}
