/* Policy lookup by configuration value. Design: docs/design/gc.md ("The policies").
 * SPDX-License-Identifier: MIT */
#include "gc/policy.h"

const mmi_gc_policy *
mmi_gc_policy_for(mm_gc_policy policy)
{
    switch (policy) {
        case MM_GC_CPYTHON311: return mmi_gc_policy_cpython311();
        case MM_GC_CPYTHON313: return mmi_gc_policy_cpython313();
        case MM_GC_NONE: return mmi_gc_policy_none();
        case MM_GC_FULL: return mmi_gc_policy_full();
        case MM_GC_MARKSWEEP: return mmi_gc_policy_marksweep();
    }
    return NULL;
}
