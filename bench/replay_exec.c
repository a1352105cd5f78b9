/* Executes a parsed op script on a fresh libmm runtime and records the result in the
 * oracle's schema (../shared/validation/README.md section 2). Design: docs/design/gc.md.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "util.h"

typedef struct rp_row {
    int gen;
    char trigger;
    long step;
    int64_t collected, uncollectable;
    int64_t count[3];
    size_t size[3];
    size_t ll_total, ll_pending;
} rp_row;

typedef struct rp_vm {
    mm_runtime *rt;
    const rp_case *c;
    mm_object **slots;
    rp_kind *kinds;          /* kind of the object each slot holds (alias copies it) */
    mm_class *cls[RP_KIND_COUNT];
    mm_class *cls_resurrect;
    mm_object **resurrected; /* strong references the resurrecting finalizer keeps */
    size_t nres, capres;
    long step;
    int explicit;
    rp_row *rows;
    size_t nrows, caprows;
    json_t *returns, *checkpoints;
    long finalizers, legacy, callbacks;
    int policy313;
    mm_object *stop; /* the STOP sentinel sent by `finish` */
    char *err;
    size_t errn;
} rp_vm;

/* ---- Hooks and callbacks ---- */

static void
on_gc_start(void *arg, const mm_gc_event *ev)
{
    rp_vm *vm = arg;
    rp_row *r;
    if (vm->nrows == vm->caprows) {
        vm->caprows = vm->caprows ? vm->caprows * 2 : 64;
        vm->rows = bench_xrealloc(vm->rows, vm->caprows * sizeof *vm->rows);
    }
    r = &vm->rows[vm->nrows++];
    memset(r, 0, sizeof *r);
    r->gen = ev->generation;
    r->trigger = ev->trigger == MM_GC_TRIGGER_EXPLICIT ? 'x' : 'a';
    r->step = vm->step;
    memcpy(r->count, ev->count_before, sizeof r->count);
    mm_gc_get_sizes(vm->rt, r->size);
    r->ll_total = ev->long_lived_total_before;
    r->ll_pending = ev->long_lived_pending_before;
}

static void
on_gc_stop(void *arg, const mm_gc_event *ev)
{
    rp_vm *vm = arg;
    vm->rows[vm->nrows - 1].collected = (int64_t)ev->collected;
    vm->rows[vm->nrows - 1].uncollectable = (int64_t)ev->uncollectable;
}

static void
on_finalize(mm_runtime *rt, mm_object *self, void *arg)
{
    rp_vm *vm = arg;
    vm->finalizers++;
    (void)rt, (void)self;
}

static void
on_finalize_resurrect(mm_runtime *rt, mm_object *self, void *arg)
{
    rp_vm *vm = arg;
    vm->finalizers++;
    if (vm->nres == vm->capres) {
        vm->capres = vm->capres ? vm->capres * 2 : 16;
        vm->resurrected =
            bench_xrealloc(vm->resurrected, vm->capres * sizeof(mm_object *));
    }
    vm->resurrected[vm->nres++] = mm_incref(rt, self);
}

static void
on_legacy_del(mm_runtime *rt, mm_object *self, void *arg)
{
    rp_vm *vm = arg;
    vm->legacy++;
    (void)rt, (void)self;
}

static void
on_weakref_callback(mm_runtime *rt, mm_object *wr, void *arg)
{
    rp_vm *vm = arg;
    vm->callbacks++;
    (void)rt, (void)wr;
}

/* The probe's generator: `r = None; while True: x = yield; if x is STOP: yield;
 * return; r = x` started with next(). Its frame holds at most one reference (r). */
static int
replay_gen(mm_runtime *rt, mm_gen_frame *f, mm_object *sent, mm_gen_mode mode,
           mm_object **out)
{
    rp_vm *vm = f->arg;
    *out = NULL;
    if (mode != MM_GEN_SEND)
        return mode == MM_GEN_CLOSE ? MM_GEN_RETURN : MM_ESTATE;
    switch (f->label) {
        case 0: /* first next(): run to the first yield */
            f->label = 1;
            return MM_GEN_YIELD;
        case 1:
            if (sent && sent == vm->stop) {
                mm_clear(rt, &f->locals[0]);
                f->label = 2;
            } else {
                mm_setref(rt, &f->locals[0], mm_xincref(rt, sent));
            }
            return MM_GEN_YIELD;
        default:
            return MM_GEN_RETURN;
    }
}

