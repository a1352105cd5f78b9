/* The system-malloc backend (also what runs under an LD_PRELOADed mimalloc/jemalloc).
 * Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc.h"

typedef struct malloc_state {
    uint64_t live_allocs;
    uint64_t live_bytes;
} malloc_state;

static int
malloc_init(mm_runtime *rt, const mm_config *cfg, void **state)
{
    (void)rt;
    (void)cfg;
    *state = calloc(1, sizeof(malloc_state));
    return *state ? MM_OK : MM_ENOMEM;
}

static void
malloc_fini(void *state)
{
    free(state);
}

static void *
malloc_alloc(void *state, size_t nbytes, unsigned type_id)
{
    malloc_state *st = state;
    void *p = malloc(nbytes ? nbytes : 1); /* as PyMem_RawMalloc: never NULL for 0 */
    (void)type_id;
    if (p) {
        st->live_allocs++;
        st->live_bytes += nbytes;
    }
    return p;
}

static void
malloc_free(void *state, void *p, size_t nbytes, unsigned type_id)
{
    malloc_state *st = state;
    (void)type_id;
    st->live_allocs--;
    st->live_bytes -= nbytes;
    free(p);
}

static void *
malloc_realloc(void *state, void *p, size_t old_nbytes, size_t nbytes, unsigned type_id)
{
    malloc_state *st = state;
    void *q = realloc(p, nbytes);
    (void)type_id;
    if (q)
        st->live_bytes += nbytes - old_nbytes;
    return q;
}

static void
malloc_stats(const void *state, mm_alloc_stats *out)
{
    const malloc_state *st = state;
    out->large_allocs = st->live_allocs;
    out->large_bytes = st->live_bytes;
}

static const mmi_backend malloc_backend = {
    .name = "malloc",
    .init = malloc_init,
    .fini = malloc_fini,
    .alloc = malloc_alloc,
    .free = malloc_free,
    .realloc = malloc_realloc,
    .stats = malloc_stats,
};

const mmi_backend *
mmi_backend_malloc(void)
{
    return &malloc_backend;
}
