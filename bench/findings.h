/* Findings (results-and-reports.md 7.2). Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_FINDINGS_H
#define BENCH_FINDINGS_H

#include <jansson.h>

#include "export.h"

/* {"findings": [...], "inconclusive": [...]}: findings most important first, each
 * {id, severity, scenario, setting, text, evidence, chart}; comparisons that are
 * inconclusive go to the second list (noise never reads as a result). chart is the anchor
 * of one of `charts` (bench_export_tsv's entries, the charts the page has), else
 * "charts-<scenario>", the id of the scenario's chart section. New reference. */
json_t *bench_findings(const bench_results *r, json_t *compare_rows, json_t *lbo,
                       json_t *charts);

#endif
