/* report.md (7.5): the same sections in GitHub-flavoured Markdown, charts as relative
 * image links, no raw HTML. Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "report.h"
#include "result.h"

/* Table cells: no pipes or newlines. */
static void
cell(FILE *f, const char *s)
{
    for (; s && *s; s++)
        fputc(*s == '|' ? '/' : *s == '\n' ? ' ' : *s, f);
}

static void
numf(FILE *f, double v, const char *fmt, double scale)
{
    if (isfinite(v))
        fprintf(f, fmt, v * scale);
    else
        fputs("-", f);
}

static void
md_summary(const bench_report *rep, FILE *f)
{
    fputs("## Summary\n"
          "\n"
          "Medians over runs. Pauses in ms, peak RSS in MiB, wall per loop in ms.\n"
          "\n"
          "| scenario | setting | runs | throughput % | GC share % | p50 ms | p99 ms | "
          "max ms | peak RSS MiB | wall/loop ms |\n"
          "|---|---|---|---|---|---|---|---|---|---|\n",
          f);
    for (size_t s = 0; s < rep->res.nscen; s++)
        for (size_t k = 0; k < rep->res.nset; k++) {
            json_t *d = bench_results_find(&rep->res, rep->res.scenarios[s],
                                           rep->res.settings[k]);
            if (!d)
                continue;
            fprintf(f, "| %s | %s | %lld | ", rep->res.scenarios[s], rep->res.settings[k],
                    (long long)json_integer_value(
                        json_object_get(json_object_get(d, "summary"), "runs_ok")));
            numf(f, bench_doc_median(d, "throughput_pct"), "%.1f", 1);
            fputs(" | ", f);
            numf(f, bench_doc_median(d, "gc_time_share"), "%.1f", 100);
            fputs(" | ", f);
            numf(f, bench_doc_median(d, "pause_p50_ns"), "%.3f", 1e-6);
            fputs(" | ", f);
            numf(f, bench_doc_median(d, "pause_p99_ns"), "%.3f", 1e-6);
            fputs(" | ", f);
            numf(f, bench_doc_median(d, "pause_max_ns"), "%.3f", 1e-6);
            fputs(" | ", f);
            numf(f, bench_doc_median(d, "peak_rss_bytes"), "%.1f", 1.0 / 1048576);
            fputs(" | ", f);
            numf(f, bench_doc_median(d, "wall_ns_per_loop"), "%.2f", 1e-6);
            fputs(" |\n", f);
        }
}

static void
md_findings(const bench_report *rep, FILE *f)
{
    json_t *x;
    size_t i;
    fputs("\n## Findings\n\n", f);
    json_array_foreach(json_object_get(rep->findings, "findings"), i, x)
        fprintf(f, "- **%s** %s\n", bench_doc_str(x, "id", NULL, NULL),
                bench_doc_str(x, "text", NULL, NULL));
    fprintf(f, "\nNot enough evidence either way: %zu comparisons (see compare.json).\n",
            json_array_size(json_object_get(rep->findings, "inconclusive")));
}

static void
md_claims(const bench_report *rep, FILE *f)
{
    json_t *c;
    size_t i;
    fputs("\n## Seed claims\n\n", f);
    if (!rep->claims) {
        fputs("No claims.json in the results directory.\n", f);
        return;
    }
    fputs("| # | claim | verdict | measured |\n|---|---|---|---|\n", f);
    json_array_foreach(json_object_get(rep->claims, "claims"), i, c) {
        fputs("| ", f);
        cell(f, bench_doc_str(c, "id", NULL, NULL));
        fputs(" | ", f);
        cell(f, bench_doc_str(c, "claim", NULL, NULL));
        fputs(" | ", f);
        cell(f, bench_doc_str(c, "verdict", NULL, NULL));
        fputs(" | ", f);
        cell(f, bench_doc_str(c, "text", NULL, NULL));
        fputs(" |\n", f);
    }
}

static void
md_charts(const bench_report *rep, FILE *f)
{
    json_t *c;
    size_t i;
    fputs("\n## Charts\n\n", f);
    for (size_t s = 0; s < rep->res.nscen; s++) {
        fprintf(f, "### %s\n\n", rep->res.scenarios[s]);
        json_array_foreach(rep->charts, i, c) {
            const char *q = bench_chart_question(bench_doc_str(c, "chart", NULL, NULL));
            if (strcmp(bench_doc_str(c, "scenario", NULL, NULL), rep->res.scenarios[s]))
                continue;
            if (json_is_string(json_object_get(c, "image")))
                fprintf(f, "![%s](%s)\n\n", q, bench_doc_str(c, "image", NULL, NULL));
            fprintf(f, "%s %s %s ([data](%s), [script](%s))\n\n", q,
                    bench_doc_str(c, "setting", NULL, NULL),
                    bench_doc_str(c, "caption", NULL, NULL),
                    bench_doc_str(c, "file", NULL, NULL),
                    bench_doc_str(c, "script", NULL, NULL));
        }
    }
}

