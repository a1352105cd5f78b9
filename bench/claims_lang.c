/* Seed claims, the language-topic rows with a memory side: copies, singleton caches,
 * identity of shared immutables, the GIL and generators. Helpers and the driver are in
 * claims.c.
 * SPDX-License-Identifier: MIT */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "claims.h"
#include "common.h"

#define need     bench_claims_need
#define GET(key) bench_claims_get(o, key)
#define LL(x)    ((long long)(x))

/* "s" after a count other than 1. */
static const char *
plural(int64_t n)
{
    return n == 1 ? "" : "s";
}

/* ---- copy vs deepcopy ---- */

enum {
    COPY_INNER = 3
};

/* Refcount of item i of list (without the reference the getter lends). */
static int64_t
copy_item_refcount(mm_runtime *rt, mm_object *list, size_t i)
{
    mm_object *item = need(mm_list_get(rt, list, i));
    int64_t n = mm_refcount(item) - 1;
    mm_decref(rt, item);
    return n;
}

/* 1 when item i of a and of b is the same object. */
static int
copy_shares(mm_runtime *rt, mm_object *a, mm_object *b, size_t i)
{
    mm_object *x = need(mm_list_get(rt, a, i)), *y = need(mm_list_get(rt, b, i));
    int same = x == y;
    mm_decref(rt, x);
    mm_decref(rt, y);
    return same;
}

static void
copy_measure(bench_claim_out *o, mm_runtime *rt)
{
    mm_object *outer = need(mm_list_new(rt)), *shallow, *deep;
    int64_t live;
    for (int i = 0; i < COPY_INNER; i++) {
        mm_object *inner = need(mm_list_new(rt));
        bench_claims_rc(o,
                        mm_list_append_steal(rt, inner, need(mm_int_new(rt, 1000 + i))));
        bench_claims_rc(o, mm_list_append_steal(rt, outer, inner));
    }
    bench_claims_int(o, "inner_lists", COPY_INNER);
    bench_claims_int(o, "refcount_inner_before", copy_item_refcount(rt, outer, 0));
    live = mm_runtime_live_objects(rt);
    shallow = need(mm_copy(rt, outer));
    bench_claims_int(o, "objects_new_shallow_copy", mm_runtime_live_objects(rt) - live);
    bench_claims_int(o, "refcount_inner_after_shallow", copy_item_refcount(rt, outer, 0));
    bench_claims_int(o, "shallow_shares_inner", copy_shares(rt, outer, shallow, 0));
    live = mm_runtime_live_objects(rt);
    deep = need(mm_deepcopy(rt, outer));
    bench_claims_int(o, "objects_new_deep_copy", mm_runtime_live_objects(rt) - live);
    bench_claims_int(o, "refcount_inner_after_deep", copy_item_refcount(rt, outer, 0));
    bench_claims_int(o, "deep_shares_inner", copy_shares(rt, outer, deep, 0));
    mm_decref(rt, deep);
    mm_decref(rt, shallow);
    mm_decref(rt, outer);
}

int
bench_claim_copy(bench_claim_out *o)
{
    mm_runtime *rt = bench_claims_runtime(o, NULL, NULL);
    if (!rt) return -1;
    copy_measure(o, rt);
    return bench_claims_finish(o, rt, 1);
}

/* Rule: the shallow copy is one new object sharing the inner lists (their count +1); the
 * deep copy makes the outer and every inner list anew (ints are shared atoms, as in
 * Python) and leaves the inner counts alone. Both: true, one: partly, neither: false. */
