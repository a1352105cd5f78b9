/* Internal macros shared by every runtime file: visibility, branch hints, errors and
 * assertions (style.md rules 5, 18, 20, 22). Design: docs/design/reliability.md.
 * SPDX-License-Identifier: MIT */
#ifndef MMI_H
#define MMI_H
#ifndef MMI_BUILDING_RUNTIME
#error "mmi.h is internal to libmm"
#endif

#include "mm/mm.h"
#include "tunables.h"

#define MMI_INTERNAL __attribute__((visibility("hidden")))
#define MMI_NOINLINE __attribute__((noinline))
#define MMI_LIKELY(x) __builtin_expect(!!(x), 1)
#define MMI_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define MMI_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Record the last error of rt (mm_errmsg) and return code. Never calls the hook. */
MMI_INTERNAL int mmi_error_set(mm_runtime *rt, int code, const char *fmt, ...)
    MMI_PRINTF(3, 4);
/* Report detected misuse or a failed assertion through the error hook (and record it).
 * code MM_EPOISONED poisons the runtime: the hook hears the first such report only, later
 * ones are just recorded. Returns code. */
MMI_INTERNAL MMI_NOINLINE int mmi_error_report(mm_runtime *rt, int code, const char *file,
                                               int line, const char *fmt, ...)
    MMI_PRINTF(5, 6);
/* A call refused because rt is poisoned (style.md rule 18): records MM_EPOISONED naming
 * what (the refused function) without calling the hook, which heard the poisoning once.
 * Returns MM_EPOISONED. The entry test is MMI_POISONED(rt) (runtime_internal.h). */
MMI_INTERNAL MMI_NOINLINE int mmi_poisoned_refuse(mm_runtime *rt, const char *what);

#define MMI_MISUSE(rt, ...)                                                              \
    mmi_error_report((rt), MM_EMISUSE, __FILE__, __LINE__, __VA_ARGS__)

#if MM_DEBUG_LEVEL >= 2
#define MMI_ASSERT_INTERNAL(rt, cond)                                                    \
    ((cond) ? (void)0                                                                    \
            : (void)mmi_error_report((rt), MM_EPOISONED, __FILE__, __LINE__,            \
                                     "internal assertion failed: %s", #cond))
#else
#define MMI_ASSERT_INTERNAL(rt, cond) ((void)0)
#endif
#if MM_DEBUG_LEVEL >= 3
#define MMI_ASSERT_EXPENSIVE(rt, cond) MMI_ASSERT_INTERNAL(rt, cond)
#else
#define MMI_ASSERT_EXPENSIVE(rt, cond) ((void)0)
#endif
/* Defensive branches (SQLite's ALWAYS/NEVER). They take rt so that a failure in a debug
 * build is reported and poisons it, as a failed assertion does (rule 18). */
#if MM_DEBUG_LEVEL >= 2
#define MMI_ALWAYS(rt, x)                                                                \
    ((x) ? 1                                                                             \
         : (mmi_error_report((rt), MM_EPOISONED, __FILE__, __LINE__, "ALWAYS(%s)", #x),  \
            0))
#define MMI_NEVER(rt, x)                                                                 \
    ((x) ? (mmi_error_report((rt), MM_EPOISONED, __FILE__, __LINE__, "NEVER(%s)", #x),   \
            1)                                                                           \
         : 0)
#else
#define MMI_ALWAYS(rt, x) ((void)(rt), (x))
#define MMI_NEVER(rt, x) ((void)(rt), (x))
#endif

#endif
