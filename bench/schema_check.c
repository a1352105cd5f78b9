/* A JSON Schema (2020-12) validator for the keywords result.schema.json uses (listed
 * before check). Errors name the JSON pointer of the instance (8.3).
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "schema_check.h"

extern const char bench_result_schema_text[];

#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sctx {
    json_t *root;
    char *err;
    size_t n;
    int quiet; /* inside oneOf/if: failures are not reported */
} sctx;

static int check(sctx *c, json_t *s, json_t *v, const char *ptr);

static int
sfail(sctx *c, const char *ptr, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    if (c->quiet)
        return -1;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(c->err, c->n, "%s: %s", *ptr ? ptr : "/", msg);
    return -1;
}

static const char *
type_of(json_t *v)
{
    switch (json_typeof(v)) {
        case JSON_OBJECT: return "object";
        case JSON_ARRAY: return "array";
        case JSON_STRING: return "string";
        case JSON_INTEGER: return "integer";
        case JSON_REAL: return "number";
        case JSON_TRUE:
        case JSON_FALSE: return "boolean";
        default: return "null";
    }
}

static int
type_is(json_t *v, const char *t)
{
    const char *have = type_of(v);
    if (!strcmp(t, "number"))
        return json_is_number(v);
    if (!strcmp(t, "integer") && json_is_real(v))
        return json_real_value(v) == floor(json_real_value(v));
    return !strcmp(have, t);
}

static int
check_type(sctx *c, json_t *t, json_t *v, const char *ptr)
{
    json_t *x;
    size_t i;
    char want[128] = "";
    if (json_is_string(t)) {
        if (type_is(v, json_string_value(t)))
            return 0;
        return sfail(c, ptr, "expected %s, got %s", json_string_value(t), type_of(v));
    }
    json_array_foreach(t, i, x) {
        if (type_is(v, json_string_value(x)))
            return 0;
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", i ? " or " : "",
                 json_string_value(x));
    }
    return sfail(c, ptr, "expected %s, got %s", want, type_of(v));
}

static int
check_pattern(sctx *c, const char *pat, const char *s, const char *ptr)
{
    int errcode, rc;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                                   &errcode, &off, NULL);
    pcre2_match_data *md;
    if (!re)
        return sfail(c, ptr, "schema pattern does not compile");
    md = pcre2_match_data_create_from_pattern(re, NULL);
    rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    if (rc < 0)
        return sfail(c, ptr, "'%.60s' does not match %s", s, pat);
    return 0;
}

static json_t *
resolve(sctx *c, json_t *s)
{
    for (int depth = 0; depth < 16; depth++) {
        json_t *ref = json_object_get(s, "$ref");
        const char *r;
        if (!json_is_string(ref))
            return s;
        r = json_string_value(ref);
        if (strncmp(r, "#/$defs/", 8))
            return s;
        s = json_object_get(json_object_get(c->root, "$defs"), r + 8);
    }
    return s;
}

static int
check_number(sctx *c, json_t *s, json_t *v, const char *ptr)
{
    json_t *mn = json_object_get(s, "minimum"), *mx = json_object_get(s, "maximum");
    json_t *ex = json_object_get(s, "exclusiveMinimum");
    double d;
    if (!json_is_number(v))
        return 0;
    d = json_number_value(v);
    if (json_is_integer(v) && json_is_integer(mn) &&
        json_integer_value(v) < json_integer_value(mn))
        return sfail(c, ptr, "expected >= %lld, got %lld",
                     (long long)json_integer_value(mn), (long long)json_integer_value(v));
    if (mn && d < json_number_value(mn))
        return sfail(c, ptr, "expected >= %g, got %g", json_number_value(mn), d);
    if (mx && d > json_number_value(mx))
        return sfail(c, ptr, "expected <= %g, got %g", json_number_value(mx), d);
    if (ex && d <= json_number_value(ex))
        return sfail(c, ptr, "expected > %g, got %g", json_number_value(ex), d);
    return 0;
}

static int
check_string(sctx *c, json_t *s, json_t *v, const char *ptr)
{
    json_t *ml = json_object_get(s, "minLength"), *pat = json_object_get(s, "pattern");
    if (!json_is_string(v))
        return 0;
    if (ml && json_string_length(v) < (size_t)json_integer_value(ml))
        return sfail(c, ptr, "expected at least %lld characters",
                     (long long)json_integer_value(ml));
    if (json_is_string(pat))
        return check_pattern(c, json_string_value(pat), json_string_value(v), ptr);
    return 0;
}

static int
check_array(sctx *c, json_t *s, json_t *v, const char *ptr)
{
    json_t *pre = json_object_get(s, "prefixItems"), *items = json_object_get(s, "items"),
           *x;
    json_t *mn = json_object_get(s, "minItems"), *mx = json_object_get(s, "maxItems");
    size_t i, npre = json_array_size(pre);
    if (!json_is_array(v))
        return 0;
    if (mn && json_array_size(v) < (size_t)json_integer_value(mn))
        return sfail(c, ptr, "expected at least %lld items, got %zu",
                     (long long)json_integer_value(mn), json_array_size(v));
    if (mx && json_array_size(v) > (size_t)json_integer_value(mx))
        return sfail(c, ptr, "expected at most %lld items, got %zu",
                     (long long)json_integer_value(mx), json_array_size(v));
    json_array_foreach(v, i, x) {
        char sub[512];
        json_t *is = i < npre ? json_array_get(pre, i) : items;
        snprintf(sub, sizeof sub, "%s/%zu", ptr, i);
        if (json_is_false(is))
            return sfail(c, sub, "no item allowed here");
        if (is && !json_is_true(is) && check(c, is, x, sub))
            return -1;
    }
    return 0;
}

