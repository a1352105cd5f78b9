/* Every compile-time tunable of libmm in one place (style.md rule 30): its value, why,
 * and where the value comes from. Most are CPython 3.11's, so that mmbench's statistics
 * mean what CPython's do (../shared/spec/cpython-reference.md); the assertions at the
 * end check how they relate. Design: docs/design/allocator.md, gc.md, object-model.md.
 * SPDX-License-Identifier: MIT */
#ifndef MMI_TUNABLES_H
#define MMI_TUNABLES_H

#include <stddef.h>

/* ---- Allocator (runtime/alloc/; cpython-reference.md 2.2, Objects/obmalloc.c) ---- */

/* Block alignment and size-class step: CPython's ALIGNMENT (16 since 3.8, for x86-64's
 * 16-byte long double); the class of an n-byte request is (n - 1) >> SHIFT. */
#define MMI_ALIGNMENT 16
#define MMI_ALIGNMENT_SHIFT 4
/* Small-request threshold, larger requests go to the backend: 512 since CPython 3.8
 * (SMALL_REQUEST_THRESHOLD), 256 before, the seed's figure; mm_config picks one. */
#define MMI_SMALL_THRESHOLD 512
#define MMI_SMALL_THRESHOLD_OLD 256
/* Size classes for the larger threshold (a power of two: the fast path masks with it). */
#define MMI_MAX_CLASSES (MMI_SMALL_THRESHOLD / MMI_ALIGNMENT)
/* Pools in arenas: 16 KiB in 1 MiB since CPython 3.10 (POOL_BITS 14, ARENA_BITS 20 with
 * the radix tree), 4 KiB in 256 KiB before (the OS page, and 3.9's ARENA_SIZE). */
#define MMI_POOL_SIZE ((size_t)16 << 10)
#define MMI_ARENA_SIZE ((size_t)1 << 20)
#define MMI_POOL_SIZE_OLD ((size_t)4 << 10)
#define MMI_ARENA_SIZE_OLD ((size_t)256 << 10)
/* Bytes at the start of each pool kept out of the blocks: CPython's struct pool_header
 * (48 on 64-bit, a multiple of ALIGNMENT), so every pool holds CPython's block count. */
#define MMI_POOL_OVERHEAD 48
/* Arena descriptors allocated at first, the vector then doubles
 * (INITIAL_ARENA_OBJECTS). */
#define MMI_INITIAL_ARENA_OBJECTS 16
/* Pools an arena slot can hold (1 MiB / 16 KiB = 256 KiB / 4 KiB): the header table's
 * rows, one 64-byte line each, in the table page (allocator.md, "Data layout"). */
#define MMI_MAX_POOLS_IN_ARENA 64
#define MMI_HEADER_PAGE 4096

/* ---- Objects and their free lists (runtime/types/; cpython-reference.md 1.3, 3) ---- */

/* Cached small ints -5..256: _PY_NSMALLNEGINTS 5, _PY_NSMALLPOSINTS 257. */
#define MMI_SMALLINT_MIN (-5)
#define MMI_SMALLINT_MAX 256
/* Free-list caps, CPython 3.11: PyFloat_MAXFREELIST, PyList_MAXFREELIST,
 * PyDict_MAXFREELIST, PyDict_MAXFREELIST for key objects, PyTuple_MAXFREELIST per length
 * and PyTuple_NFREELISTS lengths (1..20 pushed, 1..19 popped: CPython's quirk, 3.2). */
#define MMI_FREELIST_FLOAT 100
#define MMI_FREELIST_LIST 80
#define MMI_FREELIST_DICT 80
#define MMI_FREELIST_DICT_KEYS 80
#define MMI_FREELIST_TUPLE 2000
#define MMI_TUPLE_FREELIST_LENGTHS 20
/* Dict tables: PyDict_MINSIZE slots at least; a resize sizes for used * GROWTH_RATE
 * (3 since CPython 3.7: resizes at the 1st, 6th, 11th and 22nd insert). */
#define MMI_DICT_MIN_SLOTS 8
#define MMI_DICT_GROWTH_RATE 3
/* Nested deallocations before the trashcan defers the rest (_PyTrash_UNWIND_LEVEL), so a
 * long chain freed from its head uses bounded stack. */
#define MMI_TRASH_LIMIT 50
/* Locals a generator frame may hold (libmm's own bound: a C generator declares them). */
#define MMI_GEN_MAX_LOCALS 1024

/* ---- Collector (runtime/gc/; cpython-reference.md 4) ---- */

/* Generation thresholds: 700, 10, 10 (CPython 3.11's gc.get_threshold()); the cpython313
 * policy's young threshold is 2000 (CPython 3.13). */
#define MMI_GC_THRESHOLD0 700
#define MMI_GC_THRESHOLD0_313 2000
#define MMI_GC_THRESHOLD1 10
#define MMI_GC_THRESHOLD2 10
/* A full collection runs only when the survivors pending since the last one reach
 * 1 / DIVISOR of those it left (CPython: long_lived_pending < long_lived_total / 4 skips
 * it; bpo-4074). */
#define MMI_GC_LONG_LIVED_DIVISOR 4
/* The marksweep policy's default heap limit and its floor (libmm's own). */
#define MMI_MARKSWEEP_HEAP_LIMIT ((size_t)64 << 20)
#define MMI_MARKSWEEP_HEAP_LIMIT_MIN 4096

/* ---- Errors ---- */

/* Bytes of the last error's message (mm_errmsg), terminator included. */
#define MMI_ERRMSG_SIZE 256

/* ---- How they relate ---- */

_Static_assert(1 << MMI_ALIGNMENT_SHIFT == MMI_ALIGNMENT, "alignment shift");
_Static_assert((MMI_MAX_CLASSES & (MMI_MAX_CLASSES - 1)) == 0,
               "the size-class count must be a power of two (the fast path masks)");
_Static_assert(MMI_SMALL_THRESHOLD_OLD % MMI_ALIGNMENT == 0 &&
                   MMI_SMALL_THRESHOLD_OLD < MMI_SMALL_THRESHOLD,
               "the old threshold is a smaller multiple of the alignment");
_Static_assert(MMI_ARENA_SIZE % MMI_POOL_SIZE == 0 &&
                   MMI_ARENA_SIZE_OLD % MMI_POOL_SIZE_OLD == 0,
               "arena size not an exact multiple of pool size");
_Static_assert(MMI_ARENA_SIZE / MMI_POOL_SIZE == MMI_MAX_POOLS_IN_ARENA &&
                   MMI_ARENA_SIZE_OLD / MMI_POOL_SIZE_OLD == MMI_MAX_POOLS_IN_ARENA,
               "both geometries have the header table's 64 pools per arena slot");
_Static_assert(MMI_MAX_POOLS_IN_ARENA * 64 <= MMI_HEADER_PAGE,
               "header table larger than its page");
_Static_assert(MMI_POOL_OVERHEAD % MMI_ALIGNMENT == 0 &&
                   MMI_POOL_OVERHEAD + MMI_SMALL_THRESHOLD <= MMI_POOL_SIZE_OLD,
               "a pool holds its header and at least one block of every class");
_Static_assert(MMI_SMALLINT_MIN < 0 && MMI_SMALLINT_MAX > 0, "small-int range");
_Static_assert((MMI_DICT_MIN_SLOTS & (MMI_DICT_MIN_SLOTS - 1)) == 0,
               "dict tables are powers of two");
_Static_assert(MMI_GC_LONG_LIVED_DIVISOR > 0, "long-lived ratio");

#endif
