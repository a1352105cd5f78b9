/* Seed claims: the driver, the helpers, and the experiments of rows 1.1 to 1.3c (the
 * reference counts, cycles and the allocator). Each verdict is a rule over the measured
 * values, stated next to its judge.
 * SPDX-License-Identifier: MIT */
#include "claims.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "util.h"

#define need   bench_claims_need
#define MIB(b) ((double)(b) / 1048576.0)

/* ---- Helpers ---- */

static void
claims_on_error(void *arg, int code, const char *file, int line, const char *text)
{
    (void)code, (void)file, (void)line, (void)text;
    if (arg) (*(int *)arg)++;
}

mm_runtime *
bench_claims_runtime(bench_claim_out *out, const mm_config *cfg, int *nreports)
{
    mm_config c;
    mm_runtime *rt;
    char msg[200];
    if (cfg)
        c = *cfg;
    else
        mm_config_default(&c);
    c.on_error = claims_on_error;
    c.error_arg = nreports;
    if (mm_runtime_new(&rt, &c, msg, sizeof msg) != MM_OK) {
        snprintf(out->err, sizeof out->err, "runtime: %s", msg);
        return NULL;
    }
    return rt;
}

int
bench_claims_finish(bench_claim_out *out, mm_runtime *rt, int leak_check)
{
    int64_t live = mm_runtime_live_objects(rt);
    mm_runtime_destroy(rt);
    if (leak_check && live != 0) {
        snprintf(out->err, sizeof out->err, "%lld objects still alive at the end",
                 (long long)live);
        return -1;
    }
    return 0;
}

mm_object *
bench_claims_need(mm_object *p)
{
    if (!p) {
        fprintf(stderr, "mmbench: out of memory\n");
        abort();
    }
    return p;
}

int
bench_claims_rc(bench_claim_out *out, int rc)
{
    if (rc != MM_OK && out->rc == MM_OK) out->rc = rc;
    return rc;
}

void
bench_claims_int(bench_claim_out *out, const char *key, int64_t v)
{
    json_object_set_new(out->measured, key, json_integer(v));
}

void
bench_claims_real(bench_claim_out *out, const char *key, double v)
{
    json_object_set_new(out->measured, key, json_real(v));
}

int64_t
bench_claims_get(const bench_claim_out *out, const char *key)
{
    return json_integer_value(json_object_get(out->measured, key));
}

double
bench_claims_getr(const bench_claim_out *out, const char *key)
{
    return json_number_value(json_object_get(out->measured, key));
}

const char *
bench_claims_verdict_all(const int *conds, size_t n)
{
    size_t held = 0;
    for (size_t i = 0; i < n; i++)
        held += conds[i] != 0;
    return held == n ? "true" : held == 0 ? "false" : "partly";
}

void
bench_claims_text(bench_claim_out *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->text, sizeof out->text, fmt, ap);
    va_end(ap);
}

void
bench_claims_text_add(bench_claim_out *out, const char *fmt, ...)
{
    size_t used = strlen(out->text);
    va_list ap;
    if (used + 1 >= sizeof out->text) return;
    va_start(ap, fmt);
    vsnprintf(out->text + used, sizeof out->text - used, fmt, ap);
    va_end(ap);
}

#define GET(key) bench_claims_get(o, key)

/* ---- 1.1 Reference counts ---- */

/* A callee binding its argument to a local name: one more reference while it runs. */
static intptr_t
rc_inside_call(mm_runtime *rt, mm_object *arg)
{
    mm_object *local = mm_incref(rt, arg);
    intptr_t n = mm_refcount(local);
    mm_decref(rt, local);
    return n;
}

/* x = 1000; y = x; l.append(x); d["x"] = x; del y; f(x); z = x; z = 2000; l.clear();
 * del d["x"], reading the count after each step. */