void
bench_claim_copy_judge(bench_claim_out *o)
{
    int64_t r0 = GET("refcount_inner_before"), rs = GET("refcount_inner_after_shallow");
    int conds[] = {
        GET("objects_new_shallow_copy") == 1 && GET("shallow_shares_inner") &&
            rs == r0 + 1,
        GET("objects_new_deep_copy") == 1 + GET("inner_lists") &&
            !GET("deep_shares_inner") && GET("refcount_inner_after_deep") == rs,
    };
    o->verdict = bench_claims_verdict_all(conds, 2);
    bench_claims_text(
        o,
        "Copying a list of %lld inner lists: the shallow copy made %lld new object%s and "
        "%s the inner lists (an inner list's count went from %lld to %lld)%s. ",
        LL(GET("inner_lists")), LL(GET("objects_new_shallow_copy")),
        plural(GET("objects_new_shallow_copy")),
        GET("shallow_shares_inner") ? "shares" : "does not share", LL(r0), LL(rs),
        conds[0] ? ": a shallow copy, as the note says"
                 : ": not the shallow copy the note describes");
    bench_claims_text_add(
        o,
        "The deep copy made %lld new object%s, %s, and left that count at %lld%s.",
        LL(GET("objects_new_deep_copy")), plural(GET("objects_new_deep_copy")),
        GET("deep_shares_inner") ? "sharing an inner list" : "sharing no inner list",
        LL(GET("refcount_inner_after_deep")),
        conds[1] ? ": it copied the inner lists too, as the note says"
                 : ": not the deep copy the note describes");
}

/* ---- Singleton caches ---- */

enum {
    SINGLETON_KEYS = 1000,
    SINGLETON_CALLS = 3
};

/* get_instance(k): the cached instance for k, created on first use (the decorator
 * pattern). Returns: new reference. */
static mm_object *
singleton_get(bench_claim_out *o, mm_runtime *rt, mm_object *cache, mm_class *cls,
              int64_t k, int64_t *created)
{
    mm_object *key = need(mm_int_new(rt, k)), *inst = mm_dict_get(rt, cache, key);
    if (!inst) {
        inst = need(mm_instance_new(rt, cls));
        bench_claims_rc(o, mm_dict_set(rt, cache, key, inst));
        (*created)++;
    }
    mm_decref(rt, key);
    return inst;
}

static size_t
singleton_tracked(mm_runtime *rt)
{
    size_t sizes[MM_GC_GENERATIONS];
    mm_gc_get_sizes(rt, sizes);
    return sizes[0] + sizes[1] + sizes[2];
}

static void
singleton_measure(bench_claim_out *o, mm_runtime *rt, mm_class *cls)
{
    mm_object *cache = need(mm_dict_new(rt));
    int64_t created = 0, cached = 0;
    mm_stats st;
    for (int64_t k = 0; k < SINGLETON_KEYS; k++) {
        mm_object *first = singleton_get(o, rt, cache, cls, k, &created);
        for (int c = 1; c < SINGLETON_CALLS; c++) {
            mm_object *again = singleton_get(o, rt, cache, cls, k, &created);
            cached += again == first;
            mm_decref(rt, again);
        }
        mm_decref(rt, first);
    }
    bench_claims_int(o, "keys", SINGLETON_KEYS);
    bench_claims_int(o, "calls_per_key", SINGLETON_CALLS);
    bench_claims_int(o, "factory_calls", SINGLETON_KEYS * SINGLETON_CALLS);
    bench_claims_int(o, "instances_created", created);
    bench_claims_int(o, "repeat_calls_returning_cached", cached);
    bench_claims_rc(o, mm_gc_collect(rt, 2, NULL));
    mm_stats_get(rt, &st);
    bench_claims_int(o, "instances_alive_after_collect",
                     st.type_objects[MM_T_INSTANCE].current);
    bench_claims_int(o, "tracked_objects_before_freeze", (int64_t)singleton_tracked(rt));
    mm_gc_freeze(rt);
    bench_claims_int(o, "frozen_objects", (int64_t)mm_gc_get_freeze_count(rt));
    bench_claims_int(o, "tracked_objects_after_freeze", (int64_t)singleton_tracked(rt));
    mm_gc_unfreeze(rt);
    mm_decref(rt, cache);
}

