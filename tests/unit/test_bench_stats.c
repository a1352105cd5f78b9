/* bench/'s statistics against the vectors of results-and-reports.md (2.6, 2.7, 3, 4, 6.2)
 * and the A/A conformance test (8.4.3). Modules: bench/stats.c, bench/stats_compare.c.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MS 1000000ull

/* cmocka 1.1's assert_float_equal works in float; this keeps double precision. */
#define assert_near(a, b, tol)                                                           \
    do {                                                                                 \
        double an_a = (a), an_b = (b), an_t = (tol);                                     \
        if (!(fabs(an_a - an_b) <= an_t))                                                \
            fail_msg("%s = %.10g, expected %.10g (tol %g)", #a, an_a, an_b, an_t);       \
    } while (0)

static const double vec_b[8] = { 1.000, 1.012, 0.995, 1.020, 1.004, 0.998, 1.010, 1.001 };
static const double vec_c[6] = { 0.962, 0.975, 0.958, 0.981, 0.970, 0.966 };

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Standard normal deviate by Box-Muller from the seeded generator. */
static double
gauss(bs_rng *r)
{
    double u1 = ((double)(bs_rng_next(r) >> 11) + 1) / 9007199254740993.0;
    double u2 = (double)(bs_rng_next(r) >> 11) / 9007199254740992.0;
    return sqrt(-2 * log(u1)) * cos(2 * 3.14159265358979323846 * u2);
}

/* ---- randomness ---- */

static void
test_bench_stats_rng_known_values(void **state)
{
    uint64_t st = 0;
    bs_rng a, b;
    (void)state;
    assert_true(bs_fnv1a64("") == 0xcbf29ce484222325ull);
    assert_true(bs_fnv1a64("a") == 0xaf63dc4c8601ec8cull);
    assert_true(bs_splitmix64(&st) == 0xe220a8397b1dcdafull);
    bs_rng_seed(&a, 42, "bootstrap");
    bs_rng_seed(&b, 42, "bootstrap");
    for (int i = 0; i < 100; i++)
        assert_true(bs_rng_next(&a) == bs_rng_next(&b));
    bs_rng_seed(&b, 42, "reservoir");
    assert_true(bs_rng_next(&a) != bs_rng_next(&b));
    for (int i = 0; i < 1000; i++)
        assert_true(bs_rng_below(&a, 7) < 7);
    assert_true(bs_rng_below(&a, 1) == 0);
}

/* ---- nearest rank ---- */

static void
test_bench_stats_nearest_rank_and_n_rule(void **state)
{
    (void)state;
    assert_true(bs_rank(0, BS_P50) == 0);
    assert_true(bs_rank(1, BS_P50) == 1);
    assert_true(bs_rank(10, BS_P50) == 5);
    assert_true(bs_rank(11, BS_P50) == 6);
    assert_true(bs_rank(100, BS_P99) == 99);
    assert_true(bs_rank(101, BS_P99) == 100);
    assert_true(bs_rank(1000, BS_P99_9) == 999);
    assert_true(bs_rank(1000, 100000u) == 1000);
    assert_true(bs_rank(UINT64_MAX, BS_P50) == UINT64_MAX / 2 + 1);

    assert_false(bs_percentile_defined(99, BS_P99));
    assert_true(bs_percentile_defined(100, BS_P99));
    assert_false(bs_percentile_defined(999, BS_P99_9));
    assert_true(bs_percentile_defined(1000, BS_P99_9));
    assert_false(bs_percentile_defined(9, BS_P90));
    assert_true(bs_percentile_defined(10, BS_P90));
    assert_false(bs_percentile_defined(1, BS_P50));
    assert_true(bs_percentile_defined(2, BS_P50));
    assert_false(bs_percentile_defined(0, BS_P50));
}

static void
test_bench_stats_kth_matches_sort(void **state)
{
    bs_rng r;
    uint64_t v[300], s[300], w[300];
    (void)state;
    bs_rng_seed(&r, 7, "kth");
    for (int round = 0; round < 50; round++) {
        size_t n = 1 + (size_t)bs_rng_below(&r, 300);
        /* many ties on odd rounds */
        for (size_t i = 0; i < n; i++)
            v[i] = bs_rng_below(&r, round % 2 ? 10 : 1000000);
        memcpy(s, v, n * sizeof *v);
        qsort(s, n, sizeof *s, cmp_u64);
        for (uint64_t k = 1; k <= n; k += 1 + n / 17) {
            memcpy(w, v, n * sizeof *v);
            assert_true(bs_kth_u64(w, n, k) == s[k - 1]);
        }
        memcpy(w, v, n * sizeof *v);
        assert_true(bs_kth_u64(w, n, n) == s[n - 1]);
    }
    for (size_t i = 0; i < 100; i++)
        v[i] = i; /* sorted input */
    assert_true(bs_kth_u64(v, 100, 99) == 98);
}

/* ---- histogram ---- */

static void
expect_bin(uint64_t v, uint64_t lo, uint64_t hi)
{
    uint64_t a, b;
    bs_hist_bin(v, 32, &a, &b);
    if (a != lo || b != hi)
        fail_msg("bin(%llu) = [%llu, %llu], expected [%llu, %llu]", (unsigned long long)v,
                 (unsigned long long)a, (unsigned long long)b, (unsigned long long)lo,
                 (unsigned long long)hi);
}

static void
test_bench_stats_hist_bin_vectors(void **state)
{
    (void)state;
    expect_bin(31, 31, 31);
    expect_bin(64, 64, 65);
    expect_bin(100, 100, 101);
    expect_bin(1000, 992, 1007);
    expect_bin(1000000, 999424, 1015807);
    expect_bin(0, 0, 0);
    expect_bin(32, 32, 32);
    expect_bin(UINT64_MAX, UINT64_MAX - ((uint64_t)1 << 58) + 1, UINT64_MAX);
}

static void
test_bench_stats_hist_bin_width(void **state)
{
    static const unsigned sizes[4] = { 16, 32, 64, 128 };
    (void)state;
    for (int k = 0; k < 4; k++) {
        unsigned S = sizes[k];
        uint64_t prev_hi = 0;
        int first = 1;
        /* every value up to 2^20, then a geometric sweep to the top of the range */
        for (uint64_t v = 0; v < (1u << 20); v++) {
            uint64_t lo, hi;
            bs_hist_bin(v, S, &lo, &hi);
            assert_true(lo <= v && v <= hi);
            assert_true((double)(hi - lo + 1) <= (v < S ? 1.0 : (double)lo / S));
            if (v == lo) { /* bins tile the line with no gap */
                assert_true(first || lo == prev_hi + 1);
                first = 0;
            }
            prev_hi = hi;
        }
        for (uint64_t v = 1u << 20; v < UINT64_MAX / 2; v += v / 7 + 1) {
            uint64_t lo, hi, lo2, hi2;
            bs_hist_bin(v, S, &lo, &hi);
            assert_true(lo <= v && v <= hi);
            assert_true((double)(hi - lo) / (double)lo <= 1.0 / S);
            bs_hist_bin(lo, S, &lo2, &hi2); /* lo is a bin start */
            assert_true(lo2 == lo && hi2 == hi);
        }
    }
}

static void
test_bench_stats_hist_merge_and_upper_bound(void **state)
{
    enum { N1 = 3000, N2 = 2000 };
    static const uint32_t ps[6] = { 1, BS_P50, BS_P90, BS_P99, BS_P99_9, 100000u };
    uint64_t *all = malloc((N1 + N2) * sizeof *all), *sorted;
    bs_hist h1, h2, h3;
    bs_rng r;
    (void)state;
    assert_non_null(all);
    bs_rng_seed(&r, 11, "hist");
    bs_hist_init(&h1, 32);
    bs_hist_init(&h2, 32);
    bs_hist_init(&h3, 32); /* everything added directly, for comparison */
    for (size_t i = 0; i < N1 + N2; i++) {
        /* spread over decades */
        uint64_t v = bs_rng_next(&r) >> (20 + bs_rng_below(&r, 40));
        int gen = (int)bs_rng_below(&r, 3);
        all[i] = v;
        bs_hist_add(i < N1 ? &h1 : &h2, v, gen);
        bs_hist_add(&h3, v, gen);
    }
    bs_hist_merge(&h1, &h2);
    assert_true(h1.total == N1 + N2);
    assert_true(h1.n == h3.n);
    assert_true(h1.max_value == h3.max_value);
    for (size_t i = 0; i < h1.n; i++) {
        const bs_hist_row *a = &h1.rows[i], *b = &h3.rows[i];
        assert_true(a->lo == b->lo && a->hi == b->hi && a->count == b->count);
        assert_true(a->count == a->gen[0] + a->gen[1] + a->gen[2]);
        assert_true(memcmp(a->gen, b->gen, sizeof a->gen) == 0);
        if (i)
            assert_true(h1.rows[i - 1].hi < a->lo);
    }
    sorted = all;
    qsort(sorted, N1 + N2, sizeof *sorted, cmp_u64);
    for (int k = 0; k < 6; k++) {
        uint64_t truth = sorted[bs_rank(N1 + N2, ps[k]) - 1];
        uint64_t est = bs_hist_percentile(&h1, ps[k]);
        assert_true(est >= truth);
        assert_true((double)(est - truth) <= (double)truth / 32);
    }
    assert_true(bs_hist_percentile(&h1, 100000u) == sorted[N1 + N2 - 1]);

    /* rows re-added from a file give the same histogram */
    bs_hist_free(&h2);
    bs_hist_init(&h2, 32);
    for (size_t i = 0; i < h3.n; i++)
        bs_hist_add_row(&h2, &h3.rows[i], h3.max_value);
    assert_true(h2.total == h3.total && h2.n == h3.n && h2.max_value == h3.max_value);
    assert_true(bs_hist_percentile(&h2, BS_P99) == bs_hist_percentile(&h3, BS_P99));

    bs_hist_free(&h1);
    bs_hist_free(&h2);
    bs_hist_free(&h3);
    bs_hist_init(&h1, 32);
    assert_true(bs_hist_percentile(&h1, BS_P50) == 0);
    bs_hist_add(&h1, 1000, 0);
    assert_true(bs_hist_percentile(&h1, BS_P50) == 1000); /* capped by max, not 1007 */
    bs_hist_free(&h1);
    free(all);
}

/* ---- MMU ---- */

static void
test_bench_stats_mmu_vector(void **state)
{
    bs_pause p = { 50 * MS, 10 * MS };
    uint64_t w[16];
    size_t nw;
    (void)state;
    assert_near(bs_mmu(&p, 1, 100 * MS, 10 * MS), 0.0, 1e-12);
    assert_near(bs_mmu(&p, 1, 100 * MS, 20 * MS), 0.5, 1e-12);
    assert_near(bs_mmu(&p, 1, 100 * MS, 100 * MS), 0.9, 1e-12);
    assert_near(bs_mmu(&p, 1, 100 * MS, 5 * MS), 0.0, 1e-12);   /* w <= max pause */
    assert_near(bs_mmu(&p, 1, 100 * MS, 50 * MS), 0.8, 1e-12);
    assert_near(bs_mmu(NULL, 0, 100 * MS, 10 * MS), 1.0, 1e-12);

    nw = bs_mmu_windows(100 * MS, w);
    assert_int_equal(nw, 7);
    assert_true(w[0] == 1 * MS && w[1] == 2 * MS && w[2] == 5 * MS && w[6] == 100 * MS);
    assert_int_equal(bs_mmu_windows(MS / 2, w), 0);
    nw = bs_mmu_windows(UINT64_MAX, w);
    assert_int_equal(nw, 16);
    for (size_t i = 1; i < nw; i++)
        assert_true(w[i] > w[i - 1]);
}

/* Brute force over every integer window start. */
static double
mmu_brute(const bs_pause *p, size_t n, uint64_t T, uint64_t w)
{
    uint64_t worst = 0;
    for (uint64_t t = 0; t + w <= T; t++) {
        uint64_t in = 0;
        for (size_t i = 0; i < n; i++) {
            uint64_t a = p[i].start_ns, b = p[i].start_ns + p[i].dur_ns;
            a = a > t ? a : t;
            b = b < t + w ? b : t + w;
            if (b > a)
                in += b - a;
        }
        if (in > worst)
            worst = in;
    }
    return (double)(w - worst) / (double)w;
}

static void
test_bench_stats_mmu_matches_brute_force(void **state)
{
    bs_rng r;
    bs_pause p[12];
    (void)state;
    bs_rng_seed(&r, 3, "mmu");
    for (int round = 0; round < 300; round++) {
        uint64_t T = 50 + bs_rng_below(&r, 150), t = bs_rng_below(&r, 5);
        size_t n = 0;
        while (n < 12) {
            uint64_t d = 1 + bs_rng_below(&r, 8);
            if (t + d > T)
                break;
            p[n].start_ns = t;
            p[n].dur_ns = d;
            n++;
            t += d + bs_rng_below(&r, 20);
        }
        for (uint64_t w = 1; w < T; w += 1 + w / 4)
            assert_near(bs_mmu(p, n, T, w), mmu_brute(p, n, T, w), 1e-12);
    }
}

/* ---- descriptive ---- */

static void
test_bench_stats_descriptive(void **state)
{
    static const double x[5] = { 3, 1, 4, 1, 5 };
    static const double s[4] = { 1, 2, 3, 4 };
    (void)state;
    assert_near(bs_mean(x, 5), 2.8, 1e-12);
    assert_near(bs_stdev(x, 5), sqrt(3.2), 1e-12);
    assert_true(isnan(bs_stdev(x, 1)));
    assert_near(bs_median(x, 5), 3, 0);
    assert_near(bs_median(x, 4), 2, 0); /* 3,1,4,1 -> (1+3)/2 */
    assert_true(isnan(bs_median(x, 0)));
    assert_true(x[0] == 3 && x[1] == 1); /* input untouched */
    assert_near(bs_quantile_sorted(s, 4, 0.5), 2.5, 1e-12);
    assert_near(bs_quantile_sorted(s, 4, 0.025), 1.075, 1e-12);
    assert_near(bs_quantile_sorted(s, 4, 1), 4, 0);
    assert_near(bs_quantile_sorted(s, 4, 0), 1, 0);
}

static void
test_bench_stats_outliers(void **state)
{
    static const double one[6] = { 10.0, 10.1, 9.9, 10.2, 9.8, 30.0 };
    static const double none[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    static const double flat[6] = { 5, 5, 5, 5, 5, 50 };
    static const double near_ties[5] = { 1, 1, 1, 2, 2 };
    size_t out[10];
    (void)state;
    assert_int_equal(bs_outliers(one, 6, out), 1);
    assert_int_equal(out[0], 5);
    assert_int_equal(bs_outliers(none, 10, out), 0);
    assert_int_equal(bs_outliers(one, 4, out), 0); /* n < 5 */
    assert_int_equal(bs_outliers(flat, 6, out), 1);
    assert_int_equal(out[0], 5);
    assert_int_equal(bs_outliers(near_ties, 5, out), 0);
}

static void
test_bench_stats_spearman(void **state)
{
    static const double up[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    static const double down[5] = { 9, 7, 5, 3, 1 };
    static const double mixed[4] = { 1, 3, 2, 4 };
    static const double flat[4] = { 2, 2, 2, 2 };
    static const double tied[4] = { 1, 2, 2, 3 };
    (void)state;
    assert_near(bs_spearman_order(up, 8), 1, 1e-12);
    assert_near(bs_spearman_order(down, 5), -1, 1e-12);
    assert_near(bs_spearman_order(mixed, 4), 0.8, 1e-12);
    /* ranks 1, 2.5, 2.5, 4 against 1..4: r = 4.5 / sqrt(4.5 * 5) */
    assert_near(bs_spearman_order(tied, 4), 4.5 / sqrt(4.5 * 5), 1e-12);
    assert_true(isnan(bs_spearman_order(flat, 4)));
    assert_true(isnan(bs_spearman_order(up, 1)));
}

static void
test_bench_stats_bootstrap_deterministic(void **state)
{
    static const double x[10] = { 10.2, 9.8, 10.5, 10.1, 9.9, 10.3, 10.0, 9.7, 10.4,
                                  10.6 };
    double lo1, hi1, lo2, hi2, lo3, hi3, med = bs_median(x, 10);
    bs_rng r;
    (void)state;
    bs_rng_seed(&r, 1234, "bootstrap");
    bs_bootstrap_median_ci(x, 10, 2000, &r, &lo1, &hi1);
    bs_rng_seed(&r, 1234, "bootstrap");
    bs_bootstrap_median_ci(x, 10, 2000, &r, &lo2, &hi2);
    assert_memory_equal(&lo1, &lo2, sizeof lo1);
    assert_memory_equal(&hi1, &hi2, sizeof hi1);
    assert_true(lo1 <= med && med <= hi1 && lo1 < hi1);
    assert_true(lo1 >= 9.7 && hi1 <= 10.6);
    bs_rng_seed(&r, 1235, "bootstrap");
    bs_bootstrap_median_ci(x, 10, 2000, &r, &lo3, &hi3);
    assert_true(lo3 <= med && med <= hi3);
    bs_bootstrap_median_ci(x, 4, 2000, &r, &lo3, &hi3);
    assert_true(isnan(lo3) && isnan(hi3));
    bs_bootstrap_median_ci(x, 10, 0, &r, &lo3, &hi3);
    assert_true(isnan(lo3) && isnan(hi3));
}

/* ---- Student t ---- */

static void
test_bench_stats_t_quantile_vectors(void **state)
{
    static const double df[8] = { 1, 2, 4, 5, 10, 30, 100, 1e9 };
    static const double q[8] = { 12.7062, 4.3027, 2.7764, 2.5706, 2.2281, 2.0423, 1.9840,
                                 1.9600 };
    (void)state;
    for (int i = 0; i < 8; i++) {
        assert_near(bs_t_quantile(0.975, df[i]), q[i], 1e-4);
        assert_near(bs_t_quantile(0.025, df[i]), -q[i], 1e-4);
        assert_near(bs_t_cdf(q[i], df[i]), 0.975, 1e-5);
    }
    assert_near(bs_t_quantile(0.995, 1), 63.656741, 1e-5);
    assert_near(bs_t_quantile(0.5, 7), 0, 0);
    assert_near(bs_t_cdf(0, 3), 0.5, 1e-15);
    assert_near(bs_t_cdf(1, 1), 0.75, 1e-12); /* Cauchy */
    assert_near(bs_norm_cdf(1.959963985), 0.975, 1e-9);
    assert_near(bs_norm_cdf(0), 0.5, 0);
    assert_true(isnan(bs_t_quantile(0.975, 0)));
}

/* ---- Welch and Mann-Whitney ---- */

static void
test_bench_stats_welch_vector(void **state)
{
    bs_welch w;
    (void)state;
    assert_int_equal(bs_welch_log(vec_b, 8, vec_c, 6, &w), 0);
    assert_near(w.ratio, 0.96385, 5e-6);
    assert_near(w.lo, 0.95404, 5e-6);
    assert_near(w.hi, 0.97375, 5e-6);
    assert_near(w.t, -7.9662, 5e-5);
    assert_near(w.df, 10.5919, 5e-5);
    assert_near(w.p, 8.6e-6, 5e-8);
}

static void
test_bench_stats_welch_undefined(void **state)
{
    static const double one[1] = { 1 }, bad[3] = { 1, 0, 2 }, k1[5] = { 2, 2, 2, 2, 2 },
                        k2[5] = { 3, 3, 3, 3, 3 };
    bs_welch w;
    (void)state;
    assert_int_equal(bs_welch_log(one, 1, vec_c, 6, &w), -1);
    assert_true(isnan(w.ratio) && isnan(w.lo));
    assert_int_equal(bs_welch_log(vec_b, 8, bad, 3, &w), -1);
    assert_true(isnan(w.ratio));
    assert_int_equal(bs_welch_log(k1, 5, k2, 5, &w), -1); /* deterministic: ratio only */
    assert_near(w.ratio, 1.5, 1e-12);
    assert_true(isnan(w.lo) && isnan(w.p));
    assert_int_equal(bs_welch_log(k1, 5, vec_b, 8, &w), 0); /* one side constant works */
    assert_true(w.lo < w.ratio && w.ratio < w.hi);
}

static void
test_bench_stats_mann_whitney_vectors(void **state)
{
    static const double b5[5] = { 6, 7, 8, 9, 10 }, c5[5] = { 1, 2, 3, 4, 5 };
    static const double tb[5] = { 1, 2, 3, 4, 5 };
    double U, p, big_b[25], big_c[25];
    (void)state;
    bs_mann_whitney(vec_b, 8, vec_c, 6, &U, &p);
    assert_near(U, 0, 0);
    assert_near(p, 2.0 / 3003, 1e-15);
    bs_mann_whitney(b5, 5, c5, 5, &U, &p);
    assert_near(U, 0, 0);
    assert_near(p, 2.0 / 252, 1e-15);
    bs_mann_whitney(c5, 5, b5, 5, &U, &p); /* candidate all larger: U = nb*nc */
    assert_near(U, 25, 0);
    assert_near(p, 2.0 / 252, 1e-15);
    bs_mann_whitney(tb, 5, tb, 5, &U, &p); /* all tied pairs: exact, conditional */
    assert_near(U, 12.5, 0);
    assert_near(p, 1, 0);
    for (int i = 0; i < 25; i++) {
        big_b[i] = 100 + i;
        big_c[i] = i;
    }
    bs_mann_whitney(big_b, 25, big_c, 25, &U, &p);
    assert_near(U, 0, 0);
    assert_true(p > 0 && p < 1e-8);
}

/* Reference for the signed-rank test: every one of the 2^m sign patterns of the
 * mid-ranks, summed in doubles (independent of the doubled-rank counting it checks). */
static double
signed_rank_brute(const double *d, size_t n)
{
    double a[16], r[16], w = 0, lo = 0, hi = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i] != 0)
            a[m++] = d[i];
    if (!m)
        return 1;
    for (size_t i = 0; i < m; i++) {
        r[i] = 1;
        for (size_t k = 0; k < m; k++)
            r[i] +=
                fabs(a[k]) < fabs(a[i]) ? 1 : (k != i && fabs(a[k]) == fabs(a[i])) * 0.5;
        w += a[i] > 0 ? r[i] : 0;
    }
    for (uint32_t mask = 0; mask < (1u << m); mask++) {
        double s = 0;
        for (size_t i = 0; i < m; i++)
            s += mask >> i & 1 ? r[i] : 0;
        lo += s <= w + 1e-9;
        hi += s >= w - 1e-9;
    }
    return fmin(1, 2 * fmin(lo, hi) / ldexp(1.0, (int)m));
}

static void
test_bench_stats_signed_rank(void **state)
{
    static const double up5[5] = { 0.1, 0.2, 0.3, 0.4, 0.5 };
    static const double tied5[5] = { 0.1, 0.1, 0.2, 0.3, 0.3 }; /* tied |d| (RSS pages) */
    static const double zeros[4] = { 0, 0, 0, 0 };
    double d[30], big[30];
    uint32_t x = 7;
    (void)state;
    assert_near(bs_signed_rank_p(up5, 5), 2.0 / 32, 1e-15);
    assert_near(bs_signed_rank_p(tied5, 5), 2.0 / 32, 1e-15); /* ties: still exact */
    assert_near(bs_signed_rank_p(zeros, 4), 1, 0);
    for (int trial = 0; trial < 300; trial++) { /* small integers: many ties and zeros */
        size_t n = 2 + trial % 13;
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            d[i] = (double)((int)(x >> 16) % 7 - 3);
        }
        assert_near(bs_signed_rank_p(d, n), signed_rank_brute(d, n), 1e-12);
    }
    for (int i = 0; i < 30; i++)
        big[i] = 1 + i; /* beyond 25: normal approximation */
    assert_true(bs_signed_rank_p(big, 30) > 0 && bs_signed_rank_p(big, 30) < 1e-5);
}

