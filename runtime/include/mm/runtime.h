/* mm_runtime: one heap, its configuration, errors and counters.
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#ifndef MM_RUNTIME_H
#define MM_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "mm/features.h"

#if defined(MMI_BUILDING_RUNTIME) && defined(__GNUC__)
#define MM_API __attribute__((visibility("default")))
#else
#define MM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mm_runtime mm_runtime;
typedef struct mm_object mm_object;

/* ---- Error codes ---- */
enum {
    MM_OK = 0,
    MM_ENOMEM = -1,     /* out of memory (after one emergency collection) */
    MM_EINVAL = -2,     /* invalid argument or configuration */
    MM_ETYPE = -3,      /* object of the wrong type */
    MM_EINDEX = -4,     /* index out of range */
    MM_EKEY = -5,       /* key not found */
    MM_EMISUSE = -6,    /* API misuse detected (reported through the error hook) */
    MM_EPOISONED = -7,  /* an internal assertion failed: see "A poisoned runtime" below */
    MM_ESTATE = -8,     /* operation not valid in the current state
                         * (e.g. finished generator) */
    MM_ENOTSUP = -9,    /* feature not built in (e.g. an allocator backend) */
    MM_ESTOP = -10,     /* generator exhausted (like StopIteration) */
};

/* A poisoned runtime. A failed internal assertion (debug builds) is reported once to the
 * error hook as MM_EPOISONED and poisons the runtime: its heap can no longer be trusted,
 * so it refuses further work and only lets the caller clean up. Every later call that
 * can fail refuses, changes nothing and records MM_EPOISONED (mm_errmsg quotes the first
 * report; the hook is not called again):
 * - constructors return NULL or MM_EPOISONED: mm_int_new (outside the small-int
 *   cache), mm_float_new, mm_str_new, mm_str_intern, mm_tuple_pack (n > 0),
 *   mm_list_new, mm_dict_new, mm_class_new, mm_instance_new, mm_gen_new,
 *   mm_weakref_new, mm_copy, mm_deepcopy, mm_mem_alloc (a constructor that checks its
 *   arguments before it allocates may report MM_EINVAL first: it fails either way);
 * - every container change: mm_list_append, mm_list_set_steal, mm_list_remove,
 *   mm_list_pop, mm_list_clear, mm_dict_set, mm_dict_del, mm_instance_set_slot_steal,
 *   mm_instance_setattr, mm_instance_delattr, and mm_instance_getattr (it interns the
 *   name); the _steal calls still release what they steal;
 * - generators: mm_gen_send, mm_gen_next, mm_gen_throw, mm_gen_close;
 * - the collector: mm_gc_collect, mm_gc_safepoint, mm_gc_set_threshold, mm_root_add,
 *   mm_root_push, mm_runtime_check; the calls without a status (mm_gc_enable,
 *   mm_gc_disable, mm_gc_set_debug, mm_gc_freeze, mm_gc_unfreeze, mm_gc_garbage_clear)
 *   do nothing and record MM_EPOISONED. No automatic or emergency collection runs.
 * What still works is what lets a caller unwind and observe:
 * - releasing: mm_decref and its family (deallocation runs finalizers and weakref
 *   callbacks as usual; what they try to allocate is refused), mm_mem_free, mm_root_pop,
 *   mm_root_remove, mm_hooks_set, mm_runtime_destroy (frees everything, as always);
 * - mm_incref and the getters that hand out an object that already exists (a new
 *   reference is only an incref): mm_none, mm_int_new of a cached small int,
 *   mm_tuple_pack of 0 items, mm_list_get, mm_tuple_get, mm_dict_get,
 *   mm_dict_next_borrow, mm_instance_get_slot, mm_weakref_get, mm_gc_garbage_borrow;
 * - every read-only call (values, lengths, type names, refcounts, mm_errmsg, stats, the
 *   mm_gc_get_* family, mm_alloc_stats_get) and mm_stats_reset_peaks.
 * Refusing costs the hot paths nothing: allocation, incref/decref and collection run the
 * same instructions as before (docs/design/reliability.md, "Poisoning"). */

/* Description of an error code.
 * Returns: a static string, never NULL ("unknown error" for a code not listed above). */
MM_API const char *mm_strerror(int code);

/* ---- Configuration ---- */
typedef enum mm_alloc_kind {
    MM_ALLOC_POOL = 0,  /* pymalloc-style pools and arenas (default) */
    MM_ALLOC_MALLOC,    /* system malloc (or whatever LD_PRELOAD put in its place) */
    MM_ALLOC_PRIVATE,   /* Python-2-style private pools per type */
    MM_ALLOC_MIMALLOC,  /* malloc backend, with mimalloc preloaded by the harness */
    MM_ALLOC_JEMALLOC,  /* malloc backend, with jemalloc preloaded by the harness */
} mm_alloc_kind;

typedef enum mm_gc_policy {
    MM_GC_CPYTHON311 = 0, /* default and reference */
    MM_GC_CPYTHON313,     /* threshold0 2000, collections at safepoints */
    MM_GC_NONE,           /* refcounting only: cycles leak */
    MM_GC_FULL,           /* every collection is a full one */
    MM_GC_MARKSWEEP,      /* root-tracing mark-sweep triggered by a heap limit */
} mm_gc_policy;

