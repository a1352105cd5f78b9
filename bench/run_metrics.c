/* The child's run object: per-run metrics (2.5) and the envelope sent to the parent.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>
#include <sched.h>

#include "run_json.h"

static uint64_t
status_kib(const char *key)
{
    char line[256];
    unsigned long long v = 0;
    size_t klen = strlen(key);
    FILE *f = fopen("/proc/self/status", "re");
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, klen) && line[klen] == ':') {
            sscanf(line + klen + 1, "%llu", &v);
            break;
        }
    fclose(f);
    return (uint64_t)v * 1024u;
}

static uint64_t
tv_ns(struct timeval tv)
{
    return (uint64_t)tv.tv_sec * 1000000000u + (uint64_t)tv.tv_usec * 1000u;
}

static uint64_t
delta(long a, long b)
{
    return b > a ? (uint64_t)(b - a) : 0;
}

static json_t *
gen3(const uint64_t v[3])
{
    return json_pack("[I,I,I]", (json_int_t)v[0], (json_int_t)v[1], (json_int_t)v[2]);
}

static json_t *
gc_json(const bench_recorder *r)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o}", "collections", gen3(r->gen_count),
                     "objects_examined", gen3(r->gen_examined), "collected",
                     gen3(r->gen_collected), "uncollectable", gen3(r->gen_uncoll),
                     "time_ns", gen3(r->gen_time));
}

static void
set_u64(json_t *o, const char *key, uint64_t v)
{
    json_object_set_new(o, key, json_integer((json_int_t)v));
}

/* Requests above the small-request threshold in the measured phase (2.5). */
static uint64_t
large_allocs(const bench_child_inputs *in)
{
    uint64_t n = 0;
    for (unsigned k = bench_large_bucket(in->as1, in->e->set.alloc);
         k < MM_ALLOC_SIZE_BUCKETS; k++)
        n += in->as1->size_allocs[k] - in->as0->size_allocs[k];
    return n;
}

static json_t *
metrics_json(const bench_child_inputs *in)
{
    const bench_recorder *r = in->rec;
    json_t *o = json_object();
    uint64_t gc_time = r->gen_time[0] + r->gen_time[1] + r->gen_time[2];
    uint64_t rc = in->st1->freed_by_refcount.total - in->st0->freed_by_refcount.total;
    uint64_t gcf = in->st1->freed_by_gc.total - in->st0->freed_by_gc.total;
    uint64_t ballocd =
        (uint64_t)(in->st1->object_bytes.total - in->st0->object_bytes.total);
    int64_t dcur = in->st1->object_bytes.current - in->st0->object_bytes.current;
    double share = in->wall_ns ? (double)gc_time / (double)in->wall_ns : 0;
    if (share > 1)
        share = 1;
    set_u64(o, "wall_ns", in->wall_ns);
    set_u64(o, "cpu_user_ns", tv_ns(in->ru1->ru_utime) - tv_ns(in->ru0->ru_utime));
    set_u64(o, "cpu_sys_ns", tv_ns(in->ru1->ru_stime) - tv_ns(in->ru0->ru_stime));
    set_u64(o, "peak_rss_bytes", status_kib("VmHWM"));
    json_object_set_new(o, "peak_rss_scope",
                        json_string(in->rss_scope_process ? "process" : "measured"));
    set_u64(o, "rss_end_bytes", status_kib("VmRSS"));
    set_u64(o, "rss_max_sampled_bytes", r->rss_max);
    set_u64(o, "minor_faults", delta(in->ru0->ru_minflt, in->ru1->ru_minflt));
    set_u64(o, "major_faults", delta(in->ru0->ru_majflt, in->ru1->ru_majflt));
    set_u64(o, "ctx_voluntary", delta(in->ru0->ru_nvcsw, in->ru1->ru_nvcsw));
    set_u64(o, "ctx_involuntary", delta(in->ru0->ru_nivcsw, in->ru1->ru_nivcsw));
    set_u64(o, "allocations",
            (uint64_t)(in->st1->objects.total - in->st0->objects.total));
    set_u64(o, "frees", rc + gcf);
    set_u64(o, "frees_by_refcount", rc);
    set_u64(o, "frees_by_gc", gcf);
    set_u64(o, "bytes_allocated", ballocd);
    set_u64(o, "bytes_freed",
            (int64_t)ballocd > dcur ? (uint64_t)((int64_t)ballocd - dcur) : 0);
    set_u64(o, "peak_live_bytes", (uint64_t)in->st1->object_bytes.peak);
    set_u64(o, "large_allocations", large_allocs(in));
    json_object_set_new(o, "gc", gc_json(r));
    set_u64(o, "gc_time_ns", gc_time);
    json_object_set_new(o, "gc_time_share", json_real(share));
    json_object_set_new(o, "throughput_pct", json_real(100.0 * (1.0 - share)));
    set_u64(o, "sampler_overhead_ns", r->sampler_ns);
    return o;
}

json_t *
bench_child_run_json(const bench_child_inputs *in)
{
    const bench_recorder *r = in->rec;
    int cpu = sched_getcpu();
    json_t *run = json_object();
    json_object_set_new(run, "cpu", cpu >= 0 ? json_integer(cpu) : json_null());
    json_object_set_new(run, "warmups", json_incref(in->warmups));
    json_object_set_new(run, "values", json_incref(in->values));
    json_object_set_new(run, "metrics", metrics_json(in));
    json_object_set_new(run, "pauses", bench_pauses_json(r));
    json_object_set_new(run, "mmu", bench_mmu_json(r, in->wall_ns)); /* 2.7: T = wall */
    json_object_set_new(
        run, "size_classes",
        bench_size_classes_json(in->as0, in->as1,
                                bench_large_bucket(in->as1, in->e->set.alloc)));
    json_object_set_new(run, "pools",
                        bench_pools_json(in->as0, in->as1, in->e->set.alloc));
    json_object_set_new(run, "timeseries", bench_timeseries_json(r));
    json_object_set_new(run, "arena_map", bench_arena_map_json(r));
    return json_pack("{s:s,s:o}", "resolved", in->resolved, "run", run);
}