/* Reference for Mann-Whitney: every way to choose which nc of the N mid-ranks are the
 * candidate's, summed in doubles. */
static double
mann_whitney_brute(const double *b, size_t nb, const double *c, size_t nc)
{
    double v[16], r[16], w = 0, lo = 0, hi = 0, total = 0;
    size_t N = nb + nc;
    for (size_t i = 0; i < N; i++)
        v[i] = i < nb ? b[i] : c[i - nb];
    for (size_t i = 0; i < N; i++) {
        r[i] = 1;
        for (size_t k = 0; k < N; k++)
            r[i] += v[k] < v[i] ? 1 : (k != i && v[k] == v[i]) * 0.5;
        w += i >= nb ? r[i] : 0;
    }
    for (uint32_t mask = 0; mask < (1u << N); mask++) {
        double sum = 0;
        if ((size_t)__builtin_popcount(mask) != nc)
            continue;
        for (size_t i = 0; i < N; i++)
            sum += mask >> i & 1 ? r[i] : 0;
        total++;
        lo += sum <= w + 1e-9;
        hi += sum >= w - 1e-9;
    }
    return fmin(1, 2 * fmin(lo, hi) / total);
}

static void
test_bench_stats_mann_whitney_ties_exact(void **state)
{
    double b[8], c[8], U, p;
    uint32_t x = 99;
    (void)state;
    for (int trial = 0; trial < 200; trial++) { /* small integers: many ties */
        size_t nb = 2 + trial % 6, nc = 2 + (trial / 6) % 5;
        for (size_t i = 0; i < nb + nc; i++) {
            x = x * 1103515245u + 12345u;
            (i < nb ? b : c)[i < nb ? i : i - nb] = (double)((x >> 16) % 5);
        }
        bs_mann_whitney(b, nb, c, nc, &U, &p);
        assert_near(p, mann_whitney_brute(b, nb, c, nc), 1e-12);
    }
}

