/* Fuzz target: random operation sequences on the runtime (alloc, link, unlink, drop,
 * collect, freeze, generator steps, deepcopy, thresholds). Every byte string is a valid
 * program; after it, everything is dropped and collected, and the runtime must have no
 * live object left and pass its heap check. Crashes, sanitizer reports and these checks
 * are the findings.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <mm/mm.h>

#define NSLOTS 16

typedef struct fz {
    mm_runtime *rt;
    mm_class *cls, *cls_del;
    mm_object *slot[NSLOTS];
    const uint8_t *p, *end;
} fz;

static unsigned
take(fz *f)
{
    return f->p < f->end ? *f->p++ : 0;
}

static void
on_del(mm_runtime *rt, mm_object *self, void *arg)
{
    (void)rt, (void)self, (void)arg;
}

static int
gen_step(mm_runtime *rt, mm_gen_frame *fr, mm_object *sent, mm_gen_mode mode,
         mm_object **out)
{
    if (mode != MM_GEN_SEND || fr->label > 3)
        return MM_GEN_RETURN;
    fr->label++;
    mm_setref(rt, &fr->locals[0], mm_xincref(rt, sent));
    return MM_GEN_YIELD;
}

static void
set(fz *f, unsigned i, mm_object *o)
{
    mm_object *old = f->slot[i % NSLOTS];
    f->slot[i % NSLOTS] = o;
    mm_xdecref(f->rt, old);
}

static mm_object *
make(fz *f, unsigned kind)
{
    mm_runtime *rt = f->rt;
    mm_object *o = NULL, *items[2];
    switch (kind % 9) {
        case 0: return mm_list_new(rt);
        case 1: return mm_dict_new(rt);
        case 2: return mm_instance_new(rt, f->cls);
        case 3: return mm_instance_new(rt, f->cls_del);
        case 4: return mm_int_new(rt, (int64_t)take(f) - 10);
        case 5: return mm_str_new(rt, "fz", 2);
        case 6:
            items[0] = f->slot[take(f) % NSLOTS];
            items[1] = f->slot[take(f) % NSLOTS];
            return items[0] && items[1] ? mm_tuple_pack(rt, 2, items) : mm_tuple_pack(rt, 0, NULL);
        case 7:
            mm_gen_new(rt, gen_step, 1, NULL, &o);
            return o;
        default: {
            mm_object *t = f->slot[take(f) % NSLOTS];
            if (t)
                mm_weakref_new(rt, t, NULL, NULL, &o);
            return o;
        }
    }
}

static void
link(fz *f, mm_object *a, mm_object *b)
{
    mm_runtime *rt = f->rt;
    mm_object *out = NULL;
    if (!a || !b)
        return;
    switch (mm_type_id_of(a)) {
        case MM_T_LIST: mm_list_append(rt, a, b); break;
        case MM_T_DICT: mm_dict_set(rt, a, b, b); break;
        case MM_T_INSTANCE:
            mm_instance_set_slot_steal(rt, a, take(f) % 3, mm_incref(rt, b));
            break;
        case MM_T_GENERATOR:
            mm_gen_send(rt, a, mm_gen_get_state(a) == MM_GEN_CREATED ? NULL : b, &out);
            mm_xdecref(rt, out);
            break;
        default: break;
    }
}

static void
step(fz *f, unsigned op)
{
    mm_runtime *rt = f->rt;
    mm_object *a = f->slot[take(f) % NSLOTS], *b = f->slot[take(f) % NSLOTS];
    uint32_t t[3];
    switch (op % 12) {
        case 0: case 1: case 2: set(f, take(f), make(f, take(f))); break;
        case 3: case 4: link(f, a, b); break;
        case 5:
            if (a && mm_type_id_of(a) == MM_T_LIST && mm_list_len(a))
                mm_decref(rt, mm_list_pop(rt, a, take(f) % mm_list_len(a)));
            else if (a && mm_type_id_of(a) == MM_T_INSTANCE)
                mm_instance_set_slot_steal(rt, a, take(f) % 3, NULL);
            break;
        case 6: set(f, take(f), NULL); break;
        case 7: mm_gc_collect(rt, (int)(take(f) % 3), NULL); break;
        case 8: (take(f) & 1) ? mm_gc_freeze(rt) : mm_gc_unfreeze(rt); break;
        case 9:
            t[0] = take(f) % 20;
            t[1] = take(f) % 5;
            t[2] = take(f) % 5;
            mm_gc_set_threshold(rt, t, 3);
            break;
        case 10: if (a) set(f, take(f), mm_deepcopy(rt, a)); break;
        default: if (a && mm_type_id_of(a) == MM_T_GENERATOR) mm_gen_close(rt, a); break;
    }
    mm_gc_safepoint(rt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const mm_gc_policy policies[] = { MM_GC_CPYTHON311, MM_GC_CPYTHON313,
                                             MM_GC_FULL, MM_GC_NONE };
    fz f = { .p = data, .end = data + size };
    mm_config cfg;
    mm_class_spec spec = { .name = "F", .nslots = 3, .has_dict = 1, .weakrefable = 1 };
    mm_config_default(&cfg);
    cfg.gc = policies[take(&f) % 4];
    cfg.alloc = take(&f) % 2 ? MM_ALLOC_POOL : MM_ALLOC_PRIVATE;
    if (mm_runtime_new(&f.rt, &cfg, NULL, 0) != MM_OK)
        abort();
    mm_class_new(f.rt, &spec, &f.cls);
    spec.finalize = on_del;
    mm_class_new(f.rt, &spec, &f.cls_del);
    while (f.p < f.end)
        step(&f, take(&f));
    for (int i = 0; i < NSLOTS; i++)
        set(&f, (unsigned)i, NULL);
    mm_gc_unfreeze(f.rt);
    mm_gc_collect(f.rt, 2, NULL);
    if (mm_runtime_live_objects(f.rt) != 0 || mm_runtime_check(f.rt) != MM_OK)
        abort(); /* a leak or a broken heap: a finding */
    mm_runtime_destroy(f.rt);
    return 0;
}
