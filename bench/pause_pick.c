/* Online event-row choice (2.6.4): the first max_events pauses whole, the oldest full
 * collections, a heap of the longest others and a reservoir over all others; the rows
 * are decided at the end. Design: docs/design/measurement.md ("Pauses").
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "pause_pick.h"
#include "util.h"

void
bench_pick_init(bench_pick *k, const bench_measure *m, uint64_t seed)
{
    memset(k, 0, sizeof *k);
    k->max_events = m->max_events;
    k->noldest_max = m->max_events / 4;
    k->top_n = m->top_n;
    k->reservoir = m->reservoir;
    bs_rng_seed(&k->rng, seed, "reservoir");
}

/* Room for entry n of *arr (capacity *cap): the arrays grow with the pauses, so a run
 * with few of them holds little whatever max_events says. */
static void
room(bench_pause_rec **arr, size_t *cap, size_t n)
{
    if (n < *cap)
        return;
    *cap = *cap ? 2 * *cap : 64;
    *arr = bench_xrealloc(*arr, *cap * sizeof **arr);
}

void
bench_pick_free(bench_pick *k)
{
    free(k->all);
    free(k->oldest);
    free(k->top);
    free(k->res);
    memset(k, 0, sizeof *k);
}

/* The heap's order: a is "smaller" (nearer the root, evicted first) when shorter, or as
 * long and later, so among equal durations the earliest pauses stay. */
static int
shorter(const bench_pause_rec *a, const bench_pause_rec *b)
{
    return a->dur_ns < b->dur_ns || (a->dur_ns == b->dur_ns && a->seq > b->seq);
}

static void
sift_down(bench_pause_rec *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        bench_pause_rec t;
        if (l < n && shorter(&h[l], &h[m]))
            m = l;
        if (r < n && shorter(&h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void
top_offer(bench_pick *k, const bench_pause_rec *p)
{
    size_t i;
    if (k->ntop < k->top_n) {
        room(&k->top, &k->cap_top, k->ntop);
        i = k->ntop++;
        k->top[i] = *p;
        while (i > 0 && shorter(&k->top[i], &k->top[(i - 1) / 2])) {
            bench_pause_rec t = k->top[i];
            k->top[i] = k->top[(i - 1) / 2];
            k->top[(i - 1) / 2] = t;
            i = (i - 1) / 2;
        }
    } else if (k->top_n && shorter(&k->top[0], p)) {
        k->top[0] = *p;
        sift_down(k->top, k->ntop, 0);
    }
}

/* Algorithm R with top_n + reservoir slots: a uniform sample of all others, so that
 * after the longest are taken out at least `reservoir` of the rest remain. */
static void
res_offer(bench_pick *k, const bench_pause_rec *p)
{
    size_t slots = (size_t)k->top_n + k->reservoir;
    if (k->nres < slots) {
        room(&k->res, &k->cap_res, k->nres);
        k->res[k->nres++] = *p;
    } else if (slots) {
        uint64_t j = bs_rng_below(&k->rng, k->seen + 1);
        if (j < slots)
            k->res[j] = *p;
    }
    k->seen++;
}

void
bench_pick_add(bench_pick *k, const bench_pause_rec *p)
{
    bench_pause_rec q = *p;
    q.seq = k->seq++;
    if (k->nall < k->max_events) {
        room(&k->all, &k->cap_all, k->nall);
        k->all[k->nall++] = q;
    }
    if (q.gen == 2 && k->noldest < k->noldest_max) {
        room(&k->oldest, &k->cap_oldest, k->noldest);
        k->oldest[k->noldest++] = q;
        return;
    }
    top_offer(k, &q);
    res_offer(k, &q);
}

static int
in_top(const bench_pick *k, uint64_t seq)
{
    for (size_t i = 0; i < k->ntop; i++)
        if (k->top[i].seq == seq)
            return 1;
    return 0;
}

static int
cmp_time(const void *a, const void *b)
{
    const bench_pause_rec *x = &((const bench_pick_row *)a)->p;
    const bench_pause_rec *y = &((const bench_pick_row *)b)->p;
    if (x->t_ns != y->t_ns)
        return x->t_ns < y->t_ns ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The sample's members that are not among the longest, cut to `reservoir` uniformly
 * (a partial Fisher-Yates shuffle, on a copy of the stream): a uniform subset of the
 * rest. */
static size_t
rest_sample(const bench_pick *k, bench_pick_row *rows, size_t n)
{
    bs_rng rng = k->rng;
    size_t m = 0, first = n;
    for (size_t i = 0; i < k->nres; i++)
        if (!in_top(k, k->res[i].seq))
            rows[first + m++] = (bench_pick_row){ k->res[i], BENCH_KEPT_RESERVOIR };
    for (size_t i = 0; i < m && i < k->reservoir; i++) {
        size_t j = i + (size_t)bs_rng_below(&rng, m - i);
        bench_pick_row t = rows[first + i];
        rows[first + i] = rows[first + j];
        rows[first + j] = t;
        n++;
    }
    return n;
}

bench_pick_row *
bench_pick_rows(const bench_pick *k, size_t *n, int *bounded)
{
    size_t cap = k->nall + k->noldest + k->ntop + k->nres + 1, m = 0;
    bench_pick_row *rows = bench_xmalloc(cap * sizeof *rows);
    *bounded = k->seq > k->max_events;
    if (!*bounded) {
        for (size_t i = 0; i < k->nall; i++)
            rows[m++] = (bench_pick_row){ k->all[i], BENCH_KEPT_ALL };
    } else {
        for (size_t i = 0; i < k->noldest; i++)
            rows[m++] = (bench_pick_row){ k->oldest[i], BENCH_KEPT_OLDEST };
        for (size_t i = 0; i < k->ntop; i++)
            rows[m++] = (bench_pick_row){ k->top[i], BENCH_KEPT_TOP };
        m = rest_sample(k, rows, m);
        qsort(rows, m, sizeof *rows, cmp_time);
    }
    *n = m;
    return rows;
}
