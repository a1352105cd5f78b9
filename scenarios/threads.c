/* threads: the seed's GIL note: N threads allocating under one runtime and one lock
 * (like CPython's GIL: one thread runs Python code at a time), or one runtime per thread
 * (libmm keeps no global state, so runtimes are independent).
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>

#include "common.h"

static const sc_param params[] = {
    { "threads", SC_INT, 2, 1, 64, "worker threads" },
    { "ops", SC_INT, 3000000, 1, 1e9, "small objects each thread allocates" },
    { "shared", SC_INT, 1, 0, 1,
      "1: one runtime under one lock (GIL); 0: one per thread" },
    { "batch", SC_INT, 100, 1, 1e6, "allocations per lock hold (the 'switch interval')" },
};

typedef struct worker {
    mm_runtime *rt;     /* the caller's runtime when shared, else the thread's own */
    pthread_mutex_t *gil;
    uint64_t ops, batch, seed;
    int own, rc;
} worker;

static int
churn_batch(mm_runtime *rt, mm_object *keep, uint64_t n, uint64_t *rng)
{
    int rc = MM_OK;
    for (uint64_t i = 0; rc == MM_OK && i < n; i++) {
        mm_object *o = sc_small_object(rt, rng);
        rc = o ? mm_list_set_steal(rt, keep, sc_rand(rng) % mm_list_len(keep), o)
               : MM_ENOMEM;
        mm_gc_safepoint(rt);
    }
    return rc;
}

static void *
work(void *arg)
{
    worker *w = arg;
    uint64_t rng = w->seed, done = 0;
    mm_object *keep = NULL;
    if (w->own && mm_runtime_new(&w->rt, NULL, NULL, 0) != MM_OK) {
        w->rc = MM_ENOMEM;
        return NULL;
    }
    if (w->gil)
        pthread_mutex_lock(w->gil);
    keep = mm_list_new(w->rt);
    /* mm_root_add, not the shadow stack: threads sharing a runtime interleave. */
    w->rc = keep ? mm_root_add(w->rt, &keep) : MM_ENOMEM;
    int rooted = w->rc == MM_OK;
    for (int i = 0; w->rc == MM_OK && i < 64; i++)
        w->rc = sc_append(w->rt, keep, mm_none(w->rt));
    while (w->rc == MM_OK && done < w->ops) {
        uint64_t n = w->ops - done < w->batch ? w->ops - done : w->batch;
        w->rc = churn_batch(w->rt, keep, n, &rng);
        done += n;
        if (w->gil) { /* give the others a turn, as the GIL's switch interval does */
            pthread_mutex_unlock(w->gil);
            pthread_mutex_lock(w->gil);
        }
    }
    if (rooted)
        mm_root_remove(w->rt, &keep);
    mm_xdecref(w->rt, keep);
    if (w->gil)
        pthread_mutex_unlock(w->gil);
    if (w->own)
        mm_runtime_destroy(w->rt);
    return NULL;
}

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    int nthreads = (int)p->v[0], shared = p->v[2] != 0, rc = MM_OK;
    pthread_t tid[64];
    worker w[64];
    pthread_mutex_t gil = PTHREAD_MUTEX_INITIALIZER;
    int started = 0;
    for (int i = 0; i < nthreads; i++) {
        w[i] = (worker){ shared ? rt : NULL, shared ? &gil : NULL, (uint64_t)p->v[1],
                         (uint64_t)p->v[3], seed + (uint64_t)i * 7919, !shared, MM_OK };
        if (pthread_create(&tid[i], NULL, work, &w[i]) != 0) {
            rc = MM_ENOMEM;
            break;
        }
        started++;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
        if (w[i].rc != MM_OK)
            rc = w[i].rc;
    }
    out->ops = (uint64_t)started * (uint64_t)p->v[1];
    out->objects = out->ops;
    return rc;
}

const scenario sc_threads = {
    "threads",
    "N threads allocating under one runtime lock (like the GIL) vs one runtime "
    "per thread", 1, params, 4, "allocations", run,
};
