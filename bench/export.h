/* The exporter (results-and-reports.md 6.1, 6.2): result documents -> one TSV per chart
 * in the exact layouts of scripts/gnuplot/README.md (gnuplot only draws; every number is
 * computed here), plus CSV, Chrome trace-event JSON and pretty JSON.
 * Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_EXPORT_H
#define BENCH_EXPORT_H

#include <jansson.h>

/* A loaded results set: the documents of one suite directory (or loose files). */
typedef struct bench_results {
    json_t **docs;          /* result documents (owned) */
    size_t ndocs;
    char **paths;           /* their file paths (owned) */
    char **scenarios;       /* distinct scenario names, in suite order (owned strings) */
    size_t nscen;
    char **settings;        /* distinct setting labels, in suite order (owned strings) */
    size_t nset;
    const char *baseline;   /* baseline label (points into suite or a doc), or NULL */
    json_t *suite;          /* DIR/suite.json when present (owned), else NULL */
    json_t *index;          /* DIR/index.json when present (owned), else NULL */
    char *dir;              /* the directory, or NULL for loose files */
} bench_results;

/* Load every result file of the given paths (directories or files); validates each.
 * 0, or 2 after printing the file and JSON pointer of the first bad input. */
int bench_results_load(char **paths, size_t n, bench_results *out);
void bench_results_free(bench_results *r);
/* The document of (scenario, setting), or NULL. */
json_t *bench_results_find(const bench_results *r, const char *scenario,
                           const char *setting);

/* The representative run of a document (6.1): the ok run whose wall_ns_per_loop is the
 * median (lower middle for even n). Returns its index in runs, or -1. */
int bench_representative_run(json_t *doc);

/* Chart ids of the catalogue in catalogue order; NULL-terminated. */
const char *const *bench_chart_ids(void);
/* The chart's question (6.2), for captions and alt text. */
const char *bench_chart_question(const char *id);

/* Write the TSV of every chart (or only those listed) for the results set into datadir.
 * Appends one object per file written to `charts`:
 *   {"chart": id, "scenario": s, "setting": label or null, "file": "data/<name>.tsv",
 *    "name": "<chart>__<scenario>[__<setting>]", "rows": N, "term": "svg"|"png",
 *    "caption": "...", "anchor": "chart-<chart>-<scenario>-<setting|all>"}
 * Files with no data row are not written. compare_rows: the report's comparison rows
 * (mmbench/compare/v1 rows, may be NULL) for compare-forest and nines-ratio.
 * Returns 0, or 1 on an I/O error (printed). */
int bench_export_tsv(const bench_results *r, json_t *compare_rows,
                     const char *const *only, size_t nonly, const char *datadir,
                     json_t *charts);

int bench_cmd_export(int argc, char **argv);

#endif
