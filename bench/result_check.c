/* Reading result files back (8.3): schema major, required keys and types, and the
 * invariants of 2.6. Every error names the JSON pointer.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "result.h"
#include "schema_check.h"

typedef struct vctx {
    char *err;
    size_t n;
} vctx;

static int
vfail(vctx *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->err, v->n, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *
type_name(json_t *x)
{
    switch (json_typeof(x)) {
        case JSON_OBJECT: return "an object";
        case JSON_ARRAY: return "an array";
        case JSON_STRING: return "a string";
        case JSON_INTEGER:
            return json_integer_value(x) < 0 ? "a negative integer" : "an integer";
        case JSON_REAL: return "a real";
        case JSON_TRUE:
        case JSON_FALSE: return "a boolean";
        default: return "null";
    }
}

/* kind: 'u' integer >= 0, 'i' integer, 'n' number, 's' string, 'o' object, 'a' array,
 * 'b' boolean; upper case = may also be null. */
static int
need(vctx *v, json_t *obj, const char *ptr, const char *key, char kind)
{
    json_t *x = json_object_get(obj, key);
    int ok;
    char k = kind >= 'A' && kind <= 'Z' ? (char)(kind - 'A' + 'a') : kind;
    if (!x)
        return vfail(v, "%s/%s: required key missing", ptr, key);
    if (kind != k && json_is_null(x))
        return 0;
    ok = k == 'u'   ? json_is_integer(x) && json_integer_value(x) >= 0
         : k == 'i' ? json_is_integer(x)
         : k == 'n' ? json_is_number(x)
         : k == 's' ? json_is_string(x)
         : k == 'o' ? json_is_object(x)
         : k == 'a' ? json_is_array(x)
                    : json_is_boolean(x);
    if (!ok) {
        static const char *const want[] = {
            "u", "expected integer >= 0", "i", "expected integer",
            "n", "expected a number",     "s", "expected a string",
            "o", "expected an object",    "a", "expected an array",
            "b", "expected a boolean"
        };
        const char *w = "bad type";
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i += 2)
            if (want[i][0] == k)
                w = want[i + 1];
        if (k == 'u' && json_is_integer(x))
            return vfail(v, "%s/%s: %s, got %lld", ptr, key, w,
                         (long long)json_integer_value(x));
        return vfail(v, "%s/%s: %s, got %s", ptr, key, w, type_name(x));
    }
    return 0;
}

static int
need_all(vctx *v, json_t *obj, const char *ptr, const char *spec)
{
    /* spec: "kind:key kind:key ..." */
    char buf[1024], *save = NULL;
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
        if (need(v, obj, ptr, t + 2, t[0]))
            return -1;
    return 0;
}

static int
check_gen3(vctx *v, json_t *gc, const char *ptr, const char *key, uint64_t *sum)
{
    json_t *a = json_object_get(gc, key);
    *sum = 0;
    if (!json_is_array(a) || json_array_size(a) != 3)
        return vfail(v, "%s/%s: expected an array of 3 integers", ptr, key);
    for (size_t i = 0; i < 3; i++) {
        json_t *x = json_array_get(a, i);
        if (!json_is_integer(x) || json_integer_value(x) < 0)
            return vfail(v, "%s/%s/%zu: expected integer >= 0", ptr, key, i);
        *sum += (uint64_t)json_integer_value(x);
    }
    return 0;
}

static int
check_bins(vctx *v, json_t *hist, const char *ptr, uint64_t *count)
{
    json_t *bins = json_object_get(hist, "bins"), *b;
    size_t i;
    *count = 0;
    if (!json_is_array(bins))
        return vfail(v, "%s/histogram/bins: expected an array", ptr);
    json_array_foreach(bins, i, b) {
        uint64_t x[6];
        if (!json_is_array(b) || json_array_size(b) != 6)
            return vfail(v, "%s/histogram/bins/%zu: expected 6 integers", ptr, i);
        for (size_t k = 0; k < 6; k++) {
            json_t *e = json_array_get(b, k);
            if (!json_is_integer(e) || json_integer_value(e) < 0)
                return vfail(v, "%s/histogram/bins/%zu/%zu: expected integer >= 0", ptr,
                             i, k);
            x[k] = (uint64_t)json_integer_value(e);
        }
        if (x[2] != x[3] + x[4] + x[5] || x[2] == 0 || x[0] > x[1])
            return vfail(
                v, "%s/histogram/bins/%zu: count must be >= 1 and equal gen0+gen1+gen2",
                ptr, i);
        *count += x[2];
    }
    return 0;
}

