/* Strict parser of op-script cases: every unknown op, kind or field, every wrong type
 * is an error naming its JSON path. Design: docs/design/reliability.md.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "util.h"

static const char *const kind_names[RP_KIND_COUNT] = {
    "list", "dict", "tuple", "instance", "instance_del", "instance_legacy",
    "generator", "weakref", "atom",
};

typedef struct op_spec {
    const char *name;
    rp_opcode code;
    const char *fields; /* allowed fields besides "op", space separated */
} op_spec;

static const op_spec op_specs[] = {
    { "new", RP_NEW, "id kind items target callback resurrect" },
    { "link", RP_LINK, "from to" },
    { "unlink", RP_UNLINK, "from to" },
    { "drop", RP_DROP, "id" },
    { "alias", RP_ALIAS, "id from" },
    { "finish", RP_FINISH, "id" },
    { "collect", RP_COLLECT, "gen" },
    { "checkpoint", RP_CHECKPOINT, "label" },
    { "repeat", RP_REPEAT, "n body" },
    { "set_threshold", RP_SET_THRESHOLD, "t" },
    { "gc_disable", RP_GC_DISABLE, "" },
    { "gc_enable", RP_GC_ENABLE, "" },
    { "freeze", RP_FREEZE, "" },
    { "unfreeze", RP_UNFREEZE, "" },
    { "debug_saveall", RP_DEBUG_SAVEALL, "on" },
    { "clear_garbage", RP_CLEAR_GARBAGE, "" },
    { "release_resurrected", RP_RELEASE_RESURRECTED, "" },
};

typedef struct parser {
    rp_case *c;
    char *err;
    size_t n;
    const char *file;
    char path[256];
    int in_repeat;
} parser;

static int
fail(parser *p, const char *field, const char *fmt, const char *what)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, what);
    snprintf(p->err, p->n, "%s: %s%s%s: %s", p->file, p->path, field ? "/" : "",
             field ? field : "", msg);
    return -1;
}

/* Slot index of an id, created on first use. */
static int
slot_of(parser *p, const char *id)
{
    rp_case *c = p->c;
    for (size_t i = 0; i < c->nids; i++)
        if (strcmp(c->ids[i], id) == 0)
            return (int)i;
    c->ids = bench_xrealloc(c->ids, (c->nids + 1) * sizeof *c->ids);
    c->kinds = bench_xrealloc(c->kinds, (c->nids + 1) * sizeof *c->kinds);
    c->ids[c->nids] = bench_xstrdup(id);
    c->kinds[c->nids] = RP_KIND_COUNT; /* unknown until its first `new` */
    return (int)c->nids++;
}

static int
get_id(parser *p, json_t *op, const char *field, int *out)
{
    json_t *v = json_object_get(op, field);
    if (!v)
        return fail(p, field, "missing %s", "field");
    if (!json_is_string(v) || !json_string_length(v))
        return fail(p, field, "expected a non-empty %s", "string");
    *out = slot_of(p, json_string_value(v));
    return 0;
}

static int
get_int(parser *p, json_t *op, const char *field, long lo, long hi, long *out)
{
    json_t *v = json_object_get(op, field);
    if (!json_is_integer(v))
        return fail(p, field, "expected an %s", "integer");
    if (json_integer_value(v) < lo || json_integer_value(v) > hi)
        return fail(p, field, "%s", "value out of range");
    *out = (long)json_integer_value(v);
    return 0;
}

static int
get_bool(parser *p, json_t *op, const char *field, int *out)
{
    json_t *v = json_object_get(op, field);
    *out = 0;
    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return fail(p, field, "expected a %s", "boolean");
    *out = json_is_true(v);
    return 0;
}

static int
check_fields(parser *p, json_t *op, const op_spec *spec)
{
    const char *key;
    json_t *v;
    json_object_foreach(op, key, v) {
        size_t kl = strlen(key);
        const char *f = spec->fields;
        int ok = strcmp(key, "op") == 0;
        while (!ok && *f) {
            size_t l = strcspn(f, " ");
            ok = l == kl && strncmp(f, key, l) == 0;
            f += l + (f[l] == ' ');
        }
        if (!ok)
            return fail(p, key, "unknown field for this op (%s)", spec->name);
    }
    return 0;
}

