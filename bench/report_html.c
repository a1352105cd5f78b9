/* index.html (7.1, 7.3): one self-contained page, inline CSS, charts as data: images,
 * no script, no external reference. Sections in the contract's order.
 * Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "plot.h"
#include "report.h"
#include "result.h"
#include "stats.h"
#include "util.h"

#define E(s) bench_html_escape(f, (s))

static const char css[] =
    "body{font:15px/1.45 system-ui,sans-serif;max-width:1200px;margin:1.5em auto;"
    "padding:0 1em;color:#1d1d1d}h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;"
    "padding-bottom:.2em;margin-top:2em}table{border-collapse:collapse;margin:.5em 0;"
    "font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right;"
    "vertical-align:top}th{background:#f3f3f3}td.l,th.l{text-align:left}"
    ".banner{background:#fff3cd;border:1px solid #e0c36a;padding:.6em 1em;margin:1em 0}"
    ".b{display:inline-block;padding:0 .4em;border-radius:3px;font-size:12px;"
    "white-space:nowrap}.better{background:#d8f0dc}.worse{background:#f8d7d3}"
    ".nod{background:#e8e8e8}.inc{background:#fff;border:1px dashed #999}"
    "figure{margin:1em 0;border:1px solid #e3e3e3;padding:.5em}figure img{max-width:100%}"
    "figcaption{font-size:13px;color:#444}.muted{color:#666;font-size:13px}"
    "li{margin:.3em 0}.err{color:#a00}code{font-size:12px}";

static void
badge(FILE *f, const char *verdict)
{
    const char *cls = !strcmp(verdict, "better")       ? "better"
                      : !strcmp(verdict, "worse")      ? "worse"
                      : !strcmp(verdict, "no-difference") ||
                              !strcmp(verdict, "negligible")
                          ? "nod"
                          : "inc";
    const char *icon = !strcmp(verdict, "better")          ? "&#9650; "
                       : !strcmp(verdict, "worse")         ? "&#9660; "
                       : !strcmp(verdict, "no-difference") ? "= "
                       : !strcmp(verdict, "negligible")    ? "&#8776; "
                                                           : "? ";
    fprintf(f, "<span class=\"b %s\">%s", cls, icon);
    E(verdict);
    fputs("</span>", f);
}

/* One table row of escaped, left-aligned text cells; cell `bold` in bold (-1: none). */
static void
text_row(FILE *f, const char *const *cells, size_t n, int bold)
{
    fputs("<tr>", f);
    for (size_t i = 0; i < n; i++) {
        fputs((int)i == bold ? "<td class=l><b>" : "<td class=l>", f);
        E(cells[i]);
        fputs((int)i == bold ? "</b></td>" : "</td>", f);
    }
    fputs("</tr>\n", f);
}

static json_t *
find_row(json_t *rows, const char *scen, const char *cand, const char *metric)
{
    json_t *r;
    size_t i;
    json_array_foreach(rows, i, r)
        if (!strcmp(bench_doc_str(r, "scenario", NULL, NULL), scen) &&
            !strcmp(bench_doc_str(r, "candidate", NULL, NULL), cand) &&
            !strcmp(bench_doc_str(r, "metric", NULL, NULL), metric))
            return r;
    return NULL;
}

static json_t *
lbo_of(json_t *lbo, const char *scen, const char *set)
{
    json_t *r;
    size_t i;
    json_array_foreach(lbo, i, r)
        if (!strcmp(bench_doc_str(r, "scenario", NULL, NULL), scen) &&
            !strcmp(bench_doc_str(r, "setting", NULL, NULL), set))
            return r;
    return NULL;
}

static void
num(FILE *f, double v, const char *fmt, double scale)
{
    if (isfinite(v))
        fprintf(f, fmt, v * scale);
    else
        fputs("&ndash;", f);
}

