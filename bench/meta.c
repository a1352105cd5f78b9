/* Result metadata (results-and-reports.md 2.2): tool build, host facts and fingerprint,
 * allow-listed environment, SHA-256 (nettle) and canonical JSON, UTC time stamps.
 * Host facts are read, never guessed: whatever cannot be read is JSON null.
 * SPDX-License-Identifier: MIT */
#include "meta.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <utmpx.h>

#include <nettle/sha2.h>

#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define META_HAVE_CPUID 1
#endif

#include "util.h"

extern char **environ;

#define SYS_CPU "/sys/devices/system/cpu"

/* ---- hashing and canonical JSON ---------------------------------------------------- */

void
bench_sha256(const void *data, size_t n, char out[72])
{
    static const char hex[] = "0123456789abcdef";
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    char *p = out + 7;
    sha256_init(&ctx);
    sha256_update(&ctx, n, data);
    sha256_digest(&ctx, sizeof digest, digest);
    memcpy(out, "sha256:", 7);
    for (size_t i = 0; i < sizeof digest; i++) {
        *p++ = hex[digest[i] >> 4];
        *p++ = hex[digest[i] & 15];
    }
    *p = '\0';
}

char *
bench_canonical_json(const json_t *v)
{
    char *s = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY |
                                JSON_REAL_PRECISION(10));
    /* jansson values cannot hold NaN or invalid UTF-8, so NULL means out of memory. */
    if (!s)
        bench_oom();
    return s;
}

void
bench_sha256_json(const json_t *v, char out[72])
{
    char *s = bench_canonical_json(v);
    bench_sha256(s, strlen(s), out);
    free(s);
}

/* ---- small readers: 0 on success, -1 when the file or value is unreadable ---------- */

/* First line of path without its newline. */
static int
read_line(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "re");
    int ok;
    if (!f)
        return -1;
    ok = fgets(buf, (int)n, f) != NULL;
    if (fclose(f) != 0)
        ok = 0;
    if (!ok)
        return -1;
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

/* A file holding one decimal integer (trailing blanks allowed). */
static int
read_long(const char *path, long *out)
{
    char buf[64], *end;
    long v;
    if (read_line(path, buf, sizeof buf) != 0)
        return -1;
    errno = 0;
    v = strtol(buf, &end, 10);
    if (errno || end == buf)
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return -1;
    *out = v;
    return 0;
}

