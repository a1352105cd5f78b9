/* `mmbench list` and `mmbench describe`: the scenario registry, for people and (--json)
 * for tools. Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "experiment.h"
#include "export.h"
#include "result.h"
#include "scenario.h"

static const char list_usage[] =
    "usage: mmbench list [scenarios|settings|metrics|charts] [--json]\n"
    "\n"
    "List the scenarios (default) or the GC policies and allocator backends that a run\n"
    "can choose. --json prints the same as one JSON document.\n";

static const char describe_usage[] =
    "usage: mmbench describe SCENARIO [--json]\n"
    "\n"
    "Describe a scenario: what it does, what its ops count, and its parameters with\n"
    "types, defaults and ranges (set them with --param k=v).\n";

/* Integer parameters are written as JSON integers ("depth": 16, never 16.0). */
static json_t *
number_json(double v, int is_int)
{
    return is_int ? json_integer((json_int_t)v) : json_real(v);
}

static json_t *
scenario_json(const scenario *s)
{
    json_t *params = json_array();
    for (size_t i = 0; i < s->nparams; i++) {
        const sc_param *p = &s->params[i];
        int is_int = p->type == SC_INT;
        json_array_append_new(params,
                              json_pack("{s:s,s:s,s:o,s:o,s:o,s:s}", "name", p->name,
                                        "type", is_int ? "int" : "real", "default",
                                        number_json(p->def, is_int), "min",
                                        number_json(p->min, is_int), "max",
                                        number_json(p->max, is_int), "help", p->help));
    }
    return json_pack("{s:s,s:s,s:i,s:s,s:o}", "name", s->name, "description",
                     s->description, "version", s->version, "ops_unit", s->ops_unit,
                     "params", params);
}

static void
print_json(json_t *doc)
{
    json_dumpf(doc, stdout, JSON_INDENT(1));
    fputc('\n', stdout);
    json_decref(doc);
}

static int
list_settings(int as_json)
{
    json_t *gc = json_array(), *alloc = json_array();
    for (int i = 0; mm_gc_policy_name((mm_gc_policy)i); i++)
        json_array_append_new(gc, json_string(mm_gc_policy_name((mm_gc_policy)i)));
    for (int i = 0; mm_alloc_kind_name((mm_alloc_kind)i); i++)
        json_array_append_new(alloc, json_string(mm_alloc_kind_name((mm_alloc_kind)i)));
    if (as_json) {
        print_json(json_pack("{s:o,s:o}", "gc", gc, "alloc", alloc));
        return 0;
    }
    printf("setting knobs (flag --NAME, suite key, sweep knob; environment MMBENCH_ and\n"
           "the suite key in capitals):\n");
#define BENCH_KNOB_ROW(flag, suite_key, sweep, metavar, help)                            \
    printf("  --%-15s %-9s suite \"%s\", sweep %s\n      %s\n", flag, metavar,          \
           suite_key, sweep, help);
    BENCH_SETTING_KNOBS(BENCH_KNOB_ROW)
#undef BENCH_KNOB_ROW
    printf("\ngc policies:  ");
    for (size_t i = 0; i < json_array_size(gc); i++)
        printf("%s ", json_string_value(json_array_get(gc, i)));
    printf("\nallocators:   ");
    for (size_t i = 0; i < json_array_size(alloc); i++)
        printf("%s ", json_string_value(json_array_get(alloc, i)));
    printf("\n");
    json_decref(gc);
    json_decref(alloc);
    return 0;
}

static int
list_metrics(int as_json)
{
    size_t n;
    const bench_metric_def *d = bench_metrics(&n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        if (as_json)
            json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:b,s:f}", "name", d[i].name,
                                               "unit", d[i].unit, "better", d[i].better,
                                               "required", d[i].required, "min_effect",
                                               d[i].delta));
        else
            printf("%-18s %-8s better %-6s min effect %g%%%s\n", d[i].name, d[i].unit,
                   d[i].better, 100 * d[i].delta, d[i].required ? "" : "  (optional)");
    }
    if (as_json)
        print_json(a);
    else
        json_decref(a);
    return 0;
}

static int
list_charts(int as_json)
{
    const char *const *ids = bench_chart_ids();
    json_t *a = json_array();
    for (size_t i = 0; ids[i]; i++) {
        if (as_json)
            json_array_append_new(a, json_pack("{s:s,s:s}", "id", ids[i], "question",
                                               bench_chart_question(ids[i])));
        else
            printf("%-17s %s\n", ids[i], bench_chart_question(ids[i]));
    }
    if (as_json)
        print_json(a);
    else
        json_decref(a);
    return 0;
}

int
bench_cmd_list(int argc, char **argv)
{
    int as_json = 0, settings = 0, metrics = 0, charts = 0;
    size_t n;
    const scenario *const *r = sc_registry(&n);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(list_usage, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--json")) {
            as_json = 1;
        } else if (!strcmp(argv[i], "settings")) {
            settings = 1;
        } else if (!strcmp(argv[i], "metrics")) {
            metrics = 1;
        } else if (!strcmp(argv[i], "charts")) {
            charts = 1;
        } else if (strcmp(argv[i], "scenarios") != 0) {
            fprintf(stderr,
                    "mmbench: error: list: unknown argument '%s' (see "
                    "'mmbench list --help')\n",
                    argv[i]);
            return 2;
        }
    }
    if (settings)
        return list_settings(as_json);
    if (metrics)
        return list_metrics(as_json);
    if (charts)
        return list_charts(as_json);
    if (as_json) {
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(a, scenario_json(r[i]));
        print_json(a);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        printf("%-14s %s\n", r[i]->name, r[i]->description);
    return 0;
}

int
bench_cmd_describe(int argc, char **argv)
{
    const char *name = NULL;
    const scenario *s;
    int as_json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(describe_usage, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--json")) {
            as_json = 1;
        } else if (argv[i][0] == '-' || name) {
            fprintf(stderr, "mmbench: error: describe: unexpected argument '%s'\n",
                    argv[i]);
            return 2;
        } else {
            name = argv[i];
        }
    }
    if (!name) {
        fputs(describe_usage, stderr);
        return 2;
    }
    if (!(s = sc_find(name))) {
        fprintf(stderr, "mmbench: error: unknown scenario '%s' (see 'mmbench list')\n",
                name);
        return 2;
    }
    if (as_json) {
        print_json(scenario_json(s));
        return 0;
    }
    printf("%s (version %u): %s\nops count: %s\nparameters (--param k=v):\n", s->name,
           s->version, s->description, s->ops_unit);
    for (size_t i = 0; i < s->nparams; i++) {
        const sc_param *p = &s->params[i];
        printf("  %-10s %-4s default %-10g range [%g, %g]  %s\n", p->name,
               p->type == SC_INT ? "int" : "real", p->def, p->min, p->max, p->help);
    }
    return 0;
}