static int parse_ops(parser *p, json_t *arr, rp_op **out, size_t *nout);

static int
parse_kind(parser *p, json_t *op, rp_op *o)
{
    json_t *v = json_object_get(op, "kind");
    if (!json_is_string(v))
        return fail(p, "kind", "expected a %s", "string");
    for (int k = 0; k < RP_KIND_COUNT; k++) {
        if (strcmp(json_string_value(v), kind_names[k]) == 0) {
            rp_kind *slot = &p->c->kinds[o->id];
            if (*slot != RP_KIND_COUNT && *slot != (rp_kind)k)
                return fail(p, "kind", "id already denotes another kind (%s)",
                            kind_names[*slot]);
            *slot = o->kind = (rp_kind)k;
            return 0;
        }
    }
    return fail(p, "kind", "unknown kind '%s'", json_string_value(v));
}

static int
parse_items(parser *p, json_t *op, rp_op *o)
{
    json_t *items = json_object_get(op, "items"), *v;
    size_t i;
    if (!items)
        return 0;
    if (!json_is_array(items))
        return fail(p, "items", "expected an %s", "array");
    if (o->kind != RP_LIST && o->kind != RP_DICT && o->kind != RP_TUPLE)
        return fail(p, "items", "only list, dict and tuple take %s", "items");
    o->nitems = json_array_size(items);
    o->items = bench_xcalloc(o->nitems ? o->nitems : 1, sizeof *o->items);
    json_array_foreach(items, i, v) {
        if (!json_is_string(v))
            return fail(p, "items", "expected an array of %s", "ids");
        o->items[i] = slot_of(p, json_string_value(v));
    }
    return 0;
}

static int
parse_new(parser *p, json_t *op, rp_op *o)
{
    if (get_id(p, op, "id", &o->id) || parse_kind(p, op, o) || parse_items(p, op, o) ||
        get_bool(p, op, "callback", &o->callback) ||
        get_bool(p, op, "resurrect", &o->resurrect))
        return -1;
    if (o->kind == RP_WEAKREF) {
        if (get_id(p, op, "target", &o->target))
            return -1;
    } else if (json_object_get(op, "target") || json_object_get(op, "callback")) {
        return fail(p, "target", "only a %s takes target/callback", "weakref");
    }
    if (o->resurrect && o->kind != RP_INSTANCE_DEL)
        return fail(p, "resurrect", "only %s takes resurrect", "instance_del");
    return 0;
}

static int
parse_threshold(parser *p, json_t *op, rp_op *o)
{
    json_t *t = json_object_get(op, "t"), *v;
    size_t i;
    if (!json_is_array(t) || json_array_size(t) < 1 || json_array_size(t) > 3)
        return fail(p, "t", "expected an array of %s", "1 to 3 integers");
    o->nitems = json_array_size(t);
    json_array_foreach(t, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > UINT32_MAX)
            return fail(p, "t", "expected %s", "non-negative integers");
        o->threshold[i] = (uint32_t)json_integer_value(v);
    }
    return 0;
}

static int
parse_fields(parser *p, json_t *op, rp_op *o)
{
    long n;
    switch (o->code) {
        case RP_NEW: return parse_new(p, op, o);
        case RP_LINK:
        case RP_UNLINK:
            return get_id(p, op, "from", &o->from) || get_id(p, op, "to", &o->to);
        case RP_DROP:
        case RP_FINISH: return get_id(p, op, "id", &o->id);
        case RP_ALIAS:
            return get_id(p, op, "id", &o->id) || get_id(p, op, "from", &o->from);
        case RP_COLLECT:
            o->gen = 2;
            if (json_object_get(op, "gen") && get_int(p, op, "gen", 0, 2, &n) == 0)
                o->gen = (int)n;
            else if (json_object_get(op, "gen"))
                return -1;
            return 0;
        case RP_CHECKPOINT:
            if (!json_is_string(json_object_get(op, "label")))
                return fail(p, "label", "expected a %s", "string");
            if (p->in_repeat)
                return fail(p, "label", "%s", "checkpoint not allowed inside repeat");
            o->label = json_string_value(json_object_get(op, "label"));
            return 0;
        case RP_REPEAT: {
            json_t *body = json_object_get(op, "body");
            size_t len = strlen(p->path);
            int rc;
            if (get_int(p, op, "n", 0, 100000000, &o->repeat_n))
                return -1;
            if (!json_is_array(body))
                return fail(p, "body", "expected an %s", "array");
            snprintf(p->path + len, sizeof p->path - len, "/body");
            p->in_repeat++;
            rc = parse_ops(p, body, &o->body, &o->nbody);
            p->in_repeat--;
            p->path[len] = '\0';
            return rc;
        }
        case RP_SET_THRESHOLD: return parse_threshold(p, op, o);
        case RP_DEBUG_SAVEALL:
            if (!json_is_boolean(json_object_get(op, "on")))
                return fail(p, "on", "expected a %s", "boolean");
            return get_bool(p, op, "on", &o->on);
        default: return 0;
    }
}