static int
check_pauses(vctx *v, json_t *run, const char *rp)
{
    char ptr[128], mp[128];
    json_t *p = json_object_get(run, "pauses"), *m = json_object_get(run, "metrics");
    json_t *gc = json_object_get(m, "gc"), *ev;
    uint64_t bins, coll, tsum;
    snprintf(ptr, sizeof ptr, "%s/pauses", rp);
    snprintf(mp, sizeof mp, "%s/metrics/gc", rp);
    if (need_all(v, p, ptr,
                 "u:count u:total_ns U:min_ns U:max_ns o:percentiles_ns "
                 "s:percentile_method o:histogram o:events") ||
        check_bins(v, json_object_get(p, "histogram"), ptr, &bins) ||
        need_all(v, gc, mp, "a:collections a:time_ns") ||
        check_gen3(v, gc, mp, "collections", &coll) ||
        check_gen3(v, gc, mp, "time_ns", &tsum))
        return -1;
    if ((uint64_t)json_integer_value(json_object_get(p, "count")) != bins || bins != coll)
        return vfail(v, "%s/count: must equal the histogram's counts and the sum of "
                     "metrics.gc.collections", ptr);
    if ((uint64_t)json_integer_value(json_object_get(p, "total_ns")) != tsum ||
        json_integer_value(json_object_get(m, "gc_time_ns")) !=
            json_integer_value(json_object_get(p, "total_ns")))
        return vfail(v, "%s/total_ns: must equal metrics.gc_time_ns and sum(gc.time_ns)",
                     ptr);
    ev = json_object_get(p, "events");
    snprintf(ptr, sizeof ptr, "%s/pauses/events", rp);
    if (need_all(v, ev, ptr, "s:policy u:total u:kept a:columns a:rows"))
        return -1;
    if ((size_t)json_integer_value(json_object_get(ev, "kept")) !=
        json_array_size(json_object_get(ev, "rows")))
        return vfail(v, "%s/kept: must equal the number of rows", ptr);
    return 0;
}

static int
check_ok_run(vctx *v, json_t *run, const char *rp)
{
    char ptr[128];
    json_t *m = json_object_get(run, "metrics");
    snprintf(ptr, sizeof ptr, "%s/metrics", rp);
    if (need_all(v, run, rp,
                 "u:duration_ns o:metrics o:pauses o:mmu o:size_classes O:pools "
                 "o:timeseries") ||
        need_all(v, m, ptr,
                 "u:wall_ns u:cpu_user_ns u:cpu_sys_ns u:peak_rss_bytes "
                 "s:peak_rss_scope u:rss_end_bytes u:rss_max_sampled_bytes "
                 "u:minor_faults u:major_faults u:ctx_voluntary u:ctx_involuntary "
                 "u:allocations u:frees u:frees_by_refcount u:frees_by_gc "
                 "u:bytes_allocated u:bytes_freed u:peak_live_bytes "
                 "u:large_allocations o:gc u:gc_time_ns n:gc_time_share "
                 "n:throughput_pct u:sampler_overhead_ns"))
        return -1;
    if (json_integer_value(json_object_get(m, "frees")) !=
        json_integer_value(json_object_get(m, "frees_by_refcount")) +
            json_integer_value(json_object_get(m, "frees_by_gc")))
        return vfail(v, "%s/frees: must equal frees_by_refcount + frees_by_gc", ptr);
    if (!json_array_size(json_object_get(run, "values")))
        return vfail(v, "%s/values: an ok run needs at least one value", rp);
    return check_pauses(v, run, rp);
}

