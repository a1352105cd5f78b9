/* One run object per child process, and the interleaved rounds of a scenario (3).
 * Design: docs/design/measurement.md ("Interleaving").
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "meta.h"
#include "recorder.h"
#include "run_json.h"
#include "runner.h"
#include "stats.h"
#include "util.h"

typedef struct ended {
    const char *status;
    json_t *exit_code, *signal;
} ended;

static ended
classify(int wstatus, int timed_out)
{
    ended e = { "error", json_null(), json_null() };
    if (WIFEXITED(wstatus)) {
        int code = WEXITSTATUS(wstatus);
        e.exit_code = json_integer(code);
        e.status = code == 0 ? "ok"
                   : code == BENCH_CHILD_EXIT_LIMIT ? "limit"
                   : code == BENCH_CHILD_EXIT_OOM   ? "oom"
                                                    : "error";
    } else if (WIFSIGNALED(wstatus)) {
        int sig = WTERMSIG(wstatus);
        e.signal = json_integer(sig);
        /* A SIGKILL we did not send is the kernel's OOM killer. */
        e.status = timed_out ? "timeout" : sig == SIGKILL ? "oom" : "crashed";
    }
    return e;
}

static void
keep_log(bench_runner *br, const bench_experiment *e, const char *text, size_t len)
{
    char path[4096];
    FILE *f;
    if (!br->log_dir || !len)
        return;
    snprintf(path, sizeof path, "%s/%s__%s.stderr", br->log_dir, e->sc->name,
             e->set.label);
    f = fopen(path, "ae");
    if (!f)
        return;
    fwrite(text, 1, len, f);
    fclose(f);
}

static json_t *
run_skeleton(bench_runner *br, int round, int slot, pid_t pid, const char *started)
{
    char host[256] = "";
    json_t *r = json_object();
    if (!br->anonymize) /* --anonymize nulls every hostname (2.2), not only meta's */
        gethostname(host, sizeof host - 1);
    json_object_set_new(r, "index", json_integer(0));
    json_object_set_new(r, "job", br->job ? json_string(br->job) : json_null());
    json_object_set_new(r, "round", json_integer(round));
    json_object_set_new(r, "slot", json_integer(slot));
    json_object_set_new(r, "hostname", host[0] ? json_string(host) : json_null());
    json_object_set_new(r, "pid", json_integer(pid > 0 ? pid : 1));
    json_object_set_new(r, "cpu", json_null());
    json_object_set_new(r, "started_utc", json_string(started));
    return r;
}

/* Copy the child's run keys into r, in order: cpu, warmups, values, metrics, ... */
static int
adopt_child(json_t *r, const char *data, size_t len, char *resolved, size_t n)
{
    json_t *env = json_loadb(data ? data : "", len, 0, NULL), *run;
    const char *k;
    json_t *v;
    if (!env || !(run = json_object_get(env, "run")) || !json_is_object(run)) {
        json_decref(env);
        return -1;
    }
    snprintf(resolved, n, "%s", json_string_value(json_object_get(env, "resolved")));
    json_object_foreach(run, k, v) {
        if (!strcmp(k, "cpu"))
            json_object_set(r, k, v);
    }
    json_object_set(r, "warmups", json_object_get(run, "warmups"));
    json_object_set(r, "values", json_object_get(run, "values"));
    json_object_foreach(run, k, v) {
        if (strcmp(k, "cpu") && strcmp(k, "warmups") && strcmp(k, "values"))
            json_object_set(r, k, v);
    }
    json_decref(env);
    return 0;
}

