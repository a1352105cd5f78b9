/* Fuzz targets (style.md rule 44, docs/design/reliability.md): random operation sequences
 * on the runtime (alloc, link, unlink, drop, collect, freeze, generator steps, deepcopy,
 * thresholds); every byte string is a valid program. Built with FUZZ_OOM (runtime_oom)
 * the bytes also arm the allocation fault shim. At the end everything is dropped and
 * collected: no live object may be left and the heap check must pass.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <mm/mm.h>

#ifndef FUZZ_OOM
#define FUZZ_OOM 0
#endif

#define NSLOTS 16
#define NOPS (12 + FUZZ_OOM) /* runtime_oom adds op 12: re-arm the fault shim */

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

#if FUZZ_OOM
/* Internal (runtime/alloc/alloc.c), compiled only with -Dfault_injection=true. */
uint64_t mmi_alloc_fault_arm(mm_runtime *rt, uint64_t at, int persistent);

/* Byte b re-arms the shim, counting from now: allocation number b >> 1 fails, once or,
 * with the low bit set, from then on; b >> 1 == 0 disarms it. A transient failure of an
 * object allocation is absorbed by the emergency collection it triggers. */
static void
arm(fz *f, unsigned b)
{
    mmi_alloc_fault_arm(f->rt, b >> 1, (int)(b & 1));
}
#endif

static uint64_t
failed_allocs(const mm_runtime *rt)
{
    mm_alloc_stats st;
    mm_alloc_stats_get(rt, &st);
    return st.failed_allocs;
}

/* MM_ENOMEM (or NULL from a constructor) is right only after a failed allocation. */
static void
check_enomem(fz *f, int rc, uint64_t failed_before)
{
    if (rc == MM_ENOMEM && failed_allocs(f->rt) == failed_before) {
        fprintf(stderr, "fuzz: out of memory without a failed allocation: %s\n",
                mm_errmsg(f->rt));
        abort();
    }
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
    mm_object *o = NULL, *items[2], *t;
    mm_class *cls;
    uint64_t failed = failed_allocs(rt);
    int rc = MM_ENOMEM; /* what a NULL from a constructor means */
    switch (kind % 9) {
        case 0: o = mm_list_new(rt); break;
        case 1: o = mm_dict_new(rt); break;
        case 2:
        case 3:
            cls = kind % 9 == 2 ? f->cls : f->cls_del;
            if (!cls) /* runtime_oom: its mm_class_new failed */
                return NULL;
            o = mm_instance_new(rt, cls);
            break;
        case 4: o = mm_int_new(rt, (int64_t)take(f) - 10); break;
        case 5: o = mm_str_new(rt, "fz", 2); break;
        case 6:
            items[0] = f->slot[take(f) % NSLOTS];
            items[1] = f->slot[take(f) % NSLOTS];
            o = items[0] && items[1] ? mm_tuple_pack(rt, 2, items)
                                     : mm_tuple_pack(rt, 0, NULL);
            break;
        case 7: rc = mm_gen_new(rt, gen_step, 1, NULL, &o); break;
        default:
            t = f->slot[take(f) % NSLOTS];
            if (!t)
                return NULL;
            rc = mm_weakref_new(rt, t, NULL, NULL, &o); /* MM_ETYPE: not weakrefable */
            break;
    }
    if (!o)
        check_enomem(f, rc, failed);
    return o;
}

static void
link(fz *f, mm_object *a, mm_object *b)
{
    mm_runtime *rt = f->rt;
    mm_object *out = NULL;
    uint64_t failed = failed_allocs(rt);
    int rc = MM_OK;
    if (!a || !b)
        return;
    switch (mm_type_id_of(a)) {
        case MM_T_LIST: rc = mm_list_append(rt, a, b); break;
        case MM_T_DICT: rc = mm_dict_set(rt, a, b, b); break;
        case MM_T_INSTANCE:
            rc = mm_instance_set_slot_steal(rt, a, take(f) % 3, mm_incref(rt, b));
            break;
        case MM_T_GENERATOR:
            rc = mm_gen_send(rt, a, mm_gen_get_state(a) == MM_GEN_CREATED ? NULL : b,
                             &out);
            mm_xdecref(rt, out);
            break;
        default: break;
    }
    check_enomem(f, rc, failed);
}

static void
step(fz *f, unsigned op)
{
    mm_runtime *rt = f->rt;
    mm_object *a = f->slot[take(f) % NSLOTS], *b = f->slot[take(f) % NSLOTS], *c;
    uint32_t t[3];
    uint64_t failed;
    unsigned i;
    switch (op % NOPS) {
        case 0: case 1: case 2:
            i = take(f); /* the slot byte comes first, whatever the compiler */
            set(f, i, make(f, take(f)));
            break;
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
        case 10:
            if (a) {
                failed = failed_allocs(rt);
                c = mm_deepcopy(rt, a);
                if (!c)
                    check_enomem(f, MM_ENOMEM, failed);
                set(f, take(f), c);
            }
            break;
        case 11: if (a && mm_type_id_of(a) == MM_T_GENERATOR) mm_gen_close(rt, a); break;
#if FUZZ_OOM
        case 12: arm(f, take(f)); break;
#endif
        default: break;
    }
    mm_gc_safepoint(rt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Input: policy byte, allocator byte, (runtime_oom: a byte arming the shim before the
 * classes are made, as op 12 does), then one op byte and its operand bytes per step. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const mm_gc_policy policies[] = { MM_GC_CPYTHON311, MM_GC_CPYTHON313,
                                             MM_GC_FULL, MM_GC_NONE };
    fz f = { .p = data, .end = data + size };
    mm_config cfg;
    mm_class_spec spec = { .name = "F", .nslots = 3, .has_dict = 1, .weakrefable = 1 };
    mm_object *after;
    mm_config_default(&cfg);
    cfg.gc = policies[take(&f) % 4];
    cfg.alloc = take(&f) % 2 ? MM_ALLOC_POOL : MM_ALLOC_PRIVATE;
    if (mm_runtime_new(&f.rt, &cfg, NULL, 0) != MM_OK)
        abort();
#if FUZZ_OOM
    arm(&f, take(&f));
#endif
    mm_class_new(f.rt, &spec, &f.cls);
    spec.finalize = on_del;
    mm_class_new(f.rt, &spec, &f.cls_del);
    while (f.p < f.end)
        step(&f, take(&f));
#if FUZZ_OOM
    arm(&f, 0);
#endif
    for (int i = 0; i < NSLOTS; i++)
        set(&f, (unsigned)i, NULL);
    mm_gc_unfreeze(f.rt);
    mm_gc_collect(f.rt, 2, NULL);
    if (mm_runtime_live_objects(f.rt) != 0 || mm_runtime_check(f.rt) != MM_OK) {
        fprintf(stderr, "fuzz: %lld objects left or heap broken: %s\n",
                (long long)mm_runtime_live_objects(f.rt), mm_errmsg(f.rt));
        abort(); /* a leak or a broken heap: a finding */
    }
    if (!(after = mm_list_new(f.rt))) /* still usable */
        abort();
    mm_decref(f.rt, after);
    mm_runtime_destroy(f.rt);
    return 0;
}
