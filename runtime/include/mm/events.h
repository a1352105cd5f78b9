/* The hook table: how the runtime tells its embedder what happens (collections and
 * their phases, arenas, samples). Design: docs/design/gc.md ("Stats and hooks").
 * SPDX-License-Identifier: MIT */
#ifndef MM_EVENTS_H
#define MM_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "mm/object.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mm_gc_trigger {
    MM_GC_TRIGGER_AUTO = 0,  /* threshold crossed */
    MM_GC_TRIGGER_EXPLICIT,  /* mm_gc_collect */
    MM_GC_TRIGGER_EMERGENCY, /* allocation failed */
    MM_GC_TRIGGER_HEAP_LIMIT /* marksweep heap limit */
} mm_gc_trigger;

typedef enum mm_gc_phase {
    MM_GC_PHASE_UPDATE_REFS = 0, /* update + subtract refs (mark, for marksweep) */
    MM_GC_PHASE_MOVE_UNREACHABLE,
    MM_GC_PHASE_UNTRACK,
    MM_GC_PHASE_WEAKREFS,
    MM_GC_PHASE_FINALIZERS,
    MM_GC_PHASE_RESURRECTION,
    MM_GC_PHASE_DELETE,
    MM_GC_PHASE_FREELISTS,
    MM_GC_PHASE_COUNT
} mm_gc_phase;

/* One collection. At gc_start only the "before" fields are set. */
typedef struct mm_gc_event {
    int generation;
    mm_gc_trigger trigger;
    uint64_t seq;                  /* 1, 2, ... per runtime */
    int64_t count_before[3];       /* get_count() before the reset */
    size_t size_before[3];         /* lengths of the collected generations (known at
                                    * gc_stop); SIZE_MAX for older ones, which are not
                                    * walked (mm_gc_get_sizes has them) */
    size_t long_lived_total_before;
    size_t long_lived_pending_before;
    uint64_t examined;             /* objects in the collected generations */
    uint64_t collected;            /* m, as CPython counts it */
    uint64_t uncollectable;        /* n */
    uint64_t promoted;             /* survivors moved to an older generation */
    uint64_t finalizers_run;
    uint64_t resurrected;
    uint64_t freed_in_finalization; /* freed by refcount while finalizers ran
                                     * (not in m) */
    uint64_t weakref_callbacks;
    uint64_t traverse_visits;
    size_t size_after[3];          /* collected generations after the collection
                                    * (generation 2 of a full one: SIZE_MAX) */
} mm_gc_event;

/* The runtime never reads a clock: bench/ timestamps these events. A hook may call
 * read-only getters that do not allocate (mm_stats_get, mm_alloc_stats_get,
 * mm_alloc_visit_arenas, mm_gc_get_*, except mm_gc_get_bytes between gc_start and
 * gc_stop); it must never allocate or change the runtime. ev is valid during the call. */
typedef struct mm_hooks {
    void (*gc_start)(void *arg, const mm_gc_event *ev);
    void (*gc_stop)(void *arg, const mm_gc_event *ev);
    void (*gc_phase)(void *arg, mm_gc_phase phase);
    /* mapped = 1 when an arena was obtained from the OS, 0 when returned. */
    void (*arena)(void *arg, int mapped, uintptr_t addr, size_t nbytes);
    /* every cfg.sample_every allocations */
    void (*sample)(void *arg, mm_runtime *rt);
    void *arg;
} mm_hooks;

/* Install the hook table (copied: *hooks need not outlive the call); NULL removes every
 * hook. A no-op when libmm was built without hooks (mm_hooks_available() == 0). */
MM_API void mm_hooks_set(mm_runtime *rt, const mm_hooks *hooks);
/* Whether this libmm was built with hooks (meson -Dhooks=true).
 * Returns: 1 if so, else 0.
 * Errors:  none. */
MM_API int mm_hooks_available(void);

#ifdef __cplusplus
}
#endif
#endif
