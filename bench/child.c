/* The measured child (2.4): create the runtime, verify the allocator, optional freeze,
 * warmups, reset VmHWM, measured values, reduce, write the run object to stdout.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <dlfcn.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "run_json.h"
#include "util.h"

typedef struct child_state {
    bench_experiment e;
    mm_runtime *rt;
    bench_recorder rec;
    char resolved[512];
    json_t *warmups, *values;
    struct rusage ru0, ru1;
    mm_stats st0, st1;
    mm_alloc_stats *as0, *as1;
    int rss_scope_process;
    uint64_t wall_total;
} child_state;

/* What serves allocations (2.3); 0, or -1 when a preloaded allocator is not the one
 * serving malloc. */
static int
resolve_allocator(child_state *c)
{
    mm_alloc_kind k = c->e.set.alloc;
    const char *prov = mm_alloc_malloc_provider();
    if (k == MM_ALLOC_POOL || k == MM_ALLOC_PRIVATE) {
        snprintf(c->resolved, sizeof c->resolved, "libmm %s %s", mm_alloc_kind_name(k),
                 MMBENCH_VERSION);
        return 0;
    }
    if (k == MM_ALLOC_MALLOC) {
        snprintf(c->resolved, sizeof c->resolved, "%s %s", prov,
                 strcmp(prov, "glibc") ? "" : gnu_get_libc_version());
        return 0;
    }
    {
        const char *want = k == MM_ALLOC_MIMALLOC ? "mimalloc" : "jemalloc";
        void *malloc_fn = dlsym(RTLD_DEFAULT, "malloc");
        Dl_info info;
        if (strcmp(prov, want) != 0 || !malloc_fn || !dladdr(malloc_fn, &info)) {
            fprintf(stderr,
                    "mmbench: error: --alloc %s requested but malloc is served by %s\n",
                    want, prov);
            return -1;
        }
        if (k == MM_ALLOC_MIMALLOC) {
            int (*ver)(void) = NULL;
            void *sym = dlsym(RTLD_DEFAULT, "mi_version");
            memcpy(&ver, &sym, sizeof ver);
            if (!ver) {
                fprintf(stderr, "mmbench: error: %s has no mi_version()\n",
                        info.dli_fname);
                return -1;
            }
            snprintf(c->resolved, sizeof c->resolved, "%s mimalloc %d", info.dli_fname,
                     ver());
        } else {
            const char *v = NULL;
            size_t sz = sizeof v;
            int (*ctl)(const char *, void *, size_t *, void *, size_t) = NULL;
            void *sym = dlsym(RTLD_DEFAULT, "mallctl");
            memcpy(&ctl, &sym, sizeof ctl);
            if (!ctl || ctl("version", &v, &sz, NULL, 0) != 0 || !v) {
                fprintf(stderr, "mmbench: error: %s has no mallctl(\"version\")\n",
                        info.dli_fname);
                return -1;
            }
            snprintf(c->resolved, sizeof c->resolved, "%s jemalloc %s", info.dli_fname,
                     v);
        }
    }
    return 0;
}

/* Returns 0, or the child's exit status: a heap budget too small for the runtime's
 * own start is a "limit" run, like one the scenario exceeds. */
static int
make_runtime(child_state *c)
{
    mm_config cfg;
    char err[256];
    int rc;
    mm_config_default(&cfg);
    cfg.alloc = c->e.set.alloc;
    cfg.gc = c->e.set.gc;
    memcpy(cfg.threshold, c->e.set.threshold, sizeof cfg.threshold);
    cfg.freelists = c->e.set.freelists;
    cfg.small_threshold = c->e.set.small_threshold;
    cfg.sample_every = 4096;
    cfg.heap_budget = (size_t)c->e.m.mem_limit_bytes;
    rc = mm_runtime_new(&c->rt, &cfg, err, sizeof err);
    if (rc == MM_ENOMEM && cfg.heap_budget) {
        fprintf(stderr,
                "mmbench: error: --mem-limit %zu is below what the runtime needs at "
                "start: %s\n",
                cfg.heap_budget, err);
        return BENCH_CHILD_EXIT_LIMIT;
    }
    if (rc != MM_OK) {
        fprintf(stderr, "mmbench: error: cannot create runtime: %s\n", err);
        return 1;
    }
    return 0;
}

static json_t *
value_json(uint64_t loops, uint64_t wall, uint64_t cpu)
{
    return json_pack("{s:I,s:I,s:I}", "loops", (json_int_t)loops, "wall_ns",
                     (json_int_t)wall, "cpu_ns", (json_int_t)cpu);
}

/* One value: `loops` iterations of the workload. Returns MM_OK or the scenario's
 * error. */
static int
one_value(child_state *c, json_t *into)
{
    uint64_t w0 = bench_now_ns(), c0 = bench_cpu_ns(), w1;
    for (uint32_t i = 0; i < c->e.m.loops; i++) {
        sc_counts counts = { 0, 0 };
        int rc = c->e.sc->run(c->rt, &c->e.params, c->e.seed, &counts);
        if (rc != MM_OK)
            return rc;
    }
    w1 = bench_now_ns();
    json_array_append_new(into, value_json(c->e.m.loops, w1 - w0, bench_cpu_ns() - c0));
    if (into == c->values)
        c->wall_total += w1 - w0;
    return MM_OK;
}