static void
rc_steps(bench_claim_out *o, mm_runtime *rt)
{
    mm_object *x = need(mm_int_new(rt, 1000)), *list = need(mm_list_new(rt));
    mm_object *dict = need(mm_dict_new(rt)), *key = need(mm_str_new(rt, "x", 1)), *y, *z;
    bench_claims_int(o, "refcount_initial", mm_refcount(x));
    y = mm_incref(rt, x);
    bench_claims_int(o, "refcount_after_bind", mm_refcount(x));
    bench_claims_rc(o, mm_list_append(rt, list, x));
    bench_claims_int(o, "refcount_after_list_insert", mm_refcount(x));
    bench_claims_rc(o, mm_dict_set(rt, dict, key, x));
    bench_claims_int(o, "refcount_after_dict_insert", mm_refcount(x));
    mm_decref(rt, y);
    bench_claims_int(o, "refcount_after_del", mm_refcount(x));
    bench_claims_int(o, "refcount_inside_call", rc_inside_call(rt, x));
    bench_claims_int(o, "refcount_after_call", mm_refcount(x));
    z = mm_incref(rt, x);
    bench_claims_int(o, "refcount_before_rebind", mm_refcount(x));
    mm_setref(rt, &z, need(mm_int_new(rt, 2000)));
    bench_claims_int(o, "refcount_after_rebind", mm_refcount(x));
    bench_claims_rc(o, mm_list_clear(rt, list));
    bench_claims_rc(o, mm_dict_del(rt, dict, key));
    bench_claims_int(o, "refcount_after_container_removal", mm_refcount(x));
    mm_decref(rt, z);
    mm_decref(rt, key);
    mm_decref(rt, dict);
    mm_decref(rt, list);
    mm_decref(rt, x);
}

/* Fresh references to shared immutables already carry the runtime's own. */
static void
rc_shared(bench_claim_out *o, mm_runtime *rt)
{
    mm_object *seven = need(mm_int_new(rt, 7)), *name = need(mm_str_intern(rt, "name"));
    bench_claims_int(o, "refcount_cached_int_7", mm_refcount(seven));
    bench_claims_int(o, "refcount_interned_str", mm_refcount(name));
    mm_decref(rt, name);
    mm_decref(rt, seven);
}

static int
claim_refcount(bench_claim_out *o)
{
    mm_runtime *rt = bench_claims_runtime(o, NULL, NULL);
    if (!rt) return -1;
    rc_steps(o, rt);
    rc_shared(o, rt);
    return bench_claims_finish(o, rt, 1);
}

/* Rule: every step moves the count by exactly one in the claimed direction and a new
 * reference to a cached int reads more than 1; all: true, some: partly, none: false. */
static void
refcount_judge(bench_claim_out *o)
{
    enum {
        NSTEPS = 7
    };
    int64_t r0 = GET("refcount_initial"), del = GET("refcount_after_del");
    int64_t seven = GET("refcount_cached_int_7"), interned = GET("refcount_interned_str");
    int conds[NSTEPS + 1] = {
        GET("refcount_after_bind") == r0 + 1,
        GET("refcount_after_list_insert") == r0 + 2,
        GET("refcount_after_dict_insert") == r0 + 3,
        del == r0 + 2,
        GET("refcount_inside_call") == del + 1 && GET("refcount_after_call") == del,
        GET("refcount_after_rebind") == GET("refcount_before_rebind") - 1,
        GET("refcount_after_container_removal") == r0,
        seven > 1,
    };
    int steps = 0;
    for (int i = 0; i < NSTEPS; i++)
        steps += conds[i];
    o->verdict = bench_claims_verdict_all(conds, NSTEPS + 1);
    bench_claims_text(
        o,
        "Binding a second name took the count from %lld to %lld, appending to a list to "
        "%lld and storing in a dict to %lld; del of the second name gave %lld; inside a "
        "call that bound it to a parameter it read %lld, after the call %lld; rebinding "
        "a name took it from %lld to %lld; removing it from both containers gave %lld. ",
        (long long)r0, (long long)GET("refcount_after_bind"),
        (long long)GET("refcount_after_list_insert"),
        (long long)GET("refcount_after_dict_insert"), (long long)del,
        (long long)GET("refcount_inside_call"), (long long)GET("refcount_after_call"),
        (long long)GET("refcount_before_rebind"), (long long)GET("refcount_after_rebind"),
        (long long)GET("refcount_after_container_removal"));
    if (steps == NSTEPS)
        bench_claims_text_add(o, "Every step moved the count by one, the way the note "
                                 "says. ");
    else
        bench_claims_text_add(o,
                              "Only %d of the %d steps moved the count by one the way "
                              "the note says. ",
                              steps, NSTEPS);
    bench_claims_text_add(o, "A new reference to the cached int 7 reads %lld%s",
                          (long long)seven,
                          seven > 1 ? ", more than the program made: the cache holds "
                                      "references of its own"
                                    : ", the program's own reference only");
    bench_claims_text_add(o, "; one to an interned string reads %lld%s.",
                          (long long)interned,
                          interned > 1 ? ", also more than the program made"
                                       : ", the program's own reference only");
}

