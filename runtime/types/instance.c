/* Classes and their instances: fixed slots (like __slots__), an optional attribute dict,
 * an optional weak-reference list, and CPython's finalizer protocol on deallocation
 * (PEP 442 __del__ once, resurrection, legacy tp_del).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "runtime_internal.h"

static mm_class *
class_of(const mm_object *op)
{
    return (mm_class *)op->type; /* the type is the class's first member */
}

static mm_object **
inst_slots(mm_object *op)
{
    return (mm_object **)((char *)op + class_of(op)->slots_offset);
}

static mm_object **
inst_dict(mm_object *op)
{
    size_t off = class_of(op)->dict_offset;
    return off ? (mm_object **)((char *)op + off) : NULL;
}

static int
is_instance(const mm_object *op)
{
    return op && (op->type->flags & MMI_TF_HEAPCLASS) != 0;
}

/* ---- Type slots ---- */

static int
inst_traverse(mm_object *op, mmi_visit_fn visit, void *arg)
{
    uint32_t n = class_of(op)->spec.nslots;
    mm_object **slots = inst_slots(op), **dict = inst_dict(op);
    int rc;
    for (uint32_t i = 0; i < n; i++)
        if (slots[i] && (rc = visit(slots[i], arg)) != 0)
            return rc;
    if (dict && *dict && (rc = visit(*dict, arg)) != 0)
        return rc;
    return 0;
}

/* subtype_clear: slots in order, then the attribute dict. */
static void
inst_clear(mm_runtime *rt, mm_object *op)
{
    uint32_t n = class_of(op)->spec.nslots;
    mm_object **slots = inst_slots(op), **dict = inst_dict(op);
    for (uint32_t i = 0; i < n; i++)
        mm_clear(rt, &slots[i]);
    if (dict)
        mm_clear(rt, dict);
}

static void
inst_finalize(mm_runtime *rt, mm_object *op)
{
    mm_class *cls = class_of(op);
    cls->spec.finalize(rt, op, cls->spec.arg);
}

static void
inst_legacy_del(mm_runtime *rt, mm_object *op)
{
    mm_class *cls = class_of(op);
    cls->spec.legacy_del(rt, op, cls->spec.arg);
}

/* Run fn on a dying object (refcount 0) the way CPython's dealloc does: re-track, hold a
 * temporary reference, call, drop it. Returns 1 if the object was resurrected (it then
 * stays tracked and alive), 0 if it is to be torn down (untracked again). */
static int
dealloc_call(mm_runtime *rt, mm_object *op, void (*fn)(mm_runtime *, mm_object *))
{
    mmi_gc_track(rt, op);
    op->refcnt = 1;
    fn(rt, op);
    if (--op->refcnt > 0)
        return 1;
    mmi_gc_untrack(rt, op);
    return 0;
}

static void
finalize_once(mm_runtime *rt, mm_object *op)
{
    if (mmi_gc_finalized(op))
        return;
    op->type->finalize(rt, op);
    mmi_gc_set_finalized(op);
}

int
mmi_instance_call_finalizer(mm_runtime *rt, mm_object *op)
{
    return dealloc_call(rt, op, finalize_once);
}

static size_t
inst_nbytes(const mm_class *cls)
{
    return cls->type.basic_size;
}

static void
inst_dealloc(mm_runtime *rt, mm_object *op)
{
    const mm_type *type = op->type;
    mm_object **wl = mmi_weaklist(op);
    int run = !rt->gc.destroying; /* runtime destroy runs no finalizers */
    mmi_gc_untrack(rt, op);
    if (run && type->finalize && dealloc_call(rt, op, finalize_once))
        return; /* resurrected */
    if (wl && *wl)
        mmi_weakref_clear_refs(rt, op);
    if (run && type->legacy_del && dealloc_call(rt, op, type->legacy_del))
        return;
    if (wl && *wl) /* made by a finalizer after the clearing above: no callbacks */
        mmi_weakref_clear_silently(op);
    inst_clear(rt, op);
    mmi_object_count_free(rt, type, inst_nbytes(class_of(op)));
    mmi_gc_free(rt, op, inst_nbytes(class_of(op)), MM_T_INSTANCE);
}

/* ---- Classes ---- */

int
mm_class_new(mm_runtime *rt, const mm_class_spec *spec, mm_class **out)
{
    mm_class *cls;
    size_t off = sizeof(mmi_instance), namelen;
    *out = NULL;
    if (MMI_POISONED(rt)) /* the descriptor is scratch memory, outside the allocator */
        return mmi_poisoned_refuse(rt, "mm_class_new");
    if (!spec || !spec->name || !spec->name[0])
        return mmi_error_set(rt, MM_EINVAL,
                             "mm_class_new: name: must be a non-empty string");
    if (spec->nslots > MM_CLASS_MAX_SLOTS)
        return mmi_error_set(rt, MM_EINVAL, "mm_class_new: nslots: %u exceeds %d",
                             spec->nslots, MM_CLASS_MAX_SLOTS);
    namelen = strlen(spec->name) + 1;
    cls = mmi_scratch_realloc(rt, NULL, sizeof *cls);
    if (!cls)
        return MM_ENOMEM; /* recorded by mmi_oom */
    memset(cls, 0, sizeof *cls);
    if (!(cls->name = mmi_scratch_realloc(rt, NULL, namelen))) {
        free(cls);
        return MM_ENOMEM;
    }
    memcpy(cls->name, spec->name, namelen);
    cls->spec = *spec;
    cls->spec.name = cls->name;
    cls->slots_offset = off;
    off += spec->nslots * sizeof(mm_object *);
    if (spec->has_dict) {
        cls->dict_offset = off;
        off += sizeof(mm_object *);
    }
    if (spec->weakrefable) {
        cls->type.weaklist_offset = off;
        off += sizeof(mm_object *);
    }
    cls->type.name = cls->name;
    cls->type.id = MM_T_INSTANCE;
    cls->type.flags = MMI_TF_GC | MMI_TF_TRASHCAN | MMI_TF_HEAPCLASS;
    cls->type.basic_size = off;
    cls->type.dealloc = inst_dealloc;
    cls->type.traverse = inst_traverse;
    cls->type.clear = inst_clear;
    cls->type.finalize = spec->finalize ? inst_finalize : NULL;
    cls->type.legacy_del = spec->legacy_del ? inst_legacy_del : NULL;
    cls->next = rt->types.classes;
    rt->types.classes = cls;
    *out = cls;
    return MM_OK;
}

