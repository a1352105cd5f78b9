/* libmm: umbrella header, every public header of the library.
 * Design: docs/design/object-model.md (start there; one essay per subsystem beside it).
 * SPDX-License-Identifier: MIT */
#ifndef MM_MM_H
#define MM_MM_H
#include "mm/alloc.h"
#include "mm/events.h"
#include "mm/gc.h"
#include "mm/gen.h"
#include "mm/object.h"
#include "mm/runtime.h"
#include "mm/stats.h"
#include "mm/types.h"
#include "mm/weakref.h"
#endif