/* ---- 1.2 Immediate reclamation and cycles ---- */

enum {
    CHAIN_LEN = 100000
};

/* A chain of n lists, each holding the next. Returns: new reference to the head. */
static mm_object *
chain_new(bench_claim_out *o, mm_runtime *rt, size_t n)
{
    mm_object *head = need(mm_list_new(rt));
    for (size_t i = 1; i < n; i++) {
        mm_object *outer = need(mm_list_new(rt));
        bench_claims_rc(o, mm_list_append_steal(rt, outer, head));
        head = outer;
    }
    return head;
}

/* Two lists holding each other, both names dropped. */
void
bench_claims_cycle2_drop(bench_claim_out *o, mm_runtime *rt)
{
    mm_object *a = need(mm_list_new(rt)), *b = need(mm_list_new(rt));
    bench_claims_rc(o, mm_list_append(rt, a, b));
    bench_claims_rc(o, mm_list_append(rt, b, a));
    mm_decref(rt, a);
    mm_decref(rt, b);
}

static void
reclaim_measure(bench_claim_out *o, mm_runtime *rt)
{
    mm_stats s0, s1, s2;
    int64_t found = 0, live0 = mm_runtime_live_objects(rt);
    mm_object *head = chain_new(o, rt, CHAIN_LEN);
    mm_stats_get(rt, &s0);
    mm_decref(rt, head);
    mm_stats_get(rt, &s1);
    bench_claims_int(o, "chain_objects", CHAIN_LEN);
    bench_claims_int(o, "objects_freed_by_one_decref",
                     (int64_t)(s1.freed_by_refcount.total - s0.freed_by_refcount.total));
    bench_claims_cycle2_drop(o, rt);
    bench_claims_int(o, "cycle_objects_live_after_del",
                     mm_runtime_live_objects(rt) - live0);
    bench_claims_rc(o, mm_gc_collect(rt, 2, &found));
    mm_stats_get(rt, &s2);
    bench_claims_int(o, "cycle_objects_found_by_collector", found);
    bench_claims_int(o, "objects_freed_by_gc",
                     (int64_t)(s2.freed_by_gc.total - s1.freed_by_gc.total));
    bench_claims_int(o, "objects_live_after_collect",
                     mm_runtime_live_objects(rt) - live0);
}

static int
claim_reclaim(bench_claim_out *o)
{
    mm_runtime *rt = bench_claims_runtime(o, NULL, NULL);
    if (!rt) return -1;
    mm_gc_disable(rt); /* only the explicit collection below */
    reclaim_measure(o, rt);
    return bench_claims_finish(o, rt, 1);
}

/* Rule: the whole chain is freed by one decref, the 2-cycle stays alive after its names
 * are dropped, and a collection frees it; all: true, some: partly, none: false. */
static void
reclaim_judge(bench_claim_out *o)
{
    int conds[] = {
        GET("objects_freed_by_one_decref") == GET("chain_objects"),
        GET("cycle_objects_live_after_del") == 2,
        GET("objects_freed_by_gc") == 2 && GET("objects_live_after_collect") == 0,
    };
    o->verdict = bench_claims_verdict_all(conds, 3);
    bench_claims_text(o,
                      "Dropping the last reference to a chain of %lld nested lists freed "
                      "%lld objects at once%s. ",
                      (long long)GET("chain_objects"),
                      (long long)GET("objects_freed_by_one_decref"),
                      conds[0] ? ": the whole chain, the moment its count reached zero"
                               : ": not the whole chain");
    bench_claims_text_add(o,
                          "After both names of two lists holding each other were "
                          "deleted, %lld objects were still alive%s; ",
                          (long long)GET("cycle_objects_live_after_del"),
                          conds[1] ? " (the cycle's counts never reach zero)" : "");
    bench_claims_text_add(o, "a collection found %lld, freed %lld and left %lld%s.",
                          (long long)GET("cycle_objects_found_by_collector"),
                          (long long)GET("objects_freed_by_gc"),
                          (long long)GET("objects_live_after_collect"),
                          conds[2] ? ": the cycle detector deleted the cycle"
                                   : ": the cycle was not deleted");
}

