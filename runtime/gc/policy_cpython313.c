/* Policy cpython313: CPython 3.12/3.13 scheduling. Crossing threshold0 (default 2000)
 * only sets a pending flag, as the eval breaker does; the collection runs at the next
 * mm_gc_safepoint (cpython-reference.md 5.1, 5.2).
 * SPDX-License-Identifier: MIT */
#include "gc/policy.h"

static void
cpython313_on_alloc(mm_runtime *rt)
{
    mmi_gc_state *gc = &rt->gc;
    if (mmi_gc_torture_step(rt))
        return;
    if (gc->gens[0].count > (int64_t)gc->gens[0].threshold && gc->enabled &&
        gc->gens[0].threshold && !gc->collecting)
        gc->pending = 1;
}

static void
cpython313_on_safepoint(mm_runtime *rt)
{
    mmi_gc_state *gc = &rt->gc;
    gc->pending = 0;
    if (gc->collecting || !gc->enabled)
        return;
    gc->collecting = 1;
    mmi_gc_collect_auto(rt, MM_GC_TRIGGER_AUTO);
    gc->collecting = 0;
}

static const mmi_gc_policy cpython313 = {
    .name = "cpython313",
    .on_alloc = cpython313_on_alloc,
    .on_safepoint = cpython313_on_safepoint,
    .collect = mmi_gc_collect_explicit,
};

const mmi_gc_policy *
mmi_gc_policy_cpython313(void)
{
    return &cpython313;
}
