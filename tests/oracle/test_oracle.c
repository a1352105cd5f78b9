/* Differential oracle for the collector (style.md rule 42): seeded random object graphs
 * and mutation programs; after every full collection the surviving objects must be
 * exactly those reachable from the roots, computed by a naive marker over a shadow copy
 * of the graph that shares no code with the collector; at every step every reachable
 * object must be alive. On mismatch it prints the seed.
 * usage: test_oracle [PROGRAMS [FIRST_SEED]]
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mm/mm.h>

#define MAXN 64
#define NSLOTS 4

typedef struct shadow {
    int n;
    int slot[MAXN][NSLOTS]; /* -1: empty */
    int root[MAXN];
    int mark[MAXN];
} shadow;

static uint64_t rng;

static uint32_t
rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* The naive marker: depth-first from the roots. */
static void
shadow_mark(shadow *s)
{
    int stack[MAXN * NSLOTS + MAXN], sp = 0;
    memset(s->mark, 0, sizeof s->mark);
    for (int i = 0; i < s->n; i++)
        if (s->root[i]) {
            s->mark[i] = 1;
            stack[sp++] = i;
        }
    while (sp) {
        int i = stack[--sp];
        for (int k = 0; k < NSLOTS; k++) {
            int j = s->slot[i][k];
            if (j >= 0 && !s->mark[j]) {
                s->mark[j] = 1;
                stack[sp++] = j;
            }
        }
    }
}

typedef struct world {
    mm_runtime *rt;
    mm_class *cls;
    shadow s;
    mm_object *roots[MAXN]; /* strong refs for shadow roots */
    mm_object *weak[MAXN];  /* a weakref per object ever made */
} world;

static mm_object *
alive(world *w, int i)
{
    return mm_weakref_get(w->rt, w->weak[i]);
}

static int
check(world *w, int full, uint64_t seed, int step)
{
    shadow_mark(&w->s);
    for (int i = 0; i < w->s.n; i++) {
        mm_object *o = alive(w, i);
        int live = o != NULL;
        mm_xdecref(w->rt, o);
        if ((w->s.mark[i] && !live) || (full && !w->s.mark[i] && live)) {
            fprintf(stderr, "oracle mismatch: seed %llu step %d object %d: reachable=%d "
                    "alive=%d (after %s)\n", (unsigned long long)seed, step, i,
                    w->s.mark[i], live, full ? "a full collection" : "an op");
            return 1;
        }
    }
    return 0;
}

static void
op_new(world *w)
{
    int i = w->s.n++;
    w->roots[i] = mm_instance_new(w->rt, w->cls);
    w->s.root[i] = 1;
    for (int k = 0; k < NSLOTS; k++)
        w->s.slot[i][k] = -1;
    mm_weakref_new(w->rt, w->roots[i], NULL, NULL, &w->weak[i]);
}

/* Reachable objects are alive, so every reachable index has an object to use. */
static void
op_link(world *w, int a, int b, int k)
{
    mm_object *oa = alive(w, a), *ob = alive(w, b);
    mm_instance_set_slot_steal(w->rt, oa, (uint32_t)k, ob);
    w->s.slot[a][k] = b;
    mm_decref(w->rt, oa);
}

static void
op_unlink(world *w, int a, int k)
{
    mm_object *oa = alive(w, a);
    mm_instance_set_slot_steal(w->rt, oa, (uint32_t)k, NULL);
    w->s.slot[a][k] = -1;
    mm_decref(w->rt, oa);
}

static int
pick_reachable(world *w)
{
    int idx[MAXN], n = 0;
    shadow_mark(&w->s);
    for (int i = 0; i < w->s.n; i++)
        if (w->s.mark[i])
            idx[n++] = i;
    return n ? idx[rnd((uint32_t)n)] : -1;
}

static int
run_program(uint64_t seed, mm_gc_policy policy)
{
    world w;
    mm_config cfg;
    mm_class_spec spec = { .name = "Node", .nslots = NSLOTS, .weakrefable = 1 };
    int fail = 0;
    memset(&w, 0, sizeof w);
    rng = seed * 2654435761u + 1;
    mm_config_default(&cfg);
    cfg.gc = policy;
    cfg.threshold[0] = 1 + rnd(30); /* small thresholds: many automatic collections */
    cfg.threshold[1] = 1 + rnd(5);
    cfg.threshold[2] = 1 + rnd(5);
    if (mm_runtime_new(&w.rt, &cfg, NULL, 0) != MM_OK ||
        mm_class_new(w.rt, &spec, &w.cls))
        return 1;
    for (int step = 0; step < 300 && !fail; step++) {
        uint32_t r = rnd(100);
        int a = pick_reachable(&w), b = pick_reachable(&w);
        if (w.s.n < MAXN && (r < 15 || a < 0)) {
            op_new(&w);
        } else if (a >= 0 && r < 55) {
            op_link(&w, a, b, (int)rnd(NSLOTS));
        } else if (a >= 0 && r < 70) {
            op_unlink(&w, a, (int)rnd(NSLOTS));
        } else if (a >= 0 && r < 90 && w.s.root[a]) {
            w.s.root[a] = 0; /* drop a root */
            mm_clear(w.rt, &w.roots[a]);
        } else if (r >= 90) {
            mm_gc_collect(w.rt, (int)rnd(3), NULL);
        }
        mm_gc_safepoint(w.rt);
        fail = check(&w, 0, seed, step);
        if (!fail && step % 25 == 24) {
            mm_gc_collect(w.rt, 2, NULL);
            fail = check(&w, 1, seed, step);
        }
    }
    for (int i = 0; i < w.s.n; i++) {
        mm_xdecref(w.rt, w.roots[i]);
        mm_xdecref(w.rt, w.weak[i]);
    }
    mm_gc_collect(w.rt, 2, NULL);
    if (!fail && mm_runtime_live_objects(w.rt) != 0) {
        fprintf(stderr, "oracle: seed %llu leaked %lld objects\n",
                (unsigned long long)seed, (long long)mm_runtime_live_objects(w.rt));
        fail = 1;
    }
    if (!fail && mm_runtime_check(w.rt) != MM_OK) {
        fprintf(stderr, "oracle: seed %llu: heap check: %s\n", (unsigned long long)seed,
                mm_errmsg(w.rt));
        fail = 1;
    }
    mm_runtime_destroy(w.rt);
    return fail;
}

int
main(int argc, char **argv)
{
    long programs = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
    uint64_t first = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    static const mm_gc_policy policies[] = { MM_GC_CPYTHON311, MM_GC_CPYTHON313,
                                             MM_GC_FULL };
    long failures = 0;
    for (long p = 0; p < programs; p++)
        for (size_t k = 0; k < sizeof policies / sizeof policies[0]; k++)
            failures += run_program(first + (uint64_t)p, policies[k]);
    printf("%ld programs x %zu policies, %ld failures\n", programs,
           sizeof policies / sizeof policies[0], failures);
    return failures ? 1 : 0;
}