int
bench_claim_singletons(bench_claim_out *o)
{
    static const mm_class_spec spec = { .name = "Config", .nslots = 1 };
    mm_runtime *rt = bench_claims_runtime(o, NULL, NULL);
    mm_class *cls;
    if (!rt) return -1;
    if (bench_claims_rc(o, mm_class_new(rt, &spec, &cls)) == MM_OK)
        singleton_measure(o, rt, cls);
    return bench_claims_finish(o, rt, 1);
}

/* Rule: one instance per key, every repeated call returned it, and all of them survived
 * a full collection with no caller holding them. All: true, some: partly, none: false.
 * (freeze is reported: what long-lived caches can do about collection cost.) */
void
bench_claim_singletons_judge(bench_claim_out *o)
{
    int64_t keys = GET("keys"), created = GET("instances_created");
    int64_t repeats = keys * (GET("calls_per_key") - 1);
    int64_t alive = GET("instances_alive_after_collect"), frozen = GET("frozen_objects");
    int conds[] = {
        created == keys,
        GET("repeat_calls_returning_cached") == repeats,
        alive == keys,
    };
    o->verdict = bench_claims_verdict_all(conds, 3);
    bench_claims_text(o,
                      "A caching factory called %lld times for each of %lld keys created "
                      "%lld instances; %lld of the %lld repeated calls returned the "
                      "cached object%s. ",
                      LL(GET("calls_per_key")), LL(keys), LL(created),
                      LL(GET("repeat_calls_returning_cached")), LL(repeats),
                      conds[0] && conds[1] ? ": one instance per key, as the note says"
                                           : "");
    bench_claims_text_add(o,
                          "With no caller holding them, %lld of the %lld instances "
                          "survived a full collection%s. ",
                          LL(alive), LL(created),
                          conds[2] ? ": the cache keeps them for the life of the program"
                                   : "");
    bench_claims_text_add(
        o, "gc.freeze moved %lld tracked objects to the permanent generation",
        LL(frozen));
    if (frozen > 0)
        bench_claims_text_add(o, ", so full collections examine %lld instead of %lld.",
                              LL(GET("tracked_objects_after_freeze")),
                              LL(GET("tracked_objects_before_freeze")));
    else
        bench_claims_text_add(o, ".");
}

/* ---- is vs == on shared immutables ---- */

/* Create the int v twice; *equal = value equality. Returns identity. */
static int
identity_int(mm_runtime *rt, int64_t v, int *equal)
{
    mm_object *a = need(mm_int_new(rt, v)), *b = need(mm_int_new(rt, v));
    int same = a == b;
    *equal = mm_object_equal(a, b);
    mm_decref(rt, a);
    mm_decref(rt, b);
    return same;
}

/* mk twice: identity in *same, equality returned. */
static int
identity_str(mm_runtime *rt, int interned, int *same)
{
    static const char text[] = "identifier";
    mm_object *a =
        need(interned ? mm_str_intern(rt, text) : mm_str_new(rt, text, sizeof text - 1));
    mm_object *b =
        need(interned ? mm_str_intern(rt, text) : mm_str_new(rt, text, sizeof text - 1));
    int equal = mm_object_equal(a, b);
    *same = a == b;
    mm_decref(rt, a);
    mm_decref(rt, b);
    return equal;
}

static void
identity_measure(bench_claim_out *o, mm_runtime *rt)
{
    int64_t identical = 0;
    int eq, same;
    for (int64_t v = -5; v <= 256; v++)
        identical += identity_int(rt, v, &eq);
    bench_claims_int(o, "ints_in_minus5_to_256", 262);
    bench_claims_int(o, "ints_identical_in_minus5_to_256", identical);
    bench_claims_int(o, "int_minus6_identical", identity_int(rt, -6, &eq));
    bench_claims_int(o, "int_257_identical", identity_int(rt, 257, &eq));
    bench_claims_int(o, "int_257_equal", eq);
    identity_str(rt, 1, &same);
    bench_claims_int(o, "interned_str_identical", same);
    bench_claims_int(o, "new_str_equal", identity_str(rt, 0, &same));
    bench_claims_int(o, "new_str_identical", same);
    mm_object *t1 = need(mm_tuple_pack(rt, 0, NULL)),
              *t2 = need(mm_tuple_pack(rt, 0, NULL));
    bench_claims_int(o, "empty_tuple_identical", t1 == t2);
    mm_decref(rt, t1);
    mm_decref(rt, t2);
}

