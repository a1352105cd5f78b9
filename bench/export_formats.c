/* Exporter: CSV (one row per run, RFC 4180) and Chrome trace-event JSON (spec 8.1:
 * pauses as ph "X" complete events in microseconds, one pid per (result, run), heap and
 * RSS as ph "C" counters; opens in Perfetto and chrome://tracing).
 * Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "export_internal.h"
#include "result.h"

static const char *const csv_metrics[] = {
    "wall_ns_per_loop",  "cpu_ns_per_loop",  "peak_rss_bytes",
    "gc_time_ns",        "gc_time_share",    "pause_p50_ns",
    "pause_p99_ns",      "pause_max_ns",     "collections_gen0",
    "collections_gen1",  "collections_gen2", "allocations",
    "frees_by_refcount", "frees_by_gc",      NULL,
};

/* One CSV field: quoted when it holds a comma, quote, CR or LF (RFC 4180 2.6, 2.7). */
static void
csv_field(exp_buf *b, const char *s, int first)
{
    if (!first)
        eb_puts(b, ",");
    if (!strpbrk(s, ",\"\r\n")) {
        eb_puts(b, s);
        return;
    }
    eb_puts(b, "\"");
    for (const char *p = s; *p; p++)
        eb_printf(b, *p == '"' ? "\"\"" : "%c", *p);
    eb_puts(b, "\"");
}

static void
csv_row(exp_buf *b, json_t *doc, size_t i)
{
    json_t *cfg = json_object_get(doc, "config"), *run = exp_run(doc, (int)i);
    const char *st = json_string_value(json_object_get(run, "status"));
    int ok = st && !strcmp(st, "ok");
    char num[64];
    csv_field(b,
              exp_or(json_string_value(
                         json_object_get(json_object_get(cfg, "scenario"), "name")),
                     ""),
              1);
    csv_field(b,
              exp_or(json_string_value(
                         json_object_get(json_object_get(cfg, "setting"), "label")),
                     ""),
              0);
    snprintf(num, sizeof num, "%zu", i);
    csv_field(b, num, 0);
    csv_field(b, st ? st : "", 0);
    for (size_t k = 0; csv_metrics[k]; k++) {
        double v = NAN;
        if (ok)
            bench_metric_values(doc, csv_metrics[k], &i, 1, &v);
        if (!isfinite(v))
            num[0] = 0;
        else if (!strcmp(csv_metrics[k], "gc_time_share"))
            snprintf(num, sizeof num, "%.10g", v);
        else if (strstr(csv_metrics[k], "per_loop"))
            snprintf(num, sizeof num, "%.12g", v);
        else
            snprintf(num, sizeof num, "%.0f", v);
        csv_field(b, num, 0);
    }
    eb_puts(b, "\r\n");
}

void
exp_csv(json_t *doc, exp_buf *b, int header)
{
    size_t n = json_array_size(json_object_get(doc, "runs"));
    if (header) {
        eb_puts(b, "scenario,setting,run,status");
        for (size_t k = 0; csv_metrics[k]; k++)
            eb_printf(b, ",%s", csv_metrics[k]);
        eb_puts(b, "\r\n");
    }
    for (size_t i = 0; i < n; i++)
        csv_row(b, doc, i);
}

/* ---- trace ---- */

static void
json_text(exp_buf *b, const char *s)
{
    eb_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            eb_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            eb_printf(b, "\\u%04x", *p);
        else
            eb_printf(b, "%c", *p);
    }
    eb_puts(b, "\"");
}

static void
trace_meta(exp_buf *b, int pid, json_t *doc, size_t i, const char *status)
{
    json_t *cfg = json_object_get(doc, "config");
    char name[1024];
    snprintf(name, sizeof name, "%s/%s run %zu%s%s",
             exp_or(json_string_value(
                        json_object_get(json_object_get(cfg, "scenario"), "name")),
                    "?"),
             exp_or(json_string_value(
                        json_object_get(json_object_get(cfg, "setting"), "label")),
                    "?"),
             i, strcmp(status, "ok") ? " " : "", strcmp(status, "ok") ? status : "");
    eb_printf(b, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%d,\"tid\":1,"
              "\"args\":{\"name\":", pid);
    json_text(b, name);
    eb_printf(b,
              "}},\n{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":%d,\"tid\":1,"
              "\"args\":{\"sort_index\":%d}},\n{\"name\":\"thread_name\",\"ph\":\"M\","
              "\"pid\":%d,\"tid\":1,\"args\":{\"name\":\"mutator+gc\"}}",
              pid, pid, pid);
}

