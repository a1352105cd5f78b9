/* The mm_runtime structure: every piece of mutable state of one heap.
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#ifndef MMI_RUNTIME_INTERNAL_H
#define MMI_RUNTIME_INTERNAL_H
#ifndef MMI_BUILDING_RUNTIME
#error "runtime_internal.h is internal to libmm"
#endif

#include "alloc/alloc.h"
#include "gc/gc_internal.h"
#include "object_internal.h"
#include "types/types_internal.h"


typedef struct mmi_trash_state {
    unsigned depth;    /* nested deallocations in progress */
    mm_object *later;  /* deferred deallocations, linked through the GC head */
} mmi_trash_state;

struct mm_runtime {
    mm_runtime_head head; /* must stay first: the inline fast paths use it */
    mm_config cfg;
    int poisoned;         /* set by the first MM_EPOISONED report (mmi_error_report) */
    int last_error;
    char errmsg[MMI_ERRMSG_SIZE];
#if MM_HOOKS
    mm_hooks hooks;
#endif
    mm_stats stats;
    mmi_trash_state trash;
    mmi_alloc_state alloc;
    mmi_types_state types;
    mmi_gc_state gc;
    mmi_roots roots;
    /* Poisoning only (runtime.c), last so that no hot field moves: */
    char poison_msg[MMI_ERRMSG_SIZE];   /* the report's text, quoted by refusals */
    void *parked_freelists[MMI_FREELIST_KINDS]; /* mmi_freelists_park */
};

/* The entry test of a public call that refuses once rt is poisoned (style.md rule 18):
 * one unlikely branch on a flag, for calls off the hot paths. Allocations need none:
 * poisoning zeroes the heap budget, so the fast path's existing budget test sends them to
 * the general path, which refuses (alloc/alloc.c). Use:
 *     if (MMI_POISONED(rt))
 *         return mmi_poisoned_refuse(rt, "mm_gc_collect"); */
#define MMI_POISONED(rt) MMI_UNLIKELY((rt)->poisoned)

#if MM_HOOKS
#define MMI_HOOK(rt, name, ...)                                                          \
    do {                                                                                 \
        if ((rt)->hooks.name)                                                            \
            (rt)->hooks.name((rt)->hooks.arg, __VA_ARGS__);                              \
    } while (0)
#else
#define MMI_HOOK(rt, name, ...) ((void)0)
#endif

#if MM_STATS_LEVEL >= 1
#define MMI_STAT_INC(rt, field) ((rt)->stats.field.total++)
#else
#define MMI_STAT_INC(rt, field) ((void)0)
#endif

#endif