static void
header(const bench_report *rep, FILE *f)
{
    json_t *d = rep->res.ndocs ? rep->res.docs[0] : NULL;
    json_t *host = json_object_get(json_object_get(d, "meta"), "host");
    json_t *tool = json_object_get(json_object_get(d, "meta"), "tool");
    const char *id =
        rep->res.index ? bench_doc_str(rep->res.index, "suite_id", NULL, NULL) : "";
    fprintf(
        f,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width\"><title>mmbench report ");
    E(id);
    fprintf(f, "</title><style>%s</style></head><body>\n<h1>mmbench report", css);
    if (*id) {
        fputs(": ", f);
        E(id);
    }
    fputs("</h1>\n<p class=muted>", f);
    fprintf(f, "%zu result files, %zu scenarios, %zu settings; baseline <b>",
            rep->res.ndocs, rep->res.nscen, rep->res.nset);
    E(rep->res.baseline ? rep->res.baseline : "none");
    fputs("</b>.<br>Measured ", f);
    E(bench_doc_str(d, "meta", "started_utc", NULL));
    fputs(" with mmbench ", f);
    E(bench_doc_str(tool, "version", NULL, NULL));
    fputs(" (commit ", f);
    E(json_is_string(json_object_get(tool, "git_commit"))
          ? bench_doc_str(tool, "git_commit", NULL, NULL) : "unknown");
    fputs(", ", f);
    E(bench_doc_str(tool, "build_type", NULL, NULL));
    fputs(" build, ", f);
    E(bench_doc_str(tool, "compiler", NULL, NULL));
    fputs(") on ", f);
    E(bench_doc_str(host, "cpu_model", NULL, NULL));
    fprintf(f, ", %lld CPUs, %.1f GiB, ",
            (long long)json_integer_value(json_object_get(host, "logical_cpus")),
            bench_jnum(host, "mem_total_bytes") / 1073741824.0);
    E(bench_doc_str(host, "os_release", NULL, NULL));
    fputs(", Linux ", f);
    E(bench_doc_str(host, "kernel", "release", NULL));
    fputs(".</p>\n", f);
    if (!rep->have_gnuplot)
        fputs(
            "<p class=banner><b>Charts were not drawn: "
            "gnuplot 5 not found.</b> Install it "
            "(Debian: gnuplot-nox) and run mmbench report again. Every table and finding "
            "below is complete; each chart slot links to the data and script that "
            "would draw it.</p>\n",
            f);
    fputs(
        "<p class=muted>Sections: <a href=\"#summary\">summary</a> &middot; <a href=\""
        "#findings\">findings</a> &middot; <a href=\"#claims\">seed claims</a> &middot; "
        "<a href=\"#charts\">charts</a> &middot; <a "
        "href=\"#comparisons\">comparisons</a> "
        "&middot; <a href=\"#environment\">environment</a> &middot; "
        "<a href=\"#raw\">raw data</a></p>\n",
        f);
}

