/* bench/'s two-sample comparison: Student t (computed from the regularized incomplete
 * beta), Welch on logs, Mann-Whitney U, verdicts and Holm's adjustment. Contract:
 * stats.h and ../shared/spec/results-and-reports.md sections 3 and 4.2-4.5.
 * Design: docs/design/measurement.md ("Comparing").
 * SPDX-License-Identifier: MIT */
#include "stats.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CMP_SQRT2 1.41421356237309504880
/* Above this df the t distribution is replaced by a corrected normal (error O(1/df^2)),
 * because the incomplete beta continued fraction needs O(sqrt(df)) terms. */
#define CMP_DF_NORMAL 1e6

/* ---- Student t ---- */

/* Continued fraction of I_x(a, b) (modified Lentz), valid for x < (a+1)/(a+b+2). */
static double
cmp_beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-16;
    double c = 1, d = 1 - (a + b) * x / (a + 1), f;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    f = d;
    for (int m = 1; m <= 200000; m++) {
        double dm = m, num, delta;
        /* even term d_{2m} */
        num = dm * (b - dm) * x / ((a + 2 * dm - 1) * (a + 2 * dm));
        d = 1 + num * d;
        c = 1 + num / c;
        d = fabs(d) < tiny ? 1 / tiny : 1 / d;
        if (fabs(c) < tiny)
            c = tiny;
        f *= d * c;
        /* odd term d_{2m+1} */
        num = -(a + dm) * (a + b + dm) * x / ((a + 2 * dm) * (a + 2 * dm + 1));
        d = 1 + num * d;
        c = 1 + num / c;
        d = fabs(d) < tiny ? 1 / tiny : 1 / d;
        if (fabs(c) < tiny)
            c = tiny;
        delta = d * c;
        f *= delta;
        if (fabs(delta - 1) < eps)
            break;
    }
    return f;
}

/* Regularized incomplete beta I_x(a, b); y = 1 - x is passed separately for accuracy. */
static double
cmp_ibeta(double a, double b, double x, double y)
{
    double lfront;
    if (x <= 0)
        return 0;
    if (y <= 0)
        return 1;
    lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(y);
    if (x < (a + 1) / (a + b + 2))
        return exp(lfront) * cmp_beta_cf(a, b, x) / a;
    return 1 - exp(lfront) * cmp_beta_cf(b, a, y) / b;
}

/* P(|T| > |t|) for Student t with df degrees of freedom. */
static double
cmp_t_tail2(double t, double df)
{
    double t2 = t * t;
    if (isnan(t) || isnan(df) || df <= 0)
        return NAN;
    if (isinf(t))
        return 0;
    if (df > CMP_DF_NORMAL) {
        double z = fabs(t) * (1 - 1 / (4 * df)) / sqrt(1 + t2 / (2 * df));
        return erfc(z / CMP_SQRT2);
    }
    return cmp_ibeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

double
bs_norm_cdf(double z)
{
    return 0.5 * erfc(-z / CMP_SQRT2);
}

double
bs_t_cdf(double t, double df)
{
    double half = cmp_t_tail2(t, df) / 2;
    return t > 0 ? 1 - half : half;
}

double
bs_t_quantile(double p, double df)
{
    /* Bisection on the upper tail: find t >= 0 with P(T > t) = 1 - p. */
    double target, lo = 0, hi = 1;
    if (isnan(p) || isnan(df) || df <= 0)
        return NAN;
    if (p <= 0)
        return -INFINITY;
    if (p >= 1)
        return INFINITY;
    if (p < 0.5)
        return -bs_t_quantile(1 - p, df);
    if (p == 0.5)
        return 0;
    target = 2 * (1 - p); /* two-sided tail at t */
    while (cmp_t_tail2(hi, df) > target) {
        lo = hi;
        hi *= 2;
        if (hi > 1e300)
            return INFINITY;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
        double mid = lo + (hi - lo) / 2;
        if (cmp_t_tail2(mid, df) > target)
            lo = mid;
        else
            hi = mid;
    }
    return lo + (hi - lo) / 2;
}

/* ---- Welch on logs ---- */

/* Mean and sample variance of ln(v); -1 when a value is not strictly positive and
 * finite. */
static int
cmp_log_moments(const double *v, size_t n, double *mean, double *var)
{
    double s = 0, ss = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(v[i] > 0) || isinf(v[i]))
            return -1;
        s += log(v[i]);
    }
    *mean = s / (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = log(v[i]) - *mean;
        ss += d * d;
    }
    *var = ss / (double)(n - 1);
    return 0;
}

