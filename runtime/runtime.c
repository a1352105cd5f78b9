/* Runtime lifecycle, configuration validation, error reporting, hooks and stats.
 * Design: docs/design/object-model.md.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime_internal.h"

/* ---- Names ---- */

static const char *const alloc_names[] = { "pool", "malloc", "private", "mimalloc",
                                           "jemalloc" };
static const char *const gc_names[] = { "cpython311", "cpython313", "none", "full",
                                        "marksweep" };

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

const char *
mm_alloc_kind_name(mm_alloc_kind kind)
{
    return (unsigned)kind < NELEMS(alloc_names) ? alloc_names[kind] : NULL;
}

const char *
mm_gc_policy_name(mm_gc_policy policy)
{
    return (unsigned)policy < NELEMS(gc_names) ? gc_names[policy] : NULL;
}

static int
name_lookup(const char *const *names, size_t n, const char *name, int *out)
{
    for (size_t i = 0; name && i < n; i++) {
        if (strcmp(names[i], name) == 0) {
            *out = (int)i;
            return MM_OK;
        }
    }
    return MM_EINVAL;
}

int
mm_alloc_kind_parse(const char *name, mm_alloc_kind *out)
{
    int v;
    int rc = name_lookup(alloc_names, NELEMS(alloc_names), name, &v);
    if (rc == MM_OK)
        *out = (mm_alloc_kind)v;
    return rc;
}

int
mm_gc_policy_parse(const char *name, mm_gc_policy *out)
{
    int v;
    int rc = name_lookup(gc_names, NELEMS(gc_names), name, &v);
    if (rc == MM_OK)
        *out = (mm_gc_policy)v;
    return rc;
}

const char *
mm_strerror(int code)
{
    switch (code) {
        case MM_OK: return "success";
        case MM_ENOMEM: return "out of memory";
        case MM_EINVAL: return "invalid argument";
        case MM_ETYPE: return "wrong object type";
        case MM_EINDEX: return "index out of range";
        case MM_EKEY: return "key not found";
        case MM_EMISUSE: return "API misuse";
        case MM_EPOISONED: return "runtime poisoned by an earlier internal error";
        case MM_ESTATE: return "operation not valid in this state";
        case MM_ENOTSUP: return "not supported by this build";
        case MM_ESTOP: return "iteration stopped";
        default: return "unknown error";
    }
}

/* ---- Configuration ---- */

void
mm_config_default(mm_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->alloc = MM_ALLOC_POOL;
    cfg->gc = MM_GC_CPYTHON311;
    cfg->freelists = 1;
    cfg->small_threshold = MMI_SMALL_THRESHOLD;
    cfg->pool_size = MMI_POOL_SIZE;
    cfg->arena_size = MMI_ARENA_SIZE;
    cfg->marksweep_heap_limit = MMI_MARKSWEEP_HEAP_LIMIT;
}

static int
config_fail(char *errbuf, size_t size, int code, const char *msg)
{
    if (errbuf && size)
        snprintf(errbuf, size, "%s", msg);
    return code;
}

/* Validate cfg and resolve policy defaults (threshold 0 = policy default). */
static int
config_validate(mm_config *cfg, char *errbuf, size_t size)
{
    if (!mm_alloc_kind_name(cfg->alloc))
        return config_fail(errbuf, size, MM_EINVAL, "alloc: unknown allocator backend");
    if (!mm_gc_policy_name(cfg->gc))
        return config_fail(errbuf, size, MM_EINVAL, "gc: unknown GC policy");
    if (cfg->freelists != 0 && cfg->freelists != 1)
        return config_fail(errbuf, size, MM_EINVAL, "freelists: must be 0 or 1");
    if (cfg->small_threshold != MMI_SMALL_THRESHOLD_OLD &&
        cfg->small_threshold != MMI_SMALL_THRESHOLD)
        return config_fail(errbuf, size, MM_EINVAL,
                           "small_threshold: must be 256 or 512");
    if (!((cfg->pool_size == MMI_POOL_SIZE && cfg->arena_size == MMI_ARENA_SIZE) ||
          (cfg->pool_size == MMI_POOL_SIZE_OLD && cfg->arena_size == MMI_ARENA_SIZE_OLD)))
        return config_fail(errbuf, size, MM_EINVAL,
                           "pool_size/arena_size: must be 16 KiB/1 MiB or 4 KiB/256 KiB");
    if (cfg->gc == MM_GC_MARKSWEEP &&
        cfg->marksweep_heap_limit < MMI_MARKSWEEP_HEAP_LIMIT_MIN)
        return config_fail(errbuf, size, MM_EINVAL,
                           "marksweep_heap_limit: must be at least 4096 bytes");
    if (cfg->threshold[0] == 0 && cfg->threshold[1] == 0 && cfg->threshold[2] == 0) {
        cfg->threshold[0] =
            cfg->gc == MM_GC_CPYTHON313 ? MMI_GC_THRESHOLD0_313 : MMI_GC_THRESHOLD0;
        cfg->threshold[1] = MMI_GC_THRESHOLD1;
        cfg->threshold[2] = MMI_GC_THRESHOLD2;
    }
    return MM_OK;
}

/* ---- Lifecycle ---- */

