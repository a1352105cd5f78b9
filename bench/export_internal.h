/* Pieces of the exporter shared between its files (export*.c).
 * Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_EXPORT_INTERNAL_H
#define BENCH_EXPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "export.h"
#include "stats.h"

/* ---- a growable text buffer with TSV block bookkeeping ---- */
typedef struct exp_buf {
    char *s;
    size_t len, cap;
    size_t rows;    /* data rows written */
    size_t blocks;  /* blocks started */
    int fields;     /* fields on the current row */
} exp_buf;

void eb_init(exp_buf *b);
void eb_free(exp_buf *b);
void eb_printf(exp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void eb_puts(exp_buf *b, const char *s);
/* "# " + tab separated column names (cols is one string, columns separated by spaces). */
void eb_header(exp_buf *b, const char *cols);
/* Start a block: two empty lines before every block but the first, then "# series=". */
void eb_block(exp_buf *b, const char *name);
/* Fields of a row: numbers (NaN when not finite), integers, text; then the row end. */
void eb_num(exp_buf *b, double v);  /* %.6g */
void eb_time(exp_buf *b, double v); /* %.9g */
void eb_int(exp_buf *b, double v);  /* integer, NaN when not finite */
void eb_str(exp_buf *b, const char *s);
void eb_end(exp_buf *b);

static inline const char *
exp_or(const char *s, const char *fallback)
{
    return s ? s : fallback;
}

/* ---- the export run ---- */
typedef struct exp_ctx {
    const bench_results *r;
    json_t *compare_rows;
    const char *datadir;
    json_t *charts;
    int err;
} exp_ctx;

/* Write buffer b as data/<name>.tsv (unless it has no data row) and append the charts
 * entry. dense: the row count the chart's default terminal rule looks at, png_above: that
 * rule's threshold (0 = always png, SIZE_MAX = always svg). */
int exp_emit(exp_ctx *c, const char *chart, const char *scen, const char *setting,
              const char *name, exp_buf *b, size_t dense, size_t png_above,
              const char *caption); /* 1 when written */
void exp_emit_extra(exp_ctx *c, const char *key, json_t *value); /* on the last entry */

/* ---- reading result documents ---- */
int exp_col(json_t *table, const char *name);        /* column index or -1 */
double exp_cell(json_t *row, int col);               /* number or NAN */
const char *exp_cells(json_t *row, int col);         /* string or "" */
json_t *exp_run(json_t *doc, int i);                 /* runs[i] */
json_t *exp_events(json_t *run);                     /* run.pauses.events */
json_t *exp_series(json_t *run);                     /* run.timeseries */
/* Ok runs of doc; *n their count; caller frees. */
size_t *exp_ok_runs(json_t *doc, size_t *n);
/* Finite run-level values of metric over doc's ok runs; caller frees. */
double *exp_metric(json_t *doc, const char *metric, size_t *n);
double exp_median_metric(json_t *doc, const char *metric);
uint64_t exp_seed(json_t *doc);
/* "run 3 of 5, median wall time" for the representative run rep. */
void exp_rep_text(json_t *doc, int rep, char *out, size_t n);
/* The worst status of doc's non-excluded runs ("ok" when all are ok). */
const char *exp_worst_status(json_t *doc);
void exp_omitted(char *cap, size_t n, size_t omitted, const char *what);

/* ---- pooled pause percentiles over a multiset of runs (exact when every run kept every
 * event, else the merged histogram's upper bound) ---- */
typedef struct exp_pool {
    size_t nrun;
    int exact;
    uint64_t **vals; /* exact: durations per run */
    size_t *nvals;
    bs_hist *hist;   /* else: histogram per run */
    uint64_t *max;   /* max pause per run */
    uint64_t *buf;
    size_t bufcap;
} exp_pool;
void exp_pool_init(exp_pool *p, json_t *doc, const size_t *idx, size_t n);
void exp_pool_free(exp_pool *p);
/* Pooled count, percentile (p5; 100000 = max) over runs pick[0..k) (indexes into the
 * pool's runs). NAN when undefined. */
uint64_t exp_pool_count(exp_pool *p, const size_t *pick, size_t k);
double exp_pool_pct(exp_pool *p, const size_t *pick, size_t k, uint32_t p5);

/* ---- charts ---- */
void exp_ch_pause_timeline(exp_ctx *c, const char *scen, const char *set, json_t *doc);
void exp_ch_heap_timeline(exp_ctx *c, const char *scen, const char *set, json_t *doc);
void exp_ch_heap_collections(exp_ctx *c, const char *scen, const char *set, json_t *doc);
void exp_ch_alloc_survival(exp_ctx *c, const char *scen, const char *set, json_t *doc);
void exp_ch_pool_util(exp_ctx *c, const char *scen, const char *set, json_t *doc);
void exp_ch_arena_map(exp_ctx *c, const char *scen, const char *set, json_t *doc);
void exp_ch_frees_split(exp_ctx *c, const char *scen, const char *set, json_t *doc);
void exp_ch_pause_histogram(exp_ctx *c, const char *scen);
void exp_ch_pause_nines(exp_ctx *c, const char *scen);
void exp_ch_mmu(exp_ctx *c, const char *scen);
void exp_ch_gc_share(exp_ctx *c, const char *scen);
void exp_ch_size_classes(exp_ctx *c, const char *scen);
void exp_ch_pause_work(exp_ctx *c, const char *scen);
void exp_ch_compare_forest(exp_ctx *c, const char *scen);
void exp_ch_nines_ratio(exp_ctx *c, const char *scen);
void exp_ch_sweep_heatmap(exp_ctx *c, json_t *sweep);
void exp_ch_sweep_frontier(exp_ctx *c, json_t *sweep);

/* ---- other formats (export_formats.c) ---- */
/* CSV of one result (RFC 4180, CRLF), optionally without the header line. */
void exp_csv(json_t *doc, exp_buf *b, int header);
/* Chrome trace-event JSON of all documents. */
void exp_trace(json_t *const *docs, size_t n, exp_buf *b);

#endif