/* ---- verdicts ---- */

static void
test_bench_stats_verdict_vectors(void **state)
{
    static const double b0_5[5] = { 1.000, 1.012, 0.995, 1.020, 1.004 };
    bs_welch w;
    (void)state;
    assert_int_equal(bs_verdict_of(0.998, 0.985, 1.012, 0.02, 1, 10, 10),
                     BS_NO_DIFFERENCE);
    assert_int_equal(bs_verdict_of(0.925, 0.90, 0.95, 0.02, 1, 10, 10), BS_BETTER);
    assert_int_equal(bs_verdict_of(0.9925, 0.990, 0.995, 0.02, 1, 10, 10), BS_NEGLIGIBLE);
    assert_int_equal(bs_verdict_of(1.01, 0.97, 1.06, 0.02, 1, 10, 10), BS_INCONCLUSIVE);
    assert_int_equal(bs_verdict_of(1.03, 1.01, 1.05, 0.02, 1, 10, 10), BS_WORSE);
    assert_int_equal(bs_verdict_of(1.03, 1.01, 1.05, 0.02, 0, 10, 10), BS_BETTER);
    assert_int_equal(bs_verdict_of(0.925, 0.90, 0.95, 0.02, 1, 4, 10), BS_INSUFFICIENT);
    assert_int_equal(bs_verdict_of(0.925, NAN, NAN, 0.02, 1, 10, 10), BS_INSUFFICIENT);
    assert_string_equal(bs_verdict_name(BS_NO_DIFFERENCE), "no-difference");
    assert_string_equal(bs_verdict_name(BS_INSUFFICIENT), "insufficient-data");
    assert_string_equal(bs_verdict_name(BS_BETTER), "better");

    /* the A/A vector: b vs its first five values */
    assert_int_equal(bs_welch_log(vec_b, 8, b0_5, 5, &w), 0);
    assert_near(w.ratio, 1.00119, 5e-6);
    assert_near(w.lo, 0.98891, 5e-6);
    assert_near(w.hi, 1.01361, 5e-6);
    assert_int_equal(bs_verdict_of(w.ratio, w.lo, w.hi, 0.02, 1, 8, 5), BS_NO_DIFFERENCE);

    /* the Welch vector of 4.2 is a clear improvement */
    assert_int_equal(bs_welch_log(vec_b, 8, vec_c, 6, &w), 0);
    assert_int_equal(bs_verdict_of(w.ratio, w.lo, w.hi, 0.02, 1, 8, 6), BS_BETTER);

    /* W_NEEDS_RUNS: ceil((2 * 1.96 * 0.01 / ln 1.02)^2) = ceil(3.9186) */
    assert_int_equal(bs_runs_needed(0.01, 0.02), 4);
    assert_int_equal(bs_runs_needed(0.05, 0.02), 98);
    assert_int_equal(bs_runs_needed(0.01, 0), 0);
}

