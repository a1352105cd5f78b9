/* The mmbench subcommands: each is `int bench_cmd_<name>(int argc, char **argv)` with
 * argv[0] the command name; returns the process exit status (results-and-reports.md 8.2).
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_COMMANDS_H
#define BENCH_COMMANDS_H

int bench_cmd_replay(int argc, char **argv);
int bench_cmd_list(int argc, char **argv);
int bench_cmd_describe(int argc, char **argv);
int bench_cmd_run(int argc, char **argv);
int bench_cmd_suite(int argc, char **argv);
int bench_cmd_job(int argc, char **argv);
int bench_cmd_merge(int argc, char **argv);
int bench_cmd_compare(int argc, char **argv);
int bench_cmd_claims(int argc, char **argv);
int bench_cmd_export(int argc, char **argv);
int bench_cmd_report(int argc, char **argv);

#endif
