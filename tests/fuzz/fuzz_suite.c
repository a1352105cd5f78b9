/* Fuzz target: the suite-file parser (bench/suite.c, suite_jobs.c). Any bytes: rejected
 * with a message or accepted and expanded into jobs, never a crash or a leak.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "suite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], err[1024];
    bench_suite s;
    int fd = memfd_create("suite", 0);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) == (ssize_t)size) {
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        if (bench_suite_load(path, &s, err, sizeof err) == 0) {
            /* every job's experiments must be constructible */
            for (size_t j = 0; j < s.njobs; j++)
                for (size_t k = 0; k < s.jobs[j].nsettings; k++) {
                    bench_experiment e;
                    bench_suite_job_experiment(&s, &s.jobs[j], k, &e);
                    bench_setting_clear(&e.set);
                }
        }
        bench_suite_free(&s);
    }
    close(fd);
    return 0;
}
