/* JSON Schema validation of documents against the schemas mmbench embeds.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_SCHEMA_CHECK_H
#define BENCH_SCHEMA_CHECK_H

#include <stddef.h>

#include <jansson.h>

/* 0, or -1 with "JSON pointer: problem" in err. */
int bench_schema_validate(json_t *schema, json_t *doc, char *err, size_t n);
/* The embedded result.schema.json (bench/schema/, generated into the build); borrowed,
 * parsed once per process. */
json_t *bench_result_schema(void);

#endif
