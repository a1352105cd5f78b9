/* Building a result file from runs: id, meta, config, then the derived parts.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include "result.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "util.h"

json_t *
bench_jreal(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

double
bench_jnum(json_t *o, const char *path)
{
    char key[128];
    const char *p = path;
    while (o && *p) {
        size_t len = strcspn(p, ".");
        if (len >= sizeof key)
            return NAN;
        memcpy(key, p, len);
        key[len] = 0;
        o = json_object_get(o, key);
        p += len + (p[len] == '.');
    }
    return json_is_number(o) ? json_number_value(o) : NAN;
}

static json_t *
meta_json(const bench_result_ctx *ctx)
{
    char created[40], started[40], finished[40];
    struct timespec now;
    json_t *argv = json_array();
    clock_gettime(CLOCK_REALTIME, &now);
    bench_utc_string(&now, created, sizeof created);
    bench_utc_string(&ctx->started, started, sizeof started);
    bench_utc_string(&ctx->finished, finished, sizeof finished);
    for (int i = 0; i < ctx->argc; i++)
        json_array_append_new(argv, json_string(ctx->argv[i]));
    if (!ctx->argc)
        json_array_append_new(argv, json_string("mmbench"));
    return json_pack("{s:O,s:s,s:s,s:s,s:o,s:o,s:O,s:O}", "tool", ctx->tool,
                     "created_utc", created, "started_utc", started, "finished_utc",
                     finished, "command_line", argv, "suite_id",
                     ctx->suite_id ? json_string(ctx->suite_id) : json_null(), "host",
                     ctx->host, "env", ctx->env);
}

json_t *
bench_result_build(const bench_experiment *e, const bench_result_ctx *ctx,
                   const char *resolved, json_t *runs)
{
    char id[256], stamp[32], hash[72];
    json_t *doc;
    bench_setting_hash(e, hash);
    bench_utc_compact(&ctx->started, stamp, sizeof stamp);
    snprintf(id, sizeof id, "%s__%s__%s__%.8s", e->sc->name, e->set.label, stamp,
             hash + 7);
    doc = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "schema", BENCH_RESULT_SCHEMA, "id", id,
                    "status", "complete", "meta", meta_json(ctx), "config",
                    bench_config_json(e, ctx->baseline,
                                      resolved && *resolved ? resolved : "unverified"),
                    "runs", runs);
    bench_result_finish(doc);
    return doc;
}

void
bench_result_finish(json_t *result)
{
    json_t *runs = json_object_get(result, "runs"), *run;
    size_t i;
    int failed = 0;
    json_array_foreach(runs, i, run) {
        json_object_set_new(run, "index", json_integer((json_int_t)i));
        if (strcmp(json_string_value(json_object_get(run, "status")), "ok"))
            failed = 1;
    }
    json_object_set_new(result, "status",
                        json_string(failed ? "failed-runs" : "complete"));
    json_object_set_new(result, "summary", bench_summary_json(result));
    json_object_set_new(result, "warnings", bench_warnings_json(result));
}

size_t
bench_ok_runs(json_t *result, size_t *idx)
{
    json_t *runs = json_object_get(result, "runs"), *run;
    size_t i, n = 0;
    json_array_foreach(runs, i, run) {
        json_t *ex = json_object_get(run, "excluded");
        if (!strcmp(json_string_value(json_object_get(run, "status")), "ok") &&
            (!ex || json_is_null(ex)))
            idx[n++] = i;
    }
    return n;
}
