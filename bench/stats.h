/* bench/'s statistics: pure functions over arrays, no I/O, no JSON.
 * Contract: ../shared/spec/results-and-reports.md sections 2.6, 2.7, 2.9, 2.10, 3, 4.
 * Every function is deterministic; randomness comes from a bs_rng the caller seeds.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

/* ---- Deterministic randomness (section 3) ---- */
typedef struct bs_rng {
    uint64_t s[4]; /* xoshiro256** state */
} bs_rng;

uint64_t bs_fnv1a64(const char *s);
uint64_t bs_splitmix64(uint64_t *state);
/* Seed with splitmix64(seed XOR fnv1a64(purpose)) expanded into the four words. */
void bs_rng_seed(bs_rng *r, uint64_t seed, const char *purpose);
uint64_t bs_rng_next(bs_rng *r);
/* Uniform integer in [0, n), n >= 1, without modulo bias. */
uint64_t bs_rng_below(bs_rng *r, uint64_t n);

/* ---- Nearest-rank percentiles (2.6.2); p5 = percentile in units of 1/100000 ---- */
#define BS_P50 50000u
#define BS_P90 90000u
#define BS_P99 99000u
#define BS_P99_9 99900u
/* Rank k = ceil(p*n) in integers, 1-based; 0 when n == 0. */
uint64_t bs_rank(uint64_t n, uint32_t p5);
/* 1 when n >= 1/(1-p), i.e. the percentile is defined for n samples. */
int bs_percentile_defined(uint64_t n, uint32_t p5);
/* k-th smallest (1-based) of v[0..n) by selection; v is reordered. */
uint64_t bs_kth_u64(uint64_t *v, size_t n, uint64_t k);

/* ---- Log2-linear histogram (2.6.3) ---- */
/* The bin [lo, hi] that holds v for S sub-buckets (S in 16/32/64/128). */
void bs_hist_bin(uint64_t v, unsigned S, uint64_t *lo, uint64_t *hi);

typedef struct bs_hist_row {
    uint64_t lo, hi, count, gen[3];
} bs_hist_row;

typedef struct bs_hist {
    unsigned S;
    size_t n, cap;       /* rows, ascending by lo, non-empty only */
    bs_hist_row *rows;
    uint64_t total;      /* sum of counts */
    uint64_t max_value;  /* largest value added (0 if none); merges take the max */
} bs_hist;

void bs_hist_init(bs_hist *h, unsigned S);
void bs_hist_free(bs_hist *h);
/* Add one value of generation gen (0..2). Aborts only on out-of-memory (bench/ rule). */
void bs_hist_add(bs_hist *h, uint64_t v, int gen);
/* Add every bin of src into dst (same S). */
void bs_hist_merge(bs_hist *dst, const bs_hist *src);
/* Add one bin given as a row (used when reading result files); lo must be a bin start. */
void bs_hist_add_row(bs_hist *h, const bs_hist_row *row, uint64_t max_value);
/* Upper-bound percentile: min(hi of the bin holding rank k, max_value); 0 when empty. */
uint64_t bs_hist_percentile(const bs_hist *h, uint32_t p5);

/* ---- Minimum mutator utilization (2.7) ---- */
typedef struct bs_pause {
    uint64_t start_ns, dur_ns;
} bs_pause;
/* MMU for window w over [0, T]; pauses sorted by start, non-overlapping. Returns 0..1.
 * w >= T gives (T - total pause)/T. */
double bs_mmu(const bs_pause *p, size_t n, uint64_t T, uint64_t w);
/* The standard windows 1, 2, 5 x 10^k ms from 1 ms up to T, at most 16; returns count. */
size_t bs_mmu_windows(uint64_t T, uint64_t out[16]);

/* ---- Descriptive statistics over doubles ---- */
double bs_mean(const double *x, size_t n);
/* Sample standard deviation (n-1); NAN for n < 2. */
double bs_stdev(const double *x, size_t n);
/* Median (mean of the middle two for even n); NAN for n == 0. x is not modified. */
double bs_median(const double *x, size_t n);
/* Linear-interpolated quantile q in [0,1] of sorted data (used for bootstrap CIs). */
double bs_quantile_sorted(const double *sorted, size_t n, double q);
/* Indexes (into x) of points with modified z = 0.6745|x-med|/MAD > 3.5; n >= 5, else 0.
 * Writes at most n indexes into out; returns how many. */
size_t bs_outliers(const double *x, size_t n, size_t *out);
/* Spearman rank correlation of x against 0..n-1 (ties get average ranks); NAN if n < 2
 * or x is constant. */