static void
summary_row(const bench_report *rep, FILE *f, json_t *d, const char *scen,
            const char *set)
{
    json_t *m = json_object_get(json_object_get(d, "summary"), "metrics");
    json_t *ci = json_object_get(json_object_get(m, "wall_ns_per_loop"), "ci95");
    static const char *const vm[] = { "wall_ns_per_loop", "pause_p99_ns",
                                      "peak_rss_bytes" };
    fputs("<tr><td class=l>", f);
    E(scen);
    fputs("</td><td class=l>", f);
    E(set);
    fprintf(f, "</td><td>%lld</td><td>",
            (long long)json_integer_value(
                json_object_get(json_object_get(d, "summary"), "runs_ok")));
    num(f, bench_doc_median(d, "throughput_pct"), "%.1f%%", 1);
    fputs("</td><td>", f);
    num(f, bench_doc_median(d, "gc_time_share"), "%.1f%%", 100);
    fputs("</td><td>", f);
    num(f, bench_doc_median(d, "pause_p50_ns"), "%.3f", 1e-6);
    fputs("</td><td>", f);
    num(f, bench_doc_median(d, "pause_p99_ns"), "%.3f", 1e-6);
    fputs("</td><td>", f);
    num(f, bench_doc_median(d, "pause_max_ns"), "%.3f", 1e-6);
    fputs("</td><td>", f);
    num(f, bench_doc_median(d, "peak_rss_bytes"), "%.1f", 1.0 / 1048576);
    fputs("</td><td>", f);
    num(f, bench_doc_median(d, "wall_ns_per_loop"), "%.2f", 1e-6);
    if (json_is_object(ci))
        fprintf(f, " <span class=muted>[%.2f, %.2f]</span>", bench_jnum(ci, "lo") / 1e6,
                bench_jnum(ci, "hi") / 1e6);
    fputs("</td><td>", f);
    {
        json_t *l = lbo_of(rep->lbo, scen, set);
        num(f, bench_jnum(l, "lbo"), "%.1f%%", 100);
        if (isfinite(bench_jnum(l, "lo")))
            fprintf(f, " <span class=muted>[%.0f, %.0f]</span>",
                    100 * bench_jnum(l, "lo"), 100 * bench_jnum(l, "hi"));
    }
    for (int k = 0; k < 3; k++) {
        json_t *r = find_row(rep->rows, scen, set, vm[k]);
        fputs("</td><td class=l>", f);
        if (r)
            badge(f, bench_doc_str(r, "verdict", NULL, NULL));
        else
            fputs(rep->res.baseline && !strcmp(set, rep->res.baseline) ? "baseline" : "",
                  f);
    }
    fputs("</td></tr>\n", f);
}

static void
summary(const bench_report *rep, FILE *f)
{
    fputs(
        "<h2 id=\"summary\">Summary</h2>\n<p class=muted>Medians over runs (each run "
        "is one process). Throughput = share of time not in GC. Pauses in ms, peak RSS "
        "in MiB (VmHWM), wall time per loop in ms with its 95% bootstrap CI. LBO = "
        "lower-bound overhead over the cheapest distilled cost. Verdicts compare each "
        "setting with the baseline (&#9650; better, &#9660; worse, = no difference, "
        "&#8776; negligible: real but below the minimum effect, ? not enough "
        "evidence).</p>\n<table><tr><th class=l>scenario</th><th class=l>setting</th>"
        "<th>runs</th><th>throughput</th><th>GC share</th><th>p50 ms</th>"
        "<th>p99 ms</th><th>max ms</th>"
        "<th>peak RSS MiB</th><th>wall/loop ms [95% CI]</th><th>LBO</th><th>wall</th>"
        "<th>p99</th><th>RSS</th></tr>\n",
        f);
    for (size_t s = 0; s < rep->res.nscen; s++)
        for (size_t k = 0; k < rep->res.nset; k++) {
            json_t *d = bench_results_find(&rep->res, rep->res.scenarios[s],
                                           rep->res.settings[k]);
            if (d)
                summary_row(rep, f, d, rep->res.scenarios[s], rep->res.settings[k]);
        }
    fputs("</table>\n", f);
}

static void
findings(const bench_report *rep, FILE *f)
{
    json_t *list = json_object_get(rep->findings, "findings"), *x;
    json_t *incon = json_object_get(rep->findings, "inconclusive");
    size_t i;
    fputs("<h2 id=\"findings\">Findings</h2>\n"
          "<p class=muted>Computed by rules over the data (most important first); each "
          "links to the chart that shows it.</p>\n"
          "<ol>\n",
          f);
    json_array_foreach(list, i, x) {
        fprintf(f, "<li id=\"finding-%s-%zu\"><b>", bench_doc_str(x, "id", NULL, NULL),
                i + 1);
        E(bench_doc_str(x, "id", NULL, NULL));
        fputs("</b> ", f);
        E(bench_doc_str(x, "text", NULL, NULL));
        fputs(" <a href=\"#", f);
        E(bench_doc_str(x, "chart", NULL, NULL));
        fputs("\">chart</a></li>\n", f);
    }
    fputs("</ol>\n", f);
    if (!json_array_size(list))
        fputs("<p>No rule fired.</p>\n", f);
    fprintf(f,
            "<details><summary>Not enough evidence either "
            "way (%zu comparisons)</summary><ul>\n",
            json_array_size(incon));
    json_array_foreach(incon, i, x) {
        fputs("<li>", f);
        E(bench_doc_str(x, "scenario", NULL, NULL));
        fputs(": ", f);
        E(bench_doc_str(x, "metric", NULL, NULL));
        fputs(" of ", f);
        E(bench_doc_str(x, "candidate", NULL, NULL));
        fprintf(f, " vs baseline: ratio %.3f, 95%% CI %.3f&ndash;%.3f</li>\n",
                bench_jnum(x, "ratio"), bench_jnum(x, "lo"), bench_jnum(x, "hi"));
    }
    fputs("</ul></details>\n", f);
}