/* ---- 1.3a The small-object threshold ---- */

/* Request 300 and 600 bytes under small_threshold (0: default); record where each went
 * (live large allocations, pool blocks in use). */
static int
threshold_probe(bench_claim_out *o, size_t threshold, const char *tag)
{
    static const size_t sizes[] = { 300, 600 };
    mm_config c;
    mm_runtime *rt;
    char key[96];
    mm_config_default(&c);
    if (threshold) c.small_threshold = threshold;
    if (!(rt = bench_claims_runtime(o, &c, NULL))) return -1;
    if (!threshold)
        bench_claims_int(o, "small_threshold_default_bytes",
                         (int64_t)mm_runtime_config(rt)->small_threshold);
    for (size_t i = 0; i < 2; i++) {
        mm_alloc_stats st;
        void *p = mm_mem_alloc(rt, sizes[i]);
        if (!p) need(NULL);
        mm_alloc_stats_get(rt, &st);
        snprintf(key, sizeof key, "large_allocs_%zu_bytes_%s", sizes[i], tag);
        bench_claims_int(o, key, (int64_t)st.large_allocs);
        mm_mem_free(rt, p, sizes[i]);
    }
    return bench_claims_finish(o, rt, 1);
}

static int
claim_threshold(bench_claim_out *o)
{
    if (threshold_probe(o, 0, "default") || threshold_probe(o, 256, "threshold_256"))
        return -1;
    return 0;
}

/* Where a request went, from the live large allocations after it. */
static const char *
threshold_where(int64_t large_allocs)
{
    return large_allocs == 0 ? "was served from a pool" : "went to malloc";
}

/* Rule: under the default threshold 300 bytes pooled and 600 large, and 300 large only
 * with small_threshold=256: the note's 256 is the old value (outdated). 300 large under
 * the default: true. Anything else: partly. */
static void
threshold_judge(bench_claim_out *o)
{
    int64_t deflt = GET("small_threshold_default_bytes");
    int64_t l300 = GET("large_allocs_300_bytes_default");
    int64_t l600 = GET("large_allocs_600_bytes_default");
    int64_t l300_256 = GET("large_allocs_300_bytes_threshold_256");
    int pooled300 = l300 == 0, large600 = l600 == 1, large300_256 = l300_256 == 1;
    o->verdict = !pooled300 ? "true" : large600 && large300_256 ? "outdated" : "partly";
    bench_claims_text(o,
                      "With the default small_threshold of %lld bytes a 300-byte request "
                      "%s (%lld large allocations) and a 600-byte one %s (%lld); with "
                      "small_threshold=256, the note's figure, the 300-byte request %s "
                      "(%lld). ",
                      (long long)deflt, threshold_where(l300), (long long)l300,
                      threshold_where(l600), (long long)l600, threshold_where(l300_256),
                      (long long)l300_256);
    if (!pooled300)
        bench_claims_text_add(o, "Requests above 256 bytes go to malloc, as the note "
                                 "says.");
    else if (large600 && large300_256)
        bench_claims_text_add(o,
                              "The note's 256 is CPython's threshold before 3.8; the "
                              "default here is %lld%s.",
                              (long long)deflt,
                              deflt == 512 ? ", CPython's since 3.8" : "");
    else
        bench_claims_text_add(o, "Neither threshold split the requests as expected.");
}

/* ---- 1.3b Memory returned to the OS ---- */

enum {
    ARENA_INTS = 200000,
    ARENA_KEEP_EVERY = 256
};