static void
reset_hwm(child_state *c)
{
    int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    c->rss_scope_process = 1;
    if (!c->e.m.peak_rss_reset || fd < 0) {
        if (fd >= 0)
            close(fd);
        return;
    }
    if (write(fd, "5", 1) == 1)
        c->rss_scope_process = 0;
    close(fd);
}

static int
measure(child_state *c)
{
    mm_hooks hooks;
    int rc = MM_OK;
    bench_recorder_init(&c->rec, c->rt, &c->e.m, c->e.seed);
    bench_recorder_hooks(&c->rec, &hooks);
    mm_hooks_set(c->rt, &hooks);
    if (c->e.set.freeze)
        mm_gc_freeze(c->rt);
    for (uint32_t i = 0; i < c->e.m.warmup && rc == MM_OK; i++)
        rc = one_value(c, c->warmups);
    if (rc != MM_OK)
        return rc;
    reset_hwm(c);
    getrusage(RUSAGE_SELF, &c->ru0);
    mm_stats_reset_peaks(c->rt);
    mm_stats_get(c->rt, &c->st0);
    mm_alloc_stats_get(c->rt, c->as0);
    bench_recorder_start(&c->rec);
    for (uint32_t i = 0; i < c->e.m.values && rc == MM_OK; i++)
        rc = one_value(c, c->values);
    bench_recorder_stop(&c->rec);
    getrusage(RUSAGE_SELF, &c->ru1);
    mm_stats_get(c->rt, &c->st1);
    mm_alloc_stats_get(c->rt, c->as1);
    return rc;
}

static int
child_fail(child_state *c, int rc)
{
    int limit = c->rt && mm_alloc_budget_exceeded(c->rt);
    fprintf(stderr, "mmbench: error: scenario %s: %s%s%s\n", c->e.sc->name,
            mm_strerror(rc), c->rt ? ": " : "", c->rt ? mm_errmsg(c->rt) : "");
    if (rc == MM_ENOMEM)
        return limit ? BENCH_CHILD_EXIT_LIMIT : BENCH_CHILD_EXIT_OOM;
    return 1;
}

/* Past 60 lines (style.md rule 29): the measured child's steps in order (read the spec,
 * resolve the allocator, build the runtime, measure, write the run), each a call or a
 * check with its exit status; no part is used anywhere else. */
int
bench_child_main(int argc, char **argv)
{
    child_state c;
    char err[256];
    json_error_t jerr;
    json_t *spec, *run;
    int rc, preflight;
    memset(&c, 0, sizeof c);
    if (argc != 2 || !(spec = json_loads(argv[1], 0, &jerr))) {
        fprintf(stderr, "mmbench: error: __child needs one JSON spec argument\n");
        return 2;
    }
    rc = bench_experiment_from_spec(spec, &c.e, err, sizeof err);
    preflight = json_is_true(json_object_get(spec, "preflight"));
    json_decref(spec);
    if (rc != 0) {
        fprintf(stderr, "mmbench: error: %s\n", err);
        return 2;
    }
    if (resolve_allocator(&c) != 0)
        return BENCH_CHILD_EXIT_ALLOC;
    if (preflight) {
        json_t *o = json_pack("{s:s}", "resolved", c.resolved);
        json_dumpf(o, stdout, JSON_COMPACT);
        json_decref(o);
        return fflush(stdout) == 0 ? 0 : 1;
    }
    if ((rc = make_runtime(&c)) != 0)
        return rc;
    c.as0 = bench_xcalloc(1, sizeof *c.as0);
    c.as1 = bench_xcalloc(1, sizeof *c.as1);
    c.warmups = json_array();
    c.values = json_array();
    rc = measure(&c);
    if (rc != MM_OK) {
        rc = child_fail(&c, rc);
        json_decref(c.warmups);
        json_decref(c.values);
        mm_hooks_set(c.rt, NULL);
        bench_recorder_free(&c.rec);
        mm_runtime_destroy(c.rt);
        free(c.as0);
        free(c.as1);
        return rc;
    }
    {
        bench_child_inputs in = { &c.e, &c.rec, c.resolved, c.warmups, c.values, &c.ru0,
                                  &c.ru1, &c.st0, &c.st1, c.as0, c.as1,
                                  c.rss_scope_process, c.wall_total };
        run = bench_child_run_json(&in);
    }
    mm_hooks_set(c.rt, NULL);
    if (json_dumpf(run, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10)) != 0 ||
        fflush(stdout) != 0)
        return 1;
    json_decref(run);
    json_decref(c.warmups);
    json_decref(c.values);
    bench_recorder_free(&c.rec);
    mm_runtime_destroy(c.rt);
    free(c.as0);
    free(c.as1);
    return 0;
}