/* A JSON string, or null for NULL or text that is not UTF-8. */
static json_t *
str_or_null(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

/* A 0/1 file as a JSON boolean (inverted if invert), null if unreadable or other. */
static json_t *
bool_file(const char *path, int invert)
{
    long v;
    if (read_long(path, &v) != 0 || (v != 0 && v != 1))
        return json_null();
    return json_boolean(invert ? !v : v);
}

static char *
trim(char *s)
{
    size_t n;
    while (isspace((unsigned char)*s))
        s++;
    n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* ---- meta.tool --------------------------------------------------------------------- */

static const char *
tool_compiler(void)
{
#if defined(__clang__)
#define META_STR2(x) #x
#define META_STR(x) META_STR2(x)
    return "clang " META_STR(__clang_major__) "." META_STR(__clang_minor__) "." META_STR(
        __clang_patchlevel__);
#elif defined(__GNUC__)
    return "gcc " __VERSION__;
#elif defined(__VERSION__)
    return "unknown " __VERSION__;
#else
    return "unknown";
#endif
}

static json_t *
tool_git_commit(void)
{
    const char *c = MMBENCH_GIT_COMMIT;
    if (strlen(c) != 40 || strspn(c, "0123456789abcdef") != 40)
        return json_null();
    return json_string(c);
}

static json_t *
tool_git_dirty(void)
{
    int d = MMBENCH_GIT_DIRTY;
    return d == 0 || d == 1 ? json_boolean(d) : json_null();
}

/* meta.tool.cflags: the build's compiler flags (bench/meson.build), led by -DNDEBUG when
 * this file was compiled with it (b_ndebug applies the same to every target). */
#ifdef NDEBUG
#define META_CFLAGS "-DNDEBUG " MMBENCH_CFLAGS
#else
#define META_CFLAGS MMBENCH_CFLAGS
#endif

json_t *
bench_tool_json(void)
{
    char fp[BENCH_SHA256_STR];
    json_t *commit = tool_git_commit();
    json_t *basis =
        json_pack("{s:s,s:O,s:s,s:s}", "version", MMBENCH_VERSION, "git_commit", commit,
                  "compiler", tool_compiler(), "cflags", META_CFLAGS);
    bench_sha256_json(basis, fp);
    json_decref(basis);
    return json_pack("{s:s,s:s,s:o,s:o,s:s,s:s,s:s,s:s,s:s,s:s}", "name", "mmbench",
                     "version", MMBENCH_VERSION, "git_commit", commit, "git_dirty",
                     tool_git_dirty(), "build_type", MMBENCH_BUILD_TYPE, "compiler",
                     tool_compiler(), "cflags", META_CFLAGS, "ldflags", MMBENCH_LDFLAGS,
                     "jansson_version", JANSSON_VERSION, "build_fingerprint", fp);
}

/* ---- /proc/cpuinfo: model, physical cores, hypervisor flag ------------------------- */

typedef struct cpuinfo_facts {
    char model[256];
    int model_rank; /* 3 "model name", 2 "Processor", 1 "cpu", 0 none */
    long (*pairs)[2]; /* unique (physical id, core id) */
    size_t npairs, cap;
    size_t nprocs, nprocs_paired;
    long phys, core; /* of the current processor block, -1 if not seen */
} cpuinfo_facts;

static void
cpuinfo_flush(cpuinfo_facts *ci)
{
    size_t i;
    if (ci->phys < 0 || ci->core < 0)
        return;
    ci->nprocs_paired++;
    for (i = 0; i < ci->npairs; i++)
        if (ci->pairs[i][0] == ci->phys && ci->pairs[i][1] == ci->core)
            return;
    if (ci->npairs == ci->cap) {
        ci->cap = ci->cap ? 2 * ci->cap : 64;
        ci->pairs = bench_xrealloc(ci->pairs, ci->cap * sizeof *ci->pairs);
    }
    ci->pairs[ci->npairs][0] = ci->phys;
    ci->pairs[ci->npairs][1] = ci->core;
    ci->npairs++;
}

static void
cpuinfo_model(cpuinfo_facts *ci, const char *key, const char *val)
{
    int rank = !strcmp(key, "model name") ? 3 : !strcmp(key, "Processor") ? 2
               : !strcmp(key, "cpu")      ? 1
                                          : 0;
    if (rank > ci->model_rank && *val) {
        snprintf(ci->model, sizeof ci->model, "%s", val);
        ci->model_rank = rank;
    }
}

/* One "key : value" line. */
static void
cpuinfo_line(cpuinfo_facts *ci, char *line)
{
    char *colon = strchr(line, ':'), *key, *val;
    if (!colon)
        return;
    *colon = '\0';
    key = trim(line);
    val = trim(colon + 1);
    if (!strcmp(key, "processor")) {
        cpuinfo_flush(ci);
        ci->nprocs++;
        ci->phys = ci->core = -1;
    } else if (!strcmp(key, "physical id")) {
        ci->phys = strtol(val, NULL, 10);
    } else if (!strcmp(key, "core id")) {
        ci->core = strtol(val, NULL, 10);
    } else {
        cpuinfo_model(ci, key, val);
    }
}

/* Returns 0, or -1 if /proc/cpuinfo could not be read completely. */
static int
cpuinfo_read(cpuinfo_facts *ci)
{
    FILE *f = fopen("/proc/cpuinfo", "re");
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    memset(ci, 0, sizeof *ci);
    ci->phys = ci->core = -1;
    if (!f)
        return -1;
    while (getline(&line, &cap, f) >= 0)
        cpuinfo_line(ci, line);
    cpuinfo_flush(ci);
    if (ferror(f))
        rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    free(line);
    return rc;
}

/* ---- single host facts ------------------------------------------------------------- */

static json_t *
host_hostname(int anonymize)
{
    char name[256];
    if (anonymize || gethostname(name, sizeof name) != 0)
        return json_null();
    name[sizeof name - 1] = '\0';
    return str_or_null(name);
}

static json_t *
host_sysconf(int what, long min)
{
    long v = sysconf(what);
    return v >= min ? json_integer(v) : json_null();
}

static json_t *
host_numa_nodes(void)
{
    glob_t g;
    json_t *r = json_null();
    if (glob("/sys/devices/system/node/node[0-9]*", GLOB_NOSORT, NULL, &g) == 0) {
        if (g.gl_pathc > 0)
            r = json_integer((json_int_t)g.gl_pathc);
        globfree(&g);
    }
    return r;
}

static json_t *
host_mem_total(void)
{
    FILE *f = fopen("/proc/meminfo", "re");
    char line[256];
    unsigned long long kb;
    json_t *r = json_null();
    if (!f)
        return r;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "MemTotal: %llu kB", &kb) == 1) {
            if (kb > 0 && kb <= (unsigned long long)INT64_MAX / 1024)
                r = json_integer((json_int_t)(kb * 1024));
            break;
        }
    if (fclose(f) != 0 && json_is_integer(r)) {
        json_decref(r);
        r = json_null();
    }
    return r;
}