static int
parse_op(parser *p, json_t *op, rp_op *o)
{
    json_t *name = json_object_get(op, "op");
    const op_spec *spec = NULL;
    o->id = o->from = o->to = o->target = -1;
    if (!json_is_object(op))
        return fail(p, NULL, "expected an %s", "object");
    if (!json_is_string(name))
        return fail(p, "op", "expected a %s", "string");
    for (size_t i = 0; i < sizeof op_specs / sizeof op_specs[0]; i++)
        if (strcmp(op_specs[i].name, json_string_value(name)) == 0)
            spec = &op_specs[i];
    if (!spec)
        return fail(p, "op", "unknown op '%s'", json_string_value(name));
    o->code = spec->code;
    if (check_fields(p, op, spec))
        return -1;
    return parse_fields(p, op, o);
}

static int
parse_ops(parser *p, json_t *arr, rp_op **out, size_t *nout)
{
    size_t i, len = strlen(p->path);
    json_t *op;
    *nout = json_array_size(arr);
    *out = bench_xcalloc(*nout ? *nout : 1, sizeof **out);
    json_array_foreach(arr, i, op) {
        snprintf(p->path + len, sizeof p->path - len, "/%zu", i);
        if (parse_op(p, op, &(*out)[i]))
            return -1;
    }
    p->path[len] = '\0';
    return 0;
}

int
rp_case_load(const char *path, rp_case *c, char *err, size_t n)
{
    json_error_t jerr;
    json_t *root;
    memset(c, 0, sizeof *c);
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, n, "%s: line %d: %s", path, jerr.line, jerr.text);
        return -1;
    }
    return rp_case_parse(root, path, c, err, n);
}

int
rp_case_parse(json_t *root, const char *name, rp_case *c, char *err, size_t n)
{
    parser p = { c, err, n, name, "", 0 };
    json_t *script;
    memset(c, 0, sizeof *c);
    c->root = root;
    if (!json_is_object(c->root))
        return fail(&p, NULL, "expected a JSON %s", "object");
    script = json_object_get(c->root, "script");
    if (!json_is_array(script))
        return fail(&p, "script", "missing or not an %s", "array");
    strcpy(p.path, "/script");
    return parse_ops(&p, script, &c->ops, &c->nops);
}

static void
ops_free(rp_op *ops, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ops[i].items);
        ops_free(ops[i].body, ops[i].nbody);
    }
    free(ops);
}

void
rp_case_free(rp_case *c)
{
    ops_free(c->ops, c->nops);
    for (size_t i = 0; i < c->nids; i++)
        free(c->ids[i]);
    free(c->ids);
    free(c->kinds);
    json_decref(c->root);
    memset(c, 0, sizeof *c);
}

static long
ops_steps(const rp_op *ops, size_t n, long limit)
{
    long total = 0;
    for (size_t i = 0; i < n && total < limit; i++) {
        if (ops[i].code != RP_REPEAT) {
            total++;
            continue;
        }
        long body = ops_steps(ops[i].body, ops[i].nbody, limit);
        total += body && ops[i].repeat_n > limit / body ? limit : body * ops[i].repeat_n;
    }
    return total < limit ? total : limit;
}

long
rp_case_steps(const rp_case *c, long limit)
{
    return ops_steps(c->ops, c->nops, limit);
}
