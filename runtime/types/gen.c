/* Generators: one GC object holding its frame (as CPython 3.11 embeds the interpreter
 * frame), a C resume function, and the close-on-death finalizer. Under the cpython311
 * policy, closing a suspended generator performs CPython 3.11's two transient GC
 * allocations (frame object and traceback of the GeneratorExit); cpython313 closes
 * without them. Design: docs/design/generators.md.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "runtime_internal.h"

typedef struct mmi_gen {
    mm_object ob;
    mm_gen_fn fn;
    mm_gen_state state;
    mm_gen_frame frame;
    mm_object *weaklist;
    mm_object *locals[];
} mmi_gen;

static size_t
gen_nbytes(uint32_t nlocals)
{
    return sizeof(mmi_gen) + nlocals * sizeof(mm_object *);
}

static void
gen_clear_locals(mm_runtime *rt, mmi_gen *g)
{
    for (uint32_t i = 0; i < g->frame.nlocals; i++)
        mm_clear(rt, &g->locals[i]);
}

/* Finish: the frame is cleared and holds nothing. */
static void
gen_finish(mm_runtime *rt, mmi_gen *g)
{
    g->state = MM_GEN_FINISHED;
    gen_clear_locals(rt, g);
}

/* ---- The transient objects of CPython 3.11's close() ---- */

static void
transient_dealloc(mm_runtime *rt, mm_object *op)
{
    mmi_object_count_free(rt, op->type, sizeof(mm_object));
    mmi_gc_free(rt, op, sizeof(mm_object), op->type->id);
}

static int
transient_traverse(mm_object *op, mmi_visit_fn visit, void *arg)
{
    (void)op, (void)visit, (void)arg;
    return 0;
}

static const mm_type frame_object_type = {
    .name = "frame", .id = MM_T_FRAME, .flags = MMI_TF_GC,
    .basic_size = sizeof(mm_object), .dealloc = transient_dealloc,
    .traverse = transient_traverse,
};

static const mm_type traceback_type = {
    .name = "traceback", .id = MM_T_OTHER, .flags = MMI_TF_GC,
    .basic_size = sizeof(mm_object), .dealloc = transient_dealloc,
    .traverse = transient_traverse,
};

/* A GC allocation that is never tracked; NULL on failure (harmless: close goes on). */
static mm_object *
transient_new(mm_runtime *rt, const mm_type *type)
{
    mm_object *op;
    mmi_benign_begin(rt);
    op = mmi_gc_alloc(rt, sizeof(mm_object), type->id);
    mmi_benign_end(rt);
    if (op) {
        op->refcnt = 1;
        op->type = type;
        mmi_object_count_new(rt, type, sizeof(mm_object));
    }
    return op;
}

/* ---- Resumption ---- */

static int
gen_resume(mm_runtime *rt, mmi_gen *g, mm_object *sent, mm_gen_mode mode, mm_object **out)
{
    int rc;
    *out = NULL;
    g->state = MM_GEN_RUNNING;
    mm_incref(rt, &g->ob); /* the running frame keeps its generator alive */
    rc = g->fn(rt, &g->frame, sent, mode, out);
    if (rc == MM_GEN_YIELD) {
        g->state = MM_GEN_SUSPENDED;
        rc = MM_OK;
    } else {
        gen_finish(rt, g);
        if (rc == MM_GEN_RETURN)
            rc = MM_ESTOP;
    }
    mm_decref(rt, &g->ob);
    return rc;
}

static mmi_gen *
as_gen(mm_runtime *rt, mm_object *op);

int
mm_gen_send(mm_runtime *rt, mm_object *gen, mm_object *value, mm_object **out)
{
    mmi_gen *g;
    *out = NULL;
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_gen_send");
    if (!(g = as_gen(rt, gen)))
        return MM_ETYPE;
    switch (g->state) {
        case MM_GEN_RUNNING:
            return mmi_error_set(rt, MM_ESTATE, "generator already executing");
        case MM_GEN_FINISHED:
            return MM_ESTOP;
        case MM_GEN_CREATED:
            if (value && value != rt->types.none)
                return mmi_error_set(rt, MM_EINVAL,
                                     "can't send non-None value to a "
                                     "just-started generator");
            break;
        default:
            break;
    }
    return gen_resume(rt, g, value, MM_GEN_SEND, out);
}

int
mm_gen_next(mm_runtime *rt, mm_object *gen, mm_object **out)
{
    return mm_gen_send(rt, gen, NULL, out);
}

int
mm_gen_throw(mm_runtime *rt, mm_object *gen, mm_object **out)
{
    mmi_gen *g;
    *out = NULL;
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_gen_throw");
    if (!(g = as_gen(rt, gen)))
        return MM_ETYPE;
    if (g->state == MM_GEN_RUNNING)
        return mmi_error_set(rt, MM_ESTATE, "generator already executing");
    if (g->state != MM_GEN_SUSPENDED) {
        gen_finish(rt, g);
        return mmi_error_set(rt, MM_ESTATE, "exception thrown into a %s generator",
                             g->state == MM_GEN_CREATED ? "just-started" : "finished");
    }
    return gen_resume(rt, g, NULL, MM_GEN_THROW, out);
}

/* A generator not yet finished (created or suspended): close() has work to do. */
static int
gen_open(const mmi_gen *g)
{
    return g->state == MM_GEN_SUSPENDED || g->state == MM_GEN_CREATED;
}

/* close(): GeneratorExit at the yield (or before the first instruction of a generator
 * never started); 3.11 materialises a frame object and a traceback
 * for it (two GC allocations that can trigger a collection), freed once it is caught. */
