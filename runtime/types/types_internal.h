/* Per-runtime state of the built-in types: singletons, caches, free lists, classes.
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#ifndef MMI_TYPES_INTERNAL_H
#define MMI_TYPES_INTERNAL_H
#ifndef MMI_BUILDING_RUNTIME
#error "types/types_internal.h is internal to libmm"
#endif

#include "object_internal.h"

#define MMI_SMALLINT_MIN (-5)
#define MMI_SMALLINT_MAX 256

typedef struct mmi_types_state {
    mm_object *none;
    mm_object *empty_tuple;
    mm_object *small_ints[MMI_SMALLINT_MAX - MMI_SMALLINT_MIN + 1];
    mm_object *interned; /* dict str -> str */
    struct mm_class *classes; /* linked list of classes owned by the runtime */
} mmi_types_state;

MMI_INTERNAL int mmi_types_init(mm_runtime *rt);
MMI_INTERNAL void mmi_types_fini(mm_runtime *rt);
/* Empty every per-type free list (full collections). */
MMI_INTERNAL void mmi_freelists_clear(mm_runtime *rt);

#endif