int
mm_runtime_new(mm_runtime **out, const mm_config *cfg, char *errbuf, size_t errbuf_size)
{
    mm_runtime *rt = NULL;
    mm_config c;
    int rc;

    *out = NULL;
    if (cfg)
        c = *cfg;
    else
        mm_config_default(&c);
    rc = config_validate(&c, errbuf, errbuf_size);
    if (rc != MM_OK)
        return rc;
    rt = calloc(1, sizeof *rt);
    if (!rt)
        return config_fail(errbuf, errbuf_size, MM_ENOMEM, "out of memory");
    rt->cfg = c;
    rt->stats.version = MM_STATS_VERSION;
    rc = mmi_alloc_init(rt, &rt->cfg);
    if (rc != MM_OK)
        goto fail_alloc;
    rc = mmi_gc_init(rt, &rt->cfg);
    if (rc != MM_OK)
        goto fail_gc;
    rc = mmi_types_init(rt);
    if (rc != MM_OK)
        goto fail_types;
    *out = rt;
    return MM_OK;

fail_types:
    mmi_gc_fini(rt);
fail_gc:
    mmi_alloc_fini(rt);
fail_alloc:
    config_fail(errbuf, errbuf_size, rc, rt->errmsg[0] ? rt->errmsg : mm_strerror(rc));
    free(rt);
    return rc;
}

void
mm_runtime_destroy(mm_runtime *rt)
{
    if (!rt)
        return;
    mmi_gc_fini(rt);    /* frees whatever is still tracked (cycles, garbage) first */
    mmi_types_fini(rt); /* then the caches, singletons and free lists */
    mmi_alloc_fini(rt);
    free(rt->roots.fixed);
    free(rt->roots.stack);
    free(rt);
}

const mm_config *
mm_runtime_config(const mm_runtime *rt)
{
    return &rt->cfg;
}

/* ---- Errors ---- */

static void
error_vformat(mm_runtime *rt, int code, const char *fmt, va_list ap)
{
    rt->last_error = code;
    vsnprintf(rt->errmsg, sizeof rt->errmsg, fmt, ap);
}

int
mmi_error_set(mm_runtime *rt, int code, const char *fmt, ...)
{
    va_list ap;
    if (!rt)
        return code;
    va_start(ap, fmt);
    error_vformat(rt, code, fmt, ap);
    va_end(ap);
    return code;
}

/* Poison rt: from now on every public call that can fail refuses with MM_EPOISONED
 * (style.md rule 18; the list is in mm/runtime.h). Poisoning can happen in the middle of
 * any operation, with the heap half updated, so it frees nothing and walks nothing: it
 * only sets the switches that make the refusals cost nothing on the hot paths. */
static void
runtime_poison(mm_runtime *rt)
{
    rt->poisoned = 1;
    snprintf(rt->poison_msg, sizeof rt->poison_msg, "%s", rt->errmsg);
    mmi_alloc_poison(rt);      /* allocations take the general path, which refuses */
    mmi_freelists_park(rt);    /* so constructors cannot get around the allocator */
    rt->gc.pending = 1;        /* mm_gc_safepoint takes its slow path, which refuses */
}

int
mmi_error_report(mm_runtime *rt, int code, const char *file, int line, const char *fmt,
                 ...)
{
    va_list ap;
    if (!rt)
        return code;
    va_start(ap, fmt);
    error_vformat(rt, code, fmt, ap);
    va_end(ap);
    if (code == MM_EPOISONED && rt->poisoned)
        return code; /* the hook heard the poisoning once; later failures are recorded */
    rt->stats.misuse.total++;
    if (code == MM_EPOISONED)
        runtime_poison(rt);
    if (rt->cfg.on_error)
        rt->cfg.on_error(rt->cfg.error_arg, code, file, line, rt->errmsg);
    return code;
}

int
mmi_poisoned_refuse(mm_runtime *rt, const char *what)
{
    return mmi_error_set(rt, MM_EPOISONED, "%s: refused, the runtime is poisoned (%s)",
                         what, rt->poison_msg);
}

const char *
mm_errmsg(const mm_runtime *rt)
{
    return rt->errmsg;
}

/* ---- Hooks and stats ---- */

void
mm_hooks_set(mm_runtime *rt, const mm_hooks *hooks)
{
#if MM_HOOKS
    if (hooks)
        rt->hooks = *hooks;
    else
        memset(&rt->hooks, 0, sizeof rt->hooks);
#else
    (void)rt;
    (void)hooks;
#endif
}

int
mm_hooks_available(void)
{
    return MM_HOOKS;
}

void
mm_stats_get(const mm_runtime *rt, mm_stats *out)
{
    *out = rt->stats;
    out->incref.total = rt->head.nincref;
    out->decref.total = rt->head.ndecref;
}

void
mm_stats_reset_peaks(mm_runtime *rt)
{
#define MMI_RESET_gauge(name) rt->stats.name.peak = rt->stats.name.current;
#define MMI_RESET_counter(name)
#define MMI_RESET(name, kind, doc) MMI_RESET_##kind(name)
    MM_STATS_SCALARS(MMI_RESET)
#undef MMI_RESET
#undef MMI_RESET_gauge
#undef MMI_RESET_counter
    for (int t = 0; t < MM_T_COUNT; t++)
        rt->stats.type_objects[t].peak = rt->stats.type_objects[t].current;
}

int
mm_runtime_check(mm_runtime *rt)
{
    int rc;
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_runtime_check");
    rc = mmi_gc_generations_check(rt);
    if (rc == MM_OK)
        rc = mmi_alloc_check(rt);
    if (rc != MM_OK && rc != MM_EPOISONED)
        rc = mmi_error_report(rt, MM_EMISUSE, __FILE__, __LINE__, "heap check failed: %s",
                              rt->errmsg);
    return rc;
}
