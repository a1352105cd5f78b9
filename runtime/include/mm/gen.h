/* Generators: a C resume function plus a heap frame of local references, resumable with
 * next/send/throw/close, closed when they die unfinished (as CPython 3.11 does).
 * Design: docs/design/generators.md.
 * SPDX-License-Identifier: MIT */
#ifndef MM_GEN_H
#define MM_GEN_H

#include <stdint.h>

#include "mm/object.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mm_gen_state {
    MM_GEN_CREATED = 0, /* never resumed */
    MM_GEN_SUSPENDED,   /* stopped at a yield */
    MM_GEN_RUNNING,     /* its resume function is on the C stack */
    MM_GEN_FINISHED     /* returned, raised or closed: its frame holds nothing */
} mm_gen_state;

typedef enum mm_gen_mode {
    MM_GEN_SEND = 0, /* resume with a value (next() sends NULL, i.e. None) */
    MM_GEN_THROW,    /* an exception is raised at the yield: handle it or propagate */
    MM_GEN_CLOSE     /* GeneratorExit at the yield: run cleanup, then return */
} mm_gen_mode;

/* What a resume function returns (besides negative MM_E* errors, which finish the
 * generator and propagate to the caller). */
enum { MM_GEN_RETURN = 0, MM_GEN_YIELD = 1 };

/* The generator's frame as its resume function sees it. locals[0..nlocals-1] are owned
 * by the frame (set them with mm_setref / mm_clear); label is the resume point, 0 at the
 * first resumption; arg is the value given to mm_gen_new. */
typedef struct mm_gen_frame {
    mm_object **locals;
    uint32_t nlocals;
    int label;
    void *arg;
} mm_gen_frame;

/* Run from frame->label to the next yield or the end. sent is borrowed (NULL = None).
 * On MM_GEN_YIELD set *out to a new reference to the yielded value (or NULL for None)
 * and frame->label to the resume point; on MM_GEN_RETURN set *out to the return value
 * (new reference) or NULL. In MM_GEN_CLOSE mode yielding is an error (the generator
 * "ignored GeneratorExit"). */
typedef int (*mm_gen_fn)(mm_runtime *rt, mm_gen_frame *frame, mm_object *sent,
                         mm_gen_mode mode, mm_object **out);

/* Create a generator (MM_GEN_CREATED) with nlocals empty local slots; GC-tracked. The
 * GC allocation may run a collection.
 * Returns: *out = new reference; *out = NULL on error.
 * Errors:  MM_EINVAL (fn NULL or nlocals > 1024), MM_ENOMEM. */
MM_API int mm_gen_new(mm_runtime *rt, mm_gen_fn fn, uint32_t nlocals, void *arg,
                      mm_object **out);

/* gen.send(value): resume gen in MM_GEN_SEND mode; value is borrowed (NULL = None).
 * The resume function runs arbitrary code: any borrowed reference may end.
 * Returns: *out = new reference to the yielded value (NULL for None) with MM_OK; with
 *          MM_ESTOP, the return value (new reference, or NULL) when the generator
 *          returned in this call, NULL when it was finished before; NULL on errors.
 * Errors:  MM_ESTOP (it returned, now or earlier: it is finished), MM_EINVAL (a non-None
 *          value sent to a just-created generator), MM_ESTATE (gen is running),
 *          MM_ETYPE (gen is NULL or not a generator), or any negative code the resume
 *          function returned (the generator is then finished). */
MM_API int mm_gen_send(mm_runtime *rt, mm_object *gen, mm_object *value, mm_object **out);
/* next(gen): mm_gen_send(rt, gen, NULL, out).
 * Returns: as mm_gen_send.
 * Errors:  as mm_gen_send (never MM_EINVAL). */
MM_API int mm_gen_next(mm_runtime *rt, mm_object *gen, mm_object **out);
/* gen.throw(): raise an exception at the yield; the resume function runs in
 * MM_GEN_THROW mode and handles it (yields or returns) or propagates it.
 * Returns: *out = new reference to the value yielded after handling (MM_OK) or to the
 *          return value (MM_ESTOP), NULL for None; NULL on errors.
 * Errors:  MM_ESTOP (handled, then returned: finished), MM_ESTATE (gen is running; or it
 *          was created or finished: then it is finished now), MM_ETYPE (gen is NULL or
 *          not a generator), or the code the resume function propagated (finished). */
MM_API int mm_gen_throw(mm_runtime *rt, mm_object *gen, mm_object **out);
/* gen.close(): a suspended generator is resumed in MM_GEN_CLOSE mode to run its cleanup;
 * a created or finished one is just finished. Afterwards it is finished and its locals
 * are released (which may free objects). Under every policy but cpython313, closing a
 * created or suspended generator first makes CPython 3.11's two transient GC
 * allocations (frame and traceback), which can trigger a collection.
 * Returns: no reference (a value the cleanup yields or returns is released).
 * Errors:  MM_ESTATE (it yielded instead of returning, "ignored GeneratorExit", and is
 *          finished now; or it is running), MM_ETYPE (gen is NULL or not a generator),
 *          or the code the resume function returned (the generator is finished). */
MM_API int mm_gen_close(mm_runtime *rt, mm_object *gen);
/* The state of gen.
 * Returns: no reference; the state, MM_GEN_FINISHED when gen is NULL or not a generator.
 * Errors:  none. */
MM_API mm_gen_state mm_gen_get_state(const mm_object *gen);

#ifdef __cplusplus
}
#endif
#endif
