/* The scenario registry and parameter parsing. Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

extern const scenario sc_churn, sc_cycles, sc_trees, sc_generators, sc_longlived,
    sc_fragmentation, sc_typepools, sc_deepchain, sc_copy, sc_comprehension, sc_calls,
    sc_webapp, sc_threads;

static const scenario *const registry[] = {
    &sc_churn, &sc_cycles, &sc_trees, &sc_generators, &sc_longlived, &sc_fragmentation,
    &sc_typepools, &sc_deepchain, &sc_copy, &sc_comprehension, &sc_calls, &sc_webapp,
    &sc_threads,
};

const scenario *const *
sc_registry(size_t *n)
{
    *n = sizeof registry / sizeof registry[0];
    return registry;
}

const scenario *
sc_find(const char *name)
{
    size_t n;
    const scenario *const *r = sc_registry(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i]->name, name) == 0)
            return r[i];
    return NULL;
}

void
sc_defaults(const scenario *s, sc_values *v)
{
    memset(v, 0, sizeof *v);
    for (size_t i = 0; i < s->nparams; i++)
        v->v[i] = s->params[i].def;
}

/* Levenshtein distance, for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64];
    if (la >= 63 || lb >= 63)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (a[i - 1] != b[j - 1]);
            size_t best = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            prev = cur;
        }
    }
    return row[lb];
}

/* One value, fully consumed (results-and-reports.md 8.3). SC_INT: decimal digits only
 * (every integer parameter is unsigned: no sign, space, point, exponent or hex), checked
 * for overflow; SC_REAL: a finite strtod number without leading space. 0 or -1. */
static int
parse_value(sc_type type, const char *text, double *out)
{
    char *end;
    errno = 0;
    if (type == SC_INT) {
        unsigned long long u;
        if (!*text || strspn(text, "0123456789") != strlen(text))
            return -1;
        u = strtoull(text, &end, 10);
        /* beyond 2^53 (or overflowing) is beyond every range: say out of range */
        *out = errno == ERANGE || u > (1ull << 53) ? HUGE_VAL : (double)u;
        return 0;
    }
    if (!*text || isspace((unsigned char)*text))
        return -1;
    *out = strtod(text, &end);
    return *end || errno || !isfinite(*out) ? -1 : 0;
}

int
sc_param_set(const scenario *s, sc_values *v, const char *kv, char *err, size_t n)
{
    const char *eq = strchr(kv, '=');
    size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
    const char *best = NULL;
    size_t bestd = 3;
    if (!eq || klen == 0 || !eq[1]) {
        snprintf(err, n, "parameter '%s' must be written k=v", kv);
        return -1;
    }
    for (size_t i = 0; i < s->nparams; i++) {
        const sc_param *p = &s->params[i];
        double x;
        if (strlen(p->name) != klen || strncmp(p->name, kv, klen) != 0) {
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)klen, kv);
            size_t d = distance(key, p->name);
            if (d < bestd) {
                bestd = d;
                best = p->name;
            }
            continue;
        }
        if (parse_value(p->type, eq + 1, &x) != 0) {
            snprintf(err, n, "parameter '%s' of scenario '%s': '%s' is not %s", p->name,
                     s->name, eq + 1,
                     p->type == SC_INT ? "an integer (decimal digits only, no sign)"
                                       : "a number");
            return -1;
        }
        if (x < p->min || x > p->max) {
            snprintf(err, n,
                     "parameter '%s' of scenario '%s': %s is out of range [%g, %g]",
                     p->name, s->name, eq + 1, p->min, p->max);
            return -1;
        }
        v->v[i] = x;
        return 0;
    }
    if (best)
        snprintf(err, n,
                 "unknown parameter '%.*s' for scenario '%s' (did you mean '%s'?)",
                 (int)klen, kv, s->name, best);
    else
        snprintf(err, n, "unknown parameter '%.*s' for scenario '%s' (see 'mmbench "
                 "describe %s')", (int)klen, kv, s->name, s->name);
    return -1;
}
