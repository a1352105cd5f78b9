/* gnuplot as a child process (results-and-reports.md 6.3, 7.4).
 * Design: docs/design/reports.md.
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_PLOT_H
#define BENCH_PLOT_H

#include <stddef.h>

#ifndef MMBENCH_SOURCE_GNUPLOT_DIR
#define MMBENCH_SOURCE_GNUPLOT_DIR "scripts/gnuplot"
#endif
#ifndef MMBENCH_DATA_GNUPLOT_DIR
#define MMBENCH_DATA_GNUPLOT_DIR "/usr/local/share/mmbench/gnuplot"
#endif

/* Where the .gp scripts are: $MMBENCH_GNUPLOT_DIR, the source tree, or the install
 * dir. */
const char *bench_gnuplot_dir(void);
/* 1 when gnuplot >= 5.0 runs; its "major.minor" into version. */
int bench_gnuplot_available(char *version, size_t n);
/* LC_ALL=C gnuplot -c script data out title term, 30 s timeout. 0, or -1 with the first
 * line of gnuplot's stderr (or the reason) in err. */
int bench_gnuplot_draw(const char *script, const char *data, const char *out,
                       const char *title, const char *term, char *err, size_t n);

/* Shrink an SVG that gnuplot's svg terminal wrote, in place, without changing what it
 * draws: drop empty groups without an id and the SVG-default stroke-linecap="butt"
 * stroke-linejoin="miter" pair (only when nothing in the file sets other values).
 * svg must have room for a terminating NUL at svg[len]; returns the new length. */
size_t bench_svg_compact(char *svg, size_t len);

#endif
