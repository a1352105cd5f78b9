/* webapp: mixed request handling: a request dict of headers (str keys), a parsed body
 * list, a response string, a session object linked back to its handler (a cycle) for a
 * fraction of requests, and a long-lived session cache.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include "common.h"

static const sc_param params[] = {
    { "requests", SC_INT, 200000, 1, 1e9, "requests to handle" },
    { "cyclic", SC_REAL, 0.1, 0, 1, "fraction of requests that leave a garbage cycle" },
    { "sessions", SC_INT, 1000, 1, 1e7, "session cache size" },
};

static const char *const header_names[] = { "host", "user-agent", "accept", "cookie",
                                            "content-type", "content-length" };

static int
request(mm_runtime *rt, mm_class *cls, mm_object *cache, size_t nsess, uint64_t *rng,
        double cyclic)
{
    mm_object *req = mm_dict_new(rt), *body = mm_list_new(rt), *handler = NULL, *resp;
    int rc = req && body ? SC_ROOTS(rt, &req, &body, &handler) : MM_ENOMEM;
    int rooted = rc == MM_OK;
    for (size_t i = 0; rc == MM_OK && i < 6; i++)
        rc = mm_dict_set_steal(
            rt, req, mm_str_intern(rt, header_names[i]),
            mm_str_new(rt, "value-of-the-header", 5 + sc_rand(rng) % 14));
    for (int i = 0; rc == MM_OK && i < 8; i++)
        rc = sc_append(rt, body, sc_small_object(rt, rng));
    handler = rc == MM_OK ? mm_instance_new(rt, cls) : NULL;
    if (handler) {
        mm_instance_set_slot_steal(rt, handler, 0, mm_incref(rt, req));
        mm_instance_set_slot_steal(rt, handler, 1, mm_incref(rt, body));
        if ((double)(sc_rand(rng) % 1000000) < cyclic * 1e6) /* handler <-> session */
            mm_instance_set_slot_steal(rt, handler, 2, mm_incref(rt, handler));
        mm_list_set_steal(rt, cache, sc_rand(rng) % nsess, mm_incref(rt, handler));
    } else {
        rc = MM_ENOMEM;
    }
    resp = rc == MM_OK ? mm_str_new(rt, "HTTP/1.1 200 OK\r\n\r\n<html>...</html>", 36)
                       : NULL;
    mm_xdecref(rt, resp);
    if (rooted)
        mm_root_pop(rt, 3);
    mm_xdecref(rt, handler);
    mm_xdecref(rt, req);
    mm_xdecref(rt, body);
    return rc;
}

static int
run(mm_runtime *rt, const sc_values *p, uint64_t seed, sc_counts *out)
{
    mm_class *cls;
    mm_class_spec spec = { .name = "Handler", .nslots = 3 };
    uint64_t rng = seed, n = (uint64_t)p->v[0];
    size_t nsess = (size_t)p->v[2];
    mm_object *cache = mm_list_new(rt);
    int rc = cache ? SC_ROOTS(rt, &cache) : MM_ENOMEM, rooted = rc == MM_OK;
    if (rc == MM_OK)
        rc = mm_class_new(rt, &spec, &cls);
    for (size_t i = 0; rc == MM_OK && i < nsess; i++)
        rc = mm_list_append_steal(rt, cache, mm_none(rt));
    for (uint64_t i = 0; rc == MM_OK && i < n; i++) {
        rc = request(rt, cls, cache, nsess, &rng, p->v[1]);
        mm_gc_safepoint(rt);
    }
    if (rooted)
        mm_root_pop(rt, 1);
    mm_xdecref(rt, cache);
    mm_gc_collect(rt, 2, NULL);
    out->ops = n;
    out->objects = n * 25;
    return rc;
}

const scenario sc_webapp = {
    "webapp",
    "mixed request handling: dicts, strings, lists, a session cache, some cycles", 1,
    params, 3, "requests", run,
};
