/* The private backend: Python 2's design as the seed describes it (section 1.3). Each
 * object type gets its own pools; memory one type freed is never reused by another,
 * and arenas are never returned to the OS. Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "alloc/pool.h"

typedef struct private_state {
    mmi_pool_state per_type[MM_T_COUNT];
} private_state;

static int
private_init(mm_runtime *rt, const mm_config *cfg, void **state)
{
    /* aligned: the used-list sentinels are headers, one cache line each */
    private_state *st = aligned_alloc(_Alignof(private_state), sizeof *st);
    if (!st)
        return MM_ENOMEM;
    for (int t = 0; t < MM_T_COUNT; t++)
        mmi_pool_init(&st->per_type[t], rt, cfg, 1);
    *state = st;
    return MM_OK;
}

static void
private_fini(void *state)
{
    private_state *st = state;
    for (int t = 0; t < MM_T_COUNT; t++)
        mmi_pool_fini(&st->per_type[t]);
    free(st);
}

static mmi_pool_state *
pools_for(void *state, unsigned type_id)
{
    return &((private_state *)state)->per_type[type_id < MM_T_COUNT ? type_id
                                                                      : MM_T_OTHER];
}

static void *
private_alloc(void *state, size_t nbytes, unsigned type_id)
{
    return mmi_pool_alloc(pools_for(state, type_id), nbytes);
}

static void
private_free(void *state, void *p, size_t nbytes, unsigned type_id)
{
    mmi_pool_free(pools_for(state, type_id), p, nbytes);
}

static void *
private_realloc(void *state, void *p, size_t old, size_t nbytes, unsigned type_id)
{
    return mmi_pool_realloc(pools_for(state, type_id), p, old, nbytes);
}

static void
private_stats(const void *state, mm_alloc_stats *out)
{
    const private_state *st = state;
    for (int t = 0; t < MM_T_COUNT; t++)
        mmi_pool_stats(&st->per_type[t], out);
}

static void
private_visit(const void *state, mm_arena_visit_fn fn, void *arg)
{
    const private_state *st = state;
    for (int t = 0; t < MM_T_COUNT; t++)
        mmi_pool_visit(&st->per_type[t], fn, arg);
}

static int
private_check(const void *state)
{
    const private_state *st = state;
    for (int t = 0; t < MM_T_COUNT; t++)
        if (mmi_pool_check(&st->per_type[t]) != MM_OK)
            return MM_EMISUSE;
    return MM_OK;
}

static const mmi_backend private_backend = {
    .name = "private",
    .init = private_init,
    .fini = private_fini,
    .alloc = private_alloc,
    .free = private_free,
    .realloc = private_realloc,
    .stats = private_stats,
    .visit_arenas = private_visit,
    .check = private_check,
};

const mmi_backend *
mmi_backend_private(void)
{
    return &private_backend;
}