/* ---- Objects ---- */

static int
vm_fail(rp_vm *vm, const char *what)
{
    snprintf(vm->err, vm->errn, "%s (step %ld): %s", what, vm->step, mm_errmsg(vm->rt));
    return -1;
}

/* The dict key standing for a target id: an int derived from the id's slot. */
static mm_object *
key_of(rp_vm *vm, int slot)
{
    return mm_int_new(vm->rt, 1000 + slot);
}

static int
gen_send(rp_vm *vm, mm_object *gen, mm_object *value)
{
    mm_object *out = NULL;
    int rc = mm_gen_send(vm->rt, gen, value, &out);
    mm_xdecref(vm->rt, out);
    return rc;
}

static int
link_to(rp_vm *vm, mm_object *from, rp_kind kind, int to)
{
    mm_runtime *rt = vm->rt;
    mm_object *target = vm->slots[to];
    if (!target)
        return vm_fail(vm, "link to an empty id");
    switch (kind) {
        case RP_LIST: return mm_list_append(rt, from, target);
        case RP_DICT: {
            mm_object *key = key_of(vm, to), *old = mm_dict_get(rt, from, key);
            int rc = MM_OK;
            if (old)
                mm_decref(rt, old); /* a second link to the same target is a no-op */
            else
                rc = mm_dict_set(rt, from, key, target);
            mm_decref(rt, key);
            return rc;
        }
        case RP_INSTANCE:
        case RP_INSTANCE_DEL:
        case RP_INSTANCE_LEGACY:
            for (uint32_t i = 0; i < mm_instance_nslots(from); i++) {
                mm_object *cur = mm_instance_get_slot(rt, from, i);
                if (!cur)
                    return mm_instance_set_slot_steal(rt, from, i, mm_incref(rt, target));
                mm_decref(rt, cur);
            }
            snprintf(vm->err, vm->errn, "link: every slot is full (step %ld)", vm->step);
            return -1;
        case RP_GENERATOR: return gen_send(vm, from, target);
        default:
            snprintf(vm->err, vm->errn, "link: not allowed from this kind (step %ld)",
                     vm->step);
            return -1;
    }
}

static int
unlink_from(rp_vm *vm, mm_object *from, rp_kind kind, int to)
{
    mm_runtime *rt = vm->rt;
    mm_object *target = vm->slots[to];
    switch (kind) {
        case RP_LIST: return mm_list_remove(rt, from, target);
        case RP_DICT: {
            mm_object *key = key_of(vm, to);
            int rc = mm_dict_del(rt, from, key);
            mm_decref(rt, key);
            return rc;
        }
        case RP_INSTANCE:
        case RP_INSTANCE_DEL:
        case RP_INSTANCE_LEGACY:
            for (uint32_t i = 0; i < mm_instance_nslots(from); i++) {
                mm_object *cur = mm_instance_get_slot(rt, from, i);
                mm_xdecref(rt, cur);
                if (cur && cur == target)
                    return mm_instance_set_slot_steal(rt, from, i, NULL);
            }
            return MM_EKEY;
        case RP_GENERATOR: return gen_send(vm, from, NULL);
        default: return MM_EINVAL;
    }
}

static mm_object *
make_container(rp_vm *vm, const rp_op *o)
{
    mm_runtime *rt = vm->rt;
    mm_object *obj = NULL;
    if (o->kind == RP_TUPLE) {
        mm_object **items = bench_xcalloc(o->nitems, sizeof *items);
        for (size_t i = 0; i < o->nitems; i++)
            items[i] = vm->slots[o->items[i]];
        for (size_t i = 0; i < o->nitems; i++)
            if (!items[i]) {
                free(items);
                snprintf(vm->err, vm->errn, "tuple item is an empty id (step %ld)",
                         vm->step);
                return NULL;
            }
        obj = mm_tuple_pack(rt, o->nitems, items);
        free(items);
        return obj;
    }
    obj = o->kind == RP_LIST ? mm_list_new(rt) : mm_dict_new(rt);
    for (size_t i = 0; obj && i < o->nitems; i++) {
        if (link_to(vm, obj, o->kind, o->items[i]) != MM_OK) {
            mm_decref(rt, obj);
            return NULL;
        }
    }
    return obj;
}