static void
test_bench_stats_aa_at_most_one_of_twenty(void **state)
{
    int flagged = 0, decided = 0;
    (void)state;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        double b[10], c[10];
        bs_welch w;
        bs_verdict v;
        bs_rng r;
        bs_rng_seed(&r, seed, "aa-test");
        /* lognormal, cv about 1% (typical of a quiet machine). With delta = 2% a flag
         * then needs a 4-sigma difference of means; at cv 2% it needs only ~2.2 sigma,
         * and about 1 seed in 40 flags, which the calibration test below measures
         * instead. */
        for (int i = 0; i < 10; i++)
            b[i] = exp(log(1e6) + 0.01 * gauss(&r));
        for (int i = 0; i < 10; i++)
            c[i] = exp(log(1e6) + 0.01 * gauss(&r));
        assert_int_equal(bs_welch_log(b, 10, c, 10, &w), 0);
        v = bs_verdict_of(w.ratio, w.lo, w.hi, 0.02, 1, 10, 10);
        assert_true(v == BS_BETTER || v == BS_WORSE || v == BS_NEGLIGIBLE ||
                    v == BS_NO_DIFFERENCE || v == BS_INCONCLUSIVE);
        flagged += v == BS_BETTER || v == BS_WORSE;
        decided += v == BS_NO_DIFFERENCE;
    }
    assert_in_range(flagged, 0, 1);
    /* the data really are equivalent within 2% most of the time */
    assert_true(decided >= 10);
}

