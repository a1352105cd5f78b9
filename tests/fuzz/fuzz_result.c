/* Fuzz target: the result-file reader used by merge, compare and report: schema
 * validation plus invariants; a document that passes is summarized again (statistics,
 * pooled histograms, warnings), which must not crash on any valid input.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!doc)
        return 0;
    if (bench_result_validate(doc, err, sizeof err) == 0) {
        json_t *copy = json_deep_copy(doc);
        bench_result_finish(copy);
        json_decref(copy);
    }
    json_decref(doc);
    return 0;
}
