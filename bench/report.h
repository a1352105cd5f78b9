/* The report (results-and-reports.md 7): one self-contained index.html, a Markdown twin,
 * findings.json, compare.json, data/ TSV files and plots/ from a results directory.
 * Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "export.h"

typedef struct bench_report {
    bench_results res;
    const char *out;        /* final output directory */
    char work[4096];        /* the directory being written (renamed to out at the end) */
    json_t *rows;           /* comparison rows vs the baseline (mmbench/compare/v1
                             * rows) */
    json_t *lbo;            /* LBO rows */
    json_t *index;          /* the suite index over rows (4.6) */
    json_t *cmp_warnings;   /* the comparison's warnings (compare/v1 "warnings") */
    json_t *charts;         /* exporter's chart entries + "image"/"error" after drawing */
    json_t *findings;       /* {"findings": [...], "inconclusive": [...]} */
    json_t *claims;         /* DIR/claims.json or NULL */
    char holm[160];
    int have_gnuplot;
    char gnuplot_version[32];
    int png_only;
    size_t html_bytes;      /* size of index.html as written */
} bench_report;

/* HTML (report_html.c) and Markdown (report_md.c) writers; 0 or 1. */
int bench_report_html(const bench_report *rep, FILE *f);
int bench_report_md(const bench_report *rep, FILE *f);

/* Shared helpers. */
void bench_html_escape(FILE *f, const char *s);
const char *bench_doc_str(json_t *doc, const char *a, const char *b, const char *c);
double bench_doc_median(json_t *doc, const char *metric);
/* Relative path from directory `from` to file `to` (both may be relative to cwd). */
void bench_relpath(const char *from, const char *to, char *out, size_t n);
/* "sha256:..." of a file's bytes into out (72 bytes), "" when unreadable. */
void bench_file_sha256(const char *path, char out[72]);

int bench_cmd_report(int argc, char **argv);

#endif
