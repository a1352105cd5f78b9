/* Policy none: reference counting only. No automatic collection ever runs, so cycles
 * leak: the lower bound of memory-management overhead. An explicit mm_gc_collect
 * still works (like gc.disable() followed by gc.collect()).
 * Design: docs/design/gc.md ("The policies").
 * SPDX-License-Identifier: MIT */
#include "gc/policy.h"

static void
none_on_alloc(mm_runtime *rt)
{
    (void)rt;
}

static const mmi_gc_policy none_policy = {
    .name = "none",
    .on_alloc = none_on_alloc,
    .on_safepoint = NULL,
    .collect = mmi_gc_collect_explicit,
};

const mmi_gc_policy *
mmi_gc_policy_none(void)
{
    return &none_policy;
}
