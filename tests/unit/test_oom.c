/* Real out-of-memory from the operating system (issue item 6): with the address space
 * capped (RLIMIT_AS) an arena's mmap fails. The fault-injection sweep (test_fault.c)
 * fails the allocation interface; this fails the OS underneath it.
 * Design: docs/design/allocator.md ("How it is tested").
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <mm/mm.h>

#define BLOCK 256                     /* a pool size class */
#define HEADROOM ((size_t)8 << 20)    /* address space left above the garbage */
#define NCYCLES 30000                 /* about 16 MiB of unreachable 2-cycles */
#define MAXBLOCKS ((size_t)1 << 20)   /* 256 MiB: reaching it means the cap did nothing */

/* Child exit codes: 0 passed; others name the first check that failed. */
enum { OK = 0, E_SETUP = 10, E_GARBAGE, E_CAP, E_NOCAP, E_NOTENOUGH, E_NOEMERGENCY,
       E_ERRMSG, E_STATS, E_CHECK, E_AGAIN };

static long
vm_size_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmSize:", 7) == 0)
            v = strtol(line + 7, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

/* Unreachable 2-cycles of lists holding ints: only a collection frees them. */
static int
make_garbage(mm_runtime *rt)
{
    for (int i = 0; i < NCYCLES; i++) {
        mm_object *a = mm_list_new(rt), *b = mm_list_new(rt);
        int ok = a && b && mm_list_append(rt, a, b) == MM_OK &&
                 mm_list_append(rt, b, a) == MM_OK;
        for (int k = 0; ok && k < 8; k++)
            ok =
                mm_list_append_steal(rt, a, mm_int_new(rt, 1000000 + i * 8 + k)) == MM_OK;
        mm_xdecref(rt, a);
        mm_xdecref(rt, b);
        if (!ok)
            return -1;
    }
    return 0;
}

static int
cap_address_space(size_t above, struct rlimit *old)
{
    long kib = vm_size_kib();
    struct rlimit lim;
    if (kib < 0 || getrlimit(RLIMIT_AS, old) != 0)
        return -1;
    lim = *old;
    lim.rlim_cur = (rlim_t)kib * 1024 + above;
    return setrlimit(RLIMIT_AS, &lim);
}

/* The one emergency collection frees unreachable cycles, so allocation goes on in their
 * memory; when nothing is left to collect the allocation fails with MM_ENOMEM, the heap
 * is consistent, everything frees, and allocation works again once the cap is lifted.
 * Returns OK or the E_* code of the first check that failed. */
static int
oom_child(void)
{
    mm_runtime *rt;
    mm_config cfg;
    mm_gc_generation_stats gs[3];
    mm_alloc_stats as;
    struct rlimit old;
    void **blk = malloc(MAXBLOCKS * sizeof *blk);
    size_t n = 0;
    mm_config_default(&cfg);
    if (!blk || mm_runtime_new(&rt, &cfg, NULL, 0) != MM_OK)
        return E_SETUP;
    mm_gc_disable(rt); /* only the emergency collection may run */
    if (make_garbage(rt) != 0)
        return E_GARBAGE;
    if (cap_address_space(HEADROOM, &old) != 0)
        return E_CAP;
    while (n < MAXBLOCKS && (blk[n] = mm_mem_alloc(rt, BLOCK)) != NULL)
        memset(blk[n++], 0x5a, BLOCK);
    if (n == MAXBLOCKS)
        return E_NOCAP;
    mm_gc_get_stats(rt, gs);
    mm_alloc_stats_get(rt, &as);
    fprintf(stderr, "capped at VmSize + %zu MiB: %zu blocks of %d bytes (%.1f MiB), "
            "%llu emergency collection(s), %llu failed allocation(s): %s\n",
            HEADROOM >> 20, n, BLOCK, (double)(n * BLOCK) / (1 << 20),
            (unsigned long long)gs[2].collections, (unsigned long long)as.failed_allocs,
            mm_errmsg(rt));
    if (gs[2].collections < 1)
        return E_NOEMERGENCY;
    /* The garbage's memory was reused: more than the headroom was allocated. */
    if (n * BLOCK <= HEADROOM + (HEADROOM >> 1))
        return E_NOTENOUGH;
    if (!strstr(mm_errmsg(rt), "out of memory"))
        return E_ERRMSG;
    if (as.failed_allocs < 1)
        return E_STATS;
    if (mm_runtime_check(rt) != MM_OK)
        return E_CHECK;
    for (size_t i = 0; i < n; i++)
        mm_mem_free(rt, blk[i], BLOCK);
    setrlimit(RLIMIT_AS, &old);
    for (size_t i = 0; i < 1000; i++)
        if (!(blk[i] = mm_mem_alloc(rt, BLOCK)))
            return E_AGAIN;
    for (size_t i = 0; i < 1000; i++)
        mm_mem_free(rt, blk[i], BLOCK);
    if (mm_runtime_check(rt) != MM_OK)
        return E_CHECK;
    mm_runtime_destroy(rt);
    free(blk);
    return OK;
}

/* Each case runs in a child process, because the cap is process-wide. */
static void
test_oom_os_refuses_memory(void **state)
{
    pid_t pid;
    int status = 0;
    (void)state;
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(oom_child());
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) != OK)
        fprintf(stderr, "child failed with code %d (see the enum in test_oom.c)\n",
                WEXITSTATUS(status));
    assert_int_equal(WEXITSTATUS(status), OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oom_os_refuses_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
