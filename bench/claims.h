/* Seed claims (results-and-reports.md 7.1 item 4): for every memory claim of the seed
 * note (../shared/seed/README.md) one small live experiment on libmm and a verdict
 * computed from what it measured. claims.c runs them (rows 1.x); claims_exp.c (rows 2 to
 * 2.3) and claims_lang.c (the language-topic rows) hold the other experiments. Each row
 * is an experiment (measures) plus a judge (pure: measured values in, verdict and text
 * out), so the rules are tested on synthetic values.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_CLAIMS_H
#define BENCH_CLAIMS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <mm/mm.h>

#define BENCH_CLAIMS_SCHEMA "mmbench/claims/v1"

/* Workloads shrink by this factor in GC torture builds, where every GC allocation runs
 * a full collection. */
#if MM_GC_TORTURE
#define BENCH_CLAIMS_SCALE 50
#else
#define BENCH_CLAIMS_SCALE 1
#endif

/* Run every experiment in this process, each on a fresh runtime destroyed afterwards.
 * Returns: a new {"schema", "claims": [{id, claim, experiment, measured, verdict, text}]}
 * document, or NULL with a message in err (an experiment failed or leaked, or the build
 * keeps no object counters). Takes well under a second (release build). */
json_t *bench_claims_run(char *err, size_t n);

/* ---- Shared by claims.c and claims_exp.c ---- */

/* What one experiment hands back. measured keys carry their unit. */
typedef struct bench_claim_out {
    json_t *measured;    /* owned by the caller */
    const char *verdict; /* "true" | "false" | "partly" | "outdated" | "inconclusive"
                          * (this machine could not test the claim), from a rule */
    char text[1024];     /* the verdict in plain words, with the numbers */
    char err[256];       /* why the experiment failed (when it returns -1) */
    int rc;              /* first failed libmm call (MM_OK when none) */
} bench_claim_out;

/* An experiment: fills out->measured; 0, or -1 with out->err set. */
typedef int (*bench_claim_fn)(bench_claim_out *out);
/* A judge: sets out->verdict and out->text from out->measured alone (no runtime, clock
 * or I/O). Every concluding clause is chosen by the condition that held. */
typedef void (*bench_claim_judge_fn)(bench_claim_out *out);

/* Judge out->measured by the rule of claim id (out->verdict, out->text).
 * Returns 0, or -1 when no claim has that id (out unchanged). */
int bench_claims_judge(const char *id, bench_claim_out *out);

/* A fresh runtime from cfg (NULL: defaults), with an error hook that counts reports in
 * *nreports (may be NULL). NULL with out->err on failure. */
mm_runtime *bench_claims_runtime(bench_claim_out *out, const mm_config *cfg,
                                 int *nreports);
/* Destroy rt; with leak_check, first require mm_runtime_live_objects(rt) == 0.
 * Returns 0, or -1 with out->err. */
int bench_claims_finish(bench_claim_out *out, mm_runtime *rt, int leak_check);
/* p itself; aborts on NULL (out of memory: bench/'s policy, as bench_xmalloc). */
mm_object *bench_claims_need(mm_object *p);
/* Record rc when it is the first failure; returns rc. */
int bench_claims_rc(bench_claim_out *out, int rc);
/* Two lists holding each other, both names dropped (a 2-cycle of garbage). */
void bench_claims_cycle2_drop(bench_claim_out *o, mm_runtime *rt);
/* measured[key] = v. */
void bench_claims_int(bench_claim_out *out, const char *key, int64_t v);
void bench_claims_real(bench_claim_out *out, const char *key, double v);
/* measured[key] as an integer (0 when absent). */
int64_t bench_claims_get(const bench_claim_out *out, const char *key);
/* measured[key] as a number, integer or real (0 when absent). */
double bench_claims_getr(const bench_claim_out *out, const char *key);
/* "true" when all of n conditions hold, "false" when none, else "partly". */
const char *bench_claims_verdict_all(const int *conds, size_t n);

/* out->text = the formatted verdict. */
void bench_claims_text(bench_claim_out *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append to out->text (cut at its size, never overrun). */
void bench_claims_text_add(bench_claim_out *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The experiments and judges of claims_exp.c (rows 2 to 2.3). */
int bench_claim_gc_design(bench_claim_out *out);
void bench_claim_gc_design_judge(bench_claim_out *out);
int bench_claim_refcounting(bench_claim_out *out);
void bench_claim_refcounting_judge(bench_claim_out *out);
int bench_claim_marksweep(bench_claim_out *out);
void bench_claim_marksweep_judge(bench_claim_out *out);
int bench_claim_generations(bench_claim_out *out);
void bench_claim_generations_judge(bench_claim_out *out);
/* The experiments and judges of claims_lang.c (the language-topic rows). */
int bench_claim_copy(bench_claim_out *out);
void bench_claim_copy_judge(bench_claim_out *out);
int bench_claim_singletons(bench_claim_out *out);
void bench_claim_singletons_judge(bench_claim_out *out);
int bench_claim_identity(bench_claim_out *out);
void bench_claim_identity_judge(bench_claim_out *out);
int bench_claim_threads(bench_claim_out *out);
void bench_claim_threads_judge(bench_claim_out *out);
int bench_claim_generators(bench_claim_out *out);
void bench_claim_generators_judge(bench_claim_out *out);

#endif
