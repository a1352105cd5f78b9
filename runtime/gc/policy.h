/* The GC policy tables (one file each) and what they share.
 * Design: docs/design/gc.md ("The policies").
 * SPDX-License-Identifier: MIT */
#ifndef MMI_POLICY_H
#define MMI_POLICY_H
#ifndef MMI_BUILDING_RUNTIME
#error "gc/policy.h is internal to libmm"
#endif

#include "runtime_internal.h"

MMI_INTERNAL const mmi_gc_policy *mmi_gc_policy_cpython311(void);
MMI_INTERNAL const mmi_gc_policy *mmi_gc_policy_cpython313(void);
MMI_INTERNAL const mmi_gc_policy *mmi_gc_policy_none(void);
MMI_INTERNAL const mmi_gc_policy *mmi_gc_policy_full(void);
MMI_INTERNAL const mmi_gc_policy *mmi_gc_policy_marksweep(void);

/* CPython's trigger (_PyObject_GC_Link): count0 above a non-zero threshold0, automatic
 * collection enabled, no collection running. */
static inline int
mmi_gc_threshold_crossed(const mmi_gc_state *gc)
{
    const mmi_gc_generation *young = &gc->generations[0];
    return young->count > (int64_t)young->threshold && young->threshold && gc->enabled &&
           !gc->collecting;
}

/* Run fn as an automatic collection (the collecting flag held around it). */
static inline void
mmi_gc_run_auto(mm_runtime *rt, int64_t (*fn)(mm_runtime *, mm_gc_trigger))
{
    rt->gc.collecting = 1;
    fn(rt, MM_GC_TRIGGER_AUTO);
    rt->gc.collecting = 0;
}

/* GC torture builds: a full collection at every GC allocation (style.md rule 23).
 * Returns 1 when it handled the allocation. */
static inline int
mmi_gc_torture_step(mm_runtime *rt)
{
#if MM_GC_TORTURE
    mmi_gc_state *gc = &rt->gc;
    if (!gc->collecting && gc->enabled) {
        gc->collecting = 1;
        mmi_gc_collect_generation(rt, MM_GC_GENERATIONS - 1, MM_GC_TRIGGER_AUTO);
        gc->collecting = 0;
    }
    return 1;
#else
    (void)rt;
    return 0;
#endif
}

#endif
