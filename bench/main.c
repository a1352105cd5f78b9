/* mmbench: command dispatch. Each subcommand lives in its own file.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "run_json.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    { "list", bench_cmd_list, "list the scenarios, or the GC policies and allocators" },
    { "describe", bench_cmd_describe, "describe a scenario and its parameters" },
    { "run", bench_cmd_run,
      "run one scenario under one GC setting; write a result file" },
    { "suite", bench_cmd_suite,
      "run a suite file: scenarios x settings, sweeps, an index" },
    { "job", bench_cmd_job, "run one job of a suite (for GNU parallel and Slurm)" },
    { "merge", bench_cmd_merge,
      "fold job results or other result files into a directory" },
    { "compare", bench_cmd_compare, "compare two results: ratios, 95% CIs, verdicts" },
    { "export", bench_cmd_export,
      "export results as chart TSV, CSV, Chrome trace or JSON" },
    { "report", bench_cmd_report,
      "write the HTML + Markdown report of a results directory" },
    { "claims", bench_cmd_claims,
      "run the seed-claim experiments; write their verdicts" },
    { "replay", bench_cmd_replay,
      "run a validation op script on libmm (CPython oracle)" },
};

static void
usage(FILE *out)
{
    fprintf(out, "usage: mmbench COMMAND [ARGS...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'mmbench COMMAND --help' describes each command.\n");
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "__child") == 0) /* the measured process (runner.c) */
        return bench_child_main(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "mmbench: error: unknown command '%s' (see 'mmbench --help')\n",
            argv[1]);
    return 2;
}