/* The bracketed word of transparent_hugepage/enabled, e.g. "always [madvise] never". */
static json_t *
host_thp(void)
{
    char buf[256], *lb, *rb;
    if (read_line("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof buf) != 0)
        return json_null();
    lb = strchr(buf, '[');
    rb = lb ? strchr(lb, ']') : NULL;
    if (!rb || rb == lb + 1)
        return json_null();
    *rb = '\0';
    return str_or_null(lb + 1);
}

static json_t *
host_kernel(const struct utsname *u)
{
    if (!u)
        return json_pack("{s:n,s:n,s:n}", "sysname", "release", "version");
    return json_pack("{s:o,s:o,s:o}", "sysname", str_or_null(u->sysname), "release",
                     str_or_null(u->release), "version", str_or_null(u->version));
}

/* Shell-style value of os-release: optional quotes, backslash escapes inside. */
static void
os_release_unquote(char *s)
{
    char q = (*s == '"' || *s == '\'') ? *s : 0, *w = s;
    const char *r = s + (q != 0);
    for (; *r && *r != q; r++) {
        if (q == '"' && *r == '\\' && r[1])
            r++;
        *w++ = *r;
    }
    *w = '\0';
}

static json_t *
os_release_from(const char *path)
{
    FILE *f = fopen(path, "re");
    char line[512];
    json_t *r = NULL;
    if (!f)
        return NULL;
    while (!r && fgets(line, sizeof line, f)) {
        if (strncmp(line, "PRETTY_NAME=", 12) != 0)
            continue;
        line[strcspn(line, "\n")] = '\0';
        os_release_unquote(line + 12);
        r = str_or_null(line + 12);
    }
    if (ferror(f) && r) {
        json_decref(r);
        r = NULL;
    }
    fclose(f);
    return r ? r : json_null();
}

/* PRETTY_NAME of /etc/os-release, or of /usr/lib/os-release when the former is absent. */
static json_t *
host_os_release(void)
{
    json_t *r = os_release_from("/etc/os-release");
    return r ? r : (r = os_release_from("/usr/lib/os-release")) ? r : json_null();
}

static json_t *
host_libc(void)
{
#ifdef __GLIBC__
    return json_pack("{s:s,s:o}", "name", "glibc", "version",
                     str_or_null(gnu_get_libc_version()));
#else
    return json_pack("{s:s,s:n}", "name", "unknown", "version");
#endif
}

/* The CPUs of the affinity mask; NULL if it cannot be read. *size gets the set size. */
static cpu_set_t *
affinity_mask(int *ncpus, size_t *size)
{
    for (int n = 1024; n <= (1 << 20); n *= 2) {
        cpu_set_t *set = CPU_ALLOC(n);
        if (!set)
            return NULL;
        *size = CPU_ALLOC_SIZE(n);
        if (sched_getaffinity(0, *size, set) == 0) {
            *ncpus = n;
            return set;
        }
        CPU_FREE(set);
        if (errno != EINVAL)
            return NULL;
    }
    return NULL;
}

/* Governor of one CPU into buf; -1 if unreadable. */
static int
cpu_governor_of(int cpu, char *buf, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, SYS_CPU "/cpu%d/cpufreq/scaling_governor", cpu);
    return read_line(path, buf, n) == 0 && buf[0] ? 0 : -1;
}

/* scaling_governor of every CPU the process may run on; "mixed" if they differ; null if
 * any of them is unreadable. */
static json_t *
host_cpu_governor(void)
{
    char first[64] = "", cur[64];
    int ncpus, bad = 0, mixed = 0;
    size_t size;
    cpu_set_t *set = affinity_mask(&ncpus, &size);
    if (!set)
        return json_null();
    for (int c = 0; c < ncpus && !bad; c++) {
        if (!CPU_ISSET_S(c, size, set))
            continue;
        if (cpu_governor_of(c, cur, sizeof cur) != 0)
            bad = 1;
        else if (!first[0])
            memcpy(first, cur, sizeof first);
        else if (strcmp(first, cur) != 0)
            mixed = 1;
    }
    CPU_FREE(set);
    if (bad || !first[0])
        return json_null();
    return json_string(mixed ? "mixed" : first);
}

static json_t *
host_cpu_boost(void)
{
    json_t *b = bool_file(SYS_CPU "/cpufreq/boost", 0);
    if (json_is_null(b)) {
        json_decref(b);
        b = bool_file(SYS_CPU "/intel_pstate/no_turbo", 1);
    }
    return b;
}

static json_t *
host_aslr(void)
{
    long v;
    if (read_long("/proc/sys/kernel/randomize_va_space", &v) != 0 || v < 0 || v > 2)
        return json_null();
    return json_integer(v);
}

static json_t *
host_load_avg(void)
{
    double l;
    if (getloadavg(&l, 1) != 1 || !(l >= 0))
        return json_null();
    return json_real(l);
}

/* USER_PROCESS entries of utmp; null when utmp is absent or a read fails. */
static json_t *
host_users(void)
{
    struct utmpx *u;
    json_int_t n = 0;
    int err;
    if (access(UTMPX_FILE, R_OK) != 0)
        return json_null();
    errno = 0;
    setutxent();
    while ((u = getutxent()) != NULL)
        if (u->ut_type == USER_PROCESS)
            n++;
    err = errno;
    endutxent();
    return err ? json_null() : json_integer(n);
}

static json_t *
host_clock(void)
{
    struct timespec res;
    json_t *ns = json_null();
    if (clock_getres(CLOCK_MONOTONIC, &res) == 0) {
        long long v = (long long)res.tv_sec * 1000000000LL + res.tv_nsec;
        if (v >= 1)
            ns = json_integer(v);
    }
    return json_pack("{s:s,s:o}", "id", "CLOCK_MONOTONIC", "resolution_ns", ns);
}

/* ---- virtualization ---------------------------------------------------------------- */

/* Known virtual platforms by DMI vendor/product text (systemd-detect-virt's names). */
static const char *
virt_from_dmi(void)
{
    static const struct { const char *needle, *name; } known[] = {
        {"Amazon EC2", "amazon"}, {"Google Compute Engine", "google"}, {"KVM", "kvm"},
        {"QEMU", "qemu"}, {"VMware", "vmware"}, {"VirtualBox", "oracle"},
        {"innotek", "oracle"}, {"Xen", "xen"}, {"Bochs", "bochs"},
        {"Parallels", "parallels"}, {"BHYVE", "bhyve"}, {"Virtual Machine", "microsoft"},
        {"Firecracker", "kvm"},
    };
    static const char *const files[] = {"/sys/class/dmi/id/product_name",
                                        "/sys/class/dmi/id/sys_vendor",
                                        "/sys/class/dmi/id/board_vendor",
                                        "/sys/class/dmi/id/bios_vendor"};
    char buf[256];
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        if (read_line(files[f], buf, sizeof buf) != 0)
            continue;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strstr(buf, known[k].needle))
                return known[k].name;
    }
    return NULL;
}