int
bench_claim_identity(bench_claim_out *o)
{
    mm_runtime *rt = bench_claims_runtime(o, NULL, NULL);
    if (!rt) return -1;
    identity_measure(o, rt);
    return bench_claims_finish(o, rt, 1);
}

/* Rule: every cached int is one object; -6 and 257 are two equal objects; interned
 * strings are one object and separately built equal strings two. All: true, some:
 * partly, none: false. */
void
bench_claim_identity_judge(bench_claim_out *o)
{
    int conds[] = {
        GET("ints_identical_in_minus5_to_256") == GET("ints_in_minus5_to_256"),
        !GET("int_minus6_identical") && !GET("int_257_identical") && GET("int_257_equal"),
        GET("interned_str_identical"),
        GET("new_str_equal") && !GET("new_str_identical"),
    };
    o->verdict = bench_claims_verdict_all(conds, 4);
    bench_claims_text(
        o,
        "%lld of the %lld ints from -5 to 256 came back as the same object both times; "
        "257 came back as %s (`is` %s, `==` %s) and -6 as %s. An interned string was %s "
        "object twice; two strings built from the same text were %s and %s. The empty "
        "tuple is %s. ",
        LL(GET("ints_identical_in_minus5_to_256")), LL(GET("ints_in_minus5_to_256")),
        GET("int_257_identical") ? "one object" : "two objects",
        GET("int_257_identical") ? "true" : "false",
        GET("int_257_equal") ? "true" : "false",
        GET("int_minus6_identical") ? "one object" : "two objects",
        GET("interned_str_identical") ? "the same" : "not the same",
        GET("new_str_equal") ? "equal" : "not equal",
        GET("new_str_identical") ? "identical" : "not identical",
        GET("empty_tuple_identical") ? "a singleton" : "not a singleton");
    if (!strcmp(o->verdict, "true"))
        bench_claims_text_add(o, "`is` was true exactly where an immutable is shared, "
                                 "`==` wherever the values match.");
    else
        bench_claims_text_add(o,
                              "%d of the 4 checks (cached ints, uncached ints, interned "
                              "strings, built strings) matched the note.",
                              conds[0] + conds[1] + conds[2] + conds[3]);
}

/* ---- The GIL: threads under one lock vs a runtime each ---- */

enum {
    GIL_OPS = 200000 / BENCH_CLAIMS_SCALE,
    GIL_REPEAT = 5
};

/* Speedup = 2 x (one thread's time) / (two threads' time): 2 when two threads run at
 * once, 1 when they take turns. Under one lock the threads take turns if the speedup
 * stays at or below GIL_TURNS_MAX. That only means something if, without the lock, the
 * same two threads ran at once: the control (a runtime each) must reach
 * GIL_PARALLEL_MIN, halfway between taking turns and running at once, which a single
 * free CPU cannot reach; the gap to GIL_TURNS_MAX keeps the two outcomes apart. */
#define GIL_TURNS_MAX    1.25
#define GIL_PARALLEL_MIN 1.5

static uint64_t
gil_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The threads scenario's parameters for one setup. Returns 0, or -1 with o->err. */
static int
gil_values(bench_claim_out *o, const scenario *sc, int nthreads, int shared, sc_values *v)
{
    char kv[3][64];
    sc_defaults(sc, v);
    snprintf(kv[0], sizeof kv[0], "threads=%d", nthreads);
    snprintf(kv[1], sizeof kv[1], "ops=%d", GIL_OPS);
    snprintf(kv[2], sizeof kv[2], "shared=%d", shared);
    for (int i = 0; i < 3; i++)
        if (sc_param_set(sc, v, kv[i], o->err, sizeof o->err) != 0) return -1;
    return 0;
}