int
bs_welch_log(const double *b, size_t nb, const double *c, size_t nc, bs_welch *out)
{
    /* On -1 out->ratio is still set when both samples are valid but have zero variance
     * (deterministic metrics, 4.4), so the caller can tell equal from unequal. */
    double mb, vb, mc, vc, d, qb, qc, se2, se, tq;
    out->ratio = out->lo = out->hi = out->t = out->df = out->p = NAN;
    if (nb < 2 || nc < 2)
        return -1;
    if (cmp_log_moments(b, nb, &mb, &vb) || cmp_log_moments(c, nc, &mc, &vc))
        return -1;
    d = mc - mb;
    out->ratio = exp(d);
    if (vb == 0 && vc == 0)
        return -1;
    qb = vb / (double)nb;
    qc = vc / (double)nc;
    se2 = qb + qc;
    se = sqrt(se2);
    out->df = se2 * se2 / (qb * qb / (double)(nb - 1) + qc * qc / (double)(nc - 1));
    tq = bs_t_quantile(0.975, out->df);
    out->lo = exp(d - tq * se);
    out->hi = exp(d + tq * se);
    out->t = d / se;
    out->p = cmp_t_tail2(out->t, out->df);
    return 0;
}

/* ---- Mann-Whitney U ---- */

typedef struct cmp_obs {
    double v;
    int cand; /* 1 for the candidate sample */
} cmp_obs;

static int
cmp_obs_order(const void *a, const void *b)
{
    const cmp_obs *x = a, *y = b;
    return (x->v > y->v) - (x->v < y->v);
}

/* Exact two-sided p of the candidate's rank sum: r2 holds the doubled mid-ranks of all
 * N = nb + nc values (integers; tied values share theirs) and w2 the candidate's
 * doubled sum. Counts the nc-subsets of r2 by sum, by dynamic programming: the exact
 * conditional test when there are ties, the classic one without. */
static double
cmp_mwu_exact(const size_t *r2, size_t N, size_t nc, size_t w2)
{
    size_t maxsum = 0;
    double *cnt, total = 0, le = 0, ge = 0, p;
    for (size_t k = 0; k < N; k++)
        maxsum += r2[k];
    /* cnt[j * (maxsum + 1) + s]: ways to pick j of the ranks seen so far summing to s */
    cnt = bench_xcalloc((nc + 1) * (maxsum + 1), sizeof *cnt);
    cnt[0] = 1;
    for (size_t k = 0; k < N; k++)
        for (size_t j = (k + 1 < nc ? k + 1 : nc); j >= 1; j--)
            for (size_t s = maxsum; s >= r2[k]; s--)
                cnt[j * (maxsum + 1) + s] += cnt[(j - 1) * (maxsum + 1) + s - r2[k]];
    for (size_t s = 0; s <= maxsum; s++) {
        double w = cnt[nc * (maxsum + 1) + s];
        total += w;
        if (s <= w2)
            le += w;
        if (s >= w2)
            ge += w;
    }
    free(cnt);
    p = 2 * (le < ge ? le : ge) / total;
    return p < 1 ? p : 1;
}

void
bs_mann_whitney(const double *b, size_t nb, const double *c, size_t nc, double *U,
                double *p)
{
    size_t N = nb + nc, *r2, w2 = 0;
    cmp_obs *o;
    double ties = 0, mu, var, z;
    *U = *p = NAN;
    if (nb == 0 || nc == 0)
        return;
    o = bench_xmalloc(N * sizeof *o);
    for (size_t i = 0; i < N; i++) {
        o[i].cand = i >= nb;
        o[i].v = i < nb ? b[i] : c[i - nb];
        if (isnan(o[i].v)) {
            free(o);
            return;
        }
    }
    qsort(o, N, sizeof *o, cmp_obs_order);
    r2 = bench_xmalloc(N * sizeof *r2);
    for (size_t i = 0; i < N;) {
        size_t j = i;
        double t;
        while (j + 1 < N && o[j + 1].v == o[i].v)
            j++;
        for (size_t k = i; k <= j; k++) {
            r2[k] = i + j + 2; /* twice the mid-rank (i + j) / 2 + 1 */
            if (o[k].cand)
                w2 += r2[k];
        }
        t = (double)(j - i + 1);
        ties += t * t * t - t;
        i = j + 1;
    }
    free(o);
    *U = (double)w2 / 2 - (double)nc * ((double)nc + 1) / 2;
    if (nb <= 20 && nc <= 20) {
        *p = cmp_mwu_exact(r2, N, nc, w2);
        free(r2);
        return;
    }
    free(r2);
    mu = (double)nb * (double)nc / 2;
    var = (double)nb * (double)nc / 12 *
          (((double)N + 1) - ties / ((double)N * ((double)N - 1)));
    if (!(var > 0)) {
        *p = 1;
        return;
    }
    z = (fabs(*U - mu) - 0.5) / sqrt(var);
    if (z < 0)
        z = 0;
    *p = erfc(z / CMP_SQRT2);
    if (*p > 1)
        *p = 1;
}

/* ---- Verdicts ---- */

const char *
bs_verdict_name(bs_verdict v)
{
    switch (v) {
    case BS_INSUFFICIENT: return "insufficient-data";
    case BS_NOT_COMPARABLE: return "not-comparable";
    case BS_BETTER: return "better";
    case BS_WORSE: return "worse";
    case BS_NEGLIGIBLE: return "negligible";
    case BS_NO_DIFFERENCE: return "no-difference";
    case BS_INCONCLUSIVE: return "inconclusive";
    }
    return "unknown";
}

