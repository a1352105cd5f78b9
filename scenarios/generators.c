/* generators: the seed's coroutines: fab(max) consumed to the end, a producer/consumer
 * pipeline driven by send, and abandoned generators caught in cycles.
 * Design: docs/design/generators.md.
 * SPDX-License-Identifier: MIT */
#include "common.h"

static const sc_param params[] = {
    { "n", SC_INT, 300000, 1, 1e8, "rounds (one fab, one pipeline item, one abandoned)" },
    { "fab", SC_INT, 20, 1, 90, "max of each fab(max) generator" },
};

/* fab(max): locals 0 n, 1 a, 2 b. */
static int
fab(mm_runtime *rt, mm_gen_frame *f, mm_object *sent, mm_gen_mode mode, mm_object **out)
{
    int64_t n = 0, a = 0, b = 1;
    (void)sent;
    if (mode != MM_GEN_SEND)
        return MM_GEN_RETURN;
    if (f->label) {
        mm_int_value(f->locals[0], &n);
        mm_int_value(f->locals[1], &a);
        mm_int_value(f->locals[2], &b);
        int64_t t = a + b;
        a = b;
        b = t;
        n++;
    }
    if (n >= (int64_t)(intptr_t)f->arg)
        return MM_GEN_RETURN;
    mm_setref(rt, &f->locals[0], mm_int_new(rt, n));
    mm_setref(rt, &f->locals[1], mm_int_new(rt, a));
    mm_setref(rt, &f->locals[2], mm_int_new(rt, b));
    f->label = 1;
    *out = mm_int_new(rt, b);
    return *out && f->locals[2] ? MM_GEN_YIELD : MM_ENOMEM;
}

/* consumer: keeps the last item it got; yields an acknowledgement. */
static int
consumer(mm_runtime *rt, mm_gen_frame *f, mm_object *sent, mm_gen_mode mode,
         mm_object **out)
{
    if (mode != MM_GEN_SEND)
        return MM_GEN_RETURN;
    mm_setref(rt, &f->locals[0], mm_xincref(rt, sent));
    f->label = 1;
    *out = NULL; /* None */
    return MM_GEN_YIELD;
}

static int
round_once(mm_runtime *rt, mm_object *cons, int64_t fabmax, uint64_t i, uint64_t *objs)
{
    mm_object *g = NULL, *v = NULL, *l = NULL;
    int rc = SC_ROOTS(rt, &g, &v, &l), rooted = rc == MM_OK;
    if (rc == MM_OK)
        rc = mm_gen_new(rt, fab, 3, (void *)(intptr_t)fabmax, &g);
    while (rc == MM_OK && (rc = mm_gen_next(rt, g, &v)) == MM_OK) {
        mm_object *ack = NULL;
        rc = mm_gen_send(rt, cons, v, &ack); /* producer -> consumer */
        mm_xdecref(rt, ack);
        mm_clear(rt, &v);
        (*objs)++;
    }
    mm_clear(rt, &g);
    if (rc == MM_ESTOP) /* An abandoned generator whose frame references a list that
                         * references it. */
        rc = mm_gen_new(rt, consumer, 1, NULL, &g);
    if (rc != MM_OK) {
        if (rooted)
            mm_root_pop(rt, 3);
        return rc;
    }
    l = mm_list_new(rt);
    rc = l ? mm_gen_next(rt, g, &v) : MM_ENOMEM;
    if (rc == MM_OK && (rc = mm_list_append(rt, l, g)) == MM_OK)
        rc = mm_gen_send(rt, g, l, &v);
    mm_clear(rt, &v);
    mm_clear(rt, &l);
    mm_clear(rt, &g);
    mm_root_pop(rt, 3);
    (void)i;
    *objs += 2;
    return rc;
}

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    mm_object *cons = NULL, *v = NULL;
    uint64_t n = (uint64_t)p->v[0], objs = 0;
    int rc = SC_ROOTS(rt, &cons), rooted = rc == MM_OK;
    if (rc == MM_OK)
        rc = mm_gen_new(rt, consumer, 1, NULL, &cons);
    (void)seed;
    if (rc == MM_OK)
        rc = mm_gen_next(rt, cons, &v); /* prime it */
    for (uint64_t i = 0; rc == MM_OK && i < n; i++) {
        rc = round_once(rt, cons, (int64_t)p->v[1], i, &objs);
        mm_gc_safepoint(rt);
    }
    if (rooted)
        mm_root_pop(rt, 1);
    mm_xdecref(rt, cons);
    mm_gc_collect(rt, 2, NULL);
    out->ops = n;
    out->objects = objs;
    return rc;
}

const scenario sc_generators = {
    "generators", "fab(max), a producer/consumer pipeline via send, abandoned generators "
    "in cycles", 1, params, 2, "rounds", run,
};
