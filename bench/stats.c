/* bench/'s descriptive statistics: seeded RNG, nearest-rank percentiles, log2-linear
 * histograms, MMU, bootstrap, outliers, drift, trends, Pareto set and LBO. Comparison
 * tests (t, Welch, Mann-Whitney, verdicts, Holm) live in stats_compare.c. Contract:
 * stats.h and results-and-reports.md 2.6, 2.7, 2.9, 2.10, 3, 4.7, 6.2.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include "stats.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Deterministic randomness ---- */

uint64_t
bs_fnv1a64(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    if (!s)
        return h;
    for (; *s; s++) {
        h ^= (uint64_t)(unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t
bs_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void
bs_rng_seed(bs_rng *r, uint64_t seed, const char *purpose)
{
    uint64_t st = seed ^ bs_fnv1a64(purpose);
    for (int i = 0; i < 4; i++)
        r->s[i] = bs_splitmix64(&st);
}

static uint64_t
rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t
bs_rng_next(bs_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return result;
}

uint64_t
bs_rng_below(bs_rng *r, uint64_t n)
{
    /* Reject the lowest (2^64 mod n) values so every residue is equally likely. */
    uint64_t threshold, x;
    if (n <= 1)
        return 0;
    threshold = (0 - n) % n;
    do
        x = bs_rng_next(r);
    while (x < threshold);
    return x % n;
}

/* ---- Nearest-rank percentiles ---- */

uint64_t
bs_rank(uint64_t n, uint32_t p5)
{
    /* k = ceil(p5 * n / 100000) without overflow: n = q*100000 + rem. */
    uint64_t q, rem, k;
    if (n == 0)
        return 0;
    if (p5 > 100000u)
        p5 = 100000u;
    q = n / 100000u;
    rem = n % 100000u;
    k = q * p5 + (rem * p5 + 99999u) / 100000u;
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return k;
}

int
bs_percentile_defined(uint64_t n, uint32_t p5)
{
    /* n >= 1/(1-p)  <=>  n * (100000 - p5) >= 100000; the maximum needs one value. */
    if (n == 0)
        return 0;
    if (p5 >= 100000u)
        return 1;
    if (n >= 100000u)
        return 1;
    return n * (100000u - p5) >= 100000u;
}

static void
kth_swap(uint64_t *a, uint64_t *b)
{
    uint64_t t = *a;
    *a = *b;
    *b = t;
}

uint64_t
bs_kth_u64(uint64_t *v, size_t n, uint64_t k)
{
    /* Quickselect with a median-of-three pivot and a three-way partition (ties are
     * cheap). */
    size_t lo = 0, hi, want;
    if (n == 0)
        return 0;
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    want = (size_t)(k - 1);
    hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, lt = lo, gt = hi, i = lo;
        uint64_t a = v[lo], b = v[mid], c = v[hi], pivot;
        pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        while (i <= gt) {
            if (v[i] < pivot)
                kth_swap(&v[i++], &v[lt++]);
            else if (v[i] > pivot) {
                kth_swap(&v[i], &v[gt]);
                if (gt == 0)
                    break;
                gt--;
            } else
                i++;
        }
        /* v[lo..lt) < pivot, v[lt..gt] == pivot, v(gt..hi] > pivot */
        if (want < lt)
            hi = lt - 1;
        else if (want > gt)
            lo = gt + 1;
        else
            return pivot;
    }
    return v[want];
}

/* ---- Log2-linear histogram ---- */

static unsigned
hist_log2(uint64_t v)
{
    unsigned e = 0;
    while (v >>= 1)
        e++;
    return e;
}

void
bs_hist_bin(uint64_t v, unsigned S, uint64_t *lo, uint64_t *hi)
{
    unsigned s = hist_log2(S), e, shift;
    uint64_t m;
    if (v < S) {
        *lo = *hi = v;
        return;
    }
    e = hist_log2(v);
    shift = e - s;
    m = (v >> shift) - S;
    *lo = ((uint64_t)S + m) << shift;
    /* lo + width - 1 rather than ((S+m+1) << shift) - 1, which overflows in the top
     * octave. */
    *hi = *lo + ((uint64_t)1 << shift) - 1;
}

void
bs_hist_init(bs_hist *h, unsigned S)
{
    memset(h, 0, sizeof *h);
    h->S = S;
}

void
bs_hist_free(bs_hist *h)
{
    free(h->rows);
    h->rows = NULL;
    h->n = h->cap = 0;
    h->total = 0;
    h->max_value = 0;
}

/* Index of the row with this lo, or of the insertion point (*found = 0). */
static size_t
hist_find(const bs_hist *h, uint64_t lo, int *found)
{
    size_t a = 0, b = h->n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (h->rows[mid].lo < lo)
            a = mid + 1;
        else
            b = mid;
    }
    *found = a < h->n && h->rows[a].lo == lo;
    return a;
}

/* The row for bin [lo, hi], inserted empty if absent. */
static bs_hist_row *
hist_row_for(bs_hist *h, uint64_t lo, uint64_t hi)
{
    int found;
    size_t i = hist_find(h, lo, &found);
    if (found)
        return &h->rows[i];
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 16;
        h->rows = bench_xrealloc(h->rows, h->cap * sizeof *h->rows);
    }
    memmove(&h->rows[i + 1], &h->rows[i], (h->n - i) * sizeof *h->rows);
    memset(&h->rows[i], 0, sizeof h->rows[i]);
    h->rows[i].lo = lo;
    h->rows[i].hi = hi;
    h->n++;
    return &h->rows[i];
}