static void
claims(const bench_report *rep, FILE *f)
{
    json_t *list = json_object_get(rep->claims, "claims"), *c;
    size_t i;
    fputs("<h2 id=\"claims\">Seed claims</h2>\n"
          "<p class=muted>Every memory claim of the study note mmbench grew from, with a "
          "live experiment on libmm and its measured verdict.</p>\n",
          f);
    if (!rep->claims) {
        fputs("<p>No claims.json in the results directory (run the suite to produce "
              "it).</p>\n",
              f);
        return;
    }
    fputs("<table><tr><th class=l>#</th><th class=l>claim</th><th class=l>experiment</th>"
          "<th class=l>verdict</th><th class=l>measured</th></tr>\n", f);
    json_array_foreach(list, i, c) {
        const char *cells[] = { bench_doc_str(c, "id", NULL, NULL),
                                bench_doc_str(c, "claim", NULL, NULL),
                                bench_doc_str(c, "experiment", NULL, NULL),
                                bench_doc_str(c, "verdict", NULL, NULL),
                                bench_doc_str(c, "text", NULL, NULL) };
        text_row(f, cells, 5, 3);
    }
    fputs("</table>\n", f);
}

/* <img src="data:..."> of a chart image (7.3: every chart embedded, no inline <svg>). */
static void
embed(FILE *f, const char *path, const char *alt)
{
    size_t len;
    uint8_t *buf = (uint8_t *)bench_read_file(path, &len);
    char *b64;
    int svg = strlen(path) > 4 && !strcmp(path + strlen(path) - 4, ".svg");
    if (!buf)
        return;
    if (svg) /* plots/ keeps gnuplot's own bytes; the page gets the compact copy */
        len = bench_svg_compact((char *)buf, len);
    b64 = bench_xmalloc(BASE64_ENCODE_RAW_LENGTH(len) + 1);
    base64_encode_raw(b64, len, buf);
    b64[BASE64_ENCODE_RAW_LENGTH(len)] = 0;
    fprintf(f, "<img alt=\"");
    E(alt);
    fprintf(f, "\" src=\"data:%s;base64,%s\">", svg ? "image/svg+xml" : "image/png", b64);
    free(b64);
    free(buf);
}

static void
chart(const bench_report *rep, FILE *f, json_t *c)
{
    const char *id = bench_doc_str(c, "chart", NULL, NULL);
    const char *q = bench_chart_question(id);
    char path[4096];
    fputs("<figure id=\"", f);
    E(bench_doc_str(c, "anchor", NULL, NULL));
    fputs("\">", f);
    if (json_is_string(json_object_get(c, "image"))) {
        snprintf(path, sizeof path, "%s/%s", rep->work,
                 bench_doc_str(c, "image", NULL, NULL));
        embed(f, path, q);
    } else if (json_is_string(json_object_get(c, "error"))) {
        fputs("<p class=err>Chart failed: ", f);
        E(bench_doc_str(c, "error", NULL, NULL));
        fputs("</p>", f);
    } else {
        fputs("<p class=banner>Not drawn (gnuplot 5 not found).</p>", f);
    }
    fputs("<figcaption><b>", f);
    E(q);
    fputs("</b> ", f);
    E(bench_doc_str(c, "setting", NULL, NULL));
    fputs(" ", f);
    E(bench_doc_str(c, "caption", NULL, NULL));
    fputs(" <a href=\"", f);
    E(bench_doc_str(c, "file", NULL, NULL));
    fputs("\">data</a> &middot; <a href=\"", f);
    E(bench_doc_str(c, "script", NULL, NULL));
    fputs("\">script</a></figcaption></figure>\n", f);
}

