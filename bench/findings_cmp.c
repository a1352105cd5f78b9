/* Findings over comparison rows, sweeps and the trade-off frontier (7.2 of
 * results-and-reports.md). Design: docs/design/reports.md ("Findings").
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings_internal.h"
#include "result.h"
#include "stats.h"
#include "util.h"

/* ---- rules over comparison rows ---- */

static json_t *
row_of(json_t *rows, const char *scen, const char *cand, const char *metric)
{
    json_t *r;
    size_t i;
    json_array_foreach(rows, i, r)
        if (!strcmp(json_string_value(json_object_get(r, "scenario")), scen) &&
            !strcmp(json_string_value(json_object_get(r, "candidate")), cand) &&
            !strcmp(json_string_value(json_object_get(r, "metric")), metric))
            return r;
    return NULL;
}

static const char *
verdict(json_t *r)
{
    json_t *v = json_object_get(r, "verdict");
    return json_is_string(v) ? json_string_value(v) : "";
}

int
fnd_is_sweep_point(json_t *doc)
{
    json_t *sw = json_object_get(
        json_object_get(json_object_get(doc, "config"), "setting"), "sweep");
    return json_is_object(sw) && json_object_size(sw) > 0;
}

static void
describe_knobs(json_t *doc, char *out, size_t n)
{
    json_t *sw = json_object_get(
               json_object_get(json_object_get(doc, "config"), "setting"), "sweep"),
           *v;
    const char *k;
    size_t len = 0;
    out[0] = 0;
    json_object_foreach(sw, k, v) {
        char val[64];
        if (json_is_integer(v))
            snprintf(val, sizeof val, "%lld", (long long)json_integer_value(v));
        else if (json_is_string(v))
            snprintf(val, sizeof val, "%s", json_string_value(v));
        else
            snprintf(val, sizeof val, "%s", json_is_true(v) ? "on" : "off");
        len += (size_t)snprintf(out + len, n > len ? n - len : 0, "%s%s=%s",
                                len ? ", " : "", k, val);
    }
}

/* The name of the suite sweep that doc is a point of (same scenario, knobs), or NULL. */
static const char *
sweep_name(const bench_results *r, json_t *doc, const char *scen)
{
    json_t *cfg = json_object_get(doc, "config"), *sw, *v;
    json_t *pt = json_object_get(json_object_get(cfg, "setting"), "sweep");
    size_t i;
    json_array_foreach(json_object_get(r->suite, "sweeps"), i, sw) {
        json_t *knobs = json_object_get(sw, "knobs");
        const char *s = json_string_value(json_object_get(sw, "scenario")), *k;
        int same = s && !strcmp(s, scen) &&
                   json_object_size(knobs) == json_object_size(pt);
        json_object_foreach(pt, k, v)
            same = same && json_object_get(knobs, k) != NULL;
        if (same)
            return json_string_value(json_object_get(sw, "name"));
    }
    return NULL;
}

void
fnd_sweep_best(fnd_ctx *c, json_t *doc, json_t *rows, const char *scen, const char *set)
{
    json_t *p99 = row_of(rows, scen, set, "pause_p99_ns");
    json_t *rss = row_of(rows, scen, set, "peak_rss_bytes");
    const char *sw = sweep_name(c->r, doc, scen);
    char knobs[256], heat[300];
    fnd_link links[] = { { "sweep-heatmap", heat }, { "sweep-frontier", sw },
                         { "compare-forest", set }, { NULL, NULL } };
    if (!p99 || strcmp(verdict(p99), "better"))
        return;
    snprintf(heat, sizeof heat, "%s-pause_p99_ns", sw ? sw : "");
    describe_knobs(doc, knobs, sizeof knobs);
    fnd_add(c, "F-SWEEP-BEST", "info", scen, set, links, json_deep_copy(p99),
            "Setting %s (%s) cut the p99 pause of %s by %.0f%% (95%% CI %.0f-%.0f%%) at "
            "%+.0f%% peak RSS.",
            set, knobs, scen, 100 * (1 - bench_jnum(p99, "ratio")),
            100 * (1 - bench_jnum(p99, "hi")), 100 * (1 - bench_jnum(p99, "lo")),
            rss ? 100 * (bench_jnum(rss, "ratio") - 1) : NAN);
}

void
fnd_tradeoff(fnd_ctx *c, json_t *rows, const char *scen, const char *set)
{
    static const char *const prim[] = { "wall_ns_per_loop", "pause_p99_ns",
                                        "peak_rss_bytes" };
    static const char *const word[] = { "is faster", "has a shorter p99 pause",
                                        "uses less peak RSS" };
    static const char *const bad[] = { "is slower", "has a longer p99 pause",
                                       "uses more peak RSS" };
    const fnd_link links[] = { { "compare-forest", set }, { NULL, NULL } };
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            json_t *ra = row_of(rows, scen, set, prim[a]),
                   *rb = row_of(rows, scen, set, prim[b]);
            if (a == b || !ra || !rb || strcmp(verdict(ra), "better") ||
                strcmp(verdict(rb), "worse"))
                continue;
            fnd_add(c, "F-TRADEOFF", "info", scen, set, links,
                json_pack("{s:O,s:O}", "better", ra, "worse", rb),
                "%s in %s %s (%.0f%%) but %s (%+.0f%%).", set, scen, word[a],
                100 * fabs(1 - bench_jnum(ra, "ratio")), bad[b],
                100 * (bench_jnum(rb, "ratio") - 1));
            return;
        }
}

