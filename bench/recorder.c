/* Hook callbacks of the measured child: pause timing, the heap time series and the
 * arena map. Hooks never allocate runtime objects; they only read getters.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include "recorder.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

uint64_t
bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t
bench_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t
bench_rss_bytes(void)
{
    char buf[128];
    long pages = 0, resident = 0;
    ssize_t n;
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    if (sscanf(buf, "%ld %ld", &pages, &resident) != 2 || resident < 0)
        return 0;
    return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

static uint64_t
object_bytes(const mm_runtime *rt)
{
    mm_stats st;
    mm_stats_get(rt, &st);
    return st.object_bytes.current > 0 ? (uint64_t)st.object_bytes.current : 0;
}

/* ---- arena map ---- */

typedef struct amap_visit {
    bench_recorder *r;
    int32_t *row;
} amap_visit;

static void
amap_cell(void *arg, uintptr_t addr, uint32_t total, uint32_t used, uint64_t blocks)
{
    amap_visit *v = arg;
    (void)blocks;
    for (size_t i = v->r->narenas; i-- > 0;)
        if (v->r->arenas[i].addr == addr && v->r->arenas[i].mapped) {
            v->row[i] = total ? (int32_t)((100u * used + total / 2) / total) : 0;
            return;
        }
}

static void
amap_decimate(bench_recorder *r)
{
    size_t j = 0;
    for (size_t i = 0; i < r->namap; i++) {
        if (i % 2 == 0) {
            r->amap[j] = r->amap[i];
            r->amap_len[j] = r->amap_len[i];
            r->amap_t[j++] = r->amap_t[i];
        } else {
            free(r->amap[i]);
        }
    }
    r->namap = j;
    r->amap_interval *= 2;
    r->amap_decimations++;
}

static void
amap_snapshot(bench_recorder *r, uint64_t t)
{
    amap_visit v = { r, NULL };
    if (r->namap && t - r->amap_last < r->amap_interval)
        return;
    if (r->namap == 100)
        amap_decimate(r);
    v.row = bench_xmalloc((r->narenas ? r->narenas : 1) * sizeof *v.row);
    for (size_t i = 0; i < r->narenas; i++)
        v.row[i] = -1;
    mm_alloc_visit_arenas(r->rt, amap_cell, &v);
    r->amap[r->namap] = v.row;
    r->amap_len[r->namap] = r->narenas;
    r->amap_t[r->namap++] = t;
    r->amap_last = t;
}

static void
on_arena(void *arg, int mapped, uintptr_t addr, size_t nbytes)
{
    bench_recorder *r = arg;
    (void)nbytes;
    if (!mapped) {
        for (size_t i = r->narenas; i-- > 0;)
            if (r->arenas[i].addr == addr && r->arenas[i].mapped) {
                r->arenas[i].mapped = 0;
                break;
            }
        return;
    }
    if (r->narenas == r->cap_arenas) {
        r->cap_arenas = r->cap_arenas ? 2 * r->cap_arenas : 64;
        r->arenas = bench_xrealloc(r->arenas, r->cap_arenas * sizeof *r->arenas);
    }
    r->arenas[r->narenas].addr = addr;
    r->arenas[r->narenas++].mapped = 1;
}

/* ---- time series ---- */

static void
ts_decimate(bench_recorder *r)
{
    size_t j = 0;
    for (size_t i = 0; i < r->nts; i += 2)
        memcpy(r->ts[j++], r->ts[i], sizeof r->ts[0]);
    r->nts = j;
    r->interval_ns *= 2;
    r->decimations++;
}

static void
ts_row(bench_recorder *r, uint64_t t)
{
    mm_stats st;
    mm_alloc_stats as;
    size_t gb[3];
    uint64_t *row, pools = 0;
    if (r->nts == r->m->max_samples)
        ts_decimate(r);
    mm_stats_get(r->rt, &st);
    mm_alloc_stats_get(r->rt, &as);
    mm_gc_get_bytes(r->rt, gb);
    for (uint32_t c = 0; c < as.nclasses; c++)
        pools += as.classes[c].pools;
    row = r->ts[r->nts++];
    row[0] = t;
    row[1] = gb[0];
    row[2] = gb[1];
    row[3] = gb[2];
    row[4] = bench_rss_bytes();
    row[5] = st.objects.current > 0 ? (uint64_t)st.objects.current : 0;
    row[6] = (uint64_t)st.objects.total - r->base_allocs;
    row[7] = (uint64_t)st.object_bytes.total - r->base_bytes;
    row[8] = st.freed_by_refcount.total - r->base_rc;
    row[9] = st.freed_by_gc.total - r->base_gc;
    row[10] = as.arenas_current;
    row[11] = pools;
    if (row[4] > r->rss_max)
        r->rss_max = row[4];
}

/* Take a sample when the interval passed (2.8). A row walks the generation lists, so the
 * sampler predicts its cost from the live objects and the measured cost per object, and
 * waits until 150x that cost has passed: the observer stays under 1% of wall time. */
