/* Policy full: the cpython311 trigger, but every automatic collection is a full one
 * (no generations): what generational collection saves, measured.
 * Design: docs/design/gc.md ("The policies").
 * SPDX-License-Identifier: MIT */
#include "gc/policy.h"

static int64_t
collect_full(mm_runtime *rt, mm_gc_trigger trigger)
{
    return mmi_gc_collect_generation(rt, MM_GC_GENERATIONS - 1, trigger);
}

static void
full_on_alloc(mm_runtime *rt)
{
    if (mmi_gc_torture_step(rt))
        return;
    if (mmi_gc_threshold_crossed(&rt->gc))
        mmi_gc_run_auto(rt, collect_full);
}

static const mmi_gc_policy full_policy = {
    .name = "full",
    .on_alloc = full_on_alloc,
    .on_safepoint = NULL,
    .collect = mmi_gc_collect_explicit,
};

const mmi_gc_policy *
mmi_gc_policy_full(void)
{
    return &full_policy;
}