static void
charts(const bench_report *rep, FILE *f)
{
    const char *const *ids = bench_chart_ids();
    fputs("<h2 id=\"charts\">Charts</h2>\n", f);
    for (size_t s = 0; s < rep->res.nscen; s++) {
        /* The id is a finding's link when its chart was not exported. */
        fputs("<h3 id=\"charts-", f);
        E(rep->res.scenarios[s]);
        fputs("\">", f);
        E(rep->res.scenarios[s]);
        fputs("</h3>\n", f);
        for (size_t k = 0; ids[k]; k++) {
            json_t *c;
            size_t i;
            json_array_foreach(
                rep->charts, i,
                c) if (!strcmp(bench_doc_str(c, "chart", NULL, NULL), ids[k]) &&
                       !strcmp(bench_doc_str(c, "scenario", NULL, NULL),
                               rep->res.scenarios[s])) chart(rep, f, c);
        }
    }
}

/* The suite index (4.6) over the comparison rows: geometric mean of per-scenario
 * ratios with its bootstrap CI, seeded by the first scenario's baseline; no verdict. */
static void
suite_index(const bench_report *rep, FILE *f)
{
    json_t *index = rep->index, *x, *e;
    size_t i, k;
    if (json_array_size(index))
        fputs("<h3 id=\"suite-index\">Suite index</h3>\n<p class=muted>Geometric mean "
              "of the per-scenario ratios (candidate / baseline) with a 95% bootstrap CI "
              "over scenarios: a summary, never a verdict. Left out: differences of "
              "values that include 0, undefined ratios, other hosts.</p>\n<table><tr>"
              "<th class=l>candidate</th><th class=l>metric</th><th>scenarios</th>"
              "<th>index [95% CI]</th><th class=l>left out</th></tr>\n", f);
    json_array_foreach(index, i, x) {
        fputs("<tr><td class=l>", f);
        E(bench_doc_str(x, "candidate", NULL, NULL));
        fputs("</td><td class=l>", f);
        E(bench_doc_str(x, "metric", NULL, NULL));
        fprintf(f, "</td><td>%lld</td><td>",
                (long long)json_integer_value(json_object_get(x, "n_scenarios")));
        num(f, bench_jnum(x, "geomean"), "%.4f", 1);
        if (isfinite(bench_jnum(x, "lo")))
            fprintf(f, " [%.4f, %.4f]", bench_jnum(x, "lo"), bench_jnum(x, "hi"));
        else if (isfinite(bench_jnum(x, "geomean")))
            fputs(" [no CI: &lt; 5 scenarios]", f);
        fputs("</td><td class=l>", f);
        json_array_foreach(json_object_get(x, "excluded"), k, e) {
            fputs(k ? ", " : "", f);
            E(json_string_value(e));
        }
        fputs("</td></tr>\n", f);
    }
    if (json_array_size(index))
        fputs("</table>\n", f);
}