static mm_object *
make_object(rp_vm *vm, const rp_op *o)
{
    mm_runtime *rt = vm->rt;
    mm_object *obj = NULL;
    switch (o->kind) {
        case RP_LIST:
        case RP_DICT:
        case RP_TUPLE: return make_container(vm, o);
        case RP_INSTANCE:
        case RP_INSTANCE_DEL:
        case RP_INSTANCE_LEGACY:
            return mm_instance_new(rt,
                                   o->resurrect ? vm->cls_resurrect : vm->cls[o->kind]);
        case RP_WEAKREF:
            if (!vm->slots[o->target]) {
                snprintf(vm->err, vm->errn, "weakref to an empty id (step %ld)",
                         vm->step);
                return NULL;
            }
            if (mm_weakref_new(rt, vm->slots[o->target],
                               o->callback ? on_weakref_callback : NULL, vm,
                               &obj) != MM_OK)
                return NULL;
            return obj;
        case RP_ATOM: return mm_int_new(rt, 100000 + o->id);
        case RP_GENERATOR: {
            mm_object *first = NULL;
            if (mm_gen_new(rt, replay_gen, 1, vm, &obj) != MM_OK)
                return NULL;
            if (mm_gen_next(rt, obj, &first) != MM_OK) { /* started, as newG() */
                mm_decref(rt, obj);
                return NULL;
            }
            mm_xdecref(rt, first);
            return obj;
        }
        default: return NULL;
    }
}

/* ---- Checkpoints and the result ---- */

static json_t *
int_array(const int64_t *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer(v[i]));
    return a;
}

static json_t *
stats_json(mm_runtime *rt)
{
    mm_gc_generation_stats st[3];
    int64_t col[3], cd[3], un[3];
    mm_gc_get_stats(rt, st);
    for (int g = 0; g < 3; g++) {
        col[g] = (int64_t)st[g].collections;
        cd[g] = (int64_t)st[g].collected;
        un[g] = (int64_t)st[g].uncollectable;
    }
    return json_pack("{s:o,s:o,s:o}", "collections", int_array(col, 3), "collected",
                     int_array(cd, 3), "uncollectable", int_array(un, 3));
}

static json_t *
checkpoint_json(rp_vm *vm)
{
    mm_runtime *rt = vm->rt;
    int64_t count[3], thr64[3], sizes64[3], tuples[20];
    uint32_t thr[3];
    size_t sizes[3], llt, llp;
    mm_freelist_counts fl;
    mm_gc_get_count(rt, count);
    mm_gc_get_threshold(rt, thr);
    mm_gc_get_sizes(rt, sizes);
    mm_gc_get_long_lived(rt, &llt, &llp);
    mm_freelist_counts_get(rt, &fl);
    for (int i = 0; i < 3; i++) {
        thr64[i] = thr[i];
        sizes64[i] = (int64_t)sizes[i];
    }
    for (int i = 0; i < 20; i++)
        tuples[i] = fl.tuple[i];
    return json_pack("{s:o,s:o,s:I,s:I,s:o,s:I,s:o,s:I,s:{s:I,s:I,s:o}}", "count",
                     int_array(count, 3), "threshold", int_array(thr64, 3),
                     "long_lived_total", (json_int_t)llt, "long_lived_pending",
                     (json_int_t)llp, "sizes", int_array(sizes64, 3), "frozen",
                     (json_int_t)mm_gc_get_freeze_count(rt), "stats", stats_json(rt),
                     "garbage", (json_int_t)mm_list_len(mm_gc_garbage_borrow(rt)),
                     "freelists", "list", (json_int_t)fl.list, "dict",
                     (json_int_t)fl.dict, "tuple", int_array(tuples, 20));
}

static json_t *
rows_json(rp_vm *vm)
{
    json_t *a = json_array();
    for (size_t i = 0; i < vm->nrows; i++) {
        rp_row *r = &vm->rows[i];
        char t[2] = { r->trigger, 0 };
        json_array_append_new(
            a, json_pack("[i,s,I,I,I,I,I,I,I,I,I,I,I]", r->gen, t, (json_int_t)r->step,
                         (json_int_t)r->collected, (json_int_t)r->uncollectable,
                         (json_int_t)r->count[0], (json_int_t)r->count[1],
                         (json_int_t)r->count[2], (json_int_t)r->size[0],
                         (json_int_t)r->size[1], (json_int_t)r->size[2],
                         (json_int_t)r->ll_total, (json_int_t)r->ll_pending));
    }
    return a;
}