static int
gen_close_open(mm_runtime *rt, mmi_gen *g)
{
    int cpython311 = rt->cfg.gc != MM_GC_CPYTHON313;
    mm_object *frame_obj = cpython311 ? transient_new(rt, &frame_object_type) : NULL;
    mm_object *traceback = frame_obj ? transient_new(rt, &traceback_type) : NULL;
    mm_object *out = NULL;
    int rc;
    if (g->state == MM_GEN_CREATED) { /* thrown in before the first instruction: the
                                         body never runs, but 3.11 unwinds the frame
                                         all the same */
        gen_finish(rt, g);
        mm_xdecref(rt, traceback);
        mm_xdecref(rt, frame_obj);
        return MM_OK;
    }
    rc = gen_resume(rt, g, NULL, MM_GEN_CLOSE, &out);
    if (rc == MM_OK) { /* it yielded: "generator ignored GeneratorExit" */
        mm_xdecref(rt, out);
        gen_finish(rt, g);
        rc = mmi_error_set(rt, MM_ESTATE, "generator ignored GeneratorExit");
    } else {
        mm_xdecref(rt, out);
        rc = rc == MM_ESTOP ? MM_OK : rc;
    }
    mm_xdecref(rt, traceback);
    mm_xdecref(rt, frame_obj);
    return rc;
}

int
mm_gen_close(mm_runtime *rt, mm_object *gen)
{
    mmi_gen *g;
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_gen_close");
    if (!(g = as_gen(rt, gen)))
        return MM_ETYPE;
    if (g->state == MM_GEN_RUNNING)
        return mmi_error_set(rt, MM_ESTATE, "generator already executing");
    if (gen_open(g))
        return gen_close_open(rt, g);
    gen_finish(rt, g);
    return MM_OK;
}

/* ---- The type ---- */

/* tp_finalize: an open generator is closed when it dies or is garbage (3.11's
 * _PyGen_Finalize returns early only once the frame has completed). */
static void
gen_finalize(mm_runtime *rt, mm_object *op)
{
    if (gen_open((mmi_gen *)op))
        gen_close_open(rt, (mmi_gen *)op);
}

static void
gen_dealloc(mm_runtime *rt, mm_object *op)
{
    mmi_gen *g = (mmi_gen *)op;
    mmi_gc_untrack(rt, op);
    if (g->weaklist)
        mmi_weakref_clear_refs(rt, op);
    if (!rt->gc.destroying && !mmi_gc_finalized(op) && gen_open(g)) {
        /* Re-tracked while its finalizer runs, as gen_dealloc does. */
        mmi_gc_track(rt, op);
        op->refcnt = 1;
        mmi_gc_set_finalized(op);
        gen_finalize(rt, op);
        if (--op->refcnt > 0)
            return; /* resurrected */
        mmi_gc_untrack(rt, op);
    }
    gen_clear_locals(rt, g);
    mmi_object_count_free(rt, op->type, gen_nbytes(g->frame.nlocals));
    mmi_gc_free(rt, op, gen_nbytes(g->frame.nlocals), MM_T_GENERATOR);
}

static int
gen_traverse(mm_object *op, mmi_visit_fn visit, void *arg)
{
    mmi_gen *g = (mmi_gen *)op;
    for (uint32_t i = 0; i < g->frame.nlocals; i++) {
        int rc;
        if (g->locals[i] && (rc = visit(g->locals[i], arg)) != 0)
            return rc;
    }
    return 0;
}

static void
gen_clear(mm_runtime *rt, mm_object *op)
{
    gen_clear_locals(rt, (mmi_gen *)op);
}

static const mm_type gen_type = {
    .name = "generator",
    .id = MM_T_GENERATOR,
    .flags = MMI_TF_GC | MMI_TF_TRASHCAN,
    .basic_size = sizeof(mmi_gen),
    .weaklist_offset = offsetof(mmi_gen, weaklist),
    .dealloc = gen_dealloc,
    .traverse = gen_traverse,
    .clear = gen_clear,
    .finalize = gen_finalize,
};

static mmi_gen *
as_gen(mm_runtime *rt, mm_object *op)
{
    if (!op || op->type != &gen_type) {
        mmi_error_set(rt, MM_ETYPE, "not a generator");
        return NULL;
    }
    return (mmi_gen *)op;
}

int
mm_gen_new(mm_runtime *rt, mm_gen_fn fn, uint32_t nlocals, void *arg, mm_object **out)
{
    mmi_gen *g;
    *out = NULL;
    if (!fn || nlocals > MMI_GEN_MAX_LOCALS)
        return mmi_error_set(rt, MM_EINVAL, "mm_gen_new: %s",
                             fn ? "nlocals above 1024" : "fn is NULL");
    g = (mmi_gen *)mmi_gc_alloc(rt, gen_nbytes(nlocals), MM_T_GENERATOR);
    if (!g) /* MM_ENOMEM, or MM_EPOISONED: the allocator recorded which */
        return rt->last_error;
    memset(g, 0, gen_nbytes(nlocals));
    g->ob.refcnt = 1;
    g->ob.type = &gen_type;
    g->fn = fn;
    g->state = MM_GEN_CREATED;
    g->frame = (mm_gen_frame){ g->locals, nlocals, 0, arg };
    mmi_object_count_new(rt, &gen_type, gen_nbytes(nlocals));
    mmi_gc_track(rt, &g->ob);
    *out = &g->ob;
    return MM_OK;
}

mm_gen_state
mm_gen_get_state(const mm_object *gen)
{
    return gen && gen->type == &gen_type ? ((const mmi_gen *)gen)->state
                                         : MM_GEN_FINISHED;
}