/* Best of GIL_REPEAT runs of each setup (one thread; two under one lock; two with a
 * runtime each) into ns[0..2]. The setups take turns within each round, so a burst of
 * load from elsewhere spoils one sample of each, not the best of one; a speedup is a
 * ratio of two of them. Returns 0, or -1 (o->err or o->rc set). */
static int
gil_time(bench_claim_out *o, mm_runtime *rt, const scenario *sc, uint64_t ns[3])
{
    static const int setups[3][2] = { { 1, 0 }, { 2, 1 }, { 2, 0 } };
    sc_values v[3];
    sc_counts counts;
    for (int i = 0; i < 3; i++) {
        ns[i] = UINT64_MAX;
        if (gil_values(o, sc, setups[i][0], setups[i][1], &v[i]) != 0) return -1;
    }
    for (int r = 0; r < GIL_REPEAT && o->rc == MM_OK; r++) {
        for (int i = 0; i < 3 && o->rc == MM_OK; i++) {
            uint64_t t0 = gil_now_ns();
            bench_claims_rc(o, sc->run(rt, &v[i], 1 + (uint64_t)r, &counts));
            uint64_t dt = gil_now_ns() - t0;
            ns[i] = dt < ns[i] ? dt : ns[i];
        }
    }
    return o->rc == MM_OK ? 0 : -1;
}

/* CPUs this process may run on (its affinity mask, as set by taskset or a cgroup
 * cpuset); the online count when the mask cannot be read. */
static int64_t
gil_cpus_usable(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
    return sysconf(_SC_NPROCESSORS_ONLN);
}

static int
gil_measure(bench_claim_out *o, mm_runtime *rt, const scenario *sc)
{
    uint64_t ns[3];
    if (gil_time(o, rt, sc, ns) != 0) return -1;
    uint64_t t1 = ns[0], ts = ns[1], tp = ns[2];
    bench_claims_int(o, "allocations_per_thread", GIL_OPS);
    bench_claims_int(o, "cpus_online", sysconf(_SC_NPROCESSORS_ONLN));
    bench_claims_int(o, "cpus_usable", gil_cpus_usable());
    bench_claims_int(o, "ns_one_thread", (int64_t)t1);
    bench_claims_int(o, "ns_two_threads_one_runtime_one_lock", (int64_t)ts);
    bench_claims_int(o, "ns_two_threads_runtime_each", (int64_t)tp);
    bench_claims_real(o, "speedup_two_threads_one_lock", 2.0 * (double)t1 / (double)ts);
    bench_claims_real(o, "speedup_two_threads_runtime_each",
                      2.0 * (double)t1 / (double)tp);
    return 0;
}

int
bench_claim_threads(bench_claim_out *o)
{
    const scenario *sc = sc_find("threads");
    mm_runtime *rt;
    if (!sc) {
        snprintf(o->err, sizeof o->err, "no 'threads' scenario in the registry");
        return -1;
    }
    if (!(rt = bench_claims_runtime(o, NULL, NULL))) return -1;
    if (gil_measure(o, rt, sc) != 0) {
        bench_claims_finish(o, rt, 0);
        return o->err[0] ? -1 : 0;
    }
    return bench_claims_finish(o, rt, 1);
}

/* Rule: only when the control ran in parallel (two usable CPUs and a runtime-each
 * speedup >= GIL_PARALLEL_MIN) does the lock's speedup say anything; otherwise
 * inconclusive. Then two CPU-bound threads under one lock at <= GIL_TURNS_MAX took
 * turns: the CPU-bound half holds, and as the I/O-bound half is not measured, partly.
 * Above it the lock let them run at once: false. */
