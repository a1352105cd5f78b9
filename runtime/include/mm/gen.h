/* Generators: a C resume function plus a heap frame of local references, resumable with
 * next/send/throw/close, closed when they die suspended (as CPython 3.11 does).
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

/* Create a generator (not started) with nlocals empty local slots; GC-tracked.
 * *out receives a new reference. Errors: MM_EINVAL (fn NULL or nlocals > 1024),
 * MM_ENOMEM. */
MM_API int mm_gen_new(mm_runtime *rt, mm_gen_fn fn, uint32_t nlocals, void *arg,
                      mm_object **out);

/* Resume with value (borrowed; NULL = None). Returns MM_OK with *out = new reference to
 * the yielded value or NULL (None); MM_ESTOP when the generator returned (*out = its
 * return value, new reference, or NULL; it is now finished) or was already finished;
 * MM_EINVAL for a non-None value sent to a just-created generator; MM_ESTATE if it is
 * running; MM_ETYPE if gen is not a generator; any error the function raised. */
MM_API int mm_gen_send(mm_runtime *rt, mm_object *gen, mm_object *value, mm_object **out);
/* mm_gen_send(rt, gen, NULL, out). */
MM_API int mm_gen_next(mm_runtime *rt, mm_object *gen, mm_object **out);
/* Raise an exception at the yield. Returns MM_OK (handled; *out yielded), MM_ESTOP
 * (handled and returned), or the propagated error (the generator is finished). A created
 * generator finishes at once and MM_ESTATE is returned. */
MM_API int mm_gen_throw(mm_runtime *rt, mm_object *gen, mm_object **out);
/* Close: a suspended generator runs its cleanup (MM_GEN_CLOSE); then it is finished and
 * its locals are released. Errors: MM_ESTATE (it yielded instead of returning, or is
 * running), MM_ETYPE. Closing a created or finished generator just finishes it. */
MM_API int mm_gen_close(mm_runtime *rt, mm_object *gen);
MM_API mm_gen_state mm_gen_get_state(const mm_object *gen);

#ifdef __cplusplus
}
#endif
#endif