/* The suite index (4.6), as in index.html: a summary with its CI, never a verdict. */
static void
md_suite_index(const bench_report *rep, FILE *f)
{
    json_t *index = rep->index, *x, *e;
    size_t i, k;
    if (json_array_size(index))
        fputs("### Suite index\n\nGeometric mean of the per-scenario ratios (candidate / "
              "baseline) with a 95% bootstrap CI over scenarios: a summary, never a "
              "verdict. Left out: differences of values that include 0, undefined "
              "ratios, other hosts.\n\n"
              "| candidate | metric | scenarios | index | 95% CI | left out |\n"
              "|---|---|---|---|---|---|\n", f);
    json_array_foreach(index, i, x) {
        fprintf(f, "| %s | %s | %lld | ", bench_doc_str(x, "candidate", NULL, NULL),
                bench_doc_str(x, "metric", NULL, NULL),
                (long long)json_integer_value(json_object_get(x, "n_scenarios")));
        numf(f, bench_jnum(x, "geomean"), "%.4f", 1);
        fputs(" | ", f);
        if (isfinite(bench_jnum(x, "lo")))
            fprintf(f, "%.4f to %.4f", bench_jnum(x, "lo"), bench_jnum(x, "hi"));
        else
            fputs("-", f);
        fputs(" | ", f);
        json_array_foreach(json_object_get(x, "excluded"), k, e)
            fprintf(f, "%s%s", k ? ", " : "", json_string_value(e));
        fputs(" |\n", f);
    }
    if (json_array_size(index))
        fputs("\n", f);
}

static void
md_comparisons(const bench_report *rep, FILE *f)
{
    json_t *r;
    size_t i;
    fprintf(f, "\n## Comparisons\n\n%s.\n\n", rep->holm);
    md_suite_index(rep, f);
    fprintf(f, "| scenario | candidate | metric | ratio | 95%% CI | verdict |\n"
            "|---|---|---|---|---|---|\n");
    json_array_foreach(rep->rows, i, r) {
        fprintf(f, "| %s | %s | %s | ", bench_doc_str(r, "scenario", NULL, NULL),
                bench_doc_str(r, "candidate", NULL, NULL),
                bench_doc_str(r, "metric", NULL, NULL));
        numf(f, bench_jnum(r, "ratio"), "%.4f", 1);
        fputs(" | ", f);
        if (isfinite(bench_jnum(r, "lo")))
            fprintf(f, "%.4g to %.4g", bench_jnum(r, "lo"), bench_jnum(r, "hi"));
        else
            fputs("-", f);
        fprintf(f, " | %s |\n", bench_doc_str(r, "verdict", NULL, NULL));
    }
}

static void
md_env(const bench_report *rep, FILE *f)
{
    json_t *d = rep->res.ndocs ? rep->res.docs[0] : NULL;
    json_t *host = json_object_get(json_object_get(d, "meta"), "host"), *v;
    const char *k;
    fputs("\n## Environment\n\n| key | value |\n|---|---|\n", f);
    json_object_foreach(host, k, v) {
        char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        fprintf(f, "| %s | ", k);
        cell(f, t);
        fputs(" |\n", f);
        free(t);
    }
    fputs("\n## Raw data\n\n", f);
    for (size_t i = 0; i < rep->res.ndocs; i++) {
        char rel[4096], sha[72];
        bench_relpath(rep->work, rep->res.paths[i], rel, sizeof rel);
        bench_file_sha256(rep->res.paths[i], sha);
        fprintf(f, "- [%s](%s) `%s`\n", strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel,
                rel, sha);
    }
}

int
bench_report_md(const bench_report *rep, FILE *f)
{
    const char *id =
        rep->res.index ? bench_doc_str(rep->res.index, "suite_id", NULL, NULL) : "";
    fprintf(f, "# mmbench report %s\n\nBaseline: %s. %zu result files.\n\n", id,
            rep->res.baseline ? rep->res.baseline : "none", rep->res.ndocs);
    if (!rep->have_gnuplot)
        fputs("**Charts were not drawn: gnuplot 5 not found.** Install it (Debian: "
              "gnuplot-nox) and run mmbench report again.\n\n", f);
    md_summary(rep, f);
    md_findings(rep, f);
    md_claims(rep, f);
    md_charts(rep, f);
    md_comparisons(rep, f);
    md_env(rep, f);
    return ferror(f) ? 1 : 0;
}