void
bench_claim_threads_judge(bench_claim_out *o)
{
    double s1 = bench_claims_getr(o, "speedup_two_threads_one_lock");
    double sp = bench_claims_getr(o, "speedup_two_threads_runtime_each");
    int64_t cpus = GET("cpus_usable");
    int parallel = cpus >= 2 && sp >= GIL_PARALLEL_MIN;
    o->verdict = !parallel ? "inconclusive" : s1 <= GIL_TURNS_MAX ? "partly" : "false";
    bench_claims_text(o,
                      "Two threads allocating %lld objects each did %.2f times the work "
                      "per second of one thread under one runtime and one lock, and %.2f "
                      "times with a runtime each (%lld of %lld online CPUs usable). ",
                      LL(GET("allocations_per_thread")), s1, sp, LL(cpus),
                      LL(GET("cpus_online")));
    if (cpus < 2)
        bench_claims_text_add(o, "With one usable CPU two threads take turns with or "
                                 "without a lock, so this run cannot test the claim; "
                                 "run it with two free CPUs. ");
    else if (!parallel)
        bench_claims_text_add(o,
                              "Even without a lock the threads did not run at once "
                              "(below %.2f; a busy machine?), so this run cannot tell a "
                              "lock that makes threads take turns from CPUs that do. ",
                              GIL_PARALLEL_MIN);
    else if (s1 <= GIL_TURNS_MAX)
        bench_claims_text_add(o, "Without a lock they ran at once; under the lock they "
                                 "took turns, as under the GIL: the CPU-bound half "
                                 "holds. ");
    else
        bench_claims_text_add(o,
                              "The lock did not make them take turns (above %.2f): the "
                              "CPU-bound half does not hold here. ",
                              GIL_TURNS_MAX);
    bench_claims_text_add(o, "The I/O-bound half (threads that block on I/O release the "
                             "GIL and overlap) is not measured here.");
}

/* ---- Generators ---- */

enum {
    FAB_MAX = 10
};

/* fab(max): n, a, b = 0, 0, 1; while n < max: yield b; a, b = b, a + b; n += 1.
 * The C variables die at every yield; the state lives in the frame's locals
 * (0: n, 1: a, 2: b). */
static int
claims_fab(mm_runtime *rt, mm_gen_frame *f, mm_object *sent, mm_gen_mode mode,
           mm_object **out)
{
    int64_t n = 0, a = 0, b = 1;
    (void)sent;
    if (mode != MM_GEN_SEND) return mode == MM_GEN_CLOSE ? MM_GEN_RETURN : MM_ESTATE;
    if (f->label == 1) { /* resumed after `yield b` */
        int64_t prev;
        mm_int_value(f->locals[0], &n);
        mm_int_value(f->locals[1], &prev);
        mm_int_value(f->locals[2], &a);
        b = prev + a;
        n++;
    }
    if (n >= (int64_t)(intptr_t)f->arg) return MM_GEN_RETURN;
    mm_setref(rt, &f->locals[0], mm_int_new(rt, n));
    mm_setref(rt, &f->locals[1], mm_int_new(rt, a));
    mm_setref(rt, &f->locals[2], mm_int_new(rt, b));
    if (!f->locals[0] || !f->locals[1] || !f->locals[2]) return MM_ENOMEM;
    f->label = 1;
    *out = mm_incref(rt, f->locals[2]);
    return MM_GEN_YIELD;
}

/* Drain fab(FAB_MAX); count the values that match an independent Fibonacci loop. */
static void
fab_measure(bench_claim_out *o, mm_runtime *rt)
{
    mm_object *g = NULL, *v;
    int64_t got, want_a = 0, want_b = 1, yielded = 0, matching = 0, last = 0;
    int rc;
    bench_claims_rc(o, mm_gen_new(rt, claims_fab, 3, (void *)(intptr_t)FAB_MAX, &g));
    while (g && (rc = mm_gen_next(rt, g, &v)) == MM_OK) {
        mm_int_value(v, &got);
        matching += got == want_b;
        last = got;
        int64_t next = want_a + want_b;
        want_a = want_b;
        want_b = next;
        yielded++;
        mm_decref(rt, v);
    }
    if (g && rc != MM_ESTOP) bench_claims_rc(o, rc);
    bench_claims_int(o, "fab_max", FAB_MAX);
    bench_claims_int(o, "values_yielded", yielded);
    bench_claims_int(o, "values_matching_fibonacci", matching);
    bench_claims_int(o, "last_value", last);
    mm_xdecref(rt, g);
}

