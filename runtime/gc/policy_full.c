/* Policy full: the cpython311 trigger, but every automatic collection is a full one
 * (no generations): what generational collection saves, measured.
 * SPDX-License-Identifier: MIT */
#include "gc/policy.h"

static void
full_on_alloc(mm_runtime *rt)
{
    mmi_gc_state *gc = &rt->gc;
    if (mmi_gc_torture_step(rt))
        return;
    if (gc->gens[0].count > (int64_t)gc->gens[0].threshold && gc->enabled &&
        gc->gens[0].threshold && !gc->collecting) {
        gc->collecting = 1;
        mmi_gc_collect_generation(rt, MM_GC_GENERATIONS - 1, MM_GC_TRIGGER_AUTO);
        gc->collecting = 0;
    }
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