#ifdef META_HAVE_CPUID
/* The hypervisor's CPUID signature (leaf 0x40000000), mapped to a name. */
static const char *
virt_from_cpuid(char sig[13])
{
    static const struct { const char *sig, *name; } known[] = {
        {"KVMKVMKVM", "kvm"},           {"Microsoft Hv", "microsoft"},
        {"VMwareVMware", "vmware"},     {"XenVMMXenVMM", "xen"},
        {"TCGTCGTCGTCG", "qemu"},       {"bhyve bhyve ", "bhyve"},
        {"VBoxVBoxVBox", "oracle"},     {"ACRNACRNACRN", "acrn"},
        {" prl hyperv  ", "parallels"}, {"QNXQVMBSQG", "qnx"},
        {"VirtualApple", "apple"},
    };
    unsigned a, b, c, d;
    __cpuid(0x40000000, a, b, c, d);
    (void)a;
    memcpy(sig, &b, 4);
    memcpy(sig + 4, &c, 4);
    memcpy(sig + 8, &d, 4);
    sig[12] = '\0';
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
        if (!strcmp(sig, known[k].sig))
            return known[k].name;
    return NULL;
}

/* x86: the CPUID "hypervisor present" bit decides; "none" when it is clear. The name
 * comes from the signature; an unknown printable signature is given as it is. */