static int
pattern_props_match(sctx *c, json_t *pp, const char *key, json_t *v, const char *ptr,
                    int *matched)
{
    const char *pat;
    json_t *ps;
    int q = c->quiet;
    json_object_foreach(pp, pat, ps) {
        int m;
        c->quiet = 1;
        m = check_pattern(c, pat, key, ptr) == 0;
        c->quiet = q;
        if (m) {
            *matched = 1;
            if (!json_is_object(ps) || json_object_size(ps) == 0)
                continue;
            if (check(c, ps, v, ptr))
                return -1;
        }
    }
    return 0;
}

static int
check_object(sctx *c, json_t *s, json_t *v, const char *ptr)
{
    json_t *req = json_object_get(s, "required"),
           *props = json_object_get(s, "properties");
    json_t *add = json_object_get(s, "additionalProperties"), *pp, *pn, *x;
    const char *key;
    size_t i;
    if (!json_is_object(v))
        return 0;
    json_array_foreach(req, i, x)
        if (!json_object_get(v, json_string_value(x)))
            return sfail(c, ptr, "required key '%s' missing", json_string_value(x));
    pp = json_object_get(s, "patternProperties");
    pn = json_object_get(s, "propertyNames");
    json_object_foreach(v, key, x) {
        char sub[512];
        json_t *ps = json_object_get(props, key);
        int matched = 0;
        snprintf(sub, sizeof sub, "%s/%s", ptr, key);
        if (pn) {
            json_t *name = json_string(key);
            int rc = name ? check(c, pn, name, sub) : 0;
            json_decref(name);
            if (rc)
                return -1;
        }
        if (ps && check(c, ps, x, sub))
            return -1;
        if (pp && pattern_props_match(c, pp, key, x, sub, &matched))
            return -1;
        if (!ps && !matched && json_is_false(add))
            return sfail(c, sub, "unknown key");
        if (!ps && !matched && json_is_object(add) && check(c, add, x, sub))
            return -1;
    }
    return 0;
}

static int
is_null_schema(json_t *s)
{
    json_t *t = json_object_get(s, "type");
    return json_is_string(t) && !strcmp(json_string_value(t), "null");
}

static int
check_combinators(sctx *c, json_t *s, json_t *v, const char *ptr)
{
    json_t *one = json_object_get(s, "oneOf"), *all = json_object_get(s, "allOf"), *x;
    json_t *iff = json_object_get(s, "if");
    size_t i, ok = 0;
    int q = c->quiet;
    json_array_foreach(all, i, x)
        if (check(c, x, v, ptr))
            return -1;
    if (one) {
        c->quiet = 1;
        json_array_foreach(one, i, x)
            ok += check(c, x, v, ptr) == 0;
        c->quiet = q;
        if (ok != 1) {
            /* report the reason of the non-null alternative */
            json_array_foreach(one, i, x) if (!is_null_schema(x)) return check(c, x, v,
                                                                               ptr)
                ? -1
                : sfail(c, ptr, "matches %zu alternatives", ok);
        }
    }
    if (iff) {
        int cond;
        c->quiet = 1;
        cond = check(c, iff, v, ptr) == 0;
        c->quiet = q;
        x = json_object_get(s, cond ? "then" : "else");
        if (x && check(c, x, v, ptr))
            return -1;
    }
    return 0;
}

/* The keywords supported, those result.schema.json uses: type, const, enum, required,
 * properties, patternProperties, additionalProperties, propertyNames, items,
 * prefixItems, minItems, maxItems, minimum, maximum, exclusiveMinimum, minLength,
 * pattern (PCRE2), $ref to #/$defs, oneOf, allOf, if/then/else. */
static int
check(sctx *c, json_t *s, json_t *v, const char *ptr)
{
    json_t *t, *en, *cn, *x;
    size_t i;
    s = resolve(c, s);
    if (!s || json_is_true(s))
        return 0;
    if (json_is_false(s))
        return sfail(c, ptr, "not allowed");
    if ((t = json_object_get(s, "type")) && check_type(c, t, v, ptr))
        return -1;
    if ((cn = json_object_get(s, "const")) && !json_equal(cn, v)) {
        char *want = json_dumps(cn, JSON_ENCODE_ANY | JSON_COMPACT);
        int rc = sfail(c, ptr, "expected %.80s", want);
        free(want);
        return rc;
    }
    if ((en = json_object_get(s, "enum"))) {
        int ok = 0;
        json_array_foreach(en, i, x)
            ok |= json_equal(x, v);
        if (!ok)
            return sfail(c, ptr, "value not allowed here");
    }
    if (check_number(c, s, v, ptr) || check_string(c, s, v, ptr) ||
        check_array(c, s, v, ptr) || check_object(c, s, v, ptr))
        return -1;
    return check_combinators(c, s, v, ptr);
}

int
bench_schema_validate(json_t *schema, json_t *doc, char *err, size_t n)
{
    sctx c = { schema, err, n, 0 };
    return check(&c, schema, doc, "");
}

json_t *
bench_result_schema(void)
{
    static json_t *schema;
    if (!schema)
        schema = json_loads(bench_result_schema_text, 0, NULL);
    return schema;
}