double bs_spearman_order(const double *x, size_t n);

/* Percentile bootstrap CI of the median; NAN,NAN when n < 5 or resamples == 0. */
void bs_bootstrap_median_ci(const double *x, size_t n, unsigned resamples, bs_rng *r,
                            double *lo, double *hi);

/* Suite index (4.6): geometric mean of ratio[0..n) and its 95% percentile-bootstrap CI
 * over the entries (n drawn with replacement per resample, `resamples` times, from r).
 * Returns the geometric mean; NAN when n == 0 or a ratio is not finite and > 0 (then
 * *lo, *hi are NAN too). *lo, *hi are NAN when n < 5 or resamples == 0, as for the
 * median CI: a percentile bootstrap over fewer entries covers far less than 95%. */
double bs_geomean_ci(const double *ratio, size_t n, unsigned resamples, bs_rng *r,
                     double *lo, double *hi);

/* ---- Student t (3) ---- */
double bs_t_cdf(double t, double df);
/* Quantile of Student t with df degrees of freedom (computed, never tabulated). */
double bs_t_quantile(double p, double df);
/* Standard normal CDF. */
double bs_norm_cdf(double z);

/* ---- Two-sample comparison (4.2, 4.3) ---- */
typedef struct bs_welch {
    double ratio, lo, hi, t, df, p; /* NAN where undefined */
} bs_welch;
/* Welch on logs of strictly positive values; needs nb, nc >= 2. Returns 0, or -1 when
 * undefined (too few values, non-positive value, zero variance on both sides). */
int bs_welch_log(const double *b, size_t nb, const double *c, size_t nc, bs_welch *out);
/* Mann-Whitney U (U of the candidate sample, c) and two-sided p: exact when both
 * n <= 20 (with ties, conditional on the mid-ranks), else normal approximation with tie
 * and continuity correction. */
void bs_mann_whitney(const double *b, size_t nb, const double *c, size_t nc, double *U,
                     double *p);
/* Wilcoxon signed-rank two-sided p of paired differences d (zeros dropped, tied |d|
 * share mid-ranks): exact (conditional on ties) for up to 25 non-zero differences,
 * else normal approximation with tie-corrected variance and continuity correction.
 * 1 when every difference is zero. */
double bs_signed_rank_p(const double *d, size_t n);

/* ---- Verdicts (4.4) ---- */
typedef enum bs_verdict {
    BS_INSUFFICIENT = 0,
    BS_NOT_COMPARABLE,
    BS_BETTER,
    BS_WORSE,
    BS_NEGLIGIBLE,
    BS_NO_DIFFERENCE,
    BS_INCONCLUSIVE,
} bs_verdict;
const char *bs_verdict_name(bs_verdict v); /* "better", "no-difference", ... */
/* r, [lo, hi]: ratio and CI; delta: minimum effect; lower_is_better: 1 or 0 (higher). */
bs_verdict bs_verdict_of(double r, double lo, double hi, double delta,
                         int lower_is_better, size_t nb, size_t nc);
/* Runs needed per side for a CI half-width of delta/2 (W_NEEDS_RUNS formula, 2.10). */
uint64_t bs_runs_needed(double sd_log, double delta);

/* ---- Multiple comparisons (4.5) ---- */
/* Holm-adjusted p-values (same order as p); NAN inputs stay NAN and are not counted. */
void bs_holm(const double *p, size_t n, double *adj);

/* ---- Trends (2.10 W_NOT_STEADY, 6.2 heap-collections) ---- */
/* Theil-Sen slope and intercept; Sen's 95% CI of the slope (NAN when n < 5). */
void bs_theil_sen(const double *x, const double *y, size_t n, double *slope,
                  double *intercept, double *lo, double *hi);
/* Ordinary least squares y = a + b x; NAN when undefined. */
void bs_ols(const double *x, const double *y, size_t n, double *a, double *b);

/* ---- Pareto set (6.2 sweep-frontier): maximize throughput, minimize p99 and rss ---- */
/* out[i] = 1 when point i is on the frontier (none at least as good on all three and
 * better on one). NAN coordinates are never on the frontier. */
void bs_pareto(const double *throughput, const double *p99, const double *rss, size_t n,
               int *out);

/* ---- LBO (4.7) ---- */
/* cost[i], pause[i]: median cost and median pause time per loop of setting i; feasible[i]
 * 0 for settings excluded from the baseline. Writes lbo[i] = cost/baseline - 1 and
 * returns the index of the setting that supplied the baseline (-1 if none). */
int bs_lbo(const double *cost, const double *pause, const int *feasible, size_t n,
           double *lbo);

#endif