/* Error hook: called on detected API misuse and failed internal assertions.
 * text is valid only during the call. file/line name the runtime source. */
typedef void (*mm_error_fn)(void *arg, int code, const char *file, int line,
                            const char *text);

/* Caller-allocated; fill with mm_config_default() then change fields. */
typedef struct mm_config {
    mm_alloc_kind alloc;
    mm_gc_policy gc;
    uint32_t threshold[3];       /* GC thresholds; 0 = policy default */
    int freelists;               /* 1: CPython 3.11 per-type free lists (default) */
    size_t small_threshold;      /* pool allocator small-request threshold: 512 or 256 */
    size_t pool_size;            /* 16384 (default) or 4096 */
    size_t arena_size;           /* 1 MiB (default) or 256 KiB */
    size_t marksweep_heap_limit; /* marksweep: collect when live bytes exceed this */
    size_t sample_every;         /* sample hook every N allocations (0 = never) */
    size_t heap_budget;          /* live bytes the allocator may hand out (0 = no limit):
                                  * a request beyond it fails with MM_ENOMEM after one
                                  * emergency collection, and mm_alloc_budget_exceeded()
                                  * says so (mmbench --mem-limit) */
    mm_error_fn on_error;        /* NULL: errors are only recorded (mm_errmsg) */
    void *error_arg;
} mm_config;

/* Fills cfg with the defaults: pool allocator, cpython311, free lists on, 512-byte small
 * threshold, 16 KiB pools, 1 MiB arenas, 64 MiB marksweep heap limit; every other field
 * 0 or NULL: thresholds 0 (the policy's, (700,10,10) for cpython311), no heap budget, no
 * sampling, no error hook. */
MM_API void mm_config_default(mm_config *cfg);

/* The name of an allocator backend on the command line and in result files ("pool",
 * "malloc", "private", "mimalloc", "jemalloc").
 * Returns: a static string, or NULL for an unknown value. */
MM_API const char *mm_alloc_kind_name(mm_alloc_kind kind);
/* The name of a GC policy ("cpython311", "cpython313", "none", "full", "marksweep").
 * Returns: a static string, or NULL for an unknown value. */
MM_API const char *mm_gc_policy_name(mm_gc_policy policy);
/* Parse a name given by mm_alloc_kind_name into *out.
 * Errors:  MM_EINVAL (unknown or NULL name; *out unchanged). */
MM_API int mm_alloc_kind_parse(const char *name, mm_alloc_kind *out);
/* Parse a name given by mm_gc_policy_name into *out.
 * Errors:  MM_EINVAL (unknown or NULL name; *out unchanged). */
MM_API int mm_gc_policy_parse(const char *name, mm_gc_policy *out);

/* ---- Lifecycle ---- */

/* Create a runtime. cfg may be NULL for the defaults; it is copied (thresholds all 0
 * become the policy's).
 * Returns: *out = the runtime, owned by the caller until mm_runtime_destroy; NULL on
 *          error, and then, if errbuf is not NULL, a message naming the bad knob is
 *          written there (at most errbuf_size bytes, NUL-terminated).
 * Errors:  MM_EINVAL (bad config), MM_ENOTSUP (alloc is mimalloc or jemalloc but that
 *          library does not serve malloc in this process), MM_ENOMEM. */
MM_API int mm_runtime_new(mm_runtime **out, const mm_config *cfg, char *errbuf,
                          size_t errbuf_size);

/* Destroy a runtime and every object it still holds: gc.garbage and every tracked
 * object (cycles broken), then the caches, singletons and free lists, then the allocator.
 * Finalizers and weakref callbacks are not run; roots own nothing. Every reference and
 * pointer into the runtime ends. rt may be NULL. */
MM_API void mm_runtime_destroy(mm_runtime *rt);

/* The configuration the runtime was created with (thresholds resolved; later
 * mm_gc_set_threshold calls do not show here).
 * Returns: a pointer into rt, borrowed, valid until mm_runtime_destroy. */
MM_API const mm_config *mm_runtime_config(const mm_runtime *rt);

/* Detail of the last failure recorded on rt; successful calls do not clear it.
 * Returns: a NUL-terminated buffer inside rt, never NULL (empty until the first failure),
 *          valid until mm_runtime_destroy; the next recorded failure overwrites it. */
MM_API const char *mm_errmsg(const mm_runtime *rt);

/* Objects alive that the program created: every live object minus the runtime's own
 * (None, small ints, the empty tuple, interned strings and their table). 0 after a
 * program dropped everything it made: the leak check of the tests. */
MM_API int64_t mm_runtime_live_objects(const mm_runtime *rt);

/* Re-derive every invariant (the generation lists, then the allocator's own checker).
 * O(heap).
 * Errors:  MM_EMISUSE (the first broken invariant, reported to the error hook first),
 *          MM_EPOISONED (an internal assertion failed earlier; nothing is checked). */
MM_API int mm_runtime_check(mm_runtime *rt);

#ifdef __cplusplus
}
#endif
#endif
