/* Fork + exec of the measured child and classification of how it ended (2.4).
 * Design: docs/design/measurement.md ("One process per run").
 * SPDX-License-Identifier: MIT */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "meta.h"
#include "recorder.h"
#include "run_json.h"
#include "util.h"

/* Exit status of a child that could not be pinned (beside run_json.h's codes). */
#define CHILD_EXIT_PIN 22

volatile sig_atomic_t bench_interrupted;

static void
on_signal(int sig)
{
    bench_interrupted = sig;
}

void
bench_install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

static void
buf_add(buf *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = bench_xrealloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

/* The library put in LD_PRELOAD for mimalloc/jemalloc: the file meson located, or
 * $MMBENCH_PRELOAD_MIMALLOC / $MMBENCH_PRELOAD_JEMALLOC (another build of the
 * allocator). */
static const char *
preload_path(mm_alloc_kind k)
{
    const char *env = NULL;
    if (k == MM_ALLOC_MIMALLOC)
        env = getenv("MMBENCH_PRELOAD_MIMALLOC");
    else if (k == MM_ALLOC_JEMALLOC)
        env = getenv("MMBENCH_PRELOAD_JEMALLOC");
    if (env && *env)
        return env;
    if (k == MM_ALLOC_MIMALLOC)
        return MM_PRELOAD_MIMALLOC;
    if (k == MM_ALLOC_JEMALLOC)
        return MM_PRELOAD_JEMALLOC;
    return NULL;
}

/* In the forked child: environment, pinning, limits, then exec. Never returns. */
static void
exec_child(const bench_experiment *e, const char *spec, int out_fd, int err_fd)
{
    const char *pre = preload_path(e->set.alloc);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    if (pre) {
#ifdef MMBENCH_SANITIZE
        fprintf(stderr,
                "mmbench: error: --alloc %s is not available in a sanitizer build "
                "(AddressSanitizer replaces malloc itself); use a release build\n",
                mm_alloc_kind_name(e->set.alloc));
        _exit(BENCH_CHILD_EXIT_ALLOC);
#endif
        if (!*pre) {
            fprintf(stderr,
                    "mmbench: error: --alloc %s: lib%s.so.2 was not found at build "
                    "time (Debian: apt-get install lib%s-dev, then rebuild)\n",
                    mm_alloc_kind_name(e->set.alloc), mm_alloc_kind_name(e->set.alloc),
                    mm_alloc_kind_name(e->set.alloc));
            _exit(BENCH_CHILD_EXIT_ALLOC);
        }
        setenv("LD_PRELOAD", pre, 1);
    }
    if (e->m.pin_cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(e->m.pin_cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) {
            fprintf(stderr, "mmbench: error: --pin: cannot pin to CPU %d: %s\n",
                    e->m.pin_cpu, strerror(errno));
            _exit(CHILD_EXIT_PIN);
        }
    }
#ifndef MMBENCH_SANITIZE
    if (e->m.mem_limit_bytes) {
        /* Slack for code, stacks and the harness: the heap budget trips first. */
        struct rlimit rl = { e->m.mem_limit_bytes + (512u << 20),
                             e->m.mem_limit_bytes + (512u << 20) };
        setrlimit(RLIMIT_AS, &rl);
    }
#endif
    execl("/proc/self/exe", "mmbench", "__child", spec, (char *)NULL);
    fprintf(stderr, "mmbench: error: exec /proc/self/exe: %s\n", strerror(errno));
    _exit(1);
}

typedef struct child_io {
    int out_fd, err_fd;
    buf out, err;
} child_io;

static int
spawn(const bench_experiment *e, json_t *spec_json, child_io *io, bench_child_result *res)
{
    int po[2], pe[2];
    char *spec = json_dumps(spec_json, JSON_COMPACT);
    if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC)) {
        free(spec);
        return -1;
    }
    fflush(NULL);
    res->pid = fork();
    if (res->pid == 0)
        exec_child(e, spec, po[1], pe[1]);
    free(spec);
    close(po[1]);
    close(pe[1]);
    io->out_fd = po[0];
    io->err_fd = pe[0];
    if (res->pid < 0) {
        close(po[0]);
        close(pe[0]);
        return -1;
    }
    return 0;
}

