/* Drawing charts: gnuplot as a child process, one .gp per chart, 30 s timeout, stderr
 * kept (6.3, 7.4). gnuplot only draws. Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"
#include "util.h"

const char *
bench_gnuplot_dir(void)
{
    static const char *const candidates[] = { MMBENCH_SOURCE_GNUPLOT_DIR,
                                              MMBENCH_DATA_GNUPLOT_DIR };
    const char *env = getenv("MMBENCH_GNUPLOT_DIR");
    struct stat st;
    if (env && *env)
        return env;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
        if (stat(candidates[i], &st) == 0 && S_ISDIR(st.st_mode))
            return candidates[i];
    return candidates[0];
}

int
bench_gnuplot_available(char *version, size_t n)
{
    char line[128] = "";
    int major = 0, minor = 0;
    FILE *p = popen("gnuplot --version 2>/dev/null", "r");
    if (!p)
        return 0;
    if (!fgets(line, sizeof line, p))
        line[0] = 0;
    if (pclose(p) != 0 || sscanf(line, "gnuplot %d.%d", &major, &minor) != 2)
        return 0;
    if (version)
        snprintf(version, n, "%d.%d", major, minor);
    return major >= 5;
}

static void
first_line(const char *path, char *out, size_t n)
{
    FILE *f = fopen(path, "re");
    out[0] = 0;
    if (!f)
        return;
    while (fgets(out, (int)n, f)) {
        char *nl = strchr(out, '\n');
        if (nl)
            *nl = 0;
        if (out[0])
            break;
    }
    fclose(f);
}

/* Wait for pid at most timeout_s; SIGKILL after, or as soon as SIGINT/SIGTERM arrived
 * (8.3: the main loop kills the current child). Returns the wait status or -1. */
static int
wait_timeout(pid_t pid, double timeout_s)
{
    struct timespec start, now, nap = { 0, 5000000 };
    int st;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return st;
        if (r < 0 && errno != EINTR)
            return -1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (bench_interrupted || (double)(now.tv_sec - start.tv_sec) +
                                         (double)(now.tv_nsec - start.tv_nsec) / 1e9 >
                                     timeout_s) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            return -1;
        }
        nanosleep(&nap, NULL);
    }
}

int
bench_gnuplot_draw(const char *script, const char *data, const char *out,
                   const char *title, const char *term, char *err, size_t n)
{
    char errpath[4096], line[512];
    int fd, st;
    pid_t pid;
    struct stat sb;
    snprintf(errpath, sizeof errpath, "%s.stderr", out);
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0)
            dup2(fd, 2);
        setenv("LC_ALL", "C", 1);
        execlp("gnuplot", "gnuplot", "-c", script, data, out, title, term, (char *)NULL);
        _exit(127);
    }
    if (pid < 0) {
        snprintf(err, n, "fork: %s", strerror(errno));
        return -1;
    }
    st = wait_timeout(pid, 30);
    first_line(errpath, line, sizeof line);
    if (st == -1) {
        snprintf(err, n, "%s",
                 bench_interrupted ? "interrupted" : "gnuplot timed out after 30 s");
    } else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        snprintf(err, n, "gnuplot failed: %s", line[0] ? line : "no message");
        st = -1;
    } else if (stat(out, &sb) != 0 || sb.st_size == 0) {
        snprintf(err, n, "gnuplot wrote no image: %s", line[0] ? line : "no message");
        st = -1;
    }
    /* Warnings ("empty x range", "no valid points" for an empty series) leave a valid
     * image; the smoke test holds the scripts to zero warnings on the fixtures. */
    if (st != -1)
        unlink(errpath);
    return st == -1 ? -1 : 0;
}

/* ---- compacting gnuplot's SVG for embedding ---- */

/* Drop the run of `<g ATTRS>` WS `</g>` at p (an empty group without an id); returns the
 * bytes it spans, 0 when p starts no such group. */
static size_t
svg_empty_group(const char *p, const char *end)
{
    const char *q = p + 3;
    if (end - p < 8 || memcmp(p, "<g ", 3) != 0)
        return 0;
    while (q < end && *q != '>' && *q != '<')
        q++;
    if (q == end || *q != '>' || q[-1] == '/' || memmem(p, (size_t)(q - p), " id=", 4))
        return 0;
    for (q++; q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'); q++)
        ;
    if (end - q < 4 || memcmp(q, "</g>", 4) != 0)
        return 0;
    q += 4;
    return (size_t)(q < end && *q == '\n' ? q + 1 - p : q - p);
}

size_t
bench_svg_compact(char *svg, size_t len)
{
    static const char dflt[] = " stroke-linecap=\"butt\" stroke-linejoin=\"miter\"";
    const size_t ndflt = sizeof dflt - 1;
    const char *end = svg + len;
    /* The defaults can go only when no element sets another cap or join to inherit. */
    int only_dflt = !memmem(svg, len, "stroke-linecap=\"round", 22) &&
                    !memmem(svg, len, "stroke-linecap=\"square", 23) &&
                    !memmem(svg, len, "stroke-linejoin=\"round", 23) &&
                    !memmem(svg, len, "stroke-linejoin=\"bevel", 23) &&
                    !memmem(svg, len, "stroke-linejoin=\"arcs", 22) &&
                    !memmem(svg, len, "stroke-linejoin=\"miter-clip", 28);
    char *w = svg;
    for (const char *r = svg; r < end;) {
        size_t skip = *r == '<' ? svg_empty_group(r, end) : 0;
        if (!skip && only_dflt && *r == ' ' && (size_t)(end - r) >= ndflt &&
            !memcmp(r, dflt, ndflt))
            skip = ndflt;
        if (skip) {
            r += skip;
            continue;
        }
        *w++ = *r++;
    }
    *w = 0;
    return (size_t)(w - svg);
}