void
bs_hist_add(bs_hist *h, uint64_t v, int gen)
{
    uint64_t lo, hi;
    bs_hist_row *row;
    bs_hist_bin(v, h->S, &lo, &hi);
    row = hist_row_for(h, lo, hi);
    row->count++;
    if (gen >= 0 && gen <= 2)
        row->gen[gen]++;
    h->total++;
    if (v > h->max_value)
        h->max_value = v;
}

void
bs_hist_add_row(bs_hist *h, const bs_hist_row *row, uint64_t max_value)
{
    uint64_t lo, hi;
    bs_hist_row *dst;
    if (row->count == 0)
        return;
    /* The bin is recomputed from lo so rows always align with this histogram's S. */
    bs_hist_bin(row->lo, h->S, &lo, &hi);
    dst = hist_row_for(h, lo, hi);
    dst->count += row->count;
    for (int g = 0; g < 3; g++)
        dst->gen[g] += row->gen[g];
    h->total += row->count;
    if (max_value > h->max_value)
        h->max_value = max_value;
}

void
bs_hist_merge(bs_hist *dst, const bs_hist *src)
{
    /* Both row lists are sorted by lo: merge them into a fresh array in one pass. */
    size_t i = 0, j = 0, n = 0, cap = dst->n + src->n;
    bs_hist_row *out;
    if (src->n == 0) {
        if (src->max_value > dst->max_value)
            dst->max_value = src->max_value;
        return;
    }
    out = bench_xmalloc(cap * sizeof *out);
    while (i < dst->n || j < src->n) {
        if (j == src->n || (i < dst->n && dst->rows[i].lo < src->rows[j].lo))
            out[n++] = dst->rows[i++];
        else if (i == dst->n || src->rows[j].lo < dst->rows[i].lo)
            out[n++] = src->rows[j++];
        else {
            out[n] = dst->rows[i++];
            out[n].count += src->rows[j].count;
            for (int g = 0; g < 3; g++)
                out[n].gen[g] += src->rows[j].gen[g];
            j++;
            n++;
        }
    }
    free(dst->rows);
    dst->rows = out;
    dst->n = n;
    dst->cap = cap;
    dst->total += src->total;
    if (src->max_value > dst->max_value)
        dst->max_value = src->max_value;
}

uint64_t
bs_hist_percentile(const bs_hist *h, uint32_t p5)
{
    uint64_t k = bs_rank(h->total, p5), cum = 0;
    for (size_t i = 0; i < h->n; i++) {
        cum += h->rows[i].count;
        if (cum >= k) {
            const bs_hist_row *row = &h->rows[i];
            /* max_value below the bin means it was not supplied: the bin bound stands. */
            if (h->max_value >= row->lo && h->max_value < row->hi)
                return h->max_value;
            return row->hi;
        }
    }
    return 0;
}

/* ---- Minimum mutator utilization ---- */

/* Pause time in [0, x] with a forward-only cursor: *j is the last pause starting <= x.
 * Calls must pass non-decreasing x. cum[i] = total duration of pauses before i. */
