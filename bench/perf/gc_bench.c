/* GC benchmark peer program (not a test): the same shapes as gc_bench.py builds in
 * CPython, timed on libmm. Prints one JSON row per line. Design: docs/design/gc.md.
 *   usage: gc_bench CASE N
 *   CASE: chain|instances|cycles|young|bintrees-on|bintrees-off
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mm/mm.h>

static uint64_t
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static mm_runtime *
runtime(mm_gc_policy policy)
{
    mm_config c;
    mm_runtime *rt;
    mm_config_default(&c);
    c.gc = policy;
    if (mm_runtime_new(&rt, &c, NULL, 0) != MM_OK)
        exit(1);
    return rt;
}

/* With MMBENCH_GC_PHASES set, the full collection's phases are timed (stderr). */
typedef struct phase_clock {
    uint64_t last;
    int phase;
    uint64_t ns[MM_GC_PHASE_COUNT + 1];
} phase_clock;

static void
phase_mark(phase_clock *pc, int next)
{
    uint64_t t = now_ns();
    if (pc->phase >= 0)
        pc->ns[pc->phase] += t - pc->last;
    pc->phase = next;
    pc->last = t;
}

static void
on_phase(void *arg, mm_gc_phase phase)
{
    phase_mark(arg, (int)phase);
}

static void
on_phase_start(void *arg, const mm_gc_event *ev)
{
    (void)ev;
    phase_mark(arg, -1);
}

static void
on_phase_stop(void *arg, const mm_gc_event *ev)
{
    (void)ev;
    phase_mark(arg, MM_GC_PHASE_COUNT); /* stop: the time since the last phase */
}

static void
print_phases(const phase_clock *pc, size_t n)
{
    static const char *names[] = { "update+subtract", "move_unreachable", "untrack",
                                   "weakrefs", "finalizers", "resurrection", "delete",
                                   "freelists" };
    for (int i = 0; i < MM_GC_PHASE_COUNT; i++)
        if (pc->ns[i])
            fprintf(stderr, "  %-18s %8.2f ns/obj\n", names[i],
                    (double)pc->ns[i] / (double)n);
}

static double
timed_full_collect(mm_runtime *rt, size_t n)
{
    phase_clock pc = { .phase = -1 };
    mm_hooks h = { .gc_phase = on_phase, .gc_start = on_phase_start,
                   .gc_stop = on_phase_stop, .arg = &pc };
    int phases = getenv("MMBENCH_GC_PHASES") != NULL;
    if (phases)
        mm_hooks_set(rt, &h);
    uint64_t t0 = now_ns();
    mm_gc_collect(rt, 2, NULL);
    uint64_t t1 = now_ns();
    if (phases) {
        mm_hooks_set(rt, NULL);
        print_phases(&pc, n);
    }
    return (double)(t1 - t0) / (double)n;
}

/* A chain of n lists, each holding the next: a full collection examines all. */
static double
bench_chain(size_t n)
{
    mm_runtime *rt = runtime(MM_GC_CPYTHON311);
    mm_object *head = mm_list_new(rt);
    double ns;
    mm_gc_disable(rt);
    for (size_t i = 1; i < n; i++) {
        mm_object *l = mm_list_new(rt);
        mm_list_append_steal(rt, l, head);
        head = l;
    }
    ns = timed_full_collect(rt, n);
    mm_decref(rt, head);
    mm_runtime_destroy(rt);
    return ns;
}

/* n instances, each with an attribute dict holding a list, all kept in a list. */
static double
bench_instances(size_t n)
{
    mm_runtime *rt = runtime(MM_GC_CPYTHON311);
    mm_class *cls;
    mm_class_spec spec = { .name = "Obj", .has_dict = 1, .weakrefable = 1 };
    mm_object *keep = mm_list_new(rt);
    double ns;
    mm_class_new(rt, &spec, &cls);
    mm_gc_disable(rt);
    for (size_t i = 0; i < n; i++) {
        mm_object *o = mm_instance_new(rt, cls), *v = mm_list_new(rt);
        mm_instance_setattr(rt, o, "x", v);
        mm_decref(rt, v);
        mm_list_append_steal(rt, keep, o);
    }
    ns = timed_full_collect(rt, 3 * n); /* instance, dict, list */
    mm_decref(rt, keep);
    mm_runtime_destroy(rt);
    return ns;
}

