/* The pool allocator against a shadow model: alignment, no overlap, every block
 * accounted for, arena ordering and release, realloc rules, configurations, private
 * mode. Module: runtime/alloc/pool.c (internal API).
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alloc/pool.h"

static uint64_t rng = 88172645463325252u;

static uint32_t
rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static void
pool_new(mmi_pool_state *ps, size_t threshold, size_t pool, size_t arena, int keep)
{
    mm_config c;
    mm_config_default(&c);
    c.small_threshold = threshold;
    c.pool_size = pool;
    c.arena_size = arena;
    assert_int_equal(mmi_pool_init(ps, NULL, &c, keep), MM_OK);
}

typedef struct blk {
    unsigned char *p;
    size_t n;
    unsigned char tag;
} blk;

/* The debugmallocstats identity: the parts sum to arenas x arena size. */
static void
assert_stats_sum(const mmi_pool_state *ps)
{
    mm_alloc_stats st;
    memset(&st, 0, sizeof st);
    mmi_pool_stats(ps, &st);
    assert_int_equal(st.bytes_in_allocated_blocks + st.bytes_in_available_blocks +
                         st.unused_pools * ps->pool_size + st.bytes_pool_headers +
                         st.bytes_quantization + st.bytes_arena_alignment,
                     st.arenas_current * ps->arena_size);
}

/* Random alloc/free with a Python-like size mix; every live block keeps its own
 * pattern (no overlap), is 16-aligned, and the invariants hold throughout. */
static void
random_churn(size_t threshold, size_t pool, size_t arena)
{
    mmi_pool_state ps;
    enum { N = 20000 };
    static blk live[N];
    size_t nlive = 0;
    pool_new(&ps, threshold, pool, arena, 0);
    for (int step = 0; step < 200000; step++) {
        if (nlive < N && (nlive == 0 || rnd(100) < 55)) {
            size_t n = 1 + rnd(rnd(10) ? 128 : (uint32_t)threshold + 200);
            blk *b = &live[nlive++];
            b->p = mmi_pool_alloc(&ps, n);
            b->n = n;
            b->tag = (unsigned char)step;
            assert_non_null(b->p);
            assert_int_equal((uintptr_t)b->p % MMI_ALIGNMENT, 0);
            memset(b->p, b->tag, n);
        } else {
            size_t i = rnd((uint32_t)nlive);
            blk *b = &live[i];
            for (size_t k = 0; k < b->n; k++)
                assert_int_equal(b->p[k], b->tag);
            mmi_pool_free(&ps, b->p, b->n);
            live[i] = live[--nlive];
        }
        if (step % 20000 == 0) {
            assert_int_equal(mmi_pool_check(&ps), MM_OK);
            assert_stats_sum(&ps);
        }
    }
    while (nlive)
        mmi_pool_free(&ps, live[nlive - 1].p, live[nlive - 1].n), nlive--;
    assert_int_equal(mmi_pool_check(&ps), MM_OK);
    assert_true(ps.arenas_current <= 1); /* empty arenas went back; the last is kept */
    mmi_pool_fini(&ps);
}

static void
test_pool_random_churn_default(void **state)
{
    (void)state;
    random_churn(512, 16384, 1 << 20);
}

static void
test_pool_random_churn_small_config(void **state)
{
    (void)state;
    random_churn(256, 4096, 256 << 10); /* the seed's 256 B and CPython <= 3.9 sizes */
}

static void
test_pool_geometry(void **state)
{
    mmi_pool_state ps;
    void *a, *b;
    mm_alloc_stats st;
    (void)state;
    pool_new(&ps, 512, 16384, 1 << 20, 0);
    a = mmi_pool_alloc(&ps, 1);
    b = mmi_pool_alloc(&ps, 16);
    /* One pool of class 16: the first block right after the 48-byte header. */
    assert_int_equal(((uintptr_t)a & (16384 - 1)), MMI_POOL_OVERHEAD);
    assert_ptr_equal((char *)b, (char *)a + 16);
    memset(&st, 0, sizeof st);
    mmi_pool_stats(&ps, &st);
    assert_int_equal(st.classes[0].pools, 1);
    assert_int_equal(st.classes[0].blocks_in_use, 2);
    assert_int_equal(st.classes[0].blocks_avail, (16384 - 48) / 16 - 2);
    assert_true(ps.arenas[0].ntotalpools == 63 || ps.arenas[0].ntotalpools == 64);
    mmi_pool_free(&ps, a, 1);
    mmi_pool_free(&ps, b, 16);
    /* Above the threshold: the system allocator. */
    a = mmi_pool_alloc(&ps, 513);
    assert_int_equal(ps.large_allocs, 1);
    mmi_pool_free(&ps, a, 513);
    assert_int_equal(ps.large_allocs, 0);
    mmi_pool_fini(&ps);
}