static void
arena_snapshot(bench_claim_out *o, mm_runtime *rt, const char *when)
{
    mm_alloc_stats st;
    char key[96];
    mm_alloc_stats_get(rt, &st);
    snprintf(key, sizeof key, "bytes_mapped_%s", when);
    bench_claims_int(o, key, (int64_t)st.bytes_mapped);
    snprintf(key, sizeof key, "arenas_%s", when);
    bench_claims_int(o, key, (int64_t)st.arenas_current);
}

/* Many ints; free all but one in ARENA_KEEP_EVERY (each pool keeps a survivor), then the
 * rest. */
static void
arena_measure(bench_claim_out *o, mm_runtime *rt)
{
    mm_object **ints = bench_xmalloc(ARENA_INTS * sizeof *ints);
    mm_alloc_stats st;
    for (size_t i = 0; i < ARENA_INTS; i++)
        ints[i] = need(mm_int_new(rt, 1000 + (int64_t)i));
    arena_snapshot(o, rt, "ints_live");
    for (size_t i = 0; i < ARENA_INTS; i++)
        if (i % ARENA_KEEP_EVERY) mm_decref(rt, ints[i]);
    arena_snapshot(o, rt, "after_scattered_free");
    for (size_t i = 0; i < ARENA_INTS; i += ARENA_KEEP_EVERY)
        mm_decref(rt, ints[i]);
    arena_snapshot(o, rt, "after_full_free");
    mm_alloc_stats_get(rt, &st);
    bench_claims_int(o, "arenas_returned_to_os", (int64_t)st.arenas_reclaimed);
    bench_claims_int(o, "ints_allocated", ARENA_INTS);
    bench_claims_int(o, "ints_kept_scattered", (ARENA_INTS - 1) / ARENA_KEEP_EVERY + 1);
    free(ints);
}

static int
claim_arenas(bench_claim_out *o)
{
    mm_runtime *rt = bench_claims_runtime(o, NULL, NULL);
    if (!rt) return -1;
    arena_measure(o, rt);
    return bench_claims_finish(o, rt, 1);
}

/* Rule: scattered survivors keep every arena mapped (memory goes back to the pools) and
 * freeing all returns arenas to the OS: partly. Nothing returned: true. Returned even
 * with survivors scattered: false. */
static void
arenas_judge(bench_claim_out *o)
{
    int64_t peak = GET("bytes_mapped_ints_live");
    int kept = GET("bytes_mapped_after_scattered_free") == peak;
    int released = GET("bytes_mapped_after_full_free") < peak;
    o->verdict = !released ? "true" : kept ? "partly" : "false";
    bench_claims_text(o,
                      "%lld ints mapped %.1f MiB (%lld arenas). Freeing all but %lld of "
                      "them, scattered over every pool, left %.1f MiB mapped%s. ",
                      (long long)GET("ints_allocated"), MIB(peak),
                      (long long)GET("arenas_ints_live"),
                      (long long)GET("ints_kept_scattered"),
                      MIB(GET("bytes_mapped_after_scattered_free")),
                      kept ? ": the freed blocks stayed in the pools"
                           : ": some of the freed memory left the process while every "
                             "pool still held a live int");
    bench_claims_text_add(o, "Freeing the rest left %.1f MiB mapped",
                          MIB(GET("bytes_mapped_after_full_free")));
    if (released)
        bench_claims_text_add(o,
                              ": %lld of the %lld arenas, emptied, were returned to the "
                              "OS (as CPython does since 2.5).",
                              (long long)GET("arenas_returned_to_os"),
                              (long long)GET("arenas_ints_live"));
    else
        bench_claims_text_add(o, ": no memory went back to the OS, as the note says.");
}

/* ---- 1.3c Ints then floats: shared vs private pools ---- */

enum {
    TYPEPOOL_N = 100000
};

/* Does a float allocated right after an int dies take the int's block? */
static int
typepool_block_reused(mm_runtime *rt)
{
    mm_object *i = need(mm_int_new(rt, 5000)), *f;
    uintptr_t addr = (uintptr_t)i;
    mm_decref(rt, i);
    f = need(mm_float_new(rt, 0.5));
    int reused = (uintptr_t)f == addr;
    mm_decref(rt, f);
    return reused;
}