void
fnd_pools_rule(fnd_ctx *c, json_t *doc, json_t *rows, const char *scen, const char *set)
{
    json_t *alloc = json_object_get(json_object_get(doc, "config"), "allocator");
    json_t *r = row_of(rows, scen, set, "peak_rss_bytes");
    const fnd_link links[] = { { "compare-forest", set }, { NULL, NULL } };
    double mb, mc;
    if (!r || strcmp(json_string_value(json_object_get(alloc, "backend")), "private"))
        return;
    if (strcmp(verdict(r), "worse") && strcmp(verdict(r), "better"))
        return;
    mb = bench_jnum(r, "median_b");
    mc = bench_jnum(r, "median_c");
    fnd_add(c, "F-POOLS", "info", scen, set, links, json_deep_copy(r),
            mc > mb ? "Private per-type pools kept %.1f MiB more peak RSS than shared "
                      "pools in %s (%.1f vs %.1f MiB)."
                    : "Private per-type pools used %.1f MiB less peak RSS than shared "
                      "pools in %s (%.1f vs %.1f MiB).",
            fabs(mc - mb) / 1048576, scen, mc / 1048576, mb / 1048576);
}

/* Comparison verdicts on the primary metrics: better/worse/no-difference as findings,
 * inconclusive ones collected apart. */
void
fnd_verdict_rows(fnd_ctx *c, json_t *rows, json_t *incon)
{
    static const char *const prim[] = { "wall_ns_per_loop", "pause_p99_ns",
                                        "peak_rss_bytes" };
    static const char *const name[] = { "wall time per loop", "p99 pause", "peak RSS" };
    json_t *r;
    size_t i;
    json_array_foreach(rows, i, r) {
        const char *m = json_string_value(json_object_get(r, "metric")), *v = verdict(r);
        const char *scen = json_string_value(json_object_get(r, "scenario"));
        const char *cand = json_string_value(json_object_get(r, "candidate"));
        const fnd_link links[] = { { "compare-forest", cand }, { NULL, NULL } };
        int k;
        for (k = 0; k < 3 && strcmp(m, prim[k]); k++)
            ;
        if (k == 3)
            continue;
        if (!strcmp(v, "inconclusive")) {
            json_array_append(incon, r);
        } else if (!strcmp(v, "better") || !strcmp(v, "worse")) {
            fnd_add(
                c, "F-COMPARE", !strcmp(v, "worse") ? "warning" : "info", scen, cand,
                links, json_deep_copy(r),
                "%s: %s under %s is %s than under %s: ratio %.3f (95%% CI %.3f-%.3f).",
                scen, name[k], cand, !strcmp(v, "worse") ? "worse" : "better",
                json_string_value(json_object_get(r, "baseline")), bench_jnum(r, "ratio"),
                bench_jnum(r, "lo"), bench_jnum(r, "hi"));
        } else if (!strcmp(v, "no-difference") && k == 0) {
            fnd_add(c, "F-COMPARE", "info", scen, cand, links, json_deep_copy(r),
                    "%s: no significant difference in %s between %s and %s (ratio %.3f, "
                    "95%% CI %.3f-%.3f, within +-%.0f%%).",
                    scen, name[k], cand,
                    json_string_value(json_object_get(r, "baseline")),
                    bench_jnum(r, "ratio"), bench_jnum(r, "lo"), bench_jnum(r, "hi"),
                    100 * bench_jnum(r, "delta"));
        }
    }
}

void
fnd_frontier_rule(fnd_ctx *c)
{
    const bench_results *r = c->r;
    json_t *sweeps = json_object_get(r->suite, "sweeps"), *sw;
    size_t i;
    json_array_foreach(sweeps, i, sw) {
        const char *scen = json_string_value(json_object_get(sw, "scenario"));
        const char *name = json_string_value(json_object_get(sw, "name"));
        char heat[300];
        const fnd_link links[] = { { "sweep-frontier", name }, { "sweep-heatmap", heat },
                                   { "sweep-heatmap", NULL }, { NULL, NULL } };
        double thr[64], p99[64], rss[64];
        int on[64];
        const char *labels[64];
        size_t n = 0, k, non = 0;
        char list[512] = "";
        for (k = 0; k < r->ndocs && n < 64; k++) {
            json_t *d = r->docs[k];
            if (strcmp(json_string_value(json_object_get(
                           json_object_get(json_object_get(d, "config"), "scenario"),
                           "name")),
                       scen) ||
                !fnd_is_sweep_point(d))
                continue;
            labels[n] = json_string_value(json_object_get(
                json_object_get(json_object_get(d, "config"), "setting"), "label"));
            thr[n] = fnd_med(d, "throughput_pct");
            p99[n] = fnd_med(d, "pause_p99_ns");
            if (!isfinite(p99[n]))
                p99[n] = fnd_med(d, "pause_max_ns");
            rss[n++] = fnd_med(d, "peak_rss_bytes");
        }
        if (n < 3)
            continue;
        snprintf(heat, sizeof heat, "%s-pause_p99_ns", name ? name : "");
        bs_pareto(thr, p99, rss, n, on);
        for (k = 0; k < n; k++)
            if (on[k]) {
                size_t len = strlen(list);
                snprintf(list + len, sizeof list - len, "%s%s", non++ ? ", " : "",
                         labels[k]);
            }
        fnd_add(c, "F-FRONTIER", "info", scen, NULL, links,
                json_pack("{s:i,s:i}", "on_frontier", (int)non, "points", (int)n),
                "%zu of %zu settings of sweep %s are on the trade-off frontier "
                "(throughput, p99 pause, peak RSS): %s.",
                non, n, name, list);
    }
}
