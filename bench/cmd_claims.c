/* `mmbench claims`: run the seed-claim experiments (claims.c) and write their verdicts.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "claims.h"
#include "commands.h"
#include "output.h"

static const char claims_usage[] =
    "usage: mmbench claims [-o FILE|-] [--pretty] [--force]\n"
    "\n"
    "Run one small live experiment on libmm for every memory claim of the seed note and\n"
    "write {\"schema\": \"" BENCH_CLAIMS_SCHEMA
    "\", \"claims\": [...]}: per claim its id, the\n"
    "claim, the experiment, the measured values, a verdict computed from them (true,\n"
    "false, partly, outdated, or inconclusive when this machine could not test the\n"
    "claim, e.g. the GIL row with fewer than two free CPUs) and that verdict in plain\n"
    "words. The JSON goes to FILE (default: stdout); one summary line per claim goes to\n"
    "stderr. An existing FILE is overwritten only with --force. Takes well under a\n"
    "second.\n";

typedef struct claims_args {
    const char *out;
    int pretty, force;
} claims_args;

/* 0 when parsed, 1 after --help, 2 on a bad flag (message printed). */
static int
claims_parse(int argc, char **argv, claims_args *a)
{
    static const struct option opts[] = {
        { "output", required_argument, 0, 'o' },
        { "pretty", no_argument, 0, 'p' },
        { "force", no_argument, 0, 'F' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 },
    };
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        if (c == 'o')
            a->out = optarg;
        else if (c == 'p')
            a->pretty = 1;
        else if (c == 'F')
            a->force = 1;
        else if (c == 'h') {
            fputs(claims_usage, stdout);
            return 1;
        } else {
            fprintf(stderr,
                    "mmbench: error: claims: unknown or incomplete option '%s' "
                    "(see 'mmbench claims --help')\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "mmbench: error: claims: unexpected argument '%s'\n",
                argv[optind]);
        return 2;
    }
    return 0;
}

static void
claims_summary(json_t *doc, FILE *f)
{
    json_t *claim;
    size_t i;
    json_array_foreach(json_object_get(doc, "claims"), i, claim)
    {
        const char *text = json_string_value(json_object_get(claim, "claim"));
        int cut = strlen(text) > 56; /* one 80-column terminal line per claim */
        fprintf(f, "%-10s %-12s %.*s%s\n",
                json_string_value(json_object_get(claim, "id")),
                json_string_value(json_object_get(claim, "verdict")), cut ? 53 : 56, text,
                cut ? "..." : "");
    }
}

int
bench_cmd_claims(int argc, char **argv)
{
    claims_args a = { "-", 0, 0 };
    char err[512];
    json_t *doc;
    int rc = claims_parse(argc, argv, &a);
    if (rc) return rc == 1 ? 0 : rc;
    if (bench_output_check(a.out, a.force) != 0) return 2;
    if (!(doc = bench_claims_run(err, sizeof err))) {
        fprintf(stderr, "mmbench: error: claims: %s\n", err);
        return 1;
    }
    rc = bench_output_write(a.out, doc, a.pretty);
    claims_summary(doc, stderr);
    json_decref(doc);
    return rc;
}
