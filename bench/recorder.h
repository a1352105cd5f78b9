/* The measured child's recorder: libmm's hooks land here. It timestamps every pause,
 * keeps each as 16 bytes (up to a cap) with the histogram of all of them and the detail
 * of the candidate event rows, samples the heap time series and the arena map.
 * Contract: results-and-reports.md 2.5-2.8. Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_RECORDER_H
#define BENCH_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include <mm/mm.h>

#include "experiment.h"
#include "pause_pick.h"
#include "stats.h"

#define BENCH_PAUSE_CAP 8388608u
#define BENCH_TS_COLS 12

/* A pause as 2.6.1 keeps every one: start and duration, 16 bytes (the generation in the
 * duration word's low 2 bits). */
typedef struct bench_pause {
    uint64_t t_ns;
    uint64_t dur_gen; /* dur_ns << 2 | generation */
} bench_pause;

static inline uint64_t
bench_pause_dur(const bench_pause *p)
{
    return p->dur_gen >> 2;
}

typedef struct bench_arena_slot {
    uintptr_t addr;
    int mapped;
} bench_arena_slot;

typedef struct bench_recorder {
    mm_runtime *rt;
    const bench_measure *m;
    int active;            /* 1 during the measured phase */
    int in_gc;
    uint64_t t0;           /* CLOCK_MONOTONIC ns at measured start */
    uint64_t elapsed_ns;   /* length of the measured phase (set at stop) */
    uint64_t gc_start_ns;
    uint64_t heap_before;
    /* every pause of the measured phase (capped), their histogram and event candidates */
    bench_pause *pauses;
    size_t npauses, cap_pauses;
    uint64_t pause_total; /* including beyond the cap */
    uint64_t min_pause;   /* of all, including beyond the cap */
    bs_hist hist;         /* of all (2.6.3) */
    bench_pick pick;      /* the event rows' candidates (2.6.4) */
    uint64_t gen_count[3], gen_time[3], gen_examined[3], gen_collected[3], gen_uncoll[3];
    uint64_t max_pause;
    /* time series */
    uint64_t (*ts)[BENCH_TS_COLS];
    size_t nts, cap_ts;
    uint64_t interval_ns, last_sample_ns;
    uint32_t decimations;
    uint64_t sampler_ns;
    double ns_per_object;  /* measured cost of a sample per live object */
    uint64_t rss_max;
    /* baselines of cumulative counters at measured start */
    uint64_t base_allocs, base_bytes, base_rc, base_gc;
    /* arena map */
    bench_arena_slot *arenas;
    size_t narenas, cap_arenas;
    int32_t **amap;        /* snapshots: per arena slot, used %, -1 unmapped */
    size_t *amap_len;
    uint64_t *amap_t;
    size_t namap;
    uint64_t amap_interval, amap_last;
    uint32_t amap_decimations;
} bench_recorder;

uint64_t bench_now_ns(void);
uint64_t bench_cpu_ns(void);
/* Resident bytes from /proc/self/statm. */
uint64_t bench_rss_bytes(void);

/* seed: the run's workload seed (it seeds the event reservoir). rt may be NULL for a
 * recorder fed by hand (bench_recorder_add_pause). */
void bench_recorder_init(bench_recorder *r, mm_runtime *rt, const bench_measure *m,
                         uint64_t seed);
void bench_recorder_free(bench_recorder *r);
/* Record one pause of the measured phase (the gc_stop hook's work; tests feed it). */
void bench_recorder_add_pause(bench_recorder *r, const bench_pause_rec *p);
/* The hook table to install (arg = r). */
void bench_recorder_hooks(bench_recorder *r, mm_hooks *out);
/* Start the measured phase: reset the record and take the first sample. */
void bench_recorder_start(bench_recorder *r);
/* End it: take a last sample. */
void bench_recorder_stop(bench_recorder *r);

#endif