static uint64_t
mmu_paused_upto(const bs_pause *p, size_t n, const uint64_t *cum, size_t *j, uint64_t x)
{
    uint64_t in;
    while (*j < n && p[*j].start_ns <= x)
        (*j)++;
    if (*j == 0)
        return 0;
    in = x - p[*j - 1].start_ns;
    if (in > p[*j - 1].dur_ns)
        in = p[*j - 1].dur_ns;
    return cum[*j - 1] + in;
}

/* Clamp a candidate window start (possibly "negative", flagged by neg) into [0, T-w]. */
static uint64_t
mmu_clamp(uint64_t t, int neg, uint64_t tmax)
{
    if (neg)
        return 0;
    return t > tmax ? tmax : t;
}

double
bs_mmu(const bs_pause *p, size_t n, uint64_t T, uint64_t w)
{
    /* Pause time in [t, t+w] is piecewise linear in t; its maxima sit where the window
     * starts at a pause start or ends at a pause end (plus the ends 0 and T-w). Both
     * candidate lists are ascending, so they are merged and swept with forward-only
     * cursors: O(n). */
    uint64_t *cum, worst = 0, tmax, total;
    size_t a = 0, b = 0, jl = 0, jr = 0;
    if (T == 0)
        return 1.0;
    if (w == 0)
        return n ? 0.0 : 1.0;
    cum = bench_xmalloc((n ? n : 1) * sizeof *cum);
    for (size_t i = 0; i < n; i++)
        cum[i] = (i ? cum[i - 1] + p[i - 1].dur_ns : 0);
    if (w >= T) {
        size_t j = 0;
        total = mmu_paused_upto(p, n, cum, &j, T);
        free(cum);
        return (double)(T - total) / (double)T;
    }
    tmax = T - w;
    worst = mmu_paused_upto(p, n, cum, &jr, w); /* the window at t = 0 */
    for (;;) {
        uint64_t t, paused, ca = 0, cb = 0;
        int have_a = a < n, have_b = b < n;
        if (have_a)
            ca = mmu_clamp(p[a].start_ns, 0, tmax);
        if (have_b) {
            uint64_t end = p[b].start_ns + p[b].dur_ns;
            cb = mmu_clamp(end - w, end < w, tmax);
        }
        if (!have_a && !have_b)
            break;
        if (have_a && (!have_b || ca <= cb)) {
            t = ca;
            a++;
        } else {
            t = cb;
            b++;
        }
        paused =
            mmu_paused_upto(p, n, cum, &jr, t + w) - mmu_paused_upto(p, n, cum, &jl, t);
        if (paused > worst)
            worst = paused;
    }
    {
        /* The window at T-w (the sweep's candidates never pass it, cursors still
         * valid). */
        uint64_t paused =
            mmu_paused_upto(p, n, cum, &jr, T) - mmu_paused_upto(p, n, cum, &jl, tmax);
        if (paused > worst)
            worst = paused;
    }
    free(cum);
    if (worst >= w)
        return 0.0;
    return (double)(w - worst) / (double)w;
}

size_t
bs_mmu_windows(uint64_t T, uint64_t out[16])
{
    static const uint64_t steps[3] = { 1, 2, 5 };
    size_t n = 0;
    for (uint64_t decade = 1000000u; n < 16; decade *= 10) {
        for (int i = 0; i < 3 && n < 16; i++) {
            uint64_t w = steps[i] * decade;
            if (w > T)
                return n;
            out[n++] = w;
        }
        if (decade > UINT64_MAX / 50)
            break;
    }
    return n;
}

/* ---- Descriptive statistics ---- */

double
bs_mean(const double *x, size_t n)
{
    double s = 0;
    if (n == 0)
        return NAN;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return s / (double)n;
}

