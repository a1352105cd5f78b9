/* The GC policy tables (one file each) and what they share.
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