/* Under the null both tests reject about 5% of the time (a check of t, df and the exact
 * Mann-Whitney tables as a whole), and better/worse stays rare even at cv 2%. */
static void
test_bench_stats_aa_false_positive_rate(void **state)
{
    enum { SEEDS = 2000 };
    int welch = 0, mwu = 0, flagged = 0;
    (void)state;
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        double b[10], c[10], U, p;
        bs_welch w;
        bs_verdict v;
        bs_rng r;
        bs_rng_seed(&r, seed, "aa-rate");
        for (int i = 0; i < 10; i++)
            b[i] = exp(0.02 * gauss(&r));
        for (int i = 0; i < 10; i++)
            c[i] = exp(0.02 * gauss(&r));
        assert_int_equal(bs_welch_log(b, 10, c, 10, &w), 0);
        bs_mann_whitney(b, 10, c, 10, &U, &p);
        welch += w.p < 0.05;
        mwu += p < 0.05;
        v = bs_verdict_of(w.ratio, w.lo, w.hi, 0.02, 1, 10, 10);
        flagged += v == BS_BETTER || v == BS_WORSE;
    }
    assert_in_range(welch, SEEDS * 3 / 100, SEEDS * 7 / 100);
    assert_in_range(mwu, SEEDS * 3 / 100, SEEDS * 7 / 100);
    assert_in_range(flagged, 0, SEEDS * 5 / 100);
}

