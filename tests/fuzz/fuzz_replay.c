/* Fuzz target: the op-script parser and replay. Any bytes: the parser must reject or
 * accept without crashing; accepted scripts (bounded to 20,000 steps) run on libmm with
 * both policies.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    char err[512];
    rp_case c;
    json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return 0;
    if (rp_case_parse(root, "fuzz", &c, err, sizeof err) == 0 &&
        rp_case_steps(&c, 20000) < 20000) {
        json_decref(rp_case_run(&c, MM_GC_CPYTHON311, 1, err, sizeof err));
        json_decref(rp_case_run(&c, MM_GC_CPYTHON313, 0, err, sizeof err));
    }
    rp_case_free(&c);
    return 0;
}
