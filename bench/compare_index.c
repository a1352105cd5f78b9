/* Compare engine: the suite index (results-and-reports.md 4.6), the geometric mean of
 * per-scenario ratios with a bootstrap CI over scenarios, never a verdict.
 * Design: docs/design/measurement.md ("Comparing").
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_internal.h"
#include "result.h"
#include "stats.h"
#include "util.h"

/* One (baseline, candidate, metric) group: the ratios that enter, the scenarios that
 * do not. Strings are borrowed from the rows. */
typedef struct idx_group {
    json_t *first;     /* the group's first row (unit, better) */
    double *ratio;     /* n used of cap; nrows rows seen */
    size_t n, nrows, cap;
    json_t *excluded;  /* scenario names */
} idx_group;

static const char *
row_str(json_t *r, const char *key)
{
    json_t *v = json_object_get(r, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

int
bench_compare_row_has_note(json_t *row, const char *note)
{
    json_t *x;
    size_t i;
    json_array_foreach(json_object_get(row, "notes"), i, x)
        if (json_is_string(x) && !strcmp(json_string_value(x), note))
            return 1;
    return 0;
}

/* The row's ratio if it enters the index, else NAN. A ratio of positive values enters
 * (Welch, paired, bootstrap, and the exact ratio of a deterministic metric: leaving
 * those out would drop exactly the scenarios where nothing changed). Differences of
 * values that include 0, undefined ratios and rows across host fingerprints do not. */
static double
index_ratio(json_t *r)
{
    double v = bench_jnum(r, "ratio");
    if (!strcmp(row_str(r, "verdict"), "not-comparable"))
        return NAN;
    if (!strcmp(row_str(r, "method"), "diff") &&
        !bench_compare_row_has_note(r, "deterministic"))
        return NAN;
    return v > 0 && isfinite(v) ? v : NAN;
}

static int
same_group(json_t *a, json_t *b)
{
    return !strcmp(row_str(a, "baseline"), row_str(b, "baseline")) &&
           !strcmp(row_str(a, "candidate"), row_str(b, "candidate")) &&
           !strcmp(row_str(a, "metric"), row_str(b, "metric"));
}

/* Groups in order of first appearance; returns how many (*out owned by the caller). */
static size_t
index_groups(json_t *rows, idx_group **out)
{
    size_t n = 0, i, nrows = json_array_size(rows);
    idx_group *g = bench_xcalloc(nrows + 1, sizeof *g);
    json_t *r;
    json_array_foreach(rows, i, r) {
        size_t k = 0;
        double v = index_ratio(r);
        while (k < n && !same_group(g[k].first, r))
            k++;
        if (k == n) {
            g[n].first = r;
            g[n].excluded = json_array();
            n++;
        }
        if (g[k].n == g[k].cap) {
            g[k].cap = g[k].cap ? 2 * g[k].cap : 16;
            g[k].ratio = bench_xrealloc(g[k].ratio, g[k].cap * sizeof *g[k].ratio);
        }
        g[k].nrows++;
        if (isfinite(v))
            g[k].ratio[g[k].n++] = v;
        else
            json_array_append_new(g[k].excluded, json_string(row_str(r, "scenario")));
    }
    *out = g;
    return n;
}

/* The index entry of one group: seeded per group, so that an index does not depend on
 * the other groups or the order of the rows. */
static json_t *
index_entry(const idx_group *g, uint64_t seed, unsigned resamples)
{
    json_t *r = g->first;
    char purpose[256];
    double gm = NAN, lo = NAN, hi = NAN;
    bs_rng rng;
    snprintf(purpose, sizeof purpose, "suite-index %s %s %s", row_str(r, "baseline"),
             row_str(r, "candidate"), row_str(r, "metric"));
    bs_rng_seed(&rng, seed, purpose);
    if (g->n >= 2)
        gm = bs_geomean_ci(g->ratio, g->n, resamples, &rng, &lo, &hi);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:I,s:O}",
                     "baseline", row_str(r, "baseline"),
                     "candidate", row_str(r, "candidate"),
                     "metric", row_str(r, "metric"), "unit", row_str(r, "unit"),
                     "better", row_str(r, "better"), "n_scenarios", (json_int_t)g->n,
                     "geomean", bench_jreal(gm), "lo", bench_jreal(lo),
                     "hi", bench_jreal(hi), "resamples", (json_int_t)resamples,
                     "excluded", g->excluded);
}

json_t *
bench_compare_index(json_t *rows, json_t *seed_doc)
{
    json_t *cfg = json_object_get(seed_doc, "config"), *out = json_array();
    uint64_t seed = (uint64_t)json_integer_value(json_object_get(cfg, "seed"));
    unsigned resamples = bench_cmp_resamples(seed_doc);
    idx_group *g;
    size_t n = index_groups(rows, &g);
    for (size_t k = 0; k < n; k++) {
        if (g[k].nrows >= 2) /* an index needs two scenarios; one scenario is its row */
            json_array_append_new(out, index_entry(&g[k], seed, resamples));
        free(g[k].ratio);
        json_decref(g[k].excluded);
    }
    free(g);
    return out;
}