/* Filling several arenas then freeing everything returns all but the last one. */
static void
test_pool_empty_arenas_released(void **state)
{
    mmi_pool_state ps;
    enum { N = 40000 };
    static void *p[N];
    (void)state;
    pool_new(&ps, 512, 16384, 1 << 20, 0);
    for (int i = 0; i < N; i++)
        p[i] = mmi_pool_alloc(&ps, 64); /* 40000 x 64 B: 3 arenas */
    assert_true(ps.arenas_current >= 3);
    for (int i = 0; i < N; i++)
        mmi_pool_free(&ps, p[i], 64);
    assert_int_equal(ps.arenas_current, 1);
    assert_int_equal(ps.arenas_total - ps.arenas_current, ps.arenas_highwater - 1);
    assert_int_equal(mmi_pool_check(&ps), MM_OK);
    mmi_pool_fini(&ps);
}

/* Private mode keeps arenas even when they are empty. */
static void
test_pool_private_keeps_arenas(void **state)
{
    mmi_pool_state ps;
    enum { N = 40000 };
    static void *p[N];
    (void)state;
    pool_new(&ps, 512, 16384, 1 << 20, 1);
    for (int i = 0; i < N; i++)
        p[i] = mmi_pool_alloc(&ps, 64);
    uint64_t peak = ps.arenas_current;
    for (int i = 0; i < N; i++)
        mmi_pool_free(&ps, p[i], 64);
    assert_int_equal(ps.arenas_current, peak);
    assert_int_equal(mmi_pool_check(&ps), MM_OK);
    mmi_pool_fini(&ps);
}

static void
test_pool_realloc_rules(void **state)
{
    mmi_pool_state ps;
    char *p, *q;
    (void)state;
    pool_new(&ps, 512, 16384, 1 << 20, 0);
    p = mmi_pool_alloc(&ps, 64);
    memset(p, 7, 64);
    q = mmi_pool_realloc(&ps, p, 64, 60); /* shrink by < 25 %: in place */
    assert_ptr_equal(p, q);
    q = mmi_pool_realloc(&ps, q, 64, 16); /* shrink by 75 %: moves */
    assert_ptr_not_equal(p, q);
    assert_int_equal(q[15], 7);
    p = mmi_pool_realloc(&ps, q, 16, 4000); /* to the system allocator */
    assert_int_equal(p[0], 7);
    assert_int_equal(ps.large_allocs, 1);
    q = mmi_pool_realloc(&ps, p, 4000, 100); /* back into a pool */
    assert_int_equal(q[0], 7);
    assert_int_equal(ps.large_allocs, 0);
    mmi_pool_free(&ps, q, 100);
    assert_int_equal(mmi_pool_check(&ps), MM_OK);
    mmi_pool_fini(&ps);
}

/* The seed's claim (1.3) measured on the runtime: ints freed, then floats allocated.
 * Shared pools reuse the freed memory; private pools cannot. */
static uint64_t
mapped_after_ints_then_floats(mm_alloc_kind kind)
{
    mm_config c;
    mm_runtime *rt;
    mm_alloc_stats st;
    enum { N = 100000 };
    static mm_object *objs[N];
    mm_config_default(&c);
    c.alloc = kind;
    assert_int_equal(mm_runtime_new(&rt, &c, NULL, 0), MM_OK);
    for (int i = 0; i < N; i++)
        objs[i] = mm_int_new(rt, 1000 + i);
    for (int i = 0; i < N; i++)
        mm_decref(rt, objs[i]);
    for (int i = 0; i < N; i++)
        objs[i] = mm_float_new(rt, i + 0.5);
    mm_alloc_stats_get(rt, &st);
    for (int i = 0; i < N; i++)
        mm_decref(rt, objs[i]);
    assert_int_equal(mm_runtime_check(rt), MM_OK);
    mm_runtime_destroy(rt);
    return st.bytes_mapped;
}

static void
test_pool_shared_vs_private_type_pools(void **state)
{
    (void)state;
    uint64_t shared = mapped_after_ints_then_floats(MM_ALLOC_POOL);
    uint64_t private = mapped_after_ints_then_floats(MM_ALLOC_PRIVATE);
    assert_true(private >= 2 * shared - (2u << 20)); /* ints' arenas not reused */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_geometry),
        cmocka_unit_test(test_pool_random_churn_default),
        cmocka_unit_test(test_pool_random_churn_small_config),
        cmocka_unit_test(test_pool_empty_arenas_released),
        cmocka_unit_test(test_pool_private_keeps_arenas),
        cmocka_unit_test(test_pool_realloc_rules),
        cmocka_unit_test(test_pool_shared_vs_private_type_pools),
    };
    return cmocka_run_group_tests_name("pool", tests, NULL, NULL);
}
