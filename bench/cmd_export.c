/* `mmbench export FILE|DIR... --format tsv|csv|trace|json-pretty [--chart ID]...
 * [-o DIR|-] [--force]` (spec 6.1, 8.1-8.3). Everything is validated before any output
 * exists.
 * Design: docs/design/reports.md ("The pipeline").
 * SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "export.h"
#include "export_internal.h"
#include "output.h"
#include "util.h"

static const char usage_text[] =
    "usage: mmbench export FILE|DIR... --format tsv [--chart ID]... [-o DIR] [--force]\n"
    "       mmbench export FILE|DIR... --format csv|trace|json-pretty [-o DIR|-]\n"
    "                      [--force]\n"
    "\n"
    "Export result files (or every result file of suite directories) for other tools.\n"
    "\n"
    "Formats:\n"
    "  tsv          one tab-separated file per chart of the catalogue (spec 6.2) in\n"
    "               DIR/data/<chart>__<scenario>[__<setting>].tsv, in the exact layouts\n"
    "               scripts/gnuplot/README.md defines, "
    "plus DIR/charts.json listing each\n"
    "               file with its chart, rows, terminal and caption. Draw one with\n"
    "                 LC_ALL=C gnuplot -c scripts/gnuplot/<chart>.gp DATA "
    "OUT TITLE svg|png\n"
    "               Per-setting time charts use the representative run (the "
    "run with the\n"
    "               median wall time per loop, lower middle for an even count).\n"
    "  csv          one CSV file per result (RFC 4180, CRLF), "
    "a header line and one row per\n"
    "               run: scenario, setting, run, "
    "status and run-level metrics (empty for\n"
    "               runs that did not finish ok).\n"
    "  trace        Chrome trace-event JSON (DIR/trace.json) that Perfetto and\n"
    "               chrome://tracing open: one process per (result, run), "
    "every kept pause\n"
    "               as a complete event (microseconds), heap per generation and RSS as\n"
    "               counters.\n"
    "  json-pretty  the result files re-indented with two spaces.\n"
    "\n"
    "Options:\n"
    "  --format F   output format (required)\n"
    "  --chart ID   only this chart (tsv; repeatable); "
    "`mmbench list charts` shows the ids\n"
    "  -o DIR|-     output directory (default export/); `-` writes csv, trace or\n"
    "               json-pretty (a single result) to stdout; tsv needs a directory (one\n"
    "               file per chart and series layout, plus charts.json)\n"
    "  --force      overwrite existing output files\n"
    "  -h, --help   this text\n"
    "\n"
    "Exit status: 0 success, 1 I/O error, 2 bad input (unknown format or chart, "
    "missing,\n"
    "unreadable or invalid result file, existing output without --force); nothing is\n"
    "written on exit 2.\n";

typedef struct opts {
    const char *format, *out;
    const char **charts;
    size_t ncharts;
    char **inputs;
    size_t ninputs;
    int force;
} opts;

static int
bad(const char *msg, const char *arg)
{
    fprintf(stderr, "mmbench: error: export: %s%s%s\n", msg, arg ? ": " : "",
            arg ? arg : "");
    fprintf(stderr, "(see mmbench export --help)\n");
    return 2;
}

static int
chart_known(const char *id)
{
    return bench_chart_question(id) != NULL;
}

static int
parse(int argc, char **argv, opts *o)
{
    o->charts = bench_xcalloc((size_t)argc + 1, sizeof *o->charts);
    o->inputs = bench_xcalloc((size_t)argc + 1, sizeof *o->inputs);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            return -1;
        } else if (!strcmp(a, "--force")) {
            o->force = 1;
        } else if (!strcmp(a, "--format") || !strcmp(a, "--chart") || !strcmp(a, "-o")) {
            if (i + 1 >= argc)
                return bad("missing value for", a);
            if (!strcmp(a, "--format"))
                o->format = argv[++i];
            else if (!strcmp(a, "-o"))
                o->out = argv[++i];
            else if (!chart_known(argv[++i]))
                return bad("unknown chart", argv[i]);
            else
                o->charts[o->ncharts++] = argv[i];
        } else if (a[0] == '-' && a[1]) {
            return bad("unknown option", a);
        } else {
            o->inputs[o->ninputs++] = argv[i];
        }
    }
    if (!o->format)
        return bad("--format is required (tsv, csv, trace or json-pretty)", NULL);
    if (strcmp(o->format, "tsv") && strcmp(o->format, "csv") &&
        strcmp(o->format, "trace") && strcmp(o->format, "json-pretty"))
        return bad("unknown format (tsv, csv, trace, json-pretty)", o->format);
    if (!o->ninputs)
        return bad("no result file or directory given", NULL);
    if (o->ncharts && strcmp(o->format, "tsv"))
        return bad("--chart applies to --format tsv only", NULL);
    if (!o->out)
        o->out = "export";
    if (!strcmp(o->out, "-") && !strcmp(o->format, "tsv"))
        return bad("-o -: --format tsv writes a directory (DIR/data/<chart>__...tsv, one "
                   "file per chart, and DIR/charts.json), not stdout; give -o DIR (-o - "
                   "works for csv, trace and json-pretty)", NULL);
    return 0;
}

/* The output file of result i for csv/json-pretty: DIR/<basename minus .json>.ext */
static void
out_path(const opts *o, const bench_results *r, size_t i, const char *ext, char *p,
         size_t n)
{
    char *copy = bench_xstrdup(r->paths[i]), *base = basename(copy);
    size_t len = strlen(base);
    if (len > 5 && !strcmp(base + len - 5, ".json"))
        base[len - 5] = 0;
    snprintf(p, n, "%s/%s%s", o->out, base, ext);
    free(copy);
}