/* n/2 garbage 2-cycles of lists: the full collection finds and frees all n. */
static double
bench_cycles(size_t n)
{
    mm_runtime *rt = runtime(MM_GC_CPYTHON311);
    double ns;
    mm_gc_disable(rt);
    for (size_t i = 0; i < n / 2; i++) {
        mm_object *a = mm_list_new(rt), *b = mm_list_new(rt);
        mm_list_append(rt, a, b);
        mm_list_append_steal(rt, b, a);
        mm_decref(rt, b);
    }
    ns = timed_full_collect(rt, n);
    mm_runtime_destroy(rt);
    return ns;
}

/* ---- Young-collection pauses under steady allocation ---- */

typedef struct pauses {
    uint64_t t0;
    uint64_t *ns;
    size_t n, cap;
} pauses;

static void
on_start(void *arg, const mm_gc_event *ev)
{
    (void)ev;
    ((pauses *)arg)->t0 = now_ns();
}

static void
on_stop(void *arg, const mm_gc_event *ev)
{
    pauses *p = arg;
    uint64_t d = now_ns() - p->t0;
    if (ev->generation == 0 && p->n < p->cap)
        p->ns[p->n++] = d;
}

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void
bench_young(size_t n)
{
    mm_runtime *rt = runtime(MM_GC_CPYTHON311);
    pauses p = { 0, calloc(n, sizeof(uint64_t)), 0, n };
    mm_hooks h = { .gc_start = on_start, .gc_stop = on_stop, .arg = &p };
    mm_object *ring = mm_list_new(rt), *k = mm_int_new(rt, 1);
    mm_hooks_set(rt, &h);
    for (size_t i = 0; i < n; i++) { /* small lists kept in batches of 10000 */
        mm_object *l = mm_list_new(rt);
        mm_list_append(rt, l, k);
        mm_list_append_steal(rt, ring, l);
        if (i % 10000 == 9999)
            mm_list_clear(rt, ring);
    }
    mm_hooks_set(rt, NULL);
    qsort(p.ns, p.n, sizeof *p.ns, cmp_u64);
    printf("{\"case\":\"young-pause\",\"n\":%zu,\"impl\":\"libmm\",\"collections\":%zu,"
           "\"pause_p50_us\":%.3f,\"pause_p99_us\":%.3f}\n",
           n, p.n, p.n ? p.ns[p.n / 2] / 1e3 : 0.0,
           p.n ? p.ns[(size_t)((double)p.n * 0.99)] / 1e3 : 0.0);
    free(p.ns);
    mm_decref(rt, ring);
    mm_decref(rt, k);
    mm_runtime_destroy(rt);
}

/* ---- binary-trees ---- */

static mm_object *
tree(mm_runtime *rt, int depth)
{
    mm_object *t = mm_list_new(rt);
    if (depth > 0) {
        mm_list_append_steal(rt, t, tree(rt, depth - 1));
        mm_list_append_steal(rt, t, tree(rt, depth - 1));
    }
    return t;
}

static double
bench_bintrees(int depth, mm_gc_policy policy)
{
    mm_runtime *rt = runtime(policy);
    uint64_t t0 = now_ns();
    mm_object *longlived = tree(rt, depth);
    for (int d = 4; d <= depth; d += 2)
        for (int i = 0; i < 1 << (depth - d + 4); i++)
            mm_decref(rt, tree(rt, d));
    mm_decref(rt, longlived);
    double ms = (double)(now_ns() - t0) / 1e6;
    mm_runtime_destroy(rt);
    return ms;
}

int
main(int argc, char **argv)
{
    const char *c;
    size_t n;
    if (argc != 3)
        return 2;
    c = argv[1];
    n = strtoul(argv[2], NULL, 10);
    if (strcmp(c, "young") == 0) {
        bench_young(n);
        return 0;
    }
    if (strncmp(c, "bintrees", 8) == 0) {
        double ms = bench_bintrees(
            (int)n, strcmp(c, "bintrees-on") == 0 ? MM_GC_CPYTHON311 : MM_GC_NONE);
        printf("{\"case\":\"%s\",\"n\":%zu,\"impl\":\"libmm\",\"ms\":%.3f}\n", c, n, ms);
        return 0;
    }
    double ns = strcmp(c, "chain") == 0       ? bench_chain(n)
                : strcmp(c, "instances") == 0 ? bench_instances(n)
                : strcmp(c, "cycles") == 0    ? bench_cycles(n)
                                              : -1;
    if (ns < 0)
        return 2;
    printf("{\"case\":\"full-%s\",\"n\":%zu,\"impl\":\"libmm\",\"ns_per_obj\":%.3f}\n", c,
           n, ns);
    return 0;
}