double
bs_stdev(const double *x, size_t n)
{
    double m, ss = 0;
    if (n < 2)
        return NAN;
    m = bs_mean(x, n);
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    return sqrt(ss / (double)(n - 1));
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n), which is sorted in place. */
static double
median_inplace(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double
bs_median(const double *x, size_t n)
{
    double *v, m;
    if (n == 0)
        return NAN;
    v = bench_xmalloc(n * sizeof *v);
    memcpy(v, x, n * sizeof *v);
    m = median_inplace(v, n);
    free(v);
    return m;
}

double
bs_quantile_sorted(const double *sorted, size_t n, double q)
{
    double h, frac;
    size_t i;
    if (n == 0 || isnan(q))
        return NAN;
    if (q <= 0)
        return sorted[0];
    if (q >= 1)
        return sorted[n - 1];
    h = q * (double)(n - 1);
    i = (size_t)h;
    if (i >= n - 1)
        return sorted[n - 1];
    frac = h - (double)i;
    return sorted[i] + frac * (sorted[i + 1] - sorted[i]);
}

size_t
bs_outliers(const double *x, size_t n, size_t *out)
{
    /* Iglewicz-Hoaglin modified z. When MAD is 0 (over half the values equal) the z-score
     * is undefined; we then use the mean absolute deviation,
     * |x-med| / (1.253314 * meanAD), the usual substitute, so a lone far value is still
     * reported and near ties are not. */
    double med, scale, *dev;
    size_t k = 0;
    if (n < 5)
        return 0;
    med = bs_median(x, n);
    dev = bench_xmalloc(n * sizeof *dev);
    for (size_t i = 0; i < n; i++)
        dev[i] = fabs(x[i] - med);
    scale = bs_median(dev, n) / 0.6745;
    if (!(scale > 0))
        scale = 1.253314 * bs_mean(dev, n);
    if (scale > 0) {
        for (size_t i = 0; i < n; i++)
            if (dev[i] / scale > 3.5)
                out[k++] = i;
    }
    free(dev);
    return k;
}

typedef struct stats_ix {
    double v;
    size_t i;
} stats_ix;

static int
cmp_ix(const void *a, const void *b)
{
    const stats_ix *x = a, *y = b;
    if (x->v != y->v)
        return (x->v > y->v) - (x->v < y->v);
    return (x->i > y->i) - (x->i < y->i);
}

double
bs_spearman_order(const double *x, size_t n)
{
    /* Pearson correlation of the average ranks of x with the ranks 1..n of the order. */
    stats_ix *ix;
    double *rank, mr = ((double)n + 1) / 2, sxy = 0, sxx = 0, syy = 0;
    if (n < 2)
        return NAN;
    ix = bench_xmalloc(n * sizeof *ix);
    rank = bench_xmalloc(n * sizeof *rank);
    for (size_t i = 0; i < n; i++) {
        ix[i].v = x[i];
        ix[i].i = i;
    }
    qsort(ix, n, sizeof *ix, cmp_ix);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && ix[j + 1].v == ix[i].v)
            j++;
        for (size_t k = i; k <= j; k++)
            rank[ix[k].i] = ((double)i + (double)j) / 2 + 1;
        i = j + 1;
    }
    for (size_t i = 0; i < n; i++) {
        double dx = rank[i] - mr, dy = (double)(i + 1) - mr;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    free(ix);
    free(rank);
    if (!(sxx > 0))
        return NAN;
    return sxy / sqrt(sxx * syy);
}

void
bs_bootstrap_median_ci(const double *x, size_t n, unsigned resamples, bs_rng *r,
                       double *lo, double *hi)
{
    double *buf, *med;
    *lo = *hi = NAN;
    if (n < 5 || resamples == 0)
        return;
    buf = bench_xmalloc(n * sizeof *buf);
    med = bench_xmalloc(resamples * sizeof *med);
    for (unsigned k = 0; k < resamples; k++) {
        for (size_t i = 0; i < n; i++)
            buf[i] = x[bs_rng_below(r, n)];
        med[k] = median_inplace(buf, n);
    }
    qsort(med, resamples, sizeof *med, cmp_double);
    *lo = bs_quantile_sorted(med, resamples, 0.025);
    *hi = bs_quantile_sorted(med, resamples, 0.975);
    free(buf);
    free(med);
}