static void
typepool_key(char *key, size_t n, const char *what, const char *tag)
{
    snprintf(key, n, "%s_%s", what, tag);
}

static int
typepool_run(bench_claim_out *o, mm_alloc_kind kind, const char *tag)
{
    mm_config c;
    mm_runtime *rt;
    mm_alloc_stats st[3];
    mm_freelist_counts fl;
    mm_object **objs = bench_xmalloc(TYPEPOOL_N * sizeof *objs);
    char key[96];
    mm_config_default(&c);
    c.alloc = kind;
    if (!(rt = bench_claims_runtime(o, &c, NULL))) {
        free(objs);
        return -1;
    }
    typepool_key(key, sizeof key, "float_reused_int_block", tag);
    bench_claims_int(o, key, typepool_block_reused(rt));
    for (size_t i = 0; i < TYPEPOOL_N; i++)
        objs[i] = need(mm_int_new(rt, 1000 + (int64_t)i));
    mm_alloc_stats_get(rt, &st[0]);
    for (size_t i = 0; i < TYPEPOOL_N; i++)
        mm_decref(rt, objs[i]);
    mm_alloc_stats_get(rt, &st[1]);
    for (size_t i = 0; i < TYPEPOOL_N; i++)
        objs[i] = need(mm_float_new(rt, (double)i + 0.25));
    mm_alloc_stats_get(rt, &st[2]);
    for (size_t i = 0; i < TYPEPOOL_N; i++)
        mm_decref(rt, objs[i]);
    mm_freelist_counts_get(rt, &fl);
    free(objs);
    static const char *const when[] = { "ints_live", "after_free_ints", "after_floats" };
    for (int i = 0; i < 3; i++) {
        char what[64];
        snprintf(what, sizeof what, "bytes_mapped_%s", when[i]);
        typepool_key(key, sizeof key, what, tag);
        bench_claims_int(o, key, (int64_t)st[i].bytes_mapped);
    }
    typepool_key(key, sizeof key, "bytes_growth_for_floats", tag);
    bench_claims_int(o, key, (int64_t)st[2].bytes_mapped - (int64_t)st[0].bytes_mapped);
    typepool_key(key, sizeof key, "float_freelist_entries_after_free", tag);
    bench_claims_int(o, key, fl.floats);
    return bench_claims_finish(o, rt, 1);
}

static int
claim_typepools(bench_claim_out *o)
{
    if (typepool_run(o, MM_ALLOC_POOL, "shared") ||
        typepool_run(o, MM_ALLOC_PRIVATE, "private"))
        return -1;
    bench_claims_int(o, "objects_per_type", TYPEPOOL_N);
    return 0;
}

/* Rule: growth = bytes mapped with the floats live minus with the ints live. Private
 * pools grow and shared pools grow less than a quarter of that: the claim holds only
 * for the Python 2 design (outdated). Shared grows, as much as private (>= 3/4): true.
 * Neither grows: the run cannot tell the designs apart (inconclusive). Otherwise:
 * partly. */
static void
typepools_judge(bench_claim_out *o)
{
    int64_t gs = GET("bytes_growth_for_floats_shared");
    int64_t gp = GET("bytes_growth_for_floats_private");
    long long n = (long long)GET("objects_per_type");
    o->verdict = gp > 0 && 4 * gs < gp        ? "outdated"
                 : gs > 0 && 4 * gs >= 3 * gp ? "true"
                 : gp <= 0 && gs <= 0         ? "inconclusive"
                                              : "partly";
    bench_claims_text(o,
                      "After %lld ints were freed, %lld floats needed %.1f MiB more than "
                      "the ints' peak under shared pools (the first float %s the dead "
                      "int's block) and %.1f MiB more under private per-type pools (%.1f "
                      "MiB still mapped there after the ints died). ",
                      n, n, MIB(gs),
                      GET("float_reused_int_block_shared") ? "took" : "did not take",
                      MIB(gp), MIB(GET("bytes_mapped_after_free_ints_private")));
    if (!strcmp(o->verdict, "outdated"))
        bench_claims_text_add(o,
                              "Only private pools kept the dead ints' blocks from the "
                              "floats: the note describes Python 2. CPython 3 shares "
                              "pools between types and keeps only small per-type free "
                              "lists (%lld floats cached after the floats died).",
                              (long long)GET("float_freelist_entries_after_free_shared"));
    else if (!strcmp(o->verdict, "true"))
        bench_claims_text_add(o, "Shared pools grew as much as private ones: freeing "
                                 "ints did not make room for floats, as the note says.");
    else if (!strcmp(o->verdict, "inconclusive"))
        bench_claims_text_add(o, "Neither design needed more memory for the floats, so "
                                 "this run does not tell them apart.");
    else
        bench_claims_text_add(o, "Shared pools grew less than private ones but more "
                                 "than a quarter as much: the floats reused only some "
                                 "of the dead ints' memory.");
}