static void
maybe_sample(bench_recorder *r, int force)
{
    uint64_t t = bench_now_ns(), done, since, live = 0;
    if (!r->active || r->in_gc)
        return;
    since = t - r->t0 - r->last_sample_ns;
    /* The arena map costs O(arenas), not O(heap): it keeps its own interval. */
    if (r->m->arena_map && !force && t - r->t0 - r->amap_last >= r->amap_interval) {
        amap_snapshot(r, t - r->t0);
        r->sampler_ns += bench_now_ns() - t;
    }
    if (!force && r->nts && since < r->interval_ns)
        return;
    {
        mm_stats st;
        mm_stats_get(r->rt, &st);
        live = st.objects.current > 0 ? (uint64_t)st.objects.current : 0;
        if (!force && (double)since < 150.0 * r->ns_per_object * (double)live)
            return;
    }
    r->last_sample_ns = t - r->t0;
    ts_row(r, t - r->t0);
    if (r->m->arena_map && (force || !r->namap))
        amap_snapshot(r, t - r->t0);
    done = bench_now_ns();
    r->sampler_ns += done - t;
    if (live > 1000)
        r->ns_per_object = (double)(done - t) / (double)live;
}

static void
on_sample(void *arg, mm_runtime *rt)
{
    (void)rt;
    maybe_sample(arg, 0);
}

/* ---- pauses ---- */

static void
on_gc_start(void *arg, const mm_gc_event *ev)
{
    bench_recorder *r = arg;
    (void)ev;
    if (!r->active)
        return;
    r->heap_before = object_bytes(r->rt);
    r->in_gc = 1;
    r->gc_start_ns = bench_now_ns();
}

void
bench_recorder_add_pause(bench_recorder *r, const bench_pause_rec *p)
{
    int g = p->gen;
    if (r->pause_total == 0 || p->dur_ns < r->min_pause)
        r->min_pause = p->dur_ns;
    r->pause_total++;
    r->gen_count[g]++;
    r->gen_time[g] += p->dur_ns;
    r->gen_examined[g] += p->examined;
    r->gen_collected[g] += p->collected;
    r->gen_uncoll[g] += p->uncollectable;
    if (p->dur_ns > r->max_pause)
        r->max_pause = p->dur_ns;
    bs_hist_add(&r->hist, p->dur_ns, g);
    bench_pick_add(&r->pick, p);
    if (r->npauses == BENCH_PAUSE_CAP)
        return;
    if (r->npauses == r->cap_pauses) {
        r->cap_pauses = r->cap_pauses ? 2 * r->cap_pauses : 1024;
        r->pauses = bench_xrealloc(r->pauses, r->cap_pauses * sizeof *r->pauses);
    }
    r->pauses[r->npauses++] = (bench_pause){ p->t_ns, p->dur_ns << 2 | (uint64_t)g };
}

static void
record_pause(bench_recorder *r, const mm_gc_event *ev, uint64_t start, uint64_t dur)
{
    bench_pause_rec p = { .t_ns = start - r->t0,
                          .dur_ns = dur,
                          .examined = ev->examined,
                          .collected = ev->collected,
                          .heap_before = r->heap_before,
                          .heap_after = object_bytes(r->rt),
                          .uncollectable = ev->uncollectable,
                          .gen = (uint8_t)ev->generation };
    bench_recorder_add_pause(r, &p);
}

static void
on_gc_stop(void *arg, const mm_gc_event *ev)
{
    bench_recorder *r = arg;
    uint64_t end = bench_now_ns();
    if (!r->active || !r->in_gc)
        return;
    r->in_gc = 0;
    if (ev->generation >= 0 && ev->generation <= 2)
        record_pause(r, ev, r->gc_start_ns, end - r->gc_start_ns);
    maybe_sample(r, 0);
}

void
bench_recorder_hooks(bench_recorder *r, mm_hooks *out)
{
    memset(out, 0, sizeof *out);
    out->gc_start = on_gc_start;
    out->gc_stop = on_gc_stop;
    out->arena = on_arena;
    out->sample = on_sample;
    out->arg = r;
}

void
bench_recorder_init(bench_recorder *r, mm_runtime *rt, const bench_measure *m,
                    uint64_t seed)
{
    memset(r, 0, sizeof *r);
    r->rt = rt;
    r->m = m;
    bs_hist_init(&r->hist, 32);
    bench_pick_init(&r->pick, m, seed);
    r->interval_ns = m->sample_interval_ns;
    r->ns_per_object = 3.0; /* refined by the first walk of a large heap */
    r->ts = bench_xcalloc(m->max_samples, sizeof *r->ts);
    if (m->arena_map) {
        r->amap = bench_xcalloc(101, sizeof *r->amap);
        r->amap_len = bench_xcalloc(101, sizeof *r->amap_len);
        r->amap_t = bench_xcalloc(101, sizeof *r->amap_t);
    }
}

void
bench_recorder_free(bench_recorder *r)
{
    free(r->pauses);
    bs_hist_free(&r->hist);
    bench_pick_free(&r->pick);
    free(r->ts);
    free(r->arenas);
    for (size_t i = 0; i < r->namap; i++)
        free(r->amap[i]);
    free(r->amap);
    free(r->amap_len);
    free(r->amap_t);
    memset(r, 0, sizeof *r);
}

void
bench_recorder_start(bench_recorder *r)
{
    mm_stats st;
    mm_stats_get(r->rt, &st);
    r->base_allocs = (uint64_t)st.objects.total;
    r->base_bytes = (uint64_t)st.object_bytes.total;
    r->base_rc = st.freed_by_refcount.total;
    r->base_gc = st.freed_by_gc.total;
    r->amap_interval = r->m->sample_interval_ns;
    r->t0 = bench_now_ns();
    r->active = 1;
    maybe_sample(r, 1);
}

void
bench_recorder_stop(bench_recorder *r)
{
    maybe_sample(r, 1);
    r->elapsed_ns = bench_now_ns() - r->t0;
    r->active = 0;
}