/* A generator that keeps a list (which holds the generator) in its frame and yields
 * once; closing it counts. */
typedef struct holder_arg {
    mm_object *list;
    int64_t closes;
} holder_arg;

static int
claims_holder(mm_runtime *rt, mm_gen_frame *f, mm_object *sent, mm_gen_mode mode,
              mm_object **out)
{
    holder_arg *h = f->arg;
    (void)sent;
    if (mode == MM_GEN_CLOSE) {
        h->closes++;
        mm_clear(rt, &f->locals[0]);
        return MM_GEN_RETURN;
    }
    if (mode != MM_GEN_SEND || f->label == 1)
        return mode == MM_GEN_SEND ? MM_GEN_RETURN : MM_ESTATE;
    mm_setref(rt, &f->locals[0], mm_incref(rt, h->list));
    f->label = 1;
    *out = NULL;
    return MM_GEN_YIELD;
}

/* Start the holder, drop every name: generator -> frame -> list -> generator. */
static void
abandon_measure(bench_claim_out *o, mm_runtime *rt)
{
    int64_t live = mm_runtime_live_objects(rt);
    holder_arg h = { need(mm_list_new(rt)), 0 };
    mm_object *g = NULL, *v = NULL;
    bench_claims_rc(o, mm_gen_new(rt, claims_holder, 1, &h, &g));
    if (g) {
        bench_claims_rc(o, mm_list_append(rt, h.list, g));
        bench_claims_rc(o, mm_gen_next(rt, g, &v));
        mm_xdecref(rt, v);
        mm_decref(rt, g);
    }
    mm_decref(rt, h.list);
    bench_claims_int(o, "objects_live_after_abandon", mm_runtime_live_objects(rt) - live);
    bench_claims_rc(o, mm_gc_collect(rt, 2, NULL));
    bench_claims_int(o, "objects_live_after_collect", mm_runtime_live_objects(rt) - live);
    bench_claims_int(o, "generator_closes", h.closes);
}

int
bench_claim_generators(bench_claim_out *o)
{
    mm_runtime *rt = bench_claims_runtime(o, NULL, NULL);
    if (!rt) return -1;
    mm_gc_disable(rt); /* only the explicit collection */
    fab_measure(o, rt);
    abandon_measure(o, rt);
    return bench_claims_finish(o, rt, 1);
}

/* Rule: fab(10) yields the first 10 Fibonacci numbers (its state survived every
 * resumption) and the abandoned generator's cycle outlived its names but not a
 * collection, which closed it once. Both: true, one: partly, neither: false. */
void
bench_claim_generators_judge(bench_claim_out *o)
{
    int conds[] = {
        GET("values_yielded") == GET("fab_max") &&
            GET("values_matching_fibonacci") == GET("fab_max"),
        GET("objects_live_after_abandon") >= 2 &&
            GET("objects_live_after_collect") == 0 && GET("generator_closes") == 1,
    };
    o->verdict = bench_claims_verdict_all(conds, 2);
    bench_claims_text(
        o,
        "fab(%lld) yielded %lld values, %lld of them the expected Fibonacci numbers (the "
        "last %lld)%s. ",
        LL(GET("fab_max")), LL(GET("values_yielded")),
        LL(GET("values_matching_fibonacci")), LL(GET("last_value")),
        conds[0] ? ": n, a and b survived every resumption in the "
                   "generator's heap frame"
                 : ": its local state did not survive every resumption");
    bench_claims_text_add(
        o,
        "A suspended generator whose frame holds a list holding the generator left %lld "
        "objects alive after its names were dropped; a collection closed it %lld time%s "
        "and left %lld%s.",
        LL(GET("objects_live_after_abandon")), LL(GET("generator_closes")),
        plural(GET("generator_closes")), LL(GET("objects_live_after_collect")),
        conds[1] ? ": the cycle outlived its names, not the collector" : "");
}