static json_t *
virt_x86(void)
{
    unsigned a, b, c, d;
    char sig[13], *t;
    const char *name;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return json_null();
    if (!(c & (1u << 31)))
        return json_string("none");
    if ((name = virt_from_cpuid(sig)) != NULL)
        return json_string(name);
    t = trim(sig);
    for (const char *p = t; *p; p++)
        if (!isprint((unsigned char)*p))
            return json_null();
    return *t ? json_string(t) : json_null();
}
#endif

static json_t *
host_virtualization(void)
{
    char buf[64];
    const char *dmi = virt_from_dmi();
    if (dmi)
        return json_string(dmi);
    if (read_line("/sys/hypervisor/type", buf, sizeof buf) == 0 && buf[0])
        return str_or_null(trim(buf));
#ifdef META_HAVE_CPUID
    return virt_x86();
#else
    return json_null();
#endif
}

/* ---- meta.host --------------------------------------------------------------------- */

/* Facts that come from /proc/cpuinfo. */
static void
host_set_cpuinfo(json_t *h)
{
    cpuinfo_facts ci;
    int ok = cpuinfo_read(&ci) == 0;
    json_object_set_new(h, "cpu_model",
                        ok && ci.model_rank ? str_or_null(ci.model) : json_null());
    json_object_set_new(h, "physical_cores",
                        ok && ci.npairs && ci.nprocs_paired == ci.nprocs
                            ? json_integer((json_int_t)ci.npairs)
                            : json_null());
    free(ci.pairs);
}

/* Adds arch .. page_size_bytes (the schema's order after cpu_model). */
static void
host_set_sizes(json_t *h, const struct utsname *u)
{
    json_object_set_new(h, "arch", u ? str_or_null(u->machine) : json_null());
    json_object_set_new(h, "logical_cpus", host_sysconf(_SC_NPROCESSORS_ONLN, 1));
    host_set_cpuinfo(h);
    json_object_set_new(h, "numa_nodes", host_numa_nodes());
    json_object_set_new(h, "mem_total_bytes", host_mem_total());
    json_object_set_new(h, "page_size_bytes", host_sysconf(_SC_PAGESIZE, 512));
}

json_t *
bench_host_json(int anonymize)
{
    char fp[BENCH_SHA256_STR];
    struct utsname u;
    int have_u = uname(&u) == 0;
    json_t *h = json_object();
    json_object_set_new(h, "hostname", host_hostname(anonymize));
    /* filled below; keeps key order */
    json_object_set_new(h, "fingerprint", json_null());
    json_object_set_new(h, "cpu_model", json_null());
    host_set_sizes(h, have_u ? &u : NULL);
    json_object_set_new(h, "thp", host_thp());
    json_object_set_new(h, "kernel", host_kernel(have_u ? &u : NULL));
    json_object_set_new(h, "os_release", host_os_release());
    json_object_set_new(h, "libc", host_libc());
    json_object_set_new(h, "cpu_governor", host_cpu_governor());
    json_object_set_new(h, "cpu_boost", host_cpu_boost());
    json_object_set_new(h, "smt_active", bool_file(SYS_CPU "/smt/active", 0));
    json_object_set_new(h, "aslr", host_aslr());
    json_object_set_new(h, "virtualization", host_virtualization());
    json_object_set_new(h, "load_avg_1m", host_load_avg());
    json_object_set_new(h, "users_logged_in", host_users());
    json_object_set_new(h, "clock", host_clock());
    bench_host_fingerprint(h, fp);
    json_object_set_new(h, "fingerprint", json_string(fp));
    return h;
}

/* A member of host, or null when it is missing. Returns: new reference. */
static json_t *
member_or_null(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return v ? json_incref(v) : json_null();
}