static void
drain(int *fd, buf *b)
{
    char tmp[65536];
    ssize_t n = read(*fd, tmp, sizeof tmp);
    if (n > 0) {
        buf_add(b, tmp, (size_t)n);
        return;
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    close(*fd);
    *fd = -1;
}

/* Read both pipes until EOF; SIGKILL at the deadline or on interruption. */
static void
collect(child_io *io, bench_child_result *res, double timeout_s, uint64_t t0)
{
    struct rusage ru;
    while (io->out_fd >= 0 || io->err_fd >= 0) {
        struct pollfd p[2] = { { io->out_fd, POLLIN, 0 }, { io->err_fd, POLLIN, 0 } };
        int rc = poll(p, 2, 100);
        uint64_t now = bench_now_ns();
        if ((timeout_s > 0 && (double)(now - t0) / 1e9 > timeout_s) ||
            bench_interrupted) {
            res->timed_out = !bench_interrupted;
            kill(res->pid, SIGKILL);
            break;
        }
        if (rc <= 0)
            continue;
        if (p[0].revents && io->out_fd >= 0)
            drain(&io->out_fd, &io->out);
        if (p[1].revents && io->err_fd >= 0)
            drain(&io->err_fd, &io->err);
    }
    while (wait4(res->pid, &res->wstatus, 0, &ru) < 0 && errno == EINTR)
        ;
    res->duration_ns = bench_now_ns() - t0;
    if (io->out_fd >= 0)
        close(io->out_fd);
    if (io->err_fd >= 0)
        close(io->err_fd);
}

void
bench_child_spawn_collect(const bench_experiment *e, json_t *spec,
                          bench_child_result *res)
{
    child_io io;
    uint64_t t0 = bench_now_ns();
    memset(&io, 0, sizeof io);
    memset(res, 0, sizeof *res);
    if (spawn(e, spec, &io, res) != 0) {
        res->spawn_failed = 1;
        res->spawn_errno = errno;
        res->pid = 1;
        return;
    }
    collect(&io, res, e->m.timeout_s, t0);
    buf_add(&io.out, "", 0);
    buf_add(&io.err, "", 0);
    res->out = io.out.data;
    res->out_len = io.out.len;
    res->err = io.err.data;
    res->err_len = io.err.len;
}

void
bench_child_result_free(bench_child_result *res)
{
    free(res->out);
    free(res->err);
    res->out = res->err = NULL;
}

char *
bench_child_last_line(const char *data, size_t len)
{
    size_t end = len, start;
    char *s;
    while (end && (data[end - 1] == '\n' || data[end - 1] == '\r'))
        end--;
    start = end;
    while (start && data[start - 1] != '\n')
        start--;
    if (start == end)
        return bench_xstrdup("exited without a message");
    s = bench_xmalloc(end - start + 1);
    memcpy(s, data + start, end - start);
    s[end - start] = 0;
    return s;
}

/* "0-3,6" for the CPUs in set. */
static void
cpu_list(const cpu_set_t *set, char *out, size_t n)
{
    size_t len = 0;
    out[0] = 0;
    for (int c = 0; c < CPU_SETSIZE && len < n; c++) {
        int last = c;
        if (!CPU_ISSET(c, set))
            continue;
        while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, set))
            last++;
        len += (size_t)snprintf(out + len, n - len, last > c ? "%s%d-%d" : "%s%d",
                                len ? "," : "", c, last);
        c = last;
    }
}

/* pin_cpu must be a CPU this process may run on (8.2): 0, or 2 after the message. An
 * unreadable mask is left to the child, whose failing sched_setaffinity is an error. */
static int
pin_check(int cpu)
{
    cpu_set_t set;
    char allowed[256];
    if (cpu < 0 || sched_getaffinity(0, sizeof set, &set) != 0)
        return 0;
    if (cpu < CPU_SETSIZE && CPU_ISSET(cpu, &set))
        return 0;
    cpu_list(&set, allowed, sizeof allowed);
    fprintf(stderr, "mmbench: error: --pin: CPU %d is not one this process may run on "
            "(allowed: %s; in a suite file: /measurement/pin_cpu)\n", cpu, allowed);
    return 2;
}

int
bench_preflight(const bench_experiment *e, char *resolved, size_t n)
{
    bench_child_result res;
    json_t *spec, *out;
    int rc = pin_check(e->m.pin_cpu);
    if (rc)
        return rc;
    spec = bench_experiment_to_spec(e);
    json_object_set_new(spec, "preflight", json_true());
    bench_child_spawn_collect(e, spec, &res);
    json_decref(spec);
    if (res.spawn_failed) {
        fprintf(stderr, "mmbench: error: cannot start the measured child: %s\n",
                strerror(res.spawn_errno));
        return 1;
    }
    if (WIFEXITED(res.wstatus) && WEXITSTATUS(res.wstatus) == 0 &&
        (out = json_loadb(res.out, res.out_len, 0, NULL))) {
        snprintf(resolved, n, "%s", json_string_value(json_object_get(out, "resolved")));
        json_decref(out);
        rc = 0;
    } else {
        int code = WIFEXITED(res.wstatus) ? WEXITSTATUS(res.wstatus) : -1;
        if (res.err_len)
            fputs(res.err, stderr);
        rc = code == BENCH_CHILD_EXIT_ALLOC ? 3 : code == CHILD_EXIT_PIN ? 2 : 1;
    }
    bench_child_result_free(&res);
    return rc;
}
