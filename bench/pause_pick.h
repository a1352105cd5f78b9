/* Online choice of the per-pause event rows (results-and-reports.md 2.6.4), in memory
 * bounded by max_events whatever the number of pauses: the child keeps every pause only
 * as 16 bytes (2.6.1) and the detail of the candidates here.
 * Design: docs/design/measurement.md ("Pauses").
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_PAUSE_PICK_H
#define BENCH_PAUSE_PICK_H

#include <stddef.h>
#include <stdint.h>

#include "experiment.h"
#include "stats.h"

/* One pause with its detail, as an event row needs it. seq: its ordinal (set by
 * bench_pick_add). */
typedef struct bench_pause_rec {
    uint64_t t_ns, dur_ns;
    uint64_t examined, collected;
    uint64_t heap_before, heap_after;
    uint64_t uncollectable;
    uint64_t seq;
    uint8_t gen;
} bench_pause_rec;

enum { BENCH_KEPT_ALL = 1, BENCH_KEPT_TOP, BENCH_KEPT_OLDEST, BENCH_KEPT_RESERVOIR };

typedef struct bench_pick {
    uint32_t max_events, noldest_max, top_n, reservoir;
    bs_rng rng;
    bench_pause_rec *all;    /* the first max_events pauses: the rows while total fits */
    bench_pause_rec *oldest; /* the first max_events / 4 full collections */
    bench_pause_rec *top;    /* min-heap of the top_n longest others */
    bench_pause_rec *res;    /* Algorithm R over the others, top_n + reservoir slots */
    size_t nall, noldest, ntop, nres;
    size_t cap_all, cap_oldest, cap_top, cap_res; /* grown by doubling, up to the sizes */
    uint64_t seq, seen;      /* pauses offered; others offered to the reservoir */
} bench_pick;

/* A picked row: the pause and how it was kept (BENCH_KEPT_*). */
typedef struct bench_pick_row {
    bench_pause_rec p;
    int kept;
} bench_pick_row;

/* Sizes from m (max_events, top_n, reservoir); seed seeds the reservoir ("reservoir"). */
void bench_pick_init(bench_pick *k, const bench_measure *m, uint64_t seed);
void bench_pick_free(bench_pick *k);
/* Offer the next pause (in time order); a copy is kept if it may be picked. */
void bench_pick_add(bench_pick *k, const bench_pause_rec *p);
/* The rows, sorted by t_ns: every pause while there were at most max_events (policy
 * "all", *bounded = 0); else the oldest full collections, the top_n longest others and a
 * uniform sample of `reservoir` of the rest (*bounded = 1). Returns a malloc'd array of
 * *n rows; k is unchanged (the same rows each call). */
bench_pick_row *bench_pick_rows(const bench_pick *k, size_t *n, int *bounded);

#endif
