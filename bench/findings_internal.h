/* Findings' internals shared by findings.c (per-setting and per-result rules) and
 * findings_cmp.c (rules over comparison rows and sweeps). Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_FINDINGS_INTERNAL_H
#define BENCH_FINDINGS_INTERNAL_H

#include <jansson.h>

#include "export.h"

typedef struct fnd_ctx {
    const bench_results *r;
    json_t *charts; /* the report's chart entries: the anchors that exist (may be NULL) */
    json_t *out;    /* findings, in rule order (sorted at the end) */
} fnd_ctx;

/* A chart that shows a finding: its id and the last part of its anchor (a setting label,
 * a sweep name); key NULL = the scenario's chart of that id that is not per setting. */
typedef struct fnd_link {
    const char *chart;
    const char *key;
} fnd_link;

#define FND_MAXLINKS 520

/* Append a finding: its text from fmt, a link to the first drawn chart of links (else
 * the scenario's chart heading); evidence is stolen. */
void fnd_add(fnd_ctx *c, const char *id, const char *sev, const char *scen,
             const char *setting, const fnd_link *links, json_t *evidence,
             const char *fmt, ...) __attribute__((format(printf, 8, 9)));
/* The stored (recomputed) summary median of metric in doc; NaN when absent. */
double fnd_med(json_t *doc, const char *metric);

/* findings_cmp.c */
int fnd_is_sweep_point(json_t *doc);
void fnd_sweep_best(fnd_ctx *c, json_t *doc, json_t *rows, const char *scen,
                    const char *set);
void fnd_tradeoff(fnd_ctx *c, json_t *rows, const char *scen, const char *set);
void fnd_pools_rule(fnd_ctx *c, json_t *doc, json_t *rows, const char *scen,
                    const char *set);
void fnd_verdict_rows(fnd_ctx *c, json_t *rows, json_t *incon);
void fnd_frontier_rule(fnd_ctx *c);

#endif