/* ---- Holm ---- */

static void
test_bench_stats_holm(void **state)
{
    static const double p[5] = { 0.01, 0.04, NAN, 0.03, 0.005 };
    static const double big[3] = { 0.5, 0.6, 0.4 };
    double adj[5];
    (void)state;
    bs_holm(p, 5, adj);
    /* m = 4: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, max(0.04*1, 0.06) = 0.06 */
    assert_near(adj[4], 0.02, 1e-15);
    assert_near(adj[0], 0.03, 1e-15);
    assert_near(adj[3], 0.06, 1e-15);
    assert_near(adj[1], 0.06, 1e-15);
    assert_true(isnan(adj[2]));
    bs_holm(big, 3, adj);
    assert_near(adj[2], 1, 0); /* capped at 1 */
    assert_near(adj[0], 1, 0);
    assert_near(adj[1], 1, 0);
}

/* ---- trends ---- */

static void
test_bench_stats_theil_sen_and_ols(void **state)
{
    double x[10], y[10], slope, icpt, lo, hi, a, b;
    (void)state;
    for (int i = 0; i < 10; i++) {
        x[i] = i * 0.5;
        y[i] = 3 * x[i] + 2;
    }
    bs_theil_sen(x, y, 10, &slope, &icpt, &lo, &hi);
    assert_near(slope, 3, 1e-12);
    assert_near(icpt, 2, 1e-12);
    assert_near(lo, 3, 1e-12);
    assert_near(hi, 3, 1e-12);
    bs_ols(x, y, 10, &a, &b);
    assert_near(a, 2, 1e-12);
    assert_near(b, 3, 1e-12);

    y[9] = 1000; /* one wild point moves OLS, not Theil-Sen */
    bs_theil_sen(x, y, 10, &slope, &icpt, &lo, &hi);
    assert_near(slope, 3, 1e-12);
    assert_near(icpt, 2, 1e-12);
    assert_true(lo <= 3 && hi >= 3);
    bs_ols(x, y, 10, &a, &b);
    assert_true(b > 10);

    bs_theil_sen(x, y, 4, &slope, &icpt, &lo, &hi); /* n < 5: no CI */
    assert_near(slope, 3, 1e-12);
    assert_true(isnan(lo) && isnan(hi));
    x[1] = x[0];
    bs_ols(x, y, 1, &a, &b);
    assert_true(isnan(a) && isnan(b));
}

