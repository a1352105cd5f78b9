/* Writing JSON outputs safely (8.3): never overwrite without --force, temp + rename,
 * `-` = stdout, non-regular targets (devices) written directly.
 * Design: docs/design/measurement.md ("Files that survive crashes").
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_OUTPUT_H
#define BENCH_OUTPUT_H

#include <jansson.h>

/* 0 when path may be written (prints the error and returns 2 otherwise). Creates a
 * missing parent directory "results" style path component by component. */
int bench_output_check(const char *path, int force);
/* Serialize doc (section 1 encoding) and write it. 0, or 1 on an I/O error (printed). */
int bench_output_write(const char *path, json_t *doc, int pretty);
/* Write text atomically; 0 or 1 (printed). */
int bench_output_text(const char *path, const char *text, size_t len);
/* mkdir -p; 0 or -1 with errno. */
int bench_mkdirs(const char *path);
/* Print a result's warnings on stderr. */
void bench_print_warnings(json_t *doc);

#endif