json_t *
bench_run_once(bench_runner *br, const bench_experiment *e, int round, int slot,
               char *resolved, size_t n)
{
    struct timespec now;
    char started[40];
    json_t *spec = bench_experiment_to_spec(e), *r, *child = json_object();
    bench_child_result res;
    ended how;
    clock_gettime(CLOCK_REALTIME, &now);
    bench_utc_string(&now, started, sizeof started);
    bench_child_spawn_collect(e, spec, &res);
    json_decref(spec);
    r = run_skeleton(br, round, slot, res.pid, started);
    json_object_set_new(r, "duration_ns", json_integer((json_int_t)res.duration_ns));
    how = classify(res.wstatus, res.timed_out);
    if (res.spawn_failed)
        how.status = "error";
    /* The child's keys wait in `child`: schema order puts them after status..error. */
    if (!strcmp(how.status, "ok") &&
        adopt_child(child, res.out, res.out_len, resolved, n) != 0)
        how.status = "error";
    json_object_set_new(r, "status", json_string(how.status));
    json_object_set_new(r, "exit_code", how.exit_code);
    json_object_set_new(r, "signal", how.signal);
    if (strcmp(how.status, "ok")) {
        char *msg = res.spawn_failed ? bench_xstrdup(strerror(res.spawn_errno))
                    : res.timed_out  ? bench_xstrdup("killed after the timeout")
                                     : bench_child_last_line(res.err, res.err_len);
        json_object_set_new(r, "error", json_string(msg));
        json_object_set_new(r, "warmups", json_array());
        json_object_set_new(r, "values", json_array());
        free(msg);
        keep_log(br, e, res.err, res.err_len);
    } else {
        json_object_set_new(r, "error", json_null());
        json_object_update(r, child); /* cpu keeps its place; the rest follows in order */
    }
    json_decref(child);
    bench_child_result_free(&res);
    return r;
}

static void
progress(bench_runner *br, const bench_experiment *e, int round)
{
    double now = (double)bench_now_ns() / 1e9, eta;
    br->done++;
    if (!br->progress)
        return;
    eta = br->done
              ? (now - br->started) / (double)br->done * (double)(br->total - br->done)
              : 0;
    fprintf(stderr, "[%zu/%zu] %s %s round %d, ETA %.0f s\n", br->done, br->total,
            e->sc->name, e->set.label, round, eta);
}

/* The order of round r: declared order on even rounds, reversed on odd ones (abab);
 * a seeded permutation (random); declared (blocked, where rounds are per setting). */
static void
round_order(int order, int r, size_t n, bs_rng *rng, size_t *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = order == BENCH_ORDER_ABAB && (r % 2) ? n - 1 - i : i;
    if (order == BENCH_ORDER_RANDOM)
        for (size_t i = n; i > 1; i--) {
            size_t j = (size_t)bs_rng_below(rng, i), t = out[i - 1];
            out[i - 1] = out[j];
            out[j] = t;
        }
}

int
bench_run_rounds(bench_runner *br, const bench_experiment *exps, size_t n,
                 json_t **runs_out, char (*resolved)[512], uint64_t order_seed)
{
    size_t *ord = bench_xmalloc(n * sizeof *ord);
    uint32_t repeat = exps[0].m.repeat;
    int order = exps[0].m.order;
    bs_rng rng;
    bs_rng_seed(&rng, order_seed, "order");
    for (size_t i = 0; i < n; i++)
        runs_out[i] = json_array();
    if (order == BENCH_ORDER_BLOCKED) {
        for (size_t s = 0; s < n && !bench_interrupted; s++)
            for (uint32_t r = 0; r < repeat && !bench_interrupted; r++) {
                json_array_append_new(runs_out[s], bench_run_once(br, &exps[s], (int)r, 0,
                                                                  resolved[s], 512));
                progress(br, &exps[s], (int)r);
            }
    } else {
        for (uint32_t r = 0; r < repeat && !bench_interrupted; r++) {
            round_order(order, (int)r, n, &rng, ord);
            for (size_t k = 0; k < n && !bench_interrupted; k++) {
                size_t s = ord[k];
                json_t *run =
                    bench_run_once(br, &exps[s], (int)r, (int)k, resolved[s], 512);
                if (bench_interrupted) {
                    /* killed by the interruption: not a completed run */
                    json_decref(run);
                    break;
                }
                json_array_append_new(runs_out[s], run);
                progress(br, &exps[s], (int)r);
            }
        }
    }
    free(ord);
    return bench_interrupted;
}