/* ---- Pareto and LBO ---- */

static void
test_bench_stats_pareto_vector(void **state)
{
    static const double thr[4] = { 95, 96, 94, 99 }, p99[4] = { 10, 12, 11, NAN },
                        rss[4] = { 100, 90, 110, 1 };
    static const double t2[2] = { 95, 95 }, p2[2] = { 10, 10 }, r2[2] = { 100, 100 };
    int out[4];
    (void)state;
    bs_pareto(thr, p99, rss, 3, out);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 1);
    assert_int_equal(out[2], 0);
    bs_pareto(thr, p99, rss, 4, out); /* a NAN point is neither on it nor dominating */
    assert_true(out[0] == 1 && out[1] == 1 && out[2] == 0 && out[3] == 0);
    bs_pareto(t2, p2, r2, 2, out); /* equal points do not dominate each other */
    assert_true(out[0] == 1 && out[1] == 1);
}

static void
test_bench_stats_lbo_vector(void **state)
{
    static const double cost[3] = { 10.0, 9.6, 9.2 }, pause[3] = { 1.0, 0.3, 0 };
    static const int all[3] = { 1, 1, 1 }, no_a[3] = { 0, 1, 1 };
    double lbo[3];
    (void)state;
    assert_int_equal(bs_lbo(cost, pause, all, 3, lbo), 0);
    assert_near(lbo[0] * 100, 11.1, 0.05);
    assert_near(lbo[1] * 100, 6.7, 0.05);
    assert_near(lbo[2] * 100, 2.2, 0.05);
    assert_near(lbo[0], 10.0 / 9.0 - 1, 1e-12);
    assert_int_equal(bs_lbo(cost, pause, no_a, 3, lbo), 2); /* A excluded (oom) */
    assert_near(lbo[2], 0, 1e-12);
    assert_int_equal(bs_lbo(cost, pause, (const int[3]){ 0, 0, 0 }, 3, lbo), -1);
    assert_true(isnan(lbo[0]));
}