void
bench_host_fingerprint(const json_t *host, char out[72])
{
    json_t *mem = json_object_get(host, "mem_total_bytes");
    json_t *kernel = json_object_get(host, "kernel");
    json_int_t bytes = json_integer_value(mem);
    /* GiB rounded half up, in integers (exact for every byte count) */
    json_t *gib = json_is_integer(mem) && bytes >= 0
                      ? json_integer((json_int_t)(((uint64_t)bytes + (1ULL << 29)) >> 30))
                      : json_null();
    json_t *basis = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "cpu_model",
        member_or_null(host, "cpu_model"), "arch", member_or_null(host, "arch"),
        "logical_cpus", member_or_null(host, "logical_cpus"), "mem_total_gib", gib,
        "kernel", member_or_null(kernel, "release"), "libc", member_or_null(host, "libc"),
        "cpu_governor", member_or_null(host, "cpu_governor"), "cpu_boost",
        member_or_null(host, "cpu_boost"), "smt_active",
        member_or_null(host, "smt_active"));
    bench_sha256_json(basis, out);
    json_decref(basis);
}

/* ---- meta.env ---------------------------------------------------------------------- */

int
bench_env_allowed(const char *name)
{
    static const char *const prefixes[] = {"MMBENCH_", "MALLOC_", "MIMALLOC_"};
    static const char *const exact[] = {"MALLOC_CONF", "GLIBC_TUNABLES", "LD_PRELOAD",
                                        "LD_BIND_NOW", "LC_ALL",         "LANG"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
            return 1;
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (!strcmp(name, exact[i]))
            return 1;
    return 0;
}

char *
bench_preload_basenames(const char *value)
{
    char *out = bench_xmalloc(strlen(value) + 1), *w = out;
    const char *p = value;
    while (*p) {
        size_t sep = strspn(p, " :"), len;
        const char *slash;
        memcpy(w, p, sep);
        w += sep;
        p += sep;
        len = strcspn(p, " :");
        slash = memrchr(p, '/', len);
        if (slash) {
            memcpy(w, slash + 1, (size_t)(p + len - slash - 1));
            w += p + len - slash - 1;
        } else {
            memcpy(w, p, len);
            w += len;
        }
        p += len;
    }
    *w = '\0';
    return out;
}

/* value as a JSON string; bytes that are not UTF-8 become '?'. Returns: new reference. */
static json_t *
env_string(const char *value)
{
    json_t *j = json_string(value);
    char *copy;
    if (j)
        return j;
    copy = bench_xstrdup(value);
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    j = json_string(copy);
    free(copy);
    return j ? j : json_string("");
}

static int
env_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

json_t *
bench_env_json(int anonymize)
{
    size_t n = 0, k = 0;
    char **vars;
    json_t *env = json_object();
    while (environ && environ[n])
        n++;
    vars = bench_xcalloc(n + 1, sizeof *vars);
    for (size_t i = 0; i < n; i++) {
        char *eq = strchr(environ[i], '=');
        if (!eq)
            continue;
        vars[k] = bench_xmalloc((size_t)(eq - environ[i]) + 1);
        memcpy(vars[k], environ[i], (size_t)(eq - environ[i]));
        vars[k][eq - environ[i]] = '\0';
        if (bench_env_allowed(vars[k]))
            k++;
        else
            free(vars[k]);
    }
    qsort(vars, k, sizeof *vars, env_cmp);
    for (size_t i = 0; i < k; i++) {
        const char *v = getenv(vars[i]);
        char *base = v && anonymize && !strcmp(vars[i], "LD_PRELOAD")
                         ? bench_preload_basenames(v) : NULL;
        if (v)
            json_object_set_new(env, vars[i], env_string(base ? base : v));
        free(base);
        free(vars[i]);
    }
    free(vars);
    return env;
}

/* ---- UTC time stamps --------------------------------------------------------------- */

void
bench_utc_string(const struct timespec *ts, char *out, size_t n)
{
    struct tm tm;
    char sec[32];
    if (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L || !gmtime_r(&ts->tv_sec, &tm) ||
        !strftime(sec, sizeof sec, "%Y-%m-%dT%H:%M:%S", &tm) ||
        snprintf(out, n, "%s.%03ldZ", sec, (long)(ts->tv_nsec / 1000000)) >= (int)n) {
        if (n)
            out[0] = '\0';
    }
}

void
bench_utc_compact(const struct timespec *ts, char *out, size_t n)
{
    struct tm tm;
    if (!n)
        return;
    if (!gmtime_r(&ts->tv_sec, &tm) || !strftime(out, n, "%Y%m%dT%H%M%SZ", &tm))
        out[0] = '\0';
}