bs_verdict
bs_verdict_of(double r, double lo, double hi, double delta, int lower_is_better,
              size_t nb, size_t nc)
{
    /* First match of the 4.4 table; host compatibility is the caller's
     * (not-comparable). */
    double band_lo, band_hi;
    if (nb < 5 || nc < 5 || isnan(r) || isnan(lo) || isnan(hi) || isnan(delta) ||
        delta < 0)
        return BS_INSUFFICIENT;
    band_lo = 1 / (1 + delta);
    band_hi = 1 + delta;
    if (lo > 1 || hi < 1) {
        if (r >= band_lo && r <= band_hi)
            return BS_NEGLIGIBLE;
        return (r < 1) == (lower_is_better != 0) ? BS_BETTER : BS_WORSE;
    }
    if (lo >= band_lo && hi <= band_hi)
        return BS_NO_DIFFERENCE;
    return BS_INCONCLUSIVE;
}

uint64_t
bs_runs_needed(double sd_log, double delta)
{
    double v;
    if (!(sd_log > 0) || !(delta > 0))
        return 0;
    v = 2 * 1.96 * sd_log / log1p(delta);
    v = ceil(v * v);
    if (!(v < 18446744073709551615.0))
        return UINT64_MAX;
    return (uint64_t)v;
}

/* ---- Holm ---- */

typedef struct cmp_pix {
    double p;
    size_t i;
} cmp_pix;

static int
cmp_pix_order(const void *a, const void *b)
{
    const cmp_pix *x = a, *y = b;
    if (x->p != y->p)
        return (x->p > y->p) - (x->p < y->p);
    return (x->i > y->i) - (x->i < y->i);
}

void
bs_holm(const double *p, size_t n, double *adj)
{
    /* Step-down: the k-th smallest of m valid p (0-based) becomes max over j <= k of
     * min(1, (m - j) p_(j)). */
    cmp_pix *v = bench_xmalloc((n ? n : 1) * sizeof *v);
    size_t m = 0;
    double run = 0;
    for (size_t i = 0; i < n; i++) {
        adj[i] = NAN;
        if (!isnan(p[i])) {
            v[m].p = p[i];
            v[m].i = i;
            m++;
        }
    }
    qsort(v, m, sizeof *v, cmp_pix_order);
    for (size_t k = 0; k < m; k++) {
        double a = (double)(m - k) * v[k].p;
        if (a > 1)
            a = 1;
        if (a > run)
            run = a;
        adj[v[k].i] = run;
    }
    free(v);
}

/* ---- Paired comparison (4.3) ---- */

/* Two-sided p of the Wilcoxon signed-rank statistic of d[0..n) (zeros dropped). Tied
 * |d| share their mid-rank. For n <= 25 the exact distribution of the statistic over
 * all 2^n sign patterns, given those ranks (doubled, they are integers): with ties
 * this is the exact conditional test, without them the classic table. Beyond, the
 * normal approximation with the tie-corrected variance. */
double
bs_signed_rank_p(const double *d, size_t n)
{
    double *a = bench_xmalloc((n + 1) * sizeof *a), mean, var, tiesum = 0;
    size_t *r2 = bench_xmalloc((n + 1) * sizeof *r2); /* doubled mid-ranks */
    size_t m = 0, w2 = 0, max = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i] != 0)
            a[m++] = d[i];
    for (size_t i = 0; i < m; i++) {
        size_t below = 0, same = 0;
        for (size_t k = 0; k < m; k++) {
            below += fabs(a[k]) < fabs(a[i]);
            same += k != i && fabs(a[k]) == fabs(a[i]);
        }
        r2[i] = 2 * (below + 1) + same;
        tiesum += (double)((same + 1) * (same + 1) - 1);
        max += r2[i];
        if (a[i] > 0)
            w2 += r2[i];
    }
    free(a);
    if (!m) {
        free(r2);
        return 1;
    }
    if (m <= 25) {
        double *cnt = bench_xcalloc(max + 1, sizeof *cnt), below = 0, above = 0;
        cnt[0] = 1;
        for (size_t k = 0; k < m; k++)
            for (size_t s = max; s >= r2[k]; s--)
                cnt[s] += cnt[s - r2[k]];
        for (size_t s = 0; s <= max; s++) {
            below += s <= w2 ? cnt[s] : 0;
            above += s >= w2 ? cnt[s] : 0;
        }
        free(cnt);
        free(r2);
        return fmin(1, 2 * fmin(below, above) / ldexp(1.0, (int)m));
    }
    free(r2);
    mean = (double)m * (double)(m + 1) / 4;
    var = (double)m * (double)(m + 1) * (double)(2 * m + 1) / 24 - tiesum / 48;
    return 2 * (1 - bs_norm_cdf((fabs((double)w2 / 2 - mean) - 0.5) / sqrt(var)));
}
