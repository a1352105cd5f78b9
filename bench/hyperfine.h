/* hyperfine as a child process (5.5): whole-process timing of each scenario's settings,
 * folded into the results directory as raw exports referenced from index.json.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_HYPERFINE_H
#define BENCH_HYPERFINE_H

#include <jansson.h>

#include "suite.h"

/* 0 when `hyperfine --version` runs (its version into out when out != NULL). */
int bench_hyperfine_version(char *out, size_t n);
/* Check an export against the labels (5.5): one result per label, parameters.setting
 * mapping back exactly, every exit code 0. 0, or -1 with a message. */
int bench_hyperfine_check(json_t *doc, const char *const *labels, size_t n, char *err,
                          size_t errn);
/* Run hyperfine per selected scenario of the suite; exports land in DIR/hyperfine/. */
int bench_hyperfine_suite(const bench_suite *s, const char *suite_file, const char *dir,
                          const char *const *only, size_t nonly);

#endif