static json_t *
summary_json(rp_vm *vm)
{
    int64_t col[3] = { 0 }, aut[3] = { 0 }, cd[3] = { 0 }, un[3] = { 0 };
    for (size_t i = 0; i < vm->nrows; i++) {
        rp_row *r = &vm->rows[i];
        col[r->gen]++;
        aut[r->gen] += r->trigger == 'a';
        cd[r->gen] += r->collected;
        un[r->gen] += r->uncollectable;
    }
    return json_pack("{s:o,s:o,s:o,s:o}", "collections", int_array(col, 3), "auto",
                     int_array(aut, 3), "collected", int_array(cd, 3), "uncollectable",
                     int_array(un, 3));
}

static json_t *
result_json(rp_vm *vm)
{
    json_t *cols = json_pack("[s,s,s,s,s,s,s,s,s,s,s,s,s]", "gen", "trigger", "step",
                             "collected", "uncollectable", "count0", "count1", "count2",
                             "size0", "size1", "size2", "long_lived_total",
                             "long_lived_pending");
    return json_pack("{s:o,s:o,s:O,s:O,s:I,s:I,s:I,s:I,s:I,s:o}", "collection_columns",
                     cols, "collections", rows_json(vm), "collect_returns", vm->returns,
                     "checkpoints", vm->checkpoints, "finalizers_run",
                     (json_int_t)vm->finalizers, "legacy_finalizers_run",
                     (json_int_t)vm->legacy, "weakref_callbacks",
                     (json_int_t)vm->callbacks, "resurrected_held", (json_int_t)vm->nres,
                     "steps", (json_int_t)vm->step, "summary", summary_json(vm));
}

/* ---- Execution ---- */

static void
set_slot(rp_vm *vm, int slot, mm_object *obj)
{
    mm_object *old = vm->slots[slot];
    vm->slots[slot] = obj;
    mm_xdecref(vm->rt, old); /* the new object exists before the old one is released */
}

static int run_ops(rp_vm *vm, const rp_op *ops, size_t n);

static void
release_resurrected(rp_vm *vm)
{
    while (vm->nres > 0)
        mm_decref(vm->rt, vm->resurrected[--vm->nres]);
}

static int
run_gc_op(rp_vm *vm, const rp_op *o)
{
    mm_runtime *rt = vm->rt;
    int64_t found;
    switch (o->code) {
        case RP_COLLECT:
            mm_gc_collect(rt, o->gen, &found);
            json_array_append_new(vm->returns, json_integer(found));
            return 0;
        case RP_SET_THRESHOLD:
            return mm_gc_set_threshold(rt, o->threshold, (int)o->nitems);
        case RP_GC_DISABLE: mm_gc_disable(rt); return 0;
        case RP_GC_ENABLE: mm_gc_enable(rt); return 0;
        case RP_FREEZE: mm_gc_freeze(rt); return 0;
        case RP_UNFREEZE: mm_gc_unfreeze(rt); return 0;
        case RP_DEBUG_SAVEALL:
            mm_gc_set_debug(rt, o->on ? MM_GC_DEBUG_SAVEALL : 0);
            return 0;
        case RP_CLEAR_GARBAGE: mm_gc_garbage_clear(rt); return 0;
        case RP_RELEASE_RESURRECTED:
            release_resurrected(vm);
            return 0;
        case RP_CHECKPOINT:
            json_object_set_new(vm->checkpoints, o->label, checkpoint_json(vm));
            return 0;
        default: return 0;
    }
}

