/* Policy cpython313: CPython 3.12/3.13 scheduling. Crossing threshold0 (default 2000)
 * only sets a pending flag, as the eval breaker does; the collection runs at the next
 * mm_gc_safepoint (cpython-reference.md 5.1, 5.2).
 * Design: docs/design/gc.md ("The policies").
 * SPDX-License-Identifier: MIT */
#include "gc/policy.h"

static void
cpython313_on_alloc(mm_runtime *rt)
{
    if (mmi_gc_torture_step(rt))
        return;
    if (mmi_gc_threshold_crossed(&rt->gc))
        rt->gc.pending = 1;
}

static void
cpython313_on_safepoint(mm_runtime *rt)
{
    mmi_gc_state *gc = &rt->gc;
    gc->pending = 0;
    if (gc->collecting || !gc->enabled)
        return;
    mmi_gc_run_auto(rt, mmi_gc_collect_auto);
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