const char *
mm_class_name(const mm_class *cls)
{
    return cls->name;
}

/* ---- Instances ---- */

mm_object *
mm_instance_new(mm_runtime *rt, mm_class *cls)
{
    size_t n = inst_nbytes(cls);
    mm_object *op = mmi_gc_alloc(rt, n, MM_T_INSTANCE);
    if (!op)
        return NULL;
    memset(op, 0, n);
    op->refcnt = 1;
    op->type = &cls->type;
    mmi_object_count_new(rt, &cls->type, n);
    mmi_gc_track(rt, op);
    return op;
}

mm_class *
mm_instance_class(const mm_object *inst)
{
    return is_instance(inst) ? class_of(inst) : NULL;
}

uint32_t
mm_instance_nslots(const mm_object *inst)
{
    return is_instance(inst) ? class_of(inst)->spec.nslots : 0;
}

mm_object *
mm_instance_get_slot(mm_runtime *rt, mm_object *inst, uint32_t i)
{
    if (!is_instance(inst) || i >= class_of(inst)->spec.nslots) {
        mmi_error_set(rt, is_instance(inst) ? MM_EINDEX : MM_ETYPE,
                      "mm_instance_get_slot: bad instance or slot %u", i);
        return NULL;
    }
    return mm_xincref(rt, inst_slots(inst)[i]);
}

int
mm_instance_set_slot_steal(mm_runtime *rt, mm_object *inst, uint32_t i, mm_object *value)
{
    int rc = MM_OK;
    if (MMI_POISONED(rt))
        rc = mmi_poisoned_refuse(rt, "mm_instance_set_slot");
    else if (!is_instance(inst))
        rc = mmi_error_set(rt, MM_ETYPE, "mm_instance_set_slot: not an instance");
    else if (i >= class_of(inst)->spec.nslots)
        rc = mmi_error_set(rt, MM_EINDEX,
                           "mm_instance_set_slot: slot %u out of range", i);
    if (rc != MM_OK) {
        mm_xdecref(rt, value);
        return rc;
    }
    mm_setref(rt, &inst_slots(inst)[i], value);
    return MM_OK;
}

/* The attribute dict of inst, created on first use. */
static mm_object *
inst_get_dict(mm_runtime *rt, mm_object *inst, int create)
{
    mm_object **dict = is_instance(inst) ? inst_dict(inst) : NULL;
    if (!dict) {
        mmi_error_set(rt, MM_ETYPE, "instance has no attribute dict");
        return NULL;
    }
    if (!*dict && create)
        *dict = mm_dict_new(rt);
    return *dict;
}

int
mm_instance_setattr(mm_runtime *rt, mm_object *inst, const char *name, mm_object *value)
{
    mm_object *dict, *key;
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_instance_setattr");
    if (!(dict = inst_get_dict(rt, inst, 1)))
        return rt->last_error == MM_ETYPE ? MM_ETYPE : MM_ENOMEM;
    if (!name || !value)
        return mmi_error_set(rt, MM_EINVAL, "mm_instance_setattr: NULL name or value");
    key = mm_str_intern(rt, name);
    if (!key)
        return MM_ENOMEM; /* recorded by mmi_oom */
    return mm_dict_set_steal(rt, dict, key, mm_incref(rt, value));
}

mm_object *
mm_instance_getattr(mm_runtime *rt, mm_object *inst, const char *name)
{
    mm_object *dict, *key, *v;
    if (MMI_POISONED(rt)) { /* interning name would allocate */
        mmi_poisoned_refuse(rt, "mm_instance_getattr");
        return NULL;
    }
    if (!(dict = inst_get_dict(rt, inst, 0))) {
        mmi_error_set(rt, MM_EKEY, "attribute '%s' not found", name ? name : "");
        return NULL;
    }
    key = mm_str_intern(rt, name);
    if (!key)
        return NULL;
    v = mm_dict_get(rt, dict, key);
    mm_decref(rt, key);
    return v;
}

int
mm_instance_delattr(mm_runtime *rt, mm_object *inst, const char *name)
{
    mm_object *dict, *key;
    int rc;
    if (MMI_POISONED(rt))
        return mmi_poisoned_refuse(rt, "mm_instance_delattr");
    if (!(dict = inst_get_dict(rt, inst, 0)))
        return mmi_error_set(rt, MM_EKEY, "attribute '%s' not found", name ? name : "");
    if (!name)
        return mmi_error_set(rt, MM_EINVAL, "mm_instance_delattr: NULL name");
    key = mm_str_intern(rt, name);
    if (!key)
        return MM_ENOMEM;
    rc = mm_dict_del(rt, dict, key);
    mm_decref(rt, key);
    return rc;
}

MMI_INTERNAL void mmi_classes_free(mm_runtime *rt);
void
mmi_classes_free(mm_runtime *rt)
{
    mm_class *c = rt->types.classes, *next;
    for (; c; c = next) {
        next = c->next;
        free(c->name);
        free(c);
    }
    rt->types.classes = NULL;
}