static void
trace_pauses(exp_buf *b, int pid, json_t *run)
{
    json_t *ev = exp_events(run), *row;
    int ct = exp_col(ev, "t_ns"), cd = exp_col(ev, "duration_ns"),
        cg = exp_col(ev, "generation"), co = exp_col(ev, "objects_examined"),
        cc = exp_col(ev, "collected"), ck = exp_col(ev, "kept");
    size_t i;
    json_array_foreach(json_object_get(ev, "rows"), i, row) {
        if (!isfinite(exp_cell(row, ct)) || !isfinite(exp_cell(row, cd)) ||
            !isfinite(exp_cell(row, cg)) || !isfinite(exp_cell(row, co)) ||
            !isfinite(exp_cell(row, cc)))
            continue;
        eb_printf(b,
                  ",\n{\"name\":\"gen%.0f collection\",\"cat\":\"gc\",\"ph\":\"X\","
                  "\"pid\":%d,\"tid\":1,\"ts\":%.3f,\"dur\":%.3f,\"args\":{"
                  "\"objects_examined\":%.0f,\"collected\":%.0f,\"kept\":",
                  exp_cell(row, cg), pid, exp_cell(row, ct) / 1e3,
                  exp_cell(row, cd) / 1e3, exp_cell(row, co), exp_cell(row, cc));
        json_text(b, exp_cells(row, ck));
        eb_puts(b, "}}");
    }
}

static void
trace_counters(exp_buf *b, int pid, json_t *run)
{
    json_t *ts = exp_series(run), *row;
    int ct = exp_col(ts, "t_ns"), c0 = exp_col(ts, "gen0_bytes"),
        c1 = exp_col(ts, "gen1_bytes"), c2 = exp_col(ts, "gen2_bytes"),
        cr = exp_col(ts, "rss_bytes");
    size_t i;
    json_array_foreach(json_object_get(ts, "rows"), i, row) {
        double t = exp_cell(row, ct) / 1e3;
        if (!isfinite(t + exp_cell(row, c0) + exp_cell(row, c1) + exp_cell(row, c2) +
                      exp_cell(row, cr)))
            continue;
        eb_printf(b, ",\n{\"name\":\"heap\",\"cat\":\"memory\",\"ph\":\"C\",\"pid\":%d,"
                  "\"tid\":1,\"ts\":%.3f,\"args\":{\"gen0_mib\":%.6f,\"gen1_mib\":%.6f,"
                  "\"gen2_mib\":%.6f}}", pid, t, exp_cell(row, c0) / 1048576.0,
                  exp_cell(row, c1) / 1048576.0, exp_cell(row, c2) / 1048576.0);
        eb_printf(b, ",\n{\"name\":\"rss\",\"cat\":\"memory\",\"ph\":\"C\",\"pid\":%d,"
                  "\"tid\":1,\"ts\":%.3f,\"args\":{\"rss_mib\":%.6f}}", pid, t,
                  exp_cell(row, cr) / 1048576.0);
    }
}

void
exp_trace(json_t *const *docs, size_t n, exp_buf *b)
{
    int pid = 0;
    eb_puts(b, "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
    for (size_t d = 0; d < n; d++) {
        json_t *run;
        size_t i;
        json_array_foreach(json_object_get(docs[d], "runs"), i, run) {
            const char *st =
                exp_or(json_string_value(json_object_get(run, "status")), "?");
            if (pid)
                eb_puts(b, ",\n");
            trace_meta(b, ++pid, docs[d], i, st);
            if (strcmp(st, "ok"))
                continue;
            trace_pauses(b, pid, run);
            trace_counters(b, pid, run);
        }
    }
    eb_puts(b, "\n]}\n");
}