double
bs_geomean_ci(const double *ratio, size_t n, unsigned resamples, bs_rng *r, double *lo,
              double *hi)
{
    /* The geometric mean of a resample is exp of the mean of its logs: resample logs. */
    double *lg, *gm, sum = 0;
    *lo = *hi = NAN;
    if (n == 0)
        return NAN;
    lg = bench_xmalloc(n * sizeof *lg);
    for (size_t i = 0; i < n; i++) {
        if (!(ratio[i] > 0) || isinf(ratio[i])) {
            free(lg);
            return NAN;
        }
        lg[i] = log(ratio[i]);
        sum += lg[i];
    }
    if (n >= 5 && resamples > 0) {
        gm = bench_xmalloc(resamples * sizeof *gm);
        for (unsigned k = 0; k < resamples; k++) {
            double s = 0;
            for (size_t i = 0; i < n; i++)
                s += lg[bs_rng_below(r, n)];
            gm[k] = exp(s / (double)n);
        }
        qsort(gm, resamples, sizeof *gm, cmp_double);
        *lo = bs_quantile_sorted(gm, resamples, 0.025);
        *hi = bs_quantile_sorted(gm, resamples, 0.975);
        free(gm);
    }
    free(lg);
    return exp(sum / (double)n);
}

/* ---- Trends ---- */

void
bs_theil_sen(const double *x, const double *y, size_t n, double *slope, double *intercept,
             double *lo, double *hi)
{
    double *s, *res, C, m1, m2;
    size_t ns = 0;
    *slope = *intercept = *lo = *hi = NAN;
    if (n < 2)
        return;
    s = bench_xmalloc((n * (n - 1) / 2 + 1) * sizeof *s);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (x[j] != x[i])
                s[ns++] = (y[j] - y[i]) / (x[j] - x[i]);
    if (ns == 0) {
        free(s);
        return;
    }
    *slope = median_inplace(s, ns);
    res = bench_xmalloc(n * sizeof *res);
    for (size_t i = 0; i < n; i++)
        res[i] = y[i] - *slope * x[i];
    *intercept = median_inplace(res, n);
    free(res);
    if (n >= 5) {
        /* Sen's interval: ranks (N -+ z sqrt(Var S))/2 of the sorted slopes, with
         * Kendall's variance n(n-1)(2n+5)/18 (no tie correction); s is already sorted. */
        double dn = (double)n;
        C = 1.96 * sqrt(dn * (dn - 1) * (2 * dn + 5) / 18);
        m1 = round(((double)ns - C) / 2);
        m2 = round(((double)ns + C) / 2);
        if (m1 < 1)
            m1 = 1;
        if (m2 + 1 > (double)ns)
            m2 = (double)ns - 1;
        *lo = s[(size_t)m1 - 1];
        *hi = s[(size_t)m2];
    }
    free(s);
}

void
bs_ols(const double *x, const double *y, size_t n, double *a, double *b)
{
    double mx, my, sxy = 0, sxx = 0;
    *a = *b = NAN;
    if (n < 2)
        return;
    mx = bs_mean(x, n);
    my = bs_mean(y, n);
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
    }
    if (!(sxx > 0))
        return;
    *b = sxy / sxx;
    *a = my - *b * mx;
}

/* ---- Pareto set ---- */

static int
pareto_dominates(const double *t, const double *p, const double *r, size_t j, size_t i)
{
    if (!(t[j] >= t[i] && p[j] <= p[i] && r[j] <= r[i]))
        return 0;
    return t[j] > t[i] || p[j] < p[i] || r[j] < r[i];
}

void
bs_pareto(const double *throughput, const double *p99, const double *rss, size_t n,
          int *out)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = !isnan(throughput[i]) && !isnan(p99[i]) && !isnan(rss[i]);
        for (size_t j = 0; j < n && out[i]; j++)
            if (j != i && pareto_dominates(throughput, p99, rss, j, i))
                out[i] = 0;
    }
}

/* ---- LBO ---- */

int
bs_lbo(const double *cost, const double *pause, const int *feasible, size_t n,
       double *lbo)
{
    /* distilled = cost - pause; baseline = min distilled over feasible settings. NaN in
     * comparisons is false, so settings with missing data never supply the baseline. */
    int best = -1;
    double base = NAN;
    for (size_t i = 0; i < n; i++) {
        double d = cost[i] - pause[i];
        if (feasible && !feasible[i])
            continue;
        if (d > 0 && (best < 0 || d < base)) {
            base = d;
            best = (int)i;
        }
    }
    for (size_t i = 0; i < n; i++)
        lbo[i] = best < 0 ? NAN : cost[i] / base - 1;
    return best;
}