static int
check_values(vctx *v, json_t *run, const char *rp, const char *key)
{
    json_t *vals = json_object_get(run, key), *x;
    size_t i;
    json_array_foreach(vals, i, x) {
        char ptr[128];
        snprintf(ptr, sizeof ptr, "%s/%s/%zu", rp, key, i);
        if (!json_is_object(x))
            return vfail(v, "%s: expected an object", ptr);
        if (need_all(v, x, ptr, "u:loops u:wall_ns u:cpu_ns"))
            return -1;
        if (json_integer_value(json_object_get(x, "loops")) < 1)
            return vfail(v, "%s/loops: expected integer >= 1", ptr);
    }
    return 0;
}

static int
check_run(vctx *v, json_t *run, size_t i)
{
    static const char *const st[] = {
        "ok", "crashed", "timeout", "oom", "limit", "error"
    };
    char rp[64];
    const char *s;
    int known = 0;
    snprintf(rp, sizeof rp, "/runs/%zu", i);
    if (!json_is_object(run))
        return vfail(v, "%s: expected an object", rp);
    if (need_all(v, run, rp,
                 "u:index S:job u:round u:slot S:hostname u:pid U:cpu "
                 "s:started_utc s:status I:exit_code U:signal S:error a:warmups "
                 "a:values") ||
        check_values(v, run, rp, "warmups") || check_values(v, run, rp, "values"))
        return -1;
    s = json_string_value(json_object_get(run, "status"));
    for (size_t k = 0; k < 6; k++)
        known |= !strcmp(s, st[k]);
    if (!known)
        return vfail(v, "%s/status: unknown status '%s'", rp, s);
    return strcmp(s, "ok") ? 0 : check_ok_run(v, run, rp);
}

int
bench_result_validate(json_t *doc, char *err, size_t n)
{
    vctx v = { err, n };
    json_t *runs, *run, *cfg;
    const char *schema;
    size_t i;
    if (!json_is_object(doc))
        return vfail(&v, "/: expected an object");
    if (need(&v, doc, "", "schema", 's'))
        return -1;
    schema = json_string_value(json_object_get(doc, "schema"));
    if (strncmp(schema, "mmbench/result/v", 16))
        return vfail(&v, "/schema: not an mmbench result file ('%s')", schema);
    if (strcmp(schema, BENCH_RESULT_SCHEMA))
        return vfail(&v, "/schema: unsupported version '%s' (this mmbench reads %s)",
                     schema, BENCH_RESULT_SCHEMA);
    if (bench_schema_validate(bench_result_schema(), doc, err, n) != 0)
        return -1;
    if (need_all(&v, doc, "",
                 "s:id s:status o:meta o:config a:runs o:summary a:warnings") ||
        need_all(&v, json_object_get(doc, "meta"), "/meta",
                 "o:tool o:host o:env a:command_line") ||
        need_all(&v, json_object_get(json_object_get(doc, "meta"), "host"), "/meta/host",
                 "s:fingerprint") ||
        need_all(
            &v, cfg = json_object_get(doc, "config"), "/config",
            "o:scenario o:setting o:gc o:allocator b:free_lists u:seed o:measurement") ||
        need_all(&v, json_object_get(cfg, "scenario"), "/config/scenario",
                 "s:name u:version o:params") ||
        need_all(&v, json_object_get(cfg, "setting"), "/config/setting",
                 "s:label s:hash S:baseline"))
        return -1;
    runs = json_object_get(doc, "runs");
    if (!json_array_size(runs))
        return vfail(&v, "/runs: expected at least one run");
    json_array_foreach(runs, i, run)
        if (check_run(&v, run, i))
            return -1;
    return 0;
}

json_t *
bench_result_load(const char *path, char *err, size_t n)
{
    struct stat st;
    json_error_t jerr;
    char verr[512];
    json_t *doc;
    if (stat(path, &st) != 0) {
        snprintf(err, n, "%s: no such file", path);
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || st.st_size == 0) {
        snprintf(err, n, "%s: %s", path,
                 S_ISREG(st.st_mode) ? "empty file" : "not a regular file");
        return NULL;
    }
    doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        snprintf(err, n, "%s: line %d: %s", path, jerr.line, jerr.text);
        return NULL;
    }
    if (bench_result_validate(doc, verr, sizeof verr) != 0) {
        snprintf(err, n, "%s: %s", path, verr);
        json_decref(doc);
        return NULL;
    }
    return doc;
}