static void
comparisons(const bench_report *rep, FILE *f)
{
    json_t *r;
    size_t i;
    fputs("<h2 id=\"comparisons\">Comparisons</h2>\n"
          "<p class=muted>Each setting against the baseline of its scenario. Ratio = "
          "candidate / baseline with a 95% CI: Welch on logs of run-level values (time, "
          "RSS, shares), bootstrap over runs (pause percentiles, MMU), differences "
          "(values that can be 0). Verdicts use the unadjusted CI; ",
          f);
    E(rep->holm);
    fputs(".</p>\n", f);
    suite_index(rep, f);
    fputs(
        "<table><tr><th class=l>scenario</th><th class=l>candidate</th><th class=l>"
        "metric</th><th>n</th><th>baseline</th><th>candidate</th><th>ratio [95% CI]</th>"
        "<th>p (Welch)</th><th>p "
        "(Holm)</th><th class=l>verdict</th><th "
        "class=l>notes</th></tr>\n",
        f);
    json_array_foreach(rep->rows, i, r) {
        json_t *notes = json_object_get(r, "notes"), *nt;
        size_t k;
        fputs("<tr><td class=l>", f);
        E(bench_doc_str(r, "scenario", NULL, NULL));
        fputs("</td><td class=l>", f);
        E(bench_doc_str(r, "candidate", NULL, NULL));
        fputs("</td><td class=l>", f);
        E(bench_doc_str(r, "metric", NULL, NULL));
        fprintf(f, "</td><td>%lld/%lld</td><td>%.6g</td><td>%.6g</td><td>",
                (long long)json_integer_value(json_object_get(r, "n_b")),
                (long long)json_integer_value(json_object_get(r, "n_c")),
                bench_jnum(r, "median_b"), bench_jnum(r, "median_c"));
        num(f, bench_jnum(r, "ratio"), "%.4f", 1);
        if (isfinite(bench_jnum(r, "lo")))
            fprintf(f, " [%.4g, %.4g]", bench_jnum(r, "lo"), bench_jnum(r, "hi"));
        fputs("</td><td>", f);
        num(f, bench_jnum(r, "p_welch"), "%.2g", 1);
        fputs("</td><td>", f);
        num(f, bench_jnum(r, "p_holm"), "%.2g", 1);
        fputs("</td><td class=l>", f);
        badge(f, bench_doc_str(r, "verdict", NULL, NULL));
        fputs("</td><td class=l>", f);
        json_array_foreach(notes, k, nt) {
            E(json_string_value(nt));
            fputs(k + 1 < json_array_size(notes) ? "; " : "", f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void
kv_table(FILE *f, json_t *obj)
{
    const char *k;
    json_t *v;
    fputs("<table>", f);
    json_object_foreach(obj, k, v) {
        char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        fputs("<tr><th class=l>", f);
        E(k);
        fputs("</th><td class=l><code>", f);
        E(text);
        fputs("</code></td></tr>", f);
        free(text);
    }
    fputs("</table>\n", f);
}

static void
warnings_table(const bench_report *rep, FILE *f)
{
    fputs(
        "<h3>Warnings</h3>\n<table><tr><th class=l>scenario</th><th class=l>setting</th>"
        "<th class=l>code</th><th class=l>severity</th><th class=l>message</th></tr>\n",
        f);
    for (size_t i = 0; i < rep->res.ndocs; i++) {
        json_t *d = rep->res.docs[i], *w;
        size_t k;
        json_array_foreach(json_object_get(d, "warnings"), k, w) {
            const char *cells[] = { bench_doc_str(d, "config", "scenario", "name"),
                                    bench_doc_str(d, "config", "setting", "label"),
                                    bench_doc_str(w, "code", NULL, NULL),
                                    bench_doc_str(w, "severity", NULL, NULL),
                                    bench_doc_str(w, "message", NULL, NULL) };
            text_row(f, cells, 5, -1);
        }
    }
    fputs("</table>\n", f);
}

/* hyperfine's whole-process times (5.5): mean/median/stdev recomputed from `times`. */
static void
hyperfine_table(const bench_report *rep, FILE *f)
{
    json_t *list = json_object_get(rep->res.index, "hyperfine"), *e;
    size_t i;
    if (!json_array_size(list))
        return;
    fputs("<h3>hyperfine cross-check</h3>\n<p class=muted>Whole-process wall time per "
          "setting (blocked order (hyperfine), cross-check only; verdicts use "
          "mmbench's own interleaved runs). user/system are hyperfine's means, shown "
          "without CI.</p>\n<table><tr>"
          "<th class=l>scenario</th><th class=l>setting</th><th>runs</th><th>mean s</th>"
          "<th>median s</th><th>stdev s</th><th>user s</th><th>system s</th></tr>\n",
          f);
    json_array_foreach(list, i, e) {
        char path[4096];
        json_t *doc, *r;
        size_t k;
        snprintf(path, sizeof path, "%s/%s", rep->res.dir,
                 bench_doc_str(e, "file", NULL, NULL));
        doc = json_load_file(path, 0, NULL);
        json_array_foreach(json_object_get(doc, "results"), k, r) {
            json_t *times = json_object_get(r, "times");
            size_t n = json_array_size(times);
            double *t = bench_xmalloc((n + 1) * sizeof *t), mean = 0, sd = 0, med;
            for (size_t j = 0; j < n; j++)
                mean += (t[j] = json_number_value(json_array_get(times, j))) / (double)n;
            for (size_t j = 0; j < n; j++)
                sd += (t[j] - mean) * (t[j] - mean) / (n > 1 ? (double)(n - 1) : 1);
            med = n ? bs_median(t, n) : NAN;
            fputs("<tr><td class=l>", f);
            E(bench_doc_str(e, "scenario", NULL, NULL));
            fputs("</td><td class=l>", f);
            E(bench_doc_str(r, "parameters", "setting", NULL));
            fprintf(
                f,
                "</td><td>%zu</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td>"
                "<td>%.4f</td></tr>\n",
                n, mean, med, sqrt(sd), bench_jnum(r, "user"), bench_jnum(r, "system"));
            free(t);
        }
        json_decref(doc);
    }
    fputs("</table>\n", f);
}

static void
environment(const bench_report *rep, FILE *f)
{
    json_t *d = rep->res.ndocs ? rep->res.docs[0] : NULL;
    fputs("<h2 id=\"environment\">Environment</h2>\n<h3>Host</h3>\n", f);
    kv_table(f, json_object_get(json_object_get(d, "meta"), "host"));
    fputs("<h3>Build</h3>\n", f);
    kv_table(f, json_object_get(json_object_get(d, "meta"), "tool"));
    fputs("<h3>Measurement</h3>\n", f);
    kv_table(f, json_object_get(json_object_get(d, "config"), "measurement"));
    if (rep->have_gnuplot)
        fprintf(f, "<p class=muted>Charts drawn by gnuplot %s.</p>\n",
                rep->gnuplot_version);
    warnings_table(rep, f);
    hyperfine_table(rep, f);
}

static void
raw(const bench_report *rep, FILE *f)
{
    fputs("<h2 id=\"raw\">Raw data</h2>\n"
          "<p class=muted>The result files this report was made from (relative links) "
          "with their sha256, and the report's own data: <a "
          "href=\"compare.json\">compare.json</a>, <a "
          "href=\"findings.json\">findings.json</a>, data/*.tsv, plots/*.gp.</p>\n"
          "<ul>\n",
          f);
    for (size_t i = 0; i < rep->res.ndocs; i++) {
        char rel[4096], sha[72];
        bench_relpath(rep->work, rep->res.paths[i], rel, sizeof rel);
        bench_file_sha256(rep->res.paths[i], sha);
        fputs("<li><a href=\"", f);
        E(rel);
        fputs("\">", f);
        E(strrchr(rep->res.paths[i], '/') ? strrchr(rep->res.paths[i], '/') + 1
                                           : rep->res.paths[i]);
        fputs("</a> <code>", f);
        E(sha);
        fputs("</code></li>\n", f);
    }
    fputs("</ul>\n", f);
}

int
bench_report_html(const bench_report *rep, FILE *f)
{
    header(rep, f);
    summary(rep, f);
    findings(rep, f);
    claims(rep, f);
    charts(rep, f);
    comparisons(rep, f);
    environment(rep, f);
    raw(rep, f);
    fputs("</body></html>\n", f);
    return ferror(f) ? 1 : 0;
}