/* ---- Suite index (4.6) ---- */

static void
test_bench_stats_geomean_ci_vector(void **state)
{
    /* By hand. Ratios {0.9 x 4, 1.8}: geometric mean 0.9 x 2^(1/5) = 1.0338285195. A
     * resample of 5 holds k copies of 1.8, k ~ Binomial(5, 1/5), and its geometric mean
     * is 0.9 x 2^(k/5). P(k = 0) = 0.328 > 2.5%, so lo = 0.9; P(k <= 2) = 0.942 < 97.5%
     * < P(k <= 3) = 0.993, so hi = 0.9 x 2^(3/5) = 1.3641449099. With 10000 resamples
     * each margin is over 10 standard deviations of the empirical proportion. */
    static const double x[5] = { 0.9, 1.8, 0.9, 0.9, 0.9 };
    /* 0.8 x 1.25 x 0.5 x 2 x 1 = 1: geometric mean 1 */
    static const double y[5] = { 0.8, 1.25, 0.5, 2, 1 };
    double gm, lo, hi, lo2, hi2;
    bs_rng r;
    (void)state;
    bs_rng_seed(&r, 1, "suite-index");
    gm = bs_geomean_ci(x, 5, 10000, &r, &lo, &hi);
    assert_near(gm, 1.0338285195, 1e-9);
    assert_near(lo, 0.9, 1e-12);
    assert_near(hi, 1.3641449099, 1e-9);
    bs_rng_seed(&r, 1, "suite-index");
    assert_near(bs_geomean_ci(x, 5, 10000, &r, &lo2, &hi2), gm, 0);
    assert_memory_equal(&lo, &lo2, sizeof lo);
    assert_memory_equal(&hi, &hi2, sizeof hi);
    gm = bs_geomean_ci(y, 5, 2000, &r, &lo, &hi);
    assert_near(gm, 1, 1e-12);
    assert_true(0.5 <= lo && lo < 1 && 1 < hi && hi <= 2);
    /* fewer than 5 entries: the mean, no CI (0.9 x 2^(1/4) = 1.0702864035) */
    assert_near(bs_geomean_ci(x, 4, 10000, &r, &lo, &hi), 1.0702864035, 1e-9);
    assert_true(isnan(lo) && isnan(hi));
    assert_near(bs_geomean_ci(x, 5, 0, &r, &lo, &hi), 1.0338285195, 1e-9);
    assert_true(isnan(lo) && isnan(hi));
    /* not a ratio of positive values */
    assert_true(isnan(bs_geomean_ci((const double[2]){ 1, 0 }, 2, 100, &r, &lo, &hi)));
    assert_true(isnan(bs_geomean_ci(x, 0, 100, &r, &lo, &hi)) && isnan(lo) && isnan(hi));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_stats_rng_known_values),
        cmocka_unit_test(test_bench_stats_nearest_rank_and_n_rule),
        cmocka_unit_test(test_bench_stats_kth_matches_sort),
        cmocka_unit_test(test_bench_stats_hist_bin_vectors),
        cmocka_unit_test(test_bench_stats_hist_bin_width),
        cmocka_unit_test(test_bench_stats_hist_merge_and_upper_bound),
        cmocka_unit_test(test_bench_stats_mmu_vector),
        cmocka_unit_test(test_bench_stats_mmu_matches_brute_force),
        cmocka_unit_test(test_bench_stats_descriptive),
        cmocka_unit_test(test_bench_stats_outliers),
        cmocka_unit_test(test_bench_stats_spearman),
        cmocka_unit_test(test_bench_stats_bootstrap_deterministic),
        cmocka_unit_test(test_bench_stats_t_quantile_vectors),
        cmocka_unit_test(test_bench_stats_welch_vector),
        cmocka_unit_test(test_bench_stats_welch_undefined),
        cmocka_unit_test(test_bench_stats_mann_whitney_vectors),
        cmocka_unit_test(test_bench_stats_signed_rank),
        cmocka_unit_test(test_bench_stats_mann_whitney_ties_exact),
        cmocka_unit_test(test_bench_stats_verdict_vectors),
        cmocka_unit_test(test_bench_stats_aa_at_most_one_of_twenty),
        cmocka_unit_test(test_bench_stats_aa_false_positive_rate),
        cmocka_unit_test(test_bench_stats_holm),
        cmocka_unit_test(test_bench_stats_theil_sen_and_ols),
        cmocka_unit_test(test_bench_stats_pareto_vector),
        cmocka_unit_test(test_bench_stats_lbo_vector),
        cmocka_unit_test(test_bench_stats_geomean_ci_vector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
