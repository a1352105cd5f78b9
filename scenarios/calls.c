/* calls: function calls with *args and **kwargs, as CPython 3.11 makes them: per call a
 * new argument tuple (the tuple free list of its length) and, when keywords are passed,
 * a new kwargs dict keyed by interned strings (the dict and dict-keys free lists); the
 * callee reads both and returns a new 2-tuple; a fraction of results survive in a ring.
 * Design: docs/design/object-model.md (free lists).
 * SPDX-License-Identifier: MIT */
#include "common.h"

#define CALLS_MAX_ARGS 20

static const sc_param params[] = {
    { "calls", SC_INT, 400000, 1, 1e9, "function calls" },
    { "nargs", SC_INT, 3, 0, CALLS_MAX_ARGS,
      "positional arguments per call (args tuple length; 0: the empty tuple)" },
    { "nkwargs", SC_INT, 2, 0, CALLS_MAX_ARGS,
      "keyword arguments per call (kwargs dict size; 0: no dict, as f(*args))" },
    { "keep", SC_REAL, 0.05, 0, 1, "fraction of calls whose result is kept in the ring" },
    { "ring", SC_INT, 10000, 1, 1e7, "results kept alive (ring size)" },
};

/* Keyword names, interned once as a code object's names are. */
static const char *const kw_names[CALLS_MAX_ARGS] = {
    "key",   "default", "reverse", "sep",  "end",    "file",     "flush",
    "start", "stop",    "step",    "mode", "errors", "encoding", "timeout",
    "name",  "value",   "strict",  "base", "level",  "maxsplit",
};

/* The call site: the caller's locals (argument values, keyword names) live for the whole
 * run; ring holds the surviving results, next is the ring slot the next one replaces. */
typedef struct calls_site {
    size_t nargs, nkw, nring, next;
    double keep;
    mm_object *vals[2 * CALLS_MAX_ARGS]; /* nargs positional, then nkw keyword values */
    mm_object *keys[CALLS_MAX_ARGS];
    mm_object *ring;
} calls_site;

/* The callee, def f(*args, **kwargs): return sum(args), sum(kwargs.values()).
 * kwargs may be NULL (f takes no **kwargs). Returns: new reference; NULL on OOM. */
static mm_object *
callee(mm_runtime *rt, mm_object *args, mm_object *kwargs)
{
    int64_t sums[2] = { 0, 0 }, v;
    mm_object *key, *value, *items[2], *result = NULL;
    size_t pos = 0;
    for (size_t i = 0; i < mm_tuple_len(args); i++) {
        mm_object *x = mm_tuple_get(rt, args, i);
        if (x && mm_int_value(x, &v) == MM_OK)
            sums[0] += v;
        mm_xdecref(rt, x);
    }
    while (kwargs && mm_dict_next_borrow(rt, kwargs, &pos, &key, &value))
        if (mm_int_value(value, &v) == MM_OK)
            sums[1] += v;
    items[0] = mm_int_new(rt, sums[0]);
    items[1] = mm_int_new(rt, sums[1]);
    if (items[0] && items[1])
        result = mm_tuple_pack(rt, 2, items);
    mm_xdecref(rt, items[0]);
    mm_xdecref(rt, items[1]);
    return result;
}

/* One call f(v0, ..., key=v, ...): the interpreter packs the positional arguments into a
 * new tuple and the keyword ones into a new dict (past 5 keywords it outgrows the
 * smallest keys table, the only one with a free list), f runs, its frame drops args then
 * kwargs, and the caller keeps the result in the ring or drops it. */
static int
call(mm_runtime *rt, calls_site *s, uint64_t *rng)
{
    mm_object *args = mm_tuple_pack(rt, s->nargs, s->vals), *kwargs = NULL;
    mm_object *result = NULL;
    int rc = args ? SC_ROOTS(rt, &args, &kwargs, &result) : MM_ENOMEM;
    int rooted = rc == MM_OK;
    if (rc == MM_OK && s->nkw > 0)
        rc = (kwargs = mm_dict_new(rt)) ? MM_OK : MM_ENOMEM;
    for (size_t i = 0; rc == MM_OK && i < s->nkw; i++)
        rc = mm_dict_set(rt, kwargs, s->keys[i], s->vals[s->nargs + i]);
    if (rc == MM_OK)
        rc = (result = callee(rt, args, kwargs)) ? MM_OK : MM_ENOMEM;
    if (rooted)
        mm_root_pop(rt, 3);
    mm_xdecref(rt, args);
    mm_xdecref(rt, kwargs);
    if (rc == MM_OK && (double)(sc_rand(rng) % 1000000) < s->keep * 1e6) {
        rc = mm_list_set_steal(rt, s->ring, s->next, result); /* survives a while */
        s->next = (s->next + 1) % s->nring;
    } else {
        mm_xdecref(rt, result);
    }
    return rc;
}

/* The caller's locals: ints beyond the small-int cache, and the interned keyword
 * names. */
static int
site_init(mm_runtime *rt, calls_site *s, uint64_t *rng)
{
    int rc = MM_OK;
    for (size_t i = 0; rc == MM_OK && i < s->nring; i++)
        rc = mm_list_append_steal(rt, s->ring, mm_none(rt));
    for (size_t i = 0; rc == MM_OK && i < s->nargs + s->nkw; i++) {
        s->vals[i] = mm_int_new(rt, 1000 + (int64_t)(sc_rand(rng) % 1000000));
        rc = s->vals[i] ? MM_OK : MM_ENOMEM;
    }
    for (size_t i = 0; rc == MM_OK && i < s->nkw; i++)
        rc = (s->keys[i] = mm_str_intern(rt, kw_names[i])) ? MM_OK : MM_ENOMEM;
    return rc;
}

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    calls_site s = { .nargs = (size_t)p->v[1], .nkw = (size_t)p->v[2],
                     .keep = p->v[3], .nring = (size_t)p->v[4] };
    uint64_t rng = seed, n = (uint64_t)p->v[0];
    int rc, rooted;
    s.ring = mm_list_new(rt);
    rc = s.ring ? SC_ROOTS(rt, &s.ring) : MM_ENOMEM;
    rooted = rc == MM_OK;
    if (rc == MM_OK)
        rc = site_init(rt, &s, &rng);
    for (uint64_t i = 0; rc == MM_OK && i < n; i++) {
        rc = call(rt, &s, &rng);
        mm_gc_safepoint(rt);
    }
    if (rooted)
        mm_root_pop(rt, 1);
    mm_xdecref(rt, s.ring);
    for (size_t i = 0; i < s.nargs + s.nkw; i++)
        mm_xdecref(rt, s.vals[i]);
    for (size_t i = 0; i < s.nkw; i++)
        mm_xdecref(rt, s.keys[i]);
    out->ops = n;
    /* per call: args tuple and sum(args) unless nargs is 0 (the empty tuple and cached
     * 0), kwargs dict and its sum when nkw > 0, the result tuple; plus the locals */
    out->objects = n * (1 + 2 * (s.nargs > 0) + 2 * (s.nkw > 0));
    out->objects += 1 + s.nargs + 2 * s.nkw;
    return rc;
}

const scenario sc_calls = {
    "calls", "*args/**kwargs calls: an argument tuple and a kwargs dict per call", 1,
    params, 5, "calls", run,
};
