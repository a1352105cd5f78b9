/* The measured child's reduction: recorder + counters -> the run object of 2.4-2.8.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_RUN_JSON_H
#define BENCH_RUN_JSON_H

#include <jansson.h>

#include "recorder.h"

/* pauses (2.6) and mmu (2.7); new references. T is the measured wall time
 * (metrics.wall_ns); pause time outside [0, T] does not count. */
json_t *bench_pauses_json(const bench_recorder *r);
json_t *bench_mmu_json(const bench_recorder *r, uint64_t T);
/* timeseries (2.8), arena_map (2.8, or JSON null), size_classes and pools (2.4). */
json_t *bench_timeseries_json(const bench_recorder *r);
json_t *bench_arena_map_json(const bench_recorder *r);
/* The first request-size bucket (16 bytes each) above the small-request threshold: for
 * the pooled backends the runtime's own number of size classes (so a run reports the
 * threshold its allocator really used: 16 at 256 bytes, 32 at 512), else 32. */
unsigned bench_large_bucket(const mm_alloc_stats *after, mm_alloc_kind kind);
/* Rows per request-size bucket up to the threshold, then one "large" row from
 * threshold + 1 bytes (buckets large_from.. summed). */
json_t *bench_size_classes_json(const mm_alloc_stats *before, const mm_alloc_stats *after,
                                unsigned large_from);
json_t *bench_pools_json(const mm_alloc_stats *before, const mm_alloc_stats *after,
                         mm_alloc_kind kind);

#include <sys/resource.h>

typedef struct bench_child_inputs {
    const bench_experiment *e;
    const bench_recorder *rec;
    const char *resolved;
    json_t *warmups, *values;
    const struct rusage *ru0, *ru1;
    const mm_stats *st0, *st1;
    const mm_alloc_stats *as0, *as1;
    int rss_scope_process;
    uint64_t wall_ns; /* sum of the measured values' wall time */
} bench_child_inputs;

/* {"resolved": ..., "run": {cpu, warmups, values, metrics, pauses, mmu, size_classes,
 * pools, timeseries, arena_map}}: what the child sends; the parent adds the rest. */
json_t *bench_child_run_json(const bench_child_inputs *in);

/* Entry of the measured child: `mmbench __child SPEC_JSON`. Writes the run object to
 * stdout; exit 0, or 3 (allocator mismatch), 20 (heap budget hit), 21 (out of memory),
 * 1 (other error, message on stderr). */
int bench_child_main(int argc, char **argv);

#define BENCH_CHILD_EXIT_ALLOC 3
#define BENCH_CHILD_EXIT_LIMIT 20
#define BENCH_CHILD_EXIT_OOM 21

#endif