static int
run_op(rp_vm *vm, const rp_op *o)
{
    const rp_kind *kinds = vm->kinds;
    mm_object *obj;
    if (o->code == RP_REPEAT) {
        for (long i = 0; i < o->repeat_n; i++)
            if (run_ops(vm, o->body, o->nbody))
                return -1;
        return 0;
    }
    if (vm->policy313)
        mm_gc_safepoint(vm->rt);
    vm->step++;
    switch (o->code) {
        case RP_NEW:
            if (!(obj = make_object(vm, o)))
                return vm->err[0] ? -1 : vm_fail(vm, "new");
            set_slot(vm, o->id, obj);
            vm->kinds[o->id] = o->kind;
            return 0;
        case RP_LINK:
            if (!vm->slots[o->from])
                return vm_fail(vm, "link from an empty id");
            return link_to(vm, vm->slots[o->from], kinds[o->from], o->to) ? -1 : 0;
        case RP_UNLINK:
            if (!vm->slots[o->from] ||
                unlink_from(vm, vm->slots[o->from], kinds[o->from], o->to) != MM_OK)
                return vm_fail(vm, "unlink");
            return 0;
        case RP_DROP: set_slot(vm, o->id, NULL); return 0;
        case RP_ALIAS:
            set_slot(vm, o->id, mm_xincref(vm->rt, vm->slots[o->from]));
            vm->kinds[o->id] = vm->kinds[o->from];
            return 0;
        case RP_FINISH: /* send(STOP); next(g, None) */
            if (!vm->slots[o->id] || kinds[o->id] != RP_GENERATOR)
                return vm_fail(vm, "finish needs a generator");
            if (gen_send(vm, vm->slots[o->id], vm->stop) != MM_OK)
                return vm_fail(vm, "finish");
            gen_send(vm, vm->slots[o->id], NULL);
            return 0;
        default: return run_gc_op(vm, o) ? vm_fail(vm, "gc op") : 0;
    }
}

static int
run_ops(rp_vm *vm, const rp_op *ops, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (run_op(vm, &ops[i]))
            return -1;
    return 0;
}

static int
vm_classes(rp_vm *vm)
{
    static const char *const names[] = { "Instance", "InstanceDel", "InstanceLegacy" };
    mm_class_spec spec = { .nslots = 8, .weakrefable = 1, .arg = vm };
    for (int k = RP_INSTANCE; k <= RP_INSTANCE_LEGACY; k++) {
        spec.name = names[k - RP_INSTANCE];
        spec.finalize = k == RP_INSTANCE_DEL ? on_finalize : NULL;
        spec.legacy_del = k == RP_INSTANCE_LEGACY ? on_legacy_del : NULL;
        if (mm_class_new(vm->rt, &spec, &vm->cls[k]) != MM_OK)
            return -1;
    }
    spec.name = "InstanceDelResurrect";
    spec.finalize = on_finalize_resurrect;
    spec.legacy_del = NULL;
    return mm_class_new(vm->rt, &spec, &vm->cls_resurrect) == MM_OK ? 0 : -1;
}

json_t *
rp_case_run(const rp_case *c, mm_gc_policy policy, int freelists, char *err, size_t n)
{
    rp_vm vm = { .c = c, .err = err, .errn = n, .policy313 = policy == MM_GC_CPYTHON313 };
    mm_config cfg;
    mm_hooks hooks = { .gc_start = on_gc_start, .gc_stop = on_gc_stop, .arg = &vm };
    json_t *result = NULL;
    err[0] = '\0';
    mm_config_default(&cfg);
    cfg.gc = policy;
    cfg.freelists = freelists;
    if (mm_runtime_new(&vm.rt, &cfg, err, n) != MM_OK)
        return NULL;
    vm.slots = bench_xcalloc(c->nids, sizeof *vm.slots);
    vm.kinds = bench_xcalloc(c->nids, sizeof *vm.kinds);
    vm.returns = json_array();
    vm.checkpoints = json_object();
    vm.stop = mm_int_new(vm.rt, -1000000);
    if (!vm.stop || vm_classes(&vm)) {
        vm_fail(&vm, "setup");
        goto out;
    }
    mm_hooks_set(vm.rt, &hooks);
    json_object_set_new(vm.checkpoints, "start", checkpoint_json(&vm));
    if (run_ops(&vm, c->ops, c->nops) == 0) {
        if (vm.policy313)
            mm_gc_safepoint(vm.rt);
        json_object_set_new(vm.checkpoints, "end", checkpoint_json(&vm));
        result = result_json(&vm);
    }
out:
    mm_hooks_set(vm.rt, NULL);
    for (size_t i = 0; i < c->nids; i++)
        mm_xdecref(vm.rt, vm.slots[i]);
    release_resurrected(&vm);
    mm_xdecref(vm.rt, vm.stop);
    mm_runtime_destroy(vm.rt);
    free(vm.resurrected);
    free(vm.slots);
    free(vm.kinds);
    free(vm.rows);
    json_decref(vm.returns);
    json_decref(vm.checkpoints);
    return result;
}
