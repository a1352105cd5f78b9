/* Stress runs (suite 'slow'): a deep chain of lists freed with a bounded stack, and one
 * long ring collected.   usage: stress chain|ring N
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mm/mm.h>

/* A generator that keeps the last value sent to it and stays suspended. */
static int
holder(mm_runtime *rt, mm_gen_frame *f, mm_object *sent, mm_gen_mode mode,
       mm_object **out)
{
    *out = NULL;
    if (mode != MM_GEN_SEND)
        return MM_GEN_RETURN;
    if (sent)
        mm_setref(rt, &f->locals[0], mm_incref(rt, sent));
    return MM_GEN_YIELD;
}

static int
finish(mm_runtime *rt, const char *what, long n)
{
    int64_t live = mm_runtime_live_objects(rt);
    int ok = live == 0 && mm_runtime_check(rt) == MM_OK;
    printf("%s of %ld: %s (%lld objects left)\n", what, n, ok ? "freed" : "FAILED",
           (long long)live);
    mm_runtime_destroy(rt);
    return ok ? 0 : 1;
}

int
main(int argc, char **argv)
{
    mm_runtime *rt;
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
    if (argc != 3 || n < 1 || mm_runtime_new(&rt, NULL, NULL, 0) != MM_OK)
        return 2;
    if (strcmp(argv[1], "chain") == 0) { /* the seed's 1.2 at depth n: refcounting only */
        mm_object *head = mm_list_new(rt);
        for (long i = 1; i < n && head; i++) {
            mm_object *l = mm_list_new(rt);
            if (!l || mm_list_append_steal(rt, l, head) != MM_OK)
                return 1;
            head = l;
        }
        mm_decref(rt, head);
        return finish(rt, "chain", n);
    }
    if (strcmp(argv[1], "ring") == 0) { /* one cycle of n lists: the collector */
        mm_object *first = mm_list_new(rt), *cur = first;
        int64_t found;
        mm_gc_disable(rt);
        for (long i = 1; i < n; i++) {
            mm_object *l = mm_list_new(rt);
            mm_list_append_steal(rt, cur, l);
            cur = l;
        }
        mm_list_append(rt, cur, first);
        mm_decref(rt, first);
        mm_gc_collect(rt, 2, &found);
        printf("ring collect found %lld\n", (long long)found);
        return found == n ? finish(rt, "ring", n) : 1;
    }
    if (strcmp(argv[1], "live") == 0) { /* n live objects at once, then all freed */
        mm_object *keep = mm_list_new(rt);
        for (long i = 0; i < n; i++)
            if (mm_list_append_steal(rt, keep, mm_float_new(rt, (double)i)) != MM_OK)
                return 1;
        printf("live objects: %lld\n", (long long)mm_runtime_live_objects(rt));
        mm_decref(rt, keep);
        return finish(rt, "live", n);
    }
    if (strcmp(argv[1], "gens") == 0) { /* each suspended generator holds the previous */
        mm_object *inner = NULL;
        for (long i = 0; i < n; i++) {
            mm_object *g, *out = NULL;
            if (mm_gen_new(rt, holder, 1, NULL, &g) != MM_OK ||
                mm_gen_send(rt, g, NULL, &out) != MM_OK || /* start it */
                mm_gen_send(rt, g, inner, &out) != MM_OK)  /* it keeps inner */
                return 1;
            mm_xdecref(rt, inner);
            inner = g;
        }
        mm_decref(rt, inner); /* closes n nested suspended generators */
        return finish(rt, "gens", n);
    }
    return 2;
}
