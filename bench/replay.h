/* Op-script replay of the CPython validation oracle (../shared/validation/README.md).
 * Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_REPLAY_H
#define BENCH_REPLAY_H

#include <jansson.h>
#include <stddef.h>

#include <mm/mm.h>

typedef enum rp_kind {
    RP_LIST, RP_DICT, RP_TUPLE, RP_INSTANCE, RP_INSTANCE_DEL, RP_INSTANCE_LEGACY,
    RP_GENERATOR, RP_WEAKREF, RP_ATOM, RP_KIND_COUNT
} rp_kind;

typedef enum rp_opcode {
    RP_NEW, RP_LINK, RP_UNLINK, RP_DROP, RP_ALIAS, RP_FINISH, RP_COLLECT, RP_CHECKPOINT,
    RP_REPEAT, RP_SET_THRESHOLD, RP_GC_DISABLE, RP_GC_ENABLE, RP_FREEZE, RP_UNFREEZE,
    RP_DEBUG_SAVEALL, RP_CLEAR_GARBAGE, RP_RELEASE_RESURRECTED
} rp_opcode;

typedef struct rp_op {
    rp_opcode code;
    int id, from, to, target;  /* slot indices, -1 when absent */
    rp_kind kind;
    int *items;                /* slot indices */
    size_t nitems;
    int callback, resurrect, on, gen;
    uint32_t threshold[3];
    const char *label;         /* borrowed from the case JSON */
    long repeat_n;
    struct rp_op *body;        /* repeat */
    size_t nbody;
} rp_op;

typedef struct rp_case {
    json_t *root;              /* owns every string the ops borrow */
    rp_op *ops;
    size_t nops;
    char **ids;                /* slot names */
    rp_kind *kinds;            /* kind of each slot (fixed by its first `new`) */
    size_t nids;
} rp_case;

/* Parse and validate a case. On error returns -1 with a message naming the JSON path in
 * err (size n). */
int rp_case_load(const char *path, rp_case *c, char *err, size_t n);
/* The same from a parsed document; steals root (freed by rp_case_free). */
int rp_case_parse(json_t *root, const char *name, rp_case *c, char *err, size_t n);
void rp_case_free(rp_case *c);
/* Steps the script executes (repeat bodies multiplied), saturating at limit. */
long rp_case_steps(const rp_case *c, long limit);

/* Run the case on a fresh runtime with policy/free lists; returns the result object
 * (new reference) or NULL with err set. */
json_t *rp_case_run(const rp_case *c, mm_gc_policy policy, int freelists, char *err,
                    size_t n);

/* Compare actual with expected: appends one line per difference to out (may be NULL to
 * count only); keys listed in ignore are skipped. Returns the number of differences. */
size_t rp_compare(const json_t *expected, const json_t *actual, const char *const *ignore,
                  size_t nignore, FILE *out);

#endif
