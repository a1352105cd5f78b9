/* Running one job of a suite: its settings interleaved in rounds on this host, one
 * result file per setting in the job's directory (5.3).
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "meta.h"
#include "output.h"
#include "result.h"
#include "runner.h"
#include "suite_run.h"
#include "util.h"

int
bench_job_preflight(const bench_suite *s, const bench_job *j, char (*resolved)[512])
{
    for (size_t k = 0; k < j->nsettings; k++) {
        bench_experiment e;
        int rc;
        bench_suite_job_experiment(s, j, k, &e);
        rc = bench_preflight(&e, resolved[k], 512);
        bench_setting_clear(&e.set);
        if (rc)
            return rc;
    }
    return 0;
}

static int
write_results(const bench_suite *s, const bench_job *j, const bench_experiment *exps,
              json_t **runs, char (*resolved)[512], const bench_job_ctx *jc,
              bench_result_ctx *ctx)
{
    int failed = 0;
    for (size_t k = 0; k < j->nsettings; k++) {
        char path[4096];
        json_t *doc = bench_result_build(&exps[k], ctx, resolved[k], runs[k]);
        snprintf(path, sizeof path, "%s/%s__%s.json", jc->outdir, exps[k].sc->name,
                 exps[k].set.label);
        failed |=
            strcmp(json_string_value(json_object_get(doc, "status")), "complete") != 0;
        if (bench_output_write(path, doc, jc->pretty) != 0) {
            json_decref(doc);
            return 1;
        }
        json_decref(doc);
    }
    (void)s;
    return failed ? 4 : 0;
}

int
bench_job_run(const bench_suite *s, const bench_job *j, const bench_job_ctx *jc,
              bench_runner *br)
{
    bench_experiment *exps = bench_xcalloc(j->nsettings, sizeof *exps);
    json_t **runs = bench_xcalloc(j->nsettings, sizeof *runs);
    char (*resolved)[512] = bench_xcalloc(j->nsettings, sizeof *resolved);
    bench_result_ctx ctx;
    int rc, sig;
    rc = bench_job_preflight(s, j, resolved); /* before anything exists (2.3) */
    if (!rc && bench_mkdirs(jc->outdir) != 0) {
        fprintf(stderr, "mmbench: error: %s: cannot create\n", jc->outdir);
        rc = 1;
    }
    for (size_t k = 0; k < j->nsettings; k++)
        bench_suite_job_experiment(s, j, k, &exps[k]);
    memset(&ctx, 0, sizeof ctx);
    ctx.tool = jc->tool;
    ctx.host = jc->host;
    ctx.env = jc->env;
    ctx.suite_id = jc->suite_id;
    ctx.baseline = s->baseline;
    ctx.argc = jc->argc;
    ctx.argv = jc->argv;
    if (!rc) {
        br->job = j->id;
        clock_gettime(CLOCK_REALTIME, &ctx.started);
        sig = bench_run_rounds(br, exps, j->nsettings, runs, resolved, s->seed);
        clock_gettime(CLOCK_REALTIME, &ctx.finished);
        if (sig) {
            for (size_t k = 0; k < j->nsettings; k++)
                json_decref(runs[k]);
            rc = 128 + sig;
        } else {
            rc = write_results(s, j, exps, runs, resolved, jc, &ctx);
        }
    }
    for (size_t k = 0; k < j->nsettings; k++)
        bench_setting_clear(&exps[k].set);
    free(exps);
    free(runs);
    free(resolved);
    return rc;
}
