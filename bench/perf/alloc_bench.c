/* Allocation benchmark peer program (not a test): one process measures one allocator on
 * one case and prints one JSON object per line; scripts/perf runs it repeatedly,
 * interleaving the allocators, and takes medians. Design: docs/design/allocator.md.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mm/mm.h>

#ifdef WITH_PYMALLOC
#include <Python.h>
#endif

typedef struct impl {
    void *(*alloc)(size_t);
    void (*free)(void *, size_t);
} impl;

static mm_runtime *rt;

static void *
pool_alloc(size_t n)
{
    return mm_mem_alloc(rt, n);
}

static void
pool_free(void *p, size_t n)
{
    mm_mem_free(rt, p, n);
}

static void *
sys_alloc(size_t n)
{
    return malloc(n);
}

static void
sys_free(void *p, size_t n)
{
    (void)n;
    free(p);
}

#ifdef WITH_PYMALLOC
static void *
py_alloc(size_t n)
{
    return PyObject_Malloc(n);
}

static void
py_free(void *p, size_t n)
{
    (void)n;
    PyObject_Free(p);
}
#endif

/* The floor: what the harness costs around an allocator that does the least any
 * reusing allocator can. Freed blocks go on a LIFO list per 16-byte class and come
 * straight back; new blocks are bumped from one big region. No metadata but 32 list
 * heads, and every block handed out is the class's most recently freed one. */
#define FLOOR_REGION ((size_t)1 << 31)
static void *floor_heads[32];
static char *floor_bump, *floor_end;

static void *
floor_alloc(size_t n)
{
    unsigned c = (unsigned)((n - 1) >> 4);
    void *p = floor_heads[c];
    if (p) {
        floor_heads[c] = *(void **)p;
        return p;
    }
    if (!floor_bump) {
        floor_bump = malloc(FLOOR_REGION);
        floor_end = floor_bump ? floor_bump + FLOOR_REGION : NULL;
    }
    if (!floor_bump || (size_t)(floor_end - floor_bump) < ((size_t)c + 1) << 4)
        return NULL;
    p = floor_bump;
    floor_bump += ((size_t)c + 1) << 4;
    return p;
}

static void
floor_free(void *p, size_t n)
{
    unsigned c = (unsigned)((n - 1) >> 4);
    *(void **)p = floor_heads[c];
    floor_heads[c] = p;
}

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t
rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

/* A Python-like size mix, 16..512 bytes: mostly small objects. */
static size_t
py_size(void)
{
    uint32_t r = rnd() % 100;
    if (r < 60)
        return 16 + rnd() % 49;  /* ints, floats, small tuples, short strs */
    if (r < 90)
        return 65 + rnd() % 192; /* lists, dicts' keys, instances */
    return 257 + rnd() % 256;
}

static uint64_t
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long
status_kib(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t kl = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, kl) == 0)
            v = strtol(line + kl + 1, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

typedef struct slot {
    void *p;
    size_t n;
} slot;

/* Random replacement inside a live working set: ns per alloc+free pair. */
static double
run_churn(const impl *im, size_t ws, size_t ops)
{
    slot *s = calloc(ws, sizeof *s);
    uint64_t t0, t1;
    for (size_t i = 0; i < ws; i++) {
        s[i].n = py_size();
        s[i].p = im->alloc(s[i].n);
    }
    t0 = now_ns();
    for (size_t k = 0; k < ops; k++) {
        slot *x = &s[rnd() % ws];
        im->free(x->p, x->n);
        x->n = py_size();
        x->p = im->alloc(x->n);
        *(char *)x->p = 1;
    }
    t1 = now_ns();
    for (size_t i = 0; i < ws; i++)
        im->free(s[i].p, s[i].n);
    free(s);
    return (double)(t1 - t0) / (double)ops;
}

/* Allocate and free at once (temporaries): ns per pair. */
static double
run_lifo(const impl *im, size_t ops)
{
    uint64_t t0 = now_ns();
    for (size_t k = 0; k < ops; k++) {
        size_t n = py_size();
        void *p = im->alloc(n);
        *(volatile char *)p = 1;
        im->free(p, n);
    }
    return (double)(now_ns() - t0) / (double)ops;
}

/* Fill then free everything: ns per operation, and RSS after the free. */
static double
run_fill_free(const impl *im, size_t n, long *rss_start, long *rss_after)
{
    slot *s = calloc(n, sizeof *s);
    uint64_t t0;
    *rss_start = status_kib("VmRSS:");
    t0 = now_ns();
    for (size_t i = 0; i < n; i++) {
        s[i].n = py_size();
        s[i].p = im->alloc(s[i].n);
        memset(s[i].p, 1, s[i].n);
    }
    for (size_t i = 0; i < n; i++)
        im->free(s[i].p, s[i].n);
    double ns = (double)(now_ns() - t0) / (double)(2 * n);
    free(s);
    *rss_after = status_kib("VmRSS:");
    return ns;
}

/* usage: alloc_bench IMPL CASE WORKING_SET   (IMPL: pool|private|malloc|pymalloc|floor)
 * For glibc/mimalloc/jemalloc IMPL is malloc and scripts/perf sets LD_PRELOAD; the
 * program reports which library actually served malloc. */
int
main(int argc, char **argv)
{
    impl im = { sys_alloc, sys_free };
    const char *name, *kase;
    size_t ws;
    double ns;
    long rss0 = -1, rss1 = -1;
    if (argc != 4) {
        fprintf(stderr, "usage: alloc_bench pool|private|malloc|pymalloc|floor "
                        "churn|lifo|fill-free WORKING_SET\n");
        return 2;
    }
    name = argv[1];
    kase = argv[2];
    ws = strtoul(argv[3], NULL, 10);
    if (strcmp(name, "pool") == 0 || strcmp(name, "private") == 0) {
        mm_config cfg;
        mm_config_default(&cfg);
        cfg.alloc = name[0] == 'p' && name[1] == 'o' ? MM_ALLOC_POOL : MM_ALLOC_PRIVATE;
        if (mm_runtime_new(&rt, &cfg, NULL, 0) != MM_OK)
            return 1;
        im = (impl){ pool_alloc, pool_free };
    } else if (strcmp(name, "floor") == 0) {
        im = (impl){ floor_alloc, floor_free };
    } else if (strcmp(name, "pymalloc") == 0) {
#ifdef WITH_PYMALLOC
        Py_Initialize();
        im = (impl){ py_alloc, py_free };
#else
        fprintf(stderr, "alloc_bench: built without pymalloc\n");
        return 2;
#endif
    } else if (strcmp(name, "malloc") != 0) {
        fprintf(stderr, "alloc_bench: unknown impl %s\n", name);
        return 2;
    }
    if (strcmp(kase, "churn") == 0)
        ns = run_churn(&im, ws, 4000000);
    else if (strcmp(kase, "lifo") == 0)
        ns = run_lifo(&im, ws);
    else if (strcmp(kase, "fill-free") == 0)
        ns = run_fill_free(&im, ws, &rss0, &rss1);
    else
        return 2;
    printf(
        "{\"case\":\"%s\",\"working_set\":%zu,\"impl\":\"%s\",\"malloc_provider\":\"%s\","
        "\"ns_per_op\":%.3f,\"peak_rss_kib\":%ld,\"rss_start_kib\":%ld,"
        "\"rss_after_free_kib\":%ld}\n",
        kase, ws, name, mm_alloc_malloc_provider(), ns, status_kib("VmHWM:"), rss0, rss1);
    return 0;
}
