/* Result metadata (results-and-reports.md 2.2): tool build, host facts and fingerprint,
 * allow-listed environment, SHA-256 and canonical JSON, UTC time stamps.
 * Design: docs/design/measurement.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_META_H
#define BENCH_META_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#if defined(__has_include)
#if __has_include("build_commit.h")
#include "build_commit.h"
#endif
#if __has_include("build_dirty.h")
#include "build_dirty.h"
#endif
#endif

/* Build facts; the build defines them, these defaults only keep the file compilable. */
#ifndef MMBENCH_VERSION
#define MMBENCH_VERSION "0.0.0+unknown"
#endif
#ifndef MMBENCH_GIT_COMMIT
#define MMBENCH_GIT_COMMIT "" /* 40 lowercase hex, or "" when unknown */
#endif
#ifndef MMBENCH_GIT_DIRTY
#define MMBENCH_GIT_DIRTY (-1) /* 0 clean, 1 dirty, -1 unknown */
#endif
#ifndef MMBENCH_BUILD_TYPE
#if defined(__SANITIZE_ADDRESS__)
#define MMBENCH_BUILD_TYPE "sanitize"
#elif defined(NDEBUG)
#define MMBENCH_BUILD_TYPE "release"
#else
#define MMBENCH_BUILD_TYPE "debug"
#endif
#endif
#ifndef MMBENCH_CFLAGS
#define MMBENCH_CFLAGS ""
#endif
#ifndef MMBENCH_LDFLAGS
#define MMBENCH_LDFLAGS ""
#endif

/* Size of a "sha256:<64 hex>" string with its terminator, rounded up. */
#define BENCH_SHA256_STR 72

/* "sha256:<64 lowercase hex>" of the n bytes at data, into out.
 * Returns: no reference. */
void bench_sha256(const void *data, size_t n, char out[72]);

/* Canonical JSON of v: sorted keys, no spaces, reals with 10 significant digits
 * (JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(10)).
 * Returns: a new string; the caller frees it with free(). Aborts on out-of-memory. */
char *bench_canonical_json(const json_t *v);

/* bench_sha256 of bench_canonical_json(v), into out.
 * Returns: no reference; v is borrowed. */
void bench_sha256_json(const json_t *v, char out[72]);

/* meta.tool: name, version, git_commit (or null), git_dirty (or null), build_type,
 * compiler, cflags, ldflags, jansson_version, build_fingerprint (sha256 of canonical JSON
 * of {version, git_commit, compiler, cflags}), in the schema's key order.
 * Returns: new reference. */
json_t *bench_tool_json(void);

/* meta.host, read from /proc, /sys, uname, sysconf, utmp and libc each time it is called
 * (call it once per result). Every key of the schema's host definition, in its order;
 * an unreadable fact is null, never guessed. anonymize != 0 nulls hostname.
 * Returns: new reference. */
json_t *bench_host_json(int anonymize);

/* host.fingerprint of a host object: sha256 of canonical JSON of {cpu_model, arch,
 * logical_cpus, mem_total_gib (rounded to an integer, null if mem_total_bytes is),
 * kernel (release string), libc, cpu_governor, cpu_boost, smt_active}. Missing keys count
 * as null. Used to build host and to re-check a host read back from a file.
 * Returns: no reference; host is borrowed. */
void bench_host_fingerprint(const json_t *host, char out[72]);

/* meta.env: the set variables among MMBENCH_*, MALLOC_*, MIMALLOC_*, MALLOC_CONF,
 * GLIBC_TUNABLES, LD_PRELOAD, LD_BIND_NOW, LC_ALL, LANG, keys sorted. anonymize != 0
 * reduces each LD_PRELOAD entry (space or colon separated) to its basename.
 * Returns: new reference. */
json_t *bench_env_json(int anonymize);

/* 1 if the environment variable name is on the meta.env allow-list, else 0. */
int bench_env_allowed(const char *name);

/* LD_PRELOAD value with every entry reduced to its basename, separators kept.
 * Returns: a new string from bench_xmalloc; the caller frees it. */
char *bench_preload_basenames(const char *value);

/* UTC "YYYY-MM-DDThh:mm:ss.fffZ" of a CLOCK_REALTIME time into out (n >= 32); "" if the
 * time cannot be represented. */
void bench_utc_string(const struct timespec *ts, char *out, size_t n);

/* Compact UTC "YYYYMMDDThhmmssZ" used in result ids, into out (n >= 17); "" as above. */
void bench_utc_compact(const struct timespec *ts, char *out, size_t n);

#endif