/* ---- The driver ---- */

typedef struct claim_def {
    const char *id;
    const char *claim;      /* the seed's claim, paraphrased */
    const char *experiment; /* what the experiment does */
    bench_claim_fn run;
    bench_claim_judge_fn judge;
} claim_def;

/* One row per memory claim of ../shared/seed/README.md, in its order. */
static const claim_def claim_defs[] = {
    { "1.1",
      "Every object carries a reference count that rises when a name is bound to it or "
      "it is put in a container and falls on del, rebinding or leaving scope; shared "
      "immutables make counts higher than one would guess.",
      "Read mm_refcount of a fresh int after binding a second name, appending it to a "
      "list, storing it in a dict, del, a call, rebinding and removal, and of a cached "
      "int and an interned string.",
      claim_refcount, refcount_judge },
    { "1.2",
      "An object is reclaimed as soon as its count reaches zero, but objects that refer "
      "to each other never reach zero, so a periodic cycle detector finds and deletes "
      "them.",
      "Drop the only reference to a chain of nested lists and count what refcounting "
      "frees; drop both names of a 2-cycle, count the survivors, then collect.",
      claim_reclaim, reclaim_judge },
    { "1.3a",
      "pymalloc serves requests under 256 bytes; bigger ones go to the system malloc.",
      "Allocate 300 and 600 bytes with the default small_threshold and with 256, and "
      "read the allocator's live large allocations after each.",
      claim_threshold, threshold_judge },
    { "1.3b", "Freed memory goes back to a memory pool, not to the operating system.",
      "Allocate many ints, free all but one per pool, then the rest, reading the mapped "
      "arenas after each step.",
      claim_arenas, arenas_judge },
    { "1.3c",
      "Ints, floats and lists have private pools that other types cannot reuse: freeing "
      "many ints does not make room for floats.",
      "Create and free many ints, then create as many floats, under shared pools (pool) "
      "and private per-type pools (private), comparing the bytes mapped.",
      claim_typepools, typepools_judge },
    { "2",
      "Garbage collection is reference counting first, mark-and-sweep for container "
      "cycles, and generational collection that trades space for time.",
      "Collect an unreachable 2-cycle next to an object the program holds (and weakly "
      "references) without registering a root, under cpython311 and under marksweep.",
      bench_claim_gc_design, bench_claim_gc_design_judge },
    { "2.1",
      "Reference counting is simple and frees at once, but keeping the counts costs time "
      "and it cannot free cycles.",
      "Run a mixed workload of short-lived objects with a 2-cycle every 16 steps and "
      "count frees by refcount vs by the collector, and refcount operations per object.",
      bench_claim_refcounting, bench_claim_refcounting_judge },
    { "2.2",
      "Mark-sweep lets the program allocate until memory runs out, then traces from the "
      "roots, marks what is reachable and sweeps the rest.",
      "Allocate garbage cycles under the marksweep policy with a small heap limit and "
      "under cpython311, counting collections against bytes and allocations.",
      bench_claim_marksweep, bench_claim_marksweep_judge },
    { "2.3",
      "Objects that survive collections move to older generations collected much less "
      "often; young collections touch less memory; garbage in old generations is "
      "reclaimed later.",
      "Watch generation sizes across collect(0) and collect(1), compare objects examined "
      "by young and full collections, leave a cycle in generation 2, and count automatic "
      "collections per generation while many objects stay alive.",
      bench_claim_generations, bench_claim_generations_judge },
    { "copy",
      "copy.copy makes a shallow copy that shares the inner objects; copy.deepcopy "
      "copies them too.",
      "Copy a list of three inner lists with mm_copy and mm_deepcopy, counting new "
      "objects and the inner lists' reference counts.",
      bench_claim_copy, bench_claim_copy_judge },
    { "singletons",
      "A singleton (decorator, class decorator, __new__ or metaclass) hands out one "
      "cached instance, and the cache keeps it alive for the life of the program.",
      "Call a caching factory three times for each of many keys, drop every caller "
      "reference, collect, then freeze the cache.",
      bench_claim_singletons, bench_claim_singletons_judge },
    { "is-vs-eq",
      "`is` compares identity and `==` values; shared immutables such as small ints make "
      "`is` true where separate objects make it false.",
      "Create every int from -6 to 257 twice, and strings interned and not, comparing "
      "pointers and values.",
      bench_claim_identity, bench_claim_identity_judge },
    { "gil",
      "Under the GIL one thread runs at a time, so threads help I/O-bound but not "
      "CPU-bound work.",
      "Time the threads scenario (best of 5 rounds, the setups taking turns): one "
      "thread, two threads sharing one runtime under one lock, and two threads with a "
      "runtime each, the control that must run in parallel for the lock's timing to "
      "count.",
      bench_claim_threads, bench_claim_threads_judge },
    { "generators",
      "A generator such as fab(max) keeps its local state between resumptions.",
      "Run fab(10) through the generator API, then abandon a suspended generator in a "
      "cycle and collect.",
      bench_claim_generators, bench_claim_generators_judge },
};