/* 2 when a file export would write exists and --force is not given. */
static int
check_outputs(const opts *o, const bench_results *r)
{
    char p[4096];
    struct stat st;
    if (!strcmp(o->out, "-") || o->force)
        return 0;
    if (stat(o->out, &st) == 0 && !S_ISDIR(st.st_mode))
        return bad("-o: not a directory", o->out);
    if (!strcmp(o->format, "tsv")) {
        snprintf(p, sizeof p, "%s/charts.json", o->out);
        if (stat(p, &st) == 0)
            return bad("output exists (use --force to overwrite)", p);
        return 0;
    }
    if (!strcmp(o->format, "trace")) {
        snprintf(p, sizeof p, "%s/trace.json", o->out);
        return stat(p, &st) == 0 ? bad("output exists (use --force to overwrite)", p) : 0;
    }
    for (size_t i = 0; i < r->ndocs; i++) {
        out_path(o, r, i, !strcmp(o->format, "csv") ? ".csv" : ".json", p, sizeof p);
        if (stat(p, &st) == 0)
            return bad("output exists (use --force to overwrite)", p);
    }
    return 0;
}

static int
write_buf(const char *path, exp_buf *b)
{
    int rc = bench_output_text(path, b->s ? b->s : "", b->len);
    eb_free(b);
    return rc;
}

static int
export_tsv(const opts *o, const bench_results *r)
{
    char data[4096], p[4096];
    json_t *charts = json_array();
    int rc;
    snprintf(data, sizeof data, "%s/data", o->out);
    rc = bench_export_tsv(r, NULL, o->charts, o->ncharts, data, charts);
    snprintf(p, sizeof p, "%s/charts.json", o->out);
    if (!rc) {
        json_t *doc = json_pack("{s:s, s:O}", "schema", "mmbench/export-charts/v1",
                                "charts", charts);
        rc = bench_output_write(p, doc, 1);
        json_decref(doc);
    }
    if (!rc)
        fprintf(stderr, "mmbench: export: %zu data files in %s\n",
                json_array_size(charts), data);
    json_decref(charts);
    return rc;
}

static int
export_files(const opts *o, const bench_results *r)
{
    char p[4096];
    int rc = 0, csv = !strcmp(o->format, "csv"), out = !strcmp(o->out, "-");
    exp_buf b;
    eb_init(&b);
    if (out && !csv && r->ndocs != 1)
        return bad("-o - takes a single result file for json-pretty", NULL);
    for (size_t i = 0; i < r->ndocs && !rc; i++) {
        if (csv) {
            exp_csv(r->docs[i], &b, !out || i == 0);
            if (!out) {
                out_path(o, r, i, ".csv", p, sizeof p);
                rc = write_buf(p, &b);
            }
        } else {
            if (!out)
                out_path(o, r, i, ".json", p, sizeof p);
            rc = bench_output_write(out ? "-" : p, r->docs[i], 1);
        }
    }
    if (out && csv && !rc)
        rc = write_buf("-", &b);
    eb_free(&b);
    return rc;
}

/* `-o -` for csv, trace and json-pretty only (tsv is a directory of per-chart files,
 * 6.1). Outputs (in DIR, default export/):
 *   tsv          DIR/data/<chart>__<scenario>[__<setting>].tsv and DIR/charts.json
 *   csv          DIR/<result file name>.csv, one row per run
 *                (-o -: all results, one header)
 *   trace        DIR/trace.json, every run of every result (-o -: stdout)
 *   json-pretty  DIR/<result file name>.json re-indented (-o -: a single result only) */
int
bench_cmd_export(int argc, char **argv)
{
    opts o = { 0 };
    bench_results r;
    int rc = parse(argc, argv, &o);
    if (rc) {
        free(o.charts);
        free(o.inputs);
        return rc < 0 ? 0 : rc;
    }
    rc = bench_results_load(o.inputs, o.ninputs, &r);
    if (!rc && !(rc = check_outputs(&o, &r))) {
        if (strcmp(o.out, "-") && bench_mkdirs(o.out) != 0) {
            perror(o.out);
            rc = 1;
        } else if (!strcmp(o.format, "tsv")) {
            rc = export_tsv(&o, &r);
        } else if (!strcmp(o.format, "trace")) {
            exp_buf b;
            char p[4096];
            eb_init(&b);
            exp_trace(r.docs, r.ndocs, &b);
            snprintf(p, sizeof p, "%s/trace.json", o.out);
            rc = write_buf(strcmp(o.out, "-") ? p : "-", &b);
        } else {
            rc = export_files(&o, &r);
        }
    }
    bench_results_free(&r);
    free(o.charts);
    free(o.inputs);
    return rc;
}
