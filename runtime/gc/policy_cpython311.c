/* Policy cpython311 (default): CPython 3.11's schedule. A collection runs inside the
 * GC allocation that pushes count0 past threshold0, before the new object is tracked.
 * Design: docs/design/gc.md ("The policies").
 * SPDX-License-Identifier: MIT */
#include "gc/policy.h"

static void
cpython311_on_alloc(mm_runtime *rt)
{
    if (mmi_gc_torture_step(rt))
        return;
    if (mmi_gc_threshold_crossed(&rt->gc))
        mmi_gc_run_auto(rt, mmi_gc_collect_auto);
}

static const mmi_gc_policy cpython311 = {
    .name = "cpython311",
    .on_alloc = cpython311_on_alloc,
    .on_safepoint = NULL,
    .collect = mmi_gc_collect_explicit,
};

const mmi_gc_policy *
mmi_gc_policy_cpython311(void)
{
    return &cpython311;
}
