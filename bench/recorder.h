/* The measured child's recorder: libmm's hooks land here. It timestamps every pause,
 * keeps every pause record (up to a cap), samples the heap time series and the arena map.
 * Contract: results-and-reports.md 2.5-2.8. Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_RECORDER_H
#define BENCH_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include <mm/mm.h>

#include "experiment.h"

#define BENCH_PAUSE_CAP 8388608u
#define BENCH_TS_COLS 12

typedef struct bench_pause_rec {
    uint64_t t_ns, dur_ns;
    uint64_t examined, collected;
    uint64_t heap_before, heap_after;
    uint32_t uncollectable;
    uint8_t gen;
} bench_pause_rec;

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
    /* every pause of the measured phase (capped) */
    bench_pause_rec *pauses;
    size_t npauses, cap_pauses;
    uint64_t pause_total; /* including beyond the cap */
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

void bench_recorder_init(bench_recorder *r, mm_runtime *rt, const bench_measure *m);
void bench_recorder_free(bench_recorder *r);
/* The hook table to install (arg = r). */
void bench_recorder_hooks(bench_recorder *r, mm_hooks *out);
/* Start the measured phase: reset the record and take the first sample. */
void bench_recorder_start(bench_recorder *r);
/* End it: take a last sample. */
void bench_recorder_stop(bench_recorder *r);

#endif