static json_t *
claim_entry(const claim_def *d, bench_claim_out *o)
{
    json_t *e = json_object();
    json_object_set_new(e, "id", json_string(d->id));
    json_object_set_new(e, "claim", json_string(d->claim));
    json_object_set_new(e, "experiment", json_string(d->experiment));
    json_object_set(e, "measured", o->measured);
    json_object_set_new(e, "verdict", json_string(o->verdict));
    json_object_set_new(e, "text", json_string(o->text));
    return e;
}

int
bench_claims_judge(const char *id, bench_claim_out *out)
{
    for (size_t i = 0; i < sizeof claim_defs / sizeof claim_defs[0]; i++) {
        if (!strcmp(claim_defs[i].id, id)) {
            out->verdict = NULL;
            out->text[0] = 0;
            claim_defs[i].judge(out);
            return 0;
        }
    }
    return -1;
}

/* Run one experiment, then judge what it measured. Returns: new entry, or NULL with
 * err. */
static json_t *
claim_run_one(const claim_def *d, char *err, size_t n)
{
    bench_claim_out o;
    json_t *e = NULL;
    memset(&o, 0, sizeof o);
    o.measured = json_object();
    if (d->run(&o) != 0)
        snprintf(err, n, "claim %s: %s", d->id, o.err);
    else if (o.rc != MM_OK)
        snprintf(err, n, "claim %s: %s", d->id, mm_strerror(o.rc));
    else {
        d->judge(&o);
        if (o.verdict)
            e = claim_entry(d, &o);
        else
            snprintf(err, n, "claim %s: no verdict", d->id);
    }
    json_decref(o.measured);
    return e;
}

json_t *
bench_claims_run(char *err, size_t n)
{
    json_t *doc, *list;
    if (MM_STATS_LEVEL < 1) {
        snprintf(err, n,
                 "the claims need object counters (a build with -Dstats=basic or "
                 "detailed)");
        return NULL;
    }
    list = json_array();
    for (size_t i = 0; i < sizeof claim_defs / sizeof claim_defs[0]; i++) {
        json_t *e = claim_run_one(&claim_defs[i], err, n);
        if (!e) {
            json_decref(list);
            return NULL;
        }
        json_array_append_new(list, e);
    }
    doc = json_object();
    json_object_set_new(doc, "schema", json_string(BENCH_CLAIMS_SCHEMA));
    json_object_set_new(doc, "claims", list);
    return doc;
}
