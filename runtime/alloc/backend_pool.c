/* The pool backend (default): one pymalloc-style allocator per runtime.
 * Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "alloc/pool.h"

static int
pool_be_init(mm_runtime *rt, const mm_config *cfg, void **state)
{
    /* aligned: the used-list sentinels are headers, one cache line each */
    mmi_pool_state *ps = aligned_alloc(_Alignof(mmi_pool_state), sizeof *ps);
    if (!ps)
        return MM_ENOMEM;
    mmi_pool_init(ps, rt, cfg, 0);
    *state = ps;
    return MM_OK;
}

static void
pool_be_fini(void *state)
{
    mmi_pool_fini(state);
    free(state);
}

static void *
pool_be_alloc(void *state, size_t nbytes, unsigned type_id)
{
    (void)type_id;
    return mmi_pool_alloc(state, nbytes);
}

static void
pool_be_free(void *state, void *p, size_t nbytes, unsigned type_id)
{
    (void)type_id;
    mmi_pool_free(state, p, nbytes);
}

static void *
pool_be_realloc(void *state, void *p, size_t old, size_t nbytes, unsigned type_id)
{
    (void)type_id;
    return mmi_pool_realloc(state, p, old, nbytes);
}

static void
pool_be_stats(const void *state, mm_alloc_stats *out)
{
    mmi_pool_stats(state, out);
}

static void
pool_be_visit(const void *state, mm_arena_visit_fn fn, void *arg)
{
    mmi_pool_visit(state, fn, arg);
}

static int
pool_be_check(const void *state)
{
    return mmi_pool_check(state);
}

static const mmi_backend pool_backend = {
    .name = "pool",
    .init = pool_be_init,
    .fini = pool_be_fini,
    .alloc = pool_be_alloc,
    .free = pool_be_free,
    .realloc = pool_be_realloc,
    .stats = pool_be_stats,
    .visit_arenas = pool_be_visit,
    .check = pool_be_check,
};

const mmi_backend *
mmi_backend_pool(void)
{
    return &pool_backend;
}
